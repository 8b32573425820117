/* SPDX-License-Identifier: GPL-2.0 */
/* Command line parsing: pure, so the unit tests link it directly. */
#ifndef VLOCTL_ARGS_H
#define VLOCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>

enum vloctl_cmd {
	VLOCTL_CMD_SHOW,
	VLOCTL_CMD_ROUTES,
	VLOCTL_CMD_ROUTE_GET,
	VLOCTL_CMD_STATS,
	VLOCTL_CMD_RESET,
	VLOCTL_CMD_ADDRS,
	VLOCTL_CMD_EXPORT,
	VLOCTL_CMD_DOCTOR,
	VLOCTL_CMD_HELP,
	VLOCTL_CMD_VERSION,
};

#define VLO_INTERVAL_MIN	0.01
#define VLO_INTERVAL_MAX	86400.0
#define VLO_COUNT_MAX		1000000000UL

struct vlo_args {
	enum vloctl_cmd cmd;
	bool json;		/* -j */
	bool pretty;		/* -p (implies -j) */
	bool details;		/* -s */
	bool addrs;		/* stats -a: per address */
	bool zero;		/* addrs -Z: read-and-zero */
	const char *netns;	/* -n NETNS */
	const char *dev;	/* DEV operand, or NULL for all */
	const char *addr_str;	/* route get ADDR, as typed */
	const char *vrf;	/* route get ... vrf NAME, or NULL */
	const char *ko;		/* doctor KO, or NULL to look for it */
	const char *textfile;	/* export --textfile DIR, or NULL */
	int family;		/* AF_INET or AF_INET6 for addr */
	unsigned char addr[16];
	double interval;	/* stats -w, seconds */
	unsigned long count;	/* stats -c, 0 for "until interrupted" */
};

int vlo_args_parse(struct vlo_args *a, int argc, char *const argv[],
		   char *err, size_t errlen);
int vlo_args_interval(const char *s, double *secs);
int vlo_args_count(const char *s, unsigned long *count);
bool vlo_args_valid_ifname(const char *name);
bool vlo_args_valid_netns(const char *name);

#endif /* VLOCTL_ARGS_H */
