/*
 * http_room: counts a request's share of libmicrohttpd's per-connection
 * memory and refuses it when the answer would not fit (http_room.h). The
 * figures follow libmicrohttpd 0.9.75 (connection.c, memorypool.c); the
 * limits suite's boundary test fails when a new version counts otherwise.
 */
#include "http_room.h"

#include <microhttpd.h>
#include <string.h>
#include <strings.h>

static size_t
align(size_t n)
{
    return (n + HTTP_ROOM_ALIGN - 1) / HTTP_ROOM_ALIGN * HTTP_ROOM_ALIGN;
}

static enum MHD_Result
count_value(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
            const char *value, size_t value_size)
{
    struct http_room_use *u = cls;

    if (kind == MHD_GET_ARGUMENT_KIND) {
        u->nquery++;
        u->query_bytes += key_size + value_size + 2; /* '=' and '&' */
    } else if (kind == MHD_COOKIE_KIND) {
        u->ncookies++;
    } else if (kind == MHD_HEADER_KIND) {
        u->nheaders++;
        if (value && key_size == 6 && !strncasecmp(key, "Cookie", 6))
            u->cookie_bytes = value_size;
    }
    return MHD_YES;
}

void
http_room_measure(struct MHD_Connection *conn, struct http_room_use *u)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);

    memset(u, 0, sizeof *u);
    u->header_bytes = ci ? ci->header_size : 0;
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND | MHD_GET_ARGUMENT_KIND | MHD_COOKIE_KIND,
                                count_value, u);
}

size_t
http_room_pool(size_t max_header_bytes)
{
    return max_header_bytes + HTTP_ROOM_ANSWER;
}

size_t
http_room_cost(const struct http_room_use *u)
{
    size_t cost = u->header_bytes + (u->nheaders + u->nquery + u->ncookies) * HTTP_ROOM_PER_VALUE;

    if (u->cookie_bytes) /* parsed in a copy, NUL-terminated */
        cost += align(u->cookie_bytes + 1);
    return cost;
}

int
http_room_check(const struct http_room_use *u, size_t max_header_bytes, struct problem *p)
{
    size_t cost = http_room_cost(u);
    size_t query = u->query_bytes + u->nquery * HTTP_ROOM_PER_VALUE;

    if (cost <= max_header_bytes)
        return 0;
    if (query > cost - query)
        problem_set(p, PROBLEM_URI_TOO_LONG,
                    "the query's %zu parameters take %zu bytes of the %zu bytes for the request "
                    "line and headers (--max-header-bytes; each parameter counts %d bytes more); "
                    "send fewer",
                    u->nquery, query, max_header_bytes, HTTP_ROOM_PER_VALUE);
    else
        problem_set(p, PROBLEM_HEADERS_TOO_LARGE,
                    "the request line and %zu headers take %zu bytes, more than the %zu bytes of "
                    "--max-header-bytes (each header counts %d bytes more); send fewer or shorter "
                    "headers",
                    u->nheaders, cost, max_header_bytes, HTTP_ROOM_PER_VALUE);
    return -1;
}
