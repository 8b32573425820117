/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the accounting's files share: an address's entry, the namespace's
 * state (its address tables and its hooks), and the calls between them.
 * Nothing outside the accounting includes this header; the rest of the
 * module calls the vlo_acct_* functions of vlo.h.
 */
#ifndef _VLO_ACCT_H
#define _VLO_ACCT_H

#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "vlo.h"

struct vlo_addr {
	struct rhlist_head node;	/* in vlo_net.addrs[af] */
	struct rb_node dev_node;	/* in vlo_priv.addrs, in key order */
	struct vlo_priv *vp;
	/* the four totals, or with @split every cell */
	union {
		struct vlo_acct_tot __percpu *tot;
		struct vlo_acct_cpu __percpu *cells;
	};
	bool split;
	struct rcu_head rcu;
	/* IPv4: a bit per prefix length held; IPv6: the one prefix length */
	u64 plens;
	u8 af;
	union {
		__be32 v4;
		struct in6_addr v6;
	} key;
};

struct vlo_net {
	struct net *net;
	struct rhltable addrs[VLO_NR_AFS];
	/* read locklessly by the hooks: zero means nothing to look up */
	unsigned int naddrs[VLO_NR_AFS];
	/* of naddrs[VLO_AF_IPV4], those in 127.0.0.0/8 (see vlo_hook4()) */
	unsigned int nloop4;
	/* bumped on every change a dump can see (NLM_F_DUMP_INTR) */
	unsigned int gen;
	/*
	 * Serialises changes to the tables, the counts, the device trees and
	 * the generation; nests outside vlo_acct_lock.
	 */
	spinlock_t lock;

	/* the hooks are registered while the namespace has vlo addresses */
	struct mutex hook_mutex;
	bool hooked;
	bool dying;
	struct work_struct hook_work;
	struct nf_hook_ops ops[4];
};

extern unsigned int vlo_net_id;

/* addr.c */
struct rhlist_head *vlo_addr_lookup4(struct vlo_net *vn,
				     const __be32 *addr);
struct rhlist_head *vlo_addr_lookup6(struct vlo_net *vn,
				     const struct in6_addr *addr);
struct vlo_addr *vlo_addr_seek(struct vlo_priv *vp, u8 af,
			       const void *key, bool exact);
int vlo_addr_tables_init(struct vlo_net *vn);
void vlo_addr_tables_destroy(struct vlo_net *vn);
int vlo_addr_notifiers_init(void);
void vlo_addr_notifiers_exit(void);

/* hooks.c */
int vlo_hooks_set(struct vlo_net *vn, bool want);
void vlo_hooks_update(struct vlo_net *vn);
void vlo_hooks_net_init(struct vlo_net *vn);
void vlo_hooks_net_pre_exit(struct vlo_net *vn);
void vlo_hooks_net_exit(struct vlo_net *vn);

/* counters.c */
void vlo_count(struct vlo_addr *va, unsigned int cell, unsigned int len);

static inline size_t vlo_key_len(u8 af)
{
	return af == VLO_AF_IPV4 ? sizeof(__be32) : sizeof(struct in6_addr);
}

/* @vp's entry for @key, or NULL. Called with vn->lock held. */
static inline struct vlo_addr *vlo_addr_find(struct vlo_priv *vp,
					     enum vlo_af af, const void *key)
{
	return vlo_addr_seek(vp, af, key, true);
}

#endif /* _VLO_ACCT_H */
