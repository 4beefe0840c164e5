// SPDX-License-Identifier: MIT
//===- GpuownState.h - State shared by the gpuown checkers ------*- C++ -*-===//
//
// One GPU object has several names: its handle (struct gpuown_obj *, or a
// driver's struct my_bo *), its CPU address and its GPU / firmware addresses.
// The address functions (__gpuown_cpu_addr, __gpuown_gpu_addr_fn,
// __gpuown_fw_addr_fn) return values the engine knows nothing about, so every
// checker records "this symbol is the CPU/GPU/firmware address of that object"
// in one shared map, and resolves any value (handle, interior pointer such as
// &obj->field, address plus offset) to the object symbol before looking at its
// own state. State is keyed on the symbolic base region, never on the value's
// own symbol, so interior pointers count.
//
//===----------------------------------------------------------------------===//

#ifndef GPUOWN_CHECKER_STATE_H
#define GPUOWN_CHECKER_STATE_H

#include "GpuownAnnotations.h"

#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SymbolManager.h"

#include <map>
#include <string>

namespace gpuown {

using clang::ento::ProgramStateRef;
using clang::ento::SymbolRef;

/// Which of an object's names a value is.
enum class AddrKind : unsigned char { Handle, Cpu, Gpu, Fw, Phys };

struct AddrInfo {
  SymbolRef Obj;
  AddrKind Kind;
  bool operator==(const AddrInfo &O) const {
    return Obj == O.Obj && Kind == O.Kind;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddPointer(Obj);
    ID.AddInteger(static_cast<unsigned>(Kind));
  }
};

/// Tag of the shared address map: address symbol -> (object, kind).
struct GpuownAddrMap {};
using AddrMapTy = llvm::ImmutableMap<SymbolRef, AddrInfo>;

} // namespace gpuown

namespace clang {
namespace ento {
template <>
struct ProgramStateTrait<gpuown::GpuownAddrMap>
    : public ProgramStatePartialTrait<gpuown::AddrMapTy> {
  static void *GDMIndex();
};
} // namespace ento
} // namespace clang

namespace gpuown {

/// The object a value names or points into.
struct ObjRef {
  SymbolRef Obj = nullptr;
  AddrKind Kind = AddrKind::Handle;
  bool Interior = false;        // a non-zero offset from the start
  bool NonObjectMemory = false; // a local, a global, a string literal
  const clang::ento::MemRegion *Base = nullptr;
  explicit operator bool() const { return Obj != nullptr; }
};

ObjRef resolve(clang::ento::SVal V, ProgramStateRef State);

/// The object argument \p I of \p Call names, given the parameter's roles:
/// for a __gpuown_unref parameter (a pointer to the handle, such as
/// &ct->vma) the object the handle holds, never the struct the handle sits
/// in; for any other parameter resolve() of the argument.
ObjRef resolveArg(const clang::ento::CallEvent &Call, unsigned I,
                  unsigned Roles, ProgramStateRef State);

/// Records the address an address function returned.
ProgramStateRef recordAddress(const clang::ento::CallEvent &Call,
                              const FnInfo &FI, ProgramStateRef State);
/// Drops entries whose address died.
ProgramStateRef reapAddresses(ProgramStateRef State,
                              clang::ento::SymbolReaper &SR);

/// What an out-parameter with roles \p Roles receives: the handle
/// (__gpuown_alloc_out), else a GPU, firmware or CPU address.
AddrKind outParamKind(unsigned Roles);

/// The object symbol stored into an __gpuown_alloc_out parameter, if any.
SymbolRef allocOutSymbol(const clang::ento::CallEvent &Call, unsigned Arg,
                         ProgramStateRef State);

/// The objects a value hands over by address: \p V itself when it is a GPU,
/// firmware or physical address of an object (also shifted, masked or
/// truncated: lower_32_bits()), or, when \p V points to a message buffer,
/// ring entry or descriptor, every element or field of the array or struct
/// it points into.
void addressedObjects(clang::ento::SVal V, ProgramStateRef State,
                      const clang::ASTContext &Ctx,
                      llvm::SmallVectorImpl<SymbolRef> &Out);
/// The object and kind of one address value (looking through shifts, masks
/// and casts); Obj is null when \p V is not a known address.
AddrInfo addressOf(clang::ento::SVal V, ProgramStateRef State);

/// The callee's declaration when it is a plain function.
const clang::FunctionDecl *calleeDecl(const clang::ento::CallEvent &Call);

/// Source text of \p E, shortened for messages.
std::string exprText(const clang::Expr *E, const clang::ASTContext &Ctx);
/// The name of the called function, quoted, for messages.
std::string calleeName(const clang::ento::CallEvent &Call);

/// A note that speaks only when \p Sym is part of a report of \p Checker.
const clang::ento::NoteTag *objectNote(clang::ento::CheckerContext &C,
                                       llvm::StringRef Checker, SymbolRef Sym,
                                       std::string Msg);

/// Reports \p Msg at the current node, marking \p Sym (if any) interesting
/// so the notes of \p BT's checker speak about it. Sink: stop the path.
void emitReport(clang::ento::CheckerContext &C, const clang::ento::BugType &BT,
                std::string Msg, SymbolRef Sym, clang::SourceRange R,
                bool Sink);

/// Lifecycles declared with GPUOWN_LIFECYCLE in this translation unit.
class LifecycleTable {
public:
  /// The lifecycle called \p Name, or null (with \p Err set when its spec is
  /// malformed).
  const Lifecycle *find(llvm::StringRef Name, const clang::ASTContext &Ctx,
                        std::string &Err) const;

private:
  void load(const clang::ASTContext &Ctx) const;
  mutable bool Loaded = false;
  mutable std::map<std::string, Lifecycle> Table;
  mutable std::map<std::string, std::string> Errors;
};

} // namespace gpuown

#endif // GPUOWN_CHECKER_STATE_H
