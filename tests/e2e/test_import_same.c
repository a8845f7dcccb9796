/*
 * test_import_same: the bulk import stores what the single-record
 * endpoints store. Two servers with the same fake clock get the same
 * records, one through POST/PUT requests, the other through one import
 * (then a second one for links); their databases must then hold the same
 * rows in every table the writes keep (records, lookup keys, external
 * references, search index, duplicate keys and pairs, change feed), with
 * each server's ids renamed by first appearance ("#1", "#2", ...).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

static const char *const fake_now[] = {"CRMD_FAKE_NOW=1790000000", NULL};

/* The tables a write keeps, each with an order that does not depend on ids. */
static const char *const dumps[] = {
    "SELECT * FROM customers ORDER BY seq",
    "SELECT * FROM households ORDER BY seq",
    "SELECT * FROM vehicles ORDER BY seq",
    "SELECT * FROM touchpoints ORDER BY seq",
    "SELECT * FROM household_members",
    "SELECT * FROM company_people",
    "SELECT * FROM customer_keys",
    "SELECT * FROM customer_phone_tails",
    "SELECT * FROM external_refs",
    "SELECT rowid, names, phonetic FROM search_fts ORDER BY rowid",
    "SELECT * FROM customer_match_keys",
    "SELECT seq, (SELECT seq FROM customers WHERE id = a), (SELECT seq FROM customers WHERE id = "
    "b),"
    " rank, reasons FROM customer_duplicates ORDER BY seq",
    "SELECT * FROM duplicates_state",
    "SELECT * FROM changes ORDER BY seq",
    NULL,
};

/* Ids of one database, numbered by first appearance. */
struct names {
    char id[64][37];
    size_t n;
};

static int
is_uuid_at(const char *s)
{
    static const int dash[] = {8, 13, 18, 23};
    size_t d = 0;

    for (int i = 0; i < 36; i++) {
        if (d < 4 && i == dash[d]) {
            if (s[i] != '-')
                return 0;
            d++;
        } else if (!strchr("0123456789abcdef", s[i]) || !s[i]) {
            return 0;
        }
    }
    return 1;
}

/* text with every UUID replaced by its name ("#n") in out (heap string). */
static char *
rename_ids(struct names *nm, const char *text)
{
    size_t len = strlen(text), o = 0;
    char *out = malloc(len + 1);

    for (size_t i = 0; i < len;) {
        if (len - i >= 36 && is_uuid_at(text + i)) {
            size_t k;
            for (k = 0; k < nm->n && strncmp(nm->id[k], text + i, 36); k++)
                ;
            if (k == nm->n) {
                ck_assert_uint_lt(nm->n, 64);
                memcpy(nm->id[nm->n], text + i, 36);
                nm->id[nm->n++][36] = '\0';
            }
            o += (size_t)sprintf(out + o, "#%zu", k + 1); /* "#n" is shorter than a UUID */
            i += 36;
        } else {
            out[o++] = text[i++];
        }
    }
    out[o] = '\0';
    return out;
}

static int
by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every table of dumps[] as one string: rows "a|b|...", ids renamed, rows of link tables sorted. */
static char *
dump(const char *path)
{
    struct names nm = {.n = 0};
    size_t cap = 1 << 16, len = 0;
    char *all = malloc(cap);
    sqlite3 *db;

    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    all[0] = '\0';
    for (size_t t = 0; dumps[t]; t++) {
        char *rows[256];
        size_t nrows = 0;
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(db, dumps[t], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            char row[8192];
            size_t r = 0;
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *v = (const char *)sqlite3_column_text(st, c);
                r +=
                    (size_t)snprintf(row + r, sizeof row - r, "%s%s", c ? "|" : "", v ? v : "NULL");
                ck_assert_uint_lt(r, sizeof row);
            }
            ck_assert_uint_lt(nrows, 256);
            rows[nrows++] = rename_ids(&nm, row);
        }
        sqlite3_finalize(st);
        /* tables without an id-free order (keyed by ids): compare as sets */
        if (!strstr(dumps[t], "ORDER BY"))
            qsort(rows, nrows, sizeof *rows, by_text);
        for (size_t i = 0; i < nrows; i++) {
            size_t need = strlen(dumps[t]) + strlen(rows[i]) + 8;
            while (len + need >= cap)
                all = realloc(all, cap *= 2);
            len += (size_t)sprintf(all + len, "%s: %s\n", dumps[t], rows[i]);
            free(rows[i]);
        }
    }
    sqlite3_close(db);
    return all;
}

static const char CUSTOMER_1[] =
    "\"kind\":\"person\",\"salutation\":\"Herr\",\"given_name\":\"Jürgen\",\"family_name\":"
    "\"Müller\","
    "\"birthday\":\"1971-03-09\",\"phones\":[\"0171 "
    "2345678\"],\"emails\":[\"j.mueller@example.de\"],"
    "\"address\":{\"street\":\"Hauptstraße 5\",\"postal_code\":\"80331\",\"city\":\"München\"}";
static const char CUSTOMER_2[] =
    "\"kind\":\"person\",\"given_name\":\"Jürgen\",\"family_name\":\"Mueller\","
    "\"birthday\":\"1971-03-09\",\"phones\":[\"+49 171 2345678\"],\"do_not_contact\":true";
static const char COMPANY[] =
    "\"kind\":\"company\",\"company_name\":\"Autohaus Süd\",\"legal_form\":\"GmbH\","
    "\"emails\":[\"info@autohaus-sued.de\"]";
static const char HOUSEHOLD[] = "\"name\":\"Familie Müller\"";
static const char VEHICLE[] =
    "\"make\":\"BMW\",\"model\":\"3er\",\"vin\":\"WBA8E9C50GK123456\",\"plate\":\"M-JM 1971\","
    "\"model_year\":2019,\"mileage_km\":48211,\"bought_from_us\":true";
/*
 * staff is given (a name, null): without it POST records the name of its API key, which an
 * import, bringing contacts that already happened, does not.
 */
static const char TOUCH_1[] =
    "\"kind\":\"service_visit\",\"channel\":\"in_person\",\"department\":\"service\","
    "\"occurred_at\":\"2026-01-12T09:30:00+01:00\",\"summary\":\"Inspektion\",\"satisfaction\":0.8,"
    "\"nps\":9,\"staff\":\"M. Becker\"";
static const char TOUCH_2[] =
    "\"kind\":\"phone_call\",\"channel\":\"phone\",\"direction\":\"inbound\","
    "\"occurred_at\":\"2026-02-01T10:00:00Z\",\"satisfaction\":1,\"staff\":null";

static const char *
post_ok(const char *path, const char *fields, const char *ref)
{
    static char body[8192];
    snprintf(body, sizeof body, "{%s,\"external_refs\":[{\"system\":\"dms\",\"id\":\"%s\"}]}",
             fields, ref);
    return create_ok(path, body);
}

/* The records, then the links, through the API. */
static void
write_by_api(void)
{
    char c1[37], c2[37], co[37], hh[37], v[37], body[4096];
    struct reply r;

    snprintf(c1, sizeof c1, "%s", post_ok("/v1/customers", CUSTOMER_1, "K-1"));
    snprintf(c2, sizeof c2, "%s", post_ok("/v1/customers", CUSTOMER_2, "K-2"));
    snprintf(co, sizeof co, "%s", post_ok("/v1/customers", COMPANY, "K-3"));
    snprintf(hh, sizeof hh, "%s", post_ok("/v1/households", HOUSEHOLD, "H-1"));
    snprintf(body, sizeof body, "%s,\"owner_id\":\"%s\",\"main_driver_id\":\"%s\"", VEHICLE, c1,
             c2);
    snprintf(v, sizeof v, "%s", post_ok("/v1/vehicles", body, "F-1"));
    snprintf(body, sizeof body, "%s,\"customer_id\":\"%s\",\"vehicle_id\":\"%s\"", TOUCH_1, c1, v);
    post_ok("/v1/touchpoints", body, "T-1");
    snprintf(body, sizeof body, "%s,\"customer_id\":\"%s\"", TOUCH_2, c2);
    post_ok("/v1/touchpoints", body, "T-2");
    http_json("PUT", pathf("/v1/households/%s/members/%s", hh, c1), "{\"role\":\"head\"}", &r);
    assert_json(&r, 201);
    reply_free(&r);
    http_json("PUT", pathf("/v1/customers/%s/people/%s", co, c2), "{\"roles\":[\"driver\"]}", &r);
    assert_json(&r, 201);
    reply_free(&r);
}

static void
import_ok(const char *body, long lines)
{
    struct reply r;

    http("POST", "/v1/import", "application/x-ndjson", body, NULL, &r);
    assert_json(&r, 200);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(r.json, "totals"), "created")), lines);
    reply_free(&r);
}

#define REF(x) "{\"system\":\"dms\",\"id\":\"" x "\"}"
#define LINE(type, ref) "{\"type\":\"" type "\",\"external_ref\":" REF(ref) ",%s}\n"

/* The same records in one import (lines out of order: references forward), links in a second. */
static void
write_by_import(void)
{
    char body[8192], fields[2048];
    size_t n = 0;

    snprintf(fields, sizeof fields, "%s,\"customer\":" REF("K-1") ",\"vehicle\":" REF("F-1"),
             TOUCH_1);
    n += (size_t)snprintf(body + n, sizeof body - n, LINE("touchpoint", "T-1"), fields);
    snprintf(fields, sizeof fields, "%s,\"customer\":" REF("K-2"), TOUCH_2);
    n += (size_t)snprintf(body + n, sizeof body - n, LINE("touchpoint", "T-2"), fields);
    snprintf(fields, sizeof fields, "%s,\"owner\":" REF("K-1") ",\"main_driver\":" REF("K-2"),
             VEHICLE);
    n += (size_t)snprintf(body + n, sizeof body - n, LINE("vehicle", "F-1"), fields);
    n += (size_t)snprintf(body + n, sizeof body - n, LINE("customer", "K-1"), CUSTOMER_1);
    n += (size_t)snprintf(body + n, sizeof body - n, LINE("household", "H-1"), HOUSEHOLD);
    n += (size_t)snprintf(body + n, sizeof body - n, LINE("customer", "K-2"), CUSTOMER_2);
    n += (size_t)snprintf(body + n, sizeof body - n, LINE("customer", "K-3"), COMPANY);
    ck_assert_uint_lt(n, sizeof body);
    import_ok(body, 7);
    import_ok("{\"type\":\"membership\",\"household\":" REF("H-1") ",\"customer\":" REF(
                  "K-1") ",\"role\":\"head\"}\n"
                         "{\"type\":\"company_person\",\"company\":" REF("K-3") ",\"person\":" REF(
                             "K-2") ",\"roles\":[\"driver\"]}\n",
              2);
}

START_TEST(test_import_stores_what_the_api_stores)
{
    struct server api = {0}, imp = {0};
    char *a, *b, *line_a, *line_b;

    server_start(&api, NULL, fake_now);
    write_by_api();
    server_start(&imp, NULL, fake_now);
    write_by_import();
    a = dump(api.db);
    b = dump(imp.db);
    /* the first differing line, for a readable failure */
    for (line_a = a, line_b = b; *line_a && *line_b;) {
        size_t la = strcspn(line_a, "\n"), lb = strcspn(line_b, "\n");
        ck_assert_msg(la == lb && !strncmp(line_a, line_b, la), "API:    %.*s\nimport: %.*s",
                      (int)la, line_a, (int)lb, line_b);
        line_a += la + (line_a[la] == '\n');
        line_b += lb + (line_b[lb] == '\n');
    }
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(a, "customer_duplicates")); /* the pair is there to compare */
    ck_assert_ptr_nonnull(strstr(a, "search_fts"));
    free(a);
    free(b);
    srv = api;
    harness_teardown();
    srv = imp;
    harness_teardown();
}
END_TEST

Suite *
import_same_suite(void)
{
    Suite *s = suite_create("import_same");
    TCase *tc = tcase_create("same");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_import_stores_what_the_api_stores);
    suite_add_tcase(s, tc);
    return s;
}
