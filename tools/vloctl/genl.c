// SPDX-License-Identifier: GPL-2.0
/*
 * The "vlo" generic netlink family (include/uapi/linux/vlo.h) through
 * nlsock.c: resolve the family through nlctrl, then requests and dumps whose
 * replies are parsed into struct vlo_genl_addrmsg / vlo_genl_devmsg.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "genl.h"
#include "nlattr.h"

static void genl_req(struct vlo_genl *g, struct vlo_nlreq *r, uint16_t type,
		     uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct genlmsghdr *gh;

	gh = vlo_nlsock_req(&g->nl, r, type, flags, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = version;
}

static int genl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct vlo_genl *g = data;

	vlo_nla_parse(nlh, sizeof(struct genlmsghdr), tb, CTRL_ATTR_MAX);
	vlo_nla_u16(tb[CTRL_ATTR_FAMILY_ID], &g->family);
	vlo_nla_u32(tb[CTRL_ATTR_MAXATTR], &g->maxattr);
	return MNL_CB_OK;
}

int vlo_genl_open(struct vlo_genl *g)
{
	struct vlo_nlreq r;
	int ret;

	memset(g, 0, sizeof(*g));
	if (vlo_nlsock_open(&g->nl, NETLINK_GENERIC))
		return -1;
	/* a dump that addresses changed under is still whole for the others */
	g->nl.take_intr = true;
	genl_req(g, &r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(r.nlh, CTRL_ATTR_FAMILY_NAME, VLO_GENL_NAME);
	ret = vlo_nlsock_talk(&g->nl, &r, genl_family_cb, g);
	if (!ret && g->family)
		return 0;
	if (!ret)
		errno = ENOENT;		/* a reply without the family's id */
	vlo_genl_close(g);
	return -1;
}

void vlo_genl_close(struct vlo_genl *g)
{
	vlo_nlsock_close(&g->nl);
	memset(g, 0, sizeof(*g));
}

/* ---- parsing ---- */

static int genl_plen_cb(const struct nlattr *attr, void *data)
{
	struct vlo_genl_addrmsg *a = data;
	uint8_t plen;

	if (mnl_attr_get_type(attr) == VLO_PREFIXLEN &&
	    vlo_nla_u8(attr, &plen) && a->nr_plens < sizeof(a->plens))
		a->plens[a->nr_plens++] = plen;
	return MNL_CB_OK;
}

/* What both messages start with: the device. */
static int genl_parse_ifindex(const struct nlattr **tb, int *ifindex,
			      char *ifname)
{
	uint32_t u;

	if (!vlo_nla_u32(tb[VLO_A_IFINDEX], &u) || !tb[VLO_A_COUNTERS])
		return -1;
	*ifindex = (int)u;
	vlo_nla_str(tb[VLO_A_IFNAME], ifname, IFNAMSIZ);
	return 0;
}

int vlo_genl_parse_addr(const struct nlmsghdr *nlh,
			struct vlo_genl_addrmsg *a)
{
	const struct nlattr *tb[VLO_A_MAX + 1];
	const struct nlattr *plens;

	vlo_nla_parse(nlh, sizeof(struct genlmsghdr), tb, VLO_A_MAX);
	memset(a, 0, sizeof(*a));
	if (vlo_nla_addr(tb[VLO_A_ADDR], AF_INET, a->addr))
		a->family = AF_INET;
	else if (vlo_nla_addr(tb[VLO_A_ADDR], AF_INET6, a->addr))
		a->family = AF_INET6;
	if (!a->family || genl_parse_ifindex(tb, &a->ifindex, a->ifname)) {
		memset(a, 0, sizeof(*a));
		return -1;
	}
	plens = tb[VLO_A_PREFIXLENS];
	if (plens && !mnl_attr_validate(plens, MNL_TYPE_NESTED))
		mnl_attr_parse_nested(plens, genl_plen_cb, a);
	/* a counter past the four totals: the address keeps the split */
	a->split = vlo_nla_ctrs(tb[VLO_A_COUNTERS], a->ctr) >> 4;
	return 0;
}

int vlo_genl_parse_dev(const struct nlmsghdr *nlh, struct vlo_genl_devmsg *d)
{
	const struct nlattr *tb[VLO_A_MAX + 1];
	uint8_t u8;

	vlo_nla_parse(nlh, sizeof(struct genlmsghdr), tb, VLO_A_MAX);
	memset(d, 0, sizeof(*d));
	if (genl_parse_ifindex(tb, &d->ifindex, d->ifname))
		return -1;
	d->accounting = vlo_nla_u8(tb[VLO_A_ACCOUNTING], &u8) && u8;
	d->carry = vlo_nla_u8(tb[VLO_A_CARRY], &u8) && u8;
	vlo_nla_u32(tb[VLO_A_NADDRS], &d->naddrs);
	vlo_nla_ctrs(tb[VLO_A_COUNTERS], d->ctr);
	return 0;
}

/* ---- requests ---- */

struct genl_addr_ctx {
	vlo_genl_addr_cb cb;
	void *data;
	struct vlo_genl_addrmsg *one;	/* a single reply is copied here */
};

static int genl_addr_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_addr_ctx *ctx = data;
	struct vlo_genl_addrmsg a;

	if (vlo_genl_parse_addr(nlh, &a))
		return MNL_CB_OK;
	if (ctx->one) {
		*ctx->one = a;
		return MNL_CB_OK;
	}
	return ctx->cb(&a, ctx->data) ? MNL_CB_ERROR : MNL_CB_OK;
}

struct genl_dev_ctx {
	vlo_genl_dev_cb cb;
	void *data;
	struct vlo_genl_devmsg *one;
};

static int genl_dev_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_dev_ctx *ctx = data;
	struct vlo_genl_devmsg d;

	if (vlo_genl_parse_dev(nlh, &d))
		return MNL_CB_OK;
	if (ctx->one) {
		*ctx->one = d;
		return MNL_CB_OK;
	}
	return ctx->cb(&d, ctx->data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int vlo_genl_dump_addrs(struct vlo_genl *g, int ifindex, bool zero,
			bool totals, vlo_genl_addr_cb cb, void *data)
{
	struct genl_addr_ctx ctx = { cb, data, NULL };
	struct vlo_nlreq r;

	genl_req(g, &r, g->family, zero ? VLO_CMD_ZERO_ADDR : VLO_CMD_GET_ADDR,
		 VLO_GENL_VERSION, NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(r.nlh, VLO_A_IFINDEX, (uint32_t)ifindex);
	/* a module older than the flag refuses it: then all come */
	if (totals && !zero && g->maxattr >= VLO_A_TOTALS)
		mnl_attr_put(r.nlh, VLO_A_TOTALS, 0, NULL);
	return vlo_nlsock_talk(&g->nl, &r, genl_addr_msg_cb, &ctx);
}

int vlo_genl_dump_devs(struct vlo_genl *g, bool zero, vlo_genl_dev_cb cb,
		       void *data)
{
	struct genl_dev_ctx ctx = { cb, data, NULL };
	struct vlo_nlreq r;

	genl_req(g, &r, g->family, zero ? VLO_CMD_ZERO_DEV : VLO_CMD_GET_DEV,
		 VLO_GENL_VERSION, NLM_F_DUMP);
	return vlo_nlsock_talk(&g->nl, &r, genl_dev_msg_cb, &ctx);
}

int vlo_genl_zero_addr(struct vlo_genl *g, int ifindex, int family,
		       const void *addr, struct vlo_genl_addrmsg *out)
{
	struct genl_addr_ctx ctx = { NULL, NULL, out };
	struct vlo_nlreq r;

	memset(out, 0, sizeof(*out));
	genl_req(g, &r, g->family, VLO_CMD_ZERO_ADDR, VLO_GENL_VERSION,
		 NLM_F_ACK);
	mnl_attr_put_u32(r.nlh, VLO_A_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put(r.nlh, VLO_A_ADDR, family == AF_INET ? 4 : 16, addr);
	return vlo_nlsock_talk(&g->nl, &r, genl_addr_msg_cb, &ctx);
}

int vlo_genl_zero_dev(struct vlo_genl *g, int ifindex,
		      struct vlo_genl_devmsg *out)
{
	struct genl_dev_ctx ctx = { NULL, NULL, out };
	struct vlo_nlreq r;

	memset(out, 0, sizeof(*out));
	genl_req(g, &r, g->family, VLO_CMD_ZERO_DEV, VLO_GENL_VERSION,
		 NLM_F_ACK);
	mnl_attr_put_u32(r.nlh, VLO_A_IFINDEX, (uint32_t)ifindex);
	return vlo_nlsock_talk(&g->nl, &r, genl_dev_msg_cb, &ctx);
}

int vlo_genl_addrs_add(const struct vlo_genl_addrmsg *a, void *data)
{
	struct vlo_genl_addrs *l = data;
	struct vlo_genl_addrmsg *v;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
	}
	l->v[l->n++] = *a;
	return 0;
}
