/*
 * datetime: strict parsing of calendar dates (YYYY-MM-DD) and RFC 3339
 * timestamps, and civil-date arithmetic. Pure, no locale, no time zone
 * database: timestamps are normalised to UTC.
 */
#ifndef CRMD_DATETIME_H
#define CRMD_DATETIME_H

#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (may be negative). */
long datetime_days_from_civil(int y, int m, int d);

/* Inverse of datetime_days_from_civil. */
void datetime_civil_from_days(long days, int *y, int *m, int *d);

/* Write the date of a day number as "YYYY-MM-DD" (years 0..9999); out holds 11 bytes. */
void datetime_format_date(long days, char out[11]);

/*
 * Parse "YYYY-MM-DD" (a real calendar date, years 1000..9999).
 * Returns 0 and fills y/m/d, or -1.
 */
int datetime_parse_date(const char *s, int *y, int *m, int *d);

/*
 * Parse an RFC 3339 timestamp "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)"
 * ('t' and ' ' accepted for 'T', 'z' for 'Z'); fractions are truncated.
 * Returns 0 with *out in epoch seconds, or -1.
 */
int datetime_parse_rfc3339(const char *s, time_t *out);

#endif
