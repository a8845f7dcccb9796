/*
 * test_datetime: date and RFC 3339 parsing, civil-date arithmetic.
 * Known day numbers and epoch values were computed independently
 * (Python's datetime); the day walk checks the calendar day by day.
 */
#include <check.h>
#include <string.h>
#include <time.h>

#include "datetime.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct civil_case {
    int y, m, d;
    long days;
};

static const struct civil_case civil_cases[] = {
    { 1970, 1, 1, 0 },
    { 1970, 1, 2, 1 },
    { 1969, 12, 31, -1 },
    { 2000, 1, 1, 10957 },
    { 2000, 2, 29, 11016 },
    { 2000, 3, 1, 11017 },
    { 1900, 1, 1, -25567 },
    { 2024, 2, 29, 19782 },
    { 2038, 1, 19, 24855 },
    { 2100, 12, 31, 47846 },
    { 1600, 2, 29, -135081 },
    { 2400, 2, 29, 157113 },
    { 1, 1, 1, -719162 },
    { 9999, 12, 31, 2932896 },
};

START_TEST(test_civil_known)
{
    const struct civil_case *c = &civil_cases[_i];
    int y = 0, m = 0, d = 0;

    ck_assert_msg(datetime_days_from_civil(c->y, c->m, c->d) == c->days,
                  "%04d-%02d-%02d: got %ld, want %ld", c->y, c->m, c->d,
                  datetime_days_from_civil(c->y, c->m, c->d), c->days);
    datetime_civil_from_days(c->days, &y, &m, &d);
    ck_assert_msg(y == c->y && m == c->m && d == c->d, "%ld: got %04d-%02d-%02d, want %04d-%02d-%02d",
                  c->days, y, m, d, c->y, c->m, c->d);
}
END_TEST

static int
leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
    static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && leap(y) ? 29 : dim[m - 1];
}

/*
 * Every day from 1900-01-01 to 2100-12-31: both directions agree, and
 * each day number maps to the calendar day after the previous one.
 */
START_TEST(test_civil_walk)
{
    long first = datetime_days_from_civil(1900, 1, 1);
    long last = datetime_days_from_civil(2100, 12, 31);
    int ey = 1900, em = 1, ed = 1; /* the expected date of day z */

    ck_assert_int_eq(first, -25567);
    ck_assert_int_eq(last - first + 1, 201 * 365 + 49); /* 1900 and 2100 are not leap years */
    for (long z = first; z <= last; z++) {
        int y, m, d;

        datetime_civil_from_days(z, &y, &m, &d);
        if (y != ey || m != em || d != ed)
            ck_abort_msg("day %ld: got %04d-%02d-%02d, want %04d-%02d-%02d", z, y, m, d, ey, em,
                         ed);
        if (datetime_days_from_civil(y, m, d) != z)
            ck_abort_msg("%04d-%02d-%02d: got %ld, want %ld", y, m, d,
                         datetime_days_from_civil(y, m, d), z);
        if (++ed > month_days(ey, em)) {
            ed = 1;
            if (++em > 12) {
                em = 1;
                ey++;
            }
        }
    }
    ck_assert_int_eq(ey, 2101);
}
END_TEST

/* Far from the epoch, on both sides: round trip every 97th day. */
START_TEST(test_civil_far)
{
    for (long z = -800000; z <= 3000000; z += 97) {
        int y, m, d;

        datetime_civil_from_days(z, &y, &m, &d);
        if (m < 1 || m > 12 || d < 1 || d > month_days(y < 0 ? 400 + y % 400 : y, m))
            ck_abort_msg("day %ld: impossible date %d-%02d-%02d", z, y, m, d);
        if (datetime_days_from_civil(y, m, d) != z)
            ck_abort_msg("day %ld -> %d-%02d-%02d -> %ld", z, y, m, d,
                         datetime_days_from_civil(y, m, d));
    }
}
END_TEST

struct date_case {
    const char *in;
    int ok;
    int y, m, d;
};

static const struct date_case date_cases[] = {
    /* valid */
    { "2024-01-01", 1, 2024, 1, 1 },
    { "1970-01-01", 1, 1970, 1, 1 },
    { "2024-12-31", 1, 2024, 12, 31 },
    { "2024-02-29", 1, 2024, 2, 29 },
    { "2000-02-29", 1, 2000, 2, 29 },
    { "2023-02-28", 1, 2023, 2, 28 },
    { "1900-02-28", 1, 1900, 2, 28 },
    { "2024-04-30", 1, 2024, 4, 30 },
    { "2024-01-31", 1, 2024, 1, 31 },
    { "1000-01-01", 1, 1000, 1, 1 },
    { "9999-12-31", 1, 9999, 12, 31 },
    /* not a calendar date */
    { "2024-13-01", 0, 0, 0, 0 },
    { "2024-00-10", 0, 0, 0, 0 },
    { "2024-01-00", 0, 0, 0, 0 },
    { "2024-01-32", 0, 0, 0, 0 },
    { "2024-04-31", 0, 0, 0, 0 },
    { "2024-06-31", 0, 0, 0, 0 },
    { "2024-02-30", 0, 0, 0, 0 },
    { "2023-02-29", 0, 0, 0, 0 },
    { "1900-02-29", 0, 0, 0, 0 },
    { "2100-02-29", 0, 0, 0, 0 },
    { "0999-12-31", 0, 0, 0, 0 },
    { "0000-01-01", 0, 0, 0, 0 },
    { "2024-99-99", 0, 0, 0, 0 },
    /* not the format */
    { "", 0, 0, 0, 0 },
    { "2024-1-01", 0, 0, 0, 0 },
    { "2024-01-1", 0, 0, 0, 0 },
    { "24-01-01", 0, 0, 0, 0 },
    { "02024-01-01", 0, 0, 0, 0 },
    { "2024/01/01", 0, 0, 0, 0 },
    { "2024.01.01", 0, 0, 0, 0 },
    { "20240101", 0, 0, 0, 0 },
    { "2024-0101", 0, 0, 0, 0 },
    { "2024_01-01", 0, 0, 0, 0 },
    { "2024-01-01 ", 0, 0, 0, 0 },
    { " 2024-01-01", 0, 0, 0, 0 },
    { "2024-01-01T00:00:00Z", 0, 0, 0, 0 },
    { "2024-01-01Z", 0, 0, 0, 0 },
    { "2o24-01-01", 0, 0, 0, 0 },
    { "2024-0a-01", 0, 0, 0, 0 },
    { "2024-01-0x", 0, 0, 0, 0 },
    { "+024-01-01", 0, 0, 0, 0 },
    { "-024-01-01", 0, 0, 0, 0 },
    { "2024-+1-01", 0, 0, 0, 0 },
    { "2024-01- 1", 0, 0, 0, 0 },
    { "2024-01--1", 0, 0, 0, 0 },
    { "\xef\xbc\x92" "024-01-01", 0, 0, 0, 0 }, /* full-width 2 */
    { "2024-01", 0, 0, 0, 0 },
    { "2024", 0, 0, 0, 0 },
};

START_TEST(test_parse_date)
{
    const struct date_case *c = &date_cases[_i];
    int y = -7, m = -7, d = -7;
    int rc = datetime_parse_date(c->in, &y, &m, &d);

    if (c->ok) {
        ck_assert_msg(rc == 0, "case %d \"%s\": refused", _i, c->in);
        ck_assert_msg(y == c->y && m == c->m && d == c->d,
                      "case %d \"%s\": got %d-%d-%d, want %d-%d-%d", _i, c->in, y, m, d, c->y, c->m,
                      c->d);
    } else {
        ck_assert_msg(rc == -1, "case %d \"%s\": accepted as %d-%d-%d", _i, c->in, y, m, d);
    }
}
END_TEST

struct rfc3339_case {
    const char *in;
    int ok;
    long long epoch;
};

static const struct rfc3339_case rfc3339_cases[] = {
    /* valid */
    { "1970-01-01T00:00:00Z", 1, 0 },
    { "1969-12-31T23:59:59Z", 1, -1 },
    { "2026-11-23T09:00:00Z", 1, 1795424400 },
    { "2026-11-23T09:00:00z", 1, 1795424400 },
    { "2026-11-23t09:00:00Z", 1, 1795424400 },
    { "2026-11-23 09:00:00Z", 1, 1795424400 },
    { "2026-11-23t09:00:00z", 1, 1795424400 },
    { "2026-11-23T09:00:00+00:00", 1, 1795424400 },
    { "2026-11-23T09:00:00-00:00", 1, 1795424400 },
    { "2026-11-23T10:00:00+01:00", 1, 1795424400 },
    { "2026-11-23T09:00:00.0Z", 1, 1795424400 },
    { "2026-11-23T09:00:00.5Z", 1, 1795424400 },         /* truncated, not rounded */
    { "2026-11-23T09:00:00.999999999Z", 1, 1795424400 }, /* truncated, not rounded */
    { "2026-11-23T09:00:00.123456+01:00", 1, 1795420800 },
    { "2024-02-29T12:34:56Z", 1, 1709210096 },
    { "2024-02-29T12:34:56+05:30", 1, 1709190296 },
    { "2024-02-29T12:34:56-08:00", 1, 1709238896 },
    { "2024-01-01T00:15:00+05:30", 1, 1704048300 },  /* the previous day in UTC */
    { "2024-12-31T23:30:00-01:00", 1, 1735691400 },  /* the next year in UTC */
    { "2000-01-01T00:00:00-08:00", 1, 946713600 },
    { "2024-06-15T12:00:00+23:59", 1, 1718452800 - 86340 },
    { "2024-06-15T12:00:00-23:59", 1, 1718452800 + 86340 },
    { "2024-06-15T23:59:59Z", 1, 1718495999 },
    { "1000-01-01T00:00:00Z", 1, -30610224000LL },
    { "9999-12-31T23:59:59Z", 1, 253402300799LL },
    /* invalid */
    { "", 0, 0 },
    { "2026-11-23", 0, 0 },
    { "2026-11-23T09:00:00", 0, 0 },       /* no zone */
    { "2026-11-23T09:00:00.5", 0, 0 },     /* no zone */
    { "2026-11-23T09:00Z", 0, 0 },         /* no seconds */
    { "2026-11-23T24:00:00Z", 0, 0 },
    { "2026-11-23T23:60:00Z", 0, 0 },
    { "2026-11-23T23:59:61Z", 0, 0 },
    { "2026-11-23T09:00:00+24:00", 0, 0 },
    { "2026-11-23T09:00:00-24:00", 0, 0 },
    { "2026-11-23T09:00:00+01:60", 0, 0 },
    { "2026-11-23T09:00:00+0100", 0, 0 },
    { "2026-11-23T09:00:00+01", 0, 0 },
    { "2026-11-23T09:00:00+1:00", 0, 0 },
    { "2026-11-23T09:00:00+01:00:00", 0, 0 },
    { "2026-11-23T09:00:00 +01:00", 0, 0 },
    { "2026-11-23T09:00:00UTC", 0, 0 },
    { "2026-11-23T09:00:00ZZ", 0, 0 },
    { "2026-11-23T09:00:00Z ", 0, 0 },     /* trailing garbage */
    { "2026-11-23T09:00:00Zx", 0, 0 },
    { "2026-11-23T09:00:00Z\n", 0, 0 },
    { "2026-11-23T09:00:00+01:00x", 0, 0 },
    { "2026-11-23T09:00:00+01:00Z", 0, 0 },
    { " 2026-11-23T09:00:00Z", 0, 0 },
    { "2026-11-23T09:00:00.Z", 0, 0 },     /* empty fraction */
    { "2026-11-23T09:00:00,5Z", 0, 0 },
    { "2026-11-23T09:00:00.5.5Z", 0, 0 },
    { "2026-11-23T09:00:00.aZ", 0, 0 },
    { "2026-11-23X09:00:00Z", 0, 0 },
    { "2026-11-23_09:00:00Z", 0, 0 },
    { "2026-11-23TT09:00:00Z", 0, 0 },
    { "2026-11-23T9:00:00Z", 0, 0 },
    { "2026-11-23T09:0:00Z", 0, 0 },
    { "2026-11-23T09-00-00Z", 0, 0 },
    { "2026-11-23T0a:00:00Z", 0, 0 },
    { "2026-11-23T09:00:0aZ", 0, 0 },
    { "2026-13-23T09:00:00Z", 0, 0 },      /* date rules apply */
    { "2023-02-29T09:00:00Z", 0, 0 },
    { "2026-11-31T09:00:00Z", 0, 0 },
    { "2026-1-23T09:00:00Z", 0, 0 },
    { "0999-11-23T09:00:00Z", 0, 0 },
};

START_TEST(test_parse_rfc3339)
{
    const struct rfc3339_case *c = &rfc3339_cases[_i];
    time_t t = (time_t)-12345;
    int rc = datetime_parse_rfc3339(c->in, &t);

    if (c->ok) {
        ck_assert_msg(rc == 0, "case %d \"%s\": refused", _i, c->in);
        ck_assert_msg((long long)t == c->epoch, "case %d \"%s\": got %lld, want %lld", _i, c->in,
                      (long long)t, c->epoch);
    } else {
        ck_assert_msg(rc == -1, "case %d \"%s\": accepted as %lld", _i, c->in, (long long)t);
    }
}
END_TEST

Suite *
datetime_suite(void)
{
    Suite *s = suite_create("datetime");
    TCase *tc;

    tc = tcase_create("civil_known");
    tcase_add_loop_test(tc, test_civil_known, 0, N(civil_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("civil_walk");
    tcase_add_test(tc, test_civil_walk);
    tcase_add_test(tc, test_civil_far);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_date");
    tcase_add_loop_test(tc, test_parse_date, 0, N(date_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("parse_rfc3339");
    tcase_add_loop_test(tc, test_parse_rfc3339, 0, N(rfc3339_cases));
    suite_add_tcase(s, tc);

    return s;
}
