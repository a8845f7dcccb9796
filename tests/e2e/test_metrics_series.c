/*
 * test_metrics_series: GET /v1/metrics/experience?interval= on a server in
 * Europe/Berlin (CRMD_TIMEZONE, as --timezone) with its clock pinned to
 * Wednesday 2026-05-20 12:00 local. One dataset for every test (they only
 * read): touchpoints a second either side of local month boundaries, on the
 * days clocks go forward (2026-03-29) and back (2026-10-25), an empty April
 * in between. Checked: period boundaries with their offsets, per-period
 * counts and scores, empty periods, the default ranges, each period equal
 * to the answer for its own from/to, periods adding up to the totals, the
 * limits and the 400s with their details.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

#define Q "/v1/metrics/experience?"
#define JAN_TO_MAY "from=2026-01-01T00:00:00%2B01:00&to=2026-06-01T00:00:00%2B02:00"

static const char *const berlin_env[] = { "CRMD_TIMEZONE=Europe/Berlin",
                                          "CRMD_FAKE_NOW=1779271200", /* 2026-05-20T10:00:00Z */
                                          NULL };
/* Touchpoints record what happened: the rows up to October are written with the clock after them. */
static const char *const later_env[] = { "CRMD_TIMEZONE=Europe/Berlin",
                                         "CRMD_FAKE_NOW=1793527200", /* 2026-11-01T10:00:00Z */
                                         NULL };

/* The dataset; journeys 1 and 2 get fresh ids. Satisfaction < 0, nps < 0: none. */
static const struct row {
    const char *at, *kind, *channel, *department;
    int journey;
    double sat;
    int nps;
} rows[] = {
    /* 2025-12-31 23:59:59 local: December */
    { "2025-12-31T22:59:59Z", "survey", "email", NULL, 0, -1, 0 },
    /* January: journey 1 (1.0 x 0.9), and the month's last second */
    { "2026-01-05T09:00:00Z", "app_booking", "app", NULL, 1, 1.0, -1 },
    { "2026-01-10T10:00:00Z", "survey", "email", "sales", 1, 0.9, 10 },
    { "2026-01-31T22:59:59Z", "survey", "email", NULL, 0, -1, 9 },
    /* February 1 00:30 local (still January in UTC): journey 2 begins */
    { "2026-01-31T23:30:00Z", "service_visit", "in_person", "service", 2, 0.2, 0 },
    /* March: 03:30 CEST on the 23-hour day, journey 2 ends (0.2 x 0.5); the month's last second */
    { "2026-03-29T01:30:00Z", "survey", "email", "service", 2, 0.5, 10 },
    { "2026-03-31T21:59:59Z", "survey", "email", NULL, 0, -1, 7 },
    /* April: nothing. May: its first and last second; then June 1 00:00 local */
    { "2026-04-30T22:00:00Z", "survey", "email", NULL, 0, -1, 6 },
    { "2026-05-31T21:59:59Z", "survey", "email", NULL, 0, -1, 10 },
    { "2026-05-31T22:00:00Z", "survey", "email", NULL, 0, -1, 10 },
    /* the 25-hour day: 02:30 CEST, 02:30 CET, then the next midnight */
    { "2026-10-25T00:30:00Z", "phone_call", "phone", NULL, 0, 0.6, -1 },
    { "2026-10-25T01:30:00Z", "phone_call", "phone", NULL, 0, 0.8, -1 },
    { "2026-10-25T23:00:00Z", "phone_call", "phone", NULL, 0, 1.0, -1 },
};

static void
setup(void)
{
    char customer[40], journeys[2][40], body[1024];

    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, later_env);
    snprintf(customer, sizeof customer, "%s", new_person_named("Reihe"));
    snprintf(journeys[0], sizeof journeys[0], "7f1c4c1e-2a7b-4d7e-9a51-00000000001a");
    snprintf(journeys[1], sizeof journeys[1], "7f1c4c1e-2a7b-4d7e-9a51-00000000002a");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        int n = snprintf(body, sizeof body,
                         "{\"customer_id\":\"%s\",\"kind\":\"%s\",\"channel\":\"%s\","
                         "\"occurred_at\":\"%s\"",
                         customer, r->kind, r->channel, r->at);

        if (r->department)
            n += snprintf(body + n, sizeof body - (size_t)n, ",\"department\":\"%s\"",
                          r->department);
        if (r->journey)
            n += snprintf(body + n, sizeof body - (size_t)n, ",\"journey_id\":\"%s\"",
                          journeys[r->journey - 1]);
        if (r->sat >= 0)
            n += snprintf(body + n, sizeof body - (size_t)n, ",\"satisfaction\":%g", r->sat);
        if (r->nps >= 0)
            n += snprintf(body + n, sizeof body - (size_t)n, ",\"nps\":%d", r->nps);
        snprintf(body + n, sizeof body - (size_t)n, "}");
        create_ok("/v1/touchpoints", body);
    }
    ck_assert_int_eq(server_stop(&srv), 0);
    server_start(&srv, NULL, berlin_env); /* same database, the tests' clock */
}

static json_int_t
iget(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    ck_assert_msg(json_is_integer(v), "%s is not an integer", key);
    return json_integer_value(v);
}

/* Member key of o: NAN wants null, anything else a number close to it. */
static void
assert_num(const json_t *o, const char *key, double want)
{
    json_t *v = json_object_get(o, key);

    if (isnan(want)) {
        ck_assert_msg(json_is_null(v), "%s is not null", key);
        return;
    }
    ck_assert_msg(json_is_number(v), "%s is not a number", key);
    ck_assert_msg(fabs(json_number_value(v) - want) < 1e-9, "%s = %.17g, want %g", key,
                  json_number_value(v), want);
}

/* s with '+' as %2B, for a query string (rotating storage). */
static const char *
enc(const char *s)
{
    static char slots[4][64];
    static unsigned next;
    char *out = slots[next++ % 4], *o = out;

    for (; *s && o < out + sizeof slots[0] - 4; s++) {
        if (*s == '+') {
            memcpy(o, "%2B", 3);
            o += 3;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* ---- months, January to May ---- */

static const struct month_want {
    const char *start, *end;
    int responses, promoters, passives, detractors;
    double score, sat_avg;
    int sat_count, journeys;
    double journey_avg;
    const char *drag_kind; /* NULL: no drag */
    double drag;
} months[] = {
    { "2026-01-01T00:00:00+01:00", "2026-02-01T00:00:00+01:00", 2, 2, 0, 0, 100.0, 0.95, 2, 1, 0.9,
      "survey", 0.1 },
    { "2026-02-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", 1, 0, 0, 1, -100.0, 0.2, 1, 0, NAN,
      "service_visit", 0.8 },
    { "2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00", 2, 1, 1, 0, 50.0, 0.5, 1, 1, 0.1,
      "survey", 0.5 },
    { "2026-04-01T00:00:00+02:00", "2026-05-01T00:00:00+02:00", 0, 0, 0, 0, NAN, NAN, 0, 0, NAN,
      NULL, 0 },
    { "2026-05-01T00:00:00+02:00", "2026-06-01T00:00:00+02:00", 2, 1, 0, 1, 0.0, NAN, 0, 0, NAN,
      NULL, 0 },
};

START_TEST(months_january_to_may)
{
    json_t *m = fetch(Q "interval=month&" JAN_TO_MAY), *buckets, *nps;
    json_int_t responses = 0;
    size_t i;

    ck_assert_str_eq(sget(m, "interval"), "month");
    ck_assert_str_eq(sget(m, "time_zone"), "Europe/Berlin");
    ck_assert_str_eq(sget(m, "from"), "2026-01-01T00:00:00+01:00");
    ck_assert_str_eq(sget(m, "to"), "2026-06-01T00:00:00+02:00");
    buckets = json_object_get(m, "buckets");
    ck_assert_int_eq(json_array_size(buckets), 5);
    for (i = 0; i < 5; i++) {
        const struct month_want *w = &months[i];
        json_t *b = json_array_get(buckets, i), *sat, *jr, *drag;

        ck_assert_str_eq(sget(b, "start"), w->start);
        ck_assert_str_eq(sget(b, "end"), w->end);
        nps = json_object_get(b, "nps");
        ck_assert_msg(iget(nps, "responses") == w->responses, "%s: %lld responses", w->start,
                      (long long)iget(nps, "responses"));
        ck_assert_int_eq(iget(nps, "promoters"), w->promoters);
        ck_assert_int_eq(iget(nps, "passives"), w->passives);
        ck_assert_int_eq(iget(nps, "detractors"), w->detractors);
        assert_num(nps, "score", w->score);
        responses += iget(nps, "responses");
        sat = json_object_get(b, "satisfaction");
        assert_num(sat, "average", w->sat_avg);
        ck_assert_int_eq(iget(sat, "count"), w->sat_count);
        ck_assert(json_is_object(json_object_get(sat, "by_kind")));
        jr = json_object_get(b, "journeys");
        ck_assert_int_eq(iget(jr, "count"), w->journeys);
        assert_num(jr, "average_score", w->journey_avg);
        drag = json_object_get(b, "drag");
        ck_assert(json_is_array(drag));
        ck_assert_int_eq(json_array_size(drag), w->drag_kind ? 1 : 0);
        if (w->drag_kind) {
            ck_assert_str_eq(sget(json_array_get(drag, 0), "kind"), w->drag_kind);
            assert_num(json_array_get(drag, 0), "drag", w->drag);
        }
    }
    /* April: present, and empty in every member */
    {
        json_t *apr = json_array_get(buckets, 3), *sat = json_object_get(apr, "satisfaction");

        ck_assert_int_eq(json_object_size(json_object_get(sat, "by_kind")), 0);
        ck_assert_int_eq(json_object_size(json_object_get(sat, "by_channel")), 0);
        ck_assert_int_eq(json_object_size(json_object_get(sat, "by_department")), 0);
        ck_assert_int_eq(iget(json_object_get(apr, "journeys"), "scored"), 0);
    }
    /* the totals: the same range, and the periods add up to them */
    nps = json_object_get(m, "nps");
    ck_assert_int_eq(iget(nps, "responses"), 7);
    ck_assert_int_eq(responses, 7);
    assert_num(nps, "score", 28.6); /* (4 - 2) / 7 */
    assert_num(json_object_get(m, "satisfaction"), "average", 0.65);
    ck_assert_int_eq(iget(json_object_get(m, "journeys"), "count"), 2);
    assert_num(json_object_get(m, "journeys"), "average_score", 0.5);
    ck_assert_int_eq(json_array_size(json_object_get(m, "drag")), 2);
    json_decref(m);
}
END_TEST

/* Weeks from Monday: the week clocks go forward lasts 167 hours. */
START_TEST(weeks_around_dst)
{
    json_t *m = fetch(Q "interval=week&from=2026-03-25T12:00:00Z&to=2026-04-01T00:00:00%2B02:00"),
           *b;

    /* rounded outwards: from Monday 03-23, to Monday 04-06 */
    ck_assert_str_eq(sget(m, "from"), "2026-03-23T00:00:00+01:00");
    ck_assert_str_eq(sget(m, "to"), "2026-04-06T00:00:00+02:00");
    ck_assert_int_eq(json_array_size(json_object_get(m, "buckets")), 2);
    b = json_array_get(json_object_get(m, "buckets"), 0);
    ck_assert_str_eq(sget(b, "start"), "2026-03-23T00:00:00+01:00");
    ck_assert_str_eq(sget(b, "end"), "2026-03-30T00:00:00+02:00");
    ck_assert_int_eq(iget(json_object_get(b, "nps"), "responses"), 1); /* 03-29 03:30 CEST */
    ck_assert_int_eq(iget(json_object_get(b, "journeys"), "count"), 1);
    b = json_array_get(json_object_get(m, "buckets"), 1);
    ck_assert_str_eq(sget(b, "start"), "2026-03-30T00:00:00+02:00");
    ck_assert_str_eq(sget(b, "end"), "2026-04-06T00:00:00+02:00");
    ck_assert_int_eq(iget(json_object_get(b, "nps"), "responses"), 1); /* 03-31 23:59:59 */
    json_decref(m);
}
END_TEST

/* Days from local midnight: 23 hours on 2026-03-29, 25 on 2026-10-25. */
START_TEST(days_of_23_and_25_hours)
{
    json_t *m = fetch(Q "interval=day&from=2026-03-28T12:00:00Z&to=2026-03-30T00:00:00%2B02:00"),
           *b;

    ck_assert_str_eq(sget(m, "from"), "2026-03-28T00:00:00+01:00");
    ck_assert_int_eq(json_array_size(json_object_get(m, "buckets")), 2);
    b = json_array_get(json_object_get(m, "buckets"), 1);
    ck_assert_str_eq(sget(b, "start"), "2026-03-29T00:00:00+01:00");
    ck_assert_str_eq(sget(b, "end"), "2026-03-30T00:00:00+02:00");
    ck_assert_int_eq(iget(json_object_get(b, "nps"), "responses"), 1);
    json_decref(m);

    m = fetch(Q "interval=day&from=2026-10-25T00:00:00%2B02:00&to=2026-10-27T00:00:00%2B01:00");
    ck_assert_int_eq(json_array_size(json_object_get(m, "buckets")), 2);
    b = json_array_get(json_object_get(m, "buckets"), 0);
    ck_assert_str_eq(sget(b, "start"), "2026-10-25T00:00:00+02:00");
    ck_assert_str_eq(sget(b, "end"), "2026-10-26T00:00:00+01:00");
    /* 02:30 twice: both in the long day */
    ck_assert_int_eq(iget(json_object_get(b, "satisfaction"), "count"), 2);
    assert_num(json_object_get(b, "satisfaction"), "average", 0.7);
    b = json_array_get(json_object_get(m, "buckets"), 1);
    ck_assert_str_eq(sget(b, "start"), "2026-10-26T00:00:00+01:00");
    ck_assert_int_eq(iget(json_object_get(b, "satisfaction"), "count"), 1);
    json_decref(m);
}
END_TEST

/* ---- default ranges (now: Wednesday 2026-05-20 12:00 local) ---- */

static const struct {
    const char *query;
    size_t n;
    const char *from, *to;
    int responses; /* of the totals */
} defaults[] = {
    { "interval=month", 12, "2025-06-01T00:00:00+02:00", "2026-06-01T00:00:00+02:00", 8 },
    { "interval=week", 12, "2026-03-02T00:00:00+01:00", "2026-05-25T00:00:00+02:00", 3 },
    { "interval=day", 31, "2026-04-20T00:00:00+02:00", "2026-05-21T00:00:00+02:00", 1 },
    { "interval=month&from=2026-03-15T00:00:00Z", 3, "2026-03-01T00:00:00+01:00",
      "2026-06-01T00:00:00+02:00", 4 },
    { "interval=month&from=2026-05-20T00:00:00Z", 1, "2026-05-01T00:00:00+02:00",
      "2026-06-01T00:00:00+02:00", 2 },
    { "interval=month&to=2026-02-01T00:00:00%2B01:00", 12, "2025-02-01T00:00:00+01:00",
      "2026-02-01T00:00:00+01:00", 3 },
    /* 00:00 UTC is 01:00 in Berlin, inside January: rounded up to February */
    { "interval=month&to=2026-01-01T00:00:00Z", 12, "2025-02-01T00:00:00+01:00",
      "2026-02-01T00:00:00+01:00", 3 },
};

START_TEST(default_ranges)
{
    json_t *m = fetch(pathf(Q "%s", defaults[_i].query)), *buckets = json_object_get(m, "buckets");

    ck_assert_msg(json_array_size(buckets) == defaults[_i].n, "%s: %zu periods",
                  defaults[_i].query, json_array_size(buckets));
    ck_assert_str_eq(sget(m, "from"), defaults[_i].from);
    ck_assert_str_eq(sget(m, "to"), defaults[_i].to);
    ck_assert_str_eq(sget(json_array_get(buckets, 0), "start"), defaults[_i].from);
    ck_assert_str_eq(sget(json_array_get(buckets, defaults[_i].n - 1), "end"), defaults[_i].to);
    ck_assert_int_eq(iget(json_object_get(m, "nps"), "responses"), defaults[_i].responses);
    json_decref(m);
}
END_TEST

/* ---- each period is the answer for its own from/to; the periods add up ---- */

static const char *const consistent[] = {
    "interval=month&" JAN_TO_MAY,
    "interval=month&" JAN_TO_MAY "&department=service",
    "interval=month&" JAN_TO_MAY "&channel=email",
    "interval=week&" JAN_TO_MAY,
    "interval=day&from=2026-03-20T00:00:00%2B01:00&to=2026-04-05T00:00:00%2B02:00",
    "interval=day&from=2026-10-20T00:00:00%2B02:00&to=2026-10-30T00:00:00%2B01:00",
    "interval=month",
};

/* The part of query q that is not interval, from or to ("" or "&kind=..."). */
static const char *
filters_of(const char *q)
{
    const char *amp = strstr(q, "&department=");

    if (!amp)
        amp = strstr(q, "&channel=");
    return amp ? amp : "";
}

START_TEST(periods_are_their_own_ranges)
{
    const char *q = consistent[_i], *f = filters_of(q);
    json_t *m = fetch(pathf(Q "%s", q)), *buckets = json_object_get(m, "buckets"), *b, *one;
    json_int_t responses = 0, rated = 0;
    size_t i;

    ck_assert_int_gt(json_array_size(buckets), 0);
    json_array_foreach(buckets, i, b)
    {
        json_t *own = json_deep_copy(b);

        if (i > 0)
            ck_assert_str_eq(sget(b, "start"), sget(json_array_get(buckets, i - 1), "end"));
        one = fetch(pathf(Q "from=%s&to=%s%s", enc(sget(b, "start")), enc(sget(b, "end")), f));
        json_object_del(own, "start");
        json_object_del(own, "end");
        ck_assert_msg(json_equal(own, one), "%s: period %zu (%s) differs from its own range", q, i,
                      sget(b, "start"));
        responses += iget(json_object_get(b, "nps"), "responses");
        rated += iget(json_object_get(b, "satisfaction"), "count");
        json_decref(own);
        json_decref(one);
    }
    /* the totals are the answer for the whole range, and the periods add up to them */
    one = fetch(pathf(Q "from=%s&to=%s%s", enc(sget(m, "from")), enc(sget(m, "to")), f));
    ck_assert(json_equal(json_object_get(m, "nps"), json_object_get(one, "nps")));
    ck_assert(json_equal(json_object_get(m, "satisfaction"), json_object_get(one, "satisfaction")));
    ck_assert(json_equal(json_object_get(m, "journeys"), json_object_get(one, "journeys")));
    ck_assert(json_equal(json_object_get(m, "drag"), json_object_get(one, "drag")));
    ck_assert_int_eq(responses, iget(json_object_get(m, "nps"), "responses"));
    ck_assert_int_eq(rated, iget(json_object_get(m, "satisfaction"), "count"));
    json_decref(one);
    json_decref(m);
}
END_TEST

/*
 * A journey counts in a period when a touchpoint matching the filters and
 * its last touchpoint both lie in it: journey 2 matches kind=service_visit
 * in February but ends in March, so the totals count it and no month does.
 */
START_TEST(journey_split_by_filter)
{
    json_t *m = fetch(Q "interval=month&" JAN_TO_MAY "&kind=service_visit"), *b;
    size_t i;

    ck_assert_int_eq(iget(json_object_get(m, "journeys"), "count"), 1);
    json_array_foreach(json_object_get(m, "buckets"), i, b)
        ck_assert_int_eq(iget(json_object_get(b, "journeys"), "count"), 0);
    json_decref(m);
}
END_TEST

/* ---- limits ---- */

static const struct {
    const char *query;
    size_t n;
} at_limit[] = {
    { "interval=month&from=2016-01-01T00:00:00%2B01:00&to=2026-01-01T00:00:00%2B01:00", 120 },
    { "interval=week&from=2021-01-04T00:00:00%2B01:00&to=2025-12-29T00:00:00%2B01:00", 260 },
    { "interval=day&from=2025-05-20T00:00:00%2B02:00", 366 },
};

START_TEST(limits_reached)
{
    json_t *m = fetch(pathf(Q "%s", at_limit[_i].query));

    ck_assert_int_eq(json_array_size(json_object_get(m, "buckets")), at_limit[_i].n);
    json_decref(m);
}
END_TEST

static const struct {
    const char *query, *detail;
} refused[] = {
    { "interval=month&from=2015-12-31T23:59:59%2B01:00&to=2026-01-01T00:00:00%2B01:00",
      "too many periods: 'from' (2015-12-31T22:59:59Z) to 'to' (2025-12-31T23:00:00Z) spans more "
      "than 120 months, the most interval=month allows; narrow the range or use a longer "
      "interval" },
    { "interval=week&from=2021-01-03T12:00:00Z&to=2025-12-29T00:00:00%2B01:00",
      "too many periods: 'from' (2021-01-03T12:00:00Z) to 'to' (2025-12-28T23:00:00Z) spans more "
      "than 260 weeks, the most interval=week allows; narrow the range or use a longer interval" },
    { "interval=day&from=2025-05-19T23:00:00%2B02:00",
      "too many periods: 'from' (2025-05-19T21:00:00Z) to the end of the current day spans more "
      "than 366 days, the most interval=day allows; narrow the range or use a longer interval" },
    { "interval=year", "query parameter 'interval' must be one of month, week, day" },
    { "interval=", "query parameter 'interval' must be one of month, week, day" },
    { "interval=Month", "query parameter 'interval' must be one of month, week, day" },
    { "interval=hour&from=2026-01-01T00:00:00Z",
      "query parameter 'interval' must be one of month, week, day" },
    { "interval=month&interval=week", "query parameter 'interval' given twice" },
    { "interval=month&from=2026-06-01T00:00:00%2B02:00",
      "query parameter 'from' (2026-05-31T22:00:00Z) lies after the current month, where the "
      "range ends without 'to'; give 'to' as well" },
    { "interval=day&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z",
      "query parameter 'from' (2026-03-02T00:00:00Z) must be before 'to' (2026-03-01T00:00:00Z)" },
    { "interval=month&from=9999-11-01T00:00:00Z&to=9999-12-31T23:30:00Z",
      "the range rounded to whole months reaches outside the years 1000 to 9999; query parameters "
      "'from' and 'to' must lie inside" },
    { "interval=week&from=last-monday",
      "query parameter 'from' must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z" },
    { "interval=month&kind=fax",
      "query parameter 'kind' must be one of service_visit, app_booking, phone_call, email, "
      "showroom_visit, test_drive, purchase, delivery, complaint, survey, event, other" },
};

START_TEST(refused_with_detail)
{
    struct reply r;

    http_get(pathf(Q "%s", refused[_i].query), &r);
    assert_problem(&r, 400, "bad-request");
    ck_assert_str_eq(jstr(&r, "detail"), refused[_i].detail);
    reply_free(&r);
}
END_TEST

Suite *
metrics_series_suite(void)
{
    Suite *s = suite_create("metrics_series");
    TCase *tc = tcase_create("series");

    /* one server and dataset: the tests only read */
    tcase_add_unchecked_fixture(tc, setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, months_january_to_may);
    tcase_add_test(tc, weeks_around_dst);
    tcase_add_test(tc, days_of_23_and_25_hours);
    tcase_add_loop_test(tc, default_ranges, 0, (int)(sizeof defaults / sizeof defaults[0]));
    tcase_add_loop_test(tc, periods_are_their_own_ranges, 0,
                        (int)(sizeof consistent / sizeof consistent[0]));
    tcase_add_test(tc, journey_split_by_filter);
    tcase_add_loop_test(tc, limits_reached, 0, (int)(sizeof at_limit / sizeof at_limit[0]));
    tcase_add_loop_test(tc, refused_with_detail, 0, (int)(sizeof refused / sizeof refused[0]));
    suite_add_tcase(s, tc);
    return s;
}
