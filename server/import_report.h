/*
 * import_report: the report of one POST /v1/import in bounded memory. The
 * outcomes of lines that worked are kept (16 + 37 bytes a line, not with
 * report=errors); of the lines that failed only the first IMPORT_REPORT_ERRORS
 * by line number keep their problem, the rest are counted by kind of error.
 */
#ifndef CRMD_IMPORT_REPORT_H
#define CRMD_IMPORT_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "problem.h"
#include "util.h"

#define IMPORT_REPORT_ERRORS 100 /* failed lines reported with their problem */
#define IMPORT_REPORT_FIELDS 20  /* entries of a reported problem's errors[] */
#define IMPORT_REPORT_TEXT 200   /* bytes of a field name or message in them */
#define IMPORT_REPORT_GROUPS 50  /* kinds of error (problem type and field) counted apart */
#define IMPORT_REPORT_FIELD 64   /* bytes of a field name that tells kinds apart */

/* A line's outcome, in the order of enum resource_outcome, then the error. */
enum import_outcome { IMPORT_CREATED, IMPORT_UPDATED, IMPORT_UNCHANGED, IMPORT_ERROR, IMPORT_NOUTCOMES };

struct import_ok {
    unsigned long line;
    int type; /* enum import_type */
    int outcome;
    char id[UTIL_UUID_LEN + 1];
};

struct import_failed {
    unsigned long line;
    int type;      /* enum import_type, or -1 when unknown */
    json_t *problem;
};

struct import_error_group {
    enum problem_code code;
    char field[IMPORT_REPORT_FIELD + 1]; /* "" = none named (or beyond the groups) */
    unsigned long count, first_line;
};

struct import_report {
    int errors_only; /* report=errors: outcomes of lines that worked are only counted */
    unsigned long counts[IMPORT_NOUTCOMES];
    struct import_ok *ok;
    size_t nok, okcap;
    struct import_failed failed[IMPORT_REPORT_ERRORS]; /* the lowest line numbers so far */
    size_t nfailed;
    struct import_error_group groups[IMPORT_REPORT_GROUPS + PROBLEM_COUNT_];
    size_t ngroups;
};

/* A line that worked: outcome (IMPORT_CREATED .. IMPORT_UNCHANGED) and the record's id. */
void import_report_ok(struct import_report *r, unsigned long line, int type, int outcome,
                      const char *id);

/* A line that failed with p (released here): counted, its problem kept when among the first. */
void import_report_error(struct import_report *r, unsigned long line, int type, struct problem *p);

/* The kept lines by line number, a new array; the problems move into it (once). */
json_t *import_report_items(struct import_report *r);

/* 1 when failed lines are counted but not in items. */
int import_report_truncated(const struct import_report *r);

/* Every error by kind: [{type, field, count, first_line}], most frequent first (new). */
json_t *import_report_error_counts(struct import_report *r);

/* Free what r holds. */
void import_report_release(struct import_report *r);

#endif
