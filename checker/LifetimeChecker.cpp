// SPDX-License-Identifier: MIT
//===- LifetimeChecker.cpp - gpuown.Lifetime ------------------------------===//
//
// Rules (the functions involved are found by their annotations only):
//   - use after free: a freed GPU object used through its handle, through its
//     CPU address (including &obj->field and interior pointers) or through its
//     GPU / firmware address (passed to a call or stored);
//   - double free;
//   - free of something that is not an object start: an interior pointer, the
//     object's CPU/GPU address instead of its handle, a local or a global;
//   - leak: an object allocated on a path dies there without being freed or
//     escaping (stored into memory the function does not own, returned,
//     passed to an unknown function when treat-unknown-calls-as-escape is on).
//
// Allocation failure is not a leak: an __gpuown_alloc_out function's object
// only exists once its return value is known to be 0, an __gpuown_alloc
// function's once its return value is known to be non-null (evalAssume).
//
//                  alloc_out call
//   (untracked) -----------------> MaybeAllocated(ret)
//        ^   ^                      |          |
//        |   | ret != 0 (evalAssume)|          | ret == 0
//        |   +----------------------+          v
//        |        alloc, non-null ------> Allocated ---- escape ---> Escaped
//        | NULL                               |   \                   |
//        +------------------------------------+    \ dies             | free
//                                      free   |     v                 |
//                                             |   Leaked (REPORT)     |
//                                             v                       |
//                                           Freed <-------------------+
//                                          /     \
//                                    free /       \ use via handle, CPU,
//                                        v         v GPU or fw address
//                             Double free       Use after free
//                             (REPORT)          (REPORT)
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
#include "clang/StaticAnalyzer/Core/PathSensitive/ConstraintManager.h"

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

class ObjState {
public:
  enum Kind { MaybeAllocated, Allocated, Escaped, Freed };

  static ObjState maybe(SymbolRef Err, const FunctionDecl *By) {
    return ObjState(MaybeAllocated, Err, By);
  }
  static ObjState allocated(const FunctionDecl *By) {
    return ObjState(Allocated, nullptr, By);
  }
  ObjState escaped() const { return ObjState(Escaped, nullptr, AllocFn); }
  ObjState freed() const { return ObjState(Freed, nullptr, AllocFn); }

  Kind kind() const { return K; }
  bool isFreed() const { return K == Freed; }
  bool isOwned() const { return K == MaybeAllocated || K == Allocated; }
  SymbolRef errSym() const { return ErrSym; }
  const FunctionDecl *allocFn() const { return AllocFn; }

  bool operator==(const ObjState &O) const {
    return K == O.K && ErrSym == O.ErrSym && AllocFn == O.AllocFn;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddPointer(ErrSym);
    ID.AddPointer(AllocFn);
  }

private:
  ObjState(Kind K, SymbolRef Err, const FunctionDecl *By)
      : K(K), ErrSym(Err), AllocFn(By) {}
  Kind K;
  SymbolRef ErrSym;
  const FunctionDecl *AllocFn;
};

class LifetimeChecker
    : public Checker<check::PreCall, check::PostCall, check::Location,
                     check::Bind, check::DeadSymbols, check::LiveSymbols,
                     check::PointerEscape, check::PreStmt<ReturnStmt>,
                     eval::Assume> {
public:
  bool ReportLeaks = true;
  bool UnknownCallsEscape = true;

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
  void checkPreStmt(const ReturnStmt *RS, CheckerContext &C) const;
  ProgramStateRef evalAssume(ProgramStateRef State, SVal Cond,
                             bool Assumption) const;

private:
  BugType UafBT{this, "Use of a freed GPU object", "gpuown lifetime error"};
  BugType DoubleFreeBT{this, "Double free of a GPU object",
                       "gpuown lifetime error"};
  BugType BadFreeBT{this, "Free of a non-object", "gpuown lifetime error"};
  BugType LeakBT{this, "GPU object leak", "gpuown lifetime error",
                 /*SuppressOnSink=*/true};
  AnnotationCache Annots;

  void checkFreeArg(const CallEvent &Call, unsigned I, CheckerContext &C,
                    bool &Stop) const;
  void report(CheckerContext &C, const BugType &BT, std::string Msg,
              SymbolRef Sym, SourceRange R) const;
  ProgramStateRef onPostCallRoles(const CallEvent &Call, const FnInfo &FI,
                                  ProgramStateRef State,
                                  CheckerContext &C) const;
  const NoteTag *addressNote(CheckerContext &C, const CallEvent &Call,
                             ProgramStateRef State) const;
  std::string name() const { return getCheckerName().getName().str(); }
};

} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(LifetimeMap, SymbolRef, ObjState)

static ConditionTruthVal isNullSym(ProgramStateRef State, SymbolRef Sym) {
  return State->getConstraintManager().isNull(State, Sym);
}

static const char *kindWord(AddrKind K) {
  switch (K) {
  case AddrKind::Cpu:
    return "CPU address";
  case AddrKind::Gpu:
    return "GPU address";
  case AddrKind::Fw:
    return "firmware address";
  case AddrKind::Handle:
    break;
  }
  return "handle";
}

void LifetimeChecker::report(CheckerContext &C, const BugType &BT,
                             std::string Msg, SymbolRef Sym,
                             SourceRange R) const {
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Rep = std::make_unique<PathSensitiveBugReport>(BT, Msg, N);
  if (R.isValid())
    Rep->addRange(R);
  if (Sym)
    Rep->markInteresting(Sym);
  C.emitReport(std::move(Rep));
}

void LifetimeChecker::checkFreeArg(const CallEvent &Call, unsigned I,
                                   CheckerContext &C, bool &Stop) const {
  ProgramStateRef State = C.getState();
  SVal V = Call.getArgSVal(I);
  if (V.isZeroConstant())
    return;
  ObjRef O = resolve(V, State);
  SourceRange R = Call.getArgSourceRange(I);
  if (O.NonObjectMemory) {
    report(C, BadFreeBT,
           "Free of memory that is not a GPU object (passed to " +
               calleeName(Call) + ")",
           nullptr, R);
    Stop = true;
    return;
  }
  if (!O)
    return;
  const ObjState *S = State->get<LifetimeMap>(O.Obj);
  if (S && S->isFreed()) {
    report(C, DoubleFreeBT, "GPU object freed twice", O.Obj, R);
    Stop = true;
    return;
  }
  if (O.Kind != AddrKind::Handle) {
    report(C, BadFreeBT,
           std::string("Free of a GPU object's ") + kindWord(O.Kind) +
               " instead of its handle",
           O.Obj, R);
    Stop = true;
    return;
  }
  if (O.Interior) {
    report(C, BadFreeBT,
           "Free of a pointer into a GPU object, not the object's start", O.Obj,
           R);
    Stop = true;
  }
}

void LifetimeChecker::checkPreCall(const CallEvent &Call,
                                   CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  const FnInfo *FI = FD ? &Annots.get(FD) : nullptr;
  ProgramStateRef State = C.getState();
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    if (FI && (FI->roles(I) & PR_Free)) {
      bool Stop = false;
      checkFreeArg(Call, I, C, Stop);
      if (Stop)
        return;
      continue;
    }
    ObjRef O = resolve(Call.getArgSVal(I), State);
    if (!O)
      continue;
    const ObjState *S = State->get<LifetimeMap>(O.Obj);
    if (!S || !S->isFreed())
      continue;
    report(C, UafBT,
           std::string("Use of a freed GPU object through its ") +
               kindWord(O.Kind) + " (passed to " + calleeName(Call) + ")",
           O.Obj, Call.getArgSourceRange(I));
    return;
  }
}

static bool intoLocal(SVal Out) {
  const MemRegion *R = Out.getAsRegion();
  return R && isa<StackLocalsSpaceRegion>(R->getBaseRegion()->getMemorySpace());
}

ProgramStateRef LifetimeChecker::onPostCallRoles(const CallEvent &Call,
                                                 const FnInfo &FI,
                                                 ProgramStateRef State,
                                                 CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  SymbolRef Ret = Call.getReturnValue().getAsSymbol();
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    unsigned Roles = FI.roles(I);
    if (Roles & PR_AllocOut) {
      SymbolRef Obj = allocOutSymbol(Call, I, State);
      if (!Obj)
        continue;
      SVal RV = Call.getReturnValue();
      if (RV.isConstant() && !RV.isZeroConstant())
        continue; // an inlined body that failed
      ObjState S = Ret ? ObjState::maybe(Ret, FD) : ObjState::allocated(FD);
      // Received straight into memory the caller does not own (j->obj, a
      // global): that memory holds it now, as a store would.
      if (!intoLocal(Call.getArgSVal(I)))
        S = S.escaped();
      State = State->set<LifetimeMap>(Obj, S);
    }
    if (Roles & PR_Free) {
      ObjRef O = resolve(Call.getArgSVal(I), State);
      if (!O || O.Kind != AddrKind::Handle)
        continue;
      const ObjState *S = State->get<LifetimeMap>(O.Obj);
      ObjState NS = S ? S->freed() : ObjState::allocated(nullptr).freed();
      State = State->set<LifetimeMap>(O.Obj, NS);
    }
  }
  if (FI.RetAlloc && Ret)
    State = State->set<LifetimeMap>(Ret, ObjState::allocated(FD));
  return State;
}

void LifetimeChecker::checkPostCall(const CallEvent &Call,
                                    CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  ProgramStateRef State = recordAddress(Call, FI, C.getState());
  ProgramStateRef Before = State;
  // An analyzed body already did what the annotations say, on each path.
  if (!C.wasInlined)
    State = onPostCallRoles(Call, FI, State, C);
  if (State == Before) {
    // Another checker may have recorded the address already: the note is
    // still this checker's to tell.
    if (const NoteTag *Tag = addressNote(C, Call, State))
      C.addTransition(State, Tag);
    else if (State != C.getState())
      C.addTransition(State);
    return;
  }
  // One note per object this call allocated or freed.
  std::string Fn = calleeName(Call);
  const LifetimeMapTy &Old = Before->get<LifetimeMap>();
  const NoteTag *Tag = nullptr;
  for (const auto &E : State->get<LifetimeMap>()) {
    const ObjState *P = Old.lookup(E.first);
    if (P && *P == E.second)
      continue;
    std::string Msg = E.second.isFreed() ? "GPU object freed by " + Fn
                                         : "GPU object allocated by " + Fn;
    Tag = objectNote(C, name(), E.first, Msg);
    break;
  }
  C.addTransition(State, Tag);
}

// "CPU address of the GPU object taken by 'f'": only in a report about a use
// through that kind of address, so leak and double-free stories stay short.
const NoteTag *LifetimeChecker::addressNote(CheckerContext &C,
                                            const CallEvent &Call,
                                            ProgramStateRef State) const {
  // The address this call handed out: its result, or what it stored through
  // a pointer-to-pointer argument (a CPU access window).
  llvm::SmallVector<SymbolRef, 2> Keys;
  Keys.push_back(Call.getReturnValue().getAsSymbol());
  for (unsigned I = 0; I < Call.getNumArgs(); ++I)
    Keys.push_back(allocOutSymbol(Call, I, State));
  for (SymbolRef Key : Keys) {
    const AddrInfo *E = Key ? State->get<GpuownAddrMap>(Key) : nullptr;
    if (!E)
      continue;
    std::string Kind = kindWord(E->Kind);
    std::string Msg = Kind + " of the GPU object taken by " + calleeName(Call);
    std::string Name = name();
    SymbolRef Obj = E->Obj;
    return C.getNoteTag([Name, Obj, Kind, Msg](PathSensitiveBugReport &BR) {
      if (BR.getBugType().getCheckerName() != Name || !BR.isInteresting(Obj) ||
          BR.getDescription().find(Kind) == StringRef::npos)
        return std::string();
      return Msg;
    });
  }
  return nullptr;
}

void LifetimeChecker::checkLocation(SVal L, bool IsLoad, const Stmt *S,
                                    CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  ObjRef O = resolve(L, State);
  if (!O)
    return;
  const ObjState *St = State->get<LifetimeMap>(O.Obj);
  if (!St || !St->isFreed())
    return;
  report(C, UafBT,
         std::string(IsLoad ? "Read" : "Write") + " of a freed GPU object " +
             (O.Kind == AddrKind::Handle
                  ? "through its handle"
                  : std::string("through its ") + kindWord(O.Kind)),
         O.Obj, S ? S->getSourceRange() : SourceRange());
}

void LifetimeChecker::checkBind(SVal L, SVal V, const Stmt *S,
                                CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  ObjRef O = resolve(V, State);
  if (!O || (O.Kind != AddrKind::Gpu && O.Kind != AddrKind::Fw))
    return;
  const ObjState *St = State->get<LifetimeMap>(O.Obj);
  if (!St || !St->isFreed())
    return;
  report(C, UafBT,
         std::string("The ") + kindWord(O.Kind) +
             " of a freed GPU object is stored",
         O.Obj, S ? S->getSourceRange() : SourceRange());
}

void LifetimeChecker::checkLiveSymbols(ProgramStateRef State,
                                       SymbolReaper &SR) const {
  // The error code decides whether the object exists: keep it while needed.
  for (const auto &E : State->get<LifetimeMap>())
    if (E.second.errSym())
      SR.markLive(E.second.errSym());
}

void LifetimeChecker::checkDeadSymbols(SymbolReaper &SR,
                                       CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  llvm::SmallVector<std::pair<SymbolRef, const FunctionDecl *>, 2> Leaked;
  for (const auto &E : State->get<LifetimeMap>()) {
    if (!SR.isDead(E.first))
      continue;
    if (E.second.isOwned() && !isNullSym(State, E.first).isConstrainedTrue())
      Leaked.emplace_back(E.first, E.second.allocFn());
    State = State->remove<LifetimeMap>(E.first);
  }
  State = reapAddresses(State, SR);
  if (Leaked.empty() || !ReportLeaks) {
    C.addTransition(State);
    return;
  }
  ExplodedNode *N = C.generateNonFatalErrorNode(State);
  if (!N)
    return;
  for (const auto &L : Leaked) {
    std::string Msg = "GPU object";
    if (L.second)
      Msg += " allocated by '" + L.second->getNameAsString() + "'";
    Msg += " is leaked: not freed on this path";
    auto Rep = std::make_unique<PathSensitiveBugReport>(LeakBT, Msg, N);
    Rep->markInteresting(L.first);
    C.emitReport(std::move(Rep));
  }
}

ProgramStateRef LifetimeChecker::checkPointerEscape(
    ProgramStateRef State, const InvalidatedSymbols &Escaped,
    const CallEvent *Call, PointerEscapeKind Kind) const {
  if (Call) {
    const FunctionDecl *FD = calleeDecl(*Call);
    // gpuown functions say exactly what they do: their annotations decide.
    if (FD && Annots.get(FD).Any)
      return State;
    if (!UnknownCallsEscape &&
        (Kind == PSK_DirectEscapeOnCall || Kind == PSK_IndirectEscapeOnCall))
      return State;
  }
  for (SymbolRef Sym : Escaped) {
    const ObjState *S = State->get<LifetimeMap>(Sym);
    if (S && S->isOwned())
      State = State->set<LifetimeMap>(Sym, S->escaped());
  }
  return State;
}

void LifetimeChecker::checkPreStmt(const ReturnStmt *RS,
                                   CheckerContext &C) const {
  const Expr *E = RS->getRetValue();
  if (!E || !C.inTopFrame())
    return;
  ProgramStateRef State = C.getState();
  ObjRef O = resolve(C.getSVal(E), State);
  if (!O)
    return;
  const ObjState *S = State->get<LifetimeMap>(O.Obj);
  if (!S || !S->isOwned())
    return;
  C.addTransition(State->set<LifetimeMap>(O.Obj, S->escaped()));
}

ProgramStateRef LifetimeChecker::evalAssume(ProgramStateRef State, SVal Cond,
                                            bool Assumption) const {
  for (const auto &E : State->get<LifetimeMap>()) {
    if (!E.second.isOwned())
      continue;
    // Allocation returned NULL: nothing was allocated.
    if (isNullSym(State, E.first).isConstrainedTrue()) {
      State = State->remove<LifetimeMap>(E.first);
      continue;
    }
    SymbolRef Err = E.second.errSym();
    if (!Err)
      continue;
    ConditionTruthVal Ok = isNullSym(State, Err);
    if (Ok.isConstrainedFalse())
      State = State->remove<LifetimeMap>(E.first);
    else if (Ok.isConstrainedTrue())
      State = State->set<LifetimeMap>(E.first,
                                      ObjState::allocated(E.second.allocFn()));
  }
  return State;
}

void gpuown::registerLifetimeChecker(CheckerManager &Mgr) {
  LifetimeChecker *Chk = Mgr.registerChecker<LifetimeChecker>();
  const AnalyzerOptions &Opts = Mgr.getAnalyzerOptions();
  Chk->ReportLeaks = Opts.getCheckerBooleanOption(Chk, "ReportLeaks");
  Chk->UnknownCallsEscape =
      Opts.getCheckerBooleanOption(Chk, "TreatUnknownCallsAsEscape");
}
