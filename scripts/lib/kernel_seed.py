#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The seeded-bug method (scripts/kernel-eval.sh): plant one bug per vocabulary
class into a real function of the configured tree, then see whether
gpuown-check reports it.

Usage: kernel_seed.py --name DRIVER --compdb DB --tree T --profile H --cocci C
                      --check GPUOWN_CHECK --plugin SO --annotations DIR --out DIR

Each seed is an edit script: find an anchor line inside a named function of
one unit, then delete it, duplicate it, insert lines after it, or replace
its statement with lines in which {anchor} stands for the statement (to take
an alias of a pointer before a release, in a block of its own). The edited
copy is written beside the unit (<unit>.gpuown-seed-<class>.c, so its
#include "..." still resolve), compiled with the unit's own command, and
removed afterwards; nothing of the kernel is copied into the project. A seed
counts as found when a gpuown rule (analyzer gpuown.*, Coccinelle) reports in
the seeded copy something it does not report in the unchanged unit, inside the
seeded function. Writes DIR/DRIVER-seeds.json and prints recall per class.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# (class, unit, function, anchor regex, edit, inserted text)
SEEDS = {
	"msm-a6xx": [
		("double free", "drivers/gpu/drm/msm/adreno/a6xx_gmu.c",
		 "a6xx_gmu_memory_alloc", r"drm_gem_object_put\(bo->obj\);", "dup", None),
		("use after free", "drivers/gpu/drm/msm/adreno/a6xx_gmu.c",
		 "a6xx_gmu_memory_alloc", r"drm_gem_object_put\(bo->obj\);", "after",
		 "\t\tbo->size = bo->obj->size;"),
		# No leak seed: every GMU object lives in a struct field that
		# a6xx_gmu_memory_free() puts, so no edit of these units leaks
		# one on an error path without also changing what frees it.
		("unchecked allocation", "drivers/gpu/drm/msm/adreno/a6xx_gmu.c",
		 "a6xx_gmu_memory_alloc", r"bo->obj = msm_gem_new\(", "after",
		 "\tbo->size = bo->obj->size;"),
		("CPU mapping used after free", "drivers/gpu/drm/msm/adreno/a6xx_gmu.c",
		 "a6xx_gmu_memory_alloc", r"bo->virt = msm_gem_get_vaddr\(", "after",
		 "\tdrm_gem_object_put(bo->obj);\n\t*(u32 *)bo->virt = 0;"),
	],
	"i915-guc": [
		("double free", "drivers/gpu/drm/i915/gt/uc/intel_guc_hwconfig.c",
		 "guc_hwconfig_fill_buffer", r"i915_vma_unpin_and_release\(&vma", "replace",
		 # The release clears vma: the second goes through a copy.
		 "\t{\n\t\tstruct i915_vma *alias = vma;\n\n\t{anchor}\n"
		 "\t\ti915_vma_unpin_and_release(&alias, 0);\n\t}"),
		("leak on an error path", "drivers/gpu/drm/i915/gt/uc/intel_guc_hwconfig.c",
		 "guc_hwconfig_fill_buffer", r"i915_vma_unpin_and_release\(&vma", "delete", None),
		("unchecked allocation", "drivers/gpu/drm/i915/gt/uc/intel_guc_log.c",
		 "intel_guc_log_create", r"vma = intel_guc_allocate_vma\(", "after",
		 "\tlog->level = vma->size;"),
		("CPU mapping used after free", "drivers/gpu/drm/i915/gt/uc/intel_guc_hwconfig.c",
		 "guc_hwconfig_fill_buffer", r"i915_vma_unpin_and_release\(&vma", "after",
		 "\tmemcpy(hwconfig->ptr, vaddr, hwconfig->size);"),
		("use after free", "drivers/gpu/drm/i915/gt/uc/intel_guc_hwconfig.c",
		 "guc_hwconfig_fill_buffer", r"i915_vma_unpin_and_release\(&vma", "replace",
		 # The release clears vma: the offset is read through a copy
		 # taken before it.
		 "\t{\n\t\tstruct i915_vma *alias = vma;\n\n\t{anchor}\n"
		 "\t\tret = ret ?: (int)intel_guc_ggtt_offset(guc, alias);\n\t}"),
		# A map pinned on vma->obj (not handed out with the vma): the
		# vma's release puts the object and the map goes with it.
		("CPU mapping used after free", "drivers/gpu/drm/i915/gt/uc/intel_uc_fw.c",
		 "uc_fw_rsa_data_create", r"copied = intel_uc_fw_copy_rsa\(", "after",
		 "\ti915_vma_unpin_and_release(&vma, 0);\n"
		 "\treturn *(u32 *)vaddr ? 0 : -ENOMEM;"),
		# The SLPC shared data written after its GGTT offset went to the
		# GuC in an H2G message (the query action, over the CT), planted
		# where the mapping is made.
		("CPU write after hand-over", "drivers/gpu/drm/i915/gt/uc/intel_guc_slpc.c",
		 "intel_guc_slpc_init", r"slpc->max_freq_softlimit = 0;", "after",
		 "\tif (!guc_action_slpc_query(guc, intel_guc_ggtt_offset(guc, slpc->vma)))\n"
		 "\t\tslpc->vaddr->header.size = sizeof(*slpc->vaddr);"),
		# The same write where the driver would make it: after the reset
		# event in intel_guc_slpc_enable(), whose mapping (slpc->vaddr)
		# was recorded by another function (intel_guc_slpc_init()).
		("CPU write after hand-over", "drivers/gpu/drm/i915/gt/uc/intel_guc_slpc.c",
		 "intel_guc_slpc_enable", r"ret = slpc_reset\(slpc\);", "after",
		 "\tslpc->vaddr->header.size = sizeof(*slpc->vaddr);"),
	],
	"panfrost": [
		("double free", "drivers/gpu/drm/panfrost/panfrost_drv.c",
		 "panfrost_ioctl_create_bo", r"drm_gem_object_put\(&bo->base\.base\);", "dup", None),
		("use after free", "drivers/gpu/drm/panfrost/panfrost_drv.c",
		 "panfrost_ioctl_create_bo", r"drm_gem_object_put\(&bo->base\.base\);", "after",
		 "\targs->flags = bo->noexec;"),
		("leak on an error path", "drivers/gpu/drm/panfrost/panfrost_drv.c",
		 "panfrost_ioctl_create_bo", r"drm_gem_object_put\(&bo->base\.base\);", "delete", None),
		("unchecked allocation", "drivers/gpu/drm/panfrost/panfrost_drv.c",
		 "panfrost_ioctl_create_bo", r"bo = panfrost_gem_create\(", "after",
		 "\targs->offset = bo->noexec;"),
	],
	# psp_usbc_pd_fw_sysfs_write() holds its firmware BO in locals; the
	# BOs of psp_sw_init() live in psp's fields, freed by psp_sw_fini().
	"amdgpu": [
		("double free", "drivers/gpu/drm/amd/amdgpu/amdgpu_psp.c",
		 "psp_usbc_pd_fw_sysfs_write", r"amdgpu_bo_free_kernel\(&fw_buf_bo", "replace",
		 # The free clears the handle: the second goes through a copy.
		 "\t{\n\t\tstruct amdgpu_bo *alias = fw_buf_bo;\n\n\t{anchor}\n"
		 "\t\tamdgpu_bo_unref(&alias);\n\t}"),
		("use after free", "drivers/gpu/drm/amd/amdgpu/amdgpu_psp.c",
		 "psp_usbc_pd_fw_sysfs_write", r"amdgpu_bo_free_kernel\(&fw_buf_bo", "replace",
		 "\t{\n\t\tstruct amdgpu_bo *alias = fw_buf_bo;\n\n\t{anchor}\n"
		 "\t\tcount = alias->tbo.base.size;\n\t}"),
		("leak on an error path", "drivers/gpu/drm/amd/amdgpu/amdgpu_psp.c",
		 "psp_usbc_pd_fw_sysfs_write", r"memcpy_toio\(fw_pri_cpu_addr", "after",
		 "\tif (!usbc_pd_fw->size)\n\t\tgoto rel_buf;"),
		("unchecked allocation", "drivers/gpu/drm/amd/amdgpu/amdgpu_psp.c",
		 "psp_usbc_pd_fw_sysfs_write", r"ret = amdgpu_bo_create_kernel\(", "after",
		 "\tmemset(fw_pri_cpu_addr, 0, 4);"),
		("CPU mapping used after free", "drivers/gpu/drm/amd/amdgpu/amdgpu_psp.c",
		 "psp_usbc_pd_fw_sysfs_write", r"amdgpu_bo_free_kernel\(&fw_buf_bo", "replace",
		 # NULL for cpu_addr: the free leaves fw_pri_cpu_addr dangling.
		 "\tamdgpu_bo_free_kernel(&fw_buf_bo, &fw_pri_mc_addr, NULL);\n"
		 "\tmemset(fw_pri_cpu_addr, 0, 4);"),
		# The same in a function whose BOs live in struct fields.
		("CPU mapping used after free", "drivers/gpu/drm/amd/amdgpu/amdgpu_psp.c",
		 "psp_sw_init", r"&psp->fence_buf\);", "after",
		 # NULL for cpu_addr: the free leaves psp->fence_buf dangling.
		 "\tamdgpu_bo_free_kernel(&psp->fence_buf_bo, &psp->fence_buf_mc_addr, NULL);\n"
		 "\tmemset(psp->fence_buf, 0, PSP_FENCE_BUFFER_SIZE);"),
	],
}


def function_range(lines, name):
	for i, line in enumerate(lines):
		if re.match(r"^(\w.*\b)?%s\(" % re.escape(name), line) and not line.rstrip().endswith(";"):
			depth, seen = 0, False
			for j in range(i, len(lines)):
				depth += lines[j].count("{") - lines[j].count("}")
				seen = seen or "{" in lines[j]
				if seen and depth == 0:
					return i, j
	raise SystemExit("kernel-seed: %s() not found" % name)


def plant(src, func, anchor, edit, text):
	"""The edited source and the seeded function's 1-based line range."""
	lines = src.split("\n")
	first, last = function_range(lines, func)
	for k in range(first, last + 1):
		if re.search(anchor, lines[k]):
			break
	else:
		raise SystemExit("kernel-seed: anchor /%s/ not in %s()" % (anchor, func))
	if edit == "dup":
		lines.insert(k + 1, lines[k])
	elif edit == "delete":
		del lines[k]
	else:
		# After the anchor's statement (it may span several lines).
		end = k
		while not lines[end].rstrip().endswith((";", "{")):
			end += 1
		if edit == "replace":
			stmt = "\n".join(lines[k:end + 1])
			lines[k:end + 1] = text.replace("{anchor}", stmt).split("\n")
		else:
			lines[end + 1:end + 1] = text.split("\n")
	new_first, new_last = function_range(lines, func)
	return "\n".join(lines), (new_first + 1, new_last + 1)


def findings(sarif):
	try:
		log = json.load(open(sarif))
	except (OSError, ValueError):
		return []
	out = []
	for run in log.get("runs", []):
		for r in run.get("results", []):
			loc = r["locations"][0]["physicalLocation"]
			out.append((r.get("ruleId", "?"), loc["artifactLocation"]["uri"],
				    loc.get("region", {}).get("startLine", 0),
				    r["message"]["text"]))
	return out


def notices(sarif):
	"""Units a layer did not analyse (timed out, unparsable): uri -> reason."""
	try:
		log = json.load(open(sarif))
	except (OSError, ValueError):
		return {}
	out = {}
	for run in log.get("runs", []):
		for inv in run.get("invocations", []):
			for n in inv.get("toolExecutionNotifications", []):
				for loc in n.get("locations", []):
					uri = loc["physicalLocation"]["artifactLocation"]["uri"]
					out[uri] = "%s: %s" % (n["descriptor"]["id"],
							       n["message"]["text"][:200])
	return out


def main():
	ap = argparse.ArgumentParser()
	for k in ("name", "compdb", "tree", "profile", "cocci", "check", "plugin",
		  "annotations", "out"):
		ap.add_argument("--" + k, required=True)
	# Wall seconds per unit: a shared machine stretches wall time many
	# times over, and a unit that timed out was not analysed at all.
	ap.add_argument("--timeout", type=int, default=3600)
	a = ap.parse_args()
	seeds = SEEDS.get(a.name, [])
	db = {os.path.realpath(os.path.join(e["directory"], e["file"])): e
	      for e in json.load(open(a.compdb))}
	work = tempfile.mkdtemp(prefix="gpuown-seed-")
	entries, planted, base_units = [], [], set()
	try:
		for i, (cls, unit, func, anchor, edit, text) in enumerate(seeds):
			src_path = os.path.realpath(os.path.join(a.tree, unit))
			e = db[src_path]
			src = open(src_path).read()
			new, rng = plant(src, func, anchor, edit, text)
			copy = src_path[:-2] + ".gpuown-seed-%d.c" % i
			open(copy, "w").write(new)
			planted.append((cls, unit, func, copy, rng))
			ne = dict(e, file=copy)
			if "command" in ne:
				ne["command"] = ne["command"].replace(unit, os.path.relpath(copy, a.tree))
			else:
				ne["arguments"] = [copy if x.endswith(unit) else x for x in ne["arguments"]]
			entries.append(ne)
			base_units.add(src_path)
		entries += [db[u] for u in sorted(base_units)]
		os.makedirs(work, exist_ok=True)
		json.dump(entries, open(os.path.join(work, "compile_commands.json"), "w"))
		sarif = os.path.join(work, "seed.sarif")
		subprocess.run([a.check, "-p", os.path.join(work, "compile_commands.json"),
				"-q", "-l", "analyzer,coccinelle", "--plugin", a.plugin,
				"--profile", a.profile, "-I", a.annotations,
				"--cocci-profile", a.cocci, "--root", a.tree,
				"--sarif", sarif, "--no-cache",
				"--timeout", str(a.timeout)], stdout=subprocess.DEVNULL,
			       stderr=subprocess.DEVNULL)
		found = findings(sarif)
		skipped = notices(sarif)
	finally:
		for p in planted:
			if os.path.exists(p[3]):
				os.unlink(p[3])
	report = []
	for cls, unit, func, copy, (lo, hi) in planted:
		rel = os.path.relpath(copy, a.tree)
		base = {(r, m) for r, u, l, m in found if u == unit}
		hits = [(r, l, m) for r, u, l, m in found
			if u == rel and lo <= l <= hi and (r, m) not in base
			and not r.startswith("sparse")]
		# A seed in a unit that was not analysed is neither found nor
		# missed: it is reported with the reason.
		why = skipped.get(rel) or skipped.get(unit)
		report.append({"class": cls, "unit": unit, "function": func,
			       "found": bool(hits),
			       "by": ["%s line %d: %s" % h for h in hits]})
		if why and not hits:
			report[-1]["not_analysed"] = why
	json.dump(report, open(os.path.join(a.out, a.name + "-seeds.json"), "w"), indent=1)
	n = sum(r["found"] for r in report)
	na = sum(1 for r in report if "not_analysed" in r)
	print("   seeded bugs: %d of %d found%s" % (
		n, len(report), ", %d not analysed" % na if na else ""))
	for r in report:
		state = ("FOUND" if r["found"] else
			 "NOT ANALYSED" if "not_analysed" in r else "missed")
		print("     %-28s %s  %s()%s" % (
			r["class"], state, r["function"],
			(": " + r["by"][0]) if r["by"] else
			(": " + r["not_analysed"]) if "not_analysed" in r else ""))
	return 0


if __name__ == "__main__":
	sys.exit(main())
