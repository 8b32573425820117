// SPDX-License-Identifier: GPL-2.0
/* ethtool -i and -S: the driver's identity and the accounting counters. */

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/string.h>

#include "compat.h"
#include "vlo.h"

static void vlo_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, VLO_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, VLO_VERSION, sizeof(info->version));
}

static int vlo_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? VLO_NR_COUNTERS : -EOPNOTSUPP;
}

static void vlo_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < VLO_NR_COUNTERS; i++)
		ethtool_puts(&data, vlo_acct_names[i]);
}

static void vlo_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	vlo_acct_read(netdev_priv(dev), data);
}

const struct ethtool_ops vlo_ethtool_ops = {
	.get_drvinfo		= vlo_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_sset_count		= vlo_get_sset_count,
	.get_strings		= vlo_get_strings,
	.get_ethtool_stats	= vlo_get_ethtool_stats,
};
