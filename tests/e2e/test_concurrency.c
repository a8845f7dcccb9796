/*
 * test_concurrency: optimistic concurrency and idempotent retries. ETags
 * on GET/POST/PATCH of every resource, If-None-Match (304), If-Match on
 * PATCH, DELETE and household members (412 with the current version,
 * nothing written), two desks racing with the same If-Match, and POST with
 * Idempotency-Key: replay, reuse with another body or path (422), bad keys,
 * concurrent retries and expiry (own servers with CRMD_FAKE_NOW).
 * Requests go through a small libcurl client of this file, which also
 * reads ETag and Idempotent-Replayed and is safe to call from threads.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define NO_SUCH_ID "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"
#define TAG_MAX 64

struct xreply {
    long status;
    char content_type[128];
    char location[256];
    char etag[TAG_MAX];
    char request_id[80];
    int replayed; /* Idempotent-Replayed: true */
    char *body;   /* "" when none */
    json_t *json;
};

struct sink {
    char *data;
    size_t len;
};

static size_t
on_body(char *ptr, size_t size, size_t n, void *ud)
{
    struct sink *s = ud;
    size_t add = size * n;

    s->data = realloc(s->data, s->len + add + 1);
    memcpy(s->data + s->len, ptr, add);
    s->len += add;
    s->data[s->len] = '\0';
    return add;
}

/* Copy the value of header name from line into out when the line is that header. */
static void
header_value(const char *line, size_t len, const char *name, char *out, size_t outsz)
{
    size_t n = strlen(name), vl;
    const char *v;

    if (len <= n + 1 || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return;
    v = line + n + 1;
    vl = len - n - 1;
    while (vl && *v == ' ')
        v++, vl--;
    while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n'))
        vl--;
    snprintf(out, outsz, "%.*s", (int)vl, v);
}

static size_t
on_header(char *line, size_t size, size_t n, void *ud)
{
    struct xreply *r = ud;
    size_t len = size * n;
    char replayed[16] = "";

    header_value(line, len, "Content-Type", r->content_type, sizeof r->content_type);
    header_value(line, len, "Location", r->location, sizeof r->location);
    header_value(line, len, "ETag", r->etag, sizeof r->etag);
    header_value(line, len, "X-Request-Id", r->request_id, sizeof r->request_id);
    header_value(line, len, "Idempotent-Replayed", replayed, sizeof replayed);
    if (strcmp(replayed, "true") == 0)
        r->replayed = 1;
    return len;
}

/*
 * One request to srv without assertions (usable from threads): PATCH
 * bodies go as application/merge-patch+json, others as application/json.
 * headers: NULL-terminated "Name: value" strings or NULL. Returns 0 or -1.
 */
static int
xsend(const char *method, const char *path, const char *body, const char *const *headers,
      struct xreply *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    struct sink sink = { 0 };
    char url[1024];
    CURLcode rc;

    memset(r, 0, sizeof *r);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        h = curl_slist_append(h, strcmp(method, "PATCH") == 0
                                     ? "Content-Type: application/merge-patch+json"
                                     : "Content-Type: application/json");
    }
    h = curl_slist_append(h, srv.auth);
    h = curl_slist_append(h, "Expect:");
    for (const char *const *x = headers; x && *x; x++)
        h = curl_slist_append(h, *x);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    r->body = sink.data ? sink.data : strdup("");
    r->json = r->body[0] ? json_loads(r->body, JSON_DECODE_ANY, NULL) : NULL;
    if (rc == CURLE_OK)
        harness_log_exchange(method, path,
                             body ? (strcmp(method, "PATCH") == 0 ? "application/merge-patch+json"
                                                                  : "application/json")
                                  : NULL,
                             r->status, r->content_type[0] ? r->content_type : NULL, r->body);
    return rc == CURLE_OK ? 0 : -1;
}

static void
xhttp(const char *method, const char *path, const char *body, const char *const *headers,
      struct xreply *r)
{
    ck_assert_msg(xsend(method, path, body, headers, r) == 0, "%s %s failed", method, path);
}

static void
xfree(struct xreply *r)
{
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

/* As harness assert_problem, for an xreply. */
static void
xproblem(const struct xreply *r, long status, const char *slug)
{
    char type[96];

    ck_assert_msg(r->status == status, "status %ld, want %ld: %s", r->status, status, r->body);
    ck_assert_msg(strncmp(r->content_type, "application/problem+json", 24) == 0, "content type %s",
                  r->content_type);
    snprintf(type, sizeof type, "urn:crmd:problem:%s", slug);
    ck_assert_str_eq(json_string_value(json_object_get(r->json, "type")), type);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "status")), status);
    ck_assert_msg(r->etag[0] == '\0', "a problem carries no ETag (got %s)", r->etag);
}

static void
assert_detail_has(const struct xreply *r, const char *part)
{
    const char *detail = json_string_value(json_object_get(r->json, "detail"));

    ck_assert_msg(detail && strstr(detail, part), "detail without '%s': %s", part, r->body);
}

static void
xok(const struct xreply *r, long status)
{
    ck_assert_msg(r->status == status, "status %ld, want %ld: %s", r->status, status, r->body);
    ck_assert_msg(strncmp(r->content_type, "application/json", 16) == 0, "content type %s",
                  r->content_type);
    ck_assert_ptr_nonnull(r->json);
}

static long long
ver(const json_t *o)
{
    return json_integer_value(json_object_get(o, "version"));
}

/* "If-Match: <tag>" etc. in rotating storage. */
static const char *
hdr(const char *name, const char *value)
{
    return pathf("%s: %s", name, value);
}

/* GET path, assert 200 with an ETag; the ETag into etag (TAG_MAX), the body returned. */
static json_t *
get_tagged(const char *path, char *etag)
{
    struct xreply r;
    json_t *j;

    xhttp("GET", path, NULL, NULL, &r);
    xok(&r, 200);
    ck_assert_msg(r.etag[0] == '"', "GET %s: no strong ETag (%s)", path, r.etag);
    snprintf(etag, TAG_MAX, "%s", r.etag);
    j = json_incref(r.json);
    xfree(&r);
    return j;
}

static const char *
new_person(void)
{
    return create_ok("/v1/customers",
                     pathf("{\"kind\":\"person\",\"family_name\":\"%s\"}", uniq("Desk")));
}

/* ---- the four resources, table-driven ---- */

struct kind {
    const char *path;
    const char *create; /* body of a POST without its closing brace */
    const char *ref;    /* member naming a new person, or NULL */
    const char *text;   /* a text member PATCH can change */
    int computed;       /* ETag "v<n>.<hex>" rather than "v<n>" */
};

static const struct kind kinds[] = {
    { "/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Etag\"", NULL, "notes", 1 },
    { "/v1/households", "{\"name\":\"Etag\"", NULL, "notes", 1 },
    { "/v1/vehicles", "{\"make\":\"VW\",\"plate\":\"M-ET 1\"", "owner_id", "notes", 0 },
    { "/v1/touchpoints", "{\"kind\":\"service_visit\",\"channel\":\"in_person\"", "customer_id",
      "summary", 0 },
};

#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

/* The merge patch of kind k setting its text member to text. */
static const char *
patch_of(const struct kind *k, const char *text)
{
    return pathf("{\"%s\":\"%s\"}", k->text, text);
}

/* Create one record of kind k: its path into path (200 bytes), its POST's ETag into etag. */
static void
create_kind(const struct kind *k, char *path, char *etag)
{
    const char *body = k->ref ? pathf("%s,\"%s\":\"%s\"}", k->create, k->ref, new_person())
                              : pathf("%s}", k->create);
    struct xreply r;

    xhttp("POST", k->path, body, NULL, &r);
    xok(&r, 201);
    snprintf(path, 200, "%s/%s", k->path, json_string_value(json_object_get(r.json, "id")));
    snprintf(etag, TAG_MAX, "%s", r.etag);
    xfree(&r);
}

/* ETag "v<version>" or "v<version>.<16 hex>". */
static void
assert_etag_shape(const char *etag, long long version, int computed)
{
    char want[32];
    size_t n = (size_t)snprintf(want, sizeof want, "\"v%lld", version);

    ck_assert_msg(strncmp(etag, want, n) == 0, "ETag %s is not of version %lld", etag, version);
    if (computed)
        ck_assert_msg(etag[n] == '.' && strspn(etag + n + 1, "0123456789abcdef") == 16 &&
                          strcmp(etag + n + 17, "\"") == 0,
                      "ETag %s: want \"v%lld.<16 hex>\"", etag, version);
    else
        ck_assert_msg(strcmp(etag + n, "\"") == 0, "ETag %s: want \"v%lld\"", etag, version);
}

/* POST, GET and PATCH carry the ETag of the representation they return. */
START_TEST(etag_on_post_get_patch)
{
    const struct kind *k = &kinds[_i];
    char path[200], posted[TAG_MAX], got[TAG_MAX], again[TAG_MAX];
    struct xreply r;
    json_t *doc;

    create_kind(k, path, posted);
    assert_etag_shape(posted, 1, k->computed);
    doc = get_tagged(path, got);
    ck_assert_str_eq(got, posted);
    ck_assert_int_eq(ver(doc), 1);
    json_decref(doc);

    xhttp("PATCH", path, patch_of(k, "desk 1"), NULL, &r);
    xok(&r, 200);
    ck_assert_int_eq(ver(r.json), 2);
    assert_etag_shape(r.etag, 2, k->computed);
    doc = get_tagged(path, again);
    ck_assert_str_eq(again, r.etag);
    ck_assert_str_ne(again, posted);
    json_decref(doc);
    xfree(&r);

    /* a patch that changes nothing keeps version and ETag */
    xhttp("PATCH", path, patch_of(k, "desk 1"), NULL, &r);
    xok(&r, 200);
    ck_assert_str_eq(r.etag, again);
    xfree(&r);
}
END_TEST

/* If-None-Match with the current ETag → 304 without body; a changed record → 200. */
START_TEST(if_none_match_not_modified)
{
    const struct kind *k = &kinds[_i];
    char path[200], etag[TAG_MAX], weak[TAG_MAX + 2];
    const char *matching[5];
    struct xreply r;

    create_kind(k, path, etag);
    snprintf(weak, sizeof weak, "W/%s", etag);
    matching[0] = etag;
    matching[1] = pathf("\"v0\", %s", etag);
    matching[2] = weak;
    matching[3] = "*";
    matching[4] = pathf("\"other\",%s , \"v99\"", etag);
    for (int i = 0; i < 5; i++) {
        const char *h[] = { hdr("If-None-Match", matching[i]), "X-Request-Id: inm-304", NULL };
        xhttp("GET", path, NULL, h, &r);
        ck_assert_msg(r.status == 304, "If-None-Match: %s → %ld", matching[i], r.status);
        ck_assert_str_eq(r.body, "");
        ck_assert_str_eq(r.etag, etag);
        ck_assert_str_eq(r.request_id, "inm-304");
        xfree(&r);
    }
    {
        const char *h[] = { hdr("If-None-Match", "\"v0\", W/\"v7\""), NULL };
        xhttp("GET", path, NULL, h, &r);
        xok(&r, 200);
        ck_assert_str_eq(r.etag, etag);
        xfree(&r);
    }

    xhttp("PATCH", path, patch_of(k, "desk 1"), NULL, &r);
    xok(&r, 200);
    xfree(&r);
    {
        const char *h[] = { hdr("If-None-Match", etag), NULL };
        xhttp("GET", path, NULL, h, &r);
        xok(&r, 200);
        ck_assert_int_eq(ver(r.json), 2);
        ck_assert_str_ne(r.etag, etag);
        xfree(&r);
    }
}
END_TEST

/* Joining a household changes the customer's "household", not its version: still a new ETag. */
START_TEST(customer_etag_follows_household)
{
    const char *person = new_person();
    char cpath[200], household[40], before[TAG_MAX], after[TAG_MAX];
    struct xreply r;
    json_t *doc;

    snprintf(cpath, sizeof cpath, "/v1/customers/%s", person);
    snprintf(household, sizeof household, "%s",
             create_ok("/v1/households", pathf("{\"name\":\"%s\"}", uniq("Haus"))));
    json_decref(get_tagged(cpath, before));
    {
        struct reply put;
        http_json("PUT", pathf("/v1/households/%s/members/%s", household, person),
                  "{\"role\":\"head\"}", &put);
        ck_assert_int_eq(put.status, 201);
        reply_free(&put);
    }
    {
        const char *h[] = { hdr("If-None-Match", before), NULL };
        xhttp("GET", cpath, NULL, h, &r);
        xok(&r, 200);
        ck_assert_int_eq(ver(r.json), 1);
        ck_assert_str_eq(sget(json_object_get(r.json, "household"), "id"), household);
        ck_assert_str_ne(r.etag, before);
        assert_etag_shape(r.etag, 1, 1);
        xfree(&r);
    }
    /* and a PATCH based on the old ETag is refused */
    {
        const char *h[] = { hdr("If-Match", before), NULL };
        xhttp("PATCH", cpath, "{\"notes\":\"stale\"}", h, &r);
        xproblem(&r, 412, "precondition-failed");
        xfree(&r);
    }
    doc = get_tagged(cpath, after);
    ck_assert(json_is_null(json_object_get(doc, "notes")));
    json_decref(doc);
}
END_TEST

/* If-Match with an old ETag → 412 naming the current version; nothing is written. */
START_TEST(if_match_stale_is_refused)
{
    const struct kind *k = &kinds[_i];
    char path[200], v1[TAG_MAX], now[TAG_MAX];
    struct xreply r;
    json_t *before, *after;

    create_kind(k, path, v1);
    xhttp("PATCH", path, patch_of(k, "desk 1"), NULL, &r); /* another desk: version 2 */
    xok(&r, 200);
    xfree(&r);
    before = get_tagged(path, now);
    {
        const char *h[] = { hdr("If-Match", v1), NULL };
        xhttp("PATCH", path, patch_of(k, "desk 2"), h, &r);
    }
    xproblem(&r, 412, "precondition-failed");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "current_version")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "current_etag")), now);
    xfree(&r);
    after = get_tagged(path, v1);
    ck_assert_msg(json_equal(before, after), "a refused PATCH changed the record");
    ck_assert_str_eq(v1, now);
    json_decref(before);
    json_decref(after);
}
END_TEST

/* If-Match current, "*", a list holding the current ETag → 200; a weak tag never matches. */
START_TEST(if_match_current_is_applied)
{
    char path[200], etag[TAG_MAX], weak[TAG_MAX + 2];
    const struct kind *k = &kinds[_i];
    struct xreply r;

    create_kind(k, path, etag);
    {
        const char *h[] = { hdr("If-Match", etag), NULL };
        xhttp("PATCH", path, patch_of(k, "desk 1"), h, &r);
        xok(&r, 200);
        ck_assert_int_eq(ver(r.json), 2);
        snprintf(etag, sizeof etag, "%s", r.etag);
        xfree(&r);
    }
    {
        const char *h[] = { "If-Match: *", NULL };
        xhttp("PATCH", path, patch_of(k, "star"), h, &r);
        xok(&r, 200);
        ck_assert_int_eq(ver(r.json), 3);
        snprintf(etag, sizeof etag, "%s", r.etag);
        xfree(&r);
    }
    {
        const char *h[] = { hdr("If-Match", pathf("\"v1\", %s", etag)), NULL };
        xhttp("PATCH", path, patch_of(k, "list"), h, &r);
        xok(&r, 200);
        ck_assert_int_eq(ver(r.json), 4);
        snprintf(etag, sizeof etag, "%s", r.etag);
        xfree(&r);
    }
    snprintf(weak, sizeof weak, "W/%s", etag);
    {
        const char *h[] = { hdr("If-Match", weak), NULL };
        xhttp("PATCH", path, patch_of(k, "weak"), h, &r);
        xproblem(&r, 412, "precondition-failed");
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "current_version")), 4);
        xfree(&r);
    }
}
END_TEST

/* Malformed If-Match / If-None-Match → 400; over 256 bytes → 400; nothing written. */
START_TEST(malformed_preconditions)
{
    static const char *const bad[] = { "v1", "\"v1", "\"v1\" \"v2\"", "*, \"v1\"", " , " };
    char path[200], etag[TAG_MAX], longtag[300];
    struct xreply r;
    json_t *doc;

    create_kind(&kinds[0], path, etag);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *h[] = { hdr("If-Match", bad[i]), NULL };
        const char *g[] = { hdr("If-None-Match", bad[i]), NULL };
        xhttp("PATCH", path, "{\"notes\":\"x\"}", h, &r);
        xproblem(&r, 400, "bad-request");
        assert_detail_has(&r, "If-Match");
        xfree(&r);
        xhttp("DELETE", path, NULL, h, &r);
        xproblem(&r, 400, "bad-request");
        xfree(&r);
        xhttp("GET", path, NULL, g, &r);
        xproblem(&r, 400, "bad-request");
        xfree(&r);
    }
    {
        const char *h[] = { "If-Match;", NULL }; /* curl's way to send an empty value */
        xhttp("PATCH", path, "{\"notes\":\"x\"}", h, &r);
        xproblem(&r, 400, "bad-request");
        xfree(&r);
    }
    memset(longtag, 'a', sizeof longtag - 1);
    longtag[0] = longtag[sizeof longtag - 2] = '"';
    longtag[sizeof longtag - 1] = '\0';
    {
        const char *h[] = { hdr("If-Match", longtag), NULL };
        xhttp("PATCH", path, "{\"notes\":\"x\"}", h, &r);
        xproblem(&r, 400, "bad-request");
        assert_detail_has(&r, "256");
        xfree(&r);
    }
    doc = get_tagged(path, etag);
    ck_assert_int_eq(ver(doc), 1);
    assert_etag_shape(etag, 1, 1);
    json_decref(doc);
}
END_TEST

/* DELETE with a stale If-Match → 412 and the record stays; with the current one → 204. */
START_TEST(delete_if_match)
{
    const struct kind *k = &kinds[_i];
    char path[200], v1[TAG_MAX];
    struct xreply r;

    create_kind(k, path, v1);
    xhttp("PATCH", path, patch_of(k, "desk 1"), NULL, &r);
    xok(&r, 200);
    {
        char v2[TAG_MAX];
        const char *stale[] = { hdr("If-Match", v1), NULL };
        const char *current[] = { NULL, NULL };

        snprintf(v2, sizeof v2, "%s", r.etag);
        xfree(&r);
        xhttp("DELETE", path, NULL, stale, &r);
        xproblem(&r, 412, "precondition-failed");
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "current_version")), 2);
        xfree(&r);
        json_decref(fetch(path));
        current[0] = hdr("If-Match", v2);
        xhttp("DELETE", path, NULL, current, &r);
        ck_assert_int_eq(r.status, 204);
        xfree(&r);
    }
    assert_gone(path);
    {
        const char *h[] = { "If-Match: *", NULL };
        xhttp("DELETE", path, NULL, h, &r); /* nothing there: 404, not 412 */
        xproblem(&r, 404, "not-found");
        xfree(&r);
        xhttp("PATCH", pathf("%s/%s", k->path, NO_SUCH_ID), patch_of(k, "gone"), h, &r);
        xproblem(&r, 404, "not-found");
        xfree(&r);
    }
}
END_TEST

/* ---- two desks ---- */

struct desk {
    const char *path;
    const char *body;
    const char *if_match;
    pthread_barrier_t *start;
    long status;
    long long version;
    int failed;
};

static void *
desk_run(void *arg)
{
    struct desk *d = arg;
    char h0[TAG_MAX + 16];
    const char *h[] = { h0, NULL };
    struct xreply r;

    snprintf(h0, sizeof h0, "If-Match: %s", d->if_match ? d->if_match : "");
    pthread_barrier_wait(d->start);
    d->failed = xsend("PATCH", d->path, d->body, d->if_match ? h : NULL, &r) != 0;
    d->status = r.status;
    d->version = r.json ? ver(r.json) : 0;
    xfree(&r);
    return NULL;
}

/* Both desks read version 1 and save with If-Match: exactly one wins, the other gets 412. */
START_TEST(two_desks_race)
{
    for (int round = 0; round < 5; round++) {
        char path[200], etag[TAG_MAX];
        pthread_barrier_t start;
        pthread_t t[2];
        struct desk d[2];
        const char *want;
        json_t *doc;
        int won;

        snprintf(path, sizeof path, "/v1/customers/%s", new_person());
        json_decref(get_tagged(path, etag));
        pthread_barrier_init(&start, NULL, 2);
        for (int i = 0; i < 2; i++) {
            d[i] = (struct desk){ path, i ? "{\"notes\":\"desk B\"}" : "{\"notes\":\"desk A\"}",
                                  etag, &start, 0, 0, 0 };
            ck_assert_int_eq(pthread_create(&t[i], NULL, desk_run, &d[i]), 0);
        }
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&start);
        ck_assert(!d[0].failed && !d[1].failed);
        ck_assert_msg((d[0].status == 200 && d[1].status == 412) ||
                          (d[0].status == 412 && d[1].status == 200),
                      "round %d: desks got %ld and %ld", round, d[0].status, d[1].status);
        won = d[0].status == 200 ? 0 : 1;
        ck_assert_int_eq(d[won].version, 2);
        want = won ? "desk B" : "desk A";
        doc = fetch(path);
        ck_assert_int_eq(ver(doc), 2);
        ck_assert_str_eq(sget(doc, "notes"), want);
        json_decref(doc);
    }
}
END_TEST

/* Without If-Match both desks write (last one wins): the header is what protects. */
START_TEST(two_desks_without_if_match)
{
    char path[200];
    pthread_barrier_t start;
    pthread_t t[2];
    struct desk d[2];
    json_t *doc;

    snprintf(path, sizeof path, "/v1/customers/%s", new_person());
    pthread_barrier_init(&start, NULL, 2);
    for (int i = 0; i < 2; i++) {
        d[i] = (struct desk){ path, i ? "{\"notes\":\"B\"}" : "{\"notes\":\"A\"}", NULL, &start,
                              0, 0, 0 };
        ck_assert_int_eq(pthread_create(&t[i], NULL, desk_run, &d[i]), 0);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start);
    ck_assert_int_eq(d[0].status, 200);
    ck_assert_int_eq(d[1].status, 200);
    doc = fetch(path);
    ck_assert_int_eq(ver(doc), 3);
    json_decref(doc);
}
END_TEST

/* Household members: PUT/DELETE take the household's ETag in If-Match, answer with the new one. */
START_TEST(members_if_match)
{
    char hpath[200], v1[TAG_MAX], v2[TAG_MAX], now[TAG_MAX];
    const char *a = new_person(), *mpath;
    char b[40];
    struct xreply r;
    json_t *doc;

    snprintf(b, sizeof b, "%s", new_person());
    snprintf(hpath, sizeof hpath, "/v1/households/%s",
             create_ok("/v1/households", pathf("{\"name\":\"%s\"}", uniq("Mitglied"))));
    json_decref(get_tagged(hpath, v1));
    mpath = pathf("%s/members/%s", hpath, a);
    {
        const char *h[] = { hdr("If-Match", v1), NULL };
        xhttp("PUT", mpath, "{\"role\":\"head\"}", h, &r);
        xok(&r, 201);
        ck_assert_int_eq(ver(r.json), 2);
        assert_etag_shape(r.etag, 2, 1);
        snprintf(v2, sizeof v2, "%s", r.etag);
        xfree(&r);
    }
    doc = get_tagged(hpath, now);
    ck_assert_str_eq(now, v2);
    json_decref(doc);
    {
        /* a second desk still holding version 1 */
        const char *h[] = { hdr("If-Match", v1), NULL };
        xhttp("PUT", pathf("%s/members/%s", hpath, b), "{\"role\":\"partner\"}", h, &r);
        xproblem(&r, 412, "precondition-failed");
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "current_version")), 2);
        ck_assert_str_eq(json_string_value(json_object_get(r.json, "current_etag")), v2);
        xfree(&r);
        xhttp("DELETE", mpath, NULL, h, &r);
        xproblem(&r, 412, "precondition-failed");
        xfree(&r);
    }
    doc = fetch(hpath);
    ck_assert_int_eq(ver(doc), 2);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "members")), 1);
    json_decref(doc);
    {
        const char *h[] = { hdr("If-Match", v2), NULL };
        xhttp("DELETE", mpath, NULL, h, &r);
        xok(&r, 200);
        ck_assert_int_eq(ver(r.json), 3);
        assert_etag_shape(r.etag, 3, 1);
        xfree(&r);
    }
    {
        const char *h[] = { hdr("If-Match", v2), NULL };
        xhttp("PUT", pathf("/v1/households/%s/members/%s", NO_SUCH_ID, b), "{\"role\":\"head\"}", h,
              &r);
        xproblem(&r, 404, "not-found");
        xfree(&r);
    }
}
END_TEST

/* ---- Idempotency-Key ---- */

static long
count_households(const char *name)
{
    json_t *items = fetch_items(pathf("/v1/households?name=%s", name));
    long n = (long)json_array_size(items);

    json_decref(items);
    return n;
}

/* A retry answers like the first POST (status, Location, ETag, body) and creates nothing. */
START_TEST(retry_returns_original)
{
    const char *name = uniq("Retry");
    char body[128], key[80];
    const char *h[] = { key, NULL };
    struct xreply first, again;

    snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
    snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("key-"));
    xhttp("POST", "/v1/households", body, h, &first);
    xok(&first, 201);
    ck_assert_int_eq(first.replayed, 0);
    ck_assert(first.location[0] && first.etag[0]);
    for (int i = 0; i < 3; i++) {
        xhttp("POST", "/v1/households", body, h, &again);
        xok(&again, 201);
        ck_assert_int_eq(again.replayed, 1);
        ck_assert_str_eq(again.location, first.location);
        ck_assert_str_eq(again.etag, first.etag);
        ck_assert_msg(json_equal(again.json, first.json), "%s\nvs\n%s", again.body, first.body);
        xfree(&again);
    }
    ck_assert_int_eq(count_households(name), 1);

    /* the first answer, even after the record changed */
    {
        struct reply patched;
        http_json("PATCH", first.location, "{\"notes\":\"changed\"}", &patched);
        ck_assert_int_eq(patched.status, 200);
        reply_free(&patched);
    }
    xhttp("POST", "/v1/households", body, h, &again);
    xok(&again, 201);
    ck_assert_int_eq(ver(again.json), 1);
    ck_assert_int_eq(count_households(name), 1);
    xfree(&again);
    xfree(&first);
}
END_TEST

/* The same key with another body or on another path → 422; nothing created. */
START_TEST(key_reuse_is_refused)
{
    const char *name = uniq("Reuse"), *other = uniq("Other");
    char key[80];
    const char *h[] = { key, NULL };
    struct xreply r;

    snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("reuse-"));
    xhttp("POST", "/v1/households", pathf("{\"name\":\"%s\"}", name), h, &r);
    xok(&r, 201);
    xfree(&r);
    xhttp("POST", "/v1/households", pathf("{\"name\":\"%s\"}", other), h, &r);
    xproblem(&r, 422, "idempotency-key-reused");
    ck_assert_int_eq(r.replayed, 0);
    ck_assert_str_eq(r.location, "");
    xfree(&r);
    /* the same bytes but for whitespace are another body */
    xhttp("POST", "/v1/households", pathf("{ \"name\": \"%s\" }", name), h, &r);
    xproblem(&r, 422, "idempotency-key-reused");
    xfree(&r);
    xhttp("POST", "/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"%s\"}", other), h,
          &r);
    xproblem(&r, 422, "idempotency-key-reused");
    assert_detail_has(&r, "/v1/households");
    xfree(&r);
    ck_assert_int_eq(count_households(name), 1);
    ck_assert_int_eq(count_households(other), 0);
    {
        json_t *items = fetch_items(pathf("/v1/customers?family_name=%s", other));
        ck_assert_int_eq(json_array_size(items), 0);
        json_decref(items);
    }
}
END_TEST

/* A failed POST keeps nothing under its key: the corrected retry creates the record. */
START_TEST(failed_post_can_be_retried)
{
    char key[80];
    const char *h[] = { key, NULL };
    const char *owner = new_person();
    struct xreply r;

    snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("fail-"));
    xhttp("POST", "/v1/vehicles",
          "{\"make\":\"VW\",\"plate\":\"M-ID 1\",\"owner_id\":\"" NO_SUCH_ID "\"}", h, &r);
    xproblem(&r, 422, "unprocessable"); /* failed inside the transaction */
    xfree(&r);
    xhttp("POST", "/v1/vehicles", "{\"make\":\"VW\",\"mileage_km\":-1}", h, &r);
    xproblem(&r, 400, "validation"); /* failed before it */
    xfree(&r);
    xhttp("POST", "/v1/vehicles",
          pathf("{\"make\":\"VW\",\"plate\":\"M-ID 1\",\"owner_id\":\"%s\"}", owner), h, &r);
    xok(&r, 201);
    ck_assert_int_eq(r.replayed, 0);
    xfree(&r);
    {
        json_t *items = fetch_items(pathf("/v1/vehicles?owner_id=%s", owner));
        ck_assert_int_eq(json_array_size(items), 1);
        json_decref(items);
    }
}
END_TEST

/* Keys that are empty, too long, not printable ASCII or repeated → 400; nothing created. */
START_TEST(bad_keys)
{
    const char *name = uniq("BadKey");
    char k256[300], k300[340];
    const char *cases[4][3] = {
        { "Idempotency-Key;", NULL }, /* curl sends an empty header for "Name;" */
        { k256, NULL },
        { k300, NULL },
        { "Idempotency-Key: a", "Idempotency-Key: b", NULL },
    };
    struct xreply r;

    snprintf(k256, sizeof k256, "Idempotency-Key: %0256d", 7);
    snprintf(k300, sizeof k300, "Idempotency-Key: %0300d", 7);
    for (int i = 0; i < 4; i++) {
        xhttp("POST", "/v1/households", pathf("{\"name\":\"%s\"}", name), cases[i], &r);
        xproblem(&r, 400, "bad-request");
        assert_detail_has(&r, "Idempotency-Key");
        xfree(&r);
    }
    {
        const char *h[] = { "Idempotency-Key: schl\xc3\xbcssel", NULL };
        xhttp("POST", "/v1/households", pathf("{\"name\":\"%s\"}", name), h, &r);
        xproblem(&r, 400, "bad-request");
        xfree(&r);
    }
    ck_assert_int_eq(count_households(name), 0);
    {
        /* 255 characters are fine; the key is ignored on other methods */
        char k255[300];
        const char *h[] = { k255, NULL };
        snprintf(k255, sizeof k255, "Idempotency-Key: %0255d", 7);
        xhttp("POST", "/v1/households", pathf("{\"name\":\"%s\"}", name), h, &r);
        xok(&r, 201);
        xfree(&r);
        xhttp("GET", "/v1/households?limit=1", NULL, h, &r);
        xok(&r, 200);
        xfree(&r);
    }
    ck_assert_int_eq(count_households(name), 1);
}
END_TEST

struct retry {
    const char *body;
    const char *key;
    pthread_barrier_t *start;
    struct xreply r;
    int failed;
};

static void *
retry_run(void *arg)
{
    struct retry *t = arg;
    const char *h[] = { t->key, NULL };

    pthread_barrier_wait(t->start);
    t->failed = xsend("POST", "/v1/households", t->body, h, &t->r) != 0;
    return NULL;
}

/* Two copies of a POST at once with one key: one record, both answers name it, one is a replay. */
START_TEST(concurrent_retries)
{
    for (int round = 0; round < 5; round++) {
        const char *name = uniq("Parallel");
        char body[128], key[80];
        pthread_barrier_t start;
        struct retry t[2];
        pthread_t th[2];

        snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
        snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("par-"));
        pthread_barrier_init(&start, NULL, 2);
        for (int i = 0; i < 2; i++) {
            t[i] = (struct retry){ body, key, &start, { 0 }, 0 };
            ck_assert_int_eq(pthread_create(&th[i], NULL, retry_run, &t[i]), 0);
        }
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&start);
        ck_assert(!t[0].failed && !t[1].failed);
        xok(&t[0].r, 201);
        xok(&t[1].r, 201);
        ck_assert_str_eq(t[0].r.location, t[1].r.location);
        ck_assert_int_eq(t[0].r.replayed + t[1].r.replayed, 1);
        ck_assert(json_equal(t[0].r.json, t[1].r.json));
        ck_assert_int_eq(count_households(name), 1);
        xfree(&t[0].r);
        xfree(&t[1].r);
    }
}
END_TEST

/* ---- expiry: servers of their own on one database, with a pinned clock ---- */

#define T0 1900000000LL
#define TTL 3600

static long long
sql_count(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long n = -1;

    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* POST with the key at t (epoch seconds) on a server of its own; the answer into r. */
static void
post_at(struct server *s, const char *db, long long t, const char *body, struct xreply *r)
{
    char now[64], ttl[64];
    const char *env[] = { now, ttl, NULL };
    const char *h[] = { "Idempotency-Key: expiring-key", NULL };

    snprintf(now, sizeof now, "CRMD_FAKE_NOW=%lld", t);
    snprintf(ttl, sizeof ttl, "CRMD_IDEMPOTENCY_TTL=%d", TTL);
    memset(s, 0, sizeof *s);
    server_start(s, db, env);
    xhttp("POST", "/v1/households", body, h, r);
    ck_assert_int_eq(server_stop(s), 0);
}

START_TEST(keys_expire)
{
    struct server a, b, c;
    struct xreply first, kept, expired;
    const char *body = "{\"name\":\"Ablauf\"}";
    char cmd[800];

    post_at(&a, NULL, T0, body, &first);
    xok(&first, 201);
    post_at(&b, a.db, T0 + TTL, body, &kept); /* exactly the TTL later: still remembered */
    xok(&kept, 201);
    ck_assert_int_eq(kept.replayed, 1);
    ck_assert_str_eq(kept.location, first.location);
    post_at(&c, a.db, T0 + TTL + 1, body, &expired); /* one second more: a new request */
    xok(&expired, 201);
    ck_assert_int_eq(expired.replayed, 0);
    ck_assert_str_ne(expired.location, first.location);
    ck_assert_int_eq(sql_count(a.db, "SELECT count(*) FROM households"), 2);
    /* the expired row was deleted, the new answer kept */
    ck_assert_int_eq(sql_count(a.db, "SELECT count(*) FROM idempotency_keys"), 1);
    ck_assert_int_eq(sql_count(a.db, "SELECT count(*) FROM idempotency_keys WHERE created_at = "
                                     "'2030-03-17T18:46:41Z'"),
                     1);
    xfree(&first);
    xfree(&kept);
    xfree(&expired);
    snprintf(cmd, sizeof cmd, "rm -rf %s %s %s", a.dir, b.dir, c.dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
concurrency_suite(void)
{
    Suite *s = suite_create("concurrency");
    TCase *tc;

    tc = tcase_create("etag");
    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, etag_on_post_get_patch, 0, NKINDS);
    tcase_add_loop_test(tc, if_none_match_not_modified, 0, NKINDS);
    tcase_add_test(tc, customer_etag_follows_household);
    tcase_add_loop_test(tc, if_match_stale_is_refused, 0, NKINDS);
    tcase_add_loop_test(tc, if_match_current_is_applied, 0, NKINDS);
    tcase_add_test(tc, malformed_preconditions);
    tcase_add_loop_test(tc, delete_if_match, 0, NKINDS);
    tcase_add_test(tc, two_desks_race);
    tcase_add_test(tc, two_desks_without_if_match);
    tcase_add_test(tc, members_if_match);
    suite_add_tcase(s, tc);

    tc = tcase_create("idempotency");
    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, retry_returns_original);
    tcase_add_test(tc, key_reuse_is_refused);
    tcase_add_test(tc, failed_post_can_be_retried);
    tcase_add_test(tc, bad_keys);
    tcase_add_test(tc, concurrent_retries);
    suite_add_tcase(s, tc);

    tc = tcase_create("expiry");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, keys_expire);
    suite_add_tcase(s, tc);
    return s;
}
