# SPDX-License-Identifier: MIT
# The portable core's sources (runtime/model/src), for every build that hosts
# it: runtime/model/CMakeLists.txt reads this list for the user-space library,
# and a kbuild component includes this file and compiles the same files with
#   ccflags-y += -I$(GPUOWN_ROOT)/runtime/model/include \
#                -I$(GPUOWN_ROOT)/runtime/model/src \
#                -I$(GPUOWN_ROOT)/runtime/include \
#                -I$(GPUOWN_ROOT)/runtime/gpusan/include \
#                -I$(GPUOWN_ROOT)/annotations
# The sources include only <gpuown/compat.h> for their environment and ask
# everything else of the host (<gpuown/host.h>).
# scripts/check-core-kbuild.sh does exactly this against a kernel build dir.
GPUOWN_MODEL_SRCS := \
	events.c \
	object.c \
	quarantine.c \
	edges.c \
	cpu.c \
	lifecycle.c \
	names.c \
	layout.c \
	shadow.c \
	san_meta.c \
	san_classify.c \
	san_report.c \
	fault.c \
	refs.c \
	fence.c \
	coherency.c \
	handover.c
