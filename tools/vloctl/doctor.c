// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl doctor [KO]: check what vlo needs, one line per check with the
 * fix: headers for the running kernel, a module built for it, the module
 * loaded and matching vloctl, depmod, Secure Boot against the module's
 * signature, netfilter, and vlo devices. Exit 1 if a check fails; warnings
 * leave it 0. The module facts (where modprobe finds vlo, a module file's
 * .modinfo and signature) come from libkmod, as modprobe and modinfo see
 * them; nothing is run.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <libkmod.h>

#include "doctor.h"
#include "out.h"
#include "version.h"
#include "vloctl.h"

#define DOCTOR_KO		"vlo.ko"
#define DOCTOR_SECUREBOOT	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098101b8c"
#define DOCTOR_SIG_ENFORCE	"/sys/module/module/parameters/sig_enforce"

/* Where make install and DKMS put the module, below /lib/modules/REL. */
static const char *const doctor_install_dirs[] = {
	"updates/dkms", "updates", "extra",
};

struct doctor {
	char rel[sizeof(((struct utsname *)0)->release)];
	char moddir[96];		/* /lib/modules/REL */
	bool have_dep;			/* modules.dep is there */
	struct timespec dep_mtime;
	char installed[PATH_MAX];	/* the installed vlo.ko, or "" */
	bool in_dep;			/* installed found through modules.dep */
	char ko[PATH_MAX];		/* the module file checked, or "" */
	bool ko_read;			/* its .modinfo was read */
	bool ko_signed;
	char vermagic[256];
	char version[64];
	char srcversion[64];
	enum vlo_status st[8];
	size_t n;
};

/* One line: "ok    label: detail[; fix]", or one object with -j. */
__attribute__((format(printf, 5, 6)))
static void doctor_report(struct doctor *d, enum vlo_status st,
			  const char *check, const char *fix,
			  const char *fmt, ...)
{
	static const char *const names[] = { "ok", "warn", "fail" };
	static const char *const text[] = { "ok", "WARN", "FAIL" };
	char detail[PATH_MAX + 256], label[32];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (d->n < sizeof(d->st) / sizeof(d->st[0]))
		d->st[d->n++] = st;

	snprintf(label, sizeof(label), "%s", check);
	for (i = 0; label[i]; i++)
		if (label[i] == '_')
			label[i] = ' ';
	vlo_out_begin_object(NULL);
	vlo_out_str("check", NULL, check);
	vlo_out_text("%-4s  %s: ", text[st], label);
	vlo_out_str("status", NULL, names[st]);
	vlo_out_str("detail", "%s", detail);
	vlo_out_str("fix", fix ? "; %s" : NULL, fix);
	vlo_out_text("\n");
	vlo_out_end_object();
}

/* The whole file, NUL-terminated; NULL with errno set. */
static void *doctor_slurp(const char *path, size_t *len, size_t max)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL, *p;
	ssize_t r;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (!buf || n + 1 >= cap) {
			if (buf)
				cap *= 2;
			if (cap > max + 1)
				cap = max + 1;
			if (n + 1 >= cap) {
				errno = EFBIG;
				goto err;
			}
			p = realloc(buf, cap);
			if (!p)
				goto err;
			buf = p;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto err;
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
err:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return NULL;
}

/* The first line of a small file, without the newline; -1 if unreadable. */
static int doctor_read_line(const char *path, char *buf, size_t len)
{
	char *s = doctor_slurp(path, NULL, 4096);

	if (!s)
		return -1;
	s[strcspn(s, "\n")] = '\0';
	snprintf(buf, len, "%s", s);
	free(s);
	return 0;
}

static bool doctor_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static bool doctor_newer(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* libkmod logs its errors to stderr; doctor reports them its own way. */
static void doctor_kmod_quiet(void *data, int priority, const char *file,
			      int line, const char *fn, const char *format,
			      va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn;
	(void)format, (void)args;
}

static struct kmod_ctx *doctor_kmod_new(void)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	if (ctx)
		kmod_set_log_fn(ctx, doctor_kmod_quiet, NULL);
	return ctx;
}

/* The path of the module modprobe would load as "vlo" (from modules.dep). */
static bool doctor_lookup(char *path, size_t len)
{
	struct kmod_ctx *ctx = doctor_kmod_new();
	struct kmod_list *list = NULL, *l;
	bool found = false;

	if (!ctx)
		return false;
	if (!kmod_module_new_from_lookup(ctx, "vlo", &list)) {
		kmod_list_foreach(l, list) {
			struct kmod_module *m = kmod_module_get_module(l);
			const char *p = kmod_module_get_path(m);

			if (!found && p && !strcmp(kmod_module_get_name(m), "vlo")) {
				snprintf(path, len, "%s", p);
				found = true;
			}
			kmod_module_unref(m);
		}
		kmod_module_unref_list(list);
	}
	kmod_unref(ctx);
	return found;
}

/* The installed module: modules.dep's entry, or a file depmod missed. */
static void doctor_find_installed(struct doctor *d)
{
	size_t i;

	if (d->have_dep && doctor_lookup(d->installed, sizeof(d->installed))) {
		d->in_dep = true;
		return;
	}
	for (i = 0; i < sizeof(doctor_install_dirs) / sizeof(doctor_install_dirs[0]); i++) {
		snprintf(d->installed, sizeof(d->installed), "%s/%s/%s",
			 d->moddir, doctor_install_dirs[i], DOCTOR_KO);
		if (doctor_exists(d->installed))
			return;
	}
	d->installed[0] = '\0';
}

/*
 * The module file to check: KO if given, else the installed one, else
 * module/vlo.ko of the source tree (from the current directory, or next to
 * tools/vloctl/vloctl when run from the tree).
 */
static void doctor_pick_ko(struct doctor *d, const char *ko)
{
	char exe[PATH_MAX];
	ssize_t n;

	if (ko) {
		snprintf(d->ko, sizeof(d->ko), "%s", ko);
		return;
	}
	if (d->installed[0] && doctor_exists(d->installed)) {
		snprintf(d->ko, sizeof(d->ko), "%s", d->installed);
		return;
	}
	snprintf(d->ko, sizeof(d->ko), "module/%s", DOCTOR_KO);
	if (doctor_exists(d->ko))
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(d->ko, sizeof(d->ko), "%s/../../module/%s",
			 dirname(exe), DOCTOR_KO);
		if (doctor_exists(d->ko) && realpath(d->ko, exe)) {
			snprintf(d->ko, sizeof(d->ko), "%s", exe);
			return;
		}
	}
	d->ko[0] = '\0';
}

static void doctor_headers(struct doctor *d)
{
	char build[PATH_MAX + 8], fix[128];
	struct stat st;

	snprintf(build, sizeof(build), "%s/build", d->moddir);
	snprintf(fix, sizeof(fix), "run 'sudo apt-get install linux-headers-%s'",
		 d->rel);
	if (stat(build, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(build + strlen(build), sizeof(build) - strlen(build),
			 "/Makefile");
		if (doctor_exists(build)) {
			build[strlen(build) - strlen("/Makefile")] = '\0';
			doctor_report(d, VLO_OK, "headers", NULL, "%s", build);
			return;
		}
		build[strlen(build) - strlen("/Makefile")] = '\0';
		doctor_report(d, VLO_FAIL, "headers", fix,
			      "%s has no Makefile: the headers for %s are incomplete",
			      build, d->rel);
		return;
	}
	if (lstat(build, &st) == 0)
		doctor_report(d, VLO_FAIL, "headers", fix,
			      "%s points nowhere: the headers for %s are not installed",
			      build, d->rel);
	else
		doctor_report(d, VLO_FAIL, "headers", fix,
			      "no %s: the headers for %s are not installed",
			      build, d->rel);
}

/* KEY's first value in a .modinfo list into buf; false if absent. */
static bool doctor_info(struct kmod_list *info, const char *key, char *buf,
			size_t len)
{
	struct kmod_list *l;

	kmod_list_foreach(l, info) {
		const char *v = kmod_module_info_get_value(l);

		if (strcmp(kmod_module_info_get_key(l), key))
			continue;
		snprintf(buf, len, "%s", v ? v : "");
		return true;
	}
	return false;
}

/* d->ko's vermagic, version, srcversion and signature; errno-style error. */
static int doctor_read_ko(struct doctor *d)
{
	struct kmod_ctx *ctx = doctor_kmod_new();
	struct kmod_list *info = NULL;
	struct kmod_module *m;
	char sig[64];
	int err;

	if (!ctx)
		return -ENOMEM;
	err = kmod_module_new_from_path(ctx, d->ko, &m);
	if (!err) {
		err = kmod_module_get_info(m, &info);
		err = err < 0 ? err : 0;
		kmod_module_unref(m);
	}
	if (!err) {
		if (!doctor_info(info, "vermagic", d->vermagic, sizeof(d->vermagic)))
			err = -ENOEXEC;
		if (!doctor_info(info, "version", d->version, sizeof(d->version)))
			snprintf(d->version, sizeof(d->version), "unknown");
		doctor_info(info, "srcversion", d->srcversion,
			    sizeof(d->srcversion));
		d->ko_signed = doctor_info(info, "sig_id", sig, sizeof(sig));
		kmod_module_info_free_list(info);
	}
	kmod_unref(ctx);
	return err;
}

static void doctor_module_built(struct doctor *d)
{
	const char *fix = "run 'make module' in the vlo source tree, then install or insmod it";
	char magic[sizeof(d->vermagic)];
	int err;

	if (!d->ko[0]) {
		doctor_report(d, VLO_FAIL, "module_built", fix,
			      "no %s in %s (modules.dep, %s/extra, %s/updates) or module/",
			      DOCTOR_KO, d->moddir, d->moddir, d->moddir);
		return;
	}
	err = doctor_read_ko(d);
	if (err == -ENOENT || err == -EACCES || err == -ENOMEM) {
		doctor_report(d, VLO_FAIL, "module_built", fix, "cannot read %s: %s",
			      d->ko, strerror(-err));
		return;
	}
	if (err) {
		d->vermagic[0] = '\0';
		doctor_report(d, VLO_FAIL, "module_built", fix,
			      "%s is not a kernel module (no vermagic in its .modinfo)",
			      d->ko);
		return;
	}
	d->ko_read = true;
	snprintf(magic, sizeof(magic), "%s", d->vermagic);
	magic[strcspn(magic, " ")] = '\0';
	if (vlo_vermagic_matches(d->vermagic, d->rel))
		doctor_report(d, VLO_OK, "module_built", NULL,
			      "%s: version %s, built for %s", d->ko, d->version,
			      magic);
	else
		doctor_report(d, VLO_FAIL, "module_built",
			      "rebuild it against this kernel's headers ('make clean module'), then reinstall it",
			      "%s was built for %s, but %s is running", d->ko,
			      magic, d->rel);
}

static void doctor_module_loaded(struct doctor *d)
{
	char ver[64], src[64], fix[PATH_MAX + 128];

	if (!vlo_sysfs_module_loaded()) {
		if (d->installed[0])
			snprintf(fix, sizeof(fix), "run 'sudo modprobe vlo'");
		else if (d->ko[0])
			snprintf(fix, sizeof(fix),
				 "run 'sudo insmod %s' (or 'sudo make install' and 'sudo modprobe vlo')",
				 d->ko);
		else
			snprintf(fix, sizeof(fix),
				 "run 'make module' and 'sudo insmod module/vlo.ko'");
		doctor_report(d, VLO_FAIL, "module_loaded", fix,
			      "vlo is not loaded");
		return;
	}
	if (vlo_sysfs_module_version(ver, sizeof(ver))) {
		doctor_report(d, VLO_FAIL, "module_loaded",
			      "run 'sudo rmmod vlo' and load vlo " VLOCTL_VERSION,
			      "vlo is loaded, but its version is unknown (%s: %s)",
			      vlo_sysfs_last_path(), strerror(errno));
		return;
	}
	if (strcmp(ver, VLOCTL_VERSION)) {
		doctor_report(d, VLO_FAIL, "module_loaded",
			      "run 'sudo rmmod vlo' and load vlo " VLOCTL_VERSION
			      " (or install the vloctl of vlo's version)",
			      "vlo %s is loaded, but this is vloctl %s", ver,
			      VLOCTL_VERSION);
		return;
	}
	if (d->srcversion[0] &&
	    !doctor_read_line("/sys/module/vlo/srcversion", src, sizeof(src)) &&
	    strcmp(src, d->srcversion)) {
		doctor_report(d, VLO_WARN, "module_loaded",
			      "run 'sudo rmmod vlo' and load it again to use the new build",
			      "vlo %s is loaded, but from other sources than %s",
			      ver, d->ko);
		return;
	}
	doctor_report(d, VLO_OK, "module_loaded", NULL,
		      "vlo %s, as vloctl", ver);
}

static void doctor_depmod(struct doctor *d)
{
	const char *fix = "run 'sudo depmod -a'";
	struct stat st;

	if (!d->have_dep) {
		doctor_report(d, VLO_FAIL, "depmod", fix,
			      "cannot read %s/modules.dep", d->moddir);
		return;
	}
	if (!d->installed[0]) {
		doctor_report(d, VLO_WARN, "depmod",
			      "run 'sudo make install' (or 'sudo make dkms-install')",
			      "vlo is not installed in %s: 'modprobe vlo' cannot find it",
			      d->moddir);
		return;
	}
	if (!d->in_dep) {
		doctor_report(d, VLO_FAIL, "depmod", fix,
			      "%s is not in modules.dep: 'modprobe vlo' cannot find it",
			      d->installed);
		return;
	}
	if (stat(d->installed, &st)) {
		doctor_report(d, VLO_FAIL, "depmod", fix,
			      "modules.dep lists %s, which does not exist",
			      d->installed);
		return;
	}
	if (doctor_newer(&st.st_mtim, &d->dep_mtime)) {
		doctor_report(d, VLO_FAIL, "depmod", fix,
			      "%s is newer than modules.dep", d->installed);
		return;
	}
	doctor_report(d, VLO_OK, "depmod", NULL, "modules.dep lists %s",
		      d->installed);
}

static void doctor_secure_boot(struct doctor *d)
{
	const char *fix = "sign it ('sudo make sign') and enroll the key ('sudo mokutil --import KEY.der'), or turn Secure Boot off";
	const char *sig, *state;
	char enforce[8] = "";
	unsigned char *var;
	size_t len;
	int sb = -1;
	bool signd;

	var = doctor_slurp(DOCTOR_SECUREBOOT, &len, 64);
	if (var)
		sb = vlo_efivar_bool(var, len);
	free(var);
	state = sb == 1 ? "on" : sb == 0 ? "off" :
		doctor_exists("/sys/firmware/efi") ? "unknown" :
		"not an EFI boot";
	doctor_read_line(DOCTOR_SIG_ENFORCE, enforce, sizeof(enforce));

	if (!d->ko_read) {
		doctor_report(d, sb == 1 ? VLO_WARN : VLO_OK, "secure_boot",
			      sb == 1 ? "make sure the module you load is signed with an enrolled key" : NULL,
			      "%s; no module file to check for a signature", state);
		return;
	}
	signd = d->ko_signed;
	sig = signd ? "signed" : "unsigned";
	if (!signd && (sb == 1 || enforce[0] == 'Y'))
		doctor_report(d, VLO_FAIL, "secure_boot", fix,
			      "%s%s, but %s is unsigned: the kernel refuses it",
			      state, enforce[0] == 'Y' ? ", module.sig_enforce=1" : "",
			      d->ko);
	else if (signd && sb == 1)
		doctor_report(d, VLO_OK, "secure_boot", NULL,
			      "on; module signed (the key must be enrolled: 'mokutil --list-enrolled')");
	else
		doctor_report(d, VLO_OK, "secure_boot", NULL, "%s; module %s",
			      state, sig);
}

static void doctor_netfilter(struct doctor *d)
{
	if (doctor_exists("/proc/sys/net/netfilter") ||
	    doctor_exists("/proc/net/netfilter"))
		doctor_report(d, VLO_OK, "netfilter", NULL,
			      "/proc/sys/net/netfilter");
	else
		doctor_report(d, VLO_FAIL, "netfilter",
			      "use a kernel built with CONFIG_NETFILTER=y (Debian's kernels are)",
			      "this kernel has no netfilter: vlo cannot account traffic");
}

static void doctor_devices(struct doctor *d)
{
	char names[256] = "";
	struct vlo_link_list links = { 0 };
	struct vlo_nlsock nl;
	size_t i, n = 0, used = 0;

	if (!vlo_sysfs_module_loaded()) {
		doctor_report(d, VLO_WARN, "devices", "load the module first",
			      "none: vlo is not loaded");
		return;
	}
	if (vlo_nlsock_open(&nl, NETLINK_ROUTE)) {
		doctor_report(d, VLO_FAIL, "devices", NULL,
			      "cannot open an rtnetlink socket: %s",
			      strerror(errno));
		return;
	}
	if (vlo_nl_get_links(&nl, &links)) {
		doctor_report(d, VLO_FAIL, "devices", NULL,
			      "cannot list interfaces: %s", strerror(errno));
		vlo_nlsock_close(&nl);
		return;
	}
	for (i = 0; i < links.n; i++) {
		int w;

		if (!vlo_link_is_vlo(&links.v[i]))
			continue;
		n++;
		if (used >= sizeof(names))
			continue;
		w = snprintf(names + used, sizeof(names) - used, "%s%s",
			     used ? ", " : "", links.v[i].name);
		used += w > 0 ? (size_t)w : 0;
	}
	vlo_nl_free_links(&links);
	vlo_nlsock_close(&nl);
	if (n)
		doctor_report(d, VLO_OK, "devices", NULL,
			      "%zu in this network namespace: %s", n, names);
	else
		doctor_report(d, VLO_WARN, "devices",
			      "run 'sudo ip link add vlo0 type vlo' (or load vlo with numdevs=1)",
			      "no vlo device in this network namespace");
}

int vlo_cmd_doctor(const struct vlo_args *a)
{
	struct doctor d = { 0 };
	struct utsname u;
	char path[PATH_MAX + 16];
	struct stat st;

	uname(&u);
	snprintf(d.rel, sizeof(d.rel), "%s", u.release);
	snprintf(d.moddir, sizeof(d.moddir), "/lib/modules/%s", d.rel);
	snprintf(path, sizeof(path), "%s/modules.dep", d.moddir);
	if (!stat(path, &st) && !access(path, R_OK)) {
		d.have_dep = true;
		d.dep_mtime = st.st_mtim;
	}
	doctor_find_installed(&d);
	doctor_pick_ko(&d, a->ko);

	vlo_out_begin_array(NULL);
	doctor_headers(&d);
	doctor_module_built(&d);
	doctor_module_loaded(&d);
	doctor_depmod(&d);
	doctor_secure_boot(&d);
	doctor_netfilter(&d);
	doctor_devices(&d);
	vlo_out_end_array();

	return vlo_doctor_exit(d.st, d.n) ? VLO_EXIT_ERR : VLO_EXIT_OK;
}
