/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the accounting's files share: an address's entry, the namespace's
 * state (its address tables and its hooks), and the calls between them.
 * Nothing outside the accounting includes this header; the rest of the
 * module calls the vlo_acct_* functions of vlo.h.
 */
#ifndef _VLO_ACCT_H
#define _VLO_ACCT_H

#include <linux/hash.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rhashtable.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>

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

	/*
	 * The hooks are registered while the namespace has vlo addresses or
	 * a carry device (@carry: the LOCAL_OUT hook looks for carry's
	 * packets too, under RTNL).
	 */
	struct mutex hook_mutex;
	bool hooked;
	bool carry;
	bool dying;
	struct work_struct hook_work;
	struct nf_hook_ops ops[4];
};

extern unsigned int vlo_net_id;

/* addr.c */
struct vlo_addr *vlo_addr_seek(struct vlo_priv *vp, u8 af,
			       const void *key, bool exact);
int vlo_addr_tables_init(struct vlo_net *vn);
void vlo_addr_tables_destroy(struct vlo_net *vn);
int vlo_addr_notifiers_init(void);
void vlo_addr_notifiers_exit(void);

/*
 * Every local packet of the host is hashed once per hook, and almost all of
 * them miss, so the hash must be cheap: one multiplication whose upper half
 * mixes every address bit into the low bits the table indexes with, instead
 * of rhashtable's default jhash. The keys are addresses an administrator
 * assigned; the table still rehashes with a new seed if a chain grows long.
 */
static inline u32 vlo_hash4(const void *data, u32 len, u32 seed)
{
	return hash_64((__force u32)*(const __be32 *)data ^ seed, 32);
}

static inline u32 vlo_hash6(const void *data, u32 len, u32 seed)
{
	return hash_64(ipv6_addr_hash(data) ^ seed, 32);
}

/*
 * The default compare is a memcmp() call of a length read from the table;
 * an address is one or two words, compared in place.
 */
static inline int vlo_cmp4(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct vlo_addr *va = obj;

	return *(const __be32 *)arg->key != va->key.v4;
}

static inline int vlo_cmp6(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct vlo_addr *va = obj;

	return !ipv6_addr_equal(arg->key, &va->key.v6);
}

static const struct rhashtable_params vlo_params4 = {
	.head_offset		= offsetof(struct vlo_addr, node),
	.key_offset		= offsetof(struct vlo_addr, key.v4),
	.key_len		= sizeof(__be32),
	.hashfn			= vlo_hash4,
	.obj_cmpfn		= vlo_cmp4,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params vlo_params6 = {
	.head_offset		= offsetof(struct vlo_addr, node),
	.key_offset		= offsetof(struct vlo_addr, key.v6),
	.key_len		= sizeof(struct in6_addr),
	.hashfn			= vlo_hash6,
	.obj_cmpfn		= vlo_cmp6,
	.automatic_shrinking	= true,
};

/*
 * The entries of the devices holding @addr, for the hooks (under RCU).
 * Inlined into them with the table's constant parameters, so that the
 * hash and the compare are inlined too (the hooks are flattened for it):
 * every local packet of the host that a hook does not skip runs this.
 */
static inline struct rhlist_head *
vlo_addr_lookup4(struct vlo_net *vn, const __be32 *addr)
{
	return rhltable_lookup(&vn->addrs[VLO_AF_IPV4], addr, vlo_params4);
}

static inline struct rhlist_head *
vlo_addr_lookup6(struct vlo_net *vn, const struct in6_addr *addr)
{
	return rhltable_lookup(&vn->addrs[VLO_AF_IPV6], addr, vlo_params6);
}

/* hooks.c */
int vlo_hooks_set(struct vlo_net *vn, bool want);
void vlo_hooks_update(struct vlo_net *vn);
void vlo_hooks_net_init(struct vlo_net *vn);
void vlo_hooks_net_pre_exit(struct vlo_net *vn);
void vlo_hooks_net_exit(struct vlo_net *vn);

/*
 * counters.c keeps the counters; what counts a packet is here, inlined
 * into the hooks (every counted packet runs it).
 */
static inline enum vlo_dir vlo_cell_dir(unsigned int cell)
{
	return cell / (VLO_NR_AFS * VLO_NR_PROTOS);
}

/*
 * The hooks run in process context (LOCAL_OUT) and in softirq, on any CPU.
 * An update is safe from a softirq on the same CPU: a no-op seqcount on
 * 64-bit, where each counter is a local64_t; interrupts off on 32-bit.
 */
static inline void vlo_pb_add(struct vlo_acct_pb *pb,
			      struct u64_stats_sync *syncp, unsigned int len)
{
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(syncp);
	u64_stats_inc(&pb->packets);
	u64_stats_add(&pb->bytes, len);
	u64_stats_update_end_irqrestore(syncp, flags);
}

/*
 * A counted packet writes two cache lines, both of this CPU's own memory:
 * its cell in the device's block and its address's totals (or cell). No
 * shared line is written: no atomic, no reference, no generation.
 *
 * Why the device keeps its own block rather than adding up its addresses
 * on read: the device's split by family and protocol is ABI (the sysfs
 * files, ethtool -S), and an address holds only its four totals unless
 * the device splits per address; the device's counters also survive the
 * removal of an address without folding it in. The device's block is one
 * per device, so it costs no memory per address, and every packet of the
 * device on this CPU writes it: its line stays in this CPU's cache.
 */
static inline void vlo_count(struct vlo_addr *va, unsigned int cell,
			     unsigned int len)
{
	struct vlo_priv *vp = va->vp;
	struct vlo_acct_cpu *c;
	struct vlo_acct_tot *t;

	if (!READ_ONCE(vp->accounting))
		return;
	preempt_disable();
	c = this_cpu_ptr(vp->acct);
	vlo_pb_add(&c->cell[cell], &c->syncp, len);
	if (va->split) {
		c = this_cpu_ptr(va->cells);
		vlo_pb_add(&c->cell[cell], &c->syncp, len);
	} else {
		t = this_cpu_ptr(va->tot);
		vlo_pb_add(&t->dir[vlo_cell_dir(cell)], &t->syncp, len);
	}
	preempt_enable();
}

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
