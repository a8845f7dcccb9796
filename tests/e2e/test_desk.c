/*
 * test_desk: the desk page as crmd serves it (GET /, /desk, /desk/ and its
 * files): redirects, the bytes of desk/app and of the chart library with
 * their types, the security headers of every answer, ETag and 304, 404s for
 * unknown names and traversal attempts; GET /v1/me for each role; the
 * desk's address in the demo banner. Independent of the page's content:
 * files are compared with the ones on disk (tests run from the repository
 * root), never with text of their own.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "harness.h"
#include "suites.h"

#define DESK_APP "desk/app"
#define CHART_JS "desk/node_modules/chart.js/dist/chart.umd.min.js"
#define CSP                                                                                        \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "             \
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'none'; "               \
    "base-uri 'none'; frame-ancestors 'none'"

/* The headers every desk answer carries, whatever its status. */
static const char *const security_headers[][2] = {
    { "Content-Security-Policy", CSP },
    { "X-Content-Type-Options", "nosniff" },
    { "Referrer-Policy", "no-referrer" },
    { "X-Frame-Options", "DENY" },
    { "Cross-Origin-Opener-Policy", "same-origin" },
};

static void
assert_security_headers(const struct reply *r, const char *what)
{
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++) {
        const char *v = reply_header(r, security_headers[i][0]);
        ck_assert_msg(v != NULL, "%s: no %s header", what, security_headers[i][0]);
        ck_assert_msg(!strcmp(v, security_headers[i][1]), "%s: %s is \"%s\", want \"%s\"", what,
                      security_headers[i][0], v, security_headers[i][1]);
    }
}

/* The whole file at path (malloc'd, NUL-terminated) and its length. */
static char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *data;

    ck_assert_msg(f != NULL, "cannot open %s (tests run from the repository root)", path);
    ck_assert_int_eq(fstat(fileno(f), &st), 0);
    data = malloc((size_t)st.st_size + 1);
    ck_assert_ptr_nonnull(data);
    *len = fread(data, 1, (size_t)st.st_size, f);
    ck_assert_uint_eq(*len, (size_t)st.st_size);
    data[*len] = '\0';
    fclose(f);
    return data;
}

/* The Content-Type crmd sends for a file name (tools/embed-files.sh), or NULL. */
static const char *
type_of(const char *name)
{
    static const char *const types[][2] = {
        { ".html", "text/html; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" },
        { ".svg", "image/svg+xml; charset=utf-8" },
        { ".json", "application/json; charset=utf-8" },
        { ".webmanifest", "application/manifest+json; charset=utf-8" },
        { ".txt", "text/plain; charset=utf-8" },
    };
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i][0]))
            return types[i][1];
    return NULL;
}

/* GET path: 200, the bytes of file on disk, its type, the headers of a desk file. */
static void
assert_serves(const char *path, const char *file, const char *type)
{
    struct reply r;
    size_t len;
    char *want = read_file(file, &len);

    http_get(path, &r);
    ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
    ck_assert_msg(r.content_type && !strcmp(r.content_type, type), "GET %s: Content-Type %s, want %s",
                  path, r.content_type, type);
    ck_assert_msg(r.body_len == len && memcmp(r.body, want, len) == 0,
                  "GET %s: %zu bytes that differ from the %zu of %s", path, r.body_len, len, file);
    ck_assert_msg(r.etag && r.etag[0] == '"' && strlen(r.etag) == 18, "GET %s: ETag %s", path,
                  r.etag);
    ck_assert_str_eq(r.cache_control, "no-cache");
    assert_security_headers(&r, path);
    reply_free(&r);
    free(want);
}

START_TEST(root_and_desk_redirect_to_the_page)
{
    static const char *const paths[] = { "/", "/desk", "/?x=1", "/desk?lang=de" };
    struct reply r;

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        http_get(paths[i], &r);
        ck_assert_msg(r.status == 302, "GET %s: %ld", paths[i], r.status);
        ck_assert_str_eq(r.location, "/desk/");
        ck_assert_uint_eq(r.body_len, 0);
        ck_assert_str_eq(r.cache_control, "no-store");
        assert_security_headers(&r, paths[i]);
        reply_free(&r);
    }
    http("HEAD", "/", NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 302);
    ck_assert_str_eq(r.location, "/desk/");
    reply_free(&r);
    /* no key needed, and a bad one changes nothing */
    http("GET", "/desk", NULL, NULL, (const char *const[]){ "Authorization:", NULL }, &r);
    ck_assert_int_eq(r.status, 302);
    reply_free(&r);
    http("GET", "/", NULL, NULL, (const char *const[]){ "Authorization: Bearer nonsense", NULL },
         &r);
    ck_assert_int_eq(r.status, 302);
    reply_free(&r);
    http_json("POST", "/", "{}", &r);
    assert_problem(&r, 405, "method-not-allowed");
    ck_assert_str_eq(r.allow, "GET, HEAD");
    reply_free(&r);
}
END_TEST

START_TEST(index_is_the_page_on_disk)
{
    struct reply r, again;

    assert_serves("/desk/", DESK_APP "/index.html", "text/html; charset=utf-8");
    assert_serves("/desk/index.html", DESK_APP "/index.html", "text/html; charset=utf-8");
    http("GET", "/desk/", NULL, NULL, (const char *const[]){ "Authorization:", NULL }, &r);
    ck_assert_int_eq(r.status, 200); /* loading the page needs no key */
    ck_assert_msg(strncasecmp(r.body, "<!doctype html>", 15) == 0, "the page starts with %.20s",
                  r.body);
    http_get("/desk/index.html", &again);
    ck_assert_str_eq(again.etag, r.etag);
    reply_free(&again);
    /* query parameters are ignored (a cache-buster is harmless) */
    http_get("/desk/?v=2", &again);
    ck_assert_int_eq(again.status, 200);
    ck_assert_uint_eq(again.body_len, r.body_len);
    reply_free(&again);
    http("HEAD", "/desk/", NULL, NULL, NULL, &again);
    ck_assert_int_eq(again.status, 200);
    ck_assert_str_eq(again.content_type, "text/html; charset=utf-8");
    ck_assert_str_eq(again.etag, r.etag);
    ck_assert_uint_eq(again.body_len, 0);
    assert_security_headers(&again, "HEAD /desk/");
    reply_free(&again);
    reply_free(&r);
}
END_TEST

/* Every file of desk/app is served with the type of its extension and its exact bytes. */
START_TEST(every_file_of_desk_app)
{
    DIR *d = opendir(DESK_APP);
    struct dirent *e;
    int n = 0, js = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d))) {
        char file[512];
        struct stat st;
        const char *type;

        snprintf(file, sizeof file, DESK_APP "/%s", e->d_name);
        if (e->d_name[0] == '.' || stat(file, &st) != 0 || !S_ISREG(st.st_mode))
            continue; /* desk/app is flat: subfolders are not served */
        type = type_of(e->d_name);
        ck_assert_msg(type != NULL, "%s: a type the build would refuse", file);
        assert_serves(pathf("/desk/%s", e->d_name), file, type);
        n++;
        js += strstr(type, "javascript") != NULL;
    }
    closedir(d);
    ck_assert_int_ge(n, 3); /* index.html, a style sheet, a module at least */
    ck_assert_int_ge(js, 1);
}
END_TEST

START_TEST(vendor_chart_library)
{
    assert_serves("/desk/vendor/chart.umd.js", CHART_JS, "text/javascript; charset=utf-8");
    /* the path is percent-decoded before routing: an encoded slash names the same file */
    assert_serves("/desk/vendor%2fchart.umd.js", CHART_JS, "text/javascript; charset=utf-8");
}
END_TEST

/* ETag + If-None-Match: 304 (no body, same headers), another tag 200, a malformed one 400. */
static void
check_revalidation(const char *path)
{
    struct reply r, again;
    char inm[128], weak[128];

    http_get(path, &r);
    ck_assert_int_eq(r.status, 200);
    snprintf(inm, sizeof inm, "If-None-Match: %s", r.etag);
    http("GET", path, NULL, NULL, (const char *const[]){ inm, NULL }, &again);
    ck_assert_msg(again.status == 304, "GET %s with its ETag: %ld", path, again.status);
    ck_assert_uint_eq(again.body_len, 0);
    ck_assert_str_eq(again.etag, r.etag);
    ck_assert_str_eq(again.cache_control, "no-cache");
    assert_security_headers(&again, inm);
    reply_free(&again);
    /* If-None-Match compares weakly (RFC 9110), and takes a list */
    snprintf(weak, sizeof weak, "If-None-Match: \"0000000000000000\", W/%s", r.etag);
    http("GET", path, NULL, NULL, (const char *const[]){ weak, NULL }, &again);
    ck_assert_int_eq(again.status, 304);
    reply_free(&again);
    http("GET", path, NULL, NULL,
         (const char *const[]){ "If-None-Match: \"0000000000000000\"", NULL }, &again);
    ck_assert_int_eq(again.status, 200);
    ck_assert_uint_eq(again.body_len, r.body_len);
    reply_free(&again);
    http("GET", path, NULL, NULL, (const char *const[]){ "If-None-Match: nope", NULL }, &again);
    assert_problem(&again, 400, "bad-request");
    assert_security_headers(&again, "a malformed If-None-Match");
    reply_free(&again);
    reply_free(&r);
}

START_TEST(etag_and_304)
{
    check_revalidation("/desk/");
    check_revalidation("/desk/main.js");
    check_revalidation("/desk/desk.css");
    check_revalidation("/desk/vendor/chart.umd.js");
}
END_TEST

/* Names that are no desk file, and attempts to leave the table: all 404 problems. */
static const struct {
    const char *path;
    const char *slug;   /* not-found: the desk's own 404; no-route: the router's */
    const char *detail; /* part of the detail, or NULL */
} unknown[] = {
    { "/desk/nope.js", "not-found", "the desk has no file nope.js" },
    { "/desk/Index.html", "not-found", "Index.html" }, /* names are case-sensitive */
    { "/desk/vendor", "not-found", "vendor" },
    { "/desk/vendor/nope.js", "not-found", "the desk has no file vendor/nope.js" },
    { "/desk/vendor/chart.umd.min.js", "not-found", "vendor/chart.umd.min.js" },
    { "/desk/vendor/index.html", "not-found", "vendor/index.html" },
    { "/desk/..", "not-found", NULL },
    { "/desk/%2e%2e", "not-found", NULL },
    { "/desk/.%2e", "not-found", NULL },
    { "/desk/vendor/%2e%2e", "not-found", NULL },
    { "/desk/..%5cMakefile", "not-found", "letters, digits" }, /* a backslash is no separator */
    { "/desk/%ff%fe", "not-found", "letters, digits" },         /* not UTF-8: not repeated */
    { "/desk/a%22b", "not-found", "letters, digits" },
    { "/desk/../Makefile", "no-route", NULL },
    { "/desk/../../../../etc/passwd", "no-route", NULL },
    { "/desk/%2e%2e/Makefile", "no-route", NULL },
    { "/desk/..%2fMakefile", "no-route", NULL },
    { "/desk/..%2f..%2fetc%2fpasswd", "no-route", NULL },
    { "/desk/%2e%2e%2fserver%2fdesk.c", "no-route", NULL },
    { "/desk/vendor/..%2f..%2fMakefile", "no-route", NULL },
    { "/desk/%2fetc%2fpasswd", "no-route", NULL },
    { "/desk//etc/passwd", "no-route", NULL },
    { "/desk/vendor/", "no-route", NULL },
    { "/desk/main.js/", "no-route", NULL },
    { "/desk/%00", "no-route", NULL },
    { "/desk/main.js%00", "no-route", NULL },
    { "/desk/main.js%00.txt", "no-route", NULL }, /* an escaped NUL cuts nothing short */
    { "/desk/index.html%0d%0aX-Evil:%201", "no-route", NULL },
    { "/%2e%2e/desk/", "no-route", NULL },
};

START_TEST(unknown_names_and_traversal)
{
    struct reply r;

    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        http_get(unknown[i].path, &r);
        ck_assert_msg(r.status == 404, "GET %s: %ld %s", unknown[i].path, r.status, r.body);
        assert_problem(&r, 404, unknown[i].slug);
        if (unknown[i].detail)
            ck_assert_msg(strstr(jstr(&r, "detail"), unknown[i].detail), "GET %s: detail %s",
                          unknown[i].path, jstr(&r, "detail"));
        if (!strcmp(unknown[i].slug, "not-found")) {
            ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "/desk/"));
            assert_security_headers(&r, unknown[i].path);
        }
        ck_assert_ptr_null(reply_header(&r, "X-Evil"));
        reply_free(&r);
    }
}
END_TEST

/* GET /v1/me as a key of each role: that key's record, never a secret. */
START_TEST(me_for_each_role)
{
    static const char *const roles[][2] = {
        { "reader", "Lena Auer (Buchhaltung)" },
        { "desk", "Anna Berger" },
        { "manager", "Jürgen Öztürk" },
        { "admin", "IT Dienstleister" },
    };

    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        json_t *created = NULL;
        struct reply r;
        char auth[128];
        const char *key, *id;

        http_json("POST", "/v1/keys",
                  pathf("{\"name\": \"%s\", \"role\": \"%s\"}", roles[i][1], roles[i][0]), &r);
        ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
        created = json_incref(r.json);
        reply_free(&r);
        key = sget(created, "key");
        id = sget(created, "id");
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
        http("GET", "/v1/me", NULL, NULL, (const char *const[]){ auth, NULL }, &r);
        assert_json(&r, 200);
        ck_assert_str_eq(jstr(&r, "key_id"), id);
        ck_assert_str_eq(jstr(&r, "name"), roles[i][1]);
        ck_assert_str_eq(jstr(&r, "role"), roles[i][0]);
        ck_assert_str_eq(jstr(&r, "prefix"), sget(created, "prefix"));
        ck_assert_int_eq(strncmp(key, jstr(&r, "prefix"), 13), 0);
        ck_assert_str_eq(jstr(&r, "created_at"), sget(created, "created_at"));
        ck_assert_int_eq(json_object_size(r.json), 5); /* exactly these: no key, no hash */
        ck_assert_ptr_null(strstr(r.body, key));
        ck_assert_ptr_null(strstr(r.body, key + 13)); /* nor the secret part */
        ck_assert_str_eq(r.cache_control, "no-store");
        reply_free(&r);
        json_decref(created);
    }
}
END_TEST

START_TEST(me_needs_a_valid_key)
{
    struct reply r;
    char auth[128];
    const char *key = harness_create_key(srv.db, "desk"), *id;

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
    http("GET", "/v1/me", NULL, NULL, (const char *const[]){ "Authorization:", NULL }, &r);
    assert_problem(&r, 401, "unauthorized");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "needs an API key"));
    reply_free(&r);
    http("GET", "/v1/me", NULL, NULL,
         (const char *const[]){ "Authorization: Bearer crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                NULL },
         &r);
    assert_problem(&r, 401, "unauthorized");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "not valid"));
    reply_free(&r);
    http("GET", "/v1/me?verbose=true", NULL, NULL, (const char *const[]){ auth, NULL }, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);

    /* revoked: the next request is refused, and says why it may be */
    http("GET", "/v1/me", NULL, NULL, (const char *const[]){ auth, NULL }, &r);
    assert_json(&r, 200);
    id = pathf("/v1/keys/%s", jstr(&r, "key_id"));
    reply_free(&r);
    http("DELETE", id, NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    http("GET", "/v1/me", NULL, NULL, (const char *const[]){ auth, NULL }, &r);
    assert_problem(&r, 401, "unauthorized");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "revoked"));
    ck_assert_str_eq(reply_header(&r, "WWW-Authenticate"),
                     "Bearer realm=\"crmd\", error=\"invalid_token\"");
    reply_free(&r);
}
END_TEST

/* make run (--demo) names the desk's address with the bound port; the key stays out of URLs. */
START_TEST(demo_banner_shows_the_desk)
{
    static const char *const env[] = { "CRMD_DEMO=1", NULL };
    struct server own;
    struct reply r;
    char path[400], line[512], want[128];
    int found = 0;
    FILE *f;

    memset(&own, 0, sizeof own);
    snprintf(own.key, sizeof own.key, "none"); /* the banner's key is the only one */
    server_start(&own, NULL, env);
    snprintf(want, sizeof want, "  Desk: http://127.0.0.1:%d/desk/  (sign in with the key above)\n",
             own.port);
    snprintf(path, sizeof path, "%s/stdout", own.dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f)) {
        found += !strcmp(line, want);
        if (strstr(line, "http://"))
            ck_assert_msg(!strstr(line, "crmd_"), "a key in a URL line: %s", line);
    }
    fclose(f);
    ck_assert_msg(found == 1, "no line \"%s\" in %s", want, path);
    http_get("/desk/", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    ck_assert_int_eq(server_stop(&own), 0);
    snprintf(path, sizeof path, "rm -rf '%s'", own.dir);
    ck_assert_int_eq(system(path), 0);
}
END_TEST

Suite *
desk_suite(void)
{
    Suite *s = suite_create("desk");
    TCase *tc = tcase_create("desk");
    TCase *demo = tcase_create("demo");

    /* the chart library (200 kB) is fetched and compared a few times: room under ASan */
    tcase_set_timeout(tc, 30);
    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_add_test(tc, root_and_desk_redirect_to_the_page);
    tcase_add_test(tc, index_is_the_page_on_disk);
    tcase_add_test(tc, every_file_of_desk_app);
    tcase_add_test(tc, vendor_chart_library);
    tcase_add_test(tc, etag_and_304);
    tcase_add_test(tc, unknown_names_and_traversal);
    tcase_add_test(tc, me_for_each_role);
    tcase_add_test(tc, me_needs_a_valid_key);
    suite_add_tcase(s, tc);
    tcase_set_timeout(demo, 30);
    tcase_add_test(demo, demo_banner_shows_the_desk);
    suite_add_tcase(s, demo);
    return s;
}
