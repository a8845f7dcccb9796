/*
 * http: the only user of microhttpd.h. Accumulates bodies under a hard
 * limit (or feeds them to a streaming route's sink, struct route_sink,
 * under --max-import), assigns request ids, dispatches through the
 * router and renders responses and problems. Handlers never see
 * libmicrohttpd.
 */
#ifndef CRMD_HTTP_H
#define CRMD_HTTP_H

#include <stddef.h>

#include "router.h"

struct config;
struct http_server;

/*
 * Start serving routes[0..n) on cfg->listen:cfg->port with a thread pool
 * of cfg->threads. Returns NULL (logged) on failure.
 */
struct http_server *http_start(const struct config *cfg, const struct route *routes, size_t n);

/* The version of libmicrohttpd crmd runs with ("0.9.75"). */
const char *http_library_version(void);

/* The TCP port actually bound (useful with port 0). */
int http_port(const struct http_server *s);

/* Stop accepting, finish in-flight requests, join the workers, free. */
void http_stop(struct http_server *s);

#endif
