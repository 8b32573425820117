// SPDX-License-Identifier: GPL-2.0
/* doctor's verdict from the statuses of its checks. */
#include "doctor.h"

/* doctor's exit status: 1 if any check failed; warnings are fine. */
int vlo_doctor_exit(const enum vlo_status *st, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (st[i] == VLO_FAIL)
			return 1;
	return 0;
}
