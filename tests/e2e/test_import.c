/*
 * test_import: POST /v1/import. NDJSON with forward references, upsert
 * and unchanged detection, error lines next to applied ones, atomic
 * rollback, CSV, content types and limits. The suite's server has small
 * limits (4 KiB lines, 64 KiB imports) so the 413 cases stay cheap; ids
 * carry a per-test token so tests stand alone.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define NDJSON "application/x-ndjson"

static const char *const limits_env[] = { "CRMD_MAX_BODY=4096", "CRMD_MAX_IMPORT=65536", NULL };

static void
import_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, limits_env);
}

/* A token unique to this process and call: external ids of one test. */
static const char *
token(void)
{
    static char s[32];
    static unsigned n;

    snprintf(s, sizeof s, "%ld-%u", (long)getpid(), n++);
    return s;
}

/* printf into a fresh heap string (bodies larger than pathf's slots). */
static char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
    va_list ap;
    char *s = NULL;
    size_t n;

    va_start(ap, f);
    n = (size_t)vsnprintf(NULL, 0, f, ap) + 1;
    va_end(ap);
    s = malloc(n);
    va_start(ap, f);
    vsnprintf(s, n, f, ap);
    va_end(ap);
    return s;
}

/* POST body as ctype to /v1/import?query; r must be freed. */
static void
post_import(const char *query, const char *ctype, const char *body, struct reply *r)
{
    http("POST", pathf("/v1/import%s%s", query ? "?" : "", query ? query : ""), ctype, body, NULL, r);
}

/* POST, assert 200 and return the report (new reference). */
static json_t *
import_ok(const char *query, const char *ctype, const char *body)
{
    struct reply r;
    json_t *out;

    post_import(query, ctype, body, &r);
    assert_json(&r, 200);
    out = json_incref(r.json);
    reply_free(&r);
    return out;
}

static long long
total(const json_t *report, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(report, "totals"), key));
}

/* Item of the report for line (borrowed), asserting it is there. */
static json_t *
item(const json_t *report, long line)
{
    json_t *items = json_object_get(report, "items"), *it;
    size_t i;

    json_array_foreach(items, i, it)
    {
        if (json_integer_value(json_object_get(it, "line")) == line)
            return it;
    }
    ck_abort_msg("no report item for line %ld", line);
    return NULL;
}

static void
assert_outcome(const json_t *report, long line, const char *outcome)
{
    const char *got = sget(item(report, line), "outcome");
    ck_assert_msg(got && !strcmp(got, outcome), "line %ld: outcome %s, want %s", line,
                  got ? got : "(none)", outcome);
}

/* The line's problem type slug must be slug and its status status. */
static void
assert_line_problem(const json_t *report, long line, long status, const char *slug)
{
    json_t *pr = json_object_get(item(report, line), "problem");
    char want[96];

    assert_outcome(report, line, "error");
    snprintf(want, sizeof want, "urn:crmd:problem:%s", slug);
    ck_assert_msg(json_is_object(pr), "line %ld has no problem", line);
    ck_assert_str_eq(sget(pr, "type"), want);
    ck_assert_int_eq(json_integer_value(json_object_get(pr, "status")), status);
    ck_assert_ptr_nonnull(sget(pr, "title"));
    ck_assert_ptr_nonnull(sget(pr, "detail"));
}

/* Items of a list filtered by external reference system:id. */
static json_t *
by_ref(const char *resource, const char *system, const char *id)
{
    return fetch_items(pathf("/v1/%s?external_ref=%s:%s", resource, system, id));
}

/* The one record of resource with this dms reference (new reference); asserts there is one. */
static json_t *
one_by_ref(const char *resource, const char *id)
{
    json_t *items = by_ref(resource, "dms", id), *one;

    ck_assert_msg(json_array_size(items) == 1, "%s dms:%s: %zu records", resource, id,
                  json_array_size(items));
    one = json_incref(json_array_get(items, 0));
    json_decref(items);
    return one;
}

static void
assert_no_ref(const char *resource, const char *id)
{
    json_t *items = by_ref(resource, "dms", id);
    ck_assert_msg(json_array_size(items) == 0, "%s dms:%s exists", resource, id);
    json_decref(items);
}

static long long
changes_count(void)
{
    json_t *items = fetch_items("/v1/changes?limit=1000");
    long long n = (long long)json_array_size(items);
    json_decref(items);
    return n;
}

/* Lines in an order that needs the forward references: cars, links and contacts first. */
static char *
mixed_body(const char *t)
{
    return fmt(
        "{\"type\":\"vehicle\",\"external_ref\":{\"system\":\"dms\",\"id\":\"F-%s\"},\"make\":\"VW\","
        "\"model\":\"Golf\",\"plate\":\"M-IM 1\",\"owner\":{\"system\":\"dms\",\"id\":\"K-%s\"},"
        "\"main_driver\":{\"system\":\"dms\",\"id\":\"K-%s\"}}\n"
        "{\"type\":\"touchpoint\",\"external_ref\":{\"system\":\"dms\",\"id\":\"T-%s\"},"
        "\"customer\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"vehicle\":{\"system\":\"dms\",\"id\":\"F-%s\"},"
        "\"kind\":\"service_visit\",\"channel\":\"in_person\",\"occurred_at\":\"2026-03-02T09:30:00+01:00\"}\n"
        "{\"type\":\"membership\",\"household\":{\"system\":\"dms\",\"id\":\"H-%s\"},"
        "\"customer\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"role\":\"head\"}\n"
        "{\"type\":\"company_person\",\"company\":{\"system\":\"dms\",\"id\":\"C-%s\"},"
        "\"person\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"roles\":[\"driver\",\"fleet_manager\"]}\n"
        "\r\n"
        "{\"type\":\"household\",\"external_ref\":{\"system\":\"dms\",\"id\":\"H-%s\"},\"name\":\"Familie Import\"}\n"
        "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"C-%s\"},\"kind\":\"company\","
        "\"company_name\":\"Import Logistik GmbH\"}\n"
        "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"kind\":\"person\","
        "\"given_name\":\"Ida\",\"family_name\":\"Import\",\"phones\":[\"0171 5550001\"]}",
        t, t, t, t, t, t, t, t, t, t, t, t, t);
}

START_TEST(mixed_ndjson_resolves_forward_references)
{
    const char *t = token();
    char *body = mixed_body(t);
    json_t *rep = import_ok(NULL, NDJSON, body), *k, *v, *tp, *h, *people;
    const char *kid;

    ck_assert(json_is_false(json_object_get(rep, "atomic")));
    ck_assert_int_eq(total(rep, "lines"), 7); /* the blank line is not counted */
    ck_assert_int_eq(total(rep, "created"), 7);
    ck_assert_int_eq(total(rep, "errors"), 0);
    for (long line = 1; line <= 8; line++)
        if (line != 5)
            assert_outcome(rep, line, "created");
    ck_assert_str_eq(sget(item(rep, 1), "type"), "vehicle");
    ck_assert_str_eq(sget(item(rep, 8), "type"), "customer");

    k = one_by_ref("customers", pathf("K-%s", t));
    kid = sget(k, "id");
    ck_assert_str_eq(sget(item(rep, 8), "id"), kid);
    v = one_by_ref("vehicles", pathf("F-%s", t));
    ck_assert_str_eq(sget(v, "owner_id"), kid);
    ck_assert_str_eq(sget(v, "main_driver_id"), kid);
    ck_assert_str_eq(sget(item(rep, 1), "id"), sget(v, "id"));
    tp = one_by_ref("touchpoints", pathf("T-%s", t));
    ck_assert_str_eq(sget(tp, "customer_id"), kid);
    ck_assert_str_eq(sget(tp, "vehicle_id"), sget(v, "id"));
    ck_assert_str_eq(sget(tp, "occurred_at"), "2026-03-02T08:30:00Z");
    /* history: without staff it records nobody, not the importing key as POST would */
    ck_assert(json_is_null(json_object_get(tp, "staff")));
    h = one_by_ref("households", pathf("H-%s", t));
    ck_assert_str_eq(sget(item(rep, 3), "id"), sget(h, "id"));
    ck_assert_int_eq(json_array_size(json_object_get(h, "members")), 1);
    ck_assert_str_eq(sget(json_object_get(k, "household"), "id"), sget(h, "id"));
    people = fetch_items(pathf("/v1/customers/%s/people", sget(item(rep, 4), "id")));
    ck_assert_int_eq(json_array_size(people), 1);
    ck_assert_str_eq(sget(json_array_get(people, 0), "person_id"), kid);
    /* the key reference is kept in external_refs, as the API shows it */
    ck_assert_str_eq(sget(json_array_get(json_object_get(h, "external_refs"), 0), "id"),
                     pathf("H-%s", t));
    json_decref(people);
    json_decref(h);
    json_decref(tp);
    json_decref(v);
    json_decref(k);
    json_decref(rep);
    free(body);
}
END_TEST

/* The import's WAL goes into the database after the answer, on the job thread. */
START_TEST(import_wal_is_checkpointed_after_the_answer)
{
    char last[1024] = "", *body = mixed_body(token());
    int before = harness_log_count(&srv, "info checkpoint: ", last, sizeof last), done = -1, frames = -1;
    json_t *rep = import_ok(NULL, NDJSON, body);

    ck_assert_int_eq(total(rep, "created"), 7);
    for (int i = 0; i < 100 && harness_log_count(&srv, "info checkpoint: ", last, sizeof last) == before; i++)
        nanosleep(&(struct timespec){ .tv_nsec = 50000000 }, NULL);
    ck_assert_msg(harness_log_count(&srv, "info checkpoint: ", last, sizeof last) == before + 1,
                  "no checkpoint logged after the import");
    ck_assert_msg(sscanf(strstr(last, "checkpoint: "), "checkpoint: %d of %d WAL pages", &done,
                         &frames) == 2,
                  "log line: %s", last);
    /* Most of the WAL moves; the audit thread may append frames while it runs (seen under load). */
    ck_assert_msg(frames > 0 && done > frames / 2 && done <= frames, "log line: %s", last);
    json_decref(rep);
    free(body);
}
END_TEST

START_TEST(same_import_again_is_unchanged_and_writes_nothing)
{
    const char *t = token();
    char *body = mixed_body(t);
    json_t *rep = import_ok(NULL, NDJSON, body), *k, *k2;
    long long before;

    json_decref(rep);
    k = one_by_ref("customers", pathf("K-%s", t));
    before = changes_count();
    rep = import_ok(NULL, NDJSON, body);
    ck_assert_int_eq(total(rep, "unchanged"), 7);
    ck_assert_int_eq(total(rep, "created") + total(rep, "updated") + total(rep, "errors"), 0);
    assert_outcome(rep, 3, "unchanged");
    assert_outcome(rep, 4, "unchanged");
    ck_assert_int_eq(changes_count(), before);
    k2 = one_by_ref("customers", pathf("K-%s", t));
    ck_assert(json_equal(k, k2));
    json_decref(k2);
    json_decref(rep);

    /* a changed field updates; absent fields stay (merge patch), null clears */
    rep = import_ok(NULL, NDJSON,
                    pathf("{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"K-%s\"},"
                          "\"preferred_name\":\"Idchen\",\"phones\":null}",
                          t));
    assert_outcome(rep, 1, "updated");
    k2 = one_by_ref("customers", pathf("K-%s", t));
    ck_assert_int_eq(json_integer_value(json_object_get(k2, "version")), 2);
    ck_assert_str_eq(sget(k2, "preferred_name"), "Idchen");
    ck_assert_str_eq(sget(k2, "given_name"), "Ida");
    ck_assert(json_is_null(json_object_get(k2, "phones")));
    ck_assert_int_eq(changes_count(), before + 1);
    json_decref(k2);
    json_decref(k);
    json_decref(rep);
    free(body);
}
END_TEST

START_TEST(error_lines_are_reported_and_valid_lines_applied)
{
    const char *t = token();
    char *big = malloc(5000), *body;
    json_t *rep, *pr;

    memset(big, 'x', 4999);
    big[4999] = '\0';
    /* a customer whose second reference belongs to another: its insert is undone */
    create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Holder\","
                                     "\"external_refs\":[{\"system\":\"dms\",\"id\":\"X-%s\"}]}",
                                     t));
    body = fmt("{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"K-%s\"},"
               "\"kind\":\"person\",\"family_name\":\"Gut\"}\n"                         /* 1 */
               "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"K-%s\"},"
               "\"kind\":\"person\",\"family_name\":\"Doppelt\"}\n"                     /* 2 */
               "this is not json\n"                                                      /* 3 */
               "{\"type\":\"spaceship\",\"external_ref\":{\"system\":\"dms\",\"id\":\"S-1\"}}\n" /* 4 */
               "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"V-%s\"},"
               "\"kind\":\"person\",\"salutation\":\"Sir\",\"shoe_size\":44}\n"        /* 5 */
               "{\"type\":\"vehicle\",\"external_ref\":{\"system\":\"dms\",\"id\":\"F-%s\"},"
               "\"make\":\"VW\",\"plate\":\"M-IM 2\",\"owner\":{\"system\":\"dms\",\"id\":\"NOPE-%s\"}}\n" /* 6 */
               "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"R-%s\"},"
               "\"kind\":\"person\",\"family_name\":\"Halb%s\","
               "\"external_refs\":[{\"system\":\"dms\",\"id\":\"X-%s\"}]}\n"            /* 7 */
               "{\"type\":\"customer\",\"note\":\"%s\"}\n"                               /* 8 */
               "{\"type\":\"vehicle\",\"make\":\"VW\"}\n"                                /* 9 */
               "[1,2]\n",                                                                /* 10 */
               t, t, t, t, t, t, t, t, big);
    rep = import_ok(NULL, NDJSON, body);
    ck_assert_int_eq(total(rep, "lines"), 10);
    ck_assert_int_eq(total(rep, "created"), 1);
    ck_assert_int_eq(total(rep, "errors"), 9);
    assert_outcome(rep, 1, "created");
    assert_line_problem(rep, 2, 409, "conflict");
    ck_assert_ptr_nonnull(strstr(sget(json_object_get(item(rep, 2), "problem"), "detail"), "line 1"));
    assert_line_problem(rep, 3, 400, "malformed-json");
    assert_line_problem(rep, 4, 400, "validation");
    ck_assert(json_is_null(json_object_get(item(rep, 4), "type")));
    assert_line_problem(rep, 5, 400, "validation");
    pr = json_object_get(item(rep, 5), "problem");
    ck_assert_int_ge(json_array_size(json_object_get(pr, "errors")), 2); /* salutation, shoe_size */
    assert_line_problem(rep, 6, 422, "unprocessable");
    ck_assert_ptr_nonnull(strstr(sget(json_object_get(item(rep, 6), "problem"), "detail"), "owner"));
    assert_line_problem(rep, 7, 409, "conflict");
    assert_line_problem(rep, 8, 413, "payload-too-large");
    assert_line_problem(rep, 9, 400, "validation"); /* no external_ref */
    assert_line_problem(rep, 10, 400, "malformed-json");
    /* what failed left nothing: no vehicle, no half-written customer of line 7 */
    assert_no_ref("vehicles", pathf("F-%s", t));
    assert_no_ref("customers", pathf("R-%s", t));
    {
        json_t *halb = fetch_items(pathf("/v1/customers?family_name=Halb%s", t));
        ck_assert_int_eq(json_array_size(halb), 0);
        json_decref(halb);
    }
    json_decref(one_by_ref("customers", pathf("K-%s", t)));
    json_decref(rep);
    free(body);
    free(big);
}
END_TEST

/* The import judges dates with the same validators: a typo is an error line, not a record. */
START_TEST(implausible_dates_are_error_lines)
{
    const char *t = token();
    char *body;
    json_t *rep, *pr;

    body = fmt("{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"D-%s\"},"
               "\"kind\":\"person\",\"family_name\":\"Datum\",\"birthday\":\"1899-04-01\"}\n"  /* 1 */
               "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"E-%s\"},"
               "\"kind\":\"person\",\"family_name\":\"Datum\",\"birthday\":\"1970-04-01\"}\n"  /* 2 */
               "{\"type\":\"vehicle\",\"external_ref\":{\"system\":\"dms\",\"id\":\"F-%s\"},"
               "\"make\":\"VW\",\"plate\":\"M-DT 1\",\"first_registration\":\"2099-01-01\","
               "\"owner\":{\"system\":\"dms\",\"id\":\"E-%s\"}}\n"                             /* 3 */
               "{\"type\":\"touchpoint\",\"external_ref\":{\"system\":\"dms\",\"id\":\"T-%s\"},"
               "\"customer\":{\"system\":\"dms\",\"id\":\"E-%s\"},\"kind\":\"service_visit\","
               "\"channel\":\"in_person\",\"occurred_at\":\"2036-03-02T09:30:00+01:00\"}\n"      /* 4 */
               "{\"type\":\"touchpoint\",\"external_ref\":{\"system\":\"dms\",\"id\":\"U-%s\"},"
               "\"customer\":{\"system\":\"dms\",\"id\":\"E-%s\"},\"kind\":\"service_visit\","
               "\"channel\":\"in_person\",\"occurred_at\":\"2016-03-02T09:30:00+01:00\"}\n",     /* 5 */
               t, t, t, t, t, t, t, t);
    rep = import_ok(NULL, NDJSON, body);
    ck_assert_int_eq(total(rep, "created"), 2);
    ck_assert_int_eq(total(rep, "errors"), 3);
    assert_outcome(rep, 2, "created");
    assert_outcome(rep, 5, "created");
    assert_line_problem(rep, 1, 422, "implausible");
    pr = json_object_get(item(rep, 1), "problem");
    ck_assert_str_eq(sget(json_array_get(json_object_get(pr, "errors"), 0), "field"), "birthday");
    ck_assert_str_eq(sget(json_array_get(json_object_get(pr, "errors"), 0), "message"),
                     "is too early: must be 1900-01-01 or later");
    assert_line_problem(rep, 3, 422, "implausible");
    pr = json_object_get(item(rep, 3), "problem");
    ck_assert_str_eq(sget(json_array_get(json_object_get(pr, "errors"), 0), "field"),
                     "first_registration");
    assert_line_problem(rep, 4, 422, "implausible");
    pr = json_object_get(item(rep, 4), "problem");
    ck_assert_str_eq(sget(json_array_get(json_object_get(pr, "errors"), 0), "field"), "occurred_at");
    assert_no_ref("customers", pathf("D-%s", t));
    assert_no_ref("vehicles", pathf("F-%s", t));
    assert_no_ref("touchpoints", pathf("T-%s", t));
    json_decref(rep);
    free(body);
}
END_TEST

START_TEST(atomic_import_with_an_error_writes_nothing)
{
    const char *t = token();
    long long before = changes_count();
    char *body = fmt("{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"K-%s\"},"
                     "\"kind\":\"person\",\"family_name\":\"Atom\"}\n"
                     "{\"type\":\"household\",\"external_ref\":{\"system\":\"dms\",\"id\":\"H-%s\"},"
                     "\"name\":\"Familie Atom\"}\n"
                     "{\"type\":\"membership\",\"household\":{\"system\":\"dms\",\"id\":\"H-%s\"},"
                     "\"customer\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"role\":\"king\"}\n",
                     t, t, t, t);
    struct reply r;
    json_t *items;

    post_import("atomic=true", NDJSON, body, &r);
    assert_problem(&r, 422, "import-rejected");
    items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r.json, "totals"), "errors")), 1);
    ck_assert_str_eq(sget(json_array_get(items, 2), "outcome"), "error");
    ck_assert_str_eq(sget(json_array_get(items, 0), "outcome"), "created");
    reply_free(&r);
    assert_no_ref("customers", pathf("K-%s", t));
    assert_no_ref("households", pathf("H-%s", t));
    ck_assert_int_eq(changes_count(), before);

    /* the same without the error line commits all */
    body[strlen(body) - 1] = '\0';
    *strrchr(body, '\n') = '\0';
    {
        json_t *rep = import_ok("atomic=true", NDJSON, body);
        ck_assert(json_is_true(json_object_get(rep, "atomic")));
        ck_assert_int_eq(total(rep, "created"), 2);
        json_decref(rep);
    }
    json_decref(one_by_ref("households", pathf("H-%s", t)));
    free(body);
}
END_TEST

START_TEST(report_errors_lists_only_error_lines)
{
    const char *t = token();
    json_t *rep = import_ok(
        "report=errors", NDJSON,
        pathf("{\"type\":\"household\",\"external_ref\":{\"system\":\"dms\",\"id\":\"H-%s\"},\"name\":\"A\"}\n"
              "{\"type\":\"household\",\"external_ref\":{\"system\":\"dms\",\"id\":\"H2-%s\"}}\n",
              t, t));
    ck_assert_int_eq(total(rep, "created"), 1);
    ck_assert_int_eq(json_array_size(json_object_get(rep, "items")), 1);
    assert_line_problem(rep, 2, 400, "validation");
    json_decref(rep);
}
END_TEST

START_TEST(csv_customers_and_vehicles)
{
    const char *t = token();
    char *csv = fmt("\xEF\xBB\xBF"
                    "external_ref.system,external_ref.id,kind,given_name,family_name,phones,address.city,do_not_contact\r\n"
                    "dms,K-%s,person,\"Jürgen \"\"Jo\"\"\",\"Müller, jun.\",\"0171 5550002; 089 123456\",München,true\r\n"
                    "dms,E-%s,person,Eva,\"Zeile\nzwei\",,,\r\n"
                    "dms,B-%s,person,Bad\"Quote,X,,,\r\n"
                    "dms,Z-%s,person,Zu,wenig\r\n"
                    "\r\n",
                    t, t, t, t);
    json_t *rep = import_ok("type=customer", "text/csv; charset=utf-8", csv), *k, *v;
    char *vcsv;

    ck_assert_int_eq(total(rep, "lines"), 4);
    assert_outcome(rep, 2, "created");
    assert_line_problem(rep, 3, 400, "validation"); /* a line break in a family name */
    assert_line_problem(rep, 4, 400, "bad-request");
    assert_line_problem(rep, 5, 400, "bad-request");
    k = one_by_ref("customers", pathf("K-%s", t));
    ck_assert_str_eq(sget(k, "given_name"), "Jürgen \"Jo\"");
    ck_assert_str_eq(sget(k, "family_name"), "Müller, jun.");
    ck_assert_int_eq(json_array_size(json_object_get(k, "phones")), 2);
    ck_assert_str_eq(sget(json_object_get(k, "address"), "city"), "München");
    ck_assert(json_is_true(json_object_get(k, "do_not_contact")));
    json_decref(rep);

    vcsv = fmt("make,model,plate,model_year,external_ref.system,external_ref.id,owner.system,owner.id\n"
               "BMW,320d,M-IC 5,2019,dms,F-%s,dms,K-%s\n"
               "BMW,X1,M-IC 6,zwanzig,dms,G-%s,dms,K-%s\n",
               t, t, t, t);
    rep = import_ok("type=vehicle", "text/csv", vcsv);
    assert_outcome(rep, 2, "created");
    assert_line_problem(rep, 3, 400, "validation");
    v = one_by_ref("vehicles", pathf("F-%s", t));
    ck_assert_str_eq(sget(v, "owner_id"), sget(k, "id"));
    ck_assert_int_eq(json_integer_value(json_object_get(v, "model_year")), 2019);
    json_decref(rep);
    /* again: unchanged */
    rep = import_ok("type=vehicle", "text/csv", vcsv);
    assert_outcome(rep, 2, "unchanged");
    json_decref(rep);
    json_decref(v);
    json_decref(k);
    free(vcsv);
    free(csv);
}
END_TEST

START_TEST(csv_unknown_column_is_400)
{
    struct reply r;

    post_import("type=customer", "text/csv", "kind,family_name,shoe_size\nperson,X,44\n", &r);
    assert_problem(&r, 400, "bad-request");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "shoe_size"));
    reply_free(&r);
    post_import("type=vehicle", "text/csv", "make,address.city\nVW,Berlin\n", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    post_import("type=customer", "text/csv", "kind,external_ref.key\nperson,K-1\n", &r);
    assert_problem(&r, 400, "bad-request");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "external_ref.key"));
    reply_free(&r);
}
END_TEST


START_TEST(links_update_move_and_ignore_retry_headers)
{
    const char *t = token();
    static const char *const hdrs[] = { "Idempotency-Key: import-1", "If-Match: \"v9\"", NULL };
    char *setup = fmt(
        "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"kind\":\"person\",\"family_name\":\"Link\"}\n"
        "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"C-%s\"},\"kind\":\"company\",\"company_name\":\"Link AG\"}\n"
        "{\"type\":\"household\",\"external_ref\":{\"system\":\"dms\",\"id\":\"H1-%s\"},\"name\":\"Eins\"}\n"
        "{\"type\":\"household\",\"external_ref\":{\"system\":\"dms\",\"id\":\"H2-%s\"},\"name\":\"Zwei\"}\n"
        "{\"type\":\"membership\",\"household\":{\"system\":\"dms\",\"id\":\"H1-%s\"},\"customer\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"role\":\"head\"}\n"
        "{\"type\":\"company_person\",\"company\":{\"system\":\"dms\",\"id\":\"C-%s\"},\"person\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"roles\":[\"driver\"]}\n",
        t, t, t, t, t, t, t, t);
    char *change = fmt(
        "{\"type\":\"membership\",\"household\":{\"system\":\"dms\",\"id\":\"H1-%s\"},\"customer\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"role\":\"partner\"}\n"
        "{\"type\":\"company_person\",\"company\":{\"system\":\"dms\",\"id\":\"C-%s\"},\"person\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"roles\":[\"employee\",\"driver\"]}\n"
        "{\"type\":\"company_person\",\"company\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"person\":{\"system\":\"dms\",\"id\":\"C-%s\"},\"roles\":[\"driver\"]}\n",
        t, t, t, t, t, t);
    char *move = fmt(
        "{\"type\":\"membership\",\"household\":{\"system\":\"dms\",\"id\":\"H2-%s\"},\"customer\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"role\":\"head\"%s}\n",
        t, t, "");
    char *moved = fmt(
        "{\"type\":\"membership\",\"household\":{\"system\":\"dms\",\"id\":\"H2-%s\"},\"customer\":{\"system\":\"dms\",\"id\":\"K-%s\"},\"role\":\"head\",\"move\":true}\n",
        t, t);
    struct reply r;
    json_t *rep, *k, *people;

    json_decref(import_ok(NULL, NDJSON, setup));
    rep = import_ok(NULL, NDJSON, change);
    assert_outcome(rep, 1, "updated");
    assert_outcome(rep, 2, "updated");
    assert_line_problem(rep, 3, 422, "unprocessable"); /* a person is no company */
    json_decref(rep);
    k = one_by_ref("customers", pathf("K-%s", t));
    ck_assert_str_eq(sget(json_object_get(k, "household"), "role"), "partner");
    people = fetch_items(pathf("/v1/customers/%s/companies", sget(k, "id")));
    ck_assert_int_eq(json_array_size(json_object_get(json_array_get(people, 0), "roles")), 2);
    json_decref(people);
    json_decref(k);

    rep = import_ok(NULL, NDJSON, move); /* in another household: like the PUT without move */
    assert_line_problem(rep, 1, 409, "conflict");
    json_decref(rep);

    /* Idempotency-Key and If-Match do not apply: the import runs, twice */
    for (int round = 0; round < 2; round++) {
        http("POST", "/v1/import", NDJSON, moved, hdrs, &r);
        assert_json(&r, 200);
        assert_outcome(r.json, 1, round ? "unchanged" : "created"); /* new in H2, as the PUT's 201 */
        reply_free(&r);
    }
    k = one_by_ref("customers", pathf("K-%s", t));
    {
        json_t *h2 = one_by_ref("households", pathf("H2-%s", t));
        ck_assert_str_eq(sget(json_object_get(k, "household"), "id"), sget(h2, "id"));
        json_decref(h2);
    }
    json_decref(k);
    free(setup);
    free(change);
    free(move);
    free(moved);
}
END_TEST

/* German Excel: ';', CRLF, windows-1252 single bytes (not declared: detected), decimal comma. */
START_TEST(csv_german_excel)
{
    const char *t = token();
    char *kunden = fmt("external_ref.system;external_ref.id;kind;salutation;given_name;family_name;"
                       "address.street;address.city\r\n"
                       "dms;K-%s;person;Herr;J\xfcrgen;M\xfcller;Stra\xdf" "e der Einheit 5;K\xf6ln\r\n"
                       "dms;L-%s;person;Frau;\"Anna; Maria\";\xd6zt\xfcrk;;\r\n",
                       t, t);
    char *kontakte = fmt("external_ref.system;external_ref.id;customer.system;customer.id;kind;"
                         "channel;summary;satisfaction;nps\r\n"
                         "dms;T-%s;dms;K-%s;service_visit;in_person;Gr\xfc\xdf" "e, \x80 40 bar;0,8;9\r\n"
                         "dms;U-%s;dms;K-%s;service_visit;in_person;x;1.000,5;9\r\n",
                         t, t, t, t);
    json_t *rep = import_ok("type=customer", "text/csv", kunden), *k, *tp;

    ck_assert_int_eq(total(rep, "created"), 2);
    k = one_by_ref("customers", pathf("K-%s", t));
    ck_assert_str_eq(sget(k, "given_name"), "Jürgen");
    ck_assert_str_eq(sget(k, "family_name"), "Müller");
    ck_assert_str_eq(sget(json_object_get(k, "address"), "street"), "Straße der Einheit 5");
    ck_assert_str_eq(sget(json_object_get(k, "address"), "city"), "Köln");
    json_decref(k);
    k = one_by_ref("customers", pathf("L-%s", t));
    ck_assert_str_eq(sget(k, "given_name"), "Anna; Maria");
    ck_assert_str_eq(sget(k, "family_name"), "Öztürk");
    json_decref(k);
    json_decref(rep);
    /* the same file again, declared this time: every row unchanged */
    rep = import_ok("type=customer", "text/csv; charset=windows-1252; delimiter=semicolon", kunden);
    ck_assert_int_eq(total(rep, "unchanged"), 2);
    json_decref(rep);

    rep = import_ok("type=touchpoint", "text/csv; charset=cp1252", kontakte);
    assert_outcome(rep, 2, "created");
    assert_line_problem(rep, 3, 400, "validation"); /* "1.000,5": no thousands separators */
    tp = one_by_ref("touchpoints", pathf("T-%s", t));
    ck_assert_str_eq(sget(tp, "summary"), "Grüße, € 40 bar");
    ck_assert(json_real_value(json_object_get(tp, "satisfaction")) == 0.8);
    ck_assert_int_eq(json_integer_value(json_object_get(tp, "nps")), 9);
    json_decref(tp);
    json_decref(rep);
    free(kunden);
    free(kontakte);
}
END_TEST

/* A broken CSV row says which row and what, as CSV (never "malformed JSON"). */
START_TEST(csv_errors_name_row_and_column)
{
    const char *t = token();
    char *csv = fmt("external_ref.system,external_ref.id,kind,family_name\n"
                    "dms,A-%s,person,M\xc3\xbcller\n"
                    "dms,B-%s,person,M\xfcller\n"
                    "dms,C-%s,person\n"
                    "dms,D-%s,person,\"offen\n",
                    t, t, t, t);
    json_t *rep = import_ok("type=customer", "text/csv", csv), *pr;

    assert_outcome(rep, 2, "created"); /* UTF-8 first: the body stays UTF-8 */
    assert_line_problem(rep, 3, 400, "bad-request");
    pr = json_object_get(item(rep, 3), "problem");
    ck_assert_ptr_nonnull(strstr(sget(pr, "detail"), "CSV row 3, column 4 ('family_name') is not "
                                                     "valid UTF-8"));
    assert_line_problem(rep, 4, 400, "bad-request");
    pr = json_object_get(item(rep, 4), "problem");
    ck_assert_str_eq(sget(pr, "detail"), "CSV row 4 has 3 fields, the header 4");
    assert_line_problem(rep, 5, 400, "bad-request");
    pr = json_object_get(item(rep, 5), "problem");
    ck_assert_str_eq(sget(pr, "detail"),
                     "CSV row 5: a quoted field is not closed before the end of the body");
    assert_no_ref("customers", pathf("B-%s", t));
    json_decref(rep);
    free(csv);
}
END_TEST

static const struct {
    const char *query, *ctype, *body;
    long status;
    const char *slug;
} refused[] = {
    { NULL, "application/json", "{}", 415, "unsupported-media-type" },
    { NULL, "text/plain", "customer", 415, "unsupported-media-type" },
    { "type=customer", NDJSON, "{}", 400, "bad-request" },
    { NULL, "text/csv", "kind\nperson\n", 400, "bad-request" },
    { "type=household", "text/csv", "kind\nperson\n", 400, "bad-request" },
    { "type=customer", "text/csv; charset=ebcdic", "kind\nperson\n", 415, "unsupported-media-type" },
    { "type=customer", "text/csv; delimiter=pipe", "kind\nperson\n", 415, "unsupported-media-type" },
    { NULL, "application/x-ndjson; charset=windows-1252", "{}\n", 415, "unsupported-media-type" },
    { "atomic=yes", NDJSON, "", 400, "bad-request" },
    { "report=some", NDJSON, "", 400, "bad-request" },
    { "dry_run=true", NDJSON, "", 400, "bad-request" },
};

START_TEST(bad_requests_are_refused)
{
    struct reply r;

    http("POST", pathf("/v1/import%s%s", refused[_i].query ? "?" : "",
                       refused[_i].query ? refused[_i].query : ""),
         refused[_i].ctype, refused[_i].body, NULL, &r);
    assert_problem(&r, refused[_i].status, refused[_i].slug);
    reply_free(&r);
}
END_TEST

START_TEST(oversized_import_is_413_and_writes_nothing)
{
    const char *t = token();
    struct buf_s {
        char *data;
        size_t len;
    } b = { malloc(70000), 0 };
    struct reply r;
    int i;

    for (i = 0; b.len < 66000; i++)
        b.len += (size_t)sprintf(b.data + b.len,
                                 "{\"type\":\"household\",\"external_ref\":{\"system\":\"dms\","
                                 "\"id\":\"O-%s-%d\"},\"name\":\"Familie Groß\"}\n",
                                 t, i);
    post_import(NULL, NDJSON, b.data, &r);
    assert_problem(&r, 413, "payload-too-large");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "65536"));
    reply_free(&r);
    assert_no_ref("households", pathf("O-%s-0", t));
    free(b.data);
}
END_TEST

START_TEST(empty_import_reports_zero_lines)
{
    json_t *rep = import_ok(NULL, NDJSON, "\n\n");

    ck_assert_int_eq(total(rep, "lines"), 0);
    ck_assert_int_eq(json_array_size(json_object_get(rep, "items")), 0);
    json_decref(rep);
}
END_TEST

Suite *
import_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");

    tcase_add_unchecked_fixture(tc, import_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, mixed_ndjson_resolves_forward_references);
    tcase_add_test(tc, same_import_again_is_unchanged_and_writes_nothing);
    tcase_add_test(tc, import_wal_is_checkpointed_after_the_answer);
    tcase_add_test(tc, error_lines_are_reported_and_valid_lines_applied);
    tcase_add_test(tc, atomic_import_with_an_error_writes_nothing);
    tcase_add_test(tc, implausible_dates_are_error_lines);
    tcase_add_test(tc, report_errors_lists_only_error_lines);
    tcase_add_test(tc, links_update_move_and_ignore_retry_headers);
    tcase_add_test(tc, csv_customers_and_vehicles);
    tcase_add_test(tc, csv_unknown_column_is_400);
    tcase_add_test(tc, csv_german_excel);
    tcase_add_test(tc, csv_errors_name_row_and_column);
    tcase_add_loop_test(tc, bad_requests_are_refused, 0, (int)(sizeof refused / sizeof refused[0]));
    tcase_add_test(tc, oversized_import_is_413_and_writes_nothing);
    tcase_add_test(tc, empty_import_reports_zero_lines);
    suite_add_tcase(s, tc);
    return s;
}
