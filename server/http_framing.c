/*
 * http_framing: what libmicrohttpd 0.9.75 parses but does not refuse. With
 * both Content-Length and Transfer-Encoding it silently drops Content-Length
 * (a proxy in front may have framed the body by it: request smuggling), and
 * it ends strings at a NUL byte, so "/v1/keys\0.json" routes as /v1/keys and
 * "Bearer <key>\0junk" authenticates. The request line and headers still lie
 * in its read buffer, header_size bytes from the method on, with the bytes
 * it replaced by NULs (line ends, the colon, the separators of the request
 * line) at known places: any other NUL there came from the client.
 */
#include "http_framing.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* The header block, and which of its NULs libmicrohttpd wrote (a bit per byte). */
struct nul_map {
    const char *lo;
    size_t n;
    unsigned char *ok;
};

static void
mark(struct nul_map *m, const char *at)
{
    if (at >= m->lo && at < m->lo + m->n && !*at)
        m->ok[(size_t)(at - m->lo) / 8] |= (unsigned char)(1u << ((size_t)(at - m->lo) % 8));
}

/* A header: the NUL where its colon was, and the one or two of its line end (CRLF or LF). */
static enum MHD_Result
mark_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
            const char *value, size_t value_size)
{
    struct nul_map *m = cls;
    (void)kind;

    mark(m, key + key_size);
    if (value) {
        mark(m, value + value_size);
        mark(m, value + value_size + 1);
    }
    return MHD_YES;
}

/*
 * 1 when the header block (request line and header lines, header_size bytes from method)
 * holds a NUL byte libmicrohttpd did not write. Folded header lines (obs-fold) are copied
 * elsewhere by libmicrohttpd and count as such too (RFC 9112 section 5.2 lets a server
 * refuse them).
 */
static int
stray_nul(struct MHD_Connection *conn, const char *method, const char *version, size_t size)
{
    /* the request line's NULs (after the method, before the version) are checked apart: the
     * block checked here begins at the end of the version */
    const char *end = method + size, *from = version + strlen(version);
    struct nul_map m = { from, from < end ? (size_t)(end - from) : 0, NULL };
    int stray = 0;

    if (m.n == 0)
        return 0;
    m.ok = xcalloc(m.n / 8 + 1, 1);
    mark(&m, from);     /* the request line's end */
    mark(&m, from + 1);
    mark(&m, end - 1);  /* the empty line that ends the headers */
    mark(&m, end - 2);
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, mark_header, &m);
    for (size_t i = 0; i < m.n && !stray; i++)
        stray = !m.lo[i] && !(m.ok[i / 8] & (1u << (i % 8)));
    free(m.ok);
    return stray;
}

static enum MHD_Result
count_length(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
             const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    (void)value;
    (void)value_size;
    *(int *)cls += !strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return MHD_YES;
}

/*
 * Content-Length twice (libmicrohttpd reads the first), both framings, or a coding other
 * than chunked (RFC 9112 sections 6.1 and 6.3).
 */
static int
check_body_framing(struct MHD_Connection *conn, struct problem *p)
{
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_TRANSFER_ENCODING);
    int lengths = 0;

    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, count_length, &lengths);
    if (lengths > 1) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "the request has %d Content-Length headers: its body is framed more than "
                    "once (RFC 9112 section 6.3); send one",
                    lengths);
        return -1;
    }
    if (!te)
        return 0;
    if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "the request has both Content-Length and Transfer-Encoding: its body is "
                    "framed twice (RFC 9112 section 6.3); send one of them");
        return -1;
    }
    if (strcasecmp(te, "chunked") != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "Transfer-Encoding '%.64s' is not one this server reads: only chunked", te);
        return -1;
    }
    return 0;
}

int
http_framing_check(struct MHD_Connection *conn, const char *method, const char *url,
                   const char *version, size_t target_len, struct problem *p)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    size_t size = ci ? ci->header_size : 0;

    /* method, url and version point into the block unless the request line had no version */
    if (size && version[0] && version > url && url > method && version < method + size) {
        if (target_len != (size_t)(version - 1 - url)) {
            problem_set(p, PROBLEM_BAD_REQUEST,
                        "the request target holds a NUL byte after %zu bytes; send it "
                        "percent-encoded (a NUL is in no path or query here)",
                        target_len);
            return -1;
        }
        if (stray_nul(conn, method, version, size)) {
            problem_set(p, PROBLEM_BAD_REQUEST,
                        "a header holds a NUL byte (or is folded over several lines); header "
                        "values are text without control characters (RFC 9110 section 5.5)");
            return -1;
        }
    }
    return check_body_framing(conn, p);
}
