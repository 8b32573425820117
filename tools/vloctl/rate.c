// SPDX-License-Identifier: GPL-2.0
/* Rates for "vloctl stats", in the style of ifstat: deltas, per second, K/M/G. */
#include <math.h>
#include <stdio.h>

#include "rate.h"

/*
 * The counters are u64 and never wrap in practice; a reading below the
 * previous one means they were reset (vloctl reset) in between, so what
 * was counted since is the new reading itself.
 */
uint64_t vlo_rate_delta(uint64_t prev, uint64_t cur)
{
	return cur >= prev ? cur - prev : cur;
}

double vlo_rate_per_sec(uint64_t delta, double secs)
{
	return secs > 0 ? (double)delta / secs : 0;
}

double vlo_rate_bits_per_sec(uint64_t bytes_delta, double secs)
{
	return vlo_rate_per_sec(bytes_delta, secs) * 8;
}

/*
 * Three significant digits with a decimal (SI) suffix: 0, 0.5, 12, 999,
 * 1.00K, 12.3K, 123K, 1.23M, ..., 1234G. Fractions below 100 keep one
 * decimal so slow rates (one packet every few seconds) do not read as 0.
 */
const char *vlo_rate_fmt(double v, char *buf, size_t len)
{
	static const char suffix[] = " KMG";
	size_t i = 0;

	if (!isfinite(v) || v < 0)
		v = 0;
	if (v < 999.5) {
		if (fabs(v - nearbyint(v)) < 0.05 || v >= 99.95)
			snprintf(buf, len, "%.0f", v);
		else
			snprintf(buf, len, "%.1f", v);
		return buf;
	}
	while (v >= 999.5 && i < sizeof(suffix) - 2) {
		v /= 1000;
		i++;
	}
	if (v < 9.995)
		snprintf(buf, len, "%.2f%c", v, suffix[i]);
	else if (v < 99.95)
		snprintf(buf, len, "%.1f%c", v, suffix[i]);
	else
		snprintf(buf, len, "%.0f%c", v, suffix[i]);
	return buf;
}
