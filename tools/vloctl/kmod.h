/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What doctor needs to know about a kernel module file and the boot, from
 * bytes already read: pure, so the unit tests link it directly.
 */
#ifndef VLOCTL_KMOD_H
#define VLOCTL_KMOD_H

#include <stdbool.h>
#include <stddef.h>

/* The end of a signed module (scripts/sign-file appends it). */
#define VLO_KMOD_SIG_MAGIC	"~Module signature appended~\n"

enum vlo_status { VLO_OK, VLO_WARN, VLO_FAIL };

int vlo_kmod_modinfo(const void *elf, size_t len, const char *key,
		     char *val, size_t vallen);
bool vlo_kmod_signed(const void *elf, size_t len);
int vlo_kmod_efivar_bool(const void *buf, size_t len);
bool vlo_kmod_vermagic_matches(const char *vermagic, const char *release);
const char *vlo_kmod_dep_find(const char *dep, const char *name);
int vlo_kmod_exit(const enum vlo_status *st, size_t n);

#endif /* VLOCTL_KMOD_H */
