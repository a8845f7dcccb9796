/*
 * test_telemetry: what GET /metrics renders from the counters: requests by
 * route and status (unlisted statuses as "other", no route as route ""),
 * latency buckets (an upper bound is inclusive, cumulative, +Inf, sum in
 * seconds, count), in-flight requests, gauges left out when unknown,
 * webhook deliveries and import lines by outcome (zeros shown), the last
 * backup's time (never going back), crmd_build_info, and the Prometheus
 * text shape (HELP and TYPE before a family's samples).
 * The counters are process-wide: each test runs in its own fork (Check's
 * default), so every test starts from zero.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"
#include "telemetry.h"
#include "unit_suites.h"

static const struct route routes[] = {
    { "GET", "/v1/customers/{id}", NULL, 0 },
    { "POST", "/v1/customers", NULL, 0 },
};

static const struct telemetry_gauges unknown = { -1, -1, -1, -1, -1, NULL };

/* Render into a NUL-terminated string (caller frees). */
static char *
render(const struct telemetry_gauges *g)
{
    struct buf b = { 0 };

    telemetry_render(g, &b);
    buf_append(&b, "", 1);
    return b.data;
}

/* The value of the sample line that starts with "name{labels} " or "name ", or -1. */
static double
sample(const char *text, const char *series)
{
    size_t n = strlen(series);

    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, series, n) && l[n] == ' ')
            return strtod(l + n + 1, NULL);
    return -1;
}

#define GET_ID "method=\"GET\",route=\"/v1/customers/{id}\""
#define BUCKET(le) "crmd_http_request_duration_seconds_bucket{" GET_ID ",le=\"" le "\"}"

START_TEST(requests_by_route_and_status)
{
    char *t;

    telemetry_init(routes, 2);
    telemetry_end(&routes[0], 200, 10);
    telemetry_end(&routes[0], 200, 10);
    telemetry_end(&routes[0], 507, 10);
    telemetry_end(&routes[0], 599, 10); /* not in the list */
    telemetry_end(NULL, 404, 10);       /* no route matched */
    telemetry_end(&routes[1], 0, 10);   /* no answer: not counted */
    ck_assert_int_eq(telemetry_answered(), 5); /* sd_notify's STATUS= line */
    t = render(&unknown);
    ck_assert_double_eq(sample(t, "crmd_http_requests_total{" GET_ID ",status=\"200\"}"), 2);
    ck_assert_double_eq(sample(t, "crmd_http_requests_total{" GET_ID ",status=\"507\"}"), 1);
    ck_assert_double_eq(sample(t, "crmd_http_requests_total{" GET_ID ",status=\"other\"}"), 1);
    ck_assert_double_eq(
        sample(t, "crmd_http_requests_total{method=\"\",route=\"\",status=\"404\"}"), 1);
    ck_assert_ptr_null(strstr(t, "route=\"/v1/customers\""));
    ck_assert_ptr_null(strstr(t, "status=\"599\""));
    free(t);
}
END_TEST

START_TEST(latency_histogram)
{
    char *t;

    telemetry_init(routes, 2);
    telemetry_end(&routes[0], 200, 5);
    telemetry_end(&routes[0], 200, 1000); /* on the bound: in le="0.001" */
    telemetry_end(&routes[0], 200, 1001);
    telemetry_end(&routes[0], 200, 20000000); /* above 10 s: +Inf only */
    t = render(&unknown);
    ck_assert_double_eq(sample(t, BUCKET("0.001")), 2);
    ck_assert_double_eq(sample(t, BUCKET("0.005")), 3);
    ck_assert_double_eq(sample(t, BUCKET("10")), 3);
    ck_assert_double_eq(sample(t, BUCKET("+Inf")), 4);
    ck_assert_ptr_nonnull(
        strstr(t, "crmd_http_request_duration_seconds_sum{" GET_ID "} 20.002006\n"));
    ck_assert_double_eq(sample(t, "crmd_http_request_duration_seconds_count{" GET_ID "}"), 4);
    /* cumulative: every bucket at least the one before */
    {
        const char *le[] = { "0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                             "0.5",   "1",     "2.5",  "5",     "10",   "+Inf" };
        char series[200];
        double prev = 0;
        for (size_t i = 0; i < sizeof le / sizeof le[0]; i++) {
            snprintf(series, sizeof series,
                     "crmd_http_request_duration_seconds_bucket{" GET_ID ",le=\"%s\"}", le[i]);
            ck_assert_double_ge(sample(t, series), prev);
            prev = sample(t, series);
        }
    }
    ck_assert_ptr_null(strstr(t, "_bucket{method=\"POST\""));
    free(t);
}
END_TEST

START_TEST(in_flight_and_gauges)
{
    struct telemetry_gauges g = { 8192, -1, 3, 0, -1, NULL };
    char *t;

    telemetry_init(routes, 2);
    telemetry_begin();
    telemetry_begin();
    telemetry_begin();
    telemetry_end(&routes[1], 201, 10);
    ck_assert_int_eq(telemetry_in_flight(), 2);
    t = render(&g);
    ck_assert_double_eq(sample(t, "crmd_http_requests_in_flight"), 2);
    ck_assert_double_eq(sample(t, "crmd_database_size_bytes"), 8192);
    ck_assert_double_eq(sample(t, "crmd_webhook_backlog"), 3);
    ck_assert_double_eq(sample(t, "crmd_longpolls_waiting"), 0);
    ck_assert_ptr_null(strstr(t, "crmd_database_wal_size_bytes"));
    ck_assert_ptr_null(strstr(t, "crmd_import_jobs"));
    ck_assert_ptr_nonnull(strstr(t, "# TYPE crmd_database_size_bytes gauge\n"));
    free(t);
}
END_TEST

START_TEST(events_by_outcome)
{
    char *t;

    telemetry_init(routes, 2);
    t = render(&unknown);
    ck_assert_double_eq(sample(t, "crmd_webhook_deliveries_total{outcome=\"delivered\"}"), 0);
    ck_assert_double_eq(sample(t, "crmd_import_lines_total{outcome=\"error\"}"), 0);
    ck_assert_double_eq(sample(t, "crmd_backup_last_success_timestamp_seconds"), 0);
    ck_assert_ptr_null(strstr(t, "crmd_build_info")); /* no build given */
    free(t);
    telemetry_webhook_delivery(TELEMETRY_DELIVERED);
    telemetry_webhook_delivery(TELEMETRY_DELIVERED);
    telemetry_webhook_delivery(TELEMETRY_HTTP_ERROR);
    telemetry_webhook_delivery(TELEMETRY_TIMEOUT);
    telemetry_webhook_delivery(TELEMETRY_NETWORK_ERROR);
    telemetry_import_lines(TELEMETRY_IMPORT_CREATED, 2);
    telemetry_import_lines(TELEMETRY_IMPORT_ERROR, 1);
    telemetry_import_lines(TELEMETRY_IMPORT_UNCHANGED, 0);
    telemetry_backup_succeeded(1796000000);
    telemetry_backup_succeeded(1795000000); /* an older backup found later: no step back */
    t = render(&unknown);
    ck_assert_double_eq(sample(t, "crmd_webhook_deliveries_total{outcome=\"delivered\"}"), 2);
    ck_assert_double_eq(sample(t, "crmd_webhook_deliveries_total{outcome=\"http_error\"}"), 1);
    ck_assert_double_eq(sample(t, "crmd_webhook_deliveries_total{outcome=\"timeout\"}"), 1);
    ck_assert_double_eq(sample(t, "crmd_webhook_deliveries_total{outcome=\"network_error\"}"),
                        1);
    ck_assert_double_eq(sample(t, "crmd_import_lines_total{outcome=\"created\"}"), 2);
    ck_assert_double_eq(sample(t, "crmd_import_lines_total{outcome=\"updated\"}"), 0);
    ck_assert_double_eq(sample(t, "crmd_import_lines_total{outcome=\"unchanged\"}"), 0);
    ck_assert_double_eq(sample(t, "crmd_import_lines_total{outcome=\"error\"}"), 1);
    ck_assert_double_eq(sample(t, "crmd_backup_last_success_timestamp_seconds"), 1796000000);
    ck_assert_ptr_nonnull(strstr(t, "# TYPE crmd_webhook_deliveries_total counter\n"));
    ck_assert_ptr_nonnull(strstr(t, "# TYPE crmd_import_lines_total counter\n"));
    free(t);
}
END_TEST

START_TEST(build_info)
{
    static const struct telemetry_build build = { "0.5.0+g98909f5", "3.40.1", "0.9.75" };
    struct telemetry_gauges g = unknown;
    char *t;

    telemetry_init(routes, 2);
    g.build = &build;
    t = render(&g);
    ck_assert_ptr_nonnull(strstr(t, "# TYPE crmd_build_info gauge\n"
                                    "crmd_build_info{version=\"0.5.0+g98909f5\",sqlite=\"3.40.1\","
                                    "libmicrohttpd=\"0.9.75\"} 1\n"));
    free(t);
}
END_TEST

/* Every sample's family has # HELP and # TYPE lines before it; samples are "series value". */
START_TEST(text_format)
{
    static const struct telemetry_build build = { "1.0", "3.40.1", "0.9.75" };
    struct telemetry_gauges g = { 1, 2, 3, 4, 5, &build };
    char *t, *save = NULL, typed[64] = "";
    int samples = 0;

    telemetry_init(routes, 2);
    telemetry_end(&routes[0], 200, 5);
    telemetry_end(NULL, 404, 5);
    t = render(&g);
    ck_assert_int_eq(t[strlen(t) - 1], '\n');
    for (char *l = strtok_r(t, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char name[64];
        if (!strncmp(l, "# HELP ", 7))
            continue;
        if (sscanf(l, "# TYPE %63s", typed) == 1)
            continue;
        ck_assert_msg(sscanf(l, "%63[a-z_]", name) == 1, "not a sample: %s", l);
        ck_assert_msg(!strncmp(name, typed, strlen(typed)) && typed[0], "%s before its TYPE", l);
        ck_assert_ptr_nonnull(strrchr(l, ' '));
        ck_assert_msg(strspn(strrchr(l, ' ') + 1, "0123456789.") == strlen(strrchr(l, ' ') + 1),
                      "value of %s", l);
        samples++;
    }
    ck_assert_int_gt(samples, 20);
    free(t);
}
END_TEST

Suite *
telemetry_suite(void)
{
    Suite *s = suite_create("telemetry");
    TCase *tc = tcase_create("render");

    tcase_add_test(tc, requests_by_route_and_status);
    tcase_add_test(tc, latency_histogram);
    tcase_add_test(tc, in_flight_and_gauges);
    tcase_add_test(tc, events_by_outcome);
    tcase_add_test(tc, build_info);
    tcase_add_test(tc, text_format);
    suite_add_tcase(s, tc);
    return s;
}
