/*
 * test_apidocs: GET /openapi.json (the bundled spec: the paths of
 * api-docs/openapi.yaml, info.version of the binary) and GET /docs (the HTML reference, which
 * loads nothing from the network); ETag, If-None-Match and Cache-Control
 * of both; the errors every route has (unknown query parameter, 405).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

#define SPEC_YAML "api-docs/openapi.yaml" /* e2e tests run from the repository root */

/* The path keys of the YAML spec, read line by line (its own layout). */
static void
read_yaml(json_t *paths)
{
    FILE *f = fopen(SPEC_YAML, "r");
    char line[1024];
    int in_paths = 0, line_start = 1;

    ck_assert_msg(f != NULL, "cannot open %s", SPEC_YAML);
    while (fgets(line, sizeof line, f)) {
        int starts = line_start;

        line_start = strchr(line, '\n') != NULL; /* long lines come in several pieces */
        if (!starts)
            continue;
        if (line[0] != ' ' && line[0] != '\n' && line[0] != '#') {
            in_paths = strncmp(line, "paths:", 6) == 0;
        } else if (in_paths && strncmp(line, "  /", 3) == 0) {
            line[strcspn(line, ":")] = '\0';
            json_array_append_new(paths, json_string(line + 2));
        }
    }
    fclose(f);
}

/* The version `$CRMD_BIN --version` prints ("crmd 0.5.0+g1234567" → "0.5.0+g1234567"). */
static void
binary_version(char *out, size_t outsz)
{
    char cmd[512], line[128] = "";
    FILE *p;

    snprintf(cmd, sizeof cmd, "%s --version", getenv("CRMD_BIN"));
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
    ck_assert_int_eq(pclose(p), 0);
    ck_assert_msg(strncmp(line, "crmd ", 5) == 0, "crmd --version: %s", line);
    snprintf(out, outsz, "%.*s", (int)strcspn(line + 5, " \r\n"), line + 5);
}

START_TEST(openapi_json_is_the_spec)
{
    struct reply r;
    json_t *paths = json_array(), *p, *served;
    char version[128] = "";
    size_t i;

    binary_version(version, sizeof version);
    ck_assert_int_gt(strlen(version), 4);
    read_yaml(paths);
    ck_assert_int_gt(json_array_size(paths), 20);
    http_get("/openapi.json", &r);
    assert_json(&r, 200);
    ck_assert_str_eq(sget(r.json, "openapi"), "3.1.0");
    ck_assert_str_eq(sget(json_object_get(r.json, "info"), "version"), version);
    served = json_object_get(r.json, "paths");
    ck_assert_int_eq(json_object_size(served), json_array_size(paths));
    json_array_foreach(paths, i, p)
        ck_assert_msg(json_object_get(served, json_string_value(p)) != NULL, "path %s not served",
                      json_string_value(p));
    ck_assert_ptr_nonnull(json_object_get(json_object_get(r.json, "components"), "schemas"));
    reply_free(&r);
    json_decref(paths);
}
END_TEST

START_TEST(docs_html_is_offline)
{
    struct reply r;

    http_get("/docs", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
    ck_assert_ptr_nonnull(strstr(r.body, "<title>crmd API reference</title>"));
    ck_assert_ptr_nonnull(strstr(r.body, "Redoc.hydrate")); /* the page is interactive */
    ck_assert_ptr_nonnull(strstr(r.body, "/v1/greeting"));
    ck_assert_ptr_null(strstr(r.body, "src=\"http"));
    ck_assert_ptr_null(strstr(r.body, "href=\"https://fonts"));
    ck_assert_ptr_null(strstr(r.body, "cdn.redocly.com"));
    ck_assert_ptr_null(strstr(r.body, "cdn.redoc.ly")); /* Redoc's logo in the sidebar */
    ck_assert_ptr_nonnull(strstr(r.body, "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/desk/icon.svg\">"));
    reply_free(&r);
}
END_TEST

/* ETag + If-None-Match on path: 304 when it matches, 200 when not; revalidated caching. */
static void
check_etag(const char *path)
{
    struct reply r, again;
    char inm[128];
    const char *other[] = { "If-None-Match: \"0000000000000000\"", NULL };
    const char *bad[] = { "If-None-Match: nope", NULL };

    http_get(path, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_msg(r.etag && r.etag[0] == '"' && strlen(r.etag) == 18, "ETag %s", r.etag);
    ck_assert_str_eq(r.cache_control, "no-cache");
    snprintf(inm, sizeof inm, "If-None-Match: %s", r.etag);
    http("GET", path, NULL, NULL, (const char *const[]){ inm, NULL }, &again);
    ck_assert_int_eq(again.status, 304);
    ck_assert_str_eq(again.body, "");
    ck_assert_str_eq(again.etag, r.etag);
    reply_free(&again);
    http("GET", path, NULL, NULL, other, &again);
    ck_assert_int_eq(again.status, 200);
    ck_assert_uint_eq(strlen(again.body), strlen(r.body));
    reply_free(&again);
    http("GET", path, NULL, NULL, bad, &again);
    assert_problem(&again, 400, "bad-request");
    reply_free(&again);
    reply_free(&r);
}

START_TEST(etag_and_revalidation)
{
    check_etag("/openapi.json");
    check_etag("/docs");
}
END_TEST

START_TEST(errors)
{
    struct reply r;

    http_get("/openapi.json?format=yaml", &r);
    assert_problem(&r, 400, "bad-request");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "format"));
    reply_free(&r);
    http_json("POST", "/docs", "{}", &r);
    assert_problem(&r, 405, "method-not-allowed");
    ck_assert_msg(r.allow && strstr(r.allow, "GET") && strstr(r.allow, "HEAD") &&
                      !strstr(r.allow, "POST"),
                  "Allow %s", r.allow);
    reply_free(&r);
    http("HEAD", "/docs", NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
    reply_free(&r);
}
END_TEST

Suite *
apidocs_suite(void)
{
    Suite *s = suite_create("apidocs");
    TCase *tc = tcase_create("apidocs");

    /* /docs is 3 MB: fetched, logged for the contract check and compared several times, which
     * under ASan on a busy machine came close to Check's 4 s default */
    tcase_set_timeout(tc, 30);
    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_add_test(tc, openapi_json_is_the_spec);
    tcase_add_test(tc, docs_html_is_offline);
    tcase_add_test(tc, etag_and_revalidation);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return s;
}
