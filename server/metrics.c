/*
 * metrics: GET /v1/metrics/experience?from=&to=&department=&kind=&channel=
 * &interval= validates the touchpoint filters (RFC 3339 times, from before
 * to; enum values of model_touchpoint), cuts the range into the desk's
 * local periods when interval is given (period.c) and returns the store's
 * aggregates: the totals, and with interval one set per period.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "handlers.h"
#include "period.h"
#include "resource.h"
#include "datetime.h"

/* Periods of a time series: most per answer, and how many without 'from'. */
static const struct {
    size_t max, fallback;
    const char *plural;
} series_limits[] = {
    [PERIOD_MONTH] = { 120, 12, "months" },
    [PERIOD_WEEK] = { 260, 12, "weeks" },
    [PERIOD_DAY] = { 366, 31, "days" },
};
#define SERIES_MAX 366 /* the largest max above */

/* Value of enum query parameter name (a model_touchpoint field), or NULL; -1 (400) if unknown. */
static int
enum_param(const struct request *req, const char *name, const char **out, struct problem *p)
{
    const struct field *f = jsonx_field(model_touchpoint.fields, model_touchpoint.nfields, name);
    const char *v = request_query(req, name);
    char list[256] = "";

    *out = NULL;
    if (!v)
        return 0;
    for (const char *const *e = f->values; *e; e++) {
        if (strcmp(*e, v) == 0) {
            *out = *e;
            return 0;
        }
    }
    for (const char *const *e = f->values; *e; e++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                 e == f->values ? "" : ", ", *e);
    problem_set(p, PROBLEM_BAD_REQUEST, "query parameter '%s' must be one of %s", name, list);
    return -1;
}

/* A time query parameter: given or not, its instant and that instant as UTC text. */
struct time_param {
    int given;
    time_t t;
    char utc[UTIL_TIME_LEN + 1];
};

/* RFC 3339 query parameter name into *out; -1 (400) if malformed. */
static int
time_param(const struct request *req, const char *name, struct time_param *out, struct problem *p)
{
    const char *v = request_query(req, name);

    out->given = 0;
    if (!v)
        return 0;
    if (datetime_parse_rfc3339(v, &out->t) != 0) {
        problem_set(
            p, PROBLEM_BAD_REQUEST,
            "query parameter '%s' must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z",
            name);
        return -1;
    }
    out->given = 1;
    util_format_time(out->t, out->utc);
    return 0;
}

/* Query parameter interval into *given and *unit; -1 (400) if not a period. */
static int
interval_param(const struct request *req, int *given, enum period_unit *unit, struct problem *p)
{
    const char *v = request_query(req, "interval");

    *given = v != NULL;
    if (v && period_parse(v, unit) != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST, "query parameter 'interval' must be one of %s",
                    PERIOD_UNITS);
        return -1;
    }
    return 0;
}

/* Why r could not be cut into periods, as a 400. */
static int
series_refused(enum period_cut why, const struct period_range *r, const struct time_param *from,
               const struct time_param *to, struct problem *p)
{
    const char *unit = period_name(r->unit), *plural = series_limits[r->unit].plural;
    char end[64];

    if (to->given)
        snprintf(end, sizeof end, "'to' (%s)", to->utc);
    else
        snprintf(end, sizeof end, "the end of the current %s", unit);
    switch (why) {
    case PERIOD_TOO_MANY:
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "too many periods: 'from' (%s) to %s spans more than %zu %s, the most "
                    "interval=%s allows; narrow the range or use a longer interval",
                    from->utc, end, r->max, plural, unit);
        break;
    case PERIOD_FROM_LATE:
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'from' (%s) lies after the current %s, where the range ends "
                    "without 'to'; give 'to' as well",
                    from->utc, unit);
        break;
    default:
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "the range rounded to whole %s reaches outside the years 1000 to 9999; "
                    "query parameters 'from' and 'to' must lie inside",
                    plural);
        break;
    }
    return -1;
}

/*
 * The answer with interval, for the range r cut into bounds: the totals
 * over r (whole periods), r itself in local time, and each period's metrics.
 */
static int
series(struct request *req, struct response *res, struct store_experience_query *q,
       const struct period_range *r, const time_t *bounds)
{
    struct problem *p = &res->problem;
    char from[UTIL_TIME_LEN + 1], to[UTIL_TIME_LEN + 1], start[PERIOD_LOCAL_LEN + 1],
        end[PERIOD_LOCAL_LEN + 1];
    json_t *out, *periods, *buckets;

    util_format_time(r->from, from);
    util_format_time(r->to, to);
    q->from = from;
    q->to = to;
    q->bounds = bounds;
    q->periods = r->n;
    /* one read transaction: the totals and the periods see the same data */
    if (store_begin_read(req->db, p) != 0 || store_experience_metrics(req->db, q, &out, p) != 0)
        return -1;
    if (store_experience_periods(req->db, q, &periods, p) != 0) {
        json_decref(out);
        return -1;
    }
    if (store_commit(req->db, p) != 0) {
        json_decref(out);
        json_decref(periods);
        return -1;
    }
    buckets = json_array();
    for (size_t i = 0; i < r->n; i++) {
        json_t *b;

        period_format_local(bounds[i], start);
        period_format_local(bounds[i + 1], end);
        b = json_pack("{s:s, s:s}", "start", start, "end", end);
        json_object_update(b, json_array_get(periods, i));
        json_array_append_new(buckets, b);
    }
    json_decref(periods);
    period_format_local(r->from, start);
    period_format_local(r->to, end);
    json_object_set_new(out, "interval", json_string(period_name(r->unit)));
    json_object_set_new(out, "time_zone", json_string(req->config->timezone));
    json_object_set_new(out, "from", json_string(start));
    json_object_set_new(out, "to", json_string(end));
    json_object_set_new(out, "buckets", buckets);
    return response_json(res, 200, out);
}

HANDLER(metrics_experience)
{
    static const char *const allowed[] = { "from",    "to",       "department", "kind",
                                           "channel", "interval", NULL };
    struct problem *p = &res->problem;
    struct time_param from = { 0 }, to = { 0 };
    struct store_experience_query q = { 0 };
    struct period_range r = { 0 };
    time_t bounds[SERIES_MAX + 1];
    enum period_cut cut;
    int interval;
    json_t *out;

    if (request_check_query(req, allowed, p) != 0 || time_param(req, "from", &from, p) != 0 ||
        time_param(req, "to", &to, p) != 0 ||
        enum_param(req, "department", &q.department, p) != 0 ||
        enum_param(req, "kind", &q.kind, p) != 0 ||
        enum_param(req, "channel", &q.channel, p) != 0 ||
        interval_param(req, &interval, &r.unit, p) != 0)
        return -1;
    if (from.given && to.given && from.t >= to.t) {
        problem_set(p, PROBLEM_BAD_REQUEST, "query parameter 'from' (%s) must be before 'to' (%s)",
                    from.utc, to.utc);
        return -1;
    }
    if (interval) {
        r.has_from = from.given;
        r.from = from.t;
        r.has_to = to.given;
        r.to = to.t;
        r.max = series_limits[r.unit].max;
        r.fallback = series_limits[r.unit].fallback;
        assert(r.max <= SERIES_MAX && r.fallback <= r.max);
        cut = period_range_cut(&r, util_now(), bounds);
        if (cut != PERIOD_OK)
            return series_refused(cut, &r, &from, &to, p);
        return series(req, res, &q, &r, bounds);
    }
    q.from = from.given ? from.utc : NULL;
    q.to = to.given ? to.utc : NULL;
    /* one read transaction: the three aggregates see the same data */
    if (store_begin_read(req->db, p) != 0 || store_experience_metrics(req->db, &q, &out, p) != 0)
        return -1;
    if (store_commit(req->db, p) != 0) {
        json_decref(out);
        return -1;
    }
    return response_json(res, 200, out);
}
