// SPDX-License-Identifier: GPL-2.0
/*
 * -n NETNS, as "ip -n" does it: join the network namespace that "ip netns
 * add" pinned at /run/netns/NETNS. Unlike ip, vloctl mounts no sysfs of
 * its own there: everything it reads of the namespace comes over netlink,
 * and what it reads under /sys (/sys/module, /sys/firmware: the module and
 * the machine, doctor's checks) is the same in every network namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "vloctl.h"

#define NETNS_RUN_DIR	"/run/netns"

int vlo_netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, err;

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
	err = setns(fd, CLONE_NEWNET) ? errno : 0;
	close(fd);
	if (err) {
		vlo_err("cannot enter network namespace \"%s\": %s%s", name,
			strerror(err), err == EPERM ? " (needs root)" : "");
		return -1;
	}
	return 0;
}
