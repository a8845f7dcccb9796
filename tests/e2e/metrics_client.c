/*
 * metrics_client: scraping srv's /metrics and reading one series out of
 * the Prometheus text. See metrics_client.h.
 */
#include "metrics_client.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

char *
metrics_scrape(void)
{
    struct reply r;
    char *text;

    http("GET", "/metrics", NULL, NULL, (const char *[]){"Authorization:", NULL}, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    text = strdup(r.body);
    reply_free(&r);
    return text;
}

double
metrics_sample(const char *text, const char *series)
{
    size_t n = strlen(series);

    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, series, n) && l[n] == ' ')
            return atof(l + n + 1);
    return -1;
}

double
metrics_value(const char *series)
{
    char *text = metrics_scrape();
    double v = metrics_sample(text, series);

    free(text);
    return v;
}
