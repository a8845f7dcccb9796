/*
 * test_msg: the catalogue (every entry's German text has the English
 * one's printf conversions in the same order, is valid UTF-8, and every
 * entry of msg_catalogue.h is checked), then dates, numbers, labels,
 * touchpoint kinds and possessives per language.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct entry {
    const char *name, *en, *de;
};

#define ENTRY(m) { #m, m },
static const struct entry entries[] = { MSG_CATALOGUE(ENTRY) };

/*
 * The conversions of fmt as written ("%.64s|%zu|"), "%%" left out, into
 * out; -1 for a conversion printf does not know, %n or a positional %1$.
 */
static int
conversions(const char *fmt, char *out, size_t size)
{
    static const char *const lengths[] = { "hh", "h", "ll", "l", "j", "z", "t", "L", NULL };
    size_t o = 0;

    out[0] = '\0';
    for (const char *s = fmt; (s = strchr(s, '%')) != NULL;) {
        const char *start = s++;
        if (*s == '%') {
            s++;
            continue;
        }
        s += strspn(s, "-+ #0'");
        s += *s == '*' ? 1 : strspn(s, "0123456789");
        if (*s == '$')
            return -1;
        if (*s == '.') {
            s++;
            s += *s == '*' ? 1 : strspn(s, "0123456789");
        }
        for (const char *const *l = lengths; *l; l++)
            if (strncmp(s, *l, strlen(*l)) == 0) {
                s += strlen(*l);
                break;
            }
        if (!*s || !strchr("diouxXeEfFgGaAcsp", *s))
            return -1;
        s++;
        if (o + (size_t)(s - start) + 2 > size)
            return -1;
        memcpy(out + o, start, (size_t)(s - start));
        o += (size_t)(s - start);
        out[o++] = '|';
        out[o] = '\0';
    }
    return 0;
}

START_TEST(test_entry_conversions)
{
    const struct entry *e = &entries[_i];
    char en[256], de[256];
    json_t *s;

    ck_assert_msg(e->en && *e->en && e->de && *e->de, "%s: a text is empty", e->name);
    ck_assert_msg(conversions(e->en, en, sizeof en) == 0, "%s: bad conversion in \"%s\"", e->name,
                  e->en);
    ck_assert_msg(conversions(e->de, de, sizeof de) == 0, "%s: bad conversion in \"%s\"", e->name,
                  e->de);
    ck_assert_msg(strcmp(en, de) == 0, "%s: English has %s, German %s", e->name, en, de);
    s = json_string(e->de); /* NULL unless valid UTF-8 */
    ck_assert_msg(s != NULL, "%s: German is not valid UTF-8", e->name);
    json_decref(s);
}
END_TEST

/* The check itself: what it must refuse. */
static const struct {
    const char *en, *de;
    int same;
} pairs[] = {
    { "%s is %d", "%s ist %d", 1 },
    { "%s is %d", "%d ist %s", 0 },
    { "%s is %d", "%s ist", 0 },
    { "%ld days", "%d Tage", 0 },
    { "%.64s", "%s", 0 },
    { "%zu of %d", "%zu von %d", 1 },
    { "100%% %s", "%s zu 100 %%", 1 },
    { "%s", "%1$s", -1 },
    { "%s", "%n", -1 },
    { "%s", "%y", -1 },
};

START_TEST(test_check_refuses)
{
    char en[64], de[64];
    int rc = conversions(pairs[_i].de, de, sizeof de);

    ck_assert_int_eq(conversions(pairs[_i].en, en, sizeof en), 0);
    if (pairs[_i].same < 0)
        ck_assert_int_eq(rc, -1);
    else
        ck_assert_int_eq(rc == 0 && strcmp(en, de) == 0, pairs[_i].same);
}
END_TEST

/* Every "#define MSG_..." entry of the catalogue header is in MSG_CATALOGUE, so it is checked. */
START_TEST(test_every_entry_listed)
{
    FILE *f = fopen("server/msg_catalogue.h", "r");
    char line[512], name[128];
    int defined = 0;

    ck_assert_msg(f != NULL, "run from the top of the tree: server/msg_catalogue.h not found");
    while (fgets(line, sizeof line, f)) {
        int found = 0;
        if (sscanf(line, "#define %127[A-Z0-9_]", name) != 1 || strncmp(name, "MSG_", 4) != 0 ||
            !strcmp(name, "MSG_CATALOGUE"))
            continue;
        defined++;
        for (int i = 0; i < N(entries); i++)
            found |= !strcmp(entries[i].name, name);
        ck_assert_msg(found, "%s is not in MSG_CATALOGUE", name);
    }
    fclose(f);
    ck_assert_int_eq(defined, N(entries));
}
END_TEST

START_TEST(test_format_and_plural)
{
    char buf[128];

    msg_format(LANG_DE, MSG_CP_TOO_MANY, buf, sizeof buf, (size_t)3, 30, 3);
    ck_assert_str_eq(buf,
                     "3 ausgehende Kontakte in den letzten 30 Tagen erreichen die Grenze von 3");
    msg_format(LANG_EN, MSG_CP_TOO_MANY, buf, sizeof buf, (size_t)3, 30, 3);
    ck_assert_str_eq(buf, "3 outbound contacts in the last 30 days reach the limit of 3");
    for (long n = 0; n < 3; n++) {
        static const char *const want[] = { "Inspektion des M-HW 1 seit 0 Tagen überfällig",
                                            "Inspektion des M-HW 1 seit 1 Tag überfällig",
                                            "Inspektion des M-HW 1 seit 2 Tagen überfällig" };
        msg_format(LANG_DE, MSG_PLURAL(n, MSG_SERVICE_OVERDUE_ONE, MSG_SERVICE_OVERDUE), buf,
                   sizeof buf, "M-HW 1", n);
        ck_assert_str_eq(buf, want[n]);
    }
    ck_assert_str_eq(msg_text(LANG_DE, MSG_HOW_EXACT), "exakt");
    ck_assert_str_eq(msg_text(LANG_EN, MSG_HOW_EXACT), "exact");
    /* cut like snprintf */
    ck_assert_int_eq(msg_format(LANG_DE, MSG_HOW_EXACT, buf, 3), 5);
    ck_assert_str_eq(buf, "ex");
}
END_TEST

START_TEST(test_dates)
{
    char out[MSG_TIME_MAX];

    msg_day(LANG_EN, 20733, out);
    ck_assert_str_eq(out, "2026-10-07");
    msg_day(LANG_DE, 20733, out);
    ck_assert_str_eq(out, "07.10.2026");
    msg_date(LANG_DE, "2026-10-07", out, sizeof out);
    ck_assert_str_eq(out, "07.10.2026");
    msg_date(LANG_DE, "2026-11-23T18:30:00Z", out, sizeof out);
    ck_assert_str_eq(out, "23.11.2026");
    msg_date(LANG_EN, "2026-11-23T18:30:00Z", out, sizeof out);
    ck_assert_str_eq(out, "2026-11-23T18:30:00Z");
    msg_date(LANG_DE, "2026-02-30", out, sizeof out);
    ck_assert_str_eq(out, "2026-02-30");
    msg_date(LANG_DE, "", out, sizeof out);
    ck_assert_str_eq(out, "");
    msg_time(LANG_DE, "2026-12-23T18:30:05Z", out, sizeof out);
    ck_assert_str_eq(out, "23.12.2026, 18:30 UTC");
    msg_time(LANG_DE, "2026-12-24T00:30:00+01:00", out, sizeof out);
    ck_assert_str_eq(out, "23.12.2026, 23:30 UTC");
    msg_time(LANG_EN, "2026-12-23T18:30:05Z", out, sizeof out);
    ck_assert_str_eq(out, "2026-12-23T18:30:05Z");
    msg_time(LANG_DE, "soon", out, sizeof out);
    ck_assert_str_eq(out, "soon");
    msg_month(LANG_EN, "2024-10-23", out, sizeof out);
    ck_assert_str_eq(out, "2024-10");
    msg_month(LANG_DE, "2024-10-23", out, sizeof out);
    ck_assert_str_eq(out, "10/2024");
}
END_TEST

START_TEST(test_numbers)
{
    char out[32];

    msg_decimal(LANG_EN, 0.4, out, sizeof out);
    ck_assert_str_eq(out, "0.4");
    msg_decimal(LANG_DE, 0.4, out, sizeof out);
    ck_assert_str_eq(out, "0,4");
    msg_decimal(LANG_DE, 0.49, out, sizeof out);
    ck_assert_str_eq(out, "0,49");
    msg_decimal(LANG_DE, 1, out, sizeof out);
    ck_assert_str_eq(out, "1");
    msg_thousands(LANG_EN, 1250000, out, sizeof out);
    ck_assert_str_eq(out, "1,250,000");
    msg_thousands(LANG_DE, 142000, out, sizeof out);
    ck_assert_str_eq(out, "142.000");
    msg_thousands(LANG_DE, 999, out, sizeof out);
    ck_assert_str_eq(out, "999");
    msg_thousands(LANG_DE, -5, out, sizeof out);
    ck_assert_str_eq(out, "0");
}
END_TEST

START_TEST(test_labels)
{
    ck_assert_str_eq(msg_label(LANG_DE, MSG_CHANNELS, "phone"), "Telefon");
    ck_assert_str_eq(msg_label(LANG_EN, MSG_CHANNELS, "phone"), "phone");
    ck_assert_str_eq(msg_label(LANG_DE, MSG_CHANNELS, "pigeon"), "pigeon");
    ck_assert_ptr_null(msg_label(LANG_DE, MSG_CHANNELS, NULL));
    ck_assert_str_eq(msg_label(LANG_DE, MSG_PURPOSES, "sales"), "Verkaufskontakt");
    ck_assert_str_eq(msg_label(LANG_DE, MSG_POWERTRAINS, "petrol"), "Benzin");
    ck_assert_str_eq(msg_label(LANG_DE, MSG_VEHICLE_STATUSES, "sold"), "verkauft");
    ck_assert_str_eq(msg_label(LANG_DE, MSG_LOOKUPS, "vin"), "FIN");
    ck_assert_str_eq(msg_label(LANG_EN, MSG_OWN_BY_SALUTATION, "Frau"), "her");
    ck_assert_str_eq(msg_label(LANG_DE, MSG_OWN_BY_SALUTATION, "Herr"), "seinen");
    ck_assert_str_eq(msg_label(LANG_EN, MSG_OWN_BY_SALUTATION, NULL), "their");
    ck_assert_str_eq(msg_label(LANG_DE, MSG_OWN_BY_SALUTATION, "Divers"), "den eigenen");
}
END_TEST

/* Every touchpoint kind of model_touchpoint.c has a German noun of its gender. */
static const struct {
    const char *kind;
    const char *en, *en_last, *de, *de_last;
} kind_cases[] = {
    { "service_visit", "service visit", "Last service visit", "Werkstattbesuch",
      "Letzter Werkstattbesuch" },
    { "app_booking", "app booking", "Last app booking", "App-Buchung", "Letzte App-Buchung" },
    { "phone_call", "phone call", "Last phone call", "Telefonat", "Letztes Telefonat" },
    { "email", "email", "Last email", "E-Mail", "Letzte E-Mail" },
    { "showroom_visit", "showroom visit", "Last showroom visit", "Besuch im Autohaus",
      "Letzter Besuch im Autohaus" },
    { "test_drive", "test drive", "Last test drive", "Probefahrt", "Letzte Probefahrt" },
    { "purchase", "purchase", "Last purchase", "Kauf", "Letzter Kauf" },
    { "delivery", "delivery", "Last delivery", "Fahrzeugübergabe", "Letzte Fahrzeugübergabe" },
    { "complaint", "complaint", "Last complaint", "Reklamation", "Letzte Reklamation" },
    { "survey", "survey", "Last survey", "Kundenbefragung", "Letzte Kundenbefragung" },
    { "event", "event", "Last event", "Veranstaltung", "Letzte Veranstaltung" },
    { "other", "other", "Last other", "Kontakt", "Letzter Kontakt" },
    { NULL, "contact", "Last contact", "Kontakt", "Letzter Kontakt" },
    { "new_kind", "new kind", "Last new kind", "new kind", "Letzter new kind" },
};

START_TEST(test_kinds)
{
    char out[96];

    msg_kind(LANG_EN, kind_cases[_i].kind, 0, out, sizeof out);
    ck_assert_str_eq(out, kind_cases[_i].en);
    msg_kind(LANG_EN, kind_cases[_i].kind, 1, out, sizeof out);
    ck_assert_str_eq(out, kind_cases[_i].en_last);
    msg_kind(LANG_DE, kind_cases[_i].kind, 0, out, sizeof out);
    ck_assert_str_eq(out, kind_cases[_i].de);
    msg_kind(LANG_DE, kind_cases[_i].kind, 1, out, sizeof out);
    ck_assert_str_eq(out, kind_cases[_i].de_last);
}
END_TEST

static const struct {
    enum lang lang;
    const char *name, *want;
} possessive_cases[] = {
    { LANG_EN, "Petra", "Petra's VW Golf" },
    { LANG_EN, "Jonas", "Jonas' VW Golf" },
    { LANG_EN, "Herr Wessling", "Herr Wessling's VW Golf" },
    { LANG_EN, NULL, "A household member's VW Golf" },
    { LANG_DE, "Petra", "Petras VW Golf" },
    { LANG_DE, "Jonas", "Jonas' VW Golf" },
    { LANG_DE, "Max", "Max' VW Golf" },
    { LANG_DE, "Fritz", "Fritz' VW Golf" },
    { LANG_DE, "Strau\xc3\x9f", "Strau\xc3\x9f' VW Golf" },
    { LANG_DE, "Herr Wessling", "Herrn Wesslings VW Golf" },
    { LANG_DE, "Frau Wessling", "Frau Wesslings VW Golf" },
    { LANG_DE, NULL, "Der VW Golf eines Haushaltsmitglieds" },
    { LANG_DE, "", "Der VW Golf eines Haushaltsmitglieds" },
};

START_TEST(test_possessive)
{
    char out[96];

    msg_possessive(possessive_cases[_i].lang, possessive_cases[_i].name, "VW Golf", out,
                   sizeof out);
    ck_assert_str_eq(out, possessive_cases[_i].want);
}
END_TEST

Suite *
msg_suite(void)
{
    Suite *s = suite_create("msg");
    TCase *tc = tcase_create("catalogue");

    tcase_add_loop_test(tc, test_entry_conversions, 0, N(entries));
    tcase_add_loop_test(tc, test_check_refuses, 0, N(pairs));
    tcase_add_test(tc, test_every_entry_listed);
    tcase_add_test(tc, test_format_and_plural);
    suite_add_tcase(s, tc);
    tc = tcase_create("formats");
    tcase_add_test(tc, test_dates);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_labels);
    tcase_add_loop_test(tc, test_kinds, 0, N(kind_cases));
    tcase_add_loop_test(tc, test_possessive, 0, N(possessive_cases));
    suite_add_tcase(s, tc);
    return s;
}
