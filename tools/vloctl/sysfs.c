// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs side of the ABI: /sys/class/net/DEV/vlo/ (one value per file)
 * and /sys/module/vlo. Functions return 0, or -1 with errno set and the
 * file involved in vlo_sysfs_last_path().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "vloctl.h"

#define SYSFS_MODULE	"/sys/module/vlo"

const char *const vlo_dir_names[VLO_NR_DIRS] = { "in", "out" };
const char *const vlo_af_names[VLO_NR_AFS] = { "ipv4", "ipv6" };
const char *const vlo_proto_names[VLO_NR_PROTOS] = {
	"icmp", "tcp", "udp", "other"
};

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

static int sysfs_dev_u64(const char *dev, const char *file, uint64_t *v)
{
	char buf[32];

	snprintf(sysfs_path, sizeof(sysfs_path), "/sys/class/net/%s/vlo/%s",
		 dev, file);
	if (sysfs_read(buf, sizeof(buf)))
		return -1;
	if (vlo_parse_u64(buf, v)) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

static int sysfs_pb(const char *dev, const char *prefix, struct vlo_pb *pb)
{
	char file[64];

	snprintf(file, sizeof(file), "%s_packets", prefix);
	if (sysfs_dev_u64(dev, file, &pb->packets))
		return -1;
	snprintf(file, sizeof(file), "%s_bytes", prefix);
	return sysfs_dev_u64(dev, file, &pb->bytes);
}

int vlo_sysfs_read_totals(const char *dev, struct vlo_pb total[VLO_NR_DIRS])
{
	int d;

	for (d = 0; d < VLO_NR_DIRS; d++)
		if (sysfs_pb(dev, vlo_dir_names[d], &total[d]))
			return -1;
	return 0;
}

int vlo_sysfs_accounting(const char *dev, bool *enabled)
{
	uint64_t on;

	if (sysfs_dev_u64(dev, "accounting", &on))
		return -1;
	*enabled = on != 0;
	return 0;
}

int vlo_sysfs_read_acct(const char *dev, struct vlo_acct *acct)
{
	char prefix[32];
	int d, f, p;

	if (vlo_sysfs_accounting(dev, &acct->enabled))
		return -1;
	if (vlo_sysfs_read_totals(dev, acct->total))
		return -1;
	for (d = 0; d < VLO_NR_DIRS; d++)
		for (f = 0; f < VLO_NR_AFS; f++)
			for (p = 0; p < VLO_NR_PROTOS; p++) {
				snprintf(prefix, sizeof(prefix), "%s_%s_%s",
					 vlo_dir_names[d], vlo_af_names[f],
					 vlo_proto_names[p]);
				if (sysfs_pb(dev, prefix, &acct->cell[d][f][p]))
					return -1;
			}
	return 0;
}

int vlo_sysfs_reset(const char *dev)
{
	ssize_t n;
	int fd, saved;

	snprintf(sysfs_path, sizeof(sysfs_path), "/sys/class/net/%s/vlo/reset",
		 dev);
	fd = open(sysfs_path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, "1", 1);
	saved = errno;
	if (close(fd) && n == 1) {
		saved = errno;
		n = -1;
	}
	errno = n == 1 ? 0 : n < 0 ? saved : EIO;
	return n == 1 ? 0 : -1;
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
