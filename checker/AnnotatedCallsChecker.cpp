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
// Evaluation: what each pointer argument points to gets a fresh value, and
// the result is a fresh symbol, except that a reference get returning a
// pointer of its __gpuown_get parameter's type returns that argument
// (dma_fence_get(f) == f).
//
// A pointer to a field (&psp->fence_buf_bo, &ct->vma, &bo->iova) gives only
// that field a fresh value. The engine, for an unknown function, invalidates
// the whole struct the field sits in, which forgets every address and
// mapping recorded in its other fields: amdgpu keeps a BO's handle, GPU
// address and CPU mapping side by side in one struct and passes each by
// address, so amdgpu_bo_free_kernel(&psp->fence_buf_bo, ..., NULL) must
// leave psp->fence_buf naming the freed BO's mapping. A function reaches the
// struct around a field only through the field's address, which C does not
// allow it to leave (container_of() aside, which no annotated contract
// does). Any other pointer (to a local, to a heap object, to an array
// element) is invalidated as the engine would; const pointees are kept, and
// globals are invalidated as for any call.
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

// The field a pointer argument names, when it is one field of a larger
// object (looking through casts such as (void **)&psp->cmd_buf_mem).
static const FieldRegion *fieldOf(SVal V) {
  const MemRegion *R = V.getAsRegion();
  if (!R)
    return nullptr;
  const auto *FR = dyn_cast<FieldRegion>(R->StripCasts());
  if (!FR || FR->getBaseRegion() == FR)
    return nullptr;
  return FR;
}

// Whether a field of type \p T can get a fresh value of its own: a scalar (a
// conjured symbol) or a complete struct (a fresh default binding from which
// its fields' values derive). Arrays, unions and incomplete types are
// invalidated as the engine would.
static bool freshable(QualType T) {
  if (SymbolManager::canSymbolicate(T))
    return true;
  const auto *RT = T->getAs<RecordType>();
  return RT && RT->getDecl()->isStruct() && RT->getDecl()->getDefinition();
}

static ProgramStateRef freshField(ProgramStateRef State, const FieldRegion *FR,
                                  const CallExpr *CE, CheckerContext &C) {
  QualType T = FR->getValueType();
  // A struct gets the engine's own convention for an invalidated struct: a
  // default binding to a conjured int. The symbol is tagged by the region,
  // so two fields of one type get distinct values.
  if (!SymbolManager::canSymbolicate(T))
    T = C.getASTContext().IntTy;
  const LocationContext *LC = C.getLocationContext();
  SVal V = C.getSValBuilder().conjureSymbolVal(FR, CE, LC, T, C.blockCount());
  return State->bindLoc(loc::MemRegionVal(FR), V, LC);
}

bool AnnotatedCallsChecker::evalCall(const CallEvent &Call,
                                     CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return false;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.isContract())
    return false;
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  if (!CE)
    return false;
  const LocationContext *LC = C.getLocationContext();
  int Same = returnedArg(Call, FI);
  SVal Ret = Same >= 0 ? Call.getArgSVal(Same) : UnknownVal();

  SmallVector<SVal, 8> Whole;
  SmallVector<const FieldRegion *, 4> Fields;
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    SVal V = Call.getArgSVal(I);
    if (!V.getAsRegion())
      continue;
    QualType PT = I < FD->getNumParams()
                      ? FD->getParamDecl(I)->getType()
                      : Call.getArgExpr(I)->IgnoreParenImpCasts()->getType();
    // Read only: nothing to forget.
    if (PT->isPointerType() && PT->getPointeeType().isConstQualified())
      continue;
    const FieldRegion *FR = fieldOf(V);
    if (FR && freshable(FR->getValueType()))
      Fields.push_back(FR);
    else
      Whole.push_back(V);
  }
  ProgramStateRef State = C.getState()->invalidateRegions(
      Whole, CE, C.blockCount(), LC, /*CausesPointerEscape=*/true,
      /*IS=*/nullptr, &Call);
  for (const FieldRegion *FR : Fields)
    State = freshField(State, FR, CE, C);

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
