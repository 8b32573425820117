// SPDX-License-Identifier: GPL-2.0
/*
 * Routing table names as ip route prints them: /etc/iproute2/rt_tables
 * and the *.conf of rt_tables.d (or, where /etc has no rt_tables, the
 * defaults newer iproute2 releases keep in /usr/share/iproute2).
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "vloctl.h"

#define RT_TABLES_MAX	(1u << 20)	/* bytes read from one file */

static void rt_tables_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text;
	size_t n;

	if (!f)
		return;
	text = malloc(RT_TABLES_MAX + 1);
	if (text) {
		n = fread(text, 1, RT_TABLES_MAX, f);
		text[n] = '\0';
		vlo_fmt_tables_parse(text);
		free(text);
	}
	fclose(f);
}

static int rt_tables_conf(const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	return de->d_name[0] != '.' && len > 5 &&
	       !strcmp(de->d_name + len - 5, ".conf");
}

/* rt_tables, then rt_tables.d's *.conf in name order: later names win. */
static void rt_tables_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent **de;
	int i, n;

	snprintf(path, sizeof(path), "%s/rt_tables", dir);
	rt_tables_file(path);
	snprintf(path, sizeof(path), "%s/rt_tables.d", dir);
	n = scandir(path, &de, rt_tables_conf, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/rt_tables.d/%s", dir,
			 de[i]->d_name);
		rt_tables_file(path);
		free(de[i]);
	}
	if (n >= 0)
		free(de);
}

void vlo_rt_tables_load(void)
{
	static bool loaded;

	if (loaded)
		return;
	loaded = true;
	if (access("/etc/iproute2/rt_tables", F_OK))
		rt_tables_dir("/usr/share/iproute2");
	rt_tables_dir("/etc/iproute2");
}
