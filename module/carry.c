// SPDX-License-Identifier: GPL-2.0
/*
 * Carry: with the switch on, what this host sends to the device's own
 * addresses crosses the device, as traffic to 127.0.0.1 crosses lo.
 *
 * The kernel routes a packet to any local address through lo (or through
 * the VRF device of its domain). A LOCAL_OUT hook registered first finds
 * such a packet whose destination is held by a carry device and gives it
 * a local-delivery route whose device is the vlo device. The pass then
 * goes on as for any packet: the output rules with the vlo device as out,
 * dst_output() with the new route, POSTROUTING, the neighbour (NOARP: the
 * device's own address), the qdisc, vlo's xmit, and back in through
 * PREROUTING with the route kept (netif_keep_dst), so no input route
 * lookup runs (no rp_filter, no martian check) and the packet goes
 * straight to local delivery, as on lo. Conntrack keeps the entry the
 * packet got on the way out.
 *
 * The hook never writes the hook state it is given. That state is not
 * always its caller's own: a rule that runs before this hook (a chain at
 * the same lowest priority, added later, runs first) may queue the packet
 * to user space, and nf_reinject() then runs this hook on the queue
 * entry's state, whose in and out devices the entry holds and puts when
 * it is freed. So, as vrf.c does for its own device, the hook runs the
 * hooks after it itself, on a state of its own with the vlo device as
 * out, then okfn (dst_output()), and returns NF_STOLEN: the caller's
 * pass ends there, every hook runs once, and a packet queued by a later
 * hook holds the vlo device in its own entry. What dst_output() or a hook
 * returned (the qdisc's NET_XMIT_CN, -ENOBUFS, a rule's -EPERM, DF's
 * -EMSGSIZE) rides in the upper bits of the NF_STOLEN verdict, which
 * nf_hook_slow() returns to ip_local_out(), so the sender sees it as from
 * any device: TCP backs off, IP_RECVERR senders get ENOBUFS. The rules
 * that ran before the hook saw lo as out: they ran before it chose.
 * The two other designs fail: writing the given state's out (0.2) puts a
 * device the queue entry never held and leaks its hold on lo; leaving out
 * as lo hides the device from every output rule (oifname).
 *
 * An address held by several devices is carried if any carry device
 * holds it, across the one with the lowest ifindex.
 *
 * A second look, after all the other hooks, catches a packet that an
 * OUTPUT rule re-routed to a carry address (DNAT, a new mark): it only
 * swaps the route, since the output rules have run by then. The
 * accounting's LOCAL_OUT hook takes it (vlo_carry_reroute()).
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

#include "compat.h"
#include "vlo.h"

struct vlo_carry_cpu {
	struct rtable *rt4;
	struct rt6_info *rt6;	/* NULL while the device has no IPv6 */
};

struct vlo_carry_dsts {
	struct vlo_carry_cpu __percpu *cpu;
	struct net_device *dev;
	/* in the namespace's list of carry devices, by ifindex */
	struct list_head node;
	struct net *net;
	/* the IPv6 state the routes were made for (held by them), or NULL */
	const struct inet6_dev *idev;
	struct rcu_head rcu;
};

struct vlo_carry_net {
	/* devices with routes in this namespace; the hooks exist while > 0 */
	unsigned int ndevs;
	/* their vlo_carry_dsts, by ifindex (RCU; changed under RTNL) */
	struct list_head devs;
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

/* After a change of what vlo_carry_holder() answers, or whom an address is. */
static void vlo_carry_changed(void)
{
	/* a CPU that sees the new generation sees the change too */
	atomic_inc_return_release(&vlo_carry_gen);
}

/*
 * What a packet passes through on its way to lo is inlined into the hooks:
 * with the calls, 64-byte UDP to a carry address ran 0.3% slower. The
 * owner lookup and the steering are not (vlo_carry_owner4(),
 * vlo_carry_steer()): a packet to 127.0.0.1 never gets there.
 *
 * Which carry device an address is carried across, if several devices
 * hold it: the one with the lowest ifindex among the carry devices that
 * hold it, whatever the order the addresses were added in, and whether
 * or not a device without carry holds it too. A VRF port's addresses
 * belong to the VRF device's domain: it carries nothing. Under RCU.
 */
static __always_inline struct vlo_carry_cpu *
vlo_carry_holder(struct net *net,
		 bool (*holds)(struct net_device *dev, const void *addr),
		 const void *addr)
{
	struct vlo_carry_net *cn = net_generic(net, vlo_carry_net_id);
	struct vlo_carry_dsts *dsts;

	list_for_each_entry_rcu(dsts, &cn->devs, node) {
		if (netif_is_l3_slave(dsts->dev) || !holds(dsts->dev, addr))
			continue;
		/* any CPU's route will do: this one's keeps the refcount local */
		return raw_cpu_ptr(dsts->cpu);
	}
	return NULL;
}

/*
 * The routes of @dev if it carries now. For IPv4, the device of a "local"
 * route that no address covers (ip route add local PREFIX dev DEV) owns
 * the addresses of the prefix too, as __ip_dev_find() answers.
 */
static struct vlo_carry_cpu *vlo_carry_dev(const struct net_device *dev)
{
	const struct vlo_priv *vp;
	struct vlo_carry_dsts *dsts;

	if (!dev || !netif_is_vlo(dev) || netif_is_l3_slave(dev))
		return NULL;
	vp = netdev_priv(dev);
	dsts = rcu_dereference(vp->carry_dsts);
	return dsts ? raw_cpu_ptr(dsts->cpu) : NULL;
}

static bool vlo_carry_holds4(struct net_device *dev, const void *addr)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (ifa->ifa_local == *(const __be32 *)addr)
			return true;
	return false;
}

static bool vlo_carry_holds6(struct net_device *dev, const void *addr)
{
	return ipv6_chk_addr(dev_net(dev), addr, dev, 1);
}

/*
 * A socket keeps the route its packets arrive with (sk_rx_dst) while the
 * route's check passes, and otherwise drops it and takes it again from the
 * next packet: two refcount changes and the check's slow path per segment
 * received. The check compares an IPv4 route's generation, and an IPv6
 * one's serial number, with the namespace's, which every route change
 * moves; the kernel makes its own routes anew then, and a carry route is
 * still the right one, so it takes the new number whenever the owner lookup
 * hands it out. (An IPv6 route without a serial number never passes: every
 * carried TCP segment paid for it.) A released route fails the check
 * (vlo_carry_dsts_free()), unless a hook that found it before the release
 * renews its number just after: a socket then keeps it until its next
 * packet, which comes through lo (another device) and drops it.
 */
static __always_inline void vlo_carry_fresh(struct vlo_carry_cpu *c,
					    int genid, bool v4)
{
	if (v4) {
		if (unlikely(READ_ONCE(c->rt4->rt_genid) != genid))
			WRITE_ONCE(c->rt4->rt_genid, genid);
	} else if (c->rt6 && unlikely(READ_ONCE(c->rt6->sernum) != genid)) {
		WRITE_ONCE(c->rt6->sernum, genid);
	}
}

/*
 * vlo_carry_holder() of @daddr (family @family), through
 * the memo. @family is a constant: each family gets its own code.
 */
static __always_inline struct vlo_carry_cpu *
vlo_carry_owner(struct net *net, const void *daddr, u8 family)
{
	bool v4 = family == NFPROTO_IPV4;
	bool task = !in_softirq();
	struct vlo_carry_memos *ms;
	struct vlo_carry_memo *m;
	struct vlo_carry_cpu *c;
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
		c = vlo_carry_holder(net, v4 ? vlo_carry_holds4 :
				      vlo_carry_holds6, daddr);
		if (!c && v4)
			c = vlo_carry_dev(__ip_dev_find(net, *(const __be32 *)daddr,
							false));
		m->net = net;
		if (v4)
			m->daddr.v4 = *(const __be32 *)daddr;
		else
			m->daddr.v6 = *(const struct in6_addr *)daddr;
		m->gen = gen;
		m->rt_genid = rt_genid;
		m->c = c;
	}
	if (c)
		vlo_carry_fresh(c, rt_genid, v4);
	if (task)
		preempt_enable();
	return c;
}

/*
 * Not inlined into the hooks: the registers the lookup needs would be
 * saved and restored on every packet they let go, 127.0.0.1's included.
 */
static noinline struct vlo_carry_cpu *vlo_carry_owner4(struct net *net,
						       const __be32 *daddr)
{
	return vlo_carry_owner(net, daddr, NFPROTO_IPV4);
}

static noinline struct vlo_carry_cpu *
vlo_carry_owner6(struct net *net, const struct in6_addr *daddr)
{
	return vlo_carry_owner(net, daddr, NFPROTO_IPV6);
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
	const struct iphdr *iph = ip_hdr(skb);
	const struct rtable *rt;
	struct vlo_carry_cpu *c;

	/* first: most of what passes here is traffic to 127.0.0.1 */
	if (ipv4_is_loopback(iph->daddr) || ipv4_is_loopback(iph->saddr))
		return NULL;
	rt = skb_rtable(skb);
	if (!rt || rt->dst.dev != net->loopback_dev ||
	    rt->rt_type != RTN_LOCAL || dst_xfrm(&rt->dst) ||
	    rt->dst.lwtstate)
		return NULL;
	c = vlo_carry_owner4(net, &iph->daddr);
	return c ? &c->rt4->dst : NULL;
}

static __always_inline struct dst_entry *
vlo_carry_route6(struct net *net, const struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct rt6_info *rt;
	struct vlo_carry_cpu *c;

	if (ipv6_addr_loopback(&ip6h->daddr) ||
	    ipv6_addr_loopback(&ip6h->saddr))
		return NULL;
	rt = (const struct rt6_info *)skb_dst(skb);
	if (!rt || rt->dst.dev != net->loopback_dev ||
	    (rt->rt6i_flags & (RTF_LOCAL | RTF_ANYCAST)) != RTF_LOCAL ||
	    dst_xfrm(&rt->dst) || rt->dst.lwtstate)
		return NULL;
	c = vlo_carry_owner6(net, &ip6h->daddr);
	return c && c->rt6 ? &c->rt6->dst : NULL;
}

/*
 * The sender sized the packet for lo's route (65536 bytes), and a smaller
 * MTU on the vlo device cannot reach it as a path MTU (the local route
 * takes none), so the device fragments what is too big for it (TCP is
 * segmented instead, below), unless the socket insists on DF: that one
 * gets the error it would get anywhere. IPv6 sockets insist with
 * IPV6_MTU_DISCOVER or, for datagrams, IPV6_DONTFRAG, which the kernel
 * checks against the route's MTU only while it builds the packet: lo's
 * then (the message's own IPV6_DONTFRAG cmsg leaves no trace on the
 * packet: only the socket option is seen here).
 */
static bool vlo_carry_sk_insists_df(const struct sk_buff *skb, u8 family)
{
	const struct sock *sk = skb->sk;

	if (!sk || !sk_fullsock(sk))
		return false;
	if (family == NFPROTO_IPV4)
		return !ip_sk_ignore_df(sk);
	if (sk->sk_family != AF_INET6)
		return false;
	if (!ip6_sk_ignore_df(sk))
		return true;
	return sk->sk_protocol != IPPROTO_TCP && vlo_sk_dontfrag6(sk);
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
 * IPv6 one has the device's mtu6, never below IPv6's minimum (the device
 * loses IPv6 below it). That is what ip6_mtu() answers for it (no MTU
 * metric, no encapsulation), read here from the inet6_dev the route holds,
 * the device's (the routes are made again with a new one), without
 * dst_mtu()'s indirect call and RCU section.
 */
static __always_inline bool vlo_carry_fits(const struct sk_buff *skb,
					   const struct dst_entry *dst,
					   u8 family)
{
	if (family == NFPROTO_IPV4)
		return skb->len <= min_t(unsigned int,
					 READ_ONCE(dst->dev->mtu), IP_MAX_MTU);
	return skb->len <= IPV6_MIN_MTU ||
	       skb->len <= READ_ONCE(container_of(dst, struct rt6_info,
						  dst)->rt6i_idev->cnf.mtu6);
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
		/* IPv6 datagrams come with the socket's ignore_df */
		skb->ignore_df = !vlo_carry_sk_insists_df(skb, family);
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	return true;
}

/*
 * The LOCAL_OUT hooks of @state's namespace and family, and where @self
 * is among them (false: not there, being unregistered). Under RCU, as
 * their caller: a change of the hooks since it started is a new array in
 * which the hooks after @self are the ones to run now.
 */
static bool vlo_carry_find(const struct nf_hook_state *state,
			   nf_hookfn *self,
			   const struct nf_hook_entries **entries,
			   unsigned int *index)
{
	const struct nf_hook_entries *e;
	unsigned int i;

	e = state->pf == NFPROTO_IPV4 ?
		rcu_dereference(state->net->nf.hooks_ipv4[state->hook]) :
		rcu_dereference(state->net->nf.hooks_ipv6[state->hook]);
	if (!e)
		return false;
	for (i = 0; i < e->num_hook_entries; i++) {
		if (e->hooks[i].hook == self) {
			*entries = e;
			*index = i;
			return true;
		}
	}
	return false;
}

/*
 * What the pass returned (dst_output()'s or a hook's error) as our
 * verdict to the caller's nf_hook(): NF_STOLEN, the packet is ours, with
 * the value in the upper bits, which nf_hook_slow() returns
 * (NF_DROP_GETERR(), as for NF_DROP_REASON()), so that ip_local_out()
 * returns it as if the pass had been its own. NET_XMIT_DROP (1) would read
 * there as "go on to okfn": it is the -ENOBUFS it means for the sender.
 */
static unsigned int vlo_carry_stolen(int ret)
{
	if (ret == NET_XMIT_DROP)
		ret = -ENOBUFS;
	return ((u32)-ret << NF_VERDICT_QBITS) | NF_STOLEN;
}

/*
 * Not inlined: what it keeps on its stack (the state, zeroed on entry by
 * CONFIG_INIT_STACK_ALL_ZERO, and the stack protector's canary with it)
 * would otherwise be paid by every packet the first hooks let go, 40
 * instructions of each datagram to 127.0.0.1 in a namespace with carry.
 */
static noinline unsigned int
vlo_carry_steer(struct sk_buff *skb, const struct nf_hook_state *state,
		struct dst_entry *dst, nf_hookfn *self)
{
	const struct nf_hook_entries *e;
	struct nf_hook_state pass;
	unsigned int i;
	int ret;

	if (!vlo_carry_find(state, self, &e, &i) ||
	    !vlo_carry_set_route(skb, dst, state->pf))
		return NF_ACCEPT;
	/*
	 * @state is not ours: it may be a queue entry's, whose devices the
	 * entry holds and puts. The rest of the pass runs on a state of our
	 * own, with the device as out, and the packet goes on to okfn from
	 * here, never back to the hooks after this one with lo as out.
	 */
	nf_hook_state_init(&pass, state->hook, state->pf, NULL, dst->dev,
			   state->sk, state->net, state->okfn);
	ret = nf_hook_slow(skb, &pass, e, i + 1);
	if (ret == 1)
		ret = pass.okfn(pass.net, pass.sk, skb);
	return vlo_carry_stolen(ret);
}

static unsigned int vlo_carry_first4(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct dst_entry *dst = vlo_carry_route4(state->net, skb);

	if (!dst)
		return NF_ACCEPT;
	return vlo_carry_steer(skb, state, dst, vlo_carry_first4);
}

static unsigned int vlo_carry_first6(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct dst_entry *dst = vlo_carry_route6(state->net, skb);

	if (!dst)
		return NF_ACCEPT;
	return vlo_carry_steer(skb, state, dst, vlo_carry_first6);
}

/*
 * The second look, for a packet that an OUTPUT rule re-routed to a carry
 * address (DNAT, a new mark) after the first hook let it go: it only swaps
 * the route, since the output rules have run by then. It runs in the
 * accounting's LOCAL_OUT hook (hooks.c), which comes after all the others
 * and is registered wherever carry's is, so that a packet passes one vlo
 * hook there and not two; that hook calls it only for a packet still on
 * lo's route to an address that is not a loopback one.
 */
void vlo_carry_reroute(struct sk_buff *skb, const struct nf_hook_state *state)
{
	struct dst_entry *dst;

	if (state->pf == NFPROTO_IPV4) {
		dst = vlo_carry_route4(state->net, skb);
		if (dst)
			vlo_carry_set_route(skb, dst, NFPROTO_IPV4);
	} else {
		dst = vlo_carry_route6(state->net, skb);
		if (dst)
			vlo_carry_set_route(skb, dst, NFPROTO_IPV6);
	}
}

static const struct nf_hook_ops vlo_carry_ops[] = {
	{
		.hook		= vlo_carry_first4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_FIRST,
	},
	{
		.hook		= vlo_carry_first6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_FIRST,
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
	c->rt6->sernum = rt_genid_ipv6(dev_net(dev));
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
		if (!c->rt6)
			continue;
		/* without a serial number its check fails: it has no fib entry */
		WRITE_ONCE(c->rt6->sernum, 0);
		vlo_carry_put(&c->rt6->dst);
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
	dsts->dev = dev;
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
		/* the accounting's hooks re-route (vlo_carry_reroute()) */
		err = vlo_acct_carry_get(net);
		if (err)
			return err;
		err = nf_register_net_hooks(net, vlo_carry_ops,
					    ARRAY_SIZE(vlo_carry_ops));
		if (err) {
			vlo_acct_carry_put(net);
			return err;
		}
	}
	cn->ndevs++;
	return 0;
}

static void vlo_carry_unhook(struct net *net)
{
	struct vlo_carry_net *cn = net_generic(net, vlo_carry_net_id);

	if (--cn->ndevs == 0) {
		nf_unregister_net_hooks(net, vlo_carry_ops,
					ARRAY_SIZE(vlo_carry_ops));
		vlo_acct_carry_put(net);
	}
}

/* @new takes @old's place in the list of carry devices. Under RTNL. */
static void vlo_carry_list(struct vlo_carry_dsts *old,
			   struct vlo_carry_dsts *new)
{
	struct vlo_carry_net *cn;
	struct vlo_carry_dsts *d;

	if (old && new) {
		list_replace_rcu(&old->node, &new->node);
	} else if (old) {
		list_del_rcu(&old->node);
	} else if (new) {
		cn = net_generic(new->net, vlo_carry_net_id);
		list_for_each_entry(d, &cn->devs, node)
			if (d->dev->ifindex > new->dev->ifindex)
				break;
		list_add_tail_rcu(&new->node, &d->node);
	}
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
	vlo_carry_list(old, new);
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

static int __net_init vlo_carry_net_init(struct net *net)
{
	struct vlo_carry_net *cn = net_generic(net, vlo_carry_net_id);

	INIT_LIST_HEAD(&cn->devs);
	return 0;
}

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
	.init	= vlo_carry_net_init,
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
