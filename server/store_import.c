/*
 * store_import: what the bulk import needs beyond the resources' own
 * store code: a savepoint around each line (a failed line leaves
 * nothing) and finding a record by one of its external references.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "store_util.h"

static const char SQL_SAVEPOINT[] = "SAVEPOINT import_line";
static const char SQL_RELEASE[] = "RELEASE import_line";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO import_line";
/*
 * An import touches more pages than a request: a larger page cache while it
 * runs (KiB). 32 MiB measured faster than 128 MiB: every page the cache
 * grows by is fresh memory (a page fault), and the database is mapped.
 */
static const char SQL_CACHE_LARGE[] = "PRAGMA cache_size = -32768";
static const char SQL_CACHE_NORMAL[] = "PRAGMA cache_size = -2000";
/* Checkpoints only every 256 MiB of WAL (at 4 KiB pages): pages of several batches are copied once. */
static const char SQL_CHECKPOINT_OFF[] = "PRAGMA wal_autocheckpoint = 65536";
static const char SQL_CHECKPOINT_ON[] = "PRAGMA wal_autocheckpoint = 1000";
static const char SQL_REF_FIND[] =
    "SELECT res_id FROM external_refs WHERE resource = :resource AND ref_key = :key";

static int
run(struct db *db, const char *sql, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "savepoint", NULL, p);
}

/* The change-feed offers made before the current line (lines do not nest). */
static _Thread_local size_t line_mark;

int
store_line_begin(struct db *db, struct problem *p)
{
    line_mark = store_offers_mark(db);
    return run(db, SQL_SAVEPOINT, p);
}

int
store_line_end(struct db *db, int keep, struct problem *p)
{
    if (!keep) {
        store_offers_forget(db, line_mark); /* the line's writes are undone: so are its offers */
        if (run(db, SQL_ROLLBACK_TO, p) != 0)
            return -1;
    }
    return run(db, SQL_RELEASE, p);
}

int
store_external_ref_find(struct db *db, const char *resource, const char *key, char *id,
                        struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_REF_FIND, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":resource", resource);
    db_bind_text(st, ":key", key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(id, UTIL_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "external ref find", NULL, p);
}

void
store_import_session(struct db *db, int on)
{
    sqlite3 *conn = db_handle(db);

    /* the connection serves other requests afterwards: give the memory back */
    sqlite3_exec(conn, on ? SQL_CACHE_LARGE : SQL_CACHE_NORMAL, NULL, NULL, NULL);
    sqlite3_exec(conn, on ? SQL_CHECKPOINT_OFF : SQL_CHECKPOINT_ON, NULL, NULL, NULL);
    store_search_defer(db, on);
    /* the import's WAL back into the database, once the import is answered (0.3 s for 120 MB) */
    if (!on)
        db_checkpoint_later(db, 0);
}
