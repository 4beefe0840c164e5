// SPDX-License-Identifier: MIT
//===- GpuownAnnotations.h - Read gpuown annotate() strings -----*- C++ -*-===//
//
// The checkers' only interface to a driver: the annotate("gpuown_...") strings
// that annotations/gpuown/annotations.h puts on functions, parameters, fields,
// records and variables. Nothing here knows a function by its name, so a driver
// that annotates its own allocate/free/publish functions is checked unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef GPUOWN_CHECKER_ANNOTATIONS_H
#define GPUOWN_CHECKER_ANNOTATIONS_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <memory>

namespace gpuown {

/// What a function does to one of its parameters (a bit set).
enum ParamRole : unsigned {
  PR_AllocOut = 1u << 0,        // receives a new object when the call returns 0
  PR_Free = 1u << 1,            // object freed
  PR_Publish = 1u << 2,         // CPU-owned -> firmware-owned
  PR_FwGet = 1u << 3,           // one more firmware holder
  PR_Reclaim = 1u << 4,         // one firmware holder released
  PR_Share = 1u << 5,           // CPU-owned -> shared
  PR_Detach = 1u << 6,          // shared object detached by the firmware
  PR_Complete = 1u << 7,        // the completion (fence) a reclaim needs
  PR_AddrOf = 1u << 8,          // the object an address function returns for
  PR_CpuBegin = 1u << 9,        // CPU access window opens
  PR_CpuEnd = 1u << 10,         // CPU access window closes
  PR_Use = 1u << 11,            // used, ownership unchanged
  PR_StoreContainer = 1u << 12, // receives a GPU pointer
  PR_StoreTarget = 1u << 13,    // whose GPU address is stored
  PR_StoreClear = 1u << 14,     // container whose pointer field is cleared
  PR_Unmap = 1u << 15,          // object unmapped (VM unbind)
  PR_AllocSize = 1u << 16,      // allocation size in bytes
  PR_VariantCheck = 1u << 17,   // parameter of a firmware-variant check

  // Kernel lifetime idioms (gpuown.Lifetime), from the top bit down so the
  // ownership/address roles can grow from the bottom.
  PR_Get = 1u << 31,        // one more reference
  PR_Put = 1u << 30,        // one reference dropped; NULL accepted
  PR_Unref = 1u << 29,      // pointer to the handle: release *p, *p = NULL
  PR_Insert = 1u << 28,     // a container takes over the caller's reference
  PR_GpuAddrOut = 1u << 27, // receives the object's GPU address
  PR_FwAddrOut = 1u << 26,  // receives the object's firmware address
  PR_CpuAddrOut = 1u << 25, // receives the object's CPU address
  PR_Remove = 1u << 24,     // taken out of a container: its reference is ours
  PR_ErrOk = 1u << 23,      // NULL and ERR_PTR accepted silently
};

/// A driver lifecycle operation on a parameter (or the return value).
struct LifecycleOp {
  enum Kind { Transition, InState, Init } K;
  llvm::StringRef Lifecycle;
  llvm::StringRef From; // Transition: from; InState: the state
  llvm::StringRef To;   // Transition only
};

/// Address, mapping and coherency roles of a parameter (a bit set, kept
/// apart from ParamRole).
enum AddrRole : unsigned {
  AR_PublishAddr = 1u << 0,   // objects whose address reaches it are published
  AR_Map = 1u << 1,           // the object mapped into a GPU VM
  AR_MapSize = 1u << 2,       // the mapped length in bytes
  AR_VmUnmap = 1u << 3,       // unmapped; translation live until invalidate
  AR_SyncForDevice = 1u << 4, // CPU writes made visible to the device
};

struct ParamInfo {
  unsigned Roles = 0;
  llvm::StringRef Requires; // __gpuown_requires(st)
  llvm::SmallVector<LifecycleOp, 1> Lifecycle;
  unsigned AddrRoles = 0;      // AddrRole bits
  llvm::StringRef AddrKindReq; // __gpuown_addr_kind(k): gpu, fw, phys
  llvm::StringRef Units;       // __gpuown_units(u)
  /// __gpuown_releases_inner(field): fields of the released object whose
  /// objects it holds a reference on.
  llvm::SmallVector<llvm::StringRef, 1> Inner;
};

/// Everything the annotations say about one function.
struct FnInfo {
  bool Any = false; // carries at least one gpuown annotation
  bool RetAlloc = false;
  bool RetCpuAddr = false;
  bool RetGpuAddr = false;
  bool RetFwAddr = false;
  bool FenceCheck = false; // returns non-zero once its completion is reached
  bool StateQuery = false; // reports the run-time ownership state
  int AddrOf = -1;         // index of the __gpuown_addr_of parameter
  llvm::SmallVector<ParamInfo, 4> Params;
  llvm::SmallVector<LifecycleOp, 1> RetLifecycle; // lifecycle_init only
  bool RetPhysAddr = false;   // returns the CPU physical / bus address
  bool TlbInvalidate = false; // flushes the GPU TLB (pending unmaps done)
  llvm::StringRef Mapping;    // __gpuown_mapping(kind) of the CPU mapping
  llvm::StringRef RetUnits;   // __gpuown_units(u) of the result

  bool hasAddrRole(unsigned Role) const;

  // Kernel lifetime idioms.
  bool ErrPtr = false;      // returns a pointer or ERR_PTR(-errno)
  bool Lookup = false;      // returns a borrowed pointer
  bool LookupGet = false;   // returns a new reference
  bool Remove = false;      // returns an object a container handed back
  bool Wait = false;        // 0: its fence signalled; < 0: it did not
  bool WaitTimeout = false; // > 0: its fence signalled; <= 0: it did not
  int WaitFence = -1;       // the waited fence's parameter

  unsigned roles(unsigned I) const {
    return I < Params.size() ? Params[I].Roles : 0;
  }
  bool hasRole(unsigned Role) const;
  /// The annotations, not the body, say what a call does: the analyzer
  /// evaluates it from them even when it could inline the body.
  bool isContract() const;
};

/// Calls \p F for every annotate() string on \p D (all redeclarations).
void forEachAnnotation(const clang::Decl *D,
                       llvm::function_ref<void(llvm::StringRef)> F);

/// The argument of the first "gpuown_<Key>:<arg>" (or "gpuown_<Key>") string
/// on \p D; None when absent.
llvm::Optional<llvm::StringRef> getAnnotation(const clang::Decl *D,
                                              llvm::StringRef Key);
inline bool hasAnnotation(const clang::Decl *D, llvm::StringRef Key) {
  return getAnnotation(D, Key).hasValue();
}

/// Per-translation-unit cache of parsed function annotations.
class AnnotationCache {
public:
  const FnInfo &get(const clang::FunctionDecl *FD) const;

private:
  mutable llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FnInfo>>
      Cache;
};

/// A firmware struct's "gpuown_fw_struct:name:variant:footprint".
struct FwStructInfo {
  llvm::StringRef Name, Variant;
  uint64_t Footprint = 0;
};
llvm::Optional<FwStructInfo> getFwStruct(const clang::RecordDecl *RD);

/// The record of a gpu_ptr(T)/fw_ptr(T) struct type; Weak says which flavour.
enum class PtrKind { None, GpuStrong, GpuWeak, FwStrong, FwWeak };
PtrKind getPtrKind(clang::QualType T);

/// Address types by typedef name (gpu_addr_t / fw_addr_t), looking through
/// sugar; also fields annotated __gpuown_gpu_addr / __gpuown_fw_addr.
enum class AddrType { None, Gpu, Fw };
AddrType getAddrType(clang::QualType T);
AddrType getFieldAddrType(const clang::FieldDecl *FD);

/// A lifecycle declared with GPUOWN_LIFECYCLE: its states (first = initial)
/// and its declared transitions.
struct Lifecycle {
  llvm::SmallVector<std::string, 8> States;
  llvm::SmallVector<std::pair<std::string, std::string>, 8> Edges;
  bool hasEdge(llvm::StringRef From, llvm::StringRef To) const;
  int stateIndex(llvm::StringRef S) const;
};
/// Parse "s0 -> s1, s1 -> s2"; returns false (and \p Err) on malformed text.
bool parseLifecycle(llvm::StringRef Spec, Lifecycle &Out, std::string &Err);

/// A lifecycle operation's state list ("a", "a|b" or "*") names \p State.
bool lcStatesMatch(llvm::StringRef List, llvm::StringRef State);
/// The states of a list ("a|b"); empty for "*".
llvm::SmallVector<llvm::StringRef, 4> lcStateList(llvm::StringRef List);

/// "gpuown_lc_state:lc:st" / "gpuown_holds:lc:states" on a field or
/// parameter, split into (lifecycle, states); None when absent.
llvm::Optional<std::pair<llvm::StringRef, llvm::StringRef>>
getLcPair(const clang::Decl *D, llvm::StringRef Key);

/// Every annotation key the vocabulary defines ("free", "transition", ...),
/// for diagnosing unknown strings.
bool isKnownAnnotationKey(llvm::StringRef Key);

} // namespace gpuown

#endif // GPUOWN_CHECKER_ANNOTATIONS_H
