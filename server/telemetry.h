/*
 * telemetry: request counters for GET /metrics (Prometheus text format).
 * Lock-free: every request adds to relaxed atomic counters per route of
 * the route table (and one slot for requests no route matched); a scrape
 * reads them all and renders. Pure formatting apart from the counters.
 */
#ifndef CRMD_TELEMETRY_H
#define CRMD_TELEMETRY_H

#include <stddef.h>

#include "util.h"

struct route;

/* Gauges the scrape adds (ops.c fills them; -1 = unknown, left out). */
struct telemetry_gauges {
    long long db_bytes, wal_bytes;
    long long webhook_backlog; /* changes not yet delivered to active subscriptions */
    long long waiting;         /* parked long-polls */
    long long jobs;            /* import jobs running or queued */
};

/* The route table requests are counted against (routes.c); before the first request. */
void telemetry_init(const struct route *routes, size_t n);

/* A request began / ended (every begin has one end). */
void telemetry_begin(void);

/*
 * A request ended. route NULL = no route matched; status 0 = no answer
 * was sent (counted in flight only).
 */
void telemetry_end(const struct route *route, int status, long long duration_us);

/* Requests answered since the start (every route and status). */
long long telemetry_answered(void);

/* Requests begun and not ended. */
long long telemetry_in_flight(void);

/* Render every metric into out (appended). */
void telemetry_render(const struct telemetry_gauges *g, struct buf *out);

#endif
