/*
 * test_errors: the HTTP layer's refusals: bodies that are not one JSON
 * object, size limits (Content-Length and chunked), media types, routing
 * (404, 405 + Allow), HEAD, request ids and bad query text. Every refusal
 * is a problem+json with an X-Request-Id, and nothing gets written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

#define MIB (1024 * 1024)

/* Customers with this family name exist only if a refused write got through. */
static size_t
count_family(const char *name)
{
    char path[256];
    struct reply r;
    size_t n;

    snprintf(path, sizeof path, "/v1/customers?family_name=%s", name);
    http_get(path, &r);
    ck_assert_msg(r.status == 200, "GET %s → %ld: %s", path, r.status, r.body);
    n = json_array_size(json_object_get(r.json, "items"));
    reply_free(&r);
    return n;
}

/* A UUID as the server generates them: 8-4-4-4-12 lower-case hex digits. */
static int
is_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!strchr("0123456789abcdef", s[i])) {
            return 0;
        }
    }
    return 1;
}

/*
 * Requests the server must refuse. name: the family name the body would
 * have created (looked up afterwards), or NULL. detail: a word the
 * problem's detail must contain, or NULL.
 */
static const struct {
    const char *method, *path, *content_type, *body;
    long status;
    const char *slug, *name, *detail;
} refused[] = {
    { "POST", "/v1/customers", NULL, "{\"kind\":\"person\",\"family_name\":\"ErrA\"", 400,
      "malformed-json", "ErrA", NULL },
    { "POST", "/v1/customers", NULL, "{\"kind\":\"person\",\"family_name\":\"ErrB\"} x", 400,
      "malformed-json", "ErrB", NULL },
    { "POST", "/v1/customers", NULL, "", 400, "malformed-json", NULL, "empty" },
    { "POST", "/v1/customers", NULL, "[{\"kind\":\"person\",\"family_name\":\"ErrC\"}]", 400,
      "malformed-json", "ErrC", "object" },
    { "POST", "/v1/customers", NULL, "42", 400, "malformed-json", NULL, NULL },
    { "POST", "/v1/customers", NULL, "\"ErrD\"", 400, "malformed-json", NULL, NULL },
    { "POST", "/v1/customers", NULL, "null", 400, "malformed-json", NULL, NULL },
    { "POST", "/v1/customers", NULL, "{\"kind\":\"person\",\"family_name\":\"Err\xff\xfe\"}", 400,
      "malformed-json", NULL, NULL },
    { "POST", "/v1/customers", NULL,
      "{\"kind\":\"person\",\"family_name\":\"ErrE\",\"given_name\":\"Bad\xc3\x28\"}", 400,
      "malformed-json", "ErrE", NULL },
    { "POST", "/v1/customers", NULL,
      "{\"kind\":\"person\",\"family_name\":\"ErrF\",\"notes\":\"a\\u0000b\"}", 400,
      "malformed-json", "ErrF", NULL },
    { "POST", "/v1/customers", NULL,
      "{\"kind\":\"person\",\"family_name\":\"ErrG\",\"kind\":\"company\",\"company_name\":\"G\"}",
      400, "malformed-json", "ErrG", NULL },
    { "POST", "/v1/vehicles", NULL,
      "{\"make\":\"VW\",\"plate\":\"B X 1\",\"mileage_km\":99999999999999999999999,"
      "\"owner_id\":\"7f1c4c1e-2a7b-4d7e-9a51-000000000001\"}",
      400, "malformed-json", NULL, NULL },
    { "POST", "/v1/customers", NULL, "{\"kind\":\"person\",\"family_name\":\"ErrH\",\"notes\":'x'}",
      400, "malformed-json", "ErrH", NULL },
    { "POST", "/v1/customers", "text/plain", "{\"kind\":\"person\",\"family_name\":\"ErrI\"}", 415,
      "unsupported-media-type", "ErrI", "application/json" },
    { "POST", "/v1/customers", "", "{\"kind\":\"person\",\"family_name\":\"ErrJ\"}", 415,
      "unsupported-media-type", "ErrJ", NULL },
    { "POST", "/v1/customers", "application/merge-patch+json",
      "{\"kind\":\"person\",\"family_name\":\"ErrK\"}", 415, "unsupported-media-type", "ErrK", NULL },
    { "POST", "/v1/customers", "application/jsonx", "{\"kind\":\"person\",\"family_name\":\"ErrL\"}",
      415, "unsupported-media-type", "ErrL", NULL },
    { "POST", "/v1/customers", "application/x-www-form-urlencoded", "kind=person&family_name=ErrM",
      415, "unsupported-media-type", "ErrM", NULL },
    { "POST", "/v1/customers?dry_run=true", NULL, "{\"kind\":\"person\",\"family_name\":\"ErrN\"}", 400,
      "bad-request", "ErrN", "dry_run" },
    { "GET", "/nope", NULL, NULL, 404, "no-route", NULL, NULL },
    { "GET", "/v1", NULL, NULL, 404, "no-route", NULL, NULL },
    { "GET", "/v1/customers/", NULL, NULL, 404, "no-route", NULL, NULL },
    { "GET", "/healthz/", NULL, NULL, 404, "no-route", NULL, NULL },
    { "GET", "//v1/customers", NULL, NULL, 404, "no-route", NULL, NULL },
    { "GET", "/v1/Customers", NULL, NULL, 404, "no-route", NULL, NULL },
    { "POST", "/v1/customers/", NULL, "{\"kind\":\"person\",\"family_name\":\"ErrO\"}", 404,
      "no-route", "ErrO", NULL },
    { "GET", "/v1/customers/not-a-uuid", NULL, NULL, 404, "not-found", NULL, NULL },
    { "DELETE", "/v1/customers", NULL, NULL, 405, "method-not-allowed", NULL, "DELETE" },
    { "GET", "/v1/customers?family_name=%FF", NULL, NULL, 400, "bad-request", NULL, "UTF-8" },
    { "GET", "/v1/customers?family_name=Err%C3", NULL, NULL, 400, "bad-request", NULL, "UTF-8" },
    { "GET", "/v1/customers?%FF=1", NULL, NULL, 400, "bad-request", NULL, "UTF-8" },
    { "GET", "/v1/customers?family_name=a%01b", NULL, NULL, 400, "bad-request", NULL, NULL },
    { "GET", "/v1/customers?family_name=Err%00x", NULL, NULL, 400, "bad-request", NULL, "control" },
    { "GET", "/v1/customers?family_name%00x=Err", NULL, NULL, 400, "bad-request", NULL, "control" },
    { "GET", "/v1/customers?limit=abc", NULL, NULL, 400, "bad-request", NULL, "limit" },
    { "GET", "/healthz?verbose=1", NULL, NULL, 400, "bad-request", NULL, "verbose" },
    { "GET", "/readyz?x=%FF", NULL, NULL, 400, "bad-request", NULL, "UTF-8" },
};

START_TEST(refused_request)
{
    struct reply r;

    http(refused[_i].method, refused[_i].path, refused[_i].content_type, refused[_i].body, NULL, &r);
    assert_problem(&r, refused[_i].status, refused[_i].slug);
    ck_assert_msg(is_uuid(r.request_id), "X-Request-Id '%s'", r.request_id ? r.request_id : "(none)");
    if (refused[_i].detail)
        ck_assert_msg(strstr(jstr(&r, "detail"), refused[_i].detail) != NULL, "detail '%s' lacks '%s'",
                      jstr(&r, "detail"), refused[_i].detail);
    ck_assert_ptr_null(r.location);
    reply_free(&r);
    if (refused[_i].name)
        ck_assert_int_eq(count_family(refused[_i].name), 0);
}
END_TEST

/* The control for the lookups above: an accepted body is found by the same query. */
START_TEST(charset_parameter_is_accepted)
{
    struct reply r;

    http("POST", "/v1/customers", "application/json; charset=utf-8",
         "{\"kind\":\"person\",\"family_name\":\"ErrOk\"}", NULL, &r);
    ck_assert_msg(r.status == 201, "status %ld: %s", r.status, r.body);
    ck_assert_ptr_nonnull(r.content_type);
    ck_assert_str_eq(r.content_type, "application/json; charset=utf-8");
    reply_free(&r);
    ck_assert_int_eq(count_family("ErrOk"), 1);
    ck_assert_int_eq(count_family("errok"), 1);
}
END_TEST

/* "{\"kind\":\"person\",\"family_name\":\"<name>\",\"notes\":\"" + pad + "\"}": exactly size bytes. */
static char *
sized_body(const char *name, size_t size)
{
    char head[128];
    int n = snprintf(head, sizeof head, "{\"kind\":\"person\",\"family_name\":\"%s\",\"notes\":\"", name);
    char *b = malloc(size + 1);

    ck_assert_uint_gt(size, (size_t)n + 2);
    memcpy(b, head, (size_t)n);
    memset(b + n, 'x', size - (size_t)n - 2);
    memcpy(b + size - 2, "\"}", 3);
    return b;
}

START_TEST(body_at_limit_is_read)
{
    char *body = sized_body("ErrLimit", MIB);
    struct reply r;

    ck_assert_uint_eq(strlen(body), MIB);
    http_json("POST", "/v1/customers", body, &r);
    free(body);
    /* read in full and validated: notes are limited to 10240 bytes */
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "notes");
    reply_free(&r);
    ck_assert_int_eq(count_family("ErrLimit"), 0);
}
END_TEST

START_TEST(body_over_limit_is_too_large)
{
    char *body = sized_body("ErrBig", MIB + 1);
    struct reply r;

    http_json("POST", "/v1/customers", body, &r);
    free(body);
    assert_problem(&r, 413, "payload-too-large");
    ck_assert(is_uuid(r.request_id));
    reply_free(&r);
    ck_assert_int_eq(count_family("ErrBig"), 0);
    http_get("/healthz", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
}
END_TEST

START_TEST(chunked_body_over_limit_is_too_large)
{
    static const char *const chunked[] = { "Transfer-Encoding: chunked", NULL };
    char *body = sized_body("ErrChunked", 2 * MIB);
    struct reply r;

    http("POST", "/v1/customers", "application/json", body, chunked, &r);
    free(body);
    assert_problem(&r, 413, "payload-too-large");
    reply_free(&r);
    ck_assert_int_eq(count_family("ErrChunked"), 0);

    /* a small chunked body is fine */
    http("POST", "/v1/customers", "application/json",
         "{\"kind\":\"person\",\"family_name\":\"ErrChunkedOk\"}", chunked, &r);
    ck_assert_msg(r.status == 201, "status %ld: %s", r.status, r.body);
    reply_free(&r);
    ck_assert_int_eq(count_family("ErrChunkedOk"), 1);
}
END_TEST

/* '[' * depth + ']' * depth inside an object: far deeper than any parser should recurse. */
START_TEST(deep_nesting_is_refused)
{
    static const int depths[] = { 33, 1000, 200000 };
    struct reply r;

    for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
        int depth = depths[k];
        char *b = malloc((size_t)depth * 2 + 64), *p = b;

        p += sprintf(p, "{\"kind\":\"person\",\"family_name\":\"ErrDeep\",\"notes\":");
        memset(p, '[', (size_t)depth);
        memset(p + depth, ']', (size_t)depth);
        strcpy(p + 2 * depth, "}");
        http_json("POST", "/v1/customers", b, &r);
        free(b);
        assert_problem(&r, 400, "malformed-json");
        reply_free(&r);
    }
    http_get("/healthz", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    ck_assert_int_eq(count_family("ErrDeep"), 0);
}
END_TEST

/* Brackets inside strings are text, not nesting. */
START_TEST(brackets_in_strings_are_not_nesting)
{
    char body[256], notes[80];
    struct reply r;

    memset(notes, '[', 70);
    notes[70] = '\0';
    snprintf(body, sizeof body, "{\"kind\":\"person\",\"family_name\":\"ErrBrackets\",\"notes\":\"%s\\\"\"}",
             notes);
    http_json("POST", "/v1/customers", body, &r);
    ck_assert_msg(r.status == 201, "status %ld: %s", r.status, r.body);
    reply_free(&r);
}
END_TEST

START_TEST(wrong_method_lists_allowed)
{
    static const struct {
        const char *method, *path, *allowed, *not_allowed;
    } cases[] = {
        { "PUT", "/v1/customers", "GET,POST,HEAD", "DELETE" },
        { "PATCH", "/v1/vehicles", "GET,POST", "PATCH" },
        { "POST", "/healthz", "GET,HEAD", "POST" },
        { "POST", "/v1/touchpoints/7f1c4c1e-2a7b-4d7e-9a51-000000000001", "GET,PATCH,DELETE", "POST" },
        { "GET", "/v1/households/7f1c4c1e-2a7b-4d7e-9a51-000000000001/members/"
                 "7f1c4c1e-2a7b-4d7e-9a51-000000000002",
          "PUT,DELETE", "POST" },
    };
    struct reply r;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char want[64], *tok, *save;

        http(cases[i].method, cases[i].path, NULL, NULL, NULL, &r);
        assert_problem(&r, 405, "method-not-allowed");
        ck_assert_msg(r.allow != NULL, "%s %s: no Allow header", cases[i].method, cases[i].path);
        snprintf(want, sizeof want, "%s", cases[i].allowed);
        for (tok = strtok_r(want, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            ck_assert_msg(strstr(r.allow, tok) != NULL, "%s %s: Allow '%s' lacks %s", cases[i].method,
                          cases[i].path, r.allow, tok);
        ck_assert_msg(strstr(r.allow, cases[i].not_allowed) == NULL, "Allow '%s' has %s", r.allow,
                      cases[i].not_allowed);
        reply_free(&r);
    }
}
END_TEST

START_TEST(head_has_no_body)
{
    struct reply r;

    http("HEAD", "/healthz", NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, "");
    ck_assert(is_uuid(r.request_id));
    reply_free(&r);
    http("HEAD", "/v1/customers?limit=1", NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, "");
    reply_free(&r);
    http("HEAD", "/nope", NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 404);
    ck_assert_str_eq(r.body, "");
    reply_free(&r);
}
END_TEST

static const char long_id[] =
    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789";

START_TEST(request_id_echoed_or_replaced)
{
    static const struct {
        const char *header; /* sent X-Request-Id line */
        const char *echo;   /* expected back, or NULL for a fresh UUID */
    } cases[] = {
        { "X-Request-Id: abc-123", "abc-123" },
        { "X-Request-Id: trace.v1:abc_DEF-9", "trace.v1:abc_DEF-9" },
        { "X-Request-Id: 0123456789012345678901234567890123456789012345678901234567890123",
          "0123456789012345678901234567890123456789012345678901234567890123" },
        { "X-Request-Id: abc 123", NULL },
        { "X-Request-Id: abc/123", NULL },
        { "X-Request-Id: 01234567890123456789012345678901234567890123456789012345678901234", NULL },
        { NULL, NULL }, /* long_id, built below */
    };
    char longhdr[160];

    snprintf(longhdr, sizeof longhdr, "X-Request-Id: %s", long_id);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *hdrs[2] = { cases[i].header ? cases[i].header : longhdr, NULL };
        struct reply r;

        for (int err = 0; err < 2; err++) {
            http("GET", err ? "/nope" : "/healthz", NULL, NULL, hdrs, &r);
            ck_assert_int_eq(r.status, err ? 404 : 200);
            ck_assert_ptr_nonnull(r.request_id);
            if (cases[i].echo)
                ck_assert_str_eq(r.request_id, cases[i].echo);
            else
                ck_assert_msg(is_uuid(r.request_id), "sent '%s', got back '%s'", hdrs[0], r.request_id);
            reply_free(&r);
        }
    }
}
END_TEST

START_TEST(request_ids_differ)
{
    struct reply a, b;

    http_get("/healthz", &a);
    http_get("/healthz", &b);
    ck_assert(is_uuid(a.request_id));
    ck_assert(is_uuid(b.request_id));
    ck_assert_str_ne(a.request_id, b.request_id);
    reply_free(&a);
    reply_free(&b);
}
END_TEST

/* A refused write inside a PATCH leaves the record as it was. */
START_TEST(refused_patch_writes_nothing)
{
    static const struct {
        const char *content_type, *body;
        long status;
        const char *slug;
    } cases[] = {
        { NULL, "{\"family_name\":", 400, "malformed-json" },
        { NULL, "[]", 400, "malformed-json" },
        { NULL, "{\"family_name\":\"X\xff\"}", 400, "malformed-json" },
        { NULL, "{\"family_name\":\"A\",\"family_name\":\"B\"}", 400, "malformed-json" },
        { "text/plain", "{\"family_name\":\"Changed\"}", 415, "unsupported-media-type" },
        { "", "{\"family_name\":\"Changed\"}", 415, "unsupported-media-type" },
    };
    char path[96];
    struct reply r;

    snprintf(path, sizeof path, "/v1/customers/%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"ErrPatch\"}"));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        http("PATCH", path, cases[i].content_type, cases[i].body, NULL, &r);
        assert_problem(&r, cases[i].status, cases[i].slug);
        reply_free(&r);
    }
    http_get(path, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(jstr(&r, "family_name"), "ErrPatch");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    reply_free(&r);
    /* the merge-patch media type is accepted on PATCH */
    http("PATCH", path, "application/merge-patch+json", "{\"given_name\":\"Eva\"}", NULL, &r);
    ck_assert_msg(r.status == 200, "status %ld: %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    reply_free(&r);
}
END_TEST

Suite *
errors_suite(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("errors");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, refused_request, 0, (int)(sizeof refused / sizeof refused[0]));
    tcase_add_test(tc, charset_parameter_is_accepted);
    tcase_add_test(tc, body_at_limit_is_read);
    tcase_add_test(tc, body_over_limit_is_too_large);
    tcase_add_test(tc, chunked_body_over_limit_is_too_large);
    tcase_add_test(tc, deep_nesting_is_refused);
    tcase_add_test(tc, brackets_in_strings_are_not_nesting);
    tcase_add_test(tc, wrong_method_lists_allowed);
    tcase_add_test(tc, head_has_no_body);
    tcase_add_test(tc, request_id_echoed_or_replaced);
    tcase_add_test(tc, request_ids_differ);
    tcase_add_test(tc, refused_patch_writes_nothing);
    suite_add_tcase(s, tc);
    return s;
}
