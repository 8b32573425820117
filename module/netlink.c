// SPDX-License-Identifier: GPL-2.0
/*
 * The device's settings as IFLA_INFO_DATA attributes (IFLA_VLO_*), and its
 * accounting counters as extended link statistics, for "ip link" and vloctl.
 * The sysfs files under /sys/class/net/DEV/vlo/ read and write the same
 * fields, so both interfaces always agree.
 */

#include <linux/netdevice.h>
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

/* Applies validated settings; on error nothing has changed. */
static int vlo_nl_apply(struct vlo_priv *vp, struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	int err;

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
		err = vlo_carry_set(vp, nla_get_u8(data[IFLA_VLO_CARRY]),
				    extack);
		if (err)
			return err;
	}
	if (data[IFLA_VLO_ACCOUNTING])
		vlo_acct_set(vp, nla_get_u8(data[IFLA_VLO_ACCOUNTING]));
	if (data[IFLA_VLO_ADDR_SPLIT])
		vlo_acct_split_set(vp, nla_get_u8(data[IFLA_VLO_ADDR_SPLIT]));
	return 0;
}

int vlo_nl_newlink(struct net *src_net, struct net_device *dev,
		   struct nlattr *tb[], struct nlattr *data[],
		   struct netlink_ext_ack *extack)
{
	int err;

	err = vlo_nl_apply(netdev_priv(dev), data, extack);
	if (err)
		return err;
	return register_netdevice(dev);
}

int vlo_nl_changelink(struct net_device *dev, struct nlattr *tb[],
		      struct nlattr *data[], struct netlink_ext_ack *extack)
{
	return vlo_nl_apply(netdev_priv(dev), data, extack);
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
