/*
 * test_etag: entity-tag lists of If-Match / If-None-Match against a
 * current tag (strong and weak comparison, "*", malformed values), the
 * 400/412 problems of the preconditions, ETag formats of the models, and
 * Idempotency-Key syntax.
 */
#include <check.h>
#include <string.h>

#include "etag.h"
#include "idempotency.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define M ETAG_MATCH
#define NO ETAG_NO_MATCH
#define BAD ETAG_MALFORMED

struct list_case {
    const char *header;
    const char *etag;
    int strong_want; /* If-Match */
    int weak_want;   /* If-None-Match */
};

static const struct list_case list_cases[] = {
    { "\"v3\"", "\"v3\"", M, M },
    { "\"v3\"", "\"v4\"", NO, NO },
    { "\"v3\"", "\"v3.0123456789abcdef\"", NO, NO },
    { "\"v3.0123456789abcdef\"", "\"v3.0123456789abcdef\"", M, M },
    { "W/\"v3\"", "\"v3\"", NO, M },
    { "W/\"v2\"", "\"v3\"", NO, NO },
    { "*", "\"v3\"", M, M },
    { "  *  ", "\"v3\"", M, M },
    { "\"v1\", \"v2\", \"v3\"", "\"v3\"", M, M },
    { "\"v1\",\"v3\"", "\"v3\"", M, M },
    { "\"v1\" ,\t\"v2\"", "\"v3\"", NO, NO },
    { "W/\"v1\", W/\"v3\"", "\"v3\"", NO, M },
    { ", , \"v3\" ,", "\"v3\"", M, M }, /* empty list elements are allowed */
    { "\"\"", "\"v3\"", NO, NO },
    { "\"V3\"", "\"v3\"", NO, NO }, /* case matters */
    { "\"v3 \"", "\"v3\"", BAD, BAD },
    { "", "\"v3\"", BAD, BAD },
    { "   ", "\"v3\"", BAD, BAD },
    { ",", "\"v3\"", BAD, BAD },
    { "v3", "\"v3\"", BAD, BAD },
    { "\"v3", "\"v3\"", BAD, BAD },
    { "v3\"", "\"v3\"", BAD, BAD },
    { "\"v3\"\"v4\"", "\"v3\"", BAD, BAD },
    { "\"v3\" \"v4\"", "\"v3\"", BAD, BAD },
    { "\"v3\";q=1", "\"v3\"", BAD, BAD },
    { "w/\"v3\"", "\"v3\"", BAD, BAD },
    { "W/ \"v3\"", "\"v3\"", BAD, BAD },
    { "W\"v3\"", "\"v3\"", BAD, BAD },
    { "*, \"v3\"", "\"v3\"", BAD, BAD },
    { "\"v3\", *", "\"v3\"", BAD, BAD },
    { "**", "\"v3\"", BAD, BAD },
    { "\"v\x01\"", "\"v3\"", BAD, BAD },
    { "\"v\x7f\"", "\"v3\"", BAD, BAD },
    { "\"v\xc3\xa4\"", "\"v\xc3\xa4\"", M, M }, /* obs-text */
};

START_TEST(test_list_match)
{
    const struct list_case *c = &list_cases[_i];
    int strong = etag_list_match(c->header, c->etag, 0);
    int weak = etag_list_match(c->header, c->etag, 1);

    ck_assert_msg(strong == c->strong_want, "If-Match '%s' vs %s: %d, want %d", c->header,
                  c->etag, strong, c->strong_want);
    ck_assert_msg(weak == c->weak_want, "If-None-Match '%s' vs %s: %d, want %d", c->header,
                  c->etag, weak, c->weak_want);
}
END_TEST

struct precondition_case {
    const char *header; /* NULL = absent */
    int if_match_rc;    /* etag_check_if_match */
    enum problem_code if_match_code;
    int if_none_match_rc; /* etag_check_if_none_match */
};

static const struct precondition_case precondition_cases[] = {
    { NULL, 0, PROBLEM_NONE, 0 },
    { "\"v7\"", 0, PROBLEM_NONE, 1 },
    { "*", 0, PROBLEM_NONE, 1 },
    { "\"v6\"", -1, PROBLEM_PRECONDITION_FAILED, 0 },
    { "W/\"v7\"", -1, PROBLEM_PRECONDITION_FAILED, 1 },
    { "v7", -1, PROBLEM_BAD_REQUEST, -1 },
    { "", -1, PROBLEM_BAD_REQUEST, -1 },
};

START_TEST(test_preconditions)
{
    const struct precondition_case *c = &precondition_cases[_i];
    struct problem p = { 0 }, q = { 0 };
    int rc = etag_check_if_match(c->header, "\"v7\"", 7, "vehicle", &p);

    ck_assert_int_eq(rc, c->if_match_rc);
    ck_assert_int_eq(p.code, c->if_match_code);
    if (c->if_match_code == PROBLEM_PRECONDITION_FAILED) {
        json_t *o = problem_to_json(&p);
        ck_assert_int_eq(json_integer_value(json_object_get(o, "status")), 412);
        ck_assert_int_eq(json_integer_value(json_object_get(o, "current_version")), 7);
        ck_assert_str_eq(json_string_value(json_object_get(o, "current_etag")), "\"v7\"");
        ck_assert_str_eq(json_string_value(json_object_get(o, "type")),
                         "urn:crmd:problem:precondition-failed");
        ck_assert_ptr_nonnull(strstr(p.detail, "vehicle"));
        json_decref(o);
    } else {
        ck_assert_ptr_null(p.extra);
    }
    ck_assert_int_eq(etag_check_if_none_match(c->header, "\"v7\"", &q), c->if_none_match_rc);
    ck_assert_int_eq(q.code, c->if_none_match_rc < 0 ? PROBLEM_BAD_REQUEST : PROBLEM_NONE);
    problem_release(&p);
    problem_release(&q);
}
END_TEST

/* Models without computed members: "v<version>". */
START_TEST(test_etag_plain)
{
    char e[ETAG_MAX + 1];
    json_t *doc = json_pack("{s:I, s:s}", "version", (json_int_t)3, "make", "VW");

    etag_of(&model_vehicle, doc, e);
    ck_assert_str_eq(e, "\"v3\"");
    json_object_set_new(doc, "version", json_integer(9223372036854775807LL));
    etag_of(&model_touchpoint, doc, e);
    ck_assert_str_eq(e, "\"v9223372036854775807\"");
    json_decref(doc);
}
END_TEST

/* Computed members: "v<version>.<16 hex>", the suffix following them alone. */
START_TEST(test_etag_computed)
{
    char a[ETAG_MAX + 1], b[ETAG_MAX + 1], c[ETAG_MAX + 1], d[ETAG_MAX + 1];
    json_t *doc = json_pack("{s:I, s:s, s:n}", "version", (json_int_t)2, "family_name", "Kern",
                            "household");

    etag_of(&model_customer, doc, a);
    ck_assert_uint_eq(strlen(a), strlen("\"v2.\"") + 16);
    ck_assert_int_eq(strncmp(a, "\"v2.", 4), 0);
    ck_assert_uint_eq(strspn(a + 4, "0123456789abcdef"), 16);
    json_object_set_new(doc, "family_name", json_string("Other")); /* stored field: version's job */
    etag_of(&model_customer, doc, b);
    ck_assert_str_eq(a, b);
    json_object_set_new(doc, "household", json_pack("{s:s, s:s}", "id", "h1", "role", "head"));
    etag_of(&model_customer, doc, c);
    ck_assert_str_ne(a, c);
    ck_assert_int_eq(strncmp(c, "\"v2.", 4), 0);
    json_object_set_new(doc, "household", json_pack("{s:s, s:s}", "role", "head", "id", "h1"));
    etag_of(&model_customer, doc, d); /* member order does not matter */
    ck_assert_str_eq(c, d);
    ck_assert_int_eq(etag_list_match(c, c, 0), ETAG_MATCH);
    json_decref(doc);
}
END_TEST

struct key_case {
    const char *key;
    int valid;
};

static char long_key[IDEMPOTENCY_KEY_MAX + 2];
static char max_key[IDEMPOTENCY_KEY_MAX + 1];

static const struct key_case key_cases[] = {
    { "a", 1 },
    { "7f3c2a9e-5b1d-4e8a-9c0f-2d4b6a8e1f3c", 1 },
    { "order 42 / retry", 1 },
    { "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./", 1 },
    { max_key, 1 },
    { "", 0 },
    { long_key, 0 },
    { "tab\there", 0 },
    { "new\nline", 0 },
    { "del\x7f", 0 },
    { "umlaut-\xc3\xa4", 0 },
};

START_TEST(test_key_syntax)
{
    memset(max_key, 'k', IDEMPOTENCY_KEY_MAX);
    memset(long_key, 'k', IDEMPOTENCY_KEY_MAX + 1);
    ck_assert_msg(idempotency_key_valid(key_cases[_i].key) == key_cases[_i].valid,
                  "key '%.40s' (%zu bytes): want %d", key_cases[_i].key, strlen(key_cases[_i].key),
                  key_cases[_i].valid);
}
END_TEST

Suite *
etag_suite(void)
{
    Suite *s = suite_create("etag");
    TCase *tc;

    tc = tcase_create("list_match");
    tcase_add_loop_test(tc, test_list_match, 0, N(list_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("preconditions");
    tcase_add_loop_test(tc, test_preconditions, 0, N(precondition_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("format");
    tcase_add_test(tc, test_etag_plain);
    tcase_add_test(tc, test_etag_computed);
    suite_add_tcase(s, tc);

    tc = tcase_create("idempotency_key");
    tcase_add_loop_test(tc, test_key_syntax, 0, N(key_cases));
    suite_add_tcase(s, tc);
    return s;
}
