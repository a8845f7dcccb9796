/*
 * router: maps method + path to a handler through one static table of
 * {method, pattern, handler}. Patterns are literal segments and "{name}"
 * captures of one non-empty segment; a pattern that ends in "/" (and "/"
 * itself) matches only paths that end in "/", and no other pattern does.
 * Pure: no I/O, unit-tested.
 */
#ifndef CRMD_ROUTER_H
#define CRMD_ROUTER_H

#include <stddef.h>

#include "role.h"

#define ROUTER_MAX_CAPTURES 4
#define ROUTER_MAX_SEGMENTS 8
#define ROUTER_SEGMENT_MAX 128

struct request;
struct response;

typedef int (*router_handler)(struct request *req, struct response *res);

struct route {
    const char *method;
    const char *pattern;
    router_handler handler;
    enum role role; /* least role of the API key (ROLE_OPEN: no key); auth.c checks it */
};

/*
 * A route that a lower role than its own may use when the body changes
 * only these top-level members (routes_fields in routes.c; auth.c).
 */
struct route_fields {
    router_handler handler;
    enum role role;             /* the lower role */
    const char *const *fields;  /* NULL-terminated */
    const char *summary;        /* "the contact data (emails, ...)" for the 403 detail */
};

/*
 * A route whose handler takes its body as it arrives instead of http.c
 * buffering it (up to --max-import instead of --max-body); routes.c
 * lists them by handler. open runs before the first byte, with query,
 * headers and db set; feed for every chunk; a -1 from either
 * (res->problem filled) makes http.c read and drop the rest of the body
 * and answer that problem. close frees req->sink_state when the request
 * ends, whatever happened. The handler runs after the last chunk.
 */
struct route_sink {
    router_handler handler;
    int (*open)(struct request *req, struct response *res);
    int (*feed)(struct request *req, struct response *res, const char *data, size_t len);
    void (*close)(struct request *req);
};

enum router_result { ROUTER_MATCH, ROUTER_NO_ROUTE, ROUTER_NO_METHOD };

struct router_match {
    const struct route *route;
    size_t ncaptures;
    char captures[ROUTER_MAX_CAPTURES][ROUTER_SEGMENT_MAX + 1];
    char allow[128]; /* "GET, PATCH, DELETE" when ROUTER_NO_METHOD */
};

/*
 * Find the route for method and path in routes[0..n). HEAD matches GET
 * routes. On ROUTER_MATCH fills m->route and the captures in pattern
 * order; on ROUTER_NO_METHOD fills m->allow with the methods the path
 * has. A segment longer than ROUTER_SEGMENT_MAX never matches a capture;
 * a path with "//" or a control character in a segment matches nothing.
 */
enum router_result router_match(const struct route *routes, size_t n, const char *method,
                                const char *path, struct router_match *m);

#endif
