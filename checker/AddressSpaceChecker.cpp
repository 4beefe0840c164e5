// SPDX-License-Identifier: MIT
//===- AddressSpaceChecker.cpp - gpuown.AddressSpace ----------------------===//
//
// Rules:
//   - a CPU pointer (cast to an integer) stored or passed where a GPU or
//     firmware address belongs: a gpu_addr_t / fw_addr_t variable, field or
//     parameter, the member of a gpu_ptr(T)/fw_ptr(T), a field annotated
//     __gpuown_gpu_addr / __gpuown_fw_addr;
//   - a GPU virtual address where a firmware address belongs, or the reverse
//     (both are plain integers to the compiler);
//   - an integer cast that launders an address: a GPU or firmware address
//     converted to a CPU pointer;
//   - a GPU or firmware address dereferenced by the CPU;
//   - arithmetic that leaves the object: a GPU/firmware address moved beyond
//     the object's size, a CPU access beyond it (sizes from
//     __gpuown_alloc_size arguments or argument-struct fields);
//   - an address of one kind (gpu, fw, phys, or a CPU pointer) passed to a
//     parameter or stored into a field marked __gpuown_addr_kind(k) of
//     another (a register that takes a page-table base, a firmware message);
//   - a count in one unit (gpu_pages, cpu_pages, bytes) reaching a slot
//     marked __gpuown_units(u) of another;
//   - a map (__gpuown_maps / __gpuown_map_size) longer than the object.
//
// The kind of a value comes from the address functions (__gpuown_cpu_addr,
// __gpuown_gpu_addr_fn, __gpuown_fw_addr_fn) through the shared address map,
// and from the declared types of the slots.
//
//     cpu_addr(obj)         gpu_addr_fn(obj)          fw_addr_fn(obj)
//         |                      |                          |
//         v                      v                          v
//      CPU ptr ---(int)---> [gpu slot] <---X--- fw addr ---> [fw slot]
//         |   (REPORT)           ^                 (REPORT)     ^
//         | deref OK             +---------- GPU addr ----X-----+
//         v                              | (void *) / deref
//     [obj bytes, < size]                v
//                               CPU pointer (REPORT)
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

using namespace clang;
using namespace ento;
using namespace gpuown;

namespace {

class AddressSpaceChecker
    : public Checker<check::PreCall, check::PostCall, check::Bind,
                     check::Location, check::PostStmt<CastExpr>,
                     check::PostStmt<BinaryOperator>, check::DeadSymbols> {
public:
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPostCall(const CallEvent &Call, CheckerContext &C) const;
  void checkBind(SVal L, SVal V, const Stmt *S, CheckerContext &C) const;
  void checkLocation(SVal L, bool IsLoad, const Stmt *S,
                     CheckerContext &C) const;
  void checkPostStmt(const CastExpr *CE, CheckerContext &C) const;
  void checkPostStmt(const BinaryOperator *BO, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;

private:
  BugType MixBT{this, "Address of the wrong address space",
                "gpuown address space error"};
  BugType DerefBT{this, "GPU address used as a CPU pointer",
                  "gpuown address space error"};
  BugType BoundsBT{this, violation::OUT_OF_BOUNDS,
                   "gpuown address space error"};
  AnnotationCache Annots;

  BugType UnitsBT{this, "Count in the wrong page unit",
                  "gpuown address space error"};
  bool checkValueInto(AddrType Slot, SVal V, std::string Where, SourceRange R,
                      CheckerContext &C) const;
  bool checkKindInto(StringRef Kind, SVal V, std::string Where, SourceRange R,
                     CheckerContext &C) const;
  bool checkUnitsInto(StringRef Units, SVal V, std::string Where, SourceRange R,
                      CheckerContext &C) const;
  bool checkMapRange(const CallEvent &Call, const FnInfo &FI,
                     CheckerContext &C) const;
  Optional<uint64_t> allocSize(const CallEvent &Call, const FnInfo &FI,
                               ProgramStateRef State) const;
};

} // namespace

// Object -> size in bytes, when the allocation said.
REGISTER_MAP_WITH_PROGRAMSTATE(ObjSizeMap, SymbolRef, uint64_t)
// Count -> its unit (1 gpu_pages, 2 cpu_pages, 3 bytes), from a function's
// __gpuown_units result.
REGISTER_MAP_WITH_PROGRAMSTATE(UnitMap, SymbolRef, unsigned)

static unsigned unitCode(StringRef U) {
  return U == "gpu_pages" ? 1 : U == "cpu_pages" ? 2 : U == "bytes" ? 3 : 0;
}

static const char *unitWord(unsigned U) {
  return U == 1 ? "GPU pages" : U == 2 ? "CPU pages" : "bytes";
}

static unsigned unitOfSym(SymbolRef S, ProgramStateRef State);

// The unit of a count: what the function that returned it said, or the
// field or parameter it was read from, carried through the arithmetic that
// keeps a unit: adding or subtracting a constant (n + 1, end - 1) or another
// count of the same unit (first + n). Multiplying, dividing and shifting are
// how a count is converted (npages << (GPU_PAGE_SHIFT - PAGE_SHIFT), n *
// PAGE_SIZE), so they drop the unit, as does mixing two units.
static unsigned unitOf(SVal V, ProgramStateRef State) {
  return unitOfSym(V.getAsSymbol(), State);
}

static unsigned unitOfSym(SymbolRef S, ProgramStateRef State) {
  for (;;) {
    if (const auto *SC = dyn_cast_or_null<SymbolCast>(S))
      S = SC->getOperand();
    else if (const auto *SIE = dyn_cast_or_null<SymIntExpr>(S)) {
      if (SIE->getOpcode() != BO_Add && SIE->getOpcode() != BO_Sub)
        return 0;
      S = SIE->getLHS();
    } else if (const auto *ISE = dyn_cast_or_null<IntSymExpr>(S)) {
      if (ISE->getOpcode() != BO_Add)
        return 0;
      S = ISE->getRHS();
    } else if (const auto *SSE = dyn_cast_or_null<SymSymExpr>(S)) {
      if (SSE->getOpcode() != BO_Add && SSE->getOpcode() != BO_Sub)
        return 0;
      unsigned L = unitOfSym(SSE->getLHS(), State);
      return L && L == unitOfSym(SSE->getRHS(), State) ? L : 0;
    } else
      break;
  }
  if (!S)
    return 0;
  if (const unsigned *U = State->get<UnitMap>(S))
    return *U;
  const MemRegion *From = nullptr;
  if (const auto *RV = dyn_cast<SymbolRegionValue>(S))
    From = RV->getRegion();
  else if (const auto *DV = dyn_cast<SymbolDerived>(S))
    From = DV->getRegion();
  const Decl *D = nullptr;
  if (const auto *FR = dyn_cast_or_null<FieldRegion>(From))
    D = FR->getDecl();
  else if (const auto *VR = dyn_cast_or_null<VarRegion>(From))
    D = VR->getDecl();
  if (!D)
    return 0;
  if (Optional<StringRef> U = getAnnotation(D, "units"))
    return unitCode(U->trim());
  return 0;
}

static const char *kindWord(AddrKind K, bool Cap) {
  switch (K) {
  case AddrKind::Gpu:
    return Cap ? "GPU address" : "a GPU address";
  case AddrKind::Fw:
    return Cap ? "Firmware address" : "a firmware address";
  case AddrKind::Phys:
    return Cap ? "Physical address" : "a physical address";
  default:
    return Cap ? "CPU pointer" : "a CPU pointer";
  }
}

static AddrKind kindOf(StringRef K) {
  return K == "gpu"    ? AddrKind::Gpu
         : K == "fw"   ? AddrKind::Fw
         : K == "phys" ? AddrKind::Phys
                       : AddrKind::Handle;
}

static const char *spaceWord(AddrType T) {
  return T == AddrType::Gpu ? "a GPU address" : "a firmware address";
}

// The address type a memory location holds.
static AddrType slotType(const MemRegion *R) {
  // An array element: the array's declared element type keeps the typedef.
  if (const auto *ER = dyn_cast_or_null<ElementRegion>(R)) {
    const MemRegion *Super = ER->getSuperRegion();
    if (const auto *FR = dyn_cast<FieldRegion>(Super)) {
      if (AddrType T = getFieldAddrType(FR->getDecl()); T != AddrType::None)
        return T;
      if (const ArrayType *AT =
              FR->getDecl()->getType()->getAsArrayTypeUnsafe())
        return getAddrType(AT->getElementType());
    }
    if (const auto *VR = dyn_cast<VarRegion>(Super))
      if (const ArrayType *AT =
              VR->getDecl()->getType()->getAsArrayTypeUnsafe())
        return getAddrType(AT->getElementType());
  }
  if (const auto *FR = dyn_cast_or_null<FieldRegion>(R))
    return getFieldAddrType(FR->getDecl());
  if (const auto *TR = dyn_cast_or_null<TypedValueRegion>(R))
    return getAddrType(TR->getValueType());
  return AddrType::None;
}

bool AddressSpaceChecker::checkValueInto(AddrType Slot, SVal V,
                                         std::string Where, SourceRange R,
                                         CheckerContext &C) const {
  if (Slot == AddrType::None)
    return false;
  ObjRef O = resolve(V, C.getState());
  std::string Msg;
  if (V.getAs<nonloc::LocAsInteger>() || O.Kind == AddrKind::Cpu)
    Msg = "CPU pointer " + Where + " where " + spaceWord(Slot) + " belongs";
  else if (O && O.Kind == AddrKind::Gpu && Slot == AddrType::Fw)
    Msg = "GPU virtual address " + Where + " where a firmware address belongs";
  else if (O && O.Kind == AddrKind::Fw && Slot == AddrType::Gpu)
    Msg = "Firmware address " + Where + " where a GPU address belongs";
  else
    return false;
  emitReport(C, MixBT, Msg, O.Obj, R, /*Sink=*/true);
  return true;
}

void AddressSpaceChecker::checkBind(SVal L, SVal V, const Stmt *S,
                                    CheckerContext &C) const {
  SourceRange R = S ? S->getSourceRange() : SourceRange();
  if (checkValueInto(slotType(L.getAsRegion()), V, "stored", R, C))
    return;
  const auto *FR = dyn_cast_or_null<FieldRegion>(L.getAsRegion());
  if (!FR)
    return;
  if (Optional<StringRef> K = getAnnotation(FR->getDecl(), "addr_kind"))
    if (checkKindInto(K->trim(), V, "stored", R, C))
      return;
  if (Optional<StringRef> U = getAnnotation(FR->getDecl(), "units"))
    checkUnitsInto(U->trim(), V, "stored", R, C);
}

bool AddressSpaceChecker::checkKindInto(StringRef Kind, SVal V,
                                        std::string Where, SourceRange R,
                                        CheckerContext &C) const {
  AddrKind Want = kindOf(Kind);
  if (Want == AddrKind::Handle)
    return false;
  ProgramStateRef State = C.getState();
  AddrInfo AI = addressOf(V, State);
  AddrKind Got = AI.Obj ? AI.Kind : AddrKind::Handle;
  ObjRef O = resolve(V, State);
  if (V.getAs<nonloc::LocAsInteger>() || (O && O.Kind == AddrKind::Cpu)) {
    Got = AddrKind::Cpu;
    AI.Obj = O.Obj;
  }
  if (Got == AddrKind::Handle || Got == Want)
    return false;
  emitReport(C, MixBT,
             std::string(kindWord(Got, true)) + " " + Where + " where " +
                 kindWord(Want, false) + " belongs",
             AI.Obj, R, /*Sink=*/true);
  return true;
}

bool AddressSpaceChecker::checkUnitsInto(StringRef Units, SVal V,
                                         std::string Where, SourceRange R,
                                         CheckerContext &C) const {
  unsigned Want = unitCode(Units), Got = unitOf(V, C.getState());
  if (!Want || !Got || Want == Got)
    return false;
  emitReport(C, UnitsBT,
             std::string("A count of ") + unitWord(Got) + " " + Where +
                 " where " + unitWord(Want) + " belong",
             nullptr, R, /*Sink=*/true);
  return true;
}

bool AddressSpaceChecker::checkMapRange(const CallEvent &Call, const FnInfo &FI,
                                        CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  const uint64_t *Size = nullptr;
  SymbolRef Obj = nullptr;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I)
    if (FI.Params[I].AddrRoles & AR_Map)
      if (ObjRef O = resolve(Call.getArgSVal(I), State)) {
        Size = State->get<ObjSizeMap>(O.Obj);
        Obj = O.Obj;
      }
  if (!Size)
    return false;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    if (!(FI.Params[I].AddrRoles & AR_MapSize))
      continue;
    auto CI = Call.getArgSVal(I).getAs<nonloc::ConcreteInt>();
    if (!CI || CI->getValue().getZExtValue() <= *Size)
      continue;
    emitReport(C, BoundsBT,
               "Map of " + std::to_string(CI->getValue().getZExtValue()) +
                   " bytes of a GPU object of " + std::to_string(*Size) +
                   " bytes",
               Obj, Call.getArgSourceRange(I), /*Sink=*/true);
    return true;
  }
  return false;
}

void AddressSpaceChecker::checkPreCall(const CallEvent &Call,
                                       CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  // The message's "passed to 'f'" is built only for a parameter that can be
  // reported: this runs for every call the analyzer sees.
  for (unsigned I = 0; I < Call.getNumArgs() && I < FD->getNumParams(); ++I) {
    AddrType Slot = getAddrType(FD->getParamDecl(I)->getType());
    if (Slot != AddrType::None &&
        checkValueInto(Slot, Call.getArgSVal(I),
                       "passed to " + calleeName(Call),
                       Call.getArgSourceRange(I), C))
      return;
  }
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  for (unsigned I = 0; I < Call.getNumArgs() && I < FI.Params.size(); ++I) {
    const ParamInfo &P = FI.Params[I];
    if (P.AddrKindReq.empty() && P.Units.empty())
      continue;
    std::string Where = "passed to " + calleeName(Call);
    if (!P.AddrKindReq.empty() &&
        checkKindInto(P.AddrKindReq, Call.getArgSVal(I), Where,
                      Call.getArgSourceRange(I), C))
      return;
    if (!P.Units.empty() && checkUnitsInto(P.Units, Call.getArgSVal(I), Where,
                                           Call.getArgSourceRange(I), C))
      return;
  }
  if (FI.hasAddrRole(AR_Map))
    checkMapRange(Call, FI, C);
}

Optional<uint64_t> AddressSpaceChecker::allocSize(const CallEvent &Call,
                                                  const FnInfo &FI,
                                                  ProgramStateRef State) const {
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    SVal V = Call.getArgSVal(I);
    if (FI.roles(I) & PR_AllocSize) {
      if (auto CI = V.getAs<nonloc::ConcreteInt>())
        return CI->getValue().getZExtValue();
      continue;
    }
    // An argument struct with a size field (struct gpuown_alloc_args).
    const MemRegion *R = V.getAsRegion();
    QualType T = Call.getArgExpr(I)->getType();
    if (!R || !T->isPointerType())
      continue;
    const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
    if (!RD)
      continue;
    for (const FieldDecl *F : RD->fields()) {
      if (!hasAnnotation(F, "alloc_size"))
        continue;
      MemRegionManager &MRM = State->getStateManager().getRegionManager();
      const SubRegion *Base = dyn_cast<SubRegion>(R->StripCasts());
      if (!Base)
        continue;
      SVal Size = State->getSVal(MRM.getFieldRegion(F, Base));
      if (auto CI = Size.getAs<nonloc::ConcreteInt>())
        if (!CI->getValue().isZero())
          return CI->getValue().getZExtValue();
    }
  }
  return None;
}

void AddressSpaceChecker::checkPostCall(const CallEvent &Call,
                                        CheckerContext &C) const {
  const FunctionDecl *FD = calleeDecl(Call);
  if (!FD)
    return;
  const FnInfo &FI = Annots.get(FD);
  if (!FI.Any)
    return;
  ProgramStateRef State = recordAddress(Call, FI, C.getState());
  if (unsigned U = unitCode(FI.RetUnits))
    if (SymbolRef Ret = Call.getReturnValue().getAsSymbol())
      State = State->set<UnitMap>(Ret, U);
  Optional<uint64_t> Size;
  if (FI.RetAlloc || FI.hasRole(PR_AllocOut))
    Size = allocSize(Call, FI, State);
  if (Size && FI.RetAlloc)
    if (SymbolRef Ret = Call.getReturnValue().getAsSymbol())
      State = State->set<ObjSizeMap>(Ret, *Size);
  for (unsigned I = 0; Size && I < Call.getNumArgs(); ++I)
    if (FI.roles(I) & PR_AllocOut)
      if (SymbolRef Obj = allocOutSymbol(Call, I, State))
        State = State->set<ObjSizeMap>(Obj, *Size);
  if (State != C.getState())
    C.addTransition(State);
}

void AddressSpaceChecker::checkPostStmt(const CastExpr *CE,
                                        CheckerContext &C) const {
  if (CE->getCastKind() != CK_IntegralToPointer)
    return;
  const Expr *Sub = CE->getSubExpr();
  ObjRef O = resolve(C.getSVal(Sub), C.getState());
  // (void *)(uintptr_t)va: the address type is below the integer casts.
  AddrType T = getAddrType(Sub->IgnoreParenImpCasts()->getType());
  if (T == AddrType::None)
    T = getAddrType(Sub->IgnoreParenCasts()->getType());
  if (O && (O.Kind == AddrKind::Gpu || O.Kind == AddrKind::Fw))
    T = O.Kind == AddrKind::Gpu ? AddrType::Gpu : AddrType::Fw;
  if (T == AddrType::None)
    return;
  ExplodedNode *N = C.generateErrorNode();
  if (!N)
    return;
  auto Rep = std::make_unique<PathSensitiveBugReport>(
      DerefBT,
      std::string(T == AddrType::Gpu ? "GPU" : "Firmware") +
          " address converted to a CPU pointer",
      N);
  Rep->addRange(CE->getSourceRange());
  if (O)
    Rep->markInteresting(O.Obj);
  C.emitReport(std::move(Rep));
}

void AddressSpaceChecker::checkLocation(SVal L, bool IsLoad, const Stmt *S,
                                        CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  ObjRef O = resolve(L, State);
  if (!O)
    return;
  SourceRange R = S ? S->getSourceRange() : SourceRange();
  if (O.Kind == AddrKind::Gpu || O.Kind == AddrKind::Fw) {
    emitReport(C, DerefBT,
               std::string(O.Kind == AddrKind::Gpu ? "GPU" : "Firmware") +
                   " address dereferenced by the CPU",
               O.Obj, R, /*Sink=*/true);
    return;
  }
  const uint64_t *Size = State->get<ObjSizeMap>(O.Obj);
  const MemRegion *MR = L.getAsRegion();
  if (!Size || O.Kind != AddrKind::Cpu || !MR)
    return;
  RegionOffset Off = MR->getAsOffset();
  if (!Off.isValid() || Off.hasSymbolicOffset())
    return;
  int64_t Byte = Off.getOffset() / C.getASTContext().getCharWidth();
  if (Byte >= 0 && (uint64_t)Byte < *Size)
    return;
  emitReport(C, BoundsBT,
             "CPU access at offset " + std::to_string(Byte) +
                 " of a GPU object of " + std::to_string(*Size) + " bytes",
             O.Obj, R, /*Sink=*/true);
}

// Constant offset of "sym + c1 - c2 ..." from its root symbol.
static int64_t symOffset(SymbolRef S) {
  int64_t Off = 0;
  while (const auto *SIE = dyn_cast_or_null<SymIntExpr>(S)) {
    if (SIE->getOpcode() == BO_Add)
      Off += SIE->getRHS().getExtValue();
    else if (SIE->getOpcode() == BO_Sub)
      Off -= SIE->getRHS().getExtValue();
    else
      break;
    S = SIE->getLHS();
  }
  return Off;
}

void AddressSpaceChecker::checkPostStmt(const BinaryOperator *BO,
                                        CheckerContext &C) const {
  if (!BO->isAdditiveOp() && BO->getOpcode() != BO_AddAssign &&
      BO->getOpcode() != BO_SubAssign)
    return;
  ProgramStateRef State = C.getState();
  SVal V = C.getSVal(BO);
  ObjRef O = resolve(V, State);
  if (!O || (O.Kind != AddrKind::Gpu && O.Kind != AddrKind::Fw))
    return;
  const uint64_t *Size = State->get<ObjSizeMap>(O.Obj);
  if (!Size)
    return;
  int64_t Off = symOffset(V.getAsSymbol());
  // One past the end is a legal bound, as for C pointers.
  if (Off >= 0 && (uint64_t)Off <= *Size)
    return;
  emitReport(C, BoundsBT,
             std::string(O.Kind == AddrKind::Gpu ? "GPU" : "Firmware") +
                 " address moved to offset " + std::to_string(Off) +
                 ", outside its object of " + std::to_string(*Size) + " bytes",
             O.Obj, BO->getSourceRange(), /*Sink=*/false);
}

void AddressSpaceChecker::checkDeadSymbols(SymbolReaper &SR,
                                           CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  for (const auto &E : State->get<UnitMap>())
    if (SR.isDead(E.first))
      State = State->remove<UnitMap>(E.first);
  for (const auto &E : State->get<ObjSizeMap>())
    if (SR.isDead(E.first))
      State = State->remove<ObjSizeMap>(E.first);
  State = reapAddresses(State, SR);
  C.addTransition(State);
}

void gpuown::registerAddressSpaceChecker(CheckerManager &Mgr) {
  Mgr.registerChecker<AddressSpaceChecker>();
}
