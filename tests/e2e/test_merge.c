/*
 * test_merge: POST /v1/customers/{id}/merge. Everything that refers to
 * the merged customer is checked through the public API afterwards
 * (vehicles, touchpoints, household, company roles, external references,
 * greeting by phone and plate, the change feed); refusals (400, 404,
 * 409, 412, 422) and a merge that fails half-way leave both untouched.
 * A merged-away id answers 404 with "merged_into", never to an erased one.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "harness.h"
#include "suites.h"

/* A plate unique to this process and call ("HH-AB 1234"). */
static const char *
plate(void)
{
    static char slots[8][24];
    static unsigned n;
    char *s = slots[n % 8];
    const char *t = uniq_letters(), *d = uniq_digits();

    snprintf(s, sizeof slots[0], "HH-%.2s %.4s", t, d + 2);
    n++;
    return s;
}

static void
merge(const char *into, const char *from, const char *const *headers, struct reply *r)
{
    http("POST", pathf("/v1/customers/%s/merge", into), "application/json",
         pathf("{\"from\":\"%s\"}", from), headers, r);
}

static long long
version_of(const char *path)
{
    json_t *j = fetch(path);
    long long v = json_integer_value(json_object_get(j, "version"));

    json_decref(j);
    return v;
}

/* 1 if the JSON text of v contains s. */
static int
mentions(const json_t *v, const char *s)
{
    char *text = json_dumps(v, JSON_ENCODE_ANY);
    int found = text && strstr(text, s) != NULL;

    free(text);
    return found;
}

static int
has_contact(const json_t *list, const char *member, const char *value)
{
    json_t *e;
    size_t i;

    json_array_foreach(list, i, e)
        if (sget(e, member) && !strcmp(sget(e, member), value))
            return 1;
    return 0;
}

/* A survivor S, an other O with everything that can move, and who holds what. */
struct scene {
    char s[40], o[40], company[40], household[40], owned[40], driven[40], visit[40];
    char plate[32], phone[32], e164[32], ref[32];
};

static void
build_scene(struct scene *sc)
{
    const char *t = uniq_letters(), *d = uniq_digits();
    char body[900];
    struct reply r;

    snprintf(sc->phone, sizeof sc->phone, "0170 4%s", d);
    snprintf(sc->e164, sizeof sc->e164, "+491704%s", d);
    snprintf(sc->ref, sizeof sc->ref, "K-%s", t);
    snprintf(sc->s, sizeof sc->s, "%s",
             create_ok("/v1/customers",
                       pathf("{\"kind\":\"person\",\"given_name\":\"Max\",\"family_name\":\"Muster%s\","
                             "\"emails\":[\"max.%s@example.com\"],\"consents\":{\"email\":{\"status\":\"granted\","
                             "\"at\":\"2024-01-01T10:00:00Z\"}},\"notes\":\"front desk\"}", t, t)));
    snprintf(body, sizeof body,
             "{\"kind\":\"person\",\"given_name\":\"Maximilian\",\"family_name\":\"Muster%s\","
             "\"birthday\":\"1975-03-04\",\"phones\":[\"%s\"],\"emails\":[\"MAX.%s@example.com\","
             "\"m.%s@example.org\"],\"address\":{\"street\":\"Am Bach 2\",\"postal_code\":\"80331\","
             "\"city\":\"München\"},\"consents\":{\"email\":{\"status\":\"withdrawn\",\"at\":"
             "\"2023-05-01T10:00:00Z\"},\"phone\":\"granted\"},\"external_refs\":[{\"system\":\"dms\","
             "\"id\":\"%s\"}],\"notes\":\"workshop\"}", t, sc->phone, t, t, sc->ref);
    snprintf(sc->o, sizeof sc->o, "%s", create_ok("/v1/customers", body));
    snprintf(sc->company, sizeof sc->company, "%s",
             create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"Flotte %s\"}", t)));
    snprintf(sc->household, sizeof sc->household, "%s",
             create_ok("/v1/households", pathf("{\"name\":\"Familie %s\"}", t)));
    http_json("PUT", pathf("/v1/households/%s/members/%s", sc->household, sc->o), "{\"role\":\"partner\"}", &r);
    assert_json(&r, 201);
    reply_free(&r);
    http_json("PUT", pathf("/v1/customers/%s/people/%s", sc->company, sc->o), "{\"roles\":[\"driver\"]}", &r);
    assert_json(&r, 201);
    reply_free(&r);
    snprintf(sc->plate, sizeof sc->plate, "M-%.2s%.4s", t, d);
    snprintf(sc->owned, sizeof sc->owned, "%s",
             create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"plate\":\"%s\",\"owner_id\":\"%s\"}", sc->plate, sc->o)));
    snprintf(sc->driven, sizeof sc->driven, "%s",
             create_ok("/v1/vehicles", pathf("{\"make\":\"BMW\",\"plate\":\"%s\",\"owner_id\":\"%s\","
                                             "\"main_driver_id\":\"%s\"}", plate(), sc->s, sc->o)));
    snprintf(sc->visit, sizeof sc->visit, "%s",
             create_ok("/v1/touchpoints", pathf("{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\","
                                                "\"kind\":\"service_visit\",\"channel\":\"in_person\"}",
                                                sc->o, sc->owned)));
}

START_TEST(merge_moves_everything_to_the_survivor)
{
    struct scene sc;
    struct reply r;
    json_t *c, *m, *j, *items;
    long long before;

    build_scene(&sc);
    before = version_of(pathf("/v1/customers/%s", sc.s));
    merge(sc.s, sc.o, NULL, &r);
    assert_json(&r, 200);
    c = json_object_get(r.json, "customer");
    m = json_object_get(r.json, "merge");
    ck_assert_str_eq(sget(c, "id"), sc.s);
    ck_assert_int_eq(json_integer_value(json_object_get(c, "version")), before + 1);
    /* the survivor's values win, the gaps are filled */
    ck_assert_str_eq(sget(c, "given_name"), "Max");
    ck_assert_str_eq(sget(c, "birthday"), "1975-03-04");
    ck_assert_str_eq(sget(json_object_get(c, "address"), "city"), "München");
    ck_assert_int_eq(json_array_size(json_object_get(c, "emails")), 2);
    ck_assert(has_contact(json_object_get(c, "phones"), "e164", sc.e164));
    ck_assert_str_eq(sget(c, "notes"), "front desk\n\nworkshop");
    /* consents: withdrawn beats granted, granted beats nothing */
    ck_assert_str_eq(sget(json_object_get(json_object_get(c, "consents"), "email"), "status"), "withdrawn");
    ck_assert_str_eq(sget(json_object_get(json_object_get(c, "consents"), "phone"), "status"), "granted");
    ck_assert_str_eq(sget(json_object_get(c, "household"), "id"), sc.household);
    /* the summary */
    ck_assert_str_eq(sget(m, "from"), sc.o);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "vehicles_owned")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "vehicles_driven")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "touchpoints")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "company_roles")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "emails_added")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "phones_added")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "external_refs_added")), 1);
    ck_assert_str_eq(sget(json_object_get(m, "household"), "outcome"), "moved");
    /* birthday and address */
    ck_assert_int_eq(json_array_size(json_object_get(m, "fields_filled")), 2);
    ck_assert(mentions(json_object_get(m, "fields_filled"), "\"birthday\""));
    ck_assert_int_eq(json_array_size(json_object_get(m, "consents_changed")), 2);
    ck_assert(r.content_type && strstr(r.content_type, "application/json"));
    reply_free(&r);

    /* what referred to the merged customer now refers to the survivor */
    assert_gone(pathf("/v1/customers/%s", sc.o));
    j = fetch(pathf("/v1/vehicles/%s", sc.owned));
    ck_assert_str_eq(sget(j, "owner_id"), sc.s);
    json_decref(j);
    j = fetch(pathf("/v1/vehicles/%s", sc.driven));
    ck_assert_str_eq(sget(j, "main_driver_id"), sc.s);
    json_decref(j);
    j = fetch(pathf("/v1/touchpoints/%s", sc.visit));
    ck_assert_str_eq(sget(j, "customer_id"), sc.s);
    json_decref(j);
    j = fetch(pathf("/v1/households/%s", sc.household));
    ck_assert(mentions(json_object_get(j, "members"), sc.s));
    json_decref(j);
    items = fetch_items(pathf("/v1/customers/%s/people", sc.company));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "person_id"), sc.s);
    json_decref(items);
    items = fetch_items(pathf("/v1/customers?external_ref=dms:%s", sc.ref));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "id"), sc.s);
    json_decref(items);
    items = fetch_items(pathf("/v1/customers?phone=%%2B491704%s", sc.e164 + 7));
    ck_assert_int_eq(json_array_size(items), 1);
    json_decref(items);
    /* the desk finds the survivor by the moved phone and plate */
    j = fetch(pathf("/v1/greeting?phone=%%2B%s", sc.e164 + 1));
    ck_assert_str_eq(sget(json_object_get(j, "customer"), "id"), sc.s);
    json_decref(j);
    j = fetch(pathf("/v1/greeting?plate=%s", sc.plate));
    ck_assert_str_eq(sget(json_object_get(j, "customer"), "id"), sc.s);
    json_decref(j);
}
END_TEST

START_TEST(both_in_households_the_survivor_keeps_its_own)
{
    const char *t = uniq_letters();
    char s[40], o[40], hs[40], ho[40];
    struct reply r;
    json_t *m, *j;

    snprintf(s, sizeof s, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Haus%s\"}", t)));
    snprintf(o, sizeof o, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Haus%s\"}", t)));
    snprintf(hs, sizeof hs, "%s", create_ok("/v1/households", "{\"name\":\"Eins\"}"));
    snprintf(ho, sizeof ho, "%s", create_ok("/v1/households", "{\"name\":\"Zwei\"}"));
    http_json("PUT", pathf("/v1/households/%s/members/%s", hs, s), "{\"role\":\"head\"}", &r);
    reply_free(&r);
    http_json("PUT", pathf("/v1/households/%s/members/%s", ho, o), "{\"role\":\"child\"}", &r);
    reply_free(&r);
    merge(s, o, NULL, &r);
    assert_json(&r, 200);
    m = json_object_get(json_object_get(r.json, "merge"), "household");
    ck_assert_str_eq(sget(m, "outcome"), "kept");
    ck_assert_str_eq(sget(m, "id"), hs);
    ck_assert_str_eq(sget(m, "left"), ho);
    ck_assert_str_eq(sget(json_object_get(json_object_get(r.json, "customer"), "household"), "id"), hs);
    reply_free(&r);
    j = fetch(pathf("/v1/households/%s", ho));
    ck_assert_int_eq(json_array_size(json_object_get(j, "members")), 0);
    json_decref(j);
}
END_TEST

START_TEST(companies_merge_their_people)
{
    const char *t = uniq_letters();
    char a[40], b[40], p1[40], p2[40];
    struct reply r;
    json_t *items;

    snprintf(a, sizeof a, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"A %s\"}", t)));
    snprintf(b, sizeof b, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"B %s\"}", t)));
    snprintf(p1, sizeof p1, "%s", create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Eins\"}"));
    snprintf(p2, sizeof p2, "%s", create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Zwei\"}"));
    http_json("PUT", pathf("/v1/customers/%s/people/%s", a, p1), "{\"roles\":[\"fleet_manager\"]}", &r);
    reply_free(&r);
    http_json("PUT", pathf("/v1/customers/%s/people/%s", b, p1), "{\"roles\":[\"fleet_manager\",\"driver\"]}", &r);
    reply_free(&r);
    http_json("PUT", pathf("/v1/customers/%s/people/%s", b, p2), "{\"roles\":[\"employee\"]}", &r);
    reply_free(&r);
    merge(a, b, NULL, &r);
    assert_json(&r, 200);
    /* p1's fleet_manager role at a stays as it was; driver and p2 move */
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r.json, "merge"), "company_roles")), 2);
    reply_free(&r);
    items = fetch_items(pathf("/v1/customers/%s/people", a));
    ck_assert_int_eq(json_array_size(items), 2);
    json_decref(items);
    items = fetch_items(pathf("/v1/customers/%s/companies", p1));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_int_eq(json_array_size(json_object_get(json_array_get(items, 0), "roles")), 2);
    json_decref(items);
}
END_TEST

START_TEST(refusals_change_nothing)
{
    const char *t = uniq_letters();
    char p[40], q[40], co[40], etag[80];
    const char *stale[] = { "If-Match: \"stale\"", NULL };
    const char *fresh[2] = { etag, NULL };
    struct reply r;

    snprintf(p, sizeof p, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"R%s\"}", t)));
    snprintf(q, sizeof q, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"R%s\"}", t)));
    snprintf(co, sizeof co, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"R%s\"}", t)));
    merge(p, p, NULL, &r);
    assert_problem(&r, 422, "unprocessable");
    assert_field_error(&r, "from");
    reply_free(&r);
    merge(p, co, NULL, &r);
    assert_problem(&r, 409, "conflict");
    reply_free(&r);
    merge(co, p, NULL, &r);
    assert_problem(&r, 409, "conflict");
    reply_free(&r);
    merge("00000000-0000-4000-8000-000000000001", p, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    merge(p, "00000000-0000-4000-8000-000000000001", NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    merge(p, "not-a-uuid", NULL, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "from");
    reply_free(&r);
    http_json("POST", pathf("/v1/customers/%s/merge", p), pathf("{\"from\":\"%s\",\"keep\":\"all\"}", q), &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "keep");
    reply_free(&r);
    http_json("POST", pathf("/v1/customers/%s/merge", p), "{}", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "from");
    reply_free(&r);
    http_json("POST", pathf("/v1/customers/%s/merge?force=1", p), pathf("{\"from\":\"%s\"}", q), &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    merge(p, q, stale, &r);
    assert_problem(&r, 412, "precondition-failed");
    reply_free(&r);
    /* nothing was written */
    ck_assert_int_eq(version_of(pathf("/v1/customers/%s", p)), 1);
    ck_assert_int_eq(version_of(pathf("/v1/customers/%s", q)), 1);
    /* the current ETag passes */
    http_get(pathf("/v1/customers/%s", p), &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(r.etag);
    snprintf(etag, sizeof etag, "If-Match: %s", r.etag);
    reply_free(&r);
    merge(p, q, fresh, &r);
    assert_json(&r, 200);
    reply_free(&r);
    assert_gone(pathf("/v1/customers/%s", q));
}
END_TEST

START_TEST(a_failing_merge_leaves_both_untouched)
{
    const char *t = uniq_letters();
    char s[40], o[40], v[40], body[1200];
    size_t n = 0;
    struct reply r;
    json_t *j;

    /* six plus five different addresses: the union breaks the limit of ten */
    n += (size_t)snprintf(body + n, sizeof body - n, "{\"kind\":\"person\",\"family_name\":\"Voll%s\",\"emails\":[", t);
    for (int i = 0; i < 6; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s\"s%d.%s@example.com\"", i ? "," : "", i, t);
    snprintf(body + n, sizeof body - n, "]}");
    snprintf(s, sizeof s, "%s", create_ok("/v1/customers", body));
    n = (size_t)snprintf(body, sizeof body, "{\"kind\":\"person\",\"family_name\":\"Voll%s\",\"emails\":[", t);
    for (int i = 0; i < 5; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s\"o%d.%s@example.com\"", i ? "," : "", i, t);
    snprintf(body + n, sizeof body - n, "]}");
    snprintf(o, sizeof o, "%s", create_ok("/v1/customers", body));
    snprintf(v, sizeof v, "%s", create_ok("/v1/vehicles", pathf("{\"make\":\"Audi\",\"plate\":\"%s\",\"owner_id\":\"%s\"}", plate(), o)));
    create_ok("/v1/touchpoints", pathf("{\"customer_id\":\"%s\",\"kind\":\"service_visit\",\"channel\":\"in_person\"}", o));
    merge(s, o, NULL, &r);
    assert_problem(&r, 422, "unprocessable");
    assert_field_error(&r, "emails");
    reply_free(&r);
    /* the moves before the refusal were rolled back */
    j = fetch(pathf("/v1/vehicles/%s", v));
    ck_assert_str_eq(sget(j, "owner_id"), o);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), 1);
    json_decref(j);
    j = fetch_items(pathf("/v1/touchpoints?customer_id=%s", o));
    ck_assert_int_eq(json_array_size(j), 1);
    json_decref(j);
    ck_assert_int_eq(version_of(pathf("/v1/customers/%s", s)), 1);
    ck_assert_int_eq(version_of(pathf("/v1/customers/%s", o)), 1);
}
END_TEST

/* The cursor at the current end of the change feed. */
static void
feed_end(char *cursor, size_t n)
{
    json_t *page = fetch("/v1/changes?limit=1000");

    while (json_array_size(json_object_get(page, "items")) > 0) {
        snprintf(cursor, n, "%s", sget(page, "next_cursor"));
        json_decref(page);
        page = fetch(pathf("/v1/changes?after=%s&limit=1000", cursor));
    }
    snprintf(cursor, n, "%s", sget(page, "next_cursor"));
    json_decref(page);
}

START_TEST(the_change_feed_shows_the_merge)
{
    const char *t = uniq_letters();
    char s[40], o[40], v[40], cursor[64];
    json_t *page, *it;
    size_t i;
    int deleted = 0, updated = 0, moved = 0;

    snprintf(s, sizeof s, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Feed%s\"}", t)));
    snprintf(o, sizeof o, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Feed%s\"}", t)));
    snprintf(v, sizeof v, "%s", create_ok("/v1/vehicles", pathf("{\"make\":\"Seat\",\"plate\":\"%s\",\"owner_id\":\"%s\"}", plate(), o)));
    feed_end(cursor, sizeof cursor);
    {
        struct reply r;
        merge(s, o, NULL, &r);
        assert_json(&r, 200);
        reply_free(&r);
    }
    page = fetch(pathf("/v1/changes?after=%s", cursor));
    json_array_foreach(json_object_get(page, "items"), i, it)
    {
        json_t *data = json_object_get(it, "data");
        if (!strcmp(sget(it, "id"), o)) {
            ck_assert_str_eq(sget(it, "operation"), "delete");
            ck_assert_str_eq(sget(data, "merged_into"), s);
            deleted++;
        } else if (!strcmp(sget(it, "id"), s)) {
            ck_assert_str_eq(sget(it, "operation"), "update");
            ck_assert_int_eq(json_integer_value(json_object_get(it, "version")), 2);
            updated++;
        } else if (!strcmp(sget(it, "id"), v)) {
            ck_assert_str_eq(sget(data, "owner_id"), s);
            moved++;
        }
    }
    ck_assert_int_eq(deleted, 1);
    ck_assert_int_eq(updated, 1);
    ck_assert_int_eq(moved, 1);
    json_decref(page);
}
END_TEST

START_TEST(duplicates_follow_the_merge)
{
    const char *t = uniq_letters(), *d = uniq_digits();
    char s[40], o[40], x[40];
    struct reply r;
    json_t *items;

    snprintf(s, sizeof s, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Ina\","
                                                                 "\"family_name\":\"Dup%s\",\"birthday\":\"1960-01-01\"}", t)));
    snprintf(o, sizeof o, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Ina\","
                                                                 "\"family_name\":\"Dup%s\",\"birthday\":\"1960-01-01\","
                                                                 "\"phones\":[\"0171 2%s\"]}", t, d)));
    snprintf(x, sizeof x, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Anders%s\","
                                                                 "\"phones\":[\"+49 171 2%s\"]}", t, d)));
    items = fetch_items(pathf("/v1/customers/duplicates?customer_id=%s", s));
    ck_assert_int_eq(json_array_size(items), 1);
    json_decref(items);
    merge(s, o, NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);
    /* the merged pair is gone; the phone that moved pairs the survivor with x */
    items = fetch_items(pathf("/v1/customers/duplicates?customer_id=%s", s));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert(mentions(json_array_get(items, 0), x));
    json_decref(items);
}
END_TEST

START_TEST(a_retry_with_the_same_key_gets_the_first_answer)
{
    const char *t = uniq_letters();
    char s[40], o[40], key[64];
    const char *headers[2] = { key, NULL };
    struct reply r1, r2;

    snprintf(key, sizeof key, "Idempotency-Key: merge-%s", t);
    snprintf(s, sizeof s, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Idem%s\"}", t)));
    snprintf(o, sizeof o, "%s", create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Idem%s\"}", t)));
    merge(s, o, headers, &r1);
    assert_json(&r1, 200);
    merge(s, o, headers, &r2);
    assert_json(&r2, 200);
    ck_assert_str_eq(r1.body, r2.body);
    reply_free(&r1);
    reply_free(&r2);
}
END_TEST

static void
sql(const char *db, const char *stmt)
{
    sqlite3 *h;
    char *err = NULL;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, stmt, NULL, NULL, &err) == SQLITE_OK, "%s", err ? err : "?");
    sqlite3_close(h);
}

/* The rows of customer_merges that name any of a, b, c (read beside the running server). */
static int
merge_rows(const char *db, const char *a, const char *b, const char *c)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    int n = -1;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, pathf("SELECT count(*) FROM customer_merges WHERE"
                                                 " id IN ('%s','%s','%s') OR into_id IN"
                                                 " ('%s','%s','%s')", a, b, c, a, b, c),
                                        -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* The "merged_into" member of a 404 (NULL when absent); r->body parsed. */
static char *
merged_into_of(const struct reply *r)
{
    json_t *j = json_loads(r->body, 0, NULL);
    const char *m;
    char *out;

    ck_assert_ptr_nonnull(j);
    m = json_string_value(json_object_get(j, "merged_into"));
    out = m ? strdup(m) : NULL;
    json_decref(j);
    return out;
}

/* method path answers 404 pointing at into (NULL: a plain 404 without the member). */
static void
assert_points_at(const char *method, const char *path, const char *body, const char *into)
{
    struct reply r;
    char *m;

    http(method, path, body ? "application/json" : NULL, body, NULL, &r);
    assert_problem(&r, 404, "not-found");
    m = merged_into_of(&r);
    if (into) {
        ck_assert_msg(m && !strcmp(m, into), "%s %s: merged_into %s, want %s", method, path,
                      m ? m : "(none)", into);
        ck_assert_msg(strstr(jstr(&r, "detail"), pathf("was merged into %s; use that id", into)),
                      "detail: %s", jstr(&r, "detail"));
    } else {
        ck_assert_msg(!m, "%s %s: merged_into %s, want none", method, path, m);
    }
    free(m);
    reply_free(&r);
}

static void
merge_ok(const char *into, const char *from)
{
    struct reply r;

    merge(into, from, NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);
}

START_TEST(a_merged_away_id_points_at_the_survivor)
{
    char a[40], b[40];
    const char *h;

    snprintf(a, sizeof a, "%s", new_person_named("Weg"));
    snprintf(b, sizeof b, "%s", new_person_named("Bleibt"));
    merge_ok(b, a);
    assert_points_at("GET", pathf("/v1/customers/%s", a), NULL, b);
    assert_points_at("PATCH", pathf("/v1/customers/%s", a), "{\"notes\":\"x\"}", b);
    assert_points_at("GET", pathf("/v1/customers/%s/journeys", a), NULL, b);
    assert_points_at("GET", pathf("/v1/customers/%s/contact-policy?channel=email", a), NULL, b);
    assert_points_at("DELETE", pathf("/v1/customers/%s", a), NULL, b);
    h = create_ok("/v1/households", pathf("{\"name\":\"Familie %s\"}", uniq_letters()));
    assert_points_at("PUT", pathf("/v1/households/%s/members/%s", h, a), "{\"role\":\"partner\"}",
                     b);
    /* upper case is the same id */
    for (char *c = a; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'f' ? *c - 32 : *c);
    assert_points_at("GET", pathf("/v1/customers/%s", a), NULL, b);
}
END_TEST

START_TEST(a_chain_of_merges_points_at_the_last_survivor)
{
    char a[40], b[40], c[40];

    snprintf(a, sizeof a, "%s", new_person_named("Erst"));
    snprintf(b, sizeof b, "%s", new_person_named("Dann"));
    snprintf(c, sizeof c, "%s", new_person_named("Zuletzt"));
    merge_ok(b, a);
    merge_ok(c, b);
    assert_points_at("GET", pathf("/v1/customers/%s", a), NULL, c);
    assert_points_at("GET", pathf("/v1/customers/%s", b), NULL, c);
}
END_TEST

START_TEST(no_pointer_to_an_erased_customer)
{
    char a[40], b[40], c[40];
    struct reply r;

    snprintf(a, sizeof a, "%s", new_person_named("Erst"));
    snprintf(b, sizeof b, "%s", new_person_named("Dann"));
    snprintf(c, sizeof c, "%s", new_person_named("Zuletzt"));
    merge_ok(b, a);
    merge_ok(c, b);
    ck_assert_int_eq(merge_rows(srv.db, a, b, c), 2);
    http("DELETE", pathf("/v1/customers/%s?erase=true", c), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    ck_assert_int_eq(merge_rows(srv.db, a, b, c), 0);
    assert_points_at("GET", pathf("/v1/customers/%s", a), NULL, NULL);
    assert_points_at("GET", pathf("/v1/customers/%s", b), NULL, NULL);
    assert_points_at("GET", pathf("/v1/customers/%s", c), NULL, NULL);
}
END_TEST

START_TEST(an_unknown_id_is_a_plain_404)
{
    assert_points_at("GET", "/v1/customers/00000000-0000-4000-8000-00000000abcd", NULL, NULL);
    assert_points_at("GET", "/v1/customers/not-a-uuid", NULL, NULL);
}
END_TEST

/*
 * A database of a crmd before customer_merges (schema/013): the merges the
 * change feed still holds are copied at start, but none into an erased
 * customer.
 */
START_TEST(merges_before_the_table_are_found_in_the_feed)
{
    struct server own = { 0 }, shared = srv;
    char a[40], b[40], d[40], e[40];
    struct reply r;

    server_start(&own, NULL, NULL);
    snprintf(a, sizeof a, "%s", new_person_named("Alt"));
    snprintf(b, sizeof b, "%s", new_person_named("Neu"));
    snprintf(d, sizeof d, "%s", new_person_named("Weg"));
    snprintf(e, sizeof e, "%s", new_person_named("Geloescht"));
    merge_ok(b, a);
    merge_ok(e, d);
    http("DELETE", pathf("/v1/customers/%s?erase=true", e), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    ck_assert_int_eq(server_stop(&own), 0);
    sql(own.db, "DROP TABLE customer_merges; DELETE FROM schema_migrations WHERE version = 13");
    server_start(&own, NULL, NULL); /* the same database file: 013 runs again */
    assert_points_at("GET", pathf("/v1/customers/%s", a), NULL, b);
    assert_points_at("GET", pathf("/v1/customers/%s", d), NULL, NULL);
    ck_assert_int_eq(server_stop(&own), 0);
    ck_assert_int_eq(merge_rows(own.db, a, b, b), 1);
    ck_assert_int_eq(merge_rows(own.db, d, e, e), 0);
    srv = shared;
    if (system(pathf("rm -rf %s", own.dir)) != 0)
        fprintf(stderr, "could not remove %s\n", own.dir);
}
END_TEST

Suite *
merge_suite(void)
{
    Suite *s = suite_create("merge");
    TCase *tc = tcase_create("merge");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, merge_moves_everything_to_the_survivor);
    tcase_add_test(tc, both_in_households_the_survivor_keeps_its_own);
    tcase_add_test(tc, companies_merge_their_people);
    tcase_add_test(tc, refusals_change_nothing);
    tcase_add_test(tc, a_failing_merge_leaves_both_untouched);
    tcase_add_test(tc, the_change_feed_shows_the_merge);
    tcase_add_test(tc, duplicates_follow_the_merge);
    tcase_add_test(tc, a_retry_with_the_same_key_gets_the_first_answer);
    tcase_add_test(tc, a_merged_away_id_points_at_the_survivor);
    tcase_add_test(tc, a_chain_of_merges_points_at_the_last_survivor);
    tcase_add_test(tc, no_pointer_to_an_erased_customer);
    tcase_add_test(tc, an_unknown_id_is_a_plain_404);
    tcase_add_test(tc, merges_before_the_table_are_found_in_the_feed);
    suite_add_tcase(s, tc);
    return s;
}
