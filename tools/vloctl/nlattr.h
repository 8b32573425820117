/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading netlink attributes, for nl.c and genl.c alike: tables by type,
 * and getters that read an attribute only after mnl_attr_validate() (or
 * mnl_attr_validate2() for a fixed length) passed. An attribute of the
 * wrong length reads as absent. Pure, so the unit tests link it directly.
 */
#ifndef VLOCTL_NLATTR_H
#define VLOCTL_NLATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/vlo.h>

void vlo_nla_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		   const struct nlattr **tb, unsigned int max);
bool vlo_nla_parse_nested(const struct nlattr *nest,
			  const struct nlattr **tb, unsigned int max);
void vlo_nla_parse_payload(const void *payload, size_t len,
			   const struct nlattr **tb, unsigned int max);

bool vlo_nla_u8(const struct nlattr *attr, uint8_t *v);
bool vlo_nla_u16(const struct nlattr *attr, uint16_t *v);
bool vlo_nla_u32(const struct nlattr *attr, uint32_t *v);
bool vlo_nla_u64(const struct nlattr *attr, uint64_t *v);
bool vlo_nla_bin(const struct nlattr *attr, size_t len, void *out);
size_t vlo_nla_bin_upto(const struct nlattr *attr, size_t len, void *out);
bool vlo_nla_str(const struct nlattr *attr, char *buf, size_t len);
bool vlo_nla_addr(const struct nlattr *attr, int family, void *out);

uint64_t vlo_nla_ctrs(const struct nlattr *nest, uint64_t ctr[VLO_NR_CTRS]);

#endif /* VLOCTL_NLATTR_H */
