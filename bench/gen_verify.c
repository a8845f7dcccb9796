/*
 * gen_verify: proof that the generated rows are what the API would have
 * written. A sample of each resource is read back with store_get and put
 * through model_validate as an unchanged update: the normalised result
 * must equal what was read (phones re-derived to E.164, plates to their
 * lookup form, dates and consents normalised). Lookup keys, external
 * references and search rows must agree, and no foreign key may dangle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "gen.h"
#include "model.h"
#include "normalize.h"
#include "store.h"

static int shown;

static void
mismatch(const char *what, const char *id, const json_t *a, const json_t *b)
{
    if (shown++ >= 5)
        return;
    fprintf(stderr, "gen verify: %s %s differs\n", what, id);
    if (a) {
        char *x = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
        fprintf(stderr, "  stored:    %s\n", x);
        free(x);
    }
    if (b) {
        char *y = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
        fprintf(stderr, "  validated: %s\n", y);
        free(y);
    }
}

/* Rows of "SELECT text FROM ... WHERE ...=?1" as a sorted JSON array. */
static json_t *
column_set(struct gen *g, const char *sql, const char *id)
{
    sqlite3_stmt *st = gen_prepare(g, sql);
    json_t *out = json_array();

    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(out, json_string((const char *)sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    return out;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted copy of an array of strings, as one comparable JSON array. */
static json_t *
sorted(json_t *arr)
{
    size_t n = json_array_size(arr);
    const char **v = xcalloc(n + 1, sizeof *v);
    json_t *out = json_array();

    for (size_t i = 0; i < n; i++)
        v[i] = json_string_value(json_array_get(arr, i));
    qsort(v, n, sizeof *v, cmp_str);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, json_string(v[i]));
    free(v);
    json_decref(arr);
    return out;
}

static json_t *
expected_refs(const json_t *doc)
{
    json_t *out = json_array(), *r;
    size_t i;
    char key[256];

    json_array_foreach (json_object_get(doc, "external_refs"), i, r) {
        model_external_ref_key(r, key, sizeof key);
        json_array_append_new(out, json_string(key));
    }
    return sorted(out);
}

static json_t *
expected_keys(const json_t *doc)
{
    json_t *out = json_array(), *e;
    char key[NORMALIZE_EMAIL_MAX + 8];
    size_t i;

    json_array_foreach (json_object_get(doc, "emails"), i, e) {
        char k[NORMALIZE_EMAIL_MAX];
        if (normalize_email(json_string_value(json_object_get(e, "address")), k, sizeof k) == 0) {
            snprintf(key, sizeof key, "email:%s", k);
            json_array_append_new(out, json_string(key));
        }
    }
    json_array_foreach (json_object_get(doc, "phones"), i, e) {
        snprintf(key, sizeof key, "phone:%s", json_string_value(json_object_get(e, "e164")));
        json_array_append_new(out, json_string(key));
    }
    /* the store ignores repeats (INSERT OR IGNORE): compare as sets */
    out = sorted(out);
    for (i = 1; i < json_array_size(out);)
        if (json_equal(json_array_get(out, i), json_array_get(out, i - 1)))
            json_array_remove(out, i);
        else
            i++;
    return out;
}

/* The representation shows absent members as null; validation drops most of them. */
static void
drop_nulls(json_t *o)
{
    const char *key;
    json_t *v, *tmp;

    json_object_foreach_safe (o, tmp, key, v)
        if (json_is_null(v))
            json_object_del(o, key);
}

/* Check one representation; returns mismatches. */
static long
check_one(struct gen *g, const struct model *m, const char *id)
{
    struct problem p = {0};
    json_t *old = NULL, *doc, *want;
    long bad = 0;

    if (store_get(g->db, m, id, &old, &p) != 0) {
        fprintf(stderr, "gen verify: cannot read %s %s: %s\n", m->name, id, p.detail);
        problem_release(&p);
        return 1;
    }
    doc = json_deep_copy(old);
    want = json_deep_copy(old);
    for (size_t i = 0; i < m->ncomputed; i++)
        json_object_del(want, m->computed[i].name);
    if (model_validate(m, doc, old, &p) != 0) {
        fprintf(stderr, "gen verify: %s %s fails validation: %s\n", m->name, id, p.detail);
        if (p.errors) {
            char *e = json_dumps(p.errors, JSON_COMPACT);
            fprintf(stderr, "  %s\n", e);
            free(e);
        }
        bad++;
    } else if (drop_nulls(doc), drop_nulls(want), !json_equal(doc, want)) {
        mismatch(m->name, id, want, doc);
        bad++;
    }
    if (m == &model_customer || m == &model_vehicle) {
        json_t *refs =
            sorted(column_set(g, "SELECT ref_key FROM external_refs WHERE res_id = ?1", id));
        json_t *exp = expected_refs(old);
        if (!json_equal(refs, exp)) {
            mismatch("external refs of", id, refs, exp);
            bad++;
        }
        json_decref(refs);
        json_decref(exp);
    }
    if (m == &model_customer) {
        json_t *keys = sorted(column_set(g,
                                         "SELECT kind || ':' || key FROM customer_keys"
                                         " WHERE customer_id = ?1",
                                         id));
        json_t *exp = expected_keys(old);
        json_t *fts = column_set(g,
                                 "SELECT names FROM search_fts WHERE rowid ="
                                 " (SELECT seq FROM customers WHERE id = ?1)",
                                 id);
        if (!json_equal(keys, exp)) {
            mismatch("customer keys of", id, keys, exp);
            bad++;
        }
        if (json_array_size(fts) != 1) {
            fprintf(stderr, "gen verify: customer %s has %zu search rows\n", id,
                    json_array_size(fts));
            bad++;
        }
        json_decref(keys);
        json_decref(exp);
        json_decref(fts);
    }
    problem_release(&p);
    json_decref(old);
    json_decref(doc);
    json_decref(want);
    return bad;
}

static long
count(struct gen *g, const char *sql)
{
    sqlite3_stmt *st = gen_prepare(g, sql);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

long
gen_verify(struct gen *g, int n)
{
    static const struct model *const models[] = {&model_customer, &model_vehicle, &model_household,
                                                 &model_touchpoint};
    long bad = 0, checked = 0, dangling, fts, cust;

    for (size_t k = 0; k < 4; k++) {
        const struct model *m = models[k];
        char sql[128];
        long max;
        snprintf(sql, sizeof sql, "SELECT max(seq) FROM %s", m->table);
        max = count(g, sql);
        snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE seq = ?1", m->table);
        for (int i = 0; i < n && max > 0; i++) {
            sqlite3_stmt *st = gen_prepare(g, sql);
            sqlite3_bind_int64(st, 1, 1 + gen_rndn(g, max));
            if (sqlite3_step(st) == SQLITE_ROW) {
                char id[UTIL_UUID_LEN + 1];
                snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
                bad += check_one(g, m, id);
                checked++;
            }
            sqlite3_finalize(st);
        }
    }
    dangling = count(g, "SELECT count(*) FROM pragma_foreign_key_check");
    cust = count(g, "SELECT count(*) FROM customers");
    fts = count(g, "SELECT count(*) FROM search_fts");
    if (dangling != 0 || fts != cust)
        bad++;
    printf("gen: verify: %ld sampled representations %s the API's validation unchanged (with keys,"
           " refs, search rows); %ld dangling foreign keys; %ld search rows for %ld customers\n",
           checked, bad ? "checked against" : "pass", dangling, fts, cust);
    return bad;
}
