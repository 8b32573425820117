// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink parsers (nlattr.c, nl.c, genl.c) fed messages built here
 * with mnl_nlmsg_put_header() and mnl_attr_put(): what is well formed is
 * read right; truncated attributes and attributes of the wrong length are
 * refused, and what they would have filled stays as it was. Each message
 * is parsed from a heap copy of exactly its length, so that valgrind and
 * ASan catch a read past its end.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>

#include "genl.h"
#include "nl.h"
#include "nlattr.h"
#include "test_unit.h"

#define T_JUNK	0xa5

static _Alignas(struct nlmsghdr) char t_buf[8192];
static struct nlmsghdr *t_copy;

/* A message of this type and family header in t_buf, its attributes next. */
static struct nlmsghdr *t_msg(uint16_t type, size_t hdrlen)
{
	struct nlmsghdr *nlh;

	memset(t_buf, 0, sizeof(t_buf));
	nlh = mnl_nlmsg_put_header(t_buf);
	nlh->nlmsg_type = type;
	mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

/* The first len bytes of nlh alone on the heap, as if the kernel sent that. */
static const struct nlmsghdr *t_cut(const struct nlmsghdr *nlh, size_t len)
{
	free(t_copy);
	t_copy = malloc(len);
	if (!t_copy)
		abort();
	memcpy(t_copy, nlh, len);
	t_copy->nlmsg_len = (uint32_t)len;
	return t_copy;
}

static const struct nlmsghdr *t_whole(const struct nlmsghdr *nlh)
{
	return t_cut(nlh, nlh->nlmsg_len);
}

/* The same attribute type, length bytes of 0x01. */
static void t_put_len(struct nlmsghdr *nlh, uint16_t type, size_t len)
{
	unsigned char v[64];

	memset(v, 1, sizeof(v));
	mnl_attr_put(nlh, type, len, v);
}

static bool t_all(const void *p, int c, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != c)
			return false;
	return true;
}

/* ---- the getters, one attribute of each length ---- */

static void test_nla_getters(void)
{
	struct nlmsghdr *nlh = t_msg(NLMSG_MIN_TYPE, 0);
	const struct nlattr *tb[16];
	unsigned char bin[32];
	uint8_t u8 = T_JUNK;
	uint16_t u16 = T_JUNK;
	uint32_t u32 = T_JUNK;
	uint64_t u64 = T_JUNK;
	char str[8];

	mnl_attr_put_u8(nlh, 1, 7);
	t_put_len(nlh, 2, 2);			/* a "u8" of 2 bytes */
	mnl_attr_put_u32(nlh, 3, 70000);
	t_put_len(nlh, 4, 2);			/* a "u32" of 2 */
	t_put_len(nlh, 5, 8);			/* a "u32" of 8 */
	t_put_len(nlh, 6, 4);			/* a "u64" of 4 */
	mnl_attr_put_u64(nlh, 7, 1ULL << 40);
	mnl_attr_put_u16(nlh, 8, 513);
	mnl_attr_put(nlh, 9, 5, "abcde");	/* a string with no NUL */
	mnl_attr_put(nlh, 10, 0, NULL);		/* empty */
	t_put_len(nlh, 11, 40);			/* longer than its reader */
	vlo_nla_parse(t_whole(nlh), 0, tb, 15);

	CHECK(vlo_nla_u8(tb[1], &u8) && u8 == 7);
	u8 = T_JUNK;
	CHECK(!vlo_nla_u8(tb[2], &u8) && u8 == T_JUNK);
	CHECK(!vlo_nla_u8(tb[3], &u8) && u8 == T_JUNK);
	CHECK(vlo_nla_u32(tb[3], &u32) && u32 == 70000);
	u32 = T_JUNK;
	CHECK(!vlo_nla_u32(tb[4], &u32) && u32 == T_JUNK);
	CHECK(!vlo_nla_u32(tb[5], &u32) && u32 == T_JUNK);
	CHECK(!vlo_nla_u32(tb[1], &u32) && u32 == T_JUNK);
	CHECK(!vlo_nla_u64(tb[6], &u64) && u64 == T_JUNK);
	CHECK(vlo_nla_u64(tb[7], &u64) && u64 == 1ULL << 40);
	CHECK(!vlo_nla_u16(tb[3], &u16) && u16 == T_JUNK);
	CHECK(vlo_nla_u16(tb[8], &u16) && u16 == 513);

	/* absent: nothing read, nothing written */
	CHECK(!vlo_nla_u8(NULL, &u8) && u8 == T_JUNK);
	CHECK(!vlo_nla_u32(tb[12], &u32) && u32 == T_JUNK);

	/* exact lengths */
	memset(bin, T_JUNK, sizeof(bin));
	CHECK(!vlo_nla_bin(tb[1], 4, bin) && t_all(bin, T_JUNK, sizeof(bin)));
	CHECK(!vlo_nla_bin(tb[5], 4, bin) && t_all(bin, T_JUNK, sizeof(bin)));
	CHECK(vlo_nla_bin(tb[5], 8, bin) && t_all(bin, 1, 8) &&
	      t_all(bin + 8, T_JUNK, sizeof(bin) - 8));
	memset(bin, T_JUNK, sizeof(bin));
	CHECK(!vlo_nla_addr(tb[11], AF_INET6, bin) &&
	      t_all(bin, T_JUNK, sizeof(bin)));
	CHECK(!vlo_nla_addr(tb[3], AF_UNSPEC, bin));
	CHECK(vlo_nla_addr(tb[3], AF_INET, bin) && !t_all(bin, T_JUNK, 4));

	/* up to a bound */
	memset(bin, T_JUNK, sizeof(bin));
	CHECK(vlo_nla_bin_upto(tb[11], sizeof(bin), bin) == sizeof(bin) &&
	      t_all(bin, 1, sizeof(bin)));
	CHECK(vlo_nla_bin_upto(tb[10], sizeof(bin), bin) == 0);
	CHECK(vlo_nla_bin_upto(NULL, sizeof(bin), bin) == 0);

	/* strings: bounded by the attribute, cut to the buffer */
	CHECK(vlo_nla_str(tb[9], str, sizeof(str)));
	CHECK_STR(str, "abcde");
	CHECK(vlo_nla_str(tb[9], str, 4));
	CHECK_STR(str, "abc");
	CHECK(!vlo_nla_str(tb[10], str, sizeof(str)));
	CHECK_STR(str, "");
	CHECK(!vlo_nla_str(NULL, str, sizeof(str)));
	CHECK_STR(str, "");

	/* a 1-byte attribute is no nest; an empty one is */
	CHECK(!vlo_nla_parse_nested(tb[1], tb, 15));
	CHECK(tb[3] == NULL);
	vlo_nla_parse(t_copy, 0, tb, 15);
	CHECK(vlo_nla_parse_nested(tb[10], tb, 15) && !tb[1] && !tb[10]);
}

/* ---- truncated attributes: the walk ends before them ---- */

static void test_nla_truncated(void)
{
	struct nlmsghdr *nlh = t_msg(NLMSG_MIN_TYPE, 4);
	const struct nlattr *tb[8];
	struct nlattr *last;
	uint64_t u64 = T_JUNK;
	uint32_t u32;
	size_t whole;

	mnl_attr_put_u32(nlh, 1, 42);
	last = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u64(nlh, 2, 99);
	whole = nlh->nlmsg_len;

	/* cut in the middle of the u64's value, then of its header */
	vlo_nla_parse(t_cut(nlh, whole - 4), 4, tb, 7);
	CHECK(vlo_nla_u32(tb[1], &u32) && u32 == 42);
	CHECK(!tb[2] && !vlo_nla_u64(tb[2], &u64) && u64 == T_JUNK);
	vlo_nla_parse(t_cut(nlh, whole - 10), 4, tb, 7);
	CHECK(tb[1] && !tb[2]);

	/* a length that claims more than the message holds, or too little */
	last->nla_len = 200;
	vlo_nla_parse(t_whole(nlh), 4, tb, 7);
	CHECK(tb[1] && !tb[2]);
	last->nla_len = 2;
	vlo_nla_parse(t_whole(nlh), 4, tb, 7);
	CHECK(tb[1] && !tb[2]);

	/* a message shorter than its family header has no attributes */
	vlo_nla_parse(t_cut(nlh, MNL_NLMSG_HDRLEN + 2), 4, tb, 7);
	CHECK(!tb[1] && !tb[2]);
	/* a type above the table's end is left out, not written past it */
	nlh = t_msg(NLMSG_MIN_TYPE, 0);
	mnl_attr_put_u32(nlh, 7, 1);
	mnl_attr_put_u32(nlh, 8, 1);
	vlo_nla_parse(t_whole(nlh), 0, tb, 7);
	CHECK(tb[7] != NULL);
}

/* ---- the counters' nest, shared by rtnetlink and genl ---- */

static struct nlattr *t_put_ctrs(struct nlmsghdr *nlh, uint16_t type,
				 unsigned int bad, size_t badlen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int i;

	mnl_attr_put(nlh, VLO_CTR_PAD, 0, NULL);
	for (i = 0; i < VLO_NR_CTRS; i++) {
		if (i == bad)
			t_put_len(nlh, (uint16_t)(VLO_CTR_IN_PACKETS + i), badlen);
		else
			mnl_attr_put_u64(nlh, (uint16_t)(VLO_CTR_IN_PACKETS + i),
					 1000 + i);
	}
	mnl_attr_put_u64(nlh, VLO_CTR_MAX + 1, 7);	/* a newer module's */
	mnl_attr_nest_end(nlh, nest);
	return nest;
}

static void test_nla_ctrs(void)
{
	const uint64_t all = (1ULL << VLO_NR_CTRS) - 1;
	uint64_t ctr[VLO_NR_CTRS];
	const struct nlattr *tb[4];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;
	bool ok = true;

	nlh = t_msg(NLMSG_MIN_TYPE, 0);
	t_put_ctrs(nlh, 1, VLO_NR_CTRS, 0);
	vlo_nla_parse(t_whole(nlh), 0, tb, 3);
	memset(ctr, T_JUNK, sizeof(ctr));
	CHECK(vlo_nla_ctrs(tb[1], ctr) == all);
	for (i = 0; i < VLO_NR_CTRS; i++)
		ok &= ctr[i] == 1000 + i;
	CHECK(ok);

	/* counter 5 as a u32: that one alone is refused */
	nlh = t_msg(NLMSG_MIN_TYPE, 0);
	t_put_ctrs(nlh, 1, 5, 4);
	vlo_nla_parse(t_whole(nlh), 0, tb, 3);
	memset(ctr, T_JUNK, sizeof(ctr));
	CHECK(vlo_nla_ctrs(tb[1], ctr) == (all & ~(1ULL << 5)));
	CHECK(t_all(&ctr[5], T_JUNK, sizeof(ctr[5])) && ctr[4] == 1004 &&
	      ctr[6] == 1006);

	/* the last counter's length reaching past the nest: not read */
	nlh = t_msg(NLMSG_MIN_TYPE, 0);
	nest = t_put_ctrs(nlh, 1, VLO_NR_CTRS, 0);
	mnl_attr_put_u32(nlh, 2, 0);	/* what the overrun would reach */
	nest->nla_len -= MNL_ATTR_HDRLEN + 8 + 4;	/* the extra u64, 4 more */
	vlo_nla_parse(t_whole(nlh), 0, tb, 3);
	memset(ctr, T_JUNK, sizeof(ctr));
	CHECK(vlo_nla_ctrs(tb[1], ctr) == (all & ~(1ULL << (VLO_NR_CTRS - 1))));
	CHECK(t_all(&ctr[VLO_NR_CTRS - 1], T_JUNK, sizeof(ctr[0])));

	/* no nest at all */
	CHECK(vlo_nla_ctrs(NULL, ctr) == 0);
	nlh = t_msg(NLMSG_MIN_TYPE, 0);
	t_put_len(nlh, 1, 3);
	vlo_nla_parse(t_whole(nlh), 0, tb, 3);
	CHECK(vlo_nla_ctrs(tb[1], ctr) == 0);
}

/* ---- genl replies ---- */

struct t_genl {
	size_t ifindex_len, addr_len, plen2_len, accounting_len, naddrs_len;
	const char *ifname;
	bool no_counters;
};

static struct nlmsghdr *t_genl_msg(const struct t_genl *t, bool dev)
{
	struct nlmsghdr *nlh = t_msg(0x20, sizeof(struct genlmsghdr));
	unsigned char addr[16] = { 10, 99, 0, 1 };
	uint32_t v32[4] = { 7 };	/* read past its first when too long */
	struct nlattr *nest;

	mnl_attr_put(nlh, VLO_A_IFINDEX, t->ifindex_len, v32);
	mnl_attr_put(nlh, VLO_A_IFNAME, strlen(t->ifname), t->ifname);
	if (dev) {
		mnl_attr_put(nlh, VLO_A_ACCOUNTING, t->accounting_len, "\1\0\0");
		mnl_attr_put_u8(nlh, VLO_A_CARRY, 1);
		mnl_attr_put(nlh, VLO_A_NADDRS, t->naddrs_len, v32);
	} else {
		mnl_attr_put(nlh, VLO_A_ADDR, t->addr_len, addr);
		nest = mnl_attr_nest_start(nlh, VLO_A_PREFIXLENS);
		mnl_attr_put_u8(nlh, VLO_PREFIXLEN, 24);
		mnl_attr_put(nlh, VLO_PREFIXLEN, t->plen2_len, "\40\0");
		mnl_attr_nest_end(nlh, nest);
	}
	if (!t->no_counters)
		t_put_ctrs(nlh, VLO_A_COUNTERS, VLO_NR_CTRS, 0);
	return nlh;
}

static void test_genl_parse(void)
{
	const struct t_genl good = { 4, 4, 1, 1, 4, "vlo0", false };
	static const struct t_genl bad[] = {
		{ 2, 4, 1, 1, 4, "vlo0", false },	/* ifindex of 2 bytes */
		{ 8, 4, 1, 1, 4, "vlo0", false },	/* of 8 */
		{ 4, 5, 1, 1, 4, "vlo0", false },	/* address of 5 */
		{ 4, 0, 1, 1, 4, "vlo0", false },	/* of none */
		{ 4, 4, 1, 1, 4, "vlo0", true },	/* no counters */
	};
	struct vlo_genl_addrmsg a;
	struct vlo_genl_devmsg d;
	struct nlmsghdr *nlh;
	struct t_genl t;
	size_t i;

	CHECK(!vlo_genl_parse_addr(t_whole(t_genl_msg(&good, false)), &a));
	CHECK(a.ifindex == 7 && a.family == AF_INET && a.addr[0] == 10 &&
	      a.addr[3] == 1 && a.nr_plens == 2 && a.plens[0] == 24 &&
	      a.plens[1] == 32 && a.ctr[0] == 1000 &&
	      a.ctr[VLO_NR_CTRS - 1] == 1000 + VLO_NR_CTRS - 1);
	CHECK_STR(a.ifname, "vlo0");
	t = good;
	t.addr_len = 16;
	CHECK(!vlo_genl_parse_addr(t_whole(t_genl_msg(&t, false)), &a) &&
	      a.family == AF_INET6);

	/* each malformed: the message is refused, nothing of it kept */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&a, T_JUNK, sizeof(a));
		CHECK(vlo_genl_parse_addr(t_whole(t_genl_msg(&bad[i], false)),
					  &a) &&
		      a.ifindex == 0 && a.family == 0 && a.addr[0] == 0 &&
		      a.ctr[0] == 0);
	}
	nlh = t_genl_msg(&good, false);
	CHECK(vlo_genl_parse_addr(t_cut(nlh, nlh->nlmsg_len - 8), &a));
	CHECK(vlo_genl_parse_addr(t_cut(nlh, MNL_NLMSG_HDRLEN + 2), &a));

	/* a malformed prefix length is left out; a long name is cut */
	t = good;
	t.plen2_len = 2;
	t.ifname = "a-name-longer-than-ifnamsiz";
	CHECK(!vlo_genl_parse_addr(t_whole(t_genl_msg(&t, false)), &a) &&
	      a.nr_plens == 1 && a.plens[0] == 24 && a.plens[1] == 0);
	CHECK_STR(a.ifname, "a-name-longer-t");

	CHECK(!vlo_genl_parse_dev(t_whole(t_genl_msg(&good, true)), &d));
	CHECK(d.ifindex == 7 && d.accounting && d.carry && d.naddrs == 7 &&
	      d.ctr[1] == 1001);
	t = good;
	t.accounting_len = 3;
	t.naddrs_len = 2;
	CHECK(!vlo_genl_parse_dev(t_whole(t_genl_msg(&t, true)), &d) &&
	      !d.accounting && d.carry && d.naddrs == 0);
	t = good;
	t.ifindex_len = 3;
	CHECK(vlo_genl_parse_dev(t_whole(t_genl_msg(&t, true)), &d) &&
	      d.ifindex == 0 && !d.carry);
}

/* ---- rtnetlink: a route with nexthops, a link ---- */

static struct nlmsghdr *t_route(size_t oif_len, size_t dst_len,
				size_t table_len, size_t pref_len)
{
	struct nlmsghdr *nlh = t_msg(RTM_NEWROUTE, sizeof(struct rtmsg));
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	uint32_t oif[4] = { 3 }, table[4] = { 100 };
	unsigned char dst[16] = { 10, 99 };

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	rtm->rtm_table = RT_TABLE_MAIN;
	mnl_attr_put(nlh, RTA_DST, dst_len, dst);
	mnl_attr_put(nlh, RTA_OIF, oif_len, oif);
	mnl_attr_put(nlh, RTA_TABLE, table_len, table);
	mnl_attr_put(nlh, RTA_PREF, pref_len, "\1\0\0\0");
	return nlh;
}

/* Two nexthops; the second's length is rtnh_len, its gateway gw_len. */
static void t_put_multipath(struct nlmsghdr *nlh, unsigned short rtnh_len,
			    size_t gw_len)
{
	struct nlattr *mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	unsigned char gw[16] = { 192, 0, 2, 1 };
	struct rtnexthop *nh;
	int i;

	for (i = 0; i < 2; i++) {
		nh = mnl_nlmsg_get_payload_tail(nlh);
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*nh));
		memset(nh, 0, sizeof(*nh));
		nh->rtnh_ifindex = 4 + i;
		nh->rtnh_hops = (unsigned char)i;
		mnl_attr_put(nlh, RTA_GATEWAY, i ? gw_len : 4, gw);
		nh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) -
						(char *)nh);
		if (i && rtnh_len)
			nh->rtnh_len = rtnh_len;
	}
	mnl_attr_nest_end(nlh, mp);
}

static void test_nl_route(void)
{
	struct vlo_nexthop nh;
	struct nlmsghdr *nlh;
	struct vlo_route r;

	CHECK(!vlo_nl_parse_route(t_whole(t_route(4, 4, 4, 1)), &r));
	CHECK(r.oif == 3 && r.has_dst && r.dst[1] == 99 && r.table == 100 &&
	      r.has_pref && r.pref == 1);
	CHECK(!vlo_nl_parse_route(t_whole(t_route(2, 16, 8, 4)), &r));
	CHECK(r.oif == 0 && !r.has_dst && r.dst[0] == 0 &&
	      r.table == RT_TABLE_MAIN && !r.has_pref);
	CHECK(!vlo_nl_parse_route(t_whole(t_route(8, 3, 2, 0)), &r));
	CHECK(r.oif == 0 && !r.has_dst && r.table == RT_TABLE_MAIN);
	nlh = t_route(4, 4, 4, 1);
	CHECK(vlo_nl_parse_route(t_cut(nlh, MNL_NLMSG_HDRLEN + 4), &r));

	nlh = t_route(4, 4, 4, 1);
	t_put_multipath(nlh, 0, 4);
	CHECK(!vlo_nl_parse_route(t_whole(nlh), &r));
	CHECK(vlo_nl_nexthop(&r, 1, &nh) && nh.ifindex == 5 && nh.has_gw &&
	      nh.gw[0] == 192 && nh.weight == 2);
	CHECK(!vlo_nl_nexthop(&r, 2, &nh));
	/* a gateway of the wrong size; a nexthop longer than the nest */
	nlh = t_route(4, 4, 4, 1);
	t_put_multipath(nlh, 0, 6);
	CHECK(!vlo_nl_parse_route(t_whole(nlh), &r));
	CHECK(vlo_nl_nexthop(&r, 1, &nh) && nh.ifindex == 5 && !nh.has_gw);
	nlh = t_route(4, 4, 4, 1);
	t_put_multipath(nlh, 200, 4);
	CHECK(!vlo_nl_parse_route(t_whole(nlh), &r));
	CHECK(vlo_nl_nexthop(&r, 0, &nh) && nh.ifindex == 4);
	CHECK(!vlo_nl_nexthop(&r, 1, &nh) && nh.ifindex == 0);
}

static struct nlmsghdr *t_link(size_t mtu_len, size_t accounting_len,
			       size_t linkinfo_len)
{
	struct nlmsghdr *nlh = t_msg(RTM_NEWLINK, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *info, *data;
	uint32_t mtu[4] = { 65536 };

	ifi->ifi_index = 9;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "vlo1");
	mnl_attr_put(nlh, IFLA_MTU, mtu_len, mtu);
	if (!linkinfo_len) {
		info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlo");
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put(nlh, IFLA_VLO_ACCOUNTING, accounting_len, "\1\0");
		mnl_attr_put_u8(nlh, IFLA_VLO_CARRY, 1);
		mnl_attr_nest_end(nlh, data);
		mnl_attr_nest_end(nlh, info);
	} else {
		t_put_len(nlh, IFLA_LINKINFO, linkinfo_len);
	}
	return nlh;
}

static void test_nl_link(void)
{
	struct vlo_link l;

	CHECK(!vlo_nl_parse_link(t_whole(t_link(4, 1, 0)), &l));
	CHECK(l.ifindex == 9 && l.mtu == 65536 && l.has_vlo_data &&
	      l.accounting && l.carry && !l.has_stats && l.maclen == 0);
	CHECK_STR(l.name, "vlo1");
	CHECK_STR(l.kind, "vlo");
	CHECK(!vlo_nl_parse_link(t_whole(t_link(2, 2, 0)), &l));
	CHECK(l.mtu == 0 && !l.has_vlo_data && !l.accounting && !l.carry);
	CHECK_STR(l.kind, "vlo");
	CHECK(!vlo_nl_parse_link(t_whole(t_link(4, 1, 3)), &l));
	CHECK_STR(l.kind, "");
	CHECK(vlo_nl_parse_link(t_cut(t_link(4, 1, 0), MNL_NLMSG_HDRLEN + 8),
				&l));
}

void test_nl(void)
{
	test_nla_getters();
	test_nla_truncated();
	test_nla_ctrs();
	test_genl_parse();
	test_nl_route();
	test_nl_link();
	free(t_copy);
	t_copy = NULL;
}
