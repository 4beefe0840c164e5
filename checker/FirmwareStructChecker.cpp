// SPDX-License-Identifier: MIT
//===- FirmwareStructChecker.cpp - gpuown.FirmwareStruct ------------------===//
//
// AST-level rules on firmware structs (records annotated
// __gpuown_fw_struct(name, variant, footprint), as emitted by fwgen):
//   - a field of a firmware struct with a CPU pointer type (the firmware
//     cannot use a CPU address);
//   - an address stored into a firmware struct field not typed as one: an
//     expression of type gpu_addr_t / fw_addr_t (or an address function's
//     result) assigned to a plain integer field. An explicit raw conversion
//     (gpuown_gpu_addr_to_u64(), a cast) says the ABI wants an integer there
//     and is accepted. Optionally (AddressNameHeuristics) integer fields
//     named like addresses (*_addr, *_va, *_iova) are reported too;
//   - a versioned field (__gpuown_versioned(pred)) used without a check of
//     the running variant: neither inside a preprocessor conditional on
//     GPUOWN_V / GPUOWN_G / FW_V_* / FW_G_*, nor under an if/?:/switch whose
//     condition tests the variant (those names, or a declaration annotated
//     __gpuown_variant_check), and after no earlier if-statement in an
//     enclosing block that tests the variant and always exits;
//   - an allocation smaller than the struct's firmware footprint: a
//     sizeof(struct X) passed to an __gpuown_alloc_size parameter or stored
//     into an __gpuown_alloc_size field, where X's footprint is larger.
//
// There is no path state: each rule is decided on one declaration or one
// expression.
//
//   record decl --(pointer field / address-named integer)--> REPORT
//   x.f = <address>   --(f untyped, in fw struct)----------> REPORT
//   x.f (versioned)   --(no variant check around it)-------> REPORT
//   size = sizeof(X)  --(sizeof(X) < footprint(X))---------> REPORT
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"
#include "GpuownChecks.h"
#include "GpuownState.h"

#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/AnalysisDeclContext.h"
#include "clang/Lex/Lexer.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/AnalysisManager.h"
#include "llvm/Support/Regex.h"

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

class FirmwareStructChecker
    : public Checker<check::ASTDecl<RecordDecl>, check::ASTCodeBody> {
public:
  bool NameHeuristics = false;

  void checkASTDecl(const RecordDecl *RD, AnalysisManager &Mgr,
                    BugReporter &BR) const;
  void checkASTCodeBody(const Decl *D, AnalysisManager &Mgr,
                        BugReporter &BR) const;

  void report(BugReporter &BR, AnalysisDeclContext *ADC, const Decl *D,
              SourceLocation Loc, SourceRange R, StringRef Kind,
              std::string Msg) const;
};

class BodyVisitor : public RecursiveASTVisitor<BodyVisitor> {
public:
  BodyVisitor(const FirmwareStructChecker &Chk, BugReporter &BR,
              AnalysisDeclContext *ADC, const Decl *D)
      : Chk(Chk), BR(BR), ADC(ADC), D(D), Ctx(D->getASTContext()),
        SM(Ctx.getSourceManager()), PM(ADC->getParentMap()) {}

  bool VisitBinaryOperator(const BinaryOperator *BO);
  bool VisitMemberExpr(const MemberExpr *ME);
  bool VisitCallExpr(const CallExpr *CE);
  bool VisitInitListExpr(const InitListExpr *ILE);

private:
  const FirmwareStructChecker &Chk;
  BugReporter &BR;
  AnalysisDeclContext *ADC;
  const Decl *D;
  ASTContext &Ctx;
  const SourceManager &SM;
  ParentMap &PM;

  void checkAddressStore(const MemberExpr *LHS, const Expr *RHS);
  void checkAllocSize(const Expr *E, StringRef Where);
  bool underVariantCheck(const Stmt *S) const;
  bool conditionTestsVariant(const Expr *Cond) const;
  bool inVariantConditional(SourceLocation Loc) const;
};

} // namespace

static const char *const VariantTokens =
    "(GPUOWN_V|GPUOWN_G|FW_V_[A-Za-z0-9_]+|FW_G_[A-Za-z0-9_]+)";

static const RecordDecl *fwRecordOf(const FieldDecl *FD) {
  const RecordDecl *RD = FD->getParent();
  // Nested struct types belong to the enclosing firmware struct.
  while (RD && !getFwStruct(RD) && isa<RecordDecl>(RD->getDeclContext()))
    RD = cast<RecordDecl>(RD->getDeclContext());
  return RD && getFwStruct(RD) ? RD : nullptr;
}

void FirmwareStructChecker::report(BugReporter &BR, AnalysisDeclContext *ADC,
                                   const Decl *D, SourceLocation Loc,
                                   SourceRange R, StringRef Kind,
                                   std::string Msg) const {
  PathDiagnosticLocation L(Loc, BR.getSourceManager());
  BR.EmitBasicReport(D, this, Kind, "gpuown firmware struct error", Msg, L, R);
}

static bool addressLikeName(StringRef Name) {
  static const llvm::Regex Re(
      "(^|_)(addr|va|iova|gpu_va|gpuaddr|dma)(_[0-9a-fA-F]+)*(_[0-9]+)?$");
  return Re.match(Name);
}

void FirmwareStructChecker::checkASTDecl(const RecordDecl *RD,
                                         AnalysisManager &Mgr,
                                         BugReporter &BR) const {
  if (!RD->isThisDeclarationADefinition())
    return;
  Optional<FwStructInfo> FS = getFwStruct(RD);
  if (!FS)
    return;
  for (const FieldDecl *F : RD->fields()) {
    QualType T = F->getType();
    std::string Where = "field '" + F->getNameAsString() +
                        "' of firmware struct '" + FS->Name.str() + "' (" +
                        FS->Variant.str() + ")";
    if (T->isPointerType()) {
      report(BR, Mgr.getAnalysisDeclContext(RD), RD, F->getLocation(),
             F->getSourceRange(), "CPU pointer in a firmware struct",
             Where + " has a CPU pointer type");
      continue;
    }
    if (NameHeuristics && T->isIntegerType() &&
        getFieldAddrType(F) == AddrType::None && addressLikeName(F->getName()))
      report(BR, Mgr.getAnalysisDeclContext(RD), RD, F->getLocation(),
             F->getSourceRange(), "Untyped address field",
             Where + " holds an address but is not typed as one");
  }
}

// An expression whose value is an address: of address type, or an address
// function's result, seen through implicit conversions only.
static AddrType exprAddrType(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (AddrType T = getAddrType(E->getType()); T != AddrType::None)
    return T;
  if (const auto *CE = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      if (hasAnnotation(FD, "gpu_addr_fn"))
        return AddrType::Gpu;
      if (hasAnnotation(FD, "fw_addr_fn"))
        return AddrType::Fw;
    }
  return AddrType::None;
}

void BodyVisitor::checkAddressStore(const MemberExpr *LHS, const Expr *RHS) {
  const auto *FD = dyn_cast<FieldDecl>(LHS->getMemberDecl());
  if (!FD)
    return;
  QualType FT = FD->getType();
  if (const ArrayType *AT = FT->getAsArrayTypeUnsafe())
    FT = AT->getElementType();
  if (!FT->isIntegerType() || getAddrType(FT) != AddrType::None)
    return;
  const RecordDecl *RD = fwRecordOf(FD);
  if (!RD || getFieldAddrType(FD) != AddrType::None)
    return;
  // Inside a gpu_ptr(T) the member is the address: that is its type.
  if (getPtrKind(Ctx.getRecordType(FD->getParent())) != PtrKind::None)
    return;
  AddrType T = exprAddrType(RHS);
  if (T == AddrType::None)
    return;
  Optional<FwStructInfo> FS = getFwStruct(RD);
  Chk.report(BR, ADC, D, LHS->getMemberLoc(), RHS->getSourceRange(),
             "Untyped address field",
             std::string(T == AddrType::Gpu ? "GPU" : "Firmware") +
                 " address stored into field '" + FD->getNameAsString() +
                 "' of firmware struct '" + FS->Name.str() +
                 "', which is not typed as an address");
}

bool BodyVisitor::VisitBinaryOperator(const BinaryOperator *BO) {
  if (BO->getOpcode() != BO_Assign)
    return true;
  const Expr *LHS = BO->getLHS()->IgnoreParenImpCasts();
  // p->vas[i] = ...: the field is the array's.
  while (const auto *AS = dyn_cast<ArraySubscriptExpr>(LHS))
    LHS = AS->getBase()->IgnoreParenImpCasts();
  const auto *ME = dyn_cast<MemberExpr>(LHS);
  if (!ME)
    return true;
  checkAddressStore(ME, BO->getRHS());
  if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
    if (hasAnnotation(FD, "alloc_size"))
      checkAllocSize(BO->getRHS(), FD->getName());
  return true;
}

bool BodyVisitor::VisitInitListExpr(const InitListExpr *ILE) {
  if (ILE->isSyntacticForm() && ILE->getSemanticForm())
    ILE = ILE->getSemanticForm();
  const RecordDecl *RD = ILE->getType()->getAsRecordDecl();
  if (!RD)
    return true;
  unsigned I = 0;
  for (const FieldDecl *F : RD->fields()) {
    if (I >= ILE->getNumInits())
      break;
    const Expr *Init = ILE->getInit(I++);
    if (Init && hasAnnotation(F, "alloc_size"))
      checkAllocSize(Init, F->getName());
  }
  return true;
}

bool BodyVisitor::VisitCallExpr(const CallExpr *CE) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD)
    return true;
  for (unsigned I = 0; I < CE->getNumArgs() && I < FD->getNumParams(); ++I)
    if (hasAnnotation(FD->getParamDecl(I), "alloc_size"))
      checkAllocSize(CE->getArg(I), FD->getParamDecl(I)->getName());
  return true;
}

void BodyVisitor::checkAllocSize(const Expr *E, StringRef Where) {
  const auto *UE = dyn_cast<UnaryExprOrTypeTraitExpr>(E->IgnoreParenImpCasts());
  if (!UE || UE->getKind() != UETT_SizeOf)
    return;
  QualType T = UE->getTypeOfArgument();
  const RecordDecl *RD = T->getAsRecordDecl();
  Optional<FwStructInfo> FS = RD ? getFwStruct(RD) : None;
  if (!FS || !RD->isCompleteDefinition())
    return;
  uint64_t Size = Ctx.getTypeSizeInChars(T).getQuantity();
  if (Size >= FS->Footprint)
    return;
  Chk.report(BR, ADC, D, UE->getBeginLoc(), UE->getSourceRange(),
             "Allocation below the firmware footprint",
             "Allocation of " + std::to_string(Size) + " bytes (sizeof) for '" +
                 FS->Name.str() +
                 "' is smaller than its firmware footprint of " +
                 std::to_string(FS->Footprint) + " bytes in variant " +
                 FS->Variant.str());
}

bool BodyVisitor::conditionTestsVariant(const Expr *Cond) const {
  if (!Cond)
    return false;
  // The spelling keeps the macros (GPUOWN_V >= FW_V_V2_0).
  CharSourceRange R = CharSourceRange::getTokenRange(Cond->getSourceRange());
  StringRef Text = Lexer::getSourceText(R, SM, Ctx.getLangOpts());
  if (llvm::Regex(VariantTokens).match(Text))
    return true;
  struct Finder : RecursiveASTVisitor<Finder> {
    bool Found = false;
    bool check(const Decl *D) {
      if (D && hasAnnotation(D, "variant_check"))
        Found = true;
      return !Found;
    }
    bool VisitDeclRefExpr(DeclRefExpr *E) { return check(E->getDecl()); }
    bool VisitMemberExpr(MemberExpr *E) { return check(E->getMemberDecl()); }
    bool VisitCallExpr(CallExpr *E) { return check(E->getDirectCallee()); }
  } F;
  F.TraverseStmt(const_cast<Expr *>(Cond));
  return F.Found;
}

// A branch that always leaves the block: return, goto, break, continue, or
// a compound statement ending in one.
static bool alwaysExits(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    return !CS->body_empty() && alwaysExits(CS->body_back());
  return isa_and_nonnull<ReturnStmt, GotoStmt, BreakStmt, ContinueStmt>(S);
}

bool BodyVisitor::underVariantCheck(const Stmt *S) const {
  for (const Stmt *P = PM.getParent(S); P; S = P, P = PM.getParent(P)) {
    // An early exit on the variant before S in the same block
    // (if (!is_v2) return 0; ... p->v2_field).
    if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
      for (const Stmt *Prev : CS->body()) {
        if (Prev == S)
          break;
        const auto *If = dyn_cast<IfStmt>(Prev);
        if (If && !If->getElse() && alwaysExits(If->getThen()) &&
            conditionTestsVariant(If->getCond()))
          return true;
      }
      continue;
    }
    if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (S != If->getCond() && conditionTestsVariant(If->getCond()))
        return true;
    } else if (const auto *CO = dyn_cast<ConditionalOperator>(P)) {
      if (S != CO->getCond() && conditionTestsVariant(CO->getCond()))
        return true;
    } else if (const auto *SW = dyn_cast<SwitchStmt>(P)) {
      if (conditionTestsVariant(SW->getCond()))
        return true;
    } else if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->isLogicalOp() && S == BO->getRHS() &&
          conditionTestsVariant(BO->getLHS()))
        return true;
    }
  }
  return false;
}

// Scan the lines between the function's start and \p Loc for an enclosing
// #if/#elif that tests the variant.
bool BodyVisitor::inVariantConditional(SourceLocation Loc) const {
  Loc = SM.getExpansionLoc(Loc);
  SourceLocation Start = SM.getExpansionLoc(D->getBeginLoc());
  if (SM.getFileID(Loc) != SM.getFileID(Start))
    return false;
  bool Invalid = false;
  StringRef Buf = SM.getBufferData(SM.getFileID(Loc), &Invalid);
  if (Invalid)
    return false;
  unsigned From = SM.getFileOffset(Start), To = SM.getFileOffset(Loc);
  if (From > To || To > Buf.size())
    return false;
  llvm::SmallVector<StringRef, 64> Lines;
  Buf.slice(From, To).split(Lines, '\n');
  llvm::Regex Variant(VariantTokens);
  int Depth = 0;
  for (auto It = Lines.rbegin(); It != Lines.rend(); ++It) {
    StringRef L = It->ltrim();
    if (!L.consume_front("#"))
      continue;
    L = L.ltrim();
    if (L.startswith("endif")) {
      ++Depth;
    } else if (L.startswith("if")) {
      if (Depth > 0) {
        --Depth;
        continue;
      }
      if (Variant.match(L))
        return true;
    } else if (L.startswith("elif") && Depth == 0 && Variant.match(L)) {
      return true;
    }
  }
  return false;
}

bool BodyVisitor::VisitMemberExpr(const MemberExpr *ME) {
  const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  Optional<StringRef> Pred = FD ? getAnnotation(FD, "versioned") : None;
  if (!Pred)
    return true;
  if (inVariantConditional(ME->getMemberLoc()) || underVariantCheck(ME))
    return true;
  const RecordDecl *RD = fwRecordOf(FD);
  Optional<FwStructInfo> FS = RD ? getFwStruct(RD) : None;
  Chk.report(BR, ADC, D, ME->getMemberLoc(), ME->getSourceRange(),
             "Versioned field without a variant check",
             "Versioned field '" + FD->getNameAsString() + "'" +
                 (FS ? " of '" + FS->Name.str() + "'" : std::string()) +
                 " (present when " + Pred->str() +
                 ") used without a check of the firmware variant");
  return true;
}

void FirmwareStructChecker::checkASTCodeBody(const Decl *D,
                                             AnalysisManager &Mgr,
                                             BugReporter &BR) const {
  AnalysisDeclContext *ADC = Mgr.getAnalysisDeclContext(D);
  if (!ADC || !D->getBody())
    return;
  BodyVisitor V(*this, BR, ADC, D);
  V.TraverseStmt(D->getBody());
}

void gpuown::registerFirmwareStructChecker(CheckerManager &Mgr) {
  FirmwareStructChecker *Chk = Mgr.registerChecker<FirmwareStructChecker>();
  Chk->NameHeuristics = Mgr.getAnalyzerOptions().getCheckerBooleanOption(
      Chk, "AddressNameHeuristics");
}
