# SPDX-License-Identifier: MIT
# The layout lookups alone (variant selection, field lookup over fwgen's
# tables, <gpuown/layout.h>), for tools that read the tables without the
# object model (tools/fwlayout, tests/fwgen). Included by runtime/model and,
# when the runtime component is not built, by those users.
if(TARGET gpuown_layout)
	return()
endif()
set(_gpuown_model_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(gpuown_layout STATIC ${_gpuown_model_dir}/src/layout.c)
add_library(gpuown::layout ALIAS gpuown_layout)
target_include_directories(gpuown_layout PUBLIC
	${_gpuown_model_dir}/include ${PROJECT_SOURCE_DIR}/runtime/include)
set_target_properties(gpuown_layout PROPERTIES POSITION_INDEPENDENT_CODE ON)
