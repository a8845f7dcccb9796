/*
 * store_ops: backup, integrity check, checkpoint (connections of their
 * own, opened per call) and the webhook backlog (the request's
 * connection). See store_ops.h.
 */
#include "store_ops.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "diskspace.h"

static const char SQL_BACKLOG[] =
    "SELECT coalesce(sum(max(0, (SELECT coalesce(max(seq), 0) FROM changes) - cursor)), 0)"
    " FROM webhooks WHERE status = 'active'";

/* Open path (must exist) with a busy timeout; NULL with err set. */
static sqlite3 *
open_existing(const char *path, int flags, char *err, size_t errlen)
{
    sqlite3 *c = NULL;
    int rc = sqlite3_open_v2(path, &c, flags, NULL);

    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, sqlite3_errstr(rc));
        sqlite3_close(c);
        return NULL;
    }
    sqlite3_busy_timeout(c, 10000);
    return c;
}

/* -1, or STORE_OPS_NO_SPACE when rc (a failed write to dst) says its disk is full. */
static int
write_failure(sqlite3 *dst, int rc)
{
    return (rc & 0xff) == SQLITE_FULL || diskspace_errno_full(sqlite3_system_errno(dst))
               ? STORE_OPS_NO_SPACE
               : -1;
}

/* Copy the open src into dest in steps, all from src's current read transaction. */
static int
copy(sqlite3 *src, sqlite3 *dst, char *err, size_t errlen)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    int rc;

    if (!b) {
        snprintf(err, errlen, "backup cannot start: %s", sqlite3_errmsg(dst));
        return -1;
    }
    do {
        rc = sqlite3_backup_step(b, STORE_OPS_BACKUP_PAGES);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
        return write_failure(dst, rc);
    }
    return 0;
}

int
store_ops_backup(const char *src, const char *dest, char *err, size_t errlen)
{
    sqlite3 *s = open_existing(src, SQLITE_OPEN_READWRITE, err, errlen), *d = NULL;
    int rc = -1;

    if (!s)
        return -1;
    /* one snapshot for every step: commits meanwhile go to the WAL, the copy never restarts */
    if (sqlite3_exec(s, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "cannot read %s: %s", src, sqlite3_errmsg(s));
        sqlite3_close(s);
        return -1;
    }
    d = open_existing(dest, SQLITE_OPEN_READWRITE, err, errlen);
    if (d)
        rc = copy(s, d, err, errlen);
    /* the copy is a single file: no -wal/-shm next to it (crmd switches back to WAL on open) */
    if (rc == 0 && sqlite3_exec(d, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot finish %s: %s", dest, sqlite3_errmsg(d));
        rc = write_failure(d, sqlite3_extended_errcode(d));
    }
    sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(s);
    if (d && sqlite3_close(d) != SQLITE_OK && rc == 0) {
        snprintf(err, errlen, "cannot close %s", dest);
        rc = -1;
    }
    return rc;
}

int
store_ops_integrity(const char *path, char *err, size_t errlen)
{
    sqlite3 *c = open_existing(path, SQLITE_OPEN_READONLY, err, errlen);
    sqlite3_stmt *st = NULL;
    int ok = 0;

    if (!c)
        return -1;
    if (sqlite3_prepare_v2(c, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        ok = v && !strcmp(v, "ok");
        snprintf(err, errlen, "integrity check of %s: %s", path, v ? v : "no answer");
    } else {
        snprintf(err, errlen, "integrity check of %s failed: %s", path, sqlite3_errmsg(c));
    }
    sqlite3_finalize(st);
    sqlite3_close(c);
    return ok ? 0 : -1;
}

int
store_ops_checkpoint(const char *path, char *err, size_t errlen)
{
    sqlite3 *c = open_existing(path, SQLITE_OPEN_READWRITE, err, errlen);
    int rc;

    if (!c)
        return -1;
    rc = sqlite3_wal_checkpoint_v2(c, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    if (rc != SQLITE_OK)
        snprintf(err, errlen, "checkpoint of %s: %s", path, sqlite3_errmsg(c));
    sqlite3_close(c);
    return rc == SQLITE_OK ? 0 : -1;
}

const char *
store_ops_sqlite_version(void)
{
    return sqlite3_libversion();
}

int
store_ops_webhook_backlog(struct db *db, long long *n, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_BACKLOG, p);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    db_done(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, rc, "webhook backlog", NULL, p);
}
