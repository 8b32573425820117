// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses, prefixes and the names iproute2 prints for kernel constants
 * (scopes, route types and protocols, tables, operstates, link flags).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "fmt.h"

struct fmt_name {
	unsigned int val;
	const char *name;
};

#define FMT_NR(a)	(sizeof(a) / sizeof((a)[0]))

static const char *fmt_lookup(const struct fmt_name *t, size_t n,
			      unsigned int val, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].val == val)
			return t[i].name;
	snprintf(buf, len, "%u", val);
	return buf;
}

/* "10.99.0.1" without inet_ntop's sprintf: dumps print one per address. */
static const char *fmt_ipv4(const unsigned char *a, char *buf, size_t len)
{
	char tmp[INET_ADDRSTRLEN], *p = tmp;
	int i;

	for (i = 0; i < 4; i++) {
		if (a[i] >= 100)
			*p++ = (char)('0' + a[i] / 100);
		if (a[i] >= 10)
			*p++ = (char)('0' + a[i] / 10 % 10);
		*p++ = (char)('0' + a[i] % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	if ((size_t)(p - tmp) > len)
		return NULL;
	return memcpy(buf, tmp, (size_t)(p - tmp));
}

const char *vlo_fmt_addr(int family, const void *addr, char *buf, size_t len)
{
	if (family == AF_INET && fmt_ipv4(addr, buf, len))
		return buf;
	if ((family != AF_INET && family != AF_INET6) ||
	    !inet_ntop(family, addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const char *vlo_fmt_prefix(int family, const void *addr, unsigned int plen,
			   char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", vlo_fmt_addr(family, addr, a, sizeof(a)),
		 plen);
	return buf;
}

/* A route destination as ip route prints it: "default", ADDR or ADDR/LEN. */
const char *vlo_fmt_dst(int family, const void *addr, unsigned int plen,
			char *buf, size_t len)
{
	unsigned int full = family == AF_INET6 ? 128 : 32;

	if (plen == 0)
		snprintf(buf, len, "default");
	else if (plen == full)
		vlo_fmt_addr(family, addr, buf, len);
	else
		vlo_fmt_prefix(family, addr, plen, buf, len);
	return buf;
}

const char *vlo_fmt_mac(const unsigned char *mac, size_t maclen, char *buf,
			size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < maclen && off < len; i++)
		off += snprintf(buf + off, len - off, i ? ":%02x" : "%02x",
				mac[i]);
	return buf;
}

const char *vlo_fmt_family(int family)
{
	return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "?";
}

const char *vlo_fmt_scope(unsigned int scope, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ RT_SCOPE_UNIVERSE, "global" }, { RT_SCOPE_SITE, "site" },
		{ RT_SCOPE_LINK, "link" }, { RT_SCOPE_HOST, "host" },
		{ RT_SCOPE_NOWHERE, "nowhere" },
	};

	return fmt_lookup(t, FMT_NR(t), scope, buf, len);
}

const char *vlo_fmt_rtype(unsigned int type, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ RTN_UNSPEC, "none" }, { RTN_UNICAST, "unicast" },
		{ RTN_LOCAL, "local" }, { RTN_BROADCAST, "broadcast" },
		{ RTN_ANYCAST, "anycast" }, { RTN_MULTICAST, "multicast" },
		{ RTN_BLACKHOLE, "blackhole" }, { RTN_UNREACHABLE, "unreachable" },
		{ RTN_PROHIBIT, "prohibit" }, { RTN_THROW, "throw" },
		{ RTN_NAT, "nat" }, { RTN_XRESOLVE, "xresolve" },
	};

	return fmt_lookup(t, FMT_NR(t), type, buf, len);
}

const char *vlo_fmt_proto(unsigned int proto, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ RTPROT_UNSPEC, "unspec" }, { RTPROT_REDIRECT, "redirect" },
		{ RTPROT_KERNEL, "kernel" }, { RTPROT_BOOT, "boot" },
		{ RTPROT_STATIC, "static" }, { RTPROT_GATED, "gated" },
		{ RTPROT_RA, "ra" }, { RTPROT_MRT, "mrt" },
		{ RTPROT_ZEBRA, "zebra" }, { RTPROT_BIRD, "bird" },
		{ RTPROT_DNROUTED, "dnrouted" }, { RTPROT_XORP, "xorp" },
		{ RTPROT_NTK, "ntk" }, { RTPROT_DHCP, "dhcp" },
		{ RTPROT_KEEPALIVED, "keepalived" }, { RTPROT_BABEL, "babel" },
		{ RTPROT_OPENR, "openr" }, { RTPROT_BGP, "bgp" },
		{ RTPROT_ISIS, "isis" }, { RTPROT_OSPF, "ospf" },
		{ RTPROT_RIP, "rip" }, { RTPROT_EIGRP, "eigrp" },
	};

	return fmt_lookup(t, FMT_NR(t), proto, buf, len);
}

/* Table names from rt_tables files, the last one read first. */
struct fmt_table {
	uint32_t id;
	char name[VLO_FMT_LEN];
};

static struct fmt_table *fmt_tables;
static size_t fmt_nr_tables;

/*
 * The text of one rt_tables file, as iproute2 reads it: "ID NAME" lines
 * (ID decimal or 0x hex), "#" comments, anything after NAME ignored. A
 * later name for an ID wins.
 */
void vlo_fmt_tables_parse(const char *text)
{
	const char *line = text;

	while (*line) {
		size_t n = strcspn(line, "\n");
		char buf[256], id_s[16], name[VLO_FMT_LEN], *end;
		struct fmt_table *t;
		unsigned long id;

		snprintf(buf, sizeof(buf), "%.*s", (int)(n < 255 ? n : 255), line);
		line += n + (line[n] == '\n');
		if (sscanf(buf, " %15s %63s", id_s, name) != 2 || id_s[0] == '#')
			continue;
		errno = 0;
		id = strtoul(id_s, &end, 0);
		if (errno || *end || id > UINT32_MAX || name[0] == '#')
			continue;
		t = realloc(fmt_tables, (fmt_nr_tables + 1) * sizeof(*t));
		if (!t)
			return;
		fmt_tables = t;
		t[fmt_nr_tables].id = (uint32_t)id;
		snprintf(t[fmt_nr_tables].name, sizeof(t->name), "%s", name);
		fmt_nr_tables++;
	}
}

void vlo_fmt_tables_free(void)
{
	free(fmt_tables);
	fmt_tables = NULL;
	fmt_nr_tables = 0;
}

/* A table's name: from rt_tables, else iproute2's own, else its number. */
const char *vlo_fmt_table(uint32_t table, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ RT_TABLE_UNSPEC, "unspec" }, { RT_TABLE_DEFAULT, "default" },
		{ RT_TABLE_MAIN, "main" }, { RT_TABLE_LOCAL, "local" },
	};
	size_t i;

	for (i = fmt_nr_tables; i-- > 0;)
		if (fmt_tables[i].id == table)
			return fmt_tables[i].name;
	return fmt_lookup(t, FMT_NR(t), table, buf, len);
}

const char *vlo_fmt_operstate(unsigned int state, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ IF_OPER_UNKNOWN, "UNKNOWN" },
		{ IF_OPER_NOTPRESENT, "NOTPRESENT" },
		{ IF_OPER_DOWN, "DOWN" },
		{ IF_OPER_LOWERLAYERDOWN, "LOWERLAYERDOWN" },
		{ IF_OPER_TESTING, "TESTING" }, { IF_OPER_DORMANT, "DORMANT" },
		{ IF_OPER_UP, "UP" },
	};

	return fmt_lookup(t, FMT_NR(t), state, buf, len);
}

const char *vlo_fmt_link_type(unsigned int type, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ ARPHRD_ETHER, "ether" }, { ARPHRD_LOOPBACK, "loopback" },
		{ ARPHRD_NONE, "none" },
	};

	return fmt_lookup(t, FMT_NR(t), type, buf, len);
}

/* RTA_PREF values (ICMPV6_ROUTER_PREF_*). */
const char *vlo_fmt_pref(unsigned int pref)
{
	static const char *const names[] = { "medium", "high", "invalid", "low" };

	return pref < 4 ? names[pref] : "invalid";
}

/*
 * Interface flags in iproute2's order. Like ip, an interface that is UP
 * but not RUNNING is NO-CARRIER, and RUNNING itself is not listed.
 */
size_t vlo_fmt_link_flags(unsigned int flags, const char **names, size_t max)
{
	static const struct fmt_name t[] = {
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_POINTOPOINT, "POINTOPOINT" },
		{ IFF_MULTICAST, "MULTICAST" }, { IFF_NOARP, "NOARP" },
		{ IFF_ALLMULTI, "ALLMULTI" }, { IFF_PROMISC, "PROMISC" },
		{ IFF_MASTER, "MASTER" }, { IFF_SLAVE, "SLAVE" },
		{ IFF_DEBUG, "DEBUG" }, { IFF_DYNAMIC, "DYNAMIC" },
		{ IFF_AUTOMEDIA, "AUTOMEDIA" }, { IFF_PORTSEL, "PORTSEL" },
		{ IFF_NOTRAILERS, "NOTRAILERS" }, { IFF_UP, "UP" },
		{ IFF_LOWER_UP, "LOWER_UP" }, { IFF_DORMANT, "DORMANT" },
		{ IFF_ECHO, "ECHO" },
	};
	size_t i, n = 0;

	if ((flags & IFF_UP) && !(flags & IFF_RUNNING) && n < max)
		names[n++] = "NO-CARRIER";
	for (i = 0; i < FMT_NR(t) && n < max; i++)
		if (flags & t[i].val)
			names[n++] = t[i].name;
	return n;
}
