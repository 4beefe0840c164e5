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
//     passed to an unknown function when treat-unknown-calls-as-escape is on);
//   - an out-parameter used before the result is tested: what an int
//     function returned through an __gpuown_alloc_out or __gpuown_*_addr_out
//     parameter (the object, its CPU, GPU or firmware address) is
//     dereferenced or passed to a call while the function may still have
//     failed (its result may be negative or, short of a `< 0` test,
//     non-zero): amdgpu_bo_create_kernel(..., &bo, &gpu, &cpu) leaves the
//     three undefined on failure;
//   - an object reached through another (__gpuown_inner fields,
//     __gpuown_releases_inner(field) on a release): when the outer object is
//     freed, or put for what may be the last time, the reference it held on
//     the inner object is put too, so the inner object read from the field
//     before (obj = vma->obj) and its addresses are used after a put.
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
#include "GpuownViolations.h"

#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ConstraintManager.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

/// What one path knows about one object.
///
/// Refs counts the references this path holds: an allocation, a
/// __gpuown_lookup_get or a __gpuown_remove gives one, each __gpuown_get one
/// more, each __gpuown_put one less. External says someone else holds one
/// too (a parameter, a borrowed lookup), so dropping the path's own last
/// reference leaves the object alive. A put that may have dropped the very
/// last reference makes the object Freed (ByPut).
class ObjState {
public:
  enum Kind : unsigned char { MaybeAllocated, Live, Freed };
  enum Origin : unsigned char { Alloc, Get, LookupGet, Lookup, Remove };

  static ObjState maybe(SymbolRef Err, const FunctionDecl *By) {
    ObjState S(MaybeAllocated, Alloc, By);
    S.ErrSym = Err;
    return S;
  }
  static ObjState allocated(const FunctionDecl *By, Origin O = Alloc) {
    return ObjState(Live, O, By);
  }
  /// A reference taken on an object this path did not allocate.
  static ObjState gotten(const FunctionDecl *By) {
    ObjState S(Live, Get, By);
    S.External = true;
    return S;
  }
  /// A borrowed pointer: the path holds no reference.
  static ObjState borrowed(const FunctionDecl *By) {
    ObjState S(Live, Lookup, By);
    S.External = true;
    S.Refs = 0;
    return S;
  }
  ObjState escaped() const {
    ObjState S = *this;
    S.Escaped = true;
    return S;
  }
  ObjState freed(bool Put = false) const {
    ObjState S = *this;
    S.K = Freed;
    S.ErrSym = nullptr;
    S.ByPut = Put;
    return S;
  }
  ObjState live() const {
    ObjState S = *this;
    S.K = Live;
    S.ErrSym = nullptr;
    return S;
  }
  /// Freed by an int function whose result \p Ret is not tested yet: where
  /// it turns out non-zero the free was refused (evalAssume).
  ObjState freedUnless(SymbolRef Ret) const {
    ObjState S = freed();
    S.ErrSym = Ret;
    return S;
  }
  ObjState withRefs(int N) const {
    ObjState S = *this;
    S.Refs = N;
    return S;
  }
  /// A container took over one reference (pending until \p Ret is tested).
  ObjState inserted(const FunctionDecl *Into, SymbolRef Ret) const {
    ObjState S = *this;
    S.Refs -= 1;
    S.Holder = Into;
    S.ErrSym = Ret;
    S.PendingInsert = Ret != nullptr;
    return S;
  }

  Kind kind() const { return K; }
  Origin origin() const { return From; }
  bool isFreed() const { return K == Freed; }
  bool freedByPut() const { return K == Freed && ByPut; }
  bool isEscaped() const { return Escaped; }
  bool isExternal() const { return External; }
  bool pendingInsert() const { return PendingInsert; }
  int refs() const { return Refs; }
  /// The path must still free or put it: a leak candidate.
  bool isOwned() const {
    return K != Freed && !Escaped && Refs > 0 && !PendingInsert;
  }
  SymbolRef errSym() const { return ErrSym; }
  const FunctionDecl *allocFn() const { return Fn; }
  const FunctionDecl *holder() const { return Holder; }

  bool operator==(const ObjState &O) const {
    return K == O.K && From == O.From && Escaped == O.Escaped &&
           External == O.External && ByPut == O.ByPut &&
           PendingInsert == O.PendingInsert && Refs == O.Refs &&
           ErrSym == O.ErrSym && Fn == O.Fn && Holder == O.Holder;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddInteger(From);
    ID.AddBoolean(Escaped);
    ID.AddBoolean(External);
    ID.AddBoolean(ByPut);
    ID.AddBoolean(PendingInsert);
    ID.AddInteger(Refs);
    ID.AddPointer(ErrSym);
    ID.AddPointer(Fn);
    ID.AddPointer(Holder);
  }

private:
  ObjState(Kind K, Origin O, const FunctionDecl *By) : K(K), From(O), Fn(By) {}
  Kind K;
  Origin From;
  bool Escaped = false;
  bool External = false;
  bool ByPut = false;
  bool PendingInsert = false;
  int Refs = 1;
  SymbolRef ErrSym = nullptr;
  const FunctionDecl *Fn;
  const FunctionDecl *Holder = nullptr;
};

/// The outcome of a fence wait: the wait's return value and its convention.
struct WaitResult {
  SymbolRef Ret;
  bool Timeout; // __gpuown_wait_timeout: > 0 is success
  const FunctionDecl *Fn;
  bool operator==(const WaitResult &O) const {
    return Ret == O.Ret && Timeout == O.Timeout && Fn == O.Fn;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddPointer(Ret);
    ID.AddBoolean(Timeout);
    ID.AddPointer(Fn);
  }
};

/// A value an int function returned through an out-parameter, valid only
/// where the function's result says it succeeded.
struct PendingOut {
  SymbolRef Ret;
  SymbolRef Handle; // the call's __gpuown_alloc_out object, if any
  AddrKind Kind;    // Handle: the object itself
  const FunctionDecl *Fn;
  bool operator==(const PendingOut &O) const {
    return Ret == O.Ret && Handle == O.Handle && Kind == O.Kind && Fn == O.Fn;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddPointer(Ret);
    ID.AddPointer(Handle);
    ID.AddInteger(static_cast<unsigned>(Kind));
    ID.AddPointer(Fn);
  }
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
  BugType UafBT{this, violation::USE_AFTER_FREE, "gpuown lifetime error"};
  BugType DoubleFreeBT{this, violation::DOUBLE_FREE, "gpuown lifetime error"};
  BugType BadFreeBT{this, violation::INVALID_FREE, "gpuown lifetime error"};
  BugType LeakBT{this, "GPU object leak", "gpuown lifetime error",
                 /*SuppressOnSink=*/true};
  BugType RefBT{this, "Reference count misuse", "gpuown lifetime error"};
  BugType ErrPtrBT{this, "Unchecked error pointer", "gpuown lifetime error"};
  BugType WaitBT{this, "Operation before its fence signalled",
                 "gpuown lifetime error"};
  BugType OutBT{this, "Out-parameter used before the result is tested",
                "gpuown lifetime error"};
  AnnotationCache Annots;
  // evalAssume asks the constraint manager questions through assume(),
  // which calls evalAssume again: answer those inner calls unchanged.
  mutable bool InAssume = false;

  void checkFreeArg(const CallEvent &Call, unsigned I, CheckerContext &C,
                    bool &Stop) const;
  bool checkPutArg(const CallEvent &Call, unsigned I, SVal V, SourceRange R,
                   CheckerContext &C) const;
  bool checkUnrefArg(const CallEvent &Call, unsigned I, const FnInfo &FI,
                     CheckerContext &C) const;
  bool checkErrPtrArg(const CallEvent &Call, unsigned I,
                      CheckerContext &C) const;
  bool checkFenceGate(const CallEvent &Call, const FnInfo &FI,
                      CheckerContext &C) const;
  bool checkPendingOut(SVal V, const char *How, SourceRange R,
                       CheckerContext &C) const;
  ProgramStateRef recordPendingOuts(const CallEvent &Call, const FnInfo &FI,
                                    ProgramStateRef State) const;
  ConditionTruthVal mayHaveFailed(ProgramStateRef State, SymbolRef Ret,
                                  SymbolRef Handle) const;
  void report(CheckerContext &C, const BugType &BT, std::string Msg,
              SymbolRef Sym, SourceRange R) const;
  ProgramStateRef onPostCallRoles(const CallEvent &Call, const FnInfo &FI,
                                  ProgramStateRef State,
                                  CheckerContext &C) const;
  ProgramStateRef putObject(ProgramStateRef State, SymbolRef Obj) const;
  ProgramStateRef releaseInner(ProgramStateRef State, SymbolRef Outer,
                               const ParamInfo *PI,
                               llvm::SmallVectorImpl<SymbolRef> &Inner) const;
  const NoteTag *innerNote(CheckerContext &C, const CallEvent &Call,
                           llvm::ArrayRef<SymbolRef> Inner) const;
  ConditionTruthVal isErrPtr(ProgramStateRef State, SymbolRef Sym) const;
  const NoteTag *addressNote(CheckerContext &C, const CallEvent &Call,
                             ProgramStateRef State) const;
  std::string name() const { return getCheckerName().getName().str(); }
};

} // namespace

REGISTER_MAP_WITH_PROGRAMSTATE(LifetimeMap, SymbolRef, ObjState)
// Results of __gpuown_err_ptr functions not yet known to be valid pointers.
REGISTER_MAP_WITH_PROGRAMSTATE(ErrPtrMap, SymbolRef, const FunctionDecl *)
// Fence region -> the last wait on it.
REGISTER_MAP_WITH_PROGRAMSTATE(WaitMap, const MemRegion *, WaitResult)
// Out-parameter values whose function's result is not yet tested.
REGISTER_MAP_WITH_PROGRAMSTATE(PendingOutMap, SymbolRef, PendingOut)

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
  case AddrKind::Phys:
    return "physical address";
  case AddrKind::Handle:
    break;
  }
  return "handle";
}

static std::string fnName(const FunctionDecl *FD) {
  return FD ? "'" + FD->getNameAsString() + "'" : std::string("a call");
}

namespace {
// Asks the constraint manager a question without telling the checkers: an
// assume() made only to ask would otherwise run every checker's evalAssume
// (this one's included) for each tracked object at every branch, which is
// most of what the questions cost. ConstraintManager::isNull() does the same
// for its own question; the flag is protected, so it is reached through a
// derived class.
struct QuietAssume : ConstraintManager {
  static bool &notify(ConstraintManager &CM) {
    return CM.*(&QuietAssume::NotifyAssumeClients);
  }
};
} // namespace

// Is the (unsigned) value of \p Sym in [Lo, max] certain (true), impossible
// (false) or open? With Lo = -MAX_ERRNO this is the kernel's IS_ERR_VALUE().
static ConditionTruthVal atLeast(ProgramStateRef State, SymbolRef Sym,
                                 int64_t Lo, bool Signed) {
  QualType T = Sym->getType();
  if (!T->isPointerType() && !T->isIntegralOrEnumerationType())
    return ConditionTruthVal();
  ProgramStateManager &Mgr = State->getStateManager();
  SValBuilder &SVB = Mgr.getSValBuilder();
  ASTContext &Ctx = SVB.getContext();
  unsigned W = Ctx.getTypeSize(T);
  bool Unsigned = T->isPointerType() || T->isUnsignedIntegerOrEnumerationType();
  if (Signed && Unsigned)
    return ConditionTruthVal();
  llvm::APSInt V(llvm::APInt(W, (uint64_t)Lo, /*isSigned=*/true), Unsigned);
  const llvm::APSInt &CV = SVB.getBasicValueFactory().getValue(V);
  SymbolRef E = Mgr.getSymbolManager().getSymIntExpr(Sym, BO_GE, CV, Ctx.IntTy);
  ProgramStateRef Yes, No;
  {
    SaveAndRestore<bool> Quiet(
        QuietAssume::notify(State->getConstraintManager()), false);
    std::tie(Yes, No) = State->assume(nonloc::SymbolVal(E));
  }
  if (Yes && !No)
    return ConditionTruthVal(true);
  if (!Yes && No)
    return ConditionTruthVal(false);
  return ConditionTruthVal();
}

ConditionTruthVal LifetimeChecker::isErrPtr(ProgramStateRef State,
                                            SymbolRef Sym) const {
  if (!Sym->getType()->isPointerType())
    return ConditionTruthVal();
  bool Was = InAssume;
  InAssume = true;
  ConditionTruthVal R = atLeast(State, Sym, -4095, /*Signed=*/false);
  InAssume = Was;
  return R;
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

// "freed" / "possibly freed" wording for a use report.
static std::string useMsg(const char *What, const ObjState &S, AddrKind K,
                          const std::string &Tail) {
  std::string Through =
      K == AddrKind::Handle ? "its handle" : std::string("its ") + kindWord(K);
  if (S.freedByPut())
    return std::string(What) + " of a GPU object through " + Through +
           " after a put that may have dropped its last reference" + Tail;
  return std::string(What) + " of a freed GPU object through " + Through + Tail;
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
  // A NULL-safe free of a handle known to be NULL here does nothing.
  if (isNullSym(State, O.Obj).isConstrainedTrue())
    return;
  const ObjState *S = State->get<LifetimeMap>(O.Obj);
  if (S && S->isFreed()) {
    report(C, DoubleFreeBT,
           S->freedByPut()
               ? "GPU object freed after a put that may have dropped its "
                 "last reference"
               : "GPU object freed twice",
           O.Obj, R);
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

// A put of \p V: NULL is fine; a put of an object already gone, of a borrowed
// pointer, or of a reference a container took over is reported.
bool LifetimeChecker::checkPutArg(const CallEvent &Call, unsigned I, SVal V,
                                  SourceRange R, CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  if (V.isZeroConstant())
    return false;
  // Puts take embedded references (&obj->base, &fence->refcount): any
  // pointer into the object names it.
  ObjRef O = resolve(V, State);
  if (!O || O.Kind != AddrKind::Handle)
    return false;
  if (isNullSym(State, O.Obj).isConstrainedTrue())
    return false;
  const ObjState *S = State->get<LifetimeMap>(O.Obj);
  if (!S)
    return false;
  if (S->isFreed()) {
    report(C, DoubleFreeBT,
           S->freedByPut()
               ? "GPU object put after its last reference was dropped"
               : "GPU object put after it was freed",
           O.Obj, R);
    return true;
  }
  // A put of the reference a container held (__gpuown_remove on the same
  // parameter) needs no reference of the caller's.
  if (const FunctionDecl *FD = calleeDecl(Call))
    if (Annots.get(FD).roles(I) & PR_Remove)
      return false;
  if (S->holder() && S->refs() <= 0) {
    report(C, RefBT,
           "Put of a GPU object whose reference was handed to " +
               fnName(S->holder()) + " (the container owns it now)",
           O.Obj, R);
    return true;
  }
  if (S->origin() == ObjState::Lookup && S->refs() <= 0) {
    report(C, RefBT,
           "Put of a GPU object borrowed from " + fnName(S->allocFn()) +
               " without a reference of its own",
           O.Obj, R);
    return true;
  }
  (void)I;
  return false;
}

// __gpuown_unref: the object the handle names is released; the handle is
// cleared after the call (checkPostCall). Done here, before the call, where
// the handle still names the object.
bool LifetimeChecker::checkUnrefArg(const CallEvent &Call, unsigned I,
                                    const FnInfo &FI, CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SVal P = Call.getArgSVal(I);
  if (P.isZeroConstant())
    return false;
  Optional<Loc> L = P.getAs<Loc>();
  QualType T = Call.getArgExpr(I)->IgnoreParenImpCasts()->getType();
  if (!L || !T->isPointerType() || !T->getPointeeType()->isPointerType())
    return false;
  SVal H = State->getSVal(*L, T->getPointeeType());
  SourceRange R = Call.getArgSourceRange(I);
  bool Put = FI.roles(I) & PR_Put;
  if (Put) {
    if (checkPutArg(Call, I, H, R, C))
      return true;
  } else {
    ObjRef O = resolve(H, State);
    const ObjState *S = O ? State->get<LifetimeMap>(O.Obj) : nullptr;
    if (S && S->isFreed() && !isNullSym(State, O.Obj).isConstrainedTrue()) {
      report(C, DoubleFreeBT,
             "GPU object freed twice (the handle still names it)", O.Obj, R);
      return true;
    }
  }
  ObjRef O = resolve(H, State);
  if (!O || O.Kind != AddrKind::Handle ||
      isNullSym(State, O.Obj).isConstrainedTrue())
    return false;
  const ObjState *S = State->get<LifetimeMap>(O.Obj);
  ProgramStateRef NS;
  if (Put)
    NS = putObject(State, O.Obj);
  else
    NS = State->set<LifetimeMap>(
        O.Obj, S ? S->freed() : ObjState::allocated(nullptr).freed());
  std::string Msg = "GPU object " + std::string(Put ? "put" : "freed") +
                    " by " + calleeName(Call) + " (handle cleared)";
  llvm::SmallVector<SymbolRef, 2> Inner;
  const ObjState *After = NS->get<LifetimeMap>(O.Obj);
  ProgramStateRef IS =
      After && After->isFreed()
          ? releaseInner(NS, O.Obj,
                         I < FI.Params.size() ? &FI.Params[I] : nullptr, Inner)
          : NS;
  ExplodedNode *N = C.addTransition(NS, objectNote(C, name(), O.Obj, Msg));
  if (N && IS != NS)
    C.addTransition(IS, N, innerNote(C, Call, Inner));
  return false;
}

// The inner objects \p Outer holds (its __gpuown_inner fields and the fields
// \p PI names), read from the store before the release changes it: each
// loses the reference the outer object held. A reference the path took on
// the inner object itself keeps it alive; otherwise it may be gone.
ProgramStateRef
LifetimeChecker::releaseInner(ProgramStateRef State, SymbolRef Outer,
                              const ParamInfo *PI,
                              llvm::SmallVectorImpl<SymbolRef> &Inner) const {
  QualType T = Outer->getType();
  if (!T->isPointerType())
    return State;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD)
    return State;
  MemRegionManager &MRM = State->getStateManager().getRegionManager();
  const SymbolicRegion *SR = MRM.getSymbolicRegion(Outer);
  for (const FieldDecl *F : RD->fields()) {
    if (!F->getType()->isPointerType())
      continue;
    bool Named = PI && llvm::is_contained(PI->Inner, F->getName());
    if (!Named && !hasAnnotation(F, "inner"))
      continue;
    SVal V = State->getSVal(loc::MemRegionVal(MRM.getFieldRegion(F, SR)),
                            F->getType());
    ObjRef O = resolve(V, State);
    if (!O || O.Kind != AddrKind::Handle || O.Obj == Outer ||
        isNullSym(State, O.Obj).isConstrainedTrue())
      continue;
    const ObjState *S = State->get<LifetimeMap>(O.Obj);
    if (S && (S->isFreed() || S->refs() > 0))
      continue;
    State = S ? State->set<LifetimeMap>(O.Obj, S->withRefs(0).freed(true))
              : putObject(State, O.Obj);
    Inner.push_back(O.Obj);
  }
  return State;
}

// "Reference held through its vma put by 'f'": only in a report about one of
// the inner objects.
const NoteTag *
LifetimeChecker::innerNote(CheckerContext &C, const CallEvent &Call,
                           llvm::ArrayRef<SymbolRef> Inner) const {
  std::string Name = name();
  std::string Msg = "The reference its holder kept on this GPU object is put "
                    "by " +
                    calleeName(Call) + " with the holder";
  llvm::SmallVector<SymbolRef, 2> Syms(Inner.begin(), Inner.end());
  return C.getNoteTag([Name, Msg, Syms](PathSensitiveBugReport &BR) {
    if (BR.getBugType().getCheckerName() != Name)
      return std::string();
    for (SymbolRef S : Syms)
      if (BR.isInteresting(S))
        return Msg;
    return std::string();
  });
}

// A value that may still be an ERR_PTR handed to an annotated operation.
bool LifetimeChecker::checkErrPtrArg(const CallEvent &Call, unsigned I,
                                     CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SymbolRef Sym = Call.getArgSVal(I).getAsLocSymbol();
  const FunctionDecl *const *From = Sym ? State->get<ErrPtrMap>(Sym) : nullptr;
  if (!From || isErrPtr(State, Sym).isConstrainedFalse())
    return false;
  report(C, ErrPtrBT,
         "Possible error pointer returned by " + fnName(*From) + " passed to " +
             calleeName(Call) + " (test it with IS_ERR)",
         Sym, Call.getArgSourceRange(I));
  return true;
}

// A call with a __gpuown_completes fence after a wait on it failed.
bool LifetimeChecker::checkFenceGate(const CallEvent &Call, const FnInfo &FI,
                                     CheckerContext &C) const {
  if (FI.Wait || FI.WaitTimeout || FI.FenceCheck)
    return false;
  ProgramStateRef State = C.getState();
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    if (!(FI.roles(I) & PR_Complete))
      continue;
    const MemRegion *FR = Call.getArgSVal(I).getAsRegion();
    const WaitResult *W = FR ? State->get<WaitMap>(FR) : nullptr;
    if (!W)
      continue;
    bool Failed =
        W->Timeout
            ? atLeast(State, W->Ret, 1, /*Signed=*/true).isConstrainedFalse()
            : isNullSym(State, W->Ret).isConstrainedFalse();
    if (!Failed)
      continue;
    report(C, WaitBT,
           calleeName(Call) +
               " called although the wait for its fence "
               "failed on this path (" +
               fnName(W->Fn) + " returned " +
               (W->Timeout ? "0 or an error" : "an error") + ")",
           nullptr, Call.getArgSourceRange(I));
    return true;
  }
  return false;
}

// The symbol a value names: a pointer's base symbol, an integer's symbol
// looked through casts, shifts, masks and offsets ((u32)gpu, gpu >> 32).
static SymbolRef rootSymbol(SVal V) {
  if (auto LAI = V.getAs<nonloc::LocAsInteger>())
    V = LAI->getLoc();
  if (const MemRegion *MR = V.getAsRegion()) {
    const auto *SR = dyn_cast<SymbolicRegion>(MR->getBaseRegion());
    return SR ? SR->getSymbol() : nullptr;
  }
  SymbolRef S = V.getAsSymbol();
  for (;;) {
    if (const auto *SIE = dyn_cast_or_null<SymIntExpr>(S))
      S = SIE->getLHS();
    else if (const auto *SC = dyn_cast_or_null<SymbolCast>(S))
      S = SC->getOperand();
    else
      return S;
  }
}

// Is the call whose result is \p Ret still possibly failed here? Success is
// 0 (the __gpuown_alloc_out contract); a `ret < 0` test is enough under the
// kernel's 0 / -errno convention. An allocator leaves its handle NULL when it
// fails (amdgpu_bo_create_kernel() on a NULL *bo_ptr), so a test of the
// handle \p Handle is a test too (`if (!ctx->meta_bo) return -ENOMEM;`).
// Decided either way: not pending.
ConditionTruthVal LifetimeChecker::mayHaveFailed(ProgramStateRef State,
                                                 SymbolRef Ret,
                                                 SymbolRef Handle) const {
  bool Was = InAssume;
  InAssume = true;
  bool Decided = isNullSym(State, Ret).isConstrained();
  if (!Decided && Ret->getType()->isSignedIntegerType())
    Decided = atLeast(State, Ret, 0, /*Signed=*/true).isConstrainedTrue();
  if (!Decided && Handle)
    Decided = isNullSym(State, Handle).isConstrained();
  InAssume = Was;
  return ConditionTruthVal(!Decided);
}

// What an int function returned through its out-parameters is valid only
// once its result says it succeeded.
ProgramStateRef
LifetimeChecker::recordPendingOuts(const CallEvent &Call, const FnInfo &FI,
                                   ProgramStateRef State) const {
  const unsigned Outs =
      PR_AllocOut | PR_GpuAddrOut | PR_FwAddrOut | PR_CpuAddrOut;
  if (!FI.hasRole(Outs) || !Call.getResultType()->isIntegerType())
    return State;
  SymbolRef Ret = Call.getReturnValue().getAsSymbol();
  SymbolRef Handle = nullptr;
  for (unsigned I = 0; I < Call.getNumArgs() && !Handle; ++I)
    if (FI.roles(I) & PR_AllocOut)
      Handle = allocOutSymbol(Call, I, State);
  if (!Ret || !mayHaveFailed(State, Ret, Handle).isConstrainedTrue())
    return State;
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    unsigned R = FI.roles(I) & Outs;
    if (!R)
      continue;
    SymbolRef Out = allocOutSymbol(Call, I, State);
    if (!Out || Out == Ret)
      continue;
    AddrKind K = outParamKind(R);
    State = State->set<PendingOutMap>(
        Out, PendingOut{Ret, Handle, K, calleeDecl(Call)});
  }
  return State;
}

// A use of an out-parameter's value while its call may have failed. \p How
// is "passed to 'f'" for a call, "Read" or "Write" for an access.
bool LifetimeChecker::checkPendingOut(SVal V, const char *How, SourceRange R,
                                      CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  SymbolRef S = rootSymbol(V);
  const PendingOut *P = S ? State->get<PendingOutMap>(S) : nullptr;
  if (!P || !mayHaveFailed(State, P->Ret, P->Handle).isConstrainedTrue())
    return false;
  // Freed meanwhile: the use after free is the report to make.
  if (ObjRef O = resolve(V, State))
    if (const ObjState *St = State->get<LifetimeMap>(O.Obj))
      if (St->isFreed())
        return false;
  std::string What =
      P->Kind == AddrKind::Handle ? "GPU object" : kindWord(P->Kind);
  std::string Tail = " that " + fnName(P->Fn) +
                     " returned through an out-parameter before its result "
                     "is tested";
  std::string Msg;
  StringRef H(How);
  if (H == "Read" || H == "Write")
    Msg = H.str() +
          (P->Kind == AddrKind::Handle ? " of the " : " through the ") + What +
          Tail;
  else
    Msg = "Use of the " + What + Tail + " (" + H.str() + ")";
  report(C, OutBT, Msg, S, R);
  return true;
}

void LifetimeChecker::checkPreCall(const CallEvent &Call,
                                   CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  const FnInfo *FI = FD ? &Annots.get(FD) : nullptr;
  ProgramStateRef State = C.getState();
  if (FI && FI->Any && checkFenceGate(Call, *FI, C))
    return;
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    unsigned Roles = FI ? FI->roles(I) : 0;
    // A put or free that tests for ERR_PTR itself (msm_gem_kernel_put) says
    // so with __gpuown_err_ok; any other annotated operation dereferences it.
    if (Roles && !(Roles & PR_ErrOk) && checkErrPtrArg(Call, I, C))
      return;
    // Puts and frees may be NULL-safe on a handle the failed call cleared.
    if (!(Roles & (PR_Free | PR_Put | PR_Unref | PR_ErrOk)) &&
        checkPendingOut(Call.getArgSVal(I),
                        ("passed to " + calleeName(Call)).c_str(),
                        Call.getArgSourceRange(I), C))
      return;
    if (Roles & PR_Unref) {
      if (checkUnrefArg(Call, I, *FI, C))
        return;
      continue;
    }
    if (Roles & PR_Free) {
      bool Stop = false;
      checkFreeArg(Call, I, C, Stop);
      if (Stop)
        return;
      continue;
    }
    if (Roles & PR_Put) {
      if (checkPutArg(Call, I, Call.getArgSVal(I), Call.getArgSourceRange(I),
                      C))
        return;
      continue;
    }
    ObjRef O = resolve(Call.getArgSVal(I), State);
    if (!O)
      continue;
    const ObjState *S = State->get<LifetimeMap>(O.Obj);
    if (!S || !S->isFreed())
      continue;
    if (S->freedByPut())
      report(C, UafBT,
             std::string("Use of a GPU object through its ") +
                 kindWord(O.Kind) +
                 " after a put that may have dropped its last reference "
                 "(passed to " +
                 calleeName(Call) + ")",
             O.Obj, Call.getArgSourceRange(I));
    else
      report(C, UafBT,
             std::string("Use of a freed GPU object through its ") +
                 kindWord(O.Kind) + " (passed to " + calleeName(Call) + ")",
             O.Obj, Call.getArgSourceRange(I));
    return;
  }
  // The inner objects of an outer one this call frees, or puts for what may
  // be the last time, read before the call changes the store (the release
  // itself is applied after the call). A call with an __gpuown_unref
  // parameter did this in checkUnrefArg.
  if (!FI || FI->hasRole(PR_Unref))
    return;
  llvm::SmallVector<SymbolRef, 2> Inner;
  ProgramStateRef NS = State;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI->Params.size(); ++I) {
    unsigned Roles = FI->roles(I);
    if (!(Roles & (PR_Free | PR_Put)))
      continue;
    ObjRef O = resolve(Call.getArgSVal(I), State);
    if (!O || O.Kind != AddrKind::Handle ||
        isNullSym(State, O.Obj).isConstrainedTrue())
      continue;
    if (!(Roles & PR_Free)) {
      const ObjState *After = putObject(State, O.Obj)->get<LifetimeMap>(O.Obj);
      if (!After || !After->isFreed())
        continue;
    }
    NS = releaseInner(NS, O.Obj, &FI->Params[I], Inner);
  }
  if (NS != State)
    C.addTransition(NS, innerNote(C, Call, Inner));
}

static bool intoLocal(SVal Out) {
  const MemRegion *R = Out.getAsRegion();
  return R && isa<StackLocalsSpaceRegion>(R->getBaseRegion()->getMemorySpace());
}

// One reference dropped. The object may be gone when the path held the last
// reference it knows of.
ProgramStateRef LifetimeChecker::putObject(ProgramStateRef State,
                                           SymbolRef Obj) const {
  const ObjState *S = State->get<LifetimeMap>(Obj);
  if (!S) // a reference the caller handed in: it may have been the last
    return State->set<LifetimeMap>(
        Obj, ObjState::gotten(nullptr).withRefs(0).freed(/*Put=*/true));
  if (S->isFreed())
    return State;
  int N = S->refs() - 1;
  if (N > 0 || (N == 0 && S->isExternal()) ||
      (S->holder() && !S->pendingInsert()))
    return State->set<LifetimeMap>(Obj, S->withRefs(N < 0 ? 0 : N));
  return State->set<LifetimeMap>(Obj, S->withRefs(0).freed(/*Put=*/true));
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
    if (Roles & PR_Unref) {
      // The handle is NULL after the call (the release itself was applied
      // before the call).
      if (Optional<Loc> L = Call.getArgSVal(I).getAs<Loc>()) {
        QualType T = Call.getArgExpr(I)->IgnoreParenImpCasts()->getType();
        if (T->isPointerType() && T->getPointeeType()->isPointerType() &&
            !L->isZeroConstant())
          State = State->bindLoc(
              *L, C.getSValBuilder().makeNullWithType(T->getPointeeType()),
              C.getLocationContext());
      }
      continue;
    }
    if (Roles & PR_Free) {
      ObjRef O = resolve(Call.getArgSVal(I), State);
      if (!O || O.Kind != AddrKind::Handle ||
          isNullSym(State, O.Obj).isConstrainedTrue())
        continue;
      const ObjState *S = State->get<LifetimeMap>(O.Obj);
      // Not tracked before (a parameter): restored as nobody's to free.
      ObjState NS = S ? *S : ObjState::allocated(nullptr).escaped();
      // An int free (gpuown_obj_free) refuses with a non-zero result and
      // leaves the object alive: retrying it there is no double free.
      SymbolRef R = Call.getResultType()->isIntegerType() ? Ret : nullptr;
      State = State->set<LifetimeMap>(O.Obj, NS.freedUnless(R));
      continue;
    }
    if (Roles & (PR_Get | PR_Put | PR_Insert | PR_Remove)) {
      ObjRef O = resolve(Call.getArgSVal(I), State);
      if (!O || O.Kind != AddrKind::Handle ||
          isNullSym(State, O.Obj).isConstrainedTrue())
        continue;
      const ObjState *S = State->get<LifetimeMap>(O.Obj);
      // Taken out of a container (a list, a handle table): the container's
      // reference passes to the caller, on top of any the caller held. With
      // a put on the same parameter the function drops it itself
      // (list_del() then kref_put() of the list's reference), which leaves
      // the caller's own reference alone.
      if (Roles & PR_Remove) {
        if (!S || S->isFreed())
          State = State->set<LifetimeMap>(O.Obj, ObjState::gotten(FD));
        else
          State = State->set<LifetimeMap>(O.Obj, S->withRefs(S->refs() + 1));
        S = State->get<LifetimeMap>(O.Obj);
      }
      if (Roles & PR_Get) {
        if (!S || S->isFreed())
          State = State->set<LifetimeMap>(O.Obj, ObjState::gotten(FD));
        else if (S->origin() == ObjState::Lookup && S->refs() == 0)
          State = State->set<LifetimeMap>(O.Obj, ObjState::gotten(FD));
        else
          State = State->set<LifetimeMap>(O.Obj, S->withRefs(S->refs() + 1));
      }
      if (Roles & PR_Put)
        State = putObject(State, O.Obj);
      if (Roles & PR_Insert) {
        SymbolRef R = Call.getResultType()->isIntegerType() ? Ret : nullptr;
        ObjState Base = S ? *S : ObjState::gotten(nullptr).withRefs(0);
        State = State->set<LifetimeMap>(O.Obj, Base.inserted(FD, R));
      }
    }
  }
  if (Ret && (FI.RetAlloc || FI.LookupGet))
    State = State->set<LifetimeMap>(
        Ret, ObjState::allocated(FD, FI.RetAlloc ? ObjState::Alloc
                                                 : ObjState::LookupGet));
  else if (Ret && FI.Remove)
    State =
        State->set<LifetimeMap>(Ret, ObjState::allocated(FD, ObjState::Remove));
  else if (Ret && FI.Lookup && !State->get<LifetimeMap>(Ret))
    State = State->set<LifetimeMap>(Ret, ObjState::borrowed(FD));
  if (FI.ErrPtr)
    if (SymbolRef R = Call.getReturnValue().getAsLocSymbol())
      State = State->set<ErrPtrMap>(R, FD);
  if ((FI.Wait || FI.WaitTimeout) && FI.WaitFence >= 0 &&
      (unsigned)FI.WaitFence < Call.getNumArgs())
    if (const MemRegion *FR = Call.getArgSVal(FI.WaitFence).getAsRegion())
      if (Ret)
        State = State->set<WaitMap>(FR, WaitResult{Ret, FI.WaitTimeout, FD});
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
  if (!C.wasInlined)
    State = recordPendingOuts(Call, FI, State);
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
  // One note per object this call allocated, freed or counted.
  std::string Fn = calleeName(Call);
  const LifetimeMapTy &Old = Before->get<LifetimeMap>();
  const NoteTag *Tag = nullptr;
  for (const auto &E : State->get<LifetimeMap>()) {
    const ObjState *P = Old.lookup(E.first);
    if (P && *P == E.second)
      continue;
    std::string Msg;
    if (E.second.isFreed())
      Msg = E.second.freedByPut()
                ? "Reference put by " + Fn + ": it may have been the last"
                : "GPU object freed by " + Fn;
    else if (E.second.holder() && (!P || P->holder() != E.second.holder()))
      Msg = "Reference handed to " + Fn;
    else if (P && P->kind() == E.second.kind() && P->refs() != E.second.refs())
      Msg = E.second.refs() > P->refs()
                ? "Another reference to the GPU object taken by " + Fn
                : "Reference dropped by " + Fn + "; others remain";
    else if (E.second.origin() == ObjState::Lookup)
      Msg = "GPU object borrowed from " + Fn + " (no reference taken)";
    else if (E.second.origin() == ObjState::Get ||
             E.second.origin() == ObjState::LookupGet)
      Msg = "Reference to the GPU object taken by " + Fn;
    else if (E.second.origin() == ObjState::Remove)
      Msg = "GPU object and its reference handed back by " + Fn;
    else
      Msg = "GPU object allocated by " + Fn;
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
  // A dereference of what an __gpuown_err_ptr function returned, before
  // IS_ERR() ruled the error out.
  if (const MemRegion *MR = L.getAsRegion())
    if (const auto *SR = dyn_cast<SymbolicRegion>(MR->getBaseRegion()))
      if (const FunctionDecl *const *From =
              State->get<ErrPtrMap>(SR->getSymbol()))
        if (!isErrPtr(State, SR->getSymbol()).isConstrainedFalse()) {
          report(C, ErrPtrBT,
                 "Dereference of a possible error pointer returned by " +
                     fnName(*From) + " (test it with IS_ERR)",
                 SR->getSymbol(), S ? S->getSourceRange() : SourceRange());
          return;
        }
  if (checkPendingOut(L, IsLoad ? "Read" : "Write",
                      S ? S->getSourceRange() : SourceRange(), C))
    return;
  ObjRef O = resolve(L, State);
  if (!O)
    return;
  const ObjState *St = State->get<LifetimeMap>(O.Obj);
  if (!St || !St->isFreed())
    return;
  report(C, UafBT, useMsg(IsLoad ? "Read" : "Write", *St, O.Kind, ""), O.Obj,
         S ? S->getSourceRange() : SourceRange());
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
         std::string("The ") + kindWord(O.Kind) + " of a " +
             (St->freedByPut() ? "possibly freed (put)" : "freed") +
             " GPU object is stored",
         O.Obj, S ? S->getSourceRange() : SourceRange());
}

void LifetimeChecker::checkLiveSymbols(ProgramStateRef State,
                                       SymbolReaper &SR) const {
  // The error code decides whether the object exists: keep it while needed.
  for (const auto &E : State->get<LifetimeMap>())
    if (E.second.errSym())
      SR.markLive(E.second.errSym());
  // A wait's outcome matters as long as its fence lives.
  for (const auto &E : State->get<WaitMap>())
    SR.markLive(E.second.Ret);
  // An untested result decides whether its out-parameters may be used.
  // (Not the handle: keeping it alive would hide its leak.)
  for (const auto &E : State->get<PendingOutMap>())
    SR.markLive(E.second.Ret);
}

void LifetimeChecker::checkDeadSymbols(SymbolReaper &SR,
                                       CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  llvm::SmallVector<std::pair<SymbolRef, ObjState>, 2> Leaked;
  for (const auto &E : State->get<LifetimeMap>()) {
    if (!SR.isDead(E.first))
      continue;
    if (E.second.isOwned() && !isNullSym(State, E.first).isConstrainedTrue() &&
        !isErrPtr(State, E.first).isConstrainedTrue())
      Leaked.emplace_back(E.first, E.second);
    State = State->remove<LifetimeMap>(E.first);
  }
  for (const auto &E : State->get<ErrPtrMap>())
    if (SR.isDead(E.first))
      State = State->remove<ErrPtrMap>(E.first);
  for (const auto &E : State->get<WaitMap>())
    if (!SR.isLiveRegion(E.first))
      State = State->remove<WaitMap>(E.first);
  for (const auto &E : State->get<PendingOutMap>())
    if (SR.isDead(E.first))
      State = State->remove<PendingOutMap>(E.first);
  State = reapAddresses(State, SR);
  if (Leaked.empty() || !ReportLeaks) {
    C.addTransition(State);
    return;
  }
  ExplodedNode *N = C.generateNonFatalErrorNode(State);
  if (!N)
    return;
  for (const auto &L : Leaked) {
    const ObjState &S = L.second;
    std::string Msg;
    if (S.origin() == ObjState::Get || S.origin() == ObjState::LookupGet ||
        S.origin() == ObjState::Lookup)
      Msg = "Reference to a GPU object taken by " + fnName(S.allocFn()) +
            " is leaked: not put on this path";
    else if (S.origin() == ObjState::Remove)
      Msg = "GPU object removed by " + fnName(S.allocFn()) +
            " is leaked: its reference is not put on this path";
    else {
      Msg = "GPU object";
      if (S.allocFn())
        Msg += " allocated by " + fnName(S.allocFn());
      Msg += " is leaked: not freed on this path";
    }
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
  // A concrete condition constrains no symbol: nothing to update.
  if (InAssume || !Cond.getAsSymbol(/*IncludeBaseRegions=*/true))
    return State;
  for (const auto &E : State->get<LifetimeMap>()) {
    if (E.second.isFreed()) {
      // A refused free: the object is as it was before the call.
      if (SymbolRef Err = E.second.errSym())
        if (isNullSym(State, Err).isConstrainedFalse())
          State = State->set<LifetimeMap>(E.first, E.second.live());
      continue;
    }
    // Allocation returned NULL or an ERR_PTR(): nothing was allocated.
    if (isNullSym(State, E.first).isConstrainedTrue() ||
        (E.second.kind() == ObjState::Live && E.second.refs() > 0 &&
         !E.second.isExternal() &&
         isErrPtr(State, E.first).isConstrainedTrue())) {
      State = State->remove<LifetimeMap>(E.first);
      continue;
    }
    SymbolRef Err = E.second.errSym();
    if (!Err)
      continue;
    if (E.second.pendingInsert()) {
      // Inserted where the call returned >= 0; kept where it failed.
      // Kernel functions return 0 or -errno (xa_alloc) or an id >= 0
      // (idr_alloc): `if (ret)` is a failure, `if (ret < 0)` too.
      InAssume = true;
      ConditionTruthVal Ok = atLeast(State, Err, 0, /*Signed=*/true);
      InAssume = false;
      if (!Ok.isConstrained()) {
        ConditionTruthVal Zero = isNullSym(State, Err);
        if (Zero.isConstrained())
          Ok = ConditionTruthVal(Zero.isConstrainedTrue());
      }
      if (Ok.isConstrainedTrue())
        State = State->set<LifetimeMap>(
            E.first, E.second.inserted(E.second.holder(), nullptr)
                         .withRefs(E.second.refs()));
      else if (Ok.isConstrainedFalse())
        State = State->set<LifetimeMap>(
            E.first,
            E.second.inserted(nullptr, nullptr).withRefs(E.second.refs() + 1));
      continue;
    }
    ConditionTruthVal Ok = isNullSym(State, Err);
    if (Ok.isConstrainedFalse())
      State = State->remove<LifetimeMap>(E.first);
    else if (Ok.isConstrainedTrue())
      State = State->set<LifetimeMap>(E.first, E.second.live());
  }
  // A result tested either way: its out-parameters are what it says.
  for (const auto &E : State->get<PendingOutMap>())
    if (!mayHaveFailed(State, E.second.Ret, E.second.Handle)
             .isConstrainedTrue())
      State = State->remove<PendingOutMap>(E.first);
  // An error pointer ruled out: the value is an ordinary pointer now. One
  // known to be an error: an address function that failed returned no
  // address of its object (i915's pin_map on vma->obj, whose error code is
  // read after the vma is released: `return PTR_ERR(vaddr)`).
  for (const auto &E : State->get<ErrPtrMap>()) {
    ConditionTruthVal Err = isErrPtr(State, E.first);
    if (Err.isConstrainedFalse())
      State = State->remove<ErrPtrMap>(E.first);
    else if (Err.isConstrainedTrue() && State->get<GpuownAddrMap>(E.first))
      State = State->remove<GpuownAddrMap>(E.first);
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
