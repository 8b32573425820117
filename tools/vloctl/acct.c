// SPDX-License-Identifier: GPL-2.0
/*
 * The counters in the kernel's order (linux/vlo.h: the four totals, then
 * {in,out} x {ipv4,ipv6} x {icmp,tcp,udp,other} x {packets,bytes}) into
 * the tables vloctl prints.
 */
#include "acct.h"

#define ACCT_NR(a)	(sizeof(a) / sizeof((a)[0]))

/* The words of the counters' names (linux/vlo.h), the keys of the JSON. */
const char *const vlo_dir_names[] = { VLO_CTR_DIRS(VLO_CTR_WORD, "") };
const char *const vlo_af_names[] = { VLO_CTR_AFS(VLO_CTR_WORD, "") };
const char *const vlo_proto_names[] = { VLO_CTR_PROTOS(VLO_CTR_WORD, "") };
_Static_assert(ACCT_NR(vlo_dir_names) == VLO_NR_DIRS, "VLO_CTR_DIRS");
_Static_assert(ACCT_NR(vlo_af_names) == VLO_NR_AFS, "VLO_CTR_AFS");
_Static_assert(ACCT_NR(vlo_proto_names) == VLO_NR_PROTOS, "VLO_CTR_PROTOS");

/* Counter index (0-based, as in ethtool -S) of the attribute. */
#define ACCT_IDX(attr)	((attr) - VLO_CTR_IN_PACKETS)

void vlo_acct_from_ctrs(struct vlo_acct *acct, const uint64_t ctr[VLO_NR_CTRS])
{
	const uint64_t *c = &ctr[ACCT_IDX(VLO_CTR_IN_IPV4_ICMP_PACKETS)];
	int d, f, p;

	acct->total[VLO_IN].packets = ctr[ACCT_IDX(VLO_CTR_IN_PACKETS)];
	acct->total[VLO_IN].bytes = ctr[ACCT_IDX(VLO_CTR_IN_BYTES)];
	acct->total[VLO_OUT].packets = ctr[ACCT_IDX(VLO_CTR_OUT_PACKETS)];
	acct->total[VLO_OUT].bytes = ctr[ACCT_IDX(VLO_CTR_OUT_BYTES)];
	for (d = 0; d < VLO_NR_DIRS; d++)
		for (f = 0; f < VLO_NR_AFS; f++)
			for (p = 0; p < VLO_NR_PROTOS; p++) {
				acct->cell[d][f][p].packets = *c++;
				acct->cell[d][f][p].bytes = *c++;
			}
}
