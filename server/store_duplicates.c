/*
 * store_duplicates: candidate pairs of duplicate customers. On every
 * customer write the customer's name keys (customer_match_keys) and its
 * pairs (customer_duplicates) are recomputed from index lookups of its
 * keys; the list walks the (rank, seq) index. Customers not yet indexed
 * (older databases, rows loaded with SQL) are indexed when crmd starts.
 * The rules (keys, score) are dupe.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dupe.h"
#include "log.h"
#include "store.h"
#include "store_util.h"

#define DUPE_CANDIDATES_MAX 256 /* other customers looked at per write (keys × holders bound it) */

static const char SQL_MATCH_CLEAR[] = "DELETE FROM customer_match_keys WHERE customer_id = :id";
static const char SQL_MATCH_ADD[] =
    "INSERT OR IGNORE INTO customer_match_keys (kind, key, customer_id) VALUES (:kind, :key, :id)";
/* Every key of a customer, evidence order: e-mail, phone, name + birthday, name + address. */
static const char SQL_MY_KEYS[] =
    "SELECT kind, key FROM (SELECT kind, key FROM customer_keys WHERE customer_id = :id"
    " UNION ALL SELECT kind, key FROM customer_match_keys WHERE customer_id = :id)"
    " ORDER BY CASE kind WHEN 'email' THEN 0 WHEN 'phone' THEN 1 WHEN 'name_birthday' THEN 2"
    " ELSE 3 END, key";
static const char SQL_HOLDERS[] =
    "SELECT k.customer_id, c.seq, c.kind FROM customer_keys k JOIN customers c ON c.id = k.customer_id"
    " WHERE k.kind = :kind AND k.key = :key LIMIT :limit";
static const char SQL_MATCH_HOLDERS[] =
    "SELECT k.customer_id, c.seq, c.kind FROM customer_match_keys k"
    " JOIN customers c ON c.id = k.customer_id WHERE k.kind = :kind AND k.key = :key LIMIT :limit";
static const char SQL_ME[] = "SELECT seq, kind FROM customers WHERE id = :id";
static const char SQL_PAIR_PUT[] =
    "INSERT INTO customer_duplicates (a, b, rank, reasons) VALUES (:a, :b, :rank, :reasons)"
    " ON CONFLICT (a, b) DO UPDATE SET rank = excluded.rank, reasons = excluded.reasons"
    " WHERE rank <> excluded.rank OR reasons <> excluded.reasons";
static const char SQL_PAIRS_PRUNE[] =
    "DELETE FROM customer_duplicates WHERE seq IN (SELECT seq FROM customer_duplicates WHERE a = :id"
    " UNION ALL SELECT seq FROM customer_duplicates WHERE b = :id)"
    " AND (CASE WHEN a = :id THEN b ELSE a END) NOT IN (SELECT value FROM json_each(:keep))";
static const char SQL_STATE[] = "SELECT indexed_seq FROM duplicates_state";
static const char SQL_STATE_SET[] =
    "UPDATE duplicates_state SET indexed_seq = (SELECT coalesce(max(seq), 0) FROM customers)";
static const char SQL_UNINDEXED[] =
    "SELECT id, kind, given_name, family_name, company_name, birthday, address FROM customers"
    " WHERE seq > :after ORDER BY seq";
static const char SQL_UNINDEXED_IDS[] = "SELECT id FROM customers WHERE seq > :after ORDER BY seq";

#define PAIR_COLUMNS(c)                                                                            \
    c ".id, " c ".kind, CASE WHEN " c ".kind = 'company' THEN " c ".company_name ELSE"            \
      " trim(coalesce(" c ".title || ' ', '') || coalesce(" c ".given_name || ' ', '') ||"        \
      " coalesce(" c ".family_name, '')) END, " c ".birthday, json_extract(" c ".address, '$.city')"
#define PAIR_SELECT                                                                                \
    "SELECT d.seq, d.rank, d.reasons, " PAIR_COLUMNS("a") ", " PAIR_COLUMNS("b")                  \
    " FROM customer_duplicates d JOIN customers a ON a.id = d.a JOIN customers b ON b.id = d.b"
static const char SQL_PAIRS[] =
    PAIR_SELECT " WHERE (d.rank, d.seq) > (:rank, :seq) AND d.rank <= :max_rank"
                " ORDER BY d.rank, d.seq LIMIT :limit";
static const char SQL_PAIRS_OF[] =
    PAIR_SELECT " WHERE d.seq IN (SELECT seq FROM customer_duplicates WHERE a = :cid"
                " UNION ALL SELECT seq FROM customer_duplicates WHERE b = :cid)"
                " AND (d.rank, d.seq) > (:rank, :seq) AND d.rank <= :max_rank"
                " ORDER BY d.rank, d.seq LIMIT :limit";

#define POS_SEQ_BITS 52

/* ---- keys ---- */

static int
match_add(struct db *db, const char *kind, const char *key, const char *id, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_MATCH_ADD, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":kind", kind);
    db_bind_text(st, ":key", key);
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "match key", NULL, p);
}

/*
 * Replace the name keys of customer doc (needs id, kind, names, birthday,
 * address); fresh: the customer was just created and has none to clear.
 */
static int
match_keys_write(struct db *db, const json_t *doc, int fresh, struct problem *p)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    const char *bday = json_string_value(json_object_get(doc, "birthday"));
    const json_t *addr = json_object_get(doc, "address");
    const char *parts[2];
    char name[DUPE_KEY_MAX], where[DUPE_KEY_MAX], key[2 * DUPE_KEY_MAX + 16];
    size_t n = 0;

    if (!fresh && store_exec_id(db, SQL_MATCH_CLEAR, id, p) != 0)
        return -1;
    if (!strcmp(json_string_value(json_object_get(doc, "kind")), "company")) {
        parts[n++] = json_string_value(json_object_get(doc, "company_name"));
    } else {
        parts[n++] = json_string_value(json_object_get(doc, "given_name"));
        parts[n++] = json_string_value(json_object_get(doc, "family_name"));
    }
    if (dupe_name_key(parts, n, name, sizeof name) != 0)
        return 0;
    if (bday) {
        snprintf(key, sizeof key, "%s|%.10s", name, bday);
        if (match_add(db, "name_birthday", key, id, p) != 0)
            return -1;
    }
    if (json_is_object(addr) &&
        dupe_address_key(json_string_value(json_object_get(addr, "street")),
                         json_string_value(json_object_get(addr, "postal_code")),
                         json_string_value(json_object_get(addr, "city")), where, sizeof where) == 0) {
        snprintf(key, sizeof key, "%s|%s", name, where);
        if (match_add(db, "name_address", key, id, p) != 0)
            return -1;
    }
    return 0;
}

/* ---- pairs ---- */

struct cand {
    char id[UTIL_UUID_LEN + 1];
    long long seq;
    unsigned mask;
    json_t *reasons;
};

struct cands {
    const char *id, *kind; /* the customer whose pairs these are */
    long long seq;
    struct cand *c;
    size_t n;
};

static unsigned
reason_bit(const char *kind)
{
    if (!strcmp(kind, "email"))
        return DUPE_EMAIL;
    if (!strcmp(kind, "phone"))
        return DUPE_PHONE;
    return !strcmp(kind, "name_birthday") ? DUPE_NAME_BIRTHDAY : DUPE_NAME_ADDRESS;
}

static const char *
reason_kind(unsigned bit)
{
    switch (bit) {
    case DUPE_EMAIL:
        return "email";
    case DUPE_PHONE:
        return "phone";
    case DUPE_NAME_BIRTHDAY:
        return "name_birthday";
    }
    return "name_address";
}

/* customers.seq and kind of id: 1, 0 when there is no such customer, -1 on error. */
static int
seq_kind(struct db *db, const char *id, long long *seq, char *kind, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ME, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        snprintf(kind, 16, "%.15s", (const char *)sqlite3_column_text(st, 1));
    }
    db_done(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "duplicate customer", NULL, p);
}

/* Run a statement without parameters to completion. */
static int
exec_plain(struct db *db, const char *sql, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "duplicates", NULL, p);
}

static void
cand_note(struct cands *cs, const char *other, long long seq, const char *kind, const char *key)
{
    struct cand *c = NULL;
    unsigned bit = reason_bit(kind);

    for (size_t i = 0; i < cs->n && !c; i++)
        if (!strcmp(cs->c[i].id, other))
            c = &cs->c[i];
    if (!c) {
        if (cs->n == DUPE_CANDIDATES_MAX)
            return;
        c = &cs->c[cs->n++];
        snprintf(c->id, sizeof c->id, "%.36s", other);
        c->seq = seq;
        c->mask = 0;
        c->reasons = json_array();
    }
    c->mask |= bit;
    /* the shared identifier helps the desk; name keys are internal spellings */
    json_array_append_new(c->reasons, bit & (DUPE_EMAIL | DUPE_PHONE)
                                          ? json_pack("{s:s, s:s}", "kind", kind, "value", key)
                                          : json_pack("{s:s}", "kind", kind));
}

/* The same-kind holders of one key, unless more than DUPE_HOLDERS_MAX hold it. */
static int
holders(struct db *db, struct cands *cs, const char *kind, const char *key, struct problem *p)
{
    int email_phone = reason_bit(kind) & (DUPE_EMAIL | DUPE_PHONE);
    sqlite3_stmt *st = db_stmt(db, email_phone ? SQL_HOLDERS : SQL_MATCH_HOLDERS, p);
    struct { char id[UTIL_UUID_LEN + 1]; long long seq; } found[DUPE_HOLDERS_MAX];
    size_t n = 0, total = 0;
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":kind", kind);
    db_bind_text(st, ":key", key);
    db_bind_int(st, ":limit", DUPE_HOLDERS_MAX + 1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *other = (const char *)sqlite3_column_text(st, 0);
        total++;
        if (!strcmp(other, cs->id) || strcmp((const char *)sqlite3_column_text(st, 2), cs->kind) ||
            n == DUPE_HOLDERS_MAX)
            continue;
        snprintf(found[n].id, sizeof found[n].id, "%.36s", other);
        found[n++].seq = sqlite3_column_int64(st, 1);
    }
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, "duplicate holders", NULL, p);
    if (total > DUPE_HOLDERS_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        cand_note(cs, found[i].id, found[i].seq, kind, key);
    return 0;
}

/* Collect the candidates of cs->id from each of its keys. */
static int
collect(struct db *db, struct cands *cs, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_MY_KEYS, p);
    json_t *keys = json_array(), *k;
    size_t i;
    int rc;

    if (!st) {
        json_decref(keys);
        return -1;
    }
    db_bind_text(st, ":id", cs->id);
    /* copied first: the holders' lookups reuse the connection's statements */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(keys, json_pack("[s, s]", (const char *)sqlite3_column_text(st, 0),
                                              (const char *)sqlite3_column_text(st, 1)));
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(keys);
        return db_fail(db, rc, "duplicate keys", NULL, p);
    }
    json_array_foreach(keys, i, k)
    {
        if (holders(db, cs, json_string_value(json_array_get(k, 0)),
                    json_string_value(json_array_get(k, 1)), p) != 0) {
            json_decref(keys);
            return -1;
        }
    }
    json_decref(keys);
    return 0;
}

/* Write the pair of x and y (customers.seq sx, sy): the older one is a. */
static int
pair_put(struct db *db, const char *x, long long sx, const char *y, long long sy, unsigned mask,
         const json_t *why, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PAIR_PUT, p);
    int older = sx < sy, rc;
    char *reasons;

    if (!st)
        return -1;
    reasons = json_dumps(why, JSON_COMPACT);
    db_bind_text(st, ":a", older ? x : y);
    db_bind_text(st, ":b", older ? y : x);
    db_bind_int(st, ":rank", 1000 - dupe_score(mask));
    db_bind_text(st, ":reasons", reasons);
    rc = sqlite3_step(st);
    db_done(st);
    free(reasons);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "duplicate pair", NULL, p);
}

/*
 * Recompute every pair of customer id (its keys are written); fresh: just
 * created, so no pair of it can be stale (nothing to prune).
 */
static int
pairs_write(struct db *db, const char *id, int fresh, struct problem *p)
{
    struct cands cs = { .id = id };
    sqlite3_stmt *st;
    char kind[16] = "";
    json_t *keep = json_array();
    char *keep_text = NULL;
    int rc;

    if ((rc = seq_kind(db, id, &cs.seq, kind, p)) <= 0)
        goto out;
    cs.kind = kind;
    cs.c = xmalloc(DUPE_CANDIDATES_MAX * sizeof *cs.c);
    rc = -1;
    if (collect(db, &cs, p) != 0)
        goto out;
    for (size_t i = 0; i < cs.n; i++) {
        if (pair_put(db, id, cs.seq, cs.c[i].id, cs.c[i].seq, cs.c[i].mask, cs.c[i].reasons, p) != 0)
            goto out;
        json_array_append_new(keep, json_string(cs.c[i].id));
    }
    rc = 0;
    if (fresh)
        goto out;
    rc = -1;
    if (!(st = db_stmt(db, SQL_PAIRS_PRUNE, p)))
        goto out;
    keep_text = json_dumps(keep, JSON_COMPACT);
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":keep", keep_text);
    rc = sqlite3_step(st);
    db_done(st);
    rc = rc == SQLITE_DONE ? 0 : db_fail(db, rc, "duplicate prune", NULL, p);
out:
    for (size_t i = 0; i < cs.n; i++)
        json_decref(cs.c[i].reasons);
    free(cs.c);
    free(keep_text);
    json_decref(keep);
    return rc;
}

int
store_duplicates_index_customer(struct db *db, const json_t *doc, struct problem *p)
{
    /* a customer just created (version 1: a fresh id) has no keys or pairs to clear yet */
    int fresh = json_integer_value(json_object_get(doc, "version")) == 1;

    if (match_keys_write(db, doc, fresh, p) != 0)
        return -1;
    return pairs_write(db, json_string_value(json_object_get(doc, "id")), fresh, p);
}

/* ---- rebuilding every pair from the key indexes (many customers to index) ---- */

#define BULK_MIN 2000 /* more customers to index than this: rebuild all pairs in one pass */

static const char SQL_GROUPS_CONTACT[] =
    "SELECT kind, key, customer_id FROM customer_keys ORDER BY kind, key, customer_id";
static const char SQL_GROUPS_BIRTHDAY[] =
    "SELECT kind, key, customer_id FROM customer_match_keys WHERE kind = 'name_birthday'"
    " ORDER BY key, customer_id";
static const char SQL_GROUPS_ADDRESS[] =
    "SELECT kind, key, customer_id FROM customer_match_keys WHERE kind = 'name_address'"
    " ORDER BY key, customer_id";
static const char SQL_PAIRS_CLEAR[] = "DELETE FROM customer_duplicates";
/* A big one-off write transaction spills a small page cache into the WAL again and again. */
static const char SQL_CACHE_BIG[] = "PRAGMA cache_size = -262144";
static const char SQL_CACHE_DEFAULT[] = "PRAGMA cache_size = -2000";

/* One shared key of two customers (a < b as text); value only for e-mail and phone. */
struct evidence {
    char a[UTIL_UUID_LEN + 1], b[UTIL_UUID_LEN + 1];
    unsigned bit;
    char *value;
};

struct evidences {
    struct evidence *e;
    size_t n, cap;
};

struct group {
    char kind[16], *key;
    char ids[DUPE_HOLDERS_MAX + 1][UTIL_UUID_LEN + 1];
    size_t n, total;
};

/* Every pair of a group of 2..DUPE_HOLDERS_MAX holders is evidence. */
static void
group_flush(struct group *g, struct evidences *ev)
{
    if (g->total >= 2 && g->total <= DUPE_HOLDERS_MAX) {
        unsigned bit = reason_bit(g->kind);
        for (size_t i = 0; i < g->n; i++)
            for (size_t j = i + 1; j < g->n; j++) {
                struct evidence *e;
                int lt = strcmp(g->ids[i], g->ids[j]) < 0;
                if (ev->n == ev->cap) {
                    ev->cap = ev->cap ? ev->cap * 2 : 1024;
                    ev->e = xrealloc(ev->e, ev->cap * sizeof *ev->e);
                }
                e = &ev->e[ev->n++];
                memcpy(e->a, g->ids[lt ? i : j], sizeof e->a);
                memcpy(e->b, g->ids[lt ? j : i], sizeof e->b);
                e->bit = bit;
                e->value = bit & (DUPE_EMAIL | DUPE_PHONE) ? xstrdup(g->key) : NULL;
            }
    }
    free(g->key);
    g->key = NULL;
    g->n = g->total = 0;
}

/* Walk one key index in (kind, key) order, collecting the evidence of its groups. */
static int
groups_scan(struct db *db, const char *sql, struct evidences *ev, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    struct group *g = xmalloc(sizeof *g);
    int rc;

    if (!st) {
        free(g);
        return -1;
    }
    g->key = NULL;
    g->n = g->total = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        const char *key = (const char *)sqlite3_column_text(st, 1);
        if (g->key && (strcmp(g->kind, kind) || strcmp(g->key, key)))
            group_flush(g, ev);
        if (!g->key) {
            snprintf(g->kind, sizeof g->kind, "%s", kind);
            g->key = xstrdup(key);
        }
        if (g->n < DUPE_HOLDERS_MAX)
            snprintf(g->ids[g->n++], sizeof g->ids[0], "%.36s", (const char *)sqlite3_column_text(st, 2));
        g->total++;
    }
    db_done(st);
    group_flush(g, ev);
    free(g);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "duplicates scan", NULL, p);
}

static int
cmp_evidence(const void *x, const void *y)
{
    const struct evidence *a = x, *b = y;
    int c = strcmp(a->a, b->a);

    if (!c)
        c = strcmp(a->b, b->b);
    if (!c)
        c = (a->bit > b->bit) - (a->bit < b->bit);
    if (!c && a->value && b->value)
        c = strcmp(a->value, b->value);
    return c;
}

/* Write the pair of the evidence run e[0..n) (same a and b) when both are of one kind. */
static int
bulk_pair(struct db *db, const struct evidence *e, size_t n, struct problem *p)
{
    char ka[16], kb[16];
    long long sa, sb;
    unsigned mask = 0;
    json_t *why;
    int rc;

    if ((rc = seq_kind(db, e->a, &sa, ka, p)) <= 0 || (rc = seq_kind(db, e->b, &sb, kb, p)) <= 0)
        return rc;
    if (strcmp(ka, kb))
        return 0;
    why = json_array();
    for (size_t i = 0; i < n; i++) {
        mask |= e[i].bit;
        json_array_append_new(why, e[i].value ? json_pack("{s:s, s:s}", "kind", reason_kind(e[i].bit),
                                                          "value", e[i].value)
                                              : json_pack("{s:s}", "kind", reason_kind(e[i].bit)));
    }
    rc = pair_put(db, e->a, sa, e->b, sb, mask, why, p);
    json_decref(why);
    return rc;
}

/* Replace every pair by the ones the key indexes hold now. */
static int
backfill_bulk(struct db *db, struct problem *p)
{
    static const char *const scans[] = { SQL_GROUPS_CONTACT, SQL_GROUPS_BIRTHDAY, SQL_GROUPS_ADDRESS };
    struct evidences ev = { 0 };
    size_t i, j;
    int rc = 0;

    if (exec_plain(db, SQL_PAIRS_CLEAR, p) != 0)
        return -1;
    for (i = 0; i < 3 && rc == 0; i++)
        rc = groups_scan(db, scans[i], &ev, p);
    if (rc == 0)
        qsort(ev.e, ev.n, sizeof *ev.e, cmp_evidence);
    for (i = 0; rc == 0 && i < ev.n; i = j) {
        for (j = i + 1; j < ev.n && !strcmp(ev.e[j].a, ev.e[i].a) && !strcmp(ev.e[j].b, ev.e[i].b); j++)
            ;
        rc = bulk_pair(db, &ev.e[i], j - i, p) < 0 ? -1 : 0;
    }
    for (i = 0; i < ev.n; i++)
        free(ev.e[i].value);
    free(ev.e);
    return rc;
}

/* ---- start-up indexing ---- */

static json_t *
unindexed_doc(sqlite3_stmt *st)
{
    static const char *const names[] = { "id", "kind", "given_name", "family_name",
                                         "company_name", "birthday" };
    json_t *doc = json_object(), *addr;

    for (int i = 0; i < 6; i++)
        if (sqlite3_column_type(st, i) != SQLITE_NULL)
            json_object_set_new(doc, names[i],
                                json_string((const char *)sqlite3_column_text(st, i)));
    if (sqlite3_column_type(st, 6) != SQLITE_NULL &&
        (addr = json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL)))
        json_object_set_new(doc, "address", addr);
    return doc;
}

/* Pass over the customers after `after`: keys (pass 0) or pairs (pass 1). */
static long long
backfill_pass(struct db *db, long long after, int pass, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, pass ? SQL_UNINDEXED_IDS : SQL_UNINDEXED, p);
    long long n = 0;
    int rc;

    if (!st)
        return -1;
    db_bind_int(st, ":after", after);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int bad;
        if (pass) {
            char id[UTIL_UUID_LEN + 1];
            snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
            bad = pairs_write(db, id, 0, p);
        } else {
            json_t *doc = unindexed_doc(st);
            bad = match_keys_write(db, doc, 0, p);
            json_decref(doc);
        }
        if (bad) {
            db_done(st);
            return -1;
        }
        n++;
    }
    db_done(st);
    return rc == SQLITE_DONE ? n : db_fail(db, rc, "duplicates backfill", NULL, p);
}

long long
store_duplicates_backfill(struct db *db)
{
    struct problem p = { 0 };
    sqlite3_stmt *st;
    long long after = 0, n = 0;
    int rc;

    if (store_begin_write(db, &p) != 0 || !(st = db_stmt(db, SQL_STATE, &p)))
        goto fail;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        after = sqlite3_column_int64(st, 0);
    db_done(st);
    if (rc != SQLITE_ROW) {
        db_fail(db, rc, "duplicates state", NULL, &p);
        goto fail;
    }
    /* keys first, so the pairs see every new key */
    if (exec_plain(db, SQL_CACHE_BIG, &p) != 0 || (n = backfill_pass(db, after, 0, &p)) < 0 ||
        (n && (n > BULK_MIN ? backfill_bulk(db, &p) : backfill_pass(db, after, 1, &p)) < 0) ||
        exec_plain(db, SQL_STATE_SET, &p) != 0 || store_commit(db, &p) != 0)
        goto fail;
    exec_plain(db, SQL_CACHE_DEFAULT, &p);
    if (n)
        log_info("duplicates: indexed %lld customers", n);
    return n;
fail:
    store_rollback(db);
    exec_plain(db, SQL_CACHE_DEFAULT, &p);
    log_error("duplicates backfill failed: %s", p.detail);
    problem_release(&p);
    return -1;
}

/* ---- the list ---- */

static json_t *
pair_customer(sqlite3_stmt *st, int col, const char *kind)
{
    json_t *c = json_pack("{s:o, s:s, s:o}", "id", store_col_text(st, col), "kind", kind, "name",
                          store_col_text(st, col + 2));

    json_object_set_new(c, "birthday", store_col_text(st, col + 3));
    json_object_set_new(c, "city", store_col_text(st, col + 4));
    return c;
}

static json_t *
pair_json(sqlite3_stmt *st)
{
    const char *kind = (const char *)sqlite3_column_text(st, 4);
    json_t *reasons = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);

    return json_pack("{s:o, s:f, s:o}", "customers",
                     json_pack("[o, o]", pair_customer(st, 3, kind), pair_customer(st, 8, kind)),
                     "score", (1000 - sqlite3_column_int(st, 1)) / 1000.0, "reasons",
                     reasons ? reasons : json_array());
}

int
store_duplicates_list(struct db *db, struct store_duplicates_page *page, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, page->customer_id ? SQL_PAIRS_OF : SQL_PAIRS, p);
    long long mask = (1LL << POS_SEQ_BITS) - 1;
    int rc, n = 0;

    page->items = NULL;
    page->more = 0;
    page->last = page->after;
    if (!st)
        return -1;
    if (page->customer_id)
        db_bind_text(st, ":cid", page->customer_id);
    db_bind_int(st, ":rank", page->after >> POS_SEQ_BITS);
    db_bind_int(st, ":seq", page->after & mask);
    db_bind_int(st, ":max_rank", 1000 - page->min_score);
    db_bind_int(st, ":limit", page->limit + 1);
    page->items = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == page->limit) {
            page->more = 1;
            break;
        }
        json_array_append_new(page->items, pair_json(st));
        page->last = sqlite3_column_int64(st, 1) << POS_SEQ_BITS | sqlite3_column_int64(st, 0);
        n++;
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(page->items);
        page->items = NULL;
        return db_fail(db, rc, "duplicates list", NULL, p);
    }
    return 0;
}
