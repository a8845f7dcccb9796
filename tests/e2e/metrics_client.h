/*
 * metrics_client: what the suites about GET /metrics share (test_ops.c,
 * test_prometheus.c): a scrape without a key and the value of a series.
 */
#ifndef CRMD_TEST_METRICS_CLIENT_H
#define CRMD_TEST_METRICS_CLIENT_H

/* GET /metrics without a key; asserts 200 and the Prometheus text type; the body (caller frees). */
char *metrics_scrape(void);

/* The value of the sample line "series value" (series with its labels) in text, or -1. */
double metrics_sample(const char *text, const char *series);

/* Scrape and return the value of series (-1 when absent). */
double metrics_value(const char *series);

#endif
