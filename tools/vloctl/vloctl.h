/* SPDX-License-Identifier: GPL-2.0 */
/* vloctl: what main.c hands to each subcommand, and what they share. */
#ifndef VLOCTL_H
#define VLOCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

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
int vlo_cmd_doctor(const struct vlo_args *a);

/* dev.c: the vlo devices a command works on. */
struct vlo_devs {
	struct vlo_nl nl;
	struct vlo_link_list links;	/* every link of the netns */
	struct vlo_link **vlo;		/* the selected vlo devices */
	size_t nr_vlo;
};

int vlo_dev_check_module(void);
int vlo_devs_load(struct vlo_devs *d, const char *dev);
void vlo_devs_free(struct vlo_devs *d);
bool vlo_link_is_vlo(const struct vlo_link *l);
const char *vlo_devs_name(const struct vlo_devs *d, int ifindex, char *buf,
			  size_t len);

/* sysfs.c: /sys/class/net/DEV/vlo/ and /sys/module/vlo. */
enum { VLO_IN, VLO_OUT, VLO_NR_DIRS };
enum { VLO_IPV4, VLO_IPV6, VLO_NR_AFS };
enum { VLO_ICMP, VLO_TCP, VLO_UDP, VLO_OTHER, VLO_NR_PROTOS };

struct vlo_pb {
	uint64_t packets;
	uint64_t bytes;
};

struct vlo_acct {
	bool enabled;
	struct vlo_pb total[VLO_NR_DIRS];
	struct vlo_pb cell[VLO_NR_DIRS][VLO_NR_AFS][VLO_NR_PROTOS];
};

extern const char *const vlo_dir_names[VLO_NR_DIRS];
extern const char *const vlo_af_names[VLO_NR_AFS];
extern const char *const vlo_proto_names[VLO_NR_PROTOS];

bool vlo_sysfs_module_loaded(void);
int vlo_sysfs_module_version(char *buf, size_t len);
int vlo_sysfs_accounting(const char *dev, bool *enabled);
int vlo_sysfs_read_totals(const char *dev, struct vlo_pb total[VLO_NR_DIRS]);
int vlo_sysfs_read_acct(const char *dev, struct vlo_acct *acct);
int vlo_sysfs_reset(const char *dev);
const char *vlo_sysfs_last_path(void);

/* netns.c */
int vlo_netns_enter(const char *name);

#endif /* VLOCTL_H */
