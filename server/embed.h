/*
 * embed: files compiled into the binary at build time by
 * tools/embed-files.sh (the API documents of apidocs.c, the desk page of
 * desk.c), and how a handler serves one: ETag, If-None-Match, revalidated
 * caching. What a route adds around it (query checks, headers) is its own.
 */
#ifndef CRMD_EMBED_H
#define CRMD_EMBED_H

#include <stddef.h>

struct request;
struct response;

struct embed_file {
    const char *name; /* served as ("index.html", "vendor/chart.umd.js"), or the constant's */
    const char *data; /* len bytes, NUL-terminated */
    size_t len;
    const char *etag; /* strong, quotes included: the start of the SHA-256 of the bytes */
    const char *type; /* Content-Type by extension, with charset: "text/css; charset=utf-8" */
    /* gzip of the bytes, made at build time when the type compresses and it gains (embed-files.sh);
     * NULL for small files */
    const char *gz;
    size_t gz_len;
    const char *gz_etag; /* etag with "-gzip" before the closing quote */
};

/* The file named name in table[0..n), or NULL. */
const struct embed_file *embed_find(const struct embed_file *table, size_t n, const char *name);

/*
 * Answer f: its ETag and Cache-Control: no-cache (clients keep it and
 * revalidate, so a new build takes effect at the next load), then 304
 * when If-None-Match matches, else 200 with f's bytes and type. The gzip
 * variant (its own ETag) when f has one and the request accepts gzip.
 * Returns 0, or -1 (400) for a malformed If-None-Match.
 */
int embed_serve(struct request *req, struct response *res, const struct embed_file *f);

#endif
