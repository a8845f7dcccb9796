/*
 * test_contact_policy: GET /v1/customers/{id}/contact-policy and its
 * enforcement when outbound touchpoints are created: consent, do not
 * contact, the rolling window and override_reason, letting go, the quiet
 * period after a detractor or an open complaint, channel mapping, and
 * (with servers of their own on a pinned clock) the window lapsing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "suites.h"

#define ID_LEN 40
#define DAY 86400L
#define CONSENTS "{\"phone\":\"granted\",\"email\":\"granted\",\"post\":\"granted\"}"

static const char ghost[] = "7f1c4c1e-2a7b-4d7e-9a51-0000000000cc";

/* A person with consents (JSON object or NULL) and extra members (",..." or ""). */
static void
new_customer(const char *consents, const char *extra, char out[ID_LEN])
{
    char body[512];

    snprintf(body, sizeof body, "{\"kind\":\"person\",\"family_name\":\"Kontaktregel\"%s%s%s}",
             consents ? ",\"consents\":" : "", consents ? consents : "", extra);
    snprintf(out, ID_LEN, "%s", create_ok("/v1/customers", body));
}

/* POST a touchpoint of cust with members (without braces) and return the reply. */
static void
post_tp(const char *cust, const char *members, struct reply *r)
{
    char body[4096];

    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",%s}", cust, members);
    http_json("POST", "/v1/touchpoints", body, r);
}

static void
post_tp_ok(const char *cust, const char *members)
{
    struct reply r;

    post_tp(cust, members, &r);
    ck_assert_msg(r.status == 201, "POST touchpoint %s → %ld: %s", members, r.status, r.body);
    reply_free(&r);
}

/* Reason codes of an evaluation joined by ','. */
static const char *
codes(const json_t *eval)
{
    static char out[256];
    json_t *reason;
    size_t i;

    out[0] = '\0';
    ck_assert_msg(json_is_array(json_object_get(eval, "reasons")), "no reasons");
    json_array_foreach(json_object_get(eval, "reasons"), i, reason)
    {
        if (i)
            strcat(out, ",");
        strncat(out, sget(reason, "code"), sizeof out - strlen(out) - 2);
    }
    return out;
}

/* GET the policy of cust with query, assert 200 and reasons want ("" = allowed); returns it. */
static json_t *
policy_is(const char *cust, const char *query, const char *want)
{
    json_t *eval = fetch(pathf("/v1/customers/%s/contact-policy?%s", cust, query));

    ck_assert_msg(strcmp(codes(eval), want) == 0, "%s: reasons [%s], want [%s]", query, codes(eval),
                  want);
    ck_assert(json_is_boolean(json_object_get(eval, "allowed")));
    ck_assert_int_eq(json_is_true(json_object_get(eval, "allowed")), want[0] == '\0');
    return eval;
}

static void
policy(const char *cust, const char *query, const char *want)
{
    json_decref(policy_is(cust, query, want));
}

/* Assert a 409 conflict carrying the evaluation with these reasons. */
static void
assert_refused(const struct reply *r, const char *want)
{
    json_t *eval;

    assert_problem(r, 409, "conflict");
    eval = json_object_get(r->json, "contact_policy");
    ck_assert_msg(json_is_object(eval), "no contact_policy member: %s", r->body);
    ck_assert(json_is_false(json_object_get(eval, "allowed")));
    ck_assert_str_eq(codes(eval), want);
    ck_assert_msg(strstr(jstr(r, "detail"), "override_reason") != NULL, "%s", jstr(r, "detail"));
    for (const char *c = want; *c;) {
        size_t n = strcspn(c, ",");
        char code[64];
        snprintf(code, sizeof code, "%.*s", (int)n, c);
        ck_assert_msg(strstr(jstr(r, "detail"), code) != NULL, "detail lacks %s: %s", code,
                      jstr(r, "detail"));
        c += n + (c[n] == ',');
    }
}

static size_t
count_for(const char *cust)
{
    json_t *items = fetch_items(pathf("/v1/touchpoints?customer_id=%s", cust));
    size_t n = json_array_size(items);

    json_decref(items);
    return n;
}

static void
stamp(time_t t, char out[32])
{
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
}

START_TEST(consent_missing_withdrawn_granted)
{
    char cust[ID_LEN];
    struct reply r;
    json_t *eval;

    new_customer(NULL, "", cust);
    eval = policy_is(cust, "channel=phone", "no_consent");
    ck_assert_str_eq(sget(eval, "channel"), "phone");
    ck_assert_str_eq(sget(eval, "purpose"), "sales"); /* the default */
    ck_assert(json_is_null(json_object_get(eval, "next_allowed_at")));
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "window_days")), 30);
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "max_contacts")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "contacts_in_window")), 0);
    json_decref(eval);
    policy(cust, "channel=email&purpose=recovery", "no_consent");

    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"service\"", &r);
    assert_refused(&r, "no_consent");
    reply_free(&r);
    ck_assert_uint_eq(count_for(cust), 0);

    http_json("PATCH", pathf("/v1/customers/%s", cust),
              "{\"consents\":{\"phone\":\"withdrawn\",\"email\":\"granted\"}}", &r);
    assert_json(&r, 200);
    reply_free(&r);
    policy(cust, "channel=phone&purpose=service", "consent_withdrawn");
    policy(cust, "channel=email&purpose=service", "");
    policy(cust, "channel=sms&purpose=information", "no_consent");
    policy(cust, "channel=post&purpose=sales", "no_consent");

    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"service\"", &r);
    assert_refused(&r, "consent_withdrawn");
    reply_free(&r);
    post_tp_ok(cust, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"outbound\","
                     "\"purpose\":\"service\"");
    ck_assert_uint_eq(count_for(cust), 1);
}
END_TEST

START_TEST(do_not_contact_blocks_every_purpose)
{
    static const char *const purposes[] = { "sales", "service", "recovery", "information" };
    char cust[ID_LEN];
    struct reply r;

    new_customer(CONSENTS, ",\"do_not_contact\":true", cust);
    for (size_t i = 0; i < 4; i++)
        policy(cust, pathf("channel=email&purpose=%s", purposes[i]), "do_not_contact");
    post_tp(cust, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"outbound\","
                  "\"purpose\":\"recovery\"", &r);
    assert_refused(&r, "do_not_contact");
    reply_free(&r);
    /* in person has no consent channel, but do_not_contact still holds */
    post_tp(cust, "\"kind\":\"event\",\"channel\":\"in_person\",\"direction\":\"outbound\","
                  "\"purpose\":\"information\"", &r);
    assert_refused(&r, "do_not_contact");
    ck_assert(json_is_null(json_object_get(json_object_get(r.json, "contact_policy"), "channel")));
    reply_free(&r);
    /* the customer may always reach us */
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"inbound\"");
    ck_assert_uint_eq(count_for(cust), 1);

    http_json("PATCH", pathf("/v1/customers/%s", cust), "{\"do_not_contact\":false}", &r);
    assert_json(&r, 200);
    reply_free(&r);
    policy(cust, "channel=email&purpose=sales", "");
}
END_TEST

START_TEST(window_refuses_the_fourth_unless_overridden)
{
    char cust[ID_LEN], oldest[32], body[2048], big[1100];
    const time_t now = time(NULL);
    struct reply r;
    json_t *eval, *tp;

    new_customer(CONSENTS, "", cust);
    stamp(now - 3 * DAY, oldest);
    snprintf(body, sizeof body,
             "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
             "\"purpose\":\"sales\",\"outcome\":\"reached\",\"occurred_at\":\"%s\"",
             oldest);
    post_tp_ok(cust, body);
    policy(cust, "channel=phone", "");
    post_tp_ok(cust, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"outbound\","
                     "\"purpose\":\"information\"");
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"service\",\"outcome\":\"unanswered\"");
    /* inbound contact never counts and is never refused */
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"inbound\"");

    eval = policy_is(cust, "channel=post&purpose=service", "too_many_contacts");
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "contacts_in_window")), 3);
    stamp(now - 3 * DAY + 30 * DAY, body);
    ck_assert_str_eq(sget(eval, "next_allowed_at"), body); /* the oldest leaves the window */
    json_decref(eval);
    policy(cust, "channel=phone&purpose=recovery", "too_many_contacts");

    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\"", &r);
    assert_refused(&r, "too_many_contacts");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r.json, "contact_policy"),
                                                        "contacts_in_window")),
                     3);
    reply_free(&r);
    ck_assert_uint_eq(count_for(cust), 4);

    /* override_reason: 1-1024 bytes of one-line text, outbound only */
    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\",\"override_reason\":\"\"", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "override_reason");
    reply_free(&r);
    memset(big, 'x', 1025);
    big[1025] = '\0';
    snprintf(body, sizeof body,
             "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
             "\"purpose\":\"sales\",\"override_reason\":\"%s\"",
             big);
    post_tp(cust, body, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "override_reason");
    reply_free(&r);
    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"inbound\","
                  "\"override_reason\":\"why not\"", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "override_reason");
    reply_free(&r);
    ck_assert_uint_eq(count_for(cust), 4);

    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\",\"override_reason\":\"Kunde bat ausdrücklich um Rückruf "
                  "heute\"", &r);
    assert_json(&r, 201);
    ck_assert_str_eq(jstr(&r, "override_reason"), "Kunde bat ausdrücklich um Rückruf heute");
    tp = fetch(r.location);
    ck_assert_str_eq(sget(tp, "override_reason"), "Kunde bat ausdrücklich um Rückruf heute");
    json_decref(tp);
    reply_free(&r);
    /* 1024 bytes exactly is fine */
    big[1024] = '\0';
    snprintf(body, sizeof body,
             "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
             "\"purpose\":\"sales\",\"override_reason\":\"%s\"",
             big);
    post_tp_ok(cust, body);

    eval = policy_is(cust, "channel=phone", "too_many_contacts");
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "contacts_in_window")), 5);
    json_decref(eval);
    /* a touchpoint without override_reason shows null */
    tp = fetch_items(pathf("/v1/touchpoints?customer_id=%s&limit=1", cust));
    ck_assert(json_is_null(json_object_get(json_array_get(tp, 0), "override_reason")));
    json_decref(tp);
}
END_TEST

START_TEST(let_go_after_three_unanswered)
{
    char cust[ID_LEN];
    struct reply r;
    json_t *eval;

    new_customer(CONSENTS, "", cust);
    /* long ago, so the window does not count them: letting go has no age limit */
    for (int i = 1; i <= 3; i++)
        post_tp_ok(cust, pathf("\"kind\":\"phone_call\",\"channel\":\"phone\","
                               "\"direction\":\"outbound\",\"purpose\":\"sales\","
                               "\"outcome\":\"unanswered\",\"occurred_at\":\"2025-0%d-10T10:00:00Z\"",
                               i + 2));
    eval = policy_is(cust, "channel=phone", "let_go");
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "contacts_in_window")), 0);
    ck_assert(json_is_null(json_object_get(eval, "next_allowed_at")));
    json_decref(eval);
    policy(cust, "channel=email&purpose=service", "let_go");
    policy(cust, "channel=email&purpose=information", "let_go");
    policy(cust, "channel=phone&purpose=recovery", "");
    post_tp(cust, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"outbound\","
                  "\"purpose\":\"service\"", &r);
    assert_refused(&r, "let_go");
    reply_free(&r);
    /* the customer gets in touch: the streak is over */
    post_tp_ok(cust, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"inbound\","
                     "\"occurred_at\":\"2025-06-01T09:00:00Z\"");
    policy(cust, "channel=phone", "");
}
END_TEST

START_TEST(two_unanswered_then_reached_is_not_let_go)
{
    char cust[ID_LEN];

    new_customer(CONSENTS, "", cust);
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"unanswered\","
                     "\"occurred_at\":\"2025-01-10T10:00:00Z\"");
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"reached\","
                     "\"occurred_at\":\"2025-02-10T10:00:00Z\"");
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"unanswered\","
                     "\"occurred_at\":\"2025-03-10T10:00:00Z\"");
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"unanswered\","
                     "\"occurred_at\":\"2025-04-10T10:00:00Z\"");
    policy(cust, "channel=phone", "");
    /* the third in a row (recorded late, with its real time) tips it */
    post_tp_ok(cust, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"unanswered\","
                     "\"occurred_at\":\"2025-05-10T10:00:00Z\"");
    policy(cust, "channel=phone", "let_go");
}
END_TEST

/* A sales call answered "declined" (no interest), recorded with its real time. */
static void
declined_call(const char *cust, const char *purpose, const char *at)
{
    post_tp_ok(cust, pathf("\"kind\":\"phone_call\",\"channel\":\"phone\","
                           "\"direction\":\"outbound\",\"purpose\":\"%s\","
                           "\"outcome\":\"declined\",\"occurred_at\":\"%s\"",
                           purpose, at));
}

START_TEST(let_go_after_two_declined)
{
    static const char *const de[] = { "Accept-Language: de", NULL };
    char cust[ID_LEN];
    struct reply r;
    json_t *eval, *card, *reason, *rules;

    rules = fetch("/v1/rules");
    ck_assert_int_eq(json_integer_value(json_object_get(rules, "let_go_after_declined")), 2);
    json_decref(rules);
    new_customer(CONSENTS, "", cust);
    declined_call(cust, "sales", "2025-03-10T10:00:00Z");
    policy(cust, "channel=phone&purpose=sales", ""); /* once is no answer yet */
    declined_call(cust, "sales", "2025-04-10T10:00:00Z");
    eval = policy_is(cust, "channel=phone&purpose=sales", "let_go_declined");
    ck_assert(json_is_null(json_object_get(eval, "next_allowed_at")));
    reason = json_array_get(json_object_get(eval, "reasons"), 0);
    ck_assert_str_eq(sget(reason, "detail"), "the customer declined the last 2 sales contacts; "
                                             "let go until the customer gets in touch");
    json_decref(eval);
    /* only for that purpose */
    policy(cust, "channel=email&purpose=service", "");
    policy(cust, "channel=email&purpose=information", "");
    /* the card embeds the sales policy per channel, in the desk's language */
    http("GET", pathf("/v1/greeting?customer_id=%s", cust), NULL, NULL, de, &r);
    ck_assert_int_eq(r.status, 200);
    card = json_object_get(json_object_get(r.json, "contact_policy"), "phone");
    ck_assert_str_eq(codes(card), "let_go_declined");
    ck_assert_str_eq(sget(json_array_get(json_object_get(card, "reasons"), 0), "detail"),
                     "Der Kunde hat die letzten 2 Anfragen (Verkaufskontakt) abgelehnt; warten, "
                     "bis sich der Kunde meldet");
    reply_free(&r);
    /* a third sales call is refused unless overridden */
    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\"", &r);
    assert_refused(&r, "let_go_declined");
    reply_free(&r);
    /* the customer gets in touch: asked again */
    post_tp_ok(cust, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"inbound\","
                     "\"occurred_at\":\"2025-06-01T09:00:00Z\"");
    policy(cust, "channel=phone&purpose=sales", "");
}
END_TEST

START_TEST(declined_then_reached_is_not_let_go)
{
    char cust[ID_LEN];

    new_customer(CONSENTS, "", cust);
    declined_call(cust, "service", "2025-01-10T10:00:00Z");
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"service\",\"outcome\":\"reached\","
                     "\"occurred_at\":\"2025-02-10T10:00:00Z\"");
    declined_call(cust, "service", "2025-03-10T10:00:00Z");
    declined_call(cust, "sales", "2025-03-11T10:00:00Z");
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"service\",\"outcome\":\"unanswered\","
                     "\"occurred_at\":\"2025-03-12T10:00:00Z\"");
    policy(cust, "channel=phone&purpose=service", "");
    /* recovery is not exempt from this one: the offer was made and refused */
    declined_call(cust, "recovery", "2025-04-01T10:00:00Z");
    declined_call(cust, "recovery", "2025-04-02T10:00:00Z");
    policy(cust, "channel=phone&purpose=recovery", "let_go_declined");
    declined_call(cust, "service", "2025-04-03T10:00:00Z"); /* with the one of March: two */
    policy(cust, "channel=phone&purpose=service", "let_go_declined");
    policy(cust, "channel=phone&purpose=sales", "");
}
END_TEST

START_TEST(quiet_period_after_a_detractor)
{
    char cust[ID_LEN], at[32], until[32];
    const time_t now = time(NULL);
    struct reply r;
    json_t *eval;

    new_customer(CONSENTS, "", cust);
    stamp(now - 2 * DAY, at);
    stamp(now - 2 * DAY + 30 * DAY, until);
    post_tp_ok(cust, pathf("\"kind\":\"survey\",\"channel\":\"email\",\"nps\":6,"
                           "\"occurred_at\":\"%s\"",
                           at));
    eval = policy_is(cust, "channel=phone&purpose=sales", "quiet_period");
    ck_assert_str_eq(sget(eval, "next_allowed_at"), until);
    ck_assert_msg(strstr(sget(json_array_get(json_object_get(eval, "reasons"), 0), "detail"), until),
                  "detail names the end of the quiet period");
    json_decref(eval);
    policy(cust, "channel=phone&purpose=recovery", "");
    policy(cust, "channel=phone&purpose=service", "");
    policy(cust, "channel=email&purpose=information", "");

    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\"", &r);
    assert_refused(&r, "quiet_period");
    reply_free(&r);
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"recovery\",\"outcome\":\"reached\"");
    ck_assert_uint_eq(count_for(cust), 2);
}
END_TEST

START_TEST(passive_score_and_satisfaction_threshold)
{
    char cust[ID_LEN];

    new_customer(CONSENTS, "", cust);
    /* nps 7 is passive, satisfaction 0.5 is not below the threshold: no quiet period */
    post_tp_ok(cust, "\"kind\":\"survey\",\"channel\":\"email\",\"nps\":7,\"satisfaction\":0.5");
    policy(cust, "channel=phone", "");
    post_tp_ok(cust, "\"kind\":\"service_visit\",\"channel\":\"in_person\",\"satisfaction\":0.49");
    policy(cust, "channel=phone", "quiet_period");
}
END_TEST

START_TEST(quiet_period_while_a_complaint_is_open)
{
    char cust[ID_LEN], loc[128];
    struct reply r;
    json_t *eval;

    new_customer(CONSENTS, "", cust);
    post_tp(cust, "\"kind\":\"complaint\",\"channel\":\"email\",\"occurred_at\":\"2024-01-10T10:00:00Z\","
                  "\"follow_up\":{\"text\":\"Kulanz anbieten\"}", &r);
    assert_json(&r, 201);
    snprintf(loc, sizeof loc, "%s", r.location);
    reply_free(&r);
    eval = policy_is(cust, "channel=phone&purpose=sales", "quiet_period");
    ck_assert(json_is_null(json_object_get(eval, "next_allowed_at"))); /* until resolved */
    json_decref(eval);
    policy(cust, "channel=phone&purpose=recovery", "");
    post_tp(cust, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\"", &r);
    assert_refused(&r, "quiet_period");
    reply_free(&r);
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"recovery\",\"outcome\":\"reached\"");

    http("PATCH", loc, "application/merge-patch+json", "{\"follow_up\":{\"done\":true}}", NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);
    policy(cust, "channel=phone&purpose=sales", "");

    /* a complaint recorded without a follow-up is open too */
    post_tp_ok(cust, "\"kind\":\"complaint\",\"channel\":\"phone\"");
    policy(cust, "channel=phone&purpose=sales", "quiet_period");
}
END_TEST

START_TEST(channel_mapping)
{
    char post_only[ID_LEN], none[ID_LEN];
    struct reply r;

    new_customer("{\"post\":\"granted\"}", "", post_only);
    post_tp_ok(post_only, "\"kind\":\"other\",\"channel\":\"letter\",\"direction\":\"outbound\","
                          "\"purpose\":\"information\"");
    post_tp(post_only, "\"kind\":\"email\",\"channel\":\"email\",\"direction\":\"outbound\","
                       "\"purpose\":\"information\"", &r);
    assert_refused(&r, "no_consent");
    ck_assert_str_eq(sget(json_object_get(r.json, "contact_policy"), "channel"), "email");
    reply_free(&r);

    /* in person, app and web have no consent channel */
    new_customer(NULL, "", none);
    post_tp_ok(none, "\"kind\":\"event\",\"channel\":\"in_person\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\"");
    post_tp_ok(none, "\"kind\":\"other\",\"channel\":\"app\",\"direction\":\"outbound\","
                     "\"purpose\":\"service\"");
    post_tp_ok(none, "\"kind\":\"other\",\"channel\":\"web\",\"direction\":\"outbound\","
                     "\"purpose\":\"information\"");
    /* ... but they are outbound contacts and count */
    post_tp(none, "\"kind\":\"event\",\"channel\":\"in_person\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\"", &r);
    assert_refused(&r, "too_many_contacts");
    reply_free(&r);
    post_tp(none, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\"", &r);
    assert_refused(&r, "no_consent,too_many_contacts");
    reply_free(&r);
    ck_assert_uint_eq(count_for(none), 3);
}
END_TEST

START_TEST(patch_is_not_checked)
{
    char cust[ID_LEN], loc[128];
    struct reply r;

    new_customer(NULL, "", cust);
    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\"", &r);
    assert_json(&r, 201);
    snprintf(loc, sizeof loc, "%s", r.location);
    reply_free(&r);
    http_json("PATCH", loc, "{\"direction\":\"outbound\",\"purpose\":\"sales\"}", &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "direction"), "outbound");
    reply_free(&r);
}
END_TEST

static const struct {
    const char *query;
    long status;
    const char *slug;
} bad[] = {
    { "", 400, "bad-request" },
    { "purpose=sales", 400, "bad-request" },
    { "channel=fax", 400, "bad-request" },
    { "channel=Phone", 400, "bad-request" },
    { "channel=letter", 400, "bad-request" },
    { "channel=phone&purpose=spam", 400, "bad-request" },
    { "channel=phone&purpose=", 400, "bad-request" },
    { "channel=phone&limit=3", 400, "bad-request" },
    { "channel=phone&channel=email", 400, "bad-request" },
};

START_TEST(bad_queries)
{
    char cust[ID_LEN];
    struct reply r;

    new_customer(CONSENTS, "", cust);
    http_get(pathf("/v1/customers/%s/contact-policy?%s", cust, bad[_i].query), &r);
    assert_problem(&r, bad[_i].status, bad[_i].slug);
    if (strstr(bad[_i].query, "channel=") == NULL)
        ck_assert_msg(strstr(jstr(&r, "detail"), "channel"), "%s", jstr(&r, "detail"));
    reply_free(&r);
}
END_TEST

START_TEST(unknown_customer_is_not_found)
{
    struct reply r;

    http_get(pathf("/v1/customers/%s/contact-policy?channel=phone", ghost), &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get("/v1/customers/not-a-uuid/contact-policy?channel=phone", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http("POST", pathf("/v1/customers/%s/contact-policy?channel=phone", ghost), NULL, "{}", NULL, &r);
    assert_problem(&r, 405, "method-not-allowed");
    reply_free(&r);
}
END_TEST

/*
 * A server of our own whose clock reads t; same database across restarts.
 * env must outlive the server (putenv keeps the pointer).
 */
static void
start_at(struct server *s, time_t t, char env[64])
{
    const char *e[2];

    snprintf(env, 64, "CRMD_FAKE_NOW=%lld", (long long)t);
    e[0] = env;
    e[1] = NULL;
    server_start(s, NULL, e);
}

START_TEST(window_lapses_with_the_clock)
{
    const time_t t0 = 1780315200; /* 2026-06-01T12:00:00Z */
    struct server s = { 0 };
    char env[64], cust[ID_LEN];
    struct reply r;
    json_t *eval;

    start_at(&s, t0, env);
    new_customer(CONSENTS, "", cust);
    /* the oldest a minute inside the window */
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"reached\","
                     "\"occurred_at\":\"2026-05-02T12:01:00Z\"");
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"reached\","
                     "\"occurred_at\":\"2026-05-20T09:00:00Z\"");
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"reached\"");  /* now */
    eval = policy_is(cust, "channel=phone", "too_many_contacts");
    ck_assert_str_eq(sget(eval, "next_allowed_at"), "2026-06-01T12:01:00Z");
    json_decref(eval);
    post_tp(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                  "\"purpose\":\"sales\"", &r);
    assert_refused(&r, "too_many_contacts");
    reply_free(&r);
    ck_assert_int_eq(server_stop(&s), 0);

    /* 59 s later: still inside */
    start_at(&s, t0 + 59, env);
    policy(cust, "channel=phone", "too_many_contacts");
    ck_assert_int_eq(server_stop(&s), 0);

    /* at next_allowed_at the oldest has left the window */
    start_at(&s, t0 + 60, env);
    eval = policy_is(cust, "channel=phone", "");
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "contacts_in_window")), 2);
    json_decref(eval);
    post_tp_ok(cust, "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"outbound\","
                     "\"purpose\":\"sales\",\"outcome\":\"reached\"");
    policy(cust, "channel=phone", "too_many_contacts");
    ck_assert_int_eq(server_stop(&s), 0);
    ck_assert_int_eq(system(pathf("rm -rf %s", s.dir)), 0);
}
END_TEST

START_TEST(quiet_period_lapses_with_the_clock)
{
    const time_t t0 = 1780315200; /* 2026-06-01T12:00:00Z */
    struct server s = { 0 };
    char env[64], cust[ID_LEN];
    json_t *eval;

    start_at(&s, t0, env);
    new_customer(CONSENTS, "", cust);
    post_tp_ok(cust, "\"kind\":\"survey\",\"channel\":\"email\",\"nps\":2,"
                     "\"occurred_at\":\"2026-05-10T08:00:00Z\"");
    eval = policy_is(cust, "channel=email", "quiet_period");
    ck_assert_str_eq(sget(eval, "next_allowed_at"), "2026-06-09T08:00:00Z");
    json_decref(eval);
    ck_assert_int_eq(server_stop(&s), 0);

    start_at(&s, t0 + 7 * DAY + 20 * 3600 - 1, env); /* 2026-06-09T07:59:59Z */
    policy(cust, "channel=email", "quiet_period");
    ck_assert_int_eq(server_stop(&s), 0);

    start_at(&s, t0 + 7 * DAY + 20 * 3600, env);
    policy(cust, "channel=email", "");
    ck_assert_int_eq(server_stop(&s), 0);
    ck_assert_int_eq(system(pathf("rm -rf %s", s.dir)), 0);
}
END_TEST

Suite *
contact_suite(void)
{
    Suite *s = suite_create("contact");
    TCase *tc = tcase_create("contact");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, consent_missing_withdrawn_granted);
    tcase_add_test(tc, do_not_contact_blocks_every_purpose);
    tcase_add_test(tc, window_refuses_the_fourth_unless_overridden);
    tcase_add_test(tc, let_go_after_three_unanswered);
    tcase_add_test(tc, two_unanswered_then_reached_is_not_let_go);
    tcase_add_test(tc, let_go_after_two_declined);
    tcase_add_test(tc, declined_then_reached_is_not_let_go);
    tcase_add_test(tc, quiet_period_after_a_detractor);
    tcase_add_test(tc, passive_score_and_satisfaction_threshold);
    tcase_add_test(tc, quiet_period_while_a_complaint_is_open);
    tcase_add_test(tc, channel_mapping);
    tcase_add_test(tc, patch_is_not_checked);
    tcase_add_loop_test(tc, bad_queries, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, unknown_customer_is_not_found);
    suite_add_tcase(s, tc);

    tc = tcase_create("clock");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, window_lapses_with_the_clock);
    tcase_add_test(tc, quiet_period_lapses_with_the_clock);
    suite_add_tcase(s, tc);
    return s;
}
