// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl addrs [DEV]: every address of the vlo devices (or of DEV) with its
 * own counters, from the "vlo" generic netlink family; -s adds the split by
 * protocol where the device keeps it (addr-split on), -j prints JSON. Each
 * address's counters are one snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "acct.h"
#include "fmt.h"
#include "genl.h"
#include "nl.h"
#include "out.h"
#include "vloctl.h"

#define ADDRS_ROW	"%-15s %-32s %11s %12s %11s %12s\n"
#define ADDRS_NUM	" %11llu"
#define ADDRS_BNUM	" %12llu"

/* "10.99.0.1/24,32": the address and every prefix length it is held with. */
static const char *addrs_fmt(const struct vlo_genl_addrmsg *a, char *buf,
			     size_t len)
{
	char addr[VLO_FMT_LEN];
	size_t off, i;

	off = (size_t)snprintf(buf, len, "%s",
			       vlo_fmt_addr(a->family, a->addr, addr, sizeof(addr)));
	for (i = 0; i < a->nr_plens && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%c%u",
					i ? ',' : '/', a->plens[i]);
	return buf;
}

static void addrs_text(const struct vlo_genl_addrmsg *a,
			   const struct vlo_acct *acct, int f, bool details)
{
	char buf[VLO_FMT_LEN + 64];
	int d, p;

	vlo_out_text("%-15s %-32s" ADDRS_NUM ADDRS_BNUM ADDRS_NUM ADDRS_BNUM "\n",
		     a->ifname, addrs_fmt(a, buf, sizeof(buf)),
		     (unsigned long long)acct->total[VLO_IN].packets,
		     (unsigned long long)acct->total[VLO_IN].bytes,
		     (unsigned long long)acct->total[VLO_OUT].packets,
		     (unsigned long long)acct->total[VLO_OUT].bytes);
	for (d = 0; details && a->split && d < VLO_NR_DIRS; d++)
		for (p = 0; p < VLO_NR_PROTOS; p++) {
			snprintf(buf, sizeof(buf), "  %s %s %s",
				 vlo_dir_names[d], vlo_af_names[f],
				 vlo_proto_names[p]);
			vlo_out_text("%-48s" ADDRS_NUM ADDRS_BNUM "\n", buf,
				     (unsigned long long)acct->cell[d][f][p].packets,
				     (unsigned long long)acct->cell[d][f][p].bytes);
		}
}

static void addrs_json_pb(const char *key, const struct vlo_pb *pb)
{
	if (key)
		vlo_out_begin_object(key);
	vlo_out_u64("packets", NULL, pb->packets);
	vlo_out_u64("bytes", NULL, pb->bytes);
	if (key)
		vlo_out_end_object();
}

static void addrs_print(const struct vlo_genl_addrmsg *a, bool details)
{
	int d, p, f = a->family == AF_INET ? VLO_IPV4 : VLO_IPV6;
	char buf[VLO_FMT_LEN];
	struct vlo_acct acct;
	size_t i;

	vlo_acct_from_ctrs(&acct, a->ctr);
	if (!vlo_out_is_json()) {
		addrs_text(a, &acct, f, details);
		return;
	}
	vlo_out_begin_object(NULL);
	vlo_out_int("ifindex", NULL, a->ifindex);
	vlo_out_str("ifname", NULL, a->ifname);
	vlo_out_str("family", NULL, vlo_fmt_family(a->family));
	vlo_out_str("local", NULL, vlo_fmt_addr(a->family, a->addr, buf,
						sizeof(buf)));
	vlo_out_begin_array("prefixlens");
	for (i = 0; i < a->nr_plens; i++)
		vlo_out_int(NULL, NULL, a->plens[i]);
	vlo_out_end_array();
	for (d = 0; d < VLO_NR_DIRS; d++) {
		vlo_out_begin_object(vlo_dir_names[d]);
		addrs_json_pb(NULL, &acct.total[d]);
		for (p = 0; details && a->split && p < VLO_NR_PROTOS; p++)
			addrs_json_pb(vlo_proto_names[p], &acct.cell[d][f][p]);
		vlo_out_end_object();
	}
	vlo_out_end_object();
}

/*
 * The ifindex of DEV, which must be a vlo device (said as show says it);
 * 0 for all.
 */
int vlo_addrs_ifindex(const char *dev, int *ifindex)
{
	struct vlo_devs d;

	*ifindex = 0;
	if (!dev)
		return 0;
	if (vlo_devs_load_links(&d, dev))
		return -1;
	*ifindex = d.vlo[0]->ifindex;
	vlo_devs_free(&d);
	return 0;
}

/* Why a request about DEV failed. */
void vlo_addrs_err(const char *what, const char *dev, int err)
{
	if (err == ENODEV)
		vlo_err("%s: '%s' is not a vlo device", what, dev);
	else if (err == EPERM)
		vlo_err("%s: permission denied: needs CAP_NET_ADMIN in the network namespace (try sudo)",
			what);
	else
		vlo_err("%s: %s", what, strerror(err));
}

/* Opens the family, or says why not. */
int vlo_addrs_genl_open(struct vlo_genl *g)
{
	if (!vlo_genl_open(g))
		return 0;
	if (errno == ENOENT)
		vlo_err("the loaded vlo module has no generic netlink family 'vlo': load vlo 0.2 or later");
	else
		vlo_err("cannot open generic netlink: %s", strerror(errno));
	return -1;
}

struct addrs_dev {
	int ifindex;
	bool split;
};

static int addrs_dev_cmp(const void *x, const void *y)
{
	const struct addrs_dev *a = x, *b = y;

	return (a->ifindex > b->ifindex) - (a->ifindex < b->ifindex);
}

/* Dumps the addresses of each of @v's devices, one dump per device. */
static int addrs_dump_each(struct vlo_genl *g, struct addrs_dev *v, size_t n,
			   vlo_genl_addr_cb cb, void *data)
{
	size_t i;

	qsort(v, n, sizeof(*v), addrs_dev_cmp);
	for (i = 0; i < n; i++)
		if (vlo_genl_dump_addrs(g, v[i].ifindex, false, !v[i].split,
					cb, data) && errno != ENODEV)
			return -1;
	return 0;
}

int vlo_addrs_dump_split(struct vlo_genl *g, int ifindex,
			 int (*cb)(const struct vlo_genl_addrmsg *a, void *data),
			 void *data)
{
	struct vlo_link_list links = { 0 };
	struct addrs_dev *v = NULL;
	size_t i, n = 0, nsplit = 0;
	struct vlo_nlsock nl;
	int err = -1;

	if (vlo_nlsock_open(&nl, NETLINK_ROUTE))
		return -1;
	if (vlo_nl_get_links(&nl, &links))
		goto out;
	v = calloc(links.n ? links.n : 1, sizeof(*v));
	if (!v)
		goto out;
	for (i = 0; i < links.n; i++) {
		const struct vlo_link *l = &links.v[i];

		if (!vlo_link_is_vlo(l) || (ifindex && l->ifindex != ifindex))
			continue;
		v[n].ifindex = l->ifindex;
		v[n++].split = l->addr_split;
		nsplit += l->addr_split;
	}
	if (!nsplit || nsplit == n)
		err = vlo_genl_dump_addrs(g, ifindex, false, !nsplit, cb, data);
	else
		err = addrs_dump_each(g, v, n, cb, data);
out:
	free(v);
	vlo_nl_free_links(&links);
	vlo_nlsock_close(&nl);
	return err;
}

/*
 * Each address is printed as its message is parsed: nothing is held, and
 * what a read-and-zero took is on the output even if the dump then fails.
 * The heading (the array in JSON) comes with the first address or at a
 * clean end, so a dump refused at once prints nothing but the error.
 */
struct addrs_out {
	bool details;
	bool started;
};

static void addrs_begin(struct addrs_out *o)
{
	if (o->started)
		return;
	o->started = true;
	vlo_out_text(ADDRS_ROW, "DEVICE", "ADDRESS", "IN PACKETS", "IN BYTES",
		     "OUT PACKETS", "OUT BYTES");
	vlo_out_begin_array(NULL);
}

static int addrs_print_cb(const struct vlo_genl_addrmsg *a, void *data)
{
	struct addrs_out *o = data;

	addrs_begin(o);
	addrs_print(a, o->details);
	return 0;
}

/* Why addrs --zero failed, in reset's words. */
static void addrs_zero_err(const struct vlo_args *a, int err, bool started)
{
	if (err == EPERM)
		vlo_err("cannot zero the addresses: permission denied: needs CAP_NET_ADMIN in the network namespace (try 'sudo vloctl addrs --zero%s%s')",
			a->dev ? " " : "", a->dev ? a->dev : "");
	else
		vlo_addrs_err("cannot zero the addresses", a->dev, err);
	if (started)
		vlo_err("the addresses printed were zeroed, the others were not");
}

/*
 * addrs -Z: one VLO_CMD_ZERO_ADDR dump, which takes each address's
 * counters away as it sends them; the split travels where the address
 * keeps it (and -s shows it), as the kernel gives no totals-only form.
 */
static int addrs_dump(struct vlo_genl *g, const struct vlo_args *a,
		      int ifindex, struct addrs_out *o)
{
	if (a->zero)
		return vlo_genl_dump_addrs(g, ifindex, true, false,
					   addrs_print_cb, o);
	/* the split travels only when -s shows it */
	if (a->details)
		return vlo_addrs_dump_split(g, ifindex, addrs_print_cb, o);
	return vlo_genl_dump_addrs(g, ifindex, false, true, addrs_print_cb, o);
}

int vlo_cmd_addrs(const struct vlo_args *a)
{
	struct addrs_out o = { .details = a->details };
	struct vlo_genl g;
	int ifindex, err;

	if (vlo_dev_check_module() || vlo_addrs_ifindex(a->dev, &ifindex) ||
	    vlo_addrs_genl_open(&g))
		return VLO_EXIT_ERR;
	err = addrs_dump(&g, a, ifindex, &o) ? errno : 0;
	if (!err)
		addrs_begin(&o);
	if (o.started)
		vlo_out_end_array();
	if (err && a->zero)
		addrs_zero_err(a, err, o.started);
	else if (err)
		vlo_addrs_err("cannot dump the addresses", a->dev, err);
	else if (g.nl.intr)
		vlo_err("warning: addresses changed during the dump; it may be inconsistent");
	vlo_genl_close(&g);
	return err ? VLO_EXIT_ERR : VLO_EXIT_OK;
}
