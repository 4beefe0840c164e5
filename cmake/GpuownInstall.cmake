# SPDX-License-Identifier: MIT
# cmake --install: the standard GNUInstallDirs layout (docs/development.md,
# "Installing"):
#   include/gpuown/            vocabulary, runtime, model, gpusan, version headers
#   lib/                       libgpuown_{runtime,model,layout,gpusan,fwlayout}.a
#   lib/gpuown/                GpuownAnalyzer.so (the analyzer plugin)
#   lib/cmake/gpuown/          find_package(gpuown) files
#   lib/pkgconfig/             gpuown.pc, gpuown-gpusan.pc
#   bin/                       gpuown-check, fwgen, run-sparse, kernel-sparse,
#                              run-cocci (link)
#   share/gpuown/cocci/        the rules, run-cocci, its macro files, profiles
#   share/gpuown/profiles/     driver profiles (when the tree has them)
#   share/gpuown/fwlayout/     main.c of <set>-fwlayout for gpuown_fw_structs()
#   share/man/man1/            man pages generated from --help by help2man
#   share/doc/gpuown/          rules.md (the SARIF rules' helpUri)
# The tools find each other relative to their own location (tools/gpuown-check/
# paths.h), so the prefix can be staged or moved.
set(GPUOWN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/gpuown)
set(GPUOWN_DATA_DIR ${CMAKE_INSTALL_DATADIR}/gpuown)

# Targets whose include directories name the source tree get the installed
# include dir instead when exported.
function(_gpuown_install_includes target)
	get_target_property(_dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
	set(_new)
	foreach(_d IN LISTS _dirs)
		if(_d MATCHES "^\\$<")
			list(APPEND _new "${_d}")
		else()
			list(APPEND _new "$<BUILD_INTERFACE:${_d}>")
		endif()
	endforeach()
	list(APPEND _new "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
	set_property(TARGET ${target} PROPERTY INTERFACE_INCLUDE_DIRECTORIES
		"${_new}")
endfunction()

# A sanitized build's static libraries need the sanitizer runtime at link.
set(GPUOWN_INSTALL_LINK_FLAGS)
if(GPUOWN_ASAN)
	set(GPUOWN_INSTALL_LINK_FLAGS -fsanitize=address,undefined)
elseif(GPUOWN_TSAN)
	set(GPUOWN_INSTALL_LINK_FLAGS -fsanitize=thread)
endif()

set(_export)
foreach(_pair annotations:gpuown_annotations version:gpuown_version
		model:gpuown_model runtime:gpuown_runtime layout:gpuown_layout
		gpusan:gpuown_gpusan fwlayout:gpuown_fwlayout_core)
	string(REPLACE ":" ";" _pair "${_pair}")
	list(GET _pair 0 _name)
	list(GET _pair 1 _t)
	if(NOT TARGET ${_t})
		continue()
	endif()
	_gpuown_install_includes(${_t})
	set_target_properties(${_t} PROPERTIES EXPORT_NAME ${_name})
	get_target_property(_type ${_t} TYPE)
	if(GPUOWN_INSTALL_LINK_FLAGS AND NOT _type STREQUAL "INTERFACE_LIBRARY")
		target_link_options(${_t} INTERFACE
			$<INSTALL_INTERFACE:${GPUOWN_INSTALL_LINK_FLAGS}>)
	endif()
	list(APPEND _export ${_t})
endforeach()
foreach(_pair fwgen:gpuown_fwgen check:gpuown-check)
	string(REPLACE ":" ";" _pair "${_pair}")
	list(GET _pair 0 _name)
	list(GET _pair 1 _t)
	if(TARGET ${_t})
		set_target_properties(${_t} PROPERTIES EXPORT_NAME ${_name})
		list(APPEND _export ${_t})
	endif()
endforeach()
if(NOT _export)
	return()
endif()
install(TARGETS ${_export} EXPORT gpuownTargets
	RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
	ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT gpuownTargets NAMESPACE gpuown:: DESTINATION ${GPUOWN_CMAKE_DIR})

# Headers: every public include folder lands in include/gpuown/.
foreach(_dir annotations/gpuown runtime/include/gpuown
		runtime/model/include/gpuown runtime/gpusan/include/gpuown)
	if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${_dir})
		install(DIRECTORY ${PROJECT_SOURCE_DIR}/${_dir}/
			DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gpuown
			FILES_MATCHING PATTERN "*.h" PATTERN "*.def")
	endif()
endforeach()
install(FILES ${PROJECT_BINARY_DIR}/gen/version/gpuown/version.h
	DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gpuown)
if(TARGET gpuown_fwlayout_core)
	install(FILES ${PROJECT_SOURCE_DIR}/tools/fwlayout/fwlayout.h
		DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gpuown)
	install(FILES ${PROJECT_SOURCE_DIR}/tools/fwlayout/main.c
		DESTINATION ${GPUOWN_DATA_DIR}/fwlayout)
endif()

# The analyzer plugin and the static layers' rules and runners.
if(TARGET GpuownAnalyzer)
	install(TARGETS GpuownAnalyzer
		LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/gpuown)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/cocci/
	DESTINATION ${GPUOWN_DATA_DIR}/cocci
	PATTERN CMakeLists.txt EXCLUDE
	PATTERN run-cocci EXCLUDE)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/cocci/run-cocci
	DESTINATION ${GPUOWN_DATA_DIR}/cocci)
file(RELATIVE_PATH _rel_run_cocci /p/${CMAKE_INSTALL_BINDIR}
	/p/${GPUOWN_DATA_DIR}/cocci/run-cocci)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/install)
file(CREATE_LINK ${_rel_run_cocci} ${PROJECT_BINARY_DIR}/install/run-cocci
	SYMBOLIC)
install(PROGRAMS ${PROJECT_BINARY_DIR}/install/run-cocci
	DESTINATION ${CMAKE_INSTALL_BINDIR})
# The rule reference, the installed gpuown-check's SARIF helpUri base.
install(FILES ${PROJECT_SOURCE_DIR}/docs/rules.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# sparse's one flag list, read by gpuown-check and run-sparse.
install(FILES ${PROJECT_SOURCE_DIR}/sparse/flags
	DESTINATION ${GPUOWN_DATA_DIR}/sparse)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/sparse/run-sparse
	${PROJECT_SOURCE_DIR}/sparse/kernel-sparse
	DESTINATION ${CMAKE_INSTALL_BINDIR})
if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/profiles)
	install(DIRECTORY ${PROJECT_SOURCE_DIR}/profiles/
		DESTINATION ${GPUOWN_DATA_DIR}/profiles)
endif()

# find_package(gpuown): targets, gpuown_check(), gpuown_fw_structs().
include(CMakePackageConfigHelpers)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/gpuownConfig.cmake.in
	${PROJECT_BINARY_DIR}/install/gpuownConfig.cmake
	INSTALL_DESTINATION ${GPUOWN_CMAKE_DIR}
	PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(
	${PROJECT_BINARY_DIR}/install/gpuownConfigVersion.cmake
	VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/install/gpuownConfig.cmake
	${PROJECT_BINARY_DIR}/install/gpuownConfigVersion.cmake
	${CMAKE_CURRENT_LIST_DIR}/GpuownFwStructs.cmake
	DESTINATION ${GPUOWN_CMAKE_DIR})

# pkg-config: gpuown (the object model) and gpuown-gpusan (the tracker).
# The prefix is found from the .pc file's own folder, so a staged or moved
# prefix works.
string(REPLACE ";" " " GPUOWN_PC_LINK_FLAGS "${GPUOWN_INSTALL_LINK_FLAGS}")
file(RELATIVE_PATH GPUOWN_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
foreach(_pc gpuown gpuown-gpusan)
	configure_file(${CMAKE_CURRENT_LIST_DIR}/${_pc}.pc.in
		${PROJECT_BINARY_DIR}/install/${_pc}.pc @ONLY)
	install(FILES ${PROJECT_BINARY_DIR}/install/${_pc}.pc
		DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()

# Man pages from each tool's --help and --version (Debian's help2man).
option(GPUOWN_MANPAGES "Generate man pages with help2man" ON)
if(GPUOWN_MANPAGES)
	find_program(GPUOWN_HELP2MAN help2man)
	if(NOT GPUOWN_HELP2MAN)
		message(FATAL_ERROR "help2man not found: install Debian's help2man "
			"(scripts/setup.sh does) or configure with -DGPUOWN_MANPAGES=OFF")
	endif()
	set(_man_dir ${PROJECT_BINARY_DIR}/man)
	set(_pages)
	set(_tools)
	if(TARGET gpuown-check)
		list(APPEND _tools "gpuown-check|$<TARGET_FILE:gpuown-check>|gpuown-check|run every gpuown static layer over a compile database")
	endif()
	if(TARGET gpuown_fwgen)
		list(APPEND _tools "fwgen|$<TARGET_FILE:gpuown_fwgen>|gpuown_fwgen|versioned firmware struct definitions to C")
	endif()
	# <set>-fwlayout is built per firmware set (gpuown_fw_structs()); its
	# page comes from the project's own set.
	if(TARGET agx-fwlayout)
		list(APPEND _tools "fwlayout|$<TARGET_FILE:agx-fwlayout>|agx-fwlayout|a firmware set's struct layouts across versions")
	endif()
	list(APPEND _tools
		"run-cocci|${PROJECT_SOURCE_DIR}/cocci/run-cocci||run gpuown's Coccinelle rules"
		"run-sparse|${PROJECT_SOURCE_DIR}/sparse/run-sparse||run sparse with gpuown's flags"
		"kernel-sparse|${PROJECT_SOURCE_DIR}/sparse/kernel-sparse||gpuown's sparse for a kernel build (make C=1 CHECK=)")
	foreach(_tool IN LISTS _tools)
		string(REPLACE "|" ";" _tool "${_tool}")
		list(GET _tool 0 _name)
		list(GET _tool 1 _exe)
		list(GET _tool 2 _dep)
		list(GET _tool 3 _what)
		# help2man runs the tool: sanitized builds must not trip on it.
		add_custom_command(OUTPUT ${_man_dir}/${_name}.1
			COMMAND ${CMAKE_COMMAND} -E make_directory ${_man_dir}
			COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
				${GPUOWN_HELP2MAN} --no-info --no-discard-stderr
				--name=${_what} --output=${_man_dir}/${_name}.1 ${_exe}
			DEPENDS ${_dep} ${_exe}
			COMMENT "help2man: ${_name}.1"
			VERBATIM)
		list(APPEND _pages ${_man_dir}/${_name}.1)
	endforeach()
	add_custom_target(gpuown-man ALL DEPENDS ${_pages})
	install(FILES ${_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
