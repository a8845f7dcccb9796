/*
 * test_accesslog: the access log's JSON line (accesslog_format): the exact
 * shape, millisecond UTC time, key_id null without a key, escaping of
 * quotes, backslashes and control characters, and lines that stay one
 * valid JSON line however long the fields or small the buffer.
 */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "accesslog.h"
#include "unit_suites.h"

static const struct accesslog_entry plain = {
    .request_id = "6f1c2b1e-8d4e-4c8a-9d7e-2b3c4d5e6f70",
    .method = "GET",
    .route = "/v1/customers/{id}",
    .status = 200,
    .duration_us = 405,
    .bytes = 31,
    .key_id = "53bf0c1e",
    .remote = "127.0.0.1",
};

/* Format e into a large buffer, check it is one JSON line, return it parsed. */
static json_t *
parse_line(const struct accesslog_entry *e, char *out, size_t n)
{
    size_t len = accesslog_format(e, 1700000000123LL, out, n);
    json_error_t err;
    json_t *j;

    ck_assert_uint_eq(len, strlen(out));
    ck_assert_uint_gt(len, 1);
    ck_assert_int_eq(out[len - 1], '\n');
    ck_assert_ptr_null(memchr(out, '\n', len - 1));
    j = json_loadb(out, len, 0, &err);
    ck_assert_msg(j != NULL, "not JSON: %s (%s)", out, err.text);
    return j;
}

START_TEST(exact_line)
{
    char out[768];
    size_t len = accesslog_format(&plain, 1700000000123LL, out, sizeof out);
    const char *want =
        "{\"time\":\"2023-11-14T22:13:20.123Z\",\"request_id\":\"6f1c2b1e-8d4e-4c8a-9d7e-"
        "2b3c4d5e6f70\",\"method\":\"GET\",\"route\":\"/v1/customers/{id}\",\"status\":200,"
        "\"duration_us\":405,\"bytes\":31,\"key_id\":\"53bf0c1e\",\"remote\":\"127.0.0.1\"}\n";

    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(len, strlen(want));
}
END_TEST

START_TEST(milliseconds_padded)
{
    char out[768];

    accesslog_format(&plain, 1700000000007LL, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "\"time\":\"2023-11-14T22:13:20.007Z\""));
    accesslog_format(&plain, 0, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "\"time\":\"1970-01-01T00:00:00.000Z\""));
}
END_TEST

START_TEST(no_key_is_null)
{
    struct accesslog_entry e = plain;
    char out[768];
    json_t *j;

    e.key_id = "";
    e.status = 0; /* the client left before the answer */
    j = parse_line(&e, out, sizeof out);
    ck_assert(json_is_null(json_object_get(j, "key_id")));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "status")), 0);
    ck_assert_uint_eq(json_object_size(j), 9);
    json_decref(j);
}
END_TEST

START_TEST(escapes)
{
    struct accesslog_entry e = plain;
    char out[768];
    json_t *j;

    e.request_id = "a\"b\\c\nd\te\x01"
                   "f";
    e.route = "-";
    e.remote = "::1";
    e.method = "Ünïcode"; /* UTF-8 passes through */
    j = parse_line(&e, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "a\\\"b\\\\c\\u000ad\\u0009e\\u0001f"));
    ck_assert_str_eq(json_string_value(json_object_get(j, "request_id")), "a\"b\\c\nd\te\x01"
                                                                          "f");
    ck_assert_str_eq(json_string_value(json_object_get(j, "method")), "Ünïcode");
    ck_assert_str_eq(json_string_value(json_object_get(j, "remote")), "::1");
    json_decref(j);
}
END_TEST

START_TEST(long_fields_are_cut_whole)
{
    struct accesslog_entry e = plain;
    char id[1000], route[600], out[768];
    json_t *j;
    const char *got;

    memset(id, '\x01', sizeof id - 1); /* each becomes \u0001: cut between escapes, never inside */
    id[sizeof id - 1] = '\0';
    memset(route, '"', sizeof route - 1);
    route[sizeof route - 1] = '\0';
    e.request_id = id;
    e.route = route;
    j = parse_line(&e, out, sizeof out);
    got = json_string_value(json_object_get(j, "request_id"));
    ck_assert_uint_gt(strlen(got), 10);
    ck_assert_uint_lt(strlen(got), 160);
    ck_assert_uint_eq(strspn(got, "\x01"), strlen(got));
    got = json_string_value(json_object_get(j, "route"));
    ck_assert_uint_eq(strspn(got, "\""), strlen(got));
    json_decref(j);
}
END_TEST

START_TEST(small_buffer_keeps_a_line)
{
    char out[32];
    size_t len = accesslog_format(&plain, 1700000000123LL, out, sizeof out);

    ck_assert_uint_eq(len, sizeof out - 1);
    ck_assert_uint_eq(strlen(out), len);
    ck_assert_int_eq(out[len - 1], '\n');
}
END_TEST

Suite *
accesslog_suite(void)
{
    Suite *s = suite_create("accesslog");
    TCase *tc = tcase_create("format");

    tcase_add_test(tc, exact_line);
    tcase_add_test(tc, milliseconds_padded);
    tcase_add_test(tc, no_key_is_null);
    tcase_add_test(tc, escapes);
    tcase_add_test(tc, long_fields_are_cut_whole);
    tcase_add_test(tc, small_buffer_keeps_a_line);
    suite_add_tcase(s, tc);
    return s;
}
