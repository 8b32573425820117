// SPDX-License-Identifier: GPL-2.0
/*
 * The device's settings as IFLA_INFO_DATA attributes (IFLA_VLO_*), and its
 * accounting counters as extended link statistics, for "ip link" and vloctl.
 *
 * A setting changes in one place, vlo_nl_apply(), under RTNL, with values
 * this file's policy validated, and each change is announced once on
 * RTNLGRP_LINK: rtnetlink's changelink reaches it through the core, the
 * sysfs files under /sys/class/net/DEV/vlo/ through vlo_nl_set().
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/vlo.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "vlo.h"

const struct nla_policy vlo_nl_policy[IFLA_VLO_MAX + 1] = {
	[IFLA_VLO_ACCOUNTING]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_VLO_CARRY]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_VLO_ADDR_SPLIT]	= NLA_POLICY_MAX(NLA_U8, 1),
};

/*
 * The core parses IFLA_INFO_DATA leniently for compatibility: it checks the
 * attributes it knows against the policy and ignores the others. vlo is new
 * and strict: a misspelt or unknown setting is an error, not a no-op.
 */
int vlo_nl_validate(struct nlattr *tb[], struct nlattr *data[],
		    struct netlink_ext_ack *extack)
{
	const struct nlattr *info_data;

	if (!data || !tb[IFLA_LINKINFO])
		return 0;
	info_data = nla_find_nested(tb[IFLA_LINKINFO], IFLA_INFO_DATA);
	if (!info_data)
		return 0;
	return nla_validate_nested(info_data, IFLA_VLO_MAX, vlo_nl_policy,
				   extack);
}

/*
 * Applies validated settings, under RTNL. Returns 1 if a setting changed, 0
 * if none did, or an error, and then nothing changed.
 */
static int vlo_nl_apply(struct vlo_priv *vp, struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	bool changed = false;
	bool on;
	int err;

	ASSERT_RTNL();
	if (!data)
		return 0;
	/* first what can be refused, so that a refusal changes nothing */
	if (data[IFLA_VLO_ADDR_SPLIT]) {
		err = vlo_acct_split_check(vp,
					   nla_get_u8(data[IFLA_VLO_ADDR_SPLIT]),
					   extack);
		if (err)
			return err;
	}
	if (data[IFLA_VLO_CARRY]) {
		on = nla_get_u8(data[IFLA_VLO_CARRY]);
		changed |= on != vlo_carry_get(vp);
		err = vlo_carry_set(vp, on, extack);
		if (err)
			return err;
	}
	if (data[IFLA_VLO_ACCOUNTING]) {
		on = nla_get_u8(data[IFLA_VLO_ACCOUNTING]);
		changed |= on != vlo_acct_get(vp);
		vlo_acct_set(vp, on);
	}
	if (data[IFLA_VLO_ADDR_SPLIT]) {
		on = nla_get_u8(data[IFLA_VLO_ADDR_SPLIT]);
		changed |= on != vlo_acct_split_get(vp);
		vlo_acct_split_set(vp, on);
	}
	return changed;
}

int vlo_nl_newlink(struct net *src_net, struct net_device *dev,
		   struct nlattr *tb[], struct nlattr *data[],
		   struct netlink_ext_ack *extack)
{
	int err;

	/* the registration announces the device with its settings */
	err = vlo_nl_apply(netdev_priv(dev), data, extack);
	if (err < 0)
		return err;
	return register_netdevice(dev);
}

/*
 * Announces a change of the settings on RTNLGRP_LINK, once. While the
 * device is up, the core announces a changelink itself with
 * netdev_state_change(); while it is down that says nothing, and a listener
 * would keep the old settings. NETDEV_CHANGEINFODATA, which bonding sends
 * when an option changes, makes rtnetlink send one RTM_NEWLINK either way.
 */
static void vlo_nl_announce(struct net_device *dev, bool by_core)
{
	if (!by_core || !(dev->flags & IFF_UP))
		call_netdevice_notifiers(NETDEV_CHANGEINFODATA, dev);
}

int vlo_nl_changelink(struct net_device *dev, struct nlattr *tb[],
		      struct nlattr *data[], struct netlink_ext_ack *extack)
{
	int err;

	err = vlo_nl_apply(netdev_priv(dev), data, extack);
	if (err < 0)
		return err;
	if (err)
		vlo_nl_announce(dev, true);
	return 0;
}

/*
 * One setting written outside rtnetlink (the sysfs files): checked by the
 * same policy, applied by the same function under RTNL, and announced as a
 * changelink is, but only if it changed something. Called from a sysfs
 * store: unregistering the device waits for the store to return while
 * holding RTNL, so the lock is only tried, and the write restarted.
 */
int vlo_nl_set(struct net_device *dev, u16 type, u8 val)
{
	struct {
		struct nlattr nla;
		u8 val;
		u8 pad[3];
	} attr = {
		.nla = { .nla_len = nla_attr_size(sizeof(u8)), .nla_type = type },
		.val = val,
	};
	struct nlattr *data[IFLA_VLO_MAX + 1] = {};
	int err;

	BUILD_BUG_ON(sizeof(attr) != nla_total_size(sizeof(u8)));
	if (nla_validate(&attr.nla, sizeof(attr), IFLA_VLO_MAX, vlo_nl_policy,
			 NULL))
		return -EINVAL;
	data[type] = &attr.nla;

	if (!rtnl_trylock())
		return restart_syscall();
	err = -ENODEV;
	if (dev->reg_state == NETREG_REGISTERED)
		err = vlo_nl_apply(netdev_priv(dev), data, NULL);
	if (err > 0)
		vlo_nl_announce(dev, false);
	rtnl_unlock();
	return err < 0 ? err : 0;
}

size_t vlo_nl_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u8)) +	/* IFLA_VLO_ACCOUNTING */
	       nla_total_size(sizeof(u8)) +	/* IFLA_VLO_CARRY */
	       nla_total_size(sizeof(u8));	/* IFLA_VLO_ADDR_SPLIT */
}

int vlo_nl_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct vlo_priv *vp = netdev_priv(dev);

	if (nla_put_u8(skb, IFLA_VLO_ACCOUNTING, vlo_acct_get(vp)) ||
	    nla_put_u8(skb, IFLA_VLO_CARRY, vlo_carry_get(vp)) ||
	    nla_put_u8(skb, IFLA_VLO_ADDR_SPLIT, vlo_acct_split_get(vp)))
		return -EMSGSIZE;
	return 0;
}

size_t vlo_nl_get_linkxstats_size(const struct net_device *dev, int attr)
{
	if (attr != IFLA_STATS_LINK_XSTATS)
		return 0;
	return nla_total_size(0) +
	       VLO_NR_COUNTERS * nla_total_size_64bit(sizeof(u64));
}

/*
 * The first @n counters (all: VLO_NR_COUNTERS) as VLO_CTR_* attributes,
 * into a nest the caller opened.
 */
int vlo_nl_put_counters(struct sk_buff *skb, const u64 *counters,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (nla_put_u64_64bit(skb, VLO_CTR_IN_PACKETS + i, counters[i],
				      VLO_CTR_PAD))
			return -EMSGSIZE;
	return 0;
}

/* One snapshot of the counters, in the order of ethtool -S. */
int vlo_nl_fill_linkxstats(struct sk_buff *skb, const struct net_device *dev,
			   int *prividx, int attr)
{
	u64 counters[VLO_NR_COUNTERS];
	struct nlattr *nest;

	BUILD_BUG_ON(VLO_NR_CTRS != VLO_NR_COUNTERS);

	if (attr != IFLA_STATS_LINK_XSTATS)
		return 0;

	vlo_acct_read(netdev_priv(dev), counters);
	nest = nla_nest_start_noflag(skb, LINK_XSTATS_TYPE_VLO);
	if (!nest)
		return -EMSGSIZE;
	if (vlo_nl_put_counters(skb, counters, VLO_NR_COUNTERS)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
