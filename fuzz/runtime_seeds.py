#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpus of fuzz_runtime (fuzz/corpus/runtime/): short
programs in the byte encoding fuzz_runtime.c decodes, one per scenario, so
fuzzing starts from the paths a driver takes (build, publish, fence, reclaim,
free; bind and GPU accesses; shared rings; misuse) rather than from nothing.
Run it again after changing the decoder."""
import os
import struct

MODES = {"fw_private": 0, "fw_shared": 1, "shared_ro": 2, "gpu_shared": 3,
         "gpu_ro": 4}
LAYOUTS = {"raw": 0, "job": 1, "buf": 2, "ring": 3}


def u32(v):
    return list(struct.pack("<I", v))


def alloc_byte(mode, layout, flags=0, page=False):
    for b in range(256):
        if (b % 5 == MODES[mode] and (b >> 3) % 4 == LAYOUTS[layout] and
                (b >> 5) & 3 == flags and bool(b & 0x80) == page):
            return b
    raise ValueError((mode, layout, flags, page))


class Prog:
    def __init__(self):
        self.b = []

    def create(self, mm):
        self.b += [0, 0, 0, mm]

    def destroy(self, mm, how):
        self.b += [1, mm, how]

    def destroy_stale(self, idx):
        self.b += [1, 0, 3, idx]

    def alloc(self, mm, mode, layout, size=0, flags=0, page=False, vm=0):
        self.b += [2, mm, alloc_byte(mode, layout, flags, page), 0,
                   size, vm]

    def trans(self, which, obj, stamp=0, fence=None):
        ops = ["free", "publish", "fw_get", "reclaim", "share", "detach"]
        self.b += [4, ops.index(which), obj, stamp]
        if fence is None:
            self.b += [0]
        else:
            self.b += [1, fence[0] // 4] + u32(fence[1])

    def cpu(self, which, obj, off=0, length=4, val=0):
        ops = ["begin", "end", "read", "write", "load32", "store32",
               "load64", "store64"]
        self.b += [5, ops.index(which), obj, off, length - 1] + u32(val)

    def ptr(self, which, container, target, off):
        self.b += [6, ["gpu", "fw", "clear"].index(which), container,
                   target, off // 4]

    def vm_create(self, mm, slot_hint=0):
        self.b += [7, 0, slot_hint, 0, 0, 0, 0, 0, 0, mm]

    def vm_bind(self, vm, obj, va_page, size_pages, ro=0):
        self.b += [7, 2, vm, obj, va_page, 0, size_pages, ro, 0]

    def vm_unbind(self, vm, va_page, size_pages):
        self.b += [7, 3, vm, 0, va_page, 0, size_pages, 0, 0]

    def vm_invalidate(self, vm):
        self.b += [7, 4, vm, 0, 0, 0, 0, 0, 0]

    def vm_destroy(self, vm):
        self.b += [7, 1, vm, 0, 0, 0, 0, 0, 0]

    def fw(self, which, mm, obj, off, length=4):
        ops = ["read", "write", "load32", "store32", "load64", "store64"]
        # pick_fw near object @obj: b < 0xc0, off % 0x200 - 0x100
        self.b += [8, ops.index(which), mm, 0] + [obj] + u32(off + 0x100)
        self.b += [obj] + u32(0x4000)  # pick_va near the same object
        self.b += [length - 1]

    def gpu(self, write, vm, obj, off, length=4):
        self.b += [8, 7 if write else 6, 0, vm, obj] + u32(0x100)
        self.b += [obj] + u32(off + 0x4000)
        self.b += [length - 1]

    def flush(self, mm):
        self.b += [9, mm]

    def stamp(self, obj, val, word=0):
        self.b += [10, obj] + u32(val) + [word]


def seeds():
    # Slot numbers: objects fill slots 0, 1, 2... in allocation order; VM
    # slots hold the firmware VMs of the memory systems first.
    p = Prog()  # a job with a buffer, published with a fence, reclaimed
    p.create(0)
    p.alloc(0, "fw_shared", "ring")        # slot 0: the stamp ring
    p.alloc(0, "fw_private", "job")        # slot 1
    p.alloc(0, "fw_private", "buf")        # slot 2
    p.trans("share", 0)
    p.cpu("write", 2, 0, 16, 0x11)
    p.ptr("gpu", 1, 2, 8)
    p.ptr("fw", 1, 0, 0x10)
    p.trans("publish", 2)
    p.trans("publish", 1, 0, (4, 1))
    p.fw("read", 0, 1, 0, 8)
    p.fw("store32", 0, 1, 4)                       # firmware stores the status
    p.trans("reclaim", 1, 0, (4, 1))       # before the fence: refused
    p.stamp(0, 1, 1)
    p.trans("reclaim", 1, 0, (4, 1))
    p.ptr("clear", 1, 0, 8)
    p.trans("reclaim", 2)
    p.trans("free", 2)
    p.trans("free", 1)
    p.flush(0)
    p.trans("free", 1)                     # double free
    yield "job_fence", p

    p = Prog()  # a user VM: bind, GPU accesses, unbind, invalidate
    p.create(0)
    p.vm_create(0, 1)                      # VM slot 1
    p.alloc(0, "gpu_shared", "raw", 1, 0, True)
    p.alloc(0, "gpu_ro", "raw", 1, 0, True)
    p.vm_bind(1, 0, 4, 1)
    p.vm_bind(1, 1, 8, 1)
    p.vm_bind(1, 1, 4, 1)                  # overlap
    p.gpu(False, 1, 0, 0, 16)
    p.gpu(True, 1, 1, 0, 16)               # read-only
    p.vm_unbind(1, 4, 1)
    p.gpu(False, 1, 0, 0, 4)               # stale mapping
    p.vm_invalidate(1)
    p.vm_destroy(1)                        # busy
    p.vm_unbind(1, 8, 1)
    p.vm_invalidate(1)
    p.vm_destroy(1)
    p.gpu(False, 1, 0, 0, 4)               # destroyed VM
    yield "vm_bind", p

    p = Prog()  # shared ring words, CPU windows
    p.create(0)
    p.alloc(0, "fw_shared", "ring")
    p.cpu("begin", 0, 0, 4, 3)
    p.cpu("end", 0)
    p.cpu("end", 0)                        # end without begin
    p.trans("share", 0)
    p.cpu("store32", 0, 4, 4, 7)
    p.cpu("load64", 0, 8, 8)
    p.cpu("store32", 0, 0, 4, 1)           # undeclared word
    p.cpu("write", 0, 0, 4)
    p.trans("free", 0)                     # shared, attached
    p.trans("detach", 0)
    p.trans("free", 0)
    p.cpu("load32", 0, 4, 4)               # after free
    yield "shared_ring", p

    p = Prog()  # two memory systems, wild and stale handles
    p.create(0)
    p.create(1)
    p.alloc(1, "gpu_shared", "raw", 1, 0, True)
    p.vm_create(0, 2)
    p.vm_bind(2, 0, 4, 1)                  # foreign object
    p.trans("free", 0xf9)                  # wild
    p.trans("publish", 0xf0)               # NULL
    p.destroy(1, 1)                        # destroy, then detach
    p.trans("free", 0)                     # object of a destroyed mm
    p.destroy_stale(0)                     # destroyed twice
    p.gpu(False, 0xfa, 0, 0)               # wild VM
    p.destroy(0, 0)
    yield "misuse", p

    p = Prog()  # GPU-only and read-only firmware windows, quarantine
    p.create(0)
    p.alloc(0, "fw_private", "raw", 0x40, 1)   # GPU-only
    p.alloc(0, "shared_ro", "buf")
    p.cpu("read", 0, 0, 4)
    p.fw("write", 0, 1, 0, 4)                        # write to a read-only window
    p.trans("publish", 1)
    p.fw("write", 0, 1, 0, 4)
    p.fw("read", 0, 1, 0x40, 8)                # past the end
    p.trans("fw_get", 1)
    p.trans("reclaim", 1)
    p.trans("reclaim", 1)
    p.trans("free", 0)
    p.fw("read", 0, 0, 0, 4)                   # after free
    p.flush(0)
    yield "windows", p


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "corpus", "runtime")
    os.makedirs(out, exist_ok=True)
    for name, p in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes(p.b))


if __name__ == "__main__":
    main()
