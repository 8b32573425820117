// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl stats [-a] [-w SECS] [-c COUNT] [DEV]: accounting rates per device
 * (or with -a per address) and direction, like ifstat: read the totals,
 * wait, read again, print packets/s and bits/s. Without -c it runs until
 * SIGINT or SIGTERM and then exits 0; JSON output is one array of samples,
 * closed on the way out.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "genl.h"
#include "out.h"
#include "rate.h"
#include "vloctl.h"

#define STATS_ROW	"%-15s %10s %10s %10s %10s\n"

struct stats_dev {
	int ifindex;
	char name[IFNAMSIZ];
	struct vlo_pb prev[VLO_NR_DIRS];
	bool fresh;		/* no previous reading yet */
};

struct stats {
	const struct vlo_args *a;
	struct vlo_devs d;
	struct stats_dev *devs;
	size_t n;
};

static volatile sig_atomic_t stats_stop;

static void stats_signal(int sig)
{
	(void)sig;
	stats_stop = 1;
}

static double stats_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep until the absolute monotonic time t; false if interrupted to stop. */
static bool stats_sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	while (!stats_stop) {
		int err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					  NULL);

		if (err != EINTR)
			break;
	}
	return !stats_stop;
}

static int stats_add(struct stats *st, const struct vlo_link *l)
{
	struct stats_dev *v = realloc(st->devs, (st->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	st->devs = v;
	v = &st->devs[st->n++];
	memset(v, 0, sizeof(*v));
	v->ifindex = l->ifindex;
	snprintf(v->name, sizeof(v->name), "%s", l->name);
	v->fresh = true;
	return 0;
}

/*
 * Without DEV, follow the vlo devices as they come and go: new ones get a
 * first reading now and a rate from the next sample on.
 */
static int stats_relist(struct stats *st)
{
	size_t i, j;

	vlo_devs_free(&st->d);
	if (vlo_devs_load(&st->d, NULL))
		return -1;
	for (i = 0; i < st->n;) {
		bool found = false;

		for (j = 0; j < st->d.nr_vlo && !found; j++)
			found = st->d.vlo[j]->ifindex == st->devs[i].ifindex;
		if (found) {
			i++;
			continue;
		}
		memmove(&st->devs[i], &st->devs[i + 1],
			(st->n - i - 1) * sizeof(*st->devs));
		st->n--;
	}
	for (j = 0; j < st->d.nr_vlo; j++) {
		bool found = false;

		for (i = 0; i < st->n; i++) {
			if (st->devs[i].ifindex != st->d.vlo[j]->ifindex)
				continue;
			/* renamed */
			snprintf(st->devs[i].name, sizeof(st->devs[i].name),
				 "%s", st->d.vlo[j]->name);
			found = true;
		}
		if (!found && stats_add(st, st->d.vlo[j]))
			return -1;
	}
	return 0;
}

static void stats_dir(const char *key, uint64_t dp, uint64_t db, double secs)
{
	vlo_out_begin_object(key);
	vlo_out_u64("packets", NULL, dp);
	vlo_out_u64("bytes", NULL, db);
	vlo_out_double("packets_per_sec", NULL, vlo_rate_per_sec(dp, secs));
	vlo_out_double("bits_per_sec", NULL, vlo_rate_bits_per_sec(db, secs));
	vlo_out_end_object();
}

static void stats_line(const struct stats_dev *v,
		       const struct vlo_pb cur[VLO_NR_DIRS], double secs)
{
	char r[4][VLO_FMT_LEN];
	uint64_t dp[VLO_NR_DIRS], db[VLO_NR_DIRS];
	int dir;

	for (dir = 0; dir < VLO_NR_DIRS; dir++) {
		dp[dir] = vlo_rate_delta(v->prev[dir].packets, cur[dir].packets);
		db[dir] = vlo_rate_delta(v->prev[dir].bytes, cur[dir].bytes);
		vlo_rate_fmt(vlo_rate_per_sec(dp[dir], secs), r[2 * dir],
			     sizeof(r[0]));
		vlo_rate_fmt(vlo_rate_bits_per_sec(db[dir], secs),
			     r[2 * dir + 1], sizeof(r[0]));
	}
	vlo_out_begin_object(NULL);
	vlo_out_int("ifindex", NULL, v->ifindex);
	vlo_out_str("ifname", NULL, v->name);
	for (dir = 0; dir < VLO_NR_DIRS; dir++)
		stats_dir(vlo_dir_names[dir], dp[dir], db[dir], secs);
	vlo_out_end_object();
	vlo_out_text(STATS_ROW, v->name, r[0], r[1], r[2], r[3]);
}

/* The totals of one device, from one snapshot of its counters. */
static int stats_read(struct stats *st, const struct stats_dev *v,
		      struct vlo_pb cur[VLO_NR_DIRS])
{
	uint64_t ctr[VLO_NR_CTRS];
	struct vlo_acct acct;

	if (vlo_nl_get_vlo_ctrs(&st->d.nl, v->ifindex, ctr))
		return -1;
	vlo_acct_from_ctrs(&acct, ctr);
	memcpy(cur, acct.total, sizeof(acct.total));
	return 0;
}

/*
 * One reading of every device and, with print, a sample of the rates since
 * the previous one; without print, only the first reading of new devices.
 */
static int stats_sample(struct stats *st, double secs, bool print)
{
	size_t i;

	if (print) {
		vlo_out_begin_object(NULL);
		vlo_out_double("interval", NULL, secs);
		vlo_out_begin_array("devices");
	}
	for (i = 0; i < st->n;) {
		struct stats_dev *v = &st->devs[i];
		struct vlo_pb cur[VLO_NR_DIRS];

		if (!print && !v->fresh) {
			i++;
			continue;
		}
		if (stats_read(st, v, cur)) {
			if (errno == ENODEV && !st->a->dev) {
				/* gone between listing and reading */
				memmove(v, v + 1, (st->n - i - 1) * sizeof(*v));
				st->n--;
				continue;
			}
			if (print) {
				vlo_out_end_array();
				vlo_out_end_object();
			}
			vlo_dev_acct_err(v->name, errno);
			return -1;
		}
		if (print && !v->fresh)
			stats_line(v, cur, secs);
		memcpy(v->prev, cur, sizeof(v->prev));
		v->fresh = false;
		i++;
	}
	if (print) {
		vlo_out_end_array();
		vlo_out_end_object();
		if (st->n > 1)
			vlo_out_text("\n");
	}
	vlo_out_flush();
	return 0;
}

static void stats_notes(const struct stats *st)
{
	const struct vlo_link *l;
	size_t i;

	if (!st->n)
		vlo_err("note: no vlo devices yet; create one with 'ip link add vlo0 type vlo'");
	for (i = 0; i < st->d.nr_vlo; i++) {
		l = st->d.vlo[i];
		if (l->has_vlo_data && !l->accounting)
			vlo_err("note: accounting is off on %s: 'echo 1 > /sys/class/net/%s/vlo/accounting'",
				l->name, l->name);
	}
}

/* Sample every interval until COUNT samples, a signal or an error. */
static int stats_run(struct stats *st, double last)
{
	const struct vlo_args *a = st->a;
	double next = last, now;
	unsigned long n;

	for (n = 0; !a->count || n < a->count; n++) {
		next += a->interval;
		if (!stats_sleep_until(next))
			break;
		now = stats_now();
		if (stats_sample(st, now - last, true))
			return -1;
		last = now;
		if (!a->dev && stats_relist(st))
			return -1;
		/* devices that appeared: their first reading, no rate yet */
		if (stats_sample(st, 0, false))
			return -1;
	}
	return 0;
}

/* ---- stats -a: per address, from the "vlo" generic netlink family ---- */

#define STATS_ADDR_ROW	"%-15s %-28s %10s %10s %10s %10s\n"

static const struct vlo_genl_addrmsg *
stats_addr_find(const struct vlo_genl_addrs *l,
		const struct vlo_genl_addrmsg *a)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].ifindex == a->ifindex &&
		    l->v[i].family == a->family &&
		    !memcmp(l->v[i].addr, a->addr, sizeof(a->addr)))
			return &l->v[i];
	return NULL;
}

/* One line per address present in both readings (new ones wait a sample). */
static void stats_addrs_print(const struct vlo_genl_addrs *prev,
			      const struct vlo_genl_addrs *cur, double secs)
{
	struct vlo_acct pa, ca;
	char addr[VLO_FMT_LEN], r[4][VLO_FMT_LEN];
	uint64_t dp[VLO_NR_DIRS], db[VLO_NR_DIRS];
	size_t i;
	int d;

	vlo_out_begin_object(NULL);
	vlo_out_double("interval", NULL, secs);
	vlo_out_begin_array("addresses");
	for (i = 0; i < cur->n; i++) {
		const struct vlo_genl_addrmsg *a = &cur->v[i];
		const struct vlo_genl_addrmsg *p = stats_addr_find(prev, a);

		if (!p)
			continue;
		vlo_acct_from_ctrs(&pa, p->ctr);
		vlo_acct_from_ctrs(&ca, a->ctr);
		for (d = 0; d < VLO_NR_DIRS; d++) {
			dp[d] = vlo_rate_delta(pa.total[d].packets,
					       ca.total[d].packets);
			db[d] = vlo_rate_delta(pa.total[d].bytes,
					       ca.total[d].bytes);
			vlo_rate_fmt(vlo_rate_per_sec(dp[d], secs), r[2 * d],
				     sizeof(r[0]));
			vlo_rate_fmt(vlo_rate_bits_per_sec(db[d], secs),
				     r[2 * d + 1], sizeof(r[0]));
		}
		vlo_fmt_addr(a->family, a->addr, addr, sizeof(addr));
		vlo_out_begin_object(NULL);
		vlo_out_int("ifindex", NULL, a->ifindex);
		vlo_out_str("ifname", NULL, a->ifname);
		vlo_out_str("local", NULL, addr);
		for (d = 0; d < VLO_NR_DIRS; d++)
			stats_dir(vlo_dir_names[d], dp[d], db[d], secs);
		vlo_out_end_object();
		vlo_out_text(STATS_ADDR_ROW, a->ifname, addr, r[0], r[1], r[2],
			     r[3]);
	}
	vlo_out_end_array();
	vlo_out_end_object();
	if (cur->n > 1)
		vlo_out_text("\n");
	vlo_out_flush();
}

static int stats_addrs_read(struct vlo_genl *g, const char *dev, int ifindex,
			    struct vlo_genl_addrs *l)
{
	l->n = 0;
	/* rates of the totals only */
	if (!vlo_genl_dump_addrs(g, ifindex, false, true, vlo_genl_addrs_add, l))
		return 0;
	vlo_addrs_err("cannot read the address counters", dev, errno);
	return -1;
}

static int stats_addrs_run(const struct vlo_args *a)
{
	struct vlo_genl_addrs prev = { 0 }, cur = { 0 }, tmp;
	int ifindex, ret = VLO_EXIT_ERR;
	double last, next, now;
	struct vlo_genl g;
	unsigned long n;

	if (vlo_addrs_ifindex(a->dev, &ifindex) || vlo_addrs_genl_open(&g))
		return VLO_EXIT_ERR;
	last = next = stats_now();
	if (stats_addrs_read(&g, a->dev, ifindex, &prev))
		goto out;
	vlo_out_begin_array(NULL);
	vlo_out_text(STATS_ADDR_ROW, "interface", "address", "in pkt/s",
		     "in bit/s", "out pkt/s", "out bit/s");
	vlo_out_flush();
	for (n = 0; !a->count || n < a->count; n++) {
		next += a->interval;
		if (!stats_sleep_until(next))
			break;
		now = stats_now();
		if (stats_addrs_read(&g, a->dev, ifindex, &cur)) {
			vlo_out_end_array();
			goto out;
		}
		stats_addrs_print(&prev, &cur, now - last);
		last = now;
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	vlo_out_end_array();
	ret = VLO_EXIT_OK;
out:
	free(prev.v);
	free(cur.v);
	vlo_genl_close(&g);
	return ret;
}

int vlo_cmd_stats(const struct vlo_args *a)
{
	struct sigaction sa = { .sa_handler = stats_signal };
	struct stats st = { .a = a };
	int ret = VLO_EXIT_ERR;
	double start;
	size_t i;

	if (a->addrs) {
		if (vlo_dev_check_module())
			return VLO_EXIT_ERR;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		return stats_addrs_run(a);
	}
	if (vlo_dev_check_module() || vlo_devs_load(&st.d, a->dev))
		return VLO_EXIT_ERR;
	for (i = 0; i < st.d.nr_vlo; i++) {
		if (stats_add(&st, st.d.vlo[i])) {
			vlo_err("out of memory");
			goto out;
		}
	}
	stats_notes(&st);

	/* No SA_RESTART: the signal must end the sleep. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/*
	 * The first reading comes before any output: once the header (or
	 * "[") is out, traffic counts in the first sample. Tests rely on it.
	 */
	start = stats_now();
	if (stats_sample(&st, 0, false))
		goto out;
	vlo_out_begin_array(NULL);
	vlo_out_text(STATS_ROW, "interface", "in pkt/s", "in bit/s",
		     "out pkt/s", "out bit/s");
	vlo_out_flush();
	ret = stats_run(&st, start) ? VLO_EXIT_ERR : VLO_EXIT_OK;
	vlo_out_end_array();
out:
	free(st.devs);
	vlo_devs_free(&st.d);
	return ret;
}
