/*
 * faultvfs: a SQLite VFS that fails chosen file operations, for the tests
 * of the failure paths (tests/e2e/test_faults.c). It exists for tests and
 * is off in production: unless the environment variable CRMD_FAULTS is set
 * when crmd starts, nothing here runs and SQLite keeps its own default VFS.
 * When it is set, a VFS "crmd-faults" wrapping the real default ("unix")
 * becomes the default and crmd logs a warning. Grammar (docs/development.md):
 *
 *   CRMD_FAULTS = item *("," item)
 *   item  = error ":" op ["@" N ["+" M]] ["~" text]  |  "audit-queue=" N
 *   error = busy | ioerr | full     (SQLITE_BUSY, SQLITE_IOERR_<op>, SQLITE_FULL)
 *   op    = read | write | sync | truncate | lock   (lock: the WAL write lock)
 *
 * "@N+M": the Nth matching call fails first (default 1), then M calls in all
 * (default: every one after it); "~text": only files whose path holds text.
 * CRMD_FAULTS_WHILE=path: the rules apply (and count) only while that file
 * exists, so a test switches them on and off at run time.
 */
#include "faultvfs.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define FAULT_RULES_MAX 8
#define FAULT_TEXT_MAX 64

enum fault_op { OP_READ, OP_WRITE, OP_SYNC, OP_TRUNCATE, OP_LOCK, OP_COUNT };

static const char *const op_names[OP_COUNT] = { "read", "write", "sync", "truncate", "lock" };

/* The answer to a failed op by error kind: ioerr per op (a lock: the shm lock's code). */
static const int ioerr_codes[OP_COUNT] = { SQLITE_IOERR_READ, SQLITE_IOERR_WRITE,
                                           SQLITE_IOERR_FSYNC, SQLITE_IOERR_TRUNCATE,
                                           SQLITE_IOERR_SHMLOCK };

struct fault_rule {
    int error; /* SQLITE_BUSY, SQLITE_IOERR or SQLITE_FULL */
    enum fault_op op;
    long from, count; /* count 0: for ever */
    char text[FAULT_TEXT_MAX];
    atomic_long seen; /* matching calls so far (while armed) */
};

static struct fault_rule rules[FAULT_RULES_MAX];
static int nrules;
static int audit_queue;
static const char *armed_while; /* CRMD_FAULTS_WHILE */
static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;

struct fault_file {
    sqlite3_file base;
    const char *path; /* SQLite keeps the name until xClose */
    sqlite3_file *real; /* the real VFS's file, right after this struct */
};

/* The SQLite code op on path must fail with now, or SQLITE_OK. */
static int
fault(enum fault_op op, const char *path)
{
    if (armed_while && access(armed_while, F_OK) != 0)
        return SQLITE_OK;
    for (int i = 0; i < nrules; i++) {
        struct fault_rule *r = &rules[i];
        long n;

        if (r->op != op || (r->text[0] && (!path || !strstr(path, r->text))))
            continue;
        n = atomic_fetch_add(&r->seen, 1) + 1;
        if (n >= r->from && (r->count == 0 || n < r->from + r->count))
            return r->error == SQLITE_IOERR ? ioerr_codes[op] : r->error;
    }
    return SQLITE_OK;
}

#define REAL(f) (((struct fault_file *)(f))->real)
#define PATH(f) (((struct fault_file *)(f))->path)

static int
f_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

static int
f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    int rc = fault(OP_READ, PATH(f));
    return rc ? rc : REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int
f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    int rc = fault(OP_WRITE, PATH(f));
    return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int
f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = fault(OP_TRUNCATE, PATH(f));
    return rc ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
f_sync(sqlite3_file *f, int flags)
{
    int rc = fault(OP_SYNC, PATH(f));
    return rc ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
f_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int
f_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int
f_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
f_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
f_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, p);
}

/* The lock op: taking the WAL write lock (shm slot 0, exclusive): what every writer does. */
static int
f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    int rc = offset == 0 && (flags & SQLITE_SHM_LOCK) && (flags & SQLITE_SHM_EXCLUSIVE)
                 ? fault(OP_LOCK, PATH(f))
                 : SQLITE_OK;
    return rc ? rc : REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void
f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

/* Version 2: no xFetch, so SQLite reads through xRead (no memory map) where faults can hit. */
static const sqlite3_io_methods fault_io = {
    2,         f_close,  f_read,           f_write,    f_truncate, f_sync,
    f_size,    f_lock,   f_unlock,         f_check_reserved, f_control, f_sector,
    f_device,  f_shm_map, f_shm_lock,      f_shm_barrier, f_shm_unmap, NULL, NULL,
};

static int
f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    struct fault_file *ff = (struct fault_file *)f;
    int rc;

    (void)vfs;
    ff->path = name;
    ff->real = (sqlite3_file *)(ff + 1);
    rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    ff->base.pMethods = ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

/* One item of CRMD_FAULTS into rules[]; 0 or -1. */
static int
parse_rule(const char *item)
{
    static const struct {
        const char *name;
        int code;
    } errors[] = { { "busy", SQLITE_BUSY }, { "ioerr", SQLITE_IOERR }, { "full", SQLITE_FULL } };
    struct fault_rule *r = &rules[nrules];
    char err[16], op[16];
    const char *rest, *text;
    int len = 0, i;

    if (nrules == FAULT_RULES_MAX || sscanf(item, "%15[a-z]:%15[a-z]%n", err, op, &len) != 2)
        return -1;
    for (i = 0; i < 3 && strcmp(err, errors[i].name); i++)
        ;
    if (i == 3)
        return -1;
    r->error = errors[i].code;
    for (r->op = 0; r->op < OP_COUNT && strcmp(op, op_names[r->op]); r->op++)
        ;
    if (r->op == OP_COUNT)
        return -1;
    rest = item + len;
    r->from = 1;
    if (*rest == '@' && sscanf(rest, "@%ld%n", &r->from, &len) == 1 && r->from > 0) {
        rest += len;
        if (*rest == '+' && (sscanf(rest, "+%ld%n", &r->count, &len) != 1 || r->count < 1))
            return -1;
        rest += *rest == '+' ? len : 0;
    }
    text = *rest == '~' ? rest + 1 : NULL;
    if ((*rest && !text) || (text && (!*text || strlen(text) >= FAULT_TEXT_MAX)))
        return -1;
    snprintf(r->text, sizeof r->text, "%s", text ? text : "");
    nrules++;
    return 0;
}

static int
parse_item(const char *item)
{
    int n = 0;

    if (!strncmp(item, "audit-queue=", 12))
        return sscanf(item + 12, "%d%n", &audit_queue, &n) == 1 && !item[12 + n] &&
                       audit_queue > 0
                   ? 0
                   : -1;
    return parse_rule(item);
}

int
faultvfs_parse(const char *spec)
{
    char buf[512], *save = NULL;

    memset(rules, 0, sizeof rules);
    nrules = audit_queue = 0;
    if (strlen(spec) >= sizeof buf) {
        log_error("CRMD_FAULTS: longer than %zu bytes", sizeof buf - 1);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save))
        if (parse_item(item) != 0) {
            log_error("CRMD_FAULTS: cannot read '%s' (see docs/development.md, fault injection)",
                      item);
            return -1;
        }
    return 0;
}

int
faultvfs_check(const char *op, const char *path)
{
    for (int i = 0; i < OP_COUNT; i++)
        if (!strcmp(op, op_names[i]))
            return fault(i, path);
    return -1;
}

int
faultvfs_install(void)
{
    const char *spec = getenv("CRMD_FAULTS");

    if (!spec || !*spec)
        return 0;
    if (faultvfs_parse(spec) != 0)
        return -1;
    armed_while = getenv("CRMD_FAULTS_WHILE");
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs)
        return -1;
    fault_vfs = *real_vfs;
    fault_vfs.zName = "crmd-faults";
    fault_vfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
    fault_vfs.xOpen = f_open;
    fault_vfs.pNext = NULL;
    if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK)
        return -1;
    log_warn("fault injection is ON (CRMD_FAULTS=%s%s%s): for tests only, never in production",
             spec, armed_while ? ", while this file exists: " : "", armed_while ? armed_while : "");
    return 0;
}

int
faultvfs_audit_queue(int def)
{
    return audit_queue > 0 ? audit_queue : def;
}
