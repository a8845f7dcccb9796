/*
 * compress: Accept-Encoding is parsed by hand (RFC 9110 section 12.5.3:
 * a comma-separated list of codings, each with an optional ";q=" weight);
 * a member that cannot be read is skipped, never refused: the identity
 * coding is always a fine answer. Deflate is zlib's, gzip framing
 * (windowBits 15 + 16).
 */
#include "compress.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "util.h"

#define GZIP_WINDOW_BITS 31 /* 15 bits of window, + 16: gzip header and trailer */
#define STREAM_IN 16384     /* plain bytes read at a time from a stream */

static int
ows(char c)
{
    return c == ' ' || c == '\t';
}

/* qvalue = "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3"0" ], in thousandths; -1 when malformed. */
static int
qvalue(const char *s, size_t n)
{
    int q, scale = 100;

    if (n == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    q = (s[0] - '0') * 1000;
    if (n == 1)
        return q;
    if (s[1] != '.' || n > 5)
        return -1;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        q += (s[i] - '0') * scale;
    }
    return q > 1000 ? -1 : q;
}

/* The weight of one member's parameters "; q=0.5" (1000 when absent), -1 when malformed. */
static int
member_q(const char *p, const char *end)
{
    int q = 1000;

    while (p < end) {
        const char *param, *stop;

        while (p < end && (ows(*p) || *p == ';'))
            p++;
        param = p;
        while (p < end && *p != ';')
            p++;
        stop = p;
        while (stop > param && ows(stop[-1]))
            stop--;
        if (stop == param)
            continue;
        if (stop - param < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=')
            continue; /* another parameter: none is defined for codings, so ignored */
        q = qvalue(param + 2, (size_t)(stop - param - 2));
        if (q < 0)
            return -1;
    }
    return q;
}

/* One list member "gzip;q=0.5" between m and end. */
static void
take_member(struct compress_accept *a, const char *m, const char *end)
{
    const char *name_end;
    size_t n;
    int q;

    while (m < end && ows(*m))
        m++;
    name_end = m;
    while (name_end < end && *name_end != ';' && !ows(*name_end))
        name_end++;
    n = (size_t)(name_end - m);
    if (n == 0 || (q = member_q(name_end, end)) < 0)
        return;
    if ((n == 4 && !strncasecmp(m, "gzip", 4)) || (n == 6 && !strncasecmp(m, "x-gzip", 6))) {
        a->gzip_q = a->gzip_named && a->gzip_q > q ? a->gzip_q : q;
        a->gzip_named = 1;
    } else if (n == 1 && *m == '*') {
        a->any_q = a->any_named && a->any_q > q ? a->any_q : q;
        a->any_named = 1;
    }
}

void
compress_accept_add(struct compress_accept *a, const char *value, size_t len)
{
    const char *p = value, *end = value + len;

    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));

        take_member(a, p, comma ? comma : end);
        p = comma ? comma + 1 : end;
    }
}

int
compress_accept_gzip(const struct compress_accept *a)
{
    if (a->gzip_named)
        return a->gzip_q > 0;
    return a->any_named && a->any_q > 0;
}

int
compress_type(const char *content_type)
{
    static const char *const types[] = {
        "application/json", "application/problem+json", "application/x-ndjson",
        "application/manifest+json", "text/html", "text/javascript", "text/css",
        "image/svg+xml", "text/csv", "text/plain",
    };
    size_t n;

    if (!content_type)
        return 0;
    n = strcspn(content_type, "; \t");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i]) == n && !strncasecmp(content_type, types[i], n))
            return 1;
    return 0;
}

/* A thread's deflate state, kept for its next answer (compress_gzip). */
struct thread_deflate {
    z_stream z;
    int level;
};

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void
thread_deflate_free(void *p)
{
    struct thread_deflate *t = p;

    deflateEnd(&t->z);
    free(t);
}

static void
thread_key_make(void)
{
    if (pthread_key_create(&thread_key, thread_deflate_free) != 0)
        abort();
}

/*
 * This thread's deflate state at level, reset; NULL when zlib fails. Kept
 * rather than made per answer: its ~260 KB allocated and freed each time
 * made glibc return the memory to the system and fault it in again, which
 * cost more than the deflate of a 24 KB card at level 1 (bench: 610 µs
 * against 60 µs).
 */
static z_stream *
thread_deflate(int level)
{
    struct thread_deflate *t;

    pthread_once(&thread_once, thread_key_make);
    t = pthread_getspecific(thread_key);
    if (t && t->level == level)
        return deflateReset(&t->z) == Z_OK ? &t->z : NULL;
    if (t)
        thread_deflate_free(t);
    t = xcalloc(1, sizeof *t);
    t->level = level;
    if (deflateInit2(&t->z, level, Z_DEFLATED, GZIP_WINDOW_BITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(t);
        t = NULL;
    }
    pthread_setspecific(thread_key, t);
    return t ? &t->z : NULL;
}

char *
compress_gzip(const char *data, size_t len, int level, size_t *out_len)
{
    z_stream *z = thread_deflate(level);
    size_t cap;
    char *out;
    int rc;

    if (!z)
        return NULL;
    cap = deflateBound(z, (uLong)len);
    out = xmalloc(cap);
    z->next_in = (Bytef *)(uintptr_t)data;
    z->avail_in = (uInt)len;
    z->next_out = (Bytef *)out;
    z->avail_out = (uInt)cap;
    rc = deflate(z, Z_FINISH); /* deflateBound: one call suffices */
    *out_len = z->total_out;
    if (rc != Z_STREAM_END || *out_len >= len) {
        free(out);
        return NULL;
    }
    return out;
}

struct compress_stream {
    z_stream z;
    long (*read)(void *ctx, char *buf, size_t max);
    void *ctx;
    int eof;      /* read returned 0: the plain stream ended */
    int finished; /* the gzip trailer is out */
    char in[STREAM_IN];
};

struct compress_stream *
compress_stream_new(long (*read)(void *ctx, char *buf, size_t max), void *ctx, int level)
{
    struct compress_stream *s = xcalloc(1, sizeof *s);

    if (deflateInit2(&s->z, level, Z_DEFLATED, GZIP_WINDOW_BITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(s);
        return NULL;
    }
    s->read = read;
    s->ctx = ctx;
    return s;
}

long
compress_stream_read(void *stream, char *buf, size_t max)
{
    struct compress_stream *s = stream;

    s->z.next_out = (Bytef *)buf;
    s->z.avail_out = (uInt)max;
    /* until some output: a piece of input may deflate to nothing before its flush */
    while (!s->finished && s->z.avail_out == max) {
        int rc;

        if (s->z.avail_in == 0 && !s->eof) {
            long n = s->read(s->ctx, s->in, sizeof s->in);
            if (n < 0)
                return -1;
            s->eof = n == 0;
            s->z.next_in = (Bytef *)s->in;
            s->z.avail_in = (uInt)n;
        }
        rc = deflate(&s->z, s->eof ? Z_FINISH : Z_SYNC_FLUSH);
        if (rc == Z_STREAM_END)
            s->finished = 1;
        else if (rc != Z_OK && rc != Z_BUF_ERROR) /* Z_BUF_ERROR: flushed already, read on */
            return -1;
    }
    return (long)(max - s->z.avail_out);
}

void
compress_stream_free(struct compress_stream *s)
{
    if (!s)
        return;
    deflateEnd(&s->z);
    free(s);
}
