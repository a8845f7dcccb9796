/*
 * import_floor: the floor under the import bench. Copies every row an
 * import wrote (SRC: the bench's database after POST /v1/import) into a
 * fresh database with the server's schema and settings (db_open,
 * db_migrate, the import's page cache), one INSERT ... SELECT per table
 * in one transaction, and prints how long SQLite alone takes to store
 * them: no HTTP, no JSON, no validation, no lookups, no change-feed
 * bookkeeping; just the rows, their indexes and the commit. No import can
 * be faster than this on the same machine with the same schema.
 * Usage: import_floor SRC.db DST.db RECORDS [FULL|NORMAL]
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "db.h"

/* The tables an import writes, parents first (foreign keys are on, as in the server). */
static const struct {
    const char *table;
    const char *sql; /* NULL: INSERT INTO main.<table> SELECT * FROM src.<table> */
} tables[] = {
    { "customers", NULL },
    { "households", NULL },
    { "vehicles", NULL },
    { "touchpoints", NULL },
    { "household_members", NULL },
    { "company_people", NULL },
    { "external_refs", NULL },
    { "customer_keys", NULL },
    { "customer_match_keys", NULL },
    { "customer_duplicates", NULL },
    { "search_fts", "INSERT INTO main.search_fts (rowid, names, phonetic)"
                    " SELECT rowid, names, phonetic FROM src.search_fts" },
    { "changes", NULL },
};

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
die(sqlite3 *conn, const char *what)
{
    fprintf(stderr, "import_floor: %s: %s\n", what, conn ? sqlite3_errmsg(conn) : "failed");
    exit(1);
}

static void
exec(sqlite3 *conn, const char *sql)
{
    if (sqlite3_exec(conn, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(conn, sql);
}

int
main(int argc, char **argv)
{
    struct config cfg = { 0 };
    char sql[512];
    double t0, t, total = 0;
    long records;
    struct db *db;
    sqlite3 *conn;

    if (argc < 4 || (records = atol(argv[3])) <= 0) {
        fprintf(stderr, "usage: import_floor SRC.db DST.db RECORDS [FULL|NORMAL]\n");
        return 2;
    }
    unlink(argv[2]);
    cfg.synchronous = argc > 4 ? argv[4] : "FULL";
    cfg.busy_timeout_ms = 5000;
    if (!(db = db_open(argv[2], &cfg)) || db_migrate(db) < 0)
        die(NULL, "cannot create the database");
    conn = db_handle(db);
    exec(conn, "PRAGMA cache_size = -32768"); /* as during an import (store_import.c) */
    exec(conn, "PRAGMA wal_autocheckpoint = 65536");
    snprintf(sql, sizeof sql, "ATTACH 'file:%s?mode=ro' AS src", argv[1]);
    if (sqlite3_exec(conn, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(conn, "attach");
    printf("  %-22s %9s %9s %8s\n", "table", "rows", "ms", "µs/row");
    exec(conn, "BEGIN IMMEDIATE");
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char copy[256];
        const char *q = tables[i].sql;
        if (!q) {
            snprintf(copy, sizeof copy, "INSERT INTO main.%s SELECT * FROM src.%s",
                     tables[i].table, tables[i].table);
            q = copy;
        }
        t0 = now();
        exec(conn, q);
        t = now() - t0;
        total += t;
        int rows = sqlite3_changes(conn);
        printf("  %-22s %9d %9.1f %8.2f\n", tables[i].table, rows, t * 1e3,
               rows ? t * 1e6 / rows : 0.0);
    }
    t0 = now();
    exec(conn, "COMMIT");
    t = now() - t0;
    total += t;
    printf("  %-22s %9s %9.1f   (synchronous=%s)\n", "COMMIT", "", t * 1e3, cfg.synchronous);
    printf("floor: %ld records stored in %.2f s = %.0f records/s, %.1f µs per record\n", records,
           total, (double)records / total, total * 1e6 / (double)records);
    t0 = now();
    exec(conn, "PRAGMA wal_checkpoint(PASSIVE)");
    printf("  (the checkpoint afterwards, as crmd runs it after answering: %.0f ms)\n",
           (now() - t0) * 1e3);
    db_close(db);
    return 0;
}
