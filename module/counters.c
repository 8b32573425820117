// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting's counters: per-CPU blocks of packets and bytes, the
 * device's split by direction, family and protocol (struct vlo_acct_cpu),
 * an address's four totals or, with the device's addr-split, its own split
 * (struct vlo_acct_tot or vlo_acct_cpu). The hooks (hooks.c) count a
 * packet here with vlo_count(); readers sum the CPUs into a snapshot, and
 * read-and-zero takes the snapshot away exactly. The counters' names come
 * from linux/vlo.h. The blocks of an address are allocated with its entry
 * (addr.c).
 */

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <net/netns/generic.h>

#include "acct.h"

/*
 * Serialises counter reads with read-and-zero, so that a read never sees
 * half of one. A spinlock: dumps read under vlo_net.lock.
 */
static DEFINE_SPINLOCK(vlo_acct_lock);

/*
 * One reading of a block's counters: every cell of a device's (or a split
 * address's) block, or an address's totals, by direction.
 */
struct vlo_snap {
	u64 packets[VLO_NR_CELLS];
	u64 bytes[VLO_NR_CELLS];
};

/*
 * Sums every CPU's @n pairs at @pb into @s, each CPU's read as one under
 * its copy of @syncp (both per-CPU pointers into one block).
 */
static void vlo_pb_sum(const struct vlo_acct_pb __percpu *pb, unsigned int n,
		       const struct u64_stats_sync __percpu *syncp,
		       struct vlo_snap *s)
{
	struct vlo_snap c;
	unsigned int start, i;
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct u64_stats_sync *sync = per_cpu_ptr(syncp, cpu);
		const struct vlo_acct_pb *p = per_cpu_ptr(pb, cpu);

		do {
			start = u64_stats_fetch_begin(sync);
			for (i = 0; i < n; i++) {
				c.packets[i] = u64_stats_read(&p[i].packets);
				c.bytes[i] = u64_stats_read(&p[i].bytes);
			}
		} while (u64_stats_fetch_retry(sync, start));

		for (i = 0; i < n; i++) {
			s->packets[i] += c.packets[i];
			s->bytes[i] += c.bytes[i];
		}
	}
}

static void vlo_cells_sum(struct vlo_acct_cpu __percpu *acct,
			  struct vlo_snap *s)
{
	vlo_pb_sum(acct->cell, VLO_NR_CELLS, &acct->syncp, s);
}

static void vlo_tot_sum(struct vlo_acct_tot __percpu *tot, struct vlo_snap *s)
{
	vlo_pb_sum(tot->dir, VLO_NR_DIRS, &tot->syncp, s);
}

/* @counters (VLO_NR_COUNTERS values) in the order of vlo_acct_names. */
static void vlo_cells_fill(u64 *counters, const struct vlo_snap *s)
{
	unsigned int i, dir;

	memset(counters, 0, VLO_NR_TOTALS * sizeof(*counters));
	for (i = 0; i < VLO_NR_CELLS; i++) {
		dir = vlo_cell_dir(i);
		counters[2 * dir] += s->packets[i];
		counters[2 * dir + 1] += s->bytes[i];
		counters[VLO_NR_TOTALS + 2 * i] = s->packets[i];
		counters[VLO_NR_TOTALS + 2 * i + 1] = s->bytes[i];
	}
}

/* The same from an address's totals: the split is left at zero. */
static void vlo_tot_fill(u64 *counters, const struct vlo_snap *s)
{
	unsigned int dir;

	memset(counters, 0, VLO_NR_COUNTERS * sizeof(*counters));
	for (dir = 0; dir < VLO_NR_DIRS; dir++) {
		counters[2 * dir] = s->packets[dir];
		counters[2 * dir + 1] = s->bytes[dir];
	}
}

/*
 * Exact read-and-zero without stopping the writers: take each CPU's value
 * and subtract the sum from this CPU's counter. An increment made after its
 * CPU was read stays counted; one made before is taken away exactly once,
 * and is in what the caller gets. Called with vlo_acct_lock held, on the
 * @n pairs at @pb of a block whose seqcount is @syncp (per-CPU pointers).
 */
static void vlo_pb_sub(struct vlo_acct_pb __percpu *pb, unsigned int n,
		       struct u64_stats_sync __percpu *syncp,
		       const struct vlo_snap *s)
{
	struct u64_stats_sync *sync;
	struct vlo_acct_pb *c;
	unsigned int i;

	local_bh_disable();
	c = this_cpu_ptr(pb);
	sync = this_cpu_ptr(syncp);
	u64_stats_update_begin(sync);
	for (i = 0; i < n; i++) {
		u64_stats_set(&c[i].packets,
			      u64_stats_read(&c[i].packets) - s->packets[i]);
		u64_stats_set(&c[i].bytes,
			      u64_stats_read(&c[i].bytes) - s->bytes[i]);
	}
	u64_stats_update_end(sync);
	local_bh_enable();
}

static void vlo_cells_sub(struct vlo_acct_cpu __percpu *acct,
			  const struct vlo_snap *s)
{
	vlo_pb_sub(acct->cell, VLO_NR_CELLS, &acct->syncp, s);
}

static void vlo_tot_sub(struct vlo_acct_tot __percpu *tot,
			const struct vlo_snap *s)
{
	vlo_pb_sub(tot->dir, VLO_NR_DIRS, &tot->syncp, s);
}

/* An address's counters, whichever block it has. */
static void vlo_addr_sum(const struct vlo_addr *va, struct vlo_snap *s)
{
	if (va->split)
		vlo_cells_sum(va->cells, s);
	else
		vlo_tot_sum(va->tot, s);
}

static void vlo_addr_fill(const struct vlo_addr *va, u64 *counters,
			  const struct vlo_snap *s)
{
	if (va->split)
		vlo_cells_fill(counters, s);
	else
		vlo_tot_fill(counters, s);
}

static void vlo_addr_sub(const struct vlo_addr *va, const struct vlo_snap *s)
{
	if (va->split)
		vlo_cells_sub(va->cells, s);
	else
		vlo_tot_sub(va->tot, s);
}

/*
 * @counters of the address (NULL: not wanted), taken away if @zero. Called
 * with vlo_acct_lock held.
 */
static void vlo_addr_take(const struct vlo_addr *va, u64 *counters, bool zero)
{
	struct vlo_snap s;

	vlo_addr_sum(va, &s);
	if (counters)
		vlo_addr_fill(va, counters, &s);
	if (zero)
		vlo_addr_sub(va, &s);
}

/* The same for the device's counters. */
static void vlo_dev_take(struct vlo_priv *vp, u64 *counters, bool zero)
{
	struct vlo_snap s;

	vlo_cells_sum(vp->acct, &s);
	if (counters)
		vlo_cells_fill(counters, &s);
	if (zero)
		vlo_cells_sub(vp->acct, &s);
}

/* Fills @counters (VLO_NR_COUNTERS values) in the order of vlo_acct_names. */
void vlo_acct_read(struct vlo_priv *vp, u64 *counters)
{
	spin_lock_bh(&vlo_acct_lock);
	vlo_dev_take(vp, counters, false);
	spin_unlock_bh(&vlo_acct_lock);
}

/*
 * Read-and-zero of the device's counters and of each of its addresses',
 * all at one instant for readers. @counters (or NULL) gets the device's.
 */
void vlo_acct_zero(struct vlo_priv *vp, u64 *counters)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct rb_node *n;

	spin_lock_bh(&vn->lock);
	spin_lock(&vlo_acct_lock);
	vlo_dev_take(vp, counters, true);
	for (n = rb_first(&vp->addrs); n; n = rb_next(n))
		vlo_addr_take(rb_entry(n, struct vlo_addr, dev_node), NULL,
			      true);
	spin_unlock(&vlo_acct_lock);
	spin_unlock_bh(&vn->lock);
}

void vlo_acct_reset(struct vlo_priv *vp)
{
	vlo_acct_zero(vp, NULL);
}

static void vlo_addr_info(const struct vlo_addr *va, struct vlo_addr_info *ai)
{
	ai->af = va->af == VLO_AF_IPV4 ? AF_INET : AF_INET6;
	memcpy(&ai->addr, &va->key, vlo_key_len(va->af));
	ai->plens = READ_ONCE(va->plens);
	ai->split = va->split;
}

/*
 * Calls @fn for @vp's addresses in (family, address) order, from the first
 * after @after (from the first if @after is NULL), with each one's counters,
 * until @fn returns nonzero, which it returns. With @zero, an address's
 * counters are taken away once @fn accepted them (returned 0): exactly what
 * it was given. @fn runs under spinlocks and must not sleep.
 */
int vlo_acct_addr_walk(struct vlo_priv *vp, const struct vlo_addr_info *after,
		       bool zero, int (*fn)(const struct vlo_addr_info *ai,
					    void *arg),
		       void *arg)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr_info ai;
	struct vlo_addr *va;
	struct vlo_snap s;
	struct rb_node *n;
	int ret = 0;

	spin_lock_bh(&vn->lock);
	va = after ? vlo_addr_seek(vp, after->af == AF_INET ? VLO_AF_IPV4 :
				   VLO_AF_IPV6, &after->addr, false) :
		     vlo_addr_seek(vp, 0, NULL, false);
	spin_lock(&vlo_acct_lock);
	for (n = va ? &va->dev_node : NULL; n && !ret; n = rb_next(n)) {
		va = rb_entry(n, struct vlo_addr, dev_node);
		vlo_addr_info(va, &ai);
		vlo_addr_sum(va, &s);
		vlo_addr_fill(va, ai.counters, &s);
		ret = fn(&ai, arg);
		if (!ret && zero)
			vlo_addr_sub(va, &s);
	}
	spin_unlock(&vlo_acct_lock);
	spin_unlock_bh(&vn->lock);
	return ret;
}

/* The address's counters (taken away if @zero), or -ENOENT. */
int vlo_acct_addr_get(struct vlo_priv *vp, struct vlo_addr_info *ai,
		      bool zero)
{
	struct vlo_net *vn = net_generic(dev_net(vp->dev), vlo_net_id);
	struct vlo_addr *va;
	int err = -ENOENT;

	spin_lock_bh(&vn->lock);
	va = vlo_addr_find(vp, ai->af == AF_INET ? VLO_AF_IPV4 : VLO_AF_IPV6,
			   &ai->addr);
	if (va) {
		vlo_addr_info(va, ai);
		spin_lock(&vlo_acct_lock);
		vlo_addr_take(va, ai->counters, zero);
		spin_unlock(&vlo_acct_lock);
		err = 0;
	}
	spin_unlock_bh(&vn->lock);
	return err;
}

void vlo_acct_set(struct vlo_priv *vp, bool on)
{
	WRITE_ONCE(vp->accounting, on);
}

bool vlo_acct_get(const struct vlo_priv *vp)
{
	return READ_ONCE(vp->accounting);
}

/* Built from linux/vlo.h's lists, as the ip plugin's and vloctl's are. */
const char vlo_acct_names[][ETH_GSTRING_LEN] = { VLO_CTR_NAMES };
static_assert(ARRAY_SIZE(vlo_acct_names) == VLO_NR_COUNTERS);
