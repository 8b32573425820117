// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/net/<dev>/vlo/: the accounting and carry switches, the reset
 * trigger and one file per counter.
 */

#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/sysfs.h>

#include "vlo.h"

struct vlo_counter_attr {
	struct device_attribute attr;
	unsigned int idx;
};

static struct vlo_counter_attr vlo_counter_attrs[VLO_NR_COUNTERS];

static ssize_t vlo_counter_show(struct device *d, struct device_attribute *attr,
				char *buf)
{
	const struct vlo_counter_attr *ca =
		container_of(attr, struct vlo_counter_attr, attr);
	u64 counters[VLO_NR_COUNTERS];

	vlo_acct_read(netdev_priv(to_net_dev(d)), counters);
	return sysfs_emit(buf, "%llu\n", counters[ca->idx]);
}

/*
 * Writes need CAP_NET_ADMIN in the device's namespace, like the core's own
 * net sysfs files; the value must be a decimal number, as the file says.
 */
static int vlo_parse_write(struct net_device *dev, const char *buf,
			   size_t len, u8 *val)
{
	if (!ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	/* kstrtou8() stops at a NUL: "0\0junk" must not pass for "0" */
	if (strnlen(buf, len) != len || kstrtou8(buf, 10, val))
		return -EINVAL;
	return 0;
}

/* A setting changes as over rtnetlink: checked, set and announced there. */
static ssize_t vlo_setting_store(struct device *d, const char *buf,
				 size_t len, u16 type)
{
	struct net_device *dev = to_net_dev(d);
	u8 val;
	int err;

	err = vlo_parse_write(dev, buf, len, &val);
	if (!err)
		err = vlo_nl_set(dev, type, val);
	return err ? err : len;
}

static ssize_t accounting_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  vlo_acct_get(netdev_priv(to_net_dev(d))));
}

static ssize_t accounting_store(struct device *d, struct device_attribute *attr,
				const char *buf, size_t len)
{
	return vlo_setting_store(d, buf, len, IFLA_VLO_ACCOUNTING);
}
static DEVICE_ATTR_RW(accounting);

static ssize_t carry_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", vlo_carry_get(netdev_priv(to_net_dev(d))));
}

static ssize_t carry_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	return vlo_setting_store(d, buf, len, IFLA_VLO_CARRY);
}
static DEVICE_ATTR_RW(carry);

static ssize_t reset_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	struct net_device *dev = to_net_dev(d);
	u8 val;
	int err;

	err = vlo_parse_write(dev, buf, len, &val);
	if (err)
		return err;
	if (val != 1)
		return -EINVAL;
	vlo_acct_reset(netdev_priv(dev));
	return len;
}
static DEVICE_ATTR_WO(reset);

#define VLO_NR_CONTROLS	3

/* the controls, the counters and the terminating NULL */
static struct attribute *vlo_sysfs_attrs[VLO_NR_CONTROLS + VLO_NR_COUNTERS + 1] = {
	&dev_attr_accounting.attr,
	&dev_attr_reset.attr,
	&dev_attr_carry.attr,
};

const struct attribute_group vlo_sysfs_group = {
	.name	= "vlo",
	.attrs	= vlo_sysfs_attrs,
};

/* Builds one read-only attribute per counter, named as in vlo_acct_names. */
void vlo_sysfs_init(void)
{
	unsigned int i;

	for (i = 0; i < VLO_NR_COUNTERS; i++) {
		struct vlo_counter_attr *ca = &vlo_counter_attrs[i];

		sysfs_attr_init(&ca->attr.attr);
		ca->attr.attr.name = vlo_acct_names[i];
		ca->attr.attr.mode = 0444;
		ca->attr.show = vlo_counter_show;
		ca->idx = i;
		vlo_sysfs_attrs[VLO_NR_CONTROLS + i] = &ca->attr.attr;
	}
}
