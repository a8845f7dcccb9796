/*
 * test_customers: create, read, list, patch and delete customers over
 * HTTP against a real server.
 */
#include <string.h>

#include "harness.h"
#include "suites.h"

START_TEST(create_and_get_person)
{
    struct reply r;
    const char *id = create_ok("/v1/customers",
                               "{\"kind\":\"person\",\"salutation\":\"Herr\",\"title\":\"Dr.\","
                               "\"given_name\":\"Harry\",\"family_name\":\"Wessling\","
                               "\"phones\":[\"089 1234567\"]}");
    char path[128];

    snprintf(path, sizeof path, "/v1/customers/%s", id);
    http_get(path, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(jstr(&r, "family_name"), "Wessling");
    ck_assert_str_eq(jstr(&r, "language"), "de");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "phones"), 0), "e164")),
                     "+49891234567");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    reply_free(&r);
}
END_TEST

START_TEST(unknown_field_is_refused_and_nothing_written)
{
    struct reply r;

    http_json("POST", "/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Nobody\",\"bogus\":1}", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "bogus");
    reply_free(&r);
    http_get("/v1/customers?family_name=Nobody", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    reply_free(&r);
}
END_TEST

Suite *
customers_suite(void)
{
    Suite *s = suite_create("customers");
    TCase *tc = tcase_create("crud");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_and_get_person);
    tcase_add_test(tc, unknown_field_is_refused_and_nothing_written);
    suite_add_tcase(s, tc);
    return s;
}
