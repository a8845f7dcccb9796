/*
 * db: the SQLite connection of one worker thread: open with pragmas,
 * embedded migrations, a statement cache (prepare once per connection,
 * reuse), transactions and the mapping of SQLite errors to problems.
 * Only db.c and the store_*.c files include sqlite3.h.
 */
#ifndef CRMD_DB_H
#define CRMD_DB_H

#include <sqlite3.h>

#include "problem.h"
#include "util.h"

struct config;

struct db;

/* Builds the SQL of a statement variant into out (called once per connection). */
typedef void (*db_build_fn)(unsigned variant, const void *arg, struct buf *out);

/*
 * Open path with crmd's pragmas (WAL, synchronous from config, foreign
 * keys, busy timeout). Returns NULL and logs on failure.
 */
struct db *db_open(const char *path, const struct config *cfg);

/* Close the connection, finalising cached statements. Accepts NULL. */
void db_close(struct db *db);

/*
 * Apply the embedded migrations not yet recorded, each in its own
 * transaction. Refuses (returns -1 and logs why) a database whose schema
 * is newer than this binary. Returns the resulting schema version or -1.
 */
int db_migrate(struct db *db);

/*
 * A migration whose work needs C (libphonenumber cannot run in SQL): its
 * schema/NNN_*.sql says so in a comment, and after that file's SQL, in the
 * same transaction and before it is recorded, db_migrate calls run(); -1
 * rolls the migration back. The store defines the table (store_phones.c),
 * ended by { 0, NULL }, so every binary that migrates runs the steps.
 */
struct db_step {
    int version;
    int (*run)(struct db *db);
};
extern const struct db_step db_steps[];

/* Highest migration this binary knows. */
int db_schema_latest(void);

/*
 * This thread's connection, opened on first use and closed by
 * db_close_all(). NULL (logged) if it cannot be opened.
 */
struct db *db_thread(const struct config *cfg);

/* Close every connection opened by db_thread (after the workers stopped). */
void db_close_all(void);

/* A cached statement for sql (keyed by the pointer: pass string constants). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct problem *p);

/*
 * A cached statement keyed by (key, variant); build() writes its SQL the
 * first time on this connection. For list queries whose filters differ.
 */
sqlite3_stmt *db_stmt_variant(struct db *db, const void *key, unsigned variant, db_build_fn build,
                              const void *arg, struct problem *p);

/* Reset a statement and clear its bindings; accepts NULL. */
void db_done(sqlite3_stmt *st);

/* BEGIN IMMEDIATE / BEGIN (deferred, for consistent multi-query reads) / COMMIT / ROLLBACK. */
int db_begin_write(struct db *db, struct problem *p);
int db_begin_read(struct db *db, struct problem *p);
int db_commit(struct db *db, struct problem *p);
void db_rollback(struct db *db);

/*
 * Ask for a passive WAL checkpoint once this connection's work is answered
 * (db_idle): a bulk write leaves a large WAL that should go into the
 * database soon, but not on its client's time. truncate: a full one that
 * empties the WAL file (an erasure: the WAL holds pages as they were).
 */
void db_checkpoint_later(struct db *db, int truncate);

/* The calling thread's connection (db_thread), or NULL if it has none yet. */
struct db *db_current(void);

/*
 * Run what db_checkpoint_later asked for, if anything, and log it ("checkpoint: ");
 * after the answer: on the job thread, or a request thread once its answer went out.
 * A truncation readers kept from finishing is tried again at the next call.
 */
void db_idle(struct db *db);

/*
 * Map a failed SQLite result to a problem: unique violations become 409
 * with conflict_detail (or a generic text), busy/locked 503, anything
 * else a 500 logged with step and SQLite's message. Returns -1.
 */
int db_fail(struct db *db, int rc, const char *step, const char *conflict_detail,
            struct problem *p);

/* Bind helpers by parameter name (":name"); a missing name is a programming error. */
void db_bind_text(sqlite3_stmt *st, const char *name, const char *v);
void db_bind_int(sqlite3_stmt *st, const char *name, long long v);
void db_bind_null(sqlite3_stmt *st, const char *name);

/* The raw handle, for store_*.c only. */
sqlite3 *db_handle(struct db *db);

/* 1 if the database answers a trivial query. */
int db_ping(struct db *db);

#endif
