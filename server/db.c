/*
 * db: connection lifecycle, migrations, the per-connection statement
 * cache and error mapping. Statements are prepared once per connection
 * with SQLITE_PREPARE_PERSISTENT and found again by key in a small
 * open-addressing table.
 */
#include "db.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "diskspace.h"
#include "log.h"

#define DB_CACHE_SLOTS 512 /* power of two; far above the number of statements */
#define DB_BUSY_RETRY_S 1 /* Retry-After of a 503 for a busy database */
#define DB_FULL_LOG_EVERY_S 10     /* a full disk is logged once per this many seconds */

struct db_migration {
    int version;
    const char *name;
    const char *sql;
};

/* Generated from schema/NNN_*.sql by the Makefile (build/gen/schema.c). */
extern const struct db_migration db_migrations[];
extern const size_t db_migrations_count;

struct db_slot {
    const void *key;
    unsigned variant;
    sqlite3_stmt *stmt;
};

struct db {
    sqlite3 *conn;
    int busy_ms;  /* --busy-timeout: also the longest wait for write_lock */
    int writing;  /* holds write_lock: between db_begin_write and its commit or rollback */
    int checkpoint_due; /* db_checkpoint_later: db_idle checkpoints; 2 = and truncates the WAL */
    struct db_slot slots[DB_CACHE_SLOTS];
    struct db *next_open; /* registry of thread connections */
};

static _Thread_local struct db *thread_db;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
/*
 * The writers of this process take turns here before BEGIN IMMEDIATE: a
 * waiter sleeps until the lock is free, where SQLite's busy handler polls
 * with sleeps up to 100 ms and, among many busy writers, may miss every
 * free moment until --busy-timeout passes (503 under load). SQLite's lock
 * still guards against other processes (crmd keys, crmd backup).
 */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *registry;

static int
exec(struct db *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        log_error("sqlite: %s: %s", sql, err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
    }
    return rc;
}

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

/* Before SQLite initialises: no global memory statistics (a mutex on every allocation). */
static void
configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Take away group and other access from path if it has any, and say so. */
static void
owner_only(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0 || !(st.st_mode & 077))
        return;
    if (chmod(path, st.st_mode & 0600) == 0)
        log_warn("%s was readable by other users (mode %03o); crmd made it %03o", path,
                 (unsigned)(st.st_mode & 0777), (unsigned)(st.st_mode & 0600));
    else
        log_warn("%s is readable by other users (mode %03o) and crmd cannot change that: %s",
                 path, (unsigned)(st.st_mode & 0777), strerror(errno));
}

/*
 * The database and its -wal and -shm hold personal data, webhook secrets
 * and key hashes: only crmd's user may read them, whatever the umask. A
 * new database is created here with mode 0600, which covers the -wal and
 * -shm too (SQLite gives them the database's mode); files of an older
 * crmd are corrected. Never open() and close() a database file another
 * connection of this process may use: closing any descriptor of a file
 * drops the process's POSIX locks on it, SQLite's among them. Names
 * SQLite reads as URIs or memory are left to it.
 */
static void
secure_files(const char *path)
{
    static const char *const suffix[] = { "", "-wal", "-shm" };
    char name[4096];
    int fd;

    if (!path[0] || !strcmp(path, ":memory:") || !strncmp(path, "file:", 5))
        return;
    fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600); /* ours alone if it is new */
    if (fd >= 0)
        close(fd);
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++)
        if (snprintf(name, sizeof name, "%s%s", path, suffix[i]) < (int)sizeof name)
            owner_only(name);
}

struct db *
db_open(const char *path, const struct config *cfg)
{
    struct db *db = xcalloc(1, sizeof *db);
    char pragmas[256];
    int rc;

    pthread_once(&config_once, configure);
    secure_files(path);
    rc = sqlite3_open_v2(path, &db->conn,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("cannot open database %s: %s", path, sqlite3_errstr(rc));
        db_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->conn, cfg->busy_timeout_ms);
    db->busy_ms = cfg->busy_timeout_ms;
    sqlite3_extended_result_codes(db->conn, 1);
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;"
             "PRAGMA secure_delete=ON;"
             "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=%lld;",
             cfg->synchronous, (long long)cfg->mmap_size);
    if (exec(db, pragmas) != SQLITE_OK) {
        db_close(db);
        return NULL;
    }
    return db;
}

void
db_close(struct db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < DB_CACHE_SLOTS; i++)
        sqlite3_finalize(db->slots[i].stmt);
    sqlite3_close(db->conn);
    free(db);
}

int
db_schema_latest(void)
{
    return db_migrations_count ? db_migrations[db_migrations_count - 1].version : 0;
}

static int
current_version(struct db *db)
{
    sqlite3_stmt *st;
    int v = -1;

    if (sqlite3_prepare_v2(db->conn, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* 1 if migration version is recorded in schema_migrations. */
static int
applied(struct db *db, int version)
{
    sqlite3_stmt *st;
    int found = 0;

    if (sqlite3_prepare_v2(db->conn, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int(st, 1, version);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

static int
apply(struct db *db, const struct db_migration *m)
{
    sqlite3_stmt *st;
    char ts[UTIL_TIME_LEN + 1];
    int rc;

    if (exec(db, "BEGIN IMMEDIATE") != SQLITE_OK)
        return -1;
    if (exec(db, m->sql) != SQLITE_OK)
        goto fail;
    for (const struct db_step *s = db_steps; s->run; s++)
        if (s->version == m->version && s->run(db) != 0)
            goto fail;
    util_format_time(util_now(), ts);
    if (sqlite3_prepare_v2(db->conn,
                           "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int(st, 1, m->version);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ts, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || exec(db, "COMMIT") != SQLITE_OK)
        goto fail;
    log_info("applied migration %03d_%s", m->version, m->name);
    return 0;
fail:
    exec(db, "ROLLBACK");
    log_error("migration %03d_%s failed; the database is unchanged", m->version, m->name);
    return -1;
}

int
db_migrate(struct db *db)
{
    int have;

    if (exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                 " name TEXT NOT NULL, applied_at TEXT NOT NULL)") != SQLITE_OK)
        return -1;
    have = current_version(db);
    if (have < 0)
        return -1;
    if (have > db_schema_latest()) {
        log_error("the database has schema version %d but this crmd knows only up to %d: "
                  "upgrade crmd (it refuses to run on a newer database)",
                  have, db_schema_latest());
        return -1;
    }
    /* Each one not yet recorded, also below the highest (one numbered lower may arrive later). */
    for (size_t i = 0; i < db_migrations_count; i++)
        if (!applied(db, db_migrations[i].version) && apply(db, &db_migrations[i]) != 0)
            return -1;
    return db_schema_latest();
}

struct db *
db_thread(const struct config *cfg)
{
    if (thread_db)
        return thread_db;
    thread_db = db_open(cfg->db_path, cfg);
    if (!thread_db)
        return NULL;
    pthread_mutex_lock(&registry_lock);
    thread_db->next_open = registry;
    registry = thread_db;
    pthread_mutex_unlock(&registry_lock);
    return thread_db;
}

void
db_close_all(void)
{
    pthread_mutex_lock(&registry_lock);
    while (registry) {
        struct db *next = registry->next_open;
        db_close(registry);
        registry = next;
    }
    pthread_mutex_unlock(&registry_lock);
}

static size_t
slot_hash(const void *key, unsigned variant)
{
    uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ull ^ (uint64_t)variant * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h >> 40) & (DB_CACHE_SLOTS - 1);
}

static sqlite3_stmt *
cached(struct db *db, const void *key, unsigned variant, const char *sql, struct problem *p)
{
    size_t i = slot_hash(key, variant);

    for (size_t probe = 0; probe < DB_CACHE_SLOTS; probe++, i = (i + 1) & (DB_CACHE_SLOTS - 1)) {
        struct db_slot *s = &db->slots[i];
        if (s->key == key && s->variant == variant)
            return s->stmt;
        if (s->key)
            continue;
        if (!sql)
            return NULL;
        int rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL);
        if (rc != SQLITE_OK) {
            problem_internal(p, "prepare: %s", sqlite3_errmsg(db->conn));
            s->stmt = NULL;
            return NULL;
        }
        s->key = key;
        s->variant = variant;
        return s->stmt;
    }
    problem_internal(p, "statement cache full");
    return NULL;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql, struct problem *p)
{
    return cached(db, sql, 0, sql, p);
}

sqlite3_stmt *
db_stmt_variant(struct db *db, const void *key, unsigned variant, db_build_fn build,
                const void *arg, struct problem *p)
{
    sqlite3_stmt *st = cached(db, key, variant, NULL, p);
    struct buf sql = { 0 };

    if (st)
        return st;
    build(variant, arg, &sql);
    st = cached(db, key, variant, sql.data, p);
    buf_release(&sql);
    return st;
}

void
db_done(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int
run(struct db *db, const char *sql, const char *step, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, step, NULL, p);
    return 0;
}

/* The answer to a busy database: 503 with Retry-After. */
static void
busy(struct problem *p)
{
    problem_set(p, PROBLEM_UNAVAILABLE, "the database is busy; retry the request");
    p->retry_after = DB_BUSY_RETRY_S;
}

/* Take write_lock within db->busy_ms; 0, or -1 with 503 in p. */
static int
write_lock_take(struct db *db, struct problem *p)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += db->busy_ms / 1000;
    until.tv_nsec += (long)(db->busy_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    if (pthread_mutex_timedlock(&write_lock, &until) != 0) {
        log_warn("request %s: database busy at begin (other writers of crmd)",
                 p->request_id ? p->request_id : "-");
        busy(p);
        return -1;
    }
    db->writing = 1;
    return 0;
}

static void
write_lock_release(struct db *db)
{
    if (db->writing) {
        db->writing = 0;
        pthread_mutex_unlock(&write_lock);
    }
}

int
db_begin_write(struct db *db, struct problem *p)
{
    if (db->writing) { /* a bug: SQLite refuses a nested BEGIN too; the outer write goes on */
        problem_internal(p, "begin: a write transaction is already open on this connection");
        return -1;
    }
    if (write_lock_take(db, p) != 0)
        return -1;
    if (run(db, "BEGIN IMMEDIATE", "begin", p) != 0) {
        write_lock_release(db);
        return -1;
    }
    return 0;
}

int
db_begin_read(struct db *db, struct problem *p)
{
    return run(db, "BEGIN", "begin read", p);
}

int
db_commit(struct db *db, struct problem *p)
{
    if (run(db, "COMMIT", "commit", p) != 0) {
        db_rollback(db);
        return -1;
    }
    write_lock_release(db);
    return 0;
}

void
db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    write_lock_release(db);
}

void
db_checkpoint_later(struct db *db, int truncate)
{
    if (db->checkpoint_due < 1 + !!truncate)
        db->checkpoint_due = 1 + !!truncate;
}

struct db *
db_current(void)
{
    return thread_db;
}

void
db_idle(struct db *db)
{
    struct problem p = { 0 };
    struct timespec t0, t1;
    int frames = 0, done = 0, truncate, rc;

    if (!db || !db->checkpoint_due || db->writing)
        return;
    truncate = db->checkpoint_due == 2;
    db->checkpoint_due = 0;
    /*
     * Truncating waits for every reader to leave the WAL and holds off
     * writers meanwhile: crmd's own writers wait at write_lock instead of
     * polling SQLite's lock (which could cost them a 503).
     */
    if (truncate && write_lock_take(db, &p) != 0) {
        db->checkpoint_due = 2;
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* readers in the way keep their frames: the next commit's auto-checkpoint goes on */
    rc = sqlite3_wal_checkpoint_v2(
        db->conn, NULL, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE,
        &frames, &done);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (truncate)
        write_lock_release(db);
    if (rc != SQLITE_OK && truncate)
        db->checkpoint_due = 2; /* this connection's next idle moment tries again */
    log_info("checkpoint: %d of %d WAL pages into the database in %.3f s%s%s", done, frames,
             (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
             rc == SQLITE_OK ? ""
             : truncate    ? " (failed; tried again after this connection's next request)"
                           : " (failed; the next commit tries again)",
             rc == SQLITE_OK && truncate ? ", WAL truncated" : "");
}

/* 1 if path's size is within DISKSPACE_MARGIN of the file size limit rl. */
static int
near_limit(const char *path, const struct rlimit *rl)
{
    struct stat st;

    return stat(path, &st) == 0 &&
           (long long)st.st_size + DISKSPACE_MARGIN >= (long long)rl->rlim_cur;
}

/*
 * 1 if the database's file system has (almost) no space left, or the database
 * or its WAL is at the process's file size limit (ulimit -f, LimitFSIZE=).
 */
static int
storage_exhausted(struct db *db)
{
    const char *path = sqlite3_db_filename(db->conn, "main");
    char wal[4096];
    struct rlimit rl;

    if (!path || !path[0])
        return 0;
    if (diskspace_low(path))
        return 1;
    if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return 0;
    snprintf(wal, sizeof wal, "%s-wal", path);
    return near_limit(path, &rl) || near_limit(wal, &rl);
}

/*
 * 1 if rc says the database could not grow: SQLITE_FULL (ENOSPC on a write),
 * or an I/O error with the errno of a full disk, quota or file size limit
 * (SQLite reports EFBIG and EDQUOT as SQLITE_IOERR_WRITE). SQLite often
 * loses that errno by the time the statement fails (errno 0), so a write
 * error is also one when the disk or the file size limit is seen exhausted.
 */
static int
storage_full(struct db *db, int rc)
{
    int e;

    if ((rc & 0xff) == SQLITE_FULL)
        return 1;
    if ((rc & 0xff) != SQLITE_IOERR)
        return 0;
    e = sqlite3_system_errno(db->conn);
    if (diskspace_errno_full(e))
        return 1;
    return (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_TRUNCATE || rc == SQLITE_IOERR_FSYNC ||
            rc == SQLITE_IOERR_SHMSIZE || rc == SQLITE_IOERR) &&
           storage_exhausted(db);
}

/* Log a write refused for lack of space: the first, then one line per DB_FULL_LOG_EVERY_S. */
static void
log_full(struct db *db, int rc, const char *step, const struct problem *p)
{
    static atomic_llong last;
    static atomic_ulong unlogged;
    long long now = (long long)time(NULL), was = atomic_load(&last);

    if (now - was < DB_FULL_LOG_EVERY_S || !atomic_compare_exchange_strong(&last, &was, now)) {
        atomic_fetch_add(&unlogged, 1);
        return;
    }
    log_error("request %s: storage full at %s: %s (%d, errno %d); nothing was written; "
              "%lu more since the last such line",
              p->request_id ? p->request_id : "-", step, sqlite3_errmsg(db->conn), rc,
              sqlite3_system_errno(db->conn), atomic_exchange(&unlogged, 0));
}

int
db_fail(struct db *db, int rc, const char *step, const char *conflict_detail, struct problem *p)
{
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        problem_set(p, PROBLEM_CONFLICT, "%s",
                    conflict_detail ? conflict_detail : "conflicts with an existing record");
    } else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        problem_set(p, PROBLEM_CONFLICT, "%s",
                    conflict_detail ? conflict_detail
                                    : "the record is referenced by or refers to other records");
    } else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        log_warn("request %s: database busy at %s", p->request_id ? p->request_id : "-", step);
        busy(p);
    } else if (storage_full(db, rc)) {
        log_full(db, rc, step, p);
        problem_set(p, PROBLEM_INSUFFICIENT_STORAGE,
                    "the database cannot grow: its disk (or file size limit) is full; nothing was "
                    "written, reads still work; retry when the operator has freed space");
    } else {
        problem_internal(p, "%s: %s (%d, errno %d)", step, sqlite3_errmsg(db->conn), rc,
                         sqlite3_system_errno(db->conn));
    }
    return -1;
}

static int
param(sqlite3_stmt *st, const char *name)
{
    int i = sqlite3_bind_parameter_index(st, name);
    assert(i > 0 && "unknown SQL parameter");
    return i;
}

void
db_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
    if (v)
        sqlite3_bind_text(st, param(st, name), v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, param(st, name));
}

void
db_bind_int(sqlite3_stmt *st, const char *name, long long v)
{
    sqlite3_bind_int64(st, param(st, name), v);
}

void
db_bind_null(sqlite3_stmt *st, const char *name)
{
    sqlite3_bind_null(st, param(st, name));
}

sqlite3 *
db_handle(struct db *db)
{
    return db->conn;
}

int
db_ping(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1", &(struct problem){ 0 });
    int ok;

    if (!st)
        return 0;
    ok = sqlite3_step(st) == SQLITE_ROW;
    db_done(st);
    return ok;
}
