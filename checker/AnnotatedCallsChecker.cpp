// SPDX-License-Identifier: MIT
//===- AnnotatedCallsChecker.cpp - gpuown.AnnotatedCalls ------------------===//
//
// A hidden checker every path-sensitive gpuown checker depends on. It makes a
// function's annotations its contract: a call to a function whose annotations
// change what the checkers track (FnInfo::isContract: alloc, free, get, put,
// publish, lifecycle transitions, waits, ...) is evaluated here,
// conservatively, instead of being inlined. Each checker then applies the roles
// in its checkPostCall exactly as for a function without a body.
//
// Why: kernel puts and frees are static inlines whose bodies the checkers
// cannot read (kref_put() calls its release function through a pointer; an
// atomic decrement hides the count), so an annotated static inline
// drm_gem_object_put() inlined by the engine would act as nothing at all.
//
// Evaluation: the regions reachable from the arguments are invalidated (what
// the engine does for an unknown function) and the result is a fresh symbol,
// except that a reference get returning a pointer of its __gpuown_get
// parameter's type returns that argument (dma_fence_get(f) == f).
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"
#include "GpuownChecks.h"
#include "GpuownState.h"

#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

class AnnotatedCallsChecker : public Checker<eval::Call> {
public:
  bool evalCall(const CallEvent &Call, CheckerContext &C) const;

private:
  AnnotationCache Annots;
};

} // namespace

// The argument a get returns, or -1.
static int returnedArg(const CallEvent &Call, const FnInfo &FI) {
  QualType RT = Call.getResultType();
  if (!RT->isPointerType())
    return -1;
  for (unsigned I = 0; I < Call.getNumArgs(); ++I)
    if ((FI.roles(I) & PR_Get) &&
        Call.getArgExpr(I)->IgnoreParenImpCasts()->getType()->isPointerType())
      return I;
  return -1;
}

bool AnnotatedCallsChecker::evalCall(const CallEvent &Call,
                                     CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return false;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.isContract())
    return false;
  int Same = returnedArg(Call, FI);
  // Without a body the engine evaluates the call the same way.
  if (!FD->hasBody() && Same < 0)
    return false;
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  if (!CE)
    return false;
  const LocationContext *LC = C.getLocationContext();
  SVal Ret = Same >= 0 ? Call.getArgSVal(Same) : UnknownVal();
  ProgramStateRef State = Call.invalidateRegions(C.blockCount(), C.getState());
  QualType RT = Call.getResultType();
  if (Same < 0 && !RT->isVoidType())
    Ret = C.getSValBuilder().conjureSymbolVal(nullptr, CE, LC, RT,
                                              C.blockCount());
  State = State->BindExpr(CE, LC, Ret);
  C.addTransition(State);
  return true;
}

void gpuown::registerAnnotatedCallsChecker(CheckerManager &Mgr) {
  Mgr.registerChecker<AnnotatedCallsChecker>();
}
