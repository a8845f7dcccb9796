/*
 * period: calendar periods of the desk's local time (months from the 1st,
 * ISO weeks from Monday, days; each from local midnight, so a day lasts 23,
 * 24 or 25 hours) as UTC instants, and ranges cut into them. No I/O; the
 * zone is the process's TZ (set once at start, before threads), read through
 * localtime_r and mktime. What a range may hold is the caller's policy.
 */
#ifndef CRMD_PERIOD_H
#define CRMD_PERIOD_H

#include <stddef.h>
#include <time.h>

enum period_unit { PERIOD_MONTH, PERIOD_WEEK, PERIOD_DAY };

#define PERIOD_UNITS "month, week, day" /* the names period_parse accepts */
#define PERIOD_LOCAL_LEN 25             /* "2026-01-01T00:00:00+01:00" */

/* "month", "week" or "day" into *out; -1 for anything else. */
int period_parse(const char *s, enum period_unit *out);

/* The name of u ("month"). */
const char *period_name(enum period_unit u);

/* Start of the period of unit u holding instant t: its first instant. */
time_t period_start(enum period_unit u, time_t t);

/* Start of the period after the one holding t (the end of t's period). */
time_t period_next(enum period_unit u, time_t t);

/*
 * t as RFC 3339 in local time with its offset ("2026-03-29T00:00:00+01:00").
 * An offset that is not whole minutes (local mean time, before 1893 in
 * Berlin) cannot be written so: t is then given in UTC ("…Z").
 */
void period_format_local(time_t t, char out[PERIOD_LOCAL_LEN + 1]);

/* A range of periods: what was asked for and, after period_range_cut, what it became. */
struct period_range {
    enum period_unit unit;
    int has_from, has_to; /* from / to were given */
    time_t from, to;      /* in: as given; out: the range covered, whole periods */
    size_t fallback;      /* periods covered without from */
    size_t max;           /* most periods allowed */
    size_t n;             /* out: periods covered */
};

enum period_cut {
    PERIOD_OK = 0,
    PERIOD_TOO_MANY,     /* more than max periods */
    PERIOD_FROM_LATE,    /* without to: from lies after the period holding now */
    PERIOD_OUT_OF_RANGE, /* a boundary before the year 1000 or after 9999, local time */
};

/*
 * Cut r into whole periods: from rounds down to the start of its period,
 * to up to the first period start at or after it. Without to, the range
 * ends with the period holding now; without from, it covers the fallback
 * periods before its end. Fills bounds (max + 1 instants) with the n
 * period starts, oldest first, and the end of the last: bounds[0] =
 * r->from, bounds[n] = r->to. Anything but PERIOD_OK leaves bounds and
 * r's outputs unspecified.
 */
enum period_cut period_range_cut(struct period_range *r, time_t now, time_t *bounds);

#endif
