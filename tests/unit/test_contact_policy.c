/*
 * test_contact_policy: every rule of contact_policy_evaluate just inside
 * and just outside its window or count, for every purpose, alone and
 * combined, with default and custom rules, and every detail in German.
 * Facts are built relative to a fixed now.
 */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "contact_policy.h"
#include "rules.h"
#include "unit_suites.h"
#include "util.h"

#define NOW 1780315200L /* 2026-06-01T12:00:00Z */
#define D 86400L
#define NONE 0L

#define GRANTED                                                                                    \
    "{\"phone\":{\"status\":\"granted\",\"at\":\"2020-01-01T00:00:00Z\"},\"email\":\"granted\","  \
    "\"post\":{\"status\":\"granted\",\"at\":\"2020-01-01T00:00:00Z\"}}"

struct tp {
    char outcome; /* 'u'nanswered, 'r'eached, 'd'eclined, '-' none; 0 ends the list */
    long age;     /* seconds before NOW */
};

struct pcase {
    const char *what;
    const char *channel, *purpose;
    const char *consents; /* JSON object or NULL */
    int dnc;
    struct tp out[6];     /* outbound, newest first */
    long poor[3];         /* ages of poor experiences, 0 ends */
    int complaints;
    long inbound;         /* age of the last inbound contact, 0 = none */
    const char *want;     /* reason codes joined by ',', "" = allowed */
    int in_window;
    long next;            /* next_allowed_at - NOW, NONE = null */
};

static const struct pcase cases[] = {
    /* consent */
    { "granted, nothing else", "phone", "sales", GRANTED, 0, { { 0, 0 } }, { 0 }, 0, 0, "", 0, NONE },
    { "no consents at all", "phone", "sales", NULL, 0, { { 0, 0 } }, { 0 }, 0, 0, "no_consent", 0, NONE },
    { "consent for other channels only", "sms", "service", GRANTED, 0, { { 0, 0 } }, { 0 }, 0, 0,
      "no_consent", 0, NONE },
    { "withdrawn", "phone", "recovery",
      "{\"phone\":{\"status\":\"withdrawn\",\"at\":\"2026-05-01T08:00:00Z\"}}", 0, { { 0, 0 } },
      { 0 }, 0, 0, "consent_withdrawn", 0, NONE },
    { "bare string granted", "email", "information", GRANTED, 0, { { 0, 0 } }, { 0 }, 0, 0, "", 0,
      NONE },
    { "bare string withdrawn", "post", "sales", "{\"post\":\"withdrawn\"}", 0, { { 0, 0 } }, { 0 },
      0, 0, "consent_withdrawn", 0, NONE },
    { "no consent channel (in person): consent not needed", NULL, "sales", NULL, 0, { { 0, 0 } },
      { 0 }, 0, 0, "", 0, NONE },
    /* do_not_contact: every purpose */
    { "dnc sales", "phone", "sales", GRANTED, 1, { { 0, 0 } }, { 0 }, 0, 0, "do_not_contact", 0, NONE },
    { "dnc service", "email", "service", GRANTED, 1, { { 0, 0 } }, { 0 }, 0, 0, "do_not_contact", 0,
      NONE },
    { "dnc information", "post", "information", GRANTED, 1, { { 0, 0 } }, { 0 }, 0, 0,
      "do_not_contact", 0, NONE },
    { "dnc recovery", "phone", "recovery", GRANTED, 1, { { 0, 0 } }, { 0 }, 0, 0, "do_not_contact",
      0, NONE },
    { "dnc without consent channel", NULL, "service", NULL, 1, { { 0, 0 } }, { 0 }, 0, 0,
      "do_not_contact", 0, NONE },
    /* too_many_contacts */
    { "2 in window", "phone", "sales", GRANTED, 0, { { 'r', 1 * D }, { 'r', 2 * D } }, { 0 }, 0, 0,
      "", 2, NONE },
    { "3rd just inside the window", "phone", "sales", GRANTED, 0,
      { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 30 * D - 1 } }, { 0 }, 0, 0, "too_many_contacts", 3,
      1 },
    { "3rd exactly at the window", "phone", "sales", GRANTED, 0,
      { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 30 * D } }, { 0 }, 0, 0, "", 2, NONE },
    { "3rd just outside the window", "phone", "sales", GRANTED, 0,
      { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 30 * D + 1 } }, { 0 }, 0, 0, "", 2, NONE },
    { "4 in window: lapses when the 3rd newest leaves", "email", "service", GRANTED, 0,
      { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 3 * D }, { 'r', 4 * D } }, { 0 }, 0, 0,
      "too_many_contacts", 4, 27 * D },
    { "every outcome counts, recovery too", "phone", "recovery", GRANTED, 0,
      { { 'u', 1 * D }, { '-', 2 * D }, { 'd', 3 * D } }, { 0 }, 0, 0, "too_many_contacts", 3,
      27 * D },
    { "a contact just now counts", "phone", "information", GRANTED, 0,
      { { 'r', 0 }, { 'r', 1 }, { 'r', 2 } }, { 0 }, 0, 0, "too_many_contacts", 3, 30 * D - 2 },
    /* let_go */
    { "3 unanswered (outside the window) sales", "phone", "sales", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'u', 33 * D } }, { 0 }, 0, 0, "let_go", 0, NONE },
    { "3 unanswered information", "email", "information", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'u', 33 * D } }, { 0 }, 0, 0, "let_go", 0, NONE },
    { "3 unanswered service", "phone", "service", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'u', 33 * D } }, { 0 }, 0, 0, "let_go", 0, NONE },
    { "3 unanswered, recovery is exempt", "phone", "recovery", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'u', 33 * D } }, { 0 }, 0, 0, "", 0, NONE },
    { "years ago still lets go", "phone", "sales", GRANTED, 0,
      { { 'u', 700 * D }, { 'u', 701 * D }, { 'u', 702 * D } }, { 0 }, 0, 0, "let_go", 0, NONE },
    { "2 unanswered then reached", "phone", "sales", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'r', 33 * D }, { 'u', 34 * D } }, { 0 }, 0, 0, "", 0,
      NONE },
    { "2 unanswered then declined", "phone", "sales", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'd', 33 * D } }, { 0 }, 0, 0, "", 0, NONE },
    { "newest reached", "phone", "sales", GRANTED, 0,
      { { 'r', 31 * D }, { 'u', 32 * D }, { 'u', 33 * D }, { 'u', 34 * D } }, { 0 }, 0, 0, "", 0,
      NONE },
    { "attempts without outcome are skipped", "phone", "sales", GRANTED, 0,
      { { 'u', 31 * D }, { '-', 32 * D }, { 'u', 33 * D }, { '-', 34 * D }, { 'u', 35 * D } },
      { 0 }, 0, 0, "let_go", 0, NONE },
    { "only 2 unanswered in all", "phone", "sales", GRANTED, 0, { { 'u', 31 * D }, { 'u', 32 * D } },
      { 0 }, 0, 0, "", 0, NONE },
    { "inbound after the streak ends it", "phone", "sales", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'u', 33 * D } }, { 0 }, 0, 10 * D, "", 0, NONE },
    { "inbound inside the streak cuts it", "phone", "sales", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'u', 33 * D } }, { 0 }, 0, 31 * D + 1, "", 0, NONE },
    { "inbound before the streak does not", "phone", "sales", GRANTED, 0,
      { { 'u', 31 * D }, { 'u', 32 * D }, { 'u', 33 * D } }, { 0 }, 0, 33 * D + 1, "let_go", 0,
      NONE },
    /* let_go_declined: per purpose */
    { "2 declined sales", "phone", "sales", GRANTED, 0, { { 'd', 31 * D }, { 'd', 400 * D } },
      { 0 }, 0, 0, "let_go_declined", 0, NONE },
    { "1 declined sales: ask again", "phone", "sales", GRANTED, 0, { { 'd', 31 * D } }, { 0 }, 0,
      0, "", 0, NONE },
    { "2 declined sales do not stop service", "phone", "service", GRANTED, 0,
      { { 'd', 31 * D }, { 'd', 32 * D } }, { 0 }, 0, 0, "", 0, NONE },
    { "unanswered and no outcome between declines are no answer", "phone", "sales", GRANTED, 0,
      { { 'd', 31 * D }, { 'u', 32 * D }, { '-', 33 * D }, { 'd', 34 * D } }, { 0 }, 0, 0,
      "let_go_declined", 0, NONE },
    { "reached between declines ends the streak", "phone", "sales", GRANTED, 0,
      { { 'd', 31 * D }, { 'r', 32 * D }, { 'd', 33 * D } }, { 0 }, 0, 0, "", 0, NONE },
    { "inbound after the declines ends it", "phone", "sales", GRANTED, 0,
      { { 'd', 31 * D }, { 'd', 32 * D } }, { 0 }, 0, 10 * D, "", 0, NONE },
    { "inbound between the declines cuts it", "phone", "sales", GRANTED, 0,
      { { 'd', 31 * D }, { 'd', 32 * D } }, { 0 }, 0, 31 * D + 1, "", 0, NONE },
    { "declined in the window: no lapse", "phone", "sales", GRANTED, 0,
      { { 'd', 1 * D }, { 'd', 2 * D }, { 'u', 3 * D } }, { 0 }, 0, 0,
      "too_many_contacts,let_go_declined", 3, NONE },
    /* quiet_period */
    { "poor just inside quiet_days", "phone", "sales", GRANTED, 0, { { 0, 0 } }, { 30 * D - 1 }, 0,
      0, "quiet_period", 0, 1 },
    { "poor exactly quiet_days ago", "phone", "sales", GRANTED, 0, { { 0, 0 } }, { 30 * D }, 0, 0,
      "", 0, NONE },
    { "poor: lapses after the newest", "phone", "sales", GRANTED, 0, { { 0, 0 } },
      { 2 * D, 20 * D }, 0, 0, "quiet_period", 0, 28 * D },
    { "poor: service allowed", "phone", "service", GRANTED, 0, { { 0, 0 } }, { 1 * D }, 0, 0, "", 0,
      NONE },
    { "poor: recovery allowed", "phone", "recovery", GRANTED, 0, { { 0, 0 } }, { 1 * D }, 0, 0, "",
      0, NONE },
    { "poor: information allowed", "email", "information", GRANTED, 0, { { 0, 0 } }, { 1 * D }, 0,
      0, "", 0, NONE },
    { "open complaint: sales until resolved", "phone", "sales", GRANTED, 0, { { 0, 0 } }, { 0 }, 1,
      0, "quiet_period", 0, NONE },
    { "open complaint: recovery allowed", "phone", "recovery", GRANTED, 0, { { 0, 0 } }, { 0 }, 1,
      0, "", 0, NONE },
    { "open complaint: service allowed", "email", "service", GRANTED, 0, { { 0, 0 } }, { 0 }, 2, 0,
      "", 0, NONE },
    { "poor and open complaints", "phone", "sales", GRANTED, 0, { { 0, 0 } }, { 10 * D }, 2, 0,
      "quiet_period", 0, NONE },
    /* combinations */
    { "every reason at once", "phone", "sales", NULL, 1,
      { { 'u', 1 * D }, { 'u', 2 * D }, { 'u', 3 * D } }, { 1 * D }, 1, 0,
      "no_consent,do_not_contact,too_many_contacts,let_go,quiet_period", 3, NONE },
    { "every reason recovery may meet", "phone", "recovery",
      "{\"phone\":\"withdrawn\"}", 1, { { 'u', 1 * D }, { 'u', 2 * D }, { 'u', 3 * D } }, { 1 * D },
      1, 0, "consent_withdrawn,do_not_contact,too_many_contacts", 3, NONE },
    { "window and quiet: the later lapse (window)", "phone", "sales", GRANTED, 0,
      { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 3 * D } }, { 5 * D }, 0, 0,
      "too_many_contacts,quiet_period", 3, 27 * D },
    { "window and quiet: the later lapse (quiet)", "phone", "sales", GRANTED, 0,
      { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 3 * D } }, { 1 * D }, 0, 0,
      "too_many_contacts,quiet_period", 3, 29 * D },
    { "window and let go: no lapse", "phone", "service", GRANTED, 0,
      { { 'u', 1 * D }, { 'u', 2 * D }, { 'u', 3 * D } }, { 0 }, 0, 0, "too_many_contacts,let_go",
      3, NONE },
};

static void
stamp(long age, char out[UTIL_TIME_LEN + 1])
{
    util_format_time((time_t)(NOW - age), out);
}

static json_t *
build_facts(const struct pcase *c)
{
    char at[UTIL_TIME_LEN + 1];
    json_t *customer = json_pack("{s:s, s:b}", "kind", "person", "do_not_contact", c->dnc);
    json_t *out = json_array(), *poor = json_array(), *f;

    if (c->consents)
        json_object_set_new(customer, "consents", json_loads(c->consents, 0, NULL));
    ck_assert(!c->consents || json_is_object(json_object_get(customer, "consents")));
    for (size_t i = 0; i < 6 && c->out[i].outcome; i++) {
        const char *o = c->out[i].outcome == 'u'   ? "unanswered"
                        : c->out[i].outcome == 'r' ? "reached"
                        : c->out[i].outcome == 'd' ? "declined"
                                                   : NULL;
        stamp(c->out[i].age, at);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "occurred_at", at, "channel",
                                             "phone", "purpose", "sales", "outcome",
                                             o ? json_string(o) : json_null()));
    }
    for (size_t i = 0; i < 3 && c->poor[i]; i++) {
        stamp(c->poor[i], at);
        json_array_append_new(poor, json_pack("{s:s, s:s, s:f, s:i}", "occurred_at", at, "kind",
                                              "survey", "satisfaction", 0.2, "nps", 3));
    }
    stamp(0, at);
    f = json_pack("{s:s, s:o, s:o, s:o, s:i}", "now", at, "customer", customer, "outbound", out,
                  "poor", poor, "open_complaints", c->complaints);
    if (c->inbound) {
        stamp(c->inbound, at);
        json_object_set_new(f, "last_inbound_at", json_string(at));
    }
    return f;
}

/* Reason codes of an evaluation joined by ',' into out. */
static const char *
codes(const json_t *eval, char *out, size_t outsz)
{
    json_t *r;
    size_t i;

    out[0] = '\0';
    json_array_foreach(json_object_get(eval, "reasons"), i, r)
    {
        const char *detail = json_string_value(json_object_get(r, "detail"));
        ck_assert_msg(detail && strlen(detail) > 10, "reason %zu has no detail", i);
        if (i)
            strncat(out, ",", outsz - strlen(out) - 1);
        strncat(out, json_string_value(json_object_get(r, "code")), outsz - strlen(out) - 1);
    }
    return out;
}

static void
check_next(const json_t *eval, long want, const char *what)
{
    const json_t *n = json_object_get(eval, "next_allowed_at");
    char at[UTIL_TIME_LEN + 1];

    if (want == NONE) {
        ck_assert_msg(json_is_null(n), "%s: next_allowed_at should be null", what);
        return;
    }
    stamp(-want, at);
    ck_assert_msg(json_is_string(n), "%s: next_allowed_at missing", what);
    ck_assert_msg(strcmp(json_string_value(n), at) == 0, "%s: next_allowed_at %s, want %s", what,
                  json_string_value(n), at);
}

START_TEST(rules_table)
{
    const struct pcase *c = &cases[_i];
    struct rules r;
    json_t *facts, *eval;
    char got[256];

    rules_defaults(&r);
    facts = build_facts(c);
    eval = contact_policy_evaluate(facts, c->channel, c->purpose, &r, LANG_EN);
    ck_assert_msg(strcmp(codes(eval, got, sizeof got), c->want) == 0, "%s: reasons [%s], want [%s]",
                  c->what, got, c->want);
    ck_assert_msg(json_is_true(json_object_get(eval, "allowed")) == (c->want[0] == '\0'),
                  "%s: allowed is wrong", c->what);
    ck_assert_msg(json_integer_value(json_object_get(eval, "contacts_in_window")) == c->in_window,
                  "%s: contacts_in_window %lld, want %d", c->what,
                  (long long)json_integer_value(json_object_get(eval, "contacts_in_window")),
                  c->in_window);
    check_next(eval, c->next, c->what);
    json_decref(eval);
    json_decref(facts);
}
END_TEST

/*
 * Declined answers per purpose: out lists the outbound attempts newest
 * first as "outcome:purpose:age in days" (outcome u, r, d or -).
 */
static const struct dcase {
    const char *what, *purpose, *out, *want;
} declined_cases[] = {
    { "2 declined service stop service", "service", "d:service:31 r:sales:32 d:service:33",
      "let_go_declined" },
    { "... but not sales", "sales", "d:service:31 r:sales:32 d:service:33", "" },
    { "2 declined recovery: recovery is not exempt", "recovery", "d:recovery:31 d:recovery:32",
      "let_go_declined" },
    { "a reached of another purpose does not end it", "sales", "d:sales:31 r:service:32 d:sales:33",
      "let_go_declined" },
    { "declines of other purposes do not add up", "information",
      "d:sales:31 d:service:32 d:recovery:33 d:information:34", "" },
    { "unanswered of this purpose are no answer", "information",
      "d:information:31 u:information:32 -:information:33 d:information:34", "let_go_declined" },
    { "an attempt without purpose is skipped", "sales", "d:sales:31 d::32", "" },
};

START_TEST(declined_per_purpose)
{
    const struct dcase *c = &declined_cases[_i];
    struct rules r;
    json_t *facts, *out = json_array(), *eval;
    char got[256], at[UTIL_TIME_LEN + 1], outcome, purpose[16];
    const char *p = c->out;
    int days, n;

    rules_defaults(&r);
    while (sscanf(p, "%c:%15[a-z]:%d%n", &outcome, purpose, &days, &n) == 3 ||
           (purpose[0] = '\0', sscanf(p, "%c::%d%n", &outcome, &days, &n) == 2)) {
        stamp(days * D, at);
        json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:o}", "occurred_at", at, "channel",
                                             "phone", "purpose",
                                             purpose[0] ? json_string(purpose) : json_null(),
                                             "outcome",
                                             outcome == 'u'   ? json_string("unanswered")
                                             : outcome == 'r' ? json_string("reached")
                                             : outcome == 'd' ? json_string("declined")
                                                              : json_null()));
        p += n;
        p += *p == ' ';
    }
    stamp(0, at);
    facts = json_pack("{s:s, s:{s:{s:s}}, s:o, s:[], s:i}", "now", at, "customer", "consents",
                      "phone", "granted", "outbound", out, "poor", "open_complaints", 0);
    eval = contact_policy_evaluate(facts, "phone", c->purpose, &r, LANG_EN);
    ck_assert_msg(strcmp(codes(eval, got, sizeof got), c->want) == 0, "%s: reasons [%s], want [%s]",
                  c->what, got, c->want);
    json_decref(eval);
    json_decref(facts);
}
END_TEST

START_TEST(shape)
{
    static const struct pcase c = { "shape", "phone", "service", GRANTED, 0, { { 0, 0 } }, { 0 },
                                    0, 0, "", 0, NONE };
    struct rules r;
    json_t *facts = build_facts(&c), *eval;

    rules_defaults(&r);
    eval = contact_policy_evaluate(facts, "phone", "service", &r, LANG_EN);
    ck_assert_int_eq(json_object_size(eval), 8);
    ck_assert_str_eq(json_string_value(json_object_get(eval, "channel")), "phone");
    ck_assert_str_eq(json_string_value(json_object_get(eval, "purpose")), "service");
    ck_assert(json_is_true(json_object_get(eval, "allowed")));
    ck_assert(json_is_array(json_object_get(eval, "reasons")));
    ck_assert_int_eq(json_array_size(json_object_get(eval, "reasons")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "window_days")), 30);
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "max_contacts")), 3);
    ck_assert(json_is_null(json_object_get(eval, "next_allowed_at")));
    json_decref(eval);
    eval = contact_policy_evaluate(facts, NULL, "sales", &r, LANG_EN);
    ck_assert(json_is_null(json_object_get(eval, "channel")));
    ck_assert(json_is_true(json_object_get(eval, "allowed")));
    json_decref(eval);
    json_decref(facts);
}
END_TEST

START_TEST(details_say_why)
{
    static const struct pcase c = { "details", "phone", "sales",
                                    "{\"phone\":{\"status\":\"withdrawn\",\"at\":\"2026-05-01T08:00:00Z\"}}",
                                    0, { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 3 * D } }, { 1 * D },
                                    1, 0, "", 0, NONE };
    struct rules r;
    json_t *facts = build_facts(&c), *eval, *reasons;
    const char *d;

    rules_defaults(&r);
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    reasons = json_object_get(eval, "reasons");
    ck_assert_int_eq(json_array_size(reasons), 3);
    d = json_string_value(json_object_get(json_array_get(reasons, 0), "detail"));
    ck_assert_msg(strstr(d, "phone") && strstr(d, "2026-05-01T08:00:00Z"), "%s", d);
    d = json_string_value(json_object_get(json_array_get(reasons, 1), "detail"));
    ck_assert_msg(strstr(d, "3 outbound contacts in the last 30 days") && strstr(d, "limit of 3"),
                  "%s", d);
    d = json_string_value(json_object_get(json_array_get(reasons, 2), "detail"));
    ck_assert_msg(strstr(d, "until 2026-06-30T12:00:00Z") && strstr(d, "1 complaint is open") &&
                      strstr(d, "recovery"),
                  "%s", d);
    json_decref(eval);
    json_decref(facts);
}
END_TEST

/* Every detail in German, singular and plural; the codes stay English. */
static const struct german_case {
    struct pcase c;
    int contact_max, let_go; /* 0: the default; let_go sets both let-go thresholds */
    const char *want;        /* the details joined by " | " */
} german_cases[] = {
    { { "declined", "phone", "sales", GRANTED, 0, { { 'd', 40 * D }, { 'd', 80 * D } }, { 0 }, 0,
        0, "", 0, NONE },
      0, 0,
      "Der Kunde hat die letzten 2 Anfragen (Verkaufskontakt) abgelehnt; warten, bis sich der "
      "Kunde meldet" },
    { { "declined once", "phone", "sales", GRANTED, 0, { { 'd', 40 * D } }, { 0 }, 0, 0, "", 0,
        NONE },
      0, 1,
      "Der Kunde hat 1 Anfrage (Verkaufskontakt) zuletzt abgelehnt; warten, bis sich der Kunde "
      "meldet" },
    { { "withdrawn, window, quiet", "phone", "sales",
        "{\"phone\":{\"status\":\"withdrawn\",\"at\":\"2026-05-01T08:00:00Z\"}}", 0,
        { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 3 * D } }, { 1 * D }, 1, 0, "", 0, NONE },
      0, 0,
      "Der Kunde hat die Einwilligung zur Kontaktaufnahme per Telefon am 01.05.2026 widerrufen | "
      "3 ausgehende Kontakte in den letzten 30 Tagen erreichen die Grenze von 3 | "
      "Kein Verkaufskontakt für 30 Tage nach einer schlechten Erfahrung (bis 30.06.2026, 12:00 "
      "UTC) und solange 1 Reklamation offen ist; Kontakte zu Service, Information und "
      "Wiedergutmachung sind erlaubt" },
    { { "withdrawn without a date, no consent", "post", "service", "{\"post\":\"withdrawn\"}", 0,
        { { 0, 0 } }, { 0 }, 0, 0, "", 0, NONE },
      0, 0, "Der Kunde hat die Einwilligung zur Kontaktaufnahme per Post widerrufen" },
    { { "no consent, do not contact", "sms", "service", NULL, 1, { { 0, 0 } }, { 0 }, 0, 0, "", 0,
        NONE },
      0, 0,
      "Keine Einwilligung zur Kontaktaufnahme per SMS erfasst | "
      "Der Kunde möchte überhaupt nicht kontaktiert werden" },
    { { "let go", "email", "information", GRANTED, 0,
        { { 'u', 1 * D }, { 'u', 40 * D }, { 'u', 80 * D } }, { 0 }, 0, 0, "", 0, NONE },
      0, 0,
      "Die letzten 3 ausgehenden Versuche blieben unbeantwortet; warten, bis sich der Kunde "
      "meldet" },
    { { "one contact, one attempt", "email", "information", GRANTED, 0, { { 'u', 1 * D } }, { 0 },
        0, 0, "", 0, NONE },
      1, 1,
      "1 ausgehender Kontakt in den letzten 30 Tagen erreicht die Grenze von 1 | "
      "1 ausgehender Versuch blieb zuletzt unbeantwortet; warten, bis sich der Kunde meldet" },
    { { "two complaints", "phone", "sales", GRANTED, 0, { { 0, 0 } }, { 0 }, 2, 0, "", 0, NONE },
      0, 0,
      "Kein Verkaufskontakt solange 2 Reklamationen offen sind; Kontakte zu Service, Information "
      "und Wiedergutmachung sind erlaubt" },
    { { "contact_max 0", "phone", "sales", GRANTED, 0, { { 0, 0 } }, { 0 }, 0, 0, "", 0, NONE },
      -1, 0, "Keine ausgehenden Kontakte erlaubt (contact_max ist 0)" },
};

START_TEST(details_in_german)
{
    const struct german_case *g = &german_cases[_i];
    struct rules r;
    json_t *facts = build_facts(&g->c), *eval, *reason;
    char got[1024] = "";
    size_t i;

    rules_defaults(&r);
    if (g->contact_max)
        r.contact_max = g->contact_max < 0 ? 0 : g->contact_max;
    if (g->let_go)
        r.let_go_unanswered = r.let_go_after_declined = g->let_go;
    eval = contact_policy_evaluate(facts, g->c.channel, g->c.purpose, &r, LANG_DE);
    json_array_foreach(json_object_get(eval, "reasons"), i, reason)
    {
        if (i)
            strncat(got, " | ", sizeof got - strlen(got) - 1);
        strncat(got, json_string_value(json_object_get(reason, "detail")),
                sizeof got - strlen(got) - 1);
    }
    ck_assert_msg(strcmp(got, g->want) == 0, "%s:\n got  %s\n want %s", g->c.what, got, g->want);
    json_decref(eval);
    json_decref(facts);
}
END_TEST

/* Custom thresholds: each rule reads its own. */
START_TEST(custom_rules)
{
    static const struct pcase five = { "five", "phone", "sales", GRANTED, 0,
                                       { { 'r', 1 * D }, { 'r', 2 * D }, { 'r', 3 * D }, { 'r', 4 * D },
                                         { 'r', 5 * D } },
                                       { 0 }, 0, 0, "", 0, NONE };
    static const struct pcase one = { "one", "phone", "sales", GRANTED, 0, { { 'u', 40 * D } },
                                      { 1 }, 0, 0, "", 0, NONE };
    static const struct pcase declined = { "declined", "phone", "sales", GRANTED, 0,
                                           { { 'd', 40 * D }, { 'd', 41 * D }, { 'd', 42 * D } },
                                           { 0 }, 0, 0, "", 0, NONE };
    struct rules r;
    json_t *facts, *eval;
    char got[256];

    rules_defaults(&r);
    r.contact_max = 5;
    r.contact_window_days = 7;
    facts = build_facts(&five);
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(codes(eval, got, sizeof got), "too_many_contacts");
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "window_days")), 7);
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "max_contacts")), 5);
    check_next(eval, 2 * D, "5 in 7 days");
    json_decref(eval);
    r.contact_window_days = 5; /* the 5th is exactly 5 days old: out */
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(codes(eval, got, sizeof got), "");
    ck_assert_int_eq(json_integer_value(json_object_get(eval, "contacts_in_window")), 4);
    json_decref(eval);
    r.contact_max = 0; /* nothing at all, for ever */
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(codes(eval, got, sizeof got), "too_many_contacts");
    check_next(eval, NONE, "contact_max 0");
    json_decref(eval);
    json_decref(facts);

    rules_defaults(&r);
    facts = build_facts(&one); /* one unanswered attempt, a poor experience 1 s ago */
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(codes(eval, got, sizeof got), "quiet_period");
    json_decref(eval);
    r.let_go_unanswered = 1;
    r.quiet_days = 0;
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(codes(eval, got, sizeof got), "let_go");
    json_decref(eval);
    r.let_go_unanswered = 2;
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(codes(eval, got, sizeof got), "");
    json_decref(eval);
    json_decref(facts);

    rules_defaults(&r);
    facts = build_facts(&declined); /* declined, declined, declined */
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(codes(eval, got, sizeof got), "let_go_declined");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(eval,
                                                                                       "reasons"),
                                                                      0),
                                                       "detail")),
                     "the customer declined the last 2 sales contacts; let go until the customer "
                     "gets in touch");
    json_decref(eval);
    r.let_go_after_declined = 4;
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(codes(eval, got, sizeof got), "");
    json_decref(eval);
    r.let_go_after_declined = 1;
    eval = contact_policy_evaluate(facts, "phone", "sales", &r, LANG_EN);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(eval,
                                                                                       "reasons"),
                                                                      0),
                                                       "detail")),
                     "the customer declined the last 1 sales contact; let go until the customer "
                     "gets in touch");
    json_decref(eval);
    json_decref(facts);
}
END_TEST

Suite *
contact_policy_suite(void)
{
    Suite *s = suite_create("contact_policy");
    TCase *tc = tcase_create("rules");

    tcase_add_loop_test(tc, rules_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_loop_test(tc, declined_per_purpose, 0,
                        (int)(sizeof declined_cases / sizeof declined_cases[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("output");
    tcase_add_test(tc, shape);
    tcase_add_test(tc, details_say_why);
    tcase_add_loop_test(tc, details_in_german, 0,
                        (int)(sizeof german_cases / sizeof german_cases[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("custom_rules");
    tcase_add_test(tc, custom_rules);
    suite_add_tcase(s, tc);
    return s;
}
