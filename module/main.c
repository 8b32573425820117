// SPDX-License-Identifier: GPL-2.0
/*
 * vlo: extra loopback interfaces (vlo0, vlo1, ...) that behave like lo and
 * count the traffic to and from their own addresses.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "vlo.h"

#define VLO_MAX_NUMDEVS	1024

static unsigned int numdevs = 1;

/*
 * Decimal only: the kernel's own uint parser also takes octal (010 is 8)
 * and hex (0x10), which a count of devices never means.
 */
static int vlo_numdevs_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 10, &n) || n > VLO_MAX_NUMDEVS) {
		pr_err("numdevs=%s refused: give a number from 0 to %u (decimal)\n",
		       val, VLO_MAX_NUMDEVS);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops vlo_numdevs_ops = {
	.set	= vlo_numdevs_set,
	.get	= param_get_uint,
};

module_param_cb(numdevs, &vlo_numdevs_ops, &numdevs, 0444);
__MODULE_PARM_TYPE(numdevs, "uint");
MODULE_PARM_DESC(numdevs,
		 "Number of vlo devices created in the initial network namespace at load (0-1024, default 1)");

static int __init vlo_init(void)
{
	unsigned int i;
	int err;

	vlo_sysfs_init();

	err = vlo_acct_init();
	if (err)
		return err;

	err = vlo_carry_init();
	if (err)
		goto err_acct;

	err = vlo_dev_module_init();
	if (err)
		goto err_carry;

	err = vlo_genl_init();
	if (err)
		goto err_dev;

	rtnl_lock();
	for (i = 0; i < numdevs && !err; i++) {
		err = vlo_create(&init_net);
		cond_resched();
	}
	rtnl_unlock();
	if (err) {
		pr_err("cannot create device %u of %u: error %d\n", i, numdevs,
		       err);
		goto err_genl;
	}
	return 0;

err_genl:
	vlo_genl_exit();
err_dev:
	vlo_dev_module_exit();
err_carry:
	vlo_carry_exit();
err_acct:
	vlo_acct_exit();
	return err;
}

static void __exit vlo_exit(void)
{
	vlo_genl_exit();
	vlo_dev_module_exit();
	vlo_carry_exit();
	vlo_acct_exit();
}

module_init(vlo_init);
module_exit(vlo_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Extra loopback interfaces with per-address traffic accounting");
MODULE_VERSION(VLO_VERSION);
MODULE_ALIAS_RTNL_LINK(VLO_DRV_NAME);
