//===- CoherencyChecker.cpp - gpuown.Coherency ----------------------------===//
//
// Rules (functions are found by their annotations only):
//   - an object whose CPU mapping is non-coherent (a function marked
//     __gpuown_mapping(noncoherent) returned it, or returned its CPU
//     address) and that the CPU wrote (a store, memcpy/memset/memmove) must
//     be synced for the device (a call with a __gpuown_syncs_for_device
//     parameter: dma_sync_*_for_device, the driver's clflush) before it is
//     handed over: published, shared, given another firmware hold, or named
//     by address to a __gpuown_publishes_addr parameter or field.
// Write-combined and uncached mappings need no cache maintenance and are
// not reported.
//
//   noncoherent --CPU write--> DIRTY --sync_for_device--> clean
//                                |
//                   hand-over    v
//                             REPORT
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"
#include "GpuownChecks.h"
#include "GpuownState.h"

#include "clang/Basic/Builtins.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

class CoherencyChecker
    : public Checker<check::PreCall, check::PostCall, check::Bind,
                     check::DeadSymbols> {
public:
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkBind(SVal L, SVal V, const Stmt *S, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;

private:
  BugType SyncBT{this, "Hand-over without a sync for the device",
                 "gpuown coherency error"};
  AnnotationCache Annots;

  void cpuWrite(SVal Dst, CheckerContext &C) const;
  bool checkHandover(SymbolRef Obj, SourceRange R, CheckerContext &C) const;
};

} // namespace

// Objects whose CPU mapping is non-coherent.
REGISTER_SET_WITH_PROGRAMSTATE(NonCoherentSet, SymbolRef)
// Of those, the ones the CPU wrote since the last sync for the device.
REGISTER_SET_WITH_PROGRAMSTATE(DirtySet, SymbolRef)

static bool isLibraryWrite(const FunctionDecl *FD) {
  if (!FD->getIdentifier())
    return false;
  switch (FD->getBuiltinID()) {
  case Builtin::BImemcpy:
  case Builtin::BImemmove:
  case Builtin::BImemset:
  case Builtin::BI__builtin_memcpy:
  case Builtin::BI__builtin_memmove:
  case Builtin::BI__builtin_memset:
    return true;
  default:
    break;
  }
  return llvm::StringSwitch<bool>(FD->getName())
      .Cases("memcpy", "memmove", "memset", true)
      .Default(false);
}

void CoherencyChecker::cpuWrite(SVal Dst, CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  ObjRef O = resolve(Dst, State);
  if (!O || (O.Kind != AddrKind::Cpu && O.Kind != AddrKind::Handle) ||
      !State->contains<NonCoherentSet>(O.Obj) ||
      State->contains<DirtySet>(O.Obj))
    return;
  C.addTransition(State->add<DirtySet>(O.Obj),
                  objectNote(C, getCheckerName().getName(), O.Obj,
                             "CPU write through the non-coherent mapping "
                             "here"));
}

bool CoherencyChecker::checkHandover(SymbolRef Obj, SourceRange R,
                                     CheckerContext &C) const {
  if (!Obj || !C.getState()->contains<DirtySet>(Obj))
    return false;
  emitReport(C, SyncBT,
             "GPU object handed to the device after a CPU write through a "
             "non-coherent mapping, without a sync for the device",
             Obj, R, /*Sink=*/true);
  return true;
}

void CoherencyChecker::checkPreCall(const CallEvent &Call,
                                    CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  if (isLibraryWrite(FD) && Call.getNumArgs() >= 3)
    return cpuWrite(Call.getArgSVal(0), C);
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  ProgramStateRef State = C.getState();
  const unsigned HandOver = PR_Publish | PR_Share | PR_FwGet;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    SourceRange R = Call.getArgSourceRange(I);
    if (FI.roles(I) & HandOver)
      if (checkHandover(resolve(Call.getArgSVal(I), State).Obj, R, C))
        return;
    if (!(FI.Params[I].AddrRoles & AR_PublishAddr))
      continue;
    SmallVector<SymbolRef, 4> Objs;
    addressedObjects(Call.getArgSVal(I), State, C.getASTContext(), Objs);
    for (SymbolRef Obj : Objs)
      if (checkHandover(Obj, R, C))
        return;
  }
}

void CoherencyChecker::checkPostCall(const CallEvent &Call,
                                     CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  // The shared address map may be this checker's only writer.
  ProgramStateRef State = recordAddress(Call, FI, C.getState());
  if (FI.Mapping == "noncoherent") {
    SymbolRef Obj = nullptr;
    if (FI.RetAlloc)
      Obj = Call.getReturnValue().getAsSymbol();
    else if (FI.AddrOf >= 0 && (unsigned)FI.AddrOf < Call.getNumArgs())
      Obj = resolve(Call.getArgSVal(FI.AddrOf), State).Obj;
    if (Obj)
      State = State->add<NonCoherentSet>(Obj);
  }
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    if (!(FI.Params[I].AddrRoles & AR_SyncForDevice))
      continue;
    // The object, its CPU address, or its bus address (dma_addr_t).
    SVal V = Call.getArgSVal(I);
    if (ObjRef O = resolve(V, State))
      State = State->remove<DirtySet>(O.Obj);
    if (AddrInfo AI = addressOf(V, State); AI.Obj)
      State = State->remove<DirtySet>(AI.Obj);
  }
  if (State != C.getState())
    C.addTransition(State);
}

void CoherencyChecker::checkBind(SVal L, SVal V, const Stmt *S,
                                 CheckerContext &C) const {
  const auto *FR = dyn_cast_or_null<FieldRegion>(L.getAsRegion());
  if (FR && hasAnnotation(FR->getDecl(), "publish_addr"))
    if (checkHandover(addressOf(V, C.getState()).Obj,
                      S ? S->getSourceRange() : SourceRange(), C))
      return;
  cpuWrite(L, C);
}

void CoherencyChecker::checkDeadSymbols(SymbolReaper &SR,
                                        CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  for (SymbolRef S : State->get<NonCoherentSet>())
    if (SR.isDead(S))
      State = State->remove<NonCoherentSet>(S);
  for (SymbolRef S : State->get<DirtySet>())
    if (SR.isDead(S))
      State = State->remove<DirtySet>(S);
  State = reapAddresses(State, SR);
  if (State != C.getState())
    C.addTransition(State);
}

void gpuown::registerCoherencyChecker(CheckerManager &Mgr) {
  Mgr.registerChecker<CoherencyChecker>();
}
