/*
 * test_duplicates: GET /v1/customers/duplicates. One server per test
 * case; each test uses names, phones and e-mails of its own (uniq_letters()) and
 * reads the pairs of its customers with ?customer_id=, so tests do not
 * see each other's pairs. Also: pairs follow updates and deletes, and a
 * database whose duplicate index was emptied is indexed again at start.
 */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

static char *
copy(const char *s)
{
    return strdup(s);
}

/* The pairs of customer id (?customer_id=), new reference. */
static json_t *
pairs_of(const char *id)
{
    return fetch_items(pathf("/v1/customers/duplicates?customer_id=%s", id));
}

/* The pair of a and b in items, or NULL (borrowed). */
static json_t *
pair_with(const json_t *items, const char *a, const char *b)
{
    json_t *it;
    size_t i;

    json_array_foreach(items, i, it)
    {
        const char *x = sget(json_array_get(json_object_get(it, "customers"), 0), "id");
        const char *y = sget(json_array_get(json_object_get(it, "customers"), 1), "id");
        if ((!strcmp(x, a) && !strcmp(y, b)) || (!strcmp(x, b) && !strcmp(y, a)))
            return it;
    }
    return NULL;
}

static int
has_reason(const json_t *pair, const char *kind, const char *value)
{
    json_t *r;
    size_t i;

    json_array_foreach(json_object_get(pair, "reasons"), i, r)
    {
        if (!strcmp(sget(r, "kind"), kind) && (!value || (sget(r, "value") && !strcmp(sget(r, "value"), value))))
            return 1;
    }
    return 0;
}

static double
score(const json_t *pair)
{
    return json_number_value(json_object_get(pair, "score"));
}

START_TEST(name_birthday_is_transliteration_tolerant)
{
    const char *t = uniq_letters();
    char *a, *b, *c;
    json_t *items, *pair;

    a = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Jürgen\","
                                              "\"family_name\":\"Müller%s\",\"birthday\":\"1980-04-02\"}", t)));
    b = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Juergen\","
                                              "\"family_name\":\"Mueller%s\",\"birthday\":\"1980-04-02\"}", t)));
    /* same name, another birthday: no evidence */
    c = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Jurgen\","
                                              "\"family_name\":\"Muller%s\",\"birthday\":\"1981-04-02\"}", t)));
    items = pairs_of(a);
    ck_assert_int_eq(json_array_size(items), 1);
    pair = pair_with(items, a, b);
    ck_assert_ptr_nonnull(pair);
    ck_assert(has_reason(pair, "name_birthday", NULL));
    ck_assert_int_eq(json_array_size(json_object_get(pair, "reasons")), 1);
    ck_assert_double_eq_tol(score(pair), 0.8, 1e-9);
    /* the older customer comes first, with what the desk needs to compare */
    ck_assert_str_eq(sget(json_array_get(json_object_get(pair, "customers"), 0), "id"), a);
    ck_assert_str_eq(sget(json_array_get(json_object_get(pair, "customers"), 0), "kind"), "person");
    ck_assert_str_eq(sget(json_array_get(json_object_get(pair, "customers"), 1), "birthday"), "1980-04-02");
    ck_assert_ptr_nonnull(strstr(sget(json_array_get(json_object_get(pair, "customers"), 1), "name"), "Juergen"));
    json_decref(items);
    items = pairs_of(c);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    free(a);
    free(b);
    free(c);
}
END_TEST

START_TEST(shared_phone_and_email_carry_their_value)
{
    const char *d = uniq_digits(), *t = uniq_letters();
    char *a, *b, want[64], mail[64];
    json_t *items, *pair;

    snprintf(mail, sizeof mail, "%s@example.com", t);
    a = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Klein%s\","
                                              "\"phones\":[\"089 9%s\"],\"emails\":[\"%s\"]}", t, d, mail)));
    /* another spelling of the same number and address, and another name */
    mail[0] = (char)(mail[0] - 32);
    b = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Gross%s\","
                                              "\"phones\":[\"+49 (89) 9%s\"],\"emails\":[\"%s\"]}", t, d, mail)));
    items = pairs_of(b);
    ck_assert_int_eq(json_array_size(items), 1);
    pair = pair_with(items, a, b);
    ck_assert_ptr_nonnull(pair);
    snprintf(want, sizeof want, "+49899%s", d);
    ck_assert_msg(has_reason(pair, "phone", want), "no phone reason %s", want);
    mail[0] = (char)(mail[0] + 32);
    ck_assert_msg(has_reason(pair, "email", mail), "no email reason %s", mail);
    /* 1 - (1 - 0.6)(1 - 0.5) */
    ck_assert_double_eq_tol(score(pair), 0.8, 1e-9);
    json_decref(items);
    free(a);
    free(b);
}
END_TEST

START_TEST(name_address_folds_street_spellings)
{
    const char *t = uniq_letters();
    char *a, *b, *c;
    json_t *items, *pair;

    a = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Otto\",\"family_name\":\"Lang%s\","
                                              "\"address\":{\"street\":\"Hauptstraße 12\",\"postal_code\":\"80331\","
                                              "\"city\":\"München\"}}", t)));
    b = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Otto\",\"family_name\":\"Lang%s\","
                                              "\"address\":{\"street\":\"Hauptstr. 12\",\"postal_code\":\"80 331\"}}", t)));
    /* same street in another town */
    c = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Otto\",\"family_name\":\"Lang%s\","
                                              "\"address\":{\"street\":\"Hauptstraße 12\",\"postal_code\":\"50667\"}}", t)));
    items = pairs_of(a);
    ck_assert_int_eq(json_array_size(items), 1);
    pair = pair_with(items, a, b);
    ck_assert_ptr_nonnull(pair);
    ck_assert(has_reason(pair, "name_address", NULL));
    ck_assert_double_eq_tol(score(pair), 0.7, 1e-9);
    ck_assert_str_eq(sget(json_array_get(json_object_get(pair, "customers"), 0), "city"), "München");
    json_decref(items);
    items = pairs_of(c);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    free(a);
    free(b);
    free(c);
}
END_TEST

START_TEST(only_customers_of_the_same_kind_pair)
{
    const char *d = uniq_digits(), *t = uniq_letters();
    char *person, *company, *company2;
    json_t *items;

    person = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Hof%s\","
                                                   "\"phones\":[\"030 7%s\"]}", t, d)));
    company = copy(create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"Hof%s GmbH\","
                                                    "\"phones\":[\"030 7%s\"]}", t, d)));
    items = pairs_of(person);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    company2 = copy(create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"Hof %s\","
                                                     "\"phones\":[\"+49 30 7%s\"]}", t, d)));
    items = pairs_of(company);
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_ptr_nonnull(pair_with(items, company, company2));
    ck_assert_str_eq(sget(json_array_get(json_object_get(json_array_get(items, 0), "customers"), 0), "kind"),
                     "company");
    ck_assert_ptr_null(sget(json_array_get(json_object_get(json_array_get(items, 0), "customers"), 0), "birthday"));
    json_decref(items);
    free(person);
    free(company);
    free(company2);
}
END_TEST

START_TEST(a_key_held_by_many_is_no_evidence)
{
    const char *d = uniq_digits(), *t = uniq_letters();
    char *first = NULL;
    json_t *items, *list;

    /* eleven customers on one switchboard number */
    for (int i = 0; i < 11; i++) {
        const char *id = create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Tel%s%c\","
                                                          "\"phones\":[\"040 5%s\"]}", t, 'a' + i, d));
        if (!first)
            first = copy(id);
        if (i == 9) {
            items = pairs_of(first);
            ck_assert_int_eq(json_array_size(items), 9);
            json_decref(items);
        }
    }
    /* the eleventh holder's write drops the number as evidence for it */
    items = fetch_items(pathf("/v1/customers?phone=040%%205%s", d));
    ck_assert_int_eq(json_array_size(items), 11);
    json_decref(items);
    list = fetch_items(pathf("/v1/customers?phone=040%%205%s&limit=20", d));
    items = pairs_of(sget(json_array_get(list, 10), "id"));
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    json_decref(list);
    free(first);
}
END_TEST

/* Five pairs with scores 0.8, 0.8, 0.7, 0.6, 0.5 around one customer. */
static char *
five_pairs(void)
{
    const char *t = uniq_letters(), *d = uniq_digits();
    char *hub, body[700];

    snprintf(body, sizeof body,
             "{\"kind\":\"person\",\"given_name\":\"Rita\",\"family_name\":\"Hub%s\",\"birthday\":\"1970-01-05\","
             "\"emails\":[\"%s@hub.example\"],\"phones\":[\"0711 3%s\"],"
             "\"address\":{\"street\":\"Ringweg 3\",\"postal_code\":\"70173\"}}",
             t, t, d);
    hub = copy(create_ok("/v1/customers", body));
    create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Rita\",\"family_name\":\"Hub%s\","
                                     "\"birthday\":\"1970-01-05\"}", t));
    create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Rita\",\"family_name\":\"Hüb%s\","
                                     "\"birthday\":\"1970-01-05\"}", t));
    create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Rita\",\"family_name\":\"Hub%s\","
                                     "\"address\":{\"street\":\"Ringweg 3\",\"postal_code\":\"70173\"}}", t));
    create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Other%s\","
                                     "\"emails\":[\"%s@HUB.example\"]}", t, t));
    create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Third%s\","
                                     "\"phones\":[\"+49 711 3%s\"]}", t, d));
    return hub;
}

START_TEST(pages_in_score_order_each_pair_once)
{
    char *hub = five_pairs(), cursor[64] = "";
    json_t *all = pairs_of(hub), *seen = json_array(), *page;
    double last = 2;
    int pages = 0;

    ck_assert_int_eq(json_array_size(all), 5);
    do {
        json_t *it;
        size_t i;
        page = fetch(pathf("/v1/customers/duplicates?customer_id=%s&limit=2%s%s", hub, cursor[0] ? "&cursor=" : "",
                           cursor));
        json_array_foreach(json_object_get(page, "items"), i, it)
        {
            ck_assert_msg(score(it) <= last, "not in score order");
            last = score(it);
            json_array_append(seen, it);
        }
        snprintf(cursor, sizeof cursor, "%s", json_is_string(json_object_get(page, "next_cursor"))
                                                  ? sget(page, "next_cursor") : "");
        json_decref(page);
        pages++;
    } while (cursor[0]);
    ck_assert_int_eq(pages, 3);
    ck_assert_msg(json_equal(seen, all), "paged pairs differ from the whole list");
    ck_assert_double_eq_tol(score(json_array_get(all, 0)), 0.8, 1e-9);
    ck_assert_double_eq_tol(score(json_array_get(all, 4)), 0.5, 1e-9);
    json_decref(all);
    /* min_score keeps the strong ones */
    all = fetch_items(pathf("/v1/customers/duplicates?customer_id=%s&min_score=0.75", hub));
    ck_assert_int_eq(json_array_size(all), 2);
    json_decref(all);
    json_decref(seen);
    free(hub);
}
END_TEST

START_TEST(whole_list_pages_in_score_order)
{
    char cursor[64] = "";
    json_t *page, *seen = json_array();
    double last = 2;
    int n = 0;

    free(five_pairs());
    do {
        json_t *it;
        size_t i;
        page = fetch(pathf("/v1/customers/duplicates?limit=3%s%s", cursor[0] ? "&cursor=" : "", cursor));
        json_array_foreach(json_object_get(page, "items"), i, it)
        {
            ck_assert_msg(score(it) <= last, "not in score order");
            last = score(it);
            for (size_t j = 0; j < json_array_size(seen); j++)
                ck_assert_msg(!json_equal(json_array_get(seen, j), it), "pair seen twice");
            json_array_append(seen, it);
            n++;
        }
        snprintf(cursor, sizeof cursor, "%s", json_is_string(json_object_get(page, "next_cursor"))
                                                  ? sget(page, "next_cursor") : "");
        json_decref(page);
    } while (cursor[0]);
    ck_assert_int_ge(n, 5);
    json_decref(seen);
}
END_TEST

START_TEST(pairs_follow_updates_and_deletes)
{
    const char *t = uniq_letters();
    char *a, *b;
    struct reply r;
    json_t *items;

    a = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Ute\",\"family_name\":\"Bär%s\","
                                              "\"birthday\":\"1990-02-03\"}", t)));
    b = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Ute\",\"family_name\":\"Baer%s\"}", t)));
    items = pairs_of(a);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    http_json("PATCH", pathf("/v1/customers/%s", b), "{\"birthday\":\"1990-02-03\"}", &r);
    assert_json(&r, 200);
    reply_free(&r);
    items = pairs_of(a);
    ck_assert_int_eq(json_array_size(items), 1);
    json_decref(items);
    http("DELETE", pathf("/v1/customers/%s", b), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    items = pairs_of(a);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    free(a);
    free(b);
}
END_TEST

static const struct {
    const char *query;
    long status;
    const char *slug;
} bad[] = {
    { "min_score=2", 400, "bad-request" },
    { "min_score=-0.1", 400, "bad-request" },
    { "min_score=abc", 400, "bad-request" },
    { "min_score=", 400, "bad-request" },
    { "customer_id=12", 400, "bad-request" },
    { "customer_id=00000000-0000-4000-8000-000000000000", 404, "not-found" },
    { "limit=0", 400, "bad-request" },
    { "limit=201", 400, "bad-request" },
    { "cursor=AAAAAAAAAAAAAAAA", 400, "bad-request" },
    { "sort=score", 400, "bad-request" },
};

START_TEST(bad_parameters_are_refused)
{
    struct reply r;

    http_get(pathf("/v1/customers/duplicates?%s", bad[_i].query), &r);
    assert_problem(&r, bad[_i].status, bad[_i].slug);
    reply_free(&r);
}
END_TEST

START_TEST(cursor_of_another_list_is_refused)
{
    struct reply r;
    json_t *page;

    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Cursor\"}");
    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Cursor\"}");
    page = fetch("/v1/customers?limit=1");
    ck_assert(json_is_string(json_object_get(page, "next_cursor")));
    http_get(pathf("/v1/customers/duplicates?cursor=%s", sget(page, "next_cursor")), &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    json_decref(page);
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

/* Its own server, a child of this test process, so it can be stopped and started again. */
START_TEST(an_emptied_index_is_rebuilt_at_start)
{
    struct server own = { 0 }, shared = srv;
    const char *t = uniq_letters();
    char *a, *b;
    json_t *items;

    server_start(&own, NULL, NULL);
    a = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Lea\",\"family_name\":\"Weiß%s\","
                                              "\"birthday\":\"1985-06-07\"}", t)));
    b = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"Lea\",\"family_name\":\"Weiss%s\","
                                              "\"birthday\":\"1985-06-07\"}", t)));
    ck_assert_int_eq(server_stop(&own), 0);
    sql(own.db, "DELETE FROM customer_duplicates; DELETE FROM customer_match_keys;"
                " UPDATE duplicates_state SET indexed_seq = 0");
    server_start(&own, NULL, NULL); /* the same database file */
    items = pairs_of(a);
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_ptr_nonnull(pair_with(items, a, b));
    json_decref(items);
    ck_assert_int_eq(server_stop(&own), 0);
    srv = shared;
    if (system(pathf("rm -rf %s", own.dir)) != 0)
        fprintf(stderr, "could not remove %s\n", own.dir);
    free(a);
    free(b);
}
END_TEST

Suite *
duplicates_suite(void)
{
    Suite *s = suite_create("duplicates");
    TCase *tc = tcase_create("duplicates");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, name_birthday_is_transliteration_tolerant);
    tcase_add_test(tc, shared_phone_and_email_carry_their_value);
    tcase_add_test(tc, name_address_folds_street_spellings);
    tcase_add_test(tc, only_customers_of_the_same_kind_pair);
    tcase_add_test(tc, a_key_held_by_many_is_no_evidence);
    tcase_add_test(tc, pages_in_score_order_each_pair_once);
    tcase_add_test(tc, whole_list_pages_in_score_order);
    tcase_add_test(tc, pairs_follow_updates_and_deletes);
    tcase_add_loop_test(tc, bad_parameters_are_refused, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, cursor_of_another_list_is_refused);
    tcase_add_test(tc, an_emptied_index_is_rebuilt_at_start);
    suite_add_tcase(s, tc);
    return s;
}
