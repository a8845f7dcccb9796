/*
 * util: allocation wrappers, UUIDs (libuuid), clock and struct buf.
 * Out-of-memory is not recoverable for a request server: abort loudly.
 */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

static void
oom(void)
{
    fputs("crmd: out of memory\n", stderr);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void
util_uuid(char out[UTIL_UUID_LEN + 1])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

int
util_is_uuid(const char *s)
{
    static const char dash[] = { 8, 13, 18, 23 };
    size_t i, d = 0;

    if (!s || strlen(s) != UTIL_UUID_LEN)
        return 0;
    for (i = 0; i < UTIL_UUID_LEN; i++) {
        char c = s[i];
        if (d < sizeof dash && (size_t)dash[d] == i) {
            if (c != '-')
                return 0;
            d++;
            continue;
        }
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return 0;
    }
    return 1;
}

time_t
util_now(void)
{
    static int checked;
    static time_t fake;
    const char *e;

    if (!checked) {
        /* Benign race: every thread computes the same value. */
        e = getenv("CRMD_FAKE_NOW");
        fake = e ? (time_t)strtoll(e, NULL, 10) : 0;
        checked = 1;
    }
    return fake ? fake : time(NULL);
}

void
util_format_time(time_t t, char out[UTIL_TIME_LEN + 1])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, UTIL_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
buf_reserve(struct buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    b->cap = b->cap ? b->cap : 256;
    while (b->cap < need)
        b->cap *= 2;
    b->data = xrealloc(b->data, b->cap);
}

void
buf_append(struct buf *b, const void *data, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
buf_release(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
