// SPDX-License-Identifier: MIT
#include "atomic_out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The one temporary file being written, removed if we die half-way. */
static char pending[PATH_MAX];

void atomic_out_cleanup(void)
{
	if (pending[0])
		unlink(pending);
	pending[0] = '\0';
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* /dev/stdout, a pipe: nothing to replace, and never rename over a device. */
static int write_special(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC), ret;

	if (fd < 0)
		ret = -errno;
	else
		ret = write_all(fd, data, len);
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (ret)
		fprintf(stderr, "gpuown-check: cannot write %s: %s\n", path,
			strerror(-ret));
	return ret;
}

int atomic_write(const char *path, const void *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	mode_t mode = 0644;
	int fd, ret;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_special(path, data, len);

	if (slash)
		ret = snprintf(pending, sizeof(pending), "%.*s/.%s.XXXXXX",
			       (int)(slash - path), path, slash + 1);
	else
		ret = snprintf(pending, sizeof(pending), ".%s.XXXXXX", path);
	if (ret < 0 || ret >= (int)sizeof(pending)) {
		pending[0] = '\0';
		fprintf(stderr, "gpuown-check: cannot write %s: %s\n", path,
			strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	fd = mkstemp(pending);
	if (fd < 0) {
		ret = -errno;
		pending[0] = '\0';
		goto err;
	}
	/* Keep the mode of the file we replace; else what umask allows. */
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode_t mask = umask(0);

		umask(mask);
		mode = 0666 & ~mask;
	}
	ret = write_all(fd, data, len);
	if (!ret && fchmod(fd, mode))
		ret = -errno;
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(pending, path))
		ret = -errno;
	if (ret)
		goto err;
	pending[0] = '\0';
	return 0;
err:
	atomic_out_cleanup();
	fprintf(stderr, "gpuown-check: cannot write %s: %s (left as it was)\n",
		path, strerror(-ret));
	return ret;
}
