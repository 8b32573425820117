// SPDX-License-Identifier: GPL-2.0
/*
 * What vloctl still takes from sysfs: /sys/module/vlo (is the module
 * loaded, which version), the same in every network namespace. Settings
 * and counters come over netlink (nl.c, genl.c). Functions return 0, or -1
 * with errno set and the file involved in vlo_sysfs_last_path().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vloctl.h"

#define SYSFS_MODULE	"/sys/module/vlo"

static char sysfs_path[PATH_MAX];

const char *vlo_sysfs_last_path(void)
{
	return sysfs_path;
}

/* Read a small file into buf, NUL-terminated; at most len - 1 bytes. */
static int sysfs_read(char *buf, size_t len)
{
	ssize_t n;
	int fd, saved;

	fd = open(sysfs_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

bool vlo_sysfs_module_loaded(void)
{
	snprintf(sysfs_path, sizeof(sysfs_path), "%s", SYSFS_MODULE);
	return access(sysfs_path, F_OK) == 0;
}

/* The loaded module's version, without the newline. */
int vlo_sysfs_module_version(char *buf, size_t len)
{
	snprintf(sysfs_path, sizeof(sysfs_path), "%s/version", SYSFS_MODULE);
	if (sysfs_read(buf, len))
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}
