// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting's netfilter hooks. Traffic to a local address crosses lo,
 * not the device that holds the address, so vlo counts at LOCAL_IN by
 * destination address and at LOCAL_OUT by source address, one packet and
 * skb->len bytes per skb, as an nftables counter rule at the same hook
 * does. A hook looks the address up in the namespace's table (addr.c) and
 * counts the packet for each device holding it (counters.c).
 *
 * The hooks are registered in a namespace only while it has vlo addresses
 * or a carry device (whose second look at a packet, carry.c's
 * vlo_carry_reroute(), runs in the LOCAL_OUT hook), so a namespace without
 * either runs no vlo code per packet; with addresses, a hook does a single
 * hash lookup.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <net/ip6_fib.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>
#include <net/route.h>

#include "acct.h"

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

/*
 * Carry's second look (vlo_carry_reroute()) is for a packet still on lo's
 * route once the output rules have run, in a namespace with a carry device:
 * the route's device is the first test, since a carried packet has the vlo
 * device's by then, and a packet to 127.0.0.1 or ::1 never goes further
 * than the loopback test before this one.
 */
static bool vlo_may_carry(const struct vlo_net *vn, const struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	const struct dst_entry *dst = skb_dst(skb);

	return READ_ONCE(vn->carry) && dst &&
	       dst->dev == state->net->loopback_dev;
}

/*
 * The lookup and the count, out of the hooks so that what they let go
 * (traffic to 127.0.0.1) saves no registers. Flattened: with two lookups
 * in this file, GCC would otherwise make one out-of-line copy of the
 * table's lookup for both, with the hash and the compare as indirect
 * calls (about 50 more instructions a lookup).
 */
static noinline void __flatten
vlo_count4(struct vlo_net *vn, struct sk_buff *skb,
	   const struct nf_hook_state *state, const __be32 *addr,
	   enum vlo_dir dir)
{
	struct rhlist_head *list, *pos;
	struct vlo_addr *va;
	unsigned int cell;

	list = vlo_addr_lookup4(vn, addr);
	if (!list || vlo_vrf_skip4(skb, state))
		return;

	cell = vlo_cell(dir, VLO_AF_IPV4, ip_hdr(skb)->protocol);
	rhl_for_each_entry_rcu(va, pos, list, node)
		vlo_count(va, cell, skb->len);
}

/* vlo_hook4()'s count */
static __always_inline unsigned int
vlo_acct4(struct vlo_net *vn, struct sk_buff *skb,
	  const struct nf_hook_state *state, enum vlo_dir dir)
{
	const struct iphdr *iph = ip_hdr(skb);
	const __be32 *addr;

	if (!READ_ONCE(vn->naddrs[VLO_AF_IPV4]))
		return NF_ACCEPT;

	addr = dir == VLO_DIR_IN ? &iph->daddr : &iph->saddr;
	/*
	 * Traffic to 127.0.0.1 is most of what passes here and is not vlo's,
	 * unless a vlo device holds a loopback address: skip its lookup.
	 */
	if (!ipv4_is_loopback(*addr) || READ_ONCE(vn->nloop4))
		vlo_count4(vn, skb, state, addr, dir);
	return NF_ACCEPT;
}

/*
 * The upper-layer protocol as nft's meta l4proto sees it: the same walk of
 * the extension headers, which for a fragment other than the first gives
 * the protocol its fragment header names. A packet nft cannot classify
 * (malformed, or an extension header after a non-first fragment header)
 * matches no l4proto rule there; here it counts as other.
 */
static noinline u8 vlo_l4proto6_walk(const struct sk_buff *skb)
{
	unsigned int off = 0;
	int proto;

	proto = ipv6_find_hdr(skb, &off, -1, NULL, NULL);
	return proto < 0 ? NEXTHDR_NONE : proto;
}

/*
 * The common case without a call: ipv6_ext_hdr() is not inline. The walk
 * is out of line, so that its offset on the stack does not cost every
 * counted packet a stack protector's canary.
 */
static u8 vlo_l4proto6(const struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;

	if (nexthdr == IPPROTO_TCP || nexthdr == IPPROTO_UDP ||
	    nexthdr == IPPROTO_ICMPV6 || !ipv6_ext_hdr(nexthdr))
		return nexthdr;
	return vlo_l4proto6_walk(skb);
}

static noinline void __flatten
vlo_count6(struct vlo_net *vn, struct sk_buff *skb,
	   const struct nf_hook_state *state, const struct in6_addr *addr,
	   enum vlo_dir dir)
{
	struct rhlist_head *list, *pos;
	struct vlo_addr *va;
	unsigned int cell;

	list = vlo_addr_lookup6(vn, addr);
	if (!list || vlo_vrf_skip6(skb, state))
		return;

	cell = vlo_cell(dir, VLO_AF_IPV6, vlo_l4proto6(skb));
	rhl_for_each_entry_rcu(va, pos, list, node)
		vlo_count(va, cell, skb->len);
}

/* vlo_hook6()'s count */
static __always_inline unsigned int
vlo_acct6(struct vlo_net *vn, struct sk_buff *skb,
	  const struct nf_hook_state *state, enum vlo_dir dir)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct in6_addr *addr;

	if (!READ_ONCE(vn->naddrs[VLO_AF_IPV6]))
		return NF_ACCEPT;

	addr = dir == VLO_DIR_IN ? &ip6h->daddr : &ip6h->saddr;
	/* ::1 is lo's alone: addrconf refuses it on any other device */
	if (!ipv6_addr_loopback(addr))
		vlo_count6(vn, skb, state, addr, dir);
	return NF_ACCEPT;
}

/*
 * Carry's second look, then the count: out of line, so that the hooks,
 * which every packet to 127.0.0.1 passes, keep nothing across a call.
 */
static noinline unsigned int
vlo_hook_carry(struct vlo_net *vn, struct sk_buff *skb,
	       const struct nf_hook_state *state)
{
	vlo_carry_reroute(skb, state);
	if (state->pf == NFPROTO_IPV4)
		return vlo_acct4(vn, skb, state, VLO_DIR_OUT);
	return vlo_acct6(vn, skb, state, VLO_DIR_OUT);
}

static unsigned int vlo_hook4(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct vlo_net *vn = priv;
	enum vlo_dir dir = vlo_hook_dir(state);

	if (dir == VLO_DIR_OUT && !ipv4_is_loopback(ip_hdr(skb)->daddr) &&
	    vlo_may_carry(vn, skb, state))
		return vlo_hook_carry(vn, skb, state);
	return vlo_acct4(vn, skb, state, dir);
}

static unsigned int vlo_hook6(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct vlo_net *vn = priv;
	enum vlo_dir dir = vlo_hook_dir(state);

	if (dir == VLO_DIR_OUT && !ipv6_addr_loopback(&ipv6_hdr(skb)->daddr) &&
	    vlo_may_carry(vn, skb, state))
		return vlo_hook_carry(vn, skb, state);
	return vlo_acct6(vn, skb, state, dir);
}

/*
 * Last priority: count what the firewall let through, i.e. what reached the
 * sockets (LOCAL_IN) and what left them for the routing layer (LOCAL_OUT),
 * and see the route the output rules left (carry).
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

/*
 * Registers the namespace's hooks if @want and they are not, unregisters
 * them if not @want and they are. Sleeps.
 */
int vlo_hooks_set(struct vlo_net *vn, bool want)
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
 * Has the work bring the hooks in line with the addresses, unless the
 * namespace is going; any context.
 */
void vlo_hooks_update(struct vlo_net *vn)
{
	if (!READ_ONCE(vn->dying))
		schedule_work(&vn->hook_work);
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
	       READ_ONCE(vn->naddrs[VLO_AF_IPV6]) || vn->carry;
	err = vlo_hooks_set(vn, want);
	rtnl_unlock();
	if (err)
		pr_err("vlo: cannot register the accounting hooks (error %d): addresses are not counted\n",
		       err);
}

/*
 * A namespace's first carry device has the hooks registered, for carry's
 * second look; its last one lets them go with the addresses. Under RTNL.
 */
int vlo_acct_carry_get(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);
	int err;

	ASSERT_RTNL();
	err = vlo_hooks_set(vn, true);
	if (!err)
		WRITE_ONCE(vn->carry, true);
	return err;
}

void vlo_acct_carry_put(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);

	ASSERT_RTNL();
	WRITE_ONCE(vn->carry, false);
	vlo_hooks_update(vn);
}

/* A namespace starts without vlo addresses, so without vlo's hooks. */
void vlo_hooks_net_init(struct vlo_net *vn)
{
	unsigned int i;

	mutex_init(&vn->hook_mutex);
	INIT_WORK(&vn->hook_work, vlo_hooks_work);
	BUILD_BUG_ON(ARRAY_SIZE(vlo_hook_ops) != ARRAY_SIZE(vn->ops));
	memcpy(vn->ops, vlo_hook_ops, sizeof(vn->ops));
	for (i = 0; i < ARRAY_SIZE(vn->ops); i++)
		vn->ops[i].priv = vn;
}

/* Unregisters the hooks for good: the namespace is going. */
void vlo_hooks_net_pre_exit(struct vlo_net *vn)
{
	mutex_lock(&vn->hook_mutex);
	if (vn->hooked)
		nf_unregister_net_hooks(vn->net, vn->ops, ARRAY_SIZE(vn->ops));
	vn->hooked = false;
	WRITE_ONCE(vn->dying, true);
	mutex_unlock(&vn->hook_mutex);
}

/* Removing the last addresses may have queued the work after pre_exit. */
void vlo_hooks_net_exit(struct vlo_net *vn)
{
	cancel_work_sync(&vn->hook_work);
}
