# SPDX-License-Identifier: MIT
# Whatever fwgen accepts must compile: runs the fuzz test keeping the C of
# accepted mutants, then compiles each with -Werror.
#   -DFUZZ=fwgen_fuzz binary -DCC=compiler -DWORK=dir -DINC=include;dirs
file(REMOVE_RECURSE ${WORK})
set(ENV{FWGEN_FUZZ_KEEP} ${WORK})
set(ENV{FWGEN_FUZZ_ITERS} 600)
execute_process(COMMAND ${FUZZ} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "the fuzz run failed (${rc})")
endif()
file(GLOB dirs ${WORK}/m*)
list(LENGTH dirs n)
if(n LESS 20)
	message(FATAL_ERROR "only ${n} accepted mutants kept")
endif()
# Compiling is the slow part: 20 mutants keep the test under a few seconds.
list(SUBLIST dirs 0 20 dirs)
set(n 20)
set(incs)
foreach(d ${INC})
	list(APPEND incs -I${d})
endforeach()
foreach(d ${dirs})
	file(WRITE ${d}/tu.c "#include <gpuown_fw/fuzz.h>\n")
	execute_process(COMMAND ${CC} -std=c11 -Wall -Wextra -Werror
			-fsyntax-only -I${d} ${incs} ${d}/tu.c ${d}/fuzz_desc.c
		RESULT_VARIABLE rc ERROR_VARIABLE err)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "accepted mutant ${d} does not compile:\n${err}")
	endif()
endforeach()
message(STATUS "${n} accepted mutants compile")
