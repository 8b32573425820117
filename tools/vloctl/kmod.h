/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What doctor decides from bytes and strings it already has: pure, so the
 * unit tests link it directly.
 */
#ifndef VLOCTL_KMOD_H
#define VLOCTL_KMOD_H

#include <stdbool.h>
#include <stddef.h>

enum vlo_status { VLO_OK, VLO_WARN, VLO_FAIL };

int vlo_kmod_efivar_bool(const void *buf, size_t len);
bool vlo_kmod_vermagic_matches(const char *vermagic, const char *release);
int vlo_kmod_exit(const enum vlo_status *st, size_t n);

#endif /* VLOCTL_KMOD_H */
