// SPDX-License-Identifier: GPL-2.0
/*
 * What doctor decides from bytes and strings it already has (an EFI
 * variable file: 4 bytes of attributes, then the value; a vermagic; the
 * checks' statuses). The module files themselves are read by libkmod.
 */
#include <string.h>

#include "kmod.h"

/* A boolean EFI variable (SecureBoot, SetupMode): 1, 0, or -1 if malformed. */
int vlo_kmod_efivar_bool(const void *buf, size_t len)
{
	const unsigned char *b = buf;

	if (len != 5)
		return -1;
	return b[4] == 1 ? 1 : b[4] == 0 ? 0 : -1;
}

/* vermagic starts with the release it was built for, then a space. */
bool vlo_kmod_vermagic_matches(const char *vermagic, const char *release)
{
	size_t n = strlen(release);

	return !strncmp(vermagic, release, n) &&
	       (vermagic[n] == ' ' || vermagic[n] == '\0');
}

/* doctor's exit status: 1 if any check failed; warnings are fine. */
int vlo_kmod_exit(const enum vlo_status *st, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (st[i] == VLO_FAIL)
			return 1;
	return 0;
}
