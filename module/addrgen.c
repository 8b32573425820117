// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 on a vlo device: a link-local address, as on a dummy, because
 * routing daemons run OSPFv3 only on an interface that has one (FRR 8.4
 * and BIRD 2.0.12 both); and, as on lo, nothing sent of its own, so that
 * an idle device transmits nothing. What an Ethernet-type device sends
 * when it comes up, and what keeps a vlo device from sending it:
 *
 *  - DAD probes and MLD joins of the solicited-node groups: addrconf
 *    skips both on an IFF_NOARP device (addrconf_dad_begin(),
 *    addrconf_join_solict()), so addresses are never tentative.
 *  - MLD reports: every inet6_dev joins ff01::1 and ff02::1, which are
 *    never reported; the all-routers groups a forwarding device would
 *    report are joined only with IFF_MULTICAST, which vlo lacks.
 *  - Router solicitations, sent once the link-local address is there
 *    unless the device's router_solicitations is 0: vlo sets it to 0.
 *
 * Checked on 6.1 and 6.12 with forwarding off and on (vlo_datapath.sh:
 * frame counters 0 and tcpdump empty after 30 s idle).
 *
 * Those settings live in the inet6_dev, which addrconf replaces: it
 * creates one at NETDEV_REGISTER (also after a move to another namespace),
 * and again whenever the MTU comes back to 1280 or more after a dip below,
 * which destroyed the old one. In that last case addrconf generates the
 * link-local address in the same notifier call that creates the inet6_dev,
 * before any later notifier can configure it; but it offers the address to
 * the inet6addr validators first. Router solicitations wait for the DAD
 * work, which takes RTNL, so a setting written in either place is in time.
 *
 * So a notifier that runs before addrconf's marks "an inet6_dev may be
 * created now", the validator configures a new one before its first
 * address, and a notifier after addrconf's configures one that got no
 * address. vlo gives a new inet6_dev the address generation mode and
 * router_solicitations the device's last one had: a user's choice
 * (`addrgenmode none` included) survives an MTU dip or a namespace move.
 * The first inet6_dev keeps the namespace's default mode.
 *
 * Linux 6.3 added IFF_NO_ADDRCONF, but it stops addrconf at link-up
 * altogether: no link-local address, which is what the daemons need.
 */

#include <linux/netdevice.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>

#include "vlo.h"

/* What vlo gives the device's next inet6_dev: what its last one had. */
static void vlo_addrgen_remember(struct vlo_priv *vp,
				 const struct inet6_dev *idev)
{
	vp->addr_gen_mode = READ_ONCE(idev->cnf.addr_gen_mode);
	vp->rtr_solicits = READ_ONCE(idev->cnf.rtr_solicits);
	vp->idev_seen = true;
}

static void vlo_addrgen_configure(struct vlo_priv *vp, struct inet6_dev *idev)
{
	if (vp->idev_seen)
		WRITE_ONCE(idev->cnf.addr_gen_mode, vp->addr_gen_mode);
	else
		vp->addr_gen_mode = READ_ONCE(idev->cnf.addr_gen_mode);
	WRITE_ONCE(idev->cnf.rtr_solicits, vp->rtr_solicits);
	vp->idev_seen = true;
	vp->idev_new = false;
}

/* The vlo device a netdevice notifier is told about, or NULL. */
static struct vlo_priv *vlo_addrgen_priv(void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	return netif_is_vlo(dev) ? netdev_priv(dev) : NULL;
}

/* Before addrconf: the settings of an inet6_dev it may destroy now. */
static int vlo_addrgen_before(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct vlo_priv *vp = vlo_addrgen_priv(ptr);
	struct inet6_dev *idev;

	if (!vp)
		return NOTIFY_DONE;
	idev = __in6_dev_get(vp->dev);
	if (idev)
		vlo_addrgen_remember(vp, idev);
	else
		vp->idev_new = true;
	return NOTIFY_DONE;
}

/* After addrconf: configure an inet6_dev it created without an address. */
static int vlo_addrgen_after(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct vlo_priv *vp = vlo_addrgen_priv(ptr);
	struct inet6_dev *idev;

	if (!vp || !vp->idev_new)
		return NOTIFY_DONE;
	idev = __in6_dev_get(vp->dev);
	if (idev)
		vlo_addrgen_configure(vp, idev);
	vp->idev_new = false;
	return NOTIFY_DONE;
}

/*
 * An address offered while the inet6_dev is new is one addrconf made in the
 * notifier call that created it (users' addresses come under RTNL, outside
 * that call). Configure the inet6_dev first; then a link-local address is
 * refused unless the mode asks for one. addrconf gives up on it quietly.
 */
static int vlo_addrgen_validate(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct in6_validator_info *i6vi = ptr;
	struct inet6_dev *idev = i6vi->i6vi_dev;
	struct vlo_priv *vp;

	if (event != NETDEV_UP || !netif_is_vlo(idev->dev))
		return NOTIFY_DONE;

	vp = netdev_priv(idev->dev);
	if (!vp->idev_new)
		return NOTIFY_DONE;
	vlo_addrgen_configure(vp, idev);
	if (vp->addr_gen_mode == IN6_ADDR_GEN_MODE_NONE &&
	    (ipv6_addr_type(&i6vi->i6vi_addr) & IPV6_ADDR_LINKLOCAL))
		return notifier_from_errno(-EADDRNOTAVAIL);
	return NOTIFY_DONE;
}

static struct notifier_block vlo_addrgen_before_nb = {
	.notifier_call	= vlo_addrgen_before,
	.priority	= ADDRCONF_NOTIFY_PRIORITY + 1,
};

static struct notifier_block vlo_addrgen_after_nb = {
	.notifier_call	= vlo_addrgen_after,
	.priority	= ADDRCONF_NOTIFY_PRIORITY - 1,
};

static struct notifier_block vlo_addrgen_validator_nb = {
	.notifier_call	= vlo_addrgen_validate,
};

/* A new device: the namespace's address generation mode, no solicitation. */
void vlo_addrgen_dev_init(struct vlo_priv *vp)
{
	vp->addr_gen_mode = IN6_ADDR_GEN_MODE_EUI64;
	vp->rtr_solicits = 0;
	vp->idev_seen = false;
	vp->idev_new = false;
}

int vlo_addrgen_init(void)
{
	int err;

	err = register_netdevice_notifier(&vlo_addrgen_before_nb);
	if (err)
		return err;
	err = register_netdevice_notifier(&vlo_addrgen_after_nb);
	if (err)
		goto err_before;
	err = register_inet6addr_validator_notifier(&vlo_addrgen_validator_nb);
	if (err)
		goto err_after;
	return 0;

err_after:
	unregister_netdevice_notifier(&vlo_addrgen_after_nb);
err_before:
	unregister_netdevice_notifier(&vlo_addrgen_before_nb);
	return err;
}

void vlo_addrgen_exit(void)
{
	unregister_inet6addr_validator_notifier(&vlo_addrgen_validator_nb);
	unregister_netdevice_notifier(&vlo_addrgen_after_nb);
	unregister_netdevice_notifier(&vlo_addrgen_before_nb);
}
