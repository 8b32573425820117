// SPDX-License-Identifier: GPL-2.0
/* A module's vermagic against the release of the running kernel. */
#include <string.h>

#include "doctor.h"

/* vermagic starts with the release it was built for, then a space. */
bool vlo_vermagic_matches(const char *vermagic, const char *release)
{
	size_t n = strlen(release);

	return !strncmp(vermagic, release, n) &&
	       (vermagic[n] == ' ' || vermagic[n] == '\0');
}
