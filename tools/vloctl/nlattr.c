// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink attributes through libmnl. mnl_attr_parse() hands on only
 * attributes that fit in what holds them (a truncated one ends the walk);
 * the getters then check each one's length against its type before
 * reading it. Whatever the kernel sends, nothing is read out of bounds.
 */
#include <string.h>
#include <sys/socket.h>

#include "nlattr.h"

struct nla_table {
	const struct nlattr **tb;
	unsigned int max;
};

/* mnl_attr_parse() callback: keep each attribute by type, the last wins. */
static int nla_table_cb(const struct nlattr *attr, void *data)
{
	struct nla_table *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

/* The attributes after a message's family header of hdrlen bytes. */
void vlo_nla_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		   const struct nlattr **tb, unsigned int max)
{
	struct nla_table t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) >= hdrlen)
		mnl_attr_parse(nlh, (unsigned int)hdrlen, nla_table_cb, &t);
}

/* false, and an empty table, if nest is absent or no nest. */
bool vlo_nla_parse_nested(const struct nlattr *nest,
			  const struct nlattr **tb, unsigned int max)
{
	struct nla_table t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (!nest || mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return false;
	mnl_attr_parse_nested(nest, nla_table_cb, &t);
	return true;
}

/* Attributes that follow a fixed structure, as in struct rtnexthop. */
void vlo_nla_parse_payload(const void *payload, size_t len,
			   const struct nlattr **tb, unsigned int max)
{
	struct nla_table t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_payload(payload, len, nla_table_cb, &t);
}

static bool nla_valid(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return attr && mnl_attr_validate(attr, type) == 0;
}

/* An integer of exactly its size, in host order as the kernel sends it. */
static bool nla_int(const struct nlattr *attr, enum mnl_attr_data_type type,
		    void *v, size_t size)
{
	if (!nla_valid(attr, type))
		return false;
	memcpy(v, mnl_attr_get_payload(attr), size);
	return true;
}

bool vlo_nla_u8(const struct nlattr *attr, uint8_t *v)
{
	return nla_int(attr, MNL_TYPE_U8, v, sizeof(*v));
}

bool vlo_nla_u16(const struct nlattr *attr, uint16_t *v)
{
	return nla_int(attr, MNL_TYPE_U16, v, sizeof(*v));
}

bool vlo_nla_u32(const struct nlattr *attr, uint32_t *v)
{
	return nla_int(attr, MNL_TYPE_U32, v, sizeof(*v));
}

bool vlo_nla_u64(const struct nlattr *attr, uint64_t *v)
{
	return nla_int(attr, MNL_TYPE_U64, v, sizeof(*v));
}

/* Exactly len bytes into out. */
bool vlo_nla_bin(const struct nlattr *attr, size_t len, void *out)
{
	if (!attr || mnl_attr_validate2(attr, MNL_TYPE_BINARY, len) < 0)
		return false;
	memcpy(out, mnl_attr_get_payload(attr), len);
	return true;
}

/* Up to len bytes into out (the rest left as it was): how many. */
size_t vlo_nla_bin_upto(const struct nlattr *attr, size_t len, void *out)
{
	size_t n;

	if (!nla_valid(attr, MNL_TYPE_BINARY))
		return 0;
	n = mnl_attr_get_payload_len(attr);
	if (n > len)
		n = len;
	memcpy(out, mnl_attr_get_payload(attr), n);
	return n;
}

/*
 * A string attribute into buf, NUL-terminated and cut to fit; "" (and
 * false) if absent or empty. The kernel's strings end in a NUL, but only
 * the attribute's length bounds the read.
 */
bool vlo_nla_str(const struct nlattr *attr, char *buf, size_t len)
{
	size_t n;

	buf[0] = '\0';
	if (!nla_valid(attr, MNL_TYPE_STRING))
		return false;
	n = strnlen(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr));
	if (n >= len)
		n = len - 1;
	memcpy(buf, mnl_attr_get_payload(attr), n);
	buf[n] = '\0';
	return true;
}

/* An address of exactly the family's size (4 or 16 bytes). */
bool vlo_nla_addr(const struct nlattr *attr, int family, void *out)
{
	if (family == AF_INET)
		return vlo_nla_bin(attr, 4, out);
	if (family == AF_INET6)
		return vlo_nla_bin(attr, 16, out);
	return false;
}

/*
 * A nest of VLO_CTR_* into ctr (counter i is attribute VLO_CTR_IN_PACKETS
 * + i): returns a mask with bit i set for each counter read. Unknown
 * types and the padding are passed over.
 */
uint64_t vlo_nla_ctrs(const struct nlattr *nest, uint64_t ctr[VLO_NR_CTRS])
{
	const struct nlattr *tb[VLO_CTR_MAX + 1];
	uint64_t seen = 0;
	unsigned int i;

	if (!vlo_nla_parse_nested(nest, tb, VLO_CTR_MAX))
		return 0;
	for (i = 0; i < VLO_NR_CTRS; i++)
		if (vlo_nla_u64(tb[VLO_CTR_IN_PACKETS + i], &ctr[i]))
			seen |= 1ULL << i;
	return seen;
}
