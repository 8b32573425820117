/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences vlo meets, as feature checks in one place, so
 * the rest of the code reads as if written for one kernel.
 */
#ifndef _VLO_COMPAT_H
#define _VLO_COMPAT_H

#include <linux/netdevice.h>

/* Lockless transmit: a feature bit before 6.12, a net_device flag since. */
static inline void vlo_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

#endif /* _VLO_COMPAT_H */
