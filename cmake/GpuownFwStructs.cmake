# SPDX-License-Identifier: MIT
# gpuown_fw_structs(<target> SET <set> SOURCES a.fwdef b.fwdef ...)
#
# Runs fwgen over the .fwdef files and builds:
#   <target>        static library with <set>_desc.c (the descriptor tables);
#                   PUBLIC include directory holding <gpuown_fw/<set>.h> and
#                   <gpuown_fw/<set>_instantiate.h>; links gpuown::annotations
#                   and the runtime's public headers.
#   <set>-fwlayout  the layout tool over this set's tables (tools/fwlayout).
# Generated files land in ${GPUOWN_GEN_DIR}/<set> (default: build/gen/<set>).
# Needs the `tools` component (fwgen); it is built on demand otherwise.

set(_GPUOWN_FWSTRUCTS_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. CACHE INTERNAL "")

function(gpuown_fw_structs target)
	cmake_parse_arguments(FW "" "SET" "SOURCES" ${ARGN})
	if(NOT FW_SET OR NOT FW_SOURCES)
		message(FATAL_ERROR
			"gpuown_fw_structs(${target}): SET and SOURCES are required")
	endif()
	if(NOT FW_SET MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
		message(FATAL_ERROR "gpuown_fw_structs(${target}): SET `${FW_SET}` "
			"must be a C identifier (it prefixes generated names)")
	endif()
	get_filename_component(_root ${_GPUOWN_FWSTRUCTS_ROOT} ABSOLUTE)
	if(NOT TARGET gpuown_fwgen)
		add_subdirectory(${_root}/tools/fwgen
			${CMAKE_BINARY_DIR}/tools/fwgen)
	endif()
	if(NOT TARGET gpuown_fwlayout_core)
		add_subdirectory(${_root}/tools/fwlayout
			${CMAKE_BINARY_DIR}/tools/fwlayout)
	endif()
	if(GPUOWN_GEN_DIR)
		set(_out ${GPUOWN_GEN_DIR}/${FW_SET})
	else()
		set(_out ${CMAKE_BINARY_DIR}/gen/${FW_SET})
	endif()
	set(_srcs)
	foreach(s ${FW_SOURCES})
		get_filename_component(_abs ${s} ABSOLUTE)
		list(APPEND _srcs ${_abs})
	endforeach()
	set(_gen ${_out}/gpuown_fw/${FW_SET}.h
		${_out}/gpuown_fw/${FW_SET}_instantiate.h
		${_out}/${FW_SET}_desc.c)
	add_custom_command(OUTPUT ${_gen}
		COMMAND $<TARGET_FILE:gpuown_fwgen> --set ${FW_SET} --out ${_out}
			${_srcs}
		DEPENDS gpuown_fwgen ${_srcs}
		COMMENT "fwgen: firmware structs of set ${FW_SET}"
		VERBATIM)
	add_library(${target} STATIC ${_out}/${FW_SET}_desc.c)
	if(NOT GPUOWN_RUNTIME_INCLUDE_DIR)
		set(GPUOWN_RUNTIME_INCLUDE_DIR ${_root}/runtime/include)
	endif()
	target_include_directories(${target} PUBLIC ${_out}
		${GPUOWN_RUNTIME_INCLUDE_DIR})
	target_link_libraries(${target} PUBLIC gpuown::annotations)
	set_target_properties(${target} PROPERTIES
		GPUOWN_FW_SET ${FW_SET} GPUOWN_FW_GEN_DIR ${_out})

	add_executable(${FW_SET}-fwlayout ${_root}/tools/fwlayout/main.c)
	target_compile_definitions(${FW_SET}-fwlayout PRIVATE
		GPUOWN_FWLAYOUT_TABLE=${FW_SET}_variant_table)
	target_link_libraries(${FW_SET}-fwlayout PRIVATE gpuown_fwlayout_core
		${target})
endfunction()
