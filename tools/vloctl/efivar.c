// SPDX-License-Identifier: GPL-2.0
/*
 * An EFI variable as efivarfs shows it (/sys/firmware/efi/efivars/...):
 * 4 bytes of attributes, then the value.
 */
#include "doctor.h"

/* A boolean EFI variable (SecureBoot, SetupMode): 1, 0, or -1 if malformed. */
int vlo_efivar_bool(const void *buf, size_t len)
{
	const unsigned char *b = buf;

	if (len != 5)
		return -1;
	return b[4] == 1 ? 1 : b[4] == 0 ? 0 : -1;
}
