/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What doctor decides from bytes and strings it already has, a file each:
 * efivar.c (an EFI variable's value), vermagic.c (a module's vermagic
 * against a release), verdict.c (the exit status from the checks). Pure,
 * so the unit tests link them directly; the module files themselves are
 * read by libkmod in doctor.c.
 */
#ifndef VLOCTL_DOCTOR_H
#define VLOCTL_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

enum vlo_status { VLO_OK, VLO_WARN, VLO_FAIL };

int vlo_efivar_bool(const void *buf, size_t len);
bool vlo_vermagic_matches(const char *vermagic, const char *release);
int vlo_doctor_exit(const enum vlo_status *st, size_t n);

#endif /* VLOCTL_DOCTOR_H */
