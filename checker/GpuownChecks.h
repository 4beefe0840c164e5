// SPDX-License-Identifier: MIT
//===- GpuownChecks.h - Registration of the gpuown checkers -----*- C++ -*-===//

#ifndef GPUOWN_CHECKER_CHECKS_H
#define GPUOWN_CHECKER_CHECKS_H

namespace clang {
namespace ento {
class CheckerManager;
} // namespace ento
} // namespace clang

namespace gpuown {
void registerLifetimeChecker(clang::ento::CheckerManager &Mgr);
void registerOwnershipChecker(clang::ento::CheckerManager &Mgr);
void registerDanglingGpuPointerChecker(clang::ento::CheckerManager &Mgr);
void registerAddressSpaceChecker(clang::ento::CheckerManager &Mgr);
void registerFirmwareStructChecker(clang::ento::CheckerManager &Mgr);
void registerMappingChecker(clang::ento::CheckerManager &Mgr);
void registerCoherencyChecker(clang::ento::CheckerManager &Mgr);
void registerAnnotationChecker(clang::ento::CheckerManager &Mgr);
void registerAnnotatedCallsChecker(clang::ento::CheckerManager &Mgr);
} // namespace gpuown

#endif // GPUOWN_CHECKER_CHECKS_H
