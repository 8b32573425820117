// SPDX-License-Identifier: GPL-2.0
/*
 * Which vlo devices a command works on: all of them, or the one named,
 * with one clear line when that is impossible (module not loaded, no such
 * device, a device of another kind), and their settings and counters.
 * vlo devices are recognised by their rtnetlink link kind, which holds in
 * every network namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "vloctl.h"

int vlo_dev_check_module(void)
{
	if (vlo_sysfs_module_loaded())
		return 0;
	vlo_err("vlo module not loaded: run 'sudo modprobe vlo' (or 'sudo insmod module/vlo.ko')");
	return -1;
}

bool vlo_link_is_vlo(const struct vlo_link *l)
{
	return !strcmp(l->kind, VLO_KIND);
}

static int dev_select(struct vlo_devs *d, const char *name)
{
	struct vlo_link *l;
	size_t i;

	d->vlo = calloc(d->links.n ? d->links.n : 1, sizeof(*d->vlo));
	if (!d->vlo) {
		vlo_err("out of memory");
		return -1;
	}
	if (!name) {
		for (i = 0; i < d->links.n; i++)
			if (vlo_link_is_vlo(&d->links.v[i]))
				d->vlo[d->nr_vlo++] = &d->links.v[i];
		return 0;
	}
	l = vlo_nl_link_by_name(&d->links, name);
	if (!l) {
		vlo_err("device \"%s\" does not exist: create it with 'ip link add %s type vlo'",
			name, name);
		return -1;
	}
	if (!vlo_link_is_vlo(l)) {
		if (l->kind[0])
			vlo_err("%s is not a vlo device (its kind is %s): 'vloctl show' lists the vlo devices",
				name, l->kind);
		else
			vlo_err("%s is not a vlo device: 'vloctl show' lists the vlo devices",
				name);
		return -1;
	}
	d->vlo[d->nr_vlo++] = l;
	return 0;
}

/* Links (and addresses, if @addrs) of the netns, and the vlo devices. */
static int devs_load(struct vlo_devs *d, const char *name, bool addrs)
{
	memset(d, 0, sizeof(*d));
	if (vlo_nlsock_open(&d->nl, NETLINK_ROUTE)) {
		vlo_err("cannot open an rtnetlink socket: %s", strerror(errno));
		return -1;
	}
	if (vlo_nl_get_links(&d->nl, &d->links) ||
	    (addrs && vlo_nl_get_addrs(&d->nl, &d->links))) {
		vlo_err("cannot list interfaces and addresses: %s",
			strerror(errno));
		goto err;
	}
	if (dev_select(d, name))
		goto err;
	return 0;
err:
	vlo_devs_free(d);
	return -1;
}

int vlo_devs_load(struct vlo_devs *d, const char *name)
{
	return devs_load(d, name, true);
}

int vlo_devs_load_links(struct vlo_devs *d, const char *name)
{
	return devs_load(d, name, false);
}

void vlo_devs_free(struct vlo_devs *d)
{
	free(d->vlo);
	vlo_nl_free_links(&d->links);
	if (d->nl.sock)
		vlo_nlsock_close(&d->nl);
	memset(d, 0, sizeof(*d));
}

/*
 * l's settings (from the link dump) and counters (one RTM_GETSTATS: a
 * snapshot in which each total is the sum of its split). -1 with errno set
 * (ENODEV: l is gone); vlo_dev_acct_err() says what went wrong.
 */
int vlo_dev_read_acct(struct vlo_devs *d, const struct vlo_link *l,
		      struct vlo_acct *acct)
{
	uint64_t ctr[VLO_NR_CTRS];

	if (!l->has_vlo_data) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (vlo_nl_get_vlo_ctrs(&d->nl, l->ifindex, ctr))
		return -1;
	memset(acct, 0, sizeof(*acct));
	acct->enabled = l->accounting;
	vlo_acct_from_ctrs(acct, ctr);
	return 0;
}

void vlo_dev_acct_err(const char *name, int err)
{
	if (err == ENODEV)
		vlo_err("%s disappeared", name);
	else if (err == EPROTONOSUPPORT)
		vlo_err("the loaded vlo module does not report %s's settings and counters over rtnetlink: load the module that comes with this vloctl ('vloctl --version' shows both)",
			name);
	else
		vlo_err("cannot read the counters of %s: %s", name,
			strerror(err));
}

/* An ifindex's name, "if<N>" if unknown (as ip prints it). */
const char *vlo_devs_name(const struct vlo_devs *d, int ifindex, char *buf,
			  size_t len)
{
	const struct vlo_link *l = vlo_nl_link_by_index(&d->links, ifindex);

	if (l)
		return l->name;
	snprintf(buf, len, "if%d", ifindex);
	return buf;
}
