# SPDX-License-Identifier: MIT
# Generates a nesting chain of N structs (gen-chain.py) and checks that fwgen
# accepts it silently: no stack overflow however deep, no quadratic blow-up.
#   -DFWGEN=path -DGEN=gen-chain.py -DN=count -DWORK=dir
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND python3 ${GEN} ${N} ${WORK}/chain_${N}.fwdef
	RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "gen-chain.py failed: ${rc}")
endif()
execute_process(COMMAND ${FWGEN} --check ${WORK}/chain_${N}.fwdef
	RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT err STREQUAL "" OR NOT out STREQUAL "")
	message(FATAL_ERROR "fwgen on a chain of ${N}: exit ${rc}\n${out}${err}")
endif()
file(REMOVE ${WORK}/chain_${N}.fwdef)
