/*
 * test_privacy: GET /v1/customers/{id}/export holds everything about a
 * customer; DELETE /v1/customers/{id}?erase=true (admin) leaves the
 * experience metrics as they were and no trace of the person: greeting
 * by phone and plate, search, the change feed, the export, idempotent
 * replays; the erasure log names the id.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

/* A person with everything that can refer to them. */
struct scene {
    char id[40], other[40], company[40], household[40], owned[40], driven[40], visit[40];
    char family[40], phone[32], e164[32], plate[32], idem[80], journey[40], notes[40];
};

static void
build_scene(struct scene *sc)
{
    const char *t = uniq_letters(), *d = uniq_digits();
    struct reply r;

    static unsigned n;

    snprintf(sc->journey, sizeof sc->journey, "%08x-0000-4000-8000-%012x", (unsigned)getpid(), ++n);
    snprintf(sc->family, sizeof sc->family, "Privat%s", t);
    snprintf(sc->notes, sizeof sc->notes, "likes coffee %s", t);
    snprintf(sc->phone, sizeof sc->phone, "0171 5%s", d);
    snprintf(sc->e164, sizeof sc->e164, "+491715%s", d);
    snprintf(sc->plate, sizeof sc->plate, "M-%.2s%.4s", t, d);
    snprintf(sc->id, sizeof sc->id, "%s",
             create_ok("/v1/customers",
                       pathf("{\"kind\":\"person\",\"given_name\":\"Erika\",\"family_name\":\"%s\","
                             "\"phones\":[\"%s\"],\"emails\":[\"erika.%s@example.com\"],"
                             "\"notes\":\"%s\"}", sc->family, sc->phone, t, sc->notes)));
    snprintf(sc->other, sizeof sc->other, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Andere\"}"));
    snprintf(sc->company, sizeof sc->company, "%s",
             create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"Firma %s\"}", t)));
    snprintf(sc->household, sizeof sc->household, "%s",
             create_ok("/v1/households", pathf("{\"name\":\"Haus %s\"}", d)));
    http_json("PUT", pathf("/v1/households/%s/members/%s", sc->household, sc->id), "{\"role\":\"head\"}", &r);
    assert_json(&r, 201);
    reply_free(&r);
    http_json("PUT", pathf("/v1/customers/%s/people/%s", sc->company, sc->id), "{\"roles\":[\"driver\"]}", &r);
    assert_json(&r, 201);
    reply_free(&r);
    snprintf(sc->owned, sizeof sc->owned, "%s",
             create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"plate\":\"%s\",\"owner_id\":\"%s\"}",
                                             sc->plate, sc->id)));
    snprintf(sc->driven, sizeof sc->driven, "%s",
             create_ok("/v1/vehicles", pathf("{\"make\":\"BMW\",\"plate\":\"B-%.2s%.4s\",\"owner_id\":\"%s\","
                                                   "\"main_driver_id\":\"%s\"}", t, d, sc->company, sc->id)));
    snprintf(sc->visit, sizeof sc->visit, "%s",
             create_ok("/v1/touchpoints",
                       pathf("{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\",\"kind\":\"service_visit\","
                             "\"channel\":\"in_person\",\"department\":\"service\",\"satisfaction\":0.6,"
                             "\"nps\":4,\"summary\":\"%s was unhappy\",\"staff\":\"Jonas\","
                             "\"occurred_at\":\"2025-03-01T10:00:00Z\",\"journey_id\":\"%s\"}",
                             sc->id, sc->owned, sc->family, sc->journey)));
    /* a create sent with an Idempotency-Key: its stored answer names the person */
    snprintf(sc->idem, sizeof sc->idem, "Idempotency-Key: %s", uniq("priv-"));
    {
        const char *headers[] = { sc->idem, NULL };
        http("POST", "/v1/touchpoints", "application/json",
             pathf("{\"customer_id\":\"%s\",\"kind\":\"phone_call\",\"channel\":\"phone\",\"nps\":10,"
                   "\"occurred_at\":\"2025-03-02T10:00:00Z\",\"satisfaction\":0.5,\"journey_id\":\"%s\"}",
                   sc->id, sc->journey), headers, &r);
        assert_json(&r, 201);
        reply_free(&r);
    }
    /* another customer's touchpoint, which must stay as it is */
    create_ok("/v1/touchpoints", pathf("{\"customer_id\":\"%s\",\"kind\":\"phone_call\",\"channel\":\"phone\","
                                       "\"satisfaction\":0.9,\"nps\":9}", sc->other));
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

/* 1 if any change-feed entry's data contains s (walks the whole feed). */
static int
feed_mentions(const char *s)
{
    char cursor[256] = "";
    int found = 0;

    for (;;) {
        json_t *page = fetch(*cursor ? pathf("/v1/changes?limit=100&after=%s", cursor)
                                     : "/v1/changes?limit=100");
        json_t *items = json_object_get(page, "items");
        size_t n = json_array_size(items);

        found |= mentions(items, s);
        snprintf(cursor, sizeof cursor, "%s", sget(page, "next_cursor"));
        json_decref(page);
        if (n == 0)
            return found;
    }
}

static void
erase(const char *id, const char *auth, struct reply *r)
{
    const char *headers[] = { auth, NULL };
    http("DELETE", pathf("/v1/customers/%s?erase=true", id), NULL, NULL, auth ? headers : NULL, r);
}

START_TEST(export_holds_everything_about_the_person)
{
    struct scene sc;
    struct reply r;
    json_t *v;

    build_scene(&sc);
    http_get(pathf("/v1/customers/%s/export", sc.id), &r);
    assert_json(&r, 200);
    ck_assert_ptr_nonnull(r.disposition);
    ck_assert(strstr(r.disposition, "attachment") && strstr(r.disposition, sc.id));
    ck_assert_str_eq(sget(r.json, "format"), "crmd-export/1");
    ck_assert_str_eq(sget(json_object_get(r.json, "customer"), "family_name"), sc.family);
    ck_assert_str_eq(sget(json_object_get(r.json, "customer"), "notes"), sc.notes);
    v = json_object_get(r.json, "household");
    ck_assert_str_eq(sget(v, "role"), "head");
    ck_assert_str_eq(sget(json_object_get(v, "household"), "id"), sc.household);
    v = json_object_get(r.json, "companies");
    ck_assert_int_eq(json_array_size(v), 1);
    ck_assert_str_eq(sget(json_array_get(v, 0), "company_id"), sc.company);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "people")), 0);
    v = json_object_get(r.json, "vehicles");
    ck_assert_int_eq(json_array_size(v), 2);
    ck_assert(mentions(v, sc.owned) && mentions(v, sc.driven));
    v = json_object_get(r.json, "touchpoints");
    ck_assert_int_eq(json_array_size(v), 2);
    ck_assert_str_eq(sget(json_array_get(v, 0), "id"), sc.visit);
    ck_assert_str_eq(sget(json_array_get(v, 0), "staff"), "Jonas");
    ck_assert(json_array_size(json_object_get(r.json, "journeys")) >= 1);
    reply_free(&r);

    /* a reader may see the customer, not take everything away */
    {
        char auth[128];
        const char *headers[] = { auth, NULL };
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", harness_create_key(srv.db, "reader"));
        http("GET", pathf("/v1/customers/%s/export", sc.id), NULL, NULL, headers, &r);
        assert_problem(&r, 403, "forbidden");
        reply_free(&r);
    }
    http_get("/v1/customers/00000000-0000-4000-8000-000000000000/export", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get(pathf("/v1/customers/%s/export?pretty=1", sc.id), &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(erasure_keeps_the_statistics_and_removes_every_trace)
{
    struct scene sc;
    struct reply r;
    json_t *before, *after, *j;
    char path[400], line[256];
    const char *headers[2] = { NULL, NULL };
    FILE *f;
    int logged = 0;

    build_scene(&sc);
    ck_assert(feed_mentions(sc.family));
    before = fetch("/v1/metrics/experience");
    erase(sc.id, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);

    /* NPS, satisfaction and journey scores are what they were */
    after = fetch("/v1/metrics/experience");
    ck_assert_msg(json_equal(before, after), "metrics changed by the erasure");
    json_decref(before);
    json_decref(after);

    /* no trace: records, greeting, search, export, feed */
    assert_gone(pathf("/v1/customers/%s", sc.id));
    assert_gone(pathf("/v1/touchpoints/%s", sc.visit));
    assert_gone(pathf("/v1/vehicles/%s", sc.owned));
    http_get(pathf("/v1/customers/%s/export", sc.id), &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get(pathf("/v1/greeting?phone=%%2B%s", sc.e164 + 1), &r);
    ck_assert_int_eq(r.status, 404);
    reply_free(&r);
    http_get(pathf("/v1/greeting?plate=%s", sc.plate), &r);
    ck_assert_int_eq(r.status, 404);
    reply_free(&r);
    j = fetch(pathf("/v1/search?q=%s", sc.family));
    ck_assert_int_eq(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
    j = fetch(pathf("/v1/vehicles/%s", sc.driven));
    ck_assert(json_is_null(json_object_get(j, "main_driver_id")));
    json_decref(j);
    j = fetch(pathf("/v1/households/%s", sc.household));
    ck_assert(!mentions(j, sc.id));
    json_decref(j);
    j = fetch_items(pathf("/v1/customers/%s/people", sc.company));
    ck_assert_int_eq(json_array_size(j), 0);
    json_decref(j);
    ck_assert(!feed_mentions(sc.family));
    ck_assert(!feed_mentions(sc.e164));
    ck_assert(!feed_mentions(pathf("\"customer_id\": \"%s\"", sc.id)));
    ck_assert(feed_mentions(pathf("{\"id\": \"%s\", \"erased\": true}", sc.id)));
    ck_assert(!feed_mentions(sc.notes));
    /* the feed says the records went */
    j = fetch("/v1/changes?types=customer&limit=1000");
    ck_assert(mentions(json_object_get(j, "items"), "\"delete\""));
    json_decref(j);

    /* the idempotent answer is gone: a replay answers 410, without the person */
    headers[0] = sc.idem;
    http("POST", "/v1/touchpoints", "application/json",
         pathf("{\"customer_id\":\"%s\",\"kind\":\"phone_call\",\"channel\":\"phone\",\"nps\":10,"
               "\"occurred_at\":\"2025-03-02T10:00:00Z\",\"satisfaction\":0.5,\"journey_id\":\"%s\"}",
               sc.id, sc.journey), headers, &r);
    assert_problem(&r, 410, "erased");
    ck_assert(!strstr(r.body, sc.family));
    reply_free(&r);

    /* the erasure log names the id, nothing else of the person */
    snprintf(path, sizeof path, "%s.erasures", srv.db);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f)) {
        ck_assert(!strstr(line, sc.family));
        logged |= strstr(line, sc.id) != NULL;
    }
    fclose(f);
    ck_assert(logged);

    /* erasing again: nothing left */
    erase(sc.id, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

START_TEST(erasure_needs_an_admin_and_a_plain_yes)
{
    struct scene sc;
    struct reply r;
    char auth[128];

    build_scene(&sc);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", harness_create_key(srv.db, "manager"));
    erase(sc.id, auth, &r);
    assert_problem(&r, 403, "forbidden");
    reply_free(&r);
    http("DELETE", pathf("/v1/customers/%s?erase=false", sc.id), NULL, NULL, NULL, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http("DELETE", pathf("/v1/customers/%s?erase=yes", sc.id), NULL, NULL, NULL, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http("DELETE", pathf("/v1/customers/%s?erase=true&cascade=true", sc.id), NULL, NULL, NULL, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    erase("00000000-0000-4000-8000-000000000000", NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    /* nothing was touched */
    json_decref(fetch(pathf("/v1/customers/%s", sc.id)));
    json_decref(fetch(pathf("/v1/touchpoints/%s", sc.visit)));
}
END_TEST

/* The bytes of path into *len (a new buffer; empty if the file is missing). */
static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long n;

    *len = 0;
    if (!f)
        return calloc(1, 1);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    ck_assert_int_ge(n, 0);
    rewind(f);
    data = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(data);
    *len = fread(data, 1, (size_t)n, f);
    fclose(f);
    return data;
}

/* Which of the NULL-terminated strings are in the database file or its WAL, as a list. */
static const char *
in_files(const char *db, const char *const *strings)
{
    static char found[1024];
    size_t dblen, wallen;
    char *dbb = slurp(db, &dblen), *walb = slurp(pathf("%s-wal", db), &wallen);

    found[0] = 0;
    for (size_t i = 0; strings[i]; i++) {
        size_t n = strlen(strings[i]);
        if (memmem(dbb, dblen, strings[i], n) || memmem(walb, wallen, strings[i], n))
            snprintf(found + strlen(found), sizeof found - strlen(found), " %s", strings[i]);
    }
    free(dbb);
    free(walb);
    return found;
}

/* Erase id and wait until the server logged the WAL truncation that follows. */
static void
erase_and_wait_for_truncation(const char *id)
{
    int before = harness_log_count(&srv, "WAL truncated", NULL, 0);
    struct reply r;

    http("DELETE", pathf("/v1/customers/%s?erase=true", id), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    for (int i = 0; i < 2500 && harness_log_count(&srv, "WAL truncated", NULL, 0) == before; i++)
        usleep(2000);
    ck_assert_msg(harness_log_count(&srv, "WAL truncated", NULL, 0) > before,
                  "no WAL truncation logged after the erasure");
}

/*
 * After an erasure and its checkpoint, none of the person's strings is in
 * the bytes of the database or its WAL: not in the search index, not in
 * freed space, not in old WAL frames.
 */
START_TEST(erasure_leaves_nothing_in_the_files)
{
    const char *t = uniq_letters(), *d = uniq_digits(), *g = uniq_letters();
    char family[32], lower[32], given[32], email[64], phone[32], digits[16], tail[24], plate[32],
        norm[16], vin[24], id[40], car[40], old_plate[32], old_norm[16];
    const char *strings[16];
    size_t n = 0;
    json_t *j;
    _Static_assert(sizeof strings / sizeof strings[0] > 10, "ten strings and the NULL");
    struct reply r;

    snprintf(family, sizeof family, "Zyrkel%s", t);
    snprintf(lower, sizeof lower, "zyrkel%s", t);
    snprintf(given, sizeof given, "Ysolde%s", g);
    snprintf(email, sizeof email, "ys.zyrkel%s@example.org", t);
    snprintf(phone, sizeof phone, "0171 4%s", d);
    snprintf(digits, sizeof digits, "4%s", d);
    /* the phone-tail key (schema/015): the E.164 digits 491714<d> reversed */
    for (size_t i = 0, len = strlen(d); i < len; i++)
        tail[i] = d[len - 1 - i];
    snprintf(tail + strlen(d), sizeof tail - strlen(d), "417194");
    snprintf(plate, sizeof plate, "E-%c%c %.4s", t[0] - 32, t[1] - 32, d);
    snprintf(norm, sizeof norm, "E%c%c%.4s", t[0] - 32, t[1] - 32, d);
    snprintf(vin, sizeof vin, "WVWZZZ%sHXJK", d);
    /* the plate the car had before (vehicle_plates_past, schema/014) */
    snprintf(old_plate, sizeof old_plate, "F-%c%c %.4s", t[0] - 32, t[1] - 32, d);
    snprintf(old_norm, sizeof old_norm, "F%c%c%.4s", t[0] - 32, t[1] - 32, d);
    strings[n++] = family, strings[n++] = lower, strings[n++] = given, strings[n++] = email;
    strings[n++] = digits, strings[n++] = tail, strings[n++] = plate, strings[n++] = norm;
    strings[n++] = vin, strings[n++] = old_plate, strings[n++] = old_norm;
    strings[n] = NULL;

    snprintf(id, sizeof id, "%s",
             create_ok("/v1/customers",
                       pathf("{\"kind\":\"person\",\"given_name\":\"%s\",\"family_name\":\"%s\","
                             "\"phones\":[\"%s\"],\"emails\":[\"%s\"]}", given, family, phone, email)));
    snprintf(car, sizeof car, "%s",
             create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"plate\":\"%s\",\"vin\":\"%s\","
                                             "\"owner_id\":\"%s\"}", old_plate, vin, id)));
    http("PATCH", pathf("/v1/vehicles/%s", car), "application/merge-patch+json",
         pathf("{\"plate\":\"%s\"}", plate), NULL, &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    for (int i = 0; i < 3; i++)
        create_ok("/v1/touchpoints",
                  pathf("{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\",\"kind\":\"service_visit\","
                        "\"channel\":\"in_person\",\"summary\":\"%s asked for %s\",\"nps\":%d}",
                        id, car, family, email, 6 + i));
    /* a change, so older versions of the record sit in the feed and in freed space */
    http("PATCH", pathf("/v1/customers/%s", id), "application/merge-patch+json",
         "{\"notes\":\"called back\"}", NULL, &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    j = fetch(pathf("/v1/search?q=%s", family));
    ck_assert_int_eq(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    http_get(pathf("/v1/greeting?plate=%s", norm), &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    http_get(pathf("/v1/greeting?plate=%s", old_norm), &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(sget(json_object_get(r.json, "recognized_by"), "by"), "plate_history");
    reply_free(&r);
    /* the check can see them: every string is in the files before */
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(*in_files(srv.db, (const char *const[]){ strings[i], NULL }),
                      "%s is not in %s or its WAL even before the erasure", strings[i], srv.db);

    erase_and_wait_for_truncation(id);
    ck_assert_msg(!*in_files(srv.db, strings), "left in the files after the erasure:%s",
                  in_files(srv.db, strings));
    http_get(pathf("/v1/greeting?plate=%s", old_norm), &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

/*
 * A merged into B, then B erased: A's earlier versions in the feed and the
 * stored answer of A's create go too; replaying that create answers 410.
 */
START_TEST(erasing_a_survivor_erases_what_was_merged_into_it)
{
    const char *t = uniq_letters(), *d = uniq_digits();
    char family[32], email[64], digits[16], body[300], idem[80], a[40], b[40];
    const char *strings[4], *headers[] = { idem, NULL };
    struct reply r;

    snprintf(family, sizeof family, "Quastel%s", t);
    snprintf(email, sizeof email, "quastel.%s@example.net", t);
    snprintf(digits, sizeof digits, "3%s", d);
    strings[0] = family, strings[1] = email, strings[2] = digits, strings[3] = NULL;
    snprintf(body, sizeof body,
             "{\"kind\":\"person\",\"given_name\":\"Amalie\",\"family_name\":\"%s\","
             "\"emails\":[\"%s\"],\"phones\":[\"0172 %s\"]}", family, email, digits);
    snprintf(idem, sizeof idem, "Idempotency-Key: %s", uniq("merged-"));
    http("POST", "/v1/customers", "application/json", body, headers, &r);
    assert_json(&r, 201);
    snprintf(a, sizeof a, "%s", jstr(&r, "id"));
    reply_free(&r);
    create_ok("/v1/touchpoints", pathf("{\"customer_id\":\"%s\",\"kind\":\"phone_call\","
                                       "\"channel\":\"phone\",\"summary\":\"%s called\"}", a, family));
    snprintf(b, sizeof b, "%s", new_person_named("Bleibend"));
    http_json("POST", pathf("/v1/customers/%s/merge", b), pathf("{\"from\":\"%s\"}", a), &r);
    assert_json(&r, 200);
    reply_free(&r);
    ck_assert(feed_mentions(family));

    erase_and_wait_for_truncation(b);
    for (int i = 0; strings[i]; i++)
        ck_assert_msg(!feed_mentions(strings[i]), "the feed still holds %s", strings[i]);
    http("POST", "/v1/customers", "application/json", body, headers, &r);
    assert_problem(&r, 410, "erased");
    for (int i = 0; strings[i]; i++)
        ck_assert_msg(!strstr(r.body, strings[i]), "the replay shows %s", strings[i]);
    reply_free(&r);
    /* nobody was created again */
    {
        json_t *j = fetch(pathf("/v1/search?q=%s", family));
        ck_assert_int_eq(json_array_size(json_object_get(j, "items")), 0);
        json_decref(j);
    }
    ck_assert_msg(!*in_files(srv.db, strings), "left in the files after the erasure:%s",
                  in_files(srv.db, strings));
}
END_TEST

/* Permission bits of path (the file must exist). */
static unsigned
mode_of(const char *path)
{
    struct stat st;

    ck_assert_msg(stat(path, &st) == 0, "%s does not exist", path);
    return (unsigned)(st.st_mode & 0777);
}

static void
assert_owner_only(const char *db)
{
    static const char *const suffix[] = { "", "-wal", "-shm" };

    for (size_t i = 0; i < 3; i++) {
        const char *path = pathf("%s%s", db, suffix[i]);
        ck_assert_msg(mode_of(path) == 0600, "%s has mode %03o, not 600", path, mode_of(path));
    }
}

/* Under umask 000: `crmd keys create` makes the database, the server its -wal and -shm. */
START_TEST(database_files_are_for_crmd_alone)
{
    struct server s = { 0 };
    mode_t was = umask(0);
    struct reply r;
    char cmd[800];

    server_start(&s, NULL, NULL); /* crmd keys create makes s.db first */
    umask(was);
    srv = s;                      /* http() talks to the current test's server */
    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Modus\"}");
    assert_owner_only(s.db);
    ck_assert_int_eq(server_stop(&s), 0);

    /* files an older crmd left readable are made private at start, and that is logged */
    ck_assert_int_eq(chmod(s.db, 0644), 0);
    umask(022);
    server_start(&s, s.db, NULL);
    umask(was);
    srv = s;
    http_get("/v1/customers?limit=1", &r);
    assert_json(&r, 200);
    reply_free(&r);
    assert_owner_only(s.db);
    ck_assert_int_ge(harness_log_count(&s, "was readable by other users (mode 644)", NULL, 0), 1);
    ck_assert_int_eq(server_stop(&s), 0);

    /* a backup crmd makes is private too */
    umask(0);
    snprintf(cmd, sizeof cmd, "%s backup --db %s --to %s/copy.db 2>/dev/null", getenv("CRMD_BIN"),
             s.db, s.dir);
    ck_assert_int_eq(system(cmd), 0);
    umask(was);
    ck_assert_uint_eq(mode_of(pathf("%s/copy.db", s.dir)), 0600);
    snprintf(cmd, sizeof cmd, "rm -rf %s", s.dir);
    ck_assert_int_eq(system(cmd), 0);
    memset(&srv, 0, sizeof srv);
}
END_TEST

Suite *
privacy_suite(void)
{
    Suite *s = suite_create("privacy");
    TCase *tc = tcase_create("privacy");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, export_holds_everything_about_the_person);
    tcase_add_test(tc, erasure_keeps_the_statistics_and_removes_every_trace);
    tcase_add_test(tc, erasure_needs_an_admin_and_a_plain_yes);
    tcase_add_test(tc, erasure_leaves_nothing_in_the_files);
    tcase_add_test(tc, erasing_a_survivor_erases_what_was_merged_into_it);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, database_files_are_for_crmd_alone);
    suite_add_tcase(s, tc);
    return s;
}
