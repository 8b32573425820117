/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What link_vlo.so uses of the ip binary that loads it. iproute2 installs
 * no headers for its plugins and promises no ABI: these declarations
 * follow iproute2's ip/ip_common.h, include/json_print.h, include/color.h,
 * include/libnetlink.h, include/ll_map.h and include/utils.h, whose parts
 * below are the same in every release from 6.1 to 6.18. link_vlo.c checks
 * the running ip's version before it uses any of them.
 */
#ifndef VLO_IPROUTE2_H
#define VLO_IPROUTE2_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* ip dlopens IP_LIB_DIR/link_KIND.so and looks up KIND_link_util. */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f,
			     struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/* Where a print_*() call goes: text, JSON, or whichever ip -j chose. */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

/* The last of ip's colours: no colour. */
enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE,
};

int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_on_off(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, bool value);
int print_color_u64(enum output_type t, enum color_attr color,
		    const char *key, const char *fmt, uint64_t value);
void open_json_object(const char *name);
void close_json_object(void);

int addattr8(struct nlmsghdr *n, int maxlen, int type, uint8_t data);
int parse_rtattr(struct rtattr *tb[], int max, struct rtattr *rta, int len);
bool parse_on_off(const char *msg, const char *realval, int *p_err);
unsigned int ll_name_to_index(const char *name);
const char *ll_index_to_name(unsigned int idx);

#endif /* VLO_IPROUTE2_H */
