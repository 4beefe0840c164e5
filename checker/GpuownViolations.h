// SPDX-License-Identifier: MIT
//
// The violation classes of gpuown's one table
// (annotations/gpuown/violations.def), as the names of the analyzer's bug
// types: a bug the analyzer finds statically carries the name gpusan's report
// gives the same bug at run time ("double-free", "use-after-free").
#ifndef GPUOWN_CHECKER_VIOLATIONS_H
#define GPUOWN_CHECKER_VIOLATIONS_H

namespace gpuown {
namespace violation {
#define GPUOWN_VIOLATION(Id, Name, Errno, Short, Full, Anchor, Sev)            \
  inline constexpr char Id[] = Name;
#define GPUSAN_VIOLATION(Id, Name, Errno, Short, Full, Anchor, Sev)            \
  inline constexpr char Id[] = Name;
#include <gpuown/violations.def>
} // namespace violation
} // namespace gpuown

#endif // GPUOWN_CHECKER_VIOLATIONS_H
