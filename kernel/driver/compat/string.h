/* SPDX-License-Identifier: MIT */
/*
 * <string.h> for the reference driver compiled in a kernel: the kernel's
 * string functions, and strerror() naming the errno values the driver and
 * its workload produce (the kernel's errname() is not exported to modules).
 */
#ifndef SIMGPU_COMPAT_STRING_H
#define SIMGPU_COMPAT_STRING_H

#include <linux/errno.h>
#include <linux/string.h>

static inline const char *strerror(int err)
{
	switch (err) {
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EIO:
		return "EIO";
	case ENOMEM:
		return "ENOMEM";
	case EACCES:
		return "EACCES";
	case EFAULT:
		return "EFAULT";
	case EBUSY:
		return "EBUSY";
	case EEXIST:
		return "EEXIST";
	case EINVAL:
		return "EINVAL";
	case ENOSPC:
		return "ENOSPC";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case ECANCELED:
		return "ECANCELED";
	default:
		return "error";
	}
}

#endif /* SIMGPU_COMPAT_STRING_H */
