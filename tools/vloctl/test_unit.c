// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the pure parts of vloctl: argument parsing, address
 * and name formatting, rates and their suffixes, JSON output and escaping,
 * the counters' order, doctor's EFI variable, vermagic and exit status, and
 * (test_nl.c) the netlink parsers against malformed attributes.
 * Prints one line per failure and "N passed, N failed" last.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "acct.h"
#include "args.h"
#include "fmt.h"
#include "doctor.h"
#include "out.h"
#include "rate.h"
#include "test_unit.h"

static unsigned int t_passed, t_failed;

void t_check(int ok, const char *file, int line, const char *what)
{
	if (ok) {
		t_passed++;
		return;
	}
	t_failed++;
	printf("FAIL %s:%d: %s\n", file, line, what);
}

void t_check_str(const char *got, const char *want, const char *file,
		 int line)
{
	if (got && !strcmp(got, want)) {
		t_passed++;
		return;
	}
	t_failed++;
	printf("FAIL %s:%d: got \"%s\", want \"%s\"\n", file, line,
	       got ? got : "(null)", want);
}

/* ---- argument parsing ---- */

/* Parse a space-separated command line (argv[0] added). */
static int t_parse(struct vlo_args *a, const char *line, char *err,
		   size_t errlen)
{
	static char buf[512];
	char *argv[32] = { "vloctl" };
	int argc = 1;
	char *tok, *save;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return vlo_args_parse(a, argc, argv, err, errlen);
}

static void t_parse_ok(const char *line, enum vloctl_cmd cmd, const char *dev)
{
	struct vlo_args a;
	char err[256];
	int ret = t_parse(&a, line, err, sizeof(err));

	CHECK(ret == 0);
	if (ret) {
		printf("     \"%s\": %s\n", line, err);
		return;
	}
	CHECK(a.cmd == cmd);
	if (dev)
		CHECK_STR(a.dev, dev);
	else
		CHECK(a.dev == NULL);
}

static void t_parse_err(const char *line, const char *want)
{
	struct vlo_args a;
	char err[256];

	CHECK(t_parse(&a, line, err, sizeof(err)) == -1);
	CHECK_STR(err, want);
}

static void test_args(void)
{
	struct vlo_args a;
	char err[256];
	unsigned char v4[4] = { 10, 99, 0, 1 };
	char *argv_dash[] = { "vloctl", "show", "--", "-odd", NULL };
	char *argv_empty[] = { "vloctl", "", NULL };
	char *argv_nl[] = { "vloctl", "show", "a\nb", NULL };

	t_parse_ok("", VLOCTL_CMD_SHOW, NULL);
	t_parse_ok("show", VLOCTL_CMD_SHOW, NULL);
	t_parse_ok("show vlo0", VLOCTL_CMD_SHOW, "vlo0");
	t_parse_ok("routes", VLOCTL_CMD_ROUTES, NULL);
	t_parse_ok("routes vlo1", VLOCTL_CMD_ROUTES, "vlo1");
	t_parse_ok("stats", VLOCTL_CMD_STATS, NULL);
	t_parse_ok("reset vlo0", VLOCTL_CMD_RESET, "vlo0");
	t_parse_ok("help", VLOCTL_CMD_HELP, NULL);
	t_parse_ok("-h", VLOCTL_CMD_HELP, NULL);
	t_parse_ok("--help", VLOCTL_CMD_HELP, NULL);
	t_parse_ok("reset -h", VLOCTL_CMD_HELP, NULL);
	t_parse_ok("--version", VLOCTL_CMD_VERSION, NULL);
	t_parse_ok("-V", VLOCTL_CMD_VERSION, NULL);
	t_parse_ok("-h --version", VLOCTL_CMD_HELP, NULL);
	t_parse_ok("bogus --version", VLOCTL_CMD_VERSION, NULL);
	t_parse_ok("doctor", VLOCTL_CMD_DOCTOR, NULL);
	CHECK(t_parse(&a, "-j doctor /tmp/vlo.ko", err, sizeof(err)) == 0);
	CHECK(a.cmd == VLOCTL_CMD_DOCTOR && a.json);
	CHECK_STR(a.ko, "/tmp/vlo.ko");
	t_parse_err("doctor a.ko b.ko", "unexpected argument 'b.ko'");

	CHECK(t_parse(&a, "-j -p -s show", err, sizeof(err)) == 0);
	CHECK(a.json && a.pretty && a.details);
	CHECK(t_parse(&a, "-js", err, sizeof(err)) == 0);
	CHECK(a.json && !a.pretty && a.details);
	CHECK(t_parse(&a, "-p", err, sizeof(err)) == 0);
	CHECK(a.json && a.pretty);
	CHECK(t_parse(&a, "show -s vlo0 --json", err, sizeof(err)) == 0);
	CHECK(a.json && a.details && a.cmd == VLOCTL_CMD_SHOW);
	CHECK_STR(a.dev, "vlo0");
	CHECK(t_parse(&a, "", err, sizeof(err)) == 0);
	CHECK(!a.json && !a.pretty && !a.details && !a.netns);
	CHECK(a.interval == 1.0 && a.count == 0);

	CHECK(t_parse(&a, "-n test show", err, sizeof(err)) == 0);
	CHECK_STR(a.netns, "test");
	CHECK(t_parse(&a, "-ntest", err, sizeof(err)) == 0);
	CHECK_STR(a.netns, "test");
	CHECK(t_parse(&a, "-jn test", err, sizeof(err)) == 0);
	CHECK(a.json);
	CHECK_STR(a.netns, "test");
	CHECK(t_parse(&a, "--netns=ns1 routes", err, sizeof(err)) == 0);
	CHECK_STR(a.netns, "ns1");
	CHECK(a.cmd == VLOCTL_CMD_ROUTES);
	CHECK(t_parse(&a, "--netns ns2", err, sizeof(err)) == 0);
	CHECK_STR(a.netns, "ns2");

	CHECK(t_parse(&a, "stats -w 0.5 -c 3 vlo0", err, sizeof(err)) == 0);
	CHECK(a.cmd == VLOCTL_CMD_STATS && a.interval == 0.5 && a.count == 3);
	CHECK_STR(a.dev, "vlo0");
	CHECK(t_parse(&a, "-c2 -w2 stats", err, sizeof(err)) == 0);
	CHECK(a.interval == 2.0 && a.count == 2);
	CHECK(t_parse(&a, "stats --interval=.25 --count 7", err,
		      sizeof(err)) == 0);
	CHECK(a.interval == 0.25 && a.count == 7);

	CHECK(t_parse(&a, "route get 10.99.0.1", err, sizeof(err)) == 0);
	CHECK(a.cmd == VLOCTL_CMD_ROUTE_GET && a.family == AF_INET);
	CHECK(!memcmp(a.addr, v4, 4));
	CHECK_STR(a.addr_str, "10.99.0.1");
	CHECK(t_parse(&a, "route get fd99::1", err, sizeof(err)) == 0);
	CHECK(a.family == AF_INET6 && a.addr[0] == 0xfd && a.addr[15] == 1);
	CHECK(!a.vrf);
	CHECK(t_parse(&a, "route get 10.99.0.1 vrf red", err, sizeof(err)) == 0);
	CHECK(a.cmd == VLOCTL_CMD_ROUTE_GET && a.family == AF_INET);
	CHECK(!memcmp(a.addr, v4, 4));
	CHECK_STR(a.addr_str, "10.99.0.1");
	CHECK_STR(a.vrf, "red");
	CHECK(t_parse(&a, "-j route get vrf blue fd99::1", err, sizeof(err)) == 0);
	CHECK(a.json && a.family == AF_INET6);
	CHECK_STR(a.addr_str, "fd99::1");
	CHECK_STR(a.vrf, "blue");
	CHECK(t_parse(&a, "route get 10.99.0.1 vrf vrf", err, sizeof(err)) == 0);
	CHECK_STR(a.vrf, "vrf");
	CHECK(t_parse(&a, "-n ns1 route get 10.99.0.1 -j vrf red", err,
		      sizeof(err)) == 0);
	CHECK(a.json);
	CHECK_STR(a.netns, "ns1");
	CHECK_STR(a.vrf, "red");

	CHECK(vlo_args_parse(&a, 4, argv_dash, err, sizeof(err)) == 0);
	CHECK_STR(a.dev, "-odd");

	t_parse_err("bogus", "unknown command 'bogus'");
	t_parse_err("-x", "unknown option '-x'");
	t_parse_err("-jx", "unknown option '-x'");
	t_parse_err("--bogus", "unknown option '--bogus'");
	t_parse_err("--json=1", "option '--json' takes no argument");
	t_parse_ok("--jso", VLOCTL_CMD_SHOW, NULL);	/* getopt_long: a prefix of --json */
	t_parse_err("--jsonx", "unknown option '--jsonx'");
	t_parse_err("--bogus=1", "unknown option '--bogus'");
	t_parse_err("-\x01", "unknown option byte 0x01");
	t_parse_err("-n", "option '-n' needs an argument");
	t_parse_err("--netns", "option '--netns' needs an argument");
	t_parse_err("show -w", "option '-w' needs an argument");
	t_parse_err("show vlo0 vlo1", "unexpected argument 'vlo1'");
	t_parse_err("reset", "reset: missing DEV (every address: 'addrs --zero')");
	t_parse_err("reset vlo0 vlo1",
		    "invalid address 'vlo1' (expected an IPv4 or IPv6 address)");
	t_parse_err("reset vlo0 10.99.0.1 x", "unexpected argument 'x'");
	t_parse_ok("addrs vlo0", VLOCTL_CMD_ADDRS, "vlo0");
	CHECK(t_parse(&a, "addrs -Z", err, sizeof(err)) == 0);
	CHECK(a.cmd == VLOCTL_CMD_ADDRS && a.zero && !a.dev);
	CHECK(t_parse(&a, "-js addrs --zero vlo1", err, sizeof(err)) == 0);
	CHECK(a.zero && a.json && a.details);
	CHECK_STR(a.dev, "vlo1");
	CHECK(t_parse(&a, "addrs --zer", err, sizeof(err)) == 0);
	CHECK(a.zero);
	CHECK(t_parse(&a, "addrs vlo0", err, sizeof(err)) == 0);
	CHECK(!a.zero);
	t_parse_err("-Z", "option -Z applies only to 'addrs'");
	t_parse_err("reset vlo0 -Z", "option -Z applies only to 'addrs'");
	t_parse_err("stats --zero", "option -Z applies only to 'addrs'");
	t_parse_err("addrs -z", "unknown option '-z'");
	t_parse_err("addrs --zero=1", "option '--zero' takes no argument");
	t_parse_err("addrs --zeros", "unknown option '--zeros'");
	t_parse_err("addrs -Z vlo0 vlo1", "unexpected argument 'vlo1'");
	t_parse_ok("export", VLOCTL_CMD_EXPORT, NULL);
	t_parse_err("addrs --textfile /tmp",
		    "option --textfile applies only to 'export'");
	t_parse_err("route", "route: expected 'route get ADDR'");
	t_parse_err("route show", "route: expected 'route get ADDR'");
	t_parse_err("route get", "route get: missing ADDR");
	t_parse_err("route get 10.1", "invalid address '10.1' (expected an IPv4 or IPv6 address)");
	t_parse_err("route get 10.0.0.0/8", "invalid address '10.0.0.0/8' (expected an IPv4 or IPv6 address)");
	t_parse_err("route get host.example", "invalid address 'host.example' (expected an IPv4 or IPv6 address)");
	t_parse_err("route get 10.0.0.1 x", "unexpected argument 'x'");
	t_parse_err("route get 10.0.0.1 10.0.0.2", "unexpected argument '10.0.0.2'");
	t_parse_err("route get 10.0.0.1 vrf", "route get: missing NAME after 'vrf'");
	t_parse_err("route get vrf", "route get: missing NAME after 'vrf'");
	t_parse_err("route get vrf red", "route get: missing ADDR");
	t_parse_err("route get 10.0.0.1 vrf red x", "unexpected argument 'x'");
	t_parse_err("route get vrf red 10.0.0.1 x", "unexpected argument 'x'");
	t_parse_err("route get 10.0.0.1 vrf red vrf blue", "unexpected argument 'vrf'");
	t_parse_err("route get vrf red vrf blue", "unexpected argument 'vrf'");
	t_parse_err("route get 10.0.0.1 vrf red x y z", "unexpected argument 'x'");
	t_parse_err("route get vrf red bogus", "invalid address 'bogus' (expected an IPv4 or IPv6 address)");
	t_parse_err("route get 10.0.0.1 vrf a/b", "invalid VRF name 'a/b'");
	t_parse_err("route get 10.0.0.1 vrf abcdefghijklmnop", "invalid VRF name 'abcdefghijklmnop'");
	t_parse_err("show vlo0 vrf red", "unexpected argument 'vrf'");
	t_parse_err("show -w 2", "options -w and -c apply only to 'stats'");
	t_parse_err("-c 1", "options -w and -c apply only to 'stats'");
	t_parse_err("stats -w 0", "invalid interval '0' (expected seconds, 0.01 to 86400)");
	t_parse_err("stats -w -1", "invalid interval '-1' (expected seconds, 0.01 to 86400)");
	t_parse_err("stats -w nan", "invalid interval 'nan' (expected seconds, 0.01 to 86400)");
	t_parse_err("stats -w inf", "invalid interval 'inf' (expected seconds, 0.01 to 86400)");
	t_parse_err("stats -w 1s", "invalid interval '1s' (expected seconds, 0.01 to 86400)");
	t_parse_err("stats -c 0", "invalid count '0' (expected a whole number, 1 to 1000000000)");
	t_parse_err("stats -c -1", "invalid count '-1' (expected a whole number, 1 to 1000000000)");
	t_parse_err("stats -c 1.5", "invalid count '1.5' (expected a whole number, 1 to 1000000000)");
	t_parse_err("stats -c 99999999999999999999999", "invalid count '99999999999999999999999' (expected a whole number, 1 to 1000000000)");
	t_parse_err("show abcdefghijklmnop", "invalid device name 'abcdefghijklmnop'");
	t_parse_err("show ../../x", "invalid device name '../../x'");
	t_parse_err("show ..", "invalid device name '..'");
	t_parse_err("reset a/b", "invalid device name 'a/b'");
	t_parse_err("-n ../x", "invalid namespace name '../x'");
	t_parse_err("-n ..", "invalid namespace name '..'");
	t_parse_err("-", "unknown command '-'");

	CHECK(vlo_args_parse(&a, 2, argv_empty, err, sizeof(err)) == -1);
	CHECK_STR(err, "unknown command ''");
	CHECK(vlo_args_parse(&a, 3, argv_nl, err, sizeof(err)) == -1);
	CHECK(vlo_args_parse(&a, 1, argv_empty, err, 0) == 0);

	CHECK(vlo_args_valid_ifname("vlo0"));
	CHECK(vlo_args_valid_ifname("abcdefghijklmno"));
	CHECK(!vlo_args_valid_ifname("abcdefghijklmnop"));
	CHECK(!vlo_args_valid_ifname(""));
	CHECK(!vlo_args_valid_ifname("a b"));
	CHECK(!vlo_args_valid_ifname("a:1"));
	CHECK(vlo_args_valid_netns("ns-1.x"));
	CHECK(!vlo_args_valid_netns(""));
	CHECK(!vlo_args_valid_netns("."));
}

/* Every prefix of random bytes and words must parse without crashing. */
static void test_args_fuzz(void)
{
	static const char *const words[] = {
		"-j", "-p", "-s", "-n", "-w", "-c", "-h", "-V", "--", "-",
		"--json", "--netns=", "--interval", "--count=1", "show",
		"routes", "route", "get", "stats", "reset", "help", "vlo0",
		"addrs", "-Z", "--zero",
		"10.0.0.1", "::1", "0.5", "-jsn", "-c", "", "--x=", "-w1e9",
		"vrf", "red",
	};
	const size_t nw = sizeof(words) / sizeof(words[0]);
	unsigned int seed = 12345, iter, ok = 1;
	char bytes[8][8];

	for (iter = 0; iter < 20000; iter++) {
		char *argv[9] = { "vloctl" };
		int argc = 1 + (int)(rand_r(&seed) % 8), i;
		struct vlo_args a;
		char err[128];

		for (i = 1; i < argc; i++) {
			if (rand_r(&seed) % 4 == 0) {
				size_t j, len = rand_r(&seed) % 7;

				for (j = 0; j < len; j++)
					bytes[i][j] = (char)(1 + rand_r(&seed) % 255);
				bytes[i][len] = '\0';
				argv[i] = bytes[i];
			} else {
				argv[i] = (char *)words[rand_r(&seed) % nw];
			}
		}
		argv[argc] = NULL;
		if (vlo_args_parse(&a, argc, argv, err, sizeof(err)) == 0) {
			ok &= a.cmd <= VLOCTL_CMD_VERSION;
			ok &= a.interval >= VLO_INTERVAL_MIN;
			ok &= !a.vrf || (a.cmd == VLOCTL_CMD_ROUTE_GET &&
					 vlo_args_valid_ifname(a.vrf));
		} else {
			ok &= err[0] != '\0';
		}
	}
	CHECK(ok);
}

/* ---- formatting ---- */

static void test_fmt(void)
{
	unsigned char v4[4] = { 10, 99, 0, 1 }, v6[16] = { 0xfd, 0x99 };
	unsigned char zero[16] = { 0 };
	unsigned char mac[6] = { 0x02, 0xab, 0, 0, 0x0f, 0xff };
	const char *names[8];
	char buf[VLO_FMT_LEN], small[4];

	v6[15] = 1;
	CHECK_STR(vlo_fmt_addr(AF_INET, v4, buf, sizeof(buf)), "10.99.0.1");
	CHECK_STR(vlo_fmt_addr(AF_INET6, v6, buf, sizeof(buf)), "fd99::1");
	CHECK_STR(vlo_fmt_addr(AF_INET6, zero, buf, sizeof(buf)), "::");
	CHECK_STR(vlo_fmt_addr(99, v4, buf, sizeof(buf)), "?");
	CHECK_STR(vlo_fmt_addr(AF_INET6, v6, small, sizeof(small)), "?");
	CHECK_STR(vlo_fmt_prefix(AF_INET, v4, 24, buf, sizeof(buf)),
		  "10.99.0.1/24");
	CHECK_STR(vlo_fmt_prefix(AF_INET6, v6, 64, buf, sizeof(buf)),
		  "fd99::1/64");
	CHECK_STR(vlo_fmt_prefix(AF_INET, v4, 32, buf, sizeof(buf)),
		  "10.99.0.1/32");
	CHECK_STR(vlo_fmt_dst(AF_INET, v4, 32, buf, sizeof(buf)), "10.99.0.1");
	CHECK_STR(vlo_fmt_dst(AF_INET, v4, 24, buf, sizeof(buf)),
		  "10.99.0.1/24");
	CHECK_STR(vlo_fmt_dst(AF_INET, zero, 0, buf, sizeof(buf)), "default");
	CHECK_STR(vlo_fmt_dst(AF_INET6, v6, 128, buf, sizeof(buf)), "fd99::1");
	CHECK_STR(vlo_fmt_dst(AF_INET6, v6, 32, buf, sizeof(buf)),
		  "fd99::1/32");
	CHECK_STR(vlo_fmt_dst(AF_INET6, zero, 0, buf, sizeof(buf)), "default");
	CHECK_STR(vlo_fmt_mac(mac, 6, buf, sizeof(buf)), "02:ab:00:00:0f:ff");
	CHECK_STR(vlo_fmt_mac(mac, 0, buf, sizeof(buf)), "");
	CHECK(strlen(vlo_fmt_mac(mac, 6, small, sizeof(small))) < sizeof(small));
	CHECK_STR(vlo_fmt_family(AF_INET), "inet");
	CHECK_STR(vlo_fmt_family(AF_INET6), "inet6");

	CHECK_STR(vlo_fmt_scope(0, buf, sizeof(buf)), "global");
	CHECK_STR(vlo_fmt_scope(253, buf, sizeof(buf)), "link");
	CHECK_STR(vlo_fmt_scope(254, buf, sizeof(buf)), "host");
	CHECK_STR(vlo_fmt_scope(17, buf, sizeof(buf)), "17");
	CHECK_STR(vlo_fmt_rtype(2, buf, sizeof(buf)), "local");
	CHECK_STR(vlo_fmt_rtype(3, buf, sizeof(buf)), "broadcast");
	CHECK_STR(vlo_fmt_rtype(1, buf, sizeof(buf)), "unicast");
	CHECK_STR(vlo_fmt_rtype(200, buf, sizeof(buf)), "200");
	CHECK_STR(vlo_fmt_proto(2, buf, sizeof(buf)), "kernel");
	CHECK_STR(vlo_fmt_proto(4, buf, sizeof(buf)), "static");
	CHECK_STR(vlo_fmt_proto(77, buf, sizeof(buf)), "77");
	CHECK_STR(vlo_fmt_table(254, buf, sizeof(buf)), "main");
	CHECK_STR(vlo_fmt_table(255, buf, sizeof(buf)), "local");
	CHECK_STR(vlo_fmt_table(100, buf, sizeof(buf)), "100");
	CHECK_STR(vlo_fmt_table(4000000000u, buf, sizeof(buf)), "4000000000");
	vlo_fmt_tables_parse("#\n# reserved values\n#\n255\tlocal\n254\tmain\n"
			     "  100  blue # a comment\n0x65 red\n#102 grey\n"
			     "103\n104 #x\n4000000000 big\nx1 bad\n-1 neg\n"
			     "100 cyan");
	CHECK_STR(vlo_fmt_table(100, buf, sizeof(buf)), "cyan");
	CHECK_STR(vlo_fmt_table(101, buf, sizeof(buf)), "red");
	CHECK_STR(vlo_fmt_table(102, buf, sizeof(buf)), "102");
	CHECK_STR(vlo_fmt_table(103, buf, sizeof(buf)), "103");
	CHECK_STR(vlo_fmt_table(104, buf, sizeof(buf)), "104");
	CHECK_STR(vlo_fmt_table(4000000000u, buf, sizeof(buf)), "big");
	CHECK_STR(vlo_fmt_table(254, buf, sizeof(buf)), "main");
	CHECK_STR(vlo_fmt_table(253, buf, sizeof(buf)), "default");
	vlo_fmt_tables_free();
	CHECK_STR(vlo_fmt_table(100, buf, sizeof(buf)), "100");
	CHECK_STR(vlo_fmt_operstate(0, buf, sizeof(buf)), "UNKNOWN");
	CHECK_STR(vlo_fmt_operstate(6, buf, sizeof(buf)), "UP");
	CHECK_STR(vlo_fmt_operstate(9, buf, sizeof(buf)), "9");
	CHECK_STR(vlo_fmt_link_type(1, buf, sizeof(buf)), "ether");
	CHECK_STR(vlo_fmt_link_type(772, buf, sizeof(buf)), "loopback");
	CHECK_STR(vlo_fmt_pref(0), "medium");
	CHECK_STR(vlo_fmt_pref(3), "low");

	/* vlo: NOARP | UP | RUNNING | LOWER_UP */
	CHECK(vlo_fmt_link_flags(0x100c1 | 0x40, names, 8) == 3);
	CHECK_STR(names[0], "NOARP");
	CHECK_STR(names[1], "UP");
	CHECK_STR(names[2], "LOWER_UP");
	/* up without carrier */
	CHECK(vlo_fmt_link_flags(0x1 | 0x80, names, 8) == 3);
	CHECK_STR(names[0], "NO-CARRIER");
	CHECK_STR(names[1], "NOARP");
	CHECK_STR(names[2], "UP");
	CHECK(vlo_fmt_link_flags(0x80, names, 8) == 1);
	CHECK(vlo_fmt_link_flags(0xffffffff, names, 2) == 2);
	CHECK(vlo_fmt_link_flags(0, names, 8) == 0);
}

/* ---- the counters, in linux/vlo.h's order ---- */

#define T_CTR(attr)	(1000 + (attr) - VLO_CTR_IN_PACKETS)

static void test_acct(void)
{
	uint64_t ctr[VLO_NR_CTRS];
	struct vlo_acct a;
	unsigned int i;

	for (i = 0; i < VLO_NR_CTRS; i++)
		ctr[i] = 1000 + i;
	vlo_acct_from_ctrs(&a, ctr);
	CHECK(VLO_NR_CTRS == 36);
	CHECK(a.total[VLO_IN].packets == T_CTR(VLO_CTR_IN_PACKETS));
	CHECK(a.total[VLO_IN].bytes == T_CTR(VLO_CTR_IN_BYTES));
	CHECK(a.total[VLO_OUT].packets == T_CTR(VLO_CTR_OUT_PACKETS));
	CHECK(a.total[VLO_OUT].bytes == T_CTR(VLO_CTR_OUT_BYTES));
	CHECK(a.cell[VLO_IN][VLO_IPV4][VLO_ICMP].packets ==
	      T_CTR(VLO_CTR_IN_IPV4_ICMP_PACKETS));
	CHECK(a.cell[VLO_IN][VLO_IPV4][VLO_TCP].bytes ==
	      T_CTR(VLO_CTR_IN_IPV4_TCP_BYTES));
	CHECK(a.cell[VLO_IN][VLO_IPV6][VLO_OTHER].packets ==
	      T_CTR(VLO_CTR_IN_IPV6_OTHER_PACKETS));
	CHECK(a.cell[VLO_OUT][VLO_IPV4][VLO_UDP].bytes ==
	      T_CTR(VLO_CTR_OUT_IPV4_UDP_BYTES));
	CHECK(a.cell[VLO_OUT][VLO_IPV6][VLO_ICMP].packets ==
	      T_CTR(VLO_CTR_OUT_IPV6_ICMP_PACKETS));
	CHECK(a.cell[VLO_OUT][VLO_IPV6][VLO_OTHER].bytes ==
	      T_CTR(VLO_CTR_OUT_IPV6_OTHER_BYTES));
}

static void test_rate(void)
{
	char buf[VLO_FMT_LEN];

	CHECK(vlo_rate_delta(10, 15) == 5);
	CHECK(vlo_rate_delta(15, 15) == 0);
	CHECK(vlo_rate_delta(100, 4) == 4);	/* reset in between */
	CHECK(vlo_rate_delta(UINT64_MAX - 1, UINT64_MAX) == 1);
	CHECK(vlo_rate_delta(UINT64_MAX, 0) == 0);
	CHECK(vlo_rate_per_sec(10, 2.0) == 5.0);
	CHECK(vlo_rate_per_sec(1, 0.5) == 2.0);
	CHECK(vlo_rate_per_sec(10, 0) == 0);
	CHECK(vlo_rate_per_sec(10, -1) == 0);
	CHECK(vlo_rate_bits_per_sec(168, 1.0) == 1344.0);
	CHECK(vlo_rate_bits_per_sec(UINT64_MAX, 1.0) > 1e20);

	CHECK_STR(vlo_rate_fmt(0, buf, sizeof(buf)), "0");
	CHECK_STR(vlo_rate_fmt(2, buf, sizeof(buf)), "2");
	CHECK_STR(vlo_rate_fmt(0.5, buf, sizeof(buf)), "0.5");
	CHECK_STR(vlo_rate_fmt(12.5, buf, sizeof(buf)), "12.5");
	CHECK_STR(vlo_rate_fmt(99.94, buf, sizeof(buf)), "99.9");
	CHECK_STR(vlo_rate_fmt(99.96, buf, sizeof(buf)), "100");
	CHECK_STR(vlo_rate_fmt(123.4, buf, sizeof(buf)), "123");
	CHECK_STR(vlo_rate_fmt(999, buf, sizeof(buf)), "999");
	CHECK_STR(vlo_rate_fmt(999.6, buf, sizeof(buf)), "1.00K");
	CHECK_STR(vlo_rate_fmt(1000, buf, sizeof(buf)), "1.00K");
	CHECK_STR(vlo_rate_fmt(1344, buf, sizeof(buf)), "1.34K");
	CHECK_STR(vlo_rate_fmt(9999, buf, sizeof(buf)), "10.0K");
	CHECK_STR(vlo_rate_fmt(12345, buf, sizeof(buf)), "12.3K");
	CHECK_STR(vlo_rate_fmt(99999, buf, sizeof(buf)), "100K");
	CHECK_STR(vlo_rate_fmt(999400, buf, sizeof(buf)), "999K");
	CHECK_STR(vlo_rate_fmt(999600, buf, sizeof(buf)), "1.00M");
	CHECK_STR(vlo_rate_fmt(2.5e6, buf, sizeof(buf)), "2.50M");
	CHECK_STR(vlo_rate_fmt(40e9, buf, sizeof(buf)), "40.0G");
	CHECK_STR(vlo_rate_fmt(1.5e12, buf, sizeof(buf)), "1500G");
	CHECK_STR(vlo_rate_fmt(-3, buf, sizeof(buf)), "0");
	CHECK_STR(vlo_rate_fmt(NAN, buf, sizeof(buf)), "0");
	CHECK_STR(vlo_rate_fmt(INFINITY, buf, sizeof(buf)), "0");
}

/* ---- JSON output ---- */

static char *t_escape(const char *s)
{
	static char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	vlo_json_escape(f, s);
	fclose(f);
	return buf;
}

static void test_json_escape(void)
{
	CHECK_STR(t_escape(""), "\"\"");
	CHECK_STR(t_escape("vlo0"), "\"vlo0\"");
	CHECK_STR(t_escape("a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(t_escape("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
	CHECK_STR(t_escape("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	CHECK_STR(t_escape("/"), "\"/\"");
	CHECK_STR(t_escape("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	CHECK_STR(t_escape("\xe2\x82\xac"), "\"\xe2\x82\xac\"");
	CHECK_STR(t_escape("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
	CHECK_STR(t_escape("\xff"), "\"\\ufffd\"");
	CHECK_STR(t_escape("a\xc3"), "\"a\\ufffd\"");
	CHECK_STR(t_escape("\xc3("), "\"\\ufffd(\"");
	CHECK_STR(t_escape("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	CHECK_STR(t_escape("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(t_escape("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(t_escape("\xf4\x90\x80\x80"),
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(t_escape("\xe2\x82"), "\"\\ufffd\\ufffd\"");
}

static const char *t_doc(bool pretty)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	vlo_out_init(f, true, pretty);
	vlo_out_begin_array(NULL);
	vlo_out_begin_object(NULL);
	vlo_out_int("ifindex", "%lld", 3);
	vlo_out_str("ifname", "%s", "vlo\"0");
	vlo_out_begin_array("flags");
	vlo_out_str(NULL, NULL, "NOARP");
	vlo_out_str(NULL, NULL, "UP");
	vlo_out_end_array();
	vlo_out_begin_array("addr_info");
	vlo_out_end_array();
	vlo_out_begin_object("rates");
	vlo_out_double("pps", NULL, 2.5);
	vlo_out_double("bps", NULL, NAN);
	vlo_out_u64("bytes", NULL, UINT64_MAX);
	vlo_out_bool("on", true);
	vlo_out_null("none");
	vlo_out_end_object();
	vlo_out_end_object();
	vlo_out_end_array();
	vlo_out_finish();
	fclose(f);
	return buf;
}

/* vlo_fmt_addr's own IPv4 digits against inet_ntop's. */
static void test_fmt_ipv4(void)
{
	static const unsigned char v[] = { 0, 1, 9, 10, 99, 100, 199, 200, 255 };
	char got[INET6_ADDRSTRLEN], want[INET_ADDRSTRLEN], tiny[8];
	unsigned char a[4];
	size_t i;

	for (i = 0; i < 9 * 9 * 9 * 9; i++) {
		a[0] = v[i % 9];
		a[1] = v[i / 9 % 9];
		a[2] = v[i / 81 % 9];
		a[3] = v[i / 729];
		inet_ntop(AF_INET, a, want, sizeof(want));
		CHECK_STR(vlo_fmt_addr(AF_INET, a, got, sizeof(got)), want);
	}
	a[0] = a[1] = a[2] = a[3] = 255;
	CHECK_STR(vlo_fmt_addr(AF_INET, a, tiny, sizeof(tiny)), "?");
}

static void test_json_doc(void)
{
	static char buf[256];
	FILE *f;

	CHECK_STR(t_doc(false),
		  "[{\"ifindex\":3,\"ifname\":\"vlo\\\"0\",\"flags\":[\"NOARP\",\"UP\"],"
		  "\"addr_info\":[],\"rates\":{\"pps\":2.500,\"bps\":null,"
		  "\"bytes\":18446744073709551615,\"on\":true,\"none\":null}}]\n");
	CHECK_STR(t_doc(true),
		  "[\n"
		  "    {\n"
		  "        \"ifindex\": 3,\n"
		  "        \"ifname\": \"vlo\\\"0\",\n"
		  "        \"flags\": [\n"
		  "            \"NOARP\",\n"
		  "            \"UP\"\n"
		  "        ],\n"
		  "        \"addr_info\": [],\n"
		  "        \"rates\": {\n"
		  "            \"pps\": 2.500,\n"
		  "            \"bps\": null,\n"
		  "            \"bytes\": 18446744073709551615,\n"
		  "            \"on\": true,\n"
		  "            \"none\": null\n"
		  "        }\n"
		  "    }\n"
		  "]\n");

	/* an empty document is still one document */
	f = fmemopen(buf, sizeof(buf), "w");
	vlo_out_init(f, true, true);
	vlo_out_begin_array(NULL);
	vlo_out_end_array();
	vlo_out_finish();
	fclose(f);
	CHECK_STR(buf, "[]\n");

	/* text mode prints the formats and nothing of the JSON calls */
	f = fmemopen(buf, sizeof(buf), "w");
	vlo_out_init(f, false, false);
	vlo_out_begin_array(NULL);
	vlo_out_begin_object(NULL);
	vlo_out_int("ifindex", "%lld: ", 3);
	vlo_out_str("ifname", "%s:", "vlo0");
	vlo_out_u64("mtu", " mtu %llu", 65536);
	vlo_out_bool("on", true);
	vlo_out_null("x");
	vlo_out_str("y", NULL, "hidden");
	vlo_out_double("z", " %.1f", 0.25);
	vlo_out_text(" %s\n", "end");
	vlo_out_end_object();
	vlo_out_end_array();
	vlo_out_finish();
	fclose(f);
	CHECK_STR(buf, "3: vlo0: mtu 65536 0.2 end\n");
}

/* ---- doctor: EFI variables, vermagic, the exit status ---- */

static void test_doctor_misc(void)
{
	static const unsigned char sb_on[] = { 0x06, 0, 0, 0, 1 };
	static const unsigned char sb_off[] = { 0x06, 0, 0, 0, 0 };
	static const unsigned char sb_odd[] = { 0x06, 0, 0, 0, 2 };
	enum vlo_status ok[] = { VLO_OK, VLO_WARN, VLO_OK };
	enum vlo_status bad[] = { VLO_OK, VLO_FAIL, VLO_WARN };

	CHECK(vlo_efivar_bool(sb_on, sizeof(sb_on)) == 1);
	CHECK(vlo_efivar_bool(sb_off, sizeof(sb_off)) == 0);
	CHECK(vlo_efivar_bool(sb_odd, sizeof(sb_odd)) == -1);
	CHECK(vlo_efivar_bool(sb_on, 4) == -1);
	CHECK(vlo_efivar_bool(sb_on, 0) == -1);

	CHECK(vlo_vermagic_matches("6.1.0-56-amd64 SMP preempt ", "6.1.0-56-amd64"));
	CHECK(vlo_vermagic_matches("6.1.0-56-amd64", "6.1.0-56-amd64"));
	CHECK(!vlo_vermagic_matches("6.1.0-56-amd64 SMP", "6.1.0-5"));
	CHECK(!vlo_vermagic_matches("6.1.0-5 SMP", "6.1.0-56-amd64"));
	CHECK(!vlo_vermagic_matches("", "6.1.0-56-amd64"));

	CHECK(vlo_doctor_exit(ok, 3) == 0);
	CHECK(vlo_doctor_exit(bad, 3) == 1);
	CHECK(vlo_doctor_exit(bad, 1) == 0);
	CHECK(vlo_doctor_exit(NULL, 0) == 0);
}

int main(void)
{
	test_args();
	test_args_fuzz();
	test_fmt();
	test_acct();
	test_rate();
	test_json_escape();
	test_json_doc();
	test_fmt_ipv4();
	test_doctor_misc();
	test_nl();
	printf("%u passed, %u failed\n", t_passed, t_failed);
	return t_failed ? 1 : 0;
}
