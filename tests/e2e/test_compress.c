/*
 * test_compress: gzip content coding end to end. JSON answers of 1,024
 * bytes and more (a list, the greeting card, a large problem), the export
 * stream, the desk's files, /openapi.json and /docs come in gzip when
 * Accept-Encoding allows it and decompress to the very answer sent
 * without; identity, no header, gzip;q=0 and small bodies come as they
 * are. Vary: Accept-Encoding is one header with Origin and
 * Accept-Language; the embedded files have an ETag per encoding and
 * If-None-Match answers 304 for each; HEAD sends GET's headers.
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static const char *const gzip_h[] = { "Accept-Encoding: gzip", NULL };

static const char *const demo_env[] = { "CRMD_DEMO=true",
                                        "CRMD_CORS_ORIGINS=https://desk.example", NULL };

static void
demo_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, demo_env);
}

/* GET path with the one header h (NULL: none). */
static void
get_with(const char *path, const char *h, struct reply *r)
{
    const char *headers[] = { h, NULL };

    http("GET", path, NULL, NULL, h ? headers : NULL, r);
}

/* Does r's Vary list name (case-insensitively) token? */
static int
varies_by(const struct reply *r, const char *token)
{
    const char *v = reply_header(r, "Vary");

    return v && strcasestr(v, token) != NULL;
}

/* path plain and in gzip: same status, type and body; gzip smaller; Vary in both. */
static void
assert_gzip_same(const char *path, const char *content_type)
{
    struct reply plain, gz;

    get_with(path, NULL, &plain);
    get_with(path, "Accept-Encoding: gzip", &gz);
    ck_assert_int_eq(gz.status, plain.status);
    ck_assert_msg(plain.encoding == NULL, "%s without Accept-Encoding: %s", path, plain.encoding);
    ck_assert_msg(gz.encoding && !strcmp(gz.encoding, "gzip"), "%s: Content-Encoding %s", path,
                  gz.encoding ? gz.encoding : "(none)");
    ck_assert_ptr_nonnull(strstr(gz.content_type, content_type));
    ck_assert_str_eq(gz.content_type, plain.content_type);
    ck_assert_uint_eq(gz.body_len, plain.body_len);
    ck_assert_msg(memcmp(gz.body, plain.body, plain.body_len) == 0, "%s: gzip inflates to another body",
                  path);
    ck_assert_msg(gz.wire_len < plain.body_len / 2, "%s: %zu bytes in gzip for %zu", path, gz.wire_len,
                  plain.body_len);
    ck_assert_msg(varies_by(&gz, "Accept-Encoding") && varies_by(&plain, "Accept-Encoding"),
                  "%s: Vary %s", path, reply_header(&gz, "Vary"));
    reply_free(&plain);
    reply_free(&gz);
}

START_TEST(json_answers_in_gzip)
{
    assert_gzip_same("/v1/customers?limit=100", "application/json");
    assert_gzip_same("/v1/greeting?plate=m-hw2022", "application/json");
    assert_gzip_same("/v1/vehicles?limit=50", "application/json");
}
END_TEST

/* What Accept-Encoding says decides: gzip only where it allows gzip. */
START_TEST(accept_encoding_decides)
{
    static const struct {
        const char *header;
        int gzip;
    } cases[] = {
        { NULL, 0 },
        { "Accept-Encoding: identity", 0 },
        { "Accept-Encoding: gzip;q=0", 0 },
        { "Accept-Encoding: br, deflate", 0 },
        { "Accept-Encoding: *;q=0", 0 },
        { "Accept-Encoding: *", 1 },
        { "Accept-Encoding: gzip, deflate, br", 1 },
        { "Accept-Encoding: br;q=1.0, gzip;q=0.5", 1 },
        { "Accept-Encoding: GZIP", 1 },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct reply r;

        get_with("/v1/customers?limit=100", cases[i].header, &r);
        assert_json(&r, 200);
        ck_assert_msg((r.encoding != NULL) == cases[i].gzip, "%s: Content-Encoding %s",
                      cases[i].header ? cases[i].header : "(none)", r.encoding ? r.encoding : "-");
        ck_assert(varies_by(&r, "Accept-Encoding"));
        ck_assert_uint_gt(json_array_size(json_object_get(r.json, "items")), 10);
        reply_free(&r);
    }
}
END_TEST

/* Under 1,024 bytes: too little to gain; sent as is and not varying by encoding. */
START_TEST(small_bodies_as_they_are)
{
    struct reply r;

    get_with("/v1/me", "Accept-Encoding: gzip", &r);
    assert_json(&r, 200);
    ck_assert_uint_lt(r.body_len, 1024);
    ck_assert_ptr_null(r.encoding);
    ck_assert(!varies_by(&r, "Accept-Encoding"));
    reply_free(&r);
    get_with("/healthz", "Accept-Encoding: gzip", &r);
    ck_assert_ptr_null(r.encoding);
    reply_free(&r);
    get_with("/v1/nothing-here", "Accept-Encoding: gzip", &r); /* a small problem */
    assert_problem(&r, 404, "no-route");
    ck_assert_ptr_null(r.encoding);
    reply_free(&r);
}
END_TEST

/* Vary is one header: Origin (CORS on), Accept-Language (sentences), Accept-Encoding. */
START_TEST(vary_is_one_header)
{
    const char *h[] = { "Accept-Encoding: gzip", "Accept-Language: de", "Origin: https://desk.example",
                        NULL };
    struct reply r;

    http("GET", "/v1/greeting?plate=m-hw2022", NULL, NULL, h, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(r.encoding, "gzip");
    ck_assert_str_eq(reply_header(&r, "Vary"), "Origin, Accept-Language, Accept-Encoding");
    ck_assert_str_eq(reply_header(&r, "Content-Language"), "de");
    reply_free(&r);
}
END_TEST

/* A resource's ETag names its version in either encoding: If-None-Match and If-Match work. */
START_TEST(json_etag_and_304)
{
    struct reply list, r;
    char inm[128];
    const char *id;

    get_with("/v1/customers?limit=1", NULL, &list);
    id = sget(json_array_get(json_object_get(list.json, "items"), 0), "id");
    get_with(pathf("/v1/greeting?customer_id=%s", id), "Accept-Encoding: gzip", &r);
    assert_json(&r, 200);
    reply_free(&r);
    get_with(pathf("/v1/customers/%s", id), "Accept-Encoding: gzip", &r);
    assert_json(&r, 200);
    ck_assert_ptr_nonnull(r.etag);
    snprintf(inm, sizeof inm, "If-None-Match: %s", r.etag);
    reply_free(&r);
    http("GET", pathf("/v1/customers/%s", id), NULL, NULL,
         (const char *const[]){ "Accept-Encoding: gzip", inm, NULL }, &r);
    ck_assert_int_eq(r.status, 304);
    ck_assert_ptr_null(r.encoding);
    ck_assert_uint_eq(r.wire_len, 0);
    ck_assert(varies_by(&r, "Accept-Encoding"));
    reply_free(&r);
    reply_free(&list);
}
END_TEST

/* /v1/export streams gzip (deflated piece by piece) that inflates to the plain export. */
START_TEST(export_stream_in_gzip)
{
    const char *accept[] = { "application/x-ndjson", "text/csv" };

    for (int i = 0; i < 2; i++) {
        char a[64];
        const char *plain_h[] = { a, NULL }, *gz_h[] = { a, "Accept-Encoding: gzip", NULL };
        struct reply plain, gz;

        snprintf(a, sizeof a, "Accept: %s", accept[i]);
        http("GET", "/v1/export?type=vehicles", NULL, NULL, plain_h, &plain);
        http("GET", "/v1/export?type=vehicles", NULL, NULL, gz_h, &gz);
        ck_assert_int_eq(plain.status, 200);
        ck_assert_int_eq(gz.status, 200);
        ck_assert_ptr_null(plain.encoding);
        ck_assert_str_eq(gz.encoding, "gzip");
        ck_assert_str_eq(gz.content_type, plain.content_type);
        ck_assert_uint_gt(plain.body_len, 1000);
        ck_assert_uint_eq(gz.body_len, plain.body_len);
        ck_assert(memcmp(gz.body, plain.body, plain.body_len) == 0);
        ck_assert_uint_lt(gz.wire_len, plain.body_len);
        ck_assert(varies_by(&gz, "Accept-Encoding"));
        reply_free(&plain);
        reply_free(&gz);
    }
}
END_TEST

/*
 * An embedded file: gzip made at build, its own ETag ("...-gzip"), 304 for
 * the ETag of the encoding asked for, 200 for the other's; HEAD's headers
 * are GET's (Content-Length of the gzip bytes).
 */
static void
check_embedded(const char *path, const char *type)
{
    struct reply plain, gz, r;
    char inm[128], plain_inm[128], gz_etag[64];

    assert_gzip_same(path, type);
    get_with(path, NULL, &plain);
    get_with(path, "Accept-Encoding: gzip", &gz);
    ck_assert_msg(strlen(gz.etag) == strlen(plain.etag) + 5 &&
                      !strncmp(gz.etag, plain.etag, strlen(plain.etag) - 1) &&
                      !strcmp(gz.etag + strlen(plain.etag) - 1, "-gzip\""),
                  "%s: ETag %s for gzip, %s plain", path, gz.etag, plain.etag);
    snprintf(gz_etag, sizeof gz_etag, "%s", gz.etag);
    snprintf(inm, sizeof inm, "If-None-Match: %s", gz.etag);
    snprintf(plain_inm, sizeof plain_inm, "If-None-Match: %s", plain.etag);
    http("GET", path, NULL, NULL, (const char *const[]){ "Accept-Encoding: gzip", inm, NULL }, &r);
    ck_assert_int_eq(r.status, 304);
    ck_assert_str_eq(r.etag, gz_etag);
    ck_assert(varies_by(&r, "Accept-Encoding"));
    reply_free(&r);
    http("GET", path, NULL, NULL, (const char *const[]){ plain_inm, NULL }, &r);
    ck_assert_int_eq(r.status, 304);
    reply_free(&r);
    /* the plain ETag does not validate the gzip representation, nor the other way round */
    http("GET", path, NULL, NULL, (const char *const[]){ "Accept-Encoding: gzip", plain_inm, NULL },
         &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.encoding, "gzip");
    reply_free(&r);
    http("GET", path, NULL, NULL, (const char *const[]){ inm, NULL }, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_null(r.encoding);
    reply_free(&r);
    http("HEAD", path, NULL, NULL, gzip_h, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.encoding, "gzip");
    ck_assert_str_eq(r.etag, gz_etag);
    ck_assert_uint_eq(strtoul(reply_header(&r, "Content-Length"), NULL, 10), gz.wire_len);
    ck_assert(varies_by(&r, "Accept-Encoding"));
    reply_free(&r);
    reply_free(&plain);
    reply_free(&gz);
}

START_TEST(embedded_files_in_gzip)
{
    struct reply r;

    check_embedded("/openapi.json", "application/json");
    check_embedded("/docs", "text/html");
    check_embedded("/desk/", "text/html");
    check_embedded("/desk/desk.css", "text/css");
    check_embedded("/desk/card.js", "text/javascript");
    check_embedded("/desk/vendor/chart.umd.js", "text/javascript");
    /* a file under 1,024 bytes has no gzip variant and does not vary */
    get_with("/desk/icon.svg", "Accept-Encoding: gzip", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_lt(r.body_len, 1024);
    ck_assert_ptr_null(r.encoding);
    ck_assert(!varies_by(&r, "Accept-Encoding"));
    reply_free(&r);
}
END_TEST

Suite *
compress_suite(void)
{
    Suite *s = suite_create("compress");
    TCase *tc = tcase_create("compress");

    tcase_set_timeout(tc, 60); /* /docs is 3 MB, fetched several times */
    tcase_add_unchecked_fixture(tc, demo_setup, harness_teardown);
    tcase_add_test(tc, json_answers_in_gzip);
    tcase_add_test(tc, accept_encoding_decides);
    tcase_add_test(tc, small_bodies_as_they_are);
    tcase_add_test(tc, vary_is_one_header);
    tcase_add_test(tc, json_etag_and_304);
    tcase_add_test(tc, export_stream_in_gzip);
    tcase_add_test(tc, embedded_files_in_gzip);
    suite_add_tcase(s, tc);
    return s;
}
