/*
 * test_period: local calendar periods. Each case names its zone (TZ is set
 * for the case, as crmd sets it at start); expected instants are written
 * with their offset, checked against zdump: Europe/Berlin changes at 02:00
 * (2026-03-29, 2026-10-25), America/Havana at midnight (2024-03-10 has no
 * 00:00, 2024-11-03 has two), Asia/Kolkata is +05:30.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datetime.h"
#include "period.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define BERLIN "Europe/Berlin"
#define HAVANA "America/Havana"

static void
zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static void
zone_reset(void)
{
    unsetenv("TZ");
    tzset();
}

static time_t
at(const char *s)
{
    time_t t;

    ck_assert_msg(datetime_parse_rfc3339(s, &t) == 0, "bad test time %s", s);
    return t;
}

/* ---- period_parse ---- */

static const struct {
    const char *in;
    int ok;
    enum period_unit want;
} parse_cases[] = {
    { "month", 1, PERIOD_MONTH }, { "week", 1, PERIOD_WEEK }, { "day", 1, PERIOD_DAY },
    { "Month", 0, 0 },            { "days", 0, 0 },           { "", 0, 0 },
    { "year", 0, 0 },             { "hour", 0, 0 },
};

START_TEST(test_parse)
{
    enum period_unit u = PERIOD_DAY;
    int rc = period_parse(parse_cases[_i].in, &u);

    ck_assert_msg((rc == 0) == parse_cases[_i].ok, "\"%s\": rc %d", parse_cases[_i].in, rc);
    if (parse_cases[_i].ok) {
        ck_assert_int_eq(u, parse_cases[_i].want);
        ck_assert_str_eq(period_name(u), parse_cases[_i].in);
    }
}
END_TEST

/* ---- period_start, period_next, period_format_local ---- */

static const struct {
    const char *tz;
    enum period_unit unit;
    const char *t;
    const char *start, *end; /* as period_format_local writes them */
} period_cases[] = {
    { BERLIN, PERIOD_MONTH, "2026-01-15T12:00:00Z", "2026-01-01T00:00:00+01:00",
      "2026-02-01T00:00:00+01:00" },
    /* still December in UTC, already January in Berlin */
    { BERLIN, PERIOD_MONTH, "2025-12-31T23:30:00Z", "2026-01-01T00:00:00+01:00",
      "2026-02-01T00:00:00+01:00" },
    { BERLIN, PERIOD_MONTH, "2025-12-31T22:59:59Z", "2025-12-01T00:00:00+01:00",
      "2026-01-01T00:00:00+01:00" },
    /* the month clocks go forward: 743 hours */
    { BERLIN, PERIOD_MONTH, "2026-03-10T00:00:00Z", "2026-03-01T00:00:00+01:00",
      "2026-04-01T00:00:00+02:00" },
    { BERLIN, PERIOD_MONTH, "2026-10-31T22:59:59Z", "2026-10-01T00:00:00+02:00",
      "2026-11-01T00:00:00+01:00" },
    { BERLIN, PERIOD_MONTH, "2026-10-31T23:00:00Z", "2026-11-01T00:00:00+01:00",
      "2026-12-01T00:00:00+01:00" },
    { BERLIN, PERIOD_MONTH, "2024-02-29T12:00:00Z", "2024-02-01T00:00:00+01:00",
      "2024-03-01T00:00:00+01:00" },
    /* ISO weeks from Monday, across the DST change and the new year */
    { BERLIN, PERIOD_WEEK, "2026-03-29T12:00:00Z", "2026-03-23T00:00:00+01:00",
      "2026-03-30T00:00:00+02:00" },
    { BERLIN, PERIOD_WEEK, "2026-03-30T00:00:00+02:00", "2026-03-30T00:00:00+02:00",
      "2026-04-06T00:00:00+02:00" },
    { BERLIN, PERIOD_WEEK, "2026-03-29T21:59:59Z", "2026-03-23T00:00:00+01:00",
      "2026-03-30T00:00:00+02:00" },
    { BERLIN, PERIOD_WEEK, "2026-01-01T09:00:00Z", "2025-12-29T00:00:00+01:00",
      "2026-01-05T00:00:00+01:00" },
    { BERLIN, PERIOD_WEEK, "2026-10-25T12:00:00Z", "2026-10-19T00:00:00+02:00",
      "2026-10-26T00:00:00+01:00" },
    /* a 23-hour and a 25-hour day */
    { BERLIN, PERIOD_DAY, "2026-03-29T12:00:00Z", "2026-03-29T00:00:00+01:00",
      "2026-03-30T00:00:00+02:00" },
    { BERLIN, PERIOD_DAY, "2026-10-25T12:00:00Z", "2026-10-25T00:00:00+02:00",
      "2026-10-26T00:00:00+01:00" },
    { BERLIN, PERIOD_DAY, "2026-10-25T00:30:00Z", "2026-10-25T00:00:00+02:00",
      "2026-10-26T00:00:00+01:00" }, /* 02:30 CEST, the first one */
    { BERLIN, PERIOD_DAY, "2026-10-25T01:30:00Z", "2026-10-25T00:00:00+02:00",
      "2026-10-26T00:00:00+01:00" }, /* 02:30 CET, the second one */
    { BERLIN, PERIOD_DAY, "2026-03-28T23:00:00Z", "2026-03-29T00:00:00+01:00",
      "2026-03-30T00:00:00+02:00" },
    { BERLIN, PERIOD_DAY, "2026-03-28T22:59:59Z", "2026-03-28T00:00:00+01:00",
      "2026-03-29T00:00:00+01:00" },
    /* no midnight: the day begins at 01:00; two midnights: at the first */
    { HAVANA, PERIOD_DAY, "2024-03-10T12:00:00Z", "2024-03-10T01:00:00-04:00",
      "2024-03-11T00:00:00-04:00" },
    { HAVANA, PERIOD_DAY, "2024-03-09T12:00:00Z", "2024-03-09T00:00:00-05:00",
      "2024-03-10T01:00:00-04:00" },
    { HAVANA, PERIOD_DAY, "2024-11-03T12:00:00Z", "2024-11-03T00:00:00-04:00",
      "2024-11-04T00:00:00-05:00" },
    { HAVANA, PERIOD_DAY, "2024-11-03T04:30:00Z", "2024-11-03T00:00:00-04:00",
      "2024-11-04T00:00:00-05:00" },
    { HAVANA, PERIOD_DAY, "2024-11-03T05:30:00Z", "2024-11-03T00:00:00-04:00",
      "2024-11-04T00:00:00-05:00" },
    { HAVANA, PERIOD_DAY, "2024-11-02T12:00:00Z", "2024-11-02T00:00:00-04:00",
      "2024-11-03T00:00:00-04:00" },
    { HAVANA, PERIOD_WEEK, "2024-03-10T12:00:00Z", "2024-03-04T00:00:00-05:00",
      "2024-03-11T00:00:00-04:00" },
    { HAVANA, PERIOD_MONTH, "2024-11-15T12:00:00Z", "2024-11-01T00:00:00-04:00",
      "2024-12-01T00:00:00-05:00" },
    { "Asia/Kolkata", PERIOD_MONTH, "2026-01-31T20:00:00Z", "2026-02-01T00:00:00+05:30",
      "2026-03-01T00:00:00+05:30" },
    { "UTC", PERIOD_WEEK, "2026-01-01T00:00:00Z", "2025-12-29T00:00:00+00:00",
      "2026-01-05T00:00:00+00:00" },
    /* local mean time (+00:53:28) is no whole minute: written in UTC */
    { BERLIN, PERIOD_DAY, "1850-06-15T12:00:00Z", "1850-06-14T23:06:32Z",
      "1850-06-15T23:06:32Z" },
};

START_TEST(test_period)
{
    char start[PERIOD_LOCAL_LEN + 1], end[PERIOD_LOCAL_LEN + 1];
    time_t t, s, e;

    zone(period_cases[_i].tz);
    t = at(period_cases[_i].t);
    s = period_start(period_cases[_i].unit, t);
    e = period_next(period_cases[_i].unit, t);
    period_format_local(s, start);
    period_format_local(e, end);
    ck_assert_msg(!strcmp(start, period_cases[_i].start) && !strcmp(end, period_cases[_i].end),
                  "%s %s %s: got [%s, %s), want [%s, %s)", period_cases[_i].tz,
                  period_name(period_cases[_i].unit), period_cases[_i].t, start, end,
                  period_cases[_i].start, period_cases[_i].end);
    /* the strings are the instants */
    ck_assert_int_eq((long long)s, (long long)at(start));
    ck_assert_int_eq((long long)e, (long long)at(end));
    ck_assert(s <= t && t < e);
    /* a start is its own period's start, and the next period begins at the end */
    ck_assert_int_eq((long long)period_start(period_cases[_i].unit, s), (long long)s);
    ck_assert_int_eq((long long)period_start(period_cases[_i].unit, e), (long long)e);
    ck_assert_int_eq((long long)period_next(period_cases[_i].unit, s), (long long)e);
    ck_assert_int_eq((long long)period_start(period_cases[_i].unit, e - 1), (long long)s);
}
END_TEST

/*
 * Every day of 1980-2040 in Berlin: days last 23, 24 or 25 hours and begin
 * at 00:00 local; weeks begin on Mondays and months on the 1st.
 */
START_TEST(test_walk_berlin)
{
    time_t s = at("1980-01-01T00:00:00+01:00"), end = at("2041-01-01T00:00:00+01:00");
    int short_days = 0, long_days = 0;

    zone(BERLIN);
    while (s < end) {
        time_t e = period_next(PERIOD_DAY, s);
        struct tm tm;

        localtime_r(&s, &tm);
        if (tm.tm_hour || tm.tm_min || tm.tm_sec)
            ck_abort_msg("day at %lld begins at %02d:%02d", (long long)s, tm.tm_hour, tm.tm_min);
        if (e - s != 86400 && e - s != 82800 && e - s != 90000)
            ck_abort_msg("day at %lld lasts %lld s", (long long)s, (long long)(e - s));
        short_days += e - s == 82800;
        long_days += e - s == 90000;
        if (period_start(PERIOD_WEEK, s) == s && tm.tm_wday != 1)
            ck_abort_msg("week begins on weekday %d at %lld", tm.tm_wday, (long long)s);
        if ((period_start(PERIOD_MONTH, s) == s) != (tm.tm_mday == 1))
            ck_abort_msg("month start wrong at %lld (day %d)", (long long)s, tm.tm_mday);
        s = e;
    }
    ck_assert_int_eq(short_days, 61); /* DST every year since 1980 */
    ck_assert_int_eq(long_days, 61);
}
END_TEST

/* ---- period_range_cut ---- */

static const struct {
    enum period_unit unit;
    const char *from, *to, *now; /* NULL: not given */
    size_t fallback, max;
    enum period_cut want;
    size_t n;
    const char *eff_from, *eff_to;
} range_cases[] = {
    /* rounded outwards to whole months */
    { PERIOD_MONTH, "2026-01-15T10:00:00Z", "2026-03-10T00:00:00Z", NULL, 12, 120, PERIOD_OK, 3,
      "2026-01-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00" },
    /* boundaries stay */
    { PERIOD_MONTH, "2026-01-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", NULL, 12, 120,
      PERIOD_OK, 2, "2026-01-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00" },
    /* neither: the fallback periods up to and including the current one */
    { PERIOD_MONTH, NULL, NULL, "2026-12-07T22:34:57Z", 12, 120, PERIOD_OK, 12,
      "2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00" },
    { PERIOD_WEEK, NULL, NULL, "2026-12-07T22:34:57Z", 12, 260, PERIOD_OK, 12,
      "2026-09-21T00:00:00+02:00", "2026-12-14T00:00:00+01:00" },
    { PERIOD_DAY, NULL, NULL, "2026-03-29T12:00:00Z", 31, 366, PERIOD_OK, 31,
      "2026-02-27T00:00:00+01:00", "2026-03-30T00:00:00+02:00" },
    /* to only: the fallback periods before it */
    { PERIOD_DAY, NULL, "2026-11-01T00:00:00+01:00", "2026-12-07T22:34:57Z", 31, 366, PERIOD_OK,
      31, "2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00" },
    /* from only: up to the end of the current period */
    { PERIOD_MONTH, "2026-10-15T00:00:00Z", NULL, "2026-12-07T22:34:57Z", 12, 120, PERIOD_OK, 3,
      "2026-10-01T00:00:00+02:00", "2027-01-01T00:00:00+01:00" },
    { PERIOD_MONTH, "2030-01-01T00:00:00Z", NULL, "2026-12-07T22:34:57Z", 12, 120,
      PERIOD_FROM_LATE, 0, NULL, NULL },
    { PERIOD_MONTH, "2026-12-31T22:59:59Z", NULL, "2026-12-07T22:34:57Z", 12, 120, PERIOD_OK, 1,
      "2026-12-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00" },
    /* the limits, exactly and one over */
    { PERIOD_DAY, "2025-01-01T00:00:00+01:00", "2026-01-02T00:00:00+01:00", NULL, 31, 366,
      PERIOD_OK, 366, "2025-01-01T00:00:00+01:00", "2026-01-02T00:00:00+01:00" },
    { PERIOD_DAY, "2025-01-01T00:00:00+01:00", "2026-01-02T00:00:01+01:00", NULL, 31, 366,
      PERIOD_TOO_MANY, 0, NULL, NULL },
    { PERIOD_MONTH, "2015-12-31T23:00:00Z", "2026-01-01T00:00:00+01:00", NULL, 12, 120, PERIOD_OK,
      120, "2016-01-01T00:00:00+01:00", "2026-01-01T00:00:00+01:00" },
    { PERIOD_MONTH, "2015-12-31T22:59:59Z", "2026-01-01T00:00:00+01:00", NULL, 12, 120,
      PERIOD_TOO_MANY, 0, NULL, NULL },
    { PERIOD_WEEK, "2021-01-04T00:00:00+01:00", "2025-12-29T00:00:00+01:00", NULL, 12, 260,
      PERIOD_OK, 260, "2021-01-04T00:00:00+01:00", "2025-12-29T00:00:00+01:00" },
    { PERIOD_WEEK, "2021-01-03T23:59:59+01:00", "2025-12-29T00:00:00+01:00", NULL, 12, 260,
      PERIOD_TOO_MANY, 0, NULL, NULL },
    /* the year 10000 cannot be written */
    { PERIOD_MONTH, "9999-11-01T00:00:00Z", "9999-12-31T23:30:00Z", NULL, 12, 120,
      PERIOD_OUT_OF_RANGE, 0, NULL, NULL },
    { PERIOD_MONTH, "9999-11-15T00:00:00Z", "9999-12-31T22:00:00Z", NULL, 12, 120,
      PERIOD_OUT_OF_RANGE, 0, NULL, NULL }, /* ends 10000-01-01T00:00:00+01:00 */
    { PERIOD_MONTH, "9999-10-15T00:00:00Z", "9999-11-30T12:00:00Z", NULL, 12, 120, PERIOD_OK, 2,
      "9999-10-01T00:00:00+02:00", "9999-12-01T00:00:00+01:00" },
};

START_TEST(test_range)
{
    struct period_range r = { .unit = range_cases[_i].unit,
                              .fallback = range_cases[_i].fallback,
                              .max = range_cases[_i].max };
    time_t *bounds = calloc(r.max + 1, sizeof *bounds);
    time_t now = range_cases[_i].now ? at(range_cases[_i].now) : at("2026-12-07T12:00:00Z");
    char from[PERIOD_LOCAL_LEN + 1], to[PERIOD_LOCAL_LEN + 1];
    enum period_cut rc;

    zone(BERLIN);
    if (range_cases[_i].from) {
        r.has_from = 1;
        r.from = at(range_cases[_i].from);
    }
    if (range_cases[_i].to) {
        r.has_to = 1;
        r.to = at(range_cases[_i].to);
    }
    rc = period_range_cut(&r, now, bounds);
    ck_assert_msg(rc == range_cases[_i].want, "case %d: rc %d, want %d", _i, rc,
                  range_cases[_i].want);
    if (rc == PERIOD_OK) {
        period_format_local(r.from, from);
        period_format_local(r.to, to);
        ck_assert_msg(r.n == range_cases[_i].n, "case %d: %zu periods, want %zu", _i, r.n,
                      range_cases[_i].n);
        ck_assert_str_eq(from, range_cases[_i].eff_from);
        ck_assert_str_eq(to, range_cases[_i].eff_to);
        ck_assert_int_eq((long long)bounds[0], (long long)r.from);
        ck_assert_int_eq((long long)bounds[r.n], (long long)r.to);
        for (size_t i = 0; i < r.n; i++)
            ck_assert_int_eq((long long)bounds[i + 1],
                             (long long)period_next(r.unit, bounds[i]));
    }
    free(bounds);
}
END_TEST

Suite *
period_suite(void)
{
    Suite *s = suite_create("period");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_parse, 0, N(parse_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("periods");
    tcase_add_checked_fixture(tc, NULL, zone_reset);
    tcase_add_loop_test(tc, test_period, 0, N(period_cases));
    tcase_add_test(tc, test_walk_berlin);
    suite_add_tcase(s, tc);

    tc = tcase_create("range_cut");
    tcase_add_checked_fixture(tc, NULL, zone_reset);
    tcase_add_loop_test(tc, test_range, 0, N(range_cases));
    suite_add_tcase(s, tc);

    return s;
}
