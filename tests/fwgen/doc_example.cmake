# SPDX-License-Identifier: MIT
# Extracts the first code block after "## A complete example" from the
# language reference and checks it with fwgen, so the documented example
# always compiles.  -DFWGEN=path -DDOC=path -DOUT=path
file(STRINGS ${DOC} lines)
set(state 0)
set(text "")
foreach(line IN LISTS lines)
	if(state EQUAL 0 AND line MATCHES "^## A complete example")
		set(state 1)
	elseif(state EQUAL 1 AND line STREQUAL "```")
		set(state 2)
	elseif(state EQUAL 2 AND line STREQUAL "```")
		break()
	elseif(state EQUAL 2)
		string(APPEND text "${line}\n")
	endif()
endforeach()
if(text STREQUAL "")
	message(FATAL_ERROR "no example block found in ${DOC}")
endif()
file(WRITE ${OUT} "${text}")
execute_process(COMMAND ${FWGEN} --check ${OUT} RESULT_VARIABLE rc
	ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "the documented example is rejected:\n${err}")
endif()
