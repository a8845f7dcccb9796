/*
 * test_search: GET /v1/search over HTTP: names in every spelling (umlauts,
 * ß, case, prefixes, Kölner Phonetik ranked below exact matches), company
 * names, plates, VINs and their tails, phone numbers, e-mail addresses,
 * ranking, limit, bad queries, an index that follows PATCH and DELETE,
 * and the backfill of a database whose index is empty. Every test makes
 * names with its own random tag, so tests sharing a server never meet.
 */
#include <ctype.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "search_client.h"
#include "suites.h"

static void
upper(const char *in, char *out, size_t outsz)
{
    size_t i;

    for (i = 0; in[i] && i + 1 < outsz; i++)
        out[i] = (char)toupper((unsigned char)in[i]);
    out[i] = '\0';
}

static void
vehicle(char out[ID_LEN], const char *owner, const char *driver, const char *plate, const char *vin,
        const char *status)
{
    char body[1024];

    snprintf(body, sizeof body,
             "{\"make\":\"BMW\",\"model\":\"320d\",\"owner_id\":\"%s\"%s%s%s%s%s%s%s%s%s}", owner,
             driver ? ",\"main_driver_id\":\"" : "", driver ? driver : "", driver ? "\"" : "",
             plate ? ",\"plate\":\"" : "", plate ? plate : "", plate ? "\"" : "",
             vin ? ",\"vin\":\"" : "", vin ? vin : "", vin ? "\"" : "");
    if (status) {
        size_t n = strlen(body);
        snprintf(body + n - 1, sizeof body - n + 1, ",\"status\":\"%s\"}", status);
    }
    snprintf(out, ID_LEN, "%s", create_ok("/v1/vehicles", body));
}

/* A fresh plate as typed ("UX 1234567") and spelled with separators elsewhere. */
static void
new_plate(char typed[16], char other[20])
{
    unsigned long long u = serial();
    char letter = (char)('A' + u % 26);
    unsigned long digits = (unsigned long)((u / 26) % 10000000UL);

    snprintf(typed, 16, "U%c %07lu", letter, digits);
    snprintf(other, 20, "u-%c %03lu.%04lu", tolower(letter), digits / 10000, digits % 10000);
}

/* A fresh VIN whose last 6 characters are digits. */
static void
new_vin(char out[18])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
    unsigned long long u = serial();

    memcpy(out, "WVWZZZ", 6);
    for (int i = 6; i < 11; i++) {
        out[i] = alphabet[u % 33];
        u /= 33;
    }
    snprintf(out + 11, 7, "%06llu", u % 1000000ULL);
}

START_TEST(umlaut_spellings_are_one_name)
{
    char t[TAG_LEN + 1], T[TAG_LEN + 1], a[ID_LEN], b[ID_LEN], c[ID_LEN], q[64];
    const char *spellings[][2] = { { "Müller", "" }, { "Mueller", "" }, { "Muller", "" },
                                   { "müller", "" }, { " mÜller", " " } };
    json_t *items;

    new_tag(t);
    upper(t, T, sizeof T);
    person(a, "\"given_name\":\"Hans\",\"family_name\":\"Müller%s\"", t);
    person(b, "\"given_name\":\"Eva\",\"family_name\":\"Mueller%s\"", t);
    person(c, "\"given_name\":\"Jo\",\"family_name\":\"Muller%s\"", t);
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        snprintf(q, sizeof q, "%s%s%s", spellings[i][0], t, spellings[i][1]);
        items = search(q, NULL);
        ck_assert_msg(json_array_size(items) == 3, "%s: %zu items", q, json_array_size(items));
        ck_assert_int_ge(pos(items, a), 0);
        ck_assert_int_ge(pos(items, b), 0);
        ck_assert_int_ge(pos(items, c), 0);
        json_decref(items);
    }
    snprintf(q, sizeof q, "MÜLLER%s", T);
    items = search(q, NULL);
    ck_assert_int_eq(json_array_size(items), 3);
    json_decref(items);

    /* the same spelling ranks first: ü = ue exactly, u only loosely */
    snprintf(q, sizeof q, "Müller%s", t);
    items = search(q, NULL);
    assert_hit(items, a, "name_exact", 90, NULL);
    assert_hit(items, b, "name_exact", 90, NULL);
    assert_hit(items, c, "name_exact", 88, NULL);
    ck_assert_int_eq(pos(items, c), 2);
    json_decref(items);
    snprintf(q, sizeof q, "Muller%s", t);
    items = search(q, NULL);
    assert_hit(items, c, "name_exact", 90, NULL);
    assert_hit(items, a, "name_exact", 88, NULL);
    ck_assert_int_eq(pos(items, c), 0);
    json_decref(items);
}
END_TEST

START_TEST(strasse_and_company_names)
{
    char t[TAG_LEN + 1], T[TAG_LEN + 1], co[ID_LEN], p[ID_LEN], q[96], name[96];
    const char *queries[] = { "strasse ", "Straße ", "STRASSE ", "STRAẞE " };
    json_t *items;

    new_tag(t);
    upper(t, T, sizeof T);
    snprintf(name, sizeof name, "Autohaus an der Straße %s", t);
    snprintf(co, sizeof co, "%s",
             create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"%s\","
                                              "\"legal_form\":\"GmbH\"}", name)));
    person(p, "\"family_name\":\"Großmann%s\"", t);
    for (size_t i = 0; i < 4; i++) {
        snprintf(q, sizeof q, "%s%s", queries[i], i >= 2 ? T : t);
        items = search(q, NULL);
        ck_assert_msg(json_array_size(items) == 1, "%s: %zu items", q, json_array_size(items));
        assert_hit(items, co, "company", 90, name);
        ck_assert_str_eq(sget(json_array_get(items, 0), "kind"), "company");
        ck_assert_str_eq(sget(json_array_get(items, 0), "name"), name);
        json_decref(items);
    }
    /* the legal form is searchable too, and a prefix of the company name */
    items = search(pathf("Autohaus %s GmbH", t), NULL);
    assert_hit(items, co, "company", 90, name);
    json_decref(items);
    items = search(pathf("Autoh %s", t), NULL);
    assert_hit(items, co, "company", 70, name);
    json_decref(items);
    /* ß and ss are the same spelling in a person's name */
    items = search(pathf("Grossmann%s", t), NULL);
    assert_hit(items, p, "name_exact", 90, NULL);
    json_decref(items);
}
END_TEST

START_TEST(prefixes)
{
    char id[ID_LEN], other[ID_LEN], given[16];
    json_t *items;

    /* digits keep the given name out of the phonetic tier: "Wessx" must find nobody */
    snprintf(given, sizeof given, "H%06llu", serial() % 1000000ULL);
    person(id, "\"title\":\"Dr.\",\"given_name\":\"%s\",\"family_name\":\"Wessling\"", given);
    person(other, "\"given_name\":\"%s\",\"family_name\":\"Wegener\"", given);

    items = search("Wess", "limit=50");
    assert_hit(items, id, "name_prefix", 70, pathf("Dr. %s Wessling", given));
    ck_assert_int_lt(pos(items, other), 0);
    json_decref(items);
    items = search(pathf("wess %s", given), NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    assert_hit(items, id, "name_prefix", 70, NULL);
    json_decref(items);
    /* a prefix of the tag alone: both people; an initial next to another token */
    items = search(pathf("%.5s", given), NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    json_decref(items);
    items = search(pathf("We %s", given), NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    json_decref(items);
    items = search(pathf("Wessling %s", given), NULL);
    assert_hit(items, id, "name_exact", 90, NULL);
    json_decref(items);
    items = search(pathf("Wessx %s", given), NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
}
END_TEST

START_TEST(names_that_sound_alike)
{
    char t[TAG_LEN + 1], meier[ID_LEN], mayer[ID_LEN], meyer[ID_LEN], schmidt[ID_LEN];
    json_t *items;

    new_tag(t);
    person(meier, "\"family_name\":\"Meier%s\"", t);
    person(mayer, "\"family_name\":\"Mayer%s\"", t);
    person(meyer, "\"family_name\":\"Meyer%s\"", t);
    person(schmidt, "\"family_name\":\"Schmidt%s\"", t);

    items = search(pathf("Meier%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 3);
    assert_hit(items, meier, "name_exact", 90, NULL);
    assert_hit(items, mayer, "name_phonetic", 50, NULL);
    assert_hit(items, meyer, "name_phonetic", 50, NULL);
    ck_assert_int_eq(pos(items, meier), 0);
    ck_assert_int_lt(pos(items, schmidt), 0);
    json_decref(items);

    items = search(pathf("Maier%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 3);
    assert_hit(items, meier, "name_phonetic", 50, NULL);
    json_decref(items);

    items = search(pathf("Schmitt%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    assert_hit(items, schmidt, "name_phonetic", 50, NULL);
    json_decref(items);
}
END_TEST

START_TEST(plates_in_any_spelling)
{
    char t[TAG_LEN + 1], owner[ID_LEN], company[ID_LEN], driver[ID_LEN], v1[ID_LEN], v2[ID_LEN];
    char typed[16], other[20], typed2[16], other2[20], norm[16];
    json_t *items, *veh;
    size_t n = 0;

    new_tag(t);
    new_plate(typed, other);
    new_plate(typed2, other2);
    person(owner, "\"family_name\":\"Halter%s\"", t);
    person(driver, "\"family_name\":\"Fahrer%s\"", t);
    snprintf(company, sizeof company, "%s",
             create_ok("/v1/customers",
                       pathf("{\"kind\":\"company\",\"company_name\":\"Flotte %s\"}", t)));
    vehicle(v1, owner, NULL, typed, NULL, NULL);
    vehicle(v2, company, driver, typed2, NULL, NULL);
    for (size_t i = 0; typed[i]; i++)
        if (typed[i] != ' ')
            norm[n++] = (char)tolower((unsigned char)typed[i]);
    norm[n] = '\0';

    const char *spellings[] = { typed, other, norm };
    for (size_t i = 0; i < 3; i++) {
        items = search(spellings[i], NULL);
        ck_assert_msg(json_array_size(items) == 1, "%s: %zu items", spellings[i],
                      json_array_size(items));
        assert_hit(items, owner, "plate", 100, typed);
        veh = json_object_get(json_array_get(items, 0), "vehicle");
        ck_assert_str_eq(sget(veh, "id"), v1);
        ck_assert_str_eq(sget(veh, "plate"), typed);
        json_decref(items);
    }
    /* a company car: the person at the desk is its main driver */
    items = search(other2, NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    assert_hit(items, driver, "plate", 100, typed2);
    ck_assert_int_lt(pos(items, company), 0);
    ck_assert_str_eq(sget(json_object_get(json_array_get(items, 0), "vehicle"), "id"), v2);
    json_decref(items);
}
END_TEST

START_TEST(sold_car_keeper_ranks_below_the_active_one)
{
    char t[TAG_LEN + 1], old_keeper[ID_LEN], new_keeper[ID_LEN], v1[ID_LEN], v2[ID_LEN];
    char typed[16], other[20];
    json_t *items;

    new_tag(t);
    new_plate(typed, other);
    /* names chosen so that name order would put the old keeper first */
    person(old_keeper, "\"family_name\":\"Aaltbesitzer%s\"", t);
    person(new_keeper, "\"family_name\":\"Zneubesitzer%s\"", t);
    vehicle(v1, old_keeper, NULL, typed, NULL, "sold");
    vehicle(v2, new_keeper, NULL, typed, NULL, NULL);
    items = search(other, NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_int_eq(pos(items, new_keeper), 0);
    assert_hit(items, new_keeper, "plate", 100, typed);
    assert_hit(items, old_keeper, "plate", 90, typed);
    json_decref(items);
}
END_TEST

/* Two letters and five digits no other test draws: "UQ" and "12345" of "UQ-X 12345". */
static void
new_plate_parts(char letters[3], char digits[6])
{
    unsigned long long u = serial();

    letters[0] = (char)('A' + u % 26);
    letters[1] = (char)('A' + (u / 26) % 26);
    letters[2] = '\0';
    snprintf(digits, 6, "%05llu", (u / 676) % 100000ULL);
}

/* PATCH vehicle id's plate. */
static void
replate(const char *id, const char *plate)
{
    struct reply r;

    http("PATCH", pathf("/v1/vehicles/%s", id), "application/merge-patch+json",
         pathf("{\"plate\":\"%s\"}", plate), NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);
}

/* "U-AB 12345" and "UA-B 12345": the one written as typed first, the other below. */
START_TEST(plate_written_as_typed_ranks_first)
{
    char t[TAG_LEN + 1], l[3], d[6], one[ID_LEN], two[ID_LEN], v1[ID_LEN], v2[ID_LEN];
    char p1[16], p2[16];
    json_t *items;

    new_tag(t);
    new_plate_parts(l, d);
    snprintf(p1, sizeof p1, "U-%s %s", l, d);
    snprintf(p2, sizeof p2, "U%c-%c %s", l[0], l[1], d);
    /* names chosen so that name order would put the second first */
    person(one, "\"family_name\":\"Zeins%s\"", t);
    person(two, "\"family_name\":\"Azwei%s\"", t);
    vehicle(v1, one, NULL, p1, NULL, NULL);
    vehicle(v2, two, NULL, p2, NULL, NULL);
    items = search(p1, NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_int_eq(pos(items, one), 0);
    assert_hit(items, one, "plate", 100, p1);
    assert_hit(items, two, "plate", 90, p2);
    json_decref(items);
    items = search(p2, NULL);
    ck_assert_int_eq(pos(items, two), 0);
    assert_hit(items, two, "plate", 100, p2);
    assert_hit(items, one, "plate", 90, p1);
    json_decref(items);
    /* without separators both are the plate */
    items = search(pathf("u%s%s", l, d), NULL);
    assert_hit(items, one, "plate", 100, p1);
    assert_hit(items, two, "plate", 100, p2);
    json_decref(items);
}
END_TEST

/* "WÜ-K 12345" typed "WUE-K", "wue k", with a combining diaeresis. */
START_TEST(umlaut_plates_transliterated_or_decomposed)
{
    char t[TAG_LEN + 1], l[3], d[6], owner[ID_LEN], v[ID_LEN], plate[24];
    json_t *items;

    new_tag(t);
    new_plate_parts(l, d);
    snprintf(plate, sizeof plate, "WÜ-K %s", d);
    person(owner, "\"family_name\":\"Wuerz%s\"", t);
    vehicle(v, owner, NULL, plate, NULL, NULL);
    const char *typed[] = { pathf("WUE-K %s", d), pathf("wue k %s", d), pathf("WU\xcc\x88-K %s", d),
                            pathf("wu\xcc\x88k%s", d) };
    for (size_t i = 0; i < 4; i++) {
        items = search(typed[i], NULL);
        ck_assert_msg(json_array_size(items) >= 1, "%s: nothing", typed[i]);
        ck_assert_int_eq(pos(items, owner), 0);
        assert_hit(items, owner, "plate", 100, plate);
        json_decref(items);
    }
}
END_TEST

/*
 * A car re-registered is found by its old plate, below a car that
 * carries that plate now.
 */
START_TEST(old_plates_rank_below_current_ones)
{
    char t[TAG_LEN + 1], l[3], d[6], was[ID_LEN], now[ID_LEN], v1[ID_LEN], v2[ID_LEN];
    char old[16], renewed[16];
    json_t *items, *veh;

    new_tag(t);
    new_plate_parts(l, d);
    snprintf(old, sizeof old, "UO-%s %s", l, d);
    snprintf(renewed, sizeof renewed, "UN-%s %s", l, d);
    person(was, "\"family_name\":\"Aumelder%s\"", t);
    vehicle(v1, was, NULL, old, NULL, NULL);
    replate(v1, renewed);
    items = search(pathf("uo%s%s", l, d), NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    assert_hit(items, was, "plate_history", 80, old);
    veh = json_object_get(json_array_get(items, 0), "vehicle");
    ck_assert_str_eq(sget(veh, "id"), v1);
    ck_assert_str_eq(sget(veh, "plate"), renewed);
    json_decref(items);
    /* the plate given to another car: that car first */
    person(now, "\"family_name\":\"Zneu%s\"", t);
    vehicle(v2, now, NULL, old, NULL, NULL);
    items = search(old, NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_int_eq(pos(items, now), 0);
    assert_hit(items, now, "plate", 100, old);
    assert_hit(items, was, "plate_history", 80, old);
    json_decref(items);
}
END_TEST

/* The beginning of a plate lists its cars below an exact plate; too short a beginning lists none. */
START_TEST(plate_beginnings_rank_below_exact_plates)
{
    char t[TAG_LEN + 1], l[3], d[6], exact[ID_LEN], longer[ID_LEN], v1[ID_LEN], v2[ID_LEN];
    char short_plate[16], long_plate[16];
    json_t *items;

    new_tag(t);
    new_plate_parts(l, d);
    snprintf(short_plate, sizeof short_plate, "UP-%s %.3s", l, d);
    snprintf(long_plate, sizeof long_plate, "UP-%s %s", l, d);
    person(exact, "\"family_name\":\"Zgenau%s\"", t);
    person(longer, "\"family_name\":\"Alang%s\"", t);
    vehicle(v1, exact, NULL, short_plate, NULL, NULL);
    vehicle(v2, longer, NULL, long_plate, NULL, NULL);
    items = search(short_plate, NULL);
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_int_eq(pos(items, exact), 0);
    assert_hit(items, exact, "plate", 100, short_plate);
    assert_hit(items, longer, "plate_prefix", 60, long_plate);
    json_decref(items);
    /* letters only, with a separator: both */
    items = search(pathf("up-%s", l), NULL);
    assert_hit(items, exact, "plate_prefix", 60, short_plate);
    assert_hit(items, longer, "plate_prefix", 60, long_plate);
    json_decref(items);
    /* a plate nobody has, without separators: its beginning */
    items = search(pathf("UP%s%.4s", l, d), NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    assert_hit(items, longer, "plate_prefix", 60, long_plate);
    json_decref(items);
    /* two characters are too few; letters without a separator are a name */
    items = search("U-P", NULL);
    ck_assert_int_lt(pos(items, exact), 0);
    json_decref(items);
    items = search(pathf("UP%s", l), NULL);
    ck_assert_int_lt(pos(items, exact), 0);
    json_decref(items);
}
END_TEST

START_TEST(vin_full_and_tail)
{
    char t[TAG_LEN + 1], owner[ID_LEN], v[ID_LEN], vin[18], lower[18], q[40];
    json_t *items;

    new_tag(t);
    new_vin(vin);
    for (int i = 0; i < 18; i++)
        lower[i] = (char)tolower((unsigned char)vin[i]);
    person(owner, "\"family_name\":\"Vin%s\"", t);
    vehicle(v, owner, NULL, NULL, vin, NULL);

    const char *wanted[] = { vin, lower, vin + 11, vin + 9, vin + 1 };
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        items = search(wanted[i], NULL);
        ck_assert_msg(json_array_size(items) == 1, "%s: %zu items", wanted[i],
                      json_array_size(items));
        assert_hit(items, owner, "vin", 100, vin);
        ck_assert_str_eq(sget(json_object_get(json_array_get(items, 0), "vehicle"), "id"), v);
        /* a car without a plate: its VIN is what opens its card */
        ck_assert(json_is_null(json_object_get(json_object_get(json_array_get(items, 0), "vehicle"),
                                               "plate")));
        ck_assert_str_eq(sget(json_object_get(json_array_get(items, 0), "vehicle"), "vin"), vin);
        json_decref(items);
    }
    snprintf(q, sizeof q, " %.3s %s ", vin + 8, vin + 11);
    items = search(q, NULL);
    assert_hit(items, owner, "vin", 100, vin);
    json_decref(items);
    /* five characters are not a VIN tail; a wrong middle is not this VIN */
    items = search(vin + 12, NULL);
    ck_assert_int_lt(pos(items, owner), 0);
    json_decref(items);
    snprintf(q, sizeof q, "%c%s", vin[10] == 'A' ? 'B' : 'A', vin + 11);
    items = search(q, NULL);
    ck_assert_int_lt(pos(items, owner), 0);
    json_decref(items);
}
END_TEST

START_TEST(phone_in_any_format)
{
    char t[TAG_LEN + 1], id[ID_LEN], e164[24], digits[8];
    const char *formats[] = { "089 55", "+49 89 55", "0049-89-55", "(089) 55", "089/55",
                              "+49 (0)89 55", NULL };
    json_t *items;

    new_tag(t);
    snprintf(digits, sizeof digits, "%05llu", serial() % 100000ULL);
    snprintf(e164, sizeof e164, "+498955%s", digits);
    person(id, "\"family_name\":\"Telefon%s\",\"phones\":[\"089 55%s\"]", t, digits);
    for (const char **f = formats; *f; f++) {
        char q[40];
        snprintf(q, sizeof q, "%s%s", *f, digits);
        items = search(q, NULL);
        ck_assert_msg(pos(items, id) >= 0, "%s not found", q);
        assert_hit(items, id, "phone", 100, e164);
        json_decref(items);
    }
    items = search(pathf("089 56%s", digits), NULL);
    ck_assert_int_lt(pos(items, id), 0);
    json_decref(items);
}
END_TEST

START_TEST(email_in_any_case)
{
    char t[TAG_LEN + 1], T[TAG_LEN + 1], id[ID_LEN], key[64];
    json_t *items;

    new_tag(t);
    upper(t, T, sizeof T);
    snprintf(key, sizeof key, "nora.%s@example.com", t);
    person(id, "\"family_name\":\"Post%s\",\"emails\":[\"Nora.%s@Example.COM\"]", t, t);
    const char *queries[] = { key, pathf("NORA.%s@EXAMPLE.COM", T),
                              pathf(" Nora.%s@example.Com ", t) };
    for (size_t i = 0; i < 3; i++) {
        items = search(queries[i], NULL);
        ck_assert_msg(json_array_size(items) == 1, "%s: %zu items", queries[i],
                      json_array_size(items));
        assert_hit(items, id, "email", 100, key);
        json_decref(items);
    }
    items = search(pathf("nora.%s@example.org", t), NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
}
END_TEST

START_TEST(ranking_order)
{
    char t[TAG_LEN + 1], exact[ID_LEN], loose[ID_LEN], prefix[ID_LEN], sound[ID_LEN];
    json_t *items, *it;
    long long last = 1000;
    size_t i;

    new_tag(t);
    /* created worst first, so creation order cannot pass for ranking */
    person(sound, "\"given_name\":\"G%s\",\"family_name\":\"Brant\"", t);
    person(prefix, "\"given_name\":\"G%s\",\"family_name\":\"Brandtner\"", t);
    person(loose, "\"given_name\":\"G%s\",\"family_name\":\"Brändt\"", t);
    person(exact, "\"given_name\":\"G%s\",\"family_name\":\"Brandt\"", t);

    items = search(pathf("Brandt G%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 4);
    ck_assert_int_eq(pos(items, exact), 0);
    ck_assert_int_eq(pos(items, loose), 1);
    ck_assert_int_eq(pos(items, prefix), 2);
    ck_assert_int_eq(pos(items, sound), 3);
    assert_hit(items, exact, "name_exact", 90, NULL);
    assert_hit(items, loose, "name_exact", 88, NULL);
    assert_hit(items, prefix, "name_prefix", 70, NULL);
    assert_hit(items, sound, "name_phonetic", 50, NULL);
    json_array_foreach(items, i, it)
    {
        long long score = json_integer_value(json_object_get(it, "score"));
        ck_assert_int_le(score, last);
        last = score;
    }
    json_decref(items);
}
END_TEST

START_TEST(identifier_before_name_and_one_item_per_customer)
{
    char t[TAG_LEN + 1], a[ID_LEN], b[ID_LEN], v[ID_LEN], plate[16];
    json_t *items;

    new_tag(t);
    /* "Kx 4711" is a plate of a and a name token pair of b */
    snprintf(plate, sizeof plate, "K%c %04llu", t[0], serial() % 10000ULL);
    person(a, "\"family_name\":\"Kennzeichen%s\"", t);
    person(b, "\"given_name\":\"K%c\",\"family_name\":\"%s\"", t[0], plate + 3);
    vehicle(v, a, NULL, plate, NULL, NULL);
    items = search(plate, NULL);
    ck_assert_int_eq(pos(items, a), 0);
    assert_hit(items, a, "plate", 100, plate);
    assert_hit(items, b, "name_exact", 90, NULL);
    json_decref(items);
    /* found by name, plate-like prefix and phonetic: one item with the best match */
    items = search(pathf("Kennzeichen%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    assert_hit(items, a, "name_exact", 90, NULL);
    json_decref(items);
}
END_TEST

START_TEST(limit)
{
    char t[TAG_LEN + 1], id[ID_LEN], q[32];
    struct reply r;
    json_t *items;
    const char *bad[] = { "limit=0", "limit=51", "limit=abc", "limit=", NULL };

    new_tag(t);
    snprintf(q, sizeof q, "Vogel%s", t);
    for (int i = 0; i < 12; i++)
        person(id, "\"given_name\":\"N%d\",\"family_name\":\"%s\"", i, q);
    items = search(q, NULL);
    ck_assert_int_eq(json_array_size(items), 10);
    json_decref(items);
    items = search(q, "limit=3");
    ck_assert_int_eq(json_array_size(items), 3);
    json_decref(items);
    items = search(q, "limit=50");
    ck_assert_int_eq(json_array_size(items), 12);
    json_decref(items);
    for (const char **b = bad; *b; b++) {
        search_reply(q, *b, &r);
        assert_problem(&r, 400, "bad-request");
        reply_free(&r);
    }
}
END_TEST

START_TEST(bad_queries)
{
    char longq[260];
    struct reply r;
    json_t *items;
    const char *paths[] = { "/v1/search", "/v1/search?q=", "/v1/search?q=Wess&foo=1",
                            "/v1/search?q=Wess&q=Meier", "/v1/search?q=---",
                            "/v1/search?q=%20%20", NULL };

    for (const char **p = paths; *p; p++) {
        http_get(*p, &r);
        assert_problem(&r, 400, "bad-request");
        ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "'"));
        reply_free(&r);
    }
    memset(longq, 'a', 201);
    longq[201] = '\0';
    search_reply(longq, NULL, &r);
    assert_problem(&r, 400, "bad-request");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "200"));
    reply_free(&r);
    longq[200] = '\0';
    items = search(longq, NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    http("POST", "/v1/search?q=Wess", NULL, "{}", NULL, &r);
    assert_problem(&r, 405, "method-not-allowed");
    reply_free(&r);
}
END_TEST

START_TEST(no_results)
{
    char t[TAG_LEN + 1];
    json_t *items;

    new_tag(t);
    items = search(pathf("Niemand%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    items = search("12345", NULL); /* digits only, no VIN tail stored */
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
}
END_TEST

START_TEST(patch_updates_the_index)
{
    char t[TAG_LEN + 1], id[ID_LEN];
    struct reply r;
    json_t *items;

    new_tag(t);
    person(id, "\"given_name\":\"Lena\",\"family_name\":\"Altname%s\"", t);
    items = search(pathf("Altname%s", t), NULL);
    assert_hit(items, id, "name_exact", 90, pathf("Lena Altname%s", t));
    json_decref(items);

    http_json("PATCH", pathf("/v1/customers/%s", id),
              pathf("{\"family_name\":\"Neuname%s\",\"given_name\":null}", t), &r);
    assert_json(&r, 200);
    reply_free(&r);
    items = search(pathf("Altname%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    items = search(pathf("Lena Neuname%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    items = search(pathf("Neuname%s", t), NULL);
    assert_hit(items, id, "name_exact", 90, pathf("Neuname%s", t));
    json_decref(items);
}
END_TEST

START_TEST(delete_removes_from_the_index)
{
    char t[TAG_LEN + 1], id[ID_LEN], owner[ID_LEN], v[ID_LEN], typed[16], other[20];
    struct reply r;
    json_t *items;

    new_tag(t);
    person(id, "\"family_name\":\"Loesch%s\"", t);
    person(owner, "\"family_name\":\"Kaskade%s\"", t);
    new_plate(typed, other);
    vehicle(v, owner, NULL, typed, NULL, NULL);
    items = search(pathf("Lösch%s", t), NULL);
    assert_hit(items, id, "name_exact", 90, NULL);
    json_decref(items);

    http("DELETE", pathf("/v1/customers/%s", id), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    items = search(pathf("Loesch%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);

    http("DELETE", pathf("/v1/customers/%s?cascade=true", owner), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    items = search(pathf("Kaskade%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    items = search(typed, NULL);
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
}
END_TEST

START_TEST(result_shape)
{
    char t[TAG_LEN + 1], id[ID_LEN], co[ID_LEN], partner[ID_LEN], sold[ID_LEN], owned[ID_LEN],
        driven[ID_LEN], plate[16], other[20], splate[16], sother[20], vin[18];
    json_t *items, *it, *veh;

    new_tag(t);
    new_plate(plate, other);
    new_plate(splate, sother);
    person(id, "\"title\":\"Dr.\",\"given_name\":\"Heinrich\",\"family_name\":\"Kessler%s\","
               "\"address\":{\"street\":\"Domplatz 1\",\"city\":\"Köln\"}", t);
    person(partner, "\"family_name\":\"Partner%s\"", t);
    vehicle(sold, id, NULL, splate, NULL, "sold");
    new_vin(vin);
    vehicle(owned, id, partner, NULL, vin, NULL);
    vehicle(driven, id, NULL, plate, NULL, NULL);

    items = search(pathf("kessler%s", t), NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    it = json_array_get(items, 0);
    ck_assert_int_eq(json_object_size(it), 7);
    ck_assert_str_eq(sget(it, "customer_id"), id);
    ck_assert_str_eq(sget(it, "kind"), "person");
    ck_assert_str_eq(sget(it, "name"), pathf("Dr. Heinrich Kessler%s", t));
    ck_assert_str_eq(sget(it, "city"), "Köln");
    veh = json_object_get(it, "vehicle");
    ck_assert_int_eq(json_object_size(veh), 5);
    /* not the sold one, not the one the partner drives: the one he drives himself */
    ck_assert_str_eq(sget(veh, "id"), driven);
    ck_assert_str_eq(sget(veh, "plate"), plate);
    ck_assert(json_is_null(json_object_get(veh, "vin")));
    ck_assert_str_eq(sget(veh, "make"), "BMW");
    ck_assert_str_eq(sget(veh, "model"), "320d");
    json_decref(items);

    /* matched by a plate: that vehicle, even when sold */
    items = search(splate, NULL);
    ck_assert_str_eq(sget(json_object_get(json_array_get(items, 0), "vehicle"), "id"), sold);
    json_decref(items);

    snprintf(co, sizeof co, "%s",
             create_ok("/v1/customers", pathf("{\"kind\":\"company\",\"company_name\":\"Kessler%s "
                                              "Logistik\"}", t)));
    items = search(pathf("Kessler%s Logistik", t), NULL);
    ck_assert_int_eq(json_array_size(items), 1);
    it = json_array_get(items, 0);
    ck_assert_str_eq(sget(it, "kind"), "company");
    ck_assert(json_is_null(json_object_get(it, "city")));
    ck_assert(json_is_null(json_object_get(it, "vehicle")));
    json_decref(items);
}
END_TEST

/* A database whose index is empty (written before 002, or loaded with SQL) is indexed at start. */
START_TEST(backfill_at_start)
{
    struct server s = { 0 };
    char t[TAG_LEN + 1], id[ID_LEN];
    json_t *items;

    new_tag(t);
    server_start(&s, NULL, NULL);
    ck_assert(!harness_log_count(&s, "search index: indexed", NULL, 0));
    person(id, "\"family_name\":\"Rückfall%s\"", t);
    ck_assert_int_eq(server_stop(&s), 0);
    run_sql(s.db, "DELETE FROM search_fts");

    server_start(&s, NULL, NULL);
    ck_assert(harness_log_count(&s, "search index: indexed 1 customers", NULL, 0));
    items = search(pathf("Rueckfall%s", t), NULL);
    assert_hit(items, id, "name_exact", 90, NULL);
    json_decref(items);
    ck_assert_int_eq(server_stop(&s), 0);

    server_start(&s, NULL, NULL); /* indexed once, not at every start */
    ck_assert(!harness_log_count(&s, "search index: indexed", NULL, 0));
    ck_assert_int_eq(server_stop(&s), 0);
    ck_assert_int_eq(system(pathf("rm -rf %s", s.dir)), 0);
}
END_TEST

/* Rows of vehicle_plates_past for vehicle id in the database at path. */
static int
past_rows(const char *path, const char *id)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;

    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM vehicle_plates_past WHERE vehicle_id = ?",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/*
 * Migration 014 fills vehicle_plates_past from the plate_history of the
 * cars written before it; deleting a car deletes its rows.
 */
START_TEST(old_plates_of_earlier_cars_are_found_after_the_upgrade)
{
    struct server s = { 0 };
    char t[TAG_LEN + 1], l[3], d[6], id[ID_LEN], car[ID_LEN], old[16], renewed[16];
    json_t *items;
    struct reply r;

    new_tag(t);
    new_plate_parts(l, d);
    snprintf(old, sizeof old, "UB-%s %s", l, d);
    snprintf(renewed, sizeof renewed, "UC-%s %s", l, d);
    server_start(&s, NULL, NULL);
    person(id, "\"family_name\":\"Frueher%s\"", t);
    vehicle(car, id, NULL, old, NULL, NULL);
    replate(car, pathf("UD-%s %s", l, d));
    replate(car, renewed);
    ck_assert_int_eq(server_stop(&s), 0);
    ck_assert_int_eq(past_rows(s.db, car), 2);
    /* as a database before 014 was: the history in the document only */
    run_sql(s.db, "DROP TABLE vehicle_plates_past; DELETE FROM schema_migrations WHERE version = 14");

    server_start(&s, NULL, NULL);
    ck_assert_int_eq(past_rows(s.db, car), 2);
    items = search(old, NULL);
    assert_hit(items, id, "plate_history", 80, old);
    json_decref(items);
    http("DELETE", pathf("/v1/vehicles/%s", car), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    ck_assert_int_eq(server_stop(&s), 0);
    ck_assert_int_eq(past_rows(s.db, car), 0);
    ck_assert_int_eq(system(pathf("rm -rf %s", s.dir)), 0);
}
END_TEST

Suite *
search_suite(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("search");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, umlaut_spellings_are_one_name);
    tcase_add_test(tc, strasse_and_company_names);
    tcase_add_test(tc, prefixes);
    tcase_add_test(tc, sold_car_keeper_ranks_below_the_active_one);
    tcase_add_test(tc, names_that_sound_alike);
    tcase_add_test(tc, plates_in_any_spelling);
    tcase_add_test(tc, plate_written_as_typed_ranks_first);
    tcase_add_test(tc, umlaut_plates_transliterated_or_decomposed);
    tcase_add_test(tc, old_plates_rank_below_current_ones);
    tcase_add_test(tc, plate_beginnings_rank_below_exact_plates);
    tcase_add_test(tc, vin_full_and_tail);
    tcase_add_test(tc, phone_in_any_format);
    tcase_add_test(tc, email_in_any_case);
    tcase_add_test(tc, ranking_order);
    tcase_add_test(tc, identifier_before_name_and_one_item_per_customer);
    tcase_add_test(tc, limit);
    tcase_add_test(tc, bad_queries);
    tcase_add_test(tc, no_results);
    tcase_add_test(tc, patch_updates_the_index);
    tcase_add_test(tc, delete_removes_from_the_index);
    tcase_add_test(tc, result_shape);
    suite_add_tcase(s, tc);

    tc = tcase_create("backfill");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, backfill_at_start);
    tcase_add_test(tc, old_plates_of_earlier_cars_are_found_after_the_upgrade);
    suite_add_tcase(s, tc);
    return s;
}
