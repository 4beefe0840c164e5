#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Linux 6.1 drivers gpuown ships profiles for, and how to get each one's
# compile database. Source after scripts/lib/linux-tree.sh and
# scripts/lib/kernel-config.sh.
#
#   kernel_driver NAME           sets KD_ARCH, KD_TREE, KD_OPTS (the configured
#                                tree), KD_UNITS (sources, tree-relative),
#                                KD_PROFILE, KD_COCCI (files under profiles/)
#   kernel_driver_compdb NAME OUT_DIR
#                                configures the tree (cached), builds only
#                                KD_UNITS' objects and writes
#                                OUT_DIR/compile_commands.json with the
#                                kernel's gen_compile_commands.py

KERNEL_DRIVERS=(i915-guc msm-a6xx amdgpu panfrost)

# One configured tree per architecture, shared by every driver of that
# architecture (and by the kernel lane): the options are the union.
KD_ARM64_OPTS=(DRM_MSM=m DRM_PANFROST=m)
KD_X86_64_OPTS=(DRM_I915=y DRM_AMDGPU=m)

kernel_driver() {
	local d
	KD_PROFILE=profiles/$1.h
	KD_COCCI=profiles/$1.conf
	case "$1" in
	i915-guc)
		KD_ARCH=x86_64
		d=drivers/gpu/drm/i915/gt/uc
		KD_UNITS=()
		for u in intel_uc intel_uc_debugfs intel_uc_fw intel_guc \
			intel_guc_ads intel_guc_capture intel_guc_ct \
			intel_guc_debugfs intel_guc_fw intel_guc_hwconfig \
			intel_guc_log intel_guc_log_debugfs intel_guc_rc \
			intel_guc_slpc intel_guc_submission intel_huc \
			intel_huc_debugfs intel_huc_fw; do
			KD_UNITS+=("$d/$u.c")
		done
		;;
	msm-a6xx)
		KD_ARCH=arm64
		d=drivers/gpu/drm/msm/adreno
		KD_UNITS=("$d/a6xx_gmu.c" "$d/a6xx_hfi.c")
		;;
	amdgpu)
		KD_ARCH=x86_64
		d=drivers/gpu/drm/amd/amdgpu
		KD_UNITS=()
		for u in amdgpu_object amdgpu_bo_list amdgpu_ring amdgpu_ih \
			amdgpu_gfx amdgpu_ucode amdgpu_psp psp_v13_0 \
			amdgpu_mes mes_v11_0; do
			KD_UNITS+=("$d/$u.c")
		done
		;;
	panfrost)
		KD_ARCH=arm64
		d=drivers/gpu/drm/panfrost
		KD_UNITS=()
		for u in panfrost_drv panfrost_device panfrost_devfreq \
			panfrost_gem panfrost_gem_shrinker panfrost_gpu \
			panfrost_job panfrost_mmu panfrost_perfcnt \
			panfrost_dump; do
			KD_UNITS+=("$d/$u.c")
		done
		;;
	*)
		echo "kernel-drivers: unknown driver '$1' (${KERNEL_DRIVERS[*]})" >&2
		return 1
		;;
	esac
	if [ "$KD_ARCH" = arm64 ]; then
		KD_OPTS=("${KD_ARM64_OPTS[@]}")
	else
		KD_OPTS=("${KD_X86_64_OPTS[@]}")
	fi
	KD_TREE=$GPUOWN_CACHE/linux-6.1-eval-$KD_ARCH
}

kernel_driver_compdb() {
	local name=$1 out=$2 objs=() u
	kernel_driver "$name" || return 1
	kernel_tree_configure "$KD_TREE" "$KD_ARCH" "${KD_OPTS[@]}"
	for u in "${KD_UNITS[@]}"; do
		[ -f "$KD_TREE/$u" ] ||
			kernel_tree_die "$name: $u is not in the tree (not Linux 6.1?)"
		objs+=("${u%.c}.o")
	done
	# Only the objects, by name: kbuild compiles each with its real flags
	# and leaves the .cmd file gen_compile_commands.py reads.
	kernel_make "$KD_TREE" "$KD_ARCH" "${objs[@]}" ||
		kernel_tree_die "$name: building ${objs[*]} failed"
	mkdir -p "$out"
	(cd "$KD_TREE" && python3 scripts/clang-tools/gen_compile_commands.py \
		-d . -o "$out/compile_commands.json" \
		$(printf '%s\n' "${KD_UNITS[@]}" | xargs -n1 dirname | sort -u)) ||
		kernel_tree_die "$name: gen_compile_commands.py failed"
	# Keep exactly this driver's units (other drivers' objects may share
	# the folders).
	python3 - "$out/compile_commands.json" "$KD_TREE" "${KD_UNITS[@]}" <<'PY' ||
import json, os, sys
path, tree, units = sys.argv[1], sys.argv[2], sys.argv[3:]
want = {os.path.realpath(os.path.join(tree, u)) for u in units}
db = [e for e in json.load(open(path))
      if os.path.realpath(os.path.join(e["directory"], e["file"])) in want]
missing = want - {os.path.realpath(os.path.join(e["directory"], e["file"])) for e in db}
if missing:
    sys.exit("kernel-drivers: no compile command for " + " ".join(sorted(missing)))
json.dump(db, open(path, "w"), indent=1)
PY
		kernel_tree_die "$name: compile database incomplete"
}
