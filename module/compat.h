/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences vlo meets, as feature checks in one place, so
 * the rest of the code reads as if written for one kernel. Checks test what
 * the headers offer, never a version number: stable and distribution
 * kernels backport. VLO_HAVE_* come from module/Kbuild, which greps the
 * headers for what cannot be tested with #ifdef (enum members, functions).
 */
#ifndef _VLO_COMPAT_H
#define _VLO_COMPAT_H

#include <linux/ethtool.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>

/* Lockless transmit: a feature bit before 6.12, a net_device flag since. */
static inline void vlo_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/*
 * Per-CPU tstats: a kernel with dev->pcpu_stat_type (6.7) allocates them
 * at register time and frees them with the device; before, the driver did
 * both, in ndo_init and its destructor.
 */
#ifdef VLO_HAVE_PCPU_STAT_TYPE
static inline void vlo_tstats_setup(struct net_device *dev)
{
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
}

static inline int vlo_tstats_alloc(struct net_device *dev)
{
	return 0;
}

static inline void vlo_tstats_free(struct net_device *dev)
{
}
#else
static inline void vlo_tstats_setup(struct net_device *dev)
{
}

static inline int vlo_tstats_alloc(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

static inline void vlo_tstats_free(struct net_device *dev)
{
	free_percpu(dev->tstats);
	dev->tstats = NULL;
}
#endif

/* ethtool string sets: ethtool_puts() came in 6.8; %s does the same before. */
#ifndef VLO_HAVE_ETHTOOL_PUTS
static inline void ethtool_puts(u8 **data, const char *str)
{
	ethtool_sprintf(data, "%s", str);
}
#endif

/*
 * The largest GSO packet the device takes, set before registration: one
 * limit before 6.3, one per family since (IPv4's BIG TCP).
 */
static inline void vlo_set_gso_max_size(struct net_device *dev,
					unsigned int size)
{
	dev->gso_max_size = size;
#ifdef VLO_HAVE_GSO_IPV4_MAX_SIZE
	dev->gso_ipv4_max_size = size;
#endif
}

/*
 * The attributes of a dump request, as the core parsed them against the
 * operation's policy: in the dump's genl_info since 6.5, beside it before.
 */
static inline struct nlattr **vlo_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef VLO_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* A socket's IPV6_DONTFRAG: in ipv6_pinfo before 6.7, in inet_flags since. */
static inline bool vlo_sk_dontfrag6(const struct sock *sk)
{
#ifdef VLO_HAVE_INET6_DONTFRAG_BIT
	return inet6_test_bit(DONTFRAG, sk);
#else
	return inet6_sk(sk)->dontfrag;
#endif
}

#endif /* _VLO_COMPAT_H */
