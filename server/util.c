/*
 * util: allocation wrappers, UUIDs (libuuid), clock and struct buf.
 * Out-of-memory is not recoverable for a request server: abort loudly.
 */
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <uuid/uuid.h>

void
util_oom(void)
{
    fputs("crmd: out of memory\n", stderr);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        util_oom();
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        util_oom();
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        util_oom();
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
    /* random bytes fetched 64 ids at a time: one system call per 64 records, not per record */
    static _Thread_local unsigned char pool[64 * 16];
    static _Thread_local size_t used = sizeof pool;
    struct timespec now;
    uuid_t u;

    if (used == sizeof pool && getrandom(pool, sizeof pool, 0) == (ssize_t)sizeof pool)
        used = 0;
    if (used == sizeof pool) {
        uuid_generate_random(u); /* no getrandom: libuuid's own source */
    } else {
        memcpy(u, pool + used, 16);
        used += 16;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    util_uuid_v7_stamp(u, &now);
    uuid_unparse_lower(u, out);
}

void
util_uuid_v7_stamp(unsigned char u[16], const struct timespec *t)
{
    uint64_t ms = (uint64_t)t->tv_sec * 1000u + (uint64_t)t->tv_nsec / 1000000u;
    /* rand_a: the fraction of the millisecond in 1/4096 (RFC 9562 6.2, method 3) */
    unsigned frac = (unsigned)(((uint64_t)(t->tv_nsec % 1000000) << 12) / 1000000u);

    for (int i = 0; i < 6; i++)
        u[i] = (unsigned char)(ms >> (40 - 8 * i)); /* unix_ts_ms, big-endian */
    u[6] = (unsigned char)(0x70 | (frac >> 8));     /* version 7 */
    u[7] = (unsigned char)(frac & 0xff);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 9562 variant; 62 random bits stay */
}

void
util_request_uuid(char out[UTIL_UUID_LEN + 1])
{
    static _Thread_local uint64_t state[2];
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    size_t o = 0;

    if (!state[0] && !state[1]) {
        uuid_t seed;
        uuid_generate_random(seed);
        memcpy(state, seed, sizeof state);
        state[0] |= 1; /* never the all-zero state */
    }
    for (int half = 0; half < 2; half++) {
        /* xorshift128+ */
        uint64_t x = state[0], y = state[1], r;
        state[0] = y;
        x ^= x << 23;
        state[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
        r = state[1] + y;
        for (int i = 0; i < 8; i++)
            b[half * 8 + i] = (unsigned char)(r >> (8 * i));
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
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
