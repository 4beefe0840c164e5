//===- MappingChecker.cpp - gpuown.Mapping --------------------------------===//
//
// Rules (functions are found by their annotations only):
//   - an object unmapped from a GPU VM (__gpuown_vm_unmaps) keeps its
//     translation in the GPU's TLB until a function marked
//     __gpuown_tlb_invalidates runs: freeing it (__gpuown_frees, which is
//     also how pages go back to a pool for reuse) before that is reported;
//   - a path of the analyzed function that unmapped an object and never
//     invalidated is reported at its end (option ReportMissingInvalidate).
// An int-returning unmap that failed (returned non-zero) unmapped nothing.
// The range checks of a map (__gpuown_maps longer than the object) are in
// gpuown.AddressSpace, which knows object sizes.
//
//   mapped --vm_unmap--> PENDING --tlb_invalidate--> (gone)
//                          |  \
//                     free |   \ end of the analyzed function
//                          v    v
//                        REPORT REPORT
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"
#include "GpuownChecks.h"
#include "GpuownState.h"

#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

class MappingChecker
    : public Checker<check::PreCall, check::PostCall, check::EndFunction,
                     check::DeadSymbols> {
public:
  bool ReportMissingInvalidate = true;

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;

private:
  BugType FreeBT{this, "GPU object freed before the TLB invalidate",
                 "gpuown mapping error"};
  BugType MissingBT{this, "Unmap without a TLB invalidate",
                    "gpuown mapping error"};
  AnnotationCache Annots;
};

} // namespace

// Unmapped object -> the unmap's int result (null: void, or known to have
// succeeded).
REGISTER_MAP_WITH_PROGRAMSTATE(PendingMap, SymbolRef, SymbolRef)

// Did the unmap really happen on this path?
static bool unmapped(ProgramStateRef State, SymbolRef Ret) {
  return !Ret ||
         !State->getConstraintManager().isNull(State, Ret).isConstrainedFalse();
}

void MappingChecker::checkPreCall(const CallEvent &Call,
                                  CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any || !FI.hasRole(PR_Free))
    return;
  ProgramStateRef State = C.getState();
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    if (!(FI.roles(I) & PR_Free))
      continue;
    ObjRef O = resolveArg(Call, I, FI.roles(I), State);
    const SymbolRef *Ret = O ? State->get<PendingMap>(O.Obj) : nullptr;
    if (!Ret || !unmapped(State, *Ret))
      continue;
    emitReport(C, FreeBT,
               "Free of a GPU object whose unmapped translation may still "
               "be live in the GPU TLB (no invalidate since the unmap)",
               O.Obj, Call.getArgSourceRange(I), /*Sink=*/true);
    return;
  }
}

void MappingChecker::checkPostCall(const CallEvent &Call,
                                   CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  ProgramStateRef State = C.getState();
  if (FI.TlbInvalidate) {
    State = State->remove<PendingMap>();
    if (State != C.getState())
      C.addTransition(State);
    return;
  }
  if (!FI.hasAddrRole(AR_VmUnmap))
    return;
  SVal RetV = Call.getReturnValue();
  bool IntRet = Call.getResultType()->isIntegerType();
  if (IntRet && RetV.isConstant() && !RetV.isZeroConstant())
    return; // the unmap failed: nothing changed
  SymbolRef Ret = IntRet ? RetV.getAsSymbol() : nullptr;
  SymbolRef NoteSym = nullptr;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    if (!(FI.Params[I].AddrRoles & AR_VmUnmap))
      continue;
    if (ObjRef O = resolve(Call.getArgSVal(I), State)) {
      State = State->set<PendingMap>(O.Obj, Ret);
      NoteSym = O.Obj;
    }
  }
  if (!NoteSym)
    return;
  C.addTransition(State, objectNote(C, getCheckerName().getName(), NoteSym,
                                    "GPU object unmapped here; its "
                                    "translation stays live until a TLB "
                                    "invalidate"));
}

void MappingChecker::checkEndFunction(const ReturnStmt *RS,
                                      CheckerContext &C) const {
  if (!ReportMissingInvalidate || !C.inTopFrame())
    return;
  ProgramStateRef State = C.getState();
  for (const auto &E : State->get<PendingMap>()) {
    if (!unmapped(State, E.second))
      continue;
    emitReport(C, MissingBT,
               "GPU object unmapped from a GPU VM, but the TLB is never "
               "invalidated on this path",
               E.first, RS ? RS->getSourceRange() : SourceRange(),
               /*Sink=*/false);
    return;
  }
}

void MappingChecker::checkDeadSymbols(SymbolReaper &SR,
                                      CheckerContext &C) const {
  // The object may die before the invalidate: the entry stays until the
  // invalidate or the end of the function. Its unmap's result is decided
  // once, while its constraints are known.
  ProgramStateRef State = C.getState();
  for (const auto &E : State->get<PendingMap>()) {
    if (!E.second || !SR.isDead(E.second))
      continue;
    State = unmapped(State, E.second) ? State->set<PendingMap>(E.first, nullptr)
                                      : State->remove<PendingMap>(E.first);
  }
  if (State != C.getState())
    C.addTransition(State);
}

void gpuown::registerMappingChecker(CheckerManager &Mgr) {
  MappingChecker *Chk = Mgr.registerChecker<MappingChecker>();
  Chk->ReportMissingInvalidate = Mgr.getAnalyzerOptions().getCheckerBooleanOption(
      Chk, "ReportMissingInvalidate");
}
