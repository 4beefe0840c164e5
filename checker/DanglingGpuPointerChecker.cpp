// SPDX-License-Identifier: MIT
//===- DanglingGpuPointerChecker.cpp - gpuown.DanglingGpuPointer ----------===//
//
// Rules:
//   - a GPU pointer to object T is stored into container S, then T is freed
//     (or unmapped) while S still holds it: S is alive (not freed), and the
//     pointer was not cleared or overwritten;
//   - S is published (or shared) while a pointer it holds leads to a freed
//     object, or to an object still being built: CPU-mapped and neither
//     published nor shared yet.
//
// Stores are seen in two forms: a call whose parameters are marked
// __gpuown_store_container / __gpuown_store_target (offset: the integer
// argument), and a direct write of a strong gpu_ptr(T) / fw_ptr(T) field (or a
// field annotated __gpuown_gpu_addr / __gpuown_fw_addr) through the
// container's CPU address. The engine treats a value stored into the heap as
// escaped and forgets about it, so this checker records every edge itself.
//
//                 store (fn or field write)         clear / overwrite
//   (no edge) ----------------------------> S --> T ------------------> (no
//   edge)
//                                           |   |
//                         free/unmap T      |   | publish S
//                         while S alive     |   | while T freed / being built
//                                           v   v
//                                       Dangling (REPORT)
//
//   S freed or handed to unknown code: its edges are dropped.
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"
#include "GpuownChecks.h"
#include "GpuownState.h"
#include "GpuownViolations.h"

#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ConstraintManager.h"

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

struct Edge {
  SymbolRef Container, Target;
  int64_t Offset;    // bytes from the container's start; -1: unknown
  const Expr *Where; // names the slot, for messages

  bool operator==(const Edge &O) const {
    return Container == O.Container && Target == O.Target &&
           Offset == O.Offset && Where == O.Where;
  }
  bool operator<(const Edge &O) const {
    return std::tie(Container, Target, Offset, Where) <
           std::tie(O.Container, O.Target, O.Offset, O.Where);
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddPointer(Container);
    ID.AddPointer(Target);
    ID.AddInteger(Offset);
    ID.AddPointer(Where);
  }
};

enum class TStatus : unsigned char { Built, CpuMapped, Published, Freed };

class DanglingGpuPointerChecker
    : public Checker<check::PreCall, check::PostCall, check::Bind,
                     check::DeadSymbols, check::PointerEscape, eval::Assume> {
public:
  bool UnknownCallsDropEdges = true;

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkBind(SVal L, SVal V, const Stmt *S, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  ProgramStateRef checkPointerEscape(ProgramStateRef State,
                                     const InvalidatedSymbols &Escaped,
                                     const CallEvent *Call,
                                     PointerEscapeKind Kind) const;
  ProgramStateRef evalAssume(ProgramStateRef State, SVal Cond,
                             bool Assumption) const;

private:
  BugType FreedBT{this, violation::DANGLING_AT_FREE,
                  "gpuown dangling GPU pointer"};
  BugType PublishBT{this, "Published struct holds a bad GPU pointer",
                    "gpuown dangling GPU pointer"};
  AnnotationCache Annots;

  bool checkFreeTarget(const CallEvent &Call, unsigned I, bool Unmap,
                       CheckerContext &C) const;
  bool checkPublishContainer(const CallEvent &Call, unsigned I,
                             CheckerContext &C) const;
  void report(CheckerContext &C, const BugType &BT, std::string Msg,
              const Edge &E, SourceRange R) const;
  ProgramStateRef addEdge(ProgramStateRef State, Edge E) const;
  ProgramStateRef clearSlot(ProgramStateRef State, SymbolRef Container,
                            int64_t Offset) const;
  const NoteTag *storeNote(CheckerContext &C, SymbolRef Target,
                           std::string Slot) const;
  std::string name() const { return getCheckerName().getName().str(); }
};

} // namespace

REGISTER_SET_WITH_PROGRAMSTATE(EdgeSet, Edge)
// Store call's return value -> the edge it made, until the value is tested:
// a store that returned an error stored nothing.
REGISTER_MAP_WITH_PROGRAMSTATE(StoreUndo, SymbolRef, Edge)
REGISTER_MAP_WITH_PROGRAMSTATE(TargetMap, SymbolRef, unsigned)

void DanglingGpuPointerChecker::report(CheckerContext &C, const BugType &BT,
                                       std::string Msg, const Edge &E,
                                       SourceRange R) const {
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Rep = std::make_unique<PathSensitiveBugReport>(BT, Msg, N);
  Rep->addRange(R);
  Rep->markInteresting(E.Target);
  C.emitReport(std::move(Rep));
}

bool DanglingGpuPointerChecker::checkFreeTarget(const CallEvent &Call,
                                                unsigned I, bool Unmap,
                                                CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  const FunctionDecl *FD = calleeDecl(Call);
  ObjRef T = resolveArg(Call, I, FD ? Annots.get(FD).roles(I) : 0, State);
  if (!T)
    return false;
  for (const Edge &E : State->get<EdgeSet>()) {
    if (E.Target != T.Obj || E.Container == T.Obj)
      continue;
    std::string Slot = exprText(E.Where, C.getASTContext());
    report(C, FreedBT,
           std::string("GPU object ") + (Unmap ? "unmapped" : "freed") +
               " while '" + Slot + "' still holds a GPU pointer to it",
           E, Call.getArgSourceRange(I));
    return true;
  }
  return false;
}

bool DanglingGpuPointerChecker::checkPublishContainer(const CallEvent &Call,
                                                      unsigned I,
                                                      CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  ObjRef S = resolve(Call.getArgSVal(I), State);
  if (!S)
    return false;
  for (const Edge &E : State->get<EdgeSet>()) {
    if (E.Container != S.Obj)
      continue;
    const unsigned *T = State->get<TargetMap>(E.Target);
    if (!T ||
        (*T != (unsigned)TStatus::Freed && *T != (unsigned)TStatus::CpuMapped))
      continue;
    std::string Slot = exprText(E.Where, C.getASTContext());
    std::string Msg =
        *T == (unsigned)TStatus::Freed
            ? "GPU object published while '" + Slot +
                  "' points at a freed object"
            : "GPU object published while '" + Slot +
                  "' points at an object still being built (CPU-owned, not "
                  "yet published)";
    report(C, PublishBT, Msg, E, Call.getArgSourceRange(I));
    return true;
  }
  return false;
}

void DanglingGpuPointerChecker::checkPreCall(const CallEvent &Call,
                                             CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  const FnInfo &FI = Annots.get(FD);
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    unsigned Roles = FI.roles(I);
    if ((Roles & (PR_Free | PR_Unmap)) &&
        checkFreeTarget(Call, I, !(Roles & PR_Free), C))
      return;
    if ((Roles & (PR_Publish | PR_Share)) && checkPublishContainer(Call, I, C))
      return;
  }
}

ProgramStateRef DanglingGpuPointerChecker::addEdge(ProgramStateRef State,
                                                   Edge E) const {
  State = clearSlot(State, E.Container, E.Offset);
  // While the container is named, its target matters too.
  State->getStateManager().getSymbolManager().addSymbolDependency(E.Container,
                                                                  E.Target);
  return State->add<EdgeSet>(E);
}

ProgramStateRef DanglingGpuPointerChecker::clearSlot(ProgramStateRef State,
                                                     SymbolRef Container,
                                                     int64_t Offset) const {
  for (const Edge &E : State->get<EdgeSet>())
    if (E.Container == Container &&
        (Offset < 0 || E.Offset < 0 || E.Offset == Offset))
      State = State->remove<EdgeSet>(E);
  return State;
}

const NoteTag *DanglingGpuPointerChecker::storeNote(CheckerContext &C,
                                                    SymbolRef Target,
                                                    std::string Slot) const {
  return objectNote(C, name(), Target,
                    "GPU pointer to the object stored into '" + Slot +
                        "' here");
}

// The integer argument of a store/clear call: the slot's offset.
static int64_t offsetArg(const CallEvent &Call) {
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    if (!Call.getArgExpr(I)->getType()->isIntegerType())
      continue;
    if (auto CI = Call.getArgSVal(I).getAs<nonloc::ConcreteInt>())
      return CI->getValue().getExtValue();
    return -1;
  }
  return -1;
}

void DanglingGpuPointerChecker::checkPostCall(const CallEvent &Call,
                                              CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  ProgramStateRef State = recordAddress(Call, FI, C.getState());
  // An analyzed body already did what the annotations say, on each path.
  if (C.wasInlined) {
    if (State != C.getState())
      C.addTransition(State);
    return;
  }
  int Mapped = FI.RetCpuAddr ? FI.AddrOf : -1;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I)
    if (FI.roles(I) & PR_CpuBegin)
      Mapped = I;
  if (Mapped >= 0) {
    ObjRef O = resolve(Call.getArgSVal(Mapped), State);
    const unsigned *T = O ? State->get<TargetMap>(O.Obj) : nullptr;
    if (T && *T == (unsigned)TStatus::Built)
      State = State->set<TargetMap>(O.Obj, (unsigned)TStatus::CpuMapped);
  }
  if (FI.RetAlloc)
    if (SymbolRef Ret = Call.getReturnValue().getAsSymbol())
      State = State->set<TargetMap>(Ret, (unsigned)TStatus::Built);
  int Container = -1, Target = -1;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    unsigned Roles = FI.roles(I);
    if (Roles & PR_AllocOut) {
      SymbolRef Obj = allocOutSymbol(Call, I, State);
      bool Handed = Roles & (PR_Publish | PR_Share);
      if (Obj)
        State = State->set<TargetMap>(
            Obj, (unsigned)(Handed ? TStatus::Published : TStatus::Built));
      continue;
    }
    if (Roles & PR_StoreContainer)
      Container = I;
    if (Roles & PR_StoreTarget)
      Target = I;
    ObjRef O = resolveArg(Call, I, Roles, State);
    if (!O)
      continue;
    if (Roles & (PR_Free | PR_Unmap)) {
      State = State->set<TargetMap>(O.Obj, (unsigned)TStatus::Freed);
      State = clearSlot(State, O.Obj, -1);
    }
    if (Roles & (PR_Publish | PR_Share | PR_FwGet))
      State = State->set<TargetMap>(O.Obj, (unsigned)TStatus::Published);
    if (Roles & PR_StoreClear)
      State = clearSlot(State, O.Obj, offsetArg(Call));
  }
  const NoteTag *Tag = nullptr;
  if (Container >= 0 && Target >= 0) {
    ObjRef S = resolve(Call.getArgSVal(Container), State);
    ObjRef T = resolve(Call.getArgSVal(Target), State);
    if (S && T && S.Obj != T.Obj) {
      Edge E{S.Obj, T.Obj, offsetArg(Call), Call.getArgExpr(Container)};
      State = addEdge(State, E);
      SymbolRef Ret = Call.getReturnValue().getAsSymbol();
      if (Ret && Call.getResultType()->isIntegerType())
        State = State->set<StoreUndo>(Ret, E);
      Tag = storeNote(C, T.Obj,
                      exprText(Call.getArgExpr(Container), C.getASTContext()));
    }
  }
  if (State != C.getState())
    C.addTransition(State, Tag);
}

// The strong-pointer slot a store writes: a gpu_ptr(T)/fw_ptr(T) struct, its
// address member, or an annotated address field. Null when not a slot.
static const SubRegion *strongSlot(const MemRegion *R) {
  const auto *TR = dyn_cast_or_null<TypedValueRegion>(R);
  if (!TR)
    return nullptr;
  PtrKind K = getPtrKind(TR->getValueType());
  if (K == PtrKind::GpuStrong || K == PtrKind::FwStrong)
    return TR;
  const auto *FR = dyn_cast<FieldRegion>(R);
  if (!FR)
    return nullptr;
  if (hasAnnotation(FR->getDecl(), "gpu_addr") ||
      hasAnnotation(FR->getDecl(), "fw_addr"))
    return FR;
  return strongSlot(FR->getSuperRegion()) ? FR : nullptr;
}

// The address a stored value carries: the member of a gpu_ptr(T) struct.
static SVal slotValue(SVal V, CheckerContext &C) {
  if (auto LCV = V.getAs<nonloc::LazyCompoundVal>()) {
    const TypedValueRegion *Src = LCV->getRegion();
    const RecordDecl *RD = Src->getValueType()->getAsRecordDecl();
    if (!RD || RD->field_empty())
      return UnknownVal();
    MemRegionManager &MRM = C.getSValBuilder().getRegionManager();
    const FieldRegion *FR = MRM.getFieldRegion(*RD->field_begin(), Src);
    return C.getStoreManager().getBinding(LCV->getStore(),
                                          loc::MemRegionVal(FR));
  }
  if (auto CV = V.getAs<nonloc::CompoundVal>())
    return CV->begin() != CV->end() ? *CV->begin() : UnknownVal();
  return V;
}

void DanglingGpuPointerChecker::checkBind(SVal L, SVal V, const Stmt *S,
                                          CheckerContext &C) const {
  const SubRegion *Slot = strongSlot(L.getAsRegion());
  if (!Slot)
    return;
  // A member write inside a gpu_ptr struct: the slot is the struct.
  if (const auto *FR = dyn_cast<FieldRegion>(Slot))
    if (const SubRegion *Outer = strongSlot(FR->getSuperRegion()))
      Slot = Outer;
  ProgramStateRef State = C.getState();
  ObjRef S0 = resolve(loc::MemRegionVal(Slot), State);
  if (!S0)
    return;
  RegionOffset Off = Slot->getAsOffset();
  int64_t Offset = Off.isValid() && !Off.hasSymbolicOffset()
                       ? Off.getOffset() / C.getASTContext().getCharWidth()
                       : -1;
  ObjRef T = resolve(slotValue(V, C), State);
  if (!T || T.Kind == AddrKind::Handle || T.Obj == S0.Obj) {
    State = clearSlot(State, S0.Obj, Offset);
    if (State != C.getState())
      C.addTransition(State);
    return;
  }
  const Expr *Where = nullptr;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(S))
    Where = BO->getLHS();
  else
    Where = dyn_cast_or_null<Expr>(S);
  State = addEdge(State, Edge{S0.Obj, T.Obj, Offset, Where});
  C.addTransition(State,
                  storeNote(C, T.Obj, exprText(Where, C.getASTContext())));
}

ProgramStateRef DanglingGpuPointerChecker::evalAssume(ProgramStateRef State,
                                                      SVal Cond,
                                                      bool Assumption) const {
  ConstraintManager &CM = State->getConstraintManager();
  for (const auto &U : State->get<StoreUndo>()) {
    ConditionTruthVal Ok = CM.isNull(State, U.first);
    if (!Ok.isConstrained())
      continue;
    State = State->remove<StoreUndo>(U.first);
    if (Ok.isConstrainedFalse())
      State = State->remove<EdgeSet>(U.second);
  }
  return State;
}

void DanglingGpuPointerChecker::checkDeadSymbols(SymbolReaper &SR,
                                                 CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  // A container the function no longer names still exists (the caller, or
  // a leak, holds it) and still points at the target: only an edge whose
  // target can no longer be freed here is dropped.
  for (const Edge &E : State->get<EdgeSet>())
    if (SR.isDead(E.Target))
      State = State->remove<EdgeSet>(E);
  for (const auto &E : State->get<TargetMap>())
    if (SR.isDead(E.first))
      State = State->remove<TargetMap>(E.first);
  for (const auto &U : State->get<StoreUndo>())
    if (SR.isDead(U.first))
      State = State->remove<StoreUndo>(U.first);
  State = reapAddresses(State, SR);
  C.addTransition(State);
}

ProgramStateRef DanglingGpuPointerChecker::checkPointerEscape(
    ProgramStateRef State, const InvalidatedSymbols &Escaped,
    const CallEvent *Call, PointerEscapeKind Kind) const {
  if (!Call || !UnknownCallsDropEdges)
    return State;
  if (const FunctionDecl *FD = calleeDecl(*Call))
    if (Annots.get(FD).Any)
      return State;
  // Code we cannot see may have cleared the pointers or freed the container.
  for (SymbolRef Sym : Escaped) {
    State = clearSlot(State, Sym, -1);
    State = State->remove<TargetMap>(Sym);
  }
  return State;
}

void gpuown::registerDanglingGpuPointerChecker(CheckerManager &Mgr) {
  DanglingGpuPointerChecker *Chk =
      Mgr.registerChecker<DanglingGpuPointerChecker>();
  Chk->UnknownCallsDropEdges = Mgr.getAnalyzerOptions().getCheckerBooleanOption(
      Chk, "UnknownCallsDropEdges");
}
