# SPDX-License-Identifier: MIT
# The plugin loads and lists its five checkers and their options.
execute_process(COMMAND ${CLANG} -cc1 -load ${PLUGIN} -analyzer-checker-help
	OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "checker help failed (${rc}): ${err}")
endif()
foreach(c Lifetime Ownership DanglingGpuPointer AddressSpace FirmwareStruct)
	if(NOT out MATCHES "gpuown\\.${c} ")
		message(FATAL_ERROR "gpuown.${c} missing from -analyzer-checker-help")
	endif()
endforeach()
execute_process(COMMAND ${CLANG} -cc1 -load ${PLUGIN}
	-analyzer-checker-option-help
	OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
foreach(o "gpuown.Lifetime:ReportLeaks" "gpuown.Lifetime:TreatUnknownCallsAsEscape")
	if(NOT out MATCHES "${o}")
		message(FATAL_ERROR "option ${o} missing from -analyzer-checker-option-help")
	endif()
endforeach()
