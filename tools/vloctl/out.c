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
 * JSON is gathered in buf and handed to stdio in large writes: a dump of
 * 100,000 addresses makes millions of small writes, and a stdio call costs
 * more than the bytes it copies. Text goes to stdio directly, after what
 * buf holds.
 */
#define OUT_BUFSIZE	(1 << 16)

static struct {
	FILE *f;
	bool json;
	bool pretty;
	int depth;
	bool first[OUT_MAX_DEPTH + 1];	/* nothing yet in this container */
	size_t len;			/* bytes in buf */
	char buf[OUT_BUFSIZE];
} out = { .first = { true } };

static void out_flush_buf(void)
{
	if (out.len)
		fwrite_unlocked(out.buf, 1, out.len, out.f);
	out.len = 0;
}

static void out_write(const void *s, size_t n)
{
	if (n > OUT_BUFSIZE - out.len) {
		out_flush_buf();
		if (n > OUT_BUFSIZE) {
			fwrite_unlocked(s, 1, n, out.f);
			return;
		}
	}
	memcpy(out.buf + out.len, s, n);
	out.len += n;
}

static void out_putc(char c)
{
	if (out.len == OUT_BUFSIZE)
		out_flush_buf();
	out.buf[out.len++] = c;
}

static void out_puts(const char *s)
{
	out_write(s, strlen(s));
}

void vlo_out_init(FILE *f, bool json, bool pretty)
{
	/*
	 * One thread writes: no lock per character, which a dump of 100,000
	 * addresses (millions of calls) would pay for each.
	 */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	out_flush_buf();
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
		out_putc('\n');
	vlo_out_flush();
}

void vlo_out_flush(void)
{
	out_flush_buf();
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
static bool out_plain_str(const char *str)
{
	size_t len = strlen(str);
	char buf[OUT_SHORT];

	if (len + 2 > sizeof(buf) ||
	    out_plain_len((const unsigned char *)str) != len)
		return false;
	buf[0] = '"';
	memcpy(buf + 1, str, len);
	buf[len + 1] = '"';
	out_write(buf, len + 2);
	return true;
}

static void out_escape(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char u[8];

	if (out_plain_str(str))
		return;
	out_putc('"');
	while (*s) {
		size_t n = out_plain_len(s);

		/* the common case: a run of printable ASCII, written at once */
		if (n) {
			out_write(s, n);
			s += n;
			continue;
		}
		n = out_utf8_len(s);

		switch (*s) {
		case '"':
			out_puts("\\\"");
			break;
		case '\\':
			out_puts("\\\\");
			break;
		case '\b':
			out_puts("\\b");
			break;
		case '\f':
			out_puts("\\f");
			break;
		case '\n':
			out_puts("\\n");
			break;
		case '\r':
			out_puts("\\r");
			break;
		case '\t':
			out_puts("\\t");
			break;
		default:
			if (n == 0) {
				out_puts("\\ufffd");
				n = 1;
			} else if (*s < 0x20 || *s == 0x7f) {
				snprintf(u, sizeof(u), "\\u%04x", *s);
				out_puts(u);
			} else {
				out_write(s, n);
			}
		}
		s += n ? n : 1;
	}
	out_putc('"');
}

/* The same on another stream (or on out's, in its turn). */
void vlo_json_escape(FILE *f, const char *str)
{
	FILE *saved = out.f;

	out_flush_buf();
	out.f = f;
	out_escape(str);
	out_flush_buf();
	out.f = saved;
}

static void out_indent(void)
{
	int i;

	out_putc('\n');
	for (i = 0; i < out.depth; i++)
		out_write("    ", 4);
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
		out_write(buf, n);
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
	out_write(buf, n);
	if (key) {
		out_escape(key);
		out_puts(out.pretty ? ": " : ":");
	}
}

static void out_begin(const char *key, char c)
{
	if (!out.json)
		return;
	out_elem(key);
	out_putc(c);
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
	out_putc(c);
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
			out_escape(val);
		else
			out_puts("null");
	} else if (fmt) {
		out_flush_buf();
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
	out_write(p, (size_t)(buf + sizeof(buf) - p));
}

void vlo_out_u64(const char *key, const char *fmt, uint64_t val)
{
	if (out.json) {
		out_elem(key);
		out_dec(val, false);
	} else if (fmt) {
		out_flush_buf();
		fprintf(out.f, fmt, (unsigned long long)val);
	}
}

void vlo_out_int(const char *key, const char *fmt, long long val)
{
	if (out.json) {
		out_elem(key);
		out_dec(val < 0 ? -(uint64_t)val : (uint64_t)val, val < 0);
	} else if (fmt) {
		out_flush_buf();
		fprintf(out.f, fmt, val);
	}
}

void vlo_out_double(const char *key, const char *fmt, double val)
{
	char buf[64];

	if (out.json) {
		out_elem(key);
		if (isfinite(val)) {
			snprintf(buf, sizeof(buf), "%.3f", val);
			out_puts(buf);
		} else {
			out_puts("null");
		}
	} else if (fmt) {
		out_flush_buf();
		fprintf(out.f, fmt, val);
	}
}

void vlo_out_bool(const char *key, bool val)
{
	if (out.json) {
		out_elem(key);
		out_puts(val ? "true" : "false");
	}
}

void vlo_out_null(const char *key)
{
	if (out.json) {
		out_elem(key);
		out_puts("null");
	}
}

void vlo_out_text(const char *fmt, ...)
{
	va_list ap;

	if (out.json)
		return;
	out_flush_buf();
	va_start(ap, fmt);
	vfprintf(out.f, fmt, ap);
	va_end(ap);
}

void vlo_err(const char *fmt, ...)
{
	va_list ap;

	if (out.f == stdout)
		out_flush_buf();
	fflush(stdout);
	fputs("vloctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
