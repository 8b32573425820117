/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output: text or JSON through one set of calls, as iproute2's print_*()
 * helpers do. A value call with a key prints "key": value in JSON mode and
 * printf(fmt, value) in text mode (nothing if fmt is NULL).
 */
#ifndef VLOCTL_OUT_H
#define VLOCTL_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

void vlo_out_init(FILE *f, bool json, bool pretty);
bool vlo_out_is_json(void);
void vlo_out_finish(void);
/* What was printed so far, out to the stream: before a pause (stats). */
void vlo_out_flush(void);

void vlo_out_begin_array(const char *key);
void vlo_out_end_array(void);
void vlo_out_begin_object(const char *key);
void vlo_out_end_object(void);

void vlo_out_str(const char *key, const char *fmt, const char *val);
void vlo_out_u64(const char *key, const char *fmt, uint64_t val);
void vlo_out_int(const char *key, const char *fmt, long long val);
void vlo_out_double(const char *key, const char *fmt, double val);
void vlo_out_bool(const char *key, bool val);
void vlo_out_null(const char *key);
void vlo_out_text(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

void vlo_json_escape(FILE *f, const char *s);

void vlo_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VLOCTL_OUT_H */
