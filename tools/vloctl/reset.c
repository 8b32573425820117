// SPDX-License-Identifier: GPL-2.0
/* vloctl reset DEV: zero DEV's accounting counters (needs CAP_NET_ADMIN). */
#include <errno.h>
#include <string.h>

#include "out.h"
#include "vloctl.h"

int vlo_cmd_reset(const struct vlo_args *a)
{
	struct vlo_devs d;
	int err;

	if (vlo_dev_check_module() || vlo_devs_load(&d, a->dev))
		return VLO_EXIT_ERR;
	vlo_devs_free(&d);

	if (!vlo_sysfs_reset(a->dev))
		return VLO_EXIT_OK;
	err = errno;
	if (err == EPERM || err == EACCES)
		vlo_err("cannot reset %s: permission denied: needs CAP_NET_ADMIN in its network namespace (try 'sudo vloctl reset %s')",
			a->dev, a->dev);
	else
		vlo_err("cannot reset %s: %s: %s", a->dev,
			vlo_sysfs_last_path(), strerror(err));
	return VLO_EXIT_ERR;
}
