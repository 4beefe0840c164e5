# SPDX-License-Identifier: MIT
# analyze-compdb.py refuses bad input with a message naming the problem and
# exit status 2, never a traceback. The database is gpuown-check's to read:
# its messages come through.
set(_run ${CMAKE_COMMAND} -E env GPUOWN_CHECK=${CHECK} ${PYTHON} ${RUNNER})
file(WRITE ${WORK}/notjson.json "{ not json")
file(WRITE ${WORK}/notlist.json "{\"a\": 1}")
file(WRITE ${WORK}/empty.json "[]")
file(WRITE ${WORK}/nofile.json "[{\"directory\": \"/\"}]")
set(_cases
	"--compdb|${WORK}/missing.json|--under|x|--plugin|${PLUGIN}@missing.json: No such file or directory"
	"--compdb|${WORK}/notjson.json|--under|x|--plugin|${PLUGIN}@notjson.json:1: not valid JSON"
	"--compdb|${WORK}/notlist.json|--under|x|--plugin|${PLUGIN}@top level is not an array of entries"
	"--compdb|${WORK}/empty.json|--under|x|--plugin|${PLUGIN}@no compile-database entry under the given paths"
	"--compdb|${WORK}/nofile.json|--under|x|--plugin|${PLUGIN}@entry 0 lacks a string \"file\" member"
	"--compdb|${WORK}/empty.json|--under|x|--plugin|${PLUGIN}|--gpuown-check|${WORK}/nope@cannot run ${WORK}/nope"
	"--compdb|${WORK}/empty.json|--under|x|--plugin|${WORK}/nope.so@no such plugin"
	"--compdb|${WORK}/empty.json|--under|x@--plugin is required"
	"--compdb|${WORK}/empty.json|--plugin|${PLUGIN}|--verify|x.c@--verify needs --like")
foreach(_c ${_cases})
	string(REPLACE "@" ";" _parts "${_c}")
	list(GET _parts 0 _args)
	list(GET _parts 1 _msg)
	string(REPLACE "|" ";" _args "${_args}")
	execute_process(COMMAND ${_run} ${_args}
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
	if(NOT rc EQUAL 2 OR NOT err MATCHES "${_msg}" OR err MATCHES "Traceback")
		message(FATAL_ERROR "args ${_args}: exit ${rc}, stderr: ${err}")
	endif()
endforeach()
