// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl export [--textfile DIR]: every device and address counter in the
 * Prometheus text exposition format, on standard output or, with
 * --textfile, in DIR/vlo.prom for node_exporter's textfile collector. The
 * file is written under another name in DIR and renamed over vlo.prom, so
 * the collector never reads half of one. Each device's and each address's
 * values come from one snapshot the kernel took. An address whose device
 * keeps no split per address (addr-split off) has a series per direction,
 * without the proto label.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acct.h"
#include "fmt.h"
#include "genl.h"
#include "out.h"
#include "vloctl.h"

struct export {
	FILE *f;
	struct vlo_genl_devmsg *devs;
	size_t nr_devs, cap_devs;
	struct vlo_genl_addrmsg *addrs;
	size_t nr_addrs, cap_addrs;
};

/* Room for one more element of size in *v (n used of *cap); -1 if none. */
static int export_grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*v, (*cap ? 2 * *cap : 64) * size);
	if (!p)
		return -1;
	*v = p;
	*cap = *cap ? 2 * *cap : 64;
	return 0;
}

static int export_dev_cb(const struct vlo_genl_devmsg *d, void *data)
{
	struct export *e = data;

	if (export_grow((void **)&e->devs, &e->cap_devs, e->nr_devs,
			sizeof(*d)))
		return -1;
	e->devs[e->nr_devs++] = *d;
	return 0;
}

static int export_addr_cb(const struct vlo_genl_addrmsg *a, void *data)
{
	struct export *e = data;

	if (export_grow((void **)&e->addrs, &e->cap_addrs, e->nr_addrs,
			sizeof(*a)))
		return -1;
	e->addrs[e->nr_addrs++] = *a;
	return 0;
}

/* Device names may hold '"' or '\'; label values escape them. */
static void export_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void export_head(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
}

/*
 * One metric (packets or bytes) of one device or address, every cell; the
 * labels in the order node_exporter prints them, so both texts compare.
 */
static void export_series(FILE *f, const char *name, const char *dev,
			  const char *addr, int only_af, const uint64_t *ctr,
			  bool bytes)
{
	struct vlo_acct acct;
	int d, af, p;

	vlo_acct_from_ctrs(&acct, ctr);
	for (d = 0; d < VLO_NR_DIRS; d++)
		for (af = 0; af < VLO_NR_AFS; af++) {
			if (only_af >= 0 && af != only_af)
				continue;
			for (p = 0; p < VLO_NR_PROTOS; p++) {
				const struct vlo_pb *pb = &acct.cell[d][af][p];

				fprintf(f, "%s{", name);
				if (addr)
					fprintf(f, "address=\"%s\",", addr);
				fputs("device=\"", f);
				export_label(f, dev);
				fprintf(f, "\",direction=\"%s\",family=\"%s\",proto=\"%s\"} %llu\n",
					vlo_dir_names[d], vlo_af_names[af],
					vlo_proto_names[p],
					(unsigned long long)(bytes ? pb->bytes :
							     pb->packets));
			}
		}
}

/* The same for an address that has only its totals. */
static void export_totals(FILE *f, const char *name, const char *dev,
			  const char *addr, int af, const uint64_t *ctr,
			  bool bytes)
{
	struct vlo_acct acct;
	int d;

	vlo_acct_from_ctrs(&acct, ctr);
	for (d = 0; d < VLO_NR_DIRS; d++) {
		fprintf(f, "%s{address=\"%s\",device=\"", name, addr);
		export_label(f, dev);
		fprintf(f, "\",direction=\"%s\",family=\"%s\"} %llu\n",
			vlo_dir_names[d], vlo_af_names[af],
			(unsigned long long)(bytes ? acct.total[d].bytes :
					     acct.total[d].packets));
	}
}

static void export_write(const struct export *e, FILE *f)
{
	static const struct {
		const char *name;
		const char *help;
		bool bytes;
	} dev_metrics[] = {
		{ "vlo_device_packets_total", "Packets to (in) and from (out) the addresses of a vlo device.", false },
		{ "vlo_device_bytes_total", "Bytes (IP header included) to (in) and from (out) the addresses of a vlo device.", true },
	}, addr_metrics[] = {
		{ "vlo_address_packets_total", "Packets to (in) and from (out) one address of a vlo device.", false },
		{ "vlo_address_bytes_total", "Bytes (IP header included) to (in) and from (out) one address of a vlo device.", true },
	};
	char addr[VLO_FMT_LEN];
	size_t m, i;

	for (m = 0; m < 2; m++) {
		export_head(f, dev_metrics[m].name, dev_metrics[m].help);
		for (i = 0; i < e->nr_devs; i++)
			export_series(f, dev_metrics[m].name, e->devs[i].ifname,
				      NULL, -1, e->devs[i].ctr,
				      dev_metrics[m].bytes);
	}
	for (m = 0; m < 2; m++) {
		export_head(f, addr_metrics[m].name, addr_metrics[m].help);
		for (i = 0; i < e->nr_addrs; i++) {
			const struct vlo_genl_addrmsg *a = &e->addrs[i];

			(a->split ? export_series : export_totals)
				(f, addr_metrics[m].name, a->ifname,
				 vlo_fmt_addr(a->family, a->addr, addr,
					      sizeof(addr)),
				 a->family == AF_INET ? VLO_IPV4 : VLO_IPV6,
				 a->ctr, addr_metrics[m].bytes);
		}
	}
}

/* DIR/vlo.prom, replaced whole: a temporary file in DIR, then rename(). */
static int export_textfile(const struct export *e, const char *dir)
{
	char tmp[4096], path[4096];
	FILE *f;
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.vlo.prom.XXXXXX", dir) >=
	    sizeof(tmp) ||
	    (size_t)snprintf(path, sizeof(path), "%s/vlo.prom", dir) >=
	    sizeof(path)) {
		vlo_err("export: directory name too long");
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		vlo_err("export: cannot create a file in %s: %s", dir,
			strerror(errno));
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		goto err;
	}
	export_write(e, f);
	if (fflush(f) || fchmod(fd, 0644) || fsync(fd) || ferror(f)) {
		fclose(f);
		goto err;
	}
	if (fclose(f) || rename(tmp, path))
		goto err;
	return 0;
err:
	vlo_err("export: cannot write %s: %s", path, strerror(errno));
	unlink(tmp);
	return -1;
}

int vlo_cmd_export(const struct vlo_args *a)
{
	struct export e = { 0 };
	struct vlo_genl g;
	int ret = VLO_EXIT_ERR;

	if (vlo_dev_check_module() || vlo_addrs_genl_open(&g))
		return VLO_EXIT_ERR;
	if (vlo_genl_dump_devs(&g, false, export_dev_cb, &e) ||
	    vlo_addrs_dump_split(&g, 0, export_addr_cb, &e)) {
		vlo_err("export: cannot read the counters: %s", strerror(errno));
		goto out;
	}
	if (a->textfile) {
		if (export_textfile(&e, a->textfile))
			goto out;
	} else {
		export_write(&e, stdout);
		if (fflush(stdout)) {
			vlo_err("export: %s", strerror(errno));
			goto out;
		}
	}
	ret = VLO_EXIT_OK;
out:
	free(e.devs);
	free(e.addrs);
	vlo_genl_close(&g);
	return ret;
}
