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
 * Extended link statistics ("ip link xstats type vlo dev DEV", RTM_GETSTATS
 * with IFLA_STATS_LINK_XSTATS): one nest of this type holding the device's
 * counters (VLO_CTR_*), all from one snapshot. The kernel's own
 * LINK_XSTATS_TYPE_* values are small; this one stays clear of them.
 */
#define LINK_XSTATS_TYPE_VLO	0x0100

#endif /* _UAPI_LINUX_VLO_H */
