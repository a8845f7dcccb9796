/*
 * compress: gzip content coding of answers (RFC 9110 section 8.4.1.3) with
 * zlib: which clients accept it (Accept-Encoding with q-values), which
 * bodies gain from it, gzip of a whole buffer and of a stream read in
 * pieces. No HTTP here: http.c applies it, embed.c picks the variant
 * compressed at build time (tools/embed-files.sh).
 */
#ifndef CRMD_COMPRESS_H
#define CRMD_COMPRESS_H

#include <stddef.h>

#define COMPRESS_MIN 1024  /* smaller bodies are sent as they are: too little to gain */
#define COMPRESS_LEVEL 1   /* answers made per request (docs/operators.md "Compression") */

/* What the Accept-Encoding lines of a request said of gzip; zero-filled: nothing said. */
struct compress_accept {
    int gzip_named, any_named; /* "gzip" (or "x-gzip"), "*" were named */
    int gzip_q, any_q;         /* their q in thousandths, the highest when named twice */
};

/* Parse one Accept-Encoding field value into a (zero-filled first: nothing said). */
void compress_accept_add(struct compress_accept *a, const char *value, size_t len);

/*
 * 1 when a allows gzip: gzip named with q > 0, or not named and "*" with
 * q > 0. No Accept-Encoding, an empty one or "identity" alone: 0.
 */
int compress_accept_gzip(const struct compress_accept *a);

/*
 * 1 when a body of this Content-Type is text worth compressing: JSON,
 * problem+json, NDJSON, HTML, JavaScript, CSS, SVG, CSV, plain text.
 */
int compress_type(const char *content_type);

/*
 * gzip of data[0..len) at level (1-9): malloc'd bytes and *out_len, or
 * NULL when the result would not be smaller than len (or zlib fails).
 */
char *compress_gzip(const char *data, size_t len, int level, size_t *out_len);

/*
 * A streamed body in gzip: wraps read (the plain stream's reader on ctx)
 * into a reader of gzip bytes, flushed after each piece read so that a
 * slow stream still arrives piece by piece. compress_stream_free frees
 * the wrapper only (the plain stream is the caller's).
 */
struct compress_stream;
struct compress_stream *compress_stream_new(long (*read)(void *ctx, char *buf, size_t max),
                                            void *ctx, int level);
/* Up to max bytes of gzip into buf: their count, 0 at the end, -1 when read or zlib failed. */
long compress_stream_read(void *stream, char *buf, size_t max);
void compress_stream_free(struct compress_stream *s);

#endif
