// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink through libmnl. One socket per run; dumps of links, addresses
 * and routes; RTM_GETROUTE for "route get". Parsing checks every attribute's
 * length before use: whatever the kernel sends, nothing is read out of
 * bounds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/rtnetlink.h>

#include "nl.h"

/* Dumps are sent in skbs of up to 32 KiB; a smaller buffer truncates them. */
#define NL_BUFSIZE	(32 * 1024)

int vlo_nl_open(struct vlo_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(NL_BUFSIZE);
	if (!nl->buf)
		return -1;
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock)
		goto err;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return 0;
err:
	vlo_nl_close(nl);
	return -1;
}

void vlo_nl_close(struct vlo_nl *nl)
{
	int saved = errno;

	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
	errno = saved;
}

/* Send the request, then run cb on every reply until DONE or an error. */
static int nl_talk(struct vlo_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *data)
{
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUFSIZE);
		if (n < 0)
			return -1;
		ret = mnl_cb_run(nl->buf, (size_t)n, seq, nl->portid, cb, data);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -1 : 0;
}

struct nl_dump_ctx {
	struct vlo_nl *nl;
	mnl_cb_t cb;
	void *data;
};

static int nl_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_dump_ctx *ctx = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->nl->intr = true;
	return ctx->cb(nlh, ctx->data);
}

/* Every header (ifinfomsg, ifaddrmsg, rtmsg) starts with the family. */
int vlo_nl_dump(struct vlo_nl *nl, uint16_t type, unsigned char family,
		size_t hdrlen, mnl_cb_t cb, void *data)
{
	struct nl_dump_ctx ctx = { nl, cb, data };
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	unsigned char *hdr;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++nl->seq;
	hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	hdr[0] = family;
	return nl_talk(nl, nlh, nl_dump_cb, &ctx);
}

/* mnl_attr_parse() callback: keep each attribute by type. */
struct nl_attrs {
	const struct nlattr **tb;
	unsigned int max;
};

static int nl_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_attrs *a = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= a->max)
		a->tb[type] = attr;
	return MNL_CB_OK;
}

static void nl_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		     const struct nlattr **tb, unsigned int max)
{
	struct nl_attrs a = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, (unsigned int)hdrlen, nl_attr_cb, &a);
}

static void nl_parse_nested(const struct nlattr *nest,
			    const struct nlattr **tb, unsigned int max)
{
	struct nl_attrs a = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_nested(nest, nl_attr_cb, &a);
}

static bool nl_u32(const struct nlattr *attr, uint32_t *v)
{
	if (!attr || mnl_attr_get_payload_len(attr) < sizeof(uint32_t))
		return false;
	*v = mnl_attr_get_u32(attr);
	return true;
}

static bool nl_u8(const struct nlattr *attr, unsigned int *v)
{
	if (!attr || mnl_attr_get_payload_len(attr) < sizeof(uint8_t))
		return false;
	*v = mnl_attr_get_u8(attr);
	return true;
}

/* A NUL-terminated string attribute into buf, truncated to fit. */
static void nl_str(const struct nlattr *attr, char *buf, size_t len)
{
	size_t n;

	buf[0] = '\0';
	if (!attr)
		return;
	n = strnlen(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr));
	if (n >= len)
		n = len - 1;
	memcpy(buf, mnl_attr_get_payload(attr), n);
	buf[n] = '\0';
}

/* An address attribute of exactly the family's size. */
static bool nl_addr(const struct nlattr *attr, int family, unsigned char *out)
{
	size_t want = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;

	if (!attr || !want || mnl_attr_get_payload_len(attr) != want)
		return false;
	memcpy(out, mnl_attr_get_payload(attr), want);
	return true;
}

/* ---- links ---- */

/* A vlo device's settings; has_vlo_data only if the module sent them. */
static void nl_vlo_data(struct vlo_link *link, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_VLO_MAX + 1];
	unsigned int v;

	nl_parse_nested(data, tb, IFLA_VLO_MAX);
	if (!nl_u8(tb[IFLA_VLO_ACCOUNTING], &v))
		return;
	link->accounting = v;
	if (nl_u8(tb[IFLA_VLO_CARRY], &v))
		link->carry = v;
	if (nl_u8(tb[IFLA_VLO_ADDR_SPLIT], &v))
		link->addr_split = v;
	link->has_vlo_data = true;
}

static int nl_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vlo_link_list *l = data;
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct vlo_link *v, *link;
	uint32_t u;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_OK;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return MNL_CB_ERROR;
	l->v = v;
	link = &v[l->n++];
	memset(link, 0, sizeof(*link));
	link->ifindex = ifi->ifi_index;
	link->flags = ifi->ifi_flags;
	link->type = ifi->ifi_type;

	nl_parse(nlh, sizeof(*ifi), tb, IFLA_MAX);
	nl_str(tb[IFLA_IFNAME], link->name, sizeof(link->name));
	if (nl_u32(tb[IFLA_MTU], &u))
		link->mtu = u;
	nl_u8(tb[IFLA_OPERSTATE], &link->operstate);
	if (nl_u32(tb[IFLA_MASTER], &u))
		link->master = (int)u;
	if (tb[IFLA_ADDRESS]) {
		link->maclen = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		if (link->maclen > sizeof(link->mac))
			link->maclen = sizeof(link->mac);
		memcpy(link->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]),
		       link->maclen);
	}
	if (tb[IFLA_STATS64]) {
		size_t n = mnl_attr_get_payload_len(tb[IFLA_STATS64]);

		if (n > sizeof(link->stats))
			n = sizeof(link->stats);
		memcpy(&link->stats, mnl_attr_get_payload(tb[IFLA_STATS64]), n);
		link->has_stats = true;
	}
	if (tb[IFLA_LINKINFO]) {
		nl_parse_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX);
		nl_str(info[IFLA_INFO_KIND], link->kind, sizeof(link->kind));
		if (!strcmp(link->kind, "vlo") && info[IFLA_INFO_DATA])
			nl_vlo_data(link, info[IFLA_INFO_DATA]);
	}
	return MNL_CB_OK;
}

int vlo_nl_get_links(struct vlo_nl *nl, struct vlo_link_list *l)
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
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1];
	struct vlo_addr a = { 0 }, *v;
	uint32_t flags;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return MNL_CB_OK;
	nl_parse(nlh, sizeof(*ifa), tb, IFA_MAX);
	a.ifindex = (int)ifa->ifa_index;
	a.family = ifa->ifa_family;
	a.prefixlen = ifa->ifa_prefixlen;
	a.scope = ifa->ifa_scope;
	a.flags = nl_u32(tb[IFA_FLAGS], &flags) ? flags : ifa->ifa_flags;
	/* IFA_LOCAL is the address itself; IFA_ADDRESS may be a peer's. */
	if (!nl_addr(tb[IFA_LOCAL], a.family, a.local) &&
	    !nl_addr(tb[IFA_ADDRESS], a.family, a.local))
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
int vlo_nl_get_addrs(struct vlo_nl *nl, struct vlo_link_list *l)
{
	struct vlo_addr *sorted;
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

static int nl_ctr_cb(const struct nlattr *attr, void *data)
{
	struct nl_ctrs *c = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type < VLO_CTR_IN_PACKETS || type > VLO_CTR_MAX ||
	    mnl_attr_get_payload_len(attr) != sizeof(uint64_t))
		return MNL_CB_OK;
	c->ctr[type - VLO_CTR_IN_PACKETS] = mnl_attr_get_u64(attr);
	c->seen |= 1ULL << (type - VLO_CTR_IN_PACKETS);
	return MNL_CB_OK;
}

static int nl_xstats_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == LINK_XSTATS_TYPE_VLO)
		mnl_attr_parse_nested(attr, nl_ctr_cb, data);
	return MNL_CB_OK;
}

static int nl_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct if_stats_msg *ifsm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_STATS_MAX + 1];
	struct nl_ctrs *c = data;

	if (nlh->nlmsg_type != RTM_NEWSTATS ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifsm) ||
	    (int)ifsm->ifindex != c->ifindex)
		return MNL_CB_OK;
	nl_parse(nlh, sizeof(*ifsm), tb, IFLA_STATS_MAX);
	if (tb[IFLA_STATS_LINK_XSTATS])
		mnl_attr_parse_nested(tb[IFLA_STATS_LINK_XSTATS], nl_xstats_cb,
				      c);
	return MNL_CB_OK;
}

/*
 * Every counter of the vlo device ifindex, from one snapshot the kernel
 * took (its extended link statistics). -1 with errno ENODEV if the device
 * is gone, EPROTONOSUPPORT if the module sent no counters.
 */
int vlo_nl_get_vlo_ctrs(struct vlo_nl *nl, int ifindex,
			uint64_t ctr[VLO_NR_CTRS])
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nl_ctrs c = { ifindex, ctr, 0 };
	struct if_stats_msg *ifsm;

	nlh->nlmsg_type = RTM_GETSTATS;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;	/* the ACK ends the reply */
	nlh->nlmsg_seq = ++nl->seq;
	ifsm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifsm));
	ifsm->ifindex = (uint32_t)ifindex;
	ifsm->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_XSTATS);
	if (nl_talk(nl, nlh, nl_stats_cb, &c))
		return -1;
	if (c.seen != (1ULL << VLO_NR_CTRS) - 1) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	return 0;
}

/* ---- routes ---- */

int vlo_nl_dump_routes(struct vlo_nl *nl, int family, mnl_cb_t cb,
		       void *data)
{
	return vlo_nl_dump(nl, RTM_GETROUTE, (unsigned char)family,
			   sizeof(struct rtmsg), cb, data);
}

int vlo_nl_parse_route(const struct nlmsghdr *nlh, struct vlo_route *r)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1];
	uint32_t u;

	memset(r, 0, sizeof(*r));
	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return -1;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return -1;
	nl_parse(nlh, sizeof(*rtm), tb, RTA_MAX);
	r->family = rtm->rtm_family;
	r->type = rtm->rtm_type;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->dst_len = rtm->rtm_dst_len;
	r->src_len = rtm->rtm_src_len;
	r->tos = rtm->rtm_tos;
	r->flags = rtm->rtm_flags;
	r->table = nl_u32(tb[RTA_TABLE], &u) ? u : rtm->rtm_table;
	r->has_dst = nl_addr(tb[RTA_DST], r->family, r->dst);
	r->has_src = nl_addr(tb[RTA_SRC], r->family, r->src);
	r->has_gw = nl_addr(tb[RTA_GATEWAY], r->family, r->gw);
	r->has_prefsrc = nl_addr(tb[RTA_PREFSRC], r->family, r->prefsrc);
	if (nl_u32(tb[RTA_OIF], &u))
		r->oif = (int)u;
	r->has_priority = nl_u32(tb[RTA_PRIORITY], &r->priority);
	r->has_pref = nl_u8(tb[RTA_PREF], &r->pref);
	nl_u32(tb[RTA_NH_ID], &r->nhid);
	r->multipath = tb[RTA_MULTIPATH];
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
			const struct nlattr *tb[RTA_MAX + 1] = { 0 };
			struct nl_attrs a = { tb, RTA_MAX };

			mnl_attr_parse_payload(p + RTNH_ALIGN(sizeof(*rtnh)),
					       len - RTNH_ALIGN(sizeof(*rtnh)),
					       nl_attr_cb, &a);
			nh->ifindex = rtnh->rtnh_ifindex;
			nh->has_gw = nl_addr(tb[RTA_GATEWAY], r->family, nh->gw);
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
int vlo_nl_route_get(struct vlo_nl *nl, int family, const void *addr,
		     int oif, bool fibmatch, struct nlmsghdr **reply)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct rtmsg *rtm;
	size_t alen = family == AF_INET ? 4 : 16;
	int ret;

	*reply = NULL;
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;	/* the ACK ends the reply */
	nlh->nlmsg_seq = ++nl->seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	rtm->rtm_dst_len = (unsigned char)(alen * 8);
	if (family == AF_INET)
		rtm->rtm_flags |= RTM_F_LOOKUP_TABLE;
	if (fibmatch)
		rtm->rtm_flags |= RTM_F_FIB_MATCH;
	mnl_attr_put(nlh, RTA_DST, alen, addr);
	if (oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);

	ret = nl_talk(nl, nlh, nl_route_get_cb, reply);
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
