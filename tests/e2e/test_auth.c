/*
 * test_auth: API keys, roles and CORS end to end. The matrix below is
 * docs/operators.md "Security model" as data: every route x every role, plus no key
 * and a bad key; a test checks that it names every operation of the
 * served /openapi.json, so a new route cannot miss its row.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "suites.h"

#define NOBODY "00000000-0000-4000-8000-000000000000"

enum { READER, DESK, MANAGER, ADMIN, NROLES, OPEN = -1 };

static const char *const role_names[NROLES] = {"reader", "desk", "manager", "admin"};
static char keys[NROLES][64]; /* one key per role in srv's database */

/* The role matrix: the least role of each route (OPEN: no key needed) and the exact status
 * every role at or above it gets (a 500 is no "allowed"). */
static const struct {
    const char *method;
    const char *path;
    int least;
    long ok; /* what an allowed role gets: the id names nothing, the body is {} */
} matrix[] = {
    {"GET", "/healthz", OPEN, 0},
    {"GET", "/readyz", OPEN, 0},
    {"GET", "/openapi.json", OPEN, 0},
    {"GET", "/docs", OPEN, 0},
    {"GET", "/metrics", OPEN, 0},
    {"GET", "/", OPEN, 0},
    {"GET", "/desk", OPEN, 0},
    {"GET", "/desk/", OPEN, 0},
    {"GET", "/desk/{file}", OPEN, 0},
    {"GET", "/desk/vendor/{file}", OPEN, 0},
    {"GET", "/v1/me", READER, 200},
    {"GET", "/v1/greeting", READER, 400},
    {"GET", "/v1/rules", READER, 200},
    {"POST", "/v1/customers", MANAGER, 400},
    {"GET", "/v1/customers", READER, 200},
    {"GET", "/v1/customers/duplicates", READER, 200},
    {"GET", "/v1/customers/{id}", READER, 404},
    {"PATCH", "/v1/customers/{id}", DESK, 404}, /* desk: contact data only (desk_* tests) */
    {"DELETE", "/v1/customers/{id}", MANAGER, 404},
    {"GET", "/v1/customers/{id}/people", READER, 404},
    {"GET", "/v1/customers/{id}/companies", READER, 404},
    {"GET", "/v1/customers/{id}/journeys", READER, 404},
    {"GET", "/v1/customers/{id}/export", MANAGER, 404},
    {"GET", "/v1/customers/{id}/contact-policy", READER, 400},
    {"POST", "/v1/customers/{id}/merge", MANAGER, 400},
    {"PUT", "/v1/customers/{company_id}/people/{person_id}", MANAGER, 400},
    {"DELETE", "/v1/customers/{company_id}/people/{person_id}", MANAGER, 404},
    {"POST", "/v1/households", MANAGER, 400},
    {"GET", "/v1/households", READER, 200},
    {"GET", "/v1/households/{id}", READER, 404},
    {"PATCH", "/v1/households/{id}", MANAGER, 404},
    {"DELETE", "/v1/households/{id}", MANAGER, 404},
    {"PUT", "/v1/households/{id}/members/{customer_id}", MANAGER, 400},
    {"DELETE", "/v1/households/{id}/members/{customer_id}", MANAGER, 404},
    {"POST", "/v1/vehicles", MANAGER, 400},
    {"GET", "/v1/vehicles", READER, 200},
    {"GET", "/v1/vehicles/{id}", READER, 404},
    {"PATCH", "/v1/vehicles/{id}", MANAGER, 404},
    {"DELETE", "/v1/vehicles/{id}", MANAGER, 404},
    {"POST", "/v1/touchpoints", DESK, 400},
    {"GET", "/v1/touchpoints", READER, 200},
    {"GET", "/v1/touchpoints/{id}", READER, 404},
    {"PATCH", "/v1/touchpoints/{id}", DESK, 404},
    {"DELETE", "/v1/touchpoints/{id}", MANAGER, 404},
    {"GET", "/v1/journeys/{id}", READER, 404},
    {"GET", "/v1/metrics/experience", READER, 200},
    {"GET", "/v1/search", READER, 400},
    {"GET", "/v1/changes", READER, 200},
    {"POST", "/v1/import", MANAGER, 415},
    {"GET", "/v1/export", MANAGER, 400},
    {"POST", "/v1/webhooks", ADMIN, 400},
    {"GET", "/v1/webhooks", ADMIN, 200},
    {"GET", "/v1/webhooks/{id}", ADMIN, 404},
    {"PATCH", "/v1/webhooks/{id}", ADMIN, 404},
    {"DELETE", "/v1/webhooks/{id}", ADMIN, 404},
    {"GET", "/v1/webhooks/{id}/deliveries", ADMIN, 404},
    {"POST", "/v1/keys", ADMIN, 400},
    {"GET", "/v1/keys", ADMIN, 200},
    {"GET", "/v1/keys/{id}", ADMIN, 404},
    {"DELETE", "/v1/keys/{id}", ADMIN, 404},
    {"POST", "/v1/backup", ADMIN, 400},
    {"GET", "/v1/audit", ADMIN, 200},
};

#define NMATRIX (sizeof matrix / sizeof matrix[0])

/* What an OPEN route answers with any key or none: 200 but for the desk's redirects and its
 * files (the matrix's path names none: test_desk fetches the real ones). */
static long
open_status(const char *pattern)
{
    if (!strcmp(pattern, "/") || !strcmp(pattern, "/desk"))
        return 302;
    if (!strncmp(pattern, "/desk/", 6) && strchr(pattern, '{'))
        return 404;
    return 200;
}

/* An answer with every header line kept (the harness's reply keeps a few). */
struct answer {
    long status;
    char *headers;
    char *body;
    json_t *json;
};

static size_t
collect(char *ptr, size_t size, size_t n, void *ud)
{
    char **s = ud;
    size_t have = *s ? strlen(*s) : 0, add = size * n;

    *s = realloc(*s, have + add + 1);
    memcpy(*s + have, ptr, add);
    (*s)[have + add] = '\0';
    return add;
}

/* Send method path with exactly these headers (no default key); body as application/json. */
static void
send_raw(const char *method, const char *path, const char *body, const char *const *headers,
         struct answer *a)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Expect:");
    char url[1024], *type = NULL;

    memset(a, 0, sizeof *a);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        h = curl_slist_append(h, "Content-Type: application/json");
    }
    for (const char *const *x = headers; x && *x; x++)
        h = curl_slist_append(h, *x);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &a->headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
    if (!a->body)
        a->body = strdup("");
    if (!a->headers)
        a->headers = strdup("");
    a->json = json_loads(a->body, JSON_DECODE_ANY, NULL);
    harness_log_exchange(method, path, body ? "application/json" : NULL, a->status, type, a->body);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

static void
answer_free(struct answer *a)
{
    free(a->headers);
    free(a->body);
    json_decref(a->json);
}

/* Value of header name in a (case-insensitive name), copied into out; 0 when absent. */
static int
header(const struct answer *a, const char *name, char *out, size_t outsz)
{
    size_t n = strlen(name);

    for (const char *l = a->headers; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
        if (strncasecmp(l, name, n) == 0 && l[n] == ':') {
            const char *v = l + n + 1;
            size_t len;
            while (*v == ' ')
                v++;
            len = strcspn(v, "\r\n");
            snprintf(out, outsz, "%.*s", (int)len, v);
            return 1;
        }
    }
    return 0;
}

static void
assert_answer_problem(const struct answer *a, long status, const char *slug)
{
    char type[64];

    ck_assert_msg(a->status == status, "status %ld, want %ld: %s", a->status, status, a->body);
    snprintf(type, sizeof type, "urn:crmd:problem:%s", slug);
    ck_assert_str_eq(json_string_value(json_object_get(a->json, "type")), type);
    ck_assert_int_eq(json_integer_value(json_object_get(a->json, "status")), status);
}

/* The matrix path with every {capture} replaced by an id that exists nowhere. */
static const char *
concrete(const char *pattern)
{
    static char out[512];
    size_t n = 0;

    for (const char *p = pattern; *p && n < sizeof out - 40; p++) {
        if (*p == '{') {
            n += (size_t)snprintf(out + n, sizeof out - n, "%s", NOBODY);
            p = strchr(p, '}');
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return out;
}

static const char *
body_for(const char *method)
{
    return strcmp(method, "GET") && strcmp(method, "DELETE") ? "{}" : NULL;
}

static void
auth_setup(void)
{
    harness_setup();
    for (int r = 0; r < NROLES; r++)
        snprintf(keys[r], sizeof keys[r], "%s", harness_create_key(srv.db, role_names[r]));
}

static const char *
bearer(int role)
{
    return pathf("Authorization: Bearer %s", keys[role]);
}

/* One row of the matrix: each role gets exactly its status or 403; no key and a bad key get 401. */
START_TEST(matrix_row)
{
    const char *path = concrete(matrix[_i].path), *body = body_for(matrix[_i].method);
    const char *bad[] = {"Authorization: Bearer crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                         NULL};
    long open = open_status(matrix[_i].path);
    struct answer a;
    char v[128];

    for (int r = 0; r < NROLES; r++) {
        const char *h[] = {bearer(r), NULL};
        int allowed = matrix[_i].least == OPEN || r >= matrix[_i].least;

        send_raw(matrix[_i].method, path, body, h, &a);
        if (matrix[_i].least == OPEN)
            ck_assert_msg(a.status == open, "%s %s as %s: %ld %s", matrix[_i].method, path,
                          role_names[r], a.status, a.body);
        else if (allowed)
            ck_assert_msg(a.status == matrix[_i].ok, "%s %s as %s: %ld, expected %ld: %s",
                          matrix[_i].method, path, role_names[r], a.status, matrix[_i].ok,
                          a.body);
        else
            assert_answer_problem(&a, 403, "forbidden");
        answer_free(&a);
    }
    send_raw(matrix[_i].method, path, body, NULL, &a);
    if (matrix[_i].least == OPEN) {
        ck_assert_int_eq(a.status, open);
    } else {
        assert_answer_problem(&a, 401, "unauthorized");
        ck_assert(header(&a, "WWW-Authenticate", v, sizeof v));
        ck_assert_str_eq(v, "Bearer realm=\"crmd\"");
    }
    answer_free(&a);
    send_raw(matrix[_i].method, path, body, bad, &a);
    if (matrix[_i].least == OPEN) {
        ck_assert_int_eq(a.status, open);
    } else {
        assert_answer_problem(&a, 401, "unauthorized");
        ck_assert(header(&a, "WWW-Authenticate", v, sizeof v));
        ck_assert_str_eq(v, "Bearer realm=\"crmd\", error=\"invalid_token\"");
    }
    answer_free(&a);
}
END_TEST

/* The matrix names exactly the operations of the served API document. */
START_TEST(matrix_covers_every_operation)
{
    static const char *const methods[] = {"get", "post", "put", "patch", "delete", NULL};
    json_t *spec = fetch("/openapi.json"), *item;
    const char *path;
    size_t ops = 0;

    json_object_foreach (json_object_get(spec, "paths"), path, item) {
        for (int m = 0; methods[m]; m++) {
            size_t i;
            if (!json_object_get(item, methods[m]))
                continue;
            ops++;
            for (i = 0; i < NMATRIX; i++)
                if (!strcmp(matrix[i].path, path) && !strcasecmp(matrix[i].method, methods[m]))
                    break;
            ck_assert_msg(i < NMATRIX, "%s %s has no row in the role matrix", methods[m], path);
        }
    }
    ck_assert_int_eq(ops, NMATRIX);
    json_decref(spec);
}
END_TEST

static void
check_401(const char *const *headers, const char *detail_part)
{
    struct answer a;

    send_raw("GET", "/v1/customers", NULL, headers, &a);
    assert_answer_problem(&a, 401, "unauthorized");
    ck_assert_msg(strstr(json_string_value(json_object_get(a.json, "detail")), detail_part),
                  "detail: %s", a.body);
    answer_free(&a);
}

START_TEST(malformed_keys_are_refused)
{
    static const char *const bad[][2] = {
        {"Authorization: Basic YWRtaW46YWRtaW4=", NULL},
        {"Authorization: Bearer", NULL},
        {"Authorization: Bearer crmd_short", NULL},
        {"Authorization: Bearer crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*", NULL},
        {"Authorization: Bearer xxxx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL},
    };
    char wrong[128];
    const char *h[] = {wrong, NULL};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_401(bad[i], "not valid");
    /* the right prefix with another secret: found by prefix, refused by the hash */
    snprintf(wrong, sizeof wrong, "Authorization: Bearer %.*sAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
             13, keys[ADMIN]);
    check_401(h, "not valid");
    /* the scheme is case-insensitive */
    snprintf(wrong, sizeof wrong, "Authorization: bearer %s", keys[READER]);
    {
        struct answer a;
        send_raw("GET", "/v1/customers", NULL, h, &a);
        ck_assert_int_eq(a.status, 200);
        answer_free(&a);
    }
}
END_TEST

/* POST /v1/keys shows the key once; lists never show it or its hash; DELETE revokes at once. */
START_TEST(keys_api_lifecycle)
{
    struct reply r;
    json_t *items, *k;
    char key[64], id[40], auth[96];
    const char *h[] = {auth, NULL};
    struct answer a;
    size_t i;

    http_json("POST", "/v1/keys", "{\"name\":\"Front desk 1\",\"role\":\"desk\"}", &r);
    assert_json(&r, 201);
    snprintf(key, sizeof key, "%s", jstr(&r, "key"));
    snprintf(id, sizeof id, "%s", jstr(&r, "id"));
    ck_assert_int_eq(strlen(key), 48);
    ck_assert(strncmp(key, "crmd_", 5) == 0);
    ck_assert(strncmp(key, jstr(&r, "prefix"), 13) == 0);
    ck_assert_str_eq(jstr(&r, "role"), "desk");
    ck_assert_str_eq(r.location, pathf("/v1/keys/%s", id));
    reply_free(&r);

    http_json("POST", "/v1/keys", "{\"name\":\"Front desk 1\",\"role\":\"reader\"}", &r);
    assert_problem(&r, 409, "conflict");
    reply_free(&r);
    http_json("POST", "/v1/keys", "{\"name\":\"x\",\"role\":\"root\",\"hash\":\"00\"}", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "role");
    assert_field_error(&r, "hash");
    reply_free(&r);

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
    send_raw("GET", "/v1/customers", NULL, h, &a);
    ck_assert_int_eq(a.status, 200);
    answer_free(&a);
    k = fetch(pathf("/v1/keys/%s", id));
    ck_assert_ptr_null(json_object_get(k, "key"));
    ck_assert_ptr_null(json_object_get(k, "hash"));
    ck_assert_msg(json_is_string(json_object_get(k, "last_used_at")), "last_used_at not set");
    ck_assert(json_is_null(json_object_get(k, "revoked_at")));
    json_decref(k);
    items = fetch_items("/v1/keys?limit=200");
    json_array_foreach (items, i, k) {
        ck_assert_ptr_null(json_object_get(k, "key"));
        ck_assert_ptr_null(json_object_get(k, "hash"));
    }
    json_decref(items);

    http("DELETE", pathf("/v1/keys/%s", id), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    check_401(h, "not valid");
    k = fetch(pathf("/v1/keys/%s", id));
    ck_assert(json_is_string(json_object_get(k, "revoked_at")));
    json_decref(k);
    /* the name is free again */
    http_json("POST", "/v1/keys", "{\"name\":\"Front desk 1\",\"role\":\"desk\"}", &r);
    assert_json(&r, 201);
    reply_free(&r);
    http("DELETE", "/v1/keys/" NOBODY, NULL, NULL, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

/* `crmd keys revoke NAME` on the running server's database: the next request gets 401. */
START_TEST(cli_revoke_applies_to_running_server)
{
    char cmd[1024], auth[96];
    const char *h[] = {auth, NULL};
    const char *key = harness_create_key(srv.db, "reader");
    json_t *items, *k;
    const char *name = NULL;
    struct answer a;
    size_t i;

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
    send_raw("GET", "/v1/customers", NULL, h, &a);
    ck_assert_int_eq(a.status, 200);
    answer_free(&a);
    items = fetch_items("/v1/keys?limit=200");
    json_array_foreach (items, i, k)
        if (!strncmp(sget(k, "prefix"), key, 13))
            name = sget(k, "name");
    ck_assert_ptr_nonnull(name);
    snprintf(cmd, sizeof cmd, "'%s' keys revoke '%s' --db '%s' 2>/dev/null", getenv("CRMD_BIN"),
             name, srv.db);
    ck_assert_int_eq(system(cmd), 0);
    json_decref(items);
    check_401(h, "not valid");
}
END_TEST

/* Every member of the desk grant (routes.c's customer_contact_fields): a patch and what reading
 * the record back must show (a subset: consents gain their "at"). */
static const struct {
    const char *member, *patch, *back;
} desk_contact_patches[] = {
    {"emails", "{\"emails\":[{\"address\":\"neu@example.org\"}]}",
     "[{\"address\":\"neu@example.org\"}]"},
    {"phones", "{\"phones\":null}", "null"},
    {"address", "{\"address\":null}", "null"},
    {"preferences", "{\"preferences\":null}", "null"},
    {"consents", "{\"consents\":{\"phone\":\"withdrawn\"}}", "{\"phone\":{\"status\":\"withdrawn\"}}"},
    {"do_not_contact", "{\"do_not_contact\":true}", "true"},
};

#define NDESK (sizeof desk_contact_patches / sizeof desk_contact_patches[0])

/* want is within got: objects member by member, arrays item by item, the rest equal; a
 * missing member counts as null. */
static int
json_within(const json_t *want, const json_t *got)
{
    const char *k;
    json_t *v;
    size_t i;

    if (json_is_null(want))
        return !got || json_is_null(got);
    if (json_is_object(want)) {
        json_object_foreach ((json_t *)want, k, v)
            if (!json_is_object(got) || !json_within(v, json_object_get(got, k)))
                return 0;
        return 1;
    }
    if (json_is_array(want)) {
        if (!json_is_array(got) || json_array_size(got) != json_array_size(want))
            return 0;
        json_array_foreach ((json_t *)want, i, v)
            if (!json_within(v, json_array_get(got, i)))
                return 0;
        return 1;
    }
    return json_equal(want, got);
}

/* A desk key changes each member of a customer's contact data, and it reads back ... */
START_TEST(desk_patches_contact_data)
{
    const char *id = new_person_named("Kontakt");
    const char *h[] = {bearer(DESK), NULL};
    struct answer a;
    json_t *want, *got;

    send_raw("PATCH", pathf("/v1/customers/%s", id), desk_contact_patches[_i].patch, h, &a);
    ck_assert_msg(a.status == 200, "%s: %ld %s", desk_contact_patches[_i].member, a.status, a.body);
    answer_free(&a);
    want = json_loads(desk_contact_patches[_i].back, JSON_DECODE_ANY, NULL);
    got = fetch(pathf("/v1/customers/%s", id));
    ck_assert_msg(json_within(want, json_object_get(got, desk_contact_patches[_i].member)),
                  "%s did not read back as %s", desk_contact_patches[_i].member,
                  desk_contact_patches[_i].back);
    json_decref(want);
    json_decref(got);
}
END_TEST

/* ... and the list above is the server's grant: the 403 names it "(a, b, ...)". */
START_TEST(desk_grant_is_the_tested_list)
{
    const char *id = new_person_named("Liste");
    const char *h[] = {bearer(DESK), NULL};
    struct answer a;
    char list[256], *tok, *save = NULL;
    const char *open, *close;
    size_t n = 0;

    send_raw("PATCH", pathf("/v1/customers/%s", id), "{\"notes\":\"n\"}", h, &a);
    assert_answer_problem(&a, 403, "forbidden");
    open = strchr(sget(a.json, "detail"), '(');
    ck_assert_ptr_nonnull(open);
    close = strchr(open, ')');
    ck_assert_ptr_nonnull(close);
    snprintf(list, sizeof list, "%.*s", (int)(close - open - 1), open + 1);
    for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save), n++) {
        size_t i;
        for (i = 0; i < NDESK && strcmp(desk_contact_patches[i].member, tok); i++)
            ;
        ck_assert_msg(i < NDESK, "desk may change %s, which the test does not change", tok);
    }
    ck_assert_int_eq(n, NDESK);
    answer_free(&a);
}
END_TEST

/* ... and nothing else of it: 403 naming each member; nothing is written. */
START_TEST(desk_cannot_patch_other_members)
{
    const char *id = new_person_named("Fremd");
    const char *h[] = {bearer(DESK), NULL};
    struct answer a;
    json_t *before = fetch(pathf("/v1/customers/%s", id)), *after;
    json_t *errors;

    send_raw(
        "PATCH", pathf("/v1/customers/%s", id),
        "{\"emails\":[{\"address\":\"x@example.org\"}],\"family_name\":\"Anders\",\"notes\":\"n\"}",
        h, &a);
    assert_answer_problem(&a, 403, "forbidden");
    errors = json_object_get(a.json, "errors");
    ck_assert_int_eq(json_array_size(errors), 2);
    ck_assert(strstr(a.body, "\"family_name\"") && strstr(a.body, "\"notes\""));
    answer_free(&a);
    after = fetch(pathf("/v1/customers/%s", id));
    ck_assert(json_equal(before, after));
    json_decref(before);
    json_decref(after);
    /* a reader may not even do that */
    {
        const char *r[] = {bearer(READER), NULL};
        send_raw("PATCH", pathf("/v1/customers/%s", id), "{\"do_not_contact\":true}", r, &a);
        assert_answer_problem(&a, 403, "forbidden");
        answer_free(&a);
    }
}
END_TEST

/* The log (stderr) never holds a key or the query of a request. */
START_TEST(log_has_no_key_or_query)
{
    char cmd[600];
    struct reply r;

    http_get("/v1/greeting?phone=%2B4917099887766", &r);
    reply_free(&r);
    http_get("/v1/search?q=geheim-suchwort", &r);
    reply_free(&r);
    snprintf(cmd, sizeof cmd,
             "grep -q -e crmd_ -e 4917099887766 -e geheim-suchwort -e '%.13s' '%s'", srv.key,
             srv.log);
    ck_assert_msg(system(cmd) != 0, "the log %s holds a key or a query", srv.log);
}
END_TEST

static struct server own;

static void
own_remove(void)
{
    char cmd[300];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", own.dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", own.dir);
}

/* A database without keys: /v1 answers 401 saying how to make one; probes still answer. */
START_TEST(no_keys_explains_how_to_create_one)
{
    struct answer a;

    memset(&own, 0, sizeof own);
    snprintf(own.key, sizeof own.key, "none"); /* the harness makes no key */
    server_start(&own, NULL, NULL);
    check_401(NULL, "crmd keys create");
    send_raw("GET", "/readyz", NULL, NULL, &a);
    ck_assert_int_eq(a.status, 200);
    answer_free(&a);
    ck_assert_int_eq(server_stop(&own), 0);
    own_remove();
}
END_TEST

/* --demo prints a labelled admin key on stdout (not in the log) that works. */
START_TEST(demo_prints_a_working_key)
{
    static const char *const env[] = {"CRMD_DEMO=1", NULL};
    char path[400], line[256], *k = NULL;
    FILE *f;
    struct answer a;
    char auth[96];
    const char *h[] = {auth, NULL};

    memset(&own, 0, sizeof own);
    snprintf(own.key, sizeof own.key, "none");
    server_start(&own, NULL, env);
    snprintf(path, sizeof path, "%s/stdout", own.dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    while (!k && fgets(line, sizeof line, f))
        k = strstr(line, "Bearer crmd_");
    fclose(f);
    ck_assert_ptr_nonnull(k);
    snprintf(auth, sizeof auth, "Authorization: Bearer %.48s", k + 7);
    send_raw("GET", "/v1/customers?limit=1", NULL, h, &a);
    ck_assert_msg(a.status == 200, "%ld %s", a.status, a.body);
    answer_free(&a);
    snprintf(path, sizeof path, "grep -q 'crmd_' '%s'", own.log);
    ck_assert_msg(system(path) != 0, "the demo key is in the log");
    ck_assert_int_eq(server_stop(&own), 0);
    own_remove();
}
END_TEST

static const char *const cors_env[] = {
    "CRMD_CORS_ORIGINS=https://desk.example, http://localhost:5173", NULL};

static void
cors_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, cors_env);
}

/* A preflight from an allowed origin, without a key: 204 with the CORS answer. */
START_TEST(preflight_allowed_origin)
{
    const char *h[] = {"Origin: https://desk.example", "Access-Control-Request-Method: PATCH",
                       "Access-Control-Request-Headers: authorization, content-type, if-match",
                       NULL};
    struct answer a;
    char v[256];

    send_raw("OPTIONS", "/v1/customers/" NOBODY, NULL, h, &a);
    ck_assert_int_eq(a.status, 204);
    ck_assert_str_eq(a.body, "");
    ck_assert(header(&a, "Access-Control-Allow-Origin", v, sizeof v));
    ck_assert_str_eq(v, "https://desk.example");
    ck_assert(header(&a, "Access-Control-Allow-Methods", v, sizeof v));
    ck_assert(strstr(v, "PATCH") && strstr(v, "DELETE") && strstr(v, "GET"));
    ck_assert(header(&a, "Access-Control-Allow-Headers", v, sizeof v));
    ck_assert(strstr(v, "Authorization") && strstr(v, "If-Match") && strstr(v, "Content-Type"));
    ck_assert(header(&a, "Access-Control-Max-Age", v, sizeof v));
    ck_assert(header(&a, "Vary", v, sizeof v));
    ck_assert_str_eq(v, "Origin");
    ck_assert(header(&a, "Allow", v, sizeof v));
    answer_free(&a);
}
END_TEST

/* Another origin gets no CORS headers (the browser then refuses); unknown paths 404. */
START_TEST(preflight_other_origin)
{
    const char *h[] = {"Origin: https://evil.example", "Access-Control-Request-Method: GET", NULL};
    struct answer a;
    char v[256];

    send_raw("OPTIONS", "/v1/customers", NULL, h, &a);
    ck_assert_int_eq(a.status, 204);
    ck_assert(!header(&a, "Access-Control-Allow-Origin", v, sizeof v));
    ck_assert(!header(&a, "Access-Control-Allow-Methods", v, sizeof v));
    ck_assert(header(&a, "Vary", v, sizeof v));
    answer_free(&a);
    send_raw("OPTIONS", "/v1/nowhere", NULL, h, &a);
    assert_answer_problem(&a, 404, "no-route");
    answer_free(&a);
}
END_TEST

/* Actual requests from an allowed origin expose ETag, Location and Retry-After. */
START_TEST(cors_on_answers)
{
    const char *ok[] = {"Origin: http://localhost:5173", srv.auth, NULL};
    const char *other[] = {"Origin: http://localhost:5174", srv.auth, NULL};
    struct answer a;
    char v[256];

    send_raw("POST", "/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Browser\"}", ok, &a);
    ck_assert_int_eq(a.status, 201);
    ck_assert(header(&a, "Access-Control-Allow-Origin", v, sizeof v));
    ck_assert_str_eq(v, "http://localhost:5173");
    ck_assert(header(&a, "Access-Control-Expose-Headers", v, sizeof v));
    ck_assert(strstr(v, "ETag") && strstr(v, "Location") && strstr(v, "Retry-After"));
    answer_free(&a);
    /* a 401 carries them too, so the page can read the problem */
    send_raw("GET", "/v1/customers", NULL, (const char *const[]){ok[0], NULL}, &a);
    ck_assert_int_eq(a.status, 401);
    ck_assert(header(&a, "Access-Control-Allow-Origin", v, sizeof v));
    answer_free(&a);
    send_raw("GET", "/v1/customers", NULL, other, &a);
    ck_assert_int_eq(a.status, 200);
    ck_assert(!header(&a, "Access-Control-Allow-Origin", v, sizeof v));
    answer_free(&a);
}
END_TEST

Suite *
auth_suite(void)
{
    Suite *s = suite_create("auth");
    TCase *m = tcase_create("matrix"), *k = tcase_create("keys"), *c = tcase_create("cors");
    TCase *o = tcase_create("own_servers");

    tcase_add_unchecked_fixture(m, auth_setup, harness_teardown);
    tcase_set_timeout(m, 60);
    tcase_add_loop_test(m, matrix_row, 0, NMATRIX);
    tcase_add_test(m, matrix_covers_every_operation);
    tcase_add_test(m, malformed_keys_are_refused);
    tcase_add_loop_test(m, desk_patches_contact_data, 0, NDESK);
    tcase_add_test(m, desk_grant_is_the_tested_list);
    tcase_add_test(m, desk_cannot_patch_other_members);
    suite_add_tcase(s, m);

    tcase_add_unchecked_fixture(k, auth_setup, harness_teardown);
    tcase_add_test(k, keys_api_lifecycle);
    tcase_add_test(k, cli_revoke_applies_to_running_server);
    tcase_add_test(k, log_has_no_key_or_query);
    suite_add_tcase(s, k);

    tcase_add_test(o, no_keys_explains_how_to_create_one);
    tcase_add_test(o, demo_prints_a_working_key);
    tcase_set_timeout(o, 60);
    suite_add_tcase(s, o);

    tcase_add_unchecked_fixture(c, cors_setup, harness_teardown);
    tcase_add_test(c, preflight_allowed_origin);
    tcase_add_test(c, preflight_other_origin);
    tcase_add_test(c, cors_on_answers);
    suite_add_tcase(s, c);
    return s;
}
