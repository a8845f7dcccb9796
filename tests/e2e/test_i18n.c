/*
 * test_i18n: the card speaks the staff's language. Dr. Wessling's card of
 * the demo data (fixed clock, Europe/Berlin) in German by Accept-Language
 * and in English without it, with en-GB and for fr; the greeting line in
 * the customer's language either way; Content-Language and Vary; the
 * contact policy, a refused outbound touchpoint, 404 and 300 in German;
 * validation problems stay English; CORS lets Accept-Language through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

/* 2026-11-23 18:30 UTC = 19:30 in Berlin: "Guten Abend". */
static const char *const demo_env[] = { "CRMD_DEMO=true", "CRMD_FAKE_NOW=1795458600",
                                        "CRMD_TIMEZONE=Europe/Berlin", NULL };
static const char *const cors_env[] = { "CRMD_CORS_ORIGINS=https://desk.example", NULL };

#define BROWSER_DE "Accept-Language: de-DE,de;q=0.9,en;q=0.8"
#define WESSLING "/v1/greeting?plate=M-HW%202022"

static void
start_demo(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, demo_env);
}

static void
start_cors(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, cors_env);
}

/* GET path with one header (NULL: none) into r. */
static void
get_in(const char *path, const char *header, struct reply *r)
{
    const char *h[] = { header, NULL };
    http("GET", path, NULL, NULL, header ? h : NULL, r);
}

/* The card of path in the language header asks for; asserts 200 and Content-Language want. */
static json_t *
card_in(const char *path, const char *header, const char *want)
{
    struct reply r;
    const char *lang, *vary;
    json_t *c;

    get_in(path, header, &r);
    assert_json(&r, 200);
    lang = reply_header(&r, "Content-Language");
    vary = reply_header(&r, "Vary");
    ck_assert_msg(lang && !strcmp(lang, want), "Content-Language %s, want %s",
                  lang ? lang : "(none)", want);
    ck_assert_msg(vary && strstr(vary, "Accept-Language"), "Vary %s", vary ? vary : "(none)");
    c = json_incref(r.json);
    reply_free(&r);
    return c;
}

/* The reason of the opportunity at index i, and that its kind is still the English code. */
static const char *
reason(const json_t *c, size_t i, const char *kind)
{
    const json_t *o = json_array_get(json_object_get(json_object_get(c, "potential"),
                                                     "opportunities"), i);
    ck_assert_str_eq(sget(o, "kind"), kind);
    return sget(o, "reason");
}

/* Detail i of the sales contact policy of channel on the card, and that its code stays English. */
static const char *
policy_detail(const json_t *c, const char *channel, size_t i, const char *code)
{
    const json_t *r = json_array_get(
        json_object_get(json_object_get(json_object_get(c, "contact_policy"), channel), "reasons"),
        i);
    ck_assert_str_eq(sget(r, "code"), code);
    return sget(r, "detail");
}

START_TEST(wessling_in_german)
{
    json_t *c = card_in(WESSLING, BROWSER_DE, "de"), *alert, *hh, *due;

    ck_assert_str_eq(sget(c, "greeting"), "Guten Abend, Herr Dr. Wessling");
    ck_assert_str_eq(sget(json_object_get(c, "recognized_by"), "how"),
                     "Kennzeichen ohne Leerzeichen und Bindestriche, in Großbuchstaben");
    alert = json_array_get(json_object_get(c, "alerts"), 0);
    ck_assert_str_eq(sget(alert, "code"), "poor_experience");
    ck_assert_str_eq(sget(alert, "message"), "Letzter Werkstattbesuch am 23.09.2026 schlecht "
                                             "bewertet (Zufriedenheit 0,4, NPS 5).");
    ck_assert_str_eq(reason(c, 0, "fleet"),
                     "Fuhrparkleiter bei Wessling Logistik GmbH (40 Fahrzeuge): 13 Leasingverträge "
                     "enden in den nächsten 6 Monaten und 15 Fahrzeuge stehen zum Austausch an");
    ck_assert_str_eq(reason(c, 1, "service"), "Inspektion des M-HW 530 seit 12 Tagen überfällig");
    ck_assert_str_eq(reason(c, 2, "retention_risk"),
                     "Letzter Werkstattbesuch am 23.09.2026 mit 0,4 (NPS 5) bewertet");
    ck_assert_str_eq(reason(c, 3, "lease_end"), "Leasing des BMW 5er Touring 540d xDrive Touring "
                                                "(M-WL 1) endet am 23.04.2027, in 5 Monaten");
    ck_assert_str_eq(reason(c, 4, "service"),
                     "Inspektion des M-HW 2022 fällig in 18 Tagen (11.12.2026)");
    ck_assert_str_eq(reason(c, 5, "electric_switch"),
                     "Der BMW X5 xDrive30d (M-HW 530) ist 5 Jahre alt und fährt mit Diesel");
    ck_assert_str_eq(policy_detail(c, "phone", 0, "too_many_contacts"),
                     "3 ausgehende Kontakte in den letzten 30 Tagen erreichen die Grenze von 3");
    ck_assert_str_eq(policy_detail(c, "sms", 0, "consent_withdrawn"),
                     "Der Kunde hat die Einwilligung zur Kontaktaufnahme per SMS am 23.11.2026 "
                     "widerrufen");
    hh = json_array_get(json_object_get(json_object_get(c, "household"), "members"), 0);
    ck_assert_str_eq(sget(json_array_get(json_object_get(hh, "vehicles"), 0), "summary"),
                     "BMW i4, hier gekauft 10/2024");
    due = json_object_get(json_array_get(json_object_get(c, "fleets"), 0), "due");
    ck_assert_str_eq(sget(json_array_get(due, 0), "why"), "Leasing endet am 23.12.2026");
    json_decref(c);
}
END_TEST

/* No header, en-GB, and fr (not offered): English, as before this feature. */
static const char *const english_headers[] = { NULL, "Accept-Language: en-GB",
                                               "Accept-Language: fr",
                                               "Accept-Language: fr-FR, fr;q=0.9, de;q=0" };

START_TEST(wessling_in_english)
{
    json_t *c = card_in(WESSLING, english_headers[_i], "en");

    ck_assert_str_eq(sget(c, "greeting"), "Guten Abend, Herr Dr. Wessling");
    ck_assert_str_eq(sget(json_object_get(c, "recognized_by"), "how"),
                     "plate without spaces and hyphens, upper case");
    ck_assert_str_eq(sget(json_array_get(json_object_get(c, "alerts"), 0), "message"),
                     "Last service visit on 2026-09-23 was rated poorly (satisfaction 0.4, "
                     "NPS 5).");
    ck_assert_str_eq(reason(c, 0, "fleet"),
                     "Fleet manager of Wessling Logistik GmbH (40 vehicles): 13 leases end in the "
                     "next 6 months and 15 cars are due for replacement");
    ck_assert_str_eq(reason(c, 3, "lease_end"), "Lease of the BMW 5er Touring 540d xDrive Touring "
                                                "(M-WL 1) ends on 2027-04-23, in 5 months");
    ck_assert_str_eq(reason(c, 4, "service"), "Service of M-HW 2022 due in 18 days (2026-12-11)");
    ck_assert_str_eq(policy_detail(c, "phone", 0, "too_many_contacts"),
                     "3 outbound contacts in the last 30 days reach the limit of 3");
    ck_assert_str_eq(policy_detail(c, "sms", 0, "consent_withdrawn"),
                     "the customer withdrew consent to contact by sms on 2026-11-23T18:30:00Z");
    json_decref(c);
}
END_TEST

/* Only the sentences differ: the same codes, kinds, scores and data in both languages. */
START_TEST(languages_differ_in_sentences_only)
{
    json_t *de = card_in(WESSLING, BROWSER_DE, "de"), *en = card_in(WESSLING, NULL, "en");
    json_t *texts[2] = { de, en }, *o;
    size_t i;

    for (int k = 0; k < 2; k++) {
        json_object_del(json_object_get(texts[k], "recognized_by"), "how");
        json_array_foreach(json_object_get(texts[k], "alerts"), i, o)
            json_object_del(o, "message");
        json_array_foreach(json_object_get(json_object_get(texts[k], "potential"), "opportunities"),
                           i, o)
            json_object_del(o, "reason");
        json_object_del(texts[k], "contact_policy");
        json_object_del(texts[k], "contact_policy_by_purpose"); /* sentences per purpose */
        json_object_del(texts[k], "household");
        json_object_del(texts[k], "fleets");
    }
    ck_assert_msg(json_equal(de, en), "the cards differ beyond their sentences");
    json_decref(de);
    json_decref(en);
}
END_TEST

START_TEST(contact_policy_in_german)
{
    json_t *c = card_in(WESSLING, NULL, "en"), *p;
    const char *id = sget(json_object_get(c, "customer"), "id");
    const char *path = pathf("/v1/customers/%s/contact-policy?channel=sms", id);

    p = card_in(path, "Accept-Language: de-CH", "de");
    ck_assert_str_eq(sget(json_array_get(json_object_get(p, "reasons"), 0), "detail"),
                     "Der Kunde hat die Einwilligung zur Kontaktaufnahme per SMS am 23.11.2026 "
                     "widerrufen");
    json_decref(p);
    p = card_in(path, NULL, "en");
    ck_assert_str_eq(sget(json_array_get(json_object_get(p, "reasons"), 0), "detail"),
                     "the customer withdrew consent to contact by sms on 2026-11-23T18:30:00Z");
    json_decref(p);
    json_decref(c);
}
END_TEST

/* A refused outbound contact: the 409's detail and its contact_policy reasons in German. */
START_TEST(refused_touchpoint_in_german)
{
    json_t *c = card_in(WESSLING, NULL, "en"), *reasons;
    const char *h[] = { "Accept-Language: de-AT", NULL };
    struct reply r;

    http("POST", "/v1/touchpoints", NULL,
         pathf("{\"customer_id\":\"%s\",\"kind\":\"phone_call\",\"channel\":\"phone\","
               "\"direction\":\"outbound\",\"purpose\":\"sales\"}",
               sget(json_object_get(c, "customer"), "id")),
         h, &r);
    assert_problem(&r, 409, "conflict");
    ck_assert_str_eq(reply_header(&r, "Content-Language"), "de");
    ck_assert_str_eq(reply_header(&r, "Vary"), "Accept-Language");
    ck_assert_str_eq(jstr(&r, "detail"),
                     "Dieser ausgehende Verkaufskontakt (Telefon) verstößt gegen die "
                     "Kontaktregeln: too_many_contacts; siehe contact_policy, oder mit "
                     "override_reason trotzdem erfassen");
    reasons = json_object_get(json_object_get(r.json, "contact_policy"), "reasons");
    ck_assert_str_eq(sget(json_array_get(reasons, 0), "code"), "too_many_contacts");
    ck_assert_str_eq(sget(json_array_get(reasons, 0), "detail"),
                     "3 ausgehende Kontakte in den letzten 30 Tagen erreichen die Grenze von 3");
    reply_free(&r);
    json_decref(c);
}
END_TEST

START_TEST(not_found_in_german)
{
    struct reply r;

    get_in("/v1/greeting?plate=XX-YY%20999", "Accept-Language: de", &r);
    assert_problem(&r, 404, "not-found");
    ck_assert_str_eq(reply_header(&r, "Content-Language"), "de");
    ck_assert_str_eq(jstr(&r, "detail"),
                     "Kein Kunde mit Kennzeichen 'XX-YY 999' (XXYY999) gefunden; den Kunden mit "
                     "POST /v1/customers anlegen und das Fahrzeug mit POST /v1/vehicles (owner_id, "
                     "plate, vin) erfassen");
    reply_free(&r);
    get_in("/v1/greeting?plate=XX-YY%20999", NULL, &r);
    assert_problem(&r, 404, "not-found");
    ck_assert_str_eq(reply_header(&r, "Content-Language"), "en");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "no customer matches plate"));
    reply_free(&r);
}
END_TEST

START_TEST(choices_in_german)
{
    struct reply r;

    create_ok("/v1/customers", "{\"kind\":\"person\",\"given_name\":\"Eva\",\"family_name\":"
                               "\"Zwilling\",\"phones\":[\"089 555 0199\"]}");
    create_ok("/v1/customers", "{\"kind\":\"person\",\"given_name\":\"Ida\",\"family_name\":"
                               "\"Zwilling\",\"phones\":[\"+49 89 5550199\"]}");
    get_in("/v1/greeting?phone=089-5550199", BROWSER_DE, &r);
    ck_assert_int_eq(r.status, 300);
    ck_assert_str_eq(reply_header(&r, "Content-Language"), "de");
    ck_assert_str_eq(jstr(&r, "detail"),
                     "Mehrere Kunden passen; einen auswählen und erneut mit seiner customer_id "
                     "anfragen (und mit vehicle_id, der ID seines Fahrzeugs, um das Fahrzeug zu "
                     "behalten)");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "candidates")), 2);
    reply_free(&r);
}
END_TEST

/* Validation and other problems stay English and say no language. */
START_TEST(validation_stays_english)
{
    struct reply r;

    get_in("/v1/greeting?phone=abc", BROWSER_DE, &r);
    assert_problem(&r, 400, "bad-request");
    ck_assert_str_eq(jstr(&r, "detail"), "query parameter 'phone' is not a valid phone");
    ck_assert_ptr_null(reply_header(&r, "Content-Language"));
    ck_assert_ptr_null(reply_header(&r, "Vary"));
    reply_free(&r);
    get_in("/v1/customers?limit=x", BROWSER_DE, &r);
    assert_problem(&r, 400, "bad-request");
    ck_assert_ptr_null(reply_header(&r, "Content-Language"));
    reply_free(&r);
}
END_TEST

/* A long or odd Accept-Language is never refused: English, or what its first 256 bytes say. */
START_TEST(long_header_is_no_error)
{
    char h[2048];
    size_t n = (size_t)snprintf(h, sizeof h, "Accept-Language: de;q=0.5");
    json_t *c;

    while (n + 8 < sizeof h)
        n += (size_t)snprintf(h + n, sizeof h - n, ", xx-YY");
    c = card_in(WESSLING, h, "de");
    json_decref(c);
    snprintf(h, sizeof h, "Accept-Language: ;;;, de;q=x, \xc3\xa4");
    c = card_in(WESSLING, h, "en");
    json_decref(c);
}
END_TEST

/* CORS: the preflight allows Accept-Language; a German card varies by Origin and language. */
START_TEST(cors_lets_the_language_through)
{
    const char *pre[] = { "Origin: https://desk.example", "Access-Control-Request-Method: GET",
                          "Access-Control-Request-Headers: accept-language, authorization", NULL };
    const char *get[] = { "Origin: https://desk.example", "Accept-Language: de", NULL };
    const char *id = create_ok("/v1/customers", "{\"kind\":\"person\",\"salutation\":\"Frau\","
                                                "\"family_name\":\"Sprache\",\"language\":\"de\"}");
    struct reply r;

    http("OPTIONS", "/v1/greeting", NULL, NULL, pre, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_ptr_nonnull(reply_header(&r, "Access-Control-Allow-Headers"));
    ck_assert_ptr_nonnull(
        strstr(reply_header(&r, "Access-Control-Allow-Headers"), "Accept-Language"));
    ck_assert_str_eq(reply_header(&r, "Vary"), "Origin");
    reply_free(&r);
    http("GET", pathf("/v1/greeting?customer_id=%s", id), NULL, NULL, get, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(reply_header(&r, "Content-Language"), "de");
    /* the card has more than 1,024 bytes: it could come in gzip (test_compress.c) */
    ck_assert_str_eq(reply_header(&r, "Vary"), "Origin, Accept-Language, Accept-Encoding");
    ck_assert_str_eq(sget(json_object_get(r.json, "recognized_by"), "how"), "exakt");
    reply_free(&r);
}
END_TEST

Suite *
i18n_suite(void)
{
    Suite *s = suite_create("i18n");
    TCase *tc = tcase_create("demo");

    tcase_add_unchecked_fixture(tc, start_demo, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, wessling_in_german);
    tcase_add_loop_test(tc, wessling_in_english, 0,
                        (int)(sizeof english_headers / sizeof english_headers[0]));
    tcase_add_test(tc, languages_differ_in_sentences_only);
    tcase_add_test(tc, contact_policy_in_german);
    tcase_add_test(tc, refused_touchpoint_in_german);
    tcase_add_test(tc, not_found_in_german);
    tcase_add_test(tc, choices_in_german);
    tcase_add_test(tc, validation_stays_english);
    tcase_add_test(tc, long_header_is_no_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("cors");
    tcase_add_unchecked_fixture(tc, start_cors, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, cors_lets_the_language_through);
    suite_add_tcase(s, tc);
    return s;
}
