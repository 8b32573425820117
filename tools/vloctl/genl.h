/* SPDX-License-Identifier: GPL-2.0 */
/* The "vlo" generic netlink family over nlsock.c: addresses, read-and-zero. */
#ifndef VLOCTL_GENL_H
#define VLOCTL_GENL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/vlo.h>

#include "nlsock.h"

struct vlo_genl {
	struct vlo_nlsock nl;
	uint16_t family;	/* the family's id */
	uint32_t maxattr;	/* the last VLO_A_* the loaded module knows */
};

/* One address of a vlo device (VLO_CMD_GET_ADDR / ZERO_ADDR message). */
struct vlo_genl_addrmsg {
	int ifindex;
	char ifname[IFNAMSIZ];
	int family;		/* AF_INET, AF_INET6 */
	unsigned char addr[16];
	unsigned int nr_plens;
	unsigned char plens[33];
	bool split;		/* ctr has the split, not only the totals */
	uint64_t ctr[VLO_NR_CTRS];
};

/* One vlo device (VLO_CMD_GET_DEV / ZERO_DEV message). */
struct vlo_genl_devmsg {
	int ifindex;
	char ifname[IFNAMSIZ];
	bool accounting;
	bool carry;
	unsigned int naddrs;
	uint64_t ctr[VLO_NR_CTRS];
};

typedef int (*vlo_genl_addr_cb)(const struct vlo_genl_addrmsg *a, void *data);
typedef int (*vlo_genl_dev_cb)(const struct vlo_genl_devmsg *d, void *data);

/* A growing array of addresses, filled by vlo_genl_addrs_add from a dump. */
struct vlo_genl_addrs {
	struct vlo_genl_addrmsg *v;
	size_t n, cap;
};

/* A vlo_genl_addr_cb: appends @a to the vlo_genl_addrs @data. */
int vlo_genl_addrs_add(const struct vlo_genl_addrmsg *a, void *data);

/* -1 with errno ENOENT when the family is not there (module not loaded). */
int vlo_genl_open(struct vlo_genl *g);
void vlo_genl_close(struct vlo_genl *g);

/*
 * Dumps (ifindex 0: every device); with zero, read-and-zero; with totals
 * (not with zero), each address brings only its four totals, the split
 * left at 0: an eighth of the messages to read.
 */
int vlo_genl_dump_addrs(struct vlo_genl *g, int ifindex, bool zero,
			bool totals, vlo_genl_addr_cb cb, void *data);
int vlo_genl_dump_devs(struct vlo_genl *g, bool zero, vlo_genl_dev_cb cb,
		       void *data);
/* Read-and-zero of one address, or of one device and all its addresses. */
int vlo_genl_zero_addr(struct vlo_genl *g, int ifindex, int family,
		       const void *addr, struct vlo_genl_addrmsg *out);
int vlo_genl_zero_dev(struct vlo_genl *g, int ifindex,
		      struct vlo_genl_devmsg *out);

/* A reply into *a or *d: -1 if it lacks what each message has. */
int vlo_genl_parse_addr(const struct nlmsghdr *nlh,
			struct vlo_genl_addrmsg *a);
int vlo_genl_parse_dev(const struct nlmsghdr *nlh,
		       struct vlo_genl_devmsg *d);

#endif /* VLOCTL_GENL_H */
