// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl [show [DEV]]: each vlo device with its flags, MTU, state and
 * index, its settings, its addresses, the frames that crossed the device itself, and
 * the accounting counters (per family and protocol with -s).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_addr.h>

#include "fmt.h"
#include "out.h"
#include "vloctl.h"

/* Column layout of the counter tables: a label, then numbers. */
#define SHOW_LABEL	"    %-14s"
#define SHOW_NUM	" %10llu"
#define SHOW_HEAD	" %10s"

static const struct {
	uint32_t flag;
	const char *name;
} show_addr_flags[] = {
	{ IFA_F_SECONDARY, "secondary" }, { IFA_F_NODAD, "nodad" },
	{ IFA_F_DADFAILED, "dadfailed" }, { IFA_F_DEPRECATED, "deprecated" },
	{ IFA_F_TENTATIVE, "tentative" },
	{ IFA_F_NOPREFIXROUTE, "noprefixroute" },
};

static void show_header(const struct vlo_link *l)
{
	const char *flags[24];
	char buf[VLO_FMT_LEN];
	size_t i, n = vlo_fmt_link_flags(l->flags, flags, 24);

	vlo_out_int("ifindex", "%lld: ", l->ifindex);
	vlo_out_str("ifname", "%s: <", l->name);
	vlo_out_begin_array("flags");
	for (i = 0; i < n; i++)
		vlo_out_str(NULL, i ? ",%s" : "%s", flags[i]);
	vlo_out_end_array();
	vlo_out_u64("mtu", "> mtu %llu", l->mtu);
	vlo_out_str("operstate", " state %s\n",
		    vlo_fmt_operstate(l->operstate, buf, sizeof(buf)));
	vlo_out_str("link_type", "    link/%s",
		    vlo_fmt_link_type(l->type, buf, sizeof(buf)));
	vlo_out_str("address", " %s\n",
		    vlo_fmt_mac(l->mac, l->maclen, buf, sizeof(buf)));
}

/* The settings, in the words and JSON keys of ip -d link (link_vlo.so). */
static void show_settings(const struct vlo_link *l)
{
	vlo_out_begin_object("linkinfo");
	vlo_out_str("info_kind", "    %s", l->kind);
	vlo_out_begin_object("info_data");
	vlo_out_bool("accounting", l->accounting);
	vlo_out_text(" accounting %s", l->accounting ? "on" : "off");
	vlo_out_bool("carry", l->carry);
	vlo_out_text(" carry %s", l->carry ? "on" : "off");
	vlo_out_bool("addr_split", l->addr_split);
	vlo_out_text(" addr-split %s\n", l->addr_split ? "on" : "off");
	vlo_out_end_object();
	vlo_out_end_object();
}

static void show_addrs(const struct vlo_link *l)
{
	char buf[VLO_FMT_LEN];
	size_t i, j;

	vlo_out_begin_array("addr_info");
	for (i = 0; i < l->nr_addrs; i++) {
		const struct vlo_link_addr *a = &l->addrs[i];

		vlo_out_begin_object(NULL);
		vlo_out_str("family", "    %s", vlo_fmt_family(a->family));
		vlo_out_str("local", " %s", vlo_fmt_addr(a->family, a->local,
							 buf, sizeof(buf)));
		vlo_out_u64("prefixlen", "/%llu", a->prefixlen);
		vlo_out_str("scope", " scope %s",
			    vlo_fmt_scope(a->scope, buf, sizeof(buf)));
		for (j = 0; j < sizeof(show_addr_flags) /
				sizeof(show_addr_flags[0]); j++) {
			if (!(a->flags & show_addr_flags[j].flag))
				continue;
			vlo_out_bool(show_addr_flags[j].name, true);
			vlo_out_text(" %s", show_addr_flags[j].name);
		}
		vlo_out_text("\n");
		vlo_out_end_object();
	}
	vlo_out_end_array();
}

/*
 * What crossed the device's own xmit and receive, as ip -s link shows it.
 * JSON keeps ip's keys and order (bytes first); the text table puts packets
 * first, as the accounting table below it does.
 */
static void show_frames(const struct vlo_link *l)
{
	const struct rtnl_link_stats64 *s = &l->stats;

	if (!l->has_stats)
		return;
	vlo_out_text(SHOW_LABEL SHOW_HEAD SHOW_HEAD SHOW_HEAD SHOW_HEAD "\n",
		     "device frames", "packets", "bytes", "errors", "dropped");
	vlo_out_begin_object("stats64");
	vlo_out_begin_object("rx");
	vlo_out_text(SHOW_LABEL, "  rx");
	vlo_out_u64("bytes", NULL, s->rx_bytes);
	vlo_out_u64("packets", SHOW_NUM, s->rx_packets);
	vlo_out_text(SHOW_NUM, (unsigned long long)s->rx_bytes);
	vlo_out_u64("errors", SHOW_NUM, s->rx_errors);
	vlo_out_u64("dropped", SHOW_NUM "\n", s->rx_dropped);
	vlo_out_u64("over_errors", NULL, s->rx_over_errors);
	vlo_out_u64("multicast", NULL, s->multicast);
	vlo_out_end_object();
	vlo_out_begin_object("tx");
	vlo_out_text(SHOW_LABEL, "  tx");
	vlo_out_u64("bytes", NULL, s->tx_bytes);
	vlo_out_u64("packets", SHOW_NUM, s->tx_packets);
	vlo_out_text(SHOW_NUM, (unsigned long long)s->tx_bytes);
	vlo_out_u64("errors", SHOW_NUM, s->tx_errors);
	vlo_out_u64("dropped", SHOW_NUM "\n", s->tx_dropped);
	vlo_out_u64("carrier_errors", NULL, s->tx_carrier_errors);
	vlo_out_u64("collisions", NULL, s->collisions);
	vlo_out_end_object();
	vlo_out_end_object();
}

static void show_pb(const char *key, const char *label,
		    const struct vlo_pb *pb)
{
	vlo_out_begin_object(key);
	vlo_out_text(SHOW_LABEL, label);
	vlo_out_u64("packets", SHOW_NUM, pb->packets);
	vlo_out_u64("bytes", SHOW_NUM "\n", pb->bytes);
	vlo_out_end_object();
}

static void show_acct(const struct vlo_acct *acct, bool details)
{
	char label[32];
	int d, f, p;

	vlo_out_begin_object("accounting");
	vlo_out_bool("enabled", acct->enabled);
	vlo_out_text(SHOW_LABEL SHOW_HEAD SHOW_HEAD "\n",
		     acct->enabled ? "accounting on" : "accounting off",
		     "packets", "bytes");
	for (d = 0; d < VLO_NR_DIRS; d++) {
		vlo_out_begin_object(vlo_dir_names[d]);
		snprintf(label, sizeof(label), "  %s", vlo_dir_names[d]);
		vlo_out_text(SHOW_LABEL, label);
		vlo_out_u64("packets", SHOW_NUM, acct->total[d].packets);
		vlo_out_u64("bytes", SHOW_NUM "\n", acct->total[d].bytes);
		for (f = 0; details && f < VLO_NR_AFS; f++) {
			vlo_out_begin_object(vlo_af_names[f]);
			for (p = 0; p < VLO_NR_PROTOS; p++) {
				snprintf(label, sizeof(label), "    %s %s",
					 vlo_af_names[f], vlo_proto_names[p]);
				show_pb(vlo_proto_names[p], label,
					&acct->cell[d][f][p]);
			}
			vlo_out_end_object();
		}
		vlo_out_end_object();
	}
	vlo_out_end_object();
}

int vlo_cmd_show(const struct vlo_args *a)
{
	struct vlo_devs d;
	struct vlo_acct *acct;
	size_t i;
	int ret = VLO_EXIT_OK;

	if (vlo_dev_check_module() || vlo_devs_load(&d, a->dev))
		return VLO_EXIT_ERR;
	/* Read everything first: an error must not leave half a document. */
	acct = calloc(d.nr_vlo ? d.nr_vlo : 1, sizeof(*acct));
	if (!acct) {
		vlo_err("out of memory");
		vlo_devs_free(&d);
		return VLO_EXIT_ERR;
	}
	for (i = 0; i < d.nr_vlo; i++) {
		if (vlo_dev_read_acct(&d, d.vlo[i], &acct[i])) {
			vlo_dev_acct_err(d.vlo[i]->name, errno);
			ret = VLO_EXIT_ERR;
			goto out;
		}
	}

	vlo_out_begin_array(NULL);
	for (i = 0; i < d.nr_vlo; i++) {
		vlo_out_begin_object(NULL);
		show_header(d.vlo[i]);
		show_settings(d.vlo[i]);
		show_addrs(d.vlo[i]);
		show_frames(d.vlo[i]);
		show_acct(&acct[i], a->details);
		vlo_out_end_object();
	}
	vlo_out_end_array();
out:
	free(acct);
	vlo_devs_free(&d);
	return ret;
}
