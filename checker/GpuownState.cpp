// SPDX-License-Identifier: MIT
//===- GpuownState.cpp - State shared by the gpuown checkers --------------===//

#include "GpuownState.h"

#include "clang/AST/Decl.h"
#include "clang/Lex/Lexer.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/MemRegion.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SValBuilder.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace clang;
using namespace ento;

void *ProgramStateTrait<gpuown::GpuownAddrMap>::GDMIndex() {
  static int Index;
  return &Index;
}

namespace gpuown {

// "sym + c" / "sym - c" name the same object as sym.
static SymbolRef stripOffset(SymbolRef S, bool &Interior) {
  while (const auto *SIE = dyn_cast_or_null<SymIntExpr>(S)) {
    BinaryOperatorKind Op = SIE->getOpcode();
    if (Op != BO_Add && Op != BO_Sub)
      break;
    if (SIE->getRHS() != 0)
      Interior = true;
    S = SIE->getLHS();
  }
  return S;
}

ObjRef resolve(SVal V, ProgramStateRef State) {
  ObjRef R;
  if (auto LAI = V.getAs<nonloc::LocAsInteger>())
    V = LAI->getLoc();
  SymbolRef Sym = nullptr;
  if (const MemRegion *MR = V.getAsRegion()) {
    const MemRegion *Base = MR->getBaseRegion();
    R.Base = Base;
    const auto *SR = dyn_cast<SymbolicRegion>(Base);
    if (!SR) {
      R.NonObjectMemory =
          isa<VarRegion, StringRegion, AllocaRegion, CompoundLiteralRegion>(
              Base);
      return R;
    }
    Sym = SR->getSymbol();
    RegionOffset Off = MR->getAsOffset();
    if (Off.isValid() && !Off.hasSymbolicOffset() && Off.getOffset() != 0)
      R.Interior = true;
  } else {
    Sym = stripOffset(V.getAsSymbol(), R.Interior);
  }
  if (!Sym)
    return R;
  if (const AddrInfo *AI = State->get<GpuownAddrMap>(Sym)) {
    R.Obj = AI->Obj;
    R.Kind = AI->Kind;
    return R;
  }
  R.Obj = Sym;
  return R;
}

ObjRef resolveArg(const CallEvent &Call, unsigned I, unsigned Roles,
                  ProgramStateRef State) {
  if (!(Roles & PR_Unref))
    return resolve(Call.getArgSVal(I), State);
  Optional<Loc> L = Call.getArgSVal(I).getAs<Loc>();
  QualType T = Call.getArgExpr(I)->IgnoreParenImpCasts()->getType();
  if (!L || L->isZeroConstant() || !T->isPointerType() ||
      !T->getPointeeType()->isPointerType())
    return ObjRef();
  return resolve(State->getSVal(*L, T->getPointeeType()), State);
}

// A CPU access window hands out the object's CPU address through its
// pointer-to-pointer parameter (gpuown_cpu_begin(obj, dir, &cpu)).
static ProgramStateRef recordWindow(const CallEvent &Call, const FnInfo &FI,
                                    ProgramStateRef State) {
  int Obj = -1, Out = -1;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    QualType T = Call.getArgExpr(I)->IgnoreParenCasts()->getType();
    if (FI.roles(I) & PR_CpuBegin)
      Obj = I;
    else if (Out < 0 && T->isPointerType() &&
             T->getPointeeType()->isPointerType())
      Out = I;
  }
  if (Obj < 0 || Out < 0)
    return State;
  ObjRef O = resolve(Call.getArgSVal(Obj), State);
  SymbolRef Addr = allocOutSymbol(Call, Out, State);
  if (!O || !Addr || Addr == O.Obj)
    return State;
  State->getStateManager().getSymbolManager().addSymbolDependency(Addr, O.Obj);
  return State->set<GpuownAddrMap>(Addr, AddrInfo{O.Obj, AddrKind::Cpu});
}

// Addresses handed out through out-parameters (__gpuown_gpu_addr_out & co.):
// msm_gem_get_and_pin_iova(obj, aspace, &iova). They belong to the
// __gpuown_addr_of parameter's object, else to the object an
// __gpuown_alloc_out parameter received, else to the first parameter's.
static ProgramStateRef recordAddressOuts(const CallEvent &Call,
                                         const FnInfo &FI,
                                         ProgramStateRef State) {
  const unsigned Outs = PR_GpuAddrOut | PR_FwAddrOut | PR_CpuAddrOut;
  if (!FI.hasRole(Outs))
    return State;
  SymbolRef Obj = nullptr;
  if (FI.AddrOf >= 0 && (unsigned)FI.AddrOf < Call.getNumArgs())
    Obj = resolve(Call.getArgSVal(FI.AddrOf), State).Obj;
  for (unsigned I = 0; !Obj && I < Call.getNumArgs(); ++I)
    if (FI.roles(I) & PR_AllocOut)
      Obj = allocOutSymbol(Call, I, State);
  if (!Obj && Call.getNumArgs() > 0 && !(FI.roles(0) & Outs))
    Obj = resolve(Call.getArgSVal(0), State).Obj;
  if (!Obj)
    return State;
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    unsigned R = FI.roles(I) & Outs;
    if (!R)
      continue;
    SymbolRef Addr = allocOutSymbol(Call, I, State);
    if (!Addr || Addr == Obj)
      continue;
    AddrKind K = outParamKind(R);
    State->getStateManager().getSymbolManager().addSymbolDependency(Addr, Obj);
    State = State->set<GpuownAddrMap>(Addr, AddrInfo{Obj, K});
  }
  return State;
}

ProgramStateRef recordAddress(const CallEvent &Call, const FnInfo &FI,
                              ProgramStateRef State) {
  State = recordAddressOuts(Call, FI, State);
  if (FI.hasRole(PR_CpuBegin))
    State = recordWindow(Call, FI, State);
  AddrKind K;
  if (FI.RetPhysAddr)
    K = AddrKind::Phys;
  else if (FI.RetCpuAddr)
    K = AddrKind::Cpu;
  else if (FI.RetGpuAddr)
    K = AddrKind::Gpu;
  else if (FI.RetFwAddr)
    K = AddrKind::Fw;
  else
    return State;
  if (FI.AddrOf < 0 || (unsigned)FI.AddrOf >= Call.getNumArgs())
    return State;
  ObjRef O = resolve(Call.getArgSVal(FI.AddrOf), State);
  bool Interior = false;
  SymbolRef Ret = stripOffset(Call.getReturnValue().getAsSymbol(), Interior);
  if (!O || !Ret || Ret == O.Obj)
    return State;
  // The object lives at least as long as any of its addresses.
  State->getStateManager().getSymbolManager().addSymbolDependency(Ret, O.Obj);
  return State->set<GpuownAddrMap>(Ret, AddrInfo{O.Obj, K});
}

ProgramStateRef reapAddresses(ProgramStateRef State, SymbolReaper &SR) {
  for (const auto &E : State->get<GpuownAddrMap>())
    if (SR.isDead(E.first))
      State = State->remove<GpuownAddrMap>(E.first);
  return State;
}

AddrKind outParamKind(unsigned Roles) {
  return Roles & PR_AllocOut     ? AddrKind::Handle
         : Roles & PR_GpuAddrOut ? AddrKind::Gpu
         : Roles & PR_FwAddrOut  ? AddrKind::Fw
                                 : AddrKind::Cpu;
}

SymbolRef allocOutSymbol(const CallEvent &Call, unsigned Arg,
                         ProgramStateRef State) {
  if (Arg >= Call.getNumArgs())
    return nullptr;
  Optional<Loc> L = Call.getArgSVal(Arg).getAs<Loc>();
  if (!L)
    return nullptr;
  QualType T = Call.getArgExpr(Arg)->getType();
  if (!T->isPointerType())
    return nullptr;
  return State->getSVal(*L, T->getPointeeType()).getAsSymbol();
}

AddrInfo addressOf(SVal V, ProgramStateRef State) {
  SymbolRef S = V.getAsSymbol();
  // (u32)addr, addr >> 32, addr & mask, addr + off: still that object's.
  // The address itself may be such an expression (an inlined address
  // function returning lower_32_bits(vma->node.start)), so every level is
  // looked up, the outermost first.
  for (;;) {
    if (S)
      if (const AddrInfo *AI = State->get<GpuownAddrMap>(S))
        if (AI->Kind != AddrKind::Handle && AI->Kind != AddrKind::Cpu)
          return *AI;
    if (const auto *SIE = dyn_cast_or_null<SymIntExpr>(S))
      S = SIE->getLHS();
    else if (const auto *SC = dyn_cast_or_null<SymbolCast>(S))
      S = SC->getOperand();
    else if (const auto *SSE = dyn_cast_or_null<SymSymExpr>(S)) {
      // base + offset-of-a-part: the address is the left side's.
      if (State->get<GpuownAddrMap>(SSE->getRHS()) &&
          !State->get<GpuownAddrMap>(SSE->getLHS()))
        S = SSE->getRHS();
      else
        S = SSE->getLHS();
    } else
      break;
  }
  return AddrInfo{nullptr, AddrKind::Handle};
}

void addressedObjects(SVal V, ProgramStateRef State, const ASTContext &Ctx,
                      llvm::SmallVectorImpl<SymbolRef> &Out) {
  auto Add = [&](SVal E) {
    AddrInfo AI = addressOf(E, State);
    if (AI.Obj && !llvm::is_contained(Out, AI.Obj))
      Out.push_back(AI.Obj);
  };
  const MemRegion *R = V.getAsRegion();
  if (!R) {
    Add(V);
    return;
  }
  R = R->StripCasts();
  if (const auto *ER = dyn_cast<ElementRegion>(R))
    R = ER->getSuperRegion()->StripCasts();
  const auto *TR = dyn_cast<TypedValueRegion>(R);
  if (!TR)
    return;
  MemRegionManager &MRM = State->getStateManager().getRegionManager();
  QualType T = TR->getValueType();
  // A message is a short array of words: look at the first 64.
  if (const auto *CAT = Ctx.getAsConstantArrayType(T)) {
    uint64_t N = std::min<uint64_t>(CAT->getSize().getZExtValue(), 64);
    SValBuilder &SVB = State->getStateManager().getSValBuilder();
    for (uint64_t I = 0; I < N; ++I)
      Add(State->getSVal(MRM.getElementRegion(CAT->getElementType(),
                                              SVB.makeArrayIndex(I), TR,
                                              const_cast<ASTContext &>(Ctx))));
    return;
  }
  if (const RecordDecl *RD = T->getAsRecordDecl()) {
    if (RD->getDefinition())
      for (const FieldDecl *FD : RD->getDefinition()->fields())
        if (FD->getType()->isIntegerType())
          Add(State->getSVal(MRM.getFieldRegion(FD, TR)));
    return;
  }
  if (T->isIntegerType())
    Add(State->getSVal(TR));
}

const FunctionDecl *calleeDecl(const CallEvent &Call) {
  return dyn_cast_or_null<FunctionDecl>(Call.getDecl());
}

std::string exprText(const Expr *E, const ASTContext &Ctx) {
  if (!E)
    return "?";
  E = E->IgnoreParenImpCasts();
  CharSourceRange R = CharSourceRange::getTokenRange(E->getSourceRange());
  StringRef T =
      Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts());
  std::string S;
  for (char Ch : T) // one line, single spaces
    if (!isspace((unsigned char)Ch))
      S += Ch;
    else if (!S.empty() && S.back() != ' ')
      S += ' ';
  if (S.size() > 48)
    S = S.substr(0, 45) + "...";
  return S.empty() ? "?" : S;
}

std::string calleeName(const CallEvent &Call) {
  if (const FunctionDecl *FD = calleeDecl(Call))
    return "'" + FD->getNameAsString() + "'";
  return "the call";
}

const NoteTag *objectNote(CheckerContext &C, StringRef Checker, SymbolRef Sym,
                          std::string Msg) {
  std::string Name = Checker.str();
  return C.getNoteTag([Name, Sym, Msg](PathSensitiveBugReport &BR) {
    if (BR.getBugType().getCheckerName() != Name || !BR.isInteresting(Sym))
      return std::string();
    return Msg;
  });
}

void emitReport(CheckerContext &C, const BugType &BT, std::string Msg,
                SymbolRef Sym, SourceRange R, bool Sink) {
  ExplodedNode *N =
      Sink ? C.generateErrorNode() : C.generateNonFatalErrorNode();
  if (!N)
    return;
  auto Rep = std::make_unique<PathSensitiveBugReport>(BT, Msg, N);
  if (R.isValid())
    Rep->addRange(R);
  if (Sym)
    Rep->markInteresting(Sym);
  C.emitReport(std::move(Rep));
}

void LifecycleTable::load(const ASTContext &Ctx) const {
  Loaded = true;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD)
      continue;
    Optional<StringRef> A = getAnnotation(VD, "lifecycle");
    if (!A)
      continue;
    std::pair<StringRef, StringRef> NS = A->split(':');
    std::string Name = NS.first.trim().str(), Err;
    Lifecycle L;
    if (!parseLifecycle(NS.second, L, Err))
      Errors[Name] = Err;
    else
      Table[Name] = std::move(L);
  }
}

const Lifecycle *LifecycleTable::find(StringRef Name, const ASTContext &Ctx,
                                      std::string &Err) const {
  if (!Loaded)
    load(Ctx);
  auto It = Table.find(Name.str());
  if (It != Table.end())
    return &It->second;
  auto EIt = Errors.find(Name.str());
  if (EIt != Errors.end())
    Err = EIt->second;
  return nullptr;
}

} // namespace gpuown
