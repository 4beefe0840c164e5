# SPDX-License-Identifier: MIT
# Analyze SRC to SARIF, then validate the log (check-sarif.py).
# -DCC1="<clang -cc1 command;...>" -DSRC= -DOUT= -DRULE= -DLINE= -DPYTHON=
string(REPLACE "|" ";" _cc1 "${CC1}")
file(REMOVE ${OUT})
execute_process(COMMAND ${_cc1} -analyzer-checker=gpuown
	-analyzer-output=sarif -o ${OUT} ${SRC}
	RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${OUT})
	message(FATAL_ERROR "analysis failed (${rc}): ${err}")
endif()
get_filename_component(_name ${SRC} NAME)
execute_process(COMMAND ${PYTHON} ${CMAKE_CURRENT_LIST_DIR}/check-sarif.py
	${OUT} ${RULE} ${_name} ${LINE} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "SARIF validation failed")
endif()
