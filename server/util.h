/*
 * util: allocation that aborts on out-of-memory, UUIDs, clock and a small
 * growable byte buffer. Everything else builds on these.
 */
#ifndef CRMD_UTIL_H
#define CRMD_UTIL_H

#include <stddef.h>
#include <time.h>

#define UTIL_UUID_LEN 36
#define UTIL_TIME_LEN 20 /* "2026-11-23T09:41:00Z" */

/* Print "crmd: out of memory" and abort: what the x* allocators do when malloc fails. */
_Noreturn void util_oom(void);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Write a new record id in lower-case text form; out holds 37 bytes. A
 * version-7 UUID (RFC 9562): the creation time in milliseconds and its
 * fraction first, then 62 random bits. Ids made later sort after earlier
 * ones (to the clock's resolution), so every index on an id column grows
 * at its end instead of at random places (fewer pages written per insert).
 */
void util_uuid(char out[UTIL_UUID_LEN + 1]);

/*
 * Stamp the 16 bytes u (random on entry) as a version-7 UUID of time t:
 * bytes 0-5 the Unix time in ms, version 7 and the millisecond's fraction
 * in 1/4096 in bytes 6-7, the variant in byte 8; the rest stays random.
 */
void util_uuid_v7_stamp(unsigned char u[16], const struct timespec *t);

/*
 * A version-4-shaped UUID from a per-thread xorshift generator seeded once
 * from libuuid: for request ids only (cheap: no system call per id; not
 * for anything that must be unguessable).
 */
void util_request_uuid(char out[UTIL_UUID_LEN + 1]);

/* 1 if s is a UUID in canonical 8-4-4-4-12 hex form (either case), else 0. */
int util_is_uuid(const char *s);

/* Seconds since the epoch; tests may pin it with CRMD_FAKE_NOW (epoch seconds). */
time_t util_now(void);

/* Format t as RFC 3339 UTC ("2026-11-23T09:41:00Z"); out holds 21 bytes. */
void util_format_time(time_t t, char out[UTIL_TIME_LEN + 1]);

/* Growable NUL-terminated byte buffer. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
};

void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_release(struct buf *b);

#endif
