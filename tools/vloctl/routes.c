// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl routes [DEV]: every IPv4 and IPv6 route, in every table, that
 * sends traffic out of a vlo device, plus the local routes of the vlo
 * devices' addresses, printed as "ip route show table all" would.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "fmt.h"
#include "out.h"
#include "route.h"

static const struct {
	uint32_t flag;
	const char *name;
} routes_nh_flags[] = {
	{ RTNH_F_DEAD, "dead" }, { RTNH_F_ONLINK, "onlink" },
	{ RTNH_F_PERVASIVE, "pervasive" }, { RTNH_F_OFFLOAD, "offload" },
	{ RTNH_F_TRAP, "trap" }, { RTNH_F_LINKDOWN, "linkdown" },
	{ RTNH_F_UNRESOLVED, "unresolved" },
};

bool vlo_link_has_addr(const struct vlo_link *l, int family, const void *addr)
{
	size_t alen = family == AF_INET ? 4 : 16;
	size_t i;

	for (i = 0; i < l->nr_addrs; i++)
		if (l->addrs[i].family == family &&
		    !memcmp(l->addrs[i].local, addr, alen))
			return true;
	return false;
}

/* The link that holds addr; with vlo_only, only if it is a selected vlo. */
const struct vlo_link *vlo_route_addr_owner(const struct vlo_devs *d,
					    int family, const void *addr,
					    bool vlo_only)
{
	size_t i, j;

	for (i = 0; i < d->links.n; i++) {
		const struct vlo_link *l = &d->links.v[i];

		if (!vlo_link_has_addr(l, family, addr))
			continue;
		if (!vlo_only)
			return l;
		for (j = 0; j < d->nr_vlo; j++)
			if (d->vlo[j] == l)
				return l;
	}
	return NULL;
}

static void routes_flags(unsigned int flags)
{
	size_t i;

	vlo_out_begin_array("flags");
	for (i = 0; i < sizeof(routes_nh_flags) / sizeof(routes_nh_flags[0]);
	     i++)
		if (flags & routes_nh_flags[i].flag)
			vlo_out_str(NULL, " %s", routes_nh_flags[i].name);
	vlo_out_end_array();
}

static void routes_multipath(const struct vlo_devs *d,
			     const struct vlo_route *r, const char *indent)
{
	char buf[VLO_FMT_LEN];
	struct vlo_nexthop nh;
	size_t i;

	vlo_out_begin_array("nexthops");
	for (i = 0; vlo_nl_nexthop(r, i, &nh); i++) {
		vlo_out_begin_object(NULL);
		vlo_out_text("\n%s    nexthop", indent);
		if (nh.has_gw)
			vlo_out_str("gateway", " via %s",
				    vlo_fmt_addr(r->family, nh.gw, buf,
						 sizeof(buf)));
		if (nh.ifindex)
			vlo_out_str("dev", " dev %s",
				    vlo_devs_name(d, nh.ifindex, buf,
						  sizeof(buf)));
		vlo_out_u64("weight", " weight %llu", nh.weight);
		routes_flags(nh.flags);
		vlo_out_end_object();
	}
	vlo_out_end_array();
}

/*
 * ip route's order: type, dst, from, tos, nhid, via, dev, table, proto,
 * scope, src, metric, flags, nexthops, pref. Text hides the defaults
 * (unicast, main, boot or unspec, global) as ip does; JSON always has the
 * keys. The caller opens the JSON object and ends the text line; indent
 * prefixes the "nexthop" lines of a multipath route.
 */
void vlo_route_fields(const struct vlo_devs *d, const struct vlo_route *r,
		      const char *indent)
{
	static const unsigned char any[16];
	char buf[VLO_FMT_LEN];
	const char *name;

	vlo_rt_tables_load();
	vlo_out_str("family", NULL, vlo_fmt_family(r->family));
	name = vlo_fmt_rtype(r->type, buf, sizeof(buf));
	vlo_out_str("type", r->type != RTN_UNICAST ? "%s " : NULL, name);
	vlo_out_str("dst", "%s", vlo_fmt_dst(r->family,
					     r->has_dst ? r->dst : any,
					     r->dst_len, buf, sizeof(buf)));
	if (r->src_len && r->has_src && memcmp(r->src, any, sizeof(any)))
		vlo_out_str("from", " from %s",
			    vlo_fmt_dst(r->family, r->src, r->src_len, buf,
					sizeof(buf)));
	if (r->tos)
		vlo_out_u64("tos", " tos %llu", r->tos);
	if (r->nhid)
		vlo_out_u64("nhid", " nhid %llu", r->nhid);
	if (r->has_gw && !r->multipath)
		vlo_out_str("gateway", " via %s",
			    vlo_fmt_addr(r->family, r->gw, buf, sizeof(buf)));
	if (r->oif && !r->multipath)
		vlo_out_str("dev", " dev %s",
			    vlo_devs_name(d, r->oif, buf, sizeof(buf)));
	name = vlo_fmt_table(r->table, buf, sizeof(buf));
	vlo_out_str("table", r->table != RT_TABLE_MAIN ? " table %s" : NULL,
		    name);
	name = vlo_fmt_proto(r->protocol, buf, sizeof(buf));
	vlo_out_str("protocol", r->protocol != RTPROT_BOOT &&
		    r->protocol != RTPROT_UNSPEC ? " proto %s" : NULL, name);
	name = vlo_fmt_scope(r->scope, buf, sizeof(buf));
	vlo_out_str("scope", r->scope != RT_SCOPE_UNIVERSE ? " scope %s" : NULL,
		    name);
	if (r->has_prefsrc)
		vlo_out_str("prefsrc", " src %s",
			    vlo_fmt_addr(r->family, r->prefsrc, buf,
					 sizeof(buf)));
	if (r->has_priority)
		vlo_out_u64("metric", " metric %llu", r->priority);
	routes_flags(r->multipath ? 0 : r->flags & 0xff);
	if (r->multipath)
		routes_multipath(d, r, indent);
	if (r->has_pref)
		vlo_out_str("pref", " pref %s", vlo_fmt_pref(r->pref));
}

void vlo_route_print(const struct vlo_devs *d, const struct vlo_route *r)
{
	vlo_out_begin_object(NULL);
	vlo_route_fields(d, r, "");
	vlo_out_text("\n");
	vlo_out_end_object();
}

struct routes_ctx {
	const struct vlo_devs *d;
};

static bool routes_selected(const struct vlo_devs *d, int ifindex)
{
	size_t i;

	for (i = 0; i < d->nr_vlo; i++)
		if (d->vlo[i]->ifindex == ifindex)
			return true;
	return false;
}

static bool routes_match(const struct vlo_devs *d, const struct vlo_route *r)
{
	unsigned int full = r->family == AF_INET ? 32 : 128;
	struct vlo_nexthop nh;
	size_t i;

	for (i = 0; vlo_nl_nexthop(r, i, &nh); i++)
		if (nh.ifindex && routes_selected(d, nh.ifindex))
			return true;
	/* A local route of a vlo address, whichever device it names. */
	return r->type == RTN_LOCAL && r->has_dst && r->dst_len == full &&
	       vlo_route_addr_owner(d, r->family, r->dst, true);
}

static int routes_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct routes_ctx *c = data;
	struct vlo_route r;

	if (vlo_nl_parse_route(nlh, &r))
		return MNL_CB_OK;
	if (r.flags & RTM_F_CLONED)
		return MNL_CB_OK;
	if (routes_match(c->d, &r))
		vlo_route_print(c->d, &r);
	return MNL_CB_OK;
}

int vlo_cmd_routes(const struct vlo_args *a)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct routes_ctx c;
	struct vlo_devs d;
	size_t i;
	int ret = VLO_EXIT_OK;

	if (vlo_dev_check_module() || vlo_devs_load(&d, a->dev))
		return VLO_EXIT_ERR;
	c.d = &d;
	vlo_out_begin_array(NULL);
	for (i = 0; i < 2 && d.nr_vlo; i++) {
		if (vlo_nl_dump_routes(&d.nl, families[i], routes_cb, &c)) {
			vlo_err("cannot list %s routes: %s",
				families[i] == AF_INET ? "IPv4" : "IPv6",
				strerror(errno));
			ret = VLO_EXIT_ERR;
			break;
		}
	}
	vlo_out_end_array();
	if (d.nl.intr)
		vlo_err("warning: routes changed while they were listed; run again for a consistent list");
	vlo_devs_free(&d);
	return ret;
}
