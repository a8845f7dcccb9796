/*
 * test_changes: the change feed, GET /v1/changes. Each test reads the
 * feed from its current end (head_cursor) and compares what it finds
 * with GET. Concurrent writers and long-polling readers run in forked
 * processes that speak plain libcurl (no Check assertions outside the
 * test process) and report through pipes. The server logs at debug level
 * so a test can see that a long-polling request is parked before writing.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define WRITERS 4
#define PER_WRITER 25

static const char *const debug_env[] = { "CRMD_LOG_LEVEL=debug", NULL };

static void
feed_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, debug_env);
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* GET /v1/changes?query, assert 200 with items and a string next_cursor; the body. */
static json_t *
feed(const char *query)
{
    json_t *body = fetch(pathf("/v1/changes?%s", query));

    ck_assert_msg(json_is_array(json_object_get(body, "items")), "no items");
    ck_assert_msg(json_is_string(json_object_get(body, "next_cursor")), "no next_cursor");
    return body;
}

/* The cursor at the current end of the feed (static storage). */
static const char *
head_cursor(void)
{
    static char cursor[64];
    json_t *page = feed("limit=1000");

    while (json_array_size(json_object_get(page, "items")) > 0) {
        snprintf(cursor, sizeof cursor, "%s", sget(page, "next_cursor"));
        json_decref(page);
        page = feed(pathf("after=%s&limit=1000", cursor));
    }
    snprintf(cursor, sizeof cursor, "%s", sget(page, "next_cursor"));
    json_decref(page);
    return cursor;
}

/*
 * Every change after cursor (extra: more query parameters or ""), paged
 * with limit; asserts strictly increasing seq and that next_cursor is
 * the last item's cursor. New array.
 */
static json_t *
changes_after(const char *cursor, const char *extra, int limit)
{
    json_t *all = json_array(), *page, *items, *it = NULL;
    char at[64];
    long long last = -1;
    size_t i;

    snprintf(at, sizeof at, "%s", cursor);
    for (;;) {
        page = feed(pathf("after=%s&limit=%d%s", at, limit, extra));
        items = json_object_get(page, "items");
        if (json_array_size(items) == 0) {
            ck_assert_str_eq(sget(page, "next_cursor"), at);
            json_decref(page);
            return all;
        }
        ck_assert_int_le(json_array_size(items), (size_t)limit);
        json_array_foreach(items, i, it)
        {
            long long seq = json_integer_value(json_object_get(it, "seq"));
            ck_assert_msg(seq > last, "seq %lld after %lld", seq, last);
            last = seq;
            json_array_append(all, it);
        }
        ck_assert_str_eq(sget(page, "next_cursor"), sget(it, "cursor"));
        snprintf(at, sizeof at, "%s", sget(page, "next_cursor"));
        json_decref(page);
    }
}

/* The changes in items of type and id, in order (new array). */
static json_t *
of(const json_t *items, const char *type, const char *id)
{
    json_t *out = json_array(), *it;
    size_t i;

    json_array_foreach(items, i, it)
    {
        if (!strcmp(sget(it, "type"), type) && !strcmp(sget(it, "id"), id))
            json_array_append(out, it);
    }
    return out;
}

/* The only change of type and id in items (borrowed from items), asserting its operation. */
static json_t *
only(const json_t *items, const char *type, const char *id, const char *op)
{
    json_t *mine = of(items, type, id), *it;

    ck_assert_msg(json_array_size(mine) == 1, "%zu changes of %s %s, want 1",
                  json_array_size(mine), type, id);
    it = json_array_get(mine, 0); /* the same object items holds */
    ck_assert_str_eq(sget(it, "operation"), op);
    json_decref(mine);
    return it;
}

/* Assert that change c carries what GET path answers now, at its version. */
static void
assert_data_is_get(const json_t *c, const char *path)
{
    json_t *got = fetch(path);
    char *a, *b;

    a = json_dumps(json_object_get(c, "data"), JSON_SORT_KEYS | JSON_COMPACT);
    b = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_msg(json_equal(json_object_get(c, "data"), got), "change data %s\n  GET %s %s", a,
                  path, b);
    if (json_object_get(got, "version"))
        ck_assert_int_eq(json_integer_value(json_object_get(c, "version")),
                         json_integer_value(json_object_get(got, "version")));
    free(a);
    free(b);
    json_decref(got);
}

static void
assert_delete(const json_t *c, const char *id, long long version)
{
    json_t *data = json_object_get(c, "data");

    ck_assert_str_eq(sget(c, "operation"), "delete");
    ck_assert_int_eq(json_object_size(data), 1);
    ck_assert_str_eq(sget(data, "id"), id);
    ck_assert_int_eq(json_integer_value(json_object_get(c, "version")), version);
}

/* Creators: the new id copied into out (40 bytes). */
static void
new_person(const char *family, char *out)
{
    snprintf(out, 40, "%s",
             create_ok("/v1/customers",
                       pathf("{\"kind\":\"person\",\"family_name\":\"%s\"}", uniq(family))));
}

static void
new_company(const char *name, char *out)
{
    snprintf(out, 40, "%s",
             create_ok("/v1/customers",
                       pathf("{\"kind\":\"company\",\"company_name\":\"%s\"}", uniq(name))));
}

static void
new_household(const char *name, char *out)
{
    snprintf(out, 40, "%s", create_ok("/v1/households", pathf("{\"name\":\"%s\"}", uniq(name))));
}

/* A vehicle of owner with plate; driver may be NULL. */
static void
new_vehicle(const char *owner, const char *plate, const char *driver, char *out)
{
    const char *body =
        driver ? pathf("{\"make\":\"BMW\",\"plate\":\"%s\",\"owner_id\":\"%s\","
                       "\"main_driver_id\":\"%s\"}",
                       plate, owner, driver)
               : pathf("{\"make\":\"VW\",\"plate\":\"%s\",\"owner_id\":\"%s\"}", plate, owner);

    snprintf(out, 40, "%s", create_ok("/v1/vehicles", body));
}

static void
new_visit(const char *customer, const char *vehicle, char *out)
{
    snprintf(out, 40, "%s",
             create_ok("/v1/touchpoints",
                       pathf("{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\","
                             "\"kind\":\"service_visit\",\"channel\":\"in_person\","
                             "\"satisfaction\":0.9}",
                             customer, vehicle)));
}

/* PUT roles (a JSON array) of person at company, asserting status. */
static void
put_roles(const char *company, const char *person, const char *roles, long status)
{
    struct reply r;

    http_json("PUT", pathf("/v1/customers/%s/people/%s", company, person),
              pathf("{\"roles\":%s}", roles), &r);
    assert_json(&r, status);
    reply_free(&r);
}

static void
put_member(const char *household, const char *person, const char *role, long status)
{
    struct reply r;

    http_json("PUT", pathf("/v1/households/%s/members/%s", household, person),
              pathf("{\"role\":\"%s\"}", role), &r);
    assert_json(&r, status);
    reply_free(&r);
}

/* ---- plain libcurl for forked helpers (never Check) ---- */

struct sink {
    char *data;
    size_t len;
};

static size_t
on_data(char *ptr, size_t size, size_t n, void *ud)
{
    struct sink *s = ud;
    size_t add = size * n;

    s->data = realloc(s->data, s->len + add + 1);
    memcpy(s->data + s->len, ptr, add);
    s->len += add;
    s->data[s->len] = '\0';
    return add;
}

/* The status of method path (body JSON or NULL) with request id rid (or NULL); -1 on failure. */
static long
raw(const char *method, const char *path, const char *body, const char *rid, struct sink *out)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[512], hdr[128];
    const char *type = NULL; /* owned by c */
    long status = -1;

    out->data = NULL;
    out->len = 0;
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        h = curl_slist_append(h, "Content-Type: application/json");
    }
    if (rid) {
        snprintf(hdr, sizeof hdr, "X-Request-Id: %s", rid);
        h = curl_slist_append(h, hdr);
    }
    h = curl_slist_append(h, srv.auth);
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
    if (!out->data)
        out->data = strdup("");
    if (status >= 0)
        harness_log_exchange(method, path, body ? "application/json" : NULL, status, type, out->data);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return status;
}

/* Read fd to its end (new string). */
static char *
read_all(int fd)
{
    struct sink s = { 0 };
    char chunk[4096];
    ssize_t n;

    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        ck_assert_int_gt(n, 0);
        on_data(chunk, 1, (size_t)n, &s);
    }
    return s.data ? s.data : strdup("");
}

/* ---- long-polling helpers ---- */

struct poller {
    pid_t pid;
    int fd; /* read end: "<status> <seconds>\n<body>" */
    char rid[64];
};

/* Start GET /v1/changes?after=cursor&wait=secs in a child process. */
static void
poll_start(struct poller *w, const char *cursor, int secs)
{
    int fds[2];

    snprintf(w->rid, sizeof w->rid, "%s", uniq("longpoll-"));
    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    w->pid = fork();
    ck_assert_int_ge(w->pid, 0);
    if (w->pid == 0) {
        struct sink s;
        double t0 = now_s();
        long status;
        close(fds[0]);
        status = raw("GET", pathf("/v1/changes?after=%s&wait=%d", cursor, secs), NULL, w->rid, &s);
        dprintf(fds[1], "%ld %.3f\n%s", status, now_s() - t0, s.data);
        _exit(0);
    }
    close(fds[1]);
    w->fd = fds[0];
}

/*
 * Wait for the poller's answer: status (-1: no answer, the connection
 * closed), seconds it took, body (new reference; NULL without answer).
 */
static json_t *
poll_finish(struct poller *w, long *status, double *secs)
{
    char *text = read_all(w->fd), *nl = strchr(text, '\n');
    json_t *body;
    int st;

    close(w->fd);
    ck_assert_int_eq(waitpid(w->pid, &st, 0), w->pid);
    ck_assert_ptr_nonnull(nl);
    ck_assert_int_eq(sscanf(text, "%ld %lf", status, secs), 2);
    body = *status > 0 ? json_loads(nl + 1, 0, NULL) : NULL;
    ck_assert_msg(body != NULL || *status < 0, "long poll answered: %s", text);
    free(text);
    return body;
}

/* Block until the server logs that the poller's request waits (deadline 10 s). */
static void
poll_parked(const struct poller *w)
{
    harness_await_log(&srv, pathf("request %s: waiting up to", w->rid), 10000);
}

/* ---- tests ---- */

START_TEST(create_update_delete_in_order_with_representations)
{
    const char *head = head_cursor();
    char id[40], path[128];
    json_t *items, *c, *created, *patched;
    struct reply r;

    new_person("Feed", id);
    snprintf(path, sizeof path, "/v1/customers/%s", id);
    created = fetch(path);
    http("PATCH", path, "application/merge-patch+json", "{\"given_name\":\"Erika\"}", NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);
    patched = fetch(path);
    http("DELETE", path, NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);

    items = changes_after(head, "", 100);
    c = of(items, "customer", id);
    ck_assert_int_eq(json_array_size(c), 3);
    ck_assert_str_eq(sget(json_array_get(c, 0), "operation"), "create");
    ck_assert_str_eq(sget(json_array_get(c, 1), "operation"), "update");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(c, 0), "version")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(c, 1), "version")), 2);
    ck_assert(json_equal(json_object_get(json_array_get(c, 0), "data"), created));
    ck_assert(json_equal(json_object_get(json_array_get(c, 1), "data"), patched));
    assert_delete(json_array_get(c, 2), id, 2);
    for (size_t i = 0; i < 3; i++) {
        json_t *it = json_array_get(c, i);
        ck_assert_int_eq(strlen(sget(it, "cursor")), 16);
        ck_assert_int_eq(strlen(sget(it, "at")), 20);
        ck_assert_int_eq(json_object_size(it), 8);
    }
    json_decref(c);
    json_decref(items);
    json_decref(created);
    json_decref(patched);
}
END_TEST

START_TEST(every_resource_type_is_recorded_as_get_shows_it)
{
    const char *head = head_cursor();
    char owner[40], vehicle[40], tp[40], hh[40];
    json_t *items;

    new_person("Alle", owner);
    new_vehicle(owner, "M-FD 1", NULL, vehicle);
    new_visit(owner, vehicle, tp);
    new_household("Haus", hh);

    items = changes_after(head, "", 100);
    ck_assert_int_eq(json_array_size(items), 4);
    assert_data_is_get(only(items, "customer", owner, "create"), pathf("/v1/customers/%s", owner));
    assert_data_is_get(only(items, "vehicle", vehicle, "create"),
                       pathf("/v1/vehicles/%s", vehicle));
    assert_data_is_get(only(items, "touchpoint", tp, "create"), pathf("/v1/touchpoints/%s", tp));
    assert_data_is_get(only(items, "household", hh, "create"), pathf("/v1/households/%s", hh));
    json_decref(items);
}
END_TEST

START_TEST(membership_changes_record_household_and_customer)
{
    const char *head;
    char hh[40], person[40];
    json_t *items, *h;
    struct reply r;

    new_household("M", hh);
    new_person("Mitglied", person);
    head = head_cursor();
    put_member(hh, person, "head", 201);

    items = changes_after(head, "", 100);
    ck_assert_int_eq(json_array_size(items), 2);
    h = only(items, "household", hh, "update");
    ck_assert_int_eq(json_integer_value(json_object_get(h, "version")), 2);
    assert_data_is_get(h, pathf("/v1/households/%s", hh));
    /* the customer's computed household changed; its version did not */
    assert_data_is_get(only(items, "customer", person, "update"),
                       pathf("/v1/customers/%s", person));
    json_decref(items);

    /* deleting the household empties it for the customer too */
    head = head_cursor();
    http("DELETE", pathf("/v1/households/%s", hh), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    items = changes_after(head, "", 100);
    ck_assert_int_eq(json_array_size(items), 2);
    assert_delete(only(items, "household", hh, "delete"), hh, 2);
    h = only(items, "customer", person, "update");
    ck_assert(json_is_null(json_object_get(json_object_get(h, "data"), "household")));
    assert_data_is_get(h, pathf("/v1/customers/%s", person));
    json_decref(items);
}
END_TEST

START_TEST(company_people_are_a_change_of_the_company)
{
    const char *head;
    char company[40], person[40];
    json_t *items, *c;
    struct reply r;

    new_company("Flotte", company);
    new_person("Fahrer", person);
    head = head_cursor();
    put_roles(company, person, "[\"driver\",\"fleet_manager\"]", 201);
    items = changes_after(head, "", 100);
    ck_assert_int_eq(json_array_size(items), 1);
    c = only(items, "company_people", company, "update");
    ck_assert(json_is_null(json_object_get(c, "version")));
    assert_data_is_get(c, pathf("/v1/customers/%s/people", company));
    ck_assert_int_eq(json_array_size(json_object_get(json_object_get(c, "data"), "items")), 1);
    json_decref(items);

    head = head_cursor();
    http("DELETE", pathf("/v1/customers/%s/people/%s", company, person), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    items = changes_after(head, "", 100);
    c = only(items, "company_people", company, "update");
    ck_assert_int_eq(json_array_size(json_object_get(json_object_get(c, "data"), "items")), 0);
    json_decref(items);

    /* the company's delete takes its people list along: one customer delete, nothing else */
    put_roles(company, person, "[\"driver\"]", 201);
    head = head_cursor();
    http("DELETE", pathf("/v1/customers/%s", company), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    items = changes_after(head, "", 100);
    ck_assert_int_eq(json_array_size(items), 1);
    assert_delete(only(items, "customer", company, "delete"), company, 1);
    json_decref(items);
}
END_TEST

START_TEST(cascade_delete_records_every_cascaded_row)
{
    char a[40], b[40], company[40], v1[40], v2[40], t1[40], t2[40], hh[40], at[32];
    const char *head;
    json_t *items, *it;
    struct reply r;
    long long first;
    size_t i;

    /* a owns v1 (visited by a and b), drives b's v2, lives with b, works for company */
    new_person("Kaskade", a);
    new_person("Bleibt", b);
    new_company("K GmbH", company);
    new_vehicle(a, "M-KA 1", NULL, v1);
    new_vehicle(b, "M-KA 2", a, v2);
    new_visit(a, v1, t1);
    new_visit(b, v1, t2);
    new_household("KH", hh);
    put_member(hh, a, "head", 201);
    put_member(hh, b, "partner", 201);
    put_roles(company, a, "[\"driver\"]", 201);

    head = head_cursor();
    http("DELETE", pathf("/v1/customers/%s?cascade=true", a), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);

    items = changes_after(head, "", 3);
    ck_assert_msg(json_array_size(items) == 7, "%zu changes", json_array_size(items));
    assert_data_is_get(only(items, "household", hh, "update"), pathf("/v1/households/%s", hh));
    assert_data_is_get(only(items, "vehicle", v2, "update"), pathf("/v1/vehicles/%s", v2));
    assert_data_is_get(only(items, "touchpoint", t2, "update"), pathf("/v1/touchpoints/%s", t2));
    assert_data_is_get(only(items, "company_people", company, "update"),
                       pathf("/v1/customers/%s/people", company));
    assert_delete(only(items, "touchpoint", t1, "delete"), t1, 1);
    assert_delete(only(items, "vehicle", v1, "delete"), v1, 1);
    assert_delete(only(items, "customer", a, "delete"), a, 1);
    /* one transaction: consecutive sequence numbers, one time */
    snprintf(at, sizeof at, "%s", sget(json_array_get(items, 0), "at"));
    first = json_integer_value(json_object_get(json_array_get(items, 0), "seq"));
    json_array_foreach(items, i, it)
    {
        ck_assert_str_eq(sget(it, "at"), at);
        ck_assert_int_eq(json_integer_value(json_object_get(it, "seq")), first + (long long)i);
    }
    json_decref(items);
}
END_TEST

START_TEST(types_filter_keeps_only_those_types)
{
    const char *head = head_cursor();
    char owner[40], vehicle[40], hh[40];
    json_t *items, *it;
    size_t i;

    new_person("Typ", owner);
    new_vehicle(owner, "M-TY 9", NULL, vehicle);
    new_household("T", hh);

    items = changes_after(head, "&types=vehicle", 100);
    ck_assert_int_eq(json_array_size(items), 1);
    only(items, "vehicle", vehicle, "create");
    json_decref(items);

    items = changes_after(head, "&types=customer,vehicle", 1);
    ck_assert_int_eq(json_array_size(items), 2);
    json_array_foreach(items, i, it)
    {
        ck_assert(!strcmp(sget(it, "type"), "customer") || !strcmp(sget(it, "type"), "vehicle"));
    }
    only(items, "customer", owner, "create");
    json_decref(items);

    items = changes_after(head, "&types=household", 100);
    ck_assert_int_eq(json_array_size(items), 1);
    only(items, "household", hh, "create");
    json_decref(items);
}
END_TEST

START_TEST(resume_from_any_cursor_sees_each_change_once)
{
    const char *head = head_cursor();
    char ids[7][40], cursor[64];
    json_t *all, *page, *items;
    size_t i, seen = 0;

    for (i = 0; i < 7; i++)
        new_person("Weiter", ids[i]);
    /* pages of 3 from the head: 3, 3, 1, then empty with the same cursor */
    snprintf(cursor, sizeof cursor, "%s", head);
    for (int round = 0; round < 4; round++) {
        page = feed(pathf("after=%s&limit=3", cursor));
        items = json_object_get(page, "items");
        ck_assert_int_eq(json_array_size(items), round < 2 ? 3 : round == 2 ? 1 : 0);
        for (i = 0; i < json_array_size(items); i++, seen++)
            ck_assert_str_eq(sget(json_array_get(items, i), "id"), ids[seen]);
        if (round == 3)
            ck_assert_str_eq(sget(page, "next_cursor"), cursor);
        snprintf(cursor, sizeof cursor, "%s", sget(page, "next_cursor"));
        json_decref(page);
    }
    ck_assert_int_eq(seen, 7);
    /* an item's own cursor resumes right after it */
    all = changes_after(head, "", 100);
    page = feed(pathf("after=%s", sget(json_array_get(all, 4), "cursor")));
    items = json_object_get(page, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(sget(json_array_get(items, 0), "id"), ids[5]);
    json_decref(page);
    json_decref(all);
}
END_TEST

/* Child: create PER_WRITER customers named family, print their ids to fd; exit 0 if all 201. */
static void
writer(int fd, const char *family, int n)
{
    for (int i = 0; i < PER_WRITER; i++) {
        struct sink s;
        json_t *j;
        long status = raw("POST", "/v1/customers",
                          pathf("{\"kind\":\"person\",\"family_name\":\"%s\","
                                "\"given_name\":\"W%d-%d\"}",
                                family, n, i),
                          NULL, &s);
        j = json_loads(s.data, 0, NULL);
        if (status != 201 || !json_string_value(json_object_get(j, "id"))) {
            fprintf(stderr, "writer %d: POST /v1/customers answered %ld: %s\n", n, status,
                    s.data ? s.data : "");
            if (status >= 500) { /* the server's side of it */
                char cmd[400];
                snprintf(cmd, sizeof cmd, "grep -v ' debug ' %s | tail -n 20 >&2", srv.log);
                if (system(cmd) != 0)
                    fprintf(stderr, "(log unavailable)\n");
            }
            _exit(1);
        }
        dprintf(fd, "%s\n", json_string_value(json_object_get(j, "id")));
        json_decref(j);
        free(s.data);
    }
    _exit(0);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

START_TEST(concurrent_writers_reader_misses_nothing_sees_nothing_twice)
{
    const char *family = uniq("Parallel");
    char cursor[64], *written, *fromfeed[WRITERS * PER_WRITER], *fromwriters[WRITERS * PER_WRITER];
    pid_t pids[WRITERS];
    int fds[2], running = WRITERS, done = 0, st;
    size_t nfeed = 0, nw = 0, pages = 0;
    long long last = -1;
    double deadline = now_s() + 120;

    snprintf(cursor, sizeof cursor, "%s", head_cursor());
    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0) {
            close(fds[0]);
            writer(fds[1], family, w);
        }
    }
    close(fds[1]);
    /* Page through while they write; stop at the first empty page after all have exited. */
    for (;;) {
        json_t *page = feed(pathf("after=%s&limit=7&types=customer", cursor)), *it;
        json_t *items = json_object_get(page, "items");
        size_t i;

        pages++;
        json_array_foreach(items, i, it)
        {
            long long seq = json_integer_value(json_object_get(it, "seq"));
            ck_assert_msg(seq > last, "seq %lld after %lld", seq, last);
            last = seq;
            const char *name = sget(json_object_get(it, "data"), "family_name");
            if (name && strcmp(name, family) == 0) {
                ck_assert_str_eq(sget(it, "operation"), "create");
                ck_assert_int_lt(nfeed, WRITERS * PER_WRITER);
                fromfeed[nfeed++] = strdup(sget(it, "id"));
            }
        }
        snprintf(cursor, sizeof cursor, "%s", sget(page, "next_cursor"));
        json_decref(page);
        if (i == 0 && done)
            break;
        for (int w = 0; w < WRITERS && running; w++) {
            if (pids[w] > 0 && waitpid(pids[w], &st, WNOHANG) == pids[w]) {
                ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer %d failed", w);
                pids[w] = 0;
                running--;
            }
        }
        /* every writer's commits happened before it exited: one more empty page ends it */
        done = running == 0;
        ck_assert_msg(now_s() < deadline, "the writers did not finish in time");
    }
    written = read_all(fds[0]);
    close(fds[0]);
    for (char *line = strtok(written, "\n"); line; line = strtok(NULL, "\n")) {
        ck_assert_int_lt(nw, WRITERS * PER_WRITER);
        fromwriters[nw++] = line;
    }
    ck_assert_int_eq(nw, WRITERS * PER_WRITER);
    ck_assert_int_eq(nfeed, WRITERS * PER_WRITER);
    qsort(fromfeed, nfeed, sizeof fromfeed[0], cmp_str);
    qsort(fromwriters, nw, sizeof fromwriters[0], cmp_str);
    for (size_t i = 0; i < nw; i++) {
        ck_assert_str_eq(fromfeed[i], fromwriters[i]);
        if (i > 0)
            ck_assert_str_ne(fromfeed[i], fromfeed[i - 1]);
    }
    for (size_t i = 0; i < nfeed; i++)
        free(fromfeed[i]);
    ck_assert_int_gt(pages, 1);
    free(written);
}
END_TEST

START_TEST(long_poll_wakes_on_commit)
{
    char head[64], id[40];
    struct poller w;
    json_t *body, *items;
    double t0, secs;
    long status;

    snprintf(head, sizeof head, "%s", head_cursor());
    poll_start(&w, head, 5);
    poll_parked(&w);
    t0 = now_s();
    new_person("Weckruf", id);
    body = poll_finish(&w, &status, &secs);
    ck_assert_int_eq(status, 200);
    ck_assert_msg(now_s() - t0 < 2.0, "woke %.3f s after the write", now_s() - t0);
    ck_assert_msg(secs < 4.5, "the long poll took %.3f s", secs);
    items = json_object_get(body, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "id"), id);
    ck_assert_str_eq(sget(json_array_get(items, 0), "operation"), "create");
    ck_assert_str_eq(sget(body, "next_cursor"), sget(json_array_get(items, 0), "cursor"));
    json_decref(body);
}
END_TEST

START_TEST(after_now_starts_at_the_end)
{
    char head[64], id[40];
    json_t *page;

    new_person("Vorher", id);
    snprintf(head, sizeof head, "%s", head_cursor());
    page = feed("after=now");
    ck_assert_int_eq(json_array_size(json_object_get(page, "items")), 0);
    ck_assert_str_eq(sget(page, "next_cursor"), head);
    json_decref(page);
}
END_TEST

START_TEST(after_now_long_poll_answers_what_came_since)
{
    char id[40];
    struct poller w;
    json_t *body, *items;
    double secs;
    long status;

    new_person("Vorher", id);
    /* "now" is the end the first run saw: the commit that wakes the poll is in its answer */
    poll_start(&w, "now", 5);
    poll_parked(&w);
    new_person("Danach", id);
    body = poll_finish(&w, &status, &secs);
    ck_assert_int_eq(status, 200);
    items = json_object_get(body, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "id"), id);
    json_decref(body);
}
END_TEST

START_TEST(long_poll_times_out_empty_with_same_cursor)
{
    char head[64];
    json_t *page;
    double t0;

    snprintf(head, sizeof head, "%s", head_cursor());
    t0 = now_s();
    page = feed(pathf("after=%s&wait=1", head));
    ck_assert_msg(now_s() - t0 >= 0.9, "answered after %.3f s", now_s() - t0);
    ck_assert_msg(now_s() - t0 < 3.0, "answered after %.3f s", now_s() - t0);
    ck_assert_int_eq(json_array_size(json_object_get(page, "items")), 0);
    ck_assert_str_eq(sget(page, "next_cursor"), head);
    json_decref(page);
    /* wait=0 (the default) never waits */
    t0 = now_s();
    page = feed(pathf("after=%s&wait=0", head));
    ck_assert_msg(now_s() - t0 < 0.5, "answered after %.3f s", now_s() - t0);
    json_decref(page);
}
END_TEST

START_TEST(stopping_releases_a_waiting_reader)
{
    struct server own;
    struct poller w;
    json_t *body;
    double t0, secs;
    long status;
    char cmd[400];
    int rc;

    /* a server of its own; the shared one keeps running and srv points at it again after */
    struct server shared = srv;

    memset(&own, 0, sizeof own);
    server_start(&own, NULL, debug_env);
    poll_start(&w, head_cursor(), 30);
    poll_parked(&w);
    t0 = now_s();
    rc = server_stop(&own);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(now_s() - t0 < 5.0, "stopping took %.3f s", now_s() - t0);
    /* released at once: an empty page, or a closed connection when the stop wins the race */
    body = poll_finish(&w, &status, &secs);
    ck_assert_msg(secs < 5.0, "the waiting reader was held %.3f s", secs);
    ck_assert_msg(status == 200 || status == -1, "status %ld", status);
    if (body)
        ck_assert_int_eq(json_array_size(json_object_get(body, "items")), 0);
    json_decref(body);
    snprintf(cmd, sizeof cmd, "rm -rf %s", own.dir);
    ck_assert_int_eq(system(cmd), 0);
    srv = shared;
}
END_TEST

static const struct {
    const char *query;
    const char *names; /* a word the detail must contain */
} bad[] = {
    { "after=garbage", "after" },
    { "after=AQUAAAAAAAAAASOS", "after" },      /* checksum broken */
    { "after=AQEAAAAAAAAAAa1I", "after" },      /* a customer list cursor (tag 1, seq 1) */
    { "limit=0", "limit" },
    { "limit=1001", "limit" },
    { "limit=ten", "limit" },
    { "wait=31", "wait" },
    { "wait=-1", "wait" },
    { "types=customers", "types" },
    { "types=", "types" },
    { "types=customer,", "types" },
    { "types=customer,,vehicle", "types" },
    { "cursor=AQUAAAAAAAAAASOR", "cursor" },    /* lists' parameter name, not the feed's */
    { "limit=5&limit=6", "limit" },
};

START_TEST(bad_parameters_are_400)
{
    struct reply r;

    http_get(pathf("/v1/changes?%s", bad[_i].query), &r);
    assert_problem(&r, 400, "bad-request");
    ck_assert_msg(strstr(jstr(&r, "detail"), bad[_i].names), "detail %s", jstr(&r, "detail"));
    reply_free(&r);
}
END_TEST

START_TEST(cursor_of_another_list_is_400)
{
    char id[40];
    json_t *page;
    struct reply r;

    new_person("Liste", id);
    new_person("Liste", id);
    page = fetch("/v1/customers?limit=1");
    ck_assert_ptr_nonnull(sget(page, "next_cursor"));
    http_get(pathf("/v1/changes?after=%s", sget(page, "next_cursor")), &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    json_decref(page);
    /* and the feed's cursor is no list cursor */
    http_get(pathf("/v1/customers?cursor=%s", head_cursor()), &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

Suite *
changes_suite(void)
{
    Suite *s = suite_create("changes");
    TCase *tc = tcase_create("feed");

    tcase_add_unchecked_fixture(tc, feed_setup, harness_teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, create_update_delete_in_order_with_representations);
    tcase_add_test(tc, every_resource_type_is_recorded_as_get_shows_it);
    tcase_add_test(tc, membership_changes_record_household_and_customer);
    tcase_add_test(tc, company_people_are_a_change_of_the_company);
    tcase_add_test(tc, cascade_delete_records_every_cascaded_row);
    tcase_add_test(tc, types_filter_keeps_only_those_types);
    tcase_add_test(tc, resume_from_any_cursor_sees_each_change_once);
    tcase_add_test(tc, concurrent_writers_reader_misses_nothing_sees_nothing_twice);
    tcase_add_test(tc, long_poll_wakes_on_commit);
    tcase_add_test(tc, long_poll_times_out_empty_with_same_cursor);
    tcase_add_test(tc, after_now_starts_at_the_end);
    tcase_add_test(tc, after_now_long_poll_answers_what_came_since);
    tcase_add_test(tc, stopping_releases_a_waiting_reader);
    tcase_add_loop_test(tc, bad_parameters_are_400, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, cursor_of_another_list_is_400);
    suite_add_tcase(s, tc);
    return s;
}
