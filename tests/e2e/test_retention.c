/*
 * test_retention: the change feed's retention (--changes-retention-days).
 * Changes are backdated in the stopped server's database with SQLite,
 * then a restart prunes them (soon after the start, then hourly):
 * never past a webhook's cursor; a cursor before the oldest kept change
 * answers 410 cursor-expired (the feed and a webhook's replay), no cursor
 * starts at the oldest kept change, after=now and new changes go on.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static const char *const retention_env[] = { "CRMD_CHANGES_RETENTION_DAYS=30", NULL };

/* Every change committed so far is made 40 days old (the server is stopped). */
static void
backdate_all(const char *db)
{
    sqlite3 *conn;

    ck_assert_int_eq(sqlite3_open(db, &conn), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(conn, "UPDATE changes SET at = '2000-01-01T00:00:00Z'", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(conn);
}

/* Stop, make every change old, start again: the retention runs soon after the start. */
static void
restart(const char *pruned)
{
    ck_assert_int_eq(server_stop(&srv), 0);
    backdate_all(srv.db);
    server_start(&srv, srv.db, retention_env);
    harness_await_log(&srv, pruned, 10000);
}

/* The feed after cursor (NULL: no cursor), asserting 200; new reference. */
static json_t *
feed(const char *cursor)
{
    return fetch(cursor ? pathf("/v1/changes?after=%s", cursor) : "/v1/changes");
}

/* The cursor of the feed's change of record id (static storage). */
static const char *
cursor_of(const char *id)
{
    static char out[64];
    json_t *page = feed(NULL), *it;
    size_t i;

    out[0] = '\0';
    json_array_foreach(json_object_get(page, "items"), i, it)
    {
        if (!strcmp(sget(it, "id"), id))
            snprintf(out, sizeof out, "%s", sget(it, "cursor"));
    }
    json_decref(page);
    ck_assert_msg(out[0], "no change of %s in the feed", id);
    return out;
}

START_TEST(old_changes_go_but_never_past_a_webhook)
{
    char a[40], b[40], c[40], ca[64], cc[64], hook[40], body[160];
    json_t *page;
    struct reply r;

    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, retention_env);
    snprintf(a, sizeof a, "%s", new_person_named("Altbestand"));
    snprintf(b, sizeof b, "%s", new_person_named("Bestand"));
    snprintf(c, sizeof c, "%s", new_person_named("Neubestand"));
    snprintf(ca, sizeof ca, "%s", cursor_of(a));
    snprintf(cc, sizeof cc, "%s", cursor_of(c));
    /* a paused subscription at A's change holds everything after it */
    snprintf(body, sizeof body,
             "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"*\"], \"status\": \"paused\", "
             "\"after\": \"%s\"}",
             ca);
    snprintf(hook, sizeof hook, "%s", create_ok("/v1/webhooks", body));

    restart("changes: pruned 1 changes older than 30 days");
    page = feed(NULL); /* no cursor: from the oldest change kept, B's */
    ck_assert_str_eq(sget(json_array_get(json_object_get(page, "items"), 0), "id"), b);
    json_decref(page);
    page = feed(ca); /* A's cursor is where the pruned part ends: still complete */
    ck_assert_str_eq(sget(json_array_get(json_object_get(page, "items"), 0), "id"), b);
    json_decref(page);
    http_get("/v1/changes?after=AQUAAAAAAAAAACDi", &r); /* seq 0: before A, pruned */
    assert_problem(&r, 410, "cursor-expired");
    ck_assert_msg(strstr(jstr(&r, "detail"), "after=now") != NULL, "%s", r.body);
    reply_free(&r);

    /* without the subscription, the rest goes too */
    http("DELETE", pathf("/v1/webhooks/%s", hook), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    restart("changes: pruned 2 changes older than 30 days");
    http_get(pathf("/v1/changes?after=%s", ca), &r);
    assert_problem(&r, 410, "cursor-expired");
    reply_free(&r);
    snprintf(body, sizeof body, "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"*\"], "
                                "\"after\": \"%s\"}", ca);
    http_json("POST", "/v1/webhooks", body, &r); /* a replay from there would skip: 410 too */
    assert_problem(&r, 410, "cursor-expired");
    reply_free(&r);
    page = feed(cc); /* the newest cursor still works: nothing after it */
    ck_assert_int_eq(json_array_size(json_object_get(page, "items")), 0);
    ck_assert_str_eq(sget(page, "next_cursor"), cc);
    json_decref(page);
    page = feed(NULL); /* no cursor on an emptied feed: empty, ending where C's change was */
    ck_assert_int_eq(json_array_size(json_object_get(page, "items")), 0);
    ck_assert_str_eq(sget(page, "next_cursor"), cc);
    json_decref(page);
    page = fetch("/v1/changes?after=now");
    ck_assert_str_eq(sget(page, "next_cursor"), cc);
    json_decref(page);
    /* the records stay, and new changes follow the old cursor */
    json_decref(fetch(pathf("/v1/customers/%s", a)));
    snprintf(a, sizeof a, "%s", new_person_named("Nachzuegler"));
    page = feed(cc);
    ck_assert_int_eq(json_array_size(json_object_get(page, "items")), 1);
    ck_assert_str_eq(sget(json_array_get(json_object_get(page, "items"), 0), "id"), a);
    json_decref(page);
    harness_teardown();
}
END_TEST

START_TEST(retention_zero_keeps_everything)
{
    static const char *const forever_env[] = { "CRMD_CHANGES_RETENTION_DAYS=0", NULL };
    char a[40];
    json_t *page;

    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, forever_env);
    snprintf(a, sizeof a, "%s", new_person_named("Fuerimmer"));
    ck_assert_int_eq(server_stop(&srv), 0);
    backdate_all(srv.db);
    server_start(&srv, srv.db, forever_env);
    page = feed(NULL);
    ck_assert_str_eq(sget(json_array_get(json_object_get(page, "items"), 0), "id"), a);
    json_decref(page);
    harness_teardown();
}
END_TEST

Suite *
retention_suite(void)
{
    Suite *s = suite_create("retention");
    TCase *tc = tcase_create("changes");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, old_changes_go_but_never_past_a_webhook);
    tcase_add_test(tc, retention_zero_keeps_everything);
    suite_add_tcase(s, tc);
    return s;
}
