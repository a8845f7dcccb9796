/*
 * http_room: the answer's room in libmicrohttpd's per-connection memory.
 * The request line, the headers and libmicrohttpd's record of each header
 * and query parameter stay in that memory until the answer is sent, and the
 * answer's headers are written into what is left. The pool is therefore
 * --max-header-bytes plus HTTP_ROOM_ANSWER, and a request whose share
 * exceeds --max-header-bytes is refused (431, or 414 when its query is the
 * larger part) before any handler runs: no write commits without an answer.
 */
#ifndef CRMD_HTTP_ROOM_H
#define CRMD_HTTP_ROOM_H

#include <stddef.h>

#include "problem.h"

/* Bytes kept for the answer's headers; the largest crmd writes is under 1 KiB (docs/operators.md). */
#define HTTP_ROOM_ANSWER 4096
/* libmicrohttpd 0.9.75's record of one header, parameter or cookie (56 bytes) rounded to 16. */
#define HTTP_ROOM_PER_VALUE 64
/* What libmicrohttpd's pool allocations are rounded up to. */
#define HTTP_ROOM_ALIGN 16

/* What a request takes of the pool while it is answered (counted on its first call). */
struct http_room_use {
    size_t header_bytes; /* request line and headers as received, up to the empty line */
    size_t nheaders;     /* header lines */
    size_t nquery;       /* query parameters */
    size_t query_bytes;  /* their names and values (the query part of header_bytes) */
    size_t cookie_bytes; /* the Cookie header's length, 0 without one (libmicrohttpd copies it) */
    size_t ncookies;     /* cookies parsed from it */
};

struct MHD_Connection;

/* Count conn's request (on the access handler's first call: its headers are in) into u. */
void http_room_measure(struct MHD_Connection *conn, struct http_room_use *u);

/* The per-connection memory for libmicrohttpd: max_header_bytes plus the answer's room. */
size_t http_room_pool(size_t max_header_bytes);

/* Bytes of the pool u takes (the figure compared with --max-header-bytes). */
size_t http_room_cost(const struct http_room_use *u);

/*
 * 0 when u fits in max_header_bytes; else -1 with p set: 414 uri-too-long
 * when the query takes more of it than the headers do, 431 headers-too-large
 * otherwise, the detail saying how much of what.
 */
int http_room_check(const struct http_room_use *u, size_t max_header_bytes, struct problem *p);

#endif
