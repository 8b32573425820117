// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink through libmnl. One socket per run; dumps of links, addresses
 * and routes; RTM_GETROUTE for "route get"; a vlo device's counters. The
 * socket is nlsock.c's; every attribute is read through nlattr.c, which
 * checks its length first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "nlattr.h"

/* Every header (ifinfomsg, ifaddrmsg, rtmsg) starts with the family. */
int vlo_nl_dump(struct vlo_nlsock *nl, uint16_t type, unsigned char family,
		size_t hdrlen, mnl_cb_t cb, void *data)
{
	struct vlo_nlreq r;
	unsigned char *hdr;

	hdr = vlo_nlsock_req(nl, &r, type, NLM_F_DUMP, hdrlen);
	hdr[0] = family;
	return vlo_nlsock_talk(nl, &r, cb, data);
}

/*
 * A reply's family header (ifinfomsg, ifaddrmsg, ...): NULL if the message
 * is not of this type or too short to hold it.
 */
static const void *nl_hdr(const struct nlmsghdr *nlh, uint16_t type,
			  size_t hdrlen)
{
	if (nlh->nlmsg_type != type || mnl_nlmsg_get_payload_len(nlh) < hdrlen)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

/* ---- links ---- */

/* A vlo device's settings; has_vlo_data only if the module sent them. */
static void nl_vlo_data(struct vlo_link *link, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_VLO_MAX + 1];
	uint8_t v;

	vlo_nla_parse_nested(data, tb, IFLA_VLO_MAX);
	if (!vlo_nla_u8(tb[IFLA_VLO_ACCOUNTING], &v))
		return;
	link->accounting = v;
	if (vlo_nla_u8(tb[IFLA_VLO_CARRY], &v))
		link->carry = v;
	if (vlo_nla_u8(tb[IFLA_VLO_ADDR_SPLIT], &v))
		link->addr_split = v;
	link->has_vlo_data = true;
}

/* An RTM_NEWLINK message into *link: -1 if it is none. */
int vlo_nl_parse_link(const struct nlmsghdr *nlh, struct vlo_link *link)
{
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi = nl_hdr(nlh, RTM_NEWLINK, sizeof(*ifi));
	uint32_t u;
	uint8_t u8;

	memset(link, 0, sizeof(*link));
	if (!ifi)
		return -1;
	link->ifindex = ifi->ifi_index;
	link->flags = ifi->ifi_flags;
	link->type = ifi->ifi_type;

	vlo_nla_parse(nlh, sizeof(*ifi), tb, IFLA_MAX);
	vlo_nla_str(tb[IFLA_IFNAME], link->name, sizeof(link->name));
	if (vlo_nla_u32(tb[IFLA_MTU], &u))
		link->mtu = u;
	if (vlo_nla_u8(tb[IFLA_OPERSTATE], &u8))
		link->operstate = u8;
	if (vlo_nla_u32(tb[IFLA_MASTER], &u))
		link->master = (int)u;
	link->maclen = vlo_nla_bin_upto(tb[IFLA_ADDRESS], sizeof(link->mac),
					link->mac);
	link->has_stats = vlo_nla_bin_upto(tb[IFLA_STATS64], sizeof(link->stats),
					   &link->stats) > 0;
	if (vlo_nla_parse_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX)) {
		vlo_nla_str(info[IFLA_INFO_KIND], link->kind, sizeof(link->kind));
		if (!strcmp(link->kind, "vlo") && info[IFLA_INFO_DATA])
			nl_vlo_data(link, info[IFLA_INFO_DATA]);
	}
	return 0;
}

static int nl_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vlo_link_list *l = data;
	struct vlo_link *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return MNL_CB_ERROR;
	l->v = v;
	if (!vlo_nl_parse_link(nlh, &v[l->n]))
		l->n++;
	return MNL_CB_OK;
}

int vlo_nl_get_links(struct vlo_nlsock *nl, struct vlo_link_list *l)
{
	memset(l, 0, sizeof(*l));
	return vlo_nl_dump(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg),
			   nl_link_cb, l);
}

struct vlo_link *vlo_nl_link_by_index(const struct vlo_link_list *l,
				      int ifindex)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].ifindex == ifindex)
			return &l->v[i];
	return NULL;
}

struct vlo_link *vlo_nl_link_by_name(const struct vlo_link_list *l,
				     const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

void vlo_nl_free_links(struct vlo_link_list *l)
{
	free(l->v);
	free(l->addrs);
	memset(l, 0, sizeof(*l));
}

/* ---- addresses ---- */

static int nl_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vlo_link_list *l = data;
	const struct ifaddrmsg *ifa = nl_hdr(nlh, RTM_NEWADDR, sizeof(*ifa));
	const struct nlattr *tb[IFA_MAX + 1];
	struct vlo_link_addr a = { 0 }, *v;
	uint32_t flags;

	if (!ifa)
		return MNL_CB_OK;
	vlo_nla_parse(nlh, sizeof(*ifa), tb, IFA_MAX);
	a.ifindex = (int)ifa->ifa_index;
	a.family = ifa->ifa_family;
	a.prefixlen = ifa->ifa_prefixlen;
	a.scope = ifa->ifa_scope;
	a.flags = vlo_nla_u32(tb[IFA_FLAGS], &flags) ? flags : ifa->ifa_flags;
	/* IFA_LOCAL is the address itself; IFA_ADDRESS may be a peer's. */
	if (!vlo_nla_addr(tb[IFA_LOCAL], a.family, a.local) &&
	    !vlo_nla_addr(tb[IFA_ADDRESS], a.family, a.local))
		return MNL_CB_OK;

	v = realloc(l->addrs, (l->nr_addrs + 1) * sizeof(*v));
	if (!v)
		return MNL_CB_ERROR;
	l->addrs = v;
	l->addrs[l->nr_addrs++] = a;
	return MNL_CB_OK;
}

/*
 * All addresses of the netns, regrouped so that each link's are adjacent,
 * in dump order (the dump runs IPv4 before IPv6).
 */
int vlo_nl_get_addrs(struct vlo_nlsock *nl, struct vlo_link_list *l)
{
	struct vlo_link_addr *sorted;
	size_t i, j, k = 0;

	if (vlo_nl_dump(nl, RTM_GETADDR, AF_UNSPEC, sizeof(struct ifaddrmsg),
			nl_addr_cb, l))
		return -1;
	if (!l->nr_addrs)
		return 0;
	sorted = malloc(l->nr_addrs * sizeof(*sorted));
	if (!sorted)
		return -1;
	for (i = 0; i < l->n; i++) {
		struct vlo_link *link = &l->v[i];

		link->addrs = &sorted[k];
		link->nr_addrs = 0;
		for (j = 0; j < l->nr_addrs; j++) {
			if (l->addrs[j].ifindex != link->ifindex)
				continue;
			sorted[k++] = l->addrs[j];
			link->nr_addrs++;
		}
	}
	free(l->addrs);
	l->addrs = sorted;
	l->nr_addrs = k;	/* minus those of links that came up meanwhile */
	return 0;
}

/* ---- a vlo device's counters ---- */

struct nl_ctrs {
	int ifindex;
	uint64_t *ctr;
	uint64_t seen;		/* bit i: counter i was in the reply */
};

static int nl_xstats_cb(const struct nlattr *attr, void *data)
{
	struct nl_ctrs *c = data;

	if (mnl_attr_get_type(attr) == LINK_XSTATS_TYPE_VLO)
		c->seen |= vlo_nla_ctrs(attr, c->ctr);
	return MNL_CB_OK;
}

static int nl_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct if_stats_msg *ifsm = nl_hdr(nlh, RTM_NEWSTATS,
						 sizeof(*ifsm));
	const struct nlattr *tb[IFLA_STATS_MAX + 1];
	struct nl_ctrs *c = data;

	if (!ifsm || (int)ifsm->ifindex != c->ifindex)
		return MNL_CB_OK;
	vlo_nla_parse(nlh, sizeof(*ifsm), tb, IFLA_STATS_MAX);
	if (tb[IFLA_STATS_LINK_XSTATS] &&
	    !mnl_attr_validate(tb[IFLA_STATS_LINK_XSTATS], MNL_TYPE_NESTED))
		mnl_attr_parse_nested(tb[IFLA_STATS_LINK_XSTATS], nl_xstats_cb,
				      c);
	return MNL_CB_OK;
}

/*
 * Every counter of the vlo device ifindex, from one snapshot the kernel
 * took (its extended link statistics). -1 with errno ENODEV if the device
 * is gone, EPROTONOSUPPORT if the module sent no counters.
 */
int vlo_nl_get_vlo_ctrs(struct vlo_nlsock *nl, int ifindex,
			uint64_t ctr[VLO_NR_CTRS])
{
	struct nl_ctrs c = { ifindex, ctr, 0 };
	struct if_stats_msg *ifsm;
	struct vlo_nlreq r;

	/* the ACK ends the reply */
	ifsm = vlo_nlsock_req(nl, &r, RTM_GETSTATS, NLM_F_ACK, sizeof(*ifsm));
	ifsm->ifindex = (uint32_t)ifindex;
	ifsm->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_XSTATS);
	if (vlo_nlsock_talk(nl, &r, nl_stats_cb, &c))
		return -1;
	if (c.seen != (1ULL << VLO_NR_CTRS) - 1) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	return 0;
}

/* ---- routes ---- */

int vlo_nl_dump_routes(struct vlo_nlsock *nl, int family, mnl_cb_t cb,
		       void *data)
{
	return vlo_nl_dump(nl, RTM_GETROUTE, (unsigned char)family,
			   sizeof(struct rtmsg), cb, data);
}

int vlo_nl_parse_route(const struct nlmsghdr *nlh, struct vlo_route *r)
{
	const struct rtmsg *rtm = nl_hdr(nlh, RTM_NEWROUTE, sizeof(*rtm));
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t u;
	uint8_t u8;

	memset(r, 0, sizeof(*r));
	if (!rtm || (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6))
		return -1;
	vlo_nla_parse(nlh, sizeof(*rtm), tb, RTA_MAX);
	r->family = rtm->rtm_family;
	r->type = rtm->rtm_type;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->dst_len = rtm->rtm_dst_len;
	r->src_len = rtm->rtm_src_len;
	r->tos = rtm->rtm_tos;
	r->flags = rtm->rtm_flags;
	r->table = vlo_nla_u32(tb[RTA_TABLE], &u) ? u : rtm->rtm_table;
	r->has_dst = vlo_nla_addr(tb[RTA_DST], r->family, r->dst);
	r->has_src = vlo_nla_addr(tb[RTA_SRC], r->family, r->src);
	r->has_gw = vlo_nla_addr(tb[RTA_GATEWAY], r->family, r->gw);
	r->has_prefsrc = vlo_nla_addr(tb[RTA_PREFSRC], r->family, r->prefsrc);
	if (vlo_nla_u32(tb[RTA_OIF], &u))
		r->oif = (int)u;
	r->has_priority = vlo_nla_u32(tb[RTA_PRIORITY], &r->priority);
	r->has_pref = vlo_nla_u8(tb[RTA_PREF], &u8);
	if (r->has_pref)
		r->pref = u8;
	vlo_nla_u32(tb[RTA_NH_ID], &r->nhid);
	r->multipath = tb[RTA_MULTIPATH];	/* each rtnexthop checked in use */
	return 0;
}

/*
 * The idx-th nexthop of a route: the route itself if it has no
 * RTA_MULTIPATH, else the idx-th struct rtnexthop in it.
 */
bool vlo_nl_nexthop(const struct vlo_route *r, size_t idx,
		    struct vlo_nexthop *nh)
{
	const unsigned char *p, *end;

	memset(nh, 0, sizeof(*nh));
	if (!r->multipath) {
		if (idx > 0)
			return false;
		nh->ifindex = r->oif;
		nh->has_gw = r->has_gw;
		memcpy(nh->gw, r->gw, sizeof(nh->gw));
		nh->weight = 1;
		nh->flags = r->flags & 0xff;
		return true;
	}
	p = mnl_attr_get_payload(r->multipath);
	end = p + mnl_attr_get_payload_len(r->multipath);
	while ((size_t)(end - p) >= sizeof(struct rtnexthop)) {
		const struct rtnexthop *rtnh = (const void *)p;
		size_t len = rtnh->rtnh_len;

		if (len < sizeof(*rtnh) || len > (size_t)(end - p))
			return false;
		if (idx-- == 0) {
			const struct nlattr *tb[RTA_MAX + 1];

			vlo_nla_parse_payload(p + RTNH_ALIGN(sizeof(*rtnh)),
					      len - RTNH_ALIGN(sizeof(*rtnh)),
					      tb, RTA_MAX);
			nh->ifindex = rtnh->rtnh_ifindex;
			nh->has_gw = vlo_nla_addr(tb[RTA_GATEWAY], r->family,
						  nh->gw);
			nh->weight = rtnh->rtnh_hops + 1U;
			nh->flags = rtnh->rtnh_flags;
			return true;
		}
		len = RTNH_ALIGN(len);
		if (len > (size_t)(end - p))
			return false;
		p += len;
	}
	return false;
}

static int nl_route_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlmsghdr **reply = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE || *reply)
		return MNL_CB_OK;
	*reply = malloc(nlh->nlmsg_len);
	if (!*reply)
		return MNL_CB_ERROR;
	memcpy(*reply, nlh, nlh->nlmsg_len);
	return MNL_CB_OK;
}

/*
 * Ask the kernel how it routes a packet from this host to addr: the
 * resolved route (fibmatch false: output device, source, as "ip route get"
 * shows), or the FIB entry that matched (fibmatch true). A non-zero oif
 * is sent as RTA_OIF: with a VRF device's ifindex, the lookup is made in
 * that VRF, as "ip route get ADDR vrf NAME" does. The caller frees *reply.
 * IPv4 needs RTM_F_LOOKUP_TABLE to report the table; IPv6 always does, and
 * rejects that flag under strict checking.
 */
int vlo_nl_route_get(struct vlo_nlsock *nl, int family, const void *addr,
		     int oif, bool fibmatch, struct nlmsghdr **reply)
{
	size_t alen = family == AF_INET ? 4 : 16;
	struct vlo_nlreq r;
	struct rtmsg *rtm;
	int ret;

	*reply = NULL;
	/* the ACK ends the reply */
	rtm = vlo_nlsock_req(nl, &r, RTM_GETROUTE, NLM_F_ACK, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	rtm->rtm_dst_len = (unsigned char)(alen * 8);
	if (family == AF_INET)
		rtm->rtm_flags |= RTM_F_LOOKUP_TABLE;
	if (fibmatch)
		rtm->rtm_flags |= RTM_F_FIB_MATCH;
	mnl_attr_put(r.nlh, RTA_DST, alen, addr);
	if (oif)
		mnl_attr_put_u32(r.nlh, RTA_OIF, (uint32_t)oif);

	ret = vlo_nlsock_talk(nl, &r, nl_route_get_cb, reply);
	if (!ret && !*reply) {
		errno = ENOMSG;
		ret = -1;
	}
	if (ret) {
		free(*reply);
		*reply = NULL;
	}
	return ret;
}
