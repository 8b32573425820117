// SPDX-License-Identifier: GPL-2.0
/*
 * Command line parsing with getopt_long(): options anywhere before "--",
 * grouped short flags (-js), long options and their unambiguous prefixes
 * (--net ns1). Everything here is pure: it only fills struct vlo_args or
 * writes a message into err.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "args.h"

#define ARGS_MAX_POS	6	/* route get ADDR vrf NAME, plus one to complain about */

struct args_state {
	bool help;
	bool version;
	const char *interval;
	const char *count;
	const char *textfile;
	const char *pos[ARGS_MAX_POS];
	size_t nr_pos;
};

static int args_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

bool vlo_args_valid_ifname(const char *name)
{
	size_t len = strnlen(name, IFNAMSIZ);

	if (len == 0 || len >= IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++)
		if (*name == '/' || *name == ':' || isspace((unsigned char)*name))
			return false;
	return true;
}

bool vlo_args_valid_netns(const char *name)
{
	size_t len = strnlen(name, NAME_MAX + 1);

	if (len == 0 || len > NAME_MAX)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	return !strchr(name, '/');
}

int vlo_args_interval(const char *s, double *secs)
{
	char *end;
	double v;

	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	if (!(v >= VLO_INTERVAL_MIN && v <= VLO_INTERVAL_MAX))
		return -1;
	*secs = v;
	return 0;
}

int vlo_args_count(const char *s, unsigned long *count)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > VLO_COUNT_MAX)
		return -1;
	*count = v;
	return 0;
}

static int args_dev(struct vlo_args *a, const char *dev, char *err,
		    size_t errlen)
{
	if (!vlo_args_valid_ifname(dev))
		return args_fail(err, errlen, "invalid device name '%s'", dev);
	a->dev = dev;
	return 0;
}

static int args_addr(struct vlo_args *a, const char *s, char *err,
		     size_t errlen)
{
	if (inet_pton(AF_INET, s, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->addr) == 1)
		a->family = AF_INET6;
	else
		return args_fail(err, errlen,
				 "invalid address '%s' (expected an IPv4 or IPv6 address)",
				 s);
	a->addr_str = s;
	return 0;
}

/*
 * route get's operands after "get": ADDR and an optional "vrf NAME", in
 * either order as ip route get takes them. *want becomes the number of
 * operands used.
 */
static int args_route_get(struct vlo_args *a, const struct args_state *st,
			  size_t *want, char *err, size_t errlen)
{
	size_t i;

	/* The last slot of pos[] is only there to be complained about. */
	for (i = 2; i < st->nr_pos && i < ARGS_MAX_POS - 1; i++) {
		const char *s = st->pos[i];

		if (!strcmp(s, "vrf") && !a->vrf) {
			if (i + 1 >= st->nr_pos)
				return args_fail(err, errlen,
						 "route get: missing NAME after 'vrf'");
			a->vrf = st->pos[++i];
			if (!vlo_args_valid_ifname(a->vrf))
				return args_fail(err, errlen,
						 "invalid VRF name '%s'", a->vrf);
		} else if (!a->addr_str && strcmp(s, "vrf")) {
			if (args_addr(a, s, err, errlen))
				return -1;
		} else {
			return args_fail(err, errlen,
					 "unexpected argument '%s'", s);
		}
	}
	if (!a->addr_str)
		return args_fail(err, errlen, "route get: missing ADDR");
	*want = i;
	return 0;
}

/* The operands: COMMAND and its arguments. */
static int args_command(struct vlo_args *a, const struct args_state *st,
			char *err, size_t errlen)
{
	const char *cmd = st->nr_pos ? st->pos[0] : "show";
	size_t want = 1;	/* operands used, the command included */
	int ret = 0;

	if (!strcmp(cmd, "show"))
		a->cmd = VLOCTL_CMD_SHOW;
	else if (!strcmp(cmd, "routes"))
		a->cmd = VLOCTL_CMD_ROUTES;
	else if (!strcmp(cmd, "stats"))
		a->cmd = VLOCTL_CMD_STATS;
	else if (!strcmp(cmd, "reset"))
		a->cmd = VLOCTL_CMD_RESET;
	else if (!strcmp(cmd, "addrs"))
		a->cmd = VLOCTL_CMD_ADDRS;
	else if (!strcmp(cmd, "export"))
		a->cmd = VLOCTL_CMD_EXPORT;
	else if (!strcmp(cmd, "route"))
		a->cmd = VLOCTL_CMD_ROUTE_GET;
	else if (!strcmp(cmd, "doctor"))
		a->cmd = VLOCTL_CMD_DOCTOR;
	else if (!strcmp(cmd, "help"))
		a->cmd = VLOCTL_CMD_HELP;
	else
		return args_fail(err, errlen, "unknown command '%s'", cmd);

	switch (a->cmd) {
	case VLOCTL_CMD_SHOW:
	case VLOCTL_CMD_ROUTES:
	case VLOCTL_CMD_STATS:
	case VLOCTL_CMD_ADDRS:
		if (st->nr_pos > 1) {
			want = 2;
			ret = args_dev(a, st->pos[1], err, errlen);
		}
		break;
	case VLOCTL_CMD_RESET:
		if (st->nr_pos < 2)
			return args_fail(err, errlen,
					 "reset: missing DEV (every address: 'addrs --zero')");
		want = 2;
		ret = args_dev(a, st->pos[1], err, errlen);
		if (!ret && st->nr_pos > 2) {
			want = 3;
			ret = args_addr(a, st->pos[2], err, errlen);
		}
		break;
	case VLOCTL_CMD_ROUTE_GET:
		if (st->nr_pos < 2 || strcmp(st->pos[1], "get"))
			return args_fail(err, errlen,
					 "route: expected 'route get ADDR'");
		ret = args_route_get(a, st, &want, err, errlen);
		break;
	case VLOCTL_CMD_DOCTOR:
		if (st->nr_pos > 1) {
			want = 2;
			a->ko = st->pos[1];
		}
		break;
	default:
		break;
	}
	if (ret)
		return ret;
	if (st->nr_pos > want)
		return args_fail(err, errlen, "unexpected argument '%s'",
				 st->pos[want]);
	return 0;
}

/*
 * "-" first: operands come back in order as option 1, whatever
 * POSIXLY_CORRECT says; ":" next: a missing argument returns ':'.
 */
static const char args_short_opts[] = "-:jpshaZVn:w:c:";

static const struct option args_long_opts[] = {
	{ "json",     no_argument,       NULL, 'j' },
	{ "pretty",   no_argument,       NULL, 'p' },
	{ "stats",    no_argument,       NULL, 's' },
	{ "addresses", no_argument,      NULL, 'a' },
	{ "zero",     no_argument,       NULL, 'Z' },
	{ "help",     no_argument,       NULL, 'h' },
	{ "version",  no_argument,       NULL, 'V' },
	{ "netns",    required_argument, NULL, 'n' },
	{ "interval", required_argument, NULL, 'w' },
	{ "count",    required_argument, NULL, 'c' },
	{ "textfile", required_argument, NULL, 'T' },
	{ NULL, 0, NULL, 0 }
};

static const char *args_long_name(int val)
{
	const struct option *o;

	for (o = args_long_opts; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

/* getopt_long() returned '?' or ':' for argv[optind - 1]. */
static int args_bad_option(int c, const char *arg, char *err, size_t errlen)
{
	bool lng = !strncmp(arg, "--", 2);

	if (c == ':')
		return lng ? args_fail(err, errlen,
				       "option '--%s' needs an argument",
				       args_long_name(optopt)) :
			     args_fail(err, errlen,
				       "option '-%c' needs an argument", optopt);
	if (lng && optopt)
		return args_fail(err, errlen, "option '--%s' takes no argument",
				 args_long_name(optopt));
	if (lng)
		return args_fail(err, errlen, "unknown option '%.*s'",
				 (int)strcspn(arg, "="), arg);
	if (isprint(optopt))
		return args_fail(err, errlen, "unknown option '-%c'", optopt);
	return args_fail(err, errlen, "unknown option byte 0x%02x",
			 (unsigned char)optopt);
}

static void args_operand(struct args_state *st, const char *s)
{
	if (st->nr_pos < ARGS_MAX_POS)
		st->pos[st->nr_pos] = s;
	st->nr_pos++;
}

int vlo_args_parse(struct vlo_args *a, int argc, char *const argv[],
		   char *err, size_t errlen)
{
	struct args_state st = { 0 };
	int c, ret;

	memset(a, 0, sizeof(*a));
	a->interval = 1.0;
	if (errlen)
		err[0] = '\0';

	/* optind 0: a full restart, as the unit tests parse many lines. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, args_short_opts, args_long_opts,
				NULL)) != -1) {
		switch (c) {
		case 1:
			args_operand(&st, optarg);
			break;
		case 'j':
			a->json = true;
			break;
		case 'p':
			a->json = true;
			a->pretty = true;
			break;
		case 's':
			a->details = true;
			break;
		case 'a':
			a->addrs = true;
			break;
		case 'Z':
			a->zero = true;
			break;
		case 'h':
			st.help = true;
			break;
		case 'V':
			st.version = true;
			break;
		case 'n':
			a->netns = optarg;
			break;
		case 'w':
			st.interval = optarg;
			break;
		case 'c':
			st.count = optarg;
			break;
		case 'T':
			st.textfile = optarg;
			break;
		default:
			return args_bad_option(c, argv[optind - 1], err, errlen);
		}
	}
	/* After "--": operands only. */
	for (; optind < argc; optind++)
		args_operand(&st, argv[optind]);

	/* -h and --version win over operand errors: "vloctl reset -h". */
	if (st.help || st.version) {
		a->cmd = st.help ? VLOCTL_CMD_HELP : VLOCTL_CMD_VERSION;
		return 0;
	}
	ret = args_command(a, &st, err, errlen);
	if (ret)
		return ret;

	if (a->addrs && a->cmd != VLOCTL_CMD_STATS)
		return args_fail(err, errlen, "option -a applies only to 'stats'");
	if (a->zero && a->cmd != VLOCTL_CMD_ADDRS)
		return args_fail(err, errlen, "option -Z applies only to 'addrs'");
	if (st.textfile && a->cmd != VLOCTL_CMD_EXPORT)
		return args_fail(err, errlen,
				 "option --textfile applies only to 'export'");
	if (st.textfile && !*st.textfile)
		return args_fail(err, errlen, "--textfile: empty directory name");
	a->textfile = st.textfile;
	if ((st.interval || st.count) && a->cmd != VLOCTL_CMD_STATS)
		return args_fail(err, errlen,
				 "options -w and -c apply only to 'stats'");
	if (st.interval && vlo_args_interval(st.interval, &a->interval))
		return args_fail(err, errlen,
				 "invalid interval '%s' (expected seconds, %g to %g)",
				 st.interval, VLO_INTERVAL_MIN, VLO_INTERVAL_MAX);
	if (st.count && vlo_args_count(st.count, &a->count))
		return args_fail(err, errlen,
				 "invalid count '%s' (expected a whole number, 1 to %lu)",
				 st.count, VLO_COUNT_MAX);
	if (a->netns && !vlo_args_valid_netns(a->netns))
		return args_fail(err, errlen, "invalid namespace name '%s'",
				 a->netns);
	return 0;
}
