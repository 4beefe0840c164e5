// SPDX-License-Identifier: MIT
//===- GpuownPlugin.cpp - Entry points of GpuownAnalyzer.so ---------------===//
//
// Loaded with: clang --analyze -Xclang -load -Xclang GpuownAnalyzer.so
//              -Xclang -analyzer-checker=gpuown
// The two entry points must be visible: the rest of the module is hidden.
//
//===----------------------------------------------------------------------===//

#include "GpuownChecks.h"

#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"

using namespace clang;
using namespace ento;

static bool alwaysRegister(const CheckerManager &) { return true; }

static void addBoolOption(CheckerRegistry &R, StringRef Checker, StringRef Name,
                          StringRef Default, StringRef Desc) {
  R.addCheckerOption("bool", Checker, Name, Default, Desc, "released");
}

extern "C" __attribute__((visibility("default")))
const char clang_analyzerAPIVersionString[] = CLANG_ANALYZER_API_VERSION_STRING;

extern "C" __attribute__((visibility("default"))) void
clang_registerCheckers(CheckerRegistry &R) {
  const char *Doc = "docs/checker.md";
  R.addChecker(gpuown::registerLifetimeChecker, alwaysRegister,
               "gpuown.Lifetime",
               "GPU objects: use after free (handle, CPU, GPU address), "
               "double free, free of a non-object, leaks",
               Doc, false);
  addBoolOption(R, "gpuown.Lifetime", "ReportLeaks", "true",
                "Report GPU objects not freed on a path");
  addBoolOption(R, "gpuown.Lifetime", "TreatUnknownCallsAsEscape", "true",
                "An object passed to a function the analyzer cannot see is "
                "no longer reported as leaked");
  R.addChecker(gpuown::registerOwnershipChecker, alwaysRegister,
               "gpuown.Ownership",
               "CPU/firmware ownership of GPU objects and driver lifecycles: "
               "access while firmware-owned, publish twice, reclaim, "
               "required states, illegal transitions",
               Doc, false);
  addBoolOption(R, "gpuown.Ownership", "CheckReads", "true",
                "Report CPU reads of firmware-written data while the "
                "firmware owns the object");
  R.addChecker(gpuown::registerDanglingGpuPointerChecker, alwaysRegister,
               "gpuown.DanglingGpuPointer",
               "GPU pointers stored into structs whose target is freed, "
               "unmapped or unpublished while the struct lives or is "
               "published",
               Doc, false);
  addBoolOption(R, "gpuown.DanglingGpuPointer", "UnknownCallsDropEdges", "true",
                "A container passed to a function the analyzer cannot see "
                "forgets the pointers it holds");
  R.addChecker(gpuown::registerAddressSpaceChecker, alwaysRegister,
               "gpuown.AddressSpace",
               "CPU pointers, GPU and firmware addresses mixed, laundered "
               "through integers, dereferenced, or moved out of their object",
               Doc, false);
  R.addChecker(gpuown::registerFirmwareStructChecker, alwaysRegister,
               "gpuown.FirmwareStruct",
               "Firmware struct annotations: untyped address fields, "
               "unchecked versioned fields, allocations below the firmware "
               "footprint",
               Doc, false);
  addBoolOption(R, "gpuown.FirmwareStruct", "AddressNameHeuristics", "false",
                "Treat integer fields named like addresses (*_addr, *_va, "
                "*_iova) in firmware structs as addresses");
  R.addChecker(gpuown::registerMappingChecker, alwaysRegister,
               "gpuown.Mapping",
               "GPU VM unmaps: free before the TLB invalidate, unmap "
               "without an invalidate",
               Doc, false);
  addBoolOption(R, "gpuown.Mapping", "ReportMissingInvalidate", "true",
                "Report a path of the analyzed function that unmaps and "
                "never invalidates the TLB");
  R.addChecker(gpuown::registerCoherencyChecker, alwaysRegister,
               "gpuown.Coherency",
               "CPU writes through non-coherent mappings handed to the "
               "device without a sync for the device",
               Doc, false);
  R.addChecker(gpuown::registerAnnotationChecker, alwaysRegister,
               "gpuown.Annotations",
               "Malformed gpuown annotations: wrong parameter or return "
               "type, unknown annotation strings, lifecycle specs that do "
               "not parse",
               Doc, false);
  // Hidden: evaluates calls to annotated functions from their annotations
  // (never inlined), for every path-sensitive checker.
  R.addChecker(gpuown::registerAnnotatedCallsChecker, alwaysRegister,
               "gpuown.AnnotatedCalls",
               "Calls to annotated functions follow their annotations", Doc,
               /*IsHidden=*/true);
  for (const char *Dep : {"gpuown.Lifetime", "gpuown.Ownership",
                          "gpuown.DanglingGpuPointer", "gpuown.AddressSpace",
                          "gpuown.Mapping", "gpuown.Coherency"})
    R.addDependency(Dep, "gpuown.AnnotatedCalls");
}
