// SPDX-License-Identifier: GPL-2.0
/*
 * link_vlo.so: "ip link" for vlo devices. ip loads it from its library
 * directory (or $IP_LIB_DIR) when it meets the kind "vlo":
 *
 *	ip link add vlo1 type vlo accounting off carry off
 *	ip link set vlo1 type vlo accounting on addr-split on
 *	ip -d link show vlo1	(... vlo accounting on carry off addr-split off)
 *	ip link xstats type vlo [ dev vlo1 ]
 *	ip link help vlo
 *
 * The settings travel as IFLA_VLO_* attributes in IFLA_INFO_DATA, the
 * counters as the device's extended link statistics (linux/vlo.h). Text
 * and JSON come from the same print calls, as in ip's own link types.
 */
#include <inttypes.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/vlo.h>

#include "iproute2.h"

/* ip's request buffer for RTM_NEWLINK, as its own link types pass it. */
#define VLO_IP_REQ_MAX	1024

/*
 * The iproute2 releases whose plugin interface (iproute2.h) was checked
 * against their sources; 6.1.0 (Debian 12) is the one tested.
 */
#define VLO_IP_MIN_MAJOR	6
#define VLO_IP_MIN_MINOR	1
#define VLO_IP_MAX_MAJOR	6
#define VLO_IP_MAX_MINOR	18

/* Counter i's name, as ethtool -S and the sysfs files spell it. */
static const char *const vlo_ctr_names[] = { VLO_CTR_NAMES };
_Static_assert(sizeof(vlo_ctr_names) / sizeof(vlo_ctr_names[0]) == VLO_NR_CTRS,
	       "a name for every VLO_CTR_* counter");

static char vlo_ip_version[64];
static bool vlo_ip_known;
static unsigned int vlo_filter_index;

static void vlo_explain(FILE *f)
{
	fprintf(f,
		"Usage: ... vlo [ accounting { on | off } ] [ carry { on | off } ]\n"
		"               [ addr-split { on | off } ]\n"
		"\n"
		"accounting: count the traffic of the device's addresses (default on)\n"
		"carry: local traffic of its addresses crosses the device (default off)\n"
		"addr-split: each address counts by family and protocol too, not only\n"
		"            its totals (default off; changes only while the device\n"
		"            has no addresses)\n");
}

static void vlo_xstats_explain(FILE *f)
{
	fprintf(f, "Usage: ip link xstats type vlo [ dev DEVICE ]\n");
}

static void vlo_refuse(void)
{
	fprintf(stderr,
		"vlo: link_vlo.so does not know iproute2 %s (it knows %d.%d to %d.%d): rebuild it against this ip, or use /sys/class/net/DEV/vlo/ and vloctl\n",
		vlo_ip_version[0] ? vlo_ip_version : "of this ip",
		VLO_IP_MIN_MAJOR, VLO_IP_MIN_MINOR, VLO_IP_MAX_MAJOR,
		VLO_IP_MAX_MINOR);
}

static int vlo_parse_opt(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n)
{
	(void)lu;
	if (!vlo_ip_known)
		return -1;	/* vlo_ip_check() said why */
	while (argc > 0) {
		const char *opt = *argv;
		bool on;
		int type, err = 0;

		if (!strcmp(opt, "accounting")) {
			type = IFLA_VLO_ACCOUNTING;
		} else if (!strcmp(opt, "carry")) {
			type = IFLA_VLO_CARRY;
		} else if (!strcmp(opt, "addr-split")) {
			type = IFLA_VLO_ADDR_SPLIT;
		} else if (!strcmp(opt, "help")) {
			vlo_explain(stdout);
			return -1;
		} else {
			fprintf(stderr, "vlo: unknown option \"%s\"\n", opt);
			vlo_explain(stderr);
			return -1;
		}
		if (argc < 2) {
			fprintf(stderr, "vlo: \"%s\" needs \"on\" or \"off\"\n",
				opt);
			return -1;
		}
		argc--, argv++;
		on = parse_on_off(opt, *argv, &err);
		if (err)
			return -1;
		if (addattr8(n, VLO_IP_REQ_MAX, type, on))
			return -1;
		argc--, argv++;
	}
	return 0;
}

static void vlo_print_onoff(struct rtattr *tb[], int type, const char *key,
			    const char *fmt)
{
	if (tb[type] && RTA_PAYLOAD(tb[type]) >= sizeof(uint8_t))
		print_color_on_off(PRINT_ANY, COLOR_NONE, key, fmt,
				   *(uint8_t *)RTA_DATA(tb[type]));
}

static void vlo_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	(void)lu;
	(void)f;
	if (!tb || !vlo_ip_known)
		return;
	vlo_print_onoff(tb, IFLA_VLO_ACCOUNTING, "accounting", "accounting %s ");
	vlo_print_onoff(tb, IFLA_VLO_CARRY, "carry", "carry %s ");
	vlo_print_onoff(tb, IFLA_VLO_ADDR_SPLIT, "addr_split", "addr-split %s ");
}

static void vlo_print_help(struct link_util *lu, int argc, char **argv,
			   FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	if (vlo_ip_known)
		vlo_explain(f);
}

/* ip link xstats type vlo [ dev DEVICE ]: which device, if one. */
static int vlo_parse_xstats(struct link_util *lu, int argc, char **argv)
{
	(void)lu;
	if (!vlo_ip_known)
		return -1;
	while (argc > 0) {
		if (!strcmp(*argv, "dev") && argc > 1) {
			argc--, argv++;
			vlo_filter_index = ll_name_to_index(*argv);
			if (!vlo_filter_index) {
				fprintf(stderr, "Cannot find device \"%s\"\n",
					*argv);
				return -1;
			}
		} else if (!strcmp(*argv, "help")) {
			vlo_xstats_explain(stdout);
			exit(0);
		} else {
			fprintf(stderr, "vlo: unknown xstats argument \"%s\"\n",
				*argv);
			vlo_xstats_explain(stderr);
			return -1;
		}
		argc--, argv++;
	}
	return 0;
}

static void vlo_print_ctrs(struct rtattr *nest)
{
	int rem = RTA_PAYLOAD(nest);
	struct rtattr *a;

	for (a = RTA_DATA(nest); RTA_OK(a, rem); a = RTA_NEXT(a, rem)) {
		const char *name;
		char fmt[64];
		uint64_t v;

		if (a->rta_type < VLO_CTR_IN_PACKETS ||
		    a->rta_type > VLO_CTR_MAX ||
		    RTA_PAYLOAD(a) != sizeof(v))
			continue;
		memcpy(&v, RTA_DATA(a), sizeof(v));
		name = vlo_ctr_names[a->rta_type - VLO_CTR_IN_PACKETS];
		snprintf(fmt, sizeof(fmt), "    %s %%" PRIu64 "\n", name);
		print_color_u64(PRINT_ANY, COLOR_NONE, name, fmt, v);
	}
}

/* One RTM_NEWSTATS of ip's dump: the device's counters, if it is vlo. */
static int vlo_print_xstats(struct nlmsghdr *n, void *arg)
{
	struct if_stats_msg *ifsm = NLMSG_DATA(n);
	struct rtattr *tb[IFLA_STATS_MAX + 1], *x[LINK_XSTATS_TYPE_VLO + 1];
	int len = n->nlmsg_len - NLMSG_LENGTH(sizeof(*ifsm));

	(void)arg;
	if (n->nlmsg_type != RTM_NEWSTATS || len < 0)
		return 0;
	if (vlo_filter_index && vlo_filter_index != ifsm->ifindex)
		return 0;
	parse_rtattr(tb, IFLA_STATS_MAX,
		     (struct rtattr *)((char *)ifsm + NLMSG_ALIGN(sizeof(*ifsm))),
		     len);
	if (!tb[IFLA_STATS_LINK_XSTATS])
		return 0;
	parse_rtattr(x, LINK_XSTATS_TYPE_VLO, RTA_DATA(tb[IFLA_STATS_LINK_XSTATS]),
		     RTA_PAYLOAD(tb[IFLA_STATS_LINK_XSTATS]));
	if (!x[LINK_XSTATS_TYPE_VLO])
		return 0;
	open_json_object(NULL);
	print_color_string(PRINT_ANY, COLOR_IFNAME, "ifname", "%s\n",
			   ll_index_to_name(ifsm->ifindex));
	vlo_print_ctrs(x[LINK_XSTATS_TYPE_VLO]);
	close_json_object();
	return 0;
}

/*
 * The version of the ip that loaded us, from "ip -V" ("ip utility,
 * iproute2-6.1.0, libbpf 1.1.2"): iproute2 exports no version symbol.
 * LINK_VLO_IPROUTE2_VERSION replaces it, for the tests of the refusal.
 */
static void vlo_ip_version_read(char *buf, size_t len)
{
	char *const argv[] = { "ip", "-V", NULL };
	posix_spawn_file_actions_t fa;
	const char *env = getenv("LINK_VLO_IPROUTE2_VERSION");
	char out[256], *p;
	ssize_t got = 0, r;
	int fd[2], status;
	pid_t pid;

	buf[0] = '\0';
	if (env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	if (pipe(fd))
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	if (posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, NULL)) {
		posix_spawn_file_actions_destroy(&fa);
		close(fd[0]);
		close(fd[1]);
		return;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	while (got < (ssize_t)sizeof(out) - 1 &&
	       (r = read(fd[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += r;
	close(fd[0]);
	waitpid(pid, &status, 0);
	out[got] = '\0';
	p = strstr(out, "iproute2-");
	if (!p)
		return;
	p += strlen("iproute2-");
	snprintf(buf, len, "%.*s", (int)strcspn(p, ", \n"), p);
}

static bool vlo_ip_version_known(const char *v)
{
	unsigned int major, minor;

	if (*v == 'v')
		v++;
	if (sscanf(v, "%u.%u", &major, &minor) != 2)
		return false;
	if (major < VLO_IP_MIN_MAJOR ||
	    (major == VLO_IP_MIN_MAJOR && minor < VLO_IP_MIN_MINOR))
		return false;
	return major < VLO_IP_MAX_MAJOR ||
	       (major == VLO_IP_MAX_MAJOR && minor <= VLO_IP_MAX_MINOR);
}

/* Runs when ip loads the plugin: an unknown ip gets no vlo options. */
__attribute__((constructor)) static void vlo_ip_check(void)
{
	vlo_ip_version_read(vlo_ip_version, sizeof(vlo_ip_version));
	vlo_ip_known = vlo_ip_version_known(vlo_ip_version);
	if (!vlo_ip_known)
		vlo_refuse();
}

struct link_util vlo_link_util = {
	.id			= "vlo",
	.maxattr		= IFLA_VLO_MAX,
	.parse_opt		= vlo_parse_opt,
	.print_opt		= vlo_print_opt,
	.print_help		= vlo_print_help,
	.parse_ifla_xstats	= vlo_parse_xstats,
	.print_ifla_xstats	= vlo_print_xstats,
};
