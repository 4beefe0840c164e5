//===- GpuownAnnotations.cpp - Read gpuown annotate() strings -------------===//
//
// Parses the "gpuown_<what>[:<arg>]" strings once per declaration. Attributes
// written on one redeclaration only (a prototype in a header, the definition
// elsewhere) still count, so every redeclaration is read.
//
//===----------------------------------------------------------------------===//

#include "GpuownAnnotations.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <cstring>

using namespace clang;
using llvm::StringRef;

namespace gpuown {

static const StringRef Prefix = "gpuown_";

void forEachAnnotation(const Decl *D, llvm::function_ref<void(StringRef)> F) {
  if (!D)
    return;
  for (const Decl *R : D->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation().startswith(Prefix))
        F(A->getAnnotation().drop_front(Prefix.size()));
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

bool FnInfo::hasRole(unsigned Role) const {
  for (const ParamInfo &P : Params)
    if (P.Roles & Role)
      return true;
  return false;
}

bool FnInfo::isContract() const {
  // Only annotations that change what the analyzer tracks: pure address
  // functions, variant checks and state queries stay inlinable.
  const unsigned Changes = PR_AllocOut | PR_Free | PR_Publish | PR_FwGet |
                           PR_Reclaim | PR_Share | PR_Detach | PR_CpuBegin |
                           PR_CpuEnd | PR_StoreContainer | PR_StoreTarget |
                           PR_StoreClear | PR_Unmap | PR_Get | PR_Put |
                           PR_Unref | PR_Insert | PR_GpuAddrOut |
                           PR_FwAddrOut | PR_CpuAddrOut;
  if (RetAlloc || ErrPtr || Lookup || LookupGet || Remove || Wait ||
      WaitTimeout || FenceCheck || !RetLifecycle.empty())
    return true;
  for (const ParamInfo &P : Params)
    if ((P.Roles & Changes) || !P.Lifecycle.empty())
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
        !I.Params[P].Lifecycle.empty())
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
  if ((I.RetCpuAddr || I.RetGpuAddr || I.RetFwAddr) && I.AddrOf < 0 &&
      FD->getNumParams() > 0)
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

} // namespace gpuown
