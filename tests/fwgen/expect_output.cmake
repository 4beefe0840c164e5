# SPDX-License-Identifier: MIT
# Runs CMD (a ;-list) and compares its exit status and output exactly.
#   -DCMD=...  -DEXPECT_RC=N  [-DEXPECT_STDOUT=file] [-DEXPECT_STDERR=file]
#   [-DWORKDIR=dir]
# A mismatch prints both texts and fails the test.
if(NOT WORKDIR)
	set(WORKDIR .)
endif()
execute_process(COMMAND ${CMD} WORKING_DIRECTORY ${WORKDIR}
	RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(failed FALSE)
if(NOT rc STREQUAL EXPECT_RC)
	message(SEND_ERROR "exit status ${rc}, expected ${EXPECT_RC}")
	set(failed TRUE)
endif()
foreach(stream STDOUT STDERR)
	if(NOT EXPECT_${stream})
		continue()
	endif()
	file(READ ${EXPECT_${stream}} want)
	if(stream STREQUAL STDOUT)
		set(got "${out}")
	else()
		set(got "${err}")
	endif()
	if(NOT got STREQUAL want)
		message(SEND_ERROR "${stream} differs from ${EXPECT_${stream}}\n"
			"--- expected ---\n${want}--- got ---\n${got}---")
		set(failed TRUE)
	endif()
endforeach()
if(failed)
	message(FATAL_ERROR "command: ${CMD}\nstdout:\n${out}\nstderr:\n${err}")
endif()
