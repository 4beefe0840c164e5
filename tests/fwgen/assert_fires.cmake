# SPDX-License-Identifier: MIT
# Proves the generated _Static_asserts are live: changes one field's type in
# a copy of the generated header (as a generator bug or a hand edit would)
# and expects the compiler to stop with the message naming struct, field and
# variant.  -DCC=compiler -DHEADER=generated S.h -DINC=include;dirs
#  -DFROM=text -DTO=text -DMESSAGE=expected text -DWORK=dir
file(READ ${HEADER} text)
string(FIND "${text}" "${FROM}" at)
if(at EQUAL -1)
	message(FATAL_ERROR "`${FROM}` not in ${HEADER}")
endif()
string(REPLACE "${FROM}" "${TO}" text "${text}")
file(MAKE_DIRECTORY ${WORK}/gpuown_fw)
get_filename_component(name ${HEADER} NAME)
file(WRITE ${WORK}/gpuown_fw/${name} "${text}")
file(WRITE ${WORK}/tu.c "#include <gpuown_fw/${name}>\n")
set(incs -I${WORK})
foreach(d ${INC})
	list(APPEND incs -I${d})
endforeach()
execute_process(COMMAND ${CC} -std=c11 -fsyntax-only ${incs} ${WORK}/tu.c
	RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
	message(FATAL_ERROR "the tampered header compiled")
endif()
string(FIND "${err}" "${MESSAGE}" found)
if(found EQUAL -1)
	message(FATAL_ERROR "expected `${MESSAGE}` in:\n${err}")
endif()
