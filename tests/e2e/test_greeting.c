/*
 * test_greeting: the greeting card over HTTP on the demo data set with a
 * fixed clock (CRMD_FAKE_NOW) in Europe/Berlin: every section for Dr.
 * Wessling, English and neutral greetings, alerts for a poor experience,
 * 404 with how to create, 300 with candidates, a customer with a chosen
 * car (vehicle_id), and refused queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

/* 2026-11-23 08:30 UTC = 09:30 in Berlin: "Guten Morgen". */
static const char *const morning_env[] = { "CRMD_DEMO=true", "CRMD_FAKE_NOW=1795422600",
                                           "CRMD_TIMEZONE=Europe/Berlin", NULL };
/* 2026-11-23 18:30 UTC = 19:30 in Berlin: "Guten Abend" / "Good evening". */
static const char *const evening_env[] = { "CRMD_DEMO=true", "CRMD_FAKE_NOW=1795458600",
                                           "CRMD_TIMEZONE=Europe/Berlin", NULL };

static void
start_morning(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, morning_env);
}

static void
start_evening(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, evening_env);
}

static json_t *
card(const char *query)
{
    struct reply r;
    json_t *j;

    http_get(pathf("/v1/greeting?%s", query), &r);
    assert_json(&r, 200);
    j = json_incref(r.json);
    reply_free(&r);
    return j;
}

static int
has_alert(const json_t *c, const char *code)
{
    json_t *a;
    size_t i;
    json_array_foreach(json_object_get(c, "alerts"), i, a)
        if (!strcmp(sget(a, "code"), code))
            return 1;
    return 0;
}

static int
has_opportunity(const json_t *c, const char *kind, const char *text)
{
    json_t *o;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(c, "potential"), "opportunities"), i, o)
        if (!strcmp(sget(o, "kind"), kind) && (!text || strstr(sget(o, "reason"), text)))
            return 1;
    return 0;
}

START_TEST(wessling_by_plate_in_any_spelling)
{
    static const char *const spellings[] = { "plate=M-HW%202022", "plate=m%20hw2022", "plate=MHW-2022" };
    json_t *c = card(spellings[_i]);
    json_t *rec = json_object_get(c, "recognized_by");

    ck_assert_str_eq(sget(c, "greeting"), "Guten Morgen, Herr Dr. Wessling");
    ck_assert_str_eq(sget(rec, "by"), "plate");
    ck_assert_str_eq(sget(rec, "normalized"), "MHW2022");
    ck_assert_str_eq(sget(json_object_get(c, "customer"), "family_name"), "Wessling");
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "plate"), "M-HW 2022");
    json_decref(c);
}
END_TEST

START_TEST(wessling_card_has_every_section)
{
    json_t *c = card("plate=M-HW%202022"), *hh, *fleets, *rel, *members, *m;
    int petra_mini = 0;
    size_t i, j;

    rel = json_object_get(c, "relationship");
    ck_assert_int_ge(json_integer_value(json_object_get(rel, "cars_bought_here")), 4);
    ck_assert_int_ge(json_integer_value(json_object_get(rel, "years")), 14);
    ck_assert_int_eq(json_integer_value(json_object_get(rel, "vehicles_in_fleets")), 40);
    hh = json_object_get(c, "household");
    ck_assert_str_eq(sget(hh, "name"), "Familie Wessling");
    members = json_object_get(hh, "members");
    json_array_foreach(members, i, m)
    {
        json_t *v;
        if (strcmp(sget(m, "given_name"), "Petra"))
            continue;
        ck_assert_str_eq(sget(m, "role"), "partner");
        json_array_foreach(json_object_get(m, "vehicles"), j, v)
            petra_mini |= strstr(sget(v, "summary"), "MINI Cooper SE, bought here") != NULL;
    }
    ck_assert_msg(petra_mini, "Petra's MINI is not in the household section");
    fleets = json_object_get(c, "fleets");
    ck_assert_int_eq(json_array_size(fleets), 1);
    ck_assert_str_eq(sget(json_array_get(fleets, 0), "company_name"), "Wessling Logistik GmbH");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(fleets, 0), "fleet_size")), 40);
    ck_assert_int_gt(json_array_size(json_object_get(json_array_get(fleets, 0), "due")), 0);
    ck_assert_int_gt(json_array_size(json_object_get(c, "touchpoints")), 0);
    ck_assert_ptr_nonnull(json_object_get(json_object_get(c, "journey"), "score"));
    ck_assert(has_opportunity(c, "fleet", "Wessling Logistik GmbH"));
    ck_assert(json_is_object(json_object_get(json_object_get(c, "contact_policy"), "phone")));
    ck_assert(json_is_object(json_object_get(c, "birthday")));
    /* "his last visit went badly": the desk must see it before speaking */
    ck_assert(has_alert(c, "poor_experience"));
    ck_assert(has_opportunity(c, "retention_risk", "rated 0.4"));
    json_decref(c);
}
END_TEST

START_TEST(english_customer_by_email)
{
    json_t *c = card("email=Aylin.Kaya@GMAIL.com");

    ck_assert_str_eq(sget(c, "greeting"), "Good morning, Ms Kaya");
    ck_assert_str_eq(sget(c, "language"), "en");
    ck_assert(has_opportunity(c, "household", "turns 18"));
    ck_assert(has_opportunity(c, "replacement", "183,400 km"));
    json_decref(c);
}
END_TEST

START_TEST(main_driver_is_who_stands_at_the_desk)
{
    json_t *c = card("plate=M-AK%204711");

    ck_assert_str_eq(sget(c, "greeting"), "Guten Morgen, Herr Kaya");
    json_decref(c);
}
END_TEST

START_TEST(neutral_greeting_without_salutation)
{
    json_t *c = card("plate=M-AS%204077");

    ck_assert_str_eq(sget(c, "greeting"), "Guten Morgen, Alex Schmidt");
    ck_assert(has_opportunity(c, "service", "overdue"));
    json_decref(c);
}
END_TEST

START_TEST(poor_experience_raises_alerts)
{
    json_t *c = card("plate=M-JB%201187");

    ck_assert(has_alert(c, "open_complaint"));
    ck_assert(has_alert(c, "poor_experience"));
    ck_assert(has_opportunity(c, "retention_risk", NULL));
    ck_assert(json_is_false(json_object_get(json_object_get(json_object_get(c, "contact_policy"), "phone"),
                                            "allowed")));
    json_decref(c);
}
END_TEST

START_TEST(phone_and_vin_tail_find_the_same_person)
{
    json_t *a = card("phone=%2B49%20171%204432022"), *b = card("plate=M-HW%202022");
    const char *vin = sget(json_object_get(b, "vehicle"), "vin");
    json_t *c = card(pathf("vin=%s", vin + 11));

    ck_assert_str_eq(sget(json_object_get(a, "customer"), "id"), sget(json_object_get(b, "customer"), "id"));
    ck_assert_str_eq(sget(json_object_get(c, "customer"), "id"), sget(json_object_get(b, "customer"), "id"));
    ck_assert_str_eq(sget(json_object_get(c, "recognized_by"), "by"), "vin");
    json_decref(a);
    json_decref(b);
    json_decref(c);
}
END_TEST

START_TEST(unknown_plate_is_404_with_how_to_create)
{
    struct reply r;

    http_get("/v1/greeting?plate=XX-YY%20999", &r);
    assert_problem(&r, 404, "not-found");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "POST /v1/customers"));
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "XXYY999"));
    reply_free(&r);
}
END_TEST

START_TEST(shared_phone_is_300_with_candidates)
{
    struct reply r;
    json_t *cands;

    create_ok("/v1/customers", "{\"kind\":\"person\",\"given_name\":\"Eva\",\"family_name\":\"Zwilling\","
                               "\"phones\":[\"089 555 0101\"]}");
    create_ok("/v1/customers", "{\"kind\":\"person\",\"given_name\":\"Ida\",\"family_name\":\"Zwilling\","
                               "\"phones\":[\"+49 89 5550101\"]}");
    http_get("/v1/greeting?phone=089-5550101", &r);
    ck_assert_int_eq(r.status, 300);
    cands = json_object_get(r.json, "candidates");
    ck_assert_int_eq(json_array_size(cands), 2);
    ck_assert_ptr_nonnull(sget(json_array_get(cands, 0), "name"));
    ck_assert_ptr_nonnull(sget(json_array_get(cands, 0), "customer_id"));
    reply_free(&r);
}
END_TEST

START_TEST(plate_that_changed_hands_prefers_the_active_car)
{
    struct reply r;
    const char *old_owner = create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Altbesitzer\"}");
    char old_id[40];
    const char *new_owner;

    snprintf(old_id, sizeof old_id, "%s", old_owner);
    create_ok("/v1/vehicles", pathf("{\"make\":\"Opel\",\"plate\":\"M-ZZ 77\",\"status\":\"sold\","
                                    "\"owner_id\":\"%s\"}", old_id));
    new_owner = create_ok("/v1/customers", "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Neubesitzer\"}");
    create_ok("/v1/vehicles", pathf("{\"make\":\"Opel\",\"plate\":\"M-ZZ 77\",\"owner_id\":\"%s\"}", new_owner));
    http_get("/v1/greeting?plate=mzz77", &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "greeting"), "Guten Morgen, Frau Neubesitzer");
    reply_free(&r);
}
END_TEST

START_TEST(two_active_cars_with_one_plate_are_300)
{
    struct reply r;
    char a[40], b[40];

    snprintf(a, sizeof a, "%s", create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Doppel\"}"));
    snprintf(b, sizeof b, "%s", create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Gaenger\"}"));
    create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"plate\":\"M-DG 12\",\"owner_id\":\"%s\"}", a));
    create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"plate\":\"M-DG 12\",\"owner_id\":\"%s\"}", b));
    http_get("/v1/greeting?plate=M-DG%2012", &r);
    ck_assert_int_eq(r.status, 300);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "candidates")), 2);
    ck_assert_ptr_nonnull(sget(json_object_get(json_array_get(json_object_get(r.json, "candidates"), 0), "vehicle"),
                               "plate"));
    reply_free(&r);
}
END_TEST

START_TEST(driver_of_a_company_car_sees_the_fleet)
{
    char company[40], person[40];
    json_t *c, *fleet;

    snprintf(company, sizeof company, "%s",
             create_ok("/v1/customers", "{\"kind\":\"company\",\"company_name\":\"Pflegedienst Sonne\"}"));
    snprintf(person, sizeof person, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Fahr\"}"));
    create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"model\":\"up!\",\"plate\":\"M-PS 1\","
                                    "\"owner_id\":\"%s\",\"main_driver_id\":\"%s\"}", company, person));
    c = card("plate=M-PS%201");
    ck_assert_str_eq(sget(c, "greeting"), "Guten Morgen, Frau Fahr");
    fleet = json_array_get(json_object_get(c, "fleets"), 0);
    ck_assert_str_eq(sget(fleet, "company_name"), "Pflegedienst Sonne");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(fleet, "roles"), 0)), "driver");
    ck_assert_int_eq(json_integer_value(json_object_get(fleet, "fleet_size")), 1);
    json_decref(c);
}
END_TEST

/* Bytes of the card's body as served, and the card. */
static json_t *
card_sized(const char *query, size_t *bytes)
{
    struct reply r;
    json_t *j;

    http_get(pathf("/v1/greeting?%s", query), &r);
    assert_json(&r, 200);
    *bytes = r.body_len;
    j = json_incref(r.json);
    reply_free(&r);
    return j;
}

/* No list of the card grows with a fleet: a few listed, all counted. */
static void
assert_bounded(const json_t *c, size_t bytes)
{
    json_t *pot = json_object_get(c, "potential"), *f, *m;
    size_t i;

    ck_assert_msg(bytes < 64 * 1024, "card of %zu bytes", bytes);
    ck_assert_int_le(json_array_size(json_object_get(pot, "opportunities")), 20);
    ck_assert_int_ge(json_integer_value(json_object_get(pot, "opportunity_count")),
                     (json_int_t)json_array_size(json_object_get(pot, "opportunities")));
    json_array_foreach(json_object_get(c, "fleets"), i, f)
        ck_assert_int_le(json_array_size(json_object_get(f, "due")), 20);
    json_array_foreach(json_object_get(json_object_get(c, "household"), "members"), i, m)
        ck_assert_int_le(json_array_size(json_object_get(m, "vehicles")), 20);
    ck_assert_int_le(json_array_size(json_object_get(c, "touchpoints")), 10);
}

/*
 * One import: a company with 2,500 old cars (all due: past the former cap of 2,000), its fleet
 * manager, a driver of one of them, and the manager's partner owning 50. Every path into the
 * cards stays small and counts all.
 */
START_TEST(cards_stay_bounded_on_a_2500_car_fleet)
{
    char t[32], pl[3];
    size_t cap = 2700 * 240, len = 0, bytes;
    char *body = malloc(cap), company[40], manager[40];
    json_t *c, *fleet, *m;
    struct reply r;
    size_t i;

    snprintf(t, sizeof t, "%s", uniq("F"));
    snprintf(pl, sizeof pl, "%.2s", uniq_letters()); /* "HB-" is not in the demo data */
#define LINE(...) len += (size_t)snprintf(body + len, cap - len, __VA_ARGS__)
    LINE("{\"type\":\"customer\",\"external_ref\":{\"system\":\"b\",\"id\":\"%s-C\"},"
         "\"kind\":\"company\",\"company_name\":\"Flotte %s\"}\n", t, t);
    LINE("{\"type\":\"customer\",\"external_ref\":{\"system\":\"b\",\"id\":\"%s-M\"},"
         "\"kind\":\"person\",\"family_name\":\"Flottner\"}\n", t);
    LINE("{\"type\":\"customer\",\"external_ref\":{\"system\":\"b\",\"id\":\"%s-P\"},"
         "\"kind\":\"person\",\"family_name\":\"Sammler\"}\n", t);
    LINE("{\"type\":\"household\",\"external_ref\":{\"system\":\"b\",\"id\":\"%s-H\"},\"name\":\"H\"}\n", t);
    LINE("{\"type\":\"membership\",\"household\":{\"system\":\"b\",\"id\":\"%s-H\"},"
         "\"customer\":{\"system\":\"b\",\"id\":\"%s-M\"},\"role\":\"head\"}\n", t, t);
    LINE("{\"type\":\"membership\",\"household\":{\"system\":\"b\",\"id\":\"%s-H\"},"
         "\"customer\":{\"system\":\"b\",\"id\":\"%s-P\"},\"role\":\"partner\"}\n", t, t);
    LINE("{\"type\":\"company_person\",\"company\":{\"system\":\"b\",\"id\":\"%s-C\"},"
         "\"person\":{\"system\":\"b\",\"id\":\"%s-M\"},\"roles\":[\"fleet_manager\"]}\n", t, t);
    LINE("{\"type\":\"customer\",\"external_ref\":{\"system\":\"b\",\"id\":\"%s-D\"},"
         "\"kind\":\"person\",\"family_name\":\"Fahrer\"}\n", t);
    for (i = 0; i < 2550; i++) /* the first is driven by D */
        LINE("{\"type\":\"vehicle\",\"external_ref\":{\"system\":\"b\",\"id\":\"%s-V%zu\"},"
             "\"make\":\"VW\",\"model\":\"Caddy\",\"model_year\":2015,\"plate\":\"HB-%s %zu\","
             "\"owner\":{\"system\":\"b\",\"id\":\"%s-%s\"}%s%s%s}\n",
             t, i, pl, i + 1, t, i < 2500 ? "C" : "P", i ? "" : ",\"main_driver\":{\"system\":\"b\",\"id\":\"",
             i ? "" : t, i ? "" : "-D\"}");
#undef LINE
    http("POST", "/v1/import", "application/x-ndjson", body, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    free(body);

    /* a pool car: owned by the company, driven by nobody, so its card is the company's */
    c = card_sized(pathf("plate=HB-%s%%207", pl), &bytes);
    ck_assert_str_eq(sget(json_object_get(c, "customer"), "kind"), "company");
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "plate"), pathf("HB-%s 7", pl));
    assert_bounded(c, bytes);
    ck_assert_int_ge(json_integer_value(json_object_get(json_object_get(c, "potential"),
                                                        "opportunity_count")), 2500);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "relationship"),
                                                        "vehicles_in_household")), 2500);
    snprintf(company, sizeof company, "%s", sget(json_object_get(c, "customer"), "id"));
    json_decref(c);

    c = card_sized(pathf("customer_id=%s", company), &bytes);
    assert_bounded(c, bytes);
    ck_assert_int_ge(json_integer_value(json_object_get(json_object_get(c, "potential"),
                                                        "opportunity_count")), 2500);
    json_decref(c);

    /* the driver of one fleet car: their car and the company they drive for, not its fleet */
    c = card_sized(pathf("plate=HB-%s%%201", pl), &bytes);
    ck_assert_str_eq(sget(json_object_get(c, "customer"), "family_name"), "Fahrer");
    assert_bounded(c, bytes);
    fleet = json_array_get(json_object_get(c, "fleets"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(fleet, "fleet_size")), 2500);
    ck_assert_int_eq(json_integer_value(json_object_get(fleet, "due_count")), 0);
    json_decref(c);

    /* the fleet manager: the fleet's due cars, and the partner's 50 cars in the household */
    c = card_sized(pathf("plate=HB-%s%%202501", pl), &bytes); /* the partner's */
    snprintf(manager, sizeof manager, "%s", sget(json_array_get(json_object_get(
        json_object_get(c, "household"), "members"), 0), "customer_id"));
    assert_bounded(c, bytes);
    json_decref(c);
    c = card_sized(pathf("customer_id=%s", manager), &bytes);
    assert_bounded(c, bytes);
    fleet = json_array_get(json_object_get(c, "fleets"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(fleet, "fleet_size")), 2500);
    ck_assert_int_eq(json_integer_value(json_object_get(fleet, "due_count")), 2500);
    ck_assert_int_eq(json_array_size(json_object_get(fleet, "due")), 20);
    ck_assert_ptr_nonnull(strstr(sget(json_array_get(json_object_get(json_object_get(c, "potential"),
                                                                     "opportunities"), 0), "reason"),
                                 "2500 cars are due for replacement"));
    m = json_array_get(json_object_get(json_object_get(c, "household"), "members"), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "vehicle_count")), 50);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "vehicles_count")), 50);
    ck_assert_int_eq(json_array_size(json_object_get(m, "vehicles")), 20);
    json_decref(c);
}
END_TEST

static int
has_reason(const json_t *policy, const char *code)
{
    json_t *r;
    size_t i;
    json_array_foreach(json_object_get(policy, "reasons"), i, r)
        if (!strcmp(sget(r, "code"), code))
            return 1;
    return 0;
}

/* Becker's poor visit and open complaint quiet sales, not the service reminder. */
START_TEST(contact_policy_per_purpose_quiets_sales_only)
{
    json_t *c = card("plate=M-JB%201187"), *by = json_object_get(c, "contact_policy_by_purpose");
    json_t *sales = json_object_get(json_object_get(by, "sales"), "phone");
    json_t *service = json_object_get(json_object_get(by, "service"), "phone");

    ck_assert(json_equal(json_object_get(c, "contact_policy"), json_object_get(by, "sales")));
    ck_assert_str_eq(sget(sales, "purpose"), "sales");
    ck_assert(!json_is_true(json_object_get(sales, "allowed")));
    ck_assert(has_reason(sales, "quiet_period"));
    ck_assert_str_eq(sget(service, "purpose"), "service");
    ck_assert(!has_reason(service, "quiet_period"));
    ck_assert(json_is_true(json_object_get(service, "allowed")));
    json_decref(c);
}
END_TEST

START_TEST(poor_visit_behind_many_newer_touchpoints_still_alerts)
{
    char id[40];
    json_t *c;

    snprintf(id, sizeof id, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"salutation\":\"Herr\",\"family_name\":\"Viel\"}"));
    create_ok("/v1/touchpoints", pathf("{\"customer_id\":\"%s\",\"kind\":\"service_visit\",\"channel\":"
                                       "\"in_person\",\"occurred_at\":\"2026-10-20T09:00:00Z\","
                                       "\"satisfaction\":0.2}", id));
    for (int i = 0; i < 12; i++)
        create_ok("/v1/touchpoints", pathf("{\"customer_id\":\"%s\",\"kind\":\"email\",\"channel\":"
                                           "\"email\",\"occurred_at\":\"2026-11-%02dT09:00:00Z\"}", id, i + 1));
    c = card(pathf("customer_id=%s", id));
    ck_assert_int_eq(json_array_size(json_object_get(c, "touchpoints")), 10);
    ck_assert(has_alert(c, "poor_experience"));
    ck_assert(has_opportunity(c, "retention_risk", "rated 0.2"));
    json_decref(c);
}
END_TEST

START_TEST(complaint_without_follow_up_alerts)
{
    char id[40];
    json_t *c;

    snprintf(id, sizeof id, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Klage\"}"));
    create_ok("/v1/touchpoints", pathf("{\"customer_id\":\"%s\",\"kind\":\"complaint\",\"channel\":\"phone\","
                                       "\"summary\":\"Kratzer nach der Waesche\"}", id));
    c = card(pathf("customer_id=%s", id));
    ck_assert(has_alert(c, "open_complaint"));
    ck_assert(has_opportunity(c, "retention_risk", "Kratzer nach der Waesche"));
    json_decref(c);
}
END_TEST

START_TEST(leap_day_birthday_in_a_common_year)
{
    /* 2027 is a common year: a 29 February birthday is celebrated on 28 February */
    const char *id = create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Schalt\","
                                                "\"birthday\":\"2000-02-29\"}");
    json_t *c = card(pathf("customer_id=%s", id)), *b = json_object_get(c, "birthday");

    ck_assert_str_eq(sget(b, "next"), "2027-02-28");
    ck_assert_int_eq(json_integer_value(json_object_get(b, "turns")), 27);
    json_decref(c);
}
END_TEST

/*
 * Two cars whose plates differ only by separators ("M-AB 123", "MA-B 123"),
 * of two people: the 300 the desk met. Each call's cars have plates and a
 * VIN of their own (7 digits); A's car has a VIN, B's none.
 */
static json_t *
two_people_one_plate(char a[40], char b[40])
{
    char n[8];
    struct reply r;
    json_t *cands;

    snprintf(n, sizeof n, "%s", uniq_digits());
    snprintf(a, 40, "%s", create_ok("/v1/customers", "{\"kind\":\"person\",\"salutation\":\"Frau\","
                                                      "\"family_name\":\"Albrecht\"}"));
    snprintf(b, 40, "%s", create_ok("/v1/customers", "{\"kind\":\"person\",\"salutation\":\"Herr\","
                                                      "\"family_name\":\"Bauer\"}"));
    create_ok("/v1/vehicles", pathf("{\"make\":\"Audi\",\"model\":\"A3\",\"plate\":\"M-AB %s\","
                                    "\"vin\":\"WAUZZZ8V5K%s\",\"owner_id\":\"%s\"}", n, n, a));
    create_ok("/v1/vehicles", pathf("{\"make\":\"Opel\",\"model\":\"Astra\",\"plate\":\"MA-B %s\","
                                    "\"owner_id\":\"%s\"}", n, b));
    http_get(pathf("/v1/greeting?plate=mab%s", n), &r);
    ck_assert_int_eq(r.status, 300);
    cands = json_incref(json_object_get(r.json, "candidates"));
    reply_free(&r);
    ck_assert_int_eq(json_array_size(cands), 2);
    return cands;
}

/* The candidate of customer id in cands. */
static json_t *
candidate(json_t *cands, const char *id)
{
    json_t *c;
    size_t i;

    json_array_foreach(cands, i, c)
        if (!strcmp(sget(c, "customer_id"), id))
            return c;
    ck_abort_msg("no candidate %s", id);
    return NULL;
}

START_TEST(candidates_carry_what_asks_again)
{
    char a[40], b[40];
    json_t *cands = two_people_one_plate(a, b);
    json_t *va = json_object_get(candidate(cands, a), "vehicle");
    json_t *vb = json_object_get(candidate(cands, b), "vehicle");

    ck_assert_ptr_nonnull(sget(va, "id"));
    ck_assert_ptr_nonnull(strstr(sget(va, "plate"), "M-AB "));
    ck_assert_ptr_nonnull(strstr(sget(va, "vin"), "WAUZZZ8V5K"));
    ck_assert_ptr_nonnull(strstr(sget(vb, "plate"), "MA-B "));
    ck_assert(json_is_null(json_object_get(vb, "vin")));
    json_decref(cands);
}
END_TEST

START_TEST(customer_with_the_chosen_car)
{
    char a[40], b[40], vid[40];
    json_t *cands = two_people_one_plate(a, b), *with, *without, *v;

    snprintf(vid, sizeof vid, "%s", sget(json_object_get(candidate(cands, b), "vehicle"), "id"));
    with = card(pathf("customer_id=%s&vehicle_id=%s", b, vid));
    without = card(pathf("customer_id=%s", b));
    v = json_object_get(with, "vehicle");
    ck_assert_str_eq(sget(v, "id"), vid);
    ck_assert_ptr_nonnull(strstr(sget(v, "plate"), "MA-B "));
    ck_assert_str_eq(sget(v, "relation"), "own");
    ck_assert(json_is_null(json_object_get(v, "service_due_in_days")));
    ck_assert_str_eq(sget(json_object_get(with, "recognized_by"), "by"), "customer_id");
    ck_assert_str_eq(sget(json_object_get(with, "customer"), "id"), b);
    /* the car is all the vehicle_id changes */
    ck_assert(json_is_null(json_object_get(without, "vehicle")));
    json_object_del(with, "vehicle");
    json_object_del(without, "vehicle");
    ck_assert_msg(json_equal(with, without), "the card differs beyond its vehicle");
    json_decref(with);
    json_decref(without);
    json_decref(cands);
}
END_TEST

START_TEST(household_and_fleet_cars_keep_their_relation)
{
    json_t *harry = card("plate=M-HW%202022"), *petra = card("plate=M-PW%2024"), *c;
    const char *h = sget(json_object_get(harry, "customer"), "id");
    char company[40], person[40], driven[40], pool[40];

    /* his wife's car on his card: a household car, as the household section names it */
    c = card(pathf("customer_id=%s&vehicle_id=%s", h, sget(json_object_get(petra, "vehicle"), "id")));
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "plate"), "M-PW 24");
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "relation"), "household");
    ck_assert_str_eq(sget(json_object_get(c, "customer"), "id"), h);
    json_decref(c);
    /* a pool car of the company whose car she drives: not due, so read beside the card */
    snprintf(company, sizeof company, "%s",
             create_ok("/v1/customers", "{\"kind\":\"company\",\"company_name\":\"Pflegedienst Mond\"}"));
    snprintf(person, sizeof person, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Pool\"}"));
    snprintf(driven, sizeof driven, "%s",
             create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"plate\":\"M-PM 1\",\"owner_id\":\"%s\","
                                             "\"main_driver_id\":\"%s\"}", company, person)));
    snprintf(pool, sizeof pool, "%s",
             create_ok("/v1/vehicles", pathf("{\"make\":\"VW\",\"vin\":\"WVWZZZ1KZAW000777\","
                                             "\"owner_id\":\"%s\"}", company)));
    c = card(pathf("customer_id=%s&vehicle_id=%s", person, pool));
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "vin"), "WVWZZZ1KZAW000777");
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "relation"), "fleet");
    ck_assert_ptr_null(json_object_get(json_object_get(c, "vehicle"), "holder"));
    json_decref(c);
    c = card(pathf("customer_id=%s&vehicle_id=%s", person, driven));
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "relation"), "own");
    json_decref(c);
    json_decref(harry);
    json_decref(petra);
}
END_TEST

START_TEST(vehicle_id_alone_opens_its_drivers_card)
{
    json_t *by_plate = card("plate=M-AK%204711"), *c;
    const char *vid = sget(json_object_get(by_plate, "vehicle"), "id");
    json_t *rec;

    c = card(pathf("vehicle_id=%s", vid));
    rec = json_object_get(c, "recognized_by");
    ck_assert_str_eq(sget(c, "greeting"), "Guten Morgen, Herr Kaya");
    ck_assert_str_eq(sget(rec, "by"), "vehicle_id");
    ck_assert_str_eq(sget(rec, "how"), "exact");
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "id"), vid);
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "relation"), "own");
    /* the same card as by its plate, but for how it was found */
    json_object_del(c, "recognized_by");
    json_object_del(by_plate, "recognized_by");
    ck_assert(json_equal(c, by_plate));
    json_decref(c);
    json_decref(by_plate);
}
END_TEST

START_TEST(someone_elses_car_is_422)
{
    char a[40], b[40], vid[40];
    json_t *cands = two_people_one_plate(a, b);
    struct reply r;

    snprintf(vid, sizeof vid, "%s", sget(json_object_get(candidate(cands, b), "vehicle"), "id"));
    http_get(pathf("/v1/greeting?customer_id=%s&vehicle_id=%s", a, vid), &r);
    assert_problem(&r, 422, "unprocessable");
    ck_assert_str_eq(jstr(&r, "detail"),
                     pathf("vehicle %s is not a car of customer %s: neither they nor their household "
                           "own or mainly drive it, and no company of their fleets owns it; ask with "
                           "vehicle_id=%s alone for its driver's card", vid, a, vid));
    ck_assert_str_eq(reply_header(&r, "Content-Language"), "en");
    reply_free(&r);
    http("GET", pathf("/v1/greeting?customer_id=%s&vehicle_id=%s", a, vid), NULL, NULL,
         (const char *const[]){ "Accept-Language: de", NULL }, &r);
    assert_problem(&r, 422, "unprocessable");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "gehört nicht zum Kunden"));
    ck_assert_str_eq(reply_header(&r, "Content-Language"), "de");
    reply_free(&r);
    json_decref(cands);
}
END_TEST

START_TEST(unknown_vehicle_is_404)
{
    static const char nobody[] = "00000000-0000-4000-8000-0000000000aa";
    json_t *kaya = card("plate=M-AK%204711");
    struct reply r;

    http_get(pathf("/v1/greeting?customer_id=%s&vehicle_id=%s",
                   sget(json_object_get(kaya, "customer"), "id"), nobody), &r);
    assert_problem(&r, 404, "not-found");
    ck_assert_str_eq(jstr(&r, "detail"), pathf("no vehicle with id %s", nobody));
    reply_free(&r);
    http_get(pathf("/v1/greeting?vehicle_id=%s", "00000000-0000-4000-8000-0000000000AA"), &r);
    assert_problem(&r, 404, "not-found");
    ck_assert_str_eq(jstr(&r, "detail"), pathf("no vehicle with id %s", nobody));
    reply_free(&r);
    /* an unknown customer stays the lookup's own 404, also with a car */
    http_get(pathf("/v1/greeting?customer_id=%s&vehicle_id=%s", nobody,
                   sget(json_object_get(kaya, "vehicle"), "id")), &r);
    assert_problem(&r, 404, "not-found");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "no customer matches customer_id"));
    reply_free(&r);
    json_decref(kaya);
}
END_TEST

START_TEST(short_car_records_carry_the_vin)
{
    json_t *c = card("plate=M-HW%202022"), *m, *v, *f;
    size_t i, j, n = 0;

    json_array_foreach(json_object_get(json_object_get(c, "household"), "members"), i, m)
        json_array_foreach(json_object_get(m, "vehicles"), j, v)
        {
            ck_assert_ptr_nonnull(json_object_get(v, "vin"));
            n += sget(v, "vin") != NULL;
        }
    json_array_foreach(json_object_get(c, "fleets"), i, f)
        json_array_foreach(json_object_get(f, "due"), j, v)
        {
            ck_assert_ptr_nonnull(json_object_get(v, "vin"));
            n += sget(v, "vin") != NULL;
        }
    ck_assert_uint_gt(n, 5);
    json_decref(c);
}
END_TEST

static void
member_of(const char *household, const char *customer, const char *role)
{
    struct reply r;

    http_json("PUT", pathf("/v1/households/%s/members/%s", household, customer),
              pathf("{\"role\":\"%s\"}", role), &r);
    ck_assert_msg(r.status == 201 || r.status == 200, "PUT member: %ld %s", r.status, r.body);
    reply_free(&r);
}

START_TEST(plateless_car_of_a_household_member_has_its_vin)
{
    char head[40], member[40], hh[40];
    json_t *c, *m, *v;
    size_t i;
    int seen = 0;

    snprintf(head, sizeof head, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Ohnekennzeichen\"}"));
    snprintf(member, sizeof member, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"given_name\":\"Ida\","
                                        "\"family_name\":\"Ohnekennzeichen\"}"));
    snprintf(hh, sizeof hh, "%s", create_ok("/v1/households", "{\"name\":\"Familie Ohnekennzeichen\"}"));
    member_of(hh, head, "head");
    member_of(hh, member, "partner");
    create_ok("/v1/vehicles", pathf("{\"make\":\"Tesla\",\"model\":\"Model Y\","
                                    "\"vin\":\"5YJYGDEE0MF000042\",\"owner_id\":\"%s\"}", member));
    c = card(pathf("customer_id=%s", head));
    json_array_foreach(json_object_get(json_object_get(c, "household"), "members"), i, m)
        if (!strcmp(sget(m, "customer_id"), member)) {
            v = json_array_get(json_object_get(m, "vehicles"), 0);
            ck_assert(json_is_null(json_object_get(v, "plate")));
            ck_assert_str_eq(sget(v, "vin"), "5YJYGDEE0MF000042");
            seen = 1;
        }
    ck_assert(seen);
    json_decref(c);
    /* and the VIN opens her card with that car */
    c = card("vin=5YJYGDEE0MF000042");
    ck_assert_str_eq(sget(json_object_get(c, "customer"), "id"), member);
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "make"), "Tesla");
    json_decref(c);
}
END_TEST

START_TEST(rules_in_force_are_listed)
{
    json_t *r = fetch("/v1/rules");
    struct reply bad;

    ck_assert_int_eq(json_integer_value(json_object_get(r, "replace_mileage_km")), 120000);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "contact_max")), 3);
    ck_assert(json_real_value(json_object_get(r, "poor_satisfaction")) == 0.5);
    json_decref(r);
    http_get("/v1/rules?x=1", &bad);
    assert_problem(&bad, 400, "bad-request");
    reply_free(&bad);
}
END_TEST

/* GET /v1/greeting?<query> with Accept-Language lang (NULL: none) into r. */
static void
greeting_in(const char *query, const char *lang, struct reply *r)
{
    char header[64];

    snprintf(header, sizeof header, "Accept-Language: %s", lang ? lang : "en");
    http("GET", pathf("/v1/greeting?%s", query), NULL, NULL,
         lang ? (const char *const[]){ header, NULL } : NULL, r);
}

/* A person with this family name (made unique) and a car with plate; the person's id. */
static void
person_with_car(const char *family, const char *plate, char id[40], char car[40])
{
    snprintf(id, 40, "%s",
             create_ok("/v1/customers",
                       pathf("{\"kind\":\"person\",\"salutation\":\"Herr\",\"family_name\":\"%s\"}",
                             family)));
    snprintf(car, 40, "%s",
             create_ok("/v1/vehicles",
                       pathf("{\"make\":\"VW\",\"plate\":\"%s\",\"owner_id\":\"%s\"}", plate, id)));
}

/* PATCH car's plate to plate. */
static void
replate(const char *car, const char *plate)
{
    struct reply r;

    http("PATCH", pathf("/v1/vehicles/%s", car), "application/merge-patch+json",
         pathf("{\"plate\":\"%s\"}", plate), NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);
}

/* The card of query is customer id's with car, found by plate_history or plate. */
static json_t *
card_of(const char *query, const char *id, const char *car, const char *by)
{
    json_t *c = card(query);

    ck_assert_str_eq(sget(json_object_get(c, "customer"), "id"), id);
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "id"), car);
    ck_assert_str_eq(sget(json_object_get(c, "recognized_by"), "by"), by);
    return c;
}

/*
 * "M-AB n" (Munich) and "MA-B n" (Mannheim): typed with separators that
 * only one of them has, that car's card opens; typed without (or with
 * separators both have), the desk is asked which.
 */
START_TEST(separators_tell_two_plates_apart)
{
    char n[8], munich[40], mannheim[40], mcar[40], hcar[40];
    json_t *c;
    struct reply r;

    snprintf(n, sizeof n, "%s", uniq_digits());
    person_with_car("Muenchner", pathf("M-AB %s", n), munich, mcar);
    person_with_car("Mannheimer", pathf("MA-B %s", n), mannheim, hcar);
    json_decref(card_of(pathf("plate=MA-B%%20%s", n), mannheim, hcar, "plate"));
    json_decref(card_of(pathf("plate=m-ab%s", n), munich, mcar, "plate"));
    json_decref(card_of(pathf("plate=M%%20AB%%20%s", n), munich, mcar, "plate"));
    c = card_of(pathf("plate=M-AB%%20%s", n), munich, mcar, "plate");
    ck_assert_str_eq(sget(json_object_get(c, "recognized_by"), "normalized"), pathf("MAB%s", n));
    ck_assert_str_eq(sget(json_object_get(c, "recognized_by"), "how"),
                     "plate as written: the one car whose plate has the separators in these places");
    json_decref(c);
    greeting_in(pathf("plate=M-AB%%20%s", n), "de", &r);
    assert_json(&r, 200);
    ck_assert_str_eq(sget(json_object_get(r.json, "recognized_by"), "how"),
                     "Kennzeichen wie geschrieben: das einzige Fahrzeug mit den Trennzeichen an "
                     "diesen Stellen");
    reply_free(&r);
    /* nothing typed tells them apart: both are offered, as before */
    static const char *const both[] = { "MAB", "mab%20", "MAB." };
    for (size_t i = 0; i < 3; i++) {
        http_get(pathf("/v1/greeting?plate=%s%s", both[i], n), &r);
        ck_assert_msg(r.status == 300, "%s%s: %ld", both[i], n, r.status);
        ck_assert_int_eq(json_array_size(json_object_get(r.json, "candidates")), 2);
        reply_free(&r);
    }
}
END_TEST

/* "WÜ-K n" as typed with AE/OE/UE, with a combining diaeresis (NFD), in any case. */
static const char *const umlaut_spellings[] = {
    "WUE-K%20", "wue%20k%20", "WU%CC%88-K%20", "wu%CC%88k", "w%C3%BC-k%20",
};

START_TEST(umlaut_plate_in_every_spelling)
{
    char n[8], id[40], car[40];
    json_t *c;

    snprintf(n, sizeof n, "%s", uniq_digits() + 1); /* "WUEK" and 6 digits: 10 characters */
    person_with_car("Wuerzburger", pathf("WÜ-K %s", n), id, car);
    c = card_of(pathf("plate=%s%s", umlaut_spellings[_i], n), id, car, "plate");
    ck_assert_str_eq(sget(json_object_get(c, "recognized_by"), "normalized"), pathf("WÜK%s", n));
    json_decref(c);
}
END_TEST

/* A car re-registered: its old plate opens its card, which says so in the staff's language. */
START_TEST(old_plate_opens_the_card_with_a_note)
{
    char n[8], id[40], car[40];
    json_t *c, *rec;
    struct reply r;

    snprintf(n, sizeof n, "%s", uniq_digits());
    person_with_car("Ummelder", pathf("M-XY %s", n), id, car);
    replate(car, pathf("M-NW %s", n));
    c = card_of(pathf("plate=mxy%s", n), id, car, "plate_history");
    rec = json_object_get(c, "recognized_by");
    ck_assert_str_eq(sget(rec, "normalized"), pathf("MXY%s", n));
    ck_assert_str_eq(sget(rec, "how"), "earlier plate of the car, without spaces and hyphens, upper case");
    /* the fake clock: 2026-11-23 */
    ck_assert_str_eq(sget(rec, "note"),
                     pathf("plate M-XY %s belonged to this car until 2026-11-23; it now has M-NW %s", n, n));
    ck_assert_str_eq(sget(json_object_get(c, "vehicle"), "plate"), pathf("M-NW %s", n));
    json_decref(c);
    greeting_in(pathf("plate=M-XY%%20%s", n), "de", &r);
    assert_json(&r, 200);
    ck_assert_str_eq(sget(json_object_get(r.json, "recognized_by"), "note"),
                     pathf("Kennzeichen M-XY %s gehörte bis 23.11.2026 zu diesem Fahrzeug; heute: M-NW %s", n, n));
    reply_free(&r);
    /* the new plate: an ordinary card, without a note */
    c = card_of(pathf("plate=M-NW%%20%s", n), id, car, "plate");
    ck_assert_ptr_null(json_object_get(json_object_get(c, "recognized_by"), "note"));
    json_decref(c);
}
END_TEST

/*
 * An old plate given to another car leads to that car; once that car is
 * gone, to the car that had it; once that one is gone too, to nobody.
 */
START_TEST(a_current_plate_wins_over_an_old_one)
{
    char n[8], was[40], wcar[40], now[40], ncar[40];
    struct reply r;

    snprintf(n, sizeof n, "%s", uniq_digits());
    person_with_car("Vorher", pathf("M-OP %s", n), was, wcar);
    replate(wcar, pathf("M-OQ %s", n));
    person_with_car("Nachher", pathf("M-OP %s", n), now, ncar);
    json_decref(card_of(pathf("plate=M-OP%%20%s", n), now, ncar, "plate"));
    http("DELETE", pathf("/v1/vehicles/%s", ncar), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    json_decref(card_of(pathf("plate=M-OP%%20%s", n), was, wcar, "plate_history"));
    http("DELETE", pathf("/v1/vehicles/%s", wcar), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    http_get(pathf("/v1/greeting?plate=M-OP%%20%s", n), &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

/* The beginning of a plate in the search box: Dr. Wessling's M-HW 2022, below exact hits. */
START_TEST(plate_beginning_finds_the_demo_car)
{
    static const char *const typed[] = { "M-HW", "m%20hw%2020", "MHW20" };
    json_t *body, *it;

    for (size_t i = 0; i < 3; i++) {
        body = fetch(pathf("/v1/search?q=%s", typed[i]));
        it = json_array_get(json_object_get(body, "items"), 0);
        ck_assert_msg(it != NULL, "%s: nothing found", typed[i]);
        ck_assert_str_eq(sget(it, "name"), "Dr. Harry Wessling");
        ck_assert_str_eq(sget(json_object_get(it, "match"), "kind"), "plate_prefix");
        ck_assert_int_eq(json_integer_value(json_object_get(it, "score")), 60);
        ck_assert_str_eq(sget(json_object_get(it, "vehicle"), "plate"), "M-HW 2022");
        json_decref(body);
    }
}
END_TEST

static const char *const bad_queries[] = {
    "/v1/greeting",
    "/v1/greeting?plate=M-HW%202022&phone=0171%204432022",
    "/v1/greeting?plate=%21%21",
    "/v1/greeting?vin=WBA",
    "/v1/greeting?phone=abc",
    "/v1/greeting?email=nobody",
    "/v1/greeting?customer_id=42",
    "/v1/greeting?name=Wessling",
    "/v1/greeting?vehicle_id=42",
    "/v1/greeting?customer_id=00000000-0000-4000-8000-0000000000aa&vehicle_id=42",
    "/v1/greeting?plate=M-HW%202022&vehicle_id=00000000-0000-4000-8000-0000000000aa",
    "/v1/greeting?customer_id=00000000-0000-4000-8000-0000000000aa&vehicle_id="
    "00000000-0000-4000-8000-0000000000aa&phone=0171%204432022",
};

START_TEST(bad_query_is_400)
{
    struct reply r;

    http_get(bad_queries[_i], &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(evening_greetings)
{
    json_t *a = card("email=aylin.kaya@gmail.com"), *b = card("plate=M-HW%202022");

    ck_assert_str_eq(sget(a, "greeting"), "Good evening, Ms Kaya");
    ck_assert_str_eq(sget(b, "greeting"), "Guten Abend, Herr Dr. Wessling");
    json_decref(a);
    json_decref(b);
}
END_TEST

START_TEST(preferred_name_wins_and_birthday_today)
{
    json_t *c;
    const char *id = create_ok("/v1/customers",
                               "{\"kind\":\"person\",\"salutation\":\"Herr\",\"family_name\":\"Lindner\","
                               "\"preferred_name\":\"Tom\",\"birthday\":\"1980-11-23\"}");

    c = card(pathf("customer_id=%s", id));
    ck_assert_str_eq(sget(c, "greeting"), "Guten Abend, Tom");
    ck_assert(json_is_true(json_object_get(json_object_get(c, "birthday"), "today")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "birthday"), "turns")), 46);
    ck_assert(has_alert(c, "birthday"));
    json_decref(c);
}
END_TEST

Suite *
greeting_suite(void)
{
    Suite *s = suite_create("greeting");
    TCase *tc = tcase_create("morning");

    tcase_add_unchecked_fixture(tc, start_morning, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, wessling_by_plate_in_any_spelling, 0, 3);
    tcase_add_test(tc, wessling_card_has_every_section);
    tcase_add_test(tc, english_customer_by_email);
    tcase_add_test(tc, main_driver_is_who_stands_at_the_desk);
    tcase_add_test(tc, neutral_greeting_without_salutation);
    tcase_add_test(tc, poor_experience_raises_alerts);
    tcase_add_test(tc, phone_and_vin_tail_find_the_same_person);
    tcase_add_test(tc, unknown_plate_is_404_with_how_to_create);
    tcase_add_test(tc, shared_phone_is_300_with_candidates);
    tcase_add_test(tc, plate_that_changed_hands_prefers_the_active_car);
    tcase_add_test(tc, two_active_cars_with_one_plate_are_300);
    tcase_add_test(tc, separators_tell_two_plates_apart);
    tcase_add_loop_test(tc, umlaut_plate_in_every_spelling, 0,
                        (int)(sizeof umlaut_spellings / sizeof umlaut_spellings[0]));
    tcase_add_test(tc, old_plate_opens_the_card_with_a_note);
    tcase_add_test(tc, a_current_plate_wins_over_an_old_one);
    tcase_add_test(tc, plate_beginning_finds_the_demo_car);
    tcase_add_test(tc, driver_of_a_company_car_sees_the_fleet);
    tcase_add_test(tc, poor_visit_behind_many_newer_touchpoints_still_alerts);
    tcase_add_test(tc, cards_stay_bounded_on_a_2500_car_fleet);
    tcase_add_test(tc, contact_policy_per_purpose_quiets_sales_only);
    tcase_add_test(tc, rules_in_force_are_listed);
    tcase_add_test(tc, complaint_without_follow_up_alerts);
    tcase_add_test(tc, leap_day_birthday_in_a_common_year);
    tcase_add_test(tc, candidates_carry_what_asks_again);
    tcase_add_test(tc, customer_with_the_chosen_car);
    tcase_add_test(tc, household_and_fleet_cars_keep_their_relation);
    tcase_add_test(tc, vehicle_id_alone_opens_its_drivers_card);
    tcase_add_test(tc, someone_elses_car_is_422);
    tcase_add_test(tc, unknown_vehicle_is_404);
    tcase_add_test(tc, short_car_records_carry_the_vin);
    tcase_add_test(tc, plateless_car_of_a_household_member_has_its_vin);
    tcase_add_loop_test(tc, bad_query_is_400, 0, (int)(sizeof bad_queries / sizeof bad_queries[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("evening");
    tcase_add_unchecked_fixture(tc, start_evening, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, evening_greetings);
    tcase_add_test(tc, preferred_name_wins_and_birthday_today);
    suite_add_tcase(s, tc);
    return s;
}
