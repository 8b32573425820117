// SPDX-License-Identifier: GPL-2.0
/*
 * vlo_fuzz: a seeded, structure-aware netlink fuzzer for vlo (vlo_fuzz.sh
 * runs it).
 *
 *   vlo_fuzz root|unpriv COUNT SEED PROTECTED [NAME...]
 *   vlo_fuzz churn IFINDEX PAUSE_US
 *
 * Sends COUNT messages, from the seed SEED, in the caller's network
 * namespace: to the "vlo" generic netlink family (every command, with and
 * without NLM_F_DUMP, known and unknown attributes of right and wrong
 * lengths, nested garbage, attribute and message headers that lie, empty
 * and oversized messages, several messages in one send) and RTM_NEWLINK /
 * RTM_SETLINK with IFLA_LINKINFO / IFLA_INFO_KIND "vlo" / IFLA_INFO_DATA
 * (IFLA_VLO_*). PROTECTED is the ifindex of the device that carries the
 * test's traffic: no message renames or deletes it. New devices take the
 * NAMEs (or vlo%d); beyond MAX_DEVS the fuzzer deletes them again.
 *
 * What it checks:
 *  - every well-formed message gets answers that end with an NLMSG_ERROR
 *    (an errno or 0) or NLMSG_DONE, each well-formed, on time; what
 *    netlink drops unparsed (shorter than a header, a header that claims
 *    more than was sent) gets nothing;
 *  - a refused message changes nothing: the devices (name, flags, MTU,
 *    kind, IFLA_INFO_DATA) and the addresses (but the churn's, 10.66.0.0/16
 *    and fd66::/64) are snapshot after each accepted message that may
 *    change something, and compared after one refused message in SAMPLE,
 *    which covers every refused message since the last snapshot;
 *  - unpriv: every request that would change something is refused, nothing
 *    changes from start to end, and the vlo counters only grow.
 * Prints the messages sent by kind, the answers (an errno histogram) and
 * each failure; exits 1 on any.
 *
 * churn: until SIGTERM, 10.66.0.I/32 and fd66::I/128 are added to and
 * deleted from IFINDEX, a pause of PAUSE_US after each change; prints the
 * count of changes at the end.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/vlo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_S	15	/* an answer's wait: TCG on a loaded host */
#define MAX_DEVS	4	/* vlo devices beyond these are deleted */
/*
 * One message in SAMPLE is followed by a comparison: as root, of what it
 * and the refused messages before it since the last accepted change left;
 * unprivileged, where nothing may change, of everything since the last.
 */
#define SAMPLE_ROOT	16
#define SAMPLE_UNPRIV	32
#define MAX_FAILS	20
#define MSG_MAX		(256 * 1024)
#define SNAP_MAX	(64 * 1024)
#define MAX_SEQS	8
#define NR_CMDS		(VLO_CMD_MAX + 2)	/* 0 .. one past the last */

#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS	0x200
#endif

/* --- random numbers: splitmix64, so that a seed repeats a run -------------- */

static uint64_t rng;

static uint64_t rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 .. n-1 */
static unsigned int rnd(unsigned int n)
{
	return n ? rnd64() % n : 0;
}

/* true with probability per_mille / 1000 */
static bool chance(unsigned int per_mille)
{
	return rnd(1000) < per_mille;
}

#define fallthrough	__attribute__((__fallthrough__))

#define PICK(arr)	((arr)[rnd(sizeof(arr) / sizeof((arr)[0]))])

/* --- building messages ---------------------------------------------------- */

struct buf {
	uint8_t *p;
	size_t len;
};

static void put(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > MSG_MAX)
		len = MSG_MAX - b->len;
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void pad(struct buf *b)
{
	static const uint8_t zero[4];

	put(b, zero, MNL_ALIGN(b->len) - b->len);
}

/* an attribute header; attr_end() sets its length and pads */
static size_t attr_start(struct buf *b, uint16_t type)
{
	struct nlattr nla = { .nla_type = type };
	size_t off = b->len;

	put(b, &nla, sizeof(nla));
	return off;
}

static void attr_end(struct buf *b, size_t off)
{
	uint16_t n = b->len - off > 0xffff ? 0xffff : b->len - off;

	memcpy(b->p + off, &n, sizeof(n));
	pad(b);
}

static void attr(struct buf *b, uint16_t type, const void *data, size_t len)
{
	size_t off = attr_start(b, type);

	put(b, data, len);
	attr_end(b, off);
}

static size_t garbage(uint8_t *out, size_t lo, size_t hi)
{
	static const uint8_t fill[] = { 0, 0xff, 1 };
	size_t n = lo + rnd(hi - lo + 1), i;

	if (chance(500)) {
		for (i = 0; i < n; i++)
			out[i] = rnd64();
	} else {
		memset(out, PICK(fill), n);
	}
	return n;
}

static void attr_garbage(struct buf *b, uint16_t type)
{
	uint8_t g[32];

	attr(b, type, g, garbage(g, 0, 24));
}

/* attributes of random types holding random bytes or more of them */
static void nest_garbage(struct buf *b, int depth)
{
	static const uint16_t bits[] = { 0, 0, NLA_F_NESTED, NLA_F_NET_BYTEORDER };
	unsigned int i, n = rnd(5);
	uint16_t type;
	size_t off;

	for (i = 0; i < n; i++) {
		type = rnd(41) | PICK(bits);
		if (depth < 3 && chance(300)) {
			off = attr_start(b, type);
			nest_garbage(b, depth + 1);
			attr_end(b, off);
		} else {
			attr_garbage(b, type);
		}
	}
}

/* an attribute whose header lies about its length; no padding */
static void attr_lying(struct buf *b, uint16_t type, const void *data,
		       size_t len)
{
	const uint16_t lens[] = { 0, 1, 2, 3, 4 + len + 1 + rnd(64), 0xffff,
				  4 + len - 1 };
	struct nlattr nla = { .nla_len = PICK(lens), .nla_type = type };

	put(b, &nla, sizeof(nla));
	put(b, data, len);
}

/* attribute TYPE with its GOOD payload, or a wrong one */
static void shaped(struct buf *b, uint16_t type, const void *good, size_t len)
{
	unsigned int r = rnd(100);
	size_t off;

	if (r < 60) {
		attr(b, type, good, len);
	} else if (r < 75) {
		attr_garbage(b, type);		/* wrong length or value */
	} else if (r < 85) {
		off = attr_start(b, type | NLA_F_NESTED);
		nest_garbage(b, 0);
		attr_end(b, off);
	} else if (r < 95) {
		attr(b, type, good, len ? rnd(len) : 0);	/* cut short */
	} else {
		attr_lying(b, type, good, len);
	}
}

static void nlh_start(struct buf *b, uint16_t type, uint16_t flags,
		      uint32_t seq)
{
	struct nlmsghdr nlh = {
		.nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq,
	};

	b->len = 0;
	put(b, &nlh, sizeof(nlh));
}

static void nlh_end(struct buf *b)
{
	uint32_t n = b->len;

	memcpy(b->p, &n, sizeof(n));
}

/* --- what the messages name ----------------------------------------------- */

struct target {
	uint32_t vlo[64];		/* the namespace's vlo devices */
	unsigned int nvlo;
	char names[64][IFNAMSIZ];	/* every device's name */
	unsigned int nnames;
	char **pool;			/* names for new devices */
	unsigned int npool;
};

static struct target tg;
static uint16_t family;

static uint8_t u8val(void)
{
	static const uint8_t v[] = { 0, 1, 0, 1, 2, 0xff };

	return PICK(v);
}

static uint32_t ifindex(void)
{
	static const uint32_t odd[] = { 0, 0x7fffffff, 0x80000000, 0xffffffff,
					99999 };
	unsigned int r = rnd(100);

	if (r < 55)
		return tg.vlo[rnd(tg.nvlo)];
	if (r < 65)
		return 1;			/* lo: not a vlo device */
	if (r < 75)
		return PICK(odd);
	return rnd(65);
}

static size_t addr(uint8_t *out)
{
	unsigned int r = rnd(100);

	if (r < 30)
		return inet_pton(AF_INET, "10.88.0.1", out) ? 4 : 0;
	if (r < 45)
		return inet_pton(AF_INET6, "fd88::1", out) ? 16 : 0;
	if (r < 60) {			/* one the churn may hold */
		inet_pton(AF_INET, "10.66.0.1", out);
		out[3] = 1 + rnd(8);
		return 4;
	}
	return garbage(out, 0, 20);
}

/* --- generic netlink ------------------------------------------------------- */

static void genl_attr(struct buf *b)
{
	static const uint16_t types[] = {
		VLO_A_IFINDEX, VLO_A_IFINDEX, VLO_A_IFINDEX, VLO_A_IFINDEX,
		VLO_A_ADDR, VLO_A_ADDR, VLO_A_ACCOUNTING, VLO_A_CARRY,
		VLO_A_TOTALS, VLO_A_IFNAME, VLO_A_NADDRS, VLO_A_FAMILY,
		VLO_A_PREFIXLENS, VLO_A_COUNTERS, VLO_A_UNSPEC, VLO_A_MAX + 1,
		0xffff,
	};
	static const uint8_t families[] = { AF_INET, AF_INET6, 0, 0xff };
	static const uint8_t plens[] = { 32, 128, 24, 200 };
	uint16_t type = PICK(types);
	uint8_t good[64];
	size_t len = 0;
	uint32_t v;

	if (type == 0xffff)
		type = rnd(0x4000);
	switch (type) {
	case VLO_A_IFINDEX:
	case VLO_A_NADDRS:
		v = type == VLO_A_IFINDEX ? ifindex() : rnd(4);
		memcpy(good, &v, sizeof(v));
		len = sizeof(v);
		break;
	case VLO_A_ADDR:
		len = addr(good);
		break;
	case VLO_A_ACCOUNTING:
	case VLO_A_CARRY:
		good[0] = u8val();
		len = 1;
		break;
	case VLO_A_TOTALS:
		break;
	case VLO_A_IFNAME:
		v = rnd(tg.nnames);
		len = strnlen(tg.names[v], IFNAMSIZ - 1) + 1;
		memcpy(good, tg.names[v], len);
		good[len - 1] = 0;
		break;
	case VLO_A_FAMILY:
		good[0] = PICK(families);
		len = 1;
		break;
	case VLO_A_PREFIXLENS:	/* a nest of one VLO_PREFIXLEN */
		good[0] = 5;
		good[1] = 0;
		good[2] = VLO_PREFIXLEN;
		good[3] = 0;
		good[4] = PICK(plens);
		memset(good + 5, 0, 3);
		len = 8;
		break;
	case VLO_A_COUNTERS:	/* a nest of one zero counter */
		memset(good, 0, 12);
		good[0] = 12;
		good[2] = VLO_CTR_IN_PACKETS;
		len = 12;
		break;
	default:
		len = garbage(good, 0, 24);
	}
	shaped(b, type, good, len);
}

static void put_u32(struct buf *b, uint16_t type, uint32_t v)
{
	attr(b, type, &v, sizeof(v));
}

static void put_u8(struct buf *b, uint16_t type, uint8_t v)
{
	attr(b, type, &v, sizeof(v));
}

/* what the command takes, right: deep paths need messages that pass */
static void genl_valid(struct buf *b, uint8_t cmd, bool dump)
{
	uint32_t dev = tg.vlo[rnd(tg.nvlo)];
	uint8_t a[16];
	unsigned int r;
	size_t len;

	switch (dump ? 0x80 | cmd : cmd) {
	case VLO_CMD_GET_DEV:
	case VLO_CMD_ZERO_DEV:
		put_u32(b, VLO_A_IFINDEX, dev);
		break;
	case VLO_CMD_SET_DEV:
		put_u32(b, VLO_A_IFINDEX, dev);
		r = 1 + rnd(3);
		if (r & 1)
			put_u8(b, VLO_A_CARRY, rnd(2));
		if (r & 2)
			put_u8(b, VLO_A_ACCOUNTING, rnd(2));
		break;
	case VLO_CMD_ZERO_ADDR:
		put_u32(b, VLO_A_IFINDEX, dev);
		do
			len = addr(a);
		while (len != 4 && len != 16);
		attr(b, VLO_A_ADDR, a, len);
		break;
	case 0x80 | VLO_CMD_GET_ADDR:
		if (chance(500))
			attr(b, VLO_A_TOTALS, NULL, 0);
		fallthrough;
	case 0x80 | VLO_CMD_GET_DEV:
	case 0x80 | VLO_CMD_ZERO_DEV:
	case 0x80 | VLO_CMD_ZERO_ADDR:
		if (chance(500))
			put_u32(b, VLO_A_IFINDEX, dev);
		break;
	}
}

static void genl_msg(struct buf *b, uint32_t seq, uint8_t cmd, bool dump)
{
	static const uint16_t extra[] = { 0, 0, 0, 0, 0, 0, 0, 0, NLM_F_ECHO,
					  NLM_F_ROOT, NLM_F_MATCH, NLM_F_CREATE,
					  NLM_F_APPEND, NLM_F_DUMP_INTR };
	static const uint8_t versions[] = { 0, 2, 0xff };
	static const unsigned int nattrs[] = { 0, 1, 1, 2, 2, 3, 5 };
	struct genlmsghdr g = { .cmd = cmd, .version = VLO_GENL_VERSION };
	unsigned int i, n = PICK(nattrs);

	if (chance(100))
		g.version = PICK(versions);
	if (chance(100))
		g.reserved = 1 + rnd(0xffff);
	nlh_start(b, family, NLM_F_REQUEST | NLM_F_ACK |
		  (dump ? NLM_F_DUMP : 0) | PICK(extra), seq);
	put(b, &g, sizeof(g));
	if (chance(400)) {
		genl_valid(b, cmd, dump);
		n = chance(300);
	}
	for (i = 0; i < n; i++)
		genl_attr(b);
	if (chance(30))
		nest_garbage(b, 0);
	nlh_end(b);
}

/* --- rtnetlink -------------------------------------------------------------- */

/* "vlo", or a kind that names no module the kernel would try to load */
static void info_kind(struct buf *b)
{
	static const char * const bad[] = { "", "\0vlo", "vlo\0garbage" };
	unsigned int r = rnd(1000);
	uint8_t g[40];
	const char *k;

	if (r < 900) {
		attr(b, IFLA_INFO_KIND, "vlo", chance(800) ? 4 : 3);
	} else if (r < 997) {
		k = PICK(bad);
		attr(b, IFLA_INFO_KIND, k, k[0] ? 12 : 4);
	} else if (r < 998) {
		g[0] = 0;
		attr(b, IFLA_INFO_KIND, g, 1 + garbage(g + 1, 0, 24));
	} else if (r < 999) {
		attr_lying(b, IFLA_INFO_KIND, "vlo", 4);
	} else {
		attr(b, IFLA_INFO_KIND, "vlofuzz", 8);	/* a modprobe: rare */
	}
}

static void info_data(struct buf *b)
{
	static const uint16_t types[] = {
		IFLA_VLO_ACCOUNTING, IFLA_VLO_CARRY, IFLA_VLO_ACCOUNTING,
		IFLA_VLO_CARRY, IFLA_VLO_ACCOUNTING, IFLA_VLO_CARRY,
		IFLA_VLO_ACCOUNTING, IFLA_VLO_CARRY, IFLA_VLO_UNSPEC,
		IFLA_VLO_MAX + 1, 0xffff,
	};
	static const unsigned int nattrs[] = { 0, 1, 1, 2, 2, 3 };
	unsigned int i, n = PICK(nattrs);
	uint16_t type;
	uint8_t v;

	for (i = 0; i < n; i++) {
		type = PICK(types);
		if (type == 0xffff)
			type = rnd(0x4000);
		v = u8val();
		shaped(b, type, &v, 1);
	}
}

static void linkinfo(struct buf *b)
{
	/* not IFLA_INFO_SLAVE_DATA: for a device with no master, the core
	 * refuses it only after IFLA_INFO_DATA is applied
	 */
	static const uint16_t others[] = { IFLA_INFO_XSTATS,
					   IFLA_INFO_SLAVE_KIND, 0, 7, 99 };
	uint8_t tmp[256];
	struct buf d = { .p = tmp };
	unsigned int r;
	size_t off;

	if (chance(950))
		info_kind(b);
	r = rnd(100);
	if (r < 80) {
		info_data(&d);
		if (chance(300))
			shaped(b, IFLA_INFO_DATA, d.p, d.len);
		else
			attr(b, IFLA_INFO_DATA | (chance(500) ? NLA_F_NESTED : 0),
			     d.p, d.len);
	} else if (r < 90) {
		off = attr_start(b, IFLA_INFO_DATA);
		nest_garbage(b, 0);
		attr_end(b, off);
	}
	if (chance(50))
		attr_garbage(b, PICK(others));
}

/*
 * RTM_NEWLINK/SETLINK at a vlo device, lo, nothing, or a name. What the
 * core applies besides IFLA_INFO_DATA (MTU, flags, a new name, a
 * namespace), and does not undo when a later step fails, is left out: a
 * device is named by its ifindex or by its own name, never renamed.
 */
static void rtnl_msg(struct buf *b, uint32_t seq, uint16_t type)
{
	static const char * const badnames[] = { "", "xxxxxxxxxxxxxxxx", "a/b",
						  " ", ".", "..", "vlo%d%d",
						  "vlo f" };
	static const uint16_t extra[] = { 0, 0, 0, 0, 0, 0, NLM_F_REPLACE,
					  NLM_F_APPEND, NLM_F_ECHO, NLM_F_DUMP };
	static const uint8_t families[] = { AF_INET, AF_INET6, 0xff };
	struct ifinfomsg ifm = { .ifi_family = AF_UNSPEC };
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint8_t tmp[1024], g[32];
	struct buf li = { .p = tmp };
	const char *name = NULL;
	unsigned int r = rnd(100);
	bool name_first;

	if (r < 60) {
		ifm.ifi_index = ifindex();
	} else if (r < 85) {
		r = rnd(tg.npool + tg.nnames);
		name = r < tg.npool ? tg.pool[r] : tg.names[r - tg.npool];
	} else {
		name = PICK(badnames);
	}
	if (!ifm.ifi_index && chance(500))
		flags |= NLM_F_CREATE | (chance(500) ? NLM_F_EXCL : 0);
	flags |= PICK(extra);
	if (chance(100))
		ifm.ifi_family = PICK(families);
	nlh_start(b, type, flags, seq);
	put(b, &ifm, sizeof(ifm));
	if (type == RTM_SETLINK && chance(500))
		name = NULL;
	name_first = chance(500);
	if (name && name_first)
		attr(b, IFLA_IFNAME, name, strlen(name) + 1);
	if (chance(950)) {
		linkinfo(&li);
		if (chance(200))
			shaped(b, IFLA_LINKINFO, li.p, li.len);
		else
			attr(b, IFLA_LINKINFO, li.p, li.len);
	}
	if (name && !name_first)
		attr(b, IFLA_IFNAME, name, strlen(name) + 1);
	if (chance(50))		/* past IFLA_MAX: ignored or refused */
		attr(b, 200 + rnd(0x3e00), g, garbage(g, 0, 24));
	nlh_end(b);
}

/* --- sockets and answers ---------------------------------------------------- */

struct sock {
	struct mnl_socket *nl;
	int proto;
	uint32_t portid, seq;
	int sndbuf;
};

static struct sock rt, gn;
static uint8_t rxbuf[1 << 20];
static char why[512];		/* what collect() found wrong */
static uint16_t rt_answer = RTM_NEWLINK;	/* rtnetlink's data type */

static void sock_open(struct sock *s, int proto)
{
	struct timeval tv = { .tv_sec = TIMEOUT_S };
	int one = 1, rcv = 1 << 20;
	socklen_t sl = sizeof(s->sndbuf);

	if (s->nl)
		mnl_socket_close(s->nl);
	s->proto = proto;
	s->nl = mnl_socket_open(proto);
	if (!s->nl || mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("vlo_fuzz: netlink socket");
		exit(2);
	}
	mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVBUF, &rcv,
		   sizeof(rcv));
	setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	getsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_SNDBUF,
		   &s->sndbuf, &sl);
	s->portid = mnl_socket_get_portid(s->nl);
	s->seq = time(NULL) & 0xffff;
}

static uint32_t next_seq(struct sock *s)
{
	if (!++s->seq)
		s->seq = 1;
	return s->seq;
}

/* 0, or send()'s errno */
static int sock_send(struct sock *s, const void *data, size_t len)
{
	return mnl_socket_sendto(s->nl, data, len) < 0 ? errno : 0;
}

/* whether the attributes fill PAYLOAD..PAYLOAD+LEN exactly */
static bool attrs_ok(const void *payload, size_t len)
{
	const struct nlattr *a = payload;
	int left = len;

	while (mnl_attr_ok(a, left)) {
		left -= MNL_ALIGN(a->nla_len);
		a = (const void *)((const uint8_t *)a + MNL_ALIGN(a->nla_len));
	}
	return left <= 0;
}

/* a data message's checks, and what to do with it */
typedef int (*data_cb)(const struct nlmsghdr *nlh, void *arg);

struct answer {
	uint32_t seq;
	int err;		/* 0, an errno, or -1: none yet */
	unsigned int data;	/* data messages */
	bool intr;		/* NLM_F_DUMP_INTR seen */
};

static bool fail_why(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return false;
}

static bool data_ok(const struct sock *s, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (s->proto == NETLINK_ROUTE)
		return nlh->nlmsg_type == rt_answer ||
		       fail_why("rtnetlink answer of type %u", nlh->nlmsg_type);
	if (nlh->nlmsg_type != family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return fail_why("genl answer of type %u, %u bytes",
				nlh->nlmsg_type, nlh->nlmsg_len);
	if (g->cmd < 1 || g->cmd > VLO_CMD_MAX)
		return fail_why("genl answer with command %u", g->cmd);
	if (!attrs_ok(g + 1, mnl_nlmsg_get_payload_len(nlh) - sizeof(*g)))
		return fail_why("genl answer with broken attributes");
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if ((mnl_attr_get_type(a) == VLO_A_PREFIXLENS ||
		     mnl_attr_get_type(a) == VLO_A_COUNTERS) &&
		    !attrs_ok(mnl_attr_get_payload(a),
			      mnl_attr_get_payload_len(a)))
			return fail_why("genl answer with a broken nest");
	return true;
}

static struct answer *find(struct answer *ans, unsigned int n, uint32_t seq)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ans[i].seq == seq)
			return &ans[i];
	return NULL;
}

/* an NLMSG_ERROR or NLMSG_DONE: its errno, or -1 if malformed */
static int end_err(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	if (nlh->nlmsg_type == NLMSG_DONE && len < sizeof(int))
		return 0;
	if (len < (nlh->nlmsg_type == NLMSG_ERROR ? sizeof(*e) : sizeof(int)))
		return fail_why("end message of %zu bytes", len), -1;
	if (e->error > 0 || e->error < -4095)
		return fail_why("end message with error %d", e->error), -1;
	if (nlh->nlmsg_type == NLMSG_ERROR && (nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    !attrs_ok((const uint8_t *)e + sizeof(*e), len - sizeof(*e)))
		return fail_why("NLMSG_ERROR with broken extack attributes"), -1;
	return -e->error;
}

/*
 * Receives until each of ANS has ended; CB (if any) sees each data
 * message. false, with the reason in why[], on a timeout or a malformed or
 * unexpected answer.
 */
static bool collect(struct sock *s, struct answer *ans, unsigned int n,
		    data_cb cb, void *arg)
{
	const struct nlmsghdr *nlh;
	unsigned int i, left = n;
	struct answer *a;
	ssize_t len;
	int left_len;

	for (i = 0; i < n; i++) {
		ans[i].err = -1;
		ans[i].data = 0;
		ans[i].intr = false;
	}
	while (left) {
		len = mnl_socket_recvfrom(s->nl, rxbuf, sizeof(rxbuf));
		if (len < 0)
			return fail_why("no answer in %d s (%s)", TIMEOUT_S,
					strerror(errno));
		nlh = (const void *)rxbuf;
		left_len = len;
		for (; left_len > 0; nlh = mnl_nlmsg_next(nlh, &left_len)) {
			if (!mnl_nlmsg_ok(nlh, left_len))
				return fail_why("answer length %u of %d bytes left",
						nlh->nlmsg_len, left_len);
			a = find(ans, n, nlh->nlmsg_seq);
			if (!a || a->err >= 0)
				return fail_why("answer (type %u) to seq %u, unsent or ended",
						nlh->nlmsg_type, nlh->nlmsg_seq);
			if (nlh->nlmsg_pid != s->portid)
				return fail_why("answer to port %u", nlh->nlmsg_pid);
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				a->intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				a->err = end_err(nlh);
				if (a->err < 0)
					return false;
				left--;
				continue;
			}
			if (!data_ok(s, nlh))
				return false;
			a->data++;
			if (cb && cb(nlh, arg) < 0)
				return fail_why("a dump's message not understood");
		}
	}
	return true;
}

/* --- snapshots -------------------------------------------------------------- */

/* one line per device and per address, sorted */
struct snap {
	char lines[256][160];
	unsigned int n;
};

static bool churned(int af, const uint8_t *a)
{
	static const uint8_t v6[8] = { 0xfd, 0x66 };

	if (af == AF_INET)
		return a[0] == 10 && a[1] == 66;
	return !memcmp(a, v6, 8);
}

static int link_line(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const char *name = "?", *kind = "-";
	const struct nlattr *a, *li, *data = NULL;
	struct snap *sn = arg;
	uint32_t mtu = 0;
	char *line, *p;

	if (sn->n >= 256)
		return -1;
	mnl_attr_for_each(a, nlh, sizeof(*ifm)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			name = mnl_attr_get_str(a);
			break;
		case IFLA_MTU:
			mtu = mnl_attr_get_u32(a);
			break;
		case IFLA_LINKINFO:
			mnl_attr_for_each_nested(li, a) {
				if (mnl_attr_get_type(li) == IFLA_INFO_KIND)
					kind = mnl_attr_get_str(li);
				if (mnl_attr_get_type(li) == IFLA_INFO_DATA)
					data = li;
			}
			break;
		}
	}
	line = sn->lines[sn->n++];
	/* IFF_RUNNING, IFF_LOWER_UP, IFF_DORMANT follow the carrier */
	p = line + snprintf(line, 120, "link %d %s flags %x mtu %u %s",
			    ifm->ifi_index, name,
			    ifm->ifi_flags & 0xffff & ~IFF_RUNNING, mtu, kind);
	if (data)
		mnl_attr_for_each_nested(li, data)
			if (p < line + 150)
				p += snprintf(p, line + 160 - p, " %u=%u",
					      mnl_attr_get_type(li),
					      mnl_attr_get_u8(li));
	return 0;
}

static int addr_line(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *local = NULL, *address = NULL;
	struct snap *sn = arg;
	char text[INET6_ADDRSTRLEN];

	if (sn->n >= 256)
		return -1;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_type(a) == IFA_LOCAL)
			local = a;
		if (mnl_attr_get_type(a) == IFA_ADDRESS)
			address = a;
	}
	a = local ? local : address;
	if (!a || churned(ifa->ifa_family, mnl_attr_get_payload(a)))
		return 0;
	inet_ntop(ifa->ifa_family, mnl_attr_get_payload(a), text, sizeof(text));
	snprintf(sn->lines[sn->n++], 160, "addr %u %s/%u", ifa->ifa_index,
		 text, ifa->ifa_prefixlen);
	return 0;
}

/* a whole dump, retried while interrupted; false on failure */
static bool dump(struct sock *s, struct buf *b, data_cb cb, void *arg,
		 unsigned int *count)
{
	struct answer a;
	unsigned int try;

	bool ok;

	for (try = 0; try < 50; try++) {
		*count = 0;
		a.seq = next_seq(s);
		((struct nlmsghdr *)b->p)->nlmsg_seq = a.seq;
		if (sock_send(s, b->p, b->len))
			return fail_why("cannot send a dump request");
		if (((struct nlmsghdr *)b->p)->nlmsg_type == RTM_GETADDR)
			rt_answer = RTM_NEWADDR;
		ok = collect(s, &a, 1, cb, arg);
		rt_answer = RTM_NEWLINK;
		if (!ok)
			return false;
		if (a.err)
			return fail_why("dump refused: %s", strerror(a.err));
		if (!a.intr)
			return true;
	}
	return fail_why("a dump interrupted 50 times");
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

static uint8_t reqbuf[256];

static bool snapshot(struct snap *sn)
{
	struct buf b = { .p = reqbuf };
	struct ifinfomsg ifm = { 0 };
	struct ifaddrmsg ifa = { 0 };
	unsigned int nlinks;

	nlh_start(&b, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0);
	put(&b, &ifm, sizeof(ifm));
	put_u32(&b, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	nlh_end(&b);
	if (!dump(&rt, &b, link_line, sn, &sn->n))
		return false;
	nlinks = sn->n;
	nlh_start(&b, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 0);
	put(&b, &ifa, sizeof(ifa));
	nlh_end(&b);
	sn->n = 0;
	/* addresses after the devices: dump() counts from 0 */
	{
		struct snap *addrs = malloc(sizeof(*addrs));
		unsigned int i;
		bool ok;

		addrs->n = 0;
		ok = dump(&rt, &b, addr_line, addrs, &addrs->n);
		sn->n = nlinks;
		for (i = 0; ok && i < addrs->n && sn->n < 256; i++)
			memcpy(sn->lines[sn->n++], addrs->lines[i], 160);
		free(addrs);
		if (!ok)
			return false;
	}
	qsort(sn->lines, sn->n, sizeof(sn->lines[0]), cmp_line);
	return true;
}

/* --- counters (unpriv) ------------------------------------------------------- */

struct ctrs {
	uint32_t ifindex[64];
	uint64_t c[64][VLO_NR_CTRS];
	unsigned int n;
};

static int ctrs_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a, *c;
	struct ctrs *cs = arg;
	unsigned int i;

	if (cs->n >= 64)
		return -1;
	i = cs->n++;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == VLO_A_IFINDEX)
			cs->ifindex[i] = mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) != VLO_A_COUNTERS)
			continue;
		mnl_attr_for_each_nested(c, a)
			if (mnl_attr_get_type(c) >= VLO_CTR_IN_PACKETS &&
			    mnl_attr_get_type(c) <= VLO_CTR_MAX)
				cs->c[i][mnl_attr_get_type(c) - VLO_CTR_IN_PACKETS] =
					mnl_attr_get_u64(c);
	}
	return 0;
}

static bool counters(struct ctrs *cs)
{
	struct genlmsghdr g = { .cmd = VLO_CMD_GET_DEV, .version = 1 };
	struct buf b = { .p = reqbuf };
	unsigned int dummy;

	nlh_start(&b, family, NLM_F_REQUEST | NLM_F_DUMP, 0);
	put(&b, &g, sizeof(g));
	nlh_end(&b);
	cs->n = 0;
	if (!dump(&gn, &b, ctrs_cb, cs, &dummy))
		return false;
	return true;
}

/* --- the run ------------------------------------------------------------------ */

static const char *mode;
static bool unpriv;
static uint32_t protected;
static unsigned long sent, checks, fails;
static unsigned long hist[4096 + 1], nohist, send_hist[4096 + 1];
static unsigned long kinds[32];
static double kind_secs[32], snap_secs;
static const char *kind_names[32];
static struct snap known, first;
/* whether an accepted message may have changed something since the last
 * snapshot; the refused messages since that a comparison will cover, and
 * those it did
 */
static bool dirty;
static unsigned long pending, verified, refused;
static struct ctrs ctr_known;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (++fails >= MAX_FAILS) {
		printf("FAIL: too many failures, stopping\n");
		exit(1);
	}
}

static void must(bool ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s: %s\n", what, why);
		exit(1);
	}
}

/* the targets from a snapshot's device lines */
static void targets(const struct snap *sn)
{
	char name[IFNAMSIZ], kind[32];
	unsigned int i, idx;

	tg.nvlo = tg.nnames = 0;
	for (i = 0; i < sn->n; i++) {
		if (sscanf(sn->lines[i], "link %u %15s flags %*x mtu %*u %31s",
			   &idx, name, kind) != 3)
			continue;
		if (tg.nnames < 64)
			memcpy(tg.names[tg.nnames++], name, IFNAMSIZ);
		if (!strcmp(kind, "vlo") && tg.nvlo < 64)
			tg.vlo[tg.nvlo++] = idx;
	}
}

static void refresh(void)
{
	unsigned int i;

	must(snapshot(&known), "a snapshot");
	targets(&known);
	dirty = false;
	pending = 0;
	for (i = 0; i < tg.nvlo && tg.vlo[i] != protected; i++)
		;
	if (i == tg.nvlo) {
		printf("FAIL: the protected device %u is gone\n", protected);
		exit(1);
	}
}

static void print_diff(const char *label, const struct snap *a,
		       const struct snap *b)
{
	unsigned int i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n && strcmp(a->lines[i], b->lines[j]); j++)
			;
		if (j == b->n)
			fail("%s: gone: %s", label, a->lines[i]);
	}
	for (j = 0; j < b->n; j++) {
		for (i = 0; i < a->n && strcmp(a->lines[i], b->lines[j]); i++)
			;
		if (i == a->n)
			fail("%s: new: %s", label, b->lines[j]);
	}
}

static bool same(const struct snap *a, const struct snap *b)
{
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->lines[i], b->lines[i]))
			return false;
	return true;
}

static void hexdump(char *out, size_t size, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && 2 * i + 3 < size; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* nothing changed since the last snapshot */
static void verify(const char *label, const uint8_t *msg, size_t len)
{
	static struct snap now;
	struct ctrs *c;
	char hex[200] = "";
	unsigned int i, j, k;

	checks++;
	verified += pending;
	pending = 0;
	must(snapshot(&now), "a snapshot");
	if (!same(&known, &now)) {
		hexdump(hex, sizeof(hex), msg, len);
		fail("after %s (%s) something changed:", label, hex);
		print_diff("  ", &known, &now);
	}
	known = now;
	if (!unpriv)
		return;
	c = malloc(sizeof(*c));
	must(counters(c), "a counters dump");
	for (i = 0; i < c->n; i++)
		for (j = 0; j < ctr_known.n; j++)
			if (c->ifindex[i] == ctr_known.ifindex[j])
				for (k = 0; k < VLO_NR_CTRS; k++)
					if (c->c[i][k] < ctr_known.c[j][k])
						fail("after %s: counter %u of %u went down",
						     label, k, c->ifindex[i]);
	ctr_known = *c;
	free(c);
}

static unsigned int kind_id(const char *name)
{
	unsigned int i;

	for (i = 0; i < 32 && kind_names[i]; i++)
		if (!strcmp(kind_names[i], name))
			return i;
	if (i == 32)
		return 31;
	kind_names[i] = name;
	return i;
}

static const char *cmd_kind(unsigned int cmd, bool dump)
{
	static const char * const names[NR_CMDS + 1][2] = {
		{ "genl UNSPEC", "genl UNSPEC dump" },
		{ "genl GET_DEV", "genl GET_DEV dump" },
		{ "genl SET_DEV", "genl SET_DEV dump" },
		{ "genl ZERO_DEV", "genl ZERO_DEV dump" },
		{ "genl GET_ADDR", "genl GET_ADDR dump" },
		{ "genl ZERO_ADDR", "genl ZERO_ADDR dump" },
		{ "genl cmd 6", "genl cmd 6 dump" },
		{ "genl cmd 7+", "genl cmd 7+ dump" },
	};

	return names[cmd > NR_CMDS ? NR_CMDS : cmd][dump];
}

/* deletes the vlo devices beyond MAX_DEVS that the fuzz created */
static void tidy(void)
{
	struct ifinfomsg ifm = { 0 };
	struct buf b = { .p = reqbuf };
	unsigned int i, n = 0;
	struct answer a;

	for (i = 0; i < tg.nvlo; i++) {
		if (tg.vlo[i] == protected || ++n <= MAX_DEVS)
			continue;
		a.seq = next_seq(&rt);
		ifm.ifi_index = tg.vlo[i];
		nlh_start(&b, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, a.seq);
		put(&b, &ifm, sizeof(ifm));
		nlh_end(&b);
		must(!sock_send(&rt, b.p, b.len) && collect(&rt, &a, 1, NULL, NULL),
		     "deleting a device");
	}
	if (n > MAX_DEVS)
		refresh();
}

static uint8_t msgbuf[MSG_MAX], one[MSG_MAX];

/*
 * Breaks the message in B in a way netlink itself handles; returns how
 * many answers to expect (0 or 1) and sets *label.
 */
static unsigned int broken(struct buf *b, const char **label)
{
	struct nlmsghdr *nlh = (void *)b->p;
	size_t n, i;

	switch (rnd(7)) {
	case 0:
		*label = "empty send";
		b->len = 0;
		return 0;
	case 1:			/* less than a header: dropped */
		*label = "cut header";
		b->len = 1 + rnd(15);
		return 0;
	case 2:			/* claims more than sent: dropped */
		*label = "cut body";
		if (b->len <= NLMSG_HDRLEN)
			return 1;
		b->len = NLMSG_HDRLEN + rnd(b->len - NLMSG_HDRLEN);
		return 0;
	case 3:			/* claims less: parsed as claimed */
		*label = "short length";
		nlh->nlmsg_len = NLMSG_HDRLEN + rnd(b->len - NLMSG_HDRLEN + 1);
		/* what follows must not pass for another header */
		if (b->len >= MNL_ALIGN(nlh->nlmsg_len) + NLMSG_HDRLEN)
			b->len = MNL_ALIGN(nlh->nlmsg_len) + NLMSG_HDRLEN - 1;
		return 1;
	case 4:			/* below a header: dropped */
		*label = "tiny length";
		nlh->nlmsg_len = rnd(NLMSG_HDRLEN);
		return 0;
	case 5:			/* 64 KB to 200 KB of attributes */
		*label = "oversized";
		for (i = rnd(3) + 1; i; i--) {
			n = attr_start(b, 0x3fff);
			memset(b->p + b->len, 0, 0xfff0);
			b->len += 0xfff0;
			attr_end(b, n);
		}
		/* rtnetlink: past IFLA_MAX, as the core applies what it
		 * knows (a name, an MTU, a namespace) before it may refuse
		 */
		memset(one, 1, 8);
		for (i = rnd(2000); i; i--)
			attr(b, nlh->nlmsg_type == family ? rnd(0x4000) :
			     200 + rnd(0x3e00), one, rnd(9));
		nlh_end(b);
		return 1;
	default:		/* no NLM_F_REQUEST: acked, not handed on */
		*label = "no NLM_F_REQUEST";
		nlh->nlmsg_flags &= ~NLM_F_REQUEST;
		return 1;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void step(unsigned long i)
{
	double t0 = now_s(), t1;
	struct buf b = { .p = msgbuf }, m = { .p = one };
	struct answer ans[MAX_SEQS];
	const char *label = NULL;
	unsigned int n = 1, k, r = rnd(100);
	bool genl = i < 4 * NR_CMDS || chance(500), writes, changed = false, ok;
	bool sampled = !rnd(unpriv ? SAMPLE_UNPRIV : SAMPLE_ROOT);
	bool inert = false;
	struct sock *s = genl ? &gn : &rt;
	unsigned int cmd = 0;
	uint16_t type = 0;
	bool dumpf = false;
	char hex[200] = "";
	int err;

	if (genl) {
		if (i < 4 * NR_CMDS) {	/* every command, with and without */
			cmd = (i / 2) % NR_CMDS;
			dumpf = i % 2;
		} else {
			cmd = chance(900) ? rnd(NR_CMDS) : rnd(256);
			dumpf = chance(400);
		}
		label = cmd_kind(cmd, dumpf);
		writes = cmd == VLO_CMD_SET_DEV || cmd == VLO_CMD_ZERO_DEV ||
			 cmd == VLO_CMD_ZERO_ADDR || cmd > VLO_CMD_MAX;
	} else {
		type = chance(800) ? RTM_NEWLINK : RTM_SETLINK;
		label = type == RTM_NEWLINK ? "rtnl NEWLINK" : "rtnl SETLINK";
		writes = true;
	}
	if (r < 5)			/* several in one send */
		n = 2 + rnd(3);
	for (k = 0; k < n; k++) {
		ans[k].seq = next_seq(s);
		if (genl)
			genl_msg(&m, ans[k].seq, cmd, dumpf);
		else
			rtnl_msg(&m, ans[k].seq, type);
		put(&b, m.p, m.len);
		if (n > 1)
			pad(&b);
	}
	if (sampled && dirty) {		/* what it must not change */
		t1 = now_s();
		refresh();
		tidy();
		snap_secs += now_s() - t1;
	}
	if (r >= 5 && r < 10) {
		n = broken(&b, &label);
		/* no NLM_F_REQUEST, or an rtnetlink message without even
		 * a family byte: netlink acks them and hands them to nobody
		 */
		inert = !strcmp(label, "no NLM_F_REQUEST") ||
			(!genl && b.len >= NLMSG_HDRLEN &&
			 ((struct nlmsghdr *)b.p)->nlmsg_len <= NLMSG_HDRLEN);
	}
	kinds[kind_id(label)] += n ? n : 1;
	sent += n ? n : 1;
	err = sock_send(s, b.p, b.len);
	if (err) {
		/* only an empty message (newer kernels) or one above the
		 * socket's send buffer may be refused at send()
		 */
		if (!(b.len == 0 && err == ENODATA) &&
		    !(b.len > (size_t)s->sndbuf - 32 && err == EMSGSIZE))
			fail("%s: send() of %zu bytes: %s", label, b.len,
			     strerror(err));
		send_hist[err < 4096 ? err : 4096]++;
		return;
	}
	ok = collect(s, ans, n, NULL, NULL);
	if (!ok) {
		hexdump(hex, sizeof(hex), b.p, b.len);
		fail("%s (message %lu, %zu bytes, %s): %s", label, sent, b.len,
		     hex, why);
		sock_open(s, s->proto);	/* later messages stand alone */
		return;
	}
	if (!n)
		nohist++;
	for (k = 0; k < n; k++) {
		hist[ans[k].err < 4096 ? ans[k].err : 4096]++;
		if (ans[k].err) {
			refused++;
			if (!dirty)
				pending++;
		}
		if (ans[k].err || !writes)
			continue;
		changed = true;
		if (unpriv && !inert) {
			hexdump(hex, sizeof(hex), b.p, b.len);
			fail("unprivileged %s accepted: %s", label, hex);
		}
	}
	t1 = now_s();
	kind_secs[kind_id(label)] += t1 - t0;
	/* what zeroes counters changes nothing a snapshot holds */
	if (changed && !unpriv &&
	    !(genl && (cmd == VLO_CMD_ZERO_DEV || cmd == VLO_CMD_ZERO_ADDR))) {
		dirty = true;	/* a snapshot before the next sample */
	} else if (sampled && !dirty) {
		verify(label, b.p, b.len);
	}
	snap_secs += now_s() - t1;
}

/* --- address churn ------------------------------------------------------------ */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* adds (RTM_NEWADDR) or deletes 10.66.0.I/32 or fd66::I/128 on IFINDEX */
static bool churn_one(uint32_t ifindex, int af, unsigned int i, uint16_t type)
{
	struct ifaddrmsg ifa = {
		.ifa_family = af, .ifa_prefixlen = af == AF_INET ? 32 : 128,
		.ifa_flags = IFA_F_NODAD, .ifa_index = ifindex,
	};
	struct buf b = { .p = reqbuf };
	uint8_t a[16] = { 0xfd, 0x66 };
	struct answer ans;

	if (af == AF_INET) {
		a[0] = 10;
		a[1] = 66;
		a[2] = i >> 8;
		a[3] = i;
	} else {
		a[14] = i >> 8;
		a[15] = i;
	}
	ans.seq = next_seq(&rt);
	nlh_start(&b, type, NLM_F_REQUEST | NLM_F_ACK |
		  (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0), ans.seq);
	put(&b, &ifa, sizeof(ifa));
	attr(&b, IFA_LOCAL, a, af == AF_INET ? 4 : 16);
	attr(&b, IFA_ADDRESS, a, af == AF_INET ? 4 : 16);
	nlh_end(&b);
	return !sock_send(&rt, b.p, b.len) && collect(&rt, &ans, 1, NULL, NULL) &&
	       !ans.err;
}

/*
 * Until SIGTERM: addresses of the churn's ranges come and go on IFINDEX,
 * with a pause of PAUSE_US after each change. Prints the changes made and
 * those refused.
 */
static int churn(uint32_t ifindex, unsigned long pause_us)
{
	struct timespec pause = { .tv_nsec = pause_us * 1000 };
	static const uint16_t types[] = { RTM_NEWADDR, RTM_DELADDR };
	static const int afs[] = { AF_INET, AF_INET6 };
	unsigned long done = 0, refused = 0;
	unsigned int i, t, f;

	signal(SIGTERM, on_term);
	sock_open(&rt, NETLINK_ROUTE);
	for (i = 1; !stop; i = i % 250 + 1)
		for (t = 0; t < 2 && !stop; t++)
			for (f = 0; f < 2 && !stop; f++) {
				if (churn_one(ifindex, afs[f], i, types[t]))
					done++;
				else
					refused++;
				nanosleep(&pause, NULL);
			}
	printf("churn: %lu changes, %lu refused\n", done, refused);
	return 0;
}

static uint16_t resolve_family(void)
{
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	struct buf b = { .p = reqbuf };
	const struct nlattr *a;
	struct answer ans;
	uint16_t id = 0;
	ssize_t len;

	ans.seq = next_seq(&gn);
	nlh_start(&b, GENL_ID_CTRL, NLM_F_REQUEST, ans.seq);
	put(&b, &g, sizeof(g));
	attr(&b, CTRL_ATTR_FAMILY_NAME, VLO_GENL_NAME, sizeof(VLO_GENL_NAME));
	nlh_end(&b);
	must(!sock_send(&gn, b.p, b.len), "asking for the vlo family");
	len = mnl_socket_recvfrom(gn.nl, rxbuf, sizeof(rxbuf));
	if (len > 0 && ((struct nlmsghdr *)rxbuf)->nlmsg_type == GENL_ID_CTRL)
		mnl_attr_for_each(a, (struct nlmsghdr *)rxbuf, GENL_HDRLEN)
			if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
				id = mnl_attr_get_u16(a);
	if (!id) {
		printf("FAIL: no \"vlo\" generic netlink family\n");
		exit(1);
	}
	return id;
}

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

static void report(unsigned long seed, double secs)
{
	unsigned int i;

	printf("%s: %lu messages (seed %lu) in %.0f s; %lu refused, %lu of them checked to have changed nothing (%lu snapshots)\n",
	       mode, sent, seed, secs, refused, verified, checks);
	printf("sent:");
	for (i = 0; i < 32 && kind_names[i]; i++)
		printf("%s %s %lu (%.1f s)", i ? "," : "", kind_names[i], kinds[i],
		       kind_secs[i]);
	printf("; checks %.1f s", snap_secs);
	printf("\nanswers:");
	for (i = 0; i <= 4096; i++)
		if (hist[i])
			printf(" %s %lu,", i ? errname(i) : "ok", hist[i]);
	for (i = 0; i <= 4096; i++)
		if (send_hist[i])
			printf(" send:%s %lu,", errname(i), send_hist[i]);
	printf(" (none) %lu\n", nohist);
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	unsigned long count, seed, i;

	if (argc == 4 && !strcmp(argv[1], "churn"))
		return churn(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (argc < 5 || (strcmp(argv[1], "root") && strcmp(argv[1], "unpriv"))) {
		fprintf(stderr, "usage: vlo_fuzz root|unpriv COUNT SEED PROTECTED [NAME...]\n"
			"       vlo_fuzz churn IFINDEX PAUSE_US\n");
		return 2;
	}
	mode = argv[1];
	unpriv = !strcmp(mode, "unpriv");
	count = strtoul(argv[2], NULL, 0);
	seed = strtoul(argv[3], NULL, 0);
	protected = strtoul(argv[4], NULL, 0);
	tg.pool = argv + 5;
	tg.npool = argc - 5;
	rng = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);

	sock_open(&rt, NETLINK_ROUTE);
	sock_open(&gn, NETLINK_GENERIC);
	family = resolve_family();
	refresh();
	first = known;
	if (unpriv)
		must(counters(&ctr_known), "a counters dump");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; sent < count; i++)
		step(i);
	if (!dirty)	/* the refused messages since the last snapshot */
		verify("the last message", NULL, 0);
	if (unpriv && !same(&first, &known)) {
		fail("the unprivileged run changed something:");
		print_diff("  ", &first, &known);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	report(seed, t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return fails ? 1 : 0;
}
