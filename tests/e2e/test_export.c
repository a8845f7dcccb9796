/*
 * test_export: GET /v1/export on the demo data. The export is in the
 * shapes the import takes, so importing it back reports every line
 * unchanged (NDJSON for every type, CSV for vehicles and touchpoints);
 * exports span many pages without losing or repeating a record; bad
 * requests are refused.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

static const char *const demo_env[] = { "CRMD_DEMO=true", NULL };

static void
export_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, demo_env);
}

/* GET /v1/export?type=type as accept; asserts 200 and the content type. r must be freed. */
static void
export_ok(const char *type, const char *accept, struct reply *r)
{
    char h[64];
    const char *headers[] = { h, NULL };

    snprintf(h, sizeof h, "Accept: %s", accept);
    http("GET", pathf("/v1/export?type=%s", type), NULL, NULL, headers, r);
    ck_assert_msg(r->status == 200, "export %s: %ld %s", type, r->status, r->body);
    ck_assert_ptr_nonnull(r->content_type);
    ck_assert_ptr_nonnull(strstr(r->content_type, !strcmp(accept, "text/csv") ? "text/csv"
                                                                               : "application/x-ndjson"));
    ck_assert_ptr_nonnull(r->disposition);
}

static size_t
count_lines(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Import body as ctype (query: "" or "type=..."); assert every line came back unchanged. */
static void
assert_reimport_unchanged(const char *query, const char *ctype, const char *body, size_t lines)
{
    struct reply r;
    json_t *totals;

    http("POST", pathf("/v1/import?%s", query), ctype, body, NULL, &r);
    assert_json(&r, 200);
    totals = json_object_get(r.json, "totals");
    ck_assert_msg(json_integer_value(json_object_get(totals, "unchanged")) == (json_int_t)lines &&
                      json_integer_value(json_object_get(totals, "lines")) == (json_int_t)lines,
                  "%s %s: %s", ctype, query, r.body);
    reply_free(&r);
}

START_TEST(ndjson_export_imports_back_unchanged)
{
    static const char *const types[] = { "customers", "vehicles", "touchpoints", "households" };
    static const char *const lines_of[] = { "\"type\":\"company_person\"", "\"type\":\"vehicle\"",
                                            "\"type\":\"touchpoint\"", "\"type\":\"membership\"" };

    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct reply r;
        size_t n;

        export_ok(types[i], "application/x-ndjson", &r);
        n = count_lines(r.body);
        ck_assert_msg(n >= 5, "%s: %zu lines", types[i], n);
        ck_assert_ptr_nonnull(strstr(r.body, lines_of[i]));
        /* a record without an external reference is named by crmd's own id */
        ck_assert_ptr_nonnull(strstr(r.body, "{\"system\":\"crmd\",\"id\":\""));
        assert_reimport_unchanged("", "application/x-ndjson", r.body, n);
        reply_free(&r);
    }
}
END_TEST

START_TEST(csv_export_imports_back_unchanged)
{
    static const char *const types[] = { "vehicles", "touchpoints" };
    static const char *const one[] = { "vehicle", "touchpoint" };

    for (size_t i = 0; i < 2; i++) {
        struct reply r;
        size_t n;

        export_ok(types[i], "text/csv", &r);
        ck_assert(!strncmp(r.body, "external_ref.system,external_ref.id,", 36));
        n = count_lines(r.body) - 1; /* the header */
        ck_assert_msg(n >= 5, "%s: %zu rows", types[i], n);
        assert_reimport_unchanged(pathf("type=%s", one[i]), "text/csv", r.body, n);
        reply_free(&r);
    }
}
END_TEST

START_TEST(csv_export_of_customers_is_utf8_with_the_import_columns)
{
    struct reply r;

    export_ok("customers", "text/csv", &r);
    ck_assert(!strncmp(r.body, "external_ref.system,external_ref.id,kind,", 41));
    ck_assert_ptr_nonnull(strstr(r.body, "address.city"));
    ck_assert_ptr_nonnull(strstr(r.body, "München")); /* UTF-8, as sent */
    ck_assert_ptr_null(strstr(r.body, "company_person"));
    reply_free(&r);
}
END_TEST

/* More records than a page (200): each exactly once. */
START_TEST(export_spans_pages)
{
    struct buf_s {
        char *data;
        size_t len;
    } b = { malloc(700 * 120), 0 };
    const char *tag = uniq("P");
    struct reply r;
    size_t found = 0;
    char needle[96];

    for (int i = 0; i < 700; i++)
        b.len += (size_t)sprintf(b.data + b.len,
                                 "{\"type\":\"household\",\"external_ref\":{\"system\":\"pg\","
                                 "\"id\":\"%s-%d\"},\"name\":\"Familie %d\"}\n",
                                 tag, i, i);
    http("POST", "/v1/import", "application/x-ndjson", b.data, NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);
    export_ok("households", "application/x-ndjson", &r);
    for (int i = 0; i < 700; i++) {
        const char *at;
        int hits = 0;
        snprintf(needle, sizeof needle, "\"id\":\"%s-%d\"}", tag, i);
        for (at = r.body; (at = strstr(at, needle)) != NULL; at++)
            hits++;
        /* once as the line's external_ref, once in its external_refs */
        ck_assert_msg(hits == 2, "household %d is named %d times in the export", i, hits);
        found++;
    }
    ck_assert_int_eq(found, 700);
    reply_free(&r);
    free(b.data);
}
END_TEST

/* A client that goes away mid-export: the server frees the stream and answers the next one. */
START_TEST(client_leaving_mid_export_is_survived)
{
    struct buf_s {
        char *data;
        size_t len;
    } b = { malloc(2000 * 1200), 0 };
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
    const char *tag = uniq("Q");
    char req[512], got[4096];
    struct reply r;
    ssize_t n;
    int fd;

    for (int i = 0; i < 2000; i++) {
        b.len += (size_t)sprintf(b.data + b.len,
                                 "{\"type\":\"household\",\"external_ref\":{\"system\":\"q\","
                                 "\"id\":\"%s-%d\"},\"name\":\"Familie %d\",\"notes\":\"",
                                 tag, i, i);
        memset(b.data + b.len, 'n', 1000);
        b.len += 1000;
        b.len += (size_t)sprintf(b.data + b.len, "\"}\n");
    }
    b.data[b.len] = '\0';
    http("POST", "/v1/import?report=errors", "application/x-ndjson", b.data, NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);

    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    snprintf(req, sizeof req,
             "GET /v1/export?type=households HTTP/1.1\r\nHost: localhost\r\n%s\r\n\r\n",
             srv.auth);
    ck_assert(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
    n = read(fd, got, sizeof got - 1);
    ck_assert_int_gt(n, 0);
    got[n] = '\0';
    ck_assert_msg(!strncmp(got, "HTTP/1.1 200", 12), "%s", got);
    close(fd); /* megabytes still to come */

    export_ok("vehicles", "application/x-ndjson", &r);
    reply_free(&r);
    free(b.data);
}
END_TEST

START_TEST(crmd_reference_to_no_record_is_422)
{
    struct reply r;
    json_t *it;

    http("POST", "/v1/import", "application/x-ndjson",
         "{\"type\":\"household\",\"external_ref\":{\"system\":\"crmd\",\"id\":"
         "\"01a252e8-0000-7000-8000-000000000000\"},\"name\":\"Nirgends\"}\n",
         NULL, &r);
    assert_json(&r, 200);
    it = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_str_eq(sget(json_object_get(it, "problem"), "type"), "urn:crmd:problem:unprocessable");
    reply_free(&r);
}
END_TEST

static const struct {
    const char *query, *accept;
} refused[] = {
    { "", "application/x-ndjson" },
    { "type=customer", "application/x-ndjson" },
    { "type=customers&limit=5", "application/x-ndjson" },
    { "type=households", "text/csv" },
};

START_TEST(bad_requests_are_400)
{
    struct reply r;
    char h[64];
    const char *headers[] = { h, NULL };

    snprintf(h, sizeof h, "Accept: %s", refused[_i].accept);
    http("GET", pathf("/v1/export?%s", refused[_i].query), NULL, NULL, headers, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(readers_may_not_export)
{
    const char *key = harness_create_key(srv.db, "desk");
    char h[128];
    const char *headers[] = { h, NULL };
    struct reply r;

    snprintf(h, sizeof h, "Authorization: Bearer %s", key);
    http("GET", "/v1/export?type=customers", NULL, NULL, headers, &r);
    assert_problem(&r, 403, "forbidden");
    reply_free(&r);
}
END_TEST

Suite *
export_suite(void)
{
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("export");

    tcase_add_unchecked_fixture(tc, export_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ndjson_export_imports_back_unchanged);
    tcase_add_test(tc, csv_export_imports_back_unchanged);
    tcase_add_test(tc, csv_export_of_customers_is_utf8_with_the_import_columns);
    tcase_add_test(tc, export_spans_pages);
    tcase_add_test(tc, client_leaving_mid_export_is_survived);
    tcase_add_test(tc, crmd_reference_to_no_record_is_422);
    tcase_add_loop_test(tc, bad_requests_are_400, 0, (int)(sizeof refused / sizeof refused[0]));
    tcase_add_test(tc, readers_may_not_export);
    suite_add_tcase(s, tc);
    return s;
}
