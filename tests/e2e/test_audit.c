/*
 * test_audit: GET /v1/audit. Reads and writes of personal data are
 * recorded with the API key and the customers concerned (the greeting
 * and search record whom they showed); filters by customer, key and
 * time, cursor paging, admin only; records queued at SIGTERM are written;
 * old records are pruned after --audit-retention-days (fake clock).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "suites.h"

/* The id of the API key key (found by its prefix in GET /v1/keys). */
static const char *
key_id_of(const char *key)
{
    static char id[40];
    json_t *items = fetch_items("/v1/keys?limit=200"), *k;
    size_t i;

    id[0] = '\0';
    json_array_foreach(items, i, k)
        if (!strncmp(key, sget(k, "prefix"), strlen(sget(k, "prefix"))))
            snprintf(id, sizeof id, "%s", sget(k, "id"));
    json_decref(items);
    ck_assert_msg(id[0], "no key with the prefix of %.13s", key);
    return id;
}

/* Send GET path with key (as "Authorization: Bearer ..."), assert status. */
static void
get_as(const char *key, const char *path, long status)
{
    char auth[128];
    const char *headers[] = { auth, NULL };
    struct reply r;

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
    http("GET", path, NULL, NULL, headers, &r);
    ck_assert_msg(r.status == status, "GET %s: %ld, want %ld: %s", path, r.status, status, r.body);
    reply_free(&r);
}

/* The audit items of query q ("customer_id=..."). */
static json_t *
audit(const char *q)
{
    return fetch_items(pathf("/v1/audit?%s", q));
}

/* The first item with method and route, or NULL. */
static json_t *
find(json_t *items, const char *method, const char *route)
{
    json_t *v;
    size_t i;

    json_array_foreach(items, i, v)
        if (!strcmp(sget(v, "method"), method) && !strcmp(sget(v, "route"), route))
            return v;
    return NULL;
}

static int
names(const json_t *item, const char *customer)
{
    json_t *v;
    size_t i;

    json_array_foreach(json_object_get(item, "customer_ids"), i, v)
        if (!strcmp(json_string_value(v), customer))
            return 1;
    return 0;
}

START_TEST(reads_and_writes_are_recorded_with_key_and_customer)
{
    const char *t = uniq_letters(), *d = uniq_digits();
    const char *reader = harness_create_key(srv.db, "reader");
    char reader_id[40], id[40], vehicle[40];
    json_t *items, *it;

    snprintf(reader_id, sizeof reader_id, "%s", key_id_of(reader));
    snprintf(id, sizeof id, "%s",
             create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Audit%s\","
                                              "\"phones\":[\"0172 6%s\"]}", t, d)));
    snprintf(vehicle, sizeof vehicle, "%s",
             create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"plate\":\"A-%.2s%.4s\",\"owner_id\":\"%s\"}",
                                             t, d, id)));
    get_as(reader, pathf("/v1/customers/%s", id), 200);
    get_as(reader, pathf("/v1/vehicles/%s", vehicle), 200);
    get_as(reader, pathf("/v1/greeting?phone=%%2B491726%s", d), 200);
    get_as(reader, pathf("/v1/search?q=Audit%s", t), 200);

    items = audit(pathf("customer_id=%s&limit=200", id));
    /* the write by the admin key */
    it = find(items, "POST", "/v1/customers");
    ck_assert_ptr_nonnull(it);
    ck_assert_int_eq(json_integer_value(json_object_get(it, "status")), 201);
    ck_assert_str_eq(sget(it, "key_id"), key_id_of(srv.key));
    /* the reads by the reader, with the key's id and name */
    it = find(items, "GET", "/v1/customers/{id}");
    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(sget(it, "key_id"), reader_id);
    ck_assert(!strncmp(sget(it, "key_name"), "reader-", 7));
    ck_assert_str_eq(sget(it, "resource_id"), id);
    ck_assert_int_eq(json_integer_value(json_object_get(it, "status")), 200);
    ck_assert(names(it, id));
    ck_assert(sget(it, "at") && sget(it, "request_id"));
    it = find(items, "GET", "/v1/vehicles/{id}");
    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(sget(it, "resource_id"), vehicle);
    /* whom the greeting and the search showed */
    ck_assert_ptr_nonnull(find(items, "GET", "/v1/greeting"));
    ck_assert_ptr_nonnull(find(items, "GET", "/v1/search"));
    json_decref(items);

    /* by key: only the reader's requests */
    items = audit(pathf("key=%s&limit=200", reader_id));
    ck_assert_int_eq(json_array_size(items), 4);
    for (size_t i = 0; (it = json_array_get(items, i)); i++)
        ck_assert_str_eq(sget(it, "key_id"), reader_id);
    json_decref(items);
    /* by time */
    items = audit(pathf("customer_id=%s&to=2000-01-01T00:00:00Z", id));
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    items = audit(pathf("customer_id=%s&from=2000-01-01T00:00:00Z&limit=200", id));
    ck_assert_int_ge(json_array_size(items), 6);
    json_decref(items);
}
END_TEST

START_TEST(pages_follow_the_cursor_newest_first)
{
    const char *id = create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Seiten\"}");
    char cursor[64], cid[40];
    json_t *page, *seen = json_array();
    size_t total = 0;

    snprintf(cid, sizeof cid, "%s", id);
    for (int i = 0; i < 4; i++)
        json_decref(fetch(pathf("/v1/customers/%s", cid)));
    page = fetch(pathf("/v1/audit?customer_id=%s&limit=2", cid));
    for (;;) {
        json_t *items = json_object_get(page, "items"), *v;
        size_t i;

        ck_assert_int_le(json_array_size(items), 2);
        json_array_foreach(items, i, v)
        {
            ck_assert(!json_array_size(seen) ||
                      strcmp(sget(v, "request_id"),
                             json_string_value(json_array_get(seen, json_array_size(seen) - 1))));
            json_array_append_new(seen, json_string(sget(v, "request_id")));
        }
        total += json_array_size(items);
        if (json_is_null(json_object_get(page, "next_cursor")))
            break;
        snprintf(cursor, sizeof cursor, "%s", sget(page, "next_cursor"));
        json_decref(page);
        page = fetch(pathf("/v1/audit?customer_id=%s&limit=2&cursor=%s", cid, cursor));
    }
    json_decref(page);
    ck_assert_int_eq(total, 5); /* the create and four reads */
    json_decref(seen);
    page = audit(pathf("customer_id=%s&limit=1", cid));
    ck_assert_str_eq(sget(json_array_get(page, 0), "method"), "GET"); /* newest first */
    json_decref(page);
}
END_TEST

START_TEST(refusals)
{
    struct reply r;
    const char *manager = harness_create_key(srv.db, "manager");

    get_as(manager, "/v1/audit", 403);
    http_get("/v1/audit?customer_id=nope", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http_get("/v1/audit?from=yesterday", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http_get("/v1/audit?cursor=xyz", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http_get("/v1/audit?who=me", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(records_survive_the_stop_and_expire_after_the_retention)
{
    char id[40], fake[64], db[sizeof srv.db];
    const char *env[] = { fake, "CRMD_AUDIT_RETENTION_DAYS=5", NULL };
    json_t *items;

    snprintf(id, sizeof id, "%s", create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Alt\"}"));
    json_decref(fetch(pathf("/v1/customers/%s", id)));
    /* queued, not read back: the stop writes them */
    snprintf(db, sizeof db, "%s", srv.db); /* server_start copies its db argument into srv.db */
    ck_assert_int_eq(server_stop(&srv), 0);
    server_start(&srv, db, NULL);
    items = audit(pathf("customer_id=%s", id));
    ck_assert_int_eq(json_array_size(items), 2);
    json_decref(items);
    ck_assert_int_eq(server_stop(&srv), 0);

    /* ten days later with five days' retention: pruned when the server starts */
    snprintf(fake, sizeof fake, "CRMD_FAKE_NOW=%lld", (long long)time(NULL) + 10 * 86400);
    server_start(&srv, db, env);
    items = audit(pathf("customer_id=%s", id));
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
}
END_TEST

Suite *
audit_suite(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("audit");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, reads_and_writes_are_recorded_with_key_and_customer);
    tcase_add_test(tc, pages_follow_the_cursor_newest_first);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, records_survive_the_stop_and_expire_after_the_retention);
    suite_add_tcase(s, tc);
    return s;
}
