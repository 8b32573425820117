// SPDX-License-Identifier: GPL-2.0
/*
 * Per-address accounting. Traffic to a local address crosses lo, not the
 * device that holds the address, so vlo counts in netfilter: at LOCAL_IN by
 * destination address, at LOCAL_OUT by source address, one packet and
 * skb->len bytes per skb, as an nftables counter rule at the same hook does.
 *
 * Each namespace keeps a hash table per family that maps an address to the
 * vlo devices holding it, fed by the address notifiers; each entry has its
 * own counters, and the device has its own, split by family and protocol.
 * The hooks
 * are registered in a namespace only while it has vlo addresses, so a
 * namespace without any runs no vlo code per packet; with some, a hook does
 * a single hash lookup.
 */

#include <linux/hash.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rbtree.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>
#include <net/addrconf.h>
#include <net/ip6_fib.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>
#include <net/route.h>

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

static unsigned int vlo_net_id __read_mostly;

/*
 * Serialises counter reads with read-and-zero, so that a read never sees
 * half of one. A spinlock: dumps read under vlo_net.lock.
 */
static DEFINE_SPINLOCK(vlo_acct_lock);

/*
 * Every local packet of the host is hashed once per hook, and almost all of
 * them miss, so the hash must be cheap: one multiplication whose upper half
 * mixes every address bit into the low bits the table indexes with, instead
 * of rhashtable's default jhash. The keys are addresses an administrator
 * assigned; the table still rehashes with a new seed if a chain grows long.
 */
static u32 vlo_hash4(const void *data, u32 len, u32 seed)
{
	return hash_64((__force u32)*(const __be32 *)data ^ seed, 32);
}

static u32 vlo_hash6(const void *data, u32 len, u32 seed)
{
	return hash_64(ipv6_addr_hash(data) ^ seed, 32);
}

/*
 * The default compare is a memcmp() call of a length read from the table;
 * an address is one or two words, compared in place.
 */
static int vlo_cmp4(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct vlo_addr *va = obj;

	return *(const __be32 *)arg->key != va->key.v4;
}

static int vlo_cmp6(struct rhashtable_compare_arg *arg, const void *obj)
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

static unsigned int vlo_cell(enum vlo_dir dir, enum vlo_af af, u8 l4proto)
{
	enum vlo_proto proto;

	switch (l4proto) {
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		proto = VLO_PROTO_ICMP;
		break;
	case IPPROTO_TCP:
		proto = VLO_PROTO_TCP;
		break;
	case IPPROTO_UDP:
		proto = VLO_PROTO_UDP;
		break;
	default:
		proto = VLO_PROTO_OTHER;
		break;
	}
	return (dir * VLO_NR_AFS + af) * VLO_NR_PROTOS + proto;
}

static enum vlo_dir vlo_cell_dir(unsigned int cell)
{
	return cell / (VLO_NR_AFS * VLO_NR_PROTOS);
}

/*
 * The hooks run in process context (LOCAL_OUT) and in softirq, on any CPU.
 * An update is safe from a softirq on the same CPU: a no-op seqcount on
 * 64-bit, where each counter is a local64_t; interrupts off on 32-bit.
 */
static void vlo_cells_add(struct vlo_acct_cpu *c, unsigned int cell,
			  unsigned int len)
{
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&c->syncp);
	u64_stats_inc(&c->cell[cell].packets);
	u64_stats_add(&c->cell[cell].bytes, len);
	u64_stats_update_end_irqrestore(&c->syncp, flags);
}

static void vlo_tot_add(struct vlo_acct_tot *t, enum vlo_dir dir,
			unsigned int len)
{
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&t->syncp);
	u64_stats_inc(&t->dir[dir].packets);
	u64_stats_add(&t->dir[dir].bytes, len);
	u64_stats_update_end_irqrestore(&t->syncp, flags);
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
static void vlo_count(struct vlo_addr *va, unsigned int cell, unsigned int len)
{
	struct vlo_priv *vp = va->vp;

	if (!READ_ONCE(vp->accounting))
		return;
	preempt_disable();
	vlo_cells_add(this_cpu_ptr(vp->acct), cell, len);
	if (va->split)
		vlo_cells_add(this_cpu_ptr(va->cells), cell, len);
	else
		vlo_tot_add(this_cpu_ptr(va->tot), vlo_cell_dir(cell), len);
	preempt_enable();
}

static enum vlo_dir vlo_hook_dir(const struct nf_hook_state *state)
{
	return state->hook == NF_INET_LOCAL_IN ? VLO_DIR_IN : VLO_DIR_OUT;
}

/*
 * A VRF runs LOCAL_OUT twice on a packet that leaves through one of its
 * ports: first with the VRF device as the output device and a route that
 * is not local (the port's, or the VRF's own redirect route), then again
 * with the port. Only the second pass counts. Traffic to a local address
 * in a VRF passes once, with the VRF device over a local route.
 */
static bool vlo_vrf_first_pass(const struct nf_hook_state *state)
{
	return state->hook == NF_INET_LOCAL_OUT && state->out &&
	       netif_is_l3_master(state->out);
}

static bool vlo_vrf_skip4(const struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	const struct rtable *rt;

	if (!vlo_vrf_first_pass(state))
		return false;
	rt = skb_rtable(skb);
	return !rt || !(rt->rt_flags & RTCF_LOCAL);
}

static bool vlo_vrf_skip6(const struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	const struct rt6_info *rt;

	if (!vlo_vrf_first_pass(state))
		return false;
	rt = (const struct rt6_info *)skb_dst(skb);
	return !rt || !(rt->rt6i_flags & (RTF_LOCAL | RTF_ANYCAST));
}

static unsigned int vlo_hook4(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct vlo_net *vn = priv;
	const struct iphdr *iph;
	struct rhlist_head *list, *pos;
	struct vlo_addr *va;
	enum vlo_dir dir;
	unsigned int cell;
	const __be32 *addr;

	if (!READ_ONCE(vn->naddrs[VLO_AF_IPV4]))
		return NF_ACCEPT;

	iph = ip_hdr(skb);
	dir = vlo_hook_dir(state);
	addr = dir == VLO_DIR_IN ? &iph->daddr : &iph->saddr;
	/*
	 * Traffic to 127.0.0.1 is most of what passes here and is not vlo's,
	 * unless a vlo device holds a loopback address: skip its lookup.
	 */
	if (ipv4_is_loopback(*addr) && !READ_ONCE(vn->nloop4))
		return NF_ACCEPT;
	list = rhltable_lookup(&vn->addrs[VLO_AF_IPV4], addr, vlo_params4);
	if (!list || vlo_vrf_skip4(skb, state))
		return NF_ACCEPT;

	cell = vlo_cell(dir, VLO_AF_IPV4, iph->protocol);
	rhl_for_each_entry_rcu(va, pos, list, node)
		vlo_count(va, cell, skb->len);
	return NF_ACCEPT;
}

/*
 * The upper-layer protocol as nft's meta l4proto sees it: the same walk of
 * the extension headers, which for a fragment other than the first gives
 * the protocol its fragment header names. A packet nft cannot classify
 * (malformed, or an extension header after a non-first fragment header)
 * matches no l4proto rule there; here it counts as other.
 */
static u8 vlo_l4proto6(const struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	unsigned int off = 0;
	int proto;

	if (!ipv6_ext_hdr(nexthdr))
		return nexthdr;
	proto = ipv6_find_hdr(skb, &off, -1, NULL, NULL);
	return proto < 0 ? NEXTHDR_NONE : proto;
}

static unsigned int vlo_hook6(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct vlo_net *vn = priv;
	const struct ipv6hdr *ip6h;
	struct rhlist_head *list, *pos;
	const struct in6_addr *addr;
	struct vlo_addr *va;
	enum vlo_dir dir;
	unsigned int cell;

	if (!READ_ONCE(vn->naddrs[VLO_AF_IPV6]))
		return NF_ACCEPT;

	ip6h = ipv6_hdr(skb);
	dir = vlo_hook_dir(state);
	addr = dir == VLO_DIR_IN ? &ip6h->daddr : &ip6h->saddr;
	/* ::1 is lo's alone: addrconf refuses it on any other device */
	if (ipv6_addr_loopback(addr))
		return NF_ACCEPT;
	list = rhltable_lookup(&vn->addrs[VLO_AF_IPV6], addr, vlo_params6);
	if (!list || vlo_vrf_skip6(skb, state))
		return NF_ACCEPT;

	cell = vlo_cell(dir, VLO_AF_IPV6, vlo_l4proto6(skb));
	rhl_for_each_entry_rcu(va, pos, list, node)
		vlo_count(va, cell, skb->len);
	return NF_ACCEPT;
}

/*
 * Last priority: count what the firewall let through, i.e. what reached the
 * sockets (LOCAL_IN) and what left them for the routing layer (LOCAL_OUT).
 */
static const struct nf_hook_ops vlo_hook_ops[] = {
	{
		.hook		= vlo_hook4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_LAST,
	},
	{
		.hook		= vlo_hook4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_LAST,
	},
	{
		.hook		= vlo_hook6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_LAST,
	},
	{
		.hook		= vlo_hook6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_LAST,
	},
};

static int vlo_table_insert(struct vlo_net *vn, struct vlo_addr *va)
{
	if (va->af == VLO_AF_IPV4)
		return rhltable_insert(&vn->addrs[va->af], &va->node, vlo_params4);
	return rhltable_insert(&vn->addrs[va->af], &va->node, vlo_params6);
}

static void vlo_table_remove(struct vlo_net *vn, struct vlo_addr *va)
{
	if (va->af == VLO_AF_IPV4)
		rhltable_remove(&vn->addrs[va->af], &va->node, vlo_params4);
	else
		rhltable_remove(&vn->addrs[va->af], &va->node, vlo_params6);
}

static size_t vlo_key_len(u8 af)
{
	return af == VLO_AF_IPV4 ? sizeof(__be32) : sizeof(struct in6_addr);
}

/* The order of a device's addresses, and of dumps: family, then address. */
static int vlo_key_cmp(u8 af, const void *key, const struct vlo_addr *va)
{
	if (af != va->af)
		return af < va->af ? -1 : 1;
	return memcmp(key, &va->key, vlo_key_len(af));
}

/*
 * @vp's first entry after (@af, @key), or its entry for exactly that key
 * if @exact; @key NULL: its first entry. Called with vn->lock held.
 */
static struct vlo_addr *vlo_addr_seek(struct vlo_priv *vp, u8 af,
				      const void *key, bool exact)
{
	struct rb_node *n = vp->addrs.rb_node;
	struct vlo_addr *va, *next = NULL;
	int cmp;

	if (!key) {
		n = rb_first(&vp->addrs);
		return n ? rb_entry(n, struct vlo_addr, dev_node) : NULL;
	}
	while (n) {
		va = rb_entry(n, struct vlo_addr, dev_node);
		cmp = vlo_key_cmp(af, key, va);
		if (cmp < 0) {
			next = va;
			n = n->rb_left;
		} else if (cmp > 0) {
			n = n->rb_right;
		} else {
			if (exact)
				return va;
			n = rb_next(n);
			return n ? rb_entry(n, struct vlo_addr, dev_node) : NULL;
		}
	}
	return exact ? NULL : next;
}

/* @vp's entry for @key, or NULL. Called with vn->lock held. */
static struct vlo_addr *vlo_addr_find(struct vlo_priv *vp, enum vlo_af af,
				      const void *key)
{
	return vlo_addr_seek(vp, af, key, true);
}

static void vlo_addr_link(struct vlo_priv *vp, struct vlo_addr *va)
{
	struct rb_node **link = &vp->addrs.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (vlo_key_cmp(va->af, &va->key,
				rb_entry(parent, struct vlo_addr, dev_node)) < 0)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&va->dev_node, parent, link);
	rb_insert_color(&va->dev_node, &vp->addrs);
	vp->naddrs++;
}

static void vlo_addr_free(struct vlo_addr *va)
{
	if (va)
		free_percpu(va->split ? (void __percpu *)va->cells :
			    (void __percpu *)va->tot);
	kfree(va);
}

static bool vlo_addr_loop4(const struct vlo_addr *va)
{
	return va->af == VLO_AF_IPV4 && ipv4_is_loopback(va->key.v4);
}

static void vlo_addr_free_rcu(struct rcu_head *head)
{
	vlo_addr_free(container_of(head, struct vlo_addr, rcu));
}

static void vlo_hooks_update(struct vlo_net *vn)
{
	if (!READ_ONCE(vn->dying))
		schedule_work(&vn->hook_work);
}

/* Called with vn->lock held. */
static void vlo_addr_unlink(struct vlo_net *vn, struct vlo_addr *va)
{
	struct vlo_priv *vp = va->vp;

	vlo_table_remove(vn, va);
	rb_erase(&va->dev_node, &vp->addrs);
	vp->naddrs--;
	WRITE_ONCE(vn->naddrs[va->af], vn->naddrs[va->af] - 1);
	if (vlo_addr_loop4(va))
		WRITE_ONCE(vn->nloop4, vn->nloop4 - 1);
	vn->gen++;
	if (!vn->naddrs[VLO_AF_IPV4] && !vn->naddrs[VLO_AF_IPV6])
		vlo_hooks_update(vn);
	/* the hooks may still be walking the entry */
	call_rcu(&va->rcu, vlo_addr_free_rcu);
}

/*
 * Registers the namespace's hooks if @want and they are not, unregisters
 * them if not @want and they are. Sleeps.
 */
static int vlo_hooks_set(struct vlo_net *vn, bool want)
{
	int err = 0;

	mutex_lock(&vn->hook_mutex);
	if (vn->dying || want == vn->hooked)
		goto out;
	if (want)
		err = nf_register_net_hooks(vn->net, vn->ops,
					    ARRAY_SIZE(vn->ops));
	else
		nf_unregister_net_hooks(vn->net, vn->ops, ARRAY_SIZE(vn->ops));
	if (!err)
		vn->hooked = want;
out:
	mutex_unlock(&vn->hook_mutex);
	return err;
}

/*
 * Brings the hooks in line with the namespace's addresses: after the last
 * address went, after an address that came without a validator (the IPv6
 * notifier is atomic), and after a validator registered them for an address
 * that may then have failed. Addresses change under RTNL, so under RTNL the
 * count is final.
 */
static void vlo_hooks_work(struct work_struct *work)
{
	struct vlo_net *vn = container_of(work, struct vlo_net, hook_work);
	bool want;
	int err;

	rtnl_lock();
	want = READ_ONCE(vn->naddrs[VLO_AF_IPV4]) ||
	       READ_ONCE(vn->naddrs[VLO_AF_IPV6]);
	err = vlo_hooks_set(vn, want);
	rtnl_unlock();
	if (err)
		pr_err("vlo: cannot register the accounting hooks (error %d): addresses are not counted\n",
		       err);
}

/*
 * The address notifiers cannot refuse an address, and IPv6's runs in atomic
 * context. The validators run before them, under RTNL and free to sleep:
 * they allocate the entry the notifier takes, or refuse the address, so an
 * address on a vlo device is counted or not there at all. Only addresses
 * the kernel adds without a validator (IPv6 autoconf) fall back to
 * GFP_ATOMIC here.
 */
static struct vlo_addr *vlo_addr_alloc(bool split, gfp_t gfp)
{
	struct vlo_addr *va = kzalloc(sizeof(*va), gfp);

	if (!va)
		return NULL;
	va->split = split;
	if (split)
		va->cells = alloc_percpu_gfp(struct vlo_acct_cpu,
					     gfp | __GFP_ZERO);
	else
		va->tot = alloc_percpu_gfp(struct vlo_acct_tot,
					   gfp | __GFP_ZERO);
	if (!va->tot) {
		kfree(va);
		return NULL;
	}
	return va;
}

/*
 * The validators also register the namespace's hooks, so that the first
 * packet of a new address is counted: they may sleep, the IPv6 address
 * notifier may not.
 */
static int vlo_addr_reserve(struct vlo_priv *vp,
			    struct netlink_ext_ack *extack)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	bool split = READ_ONCE(vp->addr_split);
	struct vlo_addr *va;
	int err;

	/* a spare left from before the split was switched does not fit */
	va = READ_ONCE(vp->spare);
	if (va && va->split != split && cmpxchg(&vp->spare, va, NULL) == va)
		vlo_addr_free(va);
	if (!READ_ONCE(vp->spare)) {
		va = vlo_addr_alloc(split, GFP_KERNEL);
		if (!va) {
			NL_SET_ERR_MSG(extack, "vlo: no memory to account the address");
			return notifier_from_errno(-ENOMEM);
		}
		if (cmpxchg(&vp->spare, NULL, va))
			vlo_addr_free(va);
	}
	if (READ_ONCE(vn->hooked))
		return NOTIFY_DONE;
	err = vlo_hooks_set(vn, true);
	if (err) {
		NL_SET_ERR_MSG(extack, "vlo: cannot register the accounting hooks");
		return notifier_from_errno(err);
	}
	/* in case the address fails after its validation */
	vlo_hooks_update(vn);
	return NOTIFY_DONE;
}

/* Gives an unused entry back as the spare, or frees it. */
static void vlo_addr_put_spare(struct vlo_priv *vp, struct vlo_addr *va)
{
	struct vlo_acct_tot __percpu *tot = va->tot;
	bool split = va->split;

	/* never counted: its counters are still zero */
	memset(va, 0, sizeof(*va));
	va->tot = tot;
	va->split = split;
	if (cmpxchg(&vp->spare, NULL, va))
		vlo_addr_free(va);
}

/* Adds @vp's entry for @key, or updates its prefix lengths if it has one. */
static void vlo_addr_add(struct vlo_priv *vp, enum vlo_af af, const void *key,
			 u64 plens)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr *va, *old;
	int err;

	va = xchg(&vp->spare, NULL);
	if (va && va->split != READ_ONCE(vp->addr_split)) {
		vlo_addr_free(va);
		va = NULL;
	}
	if (!va)
		va = vlo_addr_alloc(READ_ONCE(vp->addr_split), GFP_ATOMIC);
	if (!va) {
		err = -ENOMEM;
		goto fail;
	}
	va->vp = vp;
	va->af = af;
	va->plens = plens;
	memcpy(&va->key, key, vlo_key_len(af));

	spin_lock_bh(&vn->lock);
	/*
	 * A second prefix length for an IPv4 address, or a promoted secondary
	 * announced again with NETDEV_UP: the device holds the address once.
	 */
	old = vlo_addr_find(vp, af, key);
	if (old) {
		WRITE_ONCE(old->plens, plens);
		vn->gen++;
		spin_unlock_bh(&vn->lock);
		vlo_addr_put_spare(vp, va);
		return;
	}
	/* before the entry can be found: its first packet is looked up */
	if (vlo_addr_loop4(va))
		WRITE_ONCE(vn->nloop4, vn->nloop4 + 1);
	err = vlo_table_insert(vn, va);
	if (!err) {
		vlo_addr_link(vp, va);
		WRITE_ONCE(vn->naddrs[af], vn->naddrs[af] + 1);
		vn->gen++;
	} else if (vlo_addr_loop4(va)) {
		WRITE_ONCE(vn->nloop4, vn->nloop4 - 1);
	}
	spin_unlock_bh(&vn->lock);
	if (!err) {
		if (!READ_ONCE(vn->hooked))
			vlo_hooks_update(vn);
		return;
	}
	vlo_addr_put_spare(vp, va);
fail:
	netdev_err(vp->dev, "cannot account a new address (error %d): its traffic will not be counted\n",
		   err);
}

/* Drops @vp's entry for @key if @plens is 0, else keeps it with @plens. */
static void vlo_addr_del(struct vlo_priv *vp, enum vlo_af af, const void *key,
			 u64 plens)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr *va;

	spin_lock_bh(&vn->lock);
	va = vlo_addr_find(vp, af, key);
	if (va && plens) {
		WRITE_ONCE(va->plens, plens);
		vn->gen++;
	} else if (va) {
		vlo_addr_unlink(vn, va);
	}
	spin_unlock_bh(&vn->lock);
}

/*
 * One IPv4 address may be on a device several times, with different prefix
 * lengths (10.0.0.1/24 and 10.0.0.1/32). The device keeps its one entry
 * until the last of them goes: at NETDEV_UP the new in_ifaddr is on the
 * device's list, at NETDEV_DOWN the departing one is already off it, so the
 * list gives the prefix lengths the address is held with, none once it has
 * gone.
 */
static u64 vlo_inet_plens(const struct in_device *in_dev, __be32 addr)
{
	const struct in_ifaddr *ifa;
	u64 plens = 0;

	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		if (ifa->ifa_local == addr)
			plens |= BIT_ULL(ifa->ifa_prefixlen);
	return plens;
}

static int vlo_inetaddr_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	const struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;
	u64 plens;

	if (!netif_is_vlo(dev))
		return NOTIFY_DONE;

	plens = vlo_inet_plens(ifa->ifa_dev, ifa->ifa_local);
	if (event == NETDEV_UP)
		vlo_addr_add(netdev_priv(dev), VLO_AF_IPV4, &ifa->ifa_local,
			     plens | BIT_ULL(ifa->ifa_prefixlen));
	else if (event == NETDEV_DOWN)
		vlo_addr_del(netdev_priv(dev), VLO_AF_IPV4, &ifa->ifa_local,
			     plens);
	return NOTIFY_DONE;
}

/*
 * The link-local address every vlo device gets (addrgen.c) is the device's
 * own, not a service's: like any link-local address, it is not accounted.
 */
static bool vlo_inet6_accounted(const struct in6_addr *addr)
{
	return !(ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL);
}

static int vlo_inet6addr_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	const struct inet6_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->idev->dev;

	if (!netif_is_vlo(dev) || !vlo_inet6_accounted(&ifa->addr))
		return NOTIFY_DONE;

	if (event == NETDEV_UP)
		vlo_addr_add(netdev_priv(dev), VLO_AF_IPV6, &ifa->addr,
			     ifa->prefix_len);
	else if (event == NETDEV_DOWN)
		vlo_addr_del(netdev_priv(dev), VLO_AF_IPV6, &ifa->addr, 0);
	return NOTIFY_DONE;
}

static int vlo_inetaddr_validate(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	const struct in_validator_info *ivi = ptr;
	struct net_device *dev = ivi->ivi_dev->dev;

	if (event != NETDEV_UP || !netif_is_vlo(dev))
		return NOTIFY_DONE;
	return vlo_addr_reserve(netdev_priv(dev), ivi->extack);
}

static int vlo_inet6addr_validate(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	const struct in6_validator_info *i6vi = ptr;
	struct net_device *dev = i6vi->i6vi_dev->dev;

	if (event != NETDEV_UP || !netif_is_vlo(dev) ||
	    !vlo_inet6_accounted(&i6vi->i6vi_addr))
		return NOTIFY_DONE;
	return vlo_addr_reserve(netdev_priv(dev), i6vi->extack);
}

static struct notifier_block vlo_inetaddr_validator = {
	.notifier_call = vlo_inetaddr_validate,
};

static struct notifier_block vlo_inet6addr_validator = {
	.notifier_call = vlo_inet6addr_validate,
};

static struct notifier_block vlo_inetaddr_notifier = {
	.notifier_call = vlo_inetaddr_event,
};

static struct notifier_block vlo_inet6addr_notifier = {
	.notifier_call = vlo_inet6addr_event,
};

void vlo_acct_dev_init(struct vlo_priv *vp)
{
	vp->addrs = RB_ROOT;
	vp->naddrs = 0;
}

/* Called when the device is freed. */
void vlo_acct_dev_destroy(struct vlo_priv *vp)
{
	vlo_addr_free(vp->spare);
	vp->spare = NULL;
}

/*
 * The address notifiers have normally emptied the device's list by the time
 * it leaves its namespace (NETDEV_UNREGISTER, also sent on a move); drop
 * whatever is left so that no entry outlives the device.
 */
void vlo_acct_dev_flush(struct vlo_priv *vp)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct rb_node *n;

	spin_lock_bh(&vn->lock);
	while ((n = rb_first(&vp->addrs)))
		vlo_addr_unlink(vn, rb_entry(n, struct vlo_addr, dev_node));
	vn->gen++;
	spin_unlock_bh(&vn->lock);
}

/*
 * One reading of a block's counters: every cell of a device's (or a split
 * address's) block, or an address's totals, by direction.
 */
struct vlo_snap {
	u64 packets[VLO_NR_CELLS];
	u64 bytes[VLO_NR_CELLS];
};

static void vlo_cells_sum(struct vlo_acct_cpu __percpu *acct,
			  struct vlo_snap *s)
{
	struct vlo_snap c;
	unsigned int start, i;
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct vlo_acct_cpu *p = per_cpu_ptr(acct, cpu);

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			for (i = 0; i < VLO_NR_CELLS; i++) {
				c.packets[i] = u64_stats_read(&p->cell[i].packets);
				c.bytes[i] = u64_stats_read(&p->cell[i].bytes);
			}
		} while (u64_stats_fetch_retry(&p->syncp, start));

		for (i = 0; i < VLO_NR_CELLS; i++) {
			s->packets[i] += c.packets[i];
			s->bytes[i] += c.bytes[i];
		}
	}
}

static void vlo_tot_sum(struct vlo_acct_tot __percpu *tot, struct vlo_snap *s)
{
	u64 packets[VLO_NR_DIRS], bytes[VLO_NR_DIRS];
	unsigned int start, dir;
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct vlo_acct_tot *t = per_cpu_ptr(tot, cpu);

		do {
			start = u64_stats_fetch_begin(&t->syncp);
			for (dir = 0; dir < VLO_NR_DIRS; dir++) {
				packets[dir] = u64_stats_read(&t->dir[dir].packets);
				bytes[dir] = u64_stats_read(&t->dir[dir].bytes);
			}
		} while (u64_stats_fetch_retry(&t->syncp, start));

		for (dir = 0; dir < VLO_NR_DIRS; dir++) {
			s->packets[dir] += packets[dir];
			s->bytes[dir] += bytes[dir];
		}
	}
}

/* @counters (VLO_NR_COUNTERS values) in the order of vlo_acct_names. */
static void vlo_cells_fill(u64 *counters, const struct vlo_snap *s)
{
	unsigned int i, dir;

	memset(counters, 0, VLO_NR_TOTALS * sizeof(*counters));
	for (i = 0; i < VLO_NR_CELLS; i++) {
		dir = vlo_cell_dir(i);
		counters[2 * dir] += s->packets[i];
		counters[2 * dir + 1] += s->bytes[i];
		counters[VLO_NR_TOTALS + 2 * i] = s->packets[i];
		counters[VLO_NR_TOTALS + 2 * i + 1] = s->bytes[i];
	}
}

/* The same from an address's totals: the split is left at zero. */
static void vlo_tot_fill(u64 *counters, const struct vlo_snap *s)
{
	unsigned int dir;

	memset(counters, 0, VLO_NR_COUNTERS * sizeof(*counters));
	for (dir = 0; dir < VLO_NR_DIRS; dir++) {
		counters[2 * dir] = s->packets[dir];
		counters[2 * dir + 1] = s->bytes[dir];
	}
}

/*
 * Exact read-and-zero without stopping the writers: take each CPU's value
 * and subtract the sum from this CPU's counter. An increment made after its
 * CPU was read stays counted; one made before is taken away exactly once,
 * and is in what the caller gets. Called with vlo_acct_lock held.
 */
static void vlo_cells_sub(struct vlo_acct_cpu __percpu *acct,
			  const struct vlo_snap *s)
{
	struct vlo_acct_cpu *c;
	unsigned int i;

	local_bh_disable();
	c = this_cpu_ptr(acct);
	u64_stats_update_begin(&c->syncp);
	for (i = 0; i < VLO_NR_CELLS; i++) {
		u64_stats_set(&c->cell[i].packets,
			      u64_stats_read(&c->cell[i].packets) - s->packets[i]);
		u64_stats_set(&c->cell[i].bytes,
			      u64_stats_read(&c->cell[i].bytes) - s->bytes[i]);
	}
	u64_stats_update_end(&c->syncp);
	local_bh_enable();
}

static void vlo_tot_sub(struct vlo_acct_tot __percpu *tot,
			const struct vlo_snap *s)
{
	struct vlo_acct_tot *t;
	unsigned int dir;

	local_bh_disable();
	t = this_cpu_ptr(tot);
	u64_stats_update_begin(&t->syncp);
	for (dir = 0; dir < VLO_NR_DIRS; dir++) {
		u64_stats_set(&t->dir[dir].packets,
			      u64_stats_read(&t->dir[dir].packets) - s->packets[dir]);
		u64_stats_set(&t->dir[dir].bytes,
			      u64_stats_read(&t->dir[dir].bytes) - s->bytes[dir]);
	}
	u64_stats_update_end(&t->syncp);
	local_bh_enable();
}

/* An address's counters, whichever block it has. */
static void vlo_addr_sum(const struct vlo_addr *va, struct vlo_snap *s)
{
	if (va->split)
		vlo_cells_sum(va->cells, s);
	else
		vlo_tot_sum(va->tot, s);
}

static void vlo_addr_fill(const struct vlo_addr *va, u64 *counters,
			  const struct vlo_snap *s)
{
	if (va->split)
		vlo_cells_fill(counters, s);
	else
		vlo_tot_fill(counters, s);
}

static void vlo_addr_sub(const struct vlo_addr *va, const struct vlo_snap *s)
{
	if (va->split)
		vlo_cells_sub(va->cells, s);
	else
		vlo_tot_sub(va->tot, s);
}

/*
 * @counters of the address (NULL: not wanted), taken away if @zero. Called
 * with vlo_acct_lock held.
 */
static void vlo_addr_take(const struct vlo_addr *va, u64 *counters, bool zero)
{
	struct vlo_snap s;

	vlo_addr_sum(va, &s);
	if (counters)
		vlo_addr_fill(va, counters, &s);
	if (zero)
		vlo_addr_sub(va, &s);
}

/* The same for the device's counters. */
static void vlo_dev_take(struct vlo_priv *vp, u64 *counters, bool zero)
{
	struct vlo_snap s;

	vlo_cells_sum(vp->acct, &s);
	if (counters)
		vlo_cells_fill(counters, &s);
	if (zero)
		vlo_cells_sub(vp->acct, &s);
}

/* Fills @counters (VLO_NR_COUNTERS values) in the order of vlo_acct_names. */
void vlo_acct_read(struct vlo_priv *vp, u64 *counters)
{
	spin_lock_bh(&vlo_acct_lock);
	vlo_dev_take(vp, counters, false);
	spin_unlock_bh(&vlo_acct_lock);
}

/*
 * Read-and-zero of the device's counters and of each of its addresses',
 * all at one instant for readers. @counters (or NULL) gets the device's.
 */
void vlo_acct_zero(struct vlo_priv *vp, u64 *counters)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct rb_node *n;

	spin_lock_bh(&vn->lock);
	spin_lock(&vlo_acct_lock);
	vlo_dev_take(vp, counters, true);
	for (n = rb_first(&vp->addrs); n; n = rb_next(n))
		vlo_addr_take(rb_entry(n, struct vlo_addr, dev_node), NULL,
			      true);
	spin_unlock(&vlo_acct_lock);
	spin_unlock_bh(&vn->lock);
}

void vlo_acct_reset(struct vlo_priv *vp)
{
	vlo_acct_zero(vp, NULL);
}

static void vlo_addr_info(const struct vlo_addr *va, struct vlo_addr_info *ai)
{
	ai->af = va->af == VLO_AF_IPV4 ? AF_INET : AF_INET6;
	memcpy(&ai->addr, &va->key, vlo_key_len(va->af));
	ai->plens = READ_ONCE(va->plens);
	ai->split = va->split;
}

/*
 * Calls @fn for @vp's addresses in (family, address) order, from the first
 * after @after (from the first if @after is NULL), with each one's counters,
 * until @fn returns nonzero, which it returns. With @zero, an address's
 * counters are taken away once @fn accepted them (returned 0): exactly what
 * it was given. @fn runs under spinlocks and must not sleep.
 */
int vlo_acct_addr_walk(struct vlo_priv *vp, const struct vlo_addr_info *after,
		       bool zero, int (*fn)(const struct vlo_addr_info *ai,
					    void *arg),
		       void *arg)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr_info ai;
	struct vlo_addr *va;
	struct vlo_snap s;
	struct rb_node *n;
	int ret = 0;

	spin_lock_bh(&vn->lock);
	va = after ? vlo_addr_seek(vp, after->af == AF_INET ? VLO_AF_IPV4 :
				   VLO_AF_IPV6, &after->addr, false) :
		     vlo_addr_seek(vp, 0, NULL, false);
	spin_lock(&vlo_acct_lock);
	for (n = va ? &va->dev_node : NULL; n && !ret; n = rb_next(n)) {
		va = rb_entry(n, struct vlo_addr, dev_node);
		vlo_addr_info(va, &ai);
		vlo_addr_sum(va, &s);
		vlo_addr_fill(va, ai.counters, &s);
		ret = fn(&ai, arg);
		if (!ret && zero)
			vlo_addr_sub(va, &s);
	}
	spin_unlock(&vlo_acct_lock);
	spin_unlock_bh(&vn->lock);
	return ret;
}

/* The address's counters (taken away if @zero), or -ENOENT. */
int vlo_acct_addr_get(struct vlo_priv *vp, struct vlo_addr_info *ai,
		      bool zero)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr *va;
	int err = -ENOENT;

	spin_lock_bh(&vn->lock);
	va = vlo_addr_find(vp, ai->af == AF_INET ? VLO_AF_IPV4 : VLO_AF_IPV6,
			   &ai->addr);
	if (va) {
		vlo_addr_info(va, ai);
		spin_lock(&vlo_acct_lock);
		vlo_addr_take(va, ai->counters, zero);
		spin_unlock(&vlo_acct_lock);
		err = 0;
	}
	spin_unlock_bh(&vn->lock);
	return err;
}

/* The namespace's dump generation: changes whenever its addresses do. */
unsigned int vlo_acct_gen(const struct net *net)
{
	return READ_ONCE(((struct vlo_net *)net_generic(net, vlo_net_id))->gen);
}

void vlo_acct_set(struct vlo_priv *vp, bool on)
{
	WRITE_ONCE(vp->accounting, on);
}

bool vlo_acct_get(const struct vlo_priv *vp)
{
	return READ_ONCE(vp->accounting);
}

/*
 * The per-address split (IFLA_VLO_ADDR_SPLIT) changes only while the
 * device holds no address: an address's block is sized for it when the
 * address comes, and past totals cannot be split after the fact. Called
 * under RTNL, as addresses are added (IPv6 autoconf aside, whose entry
 * then keeps the block it was given: every entry knows its own).
 */
int vlo_acct_split_check(const struct vlo_priv *vp, bool on,
			 struct netlink_ext_ack *extack)
{
	if (on == READ_ONCE(vp->addr_split) || !READ_ONCE(vp->naddrs))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "vlo: addr-split changes only while the device has no addresses");
	return -EBUSY;
}

void vlo_acct_split_set(struct vlo_priv *vp, bool on)
{
	WRITE_ONCE(vp->addr_split, on);
}

bool vlo_acct_split_get(const struct vlo_priv *vp)
{
	return READ_ONCE(vp->addr_split);
}

/* Built from linux/vlo.h's lists, as the ip plugin's and vloctl's are. */
const char vlo_acct_names[][ETH_GSTRING_LEN] = { VLO_CTR_NAMES };
static_assert(ARRAY_SIZE(vlo_acct_names) == VLO_NR_COUNTERS);

static int vlo_acct_device_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER && netif_is_vlo(dev))
		vlo_acct_dev_flush(netdev_priv(dev));
	return NOTIFY_DONE;
}

/* after devinet and addrconf, which drop the device's addresses first */
static struct notifier_block vlo_acct_netdev_notifier = {
	.notifier_call	= vlo_acct_device_event,
	.priority	= ADDRCONF_NOTIFY_PRIORITY - 1,
};

/* A namespace starts without vlo addresses, so without vlo's hooks. */
static int __net_init vlo_net_init(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);
	unsigned int i;
	int err;

	vn->net = net;
	/* dumps treat a generation of 0 as "not started" */
	vn->gen = 1;
	spin_lock_init(&vn->lock);
	mutex_init(&vn->hook_mutex);
	INIT_WORK(&vn->hook_work, vlo_hooks_work);
	err = rhltable_init(&vn->addrs[VLO_AF_IPV4], &vlo_params4);
	if (err)
		return err;
	err = rhltable_init(&vn->addrs[VLO_AF_IPV6], &vlo_params6);
	if (err) {
		rhltable_destroy(&vn->addrs[VLO_AF_IPV4]);
		return err;
	}

	BUILD_BUG_ON(ARRAY_SIZE(vlo_hook_ops) != ARRAY_SIZE(vn->ops));
	memcpy(vn->ops, vlo_hook_ops, sizeof(vn->ops));
	for (i = 0; i < ARRAY_SIZE(vn->ops); i++)
		vn->ops[i].priv = vn;
	return 0;
}

static void __net_exit vlo_net_pre_exit(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);

	mutex_lock(&vn->hook_mutex);
	if (vn->hooked)
		nf_unregister_net_hooks(net, vn->ops, ARRAY_SIZE(vn->ops));
	vn->hooked = false;
	WRITE_ONCE(vn->dying, true);
	mutex_unlock(&vn->hook_mutex);
}

static void vlo_addr_free_one(void *ptr, void *arg)
{
	vlo_addr_free(ptr);
}

/*
 * The namespace's devices are gone and, between pre_exit and exit, the core
 * waited for an RCU grace period: no hook can still be reading the tables.
 * Their removal may have queued the hook work after pre_exit.
 */
static void __net_exit vlo_net_exit(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);

	cancel_work_sync(&vn->hook_work);
	rhltable_free_and_destroy(&vn->addrs[VLO_AF_IPV4], vlo_addr_free_one,
				  NULL);
	rhltable_free_and_destroy(&vn->addrs[VLO_AF_IPV6], vlo_addr_free_one,
				  NULL);
}

static struct pernet_operations vlo_net_ops = {
	.init		= vlo_net_init,
	.pre_exit	= vlo_net_pre_exit,
	.exit		= vlo_net_exit,
	.id		= &vlo_net_id,
	.size		= sizeof(struct vlo_net),
};

int vlo_acct_init(void)
{
	int err;

	err = register_pernet_subsys(&vlo_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&vlo_acct_netdev_notifier);
	if (err)
		goto err_pernet;
	err = register_inetaddr_notifier(&vlo_inetaddr_notifier);
	if (err)
		goto err_netdev;
	err = register_inet6addr_notifier(&vlo_inet6addr_notifier);
	if (err)
		goto err_inet;
	err = register_inetaddr_validator_notifier(&vlo_inetaddr_validator);
	if (err)
		goto err_inet6;
	err = register_inet6addr_validator_notifier(&vlo_inet6addr_validator);
	if (err)
		goto err_valid;
	return 0;

err_valid:
	unregister_inetaddr_validator_notifier(&vlo_inetaddr_validator);
err_inet6:
	unregister_inet6addr_notifier(&vlo_inet6addr_notifier);
err_inet:
	unregister_inetaddr_notifier(&vlo_inetaddr_notifier);
err_netdev:
	unregister_netdevice_notifier(&vlo_acct_netdev_notifier);
err_pernet:
	unregister_pernet_subsys(&vlo_net_ops);
	return err;
}

/* Called once every vlo device is gone. */
void vlo_acct_exit(void)
{
	unregister_inet6addr_validator_notifier(&vlo_inet6addr_validator);
	unregister_inetaddr_validator_notifier(&vlo_inetaddr_validator);
	unregister_inet6addr_notifier(&vlo_inet6addr_notifier);
	unregister_inetaddr_notifier(&vlo_inetaddr_notifier);
	unregister_netdevice_notifier(&vlo_acct_netdev_notifier);
	unregister_pernet_subsys(&vlo_net_ops);
	/* entries freed after a grace period call back into this module */
	rcu_barrier();
}
