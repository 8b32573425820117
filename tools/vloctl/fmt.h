/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formatting of addresses and kernel constants: pure (table names come
 * from the text given to vlo_fmt_tables_parse()), unit tested.
 */
#ifndef VLOCTL_FMT_H
#define VLOCTL_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Large enough for any of the strings below. */
#define VLO_FMT_LEN	64

const char *vlo_fmt_addr(int family, const void *addr, char *buf, size_t len);
const char *vlo_fmt_prefix(int family, const void *addr, unsigned int plen,
			   char *buf, size_t len);
const char *vlo_fmt_dst(int family, const void *addr, unsigned int plen,
			char *buf, size_t len);
const char *vlo_fmt_mac(const unsigned char *mac, size_t maclen, char *buf,
			size_t len);
const char *vlo_fmt_family(int family);
const char *vlo_fmt_scope(unsigned int scope, char *buf, size_t len);
const char *vlo_fmt_rtype(unsigned int type, char *buf, size_t len);
const char *vlo_fmt_proto(unsigned int proto, char *buf, size_t len);
const char *vlo_fmt_table(uint32_t table, char *buf, size_t len);
void vlo_fmt_tables_parse(const char *text);
void vlo_fmt_tables_free(void);
const char *vlo_fmt_operstate(unsigned int state, char *buf, size_t len);
const char *vlo_fmt_link_type(unsigned int type, char *buf, size_t len);
const char *vlo_fmt_pref(unsigned int pref);
size_t vlo_fmt_link_flags(unsigned int flags, const char **names, size_t max);

#endif /* VLOCTL_FMT_H */
