/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vlo: extra loopback interfaces. What the module shares with user space
 * (vloctl, the iproute2 plugin link_vlo.so): the device's IFLA_INFO_DATA
 * attributes, its extended link statistics, and the "vlo" generic netlink
 * family.
 */
#ifndef _UAPI_LINUX_VLO_H
#define _UAPI_LINUX_VLO_H

/*
 * Per-device settings, nested in IFLA_LINKINFO / IFLA_INFO_DATA of
 * RTM_NEWLINK and RTM_GETLINK ("ip link add vlo1 type vlo carry on").
 */
enum {
	IFLA_VLO_UNSPEC,
	IFLA_VLO_ACCOUNTING,	/* u8, 0 or 1: count traffic of the addresses */
	IFLA_VLO_CARRY,		/* u8, 0 or 1: local traffic crosses the device */
	IFLA_VLO_ADDR_SPLIT,	/* u8, 0 or 1: each address's split, not only
				 * its totals; changes only while the device
				 * has no addresses
				 */
	__IFLA_VLO_MAX
};

#define IFLA_VLO_MAX	(__IFLA_VLO_MAX - 1)

/*
 * The accounting counters, each a u64 attribute padded with VLO_CTR_PAD.
 * The order is that of ethtool -S and of the sysfs files: the four totals,
 * then {in,out} x {ipv4,ipv6} x {icmp,tcp,udp,other} x {packets,bytes}.
 * Counter i (0-based, as in ethtool -S) is attribute VLO_CTR_IN_PACKETS + i.
 */
enum {
	VLO_CTR_UNSPEC,
	VLO_CTR_PAD,
	VLO_CTR_IN_PACKETS,
	VLO_CTR_IN_BYTES,
	VLO_CTR_OUT_PACKETS,
	VLO_CTR_OUT_BYTES,
	VLO_CTR_IN_IPV4_ICMP_PACKETS,
	VLO_CTR_IN_IPV4_ICMP_BYTES,
	VLO_CTR_IN_IPV4_TCP_PACKETS,
	VLO_CTR_IN_IPV4_TCP_BYTES,
	VLO_CTR_IN_IPV4_UDP_PACKETS,
	VLO_CTR_IN_IPV4_UDP_BYTES,
	VLO_CTR_IN_IPV4_OTHER_PACKETS,
	VLO_CTR_IN_IPV4_OTHER_BYTES,
	VLO_CTR_IN_IPV6_ICMP_PACKETS,
	VLO_CTR_IN_IPV6_ICMP_BYTES,
	VLO_CTR_IN_IPV6_TCP_PACKETS,
	VLO_CTR_IN_IPV6_TCP_BYTES,
	VLO_CTR_IN_IPV6_UDP_PACKETS,
	VLO_CTR_IN_IPV6_UDP_BYTES,
	VLO_CTR_IN_IPV6_OTHER_PACKETS,
	VLO_CTR_IN_IPV6_OTHER_BYTES,
	VLO_CTR_OUT_IPV4_ICMP_PACKETS,
	VLO_CTR_OUT_IPV4_ICMP_BYTES,
	VLO_CTR_OUT_IPV4_TCP_PACKETS,
	VLO_CTR_OUT_IPV4_TCP_BYTES,
	VLO_CTR_OUT_IPV4_UDP_PACKETS,
	VLO_CTR_OUT_IPV4_UDP_BYTES,
	VLO_CTR_OUT_IPV4_OTHER_PACKETS,
	VLO_CTR_OUT_IPV4_OTHER_BYTES,
	VLO_CTR_OUT_IPV6_ICMP_PACKETS,
	VLO_CTR_OUT_IPV6_ICMP_BYTES,
	VLO_CTR_OUT_IPV6_TCP_PACKETS,
	VLO_CTR_OUT_IPV6_TCP_BYTES,
	VLO_CTR_OUT_IPV6_UDP_PACKETS,
	VLO_CTR_OUT_IPV6_UDP_BYTES,
	VLO_CTR_OUT_IPV6_OTHER_PACKETS,
	VLO_CTR_OUT_IPV6_OTHER_BYTES,
	__VLO_CTR_MAX
};

#define VLO_CTR_MAX	(__VLO_CTR_MAX - 1)
#define VLO_NR_CTRS	(VLO_CTR_MAX - VLO_CTR_IN_PACKETS + 1)

/*
 * The counters' names, in VLO_CTR_* order: the sysfs files and ethtool -S
 * of the module, the keys of "ip -s -d link" and of vloctl are built from
 * these lists alone. VLO_CTR_DIRS(X, p) and the other lists apply the macro
 * X to each of their words, with the string p before it;
 * { VLO_CTR_DIRS(VLO_CTR_WORD, "") } is { "in", "out", }, and
 * { VLO_CTR_NAMES } is every counter's name: "in_packets", "in_bytes",
 * "out_packets", "out_bytes", then "in_ipv4_icmp_packets" and on to
 * "out_ipv6_other_bytes".
 */
#define VLO_CTR_DIRS(X, p)	X(p "in") X(p "out")
#define VLO_CTR_AFS(X, p)	X(p "ipv4") X(p "ipv6")
#define VLO_CTR_PROTOS(X, p)	X(p "icmp") X(p "tcp") X(p "udp") X(p "other")
#define VLO_CTR_UNITS(X, p)	X(p "packets") X(p "bytes")
#define VLO_CTR_WORD(w)		w,

#define VLO_CTR_NAMES_PB_(s)	VLO_CTR_UNITS(VLO_CTR_WORD, s "_")
#define VLO_CTR_NAMES_AF_(s)	VLO_CTR_PROTOS(VLO_CTR_NAMES_PB_, s "_")
#define VLO_CTR_NAMES_DIR_(s)	VLO_CTR_AFS(VLO_CTR_NAMES_AF_, s "_")
#define VLO_CTR_NAMES \
	VLO_CTR_DIRS(VLO_CTR_NAMES_PB_, "") VLO_CTR_DIRS(VLO_CTR_NAMES_DIR_, "")

/*
 * Extended link statistics ("ip link xstats type vlo dev DEV", RTM_GETSTATS
 * with IFLA_STATS_LINK_XSTATS): one nest of this type holding the device's
 * counters (VLO_CTR_*), all from one snapshot. The kernel's own
 * LINK_XSTATS_TYPE_* values are small; this one stays clear of them.
 */
#define LINK_XSTATS_TYPE_VLO	0x0100

/*
 * The "vlo" generic netlink family: the devices and addresses of the
 * caller's network namespace, with their counters.
 *
 * VLO_CMD_GET_DEV	one device (VLO_A_IFINDEX) or, as a dump, every vlo
 *			device: a device message each.
 * VLO_CMD_SET_DEV	reserved: the settings change over rtnetlink
 *			(IFLA_VLO_*) or sysfs; refused with EOPNOTSUPP since
 *			0.3.0.
 * VLO_CMD_ZERO_DEV	read-and-zero of one device (VLO_A_IFINDEX) or, as a
 *			dump, of every device: the device's counters and those
 *			of each of its addresses; the reply holds the device's
 *			counters as they were taken away.
 * VLO_CMD_GET_ADDR	dump of every address of every vlo device, or of one
 *			device (VLO_A_IFINDEX): an address message each, in
 *			(ifindex, family, address) order. With VLO_A_TOTALS,
 *			each message's VLO_A_COUNTERS holds only the four
 *			totals (VLO_CTR_IN_PACKETS to VLO_CTR_OUT_BYTES): an
 *			eighth of the size, for tools that show no split.
 *			Without it, the split: only a device with
 *			IFLA_VLO_ADDR_SPLIT on has it per address; a dump
 *			that would meet a device without it fails with
 *			EOPNOTSUPP (and an extack message) before sending
 *			any address.
 * VLO_CMD_ZERO_ADDR	read-and-zero of one address (do: VLO_A_IFINDEX and
 *			VLO_A_ADDR) or, as a dump, of every address of one
 *			device or of all: the reply holds exactly what was
 *			taken away (the four totals only, for an address
 *			of a device without IFLA_VLO_ADDR_SPLIT).
 *
 * Device message: VLO_A_IFINDEX, VLO_A_IFNAME, VLO_A_ACCOUNTING,
 * VLO_A_CARRY, VLO_A_NADDRS, VLO_A_COUNTERS.
 * Address message: VLO_A_IFINDEX, VLO_A_IFNAME, VLO_A_FAMILY, VLO_A_ADDR,
 * VLO_A_PREFIXLENS, VLO_A_COUNTERS.
 *
 * Dumps are open to any user of the namespace; ZERO needs CAP_NET_ADMIN
 * over the namespace's user namespace. Each command has its own policy: an
 * attribute it does not take is refused (VLO_A_TOTALS, for instance,
 * anywhere but in VLO_CMD_GET_ADDR). A dump that address changes
 * overlapped is flagged NLM_F_DUMP_INTR, as the kernel's own address dumps
 * are.
 */
#define VLO_GENL_NAME		"vlo"
#define VLO_GENL_VERSION	1

enum {
	VLO_CMD_UNSPEC,
	VLO_CMD_GET_DEV,
	VLO_CMD_SET_DEV,	/* reserved */
	VLO_CMD_ZERO_DEV,
	VLO_CMD_GET_ADDR,
	VLO_CMD_ZERO_ADDR,
	__VLO_CMD_MAX
};

#define VLO_CMD_MAX	(__VLO_CMD_MAX - 1)

enum {
	VLO_A_UNSPEC,
	VLO_A_IFINDEX,		/* u32 */
	VLO_A_IFNAME,		/* string, in replies */
	VLO_A_ACCOUNTING,	/* u8, 0 or 1, in replies */
	VLO_A_CARRY,		/* u8, 0 or 1, in replies */
	VLO_A_NADDRS,		/* u32, in replies: addresses held */
	VLO_A_FAMILY,		/* u8, AF_INET or AF_INET6, in replies */
	VLO_A_ADDR,		/* 4 or 16 bytes, network order */
	VLO_A_PREFIXLENS,	/* nest of VLO_PREFIXLEN, in replies */
	VLO_A_COUNTERS,		/* nest of VLO_CTR_*, in replies */
	VLO_A_TOTALS,		/* flag, in a VLO_CMD_GET_ADDR dump request */
	__VLO_A_MAX
};

#define VLO_A_MAX	(__VLO_A_MAX - 1)

/*
 * The prefix lengths an address is held with, smallest first: an IPv4
 * address may be on a device with several (10.0.0.1/24 and 10.0.0.1/32);
 * it is one address and counts once.
 */
enum {
	VLO_PREFIXLEN_UNSPEC,
	VLO_PREFIXLEN,		/* u8 */
	__VLO_PREFIXLEN_MAX
};

#define VLO_PREFIXLEN_MAX	(__VLO_PREFIXLEN_MAX - 1)

#endif /* _UAPI_LINUX_VLO_H */
