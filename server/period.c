/*
 * period: local calendar periods by mktime and localtime_r, checked
 * against what the clock shows, so that a midnight skipped or repeated by a
 * DST change still gives the first instant of the day.
 */
#include "period.h"

#include <stdio.h>
#include <string.h>

#include "datetime.h"

static const char *const names[] = { [PERIOD_MONTH] = "month",
                                     [PERIOD_WEEK] = "week",
                                     [PERIOD_DAY] = "day" };

int
period_parse(const char *s, enum period_unit *out)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum period_unit)i;
            return 0;
        }
    }
    return -1;
}

const char *
period_name(enum period_unit u)
{
    return names[u];
}

/* The local date of t as a day number; *tm its local time, *secs the seconds shown since 00:00. */
static long
local_day(time_t t, struct tm *tm, long *secs)
{
    localtime_r(&t, tm);
    *secs = tm->tm_hour * 3600L + tm->tm_min * 60L + tm->tm_sec;
    return datetime_days_from_civil(tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday);
}

/* The first instant whose local date is day (a day number). */
static time_t
day_start(long day)
{
    struct tm tm = { 0 }, lt;
    int y, m, d;
    long secs;
    time_t t;

    datetime_civil_from_days(day, &y, &m, &d);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    /* midnight skipped (clocks forward at 00:00): mktime may answer in the day before; the day
     * begins where the gap ends */
    if (local_day(t, &lt, &secs) < day)
        t += 86400 - secs;
    /* midnight shown twice (clocks back to 00:00): mktime may pick the second one */
    while (local_day(t - 1, &lt, &secs) == day)
        t -= secs + 1;
    return t;
}

/* Monday = 0 .. Sunday = 6 of day number day (1970-01-01 was a Thursday). */
static long
iso_weekday(long day)
{
    return ((day % 7) + 7 + 3) % 7;
}

time_t
period_start(enum period_unit u, time_t t)
{
    struct tm tm;
    long secs, day = local_day(t, &tm, &secs);

    switch (u) {
    case PERIOD_MONTH:
        return day_start(day - (tm.tm_mday - 1));
    case PERIOD_WEEK:
        return day_start(day - iso_weekday(day));
    case PERIOD_DAY:
        break;
    }
    return day_start(day);
}

time_t
period_next(enum period_unit u, time_t t)
{
    struct tm tm;
    long secs, day = local_day(t, &tm, &secs);

    switch (u) {
    case PERIOD_MONTH:
        return day_start(tm.tm_mon == 11
                             ? datetime_days_from_civil(tm.tm_year + 1900 + 1, 1, 1)
                             : datetime_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 2, 1));
    case PERIOD_WEEK:
        return day_start(day - iso_weekday(day) + 7);
    case PERIOD_DAY:
        break;
    }
    return day_start(day + 1);
}

void
period_format_local(time_t t, char out[PERIOD_LOCAL_LEN + 1])
{
    struct tm tm;
    long secs, day = local_day(t, &tm, &secs);
    long long off = (long long)day * 86400 + secs - (long long)t;
    unsigned aoff = (unsigned)(off < 0 ? -off : off) / 60u;

    if (off % 60 != 0) {
        gmtime_r(&t, &tm);
        strftime(out, PERIOD_LOCAL_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return;
    }
    snprintf(out, PERIOD_LOCAL_LEN + 1, "%04u-%02u-%02uT%02u:%02u:%02u%c%02u:%02u",
             (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
             (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
             (unsigned)tm.tm_sec % 100u, off < 0 ? '-' : '+', aoff / 60u % 100u, aoff % 60u);
}

/* The local year of t lies in 1000..9999 (what RFC 3339 and the stored text can say). */
static int
in_range(time_t t)
{
    struct tm tm;

    localtime_r(&t, &tm);
    return tm.tm_year + 1900 >= 1000 && tm.tm_year + 1900 <= 9999;
}

enum period_cut
period_range_cut(struct period_range *r, time_t now, time_t *bounds)
{
    enum period_unit u = r->unit;
    time_t start, end;
    size_t n = 0;

    if (r->has_to)
        end = period_start(u, r->to) == r->to ? r->to : period_next(u, r->to);
    else
        end = period_next(u, now);
    if (r->has_from) {
        start = period_start(u, r->from);
        if (start >= end)
            return PERIOD_FROM_LATE;
    } else {
        start = end;
        for (size_t i = 0; i < r->fallback; i++)
            start = period_start(u, start - 1);
    }
    if (!in_range(start) || !in_range(end))
        return PERIOD_OUT_OF_RANGE;
    bounds[0] = start;
    while (bounds[n] < end) {
        if (n == r->max)
            return PERIOD_TOO_MANY;
        bounds[n + 1] = period_next(u, bounds[n]);
        n++;
    }
    r->from = start;
    r->to = end;
    r->n = n;
    return PERIOD_OK;
}
