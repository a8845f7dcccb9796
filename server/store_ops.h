/*
 * store_ops: the SQL of operations: online backup (sqlite3_backup_*), the
 * integrity check of a copy, the WAL checkpoint at the stop, the
 * webhook backlog gauge and SQLite's version of GET /metrics. The backup functions open
 * connections of their own (the CLI has no server), so they take paths.
 */
#ifndef CRMD_STORE_OPS_H
#define CRMD_STORE_OPS_H

#include <stddef.h>

#include "problem.h"

struct db;

/* Pages copied per sqlite3_backup_step (the source's read transaction stays open between). */
#define STORE_OPS_BACKUP_PAGES 1024

/* store_ops_backup's answer when dest's disk (or the file size limit) is full */
#define STORE_OPS_NO_SPACE (-2)

/*
 * Copy database src into dest (an empty file the caller made) page by page
 * from one read snapshot of src: writers go on meanwhile (WAL). 0, or -1
 * (STORE_OPS_NO_SPACE when dest could not grow) with the reason in err.
 */
int store_ops_backup(const char *src, const char *dest, char *err, size_t errlen);

/* PRAGMA integrity_check of the database file path: 0 when "ok", else -1 with the first finding. */
int store_ops_integrity(const char *path, char *err, size_t errlen);

/* PRAGMA wal_checkpoint(TRUNCATE) on path: 0, or -1 (busy: a reader still runs) with err. */
int store_ops_checkpoint(const char *path, char *err, size_t errlen);

/* The version of SQLite crmd runs with ("3.40.1"). */
const char *store_ops_sqlite_version(void);

/*
 * Changes of the feed after the cursors of the active webhook
 * subscriptions, summed (event filters not applied: an upper bound).
 */
int store_ops_webhook_backlog(struct db *db, long long *n, struct problem *p);

#endif
