// SPDX-License-Identifier: GPL-2.0
/*
 * Per-address accounting. Traffic to a local address crosses lo, not the
 * device that holds the address, so vlo counts in netfilter: at LOCAL_IN by
 * destination address, at LOCAL_OUT by source address, one packet and
 * skb->len bytes per skb, as an nftables counter rule at the same hook does.
 *
 * Each namespace keeps a hash table per family that maps an address to the
 * vlo devices holding it, fed by the address notifiers. The hooks see every
 * local packet of the host, so for a namespace without vlo addresses they
 * stop at one read, and otherwise do a single hash lookup.
 */

#include <linux/hash.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rhashtable.h>
#include <net/addrconf.h>
#include <net/ip6_fib.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>
#include <net/route.h>

#include "vlo.h"

struct vlo_addr {
	struct rhlist_head node;	/* in vlo_net.addrs[af] */
	struct list_head dev_node;	/* in vlo_priv.addrs */
	struct vlo_priv *vp;
	struct rcu_head rcu;
	u8 af;
	union {
		__be32 v4;
		struct in6_addr v6;
	} key;
};

struct vlo_net {
	struct rhltable addrs[VLO_NR_AFS];
	/* read locklessly by the hooks: zero means nothing to look up */
	unsigned int naddrs[VLO_NR_AFS];
	/* serialises changes to the tables, the counts and the device lists */
	spinlock_t lock;
	struct nf_hook_ops ops[4];
};

static unsigned int vlo_net_id __read_mostly;

/* Serialises counter reads with resets, so that a read never sees half a reset. */
static DEFINE_MUTEX(vlo_acct_mutex);

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

static const struct rhashtable_params vlo_params4 = {
	.head_offset		= offsetof(struct vlo_addr, node),
	.key_offset		= offsetof(struct vlo_addr, key.v4),
	.key_len		= sizeof(__be32),
	.hashfn			= vlo_hash4,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params vlo_params6 = {
	.head_offset		= offsetof(struct vlo_addr, node),
	.key_offset		= offsetof(struct vlo_addr, key.v6),
	.key_len		= sizeof(struct in6_addr),
	.hashfn			= vlo_hash6,
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

static void vlo_count(struct vlo_priv *vp, unsigned int cell, unsigned int len)
{
	struct vlo_acct_cpu *c;

	if (!READ_ONCE(vp->accounting))
		return;

	/* LOCAL_OUT also runs in process context: keep softirqs off this CPU */
	local_bh_disable();
	c = this_cpu_ptr(vp->acct);
	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->packets[cell]);
	u64_stats_add(&c->bytes[cell], len);
	u64_stats_update_end(&c->syncp);
	local_bh_enable();
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

	if (!READ_ONCE(vn->naddrs[VLO_AF_IPV4]))
		return NF_ACCEPT;

	iph = ip_hdr(skb);
	dir = vlo_hook_dir(state);
	list = rhltable_lookup(&vn->addrs[VLO_AF_IPV4],
			       dir == VLO_DIR_IN ? &iph->daddr : &iph->saddr,
			       vlo_params4);
	if (!list || vlo_vrf_skip4(skb, state))
		return NF_ACCEPT;

	cell = vlo_cell(dir, VLO_AF_IPV4, iph->protocol);
	rhl_for_each_entry_rcu(va, pos, list, node)
		vlo_count(va->vp, cell, skb->len);
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
	struct vlo_addr *va;
	enum vlo_dir dir;
	unsigned int cell;

	if (!READ_ONCE(vn->naddrs[VLO_AF_IPV6]))
		return NF_ACCEPT;

	ip6h = ipv6_hdr(skb);
	dir = vlo_hook_dir(state);
	list = rhltable_lookup(&vn->addrs[VLO_AF_IPV6],
			       dir == VLO_DIR_IN ? &ip6h->daddr : &ip6h->saddr,
			       vlo_params6);
	if (!list || vlo_vrf_skip6(skb, state))
		return NF_ACCEPT;

	cell = vlo_cell(dir, VLO_AF_IPV6, vlo_l4proto6(skb));
	rhl_for_each_entry_rcu(va, pos, list, node)
		vlo_count(va->vp, cell, skb->len);
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

static struct rhlist_head *vlo_table_lookup(struct vlo_net *vn,
					    enum vlo_af af, const void *key)
{
	if (af == VLO_AF_IPV4)
		return rhltable_lookup(&vn->addrs[af], key, vlo_params4);
	return rhltable_lookup(&vn->addrs[af], key, vlo_params6);
}

/* @vp's entry for @key, or NULL. Called with vn->lock held. */
static struct vlo_addr *vlo_addr_find(struct vlo_net *vn, struct vlo_priv *vp,
				      enum vlo_af af, const void *key)
{
	struct rhlist_head *list, *pos;
	struct vlo_addr *va, *found = NULL;

	rcu_read_lock();
	list = vlo_table_lookup(vn, af, key);
	rhl_for_each_entry_rcu(va, pos, list, node) {
		if (va->vp == vp) {
			found = va;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Called with vn->lock held. */
static void vlo_addr_unlink(struct vlo_net *vn, struct vlo_addr *va)
{
	vlo_table_remove(vn, va);
	list_del(&va->dev_node);
	WRITE_ONCE(vn->naddrs[va->af], vn->naddrs[va->af] - 1);
	/* the hooks may still be walking the entry */
	kfree_rcu(va, rcu);
}

/*
 * The address notifiers cannot refuse an address, and IPv6's runs in atomic
 * context. The validators run before them, under RTNL and free to sleep:
 * they allocate the entry the notifier takes, or refuse the address, so an
 * address on a vlo device is counted or not there at all. Only addresses
 * the kernel adds without a validator (IPv6 autoconf) fall back to
 * GFP_ATOMIC here.
 */
static int vlo_addr_reserve(struct vlo_priv *vp,
			    struct netlink_ext_ack *extack)
{
	struct vlo_addr *va;

	if (READ_ONCE(vp->spare))
		return NOTIFY_DONE;
	va = kzalloc(sizeof(*va), GFP_KERNEL);
	if (!va) {
		NL_SET_ERR_MSG(extack, "vlo: no memory to account the address");
		return notifier_from_errno(-ENOMEM);
	}
	if (cmpxchg(&vp->spare, NULL, va))
		kfree(va);
	return NOTIFY_DONE;
}

/* Gives an unused entry back as the spare, or frees it. */
static void vlo_addr_put_spare(struct vlo_priv *vp, struct vlo_addr *va)
{
	memset(va, 0, sizeof(*va));
	if (cmpxchg(&vp->spare, NULL, va))
		kfree(va);
}

static void vlo_addr_add(struct vlo_priv *vp, enum vlo_af af, const void *key)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr *va;
	int err;

	va = xchg(&vp->spare, NULL);
	if (!va)
		va = kzalloc(sizeof(*va), GFP_ATOMIC);
	if (!va) {
		err = -ENOMEM;
		goto fail;
	}
	va->vp = vp;
	va->af = af;
	memcpy(&va->key, key, af == VLO_AF_IPV4 ? sizeof(__be32) :
	       sizeof(struct in6_addr));

	spin_lock_bh(&vn->lock);
	/*
	 * Deleting an IPv4 primary with promote_secondaries set announces the
	 * promoted secondary again with NETDEV_UP: the device holds it once.
	 */
	if (vlo_addr_find(vn, vp, af, key)) {
		spin_unlock_bh(&vn->lock);
		vlo_addr_put_spare(vp, va);
		return;
	}
	err = vlo_table_insert(vn, va);
	if (!err) {
		list_add(&va->dev_node, &vp->addrs);
		WRITE_ONCE(vn->naddrs[af], vn->naddrs[af] + 1);
	}
	spin_unlock_bh(&vn->lock);
	if (!err)
		return;
	vlo_addr_put_spare(vp, va);
fail:
	netdev_err(vp->dev, "cannot account a new address (error %d): its traffic will not be counted\n",
		   err);
}

static void vlo_addr_del(struct vlo_priv *vp, enum vlo_af af, const void *key)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr *va;

	spin_lock_bh(&vn->lock);
	va = vlo_addr_find(vn, vp, af, key);
	if (va)
		vlo_addr_unlink(vn, va);
	spin_unlock_bh(&vn->lock);
}

/*
 * One IPv4 address may be on a device several times, with different prefix
 * lengths (10.0.0.1/24 and 10.0.0.1/32). The device keeps its one entry
 * until the last of them goes: at NETDEV_DOWN the departing in_ifaddr is
 * already off the device's list, so any that remains holds the address.
 */
static bool vlo_inet_addr_held(const struct in_device *in_dev, __be32 addr)
{
	const struct in_ifaddr *ifa;

	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		if (ifa->ifa_local == addr)
			return true;
	return false;
}

static int vlo_inetaddr_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	const struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;

	if (!netif_is_vlo(dev))
		return NOTIFY_DONE;

	if (event == NETDEV_UP)
		vlo_addr_add(netdev_priv(dev), VLO_AF_IPV4, &ifa->ifa_local);
	else if (event == NETDEV_DOWN &&
		 !vlo_inet_addr_held(ifa->ifa_dev, ifa->ifa_local))
		vlo_addr_del(netdev_priv(dev), VLO_AF_IPV4, &ifa->ifa_local);
	return NOTIFY_DONE;
}

static int vlo_inet6addr_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	const struct inet6_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->idev->dev;

	if (!netif_is_vlo(dev))
		return NOTIFY_DONE;

	if (event == NETDEV_UP)
		vlo_addr_add(netdev_priv(dev), VLO_AF_IPV6, &ifa->addr);
	else if (event == NETDEV_DOWN)
		vlo_addr_del(netdev_priv(dev), VLO_AF_IPV6, &ifa->addr);
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

	if (event != NETDEV_UP || !netif_is_vlo(dev))
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
	INIT_LIST_HEAD(&vp->addrs);
}

/* Called when the device is freed. */
void vlo_acct_dev_destroy(struct vlo_priv *vp)
{
	kfree(vp->spare);
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
	struct vlo_addr *va, *tmp;

	spin_lock_bh(&vn->lock);
	list_for_each_entry_safe(va, tmp, &vp->addrs, dev_node)
		vlo_addr_unlink(vn, va);
	spin_unlock_bh(&vn->lock);
}

static void vlo_acct_sum(struct vlo_priv *vp, u64 *packets, u64 *bytes)
{
	u64 p[VLO_NR_CELLS], b[VLO_NR_CELLS];
	unsigned int start, i;
	int cpu;

	memset(packets, 0, sizeof(p));
	memset(bytes, 0, sizeof(b));
	for_each_possible_cpu(cpu) {
		const struct vlo_acct_cpu *c = per_cpu_ptr(vp->acct, cpu);

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			for (i = 0; i < VLO_NR_CELLS; i++) {
				p[i] = u64_stats_read(&c->packets[i]);
				b[i] = u64_stats_read(&c->bytes[i]);
			}
		} while (u64_stats_fetch_retry(&c->syncp, start));

		for (i = 0; i < VLO_NR_CELLS; i++) {
			packets[i] += p[i];
			bytes[i] += b[i];
		}
	}
}

/* Fills @counters (VLO_NR_COUNTERS values) in the order of vlo_acct_names. */
void vlo_acct_read(struct vlo_priv *vp, u64 *counters)
{
	u64 packets[VLO_NR_CELLS], bytes[VLO_NR_CELLS];
	unsigned int i, dir;

	mutex_lock(&vlo_acct_mutex);
	vlo_acct_sum(vp, packets, bytes);
	mutex_unlock(&vlo_acct_mutex);

	memset(counters, 0, VLO_NR_TOTALS * sizeof(*counters));
	for (i = 0; i < VLO_NR_CELLS; i++) {
		dir = i / (VLO_NR_AFS * VLO_NR_PROTOS);
		counters[2 * dir] += packets[i];
		counters[2 * dir + 1] += bytes[i];
		counters[VLO_NR_TOTALS + 2 * i] = packets[i];
		counters[VLO_NR_TOTALS + 2 * i + 1] = bytes[i];
	}
}

/*
 * Exact reset without stopping the writers: take each CPU's value and
 * subtract the sum from this CPU's counter. An increment made after its CPU
 * was read stays counted; one made before is taken away exactly once.
 */
void vlo_acct_reset(struct vlo_priv *vp)
{
	u64 packets[VLO_NR_CELLS], bytes[VLO_NR_CELLS];
	struct vlo_acct_cpu *c;
	unsigned int i;

	mutex_lock(&vlo_acct_mutex);
	vlo_acct_sum(vp, packets, bytes);

	local_bh_disable();
	c = this_cpu_ptr(vp->acct);
	u64_stats_update_begin(&c->syncp);
	for (i = 0; i < VLO_NR_CELLS; i++) {
		u64_stats_set(&c->packets[i],
			      u64_stats_read(&c->packets[i]) - packets[i]);
		u64_stats_set(&c->bytes[i],
			      u64_stats_read(&c->bytes[i]) - bytes[i]);
	}
	u64_stats_update_end(&c->syncp);
	local_bh_enable();
	mutex_unlock(&vlo_acct_mutex);
}

void vlo_acct_set(struct vlo_priv *vp, bool on)
{
	WRITE_ONCE(vp->accounting, on);
}

bool vlo_acct_get(const struct vlo_priv *vp)
{
	return READ_ONCE(vp->accounting);
}

char vlo_acct_names[VLO_NR_COUNTERS][ETH_GSTRING_LEN];

static void vlo_acct_names_init(void)
{
	static const char * const dirs[] = { "in", "out" };
	static const char * const afs[] = { "ipv4", "ipv6" };
	static const char * const protos[] = { "icmp", "tcp", "udp", "other" };
	unsigned int dir, af, proto, n = 0;

	for (dir = 0; dir < VLO_NR_DIRS; dir++) {
		snprintf(vlo_acct_names[n++], ETH_GSTRING_LEN, "%s_packets",
			 dirs[dir]);
		snprintf(vlo_acct_names[n++], ETH_GSTRING_LEN, "%s_bytes",
			 dirs[dir]);
	}
	for (dir = 0; dir < VLO_NR_DIRS; dir++)
		for (af = 0; af < VLO_NR_AFS; af++)
			for (proto = 0; proto < VLO_NR_PROTOS; proto++) {
				snprintf(vlo_acct_names[n++], ETH_GSTRING_LEN,
					 "%s_%s_%s_packets", dirs[dir], afs[af],
					 protos[proto]);
				snprintf(vlo_acct_names[n++], ETH_GSTRING_LEN,
					 "%s_%s_%s_bytes", dirs[dir], afs[af],
					 protos[proto]);
			}
}

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

static int __net_init vlo_net_init(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);
	unsigned int i;
	int err;

	spin_lock_init(&vn->lock);
	err = rhltable_init(&vn->addrs[VLO_AF_IPV4], &vlo_params4);
	if (err)
		return err;
	err = rhltable_init(&vn->addrs[VLO_AF_IPV6], &vlo_params6);
	if (err)
		goto err_free4;

	BUILD_BUG_ON(ARRAY_SIZE(vlo_hook_ops) != ARRAY_SIZE(vn->ops));
	memcpy(vn->ops, vlo_hook_ops, sizeof(vn->ops));
	for (i = 0; i < ARRAY_SIZE(vn->ops); i++)
		vn->ops[i].priv = vn;
	err = nf_register_net_hooks(net, vn->ops, ARRAY_SIZE(vn->ops));
	if (err)
		goto err_free6;
	return 0;

err_free6:
	rhltable_destroy(&vn->addrs[VLO_AF_IPV6]);
err_free4:
	rhltable_destroy(&vn->addrs[VLO_AF_IPV4]);
	return err;
}

static void __net_exit vlo_net_pre_exit(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);

	nf_unregister_net_hooks(net, vn->ops, ARRAY_SIZE(vn->ops));
}

static void vlo_addr_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/*
 * The namespace's devices are gone and, between pre_exit and exit, the core
 * waited for an RCU grace period: no hook can still be reading the tables.
 */
static void __net_exit vlo_net_exit(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);

	rhltable_free_and_destroy(&vn->addrs[VLO_AF_IPV4], vlo_addr_free, NULL);
	rhltable_free_and_destroy(&vn->addrs[VLO_AF_IPV6], vlo_addr_free, NULL);
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

	vlo_acct_names_init();

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
}
