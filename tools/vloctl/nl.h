/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnetlink over nlsock.c: links (with a vlo device's settings), addresses,
 * routes, RTM_GETROUTE, and a vlo device's counters (RTM_GETSTATS).
 */
#ifndef VLOCTL_NL_H
#define VLOCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/vlo.h>
#include <net/if.h>

#include "nlsock.h"

struct vlo_link_addr {
	int ifindex;
	int family;
	unsigned int prefixlen;
	unsigned int scope;
	uint32_t flags;		/* IFA_F_* */
	unsigned char local[16];
};

struct vlo_link {
	int ifindex;
	char name[IFNAMSIZ];
	char kind[32];		/* IFLA_INFO_KIND, "" for none */
	bool has_vlo_data;	/* a vlo device's IFLA_INFO_DATA was there */
	bool accounting;	/* IFLA_VLO_ACCOUNTING */
	bool carry;		/* IFLA_VLO_CARRY */
	bool addr_split;	/* IFLA_VLO_ADDR_SPLIT */
	int master;		/* IFLA_MASTER: bridge, bond or VRF; 0 if none */
	unsigned int flags;	/* IFF_* */
	unsigned int mtu;
	unsigned int operstate;
	unsigned int type;	/* ARPHRD_* */
	unsigned char mac[32];
	size_t maclen;
	bool has_stats;
	struct rtnl_link_stats64 stats;
	struct vlo_link_addr *addrs;	/* after vlo_nl_get_addrs(), into its list */
	size_t nr_addrs;
};

struct vlo_link_list {
	struct vlo_link *v;
	size_t n;
	struct vlo_link_addr *addrs;
	size_t nr_addrs;
};

struct vlo_route {
	int family;
	unsigned int type;	/* RTN_* */
	unsigned int protocol;
	unsigned int scope;
	unsigned int dst_len;
	unsigned int src_len;
	unsigned int tos;
	uint32_t table;
	uint32_t flags;		/* rtm_flags, RTNH_F_* in the low byte */
	bool has_dst, has_src, has_gw, has_prefsrc, has_priority, has_pref;
	unsigned char dst[16], src[16], gw[16], prefsrc[16];
	int oif;		/* 0 if none */
	uint32_t priority;
	unsigned int pref;	/* RTA_PREF */
	uint32_t nhid;		/* RTA_NH_ID, 0 if none */
	const struct nlattr *multipath;	/* points into the message */
};

struct vlo_nexthop {
	int ifindex;
	bool has_gw;
	unsigned char gw[16];
	unsigned int weight;	/* 1..256 */
	unsigned int flags;	/* RTNH_F_* */
};

int vlo_nl_dump(struct vlo_nlsock *nl, uint16_t type, unsigned char family,
		size_t hdrlen, mnl_cb_t cb, void *data);

int vlo_nl_parse_link(const struct nlmsghdr *nlh, struct vlo_link *link);
int vlo_nl_get_links(struct vlo_nlsock *nl, struct vlo_link_list *l);
int vlo_nl_get_addrs(struct vlo_nlsock *nl, struct vlo_link_list *l);
void vlo_nl_free_links(struct vlo_link_list *l);
struct vlo_link *vlo_nl_link_by_index(const struct vlo_link_list *l,
				      int ifindex);
struct vlo_link *vlo_nl_link_by_name(const struct vlo_link_list *l,
				     const char *name);

int vlo_nl_get_vlo_ctrs(struct vlo_nlsock *nl, int ifindex,
			uint64_t ctr[VLO_NR_CTRS]);

int vlo_nl_dump_routes(struct vlo_nlsock *nl, int family, mnl_cb_t cb,
		       void *data);
int vlo_nl_route_get(struct vlo_nlsock *nl, int family, const void *addr,
		     int oif, bool fibmatch, struct nlmsghdr **reply);
int vlo_nl_parse_route(const struct nlmsghdr *nlh, struct vlo_route *r);
bool vlo_nl_nexthop(const struct vlo_route *r, size_t idx,
		    struct vlo_nexthop *nh);

#endif /* VLOCTL_NL_H */
