/*
 * test_import_report: the bounded import report. The failed lines kept are
 * the lowest line numbers whatever order they fail in, kinds past the 50th
 * count without their field, and a kept problem's errors[] are cut to 20
 * entries of 200 bytes at a character boundary.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_report.h"
#include "unit_suites.h"

static void
fail_line(struct import_report *r, unsigned long line, const char *field)
{
    struct problem p = { 0 };

    problem_set(&p, PROBLEM_VALIDATION, "line %lu", line);
    if (field)
        problem_add_field(&p, field, "is wrong");
    import_report_error(r, line, 0, &p);
}

START_TEST(keeps_the_lowest_lines)
{
    struct import_report r = { 0 };
    json_t *items;

    for (unsigned long line = 300; line > 100; line--) /* the highest first */
        fail_line(&r, line, "a");
    for (unsigned long line = 1; line <= 50; line++)
        fail_line(&r, line, "b");
    import_report_ok(&r, 400, 0, IMPORT_CREATED, "00000000-0000-0000-0000-000000000000");
    items = import_report_items(&r);
    ck_assert_uint_eq(json_array_size(items), IMPORT_REPORT_ERRORS + 1);
    for (size_t i = 0; i < 50; i++)
        ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, i), "line")),
                         (json_int_t)i + 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 99), "line")), 150);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 100), "line")), 400);
    ck_assert_int_eq(r.counts[IMPORT_ERROR], 250);
    ck_assert(import_report_truncated(&r));
    json_decref(items);
    import_report_release(&r);
}
END_TEST

START_TEST(kinds_past_the_fiftieth_lose_their_field)
{
    struct import_report r = { 0 };
    json_t *counts, *last;
    char field[16];
    long long sum = 0;
    size_t i;

    for (unsigned long line = 1; line <= 200; line++) {
        snprintf(field, sizeof field, "f%lu", line);
        fail_line(&r, line, field);
    }
    fail_line(&r, 201, NULL);
    counts = import_report_error_counts(&r);
    ck_assert_uint_eq(json_array_size(counts), IMPORT_REPORT_GROUPS + 1);
    last = json_array_get(counts, 0); /* 151 without a field: the most frequent */
    ck_assert(json_is_null(json_object_get(last, "field")));
    ck_assert_int_eq(json_integer_value(json_object_get(last, "count")), 151);
    ck_assert_int_eq(json_integer_value(json_object_get(last, "first_line")), 51);
    json_array_foreach(counts, i, last)
    {
        sum += json_integer_value(json_object_get(last, "count"));
    }
    ck_assert_int_eq(sum, 201);
    json_decref(counts);
    import_report_release(&r);
}
END_TEST

START_TEST(kept_errors_are_cut)
{
    struct import_report r = { 0 };
    struct problem p = { 0 };
    char name[400];
    json_t *items, *errs;
    const char *f;

    /* 199 'a' then 'ü' (2 bytes): a cut at 200 bytes would split it */
    memset(name, 'a', 199);
    strcpy(name + 199, "\xc3\xbc-rest");
    problem_set(&p, PROBLEM_VALIDATION, "many");
    for (int i = 0; i < 30; i++)
        problem_add_field(&p, name, "is not a known field");
    import_report_error(&r, 1, 0, &p);
    items = import_report_items(&r);
    errs = json_object_get(json_object_get(json_array_get(items, 0), "problem"), "errors");
    ck_assert_uint_eq(json_array_size(errs), IMPORT_REPORT_FIELDS);
    f = json_string_value(json_object_get(json_array_get(errs, 0), "field"));
    ck_assert_uint_eq(strlen(f), 199);
    ck_assert(!import_report_truncated(&r));
    json_decref(items);
    import_report_release(&r);
}
END_TEST

Suite *
import_report_suite(void)
{
    Suite *s = suite_create("import_report");
    TCase *tc = tcase_create("import_report");

    tcase_add_test(tc, keeps_the_lowest_lines);
    tcase_add_test(tc, kinds_past_the_fiftieth_lose_their_field);
    tcase_add_test(tc, kept_errors_are_cut);
    suite_add_tcase(s, tc);
    return s;
}
