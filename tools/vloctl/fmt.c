// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses, prefixes and the names iproute2 prints for kernel constants
 * (scopes, route types and protocols, tables, operstates, link flags).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

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

const char *vlo_fmt_addr(int family, const void *addr, char *buf, size_t len)
{
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
		{ 0, "global" }, { 200, "site" }, { 253, "link" },
		{ 254, "host" }, { 255, "nowhere" },
	};

	return fmt_lookup(t, FMT_NR(t), scope, buf, len);
}

const char *vlo_fmt_rtype(unsigned int type, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ 0, "none" }, { 1, "unicast" }, { 2, "local" },
		{ 3, "broadcast" }, { 4, "anycast" }, { 5, "multicast" },
		{ 6, "blackhole" }, { 7, "unreachable" }, { 8, "prohibit" },
		{ 9, "throw" }, { 10, "nat" }, { 11, "xresolve" },
	};

	return fmt_lookup(t, FMT_NR(t), type, buf, len);
}

const char *vlo_fmt_proto(unsigned int proto, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ 0, "unspec" }, { 1, "redirect" }, { 2, "kernel" },
		{ 3, "boot" }, { 4, "static" }, { 8, "gated" }, { 9, "ra" },
		{ 10, "mrt" }, { 11, "zebra" }, { 12, "bird" },
		{ 13, "dnrouted" }, { 14, "xorp" }, { 15, "ntk" },
		{ 16, "dhcp" }, { 18, "keepalived" }, { 42, "babel" },
		{ 99, "openr" }, { 186, "bgp" }, { 187, "isis" },
		{ 188, "ospf" }, { 189, "rip" }, { 192, "eigrp" },
	};

	return fmt_lookup(t, FMT_NR(t), proto, buf, len);
}

const char *vlo_fmt_table(uint32_t table, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ 0, "unspec" }, { 253, "default" }, { 254, "main" },
		{ 255, "local" },
	};

	return fmt_lookup(t, FMT_NR(t), table, buf, len);
}

const char *vlo_fmt_operstate(unsigned int state, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ 0, "UNKNOWN" }, { 1, "NOTPRESENT" }, { 2, "DOWN" },
		{ 3, "LOWERLAYERDOWN" }, { 4, "TESTING" }, { 5, "DORMANT" },
		{ 6, "UP" },
	};

	return fmt_lookup(t, FMT_NR(t), state, buf, len);
}

const char *vlo_fmt_link_type(unsigned int type, char *buf, size_t len)
{
	static const struct fmt_name t[] = {
		{ 1, "ether" }, { 772, "loopback" }, { 65534, "none" },
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
		{ 1U << 3, "LOOPBACK" }, { 1U << 1, "BROADCAST" },
		{ 1U << 4, "POINTOPOINT" }, { 1U << 12, "MULTICAST" },
		{ 1U << 7, "NOARP" }, { 1U << 9, "ALLMULTI" },
		{ 1U << 8, "PROMISC" }, { 1U << 10, "MASTER" },
		{ 1U << 11, "SLAVE" }, { 1U << 2, "DEBUG" },
		{ 1U << 15, "DYNAMIC" }, { 1U << 14, "AUTOMEDIA" },
		{ 1U << 13, "PORTSEL" }, { 1U << 5, "NOTRAILERS" },
		{ 1U << 0, "UP" }, { 1U << 16, "LOWER_UP" },
		{ 1U << 17, "DORMANT" }, { 1U << 18, "ECHO" },
	};
	const unsigned int up = 1U << 0, running = 1U << 6;
	size_t i, n = 0;

	if ((flags & up) && !(flags & running) && n < max)
		names[n++] = "NO-CARRIER";
	for (i = 0; i < FMT_NR(t) && n < max; i++)
		if (flags & t[i].val)
			names[n++] = t[i].name;
	return n;
}
