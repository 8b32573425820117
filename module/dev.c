// SPDX-License-Identifier: GPL-2.0
/*
 * The vlo net_device: an Ethernet-type device that hands the frames it
 * transmits back to its own receive path, as lo does.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/ip6_fib.h>
#include <net/neighbour.h>
#include <net/route.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "vlo.h"

#define VLO_MTU_DEFAULT	65536
#define VLO_MTU_MIN	68
#define VLO_MTU_MAX	65536

/*
 * lo's feature set, minus NETIF_F_LOOPBACK (the stack would treat the device
 * as the namespace's real loopback: 127.0.0.1 on link-up, a whole connected
 * subnet made local) and NETIF_F_NETNS_LOCAL (vlo devices may move between
 * namespaces).
 */
#define VLO_FEATURES	(NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE | \
			 NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_SCTP_CRC | \
			 NETIF_F_HIGHDMA)

/*
 * What becomes of a transmitted frame. The IP layer already loops back its
 * own copy of every broadcast and multicast packet: ours is only counted.
 * A unicast packet keeps its dst across the loop (netif_keep_dst), and the
 * receive path trusts that dst without an input route lookup; only a
 * local-delivery route leads anywhere from there. Any other routed packet
 * (to a non-local address of the device's subnet, forwarded, or an upper
 * device's) would loop until its TTL ends or die on a route meant for
 * output: it has nowhere to go on a loopback and is dropped here, once.
 * Frames without a dst (packet sockets) loop as on lo.
 */
enum vlo_fate { VLO_LOOP, VLO_CONSUME, VLO_DROP };

static enum vlo_fate vlo_fate(const struct sk_buff *skb)
{
	const struct dst_entry *dst = skb_dst(skb);
	unsigned int flags;

	if (is_multicast_ether_addr(((const struct ethhdr *)skb->data)->h_dest))
		return VLO_CONSUME;
	if (!dst)
		return VLO_LOOP;

	switch (dst->ops->family) {
	case AF_INET:
		flags = container_of(dst, struct rtable, dst)->rt_flags;
		/* with IFF_NOARP their neighbour carries the device's own MAC */
		if (flags & (RTCF_BROADCAST | RTCF_MULTICAST))
			return VLO_CONSUME;
		if (flags & RTCF_LOCAL)
			return VLO_LOOP;
		break;
	case AF_INET6:
		flags = container_of(dst, struct rt6_info, dst)->rt6i_flags;
		if (flags & RTF_LOCAL)
			return VLO_LOOP;
		break;
	}
	return VLO_DROP;
}

static netdev_tx_t vlo_xmit(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int len = skb->len;

	switch (vlo_fate(skb)) {
	case VLO_DROP:
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	case VLO_CONSUME:
		skb_tx_timestamp(skb);
		dev_sw_netstats_tx_add(dev, 1, len);
		consume_skb(skb);
		return NETDEV_TX_OK;
	case VLO_LOOP:
		break;
	}

	skb_tx_timestamp(skb);
	/* the receive path stamps the frame again with its own clock base */
	skb_clear_tstamp(skb);
	/* the sender's socket must not stay charged for a frame it gets back */
	skb_orphan(skb);
	/* the frame is queued past the RCU section the dst was looked up in */
	skb_dst_force(skb);

	skb->protocol = eth_type_trans(skb, dev);
	dev_sw_netstats_tx_add(dev, 1, len);
	if (likely(__netif_rx(skb) == NET_RX_SUCCESS))
		dev_sw_netstats_rx_add(dev, len);

	return NETDEV_TX_OK;
}

/*
 * `ip link set DEV arp on` clears IFF_NOARP, and ARP and ND would then
 * resolve neighbours with requests that nothing on a loopback answers. As
 * lo does, vlo resolves every neighbour to itself whatever the flag says;
 * the constructors already resolved broadcast and multicast ones.
 */
static int vlo_neigh_construct(struct neighbour *n)
{
	if (n->nud_state & NUD_NOARP)
		return 0;
	n->nud_state = NUD_NOARP;
	memcpy(n->ha, n->dev->dev_addr, n->dev->addr_len);
	n->output = n->ops->connected_output;
	return 0;
}

static int vlo_neigh_setup(struct net_device *dev, struct neigh_parms *p)
{
	p->neigh_setup = vlo_neigh_construct;
	return 0;
}

static int vlo_dev_init(struct net_device *dev)
{
	struct vlo_priv *vp = netdev_priv(dev);

	if (vlo_tstats_alloc(dev))
		return -ENOMEM;

	vp->acct = netdev_alloc_pcpu_stats(struct vlo_acct_cpu);
	if (!vp->acct) {
		vlo_tstats_free(dev);
		return -ENOMEM;
	}

	vp->dev = dev;
	vlo_acct_dev_init(vp);
	return 0;
}

static void vlo_dev_free(struct net_device *dev)
{
	struct vlo_priv *vp = netdev_priv(dev);

	vlo_acct_dev_destroy(vp);
	free_percpu(vp->acct);
	vlo_tstats_free(dev);
}

static int vlo_open(struct net_device *dev)
{
	return vlo_carry_open(netdev_priv(dev));
}

const struct net_device_ops vlo_netdev_ops = {
	.ndo_init		= vlo_dev_init,
	.ndo_open		= vlo_open,
	.ndo_start_xmit		= vlo_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_neigh_setup	= vlo_neigh_setup,
};

static void vlo_setup(struct net_device *dev)
{
	struct vlo_priv *vp = netdev_priv(dev);

	ether_setup(dev);

	dev->netdev_ops = &vlo_netdev_ops;
	dev->ethtool_ops = &vlo_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vlo_dev_free;
	dev->sysfs_groups[0] = &vlo_sysfs_group;

	dev->mtu = VLO_MTU_DEFAULT;
	dev->min_mtu = VLO_MTU_MIN;
	dev->max_mtu = VLO_MTU_MAX;

	/* no ARP, no broadcast, no multicast: an lo-like point of presence */
	dev->flags = IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE;
	/* xmit rewrites the skb (eth_type_trans), so pktgen must not share it */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;

	dev->features = VLO_FEATURES;
	vlo_set_lltx(dev);
	vlo_tstats_setup(dev);
	dev->hw_features = VLO_FEATURES;
	dev->hw_enc_features = VLO_FEATURES;
	netif_keep_dst(dev);
	netif_set_tso_max_size(dev, GSO_MAX_SIZE);
	/*
	 * A carried TCP packet is built for lo's route, up to 64 KB, and on a
	 * vlo device with a small MTU crosses as one GSO frame (carry.c): with
	 * its Ethernet header that is over the default 64 KB, and the core
	 * would segment it in software into thousands of frames at once.
	 */
	vlo_set_gso_max_size(dev, GSO_MAX_SIZE);

	eth_hw_addr_random(dev);

	/* the settings a new device starts with, before IFLA_VLO_* apply */
	vp->accounting = true;
	vp->carry = false;
	vlo_addrgen_dev_init(vp);
}

static int vlo_validate(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "vlo: link-layer address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "vlo: link-layer address must be unicast and non-zero");
			return -EADDRNOTAVAIL;
		}
	}
	return vlo_nl_validate(tb, data, extack);
}

static struct rtnl_link_ops vlo_link_ops __read_mostly = {
	.kind			= VLO_DRV_NAME,
	.priv_size		= sizeof(struct vlo_priv),
	.maxtype		= IFLA_VLO_MAX,
	.policy			= vlo_nl_policy,
	.setup			= vlo_setup,
	.validate		= vlo_validate,
	.newlink		= vlo_nl_newlink,
	.changelink		= vlo_nl_changelink,
	.get_size		= vlo_nl_get_size,
	.fill_info		= vlo_nl_fill_info,
	.get_linkxstats_size	= vlo_nl_get_linkxstats_size,
	.fill_linkxstats	= vlo_nl_fill_linkxstats,
};

/*
 * A loopback is no wire: as a bridge, bond or team port, or under a
 * macvlan, ipvlan or VLAN, it would reflect every frame those send it, or
 * drop the ARP broadcasts they depend on, and lo refuses all of them. A
 * VRF only makes the device its domain's loopback, which is what vlo is
 * for. The VLAN refusal comes from here too, rather than from
 * NETIF_F_VLAN_CHALLENGED as on lo, so that the message names vlo.
 */
static int vlo_check_upper(struct netdev_notifier_changeupper_info *info)
{
	struct netlink_ext_ack *extack;

	if (!info->linking || netif_is_l3_master(info->upper_dev))
		return NOTIFY_DONE;

	extack = netdev_notifier_info_to_extack(&info->info);
	NL_SET_ERR_MSG(extack, "vlo: a loopback device takes no upper device but a VRF");
	return notifier_from_errno(-EOPNOTSUPP);
}

static int vlo_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event != NETDEV_PRECHANGEUPPER || !netif_is_vlo(dev))
		return NOTIFY_DONE;
	return vlo_check_upper(ptr);
}

static struct notifier_block vlo_netdev_notifier = {
	.notifier_call	= vlo_netdev_event,
};

/* Creates one vlo device named vlo%d in @net. Called with RTNL held. */
int vlo_create(struct net *net)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(struct vlo_priv), "vlo%d", NET_NAME_ENUM,
			   vlo_setup);
	if (!dev)
		return -ENOMEM;

	dev_net_set(dev, net);
	dev->rtnl_link_ops = &vlo_link_ops;
	err = register_netdevice(dev);
	if (err < 0)
		free_netdev(dev);
	return err;
}

int vlo_dev_module_init(void)
{
	int err;

	err = vlo_addrgen_init();
	if (err)
		return err;
	err = register_netdevice_notifier(&vlo_netdev_notifier);
	if (err)
		goto err_addrgen;
	err = rtnl_link_register(&vlo_link_ops);
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	unregister_netdevice_notifier(&vlo_netdev_notifier);
err_addrgen:
	vlo_addrgen_exit();
	return err;
}

/* Deletes every vlo device in every namespace. */
void vlo_dev_module_exit(void)
{
	rtnl_link_unregister(&vlo_link_ops);
	unregister_netdevice_notifier(&vlo_netdev_notifier);
	vlo_addrgen_exit();
}
