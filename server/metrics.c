/*
 * metrics: GET /v1/metrics/experience?from=&to=&department=&kind=&channel=
 * validates the touchpoint filters (RFC 3339 times, from before to;
 * enum values of model_touchpoint) and returns the store's aggregates.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "resource.h"
#include "datetime.h"

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

/* RFC 3339 query parameter name normalised to UTC into out, or NULL; -1 (400) if malformed. */
static int
time_param(const struct request *req, const char *name, char buf[UTIL_TIME_LEN + 1],
           const char **out, struct problem *p)
{
    const char *v = request_query(req, name);
    time_t t;

    *out = NULL;
    if (!v)
        return 0;
    if (datetime_parse_rfc3339(v, &t) != 0) {
        problem_set(
            p, PROBLEM_BAD_REQUEST,
            "query parameter '%s' must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z",
            name);
        return -1;
    }
    util_format_time(t, buf);
    *out = buf;
    return 0;
}

HANDLER(metrics_experience)
{
    static const char *const allowed[] = { "from", "to", "department", "kind", "channel", NULL };
    struct problem *p = &res->problem;
    char from[UTIL_TIME_LEN + 1], to[UTIL_TIME_LEN + 1];
    struct store_experience_query q = { 0 };
    json_t *out;

    if (request_check_query(req, allowed, p) != 0 ||
        time_param(req, "from", from, &q.from, p) != 0 ||
        time_param(req, "to", to, &q.to, p) != 0 ||
        enum_param(req, "department", &q.department, p) != 0 ||
        enum_param(req, "kind", &q.kind, p) != 0 || enum_param(req, "channel", &q.channel, p) != 0)
        return -1;
    if (q.from && q.to && strcmp(q.from, q.to) >= 0) {
        problem_set(p, PROBLEM_BAD_REQUEST, "query parameter 'from' (%s) must be before 'to' (%s)",
                    q.from, q.to);
        return -1;
    }
    /* one read transaction: the three aggregates see the same data */
    if (store_begin_read(req->db, p) != 0 || store_experience_metrics(req->db, &q, &out, p) != 0)
        return -1;
    if (store_commit(req->db, p) != 0) {
        json_decref(out);
        return -1;
    }
    return response_json(res, 200, out);
}
