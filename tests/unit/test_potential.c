/*
 * test_potential: every purchase-potential rule just below and just above
 * its threshold (default rules, today 2026-11-23), exact reason texts (in
 * English, and every reason once in German), ordering, the total's cap,
 * and robustness against missing or mistyped
 * context. Contexts are JSON written with ' for " (J() turns them back).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "potential.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A context for today 2026-11-23 with the person "p" at the desk. */
#define CTX(...) "{'today': '2026-11-23', 'person': {'id': 'p'}, " __VA_ARGS__ "}"
/* One own vehicle "v1", a BMW 320d (no status: active), with more members. */
#define OWN(...) "{'id': 'v1', 'make': 'BMW', 'model': '320d', 'relation': 'own', " __VA_ARGS__ "}"
/* The household: the person (head) and more members. */
#define HH(...)                                                                                    \
    "'household': {'id': 'h', 'name': 'Wessling', 'members': ["                                    \
    "{'customer_id': 'p', 'role': 'head', 'name': 'Hans Wessling', "                               \
    "'birthday': '1970-05-05', 'vehicle_count': 1}, " __VA_ARGS__ "]}"
/* Petra, the partner, with a car: the partner-car rule's holder. */
#define PETRA                                                                                      \
    "{'customer_id': 'm2', 'role': 'partner', 'name': 'Petra Wessling', "                          \
    "'birthday': '1975-03-03', 'vehicle_count': 1}"
#define PETRA_CAR(...)                                                                             \
    "{'id': 'v2', 'make': 'VW', 'model': 'Golf', 'plate': 'M-PK 1', "                              \
    "'relation': 'household', 'holder': {'customer_id': 'm2', "                                    \
    "'name': 'Petra Wessling'}, " __VA_ARGS__ "}"
#define FLEET(roles, size)                                                                         \
    "'fleets': [{'company_id': 'c', 'company_name': "                                              \
    "'Wessling Logistik GmbH', 'roles': " roles ", 'fleet_size': " size "}]"
#define TP(...)                                                                                    \
    "{'id': 't1', 'customer_id': 'p', 'kind': 'service_visit', 'channel': "                        \
    "'in_person', " __VA_ARGS__ "}"

/* JSON text with ' for " → a new json_t; fails the test if it does not parse. */
static json_t *
J(const char *text)
{
    char *s = strdup(text);
    json_error_t err;
    json_t *j;

    ck_assert_ptr_nonnull(s);
    for (char *c = s; *c; c++)
        if (*c == '\'')
            *c = '"';
    j = json_loads(s, JSON_DECODE_ANY, &err);
    ck_assert_msg(j != NULL, "test table: cannot parse %s: %s", s, err.text);
    free(s);
    return j;
}

static char *
dump(const json_t *j)
{
    char *s = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    return s ? s : strdup("(null)");
}

/* Evaluate a context given as text with the default rules, reasons in lang. */
static json_t *
eval_in(const char *ctx_text, enum lang lang)
{
    struct rules r;
    json_t *ctx = J(ctx_text), *res;

    rules_defaults(&r);
    res = potential_evaluate(ctx, &r, lang);
    json_decref(ctx);
    ck_assert_ptr_nonnull(res);
    ck_assert(json_is_integer(json_object_get(res, "score")));
    ck_assert(json_is_array(json_object_get(res, "opportunities")));
    return res;
}

static json_t *
eval(const char *ctx_text)
{
    return eval_in(ctx_text, LANG_EN);
}

/* The only opportunity of kind (fails when there are several), or NULL. */
static json_t *
only_of_kind(json_t *res, const char *kind)
{
    json_t *o, *found = NULL;
    size_t i;

    json_array_foreach (json_object_get(res, "opportunities"), i, o) {
        if (strcmp(json_string_value(json_object_get(o, "kind")), kind) != 0)
            continue;
        ck_assert_msg(found == NULL, "more than one %s opportunity", kind);
        found = o;
    }
    return found;
}

/* ------------------------------------------------------------- thresholds */

struct rule_case {
    const char *name;
    const char *ctx;
    const char *kind;
    const char *reason; /* NULL: no opportunity of kind; "*": one with any reason */
    int score;          /* -1: any */
};

static const struct rule_case rule_cases[] = {
    /* replacement: age from first_registration (6 years) */
    {"age 5y364d", CTX("'vehicles': [" OWN("'first_registration': '2020-11-24'") "]"),
     "replacement", NULL, -1},
    {"age 6y", CTX("'vehicles': [" OWN("'first_registration': '2020-11-23'") "]"), "replacement",
     "BMW 320d is 6 years old", 50},
    {"age from model_year 5", CTX("'vehicles': [" OWN("'model_year': 2021") "]"), "replacement",
     NULL, -1},
    {"age from model_year 6", CTX("'vehicles': [" OWN("'model_year': 2020") "]"), "replacement",
     "BMW 320d is 6 years old", 50},
    {"registered 29 Feb, 27 Feb 6y later",
     "{'today': '2026-02-27', 'vehicles': [" OWN("'first_registration': '2020-02-29'") "]}",
     "replacement", NULL, -1},
    {"registered 29 Feb, 28 Feb 6y later",
     "{'today': '2026-02-28', 'vehicles': [" OWN("'first_registration': '2020-02-29'") "]}",
     "replacement", "BMW 320d is 6 years old", 50},
    /* replacement: mileage (120,000 km) */
    {"119,999 km", CTX("'vehicles': [" OWN("'mileage_km': 119999") "]"), "replacement", NULL, -1},
    {"120,000 km", CTX("'vehicles': [" OWN("'mileage_km': 120000") "]"), "replacement",
     "BMW 320d has 120,000 km", 50},
    {"young car over mileage",
     CTX("'vehicles': [" OWN("'first_registration': '2024-01-01', "
                             "'mileage_km': 1250000, 'plate': 'M-AB 123'") "]"),
     "replacement", "BMW 320d (M-AB 123) is 2 years old and has 1,250,000 km", 100},
    {"both over",
     CTX("'vehicles': [" OWN("'first_registration': '2019-10-01', "
                             "'mileage_km': 142000, 'plate': 'M-AB 123'") "]"),
     "replacement", "BMW 320d (M-AB 123) is 7 years old and has 142,000 km", 69},
    {"long variant left out",
     CTX("'vehicles': [" OWN("'variant': 'Touring xDrive M Sport "
                             "Edition Pro Plus', 'mileage_km': 130000") "]"),
     "replacement", "BMW 320d has 130,000 km", 54},
    {"sold",
     CTX("'vehicles': [" OWN(
         "'status': 'sold', 'mileage_km': 300000, "
         "'first_registration': '2001-01-01', 'powertrain': 'diesel', 'lease_end': '2026-12-01', "
         "'next_service_due': '2026-11-01'") "]"),
     "replacement", NULL, -1},
    /* lease_end: within 6 months, not ended more than a month ago */
    {"lease in 6 months", CTX("'vehicles': [" OWN("'lease_end': '2027-05-23'") "]"), "lease_end",
     "Lease of the BMW 320d ends on 2027-05-23, in 6 months", 50},
    {"lease in 6 months + 1 day", CTX("'vehicles': [" OWN("'lease_end': '2027-05-24'") "]"),
     "lease_end", NULL, -1},
    {"lease in 5 months",
     CTX("'vehicles': [{'id': 'v9', 'make': 'BMW', 'model': '540d', "
         "'variant': 'Touring', 'plate': 'M-WL 1', 'lease_end': '2027-04-30'}]"),
     "lease_end", "Lease of the BMW 540d Touring (M-WL 1) ends on 2027-04-30, in 5 months", 56},
    {"lease in 12 days", CTX("'vehicles': [" OWN("'lease_end': '2026-12-05'") "]"), "lease_end",
     "Lease of the BMW 320d ends on 2026-12-05, in 12 days", 96},
    {"lease ends today", CTX("'vehicles': [" OWN("'lease_end': '2026-11-23'") "]"), "lease_end",
     "Lease of the BMW 320d ends today, 2026-11-23", 100},
    {"lease ended a month ago", CTX("'vehicles': [" OWN("'lease_end': '2026-10-23'") "]"),
     "lease_end", "Lease of the BMW 320d ended on 2026-10-23, 31 days ago", 90},
    {"lease ended a month + 1 day ago", CTX("'vehicles': [" OWN("'lease_end': '2026-10-22'") "]"),
     "lease_end", NULL, -1},
    /* household: driving age 18 within 12 months */
    {"turns 18 in 11 months",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': "
            "'Deniz Kaya', 'birthday': '2009-10-23', 'vehicle_count': 0}")),
     "household", "Deniz turns 18 on 2027-10-23: first car?", 60},
    {"turns 18 in 12 months",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': "
            "'Deniz Kaya', 'birthday': '2009-11-23'}")),
     "household", "*", 60},
    {"turns 18 in 12 months + 1 day",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': "
            "'Deniz Kaya', 'birthday': '2009-11-24'}")),
     "household", NULL, -1},
    {"turns 18 in 13 months",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': "
            "'Deniz Kaya', 'birthday': '2009-12-23'}")),
     "household", NULL, -1},
    {"the person is not a member opportunity",
     CTX("'household': {'members': [{'customer_id': "
         "'p', 'role': 'child', 'name': 'Deniz', 'birthday': '2009-10-23', 'vehicle_count': 0}]}"),
     "household", NULL, -1},
    {"given_name wins",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': 'Kaya, D.', "
            "'given_name': 'Deniz', 'birthday': '2009-10-23'}")),
     "household", "Deniz turns 18 on 2027-10-23: first car?", 60},
    {"preferred_name next",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': 'Kaya', "
            "'given_name': null, 'preferred_name': 'Dee', 'birthday': '2009-10-23'}")),
     "household", "Dee turns 18 on 2027-10-23: first car?", 60},
    {"no name",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': '  ', "
            "'birthday': '2009-10-23'}")),
     "household", "A household member turns 18 on 2027-10-23: first car?", 60},
    /* household: member of driving age without a car */
    {"17y364d without car",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': 'Deniz', "
            "'birthday': '2008-11-24', 'vehicle_count': 0}")),
     "household", "Deniz turns 18 on 2026-11-24: first car?", 60},
    {"18y without car",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': 'Deniz', "
            "'birthday': '2008-11-23', 'vehicle_count': 0}")),
     "household", "Deniz has no car of their own", 50},
    {"partner without car",
     CTX(HH("{'customer_id': 'm2', 'role': 'partner', 'name': 'Petra "
            "Wessling', 'salutation': 'Frau', 'vehicle_count': 0}")),
     "household", "Petra has no car of her own", 50},
    {"partner with a car",
     CTX(HH("{'customer_id': 'm2', 'role': 'partner', 'name': 'Petra', "
            "'vehicle_count': 1}")),
     "household", NULL, -1},
    {"child without birthday or car",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': "
            "'Deniz', 'vehicle_count': 0}")),
     "household", NULL, -1},
    /* household: the partner's car older than 8 years */
    {"partner car 8y364d",
     CTX(HH(PETRA) ", 'vehicles': [" PETRA_CAR("'first_registration': "
                                               "'2017-11-24'") "]"),
     "household", NULL, -1},
    {"partner car 9y",
     CTX(HH(PETRA) ", 'vehicles': [" PETRA_CAR("'first_registration': "
                                               "'2017-11-23'") "]"),
     "household", "Petra's VW Golf (M-PK 1) is 9 years old", 55},
    {"partner car: no replacement line",
     CTX(HH(PETRA) ", 'vehicles': [" PETRA_CAR("'first_registration': '2017-11-23'") "]"),
     "replacement", NULL, -1},
    {"holder named by the member",
     CTX(HH(
         "{'customer_id': 'm2', 'role': 'partner', "
         "'given_name': 'Jonas', 'vehicle_count': 1}") ", 'vehicles': [{'id': 'v2', 'make': 'VW', "
                                                       "'model': 'Golf', 'relation': 'household', "
                                                       "'holder': {'customer_id': 'm2', 'name': "
                                                       "null}, "
                                                       "'first_registration': '2017-11-23'}]"),
     "household", "Jonas' VW Golf is 9 years old", 55},
    {"head's car seen by the partner",
     CTX("'household': {'members': [{'customer_id': 'p', "
         "'role': 'partner'}, {'customer_id': 'm2', 'role': 'head', 'name': 'Petra', "
         "'vehicle_count': 1}]}, 'vehicles': [" PETRA_CAR(
             "'first_registration': '2010-01-01'") "]"),
     "household", "Petra's VW Golf (M-PK 1) is 16 years old", 80},
    {"child's car is not a partner car",
     CTX(HH(
         "{'customer_id': 'm2', 'role': 'child', "
         "'birthday': '2000-01-01', 'vehicle_count': 1}") ", 'vehicles': [" PETRA_CAR("'first_"
                                                                                      "registration"
                                                                                      "': "
                                                                                      "'2010-01-"
                                                                                      "01'") "]"),
     "household", NULL, -1},
    /* fleet: fleet manager or decision maker, 5 vehicles */
    {"fleet of 4", CTX(FLEET("['fleet_manager']", "4")), "fleet", NULL, -1},
    {"fleet of 5", CTX(FLEET("['fleet_manager']", "5")), "fleet",
     "Fleet manager of Wessling Logistik GmbH (5 vehicles)", 40},
    {"decision maker", CTX(FLEET("['driver', 'decision_maker']", "7")), "fleet",
     "Decision maker at Wessling Logistik GmbH (7 vehicles)", 40},
    {"driver only", CTX(FLEET("['driver', 'employee']", "40")), "fleet", NULL, -1},
    {"fleet summary",
     CTX(FLEET("['fleet_manager']", "40") ", 'vehicles': ["
                                          "{'id': 'f1', 'make': 'VW', 'owner_id': 'c', 'relation': "
                                          "'fleet', 'lease_end': '2027-01-01'},"
                                          "{'id': 'f2', 'make': 'VW', 'owner_id': 'c', 'relation': "
                                          "'fleet', 'lease_end': '2027-05-23',"
                                          " 'mileage_km': 200000},"
                                          "{'id': 'f3', 'make': 'VW', 'owner_id': 'c', 'relation': "
                                          "'fleet', 'mileage_km': 120000},"
                                          "{'id': 'f4', 'make': 'VW', 'owner_id': 'c', 'relation': "
                                          "'fleet', 'mileage_km': 119999,"
                                          " 'lease_end': '2027-05-24'},"
                                          "{'id': 'f5', 'make': 'VW', 'owner_id': 'c', 'relation': "
                                          "'fleet', 'mileage_km': 300000,"
                                          " 'status': 'sold'},"
                                          "{'id': 'f6', 'make': 'VW', 'owner_id': 'other', "
                                          "'relation': 'fleet', 'mileage_km': 300000}"
                                          "]"),
     "fleet",
     "Fleet manager of Wessling Logistik GmbH (40 vehicles): 2 leases end in the next 6 months "
     "and 1 car is due for replacement",
     55},
    {"fleet size from the vehicles",
     CTX("'fleets': [{'company_id': 'c', 'roles': "
         "['fleet_manager']}], 'vehicles': ["
         "{'id': 'f1', 'owner_id': 'c', 'relation': 'fleet', 'mileage_km': 150000},"
         "{'id': 'f2', 'owner_id': 'c', 'relation': 'fleet'}, {'id': 'f3', 'owner_id': 'c', "
         "'relation': 'fleet'}, {'id': 'f4', 'owner_id': 'c', 'relation': 'fleet'}, {'id': 'f5', "
         "'owner_id': 'c', 'relation': 'fleet'}]"),
     "fleet", "Fleet manager of a company (5 vehicles): 1 car is due for replacement", 45},
    /* electric_switch: petrol or diesel, 5 years */
    {"petrol 4y364d",
     CTX("'vehicles': [" OWN("'powertrain': 'petrol', 'first_registration': "
                             "'2021-11-24'") "]"),
     "electric_switch", NULL, -1},
    {"petrol 5y",
     CTX("'vehicles': [" OWN("'powertrain': 'petrol', 'first_registration': "
                             "'2021-11-23'") "]"),
     "electric_switch", "The BMW 320d is 5 years old and runs on petrol", 40},
    {"diesel with plate",
     CTX("'vehicles': [{'id': 'v3', 'make': 'VW', 'model': 'Passat', "
         "'variant': 'Variant 2.0 TDI', 'plate': 'M-HW 530', 'powertrain': 'diesel', "
         "'status': 'active', "
         "'model_year': 2017}]"),
     "electric_switch",
     "The VW Passat Variant 2.0 TDI (M-HW 530) is 9 years old and runs on diesel", 40},
    {"hybrid",
     CTX("'vehicles': [" OWN("'powertrain': 'hybrid', 'first_registration': "
                             "'2010-01-01'") "]"),
     "electric_switch", NULL, -1},
    {"electric",
     CTX("'vehicles': [" OWN("'powertrain': 'electric', 'first_registration': "
                             "'2010-01-01'") "]"),
     "electric_switch", NULL, -1},
    {"no age", CTX("'vehicles': [" OWN("'powertrain': 'diesel'") "]"), "electric_switch", NULL, -1},
    {"interest in a preference value",
     CTX("'person': {'id': 'p', 'preferences': {'next_car': "
         "'Elektroauto'}}, 'vehicles': [" OWN("'powertrain': 'diesel', 'model_year': 2018") "]"),
     "electric_switch",
     "The BMW 320d is 8 years old and runs on diesel; interest in electric "
     "cars noted",
     70},
    {"interest in a preference key",
     CTX("'person': {'id': 'p', 'preferences': {'E-Auto': "
         "'ja'}}, 'vehicles': [" OWN("'powertrain': 'diesel', 'model_year': 2018") "]"),
     "electric_switch", "*", 70},
    {"interest in a touchpoint",
     CTX("'touchpoints': [" TP(
         "'summary': 'asked about an EV "
         "for his wife'") "], 'vehicles': [" OWN("'powertrain': 'petrol', 'model_year': 2018") "]"),
     "electric_switch", "*", 70},
    {"EVs in a touchpoint",
     CTX("'touchpoints': [" TP("'summary': 'EVs?'") "], 'vehicles': [" OWN(
         "'powertrain': 'petrol', 'model_year': 2018") "]"),
     "electric_switch", "*", 70},
    {"Strom in a touchpoint",
     CTX("'touchpoints': [" TP("'summary': 'Fragt nach STROMER'") "], 'vehicles': [" OWN(
         "'powertrain': 'petrol', 'model_year': 2018") "]"),
     "electric_switch", "*", 70},
    {"event is no interest",
     CTX("'touchpoints': [" TP(
         "'summary': 'came to the event, every "
         "seat taken; devout'") "], 'person': {'id': 'p', 'preferences': {'drinks': 'coffee'}}, "
                                "'vehicles': [" OWN(
                                    "'powertrain': 'petrol', 'model_year': 2018") "]"),
     "electric_switch", "*", 40},
    {"household diesel",
     CTX(HH(PETRA) ", 'vehicles': [" PETRA_CAR("'powertrain': 'diesel', "
                                               "'first_registration': '2020-01-01'") "]"),
     "electric_switch", "Petra's VW Golf (M-PK 1) is 6 years old and runs on diesel", 40},
    /* service: due within 30 days or overdue */
    {"service in 30 days",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 2022', 'next_service_due': "
                             "'2026-12-23'") "]"),
     "service", "Service of M-HW 2022 due in 30 days (2026-12-23)", 40},
    {"service in 31 days",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 2022', 'next_service_due': "
                             "'2026-12-24'") "]"),
     "service", NULL, -1},
    {"service in 18 days",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 2022', 'next_service_due': "
                             "'2026-12-11'") "]"),
     "service", "Service of M-HW 2022 due in 18 days (2026-12-11)", 48},
    {"service today without plate",
     CTX("'vehicles': [" OWN("'next_service_due': '2026-11-23'") "]"), "service",
     "Service of the BMW 320d due today (2026-11-23)", 60},
    {"service overdue",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 530', 'next_service_due': "
                             "'2026-11-11'") "]"),
     "service", "Service of M-HW 530 is 12 days overdue", 70},
    {"service 1 day overdue",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 530', 'next_service_due':"
                             " '2026-11-22'") "]"),
     "service", "Service of M-HW 530 is 1 day overdue", 70},
    /* retention_risk: satisfaction < 0.5 or NPS <= 6 within 90 days; open complaints */
    {"satisfaction 0.5",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', "
                               "'satisfaction': 0.5") "]"),
     "retention_risk", NULL, -1},
    {"satisfaction 0.49",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', "
                               "'satisfaction': 0.49") "]"),
     "retention_risk", "Last service visit on 2026-11-16 was rated 0.49", 51},
    {"nps 7", CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', 'nps': 7") "]"),
     "retention_risk", NULL, -1},
    {"nps 6", CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', 'nps': 6") "]"),
     "retention_risk", "Last service visit on 2026-11-16 was rated NPS 6", 40},
    {"rated and nps",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', "
                               "'satisfaction': 0.2, 'nps': 3") "]"),
     "retention_risk", "Last service visit on 2026-11-16 was rated 0.2 (NPS 3)", 80},
    {"poor 90 days ago",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-08-25T23:59:59Z', "
                               "'satisfaction': 0.1") "]"),
     "retention_risk", "*", 90},
    {"poor 91 days ago",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-08-24T23:59:59Z', "
                               "'satisfaction': 0.1") "]"),
     "retention_risk", NULL, -1},
    {"a later good visit of the kind",
     CTX("'touchpoints': [" TP(
         "'id': 't2', 'occurred_at': "
         "'2026-11-20T10:00:00Z', 'satisfaction': 0.9") ", " TP("'occurred_at': "
                                                                "'2026-11-16T10:00:00Z', "
                                                                "'satisfaction': 0.2") "]"),
     "retention_risk", "Service visit on 2026-11-16 was rated 0.2", 80},
    {"the newest poor one",
     CTX("'touchpoints': [" TP(
         "'occurred_at': '2026-11-01T10:00:00Z', "
         "'satisfaction': 0.1, 'kind': 'phone_call'") ", " TP("'occurred_at': "
                                                              "'2026-11-16T10:00:00Z', 'nps': 2, "
                                                              "'kind': 'app_booking'") "]"),
     "retention_risk", "Last app booking on 2026-11-16 was rated NPS 2", 80},
    {"another customer's touchpoint",
     CTX("'touchpoints': [" TP(
         "'occurred_at': "
         "'2026-11-16T10:00:00Z', 'satisfaction': 0.1, 'customer_id': 'x'") "]"),
     "retention_risk", NULL, -1},
    {"open complaint",
     CTX("'touchpoints': [" TP(
         "'kind': 'complaint', 'vehicle_id': 'v1', "
         "'follow_up': {'text': 'Paint damage after the car wash', 'done': false}") "]"),
     "retention_risk", "Open complaint: Paint damage after the car wash", 80},
    {"complaint without a follow-up is open",
     CTX("'touchpoints': [" TP("'kind': 'complaint', 'summary': 'Kratzer nach der Wäsche'") "]"),
     "retention_risk", "Open complaint: Kratzer nach der Wäsche", 80},
    {"resolved complaint",
     CTX("'touchpoints': [" TP("'kind': 'complaint', 'follow_up': "
                               "{'text': 'Paint damage', 'done': true}") "]"),
     "retention_risk", NULL, -1},
    {"long complaint",
     CTX("'touchpoints': [" TP(
         "'kind': 'complaint', 'follow_up': {'text': "
         "'0123456789 123456789 123456789 123456789 123456789 123456789 123456789 1234567\xc3\xa4"
         "XYZ', 'done': false}") "]"),
     "retention_risk",
     "Open complaint: 0123456789 123456789 "
     "123456789 123456789 123456789 123456789 123456789 1234567\xc3\xa4\xe2\x80\xa6",
     80},
    {"complaint of exactly 80",
     CTX("'touchpoints': [" TP("'kind': 'complaint', 'follow_up': "
                               "{'text': '0123456789 123456789 123456789 123456789 123456789 "
                               "123456789 123456789 123456789'"
                               "}") "]"),
     "retention_risk",
     "Open complaint: 0123456789 123456789 123456789 123456789 "
     "123456789 123456789 123456789 123456789",
     80},
};

static void
check_case(const struct rule_case *c, enum lang lang)
{
    json_t *res = eval_in(c->ctx, lang), *o = only_of_kind(res, c->kind);
    char *text = dump(res);

    if (!c->reason) {
        ck_assert_msg(o == NULL, "%s: unexpected %s in %s", c->name, c->kind, text);
    } else {
        ck_assert_msg(o != NULL, "%s: no %s in %s", c->name, c->kind, text);
        if (strcmp(c->reason, "*") != 0)
            ck_assert_msg(strcmp(json_string_value(json_object_get(o, "reason")), c->reason) == 0,
                          "%s: reason\n got  %s\n want %s", c->name,
                          json_string_value(json_object_get(o, "reason")), c->reason);
        if (c->score >= 0)
            ck_assert_msg(json_integer_value(json_object_get(o, "score")) == c->score,
                          "%s: score %lld, want %d", c->name,
                          (long long)json_integer_value(json_object_get(o, "score")), c->score);
    }
    free(text);
    json_decref(res);
}

START_TEST(test_rule)
{
    check_case(&rule_cases[_i], LANG_EN);
}
END_TEST

/* -------------------------------------------------------------- in German */

/* Every reason of every rule, singular and plural, as a German desk reads it. */
static const struct rule_case german_cases[] = {
    {"age 6y", CTX("'vehicles': [" OWN("'first_registration': '2020-11-23'") "]"), "replacement",
     "BMW 320d ist 6 Jahre alt", 50},
    {"1 year, over mileage",
     CTX("'vehicles': [" OWN("'first_registration': '2025-11-23', 'mileage_km': 130000") "]"),
     "replacement", "BMW 320d ist 1 Jahr alt und hat 130.000 km", -1},
    {"both over",
     CTX("'vehicles': [" OWN("'first_registration': '2019-10-01', "
                             "'mileage_km': 142000, 'plate': 'M-AB 123'") "]"),
     "replacement", "BMW 320d (M-AB 123) ist 7 Jahre alt und hat 142.000 km", 69},
    {"mileage only", CTX("'vehicles': [" OWN("'mileage_km': 1250000") "]"), "replacement",
     "BMW 320d hat 1.250.000 km", -1},
    {"no make or model", CTX("'vehicles': [{'id': 'v1', 'relation': 'own', 'mileage_km': 130000}]"),
     "replacement", "Fahrzeug hat 130.000 km", -1},
    {"lease in 5 months",
     CTX("'vehicles': [{'id': 'v9', 'make': 'BMW', 'model': '540d', "
         "'variant': 'Touring', 'plate': 'M-WL 1', 'lease_end': '2027-04-30'}]"),
     "lease_end", "Leasing des BMW 540d Touring (M-WL 1) endet am 30.04.2027, in 5 Monaten", 56},
    {"lease in 1 month", CTX("'vehicles': [" OWN("'lease_end': '2026-12-23'") "]"), "lease_end",
     "Leasing des BMW 320d endet am 23.12.2026, in 1 Monat", -1},
    {"lease in 12 days", CTX("'vehicles': [" OWN("'lease_end': '2026-12-05'") "]"), "lease_end",
     "Leasing des BMW 320d endet am 05.12.2026, in 12 Tagen", 96},
    {"lease in 1 day", CTX("'vehicles': [" OWN("'lease_end': '2026-11-24'") "]"), "lease_end",
     "Leasing des BMW 320d endet am 24.11.2026, in 1 Tag", -1},
    {"lease ends today", CTX("'vehicles': [" OWN("'lease_end': '2026-11-23'") "]"), "lease_end",
     "Leasing des BMW 320d endet heute, am 23.11.2026", 100},
    {"lease ended a month ago", CTX("'vehicles': [" OWN("'lease_end': '2026-10-23'") "]"),
     "lease_end", "Leasing des BMW 320d endete am 23.10.2026, vor 31 Tagen", 90},
    {"lease ended yesterday", CTX("'vehicles': [" OWN("'lease_end': '2026-11-22'") "]"),
     "lease_end", "Leasing des BMW 320d endete am 22.11.2026, vor 1 Tag", 90},
    {"turns 18",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': "
            "'Deniz Kaya', 'birthday': '2009-10-23', 'vehicle_count': 0}")),
     "household", "Deniz wird 18 (am 23.10.2027): erstes Auto?", 60},
    {"no name",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': '  ', "
            "'birthday': '2009-10-23'}")),
     "household", "Ein Haushaltsmitglied wird 18 (am 23.10.2027): erstes Auto?", 60},
    {"18y without car",
     CTX(HH("{'customer_id': 'k', 'role': 'child', 'name': 'Deniz', "
            "'birthday': '2008-11-23', 'vehicle_count': 0}")),
     "household", "Deniz hat kein Auto auf den eigenen Namen", 50},
    {"partner without car",
     CTX(HH("{'customer_id': 'm2', 'role': 'partner', 'name': 'Petra "
            "Wessling', 'salutation': 'Frau', 'vehicle_count': 0}")),
     "household", "Petra hat kein Auto auf ihren Namen", 50},
    {"partner without car, Herr",
     CTX(HH("{'customer_id': 'm2', 'role': 'partner', 'name': 'Jonas "
            "Wessling', 'salutation': 'Herr', 'vehicle_count': 0}")),
     "household", "Jonas hat kein Auto auf seinen Namen", 50},
    {"partner car 9y",
     CTX(HH(PETRA) ", 'vehicles': [" PETRA_CAR("'first_registration': '2017-11-23'") "]"),
     "household", "Petras VW Golf (M-PK 1) ist 9 Jahre alt", 55},
    {"holder named by the member",
     CTX(HH("{'customer_id': 'm2', 'role': 'partner', 'given_name': 'Jonas', "
            "'vehicle_count': 1}") ", 'vehicles': [{'id': 'v2', 'make': 'VW', 'model': 'Golf', "
                                   "'relation': 'household', 'holder': {'customer_id': 'm2', "
                                   "'name': null}, 'first_registration': '2017-11-23'}]"),
     "household", "Jonas' VW Golf ist 9 Jahre alt", 55},
    {"holder by salutation",
     CTX(HH("{'customer_id': 'm2', 'role': 'partner', 'salutation': 'Herr', "
            "'family_name': 'Wessling', 'vehicle_count': 1}") ", 'vehicles': [" PETRA_CAR(
         "'first_registration': '2017-11-23', 'holder': {'customer_id': 'm2', 'name': null}") "]"),
     "household", "Herrn Wesslings VW Golf (M-PK 1) ist 9 Jahre alt", 55},
    {"holder without a name",
     CTX(HH("{'customer_id': 'm2', 'role': 'partner', 'vehicle_count': 1}") ", 'vehicles': ["
         PETRA_CAR("'first_registration': '2017-11-23', "
                   "'holder': {'customer_id': 'm2', 'name': null}") "]"),
     "household", "Der VW Golf (M-PK 1) eines Haushaltsmitglieds ist 9 Jahre alt", 55},
    {"fleet of 5", CTX(FLEET("['fleet_manager']", "5")), "fleet",
     "Fuhrparkleiter bei Wessling Logistik GmbH (5 Fahrzeuge)", 40},
    {"decision maker", CTX(FLEET("['driver', 'decision_maker']", "7")), "fleet",
     "Entscheider bei Wessling Logistik GmbH (7 Fahrzeuge)", 40},
    {"fleet summary",
     CTX(FLEET("['fleet_manager']", "40") ", 'vehicles': ["
                                          "{'id': 'f1', 'owner_id': 'c', 'relation': 'fleet', "
                                          "'lease_end': '2027-01-01'},"
                                          "{'id': 'f2', 'owner_id': 'c', 'relation': 'fleet', "
                                          "'lease_end': '2027-05-23'},"
                                          "{'id': 'f3', 'owner_id': 'c', 'relation': 'fleet', "
                                          "'mileage_km': 120000}]"),
     "fleet",
     "Fuhrparkleiter bei Wessling Logistik GmbH (40 Fahrzeuge): 2 Leasingverträge enden in den "
     "nächsten 6 Monaten und 1 Fahrzeug steht zum Austausch an",
     55},
    {"fleet: 1 lease, 2 due",
     CTX(FLEET("['fleet_manager']", "40") ", 'vehicles': ["
                                          "{'id': 'f1', 'owner_id': 'c', 'relation': 'fleet', "
                                          "'lease_end': '2027-01-01'},"
                                          "{'id': 'f2', 'owner_id': 'c', 'relation': 'fleet', "
                                          "'mileage_km': 130000},"
                                          "{'id': 'f3', 'owner_id': 'c', 'relation': 'fleet', "
                                          "'mileage_km': 120000}]"),
     "fleet",
     "Fuhrparkleiter bei Wessling Logistik GmbH (40 Fahrzeuge): 1 Leasingvertrag endet in den "
     "nächsten 6 Monaten und 2 Fahrzeuge stehen zum Austausch an",
     55},
    {"fleet size from the vehicles",
     CTX("'fleets': [{'company_id': 'c', 'roles': "
         "['fleet_manager']}], 'vehicles': ["
         "{'id': 'f1', 'owner_id': 'c', 'relation': 'fleet', 'mileage_km': 150000},"
         "{'id': 'f2', 'owner_id': 'c', 'relation': 'fleet'}, {'id': 'f3', 'owner_id': 'c', "
         "'relation': 'fleet'}, {'id': 'f4', 'owner_id': 'c', 'relation': 'fleet'}, {'id': 'f5', "
         "'owner_id': 'c', 'relation': 'fleet'}]"),
     "fleet",
     "Fuhrparkleiter bei einem Unternehmen (5 Fahrzeuge): 1 Fahrzeug steht zum Austausch an", 45},
    {"petrol 5y",
     CTX("'vehicles': [" OWN("'powertrain': 'petrol', 'first_registration': "
                             "'2021-11-23'") "]"),
     "electric_switch", "Der BMW 320d ist 5 Jahre alt und fährt mit Benzin", 40},
    {"diesel with plate",
     CTX("'vehicles': [{'id': 'v3', 'make': 'VW', 'model': 'Passat', "
         "'variant': 'Variant 2.0 TDI', 'plate': 'M-HW 530', 'powertrain': 'diesel', "
         "'status': 'active', 'model_year': 2017}]"),
     "electric_switch",
     "Der VW Passat Variant 2.0 TDI (M-HW 530) ist 9 Jahre alt und fährt mit Diesel", 40},
    {"interest noted",
     CTX("'person': {'id': 'p', 'preferences': {'next_car': "
         "'Elektroauto'}}, 'vehicles': [" OWN("'powertrain': 'diesel', 'model_year': 2018") "]"),
     "electric_switch",
     "Der BMW 320d ist 8 Jahre alt und fährt mit Diesel; Interesse an Elektroautos vermerkt", 70},
    {"household diesel",
     CTX(HH(PETRA) ", 'vehicles': [" PETRA_CAR("'powertrain': 'diesel', "
                                               "'first_registration': '2020-01-01'") "]"),
     "electric_switch", "Petras VW Golf (M-PK 1) ist 6 Jahre alt und fährt mit Diesel", 40},
    {"service in 18 days",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 2022', 'next_service_due': '2026-12-11'") "]"),
     "service", "Inspektion des M-HW 2022 fällig in 18 Tagen (11.12.2026)", 48},
    {"service tomorrow",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 2022', 'next_service_due': '2026-11-24'") "]"),
     "service", "Inspektion des M-HW 2022 fällig in 1 Tag (24.11.2026)", -1},
    {"service today without plate",
     CTX("'vehicles': [" OWN("'next_service_due': '2026-11-23'") "]"), "service",
     "Inspektion des BMW 320d heute fällig (23.11.2026)", 60},
    {"service overdue",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 530', 'next_service_due': '2026-11-11'") "]"),
     "service", "Inspektion des M-HW 530 seit 12 Tagen überfällig", 70},
    {"service 1 day overdue",
     CTX("'vehicles': [" OWN("'plate': 'M-HW 530', 'next_service_due': '2026-11-22'") "]"),
     "service", "Inspektion des M-HW 530 seit 1 Tag überfällig", 70},
    {"satisfaction 0.49",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', "
                               "'satisfaction': 0.49") "]"),
     "retention_risk", "Letzter Werkstattbesuch am 16.11.2026 mit 0,49 bewertet", 51},
    {"nps 6", CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', 'nps': 6") "]"),
     "retention_risk", "Letzter Werkstattbesuch am 16.11.2026 mit NPS 6 bewertet", 40},
    {"rated and nps",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', "
                               "'satisfaction': 0.4, 'nps': 5") "]"),
     "retention_risk", "Letzter Werkstattbesuch am 16.11.2026 mit 0,4 (NPS 5) bewertet", 60},
    {"a later good visit of the kind",
     CTX("'touchpoints': [" TP(
         "'id': 't2', 'occurred_at': "
         "'2026-11-20T10:00:00Z', 'satisfaction': 0.9") ", " TP("'occurred_at': "
                                                                "'2026-11-16T10:00:00Z', "
                                                                "'satisfaction': 0.2") "]"),
     "retention_risk", "Werkstattbesuch am 16.11.2026 mit 0,2 bewertet", 80},
    {"app booking",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', 'nps': 2, "
                               "'kind': 'app_booking'") "]"),
     "retention_risk", "Letzte App-Buchung am 16.11.2026 mit NPS 2 bewertet", 80},
    {"phone call",
     CTX("'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', 'satisfaction': 0.1, "
                               "'kind': 'phone_call'") "]"),
     "retention_risk", "Letztes Telefonat am 16.11.2026 mit 0,1 bewertet", 90},
    {"open complaint",
     CTX("'touchpoints': [" TP("'kind': 'complaint', 'follow_up': {'text': 'Lackschaden nach "
                               "der Wäsche', 'done': false}") "]"),
     "retention_risk", "Offene Reklamation: Lackschaden nach der Wäsche", 80},
    {"complaint without follow-up or summary",
     CTX("'touchpoints': [" TP("'kind': 'complaint'") "]"), "retention_risk",
     "Offene Reklamation: keine Wiedervorlage erfasst", 80},
};

START_TEST(test_rule_de)
{
    check_case(&german_cases[_i], LANG_DE);
}
END_TEST

/* A one-month lease window reads "im nächsten Monat". */
START_TEST(test_fleet_one_month_de)
{
    json_t *ctx = J(CTX(FLEET("['fleet_manager']", "1") ", 'vehicles': [{'id': 'f1', "
                                                        "'owner_id': 'c', 'relation': 'fleet', "
                                                        "'lease_end': '2026-12-01'}]"));
    struct rules r;
    json_t *res;

    rules_defaults(&r);
    r.lease_end_months = 1;
    r.fleet_min_vehicles = 1;
    res = potential_evaluate(ctx, &r, LANG_DE);
    ck_assert_str_eq(json_string_value(json_object_get(only_of_kind(res, "fleet"), "reason")),
                     "Fuhrparkleiter bei Wessling Logistik GmbH (1 Fahrzeug): 1 Leasingvertrag "
                     "endet im nächsten Monat");
    json_decref(res);
    json_decref(ctx);
}
END_TEST

/* ----------------------------------------------------- shape and ordering */

START_TEST(test_ids)
{
    json_t *res = eval(CTX("'vehicles': [" OWN(
        "'mileage_km': 130000, 'holder': {'customer_id': "
        "'p'}") "], " HH("{'customer_id': 'k', 'role': 'child', 'name': "
                         "'Deniz', 'birthday': '2009-10-23'}") ", 'touchpoints': "
                                                               "[" TP("'kind': "
                                                                      "'complaint',"
                                                                      " 'vehicle_"
                                                                      "id': 'v1', "
                                                                      "'follow_up':"
                                                                      " {'text': "
                                                                      "'x', "
                                                                      "'done': "
                                                                      "false}") "]"));
    json_t *rep = only_of_kind(res, "replacement"), *hh = only_of_kind(res, "household");
    json_t *risk = only_of_kind(res, "retention_risk");

    ck_assert_ptr_nonnull(rep);
    ck_assert_ptr_nonnull(hh);
    ck_assert_ptr_nonnull(risk);
    ck_assert_str_eq(json_string_value(json_object_get(rep, "vehicle_id")), "v1");
    ck_assert_str_eq(json_string_value(json_object_get(rep, "customer_id")), "p");
    ck_assert(json_is_null(json_object_get(hh, "vehicle_id")));
    ck_assert_str_eq(json_string_value(json_object_get(hh, "customer_id")), "k");
    ck_assert_str_eq(json_string_value(json_object_get(risk, "vehicle_id")), "v1");
    ck_assert_str_eq(json_string_value(json_object_get(risk, "customer_id")), "p");
    ck_assert_int_eq(json_object_size(rep), 5);
    json_decref(res);
}
END_TEST

/* Score descending, then kind, then vehicle_id; the same input gives the same output. */
START_TEST(test_order)
{
    const char *ctx = CTX("'vehicles': ["
                          "{'id': 'b', 'make': 'X', 'mileage_km': 120000},"
                          "{'id': 'a', 'make': 'X', 'mileage_km': 120000},"
                          "{'id': 'c', 'make': 'X', 'next_service_due': '2026-11-01'},"
                          "{'id': 'd', 'make': 'X', 'lease_end': '2027-05-23'},"
                          "{'id': 'e', 'make': 'X', 'mileage_km': 240000}]");
    static const char *const want[][2] = {{"replacement", "e"},
                                          {"service", "c"},
                                          {"lease_end", "d"},
                                          {"replacement", "a"},
                                          {"replacement", "b"}};
    json_t *res = eval(ctx), *again = eval(ctx), *opps = json_object_get(res, "opportunities");

    ck_assert_int_eq(json_array_size(opps), N(want));
    for (int i = 0; i < N(want); i++) {
        json_t *o = json_array_get(opps, (size_t)i);
        ck_assert_str_eq(json_string_value(json_object_get(o, "kind")), want[i][0]);
        ck_assert_str_eq(json_string_value(json_object_get(o, "vehicle_id")), want[i][1]);
    }
    ck_assert(json_equal(res, again));
    json_decref(res);
    json_decref(again);
}
END_TEST

/* The total adds non-warning scores, capped at 100; warnings do not count. */
START_TEST(test_total)
{
    json_t *res;

    res = eval(CTX("'vehicles': [" OWN("'mileage_km': 120000") "]"));
    ck_assert_int_eq(json_integer_value(json_object_get(res, "score")), 50);
    json_decref(res);

    res = eval(CTX("'vehicles': [" OWN("'mileage_km': 120000") "], 'touchpoints': [" TP(
        "'kind': "
        "'complaint', 'follow_up': {'text': 'x', 'done': false}") "]"));
    ck_assert_int_eq(json_array_size(json_object_get(res, "opportunities")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(res, "score")), 50);
    json_decref(res);

    res = eval(CTX("'touchpoints': [" TP("'kind': 'complaint', 'follow_up': {'text': 'x'}") "]"));
    ck_assert_int_eq(json_integer_value(json_object_get(res, "score")), 0);
    json_decref(res);

    res =
        eval(CTX("'vehicles': [" OWN("'mileage_km': 120000") "," OWN("'id': 'v2', "
                                                                     "'mileage_km': 130000") "]"));
    ck_assert_int_eq(json_integer_value(json_object_get(res, "score")), 100); /* 50 + 54 */
    json_decref(res);
}
END_TEST

/* Thresholds come from the rules given, not from the defaults. */
START_TEST(test_custom_rules)
{
    json_t *ctx = J(CTX("'vehicles': [" OWN("'first_registration': '2023-11-23', "
                                            "'next_service_due': '2026-12-03'") "]"));
    struct rules r;
    json_t *res;

    rules_defaults(&r);
    r.replace_age_years = 3;
    r.service_due_days = 5;
    res = potential_evaluate(ctx, &r, LANG_EN);
    ck_assert_ptr_nonnull(only_of_kind(res, "replacement"));
    ck_assert_ptr_null(only_of_kind(res, "service"));
    json_decref(res);
    r.replace_age_years = 4;
    r.service_due_days = 10;
    res = potential_evaluate(ctx, &r, LANG_EN);
    ck_assert_ptr_null(only_of_kind(res, "replacement"));
    ck_assert_ptr_nonnull(only_of_kind(res, "service"));
    json_decref(res);
    json_decref(ctx);
}
END_TEST

/* ------------------------------------------------------------- robustness */

static const char *const junk_cases[] = {
    "{}",
    "[]",
    "null",
    "42",
    "{'today': null, 'person': null, 'vehicles': null, 'household': null, 'fleets': null, "
    "'touchpoints': null}",
    "{'today': 5, 'person': 'x', 'vehicles': {}, 'household': [], 'fleets': 'y', "
    "'touchpoints': 3}",
    "{'today': '2026-13-45', 'vehicles': [" OWN(
        "'first_registration': '2001-01-01', "
        "'powertrain': 'diesel', 'lease_end': '2026-12-01', 'next_service_due': '2026-11-01'") "]}",
    CTX("'vehicles': [null, 1, 'x', [], {}, {'status': 'scrapped', 'mileage_km': 900000}, "
        "{'mileage_km': '900000', 'first_registration': 2001, 'model_year': '2001', "
        "'lease_end': true, 'next_service_due': 20261201, 'powertrain': ['diesel'], "
        "'relation': 7, 'holder': 'me'}]"),
    CTX("'vehicles': [{'first_registration': '2030-01-01', 'model_year': 2040, "
        "'powertrain': 'diesel'}]"),
    CTX("'household': {'members': [null, 3, {}, {'customer_id': 7, 'birthday': 'yesterday', "
        "'vehicle_count': '0', 'role': 1}, {'customer_id': 'k', 'birthday': '2030-01-01', "
        "'vehicle_count': 0}]}"),
    CTX("'fleets': [null, {}, {'company_id': 'c', 'roles': 'fleet_manager', 'fleet_size': 50},"
        "{'company_id': 'c', 'roles': [null, 3], 'fleet_size': 50}, {'company_id': 1, "
        "'roles': ['fleet_manager'], 'fleet_size': 50}, {'company_id': 'c', 'roles': "
        "['fleet_manager'], 'fleet_size': '50'}]"),
    CTX("'touchpoints': [null, 1, {}, {'satisfaction': '0.1', 'nps': '2', 'occurred_at': "
        "'2026-11-16T10:00:00Z'}, {'satisfaction': 0.1, 'occurred_at': 'last week'}, "
        "{'kind': 'complaint', 'follow_up': 'call back'}, {'kind': 'complaint', 'follow_up': "
        "{'text': 5}}], 'person': {'id': 'p', 'preferences': ['electric']}"),
};

START_TEST(test_junk)
{
    json_t *ctx = J(junk_cases[_i]);
    json_t *res = potential_evaluate(ctx, NULL, LANG_EN);
    char *text = dump(res);

    ck_assert_msg(res && json_integer_value(json_object_get(res, "score")) == 0 &&
                      json_array_size(json_object_get(res, "opportunities")) == 0,
                  "case %d: %s", _i, text);
    free(text);
    json_decref(res);
    json_decref(ctx);
}
END_TEST

/* Extreme numbers neither overflow nor count: only the huge mileage is a finding. */
START_TEST(test_extremes)
{
    json_t *res = eval(CTX("'vehicles': [" OWN(
        "'mileage_km': 9223372036854775807, "
        "'model_year': -9223372036854775807, 'powertrain': "
        "'diesel'") "], "
                    "'fleets': [{'company_id': 'c', 'roles': "
                    "['fleet_manager'], "
                    "'fleet_size': -9223372036854775807}], "
                    "'touchpoints': [" TP("'occurred_at': '2026-11-16T10:00:00Z', "
                                          "'satisfaction': -1e308, "
                                          "'nps': -9223372036854775807") "]"));
    json_t *opps = json_object_get(res, "opportunities");

    ck_assert_int_eq(json_array_size(opps), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(opps, 0), "kind")),
                     "replacement");
    ck_assert_int_eq(json_integer_value(json_object_get(res, "score")), 100);
    json_decref(res);
}
END_TEST

/* A fleet's vehicles show up in its summary only, not one line each. */
START_TEST(test_fleet_vehicles_quiet)
{
    json_t *res =
        eval(CTX(FLEET("['fleet_manager']",
                       "40") ", 'vehicles': [{'id': 'f3', "
                             "'make': 'VW', 'owner_id': 'c', 'relation': 'fleet', 'mileage_km': "
                             "500000, 'powertrain': 'diesel', 'first_registration': '2010-01-01', "
                             "'next_service_due': '2026-01-01', 'lease_end': '2026-12-01'}]"));
    json_t *opps = json_object_get(res, "opportunities");

    ck_assert_int_eq(json_array_size(opps), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(opps, 0), "reason")),
                     "Fleet manager of Wessling Logistik GmbH (40 vehicles): 1 lease ends in "
                     "the next 6 months");
    json_decref(res);
}
END_TEST

/* Sold and scrapped vehicles produce nothing, whatever their data says. */
START_TEST(test_sold)
{
    static const char *const statuses[] = {"sold", "scrapped"};
    char ctx[1024];

    for (int i = 0; i < N(statuses); i++) {
        json_t *res;
        snprintf(ctx, sizeof ctx,
                 CTX(HH(PETRA) ", " FLEET("['fleet_manager']", "5") ", 'vehicles': [%s, %s, %s]"),
                 OWN("'status': '@', 'mileage_km': 300000, 'first_registration': '2001-01-01', "
                     "'powertrain': 'diesel', 'lease_end': '2026-12-01', "
                     "'next_service_due': '2026-11-01'"),
                 PETRA_CAR("'status': '@', 'first_registration': '2001-01-01', "
                           "'powertrain': 'petrol'"),
                 "{'id': 'f', 'owner_id': 'c', 'relation': 'fleet', 'status': '@', "
                 "'mileage_km': 900000}");
        for (char *c = strchr(ctx, '@'); c; c = strchr(ctx, '@')) {
            memmove(c + strlen(statuses[i]), c + 1, strlen(c + 1) + 1);
            memcpy(c, statuses[i], strlen(statuses[i]));
        }
        res = eval(ctx);
        ck_assert_msg(json_array_size(json_object_get(res, "opportunities")) == 1, "%s", ctx);
        ck_assert_ptr_nonnull(only_of_kind(res, "fleet")); /* the company itself, no vehicle due */
        ck_assert_str_eq(json_string_value(json_object_get(only_of_kind(res, "fleet"), "reason")),
                         "Fleet manager of Wessling Logistik GmbH (5 vehicles)");
        json_decref(res);
    }
}
END_TEST

START_TEST(test_null_ctx)
{
    json_t *res = potential_evaluate(NULL, NULL, LANG_EN);

    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(json_integer_value(json_object_get(res, "score")), 0);
    ck_assert_int_eq(json_array_size(json_object_get(res, "opportunities")), 0);
    json_decref(res);
}
END_TEST

/* Without today only the mileage and open complaints can be judged. */
START_TEST(test_no_today)
{
    json_t *res = eval("{'vehicles': [" OWN(
        "'mileage_km': 150000, 'first_registration': "
        "'2001-01-01', 'lease_end': '2026-12-01'") "], 'touchpoints': [" TP("'kind': "
                                                                            "'complaint', "
                                                                            "'follow_up': "
                                                                            "{'text': 'x', "
                                                                            "'done': "
                                                                            "false}") "]}");

    ck_assert_int_eq(json_array_size(json_object_get(res, "opportunities")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(only_of_kind(res, "replacement"), "reason")),
                     "BMW 320d has 150,000 km");
    ck_assert_ptr_nonnull(only_of_kind(res, "retention_risk"));
    json_decref(res);
}
END_TEST

/* Streamed with 5 kept: the same best five, the same count and total as judging all at once. */
START_TEST(test_streamed_keeps_best)
{
    struct rules r;
    char text[256];
    json_t *ctx = J(CTX("'household': null")), *all = json_object(), *vehicles = json_array(), *v;
    json_t *whole, *best;
    struct potential *pt;
    size_t i;

    rules_defaults(&r);
    json_object_update(all, ctx);
    for (i = 0; i < 150; i++) { /* 150 cars, up to 3 opportunities each: pruned on the way */
        snprintf(text, sizeof text, OWN("'id': 'v%03zu', 'mileage_km': %zu, 'lease_end': '2027-0%zu-15',"
                                        " 'powertrain': 'diesel', 'model_year': %zu"),
                 i, 100000 + 1000 * i, 1 + i % 9, 2000 + i % 20);
        json_array_append_new(vehicles, J(text));
    }
    json_object_set_new(all, "vehicles", vehicles);
    whole = potential_evaluate(all, &r, LANG_EN);
    pt = potential_start(ctx, &r, LANG_EN, 5);
    json_array_foreach(vehicles, i, v)
        potential_vehicle(pt, v);
    best = potential_finish(pt);
    ck_assert_int_gt(json_array_size(json_object_get(whole, "opportunities")), 2 * 5 + 64);
    ck_assert_int_eq(json_array_size(json_object_get(best, "opportunities")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(best, "opportunity_count")),
                     (json_int_t)json_array_size(json_object_get(whole, "opportunities")));
    ck_assert_int_eq(json_integer_value(json_object_get(whole, "opportunity_count")),
                     json_integer_value(json_object_get(best, "opportunity_count")));
    ck_assert_int_eq(json_integer_value(json_object_get(best, "score")),
                     json_integer_value(json_object_get(whole, "score")));
    for (i = 0; i < 5; i++)
        ck_assert(json_equal(json_array_get(json_object_get(best, "opportunities"), i),
                             json_array_get(json_object_get(whole, "opportunities"), i)));
    json_decref(whole);
    json_decref(best);
    json_decref(all);
    json_decref(ctx);
}
END_TEST

/* Counts the card takes from SQL stand for the fleet vehicles it no longer passes. */
START_TEST(test_fleet_counts_given)
{
    json_t *res = eval(CTX("'fleets': [{'company_id': 'c', 'company_name': 'Wessling Logistik GmbH',"
                           " 'roles': ['fleet_manager'], 'fleet_size': 2500, 'leases_due': 1250,"
                           " 'replacements_due': 1250}]"));

    ck_assert_str_eq(json_string_value(json_object_get(only_of_kind(res, "fleet"), "reason")),
                     "Fleet manager of Wessling Logistik GmbH (2500 vehicles): 1250 leases end in "
                     "the next 6 months and 1250 cars are due for replacement");
    ck_assert_int_eq(json_integer_value(json_object_get(only_of_kind(res, "fleet"), "score")), 100);
    json_decref(res);
}
END_TEST

/* Whether the rules find an opportunity of kind for one own car given as members. */
static int
finds(const char *today, const char *members, const char *kind)
{
    char text[512];
    json_t *res, *o;
    size_t i;
    int found = 0;

    snprintf(text, sizeof text, "{'today': '%s', 'person': {'id': 'p'}, 'vehicles': [" OWN("%s") "]}",
             today, members);
    res = eval(text);
    json_array_foreach(json_object_get(res, "opportunities"), i, o)
        found |= !strcmp(json_string_value(json_object_get(o, "kind")), kind);
    json_decref(res);
    return found;
}

/* The SQL cutoffs say due exactly where the rules do, 29 February and month ends included. */
START_TEST(test_cutoffs_match_the_rules)
{
    static const char *const todays[] = { "2026-11-23", "2028-02-28", "2028-02-29", "2027-02-28",
                                          "2027-03-01", "2026-01-31", "2026-08-31" };
    const char *today = todays[_i];
    struct potential_cutoffs c;
    struct rules r;
    char members[128], day[11];
    int y, m, d;
    long k, at;

    rules_defaults(&r);
    ck_assert_int_eq(potential_cutoffs(today, &r, &c), 0);
    datetime_parse_date(c.registered_by, &y, &m, &d);
    at = datetime_days_from_civil(y, m, d);
    for (k = at - 3; k <= at + 3; k++) {
        datetime_format_date(k, day);
        snprintf(members, sizeof members, "'first_registration': '%s'", day);
        ck_assert_msg(finds(today, members, "replacement") == (strcmp(day, c.registered_by) <= 0),
                      "today %s, registered %s, cutoff %s", today, day, c.registered_by);
    }
    for (k = c.year_by - 1; k <= c.year_by + 1; k++) {
        snprintf(members, sizeof members, "'model_year': %ld", k);
        ck_assert_int_eq(finds(today, members, "replacement"), k <= c.year_by);
    }
    datetime_parse_date(c.lease_from, &y, &m, &d);
    at = datetime_days_from_civil(y, m, d);
    for (k = at - 1; k <= at + 1; k++) {
        datetime_format_date(k, day);
        snprintf(members, sizeof members, "'lease_end': '%s'", day);
        ck_assert_int_eq(finds(today, members, "lease_end"), strcmp(day, c.lease_from) >= 0);
    }
    datetime_parse_date(c.lease_to, &y, &m, &d);
    at = datetime_days_from_civil(y, m, d);
    for (k = at - 1; k <= at + 1; k++) {
        datetime_format_date(k, day);
        snprintf(members, sizeof members, "'lease_end': '%s'", day);
        ck_assert_int_eq(finds(today, members, "lease_end"), strcmp(day, c.lease_to) <= 0);
    }
    ck_assert_int_eq(potential_cutoffs("23.11.2026", &r, &c), -1);
}
END_TEST

Suite *
potential_suite(void)
{
    Suite *s = suite_create("potential");
    TCase *tc;

    tc = tcase_create("rules");
    tcase_add_loop_test(tc, test_rule, 0, N(rule_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("german");
    tcase_add_loop_test(tc, test_rule_de, 0, N(german_cases));
    tcase_add_test(tc, test_fleet_one_month_de);
    suite_add_tcase(s, tc);

    tc = tcase_create("shape");
    tcase_add_test(tc, test_ids);
    tcase_add_test(tc, test_order);
    tcase_add_test(tc, test_total);
    tcase_add_test(tc, test_custom_rules);
    tcase_add_test(tc, test_fleet_vehicles_quiet);
    tcase_add_test(tc, test_sold);
    suite_add_tcase(s, tc);

    tc = tcase_create("streamed");
    tcase_add_test(tc, test_streamed_keeps_best);
    tcase_add_test(tc, test_fleet_counts_given);
    tcase_add_loop_test(tc, test_cutoffs_match_the_rules, 0, 7);
    suite_add_tcase(s, tc);

    tc = tcase_create("robustness");
    tcase_add_loop_test(tc, test_junk, 0, N(junk_cases));
    tcase_add_test(tc, test_null_ctx);
    tcase_add_test(tc, test_extremes);
    tcase_add_test(tc, test_no_today);
    suite_add_tcase(s, tc);

    return s;
}
