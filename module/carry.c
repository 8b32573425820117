// SPDX-License-Identifier: GPL-2.0
/*
 * Carry: with the switch on, what this host sends to the device's own
 * addresses crosses the device, as traffic to 127.0.0.1 crosses lo.
 *
 * The kernel routes a packet to any local address through lo (or through
 * the VRF device of its domain). A LOCAL_OUT hook that runs before all the
 * others finds such a packet whose destination is held by a carry device,
 * gives it a local-delivery route whose device is the vlo device, and makes
 * that device the output device of the rest of the pass, so that every
 * other output rule sees the packet leave there, once. The pass then goes
 * on as for any packet: dst_output() with the new route, POSTROUTING, the
 * neighbour (NOARP: the device's own address), the qdisc, vlo's xmit, and
 * back in through PREROUTING with the route kept (netif_keep_dst), so no
 * input route lookup runs (no rp_filter, no martian check) and the packet
 * goes straight to local delivery, as on lo. Conntrack keeps the entry the
 * packet got on the way out. Nothing is stolen or sent from inside the
 * hook, so what the qdisc says (NET_XMIT_DROP, NET_XMIT_CN) returns to the
 * sender through ip_local_out() as from any device.
 *
 * A second hook, after all the others, catches a packet that an OUTPUT rule
 * re-routed to a carry address (DNAT, a new mark): it only swaps the route,
 * since the output rules have run by then.
 *
 * Routes can outlive the packets they are handed to: a socket keeps the
 * route of what it received. So a device's routes are made once, when it
 * comes up with carry on, one per CPU and family (two CPUs sending never
 * share a refcount), and every one of them is released with dst_dev_put()
 * when the device goes down, leaves its namespace or carry goes off: a
 * socket still holding one then finds it dead and takes the lo path again,
 * and none holds the device.
 *
 * The hooks are registered only in namespaces that hold a device whose
 * routes exist: elsewhere carry costs nothing.
 */

#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/netlink.h>
#include <net/netns/generic.h>
#include <net/route.h>
#include <net/tcp.h>

#include "vlo.h"

struct vlo_carry_cpu {
	struct rtable *rt4;
	struct rt6_info *rt6;	/* NULL while the device has no IPv6 */
};

struct vlo_carry_dsts {
	struct vlo_carry_cpu __percpu *cpu;
	struct net *net;
	/* the IPv6 state the routes were made for (held by them), or NULL */
	const struct inet6_dev *idev;
	struct rcu_head rcu;
};

struct vlo_carry_net {
	/* devices with routes in this namespace; the hooks exist while > 0 */
	unsigned int ndevs;
};

static unsigned int vlo_carry_net_id __read_mostly;

/*
 * The owner lookup of the last destination each CPU steered or let go, per
 * family, for a sender that sends many packets to one address. It is valid
 * while neither the namespace's routes of that family nor any device's
 * carry state changed since. IPv4: rt_genid moves with every local route,
 * and each IPv4 address has one on its own device, so adding, deleting or
 * moving an address moves it too. IPv6: the FIB's serial number moves when
 * a route is added (an address's local route, once it is usable), but not
 * when one is deleted, so an IPv6 address that goes moves vlo_carry_gen
 * (vlo_carry_inet6addr_event()). vlo_carry_gen also moves when a device's
 * routes are made or released and when it joins or leaves a VRF.
 *
 * Two per CPU: one used with softirqs off (in softirq, or by a task that
 * disabled them), one by a task with them on, under preempt_disable(), so
 * that no user of a memo is ever interrupted by another user of the same.
 */
struct vlo_carry_memo {
	const struct net *net;
	union {
		__be32 v4;
		struct in6_addr v6;
	} daddr;
	int rt_genid;
	int gen;
	struct vlo_carry_cpu *c;	/* NULL: not a carry device's */
};

struct vlo_carry_memos {
	struct vlo_carry_memo v4, v6;
};

static DEFINE_PER_CPU(struct vlo_carry_memos, vlo_carry_memo_task);
static DEFINE_PER_CPU(struct vlo_carry_memos, vlo_carry_memo_bh);
static atomic_t vlo_carry_gen;

/* After a change of what vlo_carry_cpu() answers, or whom an address is. */
static void vlo_carry_changed(void)
{
	/* a CPU that sees the new generation sees the change too */
	atomic_inc_return_release(&vlo_carry_gen);
}

/*
 * What a packet passes through on its way to lo is inlined into the hooks:
 * with the calls, 64-byte UDP to a carry address ran 0.3% slower.
 *
 * The routes of @dev if it carries its traffic now. Under RCU.
 */
static __always_inline struct vlo_carry_cpu *
vlo_carry_cpu(const struct net_device *dev)
{
	const struct vlo_priv *vp;
	struct vlo_carry_dsts *dsts;

	/* a VRF port's addresses belong to the VRF device's domain */
	if (!dev || !netif_is_vlo(dev) || netif_is_l3_slave(dev))
		return NULL;
	vp = netdev_priv(dev);
	dsts = rcu_dereference(vp->carry_dsts);
	/* any CPU's route will do: this one's keeps the refcount local */
	return dsts ? raw_cpu_ptr(dsts->cpu) : NULL;
}

/*
 * vlo_carry_cpu() of the device that holds @daddr (family @family), through
 * the memo. @family is a constant: each hook gets its family's code only.
 */
static __always_inline struct vlo_carry_cpu *
vlo_carry_owner(struct net *net, const void *daddr, u8 family)
{
	bool v4 = family == NFPROTO_IPV4;
	bool task = !in_softirq();
	struct vlo_carry_memos *ms;
	struct vlo_carry_memo *m;
	struct vlo_carry_cpu *c;
	struct net_device *dev;
	int rt_genid, gen;
	bool same;

	if (task)
		preempt_disable();
	ms = task ? this_cpu_ptr(&vlo_carry_memo_task) :
		    this_cpu_ptr(&vlo_carry_memo_bh);
	m = v4 ? &ms->v4 : &ms->v6;
	/* pairs with vlo_carry_changed(): the lookup sees what gen names */
	gen = atomic_read_acquire(&vlo_carry_gen);
	rt_genid = v4 ? rt_genid_ipv4(net) : rt_genid_ipv6(net);
	same = v4 ? m->daddr.v4 == *(const __be32 *)daddr :
		    ipv6_addr_equal(&m->daddr.v6, daddr);
	if (same && m->net == net && m->gen == gen &&
	    m->rt_genid == rt_genid) {
		c = m->c;
	} else {
		dev = v4 ? __ip_dev_find(net, *(const __be32 *)daddr, false) :
			   ipv6_dev_find(net, daddr, NULL);
		c = vlo_carry_cpu(dev);
		m->net = net;
		if (v4)
			m->daddr.v4 = *(const __be32 *)daddr;
		else
			m->daddr.v6 = *(const struct in6_addr *)daddr;
		m->gen = gen;
		m->rt_genid = rt_genid;
		m->c = c;
	}
	if (task)
		preempt_enable();
	return c;
}

/*
 * The carry route for an IPv4 packet that is on its way to lo, or NULL.
 * Only the kernel's plain local route is replaced: not a VRF's (its device
 * is the VRF), not an IPsec bundle, a tunnel encapsulation, a broadcast or
 * a loopback address (the receive path drops those on any device but lo).
 */
static __always_inline struct dst_entry *
vlo_carry_route4(struct net *net, const struct sk_buff *skb)
{
	const struct rtable *rt = skb_rtable(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct vlo_carry_cpu *c;

	if (!rt || rt->dst.dev != net->loopback_dev ||
	    rt->rt_type != RTN_LOCAL || dst_xfrm(&rt->dst) ||
	    rt->dst.lwtstate)
		return NULL;
	if (ipv4_is_loopback(iph->daddr) || ipv4_is_loopback(iph->saddr))
		return NULL;
	c = vlo_carry_owner(net, &iph->daddr, NFPROTO_IPV4);
	return c ? &c->rt4->dst : NULL;
}

static __always_inline struct dst_entry *
vlo_carry_route6(struct net *net, const struct sk_buff *skb)
{
	const struct rt6_info *rt = (const struct rt6_info *)skb_dst(skb);
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct vlo_carry_cpu *c;

	if (!rt || rt->dst.dev != net->loopback_dev ||
	    (rt->rt6i_flags & (RTF_LOCAL | RTF_ANYCAST)) != RTF_LOCAL ||
	    dst_xfrm(&rt->dst) || rt->dst.lwtstate)
		return NULL;
	if (ipv6_addr_loopback(&ip6h->daddr) ||
	    ipv6_addr_loopback(&ip6h->saddr))
		return NULL;
	c = vlo_carry_owner(net, &ip6h->daddr, NFPROTO_IPV6);
	return c && c->rt6 ? &c->rt6->dst : NULL;
}

/*
 * The sender sized the packet for lo's route (65536 bytes), and a smaller
 * MTU on the vlo device cannot reach it as a path MTU (the local route
 * takes none), so the device fragments what is too big for it (TCP is
 * segmented instead, below), unless the socket insists on DF: that one
 * gets the error it would get anywhere.
 */
static bool vlo_carry_sk_insists_df(const struct sk_buff *skb, u8 family)
{
	const struct sock *sk = skb->sk;

	if (!sk || !sk_fullsock(sk))
		return false;
	if (family == NFPROTO_IPV6)
		return sk->sk_family == AF_INET6 && !ip6_sk_ignore_df(sk);
	return !ip_sk_ignore_df(sk);
}

/*
 * A TCP packet too big for the device is cut into segments that fit, by
 * GSO, rather than fragmented: at a small MTU a 64 KB segment would make
 * over a thousand fragments in one burst, more than the receive backlog
 * takes (when the burst is sent from softirq, nothing drains it), and TCP
 * would send the same segment again and again. The packet then crosses the
 * device as one GSO frame, as it does on lo and on a NIC with TSO. The
 * head is made private first: the clone TCP transmits shares it with the
 * original in TCP's retransmit queue.
 */
static void vlo_carry_fit_tcp(struct sk_buff *skb,
			      const struct dst_entry *dst, u8 family)
{
	struct skb_shared_info *shinfo;
	unsigned int hlen, mss, mtu;

	if (skb->ip_summed != CHECKSUM_PARTIAL ||
	    !skb_transport_header_was_set(skb))
		return;
	if (family == NFPROTO_IPV4 ? ip_hdr(skb)->protocol != IPPROTO_TCP :
				     ipv6_hdr(skb)->nexthdr != IPPROTO_TCP)
		return;
	mtu = dst_mtu(dst);
	if (skb->len <= mtu)
		return;
	hlen = skb_transport_offset(skb) + tcp_hdrlen(skb);
	/* a header that leaves no room for data: fragments it is */
	if (hlen + 8 > mtu || skb_unclone(skb, GFP_ATOMIC))
		return;

	mss = mtu - hlen;
	shinfo = skb_shinfo(skb);
	if (!shinfo->gso_size)
		shinfo->gso_type = family == NFPROTO_IPV4 ? SKB_GSO_TCPV4 :
							    SKB_GSO_TCPV6;
	shinfo->gso_size = mss;
	shinfo->gso_segs = DIV_ROUND_UP(skb->len - hlen, mss);
}

/*
 * A packet no longer than the route's MTU needs neither: an IPv4 carry
 * route has the device's MTU (there is no path MTU on a local route); an
 * IPv6 one may have a lower mtu6, which dst_mtu() reads.
 */
static __always_inline bool vlo_carry_fits(const struct sk_buff *skb,
					   const struct dst_entry *dst,
					   u8 family)
{
	if (family == NFPROTO_IPV4)
		return skb->len <= min_t(unsigned int,
					 READ_ONCE(dst->dev->mtu), IP_MAX_MTU);
	return skb->len <= dst_mtu(dst);
}

/*
 * Gives @skb the carry route @dst, or leaves it alone (false) if @dst was
 * released meanwhile (the device went down, carry off, new IPv6 state). The
 * packet holds its own reference: the route may be released while the
 * packet waits in the device's qdisc, and a packet that lost its route
 * would arrive without one, a martian.
 */
static __always_inline bool
vlo_carry_set_route(struct sk_buff *skb, struct dst_entry *dst, u8 family)
{
	if (!dst_hold_safe(dst))
		return false;
	if (unlikely(!vlo_carry_fits(skb, dst, family))) {
		vlo_carry_fit_tcp(skb, dst, family);
		if (!vlo_carry_sk_insists_df(skb, family))
			skb->ignore_df = 1;
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	return true;
}

static unsigned int vlo_carry_steer(struct sk_buff *skb,
				    const struct nf_hook_state *state,
				    struct dst_entry *dst)
{
	struct nf_hook_state *pass;

	if (!dst || !vlo_carry_set_route(skb, dst, state->pf))
		return NF_ACCEPT;
	/*
	 * The state is the caller's, on its stack (nf_hook()) or in a queue
	 * entry, and read again by every hook after this one: writing to it
	 * is what makes them see the device the packet now leaves on, where
	 * running the pass again from here would run this hook twice and
	 * hide the qdisc's verdict from the sender.
	 */
	pass = (struct nf_hook_state *)state;
	pass->out = dst->dev;
	return NF_ACCEPT;
}

static unsigned int vlo_carry_first4(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	return vlo_carry_steer(skb, state, vlo_carry_route4(state->net, skb));
}

static unsigned int vlo_carry_first6(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	return vlo_carry_steer(skb, state, vlo_carry_route6(state->net, skb));
}

static unsigned int vlo_carry_last4(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct dst_entry *dst = vlo_carry_route4(state->net, skb);

	if (dst)
		vlo_carry_set_route(skb, dst, NFPROTO_IPV4);
	return NF_ACCEPT;
}

static unsigned int vlo_carry_last6(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct dst_entry *dst = vlo_carry_route6(state->net, skb);

	if (dst)
		vlo_carry_set_route(skb, dst, NFPROTO_IPV6);
	return NF_ACCEPT;
}

static const struct nf_hook_ops vlo_carry_ops[] = {
	{
		.hook		= vlo_carry_first4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_FIRST,
	},
	{
		.hook		= vlo_carry_last4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_LAST,
	},
	{
		.hook		= vlo_carry_first6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_FIRST,
	},
	{
		.hook		= vlo_carry_last6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_LAST,
	},
};

static int vlo_carry_fill(struct vlo_carry_cpu *c, struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);

	c->rt4 = rt_dst_alloc(dev, RTCF_LOCAL, RTN_LOCAL, true);
	if (!c->rt4)
		return -ENOMEM;
	if (!idev)
		return 0;

	c->rt6 = ip6_dst_alloc(dev_net(dev), dev, DST_NOPOLICY | DST_NOXFRM);
	if (!c->rt6)
		return -ENOMEM;
	c->rt6->dst.input = ip6_input;
	c->rt6->dst.output = ip6_output;
	c->rt6->rt6i_flags = RTF_LOCAL;
	in6_dev_hold(idev);
	c->rt6->rt6i_idev = idev;
	return 0;
}

static void vlo_carry_put(struct dst_entry *dst)
{
	if (!dst)
		return;
	/* packets and sockets that still hold it find it dead */
	dst_dev_put(dst);
	dst_release(dst);
}

static void vlo_carry_dsts_free_rcu(struct rcu_head *head)
{
	struct vlo_carry_dsts *dsts = container_of(head, struct vlo_carry_dsts,
						   rcu);

	free_percpu(dsts->cpu);
	kfree(dsts);
}

/* Releases every route of @dsts; hooks may still be reading the table. */
static void vlo_carry_dsts_free(struct vlo_carry_dsts *dsts)
{
	struct vlo_carry_cpu *c;
	int cpu;

	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(dsts->cpu, cpu);
		vlo_carry_put(c->rt4 ? &c->rt4->dst : NULL);
		vlo_carry_put(c->rt6 ? &c->rt6->dst : NULL);
	}
	call_rcu(&dsts->rcu, vlo_carry_dsts_free_rcu);
}

static struct vlo_carry_dsts *vlo_carry_dsts_alloc(struct net_device *dev)
{
	struct vlo_carry_dsts *dsts;
	int cpu, err = 0;

	dsts = kzalloc(sizeof(*dsts), GFP_KERNEL);
	if (!dsts)
		return NULL;
	dsts->cpu = alloc_percpu(struct vlo_carry_cpu);
	if (!dsts->cpu) {
		kfree(dsts);
		return NULL;
	}
	dsts->net = dev_net(dev);
	dsts->idev = __in6_dev_get(dev);

	for_each_possible_cpu(cpu) {
		err = vlo_carry_fill(per_cpu_ptr(dsts->cpu, cpu), dev);
		if (err)
			break;
	}
	if (err) {
		vlo_carry_dsts_free(dsts);
		return NULL;
	}
	return dsts;
}

static int vlo_carry_hook(struct net *net)
{
	struct vlo_carry_net *cn = net_generic(net, vlo_carry_net_id);
	int err;

	if (cn->ndevs == 0) {
		err = nf_register_net_hooks(net, vlo_carry_ops,
					    ARRAY_SIZE(vlo_carry_ops));
		if (err)
			return err;
	}
	cn->ndevs++;
	return 0;
}

static void vlo_carry_unhook(struct net *net)
{
	struct vlo_carry_net *cn = net_generic(net, vlo_carry_net_id);

	if (--cn->ndevs == 0)
		nf_unregister_net_hooks(net, vlo_carry_ops,
					ARRAY_SIZE(vlo_carry_ops));
}

/*
 * Makes the device's routes match its state: made fresh while carry is on
 * and the device is up, released otherwise. Called under RTNL.
 */
static int vlo_carry_sync(struct vlo_priv *vp)
{
	struct vlo_carry_dsts *old, *new = NULL;
	struct net_device *dev = vp->dev;
	struct in_device *in_dev;
	int err;

	ASSERT_RTNL();
	/* before registration, vp->dev is not set and nothing runs */
	if (!dev)
		return 0;
	old = rtnl_dereference(vp->carry_dsts);

	if (vp->carry && netif_running(dev)) {
		/* still right for the device: nothing to make, nothing to fail */
		if (old && old->idev == __in6_dev_get(dev))
			return 0;
		new = vlo_carry_dsts_alloc(dev);
		if (!new)
			return -ENOMEM;
		if (!old) {
			err = vlo_carry_hook(new->net);
			if (err) {
				vlo_carry_dsts_free(new);
				return err;
			}
		}
		/*
		 * Carried IPv4 packets arrive on the device with their route,
		 * so the inbound IPsec policy check looks at the device's
		 * disable_policy, which lo has on: a carry device must too.
		 */
		in_dev = __in_dev_get_rtnl(dev);
		if (in_dev && !IN_DEV_CONF_GET(in_dev, NOPOLICY)) {
			IN_DEV_CONF_SET(in_dev, NOPOLICY, 1);
			vp->carry_nopolicy = true;
		}
	}

	rcu_assign_pointer(vp->carry_dsts, new);
	vlo_carry_changed();
	if (old) {
		if (!new)
			vlo_carry_unhook(old->net);
		vlo_carry_dsts_free(old);
	}
	return 0;
}

int vlo_carry_set(struct vlo_priv *vp, bool on,
		  struct netlink_ext_ack *extack)
{
	bool was = vp->carry;
	int err;

	ASSERT_RTNL();
	if (on == was)
		return 0;
	WRITE_ONCE(vp->carry, on);
	err = vlo_carry_sync(vp);
	if (err) {
		WRITE_ONCE(vp->carry, was);
		NL_SET_ERR_MSG(extack, "vlo: cannot switch carry on: out of memory");
		return err;
	}
	/* off: the device's disable_policy goes back to what it was */
	if (!on && vp->carry_nopolicy) {
		struct in_device *in_dev = __in_dev_get_rtnl(vp->dev);

		if (in_dev)
			IN_DEV_CONF_SET(in_dev, NOPOLICY, 0);
		vp->carry_nopolicy = false;
	}
	return 0;
}

bool vlo_carry_get(const struct vlo_priv *vp)
{
	return READ_ONCE(vp->carry);
}

/*
 * The device is opening (netif_running() already): with carry on, make its
 * routes and hooks here, where a failure can still refuse the open, rather
 * than at NETDEV_UP, which cannot fail and would leave carry on but
 * inactive.
 */
int vlo_carry_open(struct vlo_priv *vp)
{
	return vlo_carry_sync(vp);
}

/*
 * Up with carry on: the routes were made by the open; make them again if
 * the IPv6 state changed meanwhile. Down, leaving the namespace (which
 * also sends NETDEV_UNREGISTER), deleted: release them. A new MTU can
 * replace the device's IPv6 state (below 1280 it loses IPv6, and gets a
 * new inet6_dev back above), which the IPv6 route points at: remake them.
 * If that fails, the old routes stay and still carry IPv4.
 */
static int vlo_carry_netdev_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	int err;

	if (!netif_is_vlo(dev))
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_CHANGEUPPER:
		/* in or out of a VRF: carries or not */
		vlo_carry_changed();
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGEMTU:
	case NETDEV_UNREGISTER:
		err = vlo_carry_sync(netdev_priv(dev));
		if (err)
			netdev_warn(dev, "carry: cannot remake its routes (error %d): its IPv6 traffic may take lo\n",
				    err);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vlo_carry_notifier = {
	.notifier_call	= vlo_carry_netdev_event,
	/* after addrconf, which makes the inet6_dev the routes refer to */
	.priority	= ADDRCONF_NOTIFY_PRIORITY - 1,
};

/*
 * An IPv6 address came or went: what the memo remembers of it may be wrong
 * (a deleted route does not move the FIB's serial number).
 */
static int vlo_carry_inet6addr_event(struct notifier_block *nb,
				     unsigned long event, void *ptr)
{
	if (event == NETDEV_UP || event == NETDEV_DOWN)
		vlo_carry_changed();
	return NOTIFY_DONE;
}

static struct notifier_block vlo_carry_inet6addr_notifier = {
	.notifier_call	= vlo_carry_inet6addr_event,
};

static void __net_exit vlo_carry_net_exit(struct net *net)
{
	struct vlo_carry_net *cn = net_generic(net, vlo_carry_net_id);

	/* the namespace's devices were deleted or moved out before this */
	WARN_ON_ONCE(cn->ndevs);
}

static struct pernet_operations vlo_carry_net_ops = {
	.exit	= vlo_carry_net_exit,
	.id	= &vlo_carry_net_id,
	.size	= sizeof(struct vlo_carry_net),
};

int vlo_carry_init(void)
{
	int err;

	err = register_pernet_subsys(&vlo_carry_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&vlo_carry_notifier);
	if (err)
		goto err_pernet;
	err = register_inet6addr_notifier(&vlo_carry_inet6addr_notifier);
	if (err)
		goto err_netdev;
	return 0;

err_netdev:
	unregister_netdevice_notifier(&vlo_carry_notifier);
err_pernet:
	unregister_pernet_subsys(&vlo_carry_net_ops);
	return err;
}

/* After every device is gone. */
void vlo_carry_exit(void)
{
	unregister_inet6addr_notifier(&vlo_carry_inet6addr_notifier);
	unregister_netdevice_notifier(&vlo_carry_notifier);
	unregister_pernet_subsys(&vlo_carry_net_ops);
	/* hooks still running, then the tables' frees, before the code goes */
	synchronize_net();
	rcu_barrier();
}
