/* SPDX-License-Identifier: GPL-2.0 */
/* Rates between two readings of a counter (stats): pure, unit tested. */
#ifndef VLOCTL_RATE_H
#define VLOCTL_RATE_H

#include <stddef.h>
#include <stdint.h>

uint64_t vlo_rate_delta(uint64_t prev, uint64_t cur);
double vlo_rate_per_sec(uint64_t delta, double secs);
double vlo_rate_bits_per_sec(uint64_t bytes_delta, double secs);
const char *vlo_rate_fmt(double v, char *buf, size_t len);

#endif /* VLOCTL_RATE_H */
