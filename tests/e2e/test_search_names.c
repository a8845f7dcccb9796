/*
 * test_search_names: GET /v1/search with a salutation or title before the
 * name ("Frau Sonnleitner", "Herr Dr. Wessling": ranked by the stored
 * salutation and title, within the name's tier) and with the last digits
 * of a phone number ("4567", "443 20 22": ranked below exact identifiers),
 * including the index rows of numbers stored before migration 015, and
 * that a changed or deleted number stops matching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "search_client.h"
#include "suites.h"

static const char *const demo_env[] = { "CRMD_DEMO=true", NULL };

/* The customer id of the single exact identifier hit for q (a demo e-mail address). */
static void
id_of(const char *q, char out[ID_LEN])
{
    json_t *items = search(q, NULL);

    ck_assert_msg(json_array_size(items) == 1, "%s: %zu items", q, json_array_size(items));
    snprintf(out, ID_LEN, "%s", sget(json_array_get(items, 0), "customer_id"));
    json_decref(items);
}

/* q lists first first as an exact name with score, and second (if not NULL) below with score2. */
static void
assert_first(const char *q, const char *first, int score, const char *second, int score2)
{
    json_t *items = search(q, NULL);
    char *dump = json_dumps(items, JSON_COMPACT);

    ck_assert_msg(pos(items, first) == 0, "%s: not first in %s", q, dump);
    assert_hit(items, first, "name_exact", score, NULL);
    if (second) {
        ck_assert_msg(pos(items, second) > 0, "%s: second not below in %s", q, dump);
        assert_hit(items, second, "name_exact", score2, NULL);
    }
    free(dump);
    json_decref(items);
}

START_TEST(demo_people_by_salutation_and_title)
{
    char harry[ID_LEN], petra[ID_LEN], gmbh[ID_LEN];
    json_t *items;

    id_of("harry.wessling@wessling-logistik.de", harry);
    id_of("petra.wessling@gmx.de", petra);
    id_of("fuhrpark@wessling-logistik.de", gmbh);
    /* without a salutation all three are equal exact matches */
    items = search("Wessling", NULL);
    assert_hit(items, harry, "name_exact", 90, NULL);
    assert_hit(items, petra, "name_exact", 90, NULL);
    json_decref(items);
    /* title +1, salutation +2 when they agree, -2 when the salutation does not */
    assert_first("Dr. Wessling", harry, 91, petra, 90);
    assert_first("dr wessling", harry, 91, petra, 90);
    assert_first("Herr Dr. Wessling", harry, 93, petra, 88);
    assert_first("Hr. Wessling", harry, 92, petra, 88);
    assert_first("Mr Wessling", harry, 92, petra, 88);
    assert_first("Frau Wessling", petra, 92, harry, 88);
    assert_first("Fr. Wessling", petra, 92, harry, 88);
    assert_first("Ms Wessling", petra, 92, harry, 88);
    items = search("Firma Wessling", NULL);
    ck_assert_int_eq(pos(items, gmbh), 0);
    assert_hit(items, gmbh, "company", 92, NULL);
    assert_hit(items, harry, "name_exact", 88, NULL);
    json_decref(items);
    /* a salutation for a company (Herr, Frau) disagrees with it */
    search_expect("Frau Wessling", NULL, gmbh, "company", 88, NULL);
    /* the first name too, and a prefix of it */
    assert_first("Herr Dr. Harry Wessling", harry, 93, NULL, 0);
    items = search("Frau Pet Wess", NULL);
    assert_hit(items, petra, "name_prefix", 72, NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    json_decref(items);
}
END_TEST

START_TEST(demo_phone_tails)
{
    char harry[ID_LEN], gmbh[ID_LEN];
    const char *tails[] = { "2022", "32022", "4432022", "443 20 22", "443-20-22", "44/32/022" };
    json_t *items;

    id_of("harry.wessling@wessling-logistik.de", harry);
    id_of("fuhrpark@wessling-logistik.de", gmbh);
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        items = search(tails[i], NULL);
        ck_assert_msg(json_array_size(items) == 1, "%s: %zu items", tails[i],
                      json_array_size(items));
        assert_hit(items, harry, "phone_tail", 75, "+491714432022");
        json_decref(items);
    }
    /* his office and the company's switchboard differ in their last digits */
    items = search("3209 4410", NULL);
    assert_hit(items, harry, "phone_tail", 75, "+498932094410");
    ck_assert_int_lt(pos(items, gmbh), 0);
    json_decref(items);
    items = search("3209 440", NULL);
    assert_hit(items, gmbh, "phone_tail", 75, "+49893209440");
    ck_assert_int_lt(pos(items, harry), 0);
    json_decref(items);
    /* a whole number is still the exact match */
    search_expect("0171 4432022", NULL, harry, "phone", 100, "+491714432022");
}
END_TEST

START_TEST(frau_sonnleitner)
{
    char josef[ID_LEN], anna[ID_LEN], vera[ID_LEN], kim[ID_LEN];
    json_t *items;

    /* Josef first: the index lists him first, the ranking must not */
    person(josef, "\"salutation\":\"Herr\",\"given_name\":\"Josef\",\"family_name\":\"Sonnleitner\"");
    person(anna, "\"salutation\":\"Frau\",\"title\":\"Dr. med.\",\"given_name\":\"Anna\","
                 "\"family_name\":\"Sonnleitner\"");
    person(vera, "\"salutation\":\"Frau\",\"given_name\":\"Vera\",\"family_name\":\"Sonnleitnerova\"");
    person(kim, "\"salutation\":\"divers\",\"given_name\":\"Kim\",\"family_name\":\"Sonnleitner\"");

    items = search("Frau Sonnleitner", NULL);
    assert_hit(items, anna, "name_exact", 92, NULL);
    assert_hit(items, kim, "name_exact", 90, NULL);
    assert_hit(items, josef, "name_exact", 88, NULL);
    /* an exact name of the wrong salutation still beats a prefix of the right one */
    assert_hit(items, vera, "name_prefix", 72, NULL);
    ck_assert_int_eq(pos(items, anna), 0);
    ck_assert_int_eq(pos(items, kim), 1);
    ck_assert_int_eq(pos(items, josef), 2);
    ck_assert_int_eq(pos(items, vera), 3);
    json_decref(items);
    /* the list is cut after ranking */
    items = search("Frau Sonnleitner", "limit=1");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_int_eq(pos(items, anna), 0);
    json_decref(items);
    items = search("Herr Sonnleitner", "limit=1");
    ck_assert_int_eq(pos(items, josef), 0);
    json_decref(items);
    /* Dr. med. is her title; Dr. alone is in it too; Prof. is not */
    items = search("Dr. med. Sonnleitner", NULL);
    assert_hit(items, anna, "name_exact", 91, NULL);
    assert_hit(items, josef, "name_exact", 90, NULL);
    json_decref(items);
    search_expect("Frau Dr Sonnleitner", NULL, anna, "name_exact", 93, NULL);
    search_expect("Prof. Sonnleitner", NULL, anna, "name_exact", 90, NULL);
}
END_TEST

START_TEST(salutation_words_alone_stay_names)
{
    char t[TAG_LEN + 1], frank[ID_LEN], ingrid[ID_LEN];
    json_t *items;

    new_tag(t);
    person(frank, "\"given_name\":\"Frank\",\"family_name\":\"Zett%s\"", t);
    person(ingrid, "\"given_name\":\"Ingrid\",\"family_name\":\"Zett%s\"", t);
    /* "Fr" and "Ing" alone are prefixes of names, not a salutation and a title */
    search_expect("Fr", "limit=50", frank, "name_prefix", 70, NULL);
    search_expect("Ing", "limit=50", ingrid, "name_prefix", 70, NULL);
    /* before another name they are cut: both Zetts, without a bonus */
    items = search(pathf("Ing Zett%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    assert_hit(items, frank, "name_exact", 90, NULL);
    assert_hit(items, ingrid, "name_exact", 90, NULL);
    json_decref(items);
    /* a particle is a name: "von" must match */
    items = search(pathf("Herr von Zett%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    /* only salutation and title: searched as names, nothing found */
    items = search("Herr Dr.", NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
}
END_TEST

/* A fresh mobile number "0171 5xxxxxx" and its E.164 form. */
static void
new_mobile(char national[24], char e164[24])
{
    unsigned long long d = serial() % 1000000ULL;

    snprintf(national, 24, "0171 5%06llu", d);
    snprintf(e164, 24, "+491715%06llu", d);
}

START_TEST(phone_tails_rank_below_exact_numbers)
{
    unsigned long long d = serial() % 100000ULL;
    char national[24], e164[24], berlin[24], a[ID_LEN], b[ID_LEN], q[32];
    json_t *items;

    snprintf(national, sizeof national, "089 55%05llu", d);
    snprintf(e164, sizeof e164, "+498955%05llu", d);
    snprintf(berlin, sizeof berlin, "+49308955%05llu", d);
    person(a, "\"family_name\":\"Tail\",\"phones\":[\"%s\"]", national);
    /* b's Berlin number ends with a's Munich number as typed, 0 included */
    person(b, "\"family_name\":\"Tail\",\"phones\":[\"%s\"]", berlin);
    items = search(national, NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    assert_hit(items, a, "phone", 100, e164);
    assert_hit(items, b, "phone_tail", 75, berlin);
    ck_assert_int_eq(pos(items, a), 0);
    json_decref(items);
    items = search(pathf("55 %05llu", d), NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    assert_hit(items, a, "phone_tail", 75, e164);
    assert_hit(items, b, "phone_tail", 75, berlin);
    json_decref(items);
    /* three digits are too few; the fourth makes it a tail */
    snprintf(q, sizeof q, "%s", e164 + strlen(e164) - 3);
    items = search(q, "limit=50");
    ck_assert_int_lt(pos(items, a), 0);
    json_decref(items);
    snprintf(q, sizeof q, "%s", e164 + strlen(e164) - 4);
    items = search(q, "limit=50");
    ck_assert_int_ge(pos(items, a), 0);
    json_decref(items);
}
END_TEST

START_TEST(phone_tails_follow_patch_and_delete)
{
    char national[24], e164[24], other[24], other164[24], id[ID_LEN];
    json_t *items;
    struct reply r;

    new_mobile(national, e164);
    new_mobile(other, other164);
    person(id, "\"family_name\":\"Tail\",\"phones\":[\"%s\"]", national);
    http("PATCH", pathf("/v1/customers/%s", id), "application/merge-patch+json",
         pathf("{\"phones\":[\"%s\"]}", other), NULL, &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    items = search(e164 + 5, NULL);
    ck_assert_int_lt(pos(items, id), 0);
    json_decref(items);
    search_expect(other164 + 5, NULL, id, "phone_tail", 75, other164);
    http("DELETE", pathf("/v1/customers/%s", id), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    items = search(other164 + 5, NULL);
    ck_assert_int_lt(pos(items, id), 0);
    json_decref(items);
}
END_TEST

/* Numbers stored before migration 015 get their rows when it runs. */
START_TEST(phone_tails_of_numbers_stored_before)
{
    struct server s = { 0 };
    char national[24], e164[24], id[ID_LEN];

    new_mobile(national, e164);
    server_start(&s, NULL, NULL);
    person(id, "\"family_name\":\"Before\",\"phones\":[\"%s\"]", national);
    ck_assert_int_eq(server_stop(&s), 0);
    run_sql(s.db, "DROP TABLE customer_phone_tails; DELETE FROM schema_migrations WHERE version = 15");

    server_start(&s, NULL, NULL);
    ck_assert(harness_log_count(&s, "phone tails: indexed the last digits of 1 stored phone", NULL,
                                0));
    search_expect(e164 + 6, NULL, id, "phone_tail", 75, e164);
    ck_assert_int_eq(server_stop(&s), 0);
    ck_assert_int_eq(system(pathf("rm -rf %s", s.dir)), 0);
}
END_TEST

static void
demo_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, demo_env);
}

Suite *
search_names_suite(void)
{
    Suite *s = suite_create("search_names");
    TCase *tc = tcase_create("demo");

    tcase_add_unchecked_fixture(tc, demo_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, demo_people_by_salutation_and_title);
    tcase_add_test(tc, demo_phone_tails);
    suite_add_tcase(s, tc);

    tc = tcase_create("own");
    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, frau_sonnleitner);
    tcase_add_test(tc, salutation_words_alone_stay_names);
    tcase_add_test(tc, phone_tails_rank_below_exact_numbers);
    tcase_add_test(tc, phone_tails_follow_patch_and_delete);
    suite_add_tcase(s, tc);

    tc = tcase_create("migration");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, phone_tails_of_numbers_stored_before);
    suite_add_tcase(s, tc);
    return s;
}
