# SPDX-License-Identifier: MIT
# The portable core (libgpuown_model.a) may use only what <gpuown/compat.h>
# promises (string functions, snprintf, ctype) and the host (gpuown_host):
# no other libc, no pthread, no simulator function. bcmp is what clang turns
# a memcmp tested only for equality into when optimising; the kernel has it
# too (lib/string.c). Run with -DNM=... -DLIB=...
cmake_minimum_required(VERSION 3.20)
execute_process(COMMAND ${NM} -u ${LIB} OUTPUT_VARIABLE _u)
execute_process(COMMAND ${NM} --defined-only ${LIB} OUTPUT_VARIABLE _d)
string(REGEX MATCHALL "[ \t]U [A-Za-z_][A-Za-z0-9_.@]*" _undef "${_u}")
string(REGEX MATCHALL " [TDBRC] [A-Za-z_][A-Za-z0-9_.]*" _def "${_d}")
set(_defined)
foreach(_s IN LISTS _def)
	string(REGEX REPLACE "^ [TDBRC] " "" _s "${_s}")
	list(APPEND _defined ${_s})
endforeach()
set(_allowed "^(gpuown_host|bcmp|mem(cmp|cpy|set|move)|str(chr|cmp|len|ncmp)|v?snprintf|__ctype_b_loc|__(asan|ubsan|tsan|msan)_.*|__sanitizer_.*|__stack_chk_fail)$")
set(_bad)
foreach(_s IN LISTS _undef)
	string(REGEX REPLACE "^[ \t]U " "" _s "${_s}")
	string(REGEX REPLACE "@.*" "" _s "${_s}")
	if(_s IN_LIST _defined OR _s MATCHES "${_allowed}")
		continue()
	endif()
	list(APPEND _bad ${_s})
endforeach()
if(_bad)
	list(REMOVE_DUPLICATES _bad)
	message(FATAL_ERROR "the core uses symbols a kernel does not provide: ${_bad}")
endif()
message(STATUS "core symbols: only compat.h functions and gpuown_host")
