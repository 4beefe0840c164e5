// SPDX-License-Identifier: MIT
//===- GpuownAnnotations.cpp - Read gpuown annotate() strings -------------===//
//
// Parses the "gpuown_<what>[:<arg>]" strings once per declaration. Attributes
// written on one redeclaration only (a prototype in a header, the definition
// elsewhere) still count, so every redeclaration is read.
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <cstring>
#include <map>

using namespace clang;
using llvm::StringRef;

namespace gpuown {

static const StringRef Prefix = "gpuown_";

// Facts a profile attaches to existing structs and fields
// (GPUOWN_FIELD_FACT / GPUOWN_STRUCT_FACT): extern declarations whose
// "gpuown_fact_field:rec:field" / "gpuown_fact_struct:rec" string names the
// target, and whose other annotations are the target's. Read once per
// translation unit, keyed on the field / the record's canonical declaration.
namespace {
struct FactTable {
  llvm::DenseMap<const Decl *, llvm::SmallVector<StringRef, 2>> Facts;
};
} // namespace

static const RecordDecl *findRecord(const ASTContext &Ctx, StringRef Name) {
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *RD = dyn_cast<RecordDecl>(D);
    if (RD && RD->getName() == Name && RD->getDefinition())
      return RD->getDefinition();
  }
  return nullptr;
}

static void addFacts(const VarDecl *VD, const Decl *Target, FactTable &T) {
  if (!Target)
    return;
  for (const auto *A : VD->specific_attrs<AnnotateAttr>()) {
    StringRef S = A->getAnnotation();
    if (S.startswith(Prefix) && !S.startswith("gpuown_fact_"))
      T.Facts[Target].push_back(S.drop_front(Prefix.size()));
  }
}

static const FactTable &factTable(const ASTContext &Ctx) {
  static std::map<const ASTContext *, FactTable> Tables;
  auto It = Tables.find(&Ctx);
  if (It != Tables.end())
    return It->second;
  FactTable &T = Tables[&Ctx];
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->hasAttr<AnnotateAttr>())
      continue;
    for (const auto *A : VD->specific_attrs<AnnotateAttr>()) {
      StringRef S = A->getAnnotation();
      if (S.consume_front("gpuown_fact_struct:")) {
        if (const RecordDecl *RD = findRecord(Ctx, S.trim()))
          addFacts(VD, RD->getCanonicalDecl(), T);
      } else if (S.consume_front("gpuown_fact_field:")) {
        std::pair<StringRef, StringRef> RF = S.split(':');
        const RecordDecl *RD = findRecord(Ctx, RF.first.trim());
        if (!RD)
          continue;
        for (const FieldDecl *FD : RD->fields())
          if (FD->getName() == RF.second.trim())
            addFacts(VD, FD, T);
      }
    }
  }
  return T;
}

void forEachAnnotation(const Decl *D, llvm::function_ref<void(StringRef)> F) {
  if (!D)
    return;
  for (const Decl *R : D->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation().startswith(Prefix))
        F(A->getAnnotation().drop_front(Prefix.size()));
  if (!isa<FieldDecl, RecordDecl>(D))
    return;
  const FactTable &T = factTable(D->getASTContext());
  if (T.Facts.empty())
    return;
  const Decl *Key = isa<RecordDecl>(D) ? D->getCanonicalDecl() : D;
  auto It = T.Facts.find(Key);
  if (It != T.Facts.end())
    for (StringRef S : It->second)
      F(S);
}

llvm::Optional<StringRef> getAnnotation(const Decl *D, StringRef Key) {
  llvm::Optional<StringRef> Found;
  forEachAnnotation(D, [&](StringRef S) {
    if (Found || !S.startswith(Key))
      return;
    StringRef Rest = S.drop_front(Key.size());
    if (Rest.empty())
      Found = Rest;
    else if (Rest.front() == ':')
      Found = Rest.drop_front();
  });
  return Found;
}

bool FnInfo::hasAddrRole(unsigned Role) const {
  for (const ParamInfo &P : Params)
    if (P.AddrRoles & Role)
      return true;
  return false;
}

static unsigned addrRoleOf(StringRef S) {
  return llvm::StringSwitch<unsigned>(S)
      .Case("publish_addr", AR_PublishAddr)
      .Case("map", AR_Map)
      .Case("map_size", AR_MapSize)
      .Case("vm_unmap", AR_VmUnmap)
      .Case("sync_for_device", AR_SyncForDevice)
      .Default(0);
}

bool FnInfo::hasRole(unsigned Role) const {
  for (const ParamInfo &P : Params)
    if (P.Roles & Role)
      return true;
  return false;
}

bool FnInfo::isContract() const {
  // Only annotations that change what the analyzer tracks: pure address
  // functions, variant checks and state queries stay inlinable.
  const unsigned Changes =
      PR_AllocOut | PR_Free | PR_Publish | PR_FwGet | PR_Reclaim | PR_Share |
      PR_Detach | PR_CpuBegin | PR_CpuEnd | PR_StoreContainer | PR_StoreTarget |
      PR_StoreClear | PR_Unmap | PR_Get | PR_Put | PR_Unref | PR_Insert |
      PR_Remove | PR_GpuAddrOut | PR_FwAddrOut | PR_CpuAddrOut;
  if (RetAlloc || ErrPtr || Lookup || LookupGet || Remove || Wait ||
      WaitTimeout || FenceCheck || !RetLifecycle.empty())
    return true;
  // A hand-over by address changes who owns every object whose address the
  // message holds: evaluated here, the send keeps the fields around a
  // struct it is handed (&guc->ct, where guc came from container_of() on
  // the caller's own struct), which the engine would invalidate whole.
  for (const ParamInfo &P : Params)
    if ((P.Roles & Changes) || !P.Lifecycle.empty() ||
        (P.AddrRoles & AR_PublishAddr))
      return true;
  return false;
}

// "lc:from->to", "lc:st" or "lc".
static bool parseLifecycleOp(StringRef Kind, StringRef Arg, LifecycleOp &Op) {
  std::pair<StringRef, StringRef> LcRest = Arg.split(':');
  Op.Lifecycle = LcRest.first.trim();
  if (Kind == "transition") {
    std::pair<StringRef, StringRef> FT = LcRest.second.split("->");
    Op.K = LifecycleOp::Transition;
    Op.From = FT.first.trim();
    Op.To = FT.second.trim();
    return !Op.From.empty() && !Op.To.empty();
  }
  if (Kind == "in_state") {
    Op.K = LifecycleOp::InState;
    Op.From = LcRest.second.trim();
    return !Op.From.empty();
  }
  Op.K = LifecycleOp::Init;
  return !Op.Lifecycle.empty();
}

static bool addLifecycleOp(StringRef S,
                           llvm::SmallVectorImpl<LifecycleOp> &Ops) {
  for (StringRef Kind : {"transition", "in_state", "lifecycle_init"}) {
    if (!S.startswith(Kind) || S.size() <= Kind.size() || S[Kind.size()] != ':')
      continue;
    LifecycleOp Op;
    if (parseLifecycleOp(Kind, S.drop_front(Kind.size() + 1), Op))
      Ops.push_back(Op);
    return true;
  }
  return false;
}

static unsigned roleOf(StringRef S) {
  return llvm::StringSwitch<unsigned>(S)
      .Case("alloc_out", PR_AllocOut)
      .Case("free", PR_Free)
      .Case("publish", PR_Publish)
      .Case("fw_get", PR_FwGet)
      .Case("reclaim", PR_Reclaim)
      .Case("share", PR_Share)
      .Case("detach", PR_Detach)
      .Case("complete", PR_Complete)
      .Case("addr_of", PR_AddrOf)
      .Case("cpu_begin", PR_CpuBegin)
      .Case("cpu_end", PR_CpuEnd)
      .Case("use", PR_Use)
      .Case("store_container", PR_StoreContainer)
      .Case("store_target", PR_StoreTarget)
      .Case("store_clear", PR_StoreClear)
      .Case("unmap", PR_Unmap)
      .Case("alloc_size", PR_AllocSize)
      .Case("variant_check", PR_VariantCheck)
      .Case("get", PR_Get)
      .Case("put", PR_Put)
      .Case("unref", PR_Unref)
      .Case("insert", PR_Insert)
      .Case("remove", PR_Remove)
      .Case("err_ok", PR_ErrOk)
      .Case("gpu_addr_out", PR_GpuAddrOut)
      .Case("fw_addr_out", PR_FwAddrOut)
      .Case("cpu_addr_out", PR_CpuAddrOut)
      .Default(0);
}

static void readParam(const FunctionDecl *FD, unsigned I, ParamInfo &P) {
  for (const FunctionDecl *R : FD->redecls()) {
    if (I >= R->getNumParams())
      continue;
    forEachAnnotation(R->getParamDecl(I), [&](StringRef S) {
      if (unsigned Role = roleOf(S)) {
        P.Roles |= Role;
        return;
      }
      if (S.startswith("requires:")) {
        P.Requires = S.drop_front(strlen("requires:"));
        return;
      }
      if (unsigned Role = addrRoleOf(S)) {
        P.AddrRoles |= Role;
        return;
      }
      if (S.startswith("addr_kind:")) {
        P.AddrKindReq = S.drop_front(strlen("addr_kind:")).trim();
        return;
      }
      if (S.startswith("units:")) {
        P.Units = S.drop_front(strlen("units:")).trim();
        return;
      }
      if (S.startswith("inner:")) {
        P.Inner.push_back(S.drop_front(strlen("inner:")).trim());
        return;
      }
      addLifecycleOp(S, P.Lifecycle);
    });
  }
}

static void readFunction(const FunctionDecl *FD, FnInfo &I) {
  forEachAnnotation(FD, [&](StringRef S) {
    I.Any = true;
    if (S == "alloc")
      I.RetAlloc = true;
    else if (S == "cpu_addr")
      I.RetCpuAddr = true;
    else if (S == "gpu_addr_fn")
      I.RetGpuAddr = true;
    else if (S == "fw_addr_fn")
      I.RetFwAddr = true;
    else if (S == "fence_reached")
      I.FenceCheck = true;
    else if (S == "state_query")
      I.StateQuery = true;
    else if (S == "err_ptr")
      I.ErrPtr = true;
    else if (S == "lookup")
      I.Lookup = true;
    else if (S == "lookup_get")
      I.LookupGet = true;
    else if (S == "remove")
      I.Remove = true;
    else if (S == "wait")
      I.Wait = true;
    else if (S == "wait_timeout")
      I.WaitTimeout = true;
    else if (S == "phys_addr_fn")
      I.RetPhysAddr = true;
    else if (S == "tlb_invalidate")
      I.TlbInvalidate = true;
    else if (S.startswith("mapping:"))
      I.Mapping = S.drop_front(strlen("mapping:")).trim();
    else if (S.startswith("units:"))
      I.RetUnits = S.drop_front(strlen("units:")).trim();
    else
      addLifecycleOp(S, I.RetLifecycle);
  });
}

const FnInfo &AnnotationCache::get(const FunctionDecl *FD) const {
  FD = FD->getCanonicalDecl();
  std::unique_ptr<FnInfo> &Slot = Cache[FD];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<FnInfo>();
  FnInfo &I = *Slot;
  readFunction(FD, I);
  I.Params.resize(FD->getNumParams());
  for (unsigned P = 0; P < FD->getNumParams(); ++P) {
    readParam(FD, P, I.Params[P]);
    if (I.Params[P].Roles || !I.Params[P].Requires.empty() ||
        !I.Params[P].Lifecycle.empty() || I.Params[P].AddrRoles ||
        !I.Params[P].AddrKindReq.empty() || !I.Params[P].Units.empty() ||
        !I.Params[P].Inner.empty())
      I.Any = true;
    if ((I.Params[P].Roles & PR_AddrOf) && I.AddrOf < 0)
      I.AddrOf = P;
  }
  // On a function, a transition or state requirement concerns the object it
  // operates on: its first pointer parameter. Only lifecycle_init names the
  // returned object.
  llvm::SmallVector<LifecycleOp, 1> Ret;
  for (const LifecycleOp &Op : I.RetLifecycle) {
    if (Op.K == LifecycleOp::Init) {
      Ret.push_back(Op);
      continue;
    }
    for (unsigned P = 0; P < FD->getNumParams(); ++P)
      if (FD->getParamDecl(P)->getType()->isPointerType()) {
        I.Params[P].Lifecycle.push_back(Op);
        break;
      }
  }
  I.RetLifecycle = Ret;
  // A free through a pointer to a pointer frees what the handle names.
  for (unsigned P = 0; P < FD->getNumParams(); ++P) {
    QualType T = FD->getParamDecl(P)->getType();
    if ((I.Params[P].Roles & PR_Free) && T->isPointerType() &&
        T->getPointeeType()->isPointerType())
      I.Params[P].Roles |= PR_Unref;
  }
  // A wait names its fence by __gpuown_completes, else its first parameter.
  if (I.Wait || I.WaitTimeout) {
    for (unsigned P = 0; P < FD->getNumParams() && I.WaitFence < 0; ++P)
      if (I.Params[P].Roles & PR_Complete)
        I.WaitFence = P;
    if (I.WaitFence < 0 && FD->getNumParams() > 0)
      I.WaitFence = 0;
  }
  // An address function without an explicit addr_of names its first param.
  if ((I.RetCpuAddr || I.RetGpuAddr || I.RetFwAddr || I.RetPhysAddr) &&
      I.AddrOf < 0 && FD->getNumParams() > 0)
    I.AddrOf = 0;
  return I;
}

llvm::Optional<FwStructInfo> getFwStruct(const RecordDecl *RD) {
  llvm::Optional<StringRef> A = getAnnotation(RD, "fw_struct");
  if (!A)
    return llvm::None;
  llvm::SmallVector<StringRef, 3> Parts;
  A->split(Parts, ':');
  FwStructInfo Info;
  Info.Name = Parts[0];
  if (Parts.size() > 1)
    Info.Variant = Parts[1];
  if (Parts.size() > 2 && Parts[2].trim().getAsInteger(0, Info.Footprint))
    Info.Footprint = 0;
  return Info;
}

PtrKind getPtrKind(QualType T) {
  const RecordDecl *RD = T.isNull() ? nullptr : T->getAsRecordDecl();
  if (!RD)
    return PtrKind::None;
  PtrKind K = PtrKind::None;
  forEachAnnotation(RD, [&](StringRef S) {
    if (S.startswith("gpu_ptr:"))
      K = PtrKind::GpuStrong;
    else if (S.startswith("gpu_weak_ptr:"))
      K = PtrKind::GpuWeak;
    else if (S.startswith("fw_ptr:"))
      K = PtrKind::FwStrong;
    else if (S.startswith("fw_weak_ptr:"))
      K = PtrKind::FwWeak;
  });
  return K;
}

AddrType getAddrType(QualType T) {
  while (!T.isNull()) {
    const auto *TT = T->getAs<TypedefType>();
    if (!TT)
      return AddrType::None;
    StringRef N = TT->getDecl()->getName();
    if (N == "gpu_addr_t")
      return AddrType::Gpu;
    if (N == "fw_addr_t")
      return AddrType::Fw;
    T = TT->getDecl()->getUnderlyingType();
  }
  return AddrType::None;
}

AddrType getFieldAddrType(const FieldDecl *FD) {
  if (hasAnnotation(FD, "gpu_addr"))
    return AddrType::Gpu;
  if (hasAnnotation(FD, "fw_addr"))
    return AddrType::Fw;
  return getAddrType(FD->getType());
}

bool Lifecycle::hasEdge(StringRef From, StringRef To) const {
  for (const auto &E : Edges)
    if (E.first == From && E.second == To)
      return true;
  return false;
}

int Lifecycle::stateIndex(StringRef S) const {
  for (unsigned I = 0; I < States.size(); ++I)
    if (States[I] == S)
      return I;
  return -1;
}

static bool isStateName(StringRef S) {
  if (S.empty())
    return false;
  for (char C : S)
    if (!llvm::isAlnum(C) && C != '_')
      return false;
  return true;
}

bool parseLifecycle(StringRef Spec, Lifecycle &Out, std::string &Err) {
  llvm::SmallVector<StringRef, 8> Items;
  Spec.split(Items, ',', -1, false);
  for (StringRef Item : Items) {
    std::pair<StringRef, StringRef> FT = Item.split("->");
    StringRef From = FT.first.trim(), To = FT.second.trim();
    if (!isStateName(From) || !isStateName(To)) {
      Err = ("malformed transition '" + Item.trim() + "'").str();
      return false;
    }
    for (StringRef S : {From, To})
      if (Out.stateIndex(S) < 0)
        Out.States.push_back(S.str());
    Out.Edges.emplace_back(From.str(), To.str());
  }
  if (Out.States.empty()) {
    Err = "no transitions";
    return false;
  }
  return true;
}

bool lcStatesMatch(StringRef List, StringRef State) {
  if (List.trim() == "*")
    return true;
  for (StringRef S : lcStateList(List))
    if (S == State)
      return true;
  return false;
}

llvm::SmallVector<StringRef, 4> lcStateList(StringRef List) {
  llvm::SmallVector<StringRef, 4> Parts, Out;
  if (List.trim() == "*")
    return Out;
  List.split(Parts, '|', -1, false);
  for (StringRef P : Parts)
    Out.push_back(P.trim());
  return Out;
}

llvm::Optional<std::pair<StringRef, StringRef>> getLcPair(const Decl *D,
                                                          StringRef Key) {
  llvm::Optional<StringRef> A = getAnnotation(D, Key);
  if (!A)
    return llvm::None;
  std::pair<StringRef, StringRef> P = A->split(':');
  return std::make_pair(P.first.trim(), P.second.trim());
}

bool isKnownAnnotationKey(StringRef Key) {
  return llvm::StringSwitch<bool>(Key)
      // functions
      .Cases("alloc", "cpu_addr", "gpu_addr_fn", "fw_addr_fn", true)
      .Cases("fence_reached", "state_query", "phys_addr_fn", true)
      .Cases("tlb_invalidate", "mapping", "units", true)
      // parameters
      .Cases("alloc_out", "free", "publish", "fw_get", "reclaim", true)
      .Cases("share", "detach", "complete", "addr_of", "cpu_begin", true)
      .Cases("cpu_end", "use", "requires", "store_container", true)
      .Cases("store_target", "store_clear", "unmap", "alloc_size", true)
      .Cases("variant_check", "publish_addr", "map", "map_size", true)
      .Cases("vm_unmap", "sync_for_device", "addr_kind", true)
      // read by the Coccinelle rules (gpuown-roles), not by the analyzer
      .Cases("addr_from_int", "barrier", "wptr_publish", "shared_store", true)
      .Cases("cpu_write", "stores_gpu_ptr", "stores_fw_ptr", true)
      // lifecycles
      .Cases("transition", "in_state", "lifecycle_init", "lifecycle", true)
      .Cases("lc_state", "holds", "fact_field", "fact_struct", true)
      // types, records and fields
      .Cases("class", "fw_writes", "gpu_addr", "fw_addr", true)
      .Cases("versioned", "fw_struct", "gpu_ptr", "gpu_weak_ptr", true)
      .Cases("fw_ptr", "fw_weak_ptr", true)
      // references, error pointers, containers, waits, out-addresses
      .Cases("err_ptr", "lookup", "lookup_get", "remove", "wait", true)
      .Cases("wait_timeout", "get", "put", "unref", "insert", true)
      .Cases("gpu_addr_out", "fw_addr_out", "cpu_addr_out", "err_ok", true)
      .Case("inner", true)
      .Default(false);
}

} // namespace gpuown
