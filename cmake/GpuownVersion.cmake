# SPDX-License-Identifier: MIT
# One project version (project(VERSION) in the top CMakeLists.txt) for every
# tool: <gpuown/version.h> for the C tools, a substituted copy of each Python
# runner, the package config and the pkg-config files.
set(GPUOWN_VERSION ${PROJECT_VERSION})
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in
	${PROJECT_BINARY_DIR}/gen/version/gpuown/version.h @ONLY)
add_library(gpuown_version INTERFACE)
target_include_directories(gpuown_version INTERFACE
	$<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/gen/version>
	$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
add_library(gpuown::version ALIAS gpuown_version)
