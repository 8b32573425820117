// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl reset DEV [ADDR]: read-and-zero of DEV's counters and those of
 * each of its addresses, or of ADDR's only, through the "vlo" generic
 * netlink family (needs CAP_NET_ADMIN). Nothing is lost: what the kernel
 * took away is exactly what it returned, and -j prints it.
 */
#include <errno.h>
#include <string.h>

#include "acct.h"
#include "genl.h"
#include "out.h"
#include "vloctl.h"

static void reset_print(const uint64_t *ctr)
{
	struct vlo_acct acct;
	int d;

	vlo_acct_from_ctrs(&acct, ctr);
	for (d = 0; d < VLO_NR_DIRS; d++) {
		vlo_out_begin_object(vlo_dir_names[d]);
		vlo_out_u64("packets", NULL, acct.total[d].packets);
		vlo_out_u64("bytes", NULL, acct.total[d].bytes);
		vlo_out_end_object();
	}
}

int vlo_cmd_reset(const struct vlo_args *a)
{
	struct vlo_genl_addrmsg ga;
	struct vlo_genl_devmsg gd;
	struct vlo_genl g;
	int ifindex, err;

	if (vlo_dev_check_module() || vlo_addrs_ifindex(a->dev, &ifindex) ||
	    vlo_addrs_genl_open(&g))
		return VLO_EXIT_ERR;
	if (a->addr_str)
		err = vlo_genl_zero_addr(&g, ifindex, a->family, a->addr, &ga);
	else
		err = vlo_genl_zero_dev(&g, ifindex, &gd);
	err = err ? errno : 0;
	vlo_genl_close(&g);
	if (err == ENOENT && a->addr_str) {
		vlo_err("cannot reset %s on %s: the device does not hold this address",
			a->addr_str, a->dev);
		return VLO_EXIT_ERR;
	}
	if (err == EPERM) {
		vlo_err("cannot reset %s: permission denied: needs CAP_NET_ADMIN in its network namespace (try 'sudo vloctl reset %s')",
			a->dev, a->dev);
		return VLO_EXIT_ERR;
	}
	if (err) {
		vlo_addrs_err("cannot reset", a->dev, err);
		return VLO_EXIT_ERR;
	}
	vlo_out_begin_object(NULL);
	vlo_out_str("ifname", NULL, a->dev);
	if (a->addr_str)
		vlo_out_str("local", NULL, a->addr_str);
	reset_print(a->addr_str ? ga.ctr : gd.ctr);
	vlo_out_end_object();
	return VLO_EXIT_OK;
}
