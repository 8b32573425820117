// SPDX-License-Identifier: GPL-2.0
/*
 * Text or JSON output. JSON is written as it goes (so "stats" can stream
 * one document until interrupted), compact or, with -p, indented by four
 * spaces. Strings are escaped per RFC 8259 and always valid UTF-8: bytes
 * that are not (an interface name may hold any byte) become U+FFFD.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>

#include "out.h"

#define OUT_MAX_DEPTH	16
/* a plain key or string up to this long goes out in one write */
#define OUT_SHORT	64

/*
 * One thread writes: stdio without its lock checks, putc_unlocked()
 * glibc's inline macro. A dump of 100,000 addresses makes millions of
 * these calls.
 */
#define out_putc(c, f)		putc_unlocked((c), (f))
#define out_write(s, n, f)	fwrite_unlocked((s), 1, (n), (f))
#define out_puts(s, f)		fputs_unlocked((s), (f))

static struct {
	FILE *f;
	bool json;
	bool pretty;
	int depth;
	bool first[OUT_MAX_DEPTH + 1];	/* nothing yet in this container */
} out = { .first = { true } };

void vlo_out_init(FILE *f, bool json, bool pretty)
{
	/*
	 * One thread writes: no lock per character, which a dump of 100,000
	 * addresses (millions of calls) would pay for each.
	 */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	out.f = f;
	out.json = json;
	out.pretty = pretty;
	out.depth = 0;
	out.first[0] = true;
}

bool vlo_out_is_json(void)
{
	return out.json;
}

void vlo_out_finish(void)
{
	if (out.json && !out.first[0])
		fputc('\n', out.f);
	fflush(out.f);
}

/* Length of the valid UTF-8 sequence at s, 0 if it is not one. */
static size_t out_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) ||	/* overlong */
		    (c == 0xed && s[1] >= 0xa0))	/* surrogate */
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) ||	/* overlong */
		    (c == 0xf4 && s[1] >= 0x90))	/* above U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

/* How many bytes at s are printable ASCII that JSON takes as they are. */
static size_t out_plain_len(const unsigned char *s)
{
	const unsigned char *p = s;

	while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
		p++;
	return (size_t)(p - s);
}

/* "str" at once if it needs no escape and is short; false if not. */
static bool out_plain_str(FILE *f, const char *str)
{
	size_t len = strlen(str);
	char buf[OUT_SHORT];

	if (len + 2 > sizeof(buf) ||
	    out_plain_len((const unsigned char *)str) != len)
		return false;
	buf[0] = '"';
	memcpy(buf + 1, str, len);
	buf[len + 1] = '"';
	out_write(buf, len + 2, f);
	return true;
}

void vlo_json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	if (out_plain_str(f, str))
		return;
	out_putc('"', f);
	while (*s) {
		size_t n = out_plain_len(s);

		/* the common case: a run of printable ASCII, written at once */
		if (n) {
			out_write(s, n, f);
			s += n;
			continue;
		}
		n = out_utf8_len(s);

		switch (*s) {
		case '"':
			out_puts("\\\"", f);
			break;
		case '\\':
			out_puts("\\\\", f);
			break;
		case '\b':
			out_puts("\\b", f);
			break;
		case '\f':
			out_puts("\\f", f);
			break;
		case '\n':
			out_puts("\\n", f);
			break;
		case '\r':
			out_puts("\\r", f);
			break;
		case '\t':
			out_puts("\\t", f);
			break;
		default:
			if (n == 0) {
				out_puts("\\ufffd", f);
				n = 1;
			} else if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
			} else {
				out_write(s, n, f);
			}
		}
		s += n ? n : 1;
	}
	out_putc('"', f);
}

static void out_indent(void)
{
	int i;

	out_putc('\n', out.f);
	for (i = 0; i < out.depth; i++)
		out_write("    ", 4, out.f);
}

/*
 * Separator, indentation and key before a JSON value; a plain key (all of
 * vloctl's) goes out with its separator in one write.
 */
static void out_elem(const char *key)
{
	char buf[OUT_SHORT];
	size_t n = 0, len;

	if (out.depth == 0) {
		out.first[0] = false;
		return;
	}
	if (!out.first[out.depth])
		buf[n++] = ',';
	out.first[out.depth] = false;
	if (out.pretty) {
		out_write(buf, n, out.f);
		n = 0;
		out_indent();
	}
	len = key ? strlen(key) : 0;
	if (key && n + len + 4 <= sizeof(buf) &&
	    out_plain_len((const unsigned char *)key) == len) {
		buf[n++] = '"';
		memcpy(buf + n, key, len);
		n += len;
		buf[n++] = '"';
		buf[n++] = ':';
		if (out.pretty)
			buf[n++] = ' ';
		key = NULL;
	}
	out_write(buf, n, out.f);
	if (key) {
		vlo_json_escape(out.f, key);
		out_puts(out.pretty ? ": " : ":", out.f);
	}
}

static void out_begin(const char *key, char c)
{
	if (!out.json)
		return;
	out_elem(key);
	out_putc(c, out.f);
	if (out.depth < OUT_MAX_DEPTH)
		out.depth++;
	out.first[out.depth] = true;
}

static void out_end(char c)
{
	if (!out.json)
		return;
	if (out.depth > 0) {
		bool empty = out.first[out.depth];

		out.depth--;
		if (out.pretty && !empty)
			out_indent();
	}
	out_putc(c, out.f);
}

void vlo_out_begin_array(const char *key)
{
	out_begin(key, '[');
}

void vlo_out_end_array(void)
{
	out_end(']');
}

void vlo_out_begin_object(const char *key)
{
	out_begin(key, '{');
}

void vlo_out_end_object(void)
{
	out_end('}');
}

void vlo_out_str(const char *key, const char *fmt, const char *val)
{
	if (out.json) {
		out_elem(key);
		if (val)
			vlo_json_escape(out.f, val);
		else
			fputs("null", out.f);
	} else if (fmt) {
		fprintf(out.f, fmt, val ? val : "");
	}
}

/* A number in decimal, without printf's parsing of a format each time. */
static void out_dec(uint64_t val, bool neg)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + val % 10);
		val /= 10;
	} while (val);
	if (neg)
		*--p = '-';
	out_write(p, (size_t)(buf + sizeof(buf) - p), out.f);
}

void vlo_out_u64(const char *key, const char *fmt, uint64_t val)
{
	if (out.json) {
		out_elem(key);
		out_dec(val, false);
	} else if (fmt) {
		fprintf(out.f, fmt, (unsigned long long)val);
	}
}

void vlo_out_int(const char *key, const char *fmt, long long val)
{
	if (out.json) {
		out_elem(key);
		out_dec(val < 0 ? -(uint64_t)val : (uint64_t)val, val < 0);
	} else if (fmt) {
		fprintf(out.f, fmt, val);
	}
}

void vlo_out_double(const char *key, const char *fmt, double val)
{
	if (out.json) {
		out_elem(key);
		if (isfinite(val))
			fprintf(out.f, "%.3f", val);
		else
			fputs("null", out.f);
	} else if (fmt) {
		fprintf(out.f, fmt, val);
	}
}

void vlo_out_bool(const char *key, bool val)
{
	if (out.json) {
		out_elem(key);
		fputs(val ? "true" : "false", out.f);
	}
}

void vlo_out_null(const char *key)
{
	if (out.json) {
		out_elem(key);
		fputs("null", out.f);
	}
}

void vlo_out_text(const char *fmt, ...)
{
	va_list ap;

	if (out.json)
		return;
	va_start(ap, fmt);
	vfprintf(out.f, fmt, ap);
	va_end(ap);
}

void vlo_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vloctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
