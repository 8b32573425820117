/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A device's accounting counters as vloctl shows them, filled from the
 * kernel's VLO_CTR_* attributes: pure, so the unit tests link it directly.
 */
#ifndef VLOCTL_ACCT_H
#define VLOCTL_ACCT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/vlo.h>

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

/* in the order of the enums above, which is linux/vlo.h's */
extern const char *const vlo_dir_names[];
extern const char *const vlo_af_names[];
extern const char *const vlo_proto_names[];

void vlo_acct_from_ctrs(struct vlo_acct *acct, const uint64_t ctr[VLO_NR_CTRS]);

#endif /* VLOCTL_ACCT_H */
