/*
 * test_opportunities: purchase potential and forms of address through
 * GET /v1/greeting, on servers with a fixed clock (CRMD_FAKE_NOW) in
 * Europe/Berlin. Every rule just below and at its threshold, the total,
 * a rules file that moves a threshold or stops the start, and every
 * greeting form at the hours where the words change.
 */
#define _DEFAULT_SOURCE /* timegm, mkdtemp, setenv */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define ID_LEN 40
#define TZ_ENV "CRMD_TIMEZONE=Europe/Berlin"

/* The rules' clock: Friday 2026-05-15 12:00 in Berlin (10:00 UTC). Dates below are relative to it. */
#define TODAY_Y 2026
#define TODAY_M 5
#define TODAY_D 15
#define NOON_NOW "CRMD_FAKE_NOW=1778839200"

static const char *const noon_env[] = { NOON_NOW, TZ_ENV, NULL };
/* 00:30 in Berlin on 2026-05-15 is still 2026-05-14 in UTC: "today" must be the local date. */
static const char *const midnight_env[] = { "CRMD_FAKE_NOW=1778797800", TZ_ENV, NULL };

static void
start_noon(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, noon_env);
}

static void
start_midnight(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, midnight_env);
}

/* Today + years, months and days as "YYYY-MM-DD" (16 rotating slots). Today is the 15th, so
 * adding months never meets a month end. */
static const char *
day_rel(int years, int months, int days)
{
    static char slots[16][16];
    static unsigned next;
    char *s = slots[next++ % 16];
    struct tm tm = { 0 };
    time_t t;

    tm.tm_year = TODAY_Y + years - 1900;
    tm.tm_mon = TODAY_M - 1 + months;
    tm.tm_mday = TODAY_D + days;
    tm.tm_hour = 12;
    t = timegm(&tm);
    gmtime_r(&t, &tm);
    strftime(s, 16, "%Y-%m-%d", &tm);
    return s;
}

/* tmpl with every token replaced by value, into out (n bytes). */
static void
subst(const char *tmpl, const char *token, const char *value, char *out, size_t n)
{
    size_t o = 0, tl = strlen(token), vl = strlen(value);

    while (*tmpl) {
        if (!strncmp(tmpl, token, tl)) {
            ck_assert_uint_lt(o + vl, n);
            memcpy(out + o, value, vl);
            o += vl;
            tmpl += tl;
        } else {
            ck_assert_uint_lt(o + 1, n);
            out[o++] = *tmpl++;
        }
    }
    out[o] = '\0';
}

static void
new_customer(char out[ID_LEN], const char *members)
{
    char body[1536];

    snprintf(body, sizeof body, "{%s}", members);
    snprintf(out, ID_LEN, "%s", create_ok("/v1/customers", body));
}

static void
new_vehicle(char out[ID_LEN], const char *owner, const char *members)
{
    char body[1536];

    snprintf(body, sizeof body, "{\"owner_id\":\"%s\",%s}", owner, members);
    snprintf(out, ID_LEN, "%s", create_ok("/v1/vehicles", body));
}

/* A touchpoint of customer on day (10:00 UTC) with members. */
static void
new_touchpoint(const char *customer, const char *day, const char *members)
{
    char body[1536];

    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"occurred_at\":\"%sT10:00:00Z\",%s}",
             customer, day, members);
    create_ok("/v1/touchpoints", body);
}

static void
put_ok(const char *path, const char *body)
{
    struct reply r;

    http_json("PUT", path, body, &r);
    ck_assert_msg(r.status == 200 || r.status == 201, "PUT %s → %ld: %s", path, r.status, r.body);
    reply_free(&r);
}

static void
join(const char *household, const char *customer, const char *role)
{
    put_ok(pathf("/v1/households/%s/members/%s", household, customer),
           pathf("{\"role\":\"%s\"}", role));
}

static void
new_household(char out[ID_LEN], const char *head)
{
    snprintf(out, ID_LEN, "%s", create_ok("/v1/households", "{\"name\":\"Familie Potenzial\"}"));
    join(out, head, "head");
}

static json_t *
card_of(const char *customer)
{
    return fetch(pathf("/v1/greeting?customer_id=%s", customer));
}

/* The card's opportunities (borrowed). */
static json_t *
opps(const json_t *card)
{
    json_t *list = json_object_get(json_object_get(card, "potential"), "opportunities");

    ck_assert_msg(json_is_array(list), "card without potential.opportunities");
    return list;
}

static long
total(const json_t *card)
{
    json_t *s = json_object_get(json_object_get(card, "potential"), "score");

    ck_assert_msg(json_is_integer(s), "card without an integer potential.score");
    return (long)json_integer_value(s);
}

/* The opportunities as text for failure messages (static). */
static const char *
opps_text(const json_t *card)
{
    static char buf[4096];
    char *s = json_dumps(opps(card), JSON_COMPACT);

    snprintf(buf, sizeof buf, "%s", s ? s : "(null)");
    free(s);
    return buf;
}

/* The first opportunity of kind concerning customer (NULL: any), or NULL (borrowed). */
static json_t *
find_opp(const json_t *card, const char *kind, const char *customer)
{
    json_t *o;
    size_t i;

    json_array_foreach(opps(card), i, o)
    {
        if (!strcmp(sget(o, "kind"), kind) &&
            (!customer || (sget(o, "customer_id") && !strcmp(sget(o, "customer_id"), customer))))
            return o;
    }
    return NULL;
}

/* o has this kind, reason and score; vehicle NULL means vehicle_id null. */
static void
check_opp(const json_t *card, const json_t *o, const char *kind, const char *reason, long score,
          const char *vehicle, const char *customer)
{
    ck_assert_msg(o != NULL, "no %s opportunity \"%s\" in %s", kind, reason, opps_text(card));
    ck_assert_str_eq(sget(o, "kind"), kind);
    ck_assert_str_eq(sget(o, "reason"), reason);
    ck_assert_int_eq(json_integer_value(json_object_get(o, "score")), score);
    if (vehicle)
        ck_assert_str_eq(sget(o, "vehicle_id"), vehicle);
    else
        ck_assert(json_is_null(json_object_get(o, "vehicle_id")));
    ck_assert_str_eq(sget(o, "customer_id"), customer);
}

static void
check_none(const json_t *card, int row)
{
    ck_assert_msg(json_array_size(opps(card)) == 0, "row %d: want no opportunity, got %s", row,
                  opps_text(card));
    ck_assert_int_eq(total(card), 0);
}

/* ---- one own vehicle: replacement, lease end, service, electric switch, sold ---- */

#define GOLF "\"make\":\"VW\",\"model\":\"Golf\","
#define PASSAT "\"make\":\"VW\",\"model\":\"Passat\","
#define ASTRA "\"make\":\"Opel\",\"model\":\"Astra\","

/*
 * A person with one vehicle. "{date}" in fields and reason is today + years/months/days,
 * "{old}" today ten years ago. kind NULL: no opportunity at all.
 */
static const struct vcase {
    const char *fields;
    int years, months, days;
    const char *kind, *reason;
    int score;
} vcases[] = {
    /* replacement by age: 6 years minus a day, exactly 6 years; model_year as the year difference */
    { GOLF "\"plate\":\"M-RA 1\",\"first_registration\":\"{date}\"", -6, 0, 1, NULL, NULL, 0 },
    { GOLF "\"plate\":\"M-RA 2\",\"first_registration\":\"{date}\"", -6, 0, 0, "replacement",
      "VW Golf (M-RA 2) is 6 years old", 50 },
    { GOLF "\"plate\":\"M-RA 3\",\"model_year\":2021", 0, 0, 0, NULL, NULL, 0 },
    { GOLF "\"plate\":\"M-RA 4\",\"model_year\":2020", 0, 0, 0, "replacement",
      "VW Golf (M-RA 4) is 6 years old", 50 },
    /* first_registration wins over model_year */
    { GOLF "\"plate\":\"M-RA 5\",\"model_year\":2010,\"first_registration\":\"{date}\"", -6, 0, 1,
      NULL, NULL, 0 },
    /* the score grows with the age, at most 100 */
    { GOLF "\"plate\":\"M-RA 6\",\"first_registration\":\"{date}\"", -9, 0, 0, "replacement",
      "VW Golf (M-RA 6) is 9 years old", 75 },
    { GOLF "\"plate\":\"M-RA 7\",\"first_registration\":\"{date}\"", -15, 0, 0, "replacement",
      "VW Golf (M-RA 7) is 15 years old", 100 },
    /* replacement by mileage: 119,999 vs 120,000 km */
    { GOLF "\"plate\":\"M-RM 1\",\"mileage_km\":119999", 0, 0, 0, NULL, NULL, 0 },
    { GOLF "\"plate\":\"M-RM 2\",\"mileage_km\":120000", 0, 0, 0, "replacement",
      "VW Golf (M-RM 2) has 120,000 km", 50 },
    { GOLF "\"plate\":\"M-RM 3\",\"mileage_km\":1234567", 0, 0, 0, "replacement",
      "VW Golf (M-RM 3) has 1,234,567 km", 100 },
    /* age under, mileage at: both named, no bonus; both over: the larger ratio (1.4) + 10 */
    { GOLF "\"plate\":\"M-RM 4\",\"mileage_km\":120000,\"first_registration\":\"{date}\"", -5, 0, 0,
      "replacement", "VW Golf (M-RM 4) is 5 years old and has 120,000 km", 50 },
    { "\"make\":\"BMW\",\"model\":\"320d\",\"plate\":\"M-RB 1\",\"mileage_km\":168000,"
      "\"first_registration\":\"{date}\"",
      -7, 0, 0, "replacement", "BMW 320d (M-RB 1) is 7 years old and has 168,000 km", 80 },
    /* a variant of at most 24 bytes joins the name; a longer one does not */
    { PASSAT "\"variant\":\"2.0 TDI 4MOTION Highline\",\"plate\":\"M-RV 1\",\"mileage_km\":120000", 0,
      0, 0, "replacement", "VW Passat 2.0 TDI 4MOTION Highline (M-RV 1) has 120,000 km", 50 },
    { PASSAT "\"variant\":\"2.0 TSI 4MOTION R-Line DSG\",\"plate\":\"M-RV 2\",\"mileage_km\":120000",
      0, 0, 0, "replacement", "VW Passat (M-RV 2) has 120,000 km", 50 },
    /* lease_end: exactly 6 months ahead counts, one or five days more do not */
    { PASSAT "\"plate\":\"M-LE 1\",\"lease_end\":\"{date}\"", 0, 6, 1, NULL, NULL, 0 },
    { PASSAT "\"plate\":\"M-LE 2\",\"lease_end\":\"{date}\"", 0, 6, 0, "lease_end",
      "Lease of the VW Passat (M-LE 2) ends on {date}, in 6 months", 50 },
    { PASSAT "\"plate\":\"M-LE 3\",\"lease_end\":\"{date}\"", 0, 6, 5, NULL, NULL, 0 },
    /* 61 of 184 days left: 50 + 50 * 123 / 184 */
    { PASSAT "\"plate\":\"M-LE 4\",\"lease_end\":\"{date}\"", 0, 2, 0, "lease_end",
      "Lease of the VW Passat (M-LE 4) ends on {date}, in 2 months", 83 },
    { PASSAT "\"plate\":\"M-LE 5\",\"lease_end\":\"{date}\"", 0, 0, 0, "lease_end",
      "Lease of the VW Passat (M-LE 5) ends today, {date}", 100 },
    /* ended at most one month ago */
    { PASSAT "\"plate\":\"M-LE 6\",\"lease_end\":\"{date}\"", 0, -1, 0, "lease_end",
      "Lease of the VW Passat (M-LE 6) ended on {date}, 30 days ago", 90 },
    { PASSAT "\"plate\":\"M-LE 7\",\"lease_end\":\"{date}\"", 0, -1, -1, NULL, NULL, 0 },
    /* service: due in 30 days vs 31, on the day, overdue */
    { ASTRA "\"plate\":\"M-SD 1\",\"next_service_due\":\"{date}\"", 0, 0, 31, NULL, NULL, 0 },
    { ASTRA "\"plate\":\"M-SD 2\",\"next_service_due\":\"{date}\"", 0, 0, 30, "service",
      "Service of M-SD 2 due in 30 days ({date})", 40 },
    { ASTRA "\"plate\":\"M-SD 3\",\"next_service_due\":\"{date}\"", 0, 0, 15, "service",
      "Service of M-SD 3 due in 15 days ({date})", 50 },
    { ASTRA "\"plate\":\"M-SD 4\",\"next_service_due\":\"{date}\"", 0, 0, 1, "service",
      "Service of M-SD 4 due in 1 day ({date})", 59 },
    { ASTRA "\"plate\":\"M-SD 5\",\"next_service_due\":\"{date}\"", 0, 0, 0, "service",
      "Service of M-SD 5 due today ({date})", 60 },
    { ASTRA "\"plate\":\"M-SD 6\",\"next_service_due\":\"{date}\"", 0, 0, -1, "service",
      "Service of M-SD 6 is 1 day overdue", 70 },
    { ASTRA "\"plate\":\"M-SD 7\",\"next_service_due\":\"{date}\"", -1, 0, 0, "service",
      "Service of M-SD 7 is 365 days overdue", 70 },
    /* a car without a plate is named */
    { ASTRA "\"vin\":\"W0L0AHL3555555555\",\"next_service_due\":\"{date}\"", 0, 0, 30, "service",
      "Service of the Opel Astra due in 30 days ({date})", 40 },
    /* electric_switch: a petrol or diesel car 5 years old, not 4 */
    { GOLF "\"plate\":\"M-EV 1\",\"powertrain\":\"diesel\",\"first_registration\":\"{date}\"", -5, 0,
      1, NULL, NULL, 0 },
    { GOLF "\"plate\":\"M-EV 2\",\"powertrain\":\"diesel\",\"first_registration\":\"{date}\"", -5, 0,
      0, "electric_switch", "The VW Golf (M-EV 2) is 5 years old and runs on diesel", 40 },
    { GOLF "\"plate\":\"M-EV 3\",\"powertrain\":\"petrol\",\"first_registration\":\"{date}\"", -5, 0,
      0, "electric_switch", "The VW Golf (M-EV 3) is 5 years old and runs on petrol", 40 },
    { GOLF "\"plate\":\"M-EV 4\",\"powertrain\":\"hybrid\",\"first_registration\":\"{date}\"", -5, 0,
      0, NULL, NULL, 0 },
    { GOLF "\"plate\":\"M-EV 5\",\"powertrain\":\"electric\",\"first_registration\":\"{date}\"", -5,
      0, 0, NULL, NULL, 0 },
    /* sold and scrapped cars produce nothing, however due they are */
    { GOLF "\"plate\":\"M-SO 1\",\"status\":\"sold\",\"powertrain\":\"diesel\",\"mileage_km\":250000,"
           "\"first_registration\":\"{old}\",\"lease_end\":\"{date}\",\"next_service_due\":\"{date}\"",
      0, 0, 0, NULL, NULL, 0 },
    { GOLF "\"plate\":\"M-SO 2\",\"status\":\"scrapped\",\"powertrain\":\"petrol\","
           "\"mileage_km\":250000,\"first_registration\":\"{old}\",\"lease_end\":\"{date}\","
           "\"next_service_due\":\"{date}\"",
      0, 0, 0, NULL, NULL, 0 },
};

START_TEST(own_vehicle_rules_at_their_thresholds)
{
    const struct vcase *c = &vcases[_i];
    const char *date = day_rel(c->years, c->months, c->days);
    char me[ID_LEN], car[ID_LEN], tmp[1024], fields[1024], reason[512];
    json_t *card;

    subst(c->fields, "{date}", date, tmp, sizeof tmp);
    subst(tmp, "{old}", day_rel(-10, 0, 0), fields, sizeof fields);
    new_customer(me, "\"kind\":\"person\",\"family_name\":\"Schwelle\"");
    new_vehicle(car, me, fields);
    card = card_of(me);
    if (!c->kind) {
        check_none(card, _i);
    } else {
        subst(c->reason, "{date}", date, reason, sizeof reason);
        ck_assert_msg(json_array_size(opps(card)) == 1, "row %d: want one %s, got %s", _i, c->kind,
                      opps_text(card));
        check_opp(card, json_array_get(opps(card), 0), c->kind, reason, c->score, car, me);
        ck_assert_int_eq(total(card), c->score);
    }
    json_decref(card);
}
END_TEST

/* ---- electric interest in preferences or touchpoint summaries ---- */

static const struct {
    const char *person;  /* extra members of the person */
    const char *summary; /* a touchpoint summary, or NULL */
    int interest;
} interests[] = {
    { ",\"preferences\":{\"antrieb\":\"Elektro, wenn die Reichweite passt\"}", NULL, 1 },
    { ",\"preferences\":{\"Elektroauto\":\"vielleicht\"}", NULL, 1 },
    { ",\"preferences\":{\"next_car\":\"an EV for the city\"}", NULL, 1 },
    { ",\"preferences\":{\"next_car\":\"EVs only\"}", NULL, 1 },
    { ",\"preferences\":{\"kaffee\":\"schwarz\"}", "Fragte nach E-Auto und Wallbox", 1 },
    { "", "Asked about electric cars", 1 },
    { "", "Fragte nach Strompreisen", 1 },
    /* "EV" only as a word */
    { ",\"preferences\":{\"hobby\":\"every summer event\"}", "Came to the summer event", 0 },
    { ",\"preferences\":{\"kaffee\":\"schwarz\"}", NULL, 0 },
    { "", NULL, 0 },
};

START_TEST(electric_interest_weighs_up)
{
    char me[ID_LEN], car[ID_LEN], body[512], reason[256];
    json_t *card;

    snprintf(body, sizeof body, "\"kind\":\"person\",\"family_name\":\"Antrieb\"%s",
             interests[_i].person);
    new_customer(me, body);
    new_vehicle(car, me, pathf(GOLF "\"plate\":\"M-EI 1\",\"powertrain\":\"diesel\","
                                    "\"first_registration\":\"%s\"",
                               day_rel(-5, 0, 0)));
    if (interests[_i].summary)
        new_touchpoint(me, day_rel(0, 0, -10),
                       pathf("\"kind\":\"showroom_visit\",\"channel\":\"in_person\",\"summary\":\"%s\"",
                             interests[_i].summary));
    card = card_of(me);
    snprintf(reason, sizeof reason, "The VW Golf (M-EI 1) is 5 years old and runs on diesel%s",
             interests[_i].interest ? "; interest in electric cars noted" : "");
    ck_assert_msg(json_array_size(opps(card)) == 1, "row %d: %s", _i, opps_text(card));
    check_opp(card, json_array_get(opps(card), 0), "electric_switch", reason,
              interests[_i].interest ? 70 : 40, car, me);
    json_decref(card);
}
END_TEST

/* ---- household ---- */

START_TEST(members_reaching_driving_age)
{
    static const struct {
        const char *given;
        int years, months, days; /* birthday = today + these */
        int soon;                /* "turns 18 on ...: first car?" */
    } kids[] = {
        { "Lena", -18, 12, 0, 1 }, /* turns 18 in exactly 12 months */
        { "Mia", -18, 12, 1, 0 },  /* 12 months and a day */
        { "Tim", -18, 13, 0, 0 },  /* 13 months */
        { "Emil", -18, 0, 1, 1 },  /* tomorrow */
    };
    char me[ID_LEN], hh[ID_LEN], kid[4][ID_LEN], ben[ID_LEN], want[128];
    json_t *card;

    new_customer(me, "\"kind\":\"person\",\"given_name\":\"Jonas\",\"family_name\":\"Fahrschule\"");
    new_household(hh, me);
    for (int i = 0; i < 4; i++) {
        new_customer(kid[i], pathf("\"kind\":\"person\",\"given_name\":\"%s\",\"family_name\":"
                                   "\"Fahrschule\",\"birthday\":\"%s\"",
                                   kids[i].given, day_rel(kids[i].years, kids[i].months, kids[i].days)));
        join(hh, kid[i], "child");
    }
    /* 18 today: of driving age, and without a car */
    new_customer(ben, pathf("\"kind\":\"person\",\"salutation\":\"Herr\",\"given_name\":\"Ben\","
                            "\"family_name\":\"Fahrschule\",\"birthday\":\"%s\"",
                            day_rel(-18, 0, 0)));
    join(hh, ben, "child");

    card = card_of(me);
    for (int i = 0; i < 4; i++) {
        json_t *o = find_opp(card, "household", kid[i]);
        if (!kids[i].soon) {
            ck_assert_msg(o == NULL, "%s: %s", kids[i].given, opps_text(card));
            continue;
        }
        snprintf(want, sizeof want, "%s turns 18 on %s: first car?", kids[i].given,
                 day_rel(kids[i].years + 18, kids[i].months, kids[i].days));
        check_opp(card, o, "household", want, 60, NULL, kid[i]);
    }
    check_opp(card, find_opp(card, "household", ben), "household", "Ben has no car of his own", 50,
              NULL, ben);
    ck_assert_msg(json_array_size(opps(card)) == 3, "%s", opps_text(card));
    ck_assert_int_eq(total(card), 100); /* 60 + 60 + 50, capped */
    json_decref(card);
}
END_TEST

START_TEST(adult_members_without_a_car)
{
    static const struct {
        const char *members; /* the member's own members */
        const char *role;
        int car;             /* 0 none, 1 an active car, 2 a sold car, 3 drives the person's car */
        const char *reason;  /* NULL: no line */
    } people[] = {
        { "\"salutation\":\"Frau\",\"given_name\":\"Petra\",\"birthday\":\"1985-03-01\"", "partner", 0,
          "Petra has no car of her own" },
        { "\"salutation\":\"Herr\",\"given_name\":\"Karl\"", "parent", 0, "Karl has no car of his own" },
        { "\"given_name\":\"Sam\"", "child", 0, NULL }, /* no birthday: a child is not counted */
        { "\"salutation\":\"divers\",\"given_name\":\"Robin\",\"birthday\":\"1990-01-01\"", "other", 0,
          "Robin has no car of their own" },
        { "\"salutation\":\"Herr\",\"given_name\":\"Uwe\",\"birthday\":\"1960-01-01\"", "other", 1, NULL },
        { "\"salutation\":\"Herr\",\"given_name\":\"Gerd\",\"birthday\":\"1955-01-01\"", "other", 2,
          "Gerd has no car of his own" },
        { "\"salutation\":\"Frau\",\"given_name\":\"Vera\",\"birthday\":\"1970-01-01\"", "other", 3, NULL },
        { "\"salutation\":\"Frau\",\"preferred_name\":\"Hanni\",\"birthday\":\"1975-01-01\"", "other", 0,
          "Hanni has no car of her own" },
        { "\"salutation\":\"Herr\",\"birthday\":\"1980-01-01\"", "other", 0, "Herr Wolf has no car of his own" },
    };
    const size_t n = sizeof people / sizeof people[0];
    char me[ID_LEN], hh[ID_LEN], ids[9][ID_LEN], car[ID_LEN];
    size_t lines = 0;
    json_t *card;

    new_customer(me, "\"kind\":\"person\",\"given_name\":\"Jonas\",\"family_name\":\"Ohneauto\"");
    new_household(hh, me);
    for (size_t i = 0; i < n; i++) {
        new_customer(ids[i], pathf("\"kind\":\"person\",\"family_name\":\"%s\",%s",
                                   i == n - 1 ? "Wolf" : "Ohneauto", people[i].members));
        join(hh, ids[i], people[i].role);
        if (people[i].car == 1)
            new_vehicle(car, ids[i], pathf(GOLF "\"plate\":\"M-OA %zu\",\"first_registration\":\"%s\"",
                                           i, day_rel(-1, 0, 0)));
        else if (people[i].car == 2)
            new_vehicle(car, ids[i], pathf(GOLF "\"plate\":\"M-OA %zu\",\"status\":\"sold\"", i));
        else if (people[i].car == 3)
            new_vehicle(car, me, pathf(GOLF "\"plate\":\"M-OA %zu\",\"main_driver_id\":\"%s\"", i, ids[i]));
    }
    card = card_of(me);
    for (size_t i = 0; i < n; i++) {
        json_t *o = find_opp(card, "household", ids[i]);
        if (!people[i].reason) {
            ck_assert_msg(o == NULL, "member %zu: %s", i, opps_text(card));
            continue;
        }
        check_opp(card, o, "household", people[i].reason, 50, NULL, ids[i]);
        lines++;
    }
    ck_assert_msg(json_array_size(opps(card)) == lines, "%s", opps_text(card));
    json_decref(card);
}
END_TEST

/*
 * The partner's car older than 8 whole years: one household line (not a
 * replacement line too). The person is head, or partner when the row's
 * member is head.
 */
static const struct pcase {
    const char *member;
    const char *role;
    int years, days; /* first_registration = today + these */
    const char *reason;
    int score;
} pcases[] = {
    { "\"salutation\":\"Frau\",\"given_name\":\"Petra\"", "partner", -9, 0,
      "Petra's VW Golf (M-PC 1) is 9 years old", 55 },
    { "\"salutation\":\"Frau\",\"given_name\":\"Petra\"", "partner", -9, 1, NULL, 0 }, /* 8 whole years */
    { "\"salutation\":\"Frau\",\"given_name\":\"Petra\"", "partner", -8, 0, NULL, 0 },
    { "\"salutation\":\"Herr\",\"given_name\":\"Andreas\"", "partner", -12, 0,
      "Andreas' VW Golf (M-PC 1) is 12 years old", 70 },
    { "\"salutation\":\"Frau\",\"given_name\":\"Petra\"", "partner", -20, 0,
      "Petra's VW Golf (M-PC 1) is 20 years old", 80 },
    { "\"salutation\":\"Herr\",\"given_name\":\"Klaus\"", "head", -9, 0,
      "Klaus' VW Golf (M-PC 1) is 9 years old", 55 },
    { "\"given_name\":\"Lukas\",\"birthday\":\"2000-01-01\"", "child", -12, 0, NULL, 0 },
    { "\"given_name\":\"Erna\"", "parent", -12, 0, NULL, 0 },
};

START_TEST(partner_car_older_than_threshold)
{
    const struct pcase *c = &pcases[_i];
    char me[ID_LEN], hh[ID_LEN], partner[ID_LEN], car[ID_LEN];
    json_t *card;

    new_customer(me, "\"kind\":\"person\",\"given_name\":\"Jonas\",\"family_name\":\"Paar\"");
    new_customer(partner, pathf("\"kind\":\"person\",\"family_name\":\"Paar\",%s", c->member));
    snprintf(hh, sizeof hh, "%s", create_ok("/v1/households", "{\"name\":\"Familie Paar\"}"));
    join(hh, me, strcmp(c->role, "head") ? "head" : "partner");
    join(hh, partner, c->role);
    new_vehicle(car, partner, pathf(GOLF "\"plate\":\"M-PC 1\",\"first_registration\":\"%s\"",
                                    day_rel(c->years, 0, c->days)));
    card = card_of(me);
    if (!c->reason) {
        check_none(card, _i);
    } else {
        ck_assert_msg(json_array_size(opps(card)) == 1, "row %d: %s", _i, opps_text(card));
        check_opp(card, json_array_get(opps(card), 0), "household", c->reason, c->score, car, partner);
        ck_assert_int_eq(total(card), c->score);
    }
    json_decref(card);
}
END_TEST

/* A household member's old diesel: the household line and electric switch, nothing else. */
START_TEST(partner_diesel_gives_household_and_electric_lines)
{
    char me[ID_LEN], hh[ID_LEN], partner[ID_LEN], car[ID_LEN];
    json_t *card;

    new_customer(me, "\"kind\":\"person\",\"given_name\":\"Jonas\",\"family_name\":\"Diesel\"");
    new_customer(partner, "\"kind\":\"person\",\"salutation\":\"Frau\",\"given_name\":\"Petra\","
                          "\"family_name\":\"Diesel\"");
    new_household(hh, me);
    join(hh, partner, "partner");
    new_vehicle(car, partner, pathf(GOLF "\"plate\":\"M-PD 1\",\"powertrain\":\"diesel\","
                                         "\"mileage_km\":190000,\"lease_end\":\"%s\","
                                         "\"next_service_due\":\"%s\",\"first_registration\":\"%s\"",
                                    day_rel(0, 1, 0), day_rel(0, 0, -3), day_rel(-9, 0, 0)));
    card = card_of(me);
    ck_assert_msg(json_array_size(opps(card)) == 2, "%s", opps_text(card));
    check_opp(card, find_opp(card, "household", NULL), "household",
              "Petra's VW Golf (M-PD 1) is 9 years old", 55, car, partner);
    check_opp(card, find_opp(card, "electric_switch", NULL), "electric_switch",
              "Petra's VW Golf (M-PD 1) is 9 years old and runs on diesel", 40, car, partner);
    ck_assert_int_eq(total(card), 95);
    json_decref(card);
}
END_TEST

/* ---- fleet ---- */

/*
 * A person with roles at a company owning plain (new), worn (over the
 * mileage threshold), leased (lease ending in 3 months) and sold
 * vehicles. "{co}" in the reason is the company's name.
 */
static const struct fcase {
    const char *roles;
    int plain, worn, leased, sold;
    const char *reason;
    int score;
} fcases[] = {
    { "[\"fleet_manager\"]", 5, 0, 0, 0, "Fleet manager of {co} (5 vehicles)", 40 },
    { "[\"fleet_manager\"]", 4, 0, 0, 0, NULL, 0 },
    { "[\"fleet_manager\"]", 4, 0, 0, 1, NULL, 0 }, /* a sold car is not in the fleet */
    { "[\"fleet_manager\"]", 0, 4, 0, 0, NULL, 0 }, /* all due, but only 4 */
    { "[\"fleet_manager\"]", 3, 2, 0, 0,
      "Fleet manager of {co} (5 vehicles): 2 cars are due for replacement", 50 },
    { "[\"fleet_manager\"]", 3, 1, 1, 0,
      "Fleet manager of {co} (5 vehicles): 1 lease ends in the next 6 months and 1 car is due for "
      "replacement",
      50 },
    { "[\"decision_maker\"]", 4, 0, 2, 0,
      "Decision maker at {co} (6 vehicles): 2 leases end in the next 6 months", 50 },
    { "[\"driver\",\"fleet_manager\"]", 5, 0, 0, 0, "Fleet manager of {co} (5 vehicles)", 40 },
    { "[\"driver\"]", 0, 5, 0, 0, NULL, 0 },
    { "[\"employee\"]", 0, 5, 0, 0, NULL, 0 },
    { "[\"fleet_manager\"]", 0, 13, 0, 0,
      "Fleet manager of {co} (13 vehicles): 13 cars are due for replacement", 100 },
};

START_TEST(fleet_of_at_least_five)
{
    const struct fcase *c = &fcases[_i];
    char me[ID_LEN], co[ID_LEN], car[ID_LEN], name[64], reason[256];
    json_t *card;
    int n = 0;

    snprintf(name, sizeof name, "Flotte %d GmbH", _i);
    new_customer(me, "\"kind\":\"person\",\"given_name\":\"Frieda\",\"family_name\":\"Flotte\"");
    new_customer(co, pathf("\"kind\":\"company\",\"company_name\":\"%s\"", name));
    put_ok(pathf("/v1/customers/%s/people/%s", co, me), pathf("{\"roles\":%s}", c->roles));
    for (int i = 0; i < c->plain; i++, n++)
        new_vehicle(car, co, pathf("\"make\":\"VW\",\"model\":\"Caddy\",\"plate\":\"F-FL %d\","
                                   "\"first_registration\":\"%s\"", n, day_rel(-1, 0, 0)));
    for (int i = 0; i < c->worn; i++, n++)
        new_vehicle(car, co, pathf("\"make\":\"VW\",\"model\":\"Caddy\",\"plate\":\"F-FL %d\","
                                   "\"mileage_km\":130000", n));
    for (int i = 0; i < c->leased; i++, n++)
        new_vehicle(car, co, pathf("\"make\":\"VW\",\"model\":\"Caddy\",\"plate\":\"F-FL %d\","
                                   "\"lease_end\":\"%s\"", n, day_rel(0, 3, 0)));
    for (int i = 0; i < c->sold; i++, n++)
        new_vehicle(car, co, pathf("\"make\":\"VW\",\"model\":\"Caddy\",\"plate\":\"F-FL %d\","
                                   "\"status\":\"sold\"", n));
    card = card_of(me);
    if (!c->reason) {
        check_none(card, _i);
    } else {
        subst(c->reason, "{co}", name, reason, sizeof reason);
        /* fleet vehicles have no lines of their own */
        ck_assert_msg(json_array_size(opps(card)) == 1, "row %d: %s", _i, opps_text(card));
        check_opp(card, json_array_get(opps(card), 0), "fleet", reason, c->score, NULL, co);
        ck_assert_int_eq(total(card), c->score);
    }
    json_decref(card);
}
END_TEST

/* ---- retention risk ---- */

#define VISIT "\"kind\":\"service_visit\",\"channel\":\"in_person\","
#define SURVEY "\"kind\":\"survey\",\"channel\":\"email\","
#define COMPLAINT "\"kind\":\"complaint\",\"channel\":\"phone\","
#define LONG_TEXT                                                                                  \
    "Kunde meldet erneut Kratzer an der Fahrertür und Schmutz auf den Sitzen nach der Inspektion " \
    "im April"

/* Up to two touchpoints some days ago; "{date}" in the reason is the first one's day. */
static const struct rcase {
    const char *first;
    int first_ago;
    const char *second;
    int second_ago;
    const char *reason;
    int score;
} rcases[] = {
    /* satisfaction below 0.5, within 90 days */
    { VISIT "\"satisfaction\":0.49", 14, NULL, 0, "Last service visit on {date} was rated 0.49", 51 },
    { VISIT "\"satisfaction\":0.5", 14, NULL, 0, NULL, 0 },
    { VISIT "\"satisfaction\":0.2", 90, NULL, 0, "Last service visit on {date} was rated 0.2", 80 },
    { VISIT "\"satisfaction\":0.2", 91, NULL, 0, NULL, 0 },
    /* NPS 0-6 is a detractor */
    { SURVEY "\"nps\":6", 5, NULL, 0, "Last survey on {date} was rated NPS 6", 40 },
    { SURVEY "\"nps\":7", 5, NULL, 0, NULL, 0 },
    { VISIT "\"satisfaction\":0.2,\"nps\":3", 5, NULL, 0,
      "Last service visit on {date} was rated 0.2 (NPS 3)", 80 },
    { VISIT "\"satisfaction\":0.3,\"nps\":0", 5, NULL, 0,
      "Last service visit on {date} was rated 0.3 (NPS 0)", 100 },
    /* a later visit of the same kind: not "Last"; only the most recent poor one is shown */
    { VISIT "\"satisfaction\":0.3", 14, VISIT "\"satisfaction\":0.9", 7,
      "Service visit on {date} was rated 0.3", 70 },
    { VISIT "\"satisfaction\":0.4", 10, VISIT "\"satisfaction\":0.1", 20,
      "Last service visit on {date} was rated 0.4", 60 },
    /* open complaints, whatever their age */
    { COMPLAINT "\"follow_up\":{\"text\":\"Paint damage after the car wash\",\"done\":false}", 200,
      NULL, 0, "Open complaint: Paint damage after the car wash", 80 },
    { COMPLAINT "\"follow_up\":{\"text\":\"Paint damage after the car wash\"}", 3, NULL, 0,
      "Open complaint: Paint damage after the car wash", 80 },
    { COMPLAINT "\"follow_up\":{\"text\":\"Paint damage after the car wash\",\"done\":true}", 3, NULL,
      0, NULL, 0 },
    { COMPLAINT "\"follow_up\":{\"text\":\"" LONG_TEXT "\"}", 3, NULL, 0,
      "Open complaint: Kunde meldet erneut Kratzer an der Fahrertür und Schmutz auf den Sitzen nach "
      "de\xe2\x80\xa6",
      80 },
};

START_TEST(retention_risk_at_its_thresholds)
{
    const struct rcase *c = &rcases[_i];
    const char *day = day_rel(0, 0, -c->first_ago);
    char me[ID_LEN], reason[512];
    json_t *card;

    new_customer(me, "\"kind\":\"person\",\"family_name\":\"Unzufrieden\"");
    new_touchpoint(me, day, c->first);
    if (c->second)
        new_touchpoint(me, day_rel(0, 0, -c->second_ago), c->second);
    card = card_of(me);
    if (!c->reason) {
        check_none(card, _i);
    } else {
        subst(c->reason, "{date}", day, reason, sizeof reason);
        ck_assert_msg(json_array_size(opps(card)) == 1, "row %d: %s", _i, opps_text(card));
        check_opp(card, json_array_get(opps(card), 0), "retention_risk", reason, c->score, NULL, me);
        ck_assert_int_eq(total(card), 0); /* a warning, not a sale */
    }
    json_decref(card);
}
END_TEST

/* Warnings are listed by their score but do not add to the total. */
START_TEST(retention_risk_does_not_add_to_the_total)
{
    char me[ID_LEN], car[ID_LEN];
    json_t *card, *list;

    new_customer(me, "\"kind\":\"person\",\"family_name\":\"Warnung\"");
    new_vehicle(car, me, GOLF "\"plate\":\"M-WA 1\",\"mileage_km\":120000");
    new_touchpoint(me, day_rel(0, 0, -2),
                   COMPLAINT "\"follow_up\":{\"text\":\"Radio defekt\",\"done\":false}");
    new_touchpoint(me, day_rel(0, 0, -1), VISIT "\"satisfaction\":0.1");
    card = card_of(me);
    list = opps(card);
    ck_assert_msg(json_array_size(list) == 3, "%s", opps_text(card));
    check_opp(card, json_array_get(list, 0), "retention_risk",
              pathf("Last service visit on %s was rated 0.1", day_rel(0, 0, -1)), 90, NULL, me);
    check_opp(card, json_array_get(list, 1), "retention_risk", "Open complaint: Radio defekt", 80,
              NULL, me);
    check_opp(card, json_array_get(list, 2), "replacement", "VW Golf (M-WA 1) has 120,000 km", 50,
              car, me);
    ck_assert_int_eq(total(card), 50);
    json_decref(card);
}
END_TEST

/* Equal scores are ordered by vehicle_id; the total is capped at 100. */
START_TEST(ties_by_vehicle_and_total_capped)
{
    char me[ID_LEN], car[ID_LEN];
    json_t *card, *list;

    new_customer(me, "\"kind\":\"person\",\"family_name\":\"Vielfahrer\"");
    for (int i = 0; i < 3; i++)
        new_vehicle(car, me, pathf(GOLF "\"plate\":\"M-VF %d\",\"mileage_km\":120000", i));
    card = card_of(me);
    list = opps(card);
    ck_assert_msg(json_array_size(list) == 3, "%s", opps_text(card));
    for (size_t i = 0; i < 3; i++)
        ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(list, i), "score")), 50);
    ck_assert_int_lt(strcmp(sget(json_array_get(list, 0), "vehicle_id"),
                            sget(json_array_get(list, 1), "vehicle_id")), 0);
    ck_assert_int_lt(strcmp(sget(json_array_get(list, 1), "vehicle_id"),
                            sget(json_array_get(list, 2), "vehicle_id")), 0);
    ck_assert_int_eq(total(card), 100);
    json_decref(card);
}
END_TEST

/* ---- "today" is the desk's local date (00:30 in Berlin, still yesterday in UTC) ---- */

START_TEST(today_is_the_local_date)
{
    char me[ID_LEN], car[ID_LEN];
    json_t *card;

    new_customer(me, "\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Mitternacht\","
                     "\"birthday\":\"1980-05-15\"");
    new_vehicle(car, me, GOLF "\"plate\":\"M-MN 1\",\"next_service_due\":\"2026-05-15\","
                              "\"first_registration\":\"2020-05-15\"");
    card = fetch("/v1/greeting?plate=M-MN%201");
    ck_assert_str_eq(sget(card, "greeting"), "Guten Abend, Frau Mitternacht");
    ck_assert(json_is_true(json_object_get(json_object_get(card, "birthday"), "today")));
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(card, "vehicle"), "service_due_in_days")), 0);
    check_opp(card, find_opp(card, "service", NULL), "service", "Service of M-MN 1 due today (2026-05-15)",
              60, car, me);
    check_opp(card, find_opp(card, "replacement", NULL), "replacement",
              "VW Golf (M-MN 1) is 6 years old", 50, car, me);
    json_decref(card);
}
END_TEST

/* ---- a rules file moves a threshold ---- */

static char rules_dir[64], rules_env[160];
static const char *rules_envv[] = { NOON_NOW, TZ_ENV, rules_env, NULL };

static void
remove_dir(const char *dir)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* A new temporary directory holding rules.json with text (none when text is NULL); its path. */
static const char *
rules_file(char dir[64], const char *text)
{
    static char path[128];
    FILE *f;

    snprintf(dir, 64, "/tmp/crmd-rules-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/rules.json", dir);
    if (text) {
        f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static void
start_with_rules(void)
{
    snprintf(rules_env, sizeof rules_env, "CRMD_RULES=%s",
             rules_file(rules_dir, "{\"replace_mileage_km\": 50000}\n"));
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, rules_envv);
}

static void
stop_with_rules(void)
{
    remove_dir(rules_dir);
    harness_teardown();
}

START_TEST(rules_file_moves_mileage_threshold)
{
    static const struct {
        int km;
        const char *reason;
        int score;
    } cars[] = {
        { 49999, NULL, 0 },
        { 50000, "VW Golf (M-RF 1) has 50,000 km", 50 },
        { 60000, "VW Golf (M-RF 1) has 60,000 km", 60 },
    };
    char me[ID_LEN], car[ID_LEN];
    json_t *card;

    for (size_t i = 0; i < sizeof cars / sizeof cars[0]; i++) {
        new_customer(me, "\"kind\":\"person\",\"family_name\":\"Regelwerk\"");
        new_vehicle(car, me, pathf(GOLF "\"plate\":\"M-RF 1\",\"mileage_km\":%d", cars[i].km));
        card = card_of(me);
        if (!cars[i].reason)
            check_none(card, (int)i);
        else
            check_opp(card, json_array_get(opps(card), 0), "replacement", cars[i].reason, cars[i].score,
                      car, me);
        json_decref(card);
    }
    /* the other thresholds keep their defaults */
    new_customer(me, "\"kind\":\"person\",\"family_name\":\"Regelwerk\"");
    new_vehicle(car, me, pathf(GOLF "\"plate\":\"M-RF 2\",\"first_registration\":\"%s\"",
                               day_rel(-6, 0, 1)));
    card = card_of(me);
    check_none(card, 99);
    json_decref(card);
}
END_TEST

/* ---- a bad rules file stops the start ---- */

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Does the file contain needle? */
static int
file_has(const char *path, const char *needle)
{
    char buf[8192];
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

/* Run crmd with CRMD_RULES=path; its exit status (128 + signal) once it ended, within 20 s. */
static int
run_with_rules(const char *dir, const char *path)
{
    const char *bin = getenv("CRMD_BIN");
    char err[128], db[128];
    double deadline = now_s() + 20;
    struct timespec pause = { 0, 10 * 1000000L };
    pid_t pid, w;
    int st;

    ck_assert_ptr_nonnull(bin);
    snprintf(err, sizeof err, "%s/err", dir);
    snprintf(db, sizeof db, "%s/x.db", dir);
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        FILE *e = fopen(err, "w");
        if (!e || !freopen("/dev/null", "w", stdout))
            _exit(127);
        dup2(fileno(e), 2);
        setenv("CRMD_RULES", path, 1);
        execl(bin, bin, "--port", "0", "--db", db, "--threads", "2", (char *)NULL);
        _exit(127);
    }
    while ((w = waitpid(pid, &st, WNOHANG)) == 0 || (w < 0 && errno == EINTR)) {
        if (now_s() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            ck_abort_msg("crmd with a bad rules file did not exit; see %s", err);
        }
        nanosleep(&pause, NULL);
    }
    ck_assert_int_eq(w, pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const struct {
    const char *text; /* NULL: the file does not exist */
    const char *err;  /* what the one line on stderr names */
} bad_rules[] = {
    { "{\"replace_mileage_km\": 50000, \"replace_milage_km\": 1}", "replace_milage_km" },
    { "{\"replace_age_years\": \"six\"}", "replace_age_years" },
    { "{\"replace_age_years\": 6.5}", "replace_age_years" },
    { "{\"replace_mileage_km\": 10}", "replace_mileage_km" },
    { "{\"poor_satisfaction\": 1.5}", "poor_satisfaction" },
    { "{\"let_go_after_declined\": 0}", "let_go_after_declined" },
    { "[6]", "object" },
    { "{\"replace_age_years\": ", "rules.json" },
    { NULL, "rules.json" },
};

START_TEST(bad_rules_file_stops_the_start)
{
    char dir[64], err[128];
    const char *path = rules_file(dir, bad_rules[_i].text);
    int status = run_with_rules(dir, path);

    snprintf(err, sizeof err, "%s/err", dir);
    ck_assert_msg(status != 0 && status < 128, "exit status %d, want a non-zero exit", status);
    ck_assert_msg(file_has(err, bad_rules[_i].err), "stderr does not mention %s", bad_rules[_i].err);
    ck_assert(!file_has(err, "listening on"));
    remove_dir(dir);
}
END_TEST

/* ---- greeting forms at the hours where the words change ---- */

static const struct clock {
    const char *name; /* the TCase */
    const char *now;  /* CRMD_FAKE_NOW for 2026-05-15 at this time in Berlin */
    const char *de, *en;
} clocks[] = {
    { "greeting 04:59", "CRMD_FAKE_NOW=1778813940", "Guten Abend", "Good evening" },
    { "greeting 05:00", "CRMD_FAKE_NOW=1778814000", "Guten Morgen", "Good morning" },
    { "greeting 10:59", "CRMD_FAKE_NOW=1778835540", "Guten Morgen", "Good morning" },
    { "greeting 11:00", "CRMD_FAKE_NOW=1778835600", "Guten Tag", "Good morning" },
    { "greeting 11:59", "CRMD_FAKE_NOW=1778839140", "Guten Tag", "Good morning" },
    { "greeting 12:00", "CRMD_FAKE_NOW=1778839200", "Guten Tag", "Good afternoon" },
    { "greeting 17:59", "CRMD_FAKE_NOW=1778860740", "Guten Tag", "Good afternoon" },
    { "greeting 18:00", "CRMD_FAKE_NOW=1778860800", "Guten Abend", "Good evening" },
};

static const char *clock_env[] = { NULL, TZ_ENV, NULL };
static int clock_now; /* set by the unchecked fixture in the parent, seen by the forked tests */

static void
start_clock(int i)
{
    clock_now = i;
    clock_env[0] = clocks[i].now;
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, clock_env);
}

#define CLOCK_FIXTURE(i)                                                                           \
    static void start_clock_##i(void)                                                              \
    {                                                                                              \
        start_clock(i);                                                                            \
    }
CLOCK_FIXTURE(0)
CLOCK_FIXTURE(1)
CLOCK_FIXTURE(2)
CLOCK_FIXTURE(3)
CLOCK_FIXTURE(4)
CLOCK_FIXTURE(5)
CLOCK_FIXTURE(6)
CLOCK_FIXTURE(7)
static void (*const clock_fixtures[])(void) = { start_clock_0, start_clock_1, start_clock_2,
                                                start_clock_3, start_clock_4, start_clock_5,
                                                start_clock_6, start_clock_7 };
_Static_assert(sizeof clocks / sizeof clocks[0] == sizeof clock_fixtures / sizeof clock_fixtures[0],
               "one fixture per clock");

#define PERSON "\"kind\":\"person\","
#define BRANDT "\"given_name\":\"Jonas\",\"family_name\":\"Brandt\""
#define EN "\"language\":\"en\","

static const struct form {
    const char *customer; /* the POST body's members */
    const char *language; /* the card's language */
    const char *name;     /* what follows "<greeting>, " */
} forms[] = {
    /* German: Herr/Frau, with and without a title */
    { PERSON "\"salutation\":\"Herr\"," BRANDT, "de", "Herr Brandt" },
    { PERSON "\"salutation\":\"Herr\",\"title\":\"Dr.\"," BRANDT, "de", "Herr Dr. Brandt" },
    { PERSON "\"salutation\":\"Frau\"," BRANDT, "de", "Frau Brandt" },
    { PERSON "\"salutation\":\"Frau\",\"title\":\"Prof. Dr.\"," BRANDT, "de", "Frau Prof. Dr. Brandt" },
    { PERSON "\"salutation\":\"Frau\",\"language\":\"de\",\"family_name\":\"Müller\"", "de",
      "Frau Müller" },
    /* English: Mr/Ms, a title instead of Mr/Ms */
    { PERSON EN "\"salutation\":\"Herr\"," BRANDT, "en", "Mr Brandt" },
    { PERSON EN "\"salutation\":\"Herr\",\"title\":\"Dr.\"," BRANDT, "en", "Dr. Brandt" },
    { PERSON EN "\"salutation\":\"Frau\"," BRANDT, "en", "Ms Brandt" },
    { PERSON EN "\"salutation\":\"Frau\",\"title\":\"Prof.\"," BRANDT, "en", "Prof. Brandt" },
    /* the preferred name alone, whatever else is known */
    { PERSON "\"salutation\":\"Herr\",\"title\":\"Dr.\",\"preferred_name\":\"Tom\"," BRANDT, "de",
      "Tom" },
    { PERSON EN "\"salutation\":\"Frau\",\"preferred_name\":\"Jo\"," BRANDT, "en", "Jo" },
    /* neutral: salutation none, divers or absent */
    { PERSON "\"salutation\":\"none\"," BRANDT, "de", "Jonas Brandt" },
    { PERSON "\"salutation\":\"divers\"," BRANDT, "de", "Jonas Brandt" },
    { PERSON BRANDT, "de", "Jonas Brandt" },
    { PERSON EN "\"salutation\":\"divers\",\"title\":\"Dr.\"," BRANDT, "en", "Jonas Brandt" },
    { PERSON EN BRANDT, "en", "Jonas Brandt" },
    { PERSON "\"salutation\":\"none\",\"family_name\":\"Brandt\"", "de", "Brandt" },
    /* Herr without a family name: neutral */
    { PERSON "\"salutation\":\"Herr\",\"given_name\":\"Jonas\"", "de", "Jonas" },
    /* every language but English is greeted in German */
    { PERSON "\"language\":\"fr\",\"salutation\":\"Frau\"," BRANDT, "fr", "Frau Brandt" },
    /* a company by its name */
    { "\"kind\":\"company\",\"company_name\":\"Brandt Logistik GmbH\"", "de", "Brandt Logistik GmbH" },
    { "\"kind\":\"company\"," EN "\"company_name\":\"Brandt Logistics Ltd\"", "en",
      "Brandt Logistics Ltd" },
};

START_TEST(greeting_form)
{
    const struct form *f = &forms[_i];
    const struct clock *c = &clocks[clock_now];
    char id[ID_LEN], want[256];
    json_t *card;

    new_customer(id, f->customer);
    card = card_of(id);
    snprintf(want, sizeof want, "%s, %s", strcmp(f->language, "en") ? c->de : c->en, f->name);
    ck_assert_msg(sget(card, "greeting") && !strcmp(sget(card, "greeting"), want),
                  "%s, form %d: greeting \"%s\", want \"%s\"", c->name, _i,
                  sget(card, "greeting") ? sget(card, "greeting") : "(none)", want);
    ck_assert_str_eq(sget(card, "language"), f->language);
    json_decref(card);
}
END_TEST

Suite *
opportunities_suite(void)
{
    Suite *s = suite_create("opportunities");
    TCase *tc = tcase_create("rules");

    tcase_add_unchecked_fixture(tc, start_noon, harness_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, own_vehicle_rules_at_their_thresholds, 0,
                        (int)(sizeof vcases / sizeof vcases[0]));
    tcase_add_loop_test(tc, electric_interest_weighs_up, 0,
                        (int)(sizeof interests / sizeof interests[0]));
    tcase_add_test(tc, members_reaching_driving_age);
    tcase_add_test(tc, adult_members_without_a_car);
    tcase_add_loop_test(tc, partner_car_older_than_threshold, 0,
                        (int)(sizeof pcases / sizeof pcases[0]));
    tcase_add_test(tc, partner_diesel_gives_household_and_electric_lines);
    tcase_add_loop_test(tc, fleet_of_at_least_five, 0, (int)(sizeof fcases / sizeof fcases[0]));
    tcase_add_loop_test(tc, retention_risk_at_its_thresholds, 0,
                        (int)(sizeof rcases / sizeof rcases[0]));
    tcase_add_test(tc, retention_risk_does_not_add_to_the_total);
    tcase_add_test(tc, ties_by_vehicle_and_total_capped);
    suite_add_tcase(s, tc);

    tc = tcase_create("local date");
    tcase_add_unchecked_fixture(tc, start_midnight, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, today_is_the_local_date);
    suite_add_tcase(s, tc);

    tc = tcase_create("rules file");
    tcase_add_unchecked_fixture(tc, start_with_rules, stop_with_rules);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rules_file_moves_mileage_threshold);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad rules file");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, bad_rules_file_stops_the_start, 0,
                        (int)(sizeof bad_rules / sizeof bad_rules[0]));
    suite_add_tcase(s, tc);

    for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        tc = tcase_create(clocks[i].name);
        tcase_add_unchecked_fixture(tc, clock_fixtures[i], harness_teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_loop_test(tc, greeting_form, 0, (int)(sizeof forms / sizeof forms[0]));
        suite_add_tcase(s, tc);
    }
    return s;
}
