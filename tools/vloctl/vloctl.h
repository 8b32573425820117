/* SPDX-License-Identifier: GPL-2.0 */
/* vloctl: what main.c hands to each subcommand, and what they share. */
#ifndef VLOCTL_H
#define VLOCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "acct.h"
#include "args.h"
#include "nl.h"

/*
 * Exit codes (vloctl(8), tested by selftests/vloctl.sh): 0 ok, 1 runtime
 * error, 2 usage. Not ip(8)'s: ip exits 1 on a syntax error and 2 when the
 * kernel refuses a request.
 */
#define VLO_EXIT_OK	0
#define VLO_EXIT_ERR	1
#define VLO_EXIT_USAGE	2

#define VLO_KIND	"vlo"

/* Subcommands (show.c, routes.c, route_get.c, stats.c, reset.c, doctor.c). */
int vlo_cmd_show(const struct vlo_args *a);
int vlo_cmd_routes(const struct vlo_args *a);
int vlo_cmd_route_get(const struct vlo_args *a);
int vlo_cmd_stats(const struct vlo_args *a);
int vlo_cmd_reset(const struct vlo_args *a);
int vlo_cmd_addrs(const struct vlo_args *a);
int vlo_cmd_export(const struct vlo_args *a);

/* addrs.c: what reset and export share with it. */
struct vlo_genl;
struct vlo_genl_addrmsg;
int vlo_addrs_ifindex(const char *dev, int *ifindex);
int vlo_addrs_genl_open(struct vlo_genl *g);
/*
 * Every address of the vlo devices (or of @ifindex), with the split where
 * the device keeps it (addr-split on), the totals elsewhere: one dump when
 * the devices agree, else one per device, in ifindex order as one dump is.
 */
int vlo_addrs_dump_split(struct vlo_genl *g, int ifindex,
			 int (*cb)(const struct vlo_genl_addrmsg *a, void *data),
			 void *data);
void vlo_addrs_err(const char *what, const char *dev, int err);
int vlo_cmd_doctor(const struct vlo_args *a);

/* dev.c: the vlo devices a command works on. */
struct vlo_devs {
	struct vlo_nlsock nl;
	struct vlo_link_list links;	/* every link of the netns */
	struct vlo_link **vlo;		/* the selected vlo devices */
	size_t nr_vlo;
};

int vlo_dev_check_module(void);
int vlo_devs_load(struct vlo_devs *d, const char *dev);
/* The same without the addresses, for a command that needs none. */
int vlo_devs_load_links(struct vlo_devs *d, const char *dev);
void vlo_devs_free(struct vlo_devs *d);
bool vlo_link_is_vlo(const struct vlo_link *l);
const char *vlo_devs_name(const struct vlo_devs *d, int ifindex, char *buf,
			  size_t len);
int vlo_dev_read_acct(struct vlo_devs *d, const struct vlo_link *l,
		      struct vlo_acct *acct);
void vlo_dev_acct_err(const char *name, int err);

/* sysfs.c: /sys/module/vlo. */
bool vlo_sysfs_module_loaded(void);
int vlo_sysfs_module_version(char *buf, size_t len);
const char *vlo_sysfs_last_path(void);

/* rt_tables.c: routing table names for vlo_fmt_table(). */
void vlo_rt_tables_load(void);

/* netns.c: -n NETNS */
int vlo_netns_enter(const char *name);

#endif /* VLOCTL_H */
