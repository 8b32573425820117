// SPDX-License-Identifier: GPL-2.0
/*
 * The carry switch: with it on, what this host sends to the device's own
 * addresses crosses the device, as traffic to 127.0.0.1 crosses lo.
 */

#include <linux/netdevice.h>
#include <net/netlink.h>

#include "vlo.h"

int vlo_carry_set(struct vlo_priv *vp, bool on,
		  struct netlink_ext_ack *extack)
{
	if (on) {
		NL_SET_ERR_MSG(extack, "vlo: carry is not supported by this version of the module");
		return -EOPNOTSUPP;
	}
	WRITE_ONCE(vp->carry, false);
	return 0;
}

bool vlo_carry_get(const struct vlo_priv *vp)
{
	return READ_ONCE(vp->carry);
}
