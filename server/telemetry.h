/*
 * telemetry: the counters of GET /metrics (Prometheus text format).
 * Lock-free: every request adds to relaxed atomic counters per route of
 * the route table (and one slot for requests no route matched), the
 * webhook worker, imports and backups to theirs; a scrape reads them all
 * and renders. Pure formatting apart from the counters.
 */
#ifndef CRMD_TELEMETRY_H
#define CRMD_TELEMETRY_H

#include <stddef.h>

#include "util.h"

struct route;

/* Versions crmd_build_info names (label values: no quotes, backslashes or newlines). */
struct telemetry_build {
    const char *version, *sqlite, *libmicrohttpd;
};

/* Gauges the scrape adds (ops.c fills them; -1 = unknown, left out). */
struct telemetry_gauges {
    long long db_bytes, wal_bytes;
    long long webhook_backlog; /* changes not yet delivered to active subscriptions */
    long long waiting;         /* parked long-polls */
    long long jobs;            /* import jobs running or queued */
    const struct telemetry_build *build; /* NULL: no crmd_build_info */
};

/* How a webhook delivery attempt ended (crmd_webhook_deliveries_total{outcome}). */
enum telemetry_delivery {
    TELEMETRY_DELIVERED,     /* the receiver answered 2xx */
    TELEMETRY_HTTP_ERROR,    /* it answered another status */
    TELEMETRY_TIMEOUT,       /* no answer within the webhook timeout */
    TELEMETRY_NETWORK_ERROR, /* no answer: name, connection or TLS failed */
    TELEMETRY_NDELIVERY
};

/* The outcome of an import line, as the import report names it (crmd_import_lines_total). */
enum telemetry_import {
    TELEMETRY_IMPORT_CREATED,
    TELEMETRY_IMPORT_UPDATED,
    TELEMETRY_IMPORT_UNCHANGED,
    TELEMETRY_IMPORT_ERROR,
    TELEMETRY_NIMPORT
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

/* A webhook delivery attempt ended with outcome. */
void telemetry_webhook_delivery(enum telemetry_delivery outcome);

/* n more import lines ended with outcome. */
void telemetry_import_lines(enum telemetry_import outcome, unsigned long n);

/* A backup completed at t (seconds since the epoch); an earlier t than the last is ignored. */
void telemetry_backup_succeeded(long long t);

/* Render every metric into out (appended). */
void telemetry_render(const struct telemetry_gauges *g, struct buf *out);

#endif
