/*
 * telemetry: per-route request counters and latency histograms, webhook
 * deliveries and import lines by outcome and the last backup's time in
 * relaxed atomics, rendered as Prometheus text (version 0.0.4) at scrape.
 * Statuses outside the fixed list are counted as "other".
 */
#include "telemetry.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "router.h"

#define TELEMETRY_ROUTES_MAX 128

static const int statuses[] = { 200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 406, 409,
                                412, 413, 415, 422, 428, 429, 500, 503, 507 };
#define NSTATUS (sizeof statuses / sizeof statuses[0])

/* Upper bounds of the latency buckets in microseconds (le labels in seconds); +Inf implied. */
static const long long bucket_us[] = { 1000,   5000,   10000,   25000,   50000,   100000,
                                       250000, 500000, 1000000, 2500000, 5000000, 10000000 };
static const char *const bucket_le[] = { "0.001", "0.005", "0.01", "0.025", "0.05", "0.1",
                                         "0.25",  "0.5",   "1",    "2.5",   "5",    "10" };
#define NBUCKETS (sizeof bucket_us / sizeof bucket_us[0])

struct route_stats {
    atomic_ullong status[NSTATUS + 1]; /* last: other statuses */
    atomic_ullong bucket[NBUCKETS + 1]; /* not cumulative; last: above the largest bound */
    atomic_ullong sum_us;
};

static const struct route *table;
static size_t ntable;
static struct route_stats stats[TELEMETRY_ROUTES_MAX + 1]; /* [ntable]: no route matched */
static atomic_llong in_flight;

static const char *const delivery_names[TELEMETRY_NDELIVERY] = { "delivered", "http_error",
                                                                 "timeout", "network_error" };
static const char *const import_names[TELEMETRY_NIMPORT] = { "created", "updated", "unchanged",
                                                             "error" };
static atomic_ullong deliveries[TELEMETRY_NDELIVERY];
static atomic_ullong import_lines[TELEMETRY_NIMPORT];
static atomic_llong backup_last; /* seconds since the epoch; 0 = none known */

void
telemetry_init(const struct route *routes, size_t n)
{
    table = routes;
    ntable = n < TELEMETRY_ROUTES_MAX ? n : TELEMETRY_ROUTES_MAX;
}

void
telemetry_begin(void)
{
    atomic_fetch_add_explicit(&in_flight, 1, memory_order_relaxed);
}

static size_t
route_slot(const struct route *route)
{
    if (route && table && route >= table && route < table + ntable)
        return (size_t)(route - table);
    return ntable;
}

void
telemetry_end(const struct route *route, int status, long long duration_us)
{
    struct route_stats *st = &stats[route_slot(route)];
    size_t s = 0, b = 0;

    atomic_fetch_sub_explicit(&in_flight, 1, memory_order_relaxed);
    if (status == 0)
        return;
    while (s < NSTATUS && statuses[s] != status)
        s++;
    while (b < NBUCKETS && duration_us > bucket_us[b])
        b++;
    atomic_fetch_add_explicit(&st->status[s], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->sum_us, (unsigned long long)(duration_us > 0 ? duration_us : 0),
                              memory_order_relaxed);
}

void
telemetry_webhook_delivery(enum telemetry_delivery outcome)
{
    atomic_fetch_add_explicit(&deliveries[outcome], 1, memory_order_relaxed);
}

void
telemetry_import_lines(enum telemetry_import outcome, unsigned long n)
{
    atomic_fetch_add_explicit(&import_lines[outcome], n, memory_order_relaxed);
}

void
telemetry_backup_succeeded(long long t)
{
    long long was = atomic_load_explicit(&backup_last, memory_order_relaxed);

    while (t > was && !atomic_compare_exchange_weak_explicit(&backup_last, &was, t,
                                                              memory_order_relaxed,
                                                              memory_order_relaxed))
        ;
}

long long
telemetry_answered(void)
{
    unsigned long long n = 0;

    for (size_t i = 0; i <= ntable; i++)
        for (size_t s = 0; s <= NSTATUS; s++)
            n += atomic_load_explicit(&stats[i].status[s], memory_order_relaxed);
    return (long long)n;
}

long long
telemetry_in_flight(void)
{
    return atomic_load_explicit(&in_flight, memory_order_relaxed);
}

/* The labels method="..",route=".." of slot i (patterns have no quotes or backslashes). */
static void
labels(size_t i, char *out, size_t n)
{
    if (i < ntable)
        snprintf(out, n, "method=\"%s\",route=\"%s\"", table[i].method, table[i].pattern);
    else
        snprintf(out, n, "method=\"\",route=\"\"");
}

static void
render_requests(struct buf *out)
{
    char l[256];

    buf_puts(out, "# HELP crmd_http_requests_total Requests answered, by route pattern and status "
                  "(route \"\": no route matched).\n# TYPE crmd_http_requests_total counter\n");
    for (size_t i = 0; i <= ntable; i++) {
        labels(i, l, sizeof l);
        for (size_t s = 0; s <= NSTATUS; s++) {
            unsigned long long v = atomic_load_explicit(&stats[i].status[s], memory_order_relaxed);
            char code[8];
            if (!v)
                continue;
            if (s < NSTATUS)
                snprintf(code, sizeof code, "%d", statuses[s]);
            else
                snprintf(code, sizeof code, "other");
            buf_printf(out, "crmd_http_requests_total{%s,status=\"%s\"} %llu\n", l, code, v);
        }
    }
}

static void
render_latency(struct buf *out)
{
    char l[256];

    buf_puts(out, "# HELP crmd_http_request_duration_seconds Time from the request's first byte "
                  "to the answer's last, by route pattern.\n"
                  "# TYPE crmd_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i <= ntable; i++) {
        unsigned long long cum = 0, sum = atomic_load_explicit(&stats[i].sum_us, memory_order_relaxed);
        unsigned long long b[NBUCKETS + 1];
        for (size_t k = 0; k <= NBUCKETS; k++)
            b[k] = atomic_load_explicit(&stats[i].bucket[k], memory_order_relaxed);
        for (size_t k = 0; k <= NBUCKETS; k++)
            cum += b[k];
        if (!cum)
            continue;
        labels(i, l, sizeof l);
        cum = 0;
        for (size_t k = 0; k < NBUCKETS; k++) {
            cum += b[k];
            buf_printf(out, "crmd_http_request_duration_seconds_bucket{%s,le=\"%s\"} %llu\n", l,
                       bucket_le[k], cum);
        }
        cum += b[NBUCKETS];
        buf_printf(out, "crmd_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", l, cum);
        buf_printf(out, "crmd_http_request_duration_seconds_sum{%s} %llu.%06llu\n", l,
                   sum / 1000000, sum % 1000000);
        buf_printf(out, "crmd_http_request_duration_seconds_count{%s} %llu\n", l, cum);
    }
}

static void
gauge(struct buf *out, const char *name, const char *help, long long v)
{
    if (v < 0)
        return;
    buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, v);
}

/* One counter family with a sample per outcome label, zeros included (rate() needs the series). */
static void
by_outcome(struct buf *out, const char *name, const char *help, const char *const *outcomes,
           atomic_ullong *v, size_t n)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s{outcome=\"%s\"} %llu\n", name, outcomes[i],
                   atomic_load_explicit(&v[i], memory_order_relaxed));
}

static void
render_build(struct buf *out, const struct telemetry_build *b)
{
    if (!b)
        return;
    buf_puts(out, "# HELP crmd_build_info The crmd release and the library versions it runs "
                  "with; always 1.\n# TYPE crmd_build_info gauge\n");
    buf_printf(out, "crmd_build_info{version=\"%s\",sqlite=\"%s\",libmicrohttpd=\"%s\"} 1\n",
               b->version, b->sqlite, b->libmicrohttpd);
}

static void
render_events(struct buf *out)
{
    by_outcome(out, "crmd_webhook_deliveries_total",
               "Webhook delivery attempts by outcome: delivered (2xx), http_error (another "
               "status), timeout, network_error (no answer).",
               delivery_names, deliveries, TELEMETRY_NDELIVERY);
    by_outcome(out, "crmd_import_lines_total",
               "Import lines by outcome, counted when their batch commits (errors also when an "
               "atomic import is rejected).",
               import_names, import_lines, TELEMETRY_NIMPORT);
    gauge(out, "crmd_backup_last_success_timestamp_seconds",
          "When the last backup into --backup-dir completed (seconds since the epoch; 0: none "
          "since the start and none found there at the start).",
          atomic_load_explicit(&backup_last, memory_order_relaxed));
}

void
telemetry_render(const struct telemetry_gauges *g, struct buf *out)
{
    render_build(out, g->build);
    render_requests(out);
    render_latency(out);
    gauge(out, "crmd_http_requests_in_flight", "Requests received and not yet answered.",
          telemetry_in_flight());
    gauge(out, "crmd_database_size_bytes", "Size of the SQLite database file.", g->db_bytes);
    gauge(out, "crmd_database_wal_size_bytes", "Size of the SQLite write-ahead log file.",
          g->wal_bytes);
    gauge(out, "crmd_webhook_backlog", "Changes not yet delivered to active webhook subscriptions.",
          g->webhook_backlog);
    gauge(out, "crmd_longpolls_waiting", "Long-polls (GET /v1/changes?wait) parked.", g->waiting);
    gauge(out, "crmd_import_jobs", "Imports running or queued.", g->jobs);
    render_events(out);
}
