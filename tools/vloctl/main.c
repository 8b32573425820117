// SPDX-License-Identifier: GPL-2.0
/*
 * vloctl: show vlo devices, their addresses, routes and accounting, in the
 * conventions of iproute2. main() parses the options (args.c), enters the
 * network namespace if asked, and runs one subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "out.h"
#include "version.h"
#include "vloctl.h"

static const char main_usage[] =
	"Usage: vloctl [OPTIONS] [COMMAND]\n"
	"Commands:\n"
	"  show [DEV]          devices, addresses, frame and accounting counters\n"
	"                      (the default command)\n"
	"  routes [DEV]        routes in every table that use a vlo device\n"
	"  route get ADDR [vrf NAME]\n"
	"                      the route to ADDR and which vlo device accounts it\n"
	"  stats [-w SECS] [-c COUNT] [DEV]\n"
	"                      live accounting rates, packets/s and bits/s\n"
	"  reset DEV           zero DEV's accounting counters (needs CAP_NET_ADMIN)\n"
	"  doctor [KO]         check headers, module, depmod, Secure Boot, netfilter\n"
	"Options:\n"
	"  -j, --json          JSON output, one document\n"
	"  -p, --pretty        indented JSON (implies -j)\n"
	"  -s, --stats         show: counters per family and protocol\n"
	"  -n, --netns NETNS   run in network namespace NETNS, like ip -n\n"
	"  -w, --interval SECS stats: refresh every SECS seconds (default 1)\n"
	"  -c, --count COUNT   stats: stop after COUNT samples\n"
	"  -h, --help          this help\n"
	"  -V, --version       versions of vloctl and of the loaded vlo module\n"
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
	if (a.cmd == VLO_CMD_HELP) {
		fputs(main_usage, stdout);
		return VLO_EXIT_OK;
	}
	if (a.cmd == VLO_CMD_VERSION)
		return main_version();
	if (a.netns && vlo_netns_enter(a.netns))
		return VLO_EXIT_ERR;

	switch (a.cmd) {
	case VLO_CMD_ROUTES:
		ret = vlo_cmd_routes(&a);
		break;
	case VLO_CMD_ROUTE_GET:
		ret = vlo_cmd_route_get(&a);
		break;
	case VLO_CMD_STATS:
		ret = vlo_cmd_stats(&a);
		break;
	case VLO_CMD_RESET:
		ret = vlo_cmd_reset(&a);
		break;
	case VLO_CMD_DOCTOR:
		ret = vlo_cmd_doctor(&a);
		break;
	default:
		ret = vlo_cmd_show(&a);
		break;
	}
	vlo_out_finish();
	return ret;
}
