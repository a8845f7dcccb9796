/*
 * Unit tests for server/merge_rules.c: the stricter consent per channel
 * and the field-by-field merge of two customer representations.
 */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "merge_rules.h"

Suite *merge_rules_suite(void);

struct consent_case {
    const char *a, *b; /* JSON or NULL */
    char want;         /* 'a', 'b' or '0' (NULL) */
};

static const struct consent_case consent_cases[] = {
    { "{\"status\":\"withdrawn\",\"at\":\"2020-01-01T00:00:00Z\"}",
      "{\"status\":\"granted\",\"at\":\"2025-01-01T00:00:00Z\"}", 'a' },
    { "{\"status\":\"granted\",\"at\":\"2025-01-01T00:00:00Z\"}",
      "{\"status\":\"withdrawn\",\"at\":\"2020-01-01T00:00:00Z\"}", 'b' },
    { NULL, "{\"status\":\"granted\",\"at\":\"2025-01-01T00:00:00Z\"}", 'b' },
    { "{\"status\":\"granted\",\"at\":\"2025-01-01T00:00:00Z\"}", NULL, 'a' },
    /* same status: the later statement */
    { "{\"status\":\"granted\",\"at\":\"2021-01-01T00:00:00Z\"}",
      "{\"status\":\"granted\",\"at\":\"2024-01-01T00:00:00Z\"}", 'b' },
    { "{\"status\":\"withdrawn\",\"at\":\"2024-01-01T00:00:00Z\"}",
      "{\"status\":\"withdrawn\",\"at\":\"2021-01-01T00:00:00Z\"}", 'a' },
    { NULL, NULL, '0' },
};

START_TEST(stricter_consent_wins)
{
    const struct consent_case *c = &consent_cases[_i];
    json_t *a = c->a ? json_loads(c->a, 0, NULL) : NULL;
    json_t *b = c->b ? json_loads(c->b, 0, NULL) : NULL;
    const json_t *got = merge_rules_consent(a, b);

    ck_assert_ptr_eq(got, c->want == 'a' ? a : c->want == 'b' ? b : NULL);
    json_decref(a);
    json_decref(b);
}
END_TEST

static json_t *
load(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(j);
    return j;
}

START_TEST(survivor_wins_gaps_are_filled)
{
    json_t *s = load("{\"id\":\"s\",\"kind\":\"person\",\"given_name\":\"Max\",\"family_name\":\"Muster\","
                     "\"emails\":[{\"address\":\"Max@Example.com\"}],\"do_not_contact\":false,"
                     "\"preferences\":{\"drink\":\"tea\"},\"notes\":\"one\"}");
    json_t *o = load("{\"id\":\"o\",\"kind\":\"person\",\"given_name\":\"Maximilian\",\"birthday\":\"1975-03-04\","
                     "\"emails\":[{\"address\":\"max@example.com\"},{\"address\":\"m@example.org\",\"label\":\"work\"}],"
                     "\"phones\":[{\"number\":\"0170 1\",\"e164\":\"+491701\"}],\"do_not_contact\":true,"
                     "\"preferences\":{\"drink\":\"coffee\",\"car\":\"estate\"},\"notes\":\"two\","
                     "\"external_refs\":[{\"system\":\"dms\",\"id\":\"1\"}]}");
    json_t *sum = json_object();
    json_t *m = merge_rules_customer(s, o, sum);

    ck_assert_str_eq(json_string_value(json_object_get(m, "given_name")), "Max");
    ck_assert_str_eq(json_string_value(json_object_get(m, "birthday")), "1975-03-04");
    ck_assert_int_eq(json_array_size(json_object_get(m, "emails")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(m, "emails"), 1), "label")),
                     "work");
    ck_assert_int_eq(json_array_size(json_object_get(m, "phones")), 1);
    ck_assert(json_is_true(json_object_get(m, "do_not_contact")));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "preferences"), "drink")), "tea");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "preferences"), "car")), "estate");
    ck_assert_str_eq(json_string_value(json_object_get(m, "notes")), "one\n\ntwo");
    ck_assert_int_eq(json_array_size(json_object_get(m, "external_refs")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "emails_added")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "phones_added")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "external_refs_added")), 1);
    ck_assert_int_eq(json_array_size(json_object_get(sum, "fields_filled")), 1);
    /* the inputs are untouched */
    ck_assert_ptr_null(json_object_get(s, "birthday"));
    json_decref(m);
    json_decref(sum);
    json_decref(s);
    json_decref(o);
}
END_TEST

START_TEST(consents_merge_per_channel)
{
    json_t *s = load("{\"consents\":{\"email\":{\"status\":\"granted\",\"at\":\"2024-01-01T00:00:00Z\"},"
                     "\"sms\":{\"status\":\"withdrawn\",\"at\":\"2020-01-01T00:00:00Z\"}}}");
    json_t *o = load("{\"consents\":{\"email\":{\"status\":\"withdrawn\",\"at\":\"2023-01-01T00:00:00Z\"},"
                     "\"sms\":{\"status\":\"granted\",\"at\":\"2025-01-01T00:00:00Z\"},"
                     "\"post\":{\"status\":\"granted\",\"at\":\"2025-01-01T00:00:00Z\"}}}");
    json_t *sum = json_object();
    json_t *m = merge_rules_customer(s, o, sum), *c = json_object_get(m, "consents");

    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(c, "email"), "status")), "withdrawn");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(c, "sms"), "status")), "withdrawn");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(c, "post"), "status")), "granted");
    ck_assert_int_eq(json_array_size(json_object_get(sum, "consents_changed")), 2);
    ck_assert(json_is_false(json_object_get(m, "do_not_contact")));
    json_decref(m);
    json_decref(sum);
    json_decref(s);
    json_decref(o);
}
END_TEST

START_TEST(identical_notes_are_kept_once)
{
    json_t *s = load("{\"notes\":\"same\"}"), *o = load("{\"notes\":\"same\"}"), *sum = json_object();
    json_t *m = merge_rules_customer(s, o, sum);

    ck_assert_str_eq(json_string_value(json_object_get(m, "notes")), "same");
    ck_assert_ptr_null(json_object_get(m, "emails"));
    json_decref(m);
    json_decref(sum);
    json_decref(s);
    json_decref(o);
}
END_TEST

Suite *
merge_rules_suite(void)
{
    Suite *s = suite_create("merge_rules");
    TCase *tc = tcase_create("consent");

    tcase_add_loop_test(tc, stricter_consent_wins, 0, (int)(sizeof consent_cases / sizeof consent_cases[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("customer");
    tcase_add_test(tc, survivor_wins_gaps_are_filled);
    tcase_add_test(tc, consents_merge_per_channel);
    tcase_add_test(tc, identical_notes_are_kept_once);
    suite_add_tcase(s, tc);
    return s;
}
