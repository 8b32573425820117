// SPDX-License-Identifier: GPL-2.0
/*
 * The "vlo" generic netlink family (include/uapi/linux/vlo.h) through
 * libmnl: resolve the family through nlctrl, then requests and dumps whose
 * replies are parsed into struct vlo_genl_addr / vlo_genl_dev.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/genetlink.h>

#include "genl.h"

#define GENL_BUFSIZE	(1 << 16)

struct genl_req {
	char buf[8192];
	struct nlmsghdr *nlh;
};

static void genl_put(struct vlo_genl *g, struct genl_req *r, uint16_t type,
		     uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct genlmsghdr *gh;

	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh->nlmsg_seq = ++g->seq;
	gh = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = version;
}

struct genl_dump_ctx {
	struct vlo_genl *g;
	mnl_cb_t cb;
	void *data;
};

static int genl_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_dump_ctx *ctx = data;

	return ctx->cb(nlh, ctx->data);
}

/*
 * libmnl ends a run at the first message flagged NLM_F_DUMP_INTR (EINTR),
 * dropping the rest of the dump. Such a dump is still whole for the
 * addresses that did not change, as ip's are: note the flag and let the
 * messages through.
 */
static void genl_take_intr(struct vlo_genl *g, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)g->buf;
	int rem = (int)len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			g->intr = true;
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
		}
	}
}

/* Send the request, then run cb on every reply until DONE, the ACK or an error. */
static int genl_talk(struct vlo_genl *g, struct genl_req *r, mnl_cb_t cb,
		     void *data)
{
	struct genl_dump_ctx ctx = { g, cb, data };
	unsigned int seq = r->nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(g->sock, r->nlh, r->nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(g->sock, g->buf, GENL_BUFSIZE);
		if (n < 0)
			return -1;
		genl_take_intr(g, (size_t)n);
		ret = mnl_cb_run(g->buf, (size_t)n, seq, g->portid,
				 genl_msg_cb, &ctx);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -1 : 0;
}

static int genl_family_attr_cb(const struct nlattr *attr, void *data)
{
	struct vlo_genl *g = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_get_payload_len(attr) == sizeof(uint16_t))
		g->family = mnl_attr_get_u16(attr);
	if (mnl_attr_get_type(attr) == CTRL_ATTR_MAXATTR &&
	    mnl_attr_get_payload_len(attr) == sizeof(uint32_t))
		g->maxattr = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int genl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), genl_family_attr_cb,
		       data);
	return MNL_CB_OK;
}

int vlo_genl_open(struct vlo_genl *g)
{
	struct genl_req r;
	int ack = 1;

	memset(g, 0, sizeof(*g));
	g->buf = malloc(GENL_BUFSIZE);
	if (!g->buf)
		return -1;
	g->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!g->sock || mnl_socket_bind(g->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	/* the kernel may tell more than an errno: keep its messages */
	mnl_socket_setsockopt(g->sock, NETLINK_EXT_ACK, &ack, sizeof(ack));
	g->portid = mnl_socket_get_portid(g->sock);
	g->seq = (unsigned int)time(NULL);

	genl_put(g, &r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(r.nlh, CTRL_ATTR_FAMILY_NAME, VLO_GENL_NAME);
	if (genl_talk(g, &r, genl_family_cb, g))
		goto err;
	if (!g->family) {
		errno = ENOENT;
		goto err;
	}
	return 0;
err:
	vlo_genl_close(g);
	return -1;
}

void vlo_genl_close(struct vlo_genl *g)
{
	int saved = errno;

	if (g->sock)
		mnl_socket_close(g->sock);
	free(g->buf);
	memset(g, 0, sizeof(*g));
	errno = saved;
}

/* ---- parsing ---- */

struct genl_ctrs {
	uint64_t *ctr;
	bool split;	/* a counter past the four totals came */
};

static int genl_ctr_cb(const struct nlattr *attr, void *data)
{
	struct genl_ctrs *c = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type >= VLO_CTR_IN_PACKETS && type <= VLO_CTR_MAX &&
	    mnl_attr_get_payload_len(attr) == sizeof(uint64_t)) {
		c->ctr[type - VLO_CTR_IN_PACKETS] = mnl_attr_get_u64(attr);
		if (type > VLO_CTR_OUT_BYTES)
			c->split = true;
	}
	return MNL_CB_OK;
}

static bool genl_parse_ctrs(const struct nlattr *nest, uint64_t *ctr)
{
	struct genl_ctrs c = { ctr, false };

	mnl_attr_parse_nested(nest, genl_ctr_cb, &c);
	return c.split;
}

static int genl_plen_cb(const struct nlattr *attr, void *data)
{
	struct vlo_genl_addr *a = data;

	if (mnl_attr_get_type(attr) == VLO_PREFIXLEN &&
	    mnl_attr_get_payload_len(attr) == 1 &&
	    a->nr_plens < sizeof(a->plens))
		a->plens[a->nr_plens++] = mnl_attr_get_u8(attr);
	return MNL_CB_OK;
}

static int genl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= VLO_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void genl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	memset(tb, 0, (VLO_A_MAX + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), genl_attr_cb, tb);
}

/* The name, cut to IFNAMSIZ - 1 bytes; once per address of a dump. */
static void genl_ifname(const struct nlattr *attr, char *buf)
{
	size_t len = 0;

	if (attr)
		len = strnlen(mnl_attr_get_payload(attr),
			      mnl_attr_get_payload_len(attr));
	if (len > IFNAMSIZ - 1)
		len = IFNAMSIZ - 1;
	if (len)
		memcpy(buf, mnl_attr_get_payload(attr), len);
	buf[len] = '\0';
}

static int genl_parse_addr(const struct nlmsghdr *nlh,
			   struct vlo_genl_addr *a)
{
	const struct nlattr *tb[VLO_A_MAX + 1];
	size_t len;

	genl_parse(nlh, tb);
	memset(a, 0, sizeof(*a));
	if (!tb[VLO_A_IFINDEX] || !tb[VLO_A_ADDR] || !tb[VLO_A_COUNTERS])
		return -1;
	a->ifindex = (int)mnl_attr_get_u32(tb[VLO_A_IFINDEX]);
	genl_ifname(tb[VLO_A_IFNAME], a->ifname);
	len = mnl_attr_get_payload_len(tb[VLO_A_ADDR]);
	if (len != 4 && len != 16)
		return -1;
	a->family = len == 4 ? AF_INET : AF_INET6;
	memcpy(a->addr, mnl_attr_get_payload(tb[VLO_A_ADDR]), len);
	if (tb[VLO_A_PREFIXLENS])
		mnl_attr_parse_nested(tb[VLO_A_PREFIXLENS], genl_plen_cb, a);
	a->split = genl_parse_ctrs(tb[VLO_A_COUNTERS], a->ctr);
	return 0;
}

static int genl_parse_dev(const struct nlmsghdr *nlh, struct vlo_genl_dev *d)
{
	const struct nlattr *tb[VLO_A_MAX + 1];

	genl_parse(nlh, tb);
	memset(d, 0, sizeof(*d));
	if (!tb[VLO_A_IFINDEX] || !tb[VLO_A_COUNTERS])
		return -1;
	d->ifindex = (int)mnl_attr_get_u32(tb[VLO_A_IFINDEX]);
	genl_ifname(tb[VLO_A_IFNAME], d->ifname);
	d->accounting = tb[VLO_A_ACCOUNTING] &&
			mnl_attr_get_u8(tb[VLO_A_ACCOUNTING]);
	d->carry = tb[VLO_A_CARRY] && mnl_attr_get_u8(tb[VLO_A_CARRY]);
	if (tb[VLO_A_NADDRS])
		d->naddrs = mnl_attr_get_u32(tb[VLO_A_NADDRS]);
	genl_parse_ctrs(tb[VLO_A_COUNTERS], d->ctr);
	return 0;
}

/* ---- requests ---- */

struct genl_addr_ctx {
	vlo_genl_addr_cb cb;
	void *data;
	struct vlo_genl_addr *one;	/* a single reply is copied here */
};

static int genl_addr_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_addr_ctx *ctx = data;
	struct vlo_genl_addr a;

	if (genl_parse_addr(nlh, &a))
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
	struct vlo_genl_dev *one;
};

static int genl_dev_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_dev_ctx *ctx = data;
	struct vlo_genl_dev d;

	if (genl_parse_dev(nlh, &d))
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
	struct genl_req r;

	genl_put(g, &r, g->family, zero ? VLO_CMD_ZERO_ADDR : VLO_CMD_GET_ADDR,
		 VLO_GENL_VERSION, NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(r.nlh, VLO_A_IFINDEX, (uint32_t)ifindex);
	/* a module older than the flag refuses it: then all come */
	if (totals && !zero && g->maxattr >= VLO_A_TOTALS)
		mnl_attr_put(r.nlh, VLO_A_TOTALS, 0, NULL);
	return genl_talk(g, &r, genl_addr_msg_cb, &ctx);
}

int vlo_genl_dump_devs(struct vlo_genl *g, bool zero, vlo_genl_dev_cb cb,
		       void *data)
{
	struct genl_dev_ctx ctx = { cb, data, NULL };
	struct genl_req r;

	genl_put(g, &r, g->family, zero ? VLO_CMD_ZERO_DEV : VLO_CMD_GET_DEV,
		 VLO_GENL_VERSION, NLM_F_DUMP);
	return genl_talk(g, &r, genl_dev_msg_cb, &ctx);
}

int vlo_genl_zero_addr(struct vlo_genl *g, int ifindex, int family,
		       const void *addr, struct vlo_genl_addr *out)
{
	struct genl_addr_ctx ctx = { NULL, NULL, out };
	struct genl_req r;

	memset(out, 0, sizeof(*out));
	genl_put(g, &r, g->family, VLO_CMD_ZERO_ADDR, VLO_GENL_VERSION,
		 NLM_F_ACK);
	mnl_attr_put_u32(r.nlh, VLO_A_IFINDEX, (uint32_t)ifindex);
	mnl_attr_put(r.nlh, VLO_A_ADDR, family == AF_INET ? 4 : 16, addr);
	return genl_talk(g, &r, genl_addr_msg_cb, &ctx);
}

int vlo_genl_zero_dev(struct vlo_genl *g, int ifindex,
		      struct vlo_genl_dev *out)
{
	struct genl_dev_ctx ctx = { NULL, NULL, out };
	struct genl_req r;

	memset(out, 0, sizeof(*out));
	genl_put(g, &r, g->family, VLO_CMD_ZERO_DEV, VLO_GENL_VERSION,
		 NLM_F_ACK);
	mnl_attr_put_u32(r.nlh, VLO_A_IFINDEX, (uint32_t)ifindex);
	return genl_talk(g, &r, genl_dev_msg_cb, &ctx);
}

int vlo_genl_addrs_add(const struct vlo_genl_addr *a, void *data)
{
	struct vlo_genl_addrs *l = data;
	struct vlo_genl_addr *v;

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
