/*
 * store_changes: the change feed. TEMP triggers on this connection note
 * every row written to a resource table (whatever SQL wrote it, foreign
 * key cascades included); store_commit() turns the notes into change
 * records just before COMMIT: a record written once whose writer offered
 * its representation (store_offers.c) is recorded with that text, any
 * other is read with store_get() as GET builds it.
 * Also the in-process notification of commits (store_changes_listen).
 */
#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store.h"
#include "store_util.h"

/* Change types; the order is the bit order of store_change_page.types. */
const char *const store_change_types[] = { "customer", "household", "vehicle", "touchpoint",
                                           "company_people", NULL };

/* The model of each type (NULL: company_people, the people list of a company). */
static const struct model *const type_models[] = { &model_customer, &model_household,
                                                   &model_vehicle, &model_touchpoint, NULL };

#define NTYPES (sizeof type_models / sizeof type_models[0])

static const char SQL_ARMED[] =
    "SELECT count(*) FROM temp.sqlite_master WHERE type = 'table' AND name = 'change_pending'";
static const char SQL_PENDING[] =
    "SELECT type, id, max(op = 'create'), max(op = 'delete'),"
    " max(CASE WHEN op = 'delete' THEN version END), count(*), max(version)"
    " FROM temp.change_pending GROUP BY type, id ORDER BY min(n)";
static const char SQL_PENDING_CLEAR[] = "DELETE FROM temp.change_pending";
/* Customers merged into another in this transaction (store_changes_note_merge). */
static const char SQL_MERGED_ADD[] =
    "INSERT OR REPLACE INTO temp.change_merged (id, into_id) VALUES (:id, :into)";
static const char SQL_MERGED_GET[] = "SELECT into_id FROM temp.change_merged WHERE id = :id";
static const char SQL_MERGED_CLEAR[] = "DELETE FROM temp.change_merged";
/* The key of the INSERT statements of 1..CHANGE_ROWS records (built by build_add). */
static const char SQL_CHANGE_ADD[] = "INSERT INTO changes";

/* ---- noting writes: the TEMP schema of a writing connection ---- */

static void
trigger(struct buf *b, const char *table, const char *event, const char *type, const char *row,
        const char *op, const char *version)
{
    char name[64];

    /* change_<table>_<event>_<row>, e.g. change_customers_INSERT_new_id */
    snprintf(name, sizeof name, "change_%s_%s_%s", table, event, row);
    name[strcspn(name, ".")] = '_';
    buf_printf(b,
               "CREATE TEMP TRIGGER %s AFTER %s ON main.%s BEGIN"
               " INSERT INTO change_pending (type, id, op, version)"
               " VALUES ('%s', %s, '%s', %s); END;\n",
               name, event, table, type, row, op, version);
}

/* The TEMP table and triggers; built from the models so no table is forgotten. */
static void
arm_sql(struct buf *b)
{
    buf_puts(b, "CREATE TEMP TABLE change_pending (n INTEGER PRIMARY KEY, type TEXT NOT NULL,"
                " id TEXT NOT NULL, op TEXT NOT NULL, version INTEGER);\n");
    buf_puts(b, "CREATE TEMP TABLE change_merged (id TEXT PRIMARY KEY, into_id TEXT NOT NULL);\n");
    for (size_t i = 0; type_models[i]; i++) {
        const char *t = type_models[i]->table, *type = store_change_types[i];
        trigger(b, t, "INSERT", type, "new.id", "create", "new.version");
        trigger(b, t, "UPDATE", type, "new.id", "update", "new.version");
        trigger(b, t, "DELETE", type, "old.id", "delete", "old.version");
    }
    /*
     * Membership shows in the customer's computed "household" (the
     * household's "members" change with a new household version, written
     * by the store): an update of the customer, whose version stays.
     */
    trigger(b, "household_members", "INSERT", "customer", "new.customer_id", "update", "NULL");
    trigger(b, "household_members", "UPDATE", "customer", "new.customer_id", "update", "NULL");
    trigger(b, "household_members", "DELETE", "customer", "old.customer_id", "update", "NULL");
    /* A person's roles at a company belong to the company's people list. */
    trigger(b, "company_people", "INSERT", "company_people", "new.company_id", "update", "NULL");
    trigger(b, "company_people", "UPDATE", "company_people", "old.company_id", "update", "NULL");
    trigger(b, "company_people", "UPDATE", "company_people", "new.company_id", "update", "NULL");
    trigger(b, "company_people", "DELETE", "company_people", "old.company_id", "update", "NULL");
}

int
store_changes_arm(struct db *db, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ARMED, p);
    struct buf sql = { 0 };
    char *err = NULL;
    int rc, armed;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    armed = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    db_done(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "changes armed", NULL, p);
    if (armed)
        return 0;
    arm_sql(&sql);
    rc = sqlite3_exec(db_handle(db), sql.data, NULL, NULL, &err);
    buf_release(&sql);
    if (rc != SQLITE_OK) {
        problem_internal(p, "changes arm: %s", err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

/* ---- recording: notes → change records, inside the write transaction ---- */

struct note {
    size_t type;
    char id[UTIL_UUID_LEN + 1];
    int created, deleted;
    long long version; /* of the deleted row */
    int writes;        /* rows noted for the record */
    long long written; /* the highest version written */
};

/*
 * The notes of this transaction into *out (NULL when none), one per
 * record in the order it was first written; *n of them. Returns 0 or -1.
 */
static int
read_notes(struct db *db, struct note **out, size_t *n, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PENDING, p);
    struct note *notes = NULL;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        struct note *nt;
        size_t t;

        for (t = 0; t < NTYPES && strcmp(store_change_types[t], type); t++)
            ;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            notes = xrealloc(notes, cap * sizeof *notes);
        }
        nt = &notes[(*n)++];
        nt->type = t;
        snprintf(nt->id, sizeof nt->id, "%s", (const char *)sqlite3_column_text(st, 1));
        nt->created = sqlite3_column_int(st, 2);
        nt->deleted = sqlite3_column_int(st, 3);
        nt->version = sqlite3_column_int64(st, 4);
        nt->writes = sqlite3_column_int(st, 5);
        nt->written = sqlite3_column_int64(st, 6);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        free(notes);
        *n = 0;
        return db_fail(db, rc, "change notes", NULL, p);
    }
    *out = notes;
    return 0;
}

/* Test mode (CRMD_CHANGES_VERIFY=1): every offered representation is compared with a read. */
static int
verifying(void)
{
    static int checked, on;

    if (!checked) {
        /* Benign race: every thread computes the same value. */
        const char *e = getenv("CRMD_CHANGES_VERIFY");
        on = e && !strcmp(e, "1");
        checked = 1;
    }
    return on;
}

char *
store_changes_text(const json_t *doc)
{
    /* jansson's default precision (17 significant digits): a real reads back as the same double */
    return json_dumps(doc, JSON_COMPACT);
}

/* The offered text of a record written once (borrowed), or NULL (*failed on error). */
static const char *
offered(struct db *db, const struct note *nt, int *failed, struct problem *p)
{
    const char *text;
    json_t *read = NULL;
    char *want;
    int same;

    *failed = 0;
    if (nt->writes != 1 || nt->deleted ||
        !(text = store_offers_find(db, type_models[nt->type], nt->id, nt->written)))
        return NULL;
    if (!verifying())
        return text;
    if (store_get(db, type_models[nt->type], nt->id, &read, p) != 0) {
        *failed = 1;
        return NULL;
    }
    want = store_changes_text(read);
    same = !strcmp(text, want);
    *failed = !same;
    if (!same)
        problem_internal(p, "change feed: offered %s %s differs from the row: %.200s vs %.200s",
                         store_change_types[nt->type], nt->id, text, want);
    free(want);
    json_decref(read);
    return same ? text : NULL;
}

/*
 * The representation of a noted record as GET shows it now (new
 * reference), or NULL with *gone = 1 when it no longer exists.
 */
static json_t *
represent(struct db *db, const struct note *nt, int *gone, struct problem *p)
{
    struct problem sub = { .request_id = p->request_id };
    json_t *out = NULL, *items;
    int rc;

    *gone = 0;
    if (type_models[nt->type]) {
        if (store_get(db, type_models[nt->type], nt->id, &out, &sub) == 0)
            return out;
    } else {
        /* company_people: GET /v1/customers/{company}/people of a company still there */
        rc = store_exists(db, &model_customer, nt->id, &sub);
        if (rc == 0)
            problem_set(&sub, PROBLEM_NOT_FOUND, "company gone");
        else if (rc == 1 && store_company_people(db, nt->id, 1, &items, &sub) == 0)
            return json_pack("{s:o}", "items", items);
    }
    if (sub.code == PROBLEM_NOT_FOUND)
        *gone = 1;
    else
        problem_set(p, sub.code, "%s", sub.detail);
    problem_release(&sub);
    return NULL;
}

int
store_changes_note_merge(struct db *db, const char *from, const char *into, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_MERGED_ADD, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", from);
    db_bind_text(st, ":into", into);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "change merge note", NULL, p);
}

/* The data of a delete: {"id", "merged_into"} for a merged customer, else NULL (*failed on error). */
static json_t *
tombstone(struct db *db, const struct note *nt, int *failed, struct problem *p)
{
    sqlite3_stmt *st;
    json_t *out = NULL;
    int rc;

    *failed = 0;
    if (type_models[nt->type] != &model_customer)
        return NULL;
    if (!(st = db_stmt(db, SQL_MERGED_GET, p))) {
        *failed = 1;
        return NULL;
    }
    db_bind_text(st, ":id", nt->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        out = json_pack("{s:s, s:s}", "id", nt->id, "merged_into",
                        (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *failed = 1;
        db_fail(db, rc, "change merge note", NULL, p);
    }
    return out;
}

#define CHANGE_ROWS 32 /* change records per INSERT: one statement (and AUTOINCREMENT update) each */

/* Change records waiting for their INSERT; texts stay valid until it ran. */
struct change_rows {
    struct {
        const struct note *nt;
        const char *op, *data; /* data: NULL for a delete without tombstone */
        char *own;             /* data to free, or NULL (borrowed from an offer) */
        long long version;
    } row[CHANGE_ROWS];
    size_t n;
};

static void
build_add(unsigned rows, const void *arg, struct buf *b)
{
    (void)arg;
    buf_puts(b, "INSERT INTO changes (type, res_id, op, version, at, data) VALUES ");
    for (unsigned i = 0; i < rows; i++)
        buf_puts(b, i ? ", (?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)");
}

static void
rows_release(struct change_rows *cr)
{
    while (cr->n)
        free(cr->row[--cr->n].own);
}

/* INSERT the waiting records in one statement. */
static int
rows_write(struct db *db, struct change_rows *cr, const char *at, struct problem *p)
{
    sqlite3_stmt *st;
    int rc;

    if (cr->n == 0)
        return 0;
    if (!(st = db_stmt_variant(db, SQL_CHANGE_ADD, (unsigned)cr->n, build_add, NULL, p))) {
        rows_release(cr);
        return -1;
    }
    for (size_t i = 0; i < cr->n; i++) {
        const struct note *nt = cr->row[i].nt;
        int c = (int)(6 * i);
        sqlite3_bind_text(st, c + 1, store_change_types[nt->type], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, c + 2, nt->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, c + 3, cr->row[i].op, -1, SQLITE_STATIC);
        if (type_models[nt->type]) /* company_people has no version */
            sqlite3_bind_int64(st, c + 4, cr->row[i].version);
        sqlite3_bind_text(st, c + 5, at, -1, SQLITE_STATIC);
        if (cr->row[i].data)
            sqlite3_bind_text(st, c + 6, cr->row[i].data, -1, SQLITE_STATIC);
    }
    rc = sqlite3_step(st);
    db_done(st);
    rows_release(cr);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "change add", NULL, p);
}

/*
 * Queue one change record: data is the representation's text (own: to
 * free), version its version; NULL data for a delete (a merged
 * customer's tombstone is looked up here).
 */
static int
add_change(struct db *db, struct change_rows *cr, const struct note *nt, const char *op,
           const char *data, char *own, long long version, const char *at, struct problem *p)
{
    json_t *tomb = NULL;
    int failed;

    if (!data) {
        if ((tomb = tombstone(db, nt, &failed, p)) == NULL && failed)
            return -1;
        data = own = tomb ? json_dumps(tomb, JSON_COMPACT) : NULL;
        version = nt->version;
        json_decref(tomb);
    }
    cr->row[cr->n].nt = nt;
    cr->row[cr->n].op = op;
    cr->row[cr->n].data = data;
    cr->row[cr->n].own = own;
    cr->row[cr->n].version = version;
    return ++cr->n == CHANGE_ROWS ? rows_write(db, cr, at, p) : 0;
}

int
store_changes_flush(struct db *db, struct problem *p)
{
    char at[UTIL_TIME_LEN + 1];
    struct change_rows cr = { .n = 0 };
    struct note *notes;
    sqlite3_stmt *st;
    size_t n, i;
    int recorded = 0, gone, rc = 0;

    /* Only a write transaction (store_begin_write armed it) can hold notes. */
    if (sqlite3_txn_state(db_handle(db), "main") != SQLITE_TXN_WRITE)
        return 0;
    if (read_notes(db, &notes, &n, p) != 0) {
        store_offers_forget(db, 0);
        return -1;
    }
    if (n == 0) {
        store_offers_forget(db, 0);
        return 0;
    }
    util_format_time(util_now(), at);
    for (i = 0; i < n; i++) {
        const struct note *nt = &notes[i];
        long long version = nt->written;
        const char *data;
        char *own = NULL;
        json_t *doc;

        if (nt->type >= NTYPES) {
            problem_internal(p, "change note of unknown type");
            break;
        }
        gone = 0;
        if (!(data = offered(db, nt, &rc, p))) {
            if (rc || (!(doc = represent(db, nt, &gone, p)) && !gone))
                break;
            if (doc) {
                data = own = store_changes_text(doc);
                version = json_integer_value(json_object_get(doc, "version"));
                json_decref(doc);
            }
        }
        /* A record created and deleted in one transaction was never seen: nothing to say. */
        if (data || (nt->deleted && !nt->created)) {
            const char *op = !data ? "delete" : nt->created ? "create" : "update";
            rc = add_change(db, &cr, nt, op, data, own, version, at, p);
            recorded++;
        } else {
            free(own);
        }
        if (rc != 0)
            break;
    }
    if (i == n && rows_write(db, &cr, at, p) != 0)
        i = 0; /* failed */
    rows_release(&cr);
    free(notes);
    store_offers_forget(db, 0);
    if (i < n)
        return -1;
    if (!(st = db_stmt(db, SQL_PENDING_CLEAR, p)))
        return -1;
    rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_DONE && (st = db_stmt(db, SQL_MERGED_CLEAR, p)) != NULL) {
        rc = sqlite3_step(st);
        db_done(st);
    } else if (rc == SQLITE_DONE) {
        return -1;
    }
    return rc == SQLITE_DONE ? recorded : db_fail(db, rc, "change notes clear", NULL, p);
}

/* ---- reading the feed ---- */

static void
build_list(unsigned types, const void *arg, struct buf *b)
{
    int n = 0, several = types & (types - 1);
    (void)arg;

    buf_puts(b, "SELECT seq, type, res_id, op, version, at, data FROM changes WHERE seq > :after");
    if (types) {
        /*
         * One type: a range of the (type, seq) index. Several: walk seq and
         * skip the others ("+type" keeps the planner from gathering and
         * sorting every match of the index when the cursor is far behind).
         */
        buf_printf(b, " AND %stype IN (", several ? "+" : "");
        for (size_t i = 0; i < NTYPES; i++)
            if (types & (1u << i))
                buf_printf(b, "%s'%s'", n++ ? ", " : "", store_change_types[i]);
        buf_puts(b, ")");
    }
    buf_puts(b, " ORDER BY seq LIMIT :limit");
}

static json_t *
change_json(sqlite3_stmt *st)
{
    const char *id = (const char *)sqlite3_column_text(st, 2);
    json_t *data;

    if (sqlite3_column_type(st, 6) == SQLITE_NULL) {
        data = json_pack("{s:s}", "id", id);
    } else {
        data = json_loadb((const char *)sqlite3_column_text(st, 6),
                          (size_t)sqlite3_column_bytes(st, 6), 0, NULL);
        if (!data)
            data = json_null();
    }
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:o}", "seq",
                     (json_int_t)sqlite3_column_int64(st, 0), "type",
                     (const char *)sqlite3_column_text(st, 1), "id", id, "operation",
                     (const char *)sqlite3_column_text(st, 3), "version",
                     sqlite3_column_type(st, 4) == SQLITE_NULL
                         ? json_null()
                         : json_integer(sqlite3_column_int64(st, 4)),
                     "at", (const char *)sqlite3_column_text(st, 5), "data", data);
}

int
store_changes_end(struct db *db, long long *seq, struct problem *p)
{
    /* the highest seq ever handed out (AUTOINCREMENT): also right when pruning emptied the table */
    static const char sql[] =
        "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)";
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    db_done(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, rc, "change feed end", NULL, p);
}

int
store_changes_pruned(struct db *db, long long *seq, struct problem *p)
{
    static const char sql[] = "SELECT pruned_through FROM changes_state";
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    *seq = 0;
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc, "changes pruned", NULL, p);
}

int
store_changes_expired(long long after, long long pruned, struct problem *p)
{
    if (after >= pruned)
        return 0;
    problem_set(p, PROBLEM_CURSOR_EXPIRED,
                "the changes after this cursor are no longer kept (the feed keeps the changes "
                "after seq %lld; older ones are pruned, see --changes-retention-days): take "
                "after=now, reload the records from the lists, then follow the feed from there",
                pruned);
    return -1;
}

/* The page, in a read transaction of its own when none is open (one snapshot with the check). */
static int
list_page(struct db *db, struct store_change_page *page, struct problem *p)
{
    sqlite3_stmt *st;
    long long pruned;
    int rc;

    if (store_changes_pruned(db, &pruned, p) != 0)
        return -1;
    if (page->from_start && page->after < pruned)
        page->after = pruned; /* the feed starts at its oldest kept change */
    else if (store_changes_expired(page->after, pruned, p) != 0)
        return -1;
    page->last = page->after;
    if (!(st = db_stmt_variant(db, store_change_types, page->types, build_list, NULL, p)))
        return -1;
    db_bind_int(st, ":after", page->after);
    db_bind_int(st, ":limit", page->limit);
    page->items = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_array_append_new(page->items, change_json(st));
        page->last = sqlite3_column_int64(st, 0);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(page->items);
        page->items = NULL;
        return db_fail(db, rc, "changes list", NULL, p);
    }
    return 0;
}

int
store_changes_list(struct db *db, struct store_change_page *page, struct problem *p)
{
    int own = sqlite3_get_autocommit(db_handle(db)), rc;

    page->items = NULL;
    page->last = page->after;
    if (own && store_begin_read(db, p) != 0)
        return -1;
    rc = list_page(db, page, p);
    if (own)
        store_rollback(db); /* a read: nothing to keep */
    return rc;
}

/* ---- retention: the oldest changes go (--changes-retention-days) ---- */

#define PRUNE_CHUNK 10000 /* changes per write transaction: other writers get turns */

static const char SQL_PRUNE_HOLD[] = "SELECT min(cursor) FROM webhooks";
static const char SQL_PRUNE_SCAN[] =
    "SELECT seq, at FROM changes WHERE seq > :from ORDER BY seq LIMIT :limit";
static const char SQL_PRUNE_DELETE[] = "DELETE FROM changes WHERE seq > :from AND seq <= :upto";
static const char SQL_PRUNE_STATE[] =
    "UPDATE changes_state SET pruned_through = max(pruned_through, :upto)";

/*
 * The end of the prunable run after seq from: the last of up to
 * PRUNE_CHUNK changes in seq order older than before and not past hold
 * (from when there is none); *more = 1 when the run may go on.
 */
static int
prune_scan(struct db *db, long long from, const char *before, long long hold, long long *upto,
           int *more, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PRUNE_SCAN, p);
    int rc, n = 0;

    *upto = from;
    *more = 0;
    if (!st)
        return -1;
    db_bind_int(st, ":from", from);
    db_bind_int(st, ":limit", PRUNE_CHUNK);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long seq = sqlite3_column_int64(st, 0);
        if (seq > hold || strcmp((const char *)sqlite3_column_text(st, 1), before) >= 0)
            break;
        *upto = seq;
        n++;
    }
    *more = rc == SQLITE_DONE && n == PRUNE_CHUNK;
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc, "prune scan", NULL, p);
}

/* Run a statement taking :from / :upto to completion. */
static int
prune_exec(struct db *db, const char *sql, long long from, long long upto, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    if (sql == SQL_PRUNE_DELETE)
        db_bind_int(st, ":from", from);
    db_bind_int(st, ":upto", upto);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "prune", NULL, p);
}

/* One chunk in its own write transaction: *n changes pruned; *more when more may follow. */
static int
prune_chunk(struct db *db, const char *before, long long *from, long long *n, int *more,
            struct problem *p)
{
    sqlite3_stmt *st;
    long long hold = LLONG_MAX, upto;
    int rc;

    *n = 0;
    if (db_begin_write(db, p) != 0 || !(st = db_stmt(db, SQL_PRUNE_HOLD, p)))
        goto fail;
    /* a webhook delivers the changes after its cursor: they stay, paused ones included */
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        hold = sqlite3_column_int64(st, 0);
    db_done(st);
    if ((rc != SQLITE_ROW && db_fail(db, rc, "prune hold", NULL, p)) ||
        prune_scan(db, *from, before, hold, &upto, more, p) != 0)
        goto fail;
    if (upto > *from) {
        if (prune_exec(db, SQL_PRUNE_DELETE, *from, upto, p) != 0)
            goto fail;
        *n = sqlite3_changes(db_handle(db));
        if (prune_exec(db, SQL_PRUNE_STATE, 0, upto, p) != 0)
            goto fail;
    }
    if (db_commit(db, p) != 0)
        goto fail;
    *more = *more && upto > *from;
    *from = upto;
    return 0;
fail:
    db_rollback(db);
    return -1;
}

long long
store_changes_prune(struct db *db, time_t before, int chunks, int *more)
{
    struct problem p = { 0 };
    char at[UTIL_TIME_LEN + 1];
    long long from, total = 0, n;

    *more = 1;
    util_format_time(before, at);
    if (store_changes_pruned(db, &from, &p) != 0) {
        problem_release(&p);
        return -1;
    }
    while (*more && chunks-- > 0) {
        if (prune_chunk(db, at, &from, &n, more, &p) != 0) {
            problem_release(&p);
            return -1;
        }
        total += n;
    }
    return total;
}

/* ---- commit notification: long-polls (defer.c) and the webhook worker listen ---- */

#define HUB_MAX_LISTENERS 4

static pthread_mutex_t hub_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*hub_listeners[HUB_MAX_LISTENERS])(void);
static unsigned long long hub_generation;

void
store_changes_notify(void)
{
    pthread_mutex_lock(&hub_lock);
    hub_generation++;
    for (size_t i = 0; i < HUB_MAX_LISTENERS; i++)
        if (hub_listeners[i])
            hub_listeners[i]();
    pthread_mutex_unlock(&hub_lock);
}

void
store_changes_listen(void (*fn)(void))
{
    size_t i;

    pthread_mutex_lock(&hub_lock);
    for (i = 0; i < HUB_MAX_LISTENERS && hub_listeners[i]; i++)
        ;
    assert(i < HUB_MAX_LISTENERS);
    hub_listeners[i] = fn;
    pthread_mutex_unlock(&hub_lock);
}

void
store_changes_unlisten(void (*fn)(void))
{
    pthread_mutex_lock(&hub_lock);
    for (size_t i = 0; i < HUB_MAX_LISTENERS; i++)
        if (hub_listeners[i] == fn)
            hub_listeners[i] = NULL;
    pthread_mutex_unlock(&hub_lock);
}

unsigned long long
store_changes_generation(void)
{
    unsigned long long g;

    pthread_mutex_lock(&hub_lock);
    g = hub_generation;
    pthread_mutex_unlock(&hub_lock);
    return g;
}
