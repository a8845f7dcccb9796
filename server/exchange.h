/*
 * exchange: the request path between "request parsed" and "answer ready",
 * without libmicrohttpd types: query and copied headers into struct
 * request, the checks before the handler (route, UTF-8, key and role),
 * the handler's run and the problem body. http.c calls it around
 * libmicrohttpd; tests/fuzz/fuzz_request.c calls it directly.
 */
#ifndef CRMD_EXCHANGE_H
#define CRMD_EXCHANGE_H

#include <jansson.h>
#include <stddef.h>

#include "request.h"

/*
 * Append query parameter key (key_size bytes) = value (value_size bytes;
 * NULL: none). An escaped NUL becomes 0x01, which exchange_prepare
 * refuses. Returns 0, or -1 with req->query_overflow set when full.
 */
int exchange_add_query(struct request *req, const char *key, size_t key_size, const char *value,
                       size_t value_size);

/*
 * Copy header key into req when handlers read it (If-Match and
 * If-None-Match, repeated ones joined with ", "; Idempotency-Key;
 * Accept-Language, joined and cut after LANG_ACCEPT_MAX + 1 bytes).
 * Returns NULL, or the header's name when the value is longer than
 * REQUEST_HEADER_MAX or a single-valued header repeats.
 */
const char *exchange_add_header(struct request *req, const char *key, const char *value,
                                size_t value_size);

/* The 404 or 405 of a router result other than ROUTER_MATCH into p. Returns -1. */
int exchange_route_problem(enum router_result rr, const struct request *req, struct problem *p);

/*
 * Before the body: the staff's language (req->lang and res->problem.lang
 * from Accept-Language), query values composed to NFC (unicode.h), query
 * text (valid UTF-8, no control characters, limits counted after NFC), the
 * refused header of exchange_add_header (bad_header, NULL = none), this
 * thread's database connection (db_thread of req->config), then the key
 * in authorization (NULL = absent) and the route's role (auth.c).
 * Returns 0, or -1 with res->problem set.
 */
int exchange_prepare(struct request *req, struct response *res, const char *bad_header,
                     const char *authorization);

/*
 * With the whole body (body NUL-terminated, len bytes, NULL = none): the
 * field-limited role check, then one run of the route's handler (again
 * after a park: req->runs counts the runs) and a rollback of anything it
 * left open. Returns the handler's result; res is the answer unless
 * req->defer asks to answer later.
 */
int exchange_run(struct request *req, struct response *res, char *body, size_t len);

/* The problem body of a failed run (a 500 if the handler set none): new reference. */
json_t *exchange_problem_json(struct response *res);

/* Free what req and res own (not req->sink_state: the route sink's close frees it). */
void exchange_release(struct request *req, struct response *res);

#endif
