/*
 * greeting: GET /v1/greeting — the card the desk reads when a customer
 * walks up. Resolves what was typed (plate, VIN, phone, e-mail, customer or
 * vehicle id) to one person (404 with how to create them, 300 with
 * candidates when several match), and a customer id with a vehicle id to
 * that person with that car (422 when it is not theirs), then assembles
 * the card from store_greeting_context,
 * the latest journey, the contact facts and the pure rules. The greeting
 * line speaks the customer's language; alerts, reasons and details the
 * staff's (Accept-Language, req->lang, msg.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contact_policy.h"
#include "datetime.h"
#include "greeting_plate.h"
#include "handlers.h"
#include "msg.h"
#include "normalize.h"
#include "phone.h"
#include "potential.h"
#include "resource.h"
#include "rules.h"
#include "store_util.h"
#include "salutation.h"

#define GREETING_TOUCHPOINTS 10 /* shown on the card */
/*
 * Lists of the card that grow with a fleet or a collector's garage show at
 * most this many (all are counted): a member's vehicles, a fleet's due
 * vehicles, the opportunities. A 2,000-car fleet stays a few KB.
 */
#define GREETING_LISTED 20

static const char *const lookups[] = { "plate", "vin", "phone", "email", "customer_id",
                                       "vehicle_id", NULL };

/*
 * Which lookup was given and its normalised key; exactly one is required,
 * except that vehicle_id may come with customer_id: that customer's card
 * with that car (by is "customer_id", vehicle gets the car's id).
 * Otherwise vehicle is "".
 */
static int
lookup_key(const struct request *req, const char **by, char *key, size_t keysz,
           char vehicle[UTIL_UUID_LEN + 1], struct problem *p)
{
    const char *v = NULL;
    int given = 0, ok;

    vehicle[0] = '\0';
    for (const char *const *l = lookups; *l; l++)
        if (request_query(req, *l)) {
            *by = *l;
            v = request_query(req, *l);
            given++;
        }
    if (given == 2 && request_query(req, "customer_id") && request_query(req, "vehicle_id")) {
        if (store_norm_id(request_query(req, "vehicle_id"), vehicle, UTIL_UUID_LEN + 1) != 0) {
            problem_set(p, PROBLEM_BAD_REQUEST,
                        "query parameter 'vehicle_id' is not a valid id (UUID)");
            return -1;
        }
        *by = "customer_id";
        v = request_query(req, "customer_id");
        given = 1;
    }
    if (given != 1) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "give exactly one of plate, vin, phone, email, customer_id or vehicle_id, or "
                    "customer_id with vehicle_id (got %d)", given);
        return -1;
    }
    if (!strcmp(*by, "plate"))
        ok = normalize_plate(v, key, keysz) == 0;
    else if (!strcmp(*by, "vin"))
        ok = normalize_vin_suffix(v, key, keysz) == 0;
    else if (!strcmp(*by, "phone"))
        ok = phone_parse_default(v, key, keysz, NULL) == 0;
    else if (!strcmp(*by, "email"))
        ok = normalize_email(v, key, keysz) == 0;
    else
        ok = store_norm_id(v, key, keysz) == 0;
    if (!ok) {
        problem_set(p, PROBLEM_BAD_REQUEST, "query parameter '%s' is not a valid %s", *by,
                    !strcmp(*by, "vin") ? "VIN or VIN tail (6-17 characters)"
                    : !strcmp(*by, "customer_id") || !strcmp(*by, "vehicle_id") ? "id (UUID)"
                                                                                  : *by);
        return -1;
    }
    return 0;
}

/* 404 in the staff's language, with how to create the customer (and the car or contact). */
static void
not_found(struct problem *p, const char *by, const char *input, const char *key)
{
    char detail[PROBLEM_DETAIL_MAX];
    const char *then = "";

    if (!strcmp(by, "vehicle_id")) { /* every car has an owner: it is the car that is missing */
        msg_format(p->lang, MSG_GREETING_NO_VEHICLE, detail, sizeof detail, key);
        problem_set_localized(p, PROBLEM_NOT_FOUND, detail);
        return;
    }
    if (!strcmp(by, "plate") || !strcmp(by, "vin"))
        then = msg_text(p->lang, MSG_GREETING_NOT_FOUND_CAR);
    else if (strcmp(by, "customer_id") != 0)
        then = msg_text(p->lang, MSG_GREETING_NOT_FOUND_CONTACT);
    msg_format(p->lang, MSG_GREETING_NOT_FOUND, detail, sizeof detail,
               msg_label(p->lang, MSG_LOOKUPS, by), input, key, then);
    problem_set_localized(p, PROBLEM_NOT_FOUND, detail);
}

/* Distinct customer ids of the resolved pairs. */
static size_t
distinct_customers(const json_t *pairs)
{
    size_t i, j, n = 0;
    for (i = 0; i < json_array_size(pairs); i++) {
        const char *c = json_string_value(json_object_get(json_array_get(pairs, i), "customer_id"));
        for (j = 0; j < i; j++)
            if (!strcmp(c, json_string_value(json_object_get(json_array_get(pairs, j), "customer_id"))))
                break;
        n += j == i;
    }
    return n;
}

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static long
day_number(const char *date)
{
    int y, m, d;
    return date && datetime_parse_date(date, &y, &m, &d) == 0 ? datetime_days_from_civil(y, m, d)
                                                              : LONG_MIN;
}

/* 29 February is celebrated on the 28th in common years. */
static int
leap_day(int year, int m, int d)
{
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return m == 2 && d == 29 && !leap ? 28 : d;
}

/* Birthday hint: {date, age, today, this_week (within the next 7 days), next} or null. */
static json_t *
birthday_hint(const char *birthday, const char *today)
{
    int by, bm, bd, ty, tm, td;
    long t, next;
    char next_s[11];

    if (!birthday || datetime_parse_date(birthday, &by, &bm, &bd) || datetime_parse_date(today, &ty, &tm, &td))
        return json_null();
    t = datetime_days_from_civil(ty, tm, td);
    next = datetime_days_from_civil(ty, bm, leap_day(ty, bm, bd));
    if (next < t)
        next = datetime_days_from_civil(ty + 1, bm, leap_day(ty + 1, bm, bd));
    datetime_format_date(next, next_s);
    return json_pack("{s:s, s:i, s:b, s:b, s:s}", "date", birthday, "turns",
                     (int)(next - t > 366 ? 0 : atoi(next_s) - by), "today", next == t, "this_week",
                     next - t < 7, "next", next_s);
}

/* One-line summary of a vehicle for the household list ("MINI Cooper SE, bought here 2026-10"). */
static json_t *
vehicle_brief(const json_t *v, enum lang lang)
{
    char line[256], month[16], here[48] = "";
    const char *acq = str(v, "acquired_at");
    const char *status = str(v, "status");
    int gone = status && strcmp(status, "active");

    if (json_is_true(json_object_get(v, "bought_from_us")) && acq) {
        msg_month(lang, acq, month, sizeof month);
        msg_format(lang, MSG_BOUGHT_HERE, here, sizeof here, month);
    }
    snprintf(line, sizeof line, "%s%s%s%s%s%s", str(v, "make") ? str(v, "make") : "",
             str(v, "model") ? " " : "", str(v, "model") ? str(v, "model") : "", here,
             gone ? ", " : "", gone ? msg_label(lang, MSG_VEHICLE_STATUSES, status) : "");
    return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s}", "id", json_object_get(v, "id"),
                     "plate", json_object_get(v, "plate"), "vin", json_object_get(v, "vin"), "make",
                     json_object_get(v, "make"), "model", json_object_get(v, "model"), "status",
                     json_object_get(v, "status"), "relation", json_object_get(v, "relation"),
                     "summary", line);
}

/* Household members each with their vehicles (the first GREETING_LISTED they hold, as the
 * store lists them; all counted in vehicles_count by the store). */
static json_t *
household_section(const json_t *ctx, enum lang lang)
{
    json_t *hh = json_object_get(ctx, "household"), *out, *members, *m, *v;
    size_t i, j;

    if (!json_is_object(hh))
        return json_null();
    out = json_deep_copy(hh);
    members = json_object_get(out, "members");
    json_array_foreach(members, i, m)
    {
        json_t *list = json_array();
        json_array_foreach(json_object_get(ctx, "vehicles"), j, v)
        {
            const char *holder = str(json_object_get(v, "holder"), "customer_id");
            if (strcmp(str(v, "relation"), "fleet") && holder && !strcmp(holder, str(m, "customer_id")))
                json_array_append_new(list, vehicle_brief(v, lang));
        }
        json_object_set_new(m, "vehicles", list);
    }
    return out;
}

/* Fleets with the vehicles due for replacement, lease end or service (the first GREETING_LISTED
 * as the store lists them; all counted in due_count by the store). */
static json_t *
fleets_section(const json_t *ctx, const char *today, const struct rules *r, enum lang lang)
{
    json_t *out = json_deep_copy(json_object_get(ctx, "fleets")), *f, *v;
    long t = day_number(today);
    size_t i, j;

    json_array_foreach(out, i, f)
    {
        json_t *due = json_array();
        json_object_del(f, "leases_due"); /* the potential's */
        json_object_del(f, "replacements_due");
        json_array_foreach(json_object_get(ctx, "vehicles"), j, v)
        {
            char why[128] = "", date[MSG_DATE_MAX];
            long lease = day_number(str(v, "lease_end")), service = day_number(str(v, "next_service_due"));
            if (strcmp(str(v, "relation"), "fleet") ||
                strcmp(str(json_object_get(v, "holder"), "customer_id"), str(f, "company_id")))
                continue;
            if (lease != LONG_MIN && lease - t >= -31 && lease - t <= 31L * r->lease_end_months) {
                msg_date(lang, str(v, "lease_end"), date, sizeof date);
                msg_format(lang, MSG_DUE_LEASE, why, sizeof why, date);
            } else if (service != LONG_MIN && service - t <= r->service_due_days) {
                msg_date(lang, str(v, "next_service_due"), date, sizeof date);
                msg_format(lang, MSG_DUE_SERVICE, why, sizeof why, date);
            } else {
                msg_format(lang, MSG_DUE_REPLACEMENT, why, sizeof why);
            }
            json_t *b = vehicle_brief(v, lang);
            json_object_set_new(b, "why", json_string(why));
            json_array_append_new(due, b);
        }
        json_object_set_new(f, "due", due);
    }
    return out;
}

/* Relationship figures plus vehicle counts of household (active own and household cars) and fleets. */
static json_t *
relationship_section(const json_t *ctx, const char *today, json_int_t household)
{
    json_t *rel = json_deep_copy(json_object_get(ctx, "relationship")), *f;
    long since = day_number(str(rel, "customer_since")), t = day_number(today);
    json_int_t fleet = 0;
    size_t i;

    json_array_foreach(json_object_get(ctx, "fleets"), i, f)
        fleet += json_integer_value(json_object_get(f, "fleet_size"));
    json_object_set_new(rel, "years", since == LONG_MIN ? json_null() : json_integer((t - since) / 365));
    json_object_set_new(rel, "vehicles_in_household", json_integer(household));
    json_object_set_new(rel, "vehicles_in_fleets", json_integer(fleet));
    return rel;
}

static void
alert(json_t *alerts, const char *code, const char *severity, const char *message)
{
    json_array_append_new(alerts, json_pack("{s:s, s:s, s:s}", "code", code, "severity", severity,
                                            "message", message));
}

/* What staff must know before speaking, in their language. */
static json_t *
alerts_section(const json_t *ctx, const json_t *birthday, const struct rules *r, enum lang lang)
{
    json_t *alerts = json_array(), *tp, *person = json_object_get(ctx, "person");
    long t = day_number(str(ctx, "today"));
    char msg[512];
    int poor_seen = 0;
    size_t i;

    if (json_is_true(json_object_get(person, "do_not_contact")))
        alert(alerts, "do_not_contact", "warning", msg_text(lang, MSG_ALERT_DO_NOT_CONTACT));
    json_array_foreach(json_object_get(ctx, "touchpoints"), i, tp)
    {
        json_t *sat = json_object_get(tp, "satisfaction"), *nps = json_object_get(tp, "nps");
        json_t *fu = json_object_get(tp, "follow_up");
        char day[11] = "", date[MSG_DATE_MAX], sat_s[16], nps_s[16], kind[64];
        long when;

        snprintf(day, sizeof day, "%s", str(tp, "occurred_at") ? str(tp, "occurred_at") : "");
        when = day_number(day);
        msg_date(lang, day, date, sizeof date);
        if (!strcmp(str(tp, "kind"), "complaint") &&
            (json_is_object(fu) ? !json_is_true(json_object_get(fu, "done")) : !fu || json_is_null(fu))) {
            /* open until a follow-up is marked done, as the contact policy counts it */
            const char *text = json_is_object(fu) ? str(fu, "text") : str(tp, "summary");
            msg_format(lang, MSG_ALERT_OPEN_COMPLAINT, msg, sizeof msg, date,
                       text ? text : msg_text(lang, MSG_NO_FOLLOW_UP));
            alert(alerts, "open_complaint", "critical", msg);
        }
        if (!poor_seen && when != LONG_MIN && t - when <= r->poor_experience_days &&
            ((json_is_number(sat) && json_number_value(sat) < r->poor_satisfaction) ||
             (json_is_integer(nps) && json_integer_value(nps) <= 6))) {
            poor_seen = 1;
            snprintf(sat_s, sizeof sat_s, "%s", msg_text(lang, MSG_NOT_AVAILABLE));
            snprintf(nps_s, sizeof nps_s, "%s", msg_text(lang, MSG_NOT_AVAILABLE));
            if (json_is_number(sat))
                msg_decimal(lang, json_number_value(sat), sat_s, sizeof sat_s);
            if (json_is_integer(nps))
                snprintf(nps_s, sizeof nps_s, "%d", (int)json_integer_value(nps));
            msg_kind(lang, str(tp, "kind"), 1, kind, sizeof kind); /* "Last service visit" */
            msg_format(lang, MSG_ALERT_POOR_EXPERIENCE, msg, sizeof msg, kind, date, sat_s, nps_s);
            alert(alerts, "poor_experience", "critical", msg);
        }
    }
    if (json_is_true(json_object_get(birthday, "today")))
        alert(alerts, "birthday", "info", msg_text(lang, MSG_ALERT_BIRTHDAY_TODAY));
    else if (json_is_true(json_object_get(birthday, "this_week")))
        alert(alerts, "birthday", "info", msg_text(lang, MSG_ALERT_BIRTHDAY_WEEK));
    return alerts;
}

/*
 * The desk vehicle with its relation to person id and days until service
 * and lease end (read: the card's lists hold only a few of a fleet). NULL
 * with p set when there is no such car (404) or it is none of the
 * person's (422).
 */
static json_t *
desk_vehicle(struct request *req, const json_t *ctx, const char *id, const char *vehicle_id,
             struct problem *p)
{
    json_t *v = NULL;
    long t = day_number(str(ctx, "today")), d;
    char detail[PROBLEM_DETAIL_MAX];

    if (!vehicle_id)
        return json_null();
    if (store_greeting_vehicle(req->db, id, vehicle_id, &v, p) != 0)
        return NULL;
    if (!v) {
        msg_format(req->lang, MSG_GREETING_NO_VEHICLE, detail, sizeof detail, vehicle_id);
        problem_set_localized(p, PROBLEM_NOT_FOUND, detail);
        return NULL;
    }
    if (!str(v, "relation")) {
        msg_format(req->lang, MSG_GREETING_NOT_THEIR_CAR, detail, sizeof detail, vehicle_id, id,
                   vehicle_id);
        problem_set_localized(p, PROBLEM_UNPROCESSABLE, detail);
        json_decref(v);
        return NULL;
    }
    d = day_number(str(v, "next_service_due"));
    json_object_set_new(v, "service_due_in_days", d == LONG_MIN ? json_null() : json_integer(d - t));
    d = day_number(str(v, "lease_end"));
    json_object_set_new(v, "lease_ends_in_days", d == LONG_MIN ? json_null() : json_integer(d - t));
    return v;
}

/* Outbound contact right now, per consent channel, for purpose (pure: the facts are loaded). */
static json_t *
contact_section(const json_t *facts, const char *purpose, const struct rules *r, enum lang lang)
{
    static const char *const channels[] = { "phone", "email", "sms", "post" };
    json_t *out = json_object();

    for (size_t i = 0; i < 4; i++)
        json_object_set_new(out, channels[i],
                            contact_policy_evaluate(facts, channels[i], purpose, r, lang));
    return out;
}

/*
 * The context the rules judge: the card's touchpoints plus poor
 * experiences of the rules' window that are older than the ten shown,
 * newest first, so an alert never depends on how busy the customer was.
 */
static json_t *
evaluation_context(const json_t *ctx, const json_t *facts)
{
    json_t *eval = json_copy((json_t *)ctx), *all = json_array(), *tp;
    size_t i, j;

    json_array_extend(all, json_object_get(ctx, "touchpoints"));
    json_array_foreach(json_object_get(facts, "poor"), i, tp)
    {
        json_t *seen;
        int found = 0;
        json_array_foreach(all, j, seen)
            found |= str(seen, "id") && str(tp, "id") && !strcmp(str(seen, "id"), str(tp, "id"));
        if (found)
            continue;
        /* insert by occurred_at, newest first (the lists are short) */
        for (j = 0; j < json_array_size(all); j++)
            if (str(json_array_get(all, j), "occurred_at") &&
                strcmp(str(json_array_get(all, j), "occurred_at"), str(tp, "occurred_at")) < 0)
                break;
        json_array_insert(all, j, tp);
    }
    json_object_set_new(eval, "touchpoints", all);
    return eval;
}

static void
judge_vehicle(const json_t *v, void *pt)
{
    potential_vehicle(pt, v);
}

/*
 * The potential with its best GREETING_LISTED opportunities, all counted in
 * opportunity_count: every active own and household car is judged as the
 * store streams it, fleets by the counts in eval. *household: those cars.
 */
static int
potential_section(struct request *req, const char *id, const json_t *eval, const struct rules *r,
                  json_t **out, json_int_t *household, struct problem *p)
{
    struct potential *pt = potential_start(eval, r, req->lang, GREETING_LISTED);
    int rc = store_greeting_circle_each(req->db, id, judge_vehicle, pt, household, p);

    *out = potential_finish(pt);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* Local date and hour of the desk (TZ is set at start from --timezone). */
static void
local_now(char today[11], int *hour)
{
    time_t now = util_now();
    struct tm tm;

    localtime_r(&now, &tm);
    datetime_format_date(datetime_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), today);
    *hour = tm.tm_hour;
}

static int
card(struct request *req, struct response *res, const char *id, const char *vehicle_id,
     json_t *recognized)
{
    const struct rules *r = rules_current();
    struct problem *p = &res->problem;
    json_t *ctx = NULL, *person, *bday, *vehicle = NULL, *journey = NULL, *facts = NULL, *eval = NULL;
    json_t *sales, *potential = NULL, *out;
    json_int_t household = 0;
    char today[11], line[512];
    int hour;

    local_now(today, &hour);
    if (store_greeting_context(req->db, id, r, today, GREETING_TOUCHPOINTS, GREETING_LISTED, &ctx, p) != 0 ||
        !(vehicle = desk_vehicle(req, ctx, id, vehicle_id, p)) ||
        store_journey_latest(req->db, id, &journey, p) != 0 ||
        store_contact_facts(req->db, id, r, &facts, p) != 0 ||
        potential_section(req, id, (eval = evaluation_context(ctx, facts)), r, &potential, &household,
                          p) != 0) {
        json_decref(ctx);
        json_decref(vehicle);
        json_decref(journey);
        json_decref(facts);
        json_decref(eval);
        json_decref(recognized);
        return -1;
    }
    store_rollback(req->db); /* end the read snapshot */
    person = json_object_get(ctx, "person");
    bday = birthday_hint(str(person, "birthday"), today);
    salutation_greeting(person, hour, line, sizeof line);
    /* the purposes a desk meets; contact_policy stays the sales verdicts for older clients */
    sales = contact_section(facts, "sales", r, req->lang);
    /* the greeting speaks the customer's language; everything else the staff's (req->lang) */
    out = json_pack("{s:s, s:O, s:o, s:O, s:o, s:o, s:o, s:o, s:o, s:O, s:o, s:o, s:o, s:O,"
                    " s:{s:o, s:o}}",
                    "greeting", line, "language", json_object_get(person, "language"),
                    "recognized_by", recognized, "customer", person, "birthday", bday, "vehicle", vehicle,
                    "relationship", relationship_section(ctx, today, household), "household",
                    household_section(ctx, req->lang), "fleets",
                    fleets_section(ctx, today, r, req->lang), "touchpoints",
                    json_object_get(ctx, "touchpoints"), "journey", journey, "alerts",
                    alerts_section(eval, bday, r, req->lang), "potential", potential,
                    "contact_policy", sales, "contact_policy_by_purpose", "sales", sales, "service",
                    contact_section(facts, "service", r, req->lang));
    json_decref(eval);
    json_decref(facts);
    json_decref(ctx);
    res->localized = 1;
    return response_json(res, 200, out);
}

/* How the input was recognised, for the desk ("plate without spaces and hyphens"). */
static json_t *
recognized_by(const char *by, const char *input, const char *key, enum lang lang)
{
    const char *how = !strcmp(by, "vin") && strlen(key) < 17 ? msg_text(lang, MSG_HOW_VIN_TAIL)
                      : !strcmp(by, "phone")                 ? msg_text(lang, MSG_HOW_PHONE)
                      : !strcmp(by, "email")                 ? msg_text(lang, MSG_HOW_EMAIL)
                                                             : msg_text(lang, MSG_HOW_EXACT);
    return json_pack("{s:s, s:s, s:s, s:s}", "by", by, "input", input, "normalized", key, "how", how);
}

/* 300 Multiple Choices: never a silent pick between several persons. */
static int
multiple_choices(struct request *req, struct response *res, const json_t *pairs)
{
    json_t *candidates;

    if (store_greeting_candidates(req->db, pairs, &candidates, &res->problem) != 0)
        return -1;
    res->localized = 1;
    return response_json(res, 300, json_pack("{s:s, s:o}", "detail",
                                              msg_text(req->lang, MSG_GREETING_CHOOSE),
                                              "candidates", candidates));
}

/* The pairs of what was typed; a plate (plate set) by its keys, past plates included. */
static int
resolve(struct request *req, const char *by, const char *key, struct greeting_plate *plate,
        json_t **pairs, struct problem *p)
{
    struct plate_keys keys;

    if (strcmp(by, "plate") != 0) {
        plate->pairs = NULL;
        return store_greeting_resolve(req->db, by, key, pairs, p);
    }
    /* normalize_plate accepted it; a form too long for a key finds nothing */
    normalize_plate_keys(request_query(req, "plate"), &keys);
    if (greeting_plate_resolve(req->db, request_query(req, "plate"), &keys, plate, p) != 0)
        return -1;
    *pairs = json_incref(plate->pairs);
    return 0;
}

HANDLER(greeting_get)
{
    struct problem *p = &res->problem;
    const char *by = NULL, *vid = NULL;
    char key[NORMALIZE_EMAIL_MAX], id[UTIL_UUID_LEN + 1], vehicle[UTIL_UUID_LEN + 1];
    struct greeting_plate plate = { 0 };
    json_t *pairs, *recognized;
    size_t n;
    int rc;

    if (request_check_query(req, lookups, p) != 0 ||
        lookup_key(req, &by, key, sizeof key, vehicle, p) != 0)
        return -1;
    /* One snapshot from the lookup to the card: the car found is still the person's. */
    if (store_begin_read(req->db, p) != 0 || resolve(req, by, key, &plate, &pairs, p) != 0)
        return -1;
    n = distinct_customers(pairs);
    if (n != 1) {
        rc = n ? multiple_choices(req, res, pairs) : (not_found(p, by, request_query(req, by), key), -1);
        json_decref(pairs);
        json_decref(plate.pairs);
        return rc;
    }
    snprintf(id, sizeof id, "%s", str(json_array_get(pairs, 0), "customer_id"));
    if (vehicle[0])
        vid = vehicle; /* customer_id with vehicle_id */
    for (size_t i = 0; i < json_array_size(pairs) && !vid; i++) {
        if (str(json_array_get(pairs, i), "vehicle_id")) {
            snprintf(vehicle, sizeof vehicle, "%s", str(json_array_get(pairs, i), "vehicle_id"));
            vid = vehicle;
        }
    }
    recognized = plate.pairs ? greeting_plate_recognized(request_query(req, by), &plate, req->lang)
                             : recognized_by(by, request_query(req, by), key, req->lang);
    json_decref(pairs);
    json_decref(plate.pairs);
    return card(req, res, id, vid, recognized);
}
