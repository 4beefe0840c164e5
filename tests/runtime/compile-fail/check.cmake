# SPDX-License-Identifier: MIT
# Compile one snippet with one compiler and check the outcome.
#
#   cmake -DCC=<compiler> -DKIND=<gcc|clang> -DSRC=<snippet.c>
#         -DEXPECT=<fail|pass> -DINCLUDES=<dir;dir> -P check.cmake
#
# A "fail" snippet must be rejected with an error on the line marked
# /* ERROR */ whose text matches the snippet's "expect-<KIND>:" regex; a
# "pass" snippet must compile with no diagnostic at all.
foreach(v CC KIND SRC EXPECT)
	if(NOT DEFINED ${v})
		message(FATAL_ERROR "check.cmake: -D${v}= is required")
	endif()
endforeach()

set(_inc)
foreach(d ${INCLUDES})
	list(APPEND _inc -I${d})
endforeach()
# The C locale keeps gcc's quotes ASCII, as the expectations are written.
execute_process(
	COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C
		${CC} -std=gnu11 -Wall -Wextra -fsyntax-only ${_inc} ${SRC}
	RESULT_VARIABLE _rc
	OUTPUT_VARIABLE _out
	ERROR_VARIABLE _out)

get_filename_component(_name ${SRC} NAME)
if(EXPECT STREQUAL "pass")
	if(NOT _rc EQUAL 0 OR NOT _out STREQUAL "")
		message(FATAL_ERROR "${_name} must compile cleanly with ${KIND}:\n${_out}")
	endif()
	return()
endif()

if(_rc EQUAL 0)
	message(FATAL_ERROR "${_name} compiled with ${KIND}; it must be rejected")
endif()
file(STRINGS ${SRC} _lines)
set(_n 0)
set(_line "")
set(_re "")
foreach(l IN LISTS _lines)
	math(EXPR _n "${_n} + 1")
	if(l MATCHES "/\\* ERROR \\*/")
		set(_line ${_n})
	endif()
	if(l MATCHES "expect-${KIND}: (.*) \\*/")
		set(_re "${CMAKE_MATCH_1}")
	endif()
endforeach()
if(_line STREQUAL "" OR _re STREQUAL "")
	message(FATAL_ERROR "${_name}: needs an /* ERROR */ line and an expect-${KIND}: regex")
endif()
if(NOT _out MATCHES "${_name}:${_line}:[0-9]+: error: ${_re}")
	message(FATAL_ERROR "${_name} (${KIND}): no error matching\n  ${_name}:${_line}:<col>: error: ${_re}\ngot:\n${_out}")
endif()
