/*
 * test_problem: problem details stay renderable whatever they quote: an
 * invalid UTF-8 byte (a path segment) or a character cut by the detail's
 * length limit becomes '?', and problem_to_json always has type, title,
 * status and detail (tests/fuzz found a 404 rendered without a body).
 * Field errors are 400 validation, unless every one is a value that
 * cannot be true: then 422 implausible.
 */
#include <check.h>
#include <string.h>

#include "jsonx.h"
#include "problem.h"
#include "unit_suites.h"

static void
assert_renders(const struct problem *p)
{
    json_t *o = problem_to_json(p);

    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_nonnull(json_object_get(o, "type"));
    ck_assert_ptr_nonnull(json_object_get(o, "title"));
    ck_assert_ptr_nonnull(json_object_get(o, "status"));
    ck_assert_str_eq(json_string_value(json_object_get(o, "detail")), p->detail);
    json_decref(o);
}

/* Only implausible values: 422; any other field error among them: 400 with every error. */
START_TEST(implausible_alone_is_422_mixed_is_400)
{
    struct problem p = { 0 };

    ck_assert_int_eq(jsonx_fail_fields(&p, 0), 0);
    problem_add_implausible(&p, "birthday", "is too early: must be %d-01-01 or later", 1900);
    ck_assert_int_eq(jsonx_fail_fields(&p, 0), -1);
    ck_assert_int_eq(problem_status(p.code), 422);
    ck_assert_str_eq(problem_slug(p.code), "implausible");
    ck_assert_str_eq(p.detail, "1 value cannot be true: see errors");
    problem_add_field(&p, "kind", "is required");
    ck_assert_int_eq(jsonx_fail_fields(&p, 0), -1);
    ck_assert_int_eq(problem_status(p.code), 400);
    ck_assert_str_eq(problem_slug(p.code), "validation");
    ck_assert_int_eq(problem_field_count(&p), 2);
    problem_release(&p);
    ck_assert_uint_eq(p.implausible, 0);
    problem_add_field(&p, "kind", "is required");
    ck_assert_int_eq(jsonx_fail_fields(&p, 0), -1);
    ck_assert_int_eq(problem_status(p.code), 400);
    problem_release(&p);
}
END_TEST

START_TEST(invalid_bytes_become_question_marks)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        { "0\xb0", "0?" },                   /* a lone continuation byte */
        { "\xff\xfe", "??" },                /* never UTF-8 */
        { "\xc0\xaf", "??" },                /* overlong '/' */
        { "\xed\xa0\x80", "???" },           /* a surrogate */
        { "\xf4\x90\x80\x80", "????" },      /* above U+10FFFF */
        { "M\xc3\xbcller \xe2\x82\xac", "M\xc3\xbcller \xe2\x82\xac" }, /* valid: kept */
        { "\xe2\x82", "??" },                /* cut */
    };
    struct problem p = { 0 };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        problem_set(&p, PROBLEM_NOT_FOUND, "no customer with id '%s'", cases[i].in);
        ck_assert_msg(strstr(p.detail, cases[i].want) != NULL, "case %zu: %s", i, p.detail);
        assert_renders(&p);
    }
    problem_release(&p);
}
END_TEST

START_TEST(a_character_cut_at_the_limit_is_replaced)
{
    char text[PROBLEM_DETAIL_MAX * 2] = "";
    struct problem p = { 0 };

    /* "ü" is 2 bytes from offset 0: byte 510, the last one kept, starts one */
    for (size_t i = 0; i + 2 < sizeof text; i += 2)
        memcpy(text + i, "\xc3\xbc", 2);
    problem_set(&p, PROBLEM_VALIDATION, "%s", text);
    ck_assert_uint_eq(strlen(p.detail), PROBLEM_DETAIL_MAX - 1);
    ck_assert_int_eq(p.detail[PROBLEM_DETAIL_MAX - 2], '?');
    assert_renders(&p);
    problem_release(&p);
}
END_TEST

START_TEST(field_errors_keep_invalid_names)
{
    struct problem p = { 0 };
    json_t *o, *e;

    problem_set(&p, PROBLEM_VALIDATION, "1 field is invalid");
    problem_add_field(&p, "name\xff", "is not '%s'", "\xc3");
    o = problem_to_json(&p);
    e = json_array_get(json_object_get(o, "errors"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "field")), "name?");
    ck_assert_str_eq(json_string_value(json_object_get(e, "message")), "is not '?'");
    json_decref(o);
    problem_release(&p);
}
END_TEST

Suite *
problem_suite(void)
{
    Suite *s = suite_create("problem");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, invalid_bytes_become_question_marks);
    tcase_add_test(tc, a_character_cut_at_the_limit_is_replaced);
    tcase_add_test(tc, field_errors_keep_invalid_names);
    tcase_add_test(tc, implausible_alone_is_422_mixed_is_400);
    suite_add_tcase(s, tc);
    return s;
}
