// SPDX-License-Identifier: MIT
//===- OwnershipChecker.cpp - gpuown.Ownership ----------------------------===//
//
// Rules (functions are found by their annotations only):
//   - CPU write through the object's CPU address while the firmware owns it;
//     CPU read of data the firmware writes (a __gpuown_fw_writes field, or a
//     struct of class fw(write|rw)) while the firmware owns it;
//     plain CPU access to a firmware-written field of a shared object;
//   - a CPU write window (__gpuown_cpu_begin with the write bit) opened on a
//     firmware-owned object;
//   - free while firmware-owned, or while shared and not yet detached;
//   - publish twice; share of a firmware-owned object;
//   - reclaim (or an extra firmware hold) of an object that was not published;
//     reclaim on a path where the completion check (__gpuown_fence_reached)
//     of its __gpuown_completes fence returned 0;
//   - a parameter marked __gpuown_requires(st) in another known state;
//   - driver lifecycles (GPUOWN_LIFECYCLE): a transition the lifecycle does
//     not declare, a transition from a state the object is not in, an
//     operation (__gpuown_in_state) not permitted in the current state.
//     From-lists ("a|b") and "*" (any state) are accepted; an int-returning
//     function moves the object only where it returned 0; a parameter or
//     field marked __gpuown_lc_state(lc, st) starts in st;
//   - a free of a GPU object a lifecycle object holds (__gpuown_holds field)
//     while that object is in one of the holding states;
//   - hand-over by address: an object whose GPU/firmware address reaches a
//     __gpuown_publishes_addr parameter or field is firmware-owned from then
//     on (repeating the address is not a second publish);
//   - CPU writes by memcpy/memset/memmove into a firmware-owned object.
//
// Objects whose state this path has not seen (a parameter, an object from an
// unknown call) are not reported: their first operation teaches the state.
//
//        alloc            publish            fw_get
//   ------------> CPU ------------> FW(1) ---------> FW(n+1)
//                 ^ | \     <------         <-------
//                 | |  \    reclaim(n==1)   reclaim(n>1)
//          detach | |   \ free          FW: publish, free, CPU write,
//    (->Detached) | |    v              read of fw-written data (REPORT)
//                 | |   (gone)
//           share | v
//               SHARED --- free before detach (REPORT)
//
//   lifecycle L:  s0 --transition(L,a,b)--> ...  (a != current: REPORT)
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

#include "clang/Basic/Builtins.h"
#include "llvm/ADT/StringSwitch.h"

#include <cstring>
#include <tuple>

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

struct OwnState {
  enum Kind { Cpu, Fw, Shared, Detached } K;
  unsigned Holders; // firmware holders; 0: at least one, count unknown

  bool operator==(const OwnState &O) const {
    return K == O.K && Holders == O.Holders;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddInteger(Holders);
  }
};

// What to restore when an operation's return value turns out non-zero.
struct Undo {
  SymbolRef Ret, Obj;
  OwnState Old;
  bool HadOld;
  bool operator==(const Undo &O) const {
    return Ret == O.Ret && Obj == O.Obj && Old == O.Old && HadOld == O.HadOld;
  }
  bool operator<(const Undo &O) const {
    return std::tie(Ret, Obj, Old.K, Old.Holders, HadOld) <
           std::tie(O.Ret, O.Obj, O.Old.K, O.Old.Holders, O.HadOld);
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddPointer(Ret);
    ID.AddPointer(Obj);
    Old.Profile(ID);
    ID.AddBoolean(HadOld);
  }
};

struct LcState {
  std::string Lifecycle, State;
  bool operator==(const LcState &O) const {
    return Lifecycle == O.Lifecycle && State == O.State;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddString(Lifecycle);
    ID.AddString(State);
  }
};

// A lifecycle step to undo when an int-returning operation failed.
struct LcUndo {
  SymbolRef Ret;
  const MemRegion *R;
  LcState Old;
  bool HadOld;
  bool operator==(const LcUndo &O) const {
    return Ret == O.Ret && R == O.R && Old == O.Old && HadOld == O.HadOld;
  }
  bool operator<(const LcUndo &O) const {
    return std::tie(Ret, R, Old.Lifecycle, Old.State, HadOld) <
           std::tie(O.Ret, O.R, O.Old.Lifecycle, O.Old.State, O.HadOld);
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddPointer(Ret);
    ID.AddPointer(R);
    Old.Profile(ID);
    ID.AddBoolean(HadOld);
  }
};

class OwnershipChecker
    : public Checker<check::PreCall, check::PostCall, check::Location,
                     check::Bind, check::DeadSymbols, check::LiveSymbols,
                     check::PointerEscape, eval::Assume> {
public:
  bool CheckReads = true;

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkLocation(SVal L, bool IsLoad, const Stmt *S,
                     CheckerContext &C) const;
  void checkBind(SVal L, SVal V, const Stmt *S, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  void checkLiveSymbols(ProgramStateRef State, SymbolReaper &SR) const;
  ProgramStateRef checkPointerEscape(ProgramStateRef State,
                                     const InvalidatedSymbols &Escaped,
                                     const CallEvent *Call,
                                     PointerEscapeKind Kind) const;
  ProgramStateRef evalAssume(ProgramStateRef State, SVal Cond,
                             bool Assumption) const;

private:
  BugType AccessBT{this, "CPU access to a firmware-owned GPU object",
                   "gpuown ownership error"};
  BugType TransitionBT{this, violation::ILLEGAL_TRANSITION,
                       "gpuown ownership error"};
  BugType StateBT{this, "GPU object in the wrong ownership state",
                  "gpuown ownership error"};
  BugType LifecycleBT{this, violation::LIFECYCLE_ILLEGAL,
                      "gpuown lifecycle error"};
  BugType HoldsBT{this, "Free of a GPU object a lifecycle object holds",
                  "gpuown lifecycle error"};
  AnnotationCache Annots;
  LifecycleTable Lifecycles;

  bool checkObjectArg(const CallEvent &Call, unsigned I, const ParamInfo &P,
                      CheckerContext &C) const;
  bool checkLifecycleArg(const CallEvent &Call, const LifecycleOp &Op,
                         const MemRegion *R, SourceRange Range,
                         CheckerContext &C) const;
  ProgramStateRef applyObjectRoles(const CallEvent &Call, const FnInfo &FI,
                                   ProgramStateRef State, std::string &Note,
                                   SymbolRef &NoteSym) const;
  ProgramStateRef applyLifecycle(const LifecycleOp &Op, const MemRegion *R,
                                 ProgramStateRef State,
                                 const ASTContext &Ctx) const;
  void reportAccess(CheckerContext &C, std::string Msg, SymbolRef Sym,
                    const Stmt *S) const;
  bool checkHolds(SVal Freed, SourceRange Range, CheckerContext &C) const;
  bool checkLibraryWrite(const CallEvent &Call, CheckerContext &C) const;
  ProgramStateRef publishByAddress(SymbolRef Obj, SymbolRef Ret,
                                   ProgramStateRef State) const;
  const BugType &bugType(const char *Kind) const;
  std::string name() const { return getCheckerName().getName().str(); }
};

} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(OwnMap, SymbolRef, OwnState)
REGISTER_SET_WITH_PROGRAMSTATE(OwnUndo, Undo)
REGISTER_MAP_WITH_PROGRAMSTATE(LcMap, const MemRegion *, LcState)
REGISTER_SET_WITH_PROGRAMSTATE(LcUndoSet, LcUndo)
// GPU object -> the lifecycle object whose __gpuown_holds field it was
// stored into (recorded at the store: later opaque calls forget the field).
struct HeldBy {
  const MemRegion *Owner;
  const FieldDecl *Field;
  bool operator==(const HeldBy &O) const {
    return Owner == O.Owner && Field == O.Field;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddPointer(Owner);
    ID.AddPointer(Field);
  }
};
REGISTER_MAP_WITH_PROGRAMSTATE(HeldMap, SymbolRef, HeldBy)
// Fence region -> value returned by the last completion check on it.
REGISTER_MAP_WITH_PROGRAMSTATE(FenceMap, const MemRegion *, SymbolRef)

static const char *stateWord(OwnState::Kind K) {
  switch (K) {
  case OwnState::Cpu:
    return "CPU-owned";
  case OwnState::Fw:
    return "firmware-owned";
  case OwnState::Shared:
    return "shared";
  case OwnState::Detached:
    return "shared (detached)";
  }
  return "?";
}

// The object a lifecycle operation concerns: the region the argument points
// to (a heap object, a local, an embedded struct such as &guc->ct).
static const MemRegion *lcRegion(SVal V) {
  const MemRegion *R = V.getAsRegion();
  if (!R)
    return nullptr;
  R = R->StripCasts();
  if (const auto *ER = dyn_cast<ElementRegion>(R))
    if (ER->getIndex().isZeroConstant())
      R = ER->getSuperRegion()->StripCasts();
  return R;
}

// The declaration a region's initial contents come from: the field of an
// embedded struct (&guc->ct), or the parameter or field whose initial value
// is the pointer to a symbolic object (ct, guc->ct).
static const Decl *originDecl(const MemRegion *R) {
  if (const auto *FR = dyn_cast<FieldRegion>(R))
    return FR->getDecl();
  const auto *SR = dyn_cast<SymbolicRegion>(R);
  if (!SR)
    return nullptr;
  const MemRegion *From = nullptr;
  if (const auto *RV = dyn_cast<SymbolRegionValue>(SR->getSymbol()))
    From = RV->getRegion();
  else if (const auto *DV = dyn_cast<SymbolDerived>(SR->getSymbol()))
    From = DV->getRegion();
  if (const auto *FR = dyn_cast_or_null<FieldRegion>(From))
    return FR->getDecl();
  if (const auto *VR = dyn_cast_or_null<VarRegion>(From))
    return isa<ParmVarDecl>(VR->getDecl()) ? VR->getDecl() : nullptr;
  return nullptr;
}

// The lifecycle state of R: what this path set, else what the declaration it
// came from says (__gpuown_lc_state), else unknown.
static Optional<LcState> lcStateOf(ProgramStateRef State, const MemRegion *R) {
  if (const LcState *S = State->get<LcMap>(R))
    return *S;
  if (const Decl *D = originDecl(R))
    if (auto P = getLcPair(D, "lc_state"))
      return LcState{P->first.str(), P->second.str()};
  return None;
}

// A state list as the driver meant it: "a|b" however it was formatted.
static std::string listText(StringRef List) {
  std::string Out;
  for (char Ch : List)
    if (!isspace((unsigned char)Ch))
      Out += Ch;
  return Out;
}

// "cpu", "fw", "shared": does the known state satisfy the requirement?
static bool satisfies(StringRef Req, OwnState::Kind K) {
  if (Req == "cpu")
    return K == OwnState::Cpu;
  if (Req == "fw")
    return K == OwnState::Fw;
  if (Req == "shared")
    return K == OwnState::Shared || K == OwnState::Detached;
  return true; // live, gpu_only: not an ownership question
}

// The first integer argument after the object: the access direction.
static Optional<uint64_t> directionArg(const CallEvent &Call, unsigned Obj) {
  for (unsigned I = Obj + 1; I < Call.getNumArgs(); ++I) {
    if (!Call.getArgExpr(I)->getType()->isIntegerType())
      continue;
    if (auto CI = Call.getArgSVal(I).getAs<nonloc::ConcreteInt>())
      return CI->getValue().getZExtValue();
    return None;
  }
  return None;
}

// One step of the ownership model for the roles a parameter carries, in the
// order a combined helper performs them (reclaim-then-free, detach-then-free).
// In: the known state, or null. Out: the state after, or None when unknown.
// Returns a message when the step is illegal from In.
struct Step {
  std::string Error;
  const char *Kind = nullptr; // "access", "transition", "state"
  Optional<OwnState> Out;
  const char *Note = nullptr;
};

static Step transfer(const OwnState *In, unsigned Roles,
                     Optional<uint64_t> Dir) {
  Step R;
  if (In)
    R.Out = *In;
  auto Fail = [&](const char *Kind, std::string Msg) {
    R.Kind = Kind;
    R.Error = std::move(Msg);
    return R;
  };
  auto Is = [&](OwnState::Kind K) { return R.Out && R.Out->K == K; };
  if (Roles & PR_Publish) {
    if (Is(OwnState::Fw))
      return Fail("transition", "GPU object published to the firmware twice");
    if (Is(OwnState::Shared) || Is(OwnState::Detached))
      return Fail("transition", "Publish of a shared GPU object");
    R.Out = OwnState{OwnState::Fw, 1};
    R.Note = "GPU object published to the firmware here";
  }
  if (Roles & PR_FwGet) {
    if (Is(OwnState::Cpu))
      return Fail("transition", "Firmware hold of a GPU object that was not "
                                "published to the firmware");
    unsigned N = Is(OwnState::Fw) && R.Out->Holders ? R.Out->Holders + 1 : 0;
    R.Out = OwnState{OwnState::Fw, N};
    R.Note = "Firmware takes another hold on the GPU object here";
  }
  if (Roles & PR_Share) {
    if (Is(OwnState::Fw))
      return Fail("transition",
                  "Share of a GPU object while the firmware owns it");
    if (Is(OwnState::Shared) || Is(OwnState::Detached))
      return Fail("transition", "GPU object shared twice");
    R.Out = OwnState{OwnState::Shared, 0};
    R.Note = "GPU object shared with the firmware here";
  }
  if (Roles & PR_Reclaim) {
    if (Is(OwnState::Cpu) || Is(OwnState::Shared) || Is(OwnState::Detached))
      return Fail("transition", "Reclaim of a GPU object that was not "
                                "published to the firmware");
    if (Is(OwnState::Fw) && R.Out->Holders > 1)
      R.Out = OwnState{OwnState::Fw, R.Out->Holders - 1};
    else if (Is(OwnState::Fw) && R.Out->Holders == 1)
      R.Out = OwnState{OwnState::Cpu, 0};
    else
      R.Out = None; // holders unknown
    R.Note = "GPU object reclaimed by the CPU here";
  }
  if (Roles & PR_Detach) {
    if (R.Out && !Is(OwnState::Shared))
      return Fail("transition", std::string("Detach of a GPU object that is ") +
                                    stateWord(R.Out->K) + ", not shared");
    R.Out = OwnState{OwnState::Detached, 0};
  }
  if ((Roles & PR_CpuBegin) && Is(OwnState::Fw) && Dir && (*Dir & 2u))
    return Fail("access", "CPU write access opened on a GPU object while the "
                          "firmware owns it");
  if (Roles & PR_Free) {
    if (Is(OwnState::Fw))
      return Fail("state", "Free of a GPU object while the firmware owns it");
    if (Is(OwnState::Shared))
      return Fail(
          "state",
          "Free of a shared GPU object before the firmware detached it");
    R.Out = None;
  }
  return R;
}

const BugType &OwnershipChecker::bugType(const char *Kind) const {
  if (!strcmp(Kind, "access"))
    return AccessBT;
  if (!strcmp(Kind, "transition"))
    return TransitionBT;
  return StateBT;
}

bool OwnershipChecker::checkObjectArg(const CallEvent &Call, unsigned I,
                                      const ParamInfo &P,
                                      CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  ObjRef O = resolveArg(Call, I, P.Roles, State);
  if (!O)
    return false;
  const OwnState *S = State->get<OwnMap>(O.Obj);
  if (!S)
    return false;
  SourceRange R = Call.getArgSourceRange(I);
  if (!P.Requires.empty() && !satisfies(P.Requires, S->K)) {
    emitReport(C, StateBT,
               calleeName(Call) + " requires a GPU object in state '" +
                   P.Requires.str() + "', but it is " + stateWord(S->K),
               O.Obj, R, /*Sink=*/true);
    return true;
  }
  Step St = transfer(S, P.Roles, directionArg(Call, I));
  if (St.Error.empty())
    return false;
  emitReport(C, bugType(St.Kind), St.Error, O.Obj, R, /*Sink=*/true);
  return true;
}

bool OwnershipChecker::checkLifecycleArg(const CallEvent &Call,
                                         const LifecycleOp &Op,
                                         const MemRegion *R, SourceRange Range,
                                         CheckerContext &C) const {
  std::string Fn = calleeName(Call), Err;
  const Lifecycle *L = Lifecycles.find(Op.Lifecycle, C.getASTContext(), Err);
  auto Bug = [&](std::string Msg) {
    ExplodedNode *N = C.generateErrorNode();
    if (!N)
      return true;
    auto Rep = std::make_unique<PathSensitiveBugReport>(LifecycleBT, Msg, N);
    Rep->addRange(Range);
    Rep->markInteresting(R);
    C.emitReport(std::move(Rep));
    return true;
  };
  if (!Err.empty())
    return Bug("Lifecycle '" + Op.Lifecycle.str() +
               "' has a malformed declaration: " + Err);
  if (L && Op.K == LifecycleOp::Transition)
    for (StringRef From : lcStateList(Op.From))
      if (!L->hasEdge(From, Op.To))
        return Bug(Fn + " moves lifecycle '" + Op.Lifecycle.str() + "' from '" +
                   From.str() + "' to '" + Op.To.str() +
                   "', a transition the lifecycle does not declare");
  if (L && Op.K != LifecycleOp::Init) {
    SmallVector<StringRef, 4> Named = lcStateList(Op.From);
    if (Op.K == LifecycleOp::Transition)
      Named.push_back(Op.To);
    for (StringRef St : Named)
      if (L->stateIndex(St) < 0)
        return Bug(Fn + " names state '" + St.str() + "', which lifecycle '" +
                   Op.Lifecycle.str() + "' does not declare");
  }
  Optional<LcState> S = lcStateOf(C.getState(), R);
  if (!S || S->Lifecycle != Op.Lifecycle || Op.K == LifecycleOp::Init ||
      lcStatesMatch(Op.From, S->State))
    return false;
  if (Op.K == LifecycleOp::Transition)
    return Bug("Illegal transition of lifecycle '" + Op.Lifecycle.str() +
               "': " + Fn + " moves it from '" + listText(Op.From) +
               "', but it is in state '" + S->State + "'");
  return Bug(Fn + " is not permitted in state '" + S->State +
             "' of lifecycle '" + Op.Lifecycle.str() + "' (needs '" +
             listText(Op.From) + "')");
}

void OwnershipChecker::checkPreCall(const CallEvent &Call,
                                    CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  if (checkLibraryWrite(Call, C))
    return;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  ProgramStateRef State = C.getState();
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    const ParamInfo &P = FI.Params[I];
    if ((P.Roles || !P.Requires.empty()) && checkObjectArg(Call, I, P, C))
      return;
    if ((P.Roles & PR_Free) &&
        checkHolds(Call.getArgSVal(I), Call.getArgSourceRange(I), C))
      return;
    const MemRegion *R = lcRegion(Call.getArgSVal(I));
    for (const LifecycleOp &Op : P.Lifecycle)
      if (R && checkLifecycleArg(Call, Op, R, Call.getArgSourceRange(I), C))
        return;
    if (!(P.Roles & PR_Complete) || !(FI.hasRole(PR_Reclaim)))
      continue;
    const MemRegion *FR = Call.getArgSVal(I).getAsRegion();
    const SymbolRef *Checked = FR ? State->get<FenceMap>(FR) : nullptr;
    if (!Checked || !State->getConstraintManager()
                         .isNull(State, *Checked)
                         .isConstrainedTrue())
      continue;
    emitReport(C, StateBT,
               "Reclaim of a GPU object before its completion fence is "
               "reached (the check returned 0 on this path)",
               nullptr, Call.getArgSourceRange(I), true);
    return;
  }
}

ProgramStateRef OwnershipChecker::applyObjectRoles(const CallEvent &Call,
                                                   const FnInfo &FI,
                                                   ProgramStateRef State,
                                                   std::string &Note,
                                                   SymbolRef &NoteSym) const {
  const OwnState CpuOwned{OwnState::Cpu, 0};
  SymbolRef Ret = Call.getReturnValue().getAsSymbol();
  if (FI.RetAlloc && Ret)
    State = State->set<OwnMap>(Ret, CpuOwned);
  // An int-returning operation refuses illegal transitions with an error:
  // the state changes only where it returned 0 (see evalAssume).
  bool MayFail = Ret && Call.getResultType()->isIntegerType();
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    unsigned Roles = FI.roles(I);
    if (Roles & PR_AllocOut) {
      SymbolRef Obj = allocOutSymbol(Call, I, State);
      if (!Obj)
        continue;
      // "Receives a new object, already shared/published": the other roles
      // of an out parameter apply to the object it receives.
      Step St = transfer(&CpuOwned, Roles & ~PR_AllocOut, None);
      State = State->set<OwnMap>(Obj, St.Out ? *St.Out : CpuOwned);
      continue;
    }
    if (FI.Params.size() > I && (FI.Params[I].AddrRoles & AR_PublishAddr)) {
      SmallVector<SymbolRef, 4> Objs;
      addressedObjects(Call.getArgSVal(I), State,
                       Call.getState()->getStateManager().getContext(), Objs);
      for (SymbolRef Obj : Objs) {
        State = publishByAddress(Obj, MayFail ? Ret : nullptr, State);
        Note = "GPU object handed to the firmware by address here";
        NoteSym = Obj;
      }
    }
    const unsigned Moves =
        PR_Free | PR_Publish | PR_FwGet | PR_Reclaim | PR_Share | PR_Detach;
    if (!(Roles & Moves) && !FI.StateQuery)
      continue;
    ObjRef O = resolveArg(Call, I, Roles, State);
    if (!O)
      continue;
    const OwnState *S = State->get<OwnMap>(O.Obj);
    if (FI.StateQuery) {
      State = State->remove<OwnMap>(O.Obj);
      continue;
    }
    if (MayFail && !(Roles & PR_Free))
      State = State->add<OwnUndo>(
          Undo{Ret, O.Obj, S ? *S : CpuOwned, S != nullptr});
    Step St = transfer(S, Roles, None);
    State = St.Out ? State->set<OwnMap>(O.Obj, *St.Out)
                   : State->remove<OwnMap>(O.Obj);
    if (St.Note) {
      Note = St.Note;
      NoteSym = O.Obj;
    }
  }
  return State;
}

ProgramStateRef OwnershipChecker::applyLifecycle(const LifecycleOp &Op,
                                                 const MemRegion *R,
                                                 ProgramStateRef State,
                                                 const ASTContext &Ctx) const {
  std::string Err;
  const Lifecycle *L = Lifecycles.find(Op.Lifecycle, Ctx, Err);
  std::string To;
  if (Op.K == LifecycleOp::Transition)
    To = Op.To.str();
  else if (Op.K == LifecycleOp::InState)
    To = Op.From.trim().str();
  else if (L)
    To = L->States.front();
  if (To.empty())
    return State->remove<LcMap>(R);
  return State->set<LcMap>(R, LcState{Op.Lifecycle.str(), To});
}

void OwnershipChecker::checkPostCall(const CallEvent &Call,
                                     CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  ProgramStateRef State = recordAddress(Call, FI, C.getState());
  std::string Note;
  SymbolRef NoteSym = nullptr;
  // An analyzed body already did what the annotations say.
  if (!C.wasInlined)
    State = applyObjectRoles(Call, FI, State, Note, NoteSym);
  const MemRegion *NoteRegion = nullptr;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    const ParamInfo &P = FI.Params[I];
    bool FenceArg =
        (P.Roles & PR_Complete) || (I == 0 && !FI.hasRole(PR_Complete));
    if (FI.FenceCheck && FenceArg)
      if (const MemRegion *FR = Call.getArgSVal(I).getAsRegion())
        if (SymbolRef Ret = Call.getReturnValue().getAsSymbol())
          State = State->set<FenceMap>(FR, Ret);
    const MemRegion *R = lcRegion(Call.getArgSVal(I));
    for (const LifecycleOp &Op : P.Lifecycle) {
      if (!R)
        continue;
      // A permitted operation teaches the state when it names only one.
      if (Op.K == LifecycleOp::InState) {
        if (lcStateList(Op.From).size() == 1)
          State = applyLifecycle(Op, R, State, C.getASTContext());
        continue;
      }
      // An int-returning operation that failed moved nothing.
      SVal RetV = Call.getReturnValue();
      bool IntRet = Call.getResultType()->isIntegerType();
      if (IntRet && RetV.isConstant() && !RetV.isZeroConstant())
        continue;
      if (IntRet && RetV.getAsSymbol()) {
        Optional<LcState> Old = lcStateOf(State, R);
        State = State->add<LcUndoSet>(LcUndo{
            RetV.getAsSymbol(), R, Old ? *Old : LcState(), Old.hasValue()});
      }
      State = applyLifecycle(Op, R, State, C.getASTContext());
      if (Op.K != LifecycleOp::InState) {
        const LcState *S = State->get<LcMap>(R);
        NoteRegion = R;
        Note = "Lifecycle '" + Op.Lifecycle.str() + "' " +
               (S ? "enters state '" + S->State + "'" : "starts") + " here";
      }
    }
  }
  for (const LifecycleOp &Op : FI.RetLifecycle)
    if (const MemRegion *R = lcRegion(Call.getReturnValue()))
      State = applyLifecycle(Op, R, State, C.getASTContext());
  if (State == C.getState())
    return;
  const NoteTag *Tag = nullptr;
  if (!Note.empty() && NoteRegion) {
    std::string Name = name();
    Tag = C.getNoteTag([Name, NoteRegion, Note](PathSensitiveBugReport &BR) {
      if (BR.getBugType().getCheckerName() != Name ||
          !BR.isInteresting(NoteRegion))
        return std::string();
      return Note;
    });
  } else if (!Note.empty() && NoteSym) {
    Tag = objectNote(C, name(), NoteSym, Note);
  }
  C.addTransition(State, Tag);
}

ProgramStateRef
OwnershipChecker::publishByAddress(SymbolRef Obj, SymbolRef Ret,
                                   ProgramStateRef State) const {
  // The same address goes into many messages: it is published once, and
  // repeating it while the firmware owns the object changes nothing.
  const OwnState *S = State->get<OwnMap>(Obj);
  if (S && S->K != OwnState::Cpu)
    return State;
  if (Ret)
    State = State->add<OwnUndo>(
        Undo{Ret, Obj, S ? *S : OwnState{OwnState::Cpu, 0}, S != nullptr});
  return State->set<OwnMap>(Obj, OwnState{OwnState::Fw, 1});
}

void OwnershipChecker::checkBind(SVal L, SVal V, const Stmt *S,
                                 CheckerContext &C) const {
  const auto *FR = dyn_cast_or_null<FieldRegion>(L.getAsRegion());
  if (!FR)
    return;
  ProgramStateRef State = C.getState();
  if (getLcPair(FR->getDecl(), "holds")) {
    for (const auto &E : State->get<HeldMap>())
      if (E.second == HeldBy{FR->getSuperRegion(), FR->getDecl()})
        State = State->remove<HeldMap>(E.first);
    if (ObjRef O = resolve(V, State))
      State = State->set<HeldMap>(O.Obj,
                                  HeldBy{FR->getSuperRegion(), FR->getDecl()});
    if (State != C.getState())
      C.addTransition(State);
    return;
  }
  // A descriptor or ring-entry field that hands its address to the firmware.
  if (!hasAnnotation(FR->getDecl(), "publish_addr"))
    return;
  AddrInfo AI = addressOf(V, State);
  if (!AI.Obj)
    return;
  ProgramStateRef New = publishByAddress(AI.Obj, nullptr, State);
  if (New == State)
    return;
  C.addTransition(New, objectNote(C, name(), AI.Obj,
                                  "GPU object handed to the firmware by "
                                  "address here"));
}

// The holding states of a lifecycle object's field, or None.
static Optional<std::pair<StringRef, StringRef>> holdsOf(const FieldDecl *FD) {
  return getLcPair(FD, "holds");
}

bool OwnershipChecker::checkHolds(SVal Freed, SourceRange Range,
                                  CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  ObjRef O = resolve(Freed, State);
  if (!O)
    return false;
  auto Report = [&](const FieldDecl *FD, const LcState &S) {
    emitReport(C, HoldsBT,
               "Free of the GPU object held in '" + FD->getNameAsString() +
                   "' while lifecycle '" + S.Lifecycle + "' is in state '" +
                   S.State + "'",
               O.Obj, Range, /*Sink=*/true);
    return true;
  };
  auto Check = [&](const FieldDecl *FD, const MemRegion *Owner) {
    auto H = holdsOf(FD);
    if (!H)
      return false;
    Optional<LcState> S = lcStateOf(State, Owner);
    return S && S->Lifecycle == H->first && lcStatesMatch(H->second, S->State);
  };
  // The value was read from the holding field of an object whose state the
  // parameter or this path says (ct->bo with ct in 'enabled').
  if (const auto *RV = dyn_cast<SymbolRegionValue>(O.Obj))
    if (const auto *FR = dyn_cast<FieldRegion>(RV->getRegion()))
      if (Check(FR->getDecl(), FR->getSuperRegion()))
        return Report(FR->getDecl(), *lcStateOf(State, FR->getSuperRegion()));
  if (const auto *DV = dyn_cast<SymbolDerived>(O.Obj))
    if (const auto *FR = dyn_cast<FieldRegion>(DV->getRegion()))
      if (Check(FR->getDecl(), FR->getSuperRegion()))
        return Report(FR->getDecl(), *lcStateOf(State, FR->getSuperRegion()));
  // The object was stored into the holding field of a lifecycle object.
  if (const HeldBy *H = State->get<HeldMap>(O.Obj))
    if (Check(H->Field, H->Owner))
      return Report(H->Field, *lcStateOf(State, H->Owner));
  return false;
}

// memcpy/memset/memmove write through their destination like a store does.
bool OwnershipChecker::checkLibraryWrite(const CallEvent &Call,
                                         CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD || Call.getNumArgs() < 3 || !FD->getIdentifier())
    return false;
  unsigned B = FD->getBuiltinID();
  bool Write = B == Builtin::BImemcpy || B == Builtin::BImemmove ||
               B == Builtin::BImemset || B == Builtin::BI__builtin_memcpy ||
               B == Builtin::BI__builtin_memmove ||
               B == Builtin::BI__builtin_memset;
  // Kernel builds declare them without the library builtin (-ffreestanding).
  if (!Write)
    Write = llvm::StringSwitch<bool>(FD->getName())
                .Cases("memcpy", "memmove", "memset", "memcpy_toio",
                       "memset_io", true)
                .Default(false);
  if (!Write)
    return false;
  ProgramStateRef State = C.getState();
  ObjRef O = resolve(Call.getArgSVal(0), State);
  if (!O || O.Kind != AddrKind::Cpu)
    return false;
  const OwnState *St = State->get<OwnMap>(O.Obj);
  if (!St || St->K != OwnState::Fw)
    return false;
  emitReport(C, AccessBT,
             "CPU write to a GPU object while the firmware owns it (by " +
                 FD->getNameAsString() + ")",
             O.Obj, Call.getArgSourceRange(0), /*Sink=*/false);
  return true;
}

// The field accessed and the record it belongs to, innermost first.
static bool firmwareWrites(const MemRegion *R) {
  for (; R; R = dyn_cast<SubRegion>(R) ? cast<SubRegion>(R)->getSuperRegion()
                                       : nullptr) {
    const auto *FR = dyn_cast<FieldRegion>(R);
    if (FR && hasAnnotation(FR->getDecl(), "fw_writes"))
      return true;
    const auto *TR = dyn_cast<TypedValueRegion>(R);
    if (!TR)
      continue;
    const RecordDecl *RD = TR->getValueType()->getAsRecordDecl();
    if (!RD)
      continue;
    Optional<StringRef> Cls = getAnnotation(RD, "class");
    if (Cls && (*Cls == "fw:write" || *Cls == "fw:rw"))
      return true;
  }
  return false;
}

static bool firmwareWritesField(const MemRegion *R) {
  for (; R; R = dyn_cast<SubRegion>(R) ? cast<SubRegion>(R)->getSuperRegion()
                                       : nullptr)
    if (const auto *FR = dyn_cast<FieldRegion>(R))
      if (hasAnnotation(FR->getDecl(), "fw_writes"))
        return true;
  return false;
}

void OwnershipChecker::reportAccess(CheckerContext &C, std::string Msg,
                                    SymbolRef Sym, const Stmt *S) const {
  emitReport(C, AccessBT, Msg, Sym, S ? S->getSourceRange() : SourceRange(),
             /*Sink=*/false);
}

void OwnershipChecker::checkLocation(SVal L, bool IsLoad, const Stmt *S,
                                     CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  ObjRef O = resolve(L, State);
  if (!O || O.Kind != AddrKind::Cpu)
    return;
  const OwnState *St = State->get<OwnMap>(O.Obj);
  if (!St)
    return;
  const MemRegion *R = L.getAsRegion();
  if (St->K == OwnState::Fw && !IsLoad)
    return reportAccess(C,
                        "CPU write to a GPU object while the firmware "
                        "owns it",
                        O.Obj, S);
  if (St->K == OwnState::Fw && CheckReads && firmwareWrites(R))
    return reportAccess(C,
                        "CPU read of firmware-written data while the "
                        "firmware owns the GPU object",
                        O.Obj, S);
  if ((St->K == OwnState::Shared || St->K == OwnState::Detached) &&
      firmwareWritesField(R))
    return reportAccess(C,
                        "Plain CPU access to a firmware-written field of "
                        "a shared GPU object (use the atomic accessors)",
                        O.Obj, S);
}

ProgramStateRef OwnershipChecker::evalAssume(ProgramStateRef State, SVal Cond,
                                             bool Assumption) const {
  ConstraintManager &CM = State->getConstraintManager();
  for (const Undo &U : State->get<OwnUndo>()) {
    ConditionTruthVal Ok = CM.isNull(State, U.Ret);
    if (!Ok.isConstrained())
      continue;
    State = State->remove<OwnUndo>(U);
    if (Ok.isConstrainedTrue())
      continue;
    // The operation failed: the object kept its state.
    State = U.HadOld ? State->set<OwnMap>(U.Obj, U.Old)
                     : State->remove<OwnMap>(U.Obj);
  }
  for (const LcUndo &U : State->get<LcUndoSet>()) {
    ConditionTruthVal Ok = CM.isNull(State, U.Ret);
    if (!Ok.isConstrained())
      continue;
    State = State->remove<LcUndoSet>(U);
    if (Ok.isConstrainedTrue())
      continue;
    State =
        U.HadOld ? State->set<LcMap>(U.R, U.Old) : State->remove<LcMap>(U.R);
  }
  return State;
}

void OwnershipChecker::checkLiveSymbols(ProgramStateRef State,
                                        SymbolReaper &SR) const {
  // The outcome of a completion check matters as long as its fence lives.
  for (const auto &E : State->get<FenceMap>())
    SR.markLive(E.second);
  // The state of an object a parameter points to matters for the whole
  // function (a free of ct->vma after ct's last use still asks ct's state).
  for (const auto &E : State->get<LcMap>())
    if (const auto *SR0 = dyn_cast<SymbolicRegion>(E.first->getBaseRegion()))
      if (isa<SymbolRegionValue>(SR0->getSymbol()))
        SR.markLive(SR0->getSymbol());
}

void OwnershipChecker::checkDeadSymbols(SymbolReaper &SR,
                                        CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  for (const auto &E : State->get<OwnMap>())
    if (SR.isDead(E.first))
      State = State->remove<OwnMap>(E.first);
  for (const auto &E : State->get<HeldMap>())
    if (SR.isDead(E.first))
      State = State->remove<HeldMap>(E.first);
  for (const auto &E : State->get<LcMap>()) {
    if (SR.isLiveRegion(E.first))
      continue;
    bool Holds = false;
    for (const auto &H : State->get<HeldMap>())
      Holds |= H.second.Owner == E.first;
    if (!Holds)
      State = State->remove<LcMap>(E.first);
  }
  for (const auto &E : State->get<FenceMap>())
    if (!SR.isLiveRegion(E.first))
      State = State->remove<FenceMap>(E.first);
  // An outcome nobody tested: the operation is taken to have succeeded.
  for (const Undo &U : State->get<OwnUndo>())
    if (SR.isDead(U.Ret) || SR.isDead(U.Obj))
      State = State->remove<OwnUndo>(U);
  for (const LcUndo &U : State->get<LcUndoSet>())
    if (SR.isDead(U.Ret) || !SR.isLiveRegion(U.R))
      State = State->remove<LcUndoSet>(U);
  State = reapAddresses(State, SR);
  C.addTransition(State);
}

ProgramStateRef OwnershipChecker::checkPointerEscape(
    ProgramStateRef State, const InvalidatedSymbols &Escaped,
    const CallEvent *Call, PointerEscapeKind Kind) const {
  // Only a function we cannot see may change the state behind our back.
  if (!Call || (calleeDecl(*Call) && Annots.get(calleeDecl(*Call)).Any))
    return State;
  for (SymbolRef Sym : Escaped) {
    State = State->remove<OwnMap>(Sym);
    for (const auto &E : State->get<LcMap>())
      if (const auto *SR = dyn_cast<SymbolicRegion>(E.first))
        if (SR->getSymbol() == Sym)
          State = State->remove<LcMap>(E.first);
  }
  return State;
}

void gpuown::registerOwnershipChecker(CheckerManager &Mgr) {
  OwnershipChecker *Chk = Mgr.registerChecker<OwnershipChecker>();
  Chk->CheckReads =
      Mgr.getAnalyzerOptions().getCheckerBooleanOption(Chk, "CheckReads");
}
