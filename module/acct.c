// SPDX-License-Identifier: GPL-2.0
/*
 * Per-address accounting: traffic to and from each address of a vlo device
 * is counted, by the device and by the address, in netfilter hooks. Its
 * files: addr.c, the per-namespace table of the vlo devices' addresses and
 * the notifiers that fill it; hooks.c, the hooks and their registration;
 * counters.c, the per-CPU counters, their reading and read-and-zero; this
 * file, the per-namespace state's life and the module's setup. acct.h is
 * what they share.
 */

#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "acct.h"

unsigned int vlo_net_id __read_mostly;

static int __net_init vlo_net_init(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);

	vn->net = net;
	/* dumps treat a generation of 0 as "not started" */
	vn->gen = 1;
	spin_lock_init(&vn->lock);
	vlo_hooks_net_init(vn);
	return vlo_addr_tables_init(vn);
}

static void __net_exit vlo_net_pre_exit(struct net *net)
{
	vlo_hooks_net_pre_exit(net_generic(net, vlo_net_id));
}

static void __net_exit vlo_net_exit(struct net *net)
{
	struct vlo_net *vn = net_generic(net, vlo_net_id);

	vlo_hooks_net_exit(vn);
	vlo_addr_tables_destroy(vn);
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

	err = register_pernet_subsys(&vlo_net_ops);
	if (err)
		return err;
	err = vlo_addr_notifiers_init();
	if (err)
		unregister_pernet_subsys(&vlo_net_ops);
	return err;
}

/* Called once every vlo device is gone. */
void vlo_acct_exit(void)
{
	vlo_addr_notifiers_exit();
	unregister_pernet_subsys(&vlo_net_ops);
	/* entries freed after a grace period call back into this module */
	rcu_barrier();
}
