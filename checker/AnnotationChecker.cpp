// SPDX-License-Identifier: MIT
//===- AnnotationChecker.cpp - gpuown.Annotations -------------------------===//
//
// Malformed annotations are errors that name the declaration, not a source
// of nonsense findings elsewhere:
//   - an annotate("gpuown_...") string the vocabulary does not define;
//   - a function annotation on a parameter, or a parameter annotation on a
//     function (other than the lifecycle ones a function may carry);
//   - a parameter or return value of the wrong type: __gpuown_frees on an
//     int, __gpuown_alloc on a function returning int, __gpuown_alloc_out
//     on a pointer to a non-pointer, __gpuown_alloc_size on a pointer, an
//     address function that does not return an integer, ...;
//   - an argument that does not parse: a lifecycle spec, a transition, a
//     state, a __gpuown_requires state, an address kind, a unit, a mapping
//     kind, a firmware struct's footprint, a fact whose struct or field the
//     unit does not define.
// The checks are AST-only and run on every declaration outside system
// headers, so a profile's errors show up on the first file analysed.
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"
#include "GpuownChecks.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/AnalysisManager.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

class AnnotationChecker
    : public Checker<check::ASTDecl<FunctionDecl>, check::ASTDecl<VarDecl>,
                     check::ASTDecl<RecordDecl>> {
public:
  void checkASTDecl(const FunctionDecl *FD, AnalysisManager &Mgr,
                    BugReporter &BR) const;
  void checkASTDecl(const VarDecl *VD, AnalysisManager &Mgr,
                    BugReporter &BR) const;
  void checkASTDecl(const RecordDecl *RD, AnalysisManager &Mgr,
                    BugReporter &BR) const;
};

enum class Where { Function, Param, Field, Record, Var };

// What an annotation needs of the declaration's type.
enum class Need { Any, Pointer, PtrToPtr, Integer, IntOrPtr };

struct KeyInfo {
  bool OnFunction, OnParam, OnField, OnRecord, OnVar;
  Need Type; // of the parameter/field, or of a function's result
};

} // namespace

static const char *whereWord(Where W) {
  switch (W) {
  case Where::Function:
    return "function";
  case Where::Param:
    return "parameter";
  case Where::Field:
    return "field";
  case Where::Record:
    return "struct";
  case Where::Var:
    return "variable";
  }
  return "declaration";
}

// The macro a driver writes for a key, to name it in messages.
static std::string macroOf(StringRef Key) {
  return llvm::StringSwitch<std::string>(Key)
      .Case("free", "__gpuown_frees")
      .Case("publish", "__gpuown_publishes")
      .Case("fw_get", "__gpuown_fw_gets")
      .Case("reclaim", "__gpuown_reclaims")
      .Case("share", "__gpuown_shares")
      .Case("detach", "__gpuown_detaches")
      .Case("complete", "__gpuown_completes")
      .Case("use", "__gpuown_uses")
      .Case("unmap", "__gpuown_unmaps")
      .Case("cpu_write", "__gpuown_cpu_writes")
      .Case("publish_addr", "__gpuown_publishes_addr")
      .Case("map", "__gpuown_maps")
      .Case("vm_unmap", "__gpuown_vm_unmaps")
      .Case("tlb_invalidate", "__gpuown_tlb_invalidates")
      .Case("sync_for_device", "__gpuown_syncs_for_device")
      .Case("insert", "__gpuown_insert")
      .Case("fact_field", "GPUOWN_FIELD_FACT")
      .Case("fact_struct", "GPUOWN_STRUCT_FACT")
      .Case("inner", "__gpuown_inner")
      .Case("lifecycle", "GPUOWN_LIFECYCLE")
      .Default("__gpuown_" + Key.str());
}

static llvm::Optional<KeyInfo> keyInfo(StringRef Key) {
  //                    fn     param  field  record var    type
  using K = KeyInfo;
  return llvm::StringSwitch<llvm::Optional<KeyInfo>>(Key)
      .Case("alloc", K{true, false, false, false, false, Need::Pointer})
      .Case("cpu_addr", K{true, false, false, false, false, Need::Pointer})
      .Cases("gpu_addr_fn", "fw_addr_fn", "phys_addr_fn",
             K{true, false, false, false, false, Need::Integer})
      .Case("fence_reached", K{true, false, false, false, false, Need::Integer})
      .Cases("state_query", "tlb_invalidate",
             K{true, false, false, false, false, Need::Any})
      .Case("mapping", K{true, false, false, false, false, Need::Any})
      // Roles the Coccinelle rules read (gpuown-roles); no analyzer meaning.
      .Cases("addr_from_int", "barrier", "stores_gpu_ptr", "stores_fw_ptr",
             K{true, false, false, false, false, Need::Any})
      .Cases("wptr_publish", "shared_store", "cpu_write",
             K{false, true, false, false, false, Need::Pointer})
      .Case("units", K{true, true, true, false, false, Need::Integer})
      .Case("variant_check", K{true, true, true, false, true, Need::Any})
      .Case("unmap", K{true, true, false, false, false, Need::Any})
      .Case("transition", K{true, true, false, false, false, Need::Pointer})
      .Case("in_state", K{true, true, false, false, false, Need::Pointer})
      .Case("lifecycle_init", K{true, true, false, false, false, Need::Pointer})
      .Case("alloc_out", K{false, true, false, false, false, Need::PtrToPtr})
      .Cases("free", "publish", "fw_get", "reclaim", "share",
             K{false, true, false, false, false, Need::Pointer})
      .Cases("detach", "addr_of", "cpu_begin", "cpu_end", "use",
             K{false, true, false, false, false, Need::Pointer})
      .Cases("store_container", "store_target", "store_clear", "map",
             "vm_unmap", K{false, true, false, false, false, Need::Pointer})
      .Case("requires", K{false, true, false, false, false, Need::Pointer})
      .Case("complete", K{false, true, false, false, false, Need::Any})
      .Case("alloc_size", K{false, true, true, false, false, Need::Integer})
      .Case("map_size", K{false, true, false, false, false, Need::Integer})
      .Case("sync_for_device",
            K{false, true, false, false, false, Need::IntOrPtr})
      .Case("publish_addr", K{false, true, true, false, false, Need::IntOrPtr})
      .Case("addr_kind", K{false, true, true, false, false, Need::Integer})
      .Case("lc_state", K{false, true, true, false, false, Need::Any})
      .Case("holds", K{false, false, true, false, false, Need::Pointer})
      .Cases("fw_writes", "versioned",
             K{false, false, true, false, false, Need::Any})
      .Cases("gpu_addr", "fw_addr",
             K{false, false, true, false, false, Need::Integer})
      .Cases("class", "fw_struct",
             K{false, false, false, true, false, Need::Any})
      .Cases("gpu_ptr", "gpu_weak_ptr", "fw_ptr", "fw_weak_ptr",
             K{false, false, false, true, false, Need::Any})
      .Cases("lifecycle", "fact_field", "fact_struct",
             K{false, false, false, false, true, Need::Any})
      // Kernel lifetime idioms (gpuown.Lifetime).
      .Cases("err_ptr", "lookup", "lookup_get",
             K{true, false, false, false, false, Need::Pointer})
      // The function returns what it removed, or its parameter is removed.
      .Case("remove", K{true, true, false, false, false, Need::Pointer})
      .Cases("wait", "wait_timeout",
             K{true, false, false, false, false, Need::Integer})
      .Cases("get", "put", "insert",
             K{false, true, false, false, false, Need::Pointer})
      .Case("unref", K{false, true, false, false, false, Need::PtrToPtr})
      .Case("err_ok", K{false, true, false, false, false, Need::Pointer})
      // An object reached through another: a field, or a release naming one.
      .Case("inner", K{false, true, true, false, false, Need::Pointer})
      .Cases("gpu_addr_out", "fw_addr_out", "cpu_addr_out",
             K{false, true, false, false, false, Need::Pointer})
      .Default(llvm::None);
}

static bool typeOk(Need N, QualType T) {
  T = T.getCanonicalType();
  switch (N) {
  case Need::Any:
    return true;
  case Need::Pointer:
    return T->isPointerType() || T->isArrayType();
  case Need::PtrToPtr:
    return T->isPointerType() && T->getPointeeType()->isPointerType();
  case Need::Integer:
    return T->isIntegerType() || T->isBooleanType();
  case Need::IntOrPtr:
    return T->isIntegerType() || T->isPointerType();
  }
  return true;
}

static const char *needWord(Need N) {
  switch (N) {
  case Need::Pointer:
    return "a pointer";
  case Need::PtrToPtr:
    return "a pointer to a handle";
  case Need::Integer:
    return "an integer";
  case Need::IntOrPtr:
    return "an integer or a pointer";
  case Need::Any:
    break;
  }
  return "any type";
}

static bool isIdent(StringRef S) {
  if (S.empty())
    return false;
  for (char C : S)
    if (!isalnum((unsigned char)C) && C != '_')
      return false;
  return true;
}

// "a", "a|b" or "*" (Star: allowed).
static bool isStateList(StringRef S, bool Star) {
  S = S.trim();
  if (Star && S == "*")
    return true;
  SmallVector<StringRef, 4> Parts;
  S.split(Parts, '|');
  for (StringRef P : Parts)
    if (!isIdent(P.trim()))
      return false;
  return true;
}

static bool oneOf(std::initializer_list<StringRef> L, StringRef S) {
  for (StringRef E : L)
    if (E == S)
      return true;
  return false;
}

// The argument's syntax: empty when fine, else what is wrong.
static std::string argError(StringRef Key, StringRef Arg, bool HasArg) {
  auto Split = [&](char Sep) { return Arg.split(Sep); };
  if (Key == "transition") {
    auto LR = Split(':');
    auto FT = LR.second.split("->");
    if (!isIdent(LR.first.trim()) || !LR.second.contains("->") ||
        !isStateList(FT.first, true) || !isIdent(FT.second.trim()))
      return "expects (lifecycle, from, to), got '" + Arg.str() + "'";
  } else if (Key == "in_state" || Key == "lc_state" || Key == "holds") {
    auto LR = Split(':');
    if (!isIdent(LR.first.trim()) || !isStateList(LR.second, false))
      return "expects (lifecycle, state), got '" + Arg.str() + "'";
  } else if (Key == "lifecycle_init") {
    if (!isIdent(Arg.trim()))
      return "expects a lifecycle name, got '" + Arg.str() + "'";
  } else if (Key == "requires") {
    if (!oneOf({"cpu", "fw", "shared", "gpu_only", "live"}, Arg.trim()))
      return "names state '" + Arg.str() +
             "' (expected cpu, fw, shared, gpu_only or live)";
  } else if (Key == "addr_kind") {
    if (!oneOf({"gpu", "fw", "phys"}, Arg.trim()))
      return "names kind '" + Arg.str() + "' (expected gpu, fw or phys)";
  } else if (Key == "units") {
    if (!oneOf({"gpu_pages", "cpu_pages", "bytes"}, Arg.trim()))
      return "names unit '" + Arg.str() +
             "' (expected gpu_pages, cpu_pages or bytes)";
  } else if (Key == "mapping") {
    if (!oneOf({"wb", "wc", "uncached", "noncoherent"}, Arg.trim()))
      return "names mapping '" + Arg.str() +
             "' (expected wb, wc, uncached or noncoherent)";
  } else if (Key == "class") {
    if (!oneOf({"cpu", "gpu_only", "fw:read", "fw:write", "fw:rw",
                "shared:read", "shared:write", "shared:rw"},
               Arg.trim()))
      return "names class '" + Arg.str() + "'";
  } else if (Key == "fw_struct") {
    SmallVector<StringRef, 3> P;
    Arg.split(P, ':');
    uint64_t F;
    if (P.size() != 3 || P[0].trim().empty() || P[2].trim().getAsInteger(0, F))
      return "expects (name, variant, footprint in bytes), got '" + Arg.str() +
             "'";
  } else if (Key == "lifecycle") {
    auto NS = Split(':');
    Lifecycle L;
    std::string Err;
    if (!isIdent(NS.first.trim()))
      return "has no name";
    if (!parseLifecycle(NS.second, L, Err))
      return "does not parse: " + Err;
  } else if (!HasArg) {
    return std::string();
  }
  return std::string();
}

static void error(const Decl *D, std::string Msg) {
  DiagnosticsEngine &DE = D->getASTContext().getDiagnostics();
  unsigned ID = DE.getCustomDiagID(DiagnosticsEngine::Error, "%0");
  DE.Report(D->getLocation(), ID) << Msg;
}

// __gpuown_inner on a pointer field; __gpuown_releases_inner(field) on a
// release parameter (a handle or a pointer to one) naming a pointer field of
// the released struct. The struct may still be incomplete where a profile
// declares the release: the field is then looked up where the call is
// analyzed, and a name that matches nothing there does nothing.
static void checkInner(const Decl *D, Where W, QualType T,
                       const std::string &Name, StringRef Arg, bool HasArg) {
  if (W == Where::Field) {
    if (HasArg)
      error(D, "'__gpuown_inner' on " + Name +
                   " takes no argument (a release parameter names the "
                   "field with __gpuown_releases_inner(field))");
    else if (!T->isPointerType())
      error(D, "'__gpuown_inner' on " + Name +
                   " needs a pointer, but it has type '" +
                   T.getCanonicalType().getAsString() + "'");
    return;
  }
  if (!HasArg || !isIdent(Arg.trim())) {
    error(D, "'__gpuown_releases_inner' on " + Name +
                 " expects the name of a field of the released struct, got '" +
                 Arg.str() + "'");
    return;
  }
  QualType P = T->isPointerType() ? T->getPointeeType() : QualType();
  if (!P.isNull() && P->isPointerType())
    P = P->getPointeeType();
  const RecordDecl *RD = P.isNull() ? nullptr : P->getAsRecordDecl();
  if (!RD) {
    error(D, "'__gpuown_releases_inner' on " + Name +
                 " needs a pointer to a struct (or to its handle), but it has "
                 "type '" +
                 T.getCanonicalType().getAsString() + "'");
    return;
  }
  RD = RD->getDefinition();
  if (!RD)
    return;
  for (const FieldDecl *F : RD->fields())
    if (F->getName() == Arg.trim()) {
      if (!F->getType()->isPointerType())
        error(D, "'__gpuown_releases_inner' on " + Name + " names '" +
                     Arg.trim().str() + "', which is not a pointer field");
      return;
    }
  error(D, "'__gpuown_releases_inner' on " + Name + " names '" +
               Arg.trim().str() + "', which is not a field of 'struct " +
               RD->getNameAsString() + "'");
}

// Checks the annotations written on \p D itself (not its redeclarations,
// which are checked where they are written). \p T is the type the
// annotation is about (a parameter's or field's, a function's result).
static void checkDecl(const Decl *D, Where W, QualType T, std::string Name) {
  for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
    StringRef S = A->getAnnotation();
    // Inherited from an earlier declaration: checked there.
    if (A->isInherited() || !S.consume_front("gpuown_"))
      continue;
    std::pair<StringRef, StringRef> KA = S.split(':');
    StringRef Key = KA.first;
    bool HasArg = S.contains(':');
    llvm::Optional<KeyInfo> KI = keyInfo(Key);
    if (!KI || !isKnownAnnotationKey(Key)) {
      error(D, "unknown gpuown annotation 'gpuown_" + S.str() + "' on " +
                   whereWord(W) + " " + Name);
      continue;
    }
    if (Key.startswith("fact_"))
      continue; // the fact's target, checked by the caller
    bool Allowed = (W == Where::Function && KI->OnFunction) ||
                   (W == Where::Param && KI->OnParam) ||
                   (W == Where::Field && KI->OnField) ||
                   (W == Where::Record && KI->OnRecord) ||
                   (W == Where::Var && KI->OnVar);
    if (!Allowed) {
      error(D, "'" + macroOf(Key) + "' does not apply to a " + whereWord(W) +
                   " (on " + Name + ")");
      continue;
    }
    std::string Err = argError(Key, KA.second, HasArg);
    if (!Err.empty()) {
      error(D, "'" + macroOf(Key) + "' on " + Name + " " + Err);
      continue;
    }
    if (Key == "inner") {
      checkInner(D, W, T, Name, KA.second, HasArg);
      continue;
    }
    // A lifecycle operation written on a function concerns its first
    // pointer parameter (lifecycle_init: its result).
    if (W == Where::Function && (Key == "transition" || Key == "in_state")) {
      const auto *FD = cast<FunctionDecl>(D);
      bool HasPtr = false;
      for (const ParmVarDecl *P : FD->parameters())
        HasPtr |= P->getType()->isPointerType();
      if (!HasPtr)
        error(D, "'" + macroOf(Key) + "' on " + Name +
                     " needs a pointer parameter to act on");
      continue;
    }
    if (T.isNull() || typeOk(KI->Type, T))
      continue;
    std::string What = W == Where::Function ? "returns '" : "has type '";
    error(D,
          "'" + macroOf(Key) + "' on " + Name + " needs " + needWord(KI->Type) +
              ", but it " + What + T.getCanonicalType().getAsString() + "'" +
              (Key == "alloc" ? " (a function that fills an out parameter and "
                                "returns 0 takes __gpuown_alloc_out on it)"
                              : ""));
  }
}

void AnnotationChecker::checkASTDecl(const FunctionDecl *FD,
                                     AnalysisManager &Mgr,
                                     BugReporter &BR) const {
  std::string Fn = "'" + FD->getNameAsString() + "'";
  checkDecl(FD, Where::Function, FD->getReturnType(), Fn);
  for (const ParmVarDecl *P : FD->parameters()) {
    std::string Name =
        P->getName().empty()
            ? "#" + std::to_string(P->getFunctionScopeIndex() + 1)
            : "'" + P->getNameAsString() + "'";
    checkDecl(P, Where::Param, P->getType(), Name + " of " + Fn);
  }
}

void AnnotationChecker::checkASTDecl(const VarDecl *VD, AnalysisManager &Mgr,
                                     BugReporter &BR) const {
  if (isa<ParmVarDecl>(VD))
    return; // checked with its function
  // A fact's annotations are the field's / the struct's, and it must name
  // a struct and field the unit defines.
  for (const auto *A : VD->specific_attrs<AnnotateAttr>()) {
    StringRef S = A->getAnnotation();
    if (A->isInherited())
      continue;
    bool Field = S.consume_front("gpuown_fact_field:");
    if (!Field && !S.consume_front("gpuown_fact_struct:"))
      continue;
    std::pair<StringRef, StringRef> RF = S.split(':');
    checkDecl(VD, Field ? Where::Field : Where::Record,
              Field ? VD->getType() : QualType(),
              Field ? "'" + RF.second.trim().str() + "' of '" +
                          RF.first.trim().str() + "'"
                    : "struct '" + RF.first.trim().str() + "'");
    const RecordDecl *RD = nullptr;
    for (const Decl *D : VD->getASTContext().getTranslationUnitDecl()->decls())
      if (const auto *R = dyn_cast<RecordDecl>(D))
        if (R->getName() == RF.first.trim() && R->getDefinition())
          RD = R->getDefinition();
    if (!RD) {
      error(VD, "'" + macroOf(Field ? "fact_field" : "fact_struct") +
                    "' names struct '" + RF.first.trim().str() +
                    "', which is not defined before it");
      continue;
    }
    return;
  }
  checkDecl(VD, Where::Var, QualType(), "'" + VD->getNameAsString() + "'");
}

void AnnotationChecker::checkASTDecl(const RecordDecl *RD, AnalysisManager &Mgr,
                                     BugReporter &BR) const {
  std::string Rec = "'" + RD->getNameAsString() + "'";
  checkDecl(RD, Where::Record, QualType(), "struct " + Rec);
  if (!RD->isThisDeclarationADefinition())
    return;
  for (const FieldDecl *F : RD->fields())
    checkDecl(F, Where::Field, F->getType(),
              "'" + F->getNameAsString() + "' of " + Rec);
}

void gpuown::registerAnnotationChecker(CheckerManager &Mgr) {
  Mgr.registerChecker<AnnotationChecker>();
}
