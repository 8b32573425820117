// SPDX-License-Identifier: GPL-2.0
/*
 * -n NETNS, as "ip -n" and "ip netns exec" do it: join the namespace that
 * "ip netns add" pinned at /run/netns/NETNS, then mount a sysfs of our own,
 * because sysfs shows the network namespace of the process that mounted
 * it. The mount happens in a private mount namespace and dies with us.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "out.h"
#include "vloctl.h"

#define NETNS_RUN_DIR	"/run/netns"

int vlo_netns_enter(const char *name)
{
	unsigned long flags = 0;
	char path[PATH_MAX];
	struct statvfs st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			vlo_err("network namespace \"%s\" not found: see 'ip netns list'",
				name);
		else
			vlo_err("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		vlo_err("cannot enter network namespace \"%s\": %s%s", name,
			strerror(errno),
			errno == EPERM ? " (needs root)" : "");
		close(fd);
		return -1;
	}
	close(fd);

	if (unshare(CLONE_NEWNS)) {
		vlo_err("cannot unshare the mount namespace: %s",
			strerror(errno));
		return -1;
	}
	/* Keep our /sys mount from propagating back to the host. */
	if (mount("none", "/", "none", MS_PRIVATE | MS_REC, NULL)) {
		vlo_err("cannot make / private: %s", strerror(errno));
		return -1;
	}
	if (statvfs("/sys", &st) == 0 && (st.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	if (umount2("/sys", MNT_DETACH) && errno != EINVAL) {
		vlo_err("cannot unmount /sys: %s", strerror(errno));
		return -1;
	}
	if (mount(name, "/sys", "sysfs", flags, NULL)) {
		vlo_err("cannot mount sysfs for network namespace \"%s\": %s",
			name, strerror(errno));
		return -1;
	}
	return 0;
}
