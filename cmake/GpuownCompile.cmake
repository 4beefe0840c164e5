# SPDX-License-Identifier: MIT
# Compiler flags for the project's C code. The C++ plugin is loaded into the
# system clang, so sanitizer flags are never applied to CXX.
set(GPUOWN_C_WARNINGS -Wall -Wextra -Wno-unused-parameter -Wshadow
	-Wstrict-prototypes -Wmissing-prototypes -Wvla)
if(GPUOWN_WERROR)
	list(APPEND GPUOWN_C_WARNINGS -Werror)
endif()
add_compile_options("$<$<COMPILE_LANGUAGE:C>:${GPUOWN_C_WARNINGS}>")
# Frame pointers in every build: gpusan captures a stack at each ownership
# transition, and walking frame pointers is ~5x cheaper than DWARF unwinding.
add_compile_options("$<$<COMPILE_LANGUAGE:C>:-fno-omit-frame-pointer>")

if(GPUOWN_ASAN)
	set(_san -fsanitize=address,undefined -fno-omit-frame-pointer
		-fno-sanitize-recover=undefined)
	add_compile_options("$<$<COMPILE_LANGUAGE:C>:${_san}>")
	add_link_options("$<$<LINK_LANGUAGE:C>:${_san}>")
endif()
if(GPUOWN_TSAN)
	set(_san -fsanitize=thread -fno-omit-frame-pointer)
	add_compile_options("$<$<COMPILE_LANGUAGE:C>:${_san}>")
	add_link_options("$<$<LINK_LANGUAGE:C>:${_san}>")
endif()

# Include directories every component uses.
set(GPUOWN_ANNOTATIONS_DIR ${PROJECT_SOURCE_DIR}/annotations)
set(GPUOWN_RUNTIME_INCLUDE_DIR ${PROJECT_SOURCE_DIR}/runtime/include)
# Where generated firmware-struct code lands.
set(GPUOWN_GEN_DIR ${PROJECT_BINARY_DIR}/gen)
