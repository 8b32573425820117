// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl route get ADDR: the kernel's answer (RTM_GETROUTE) for a packet
 * from this host to ADDR, the FIB entry that matched, and which vlo device
 * accounts the traffic, and why. Linux delivers packets for every local
 * address through lo, so the device that holds an address is not the one
 * the packets cross; vlo accounts by address (destination on the way in,
 * source on the way out), and this command says so in each case.
 *
 * A vlo device can be the loopback of a VRF: its addresses then live in
 * the VRF's table, reached only by a lookup in that VRF ("vrf NAME", sent
 * as RTA_OIF like ip route get does), and the VRF device takes lo's place.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/rtnetlink.h>

#include "fmt.h"
#include "out.h"
#include "route.h"

#define RG_VRF_KIND	"vrf"

struct rg_result {
	const struct vlo_link *owner;	/* holds ADDR, any kind */
	const struct vlo_link *vrf;	/* the lookup's VRF, NULL: default */
	const struct vlo_link *dev;	/* the output device */
	const struct vlo_link *in;	/* vlo device counting "in", or NULL */
	const struct vlo_link *out;	/* vlo device counting "out", or NULL */
	const struct vlo_link *carrier;	/* the carry device crossed instead */
	bool local;
	bool module;
	char src[VLO_FMT_LEN];		/* the source address, "" if none */
	char hint[256];			/* ADDR is in another VRF, or "" */
	char summary[768];
};

static const struct vlo_link *rg_vlo(const struct vlo_link *l)
{
	return l && vlo_link_is_vlo(l) ? l : NULL;
}

static bool rg_is_vrf(const struct vlo_link *l)
{
	return l && !strcmp(l->kind, RG_VRF_KIND);
}

/*
 * The VRF a link is in: itself for a VRF device, else its master's, or
 * the master's master (a port of a bridge in a VRF); NULL for the default.
 */
static const struct vlo_link *rg_link_vrf(const struct vlo_devs *d,
					  const struct vlo_link *l)
{
	int depth;

	for (depth = 0; l && depth < 3; depth++) {
		if (rg_is_vrf(l))
			return l;
		l = l->master ? vlo_nl_link_by_index(&d->links, l->master) :
				NULL;
	}
	return NULL;
}

/*
 * The link that holds addr, preferably one in the lookup's VRF: VRFs may
 * reuse each other's addresses.
 */
static const struct vlo_link *rg_owner(const struct vlo_devs *d, int family,
				       const void *addr,
				       const struct vlo_link *vrf)
{
	size_t i;

	for (i = 0; i < d->links.n; i++) {
		const struct vlo_link *l = &d->links.v[i];

		if (vlo_link_has_addr(l, family, addr) &&
		    rg_link_vrf(d, l) == vrf)
			return l;
	}
	return vlo_route_addr_owner(d, family, addr, false);
}

/*
 * When a vlo device in a VRF other than the lookup's holds ADDR, the
 * lookup cannot find it: say where it is and what to type instead.
 */
static void rg_hint(char *buf, size_t len, const struct vlo_devs *d,
		    const struct vlo_args *a, const struct vlo_link *vrf)
{
	const char *ns = a->netns ? a->netns : "";
	const char *ns_opt = a->netns ? "-n " : "";
	const char *ns_sep = a->netns ? " " : "";
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < d->links.n; i++) {
		const struct vlo_link *l = &d->links.v[i];
		const struct vlo_link *v = rg_link_vrf(d, l);

		if (!rg_vlo(l) || !v || v == vrf ||
		    !vlo_link_has_addr(l, a->family, a->addr))
			continue;
		snprintf(buf, len, "%s is on %s in VRF %s: try 'vloctl %s%s%sroute get %s vrf %s'",
			 a->addr_str, l->name, v->name, ns_opt, ns, ns_sep,
			 a->addr_str, v->name);
		return;
	}
}

/* The VRF device named by "vrf NAME". */
static const struct vlo_link *rg_vrf(const struct vlo_devs *d,
				     const char *name)
{
	const struct vlo_link *l = vlo_nl_link_by_name(&d->links, name);

	if (!l)
		vlo_err("VRF \"%s\" does not exist: 'ip link show type vrf' lists the VRFs",
			name);
	else if (!rg_is_vrf(l) && l->kind[0])
		vlo_err("%s is not a VRF (its kind is %s): 'ip link show type vrf' lists the VRFs",
			name, l->kind);
	else if (!rg_is_vrf(l))
		vlo_err("%s is not a VRF: 'ip link show type vrf' lists the VRFs",
			name);
	else
		return l;
	return NULL;
}

static void rg_cat(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void rg_cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t off = strlen(buf);
	va_list ap;

	if (off >= len - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
}

/*
 * A local address that the kernel routes through lo and that a vlo device
 * with carry on holds, up, outside any VRF: the module re-routes those
 * packets across the device, whatever the route says. If several such
 * devices hold it, across the one with the lowest ifindex, whichever got
 * the address first, and whether or not a device without carry holds it.
 */
static const struct vlo_link *rg_carrier(const struct vlo_devs *d,
					 const struct rg_result *res,
					 int family, const void *addr)
{
	const struct vlo_link *best = NULL;
	size_t i;

	if (!res->local || !res->dev || !(res->dev->flags & IFF_LOOPBACK))
		return NULL;
	for (i = 0; i < d->links.n; i++) {
		const struct vlo_link *l = &d->links.v[i];

		if (!rg_vlo(l) || !l->carry || !(l->flags & IFF_UP) ||
		    rg_link_vrf(d, l) || !vlo_link_has_addr(l, family, addr))
			continue;
		if (!best || l->ifindex < best->ifindex)
			best = l;
	}
	return best;
}

/* Where the packets go: the first half of the summary. */
static void rg_path(struct rg_result *res, const struct vlo_route *r)
{
	const char *dev = res->dev ? res->dev->name : "?";
	char *s = res->summary;
	size_t len = sizeof(res->summary);
	char type[VLO_FMT_LEN];

	if (res->carrier) {
		rg_cat(s, len, "local address of %s, carry on: packets cross %s (the route says %s: vlo re-routes them)",
		       res->carrier->name, res->carrier->name, dev);
	} else if (res->local) {
		/* lo in the default VRF; a VRF's device is its loopback. */
		const char *via = res->dev ? res->dev->name : "lo";
		const char *what = rg_is_vrf(res->dev) ? " (the VRF device)" : "";

		if (res->owner)
			rg_cat(s, len, "local address of %s%s; packets cross %s%s",
			       res->owner->name,
			       rg_vlo(res->owner) ? "" : " (not a vlo device)",
			       via, what);
		else
			rg_cat(s, len, "local address; packets cross %s%s",
			       via, what);
	} else if (rg_vlo(res->dev) && r->type == RTN_UNICAST) {
		rg_cat(s, len, "not a local address, routed out of %s: packets cross %s's xmit, loop back and are dropped",
		       dev, dev);
	} else if (rg_vlo(res->dev)) {
		rg_cat(s, len, "%s out of %s: %s counts and frees the frame, the kernel delivers its own copy locally",
		       vlo_fmt_rtype(r->type, type, sizeof(type)), dev, dev);
	} else {
		rg_cat(s, len, "routed via %s", dev);
	}
}

/* Who counts them: the second half. */
static void rg_acct(struct rg_result *res, const char *addr)
{
	char *s = res->summary;
	size_t len = sizeof(res->summary);
	const struct vlo_link *v = res->in ? res->in : res->out;

	if (!res->module) {
		rg_cat(s, len, "; not accounted: vlo module not loaded (run 'sudo modprobe vlo')");
		return;
	}
	if (!v) {
		if (res->hint[0])
			rg_cat(s, len, "; not accounted by vlo");
		else if (res->src[0] && strcmp(res->src, addr))
			rg_cat(s, len, "; not accounted by vlo (neither %s nor the source %s is a vlo address)",
			       addr, res->src);
		else
			rg_cat(s, len, "; not accounted by vlo (%s is not a vlo address)",
			       addr);
		return;
	}
	if (res->in && res->out && res->in != res->out)
		rg_cat(s, len, "; accounted in on %s, out on %s",
		       res->in->name, res->out->name);
	else if (res->in && res->out && res->local)
		rg_cat(s, len, "; accounted on %s (in and out)", v->name);
	else if (res->in && res->out)
		rg_cat(s, len, "; accounted on %s (out, and in for replies: the source %s is %s's)",
		       v->name, res->src, v->name);
	else if (res->in)
		rg_cat(s, len, "; accounted on %s (in only)", v->name);
	else
		rg_cat(s, len, "; accounted on %s (out only: the source %s is %s's)",
		       v->name, res->src, v->name);

	/* Accounting can be switched off per device. */
	if (v->has_vlo_data && !v->accounting)
		rg_cat(s, len, "; but accounting is off on %s: 'echo 1 > /sys/class/net/%s/vlo/accounting'",
		       v->name, v->name);
}

static void rg_analyse(struct rg_result *res, const struct vlo_devs *d,
		       const struct vlo_args *a, const struct vlo_link *vrf,
		       const struct vlo_route *r)
{
	const struct vlo_link *src_owner = NULL;

	memset(res, 0, sizeof(*res));
	res->module = vlo_sysfs_module_loaded();
	res->local = r->type == RTN_LOCAL;
	res->vrf = vrf;
	res->owner = rg_owner(d, a->family, a->addr, vrf);
	res->dev = vlo_nl_link_by_index(&d->links, r->oif);
	res->carrier = rg_carrier(d, res, a->family, a->addr);
	if (!res->local)
		rg_hint(res->hint, sizeof(res->hint), d, a, vrf);
	if (r->has_prefsrc) {
		vlo_fmt_addr(r->family, r->prefsrc, res->src, sizeof(res->src));
		src_owner = rg_owner(d, r->family, r->prefsrc, vrf);
	} else if (res->local) {
		/* A local destination is its own source. */
		snprintf(res->src, sizeof(res->src), "%s", a->addr_str);
		src_owner = res->owner;
	}

	if (res->module) {
		res->out = rg_vlo(src_owner);
		if (res->local)
			res->in = rg_vlo(res->owner);
		else if (r->type == RTN_UNICAST && !rg_vlo(res->dev))
			res->in = res->out;	/* replies to the source */
	}
	rg_path(res, r);
	rg_acct(res, a->addr_str);
	if (res->hint[0])
		rg_cat(res->summary, sizeof(res->summary), "; %s", res->hint);
}

struct rg_find {
	const struct vlo_route *fib;
	uint32_t table;
	unsigned int matches;
};

static int rg_find_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rg_find *f = data;
	const struct vlo_route *fib = f->fib;
	struct vlo_route r;

	if (vlo_nl_parse_route(nlh, &r) || r.family != fib->family ||
	    r.type != fib->type || r.dst_len != fib->dst_len ||
	    r.tos != fib->tos || r.oif != fib->oif ||
	    r.has_priority != fib->has_priority ||
	    r.priority != fib->priority ||
	    (r.dst_len && memcmp(r.dst, fib->dst, 4)))
		return MNL_CB_OK;
	f->table = r.table;
	f->matches++;
	return MNL_CB_OK;
}

/*
 * Until the first "ip rule" is added, IPv4 keeps the local table merged
 * into main, and RTM_GETROUTE reports "main" even for a local route. The
 * route dump still knows each entry's table: use it if only one matches.
 */
static void rg_fix_table(struct vlo_devs *d, struct vlo_route *r,
			 struct vlo_route *fib)
{
	struct rg_find f = { .fib = fib };

	if (fib->family != AF_INET || fib->table != RT_TABLE_MAIN)
		return;
	if (vlo_nl_dump_routes(&d->nl, AF_INET, rg_find_cb, &f) ||
	    f.matches != 1)
		return;
	fib->table = f.table;
	r->table = f.table;
}

static void rg_print(const struct vlo_devs *d, const struct vlo_route *r,
		     const struct vlo_route *fib, const struct rg_result *res)
{
	vlo_out_begin_array(NULL);
	vlo_out_begin_object(NULL);
	vlo_route_fields(d, r, "");
	vlo_out_text("\n");
	if (fib) {
		vlo_out_begin_object("fib");
		vlo_out_text("    fib: ");
		vlo_route_fields(d, fib, "    ");
		vlo_out_text("\n");
		vlo_out_end_object();
	}
	vlo_out_begin_object("vlo");
	vlo_out_bool("module_loaded", res->module);
	vlo_out_bool("local", res->local);
	vlo_out_str("vrf", NULL, res->vrf ? res->vrf->name : NULL);
	vlo_out_str("owner", NULL, res->owner ? res->owner->name : NULL);
	vlo_out_str("carried_by", NULL, res->carrier ? res->carrier->name : NULL);
	vlo_out_str("in", NULL, res->in ? res->in->name : NULL);
	vlo_out_str("out", NULL, res->out ? res->out->name : NULL);
	vlo_out_str("summary", "    vlo: %s\n", res->summary);
	vlo_out_end_object();
	vlo_out_end_object();
	vlo_out_end_array();
}

int vlo_cmd_route_get(const struct vlo_args *a)
{
	struct nlmsghdr *reply = NULL, *fibreply = NULL;
	const struct vlo_link *vrf = NULL;
	struct vlo_route r, fib;
	struct rg_result res;
	struct vlo_devs d;
	char hint[sizeof(res.hint)];
	int oif, ret = VLO_EXIT_ERR;

	/* Works without the module too: it then says nothing is accounted. */
	if (vlo_devs_load(&d, NULL))
		return VLO_EXIT_ERR;
	if (a->vrf) {
		vrf = rg_vrf(&d, a->vrf);
		if (!vrf)
			goto out;
	}
	oif = vrf ? vrf->ifindex : 0;
	if (vlo_nl_route_get(&d.nl, a->family, a->addr, oif, false, &reply)) {
		int err = errno;

		if (vrf)
			vlo_err("no route to %s in VRF %s: %s", a->addr_str,
				vrf->name, strerror(err));
		else
			vlo_err("no route to %s: %s", a->addr_str,
				strerror(err));
		rg_hint(hint, sizeof(hint), &d, a, vrf);
		if (hint[0])
			vlo_err("%s", hint);
		goto out;
	}
	if (vlo_nl_parse_route(reply, &r)) {
		vlo_err("route get %s: unexpected reply from the kernel",
			a->addr_str);
		goto out;
	}
	/* The matching FIB entry; kernels before 4.13 cannot tell. */
	if (!vlo_nl_route_get(&d.nl, a->family, a->addr, oif, true,
			      &fibreply) &&
	    vlo_nl_parse_route(fibreply, &fib)) {
		free(fibreply);
		fibreply = NULL;
	}
	if (fibreply)
		rg_fix_table(&d, &r, &fib);
	rg_analyse(&res, &d, a, vrf, &r);
	rg_print(&d, &r, fibreply ? &fib : NULL, &res);
	ret = VLO_EXIT_OK;
out:
	free(reply);
	free(fibreply);
	vlo_devs_free(&d);
	return ret;
}
