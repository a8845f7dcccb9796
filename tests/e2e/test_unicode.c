/*
 * test_unicode: texts are stored in NFC whatever form the client sent
 * (JSON bodies with nested members, merge patches, NDJSON and CSV import
 * lines, query parameters), the search and the duplicates fold decomposed
 * letters, Turkish, Polish, Czech, Vietnamese, Greek and Cyrillic names the
 * way a desk types them, and migration 016 rebuilds the keys an older
 * release stored. Names carry uniq_letters() as a second token.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

#define MUELLER_NFC "M\xc3\xbcller"      /* ü is U+00FC */
#define MUELLER_NFD "Mu\xcc\x88ller"     /* u + U+0308 */
#define MUELLER_NFD_URL "Mu%%CC%%88ller" /* the same in a query, as a pathf format */

static char *
copy(const char *s)
{
    return strdup(s);
}

/* Run stmt on the database file db (the server stopped). */
static void
sql(const char *db, const char *stmt)
{
    sqlite3 *h;
    char *err = NULL;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, stmt, NULL, NULL, &err) == SQLITE_OK, "%s: %s", stmt, err);
    sqlite3_close(h);
}

/* Percent-encode q for a query string. */
static const char *
enc(const char *q)
{
    static char out[512];
    size_t n = 0;

    for (const unsigned char *s = (const unsigned char *)q; *s && n + 4 < sizeof out; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))
            out[n++] = (char)*s;
        else
            n += (size_t)snprintf(out + n, sizeof out - n, "%%%02X", *s);
    }
    out[n] = '\0';
    return out;
}

/* The search hit of customer id for q (borrowed from *items, which the caller frees), or NULL. */
static json_t *
hit(const char *q, const char *id, json_t **items)
{
    json_t *it;
    size_t i;

    *items = fetch_items(pathf("/v1/search?q=%s", enc(q)));
    json_array_foreach(*items, i, it)
    {
        if (!strcmp(sget(it, "customer_id"), id))
            return it;
    }
    return NULL;
}

static void
assert_found(const char *q, const char *id, const char *kind)
{
    json_t *items, *it = hit(q, id, &items);

    ck_assert_msg(it != NULL, "\"%s\" does not find %s", q, id);
    if (kind)
        ck_assert_str_eq(sget(json_object_get(it, "match"), "kind"), kind);
    json_decref(items);
}

START_TEST(decomposed_text_is_stored_composed)
{
    const char *t = uniq_letters();
    char *id, *tp;
    json_t *doc;
    struct reply r;

    id = copy(create_ok("/v1/customers",
                        pathf("{\"kind\":\"person\",\"given_name\":\"Ju\\u0308rgen\","
                              "\"family_name\":\"Mu\\u0308ller %s\",\"notes\":\"Cafe\\u0301\","
                              "\"address\":{\"street\":\"Schlo\\u00dfallee 1\","
                              "\"city\":\"Mu\\u0308nchen\"}}",
                              t)));
    doc = fetch(pathf("/v1/customers/%s", id));
    ck_assert_str_eq(sget(doc, "given_name"), "J\xc3\xbcrgen");
    ck_assert_str_eq(sget(doc, "family_name"), pathf(MUELLER_NFC " %s", t));
    ck_assert_str_eq(sget(doc, "notes"), "Caf\xc3\xa9");
    ck_assert_str_eq(sget(json_object_get(doc, "address"), "city"), "M\xc3\xbcnchen");
    json_decref(doc);

    /* a merge patch too */
    http("PATCH", pathf("/v1/customers/%s", id), "application/merge-patch+json",
         "{\"preferred_name\":\"Jo\\u0308rg\"}", NULL, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "preferred_name"), "J\xc3\xb6rg");
    reply_free(&r);

    /* and a nested text of another resource */
    tp = copy(create_ok("/v1/touchpoints",
                        pathf("{\"customer_id\":\"%s\",\"kind\":\"survey\",\"channel\":\"app\","
                              "\"follow_up\":{\"text\":\"Ru\\u0308ckruf\"}}",
                              id)));
    doc = fetch(pathf("/v1/touchpoints/%s", tp));
    ck_assert_str_eq(sget(json_object_get(doc, "follow_up"), "text"), "R\xc3\xbc" "ckruf");
    json_decref(doc);
    free(tp);
    free(id);
}
END_TEST

/* A limit counts the bytes of the NFC form: 1024 × "e" + U+0301 is 3072 bytes sent, 2048 stored. */
START_TEST(limits_apply_after_normalisation)
{
    size_t n = 1024;
    char *name = malloc(n * 7 + 1), *body = malloc(n * 7 + 64);
    struct reply r;

    for (size_t i = 0; i < n; i++)
        memcpy(name + i * 7, "e\\u0301", 7);
    name[n * 7] = '\0';
    snprintf(body, n * 7 + 64, "{\"kind\":\"person\",\"family_name\":\"%s\"}", name);
    http_json("POST", "/v1/customers", body, &r); /* é is 2 bytes: 2048 > the 1024 limit */
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "family_name");
    reply_free(&r);
    snprintf(body, n * 7 + 64, "{\"kind\":\"person\",\"family_name\":\"%.*s\"}", 512 * 7, name);
    http_json("POST", "/v1/customers", body, &r); /* 1536 bytes sent, 1024 stored: fits */
    assert_json(&r, 201);
    ck_assert_uint_eq(strlen(jstr(&r, "family_name")), 1024);
    reply_free(&r);
    free(name);
    free(body);
}
END_TEST

START_TEST(both_forms_are_found)
{
    const char *t = uniq_letters();
    char *id = copy(create_ok("/v1/customers",
                              pathf("{\"kind\":\"person\",\"family_name\":\"Mu\\u0308ller%s\"}", t)));
    json_t *items;

    /* a list filter compares the stored text with the NFC form of the parameter */
    items = fetch_items(pathf("/v1/customers?family_name=" MUELLER_NFD_URL "%s", t));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "id"), id);
    json_decref(items);

    assert_found(pathf(MUELLER_NFC "%s", t), id, "name_exact");
    assert_found(pathf(MUELLER_NFD "%s", t), id, "name_exact");
    assert_found(pathf("Mueller%s", t), id, NULL);
    assert_found(pathf("muller%s", t), id, NULL);
    free(id);
}
END_TEST

/* A name as stored, and how a desk without the keyboard types it. */
static const struct {
    const char *name, *typed;
} typed[] = {
    { "I\\u015f\\u0131k", "isik" },                                    /* Işık */
    { "\\u0130stanbullu", "istanbullu" },                              /* İstanbullu */
    { "\\u0141\\u00f3d\\u017a", "lodz" },                              /* Łódź */
    { "Dvo\\u0159\\u00e1k", "dvorak" },                                /* Dvořák */
    { "\\u0218tef\\u0103nescu", "stefanescu" },                        /* Ștefănescu */
    { "Nguy\\u1ec5n", "nguyen" },                                      /* Nguyễn */
    { "\\u03a0\\u03b1\\u03c0\\u03b1\\u03b4\\u03cc\\u03c0\\u03bf\\u03c5\\u03bb\\u03bf\\u03c2",
      "ΠΑΠΑΔΟΠΟΥΛΟΣ" },                                               /* Παπαδόπουλος */
    { "\\u03a0\\u03b1\\u03c0\\u03b1\\u03b4\\u03cc\\u03c0\\u03bf\\u03c5\\u03bb\\u03bf\\u03c2",
      "παπαδοπουλος" },
    { "\\u0421\\u0435\\u043c\\u0451\\u043d\\u043e\\u0432", "семенов" }, /* Семёнов */
    { "\\u0421\\u0435\\u043c\\u0451\\u043d\\u043e\\u0432", "СЕМЕНОВ" },
};

START_TEST(names_typed_without_accents_are_found)
{
    const char *t = uniq_letters();
    char *id = copy(create_ok("/v1/customers",
                              pathf("{\"kind\":\"person\",\"family_name\":\"%s\","
                                    "\"given_name\":\"%s\"}", typed[_i].name, t)));

    assert_found(pathf("%s %s", typed[_i].typed, t), id, NULL);
    free(id);
}
END_TEST

/* The pair of a and b among a's duplicate candidates has a name_birthday reason. */
static void
assert_pair(const char *a, const char *b)
{
    json_t *items = fetch_items(pathf("/v1/customers/duplicates?customer_id=%s", a)), *it, *r;
    size_t i, j;
    int found = 0;

    json_array_foreach(items, i, it)
    {
        const char *x = sget(json_array_get(json_object_get(it, "customers"), 0), "id");
        const char *y = sget(json_array_get(json_object_get(it, "customers"), 1), "id");
        if (strcmp(x, b) && strcmp(y, b))
            continue;
        json_array_foreach(json_object_get(it, "reasons"), j, r)
            found |= !strcmp(sget(r, "kind"), "name_birthday");
    }
    ck_assert_msg(found, "no name_birthday pair of %s and %s", a, b);
    json_decref(items);
}

START_TEST(duplicates_fold_both_forms_and_other_scripts)
{
    const char *t = uniq_letters();
    char *a, *b, *c, *d;

    a = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"%s\","
                                              "\"family_name\":\"Mu\\u0308ller\","
                                              "\"birthday\":\"1970-01-02\"}", t)));
    b = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"%s\","
                                              "\"family_name\":\"M\\u00fcller\","
                                              "\"birthday\":\"1970-01-02\"}", t)));
    c = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"%s\","
                                              "\"family_name\":\"\\u0421\\u0435\\u043c\\u0451"
                                              "\\u043d\\u043e\\u0432\",\"birthday\":\"1971-01-02\"}",
                                              t)));
    d = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"%s\","
                                              "\"family_name\":\"\\u0421\\u0415\\u041c\\u0415"
                                              "\\u041d\\u041e\\u0412\",\"birthday\":\"1971-01-02\"}",
                                              t)));
    assert_pair(a, b);
    assert_pair(c, d); /* Семёнов, СЕМЕНОВ */
    free(a);
    free(b);
    free(c);
    free(d);
}
END_TEST

/* POST body (ctype) to path, assert 200 and that the one line was created. */
static void
import_one(const char *path, const char *ctype, const char *body)
{
    struct reply r;

    http("POST", path, ctype, body, NULL, &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r.json, "totals"), "created")), 1);
    reply_free(&r);
}

START_TEST(import_lines_are_stored_composed)
{
    const char *t = uniq_letters();
    json_t *items;

    import_one("/v1/import?type=customer", "text/csv",
               pathf("external_ref.system,external_ref.id,kind,family_name,address.city\n"
                     "dms,C-%s,person,Mu\xcc\x88ller%s,Ko\xcc\x88ln\n", t, t));
    import_one("/v1/import", "application/x-ndjson",
               pathf("{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"N-%s\"},"
                     "\"kind\":\"person\",\"family_name\":\"Scho\\u0308n%s\"}\n", t, t));
    items = fetch_items(pathf("/v1/customers?family_name=M%%C3%%BCller%s", t));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_object_get(json_array_get(items, 0), "address"), "city"),
                     "K\xc3\xb6ln");
    json_decref(items);
    items = fetch_items(pathf("/v1/customers?family_name=Sch%%C3%%B6n%s", t));
    ck_assert_int_eq(json_array_size(items), 1);
    json_decref(items);
}
END_TEST

/*
 * A database of an older release: a name stored decomposed (as a Mac
 * client sent it), search and duplicate keys folded the old way, migration
 * 016 not yet applied. At start the keys are rebuilt; the text stays.
 */
START_TEST(keys_of_an_older_release_are_rebuilt)
{
    struct server own = { 0 };
    const char *t = uniq_letters();
    char *a, *b;
    json_t *doc, *items;

    server_start(&own, NULL, NULL);
    a = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"%s\","
                                              "\"family_name\":\"Alt\",\"birthday\":\"1960-05-06\"}",
                                              t)));
    b = copy(create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"given_name\":\"%s\","
                                              "\"family_name\":\"" MUELLER_NFC "\","
                                              "\"birthday\":\"1960-05-06\"}", t)));
    ck_assert_int_eq(server_stop(&own), 0);
    sql(own.db, pathf("UPDATE customers SET family_name = '" MUELLER_NFD "' WHERE id = '%s'", a));
    sql(own.db, "UPDATE search_fts SET names = 'stale', phonetic = ''; DELETE FROM customer_duplicates;"
                " DELETE FROM customer_match_keys; DELETE FROM schema_migrations WHERE version = 16");
    server_start(&own, NULL, NULL); /* the same file */
    ck_assert(harness_log_count(&own, "applied migration 016_unicode_fold", NULL, 0));
    ck_assert(harness_log_count(&own, "search index: indexed 2 customers", NULL, 0));
    assert_found(pathf(MUELLER_NFC " %s", t), a, NULL);
    assert_found(pathf("Muller %s", t), b, NULL);
    assert_pair(a, b);
    doc = fetch(pathf("/v1/customers/%s", a)); /* stored text is left as it was */
    ck_assert_str_eq(sget(doc, "family_name"), MUELLER_NFD);
    json_decref(doc);
    items = fetch_items(pathf("/v1/search?q=stale"));
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    ck_assert_int_eq(server_stop(&own), 0);
    ck_assert_int_eq(system(pathf("rm -rf %s", own.dir)), 0);
    free(a);
    free(b);
}
END_TEST

Suite *
unicode_suite(void)
{
    Suite *s = suite_create("unicode");
    TCase *tc = tcase_create("unicode");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, decomposed_text_is_stored_composed);
    tcase_add_test(tc, limits_apply_after_normalisation);
    tcase_add_test(tc, both_forms_are_found);
    tcase_add_loop_test(tc, names_typed_without_accents_are_found, 0,
                        (int)(sizeof typed / sizeof typed[0]));
    tcase_add_test(tc, duplicates_fold_both_forms_and_other_scripts);
    tcase_add_test(tc, import_lines_are_stored_composed);
    suite_add_tcase(s, tc);

    tc = tcase_create("upgrade"); /* a server of its own */
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, keys_of_an_older_release_are_rebuilt);
    suite_add_tcase(s, tc);
    return s;
}
