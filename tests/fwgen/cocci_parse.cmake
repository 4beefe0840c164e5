# SPDX-License-Identifier: MIT
# spatch must parse every line of a generated file with the project's macro
# file.  -DSPATCH=path -DMACROS=<build>/cocci/gpuown.h -DFILE=generated file
execute_process(COMMAND ${SPATCH} --macro-file ${MACROS} --parse-c ${FILE}
	RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT "${out}${err}" MATCHES "nb bad = 0 ")
	message(FATAL_ERROR "spatch could not parse ${FILE}:\n${out}${err}")
endif()
