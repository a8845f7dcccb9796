/*
 * store_search: the desk search. Keeps search_fts (loose name keys and
 * Kölner codes, rowid = customers.seq) on every customer write, fills it
 * for customers written before it existed, and answers a search with a
 * fixed set of queries: identifiers (plate, VIN, phone, e-mail), the
 * last digits of phone numbers, three name tiers (exact, prefix,
 * phonetic) and one query for the details of at most limit customers
 * (STORE_SEARCH_LIMIT_MAX when a salutation or title may reorder them).
 * Classifying what was typed is search.c's job.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "normalize.h"
#include "phone_tail.h"
#include "salutation_words.h"
#include "search_norm.h"
#include "store.h"
#include "store_util.h"
#include "util.h"

#define SCORE_IDENTIFIER 100
#define SCORE_WEAK_PLATE 90     /* a sold car's plate; another car's plate written as typed */
#define SCORE_EXACT 90
#define SCORE_EXACT_LOOSE 88    /* equal only as loose keys: Muller for Müller */
#define SCORE_PLATE_HISTORY 80  /* a plate the car had before */
#define SCORE_PHONE_TAIL 75     /* weak evidence: one number in 10^digits ends so */
#define SCORE_PREFIX 70
#define SCORE_PLATE_PREFIX 60   /* the beginning of a plate */
#define SCORE_PHONETIC 50
#define VALUE_MAX 256

static const char SQL_INDEX_DELETE[] =
    "DELETE FROM search_fts WHERE rowid = (SELECT seq FROM customers WHERE id = :id)";
static const char SQL_INDEX_INSERT[] =
    "INSERT INTO search_fts (rowid, names, phonetic)"
    " SELECT seq, :names, :phonetic FROM customers WHERE id = :id";
/*
 * While an import runs (store_search_defer), its customers' rows wait in
 * a TEMP table and go into search_fts in one statement at each commit:
 * FTS5 writes its pending terms out at every savepoint (one per import
 * line), so rows inserted one line at a time would make a segment each.
 * Nothing reads search_fts inside the import's transaction.
 */
static const char SQL_PENDING_CREATE[] =
    "CREATE TEMP TABLE IF NOT EXISTS search_pending"
    " (rowid INTEGER PRIMARY KEY, names TEXT NOT NULL, phonetic TEXT NOT NULL)";
static const char SQL_PENDING_DROP[] = "DROP TABLE IF EXISTS temp.search_pending";
static const char SQL_PENDING_ADD[] =
    "INSERT OR REPLACE INTO temp.search_pending (rowid, names, phonetic)"
    " SELECT seq, :names, :phonetic FROM customers WHERE id = :id";
static const char SQL_PENDING_MOVE[] =
    "INSERT INTO search_fts (rowid, names, phonetic)"
    " SELECT rowid, names, phonetic FROM temp.search_pending ORDER BY rowid";
static const char SQL_PENDING_CLEAR[] = "DELETE FROM temp.search_pending";
static _Thread_local struct db *deferring; /* the connection deferring its index rows */
/*
 * An FTS5 delete only adds a tombstone: the names stay in the index's
 * segments until they are merged. 'optimize' merges them all into one,
 * without what was deleted (FTS5's own secure-delete needs SQLite 3.42).
 */
static const char SQL_FTS_OPTIMIZE[] = "INSERT INTO search_fts (search_fts) VALUES ('optimize')";
static const char SQL_BACKFILL_NEEDED[] =
    "SELECT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM search_fts)";
static const char SQL_BACKFILL_ROWS[] =
    "SELECT seq, kind, given_name, family_name, preferred_name, company_name, legal_form"
    " FROM customers ORDER BY seq";
static const char SQL_BACKFILL_INSERT[] =
    "INSERT INTO search_fts (rowid, names, phonetic) VALUES (:seq, :names, :phonetic)";

static const char SQL_BY_VIN[] =
    "SELECT coalesce(v.main_driver_id, v.owner_id), v.id, v.vin FROM vehicles v"
    " WHERE substr(v.vin, 12) = :tail AND substr(v.vin, 18 - length(:vin)) = :vin"
    " ORDER BY v.status <> 'active', v.seq LIMIT :limit";
static const char SQL_BY_KEY[] =
    "SELECT k.customer_id, NULL, k.key FROM customer_keys k WHERE k.kind = :kind AND k.key = :key"
    " LIMIT :limit";
/* Numbers ending with the typed digits: their reversed keys in [:lo, :hi). */
static const char SQL_BY_PHONE_TAIL[] =
    "SELECT customer_id, NULL, e164 FROM customer_phone_tails WHERE tail >= :lo AND tail < :hi"
    " LIMIT :limit";
static const char SQL_BY_NAME[] =
    "SELECT c.id, NULL FROM search_fts JOIN customers c ON c.seq = search_fts.rowid"
    " WHERE search_fts MATCH :match LIMIT :limit";
/*
 * Details of the hits, [[customer_id, vehicle_id or null], ...] in :want:
 * the matched vehicle, else the first active one the customer is main
 * driver of, else the first active one owned (those without a driver first).
 */
static const char SQL_DETAILS[] =
    "WITH want (cid, vid) AS"
    " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:want))"
    " SELECT c.id, c.kind, c.title, c.given_name, c.family_name, c.preferred_name,"
    " c.company_name, c.legal_form, json_extract(c.address, '$.city'),"
    " v.id, v.plate, v.make, v.model, v.vin, c.salutation"
    " FROM want w JOIN customers c ON c.id = w.cid"
    " LEFT JOIN vehicles v ON v.id = coalesce(w.vid,"
    "  (SELECT x.id FROM vehicles x WHERE x.main_driver_id = c.id AND x.status = 'active'"
    "   ORDER BY x.seq LIMIT 1),"
    "  (SELECT x.id FROM vehicles x WHERE x.owner_id = c.id AND x.status = 'active'"
    "   ORDER BY x.main_driver_id IS NOT NULL, x.seq LIMIT 1))";

enum { DETAIL_ID, DETAIL_KIND, DETAIL_TITLE, DETAIL_GIVEN, DETAIL_FAMILY, DETAIL_PREFERRED,
       DETAIL_COMPANY, DETAIL_LEGAL, DETAIL_CITY, DETAIL_VID, DETAIL_PLATE, DETAIL_MAKE,
       DETAIL_MODEL, DETAIL_VIN, DETAIL_SALUTATION };

/* ---- the index ---- */

/* Name text of a customer: the fields a desk might type, space-separated. */
static void
name_text(const char *const fields[], size_t n, struct buf *b)
{
    for (size_t i = 0; i < n; i++)
        if (fields[i] && fields[i][0]) {
            buf_puts(b, " ");
            buf_puts(b, fields[i]);
        }
    if (!b->data)
        buf_puts(b, "");
}

/* Loose keys and codes of text (out buffers hold strlen(text) + 1 bytes). */
static void
index_keys(const char *text, char *names, char *codes, size_t outsz)
{
    /* folding never lengthens text, so this cannot fail; empty keys if it ever did */
    if (search_norm_fold(text, 1, names, outsz) < 0)
        names[0] = '\0';
    if (search_norm_phonetic_text(text, codes, outsz) < 0)
        codes[0] = '\0';
}

void
store_search_defer(struct db *db, int on)
{
    char *err = NULL;

    deferring = NULL;
    if (sqlite3_exec(db_handle(db), on ? SQL_PENDING_CREATE : SQL_PENDING_DROP, NULL, NULL, &err) !=
        SQLITE_OK) {
        log_error("search index: %s", err ? err : "cannot prepare the deferred rows");
        sqlite3_free(err);
        return; /* rows are then written one at a time */
    }
    if (on)
        deferring = db;
}

int
store_search_flush(struct db *db, struct problem *p)
{
    sqlite3_stmt *st;
    int rc;

    if (deferring != db)
        return 0;
    if (!(st = db_stmt(db, SQL_PENDING_MOVE, p)))
        return -1;
    rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_DONE && (st = db_stmt(db, SQL_PENDING_CLEAR, p)) != NULL) {
        rc = sqlite3_step(st);
        db_done(st);
    } else if (rc == SQLITE_DONE) {
        return -1;
    }
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "search index rows", NULL, p);
}

static int
index_write(sqlite3_stmt *st, const char *text, struct db *db, struct problem *p)
{
    size_t outsz = strlen(text) + 1;
    char *names = xmalloc(outsz), *codes = xmalloc(outsz);
    int rc;

    index_keys(text, names, codes, outsz);
    db_bind_text(st, ":names", names);
    db_bind_text(st, ":phonetic", codes);
    rc = sqlite3_step(st);
    db_done(st);
    free(names);
    free(codes);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "search index", NULL, p);
}

int
store_search_index_customer(struct db *db, const json_t *doc, struct problem *p)
{
    static const char *const person[] = { "given_name", "family_name", "preferred_name",
                                          "company_name", "legal_form" };
    const char *id = json_string_value(json_object_get(doc, "id"));
    const char *fields[5];
    struct buf text = { 0 };
    sqlite3_stmt *st;
    int rc;

    for (size_t i = 0; i < 5; i++)
        fields[i] = json_string_value(json_object_get(doc, person[i]));
    /* a customer just created (version 1) has no row yet */
    if (json_integer_value(json_object_get(doc, "version")) != 1 &&
        store_exec_id(db, SQL_INDEX_DELETE, id, p) != 0)
        return -1;
    if (!(st = db_stmt(db, deferring == db ? SQL_PENDING_ADD : SQL_INDEX_INSERT, p)))
        return -1;
    db_bind_text(st, ":id", id);
    name_text(fields, 5, &text);
    rc = index_write(st, text.data, db, p);
    buf_release(&text);
    return rc;
}

static int
backfill_needed(struct db *db, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_BACKFILL_NEEDED, p);
    int rc, needed = 0;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        needed = sqlite3_column_int(st, 0);
    db_done(st);
    return rc == SQLITE_ROW ? needed : db_fail(db, rc, "search backfill check", NULL, p);
}

/* Index every customer; inside a write transaction. */
static long long
backfill_rows(struct db *db, struct problem *p)
{
    sqlite3_stmt *rows = db_stmt(db, SQL_BACKFILL_ROWS, p), *ins;
    long long n = 0;
    int rc;

    if (!rows)
        return -1;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
        const char *fields[5];
        struct buf text = { 0 };
        for (int i = 0; i < 5; i++)
            fields[i] = (const char *)sqlite3_column_text(rows, 2 + i);
        name_text(fields, 5, &text);
        if (!(ins = db_stmt(db, SQL_BACKFILL_INSERT, p))) {
            buf_release(&text);
            db_done(rows);
            return -1;
        }
        db_bind_int(ins, ":seq", sqlite3_column_int64(rows, 0));
        rc = index_write(ins, text.data, db, p);
        buf_release(&text);
        if (rc != 0) {
            db_done(rows);
            return -1;
        }
        n++;
    }
    db_done(rows);
    return rc == SQLITE_DONE ? n : db_fail(db, rc, "search backfill", NULL, p);
}

long long
store_search_backfill(struct db *db)
{
    struct problem p = { 0 };
    long long n = 0;
    int needed;

    if (store_begin_write(db, &p) != 0)
        goto fail;
    needed = backfill_needed(db, &p);
    if (needed < 0 || (needed && (n = backfill_rows(db, &p)) < 0) || store_commit(db, &p) != 0)
        goto fail;
    if (n)
        log_info("search index: indexed %lld customers written before it existed", n);
    return n;
fail:
    store_rollback(db);
    log_error("search index backfill failed: %s", p.detail);
    problem_release(&p);
    return -1;
}

/* ---- a search ---- */

struct hit {
    char customer[UTIL_UUID_LEN + 1];
    char vehicle[UTIL_UUID_LEN + 1]; /* "" = pick one in the details */
    const char *kind;                /* match kind; NULL for a name hit until the details */
    char value[VALUE_MAX];           /* "" for a name hit: the name is the value */
    int score;
    int tier;                        /* 0, 1, 2: name tier; -1: identifier */
    char *name;                      /* display name (details) */
    char *sortkey;                   /* folded display name */
    json_t *item;                    /* built from the details */
};

struct hits {
    struct hit h[STORE_SEARCH_LIMIT_MAX];
    size_t n, limit;
};

/* The hit with the lowest score (the last of them), where a better one goes when the list is full. */
static struct hit *
hits_worst(struct hits *hs)
{
    struct hit *w = &hs->h[0];

    for (size_t i = 1; i < hs->n; i++)
        if (hs->h[i].score <= w->score)
            w = &hs->h[i];
    return w;
}

/*
 * Keep the best match per customer. A full list makes room for a better
 * hit by dropping its worst: plate beginnings (60) are looked up after the
 * names, whose tiers come best first.
 */
static void
hits_add(struct hits *hs, const struct hit *add)
{
    struct hit *h = NULL;

    for (size_t i = 0; i < hs->n && !h; i++)
        if (!strcmp(hs->h[i].customer, add->customer)) {
            if (add->score <= hs->h[i].score)
                return;
            h = &hs->h[i];
        }
    if (!h && hs->n < hs->limit)
        h = &hs->h[hs->n++];
    else if (!h && (h = hits_worst(hs))->score >= add->score)
        return;
    *h = *add;
}

/* A hit from a row: customer and vehicle ids (vehicle may be NULL) and the matched value. */
static void
hit_from_row(struct hit *h, sqlite3_stmt *st, int has_value)
{
    const char *customer = (const char *)sqlite3_column_text(st, 0);
    const char *vehicle = (const char *)sqlite3_column_text(st, 1);
    const char *value = has_value ? (const char *)sqlite3_column_text(st, 2) : NULL;

    snprintf(h->customer, sizeof h->customer, "%s", customer ? customer : "");
    snprintf(h->vehicle, sizeof h->vehicle, "%s", vehicle ? vehicle : "");
    snprintf(h->value, sizeof h->value, "%s", value ? value : "");
}

/* Run a bound identifier lookup whose rows are (customer, vehicle or NULL, value). */
static int
lookup_rows(struct db *db, sqlite3_stmt *st, struct hits *hs, const char *kind, int score,
            struct problem *p)
{
    struct hit h = { .kind = kind, .score = score, .tier = -1 };
    int rc;

    db_bind_int(st, ":limit", (long long)hs->limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hit_from_row(&h, st, 1);
        hits_add(hs, &h);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "search lookup", NULL, p);
}

/* Customers with a number ending in the typed digits, below every exact identifier. */
static int
lookup_phone_tail(struct db *db, const struct store_search_terms *t, struct hits *hs,
                  struct problem *p)
{
    char hi[PHONE_TAIL_KEY_MAX];
    sqlite3_stmt *st;

    if (!t->phone_tail || phone_tail_upper(t->phone_tail, hi, sizeof hi) != 0)
        return 0;
    if (!(st = db_stmt(db, SQL_BY_PHONE_TAIL, p)))
        return -1;
    db_bind_text(st, ":lo", t->phone_tail);
    db_bind_text(st, ":hi", hi);
    return lookup_rows(db, st, hs, "phone_tail", SCORE_PHONE_TAIL, p);
}

/* Cars found by a plate, gathered before they are scored. */
struct plate_rows {
    struct hit h[STORE_SEARCH_LIMIT_MAX];
    int active[STORE_SEARCH_LIMIT_MAX], fits[STORE_SEARCH_LIMIT_MAX];
    size_t n;
    const char *typed;
};

static void
plate_row(const struct store_plate_row *row, void *arg)
{
    struct plate_rows *rows = arg;
    struct hit *h;

    if (rows->n == STORE_SEARCH_LIMIT_MAX)
        return;
    h = &rows->h[rows->n];
    memset(h, 0, sizeof *h);
    h->tier = -1;
    snprintf(h->customer, sizeof h->customer, "%s", row->customer ? row->customer : "");
    snprintf(h->vehicle, sizeof h->vehicle, "%s", row->vehicle);
    snprintf(h->value, sizeof h->value, "%s", row->plate ? row->plate : "");
    rows->active[rows->n] = row->active;
    rows->fits[rows->n] = normalize_plate_fits(rows->typed, row->plate) == 1;
    rows->n++;
}

/*
 * Current plates, then past ones. Among the cars with the plate, one whose
 * plate is written with the separators typed ("M-AB 123", not "MA-B 123")
 * wins when it is the only one; the others rank as a sold car's keeper.
 * *found: how many cars carry the plate now.
 */
static int
lookup_plates(struct db *db, const struct store_search_terms *t, struct hits *hs, size_t *found,
              struct problem *p)
{
    struct plate_rows *rows = xcalloc(1, sizeof *rows);
    size_t fitting = 0, n;
    int rc = -1;

    rows->typed = t->typed;
    if (store_plates_find(db, STORE_PLATES_NOW, t->plate, (long)hs->limit, plate_row, rows, p) != 0)
        goto out;
    *found = n = rows->n;
    for (size_t i = 0; i < n; i++)
        fitting += (size_t)rows->fits[i];
    for (size_t i = 0; i < n; i++) {
        int strong = fitting == 1 ? rows->fits[i] : rows->active[i];
        rows->h[i].kind = "plate";
        rows->h[i].score = strong ? SCORE_IDENTIFIER : SCORE_WEAK_PLATE;
        hits_add(hs, &rows->h[i]);
    }
    rows->n = 0;
    if (store_plates_find(db, STORE_PLATES_PAST, t->plate, (long)hs->limit, plate_row, rows, p) != 0)
        goto out;
    for (size_t i = 0; i < rows->n; i++) {
        rows->h[i].kind = "plate_history";
        rows->h[i].score = SCORE_PLATE_HISTORY;
        hits_add(hs, &rows->h[i]);
    }
    rc = 0;
out:
    free(rows);
    return rc;
}

/* Cars whose plate begins with what was typed ("M-HW"), below every other match but sound. */
static int
lookup_plate_prefix(struct db *db, const struct store_search_terms *t, struct hits *hs,
                    struct problem *p)
{
    struct plate_rows *rows = xcalloc(1, sizeof *rows);
    int rc = store_plates_find(db, STORE_PLATES_PREFIX, t->plate_prefix, (long)hs->limit, plate_row,
                               rows, p);

    for (size_t i = 0; rc == 0 && i < rows->n; i++) {
        rows->h[i].kind = "plate_prefix";
        rows->h[i].score = SCORE_PLATE_PREFIX;
        hits_add(hs, &rows->h[i]);
    }
    free(rows);
    return rc;
}

static int
lookup_identifiers(struct db *db, const struct store_search_terms *t, struct hits *hs,
                   size_t *plates, struct problem *p)
{
    sqlite3_stmt *st;
    size_t len;

    *plates = 0;
    if (t->plate && lookup_plates(db, t, hs, plates, p) != 0)
        return -1;

    if (t->vin && (len = strlen(t->vin)) >= 6) {
        if (!(st = db_stmt(db, SQL_BY_VIN, p)))
            return -1;
        db_bind_text(st, ":tail", t->vin + len - 6);
        db_bind_text(st, ":vin", t->vin);
        if (lookup_rows(db, st, hs, "vin", SCORE_IDENTIFIER, p) != 0)
            return -1;
    }
    for (int i = 0; i < 2; i++) {
        const char *key = i ? t->email : t->phone, *kind = i ? "email" : "phone";
        if (!key)
            continue;
        if (!(st = db_stmt(db, SQL_BY_KEY, p)))
            return -1;
        db_bind_text(st, ":kind", kind);
        db_bind_text(st, ":key", key);
        if (lookup_rows(db, st, hs, kind, SCORE_IDENTIFIER, p) != 0)
            return -1;
    }
    return lookup_phone_tail(db, t, hs, p);
}

/* Append "col : "token"[*]" to an FTS5 expression (tokens never hold '"', but escape anyway). */
static void
fts_term(struct buf *b, const char *col, const char *token, int prefix)
{
    buf_printf(b, "%s%s : \"", b->len ? " AND " : "", col);
    for (const char *s = token; *s; s++)
        buf_append(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
    buf_puts(b, prefix ? "\"*" : "\"");
}

/*
 * The FTS5 expression of a name tier: 0 every token equal, 1 every token
 * a prefix (single letters only next to other tokens, "H Wessling", and
 * not in queries with digits),
 * 2 tokens by sound where search_norm_by_sound() allows, the others as prefixes.
 * Returns 0 when the tier has nothing to add.
 */
static int
fts_tier(const struct store_search_terms *t, int tier, struct buf *b)
{
    int useful = 0, digits = 0;

    /*
     * A query with digits is a plate, phone or VIN more than a name: its
     * single letters ("M" of "M-AB 123") stay exact, since a one-letter
     * prefix walks every indexed term with that letter.
     */
    for (size_t i = 0; i < t->ntokens; i++)
        digits |= strpbrk(t->tokens[i].loose, "0123456789") != NULL;
    for (size_t i = 0; i < t->ntokens; i++) {
        const struct search_norm_token *k = &t->tokens[i];
        int prefix = strlen(k->loose) >= 2 || (t->ntokens > 1 && !digits);
        if (tier == 2 && search_norm_by_sound(k)) {
            fts_term(b, "phonetic", k->code, 0);
            useful = 1;
        } else {
            fts_term(b, "names", k->loose, tier > 0 && prefix);
            useful |= tier == 0 || (tier == 1 && prefix);
        }
    }
    return useful;
}

static int
lookup_names(struct db *db, const struct store_search_terms *t, struct hits *hs, struct problem *p)
{
    static const int scores[] = { SCORE_EXACT, SCORE_PREFIX, SCORE_PHONETIC };

    for (int tier = 0; tier < 3 && hs->n < hs->limit; tier++) {
        struct buf match = { 0 };
        sqlite3_stmt *st;
        int rc;

        if (!t->ntokens || !fts_tier(t, tier, &match)) {
            buf_release(&match);
            continue;
        }
        if (!(st = db_stmt(db, SQL_BY_NAME, p))) {
            buf_release(&match);
            return -1;
        }
        db_bind_text(st, ":match", match.data);
        /* rows already listed may come again: ask for enough to fill the list */
        db_bind_int(st, ":limit", (long long)(hs->limit + hs->n));
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            struct hit h = { .score = scores[tier], .tier = tier }; /* kind and value: details */
            hit_from_row(&h, st, 0);
            hits_add(hs, &h);
        }
        db_done(st);
        buf_release(&match);
        if (rc != SQLITE_DONE)
            return db_fail(db, rc, "search names", NULL, p);
    }
    return 0;
}

static const char *
col_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

static json_t *
col_json(sqlite3_stmt *st, int col)
{
    const char *s = col_text(st, col);
    return s ? json_string(s) : json_null();
}

/* "Dr. Hans Wessling" for a person, the company name for a company. */
static char *
display_name(sqlite3_stmt *st, int company)
{
    static const int person[] = { DETAIL_TITLE, DETAIL_GIVEN, DETAIL_FAMILY };
    struct buf b = { 0 };

    if (company) {
        buf_puts(&b, col_text(st, DETAIL_COMPANY) ? col_text(st, DETAIL_COMPANY) : "");
        return b.data;
    }
    for (size_t i = 0; i < 3; i++) {
        const char *s = col_text(st, person[i]);
        if (s && s[0])
            buf_printf(&b, "%s%s", b.len ? " " : "", s);
    }
    if (!b.len && col_text(st, DETAIL_PREFERRED))
        buf_puts(&b, col_text(st, DETAIL_PREFERRED));
    if (!b.data)
        buf_puts(&b, "");
    return b.data;
}

/* Every exact query token among the customer's transliterated name tokens? */
static int
same_spelling(const struct store_search_terms *t, sqlite3_stmt *st)
{
    const char *fields[5];
    struct buf text = { 0 };
    char *have;
    int all = 1;

    for (int i = 0; i < 5; i++)
        fields[i] = col_text(st, DETAIL_GIVEN + i);
    name_text(fields, 5, &text);
    have = xmalloc(text.len + 3);
    have[0] = ' ';
    if (search_norm_fold(text.data, 0, have + 1, text.len + 1) < 0)
        have[1] = '\0';
    strcat(have, " ");
    for (size_t i = 0; i < t->ntokens && all; i++) {
        char want[SEARCH_NORM_TOKEN_MAX + 2];
        snprintf(want, sizeof want, " %s ", t->tokens[i].exact);
        all = strstr(have, want) != NULL;
    }
    free(have);
    buf_release(&text);
    return all;
}

static void
fill_hit(struct hit *h, const struct store_search_terms *t, sqlite3_stmt *st)
{
    int company = !strcmp(col_text(st, DETAIL_KIND), "company");
    json_t *vehicle = json_null();
    size_t n;

    h->name = display_name(st, company);
    n = strlen(h->name) + 1;
    h->sortkey = xmalloc(n);
    if (search_norm_fold(h->name, 1, h->sortkey, n) < 0)
        h->sortkey[0] = '\0';
    if (h->tier >= 0) {
        h->kind = company ? "company"
                  : h->tier == 0 ? "name_exact"
                  : h->tier == 1 ? "name_prefix" : "name_phonetic";
        if (h->tier == 0 && !same_spelling(t, st))
            h->score = SCORE_EXACT_LOOSE;
        h->score += salutation_words_bonus(t->address, col_text(st, DETAIL_KIND),
                                           col_text(st, DETAIL_SALUTATION),
                                           col_text(st, DETAIL_TITLE));
    }
    if (col_text(st, DETAIL_VID))
        vehicle = json_pack("{s:s, s:o, s:o, s:o, s:o}", "id", col_text(st, DETAIL_VID), "plate",
                            col_json(st, DETAIL_PLATE), "vin", col_json(st, DETAIL_VIN), "make",
                            col_json(st, DETAIL_MAKE), "model", col_json(st, DETAIL_MODEL));
    h->item = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:i, s:o, s:o}", "customer_id", h->customer,
                        "kind", col_text(st, DETAIL_KIND), "name", h->name, "match", "kind",
                        h->kind, "value", h->value[0] ? h->value : h->name, "score", h->score,
                        "city", col_json(st, DETAIL_CITY), "vehicle", vehicle);
}

static int
details(struct db *db, const struct store_search_terms *t, struct hits *hs, struct problem *p)
{
    json_t *want = json_array();
    sqlite3_stmt *st;
    char *text;
    int rc;

    for (size_t i = 0; i < hs->n; i++)
        json_array_append_new(want, json_pack("[s, o]", hs->h[i].customer,
                                              hs->h[i].vehicle[0] ? json_string(hs->h[i].vehicle)
                                                                  : json_null()));
    text = json_dumps(want, JSON_COMPACT);
    json_decref(want);
    if (!(st = db_stmt(db, SQL_DETAILS, p))) {
        free(text);
        return -1;
    }
    db_bind_text(st, ":want", text);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < hs->n; i++)
            if (!hs->h[i].item && !strcmp(hs->h[i].customer, col_text(st, DETAIL_ID)))
                fill_hit(&hs->h[i], t, st);
    }
    db_done(st);
    free(text);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "search details", NULL, p);
}

/* Best score first, then by name, then by id: the same search lists the same way. */
static int
hit_order(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    int c;

    if (x->score != y->score)
        return y->score - x->score;
    c = strcmp(x->sortkey ? x->sortkey : "", y->sortkey ? y->sortkey : "");
    return c ? c : strcmp(x->customer, y->customer);
}

int
store_search(struct db *db, const struct store_search_terms *t, int limit, json_t **items,
             struct problem *p)
{
    struct hits *hs = xcalloc(1, sizeof *hs);
    size_t want = limit < 1                        ? 1
                  : limit > STORE_SEARCH_LIMIT_MAX ? STORE_SEARCH_LIMIT_MAX
                                                   : (size_t)limit;
    size_t plates;
    int rc = -1;

    *items = NULL;
    /* a salutation or title reorders within a tier: gather more than the list shows */
    hs->limit = salutation_words_any(t->address) ? STORE_SEARCH_LIMIT_MAX : want;
    /* a plate's beginning when typed with a separator ("M-HW") or a plate nobody has */
    if (lookup_identifiers(db, t, hs, &plates, p) != 0 || lookup_names(db, t, hs, p) != 0 ||
        (t->plate_prefix && (t->plate_prefix->separated || (t->plate && !plates)) &&
         lookup_plate_prefix(db, t, hs, p) != 0) ||
        (hs->n && details(db, t, hs, p) != 0))
        goto out;
    qsort(hs->h, hs->n, sizeof hs->h[0], hit_order);
    *items = json_array();
    for (size_t i = 0; i < hs->n && json_array_size(*items) < want; i++)
        if (hs->h[i].item) {
            json_array_append(*items, hs->h[i].item);
        }
    rc = 0;
out:
    for (size_t i = 0; i < hs->n; i++) {
        json_decref(hs->h[i].item);
        free(hs->h[i].name);
        free(hs->h[i].sortkey);
    }
    free(hs);
    return rc;
}

int
store_search_purge(struct db *db, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_FTS_OPTIMIZE, p);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "search purge", NULL, p);
}
