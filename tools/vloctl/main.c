// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl: show vlo devices, their addresses, routes and accounting, in the
 * conventions of iproute2. main() parses the options (args.c), enters the
 * network namespace if asked, and runs one subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "out.h"
#include "version.h"
#include "vloctl.h"

static const char main_usage[] =
	"Usage: vloctl [OPTIONS] [COMMAND]\n"
	"Commands:\n"
	"  show [DEV]          devices, addresses, counters (the default)\n"
	"  addrs [-Z] [DEV]    every address with its own counters\n"
	"  routes [DEV]        routes in every table that use a vlo device\n"
	"  route get ADDR [vrf NAME]  the route and which vlo device accounts it\n"
	"  stats [-a] [-w SECS] [-c COUNT] [DEV]  live rates (-a: per address)\n"
	"  reset DEV [ADDR]    read-and-zero DEV and its addresses, or ADDR only\n"
	"  export [--textfile DIR]  every counter for Prometheus (DIR/vlo.prom)\n"
	"  doctor [KO]         check headers, module, depmod, Secure Boot, netfilter\n"
	"Options:\n"
	"  -j, --json          JSON output, one document\n"
	"  -p, --pretty        indented JSON (implies -j)\n"
	"  -s, --stats         show, addrs: counters per family and protocol\n"
	"  -n, --netns NETNS   run in network namespace NETNS, like ip -n\n"
	"  -a, --addresses     stats: rates per address\n"
	"  -Z, --zero          addrs: read-and-zero each address, in one dump\n"
	"  -w, --interval SECS, -c, --count COUNT   stats: period, samples\n"
	"      --textfile DIR  export: write DIR/vlo.prom atomically\n"
	"  -h, --help; -V, --version (of vloctl and of the loaded module)\n"
	"Exit status: 0 ok, 1 error, 2 usage. See vloctl(8).\n";

static int main_version(void)
{
	char mod[64];
	bool loaded = vlo_sysfs_module_loaded();
	bool known = loaded && !vlo_sysfs_module_version(mod, sizeof(mod));

	vlo_out_begin_object(NULL);
	vlo_out_str("vloctl", "vloctl %s\n", VLOCTL_VERSION);
	if (known)
		vlo_out_str("module", "vlo module %s\n", mod);
	else
		vlo_out_str("module", loaded ? "vlo module loaded, version unknown\n" :
			    "vlo module not loaded\n", NULL);
	vlo_out_end_object();
	vlo_out_finish();
	if (known && strcmp(mod, VLOCTL_VERSION))
		vlo_err("warning: vloctl %s and the loaded vlo module %s differ; install matching versions",
			VLOCTL_VERSION, mod);
	return VLO_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct vlo_args a;
	char err[256];
	int ret;

	if (vlo_args_parse(&a, argc, argv, err, sizeof(err))) {
		vlo_err("%s", err);
		fputs(main_usage, stderr);
		return VLO_EXIT_USAGE;
	}
	vlo_out_init(stdout, a.json, a.pretty);
	if (a.cmd == VLOCTL_CMD_HELP) {
		fputs(main_usage, stdout);
		return VLO_EXIT_OK;
	}
	if (a.cmd == VLOCTL_CMD_VERSION)
		return main_version();
	if (a.netns && vlo_netns_enter(a.netns))
		return VLO_EXIT_ERR;

	switch (a.cmd) {
	case VLOCTL_CMD_ROUTES:
		ret = vlo_cmd_routes(&a);
		break;
	case VLOCTL_CMD_ROUTE_GET:
		ret = vlo_cmd_route_get(&a);
		break;
	case VLOCTL_CMD_STATS:
		ret = vlo_cmd_stats(&a);
		break;
	case VLOCTL_CMD_RESET:
		ret = vlo_cmd_reset(&a);
		break;
	case VLOCTL_CMD_ADDRS:
		ret = vlo_cmd_addrs(&a);
		break;
	case VLOCTL_CMD_EXPORT:
		ret = vlo_cmd_export(&a);
		break;
	case VLOCTL_CMD_DOCTOR:
		ret = vlo_cmd_doctor(&a);
		break;
	default:
		ret = vlo_cmd_show(&a);
		break;
	}
	vlo_out_finish();
	vlo_fmt_tables_free();
	return ret;
}
