# SPDX-License-Identifier: MIT
# gpuown_add_criterion_test(NAME SOURCES src... [LIBS lib...] [LABELS l...])
# Builds a Criterion test binary and registers it with ctest.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CRITERION REQUIRED IMPORTED_TARGET criterion)

function(gpuown_add_criterion_test name)
	cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
	add_executable(${name} ${T_SOURCES})
	target_link_libraries(${name} PRIVATE PkgConfig::CRITERION ${T_LIBS})
	# Criterion forks a worker per test; --jobs 2 matches the CI machine.
	add_test(NAME ${name} COMMAND ${name} --jobs 2 --short-filename)
	set(_env "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0"
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1" ${T_ENV})
	set_tests_properties(${name} PROPERTIES LABELS "criterion;${T_LABELS}"
		ENVIRONMENT "${_env}" TIMEOUT 300)
endfunction()
