/*
 * test_diskfull: the disk fills up under the server. Writes then answer
 * 507 insufficient-storage (never 500), reads keep working, the server
 * stays up, and writes work again once space is freed, without a restart;
 * afterwards every acknowledged write is there, nothing else is, and
 * PRAGMA integrity_check says ok.
 *
 * The full disk, unprivileged (CI may not mount): preferably a real one,
 * an 8 MiB tmpfs mounted in a user and mount namespace of this test
 * process (the server inherits it) holding the database, its WAL and the
 * access log, filled with a file and then by writes through the API
 * (ENOSPC, SQLite: SQLITE_FULL); freeing space = deleting that file. Where
 * user namespaces are not allowed (containers, Ubuntu's AppArmor
 * restriction), the server's file size limit instead: prlimit(RLIMIT_FSIZE)
 * on the running server a little above the size of its largest file, so
 * growing the database or WAL fails with EFBIG (crmd ignores SIGXFSZ;
 * SQLite: SQLITE_IOERR_WRITE); freeing = lifting the limit. The test prints
 * which one ran; CRMD_TEST_DISKFULL=fsize forces the fallback. A second
 * case always runs the file size route, so both run where a tmpfs can be
 * had; where not, test_faults still walks SQLITE_FULL (its fault injection).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define FULL_TMPFS_SIZE "size=8m"
#define FULL_MAX_FILL_WRITES 2000 /* writes tried until the first 507 */
#define FULL_MAX_ACKED 2400
#define FULL_SLACK (512 << 10) /* bytes left to fill by writes through the API */
#define FULL_IMPORT_LINES 200     /* households of the import on the full disk */

static char acked[FULL_MAX_ACKED][40]; /* ids of customers answered 201 */
static int nacked;
static int nfull; /* answers 507 */

/* Write s to a /proc/self file; 0 or -1. */
static int
write_proc(const char *file, const char *s)
{
    int fd = open(file, O_WRONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = write(fd, s, strlen(s));
    close(fd);
    return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Enter a new user + mount namespace (this process, now) and mount a small tmpfs on dir. */
static int
enter_tmpfs(const char *dir)
{
    char map[64];
    uid_t uid = getuid();
    gid_t gid = getgid();

    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
        return -1;
    snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
    if (write_proc("/proc/self/uid_map", map) != 0)
        return -1;
    if (write_proc("/proc/self/setgroups", "deny") != 0 && errno != ENOENT)
        return -1;
    snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
    if (write_proc("/proc/self/gid_map", map) != 0)
        return -1;
    return mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, FULL_TMPFS_SIZE);
}

/* 1 if a child process can do enter_tmpfs (so this one may: a failed try can't be undone). */
static int
tmpfs_possible(const char *dir)
{
    int st;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid == 0)
        _exit(enter_tmpfs(dir) == 0 ? 0 : 1);
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return 0;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Write zeros to path until the file system is full; the bytes written. */
static long long
fill(const char *path)
{
    static char block[65536];
    long long total = 0;
    ssize_t n;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    ck_assert_int_ge(fd, 0);
    while ((n = write(fd, block, sizeof block)) > 0)
        total += n;
    ck_assert_msg(n < 0 && errno == ENOSPC, "filling stopped without ENOSPC: %s", strerror(errno));
    /* the last partial block */
    while ((n = write(fd, block, 512)) > 0)
        total += n;
    close(fd);
    return total;
}

static long long
file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* Set the server's soft RLIMIT_FSIZE (RLIM_INFINITY lifts it). */
static void
limit_server(pid_t pid, rlim_t soft)
{
    struct rlimit rl;

    ck_assert_int_eq(prlimit(pid, RLIMIT_FSIZE, NULL, &rl), 0);
    rl.rlim_cur = soft == RLIM_INFINITY ? rl.rlim_max : soft;
    ck_assert_int_eq(prlimit(pid, RLIMIT_FSIZE, &rl, NULL), 0);
}

/* POST a customer: its status; on 201 the id is remembered as acknowledged. */
static long
write_customer(int i, struct reply *r)
{
    http_json("POST", "/v1/customers",
              pathf("{\"kind\":\"person\",\"given_name\":\"Disk\",\"family_name\":\"Full%d\","
                    "\"phones\":[\"0171 %07d\"],\"notes\":\"%0200d\"}",
                    i, 3300000 + i, i),
              r);
    if (r->status == 201) {
        ck_assert_int_lt(nacked, FULL_MAX_ACKED);
        snprintf(acked[nacked++], sizeof acked[0], "%s", jstr(r, "id"));
    }
    return r->status;
}

static void
assert_full(const struct reply *r, const char *what)
{
    ck_assert_msg(r->status == 507, "%s on a full disk: %ld %s", what, r->status, r->body);
    assert_problem(r, 507, "insufficient-storage");
    ck_assert_ptr_nonnull(strstr(jstr(r, "detail"), "is full; nothing was written"));
    nfull++;
}

/* An NDJSON body of FULL_IMPORT_LINES households (about 20 KB: more than a page); malloc'd. */
static char *
household_lines(void)
{
    size_t cap = FULL_IMPORT_LINES * 120, n = 0;
    char *body = malloc(cap);

    ck_assert_ptr_nonnull(body);
    for (int i = 0; i < FULL_IMPORT_LINES; i++)
        n += (size_t)snprintf(body + n, cap - n,
                              "{\"type\":\"household\",\"external_ref\":{\"system\":\"dms\","
                              "\"id\":\"H-%04d\"},\"name\":\"Haushalt Vollplatte %04d\"}\n",
                              i, i);
    return body;
}

/* Reads on a full disk: a customer, a list, a search, a greeting card, readiness. */
static void
assert_reads(const char *id)
{
    struct reply r;
    json_t *body;

    body = fetch(pathf("/v1/customers/%s", id));
    ck_assert_str_eq(sget(body, "given_name"), "Disk");
    json_decref(body);
    body = fetch_items("/v1/customers?limit=5");
    ck_assert_int_gt(json_array_size(body), 0);
    json_decref(body);
    body = fetch_items("/v1/search?q=Disk");
    ck_assert_int_gt(json_array_size(body), 0);
    json_decref(body);
    body = fetch(pathf("/v1/greeting?customer_id=%s", id));
    ck_assert_ptr_nonnull(json_object_get(body, "customer"));
    json_decref(body);
    http_get("/readyz", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
}

static long long
sql_count(const char *db, const char *sql, const char *arg, char *text, size_t textsz)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long n = -1;

    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
        if (text)
            snprintf(text, textsz, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* The test; force_fsize: the file size limit even where a tmpfs would work. */
static void
run_disk_full(int force_fsize)
{
    struct server s;
    struct reply r;
    char dir[] = "/tmp/crmd-full-XXXXXX", db[64], read_full[40], filler[64], alog[64], env_alog[96],
         ok[64], backups[64], env_backups[96], env_tmp[96];
    const char *env[] = { env_alog, env_backups, env_tmp, NULL };
    char *households;
    int tmpfs, i, nfit;
    long long filled = 0, limit = 0;

    nacked = nfull = 0;
    memset(&s, 0, sizeof s);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/full.db", dir);
    snprintf(filler, sizeof filler, "%s/filler", dir);
    snprintf(alog, sizeof alog, "%s/access.log", dir);
    snprintf(env_alog, sizeof env_alog, "CRMD_ACCESS_LOG=%s", alog);
    snprintf(backups, sizeof backups, "%s/backups", dir);
    snprintf(env_backups, sizeof env_backups, "CRMD_BACKUP_DIR=%s", backups);
    snprintf(env_tmp, sizeof env_tmp, "TMPDIR=%s", dir); /* the import spools on the full disk */
    households = household_lines();    /* CRMD_TEST_DISKFULL=fsize tries the fallback where the tmpfs would work; without Check's
       fork the namespace would outlive this test: fallback too */
    tmpfs = !force_fsize && !(getenv("CRMD_TEST_DISKFULL") && !strcmp(getenv("CRMD_TEST_DISKFULL"), "fsize")) &&
            !(getenv("CK_FORK") && !strcmp(getenv("CK_FORK"), "no")) && tmpfs_possible(dir) &&
            enter_tmpfs(dir) == 0;
    ck_assert_int_eq(mkdir(backups, 0700), 0);
    server_start(&s, db, env);
    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(write_customer(i, &r), 201);
        reply_free(&r);
    }

    /* fill: the disk, or a file size limit at the largest file of the server, but FULL_SLACK */
    if (tmpfs) {
        filled = fill(filler) - FULL_SLACK;
        ck_assert_int_eq(truncate(filler, filled), 0);
    } else {
        limit = file_size(db) > file_size(pathf("%s-wal", db)) ? file_size(db)
                                                               : file_size(pathf("%s-wal", db));
        limit += FULL_SLACK;
        limit_server(s.pid, (rlim_t)limit);
    }
    for (i = 5; i < 5 + FULL_MAX_FILL_WRITES; i++) {
        long st = write_customer(i, &r);
        ck_assert_msg(st == 201 || st == 507, "write %d while filling: %ld %s", i, st, r.body);
        if (st == 507)
            assert_full(&r, "POST /v1/customers");
        reply_free(&r);
        if (st == 507)
            break;
    }
    ck_assert_msg(i < 5 + FULL_MAX_FILL_WRITES, "no write failed on the full disk");
    nfit = i - 5;

    /* full: every kind of write is refused cleanly, reads work, the server stays up */
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(write_customer(10000 + k, &r), 507);
        assert_full(&r, "POST /v1/customers");
        reply_free(&r);
    }
    http_json("PATCH", pathf("/v1/customers/%s", acked[0]), "{\"notes\":\"full\"}", &r);
    assert_full(&r, "PATCH /v1/customers/{id}");
    reply_free(&r);
    http_json("POST", "/v1/touchpoints",
              pathf("{\"customer_id\":\"%s\",\"kind\":\"service_visit\",\"channel\":\"in_person\","
                    "\"department\":\"service\",\"summary\":\"%0300d\"}",
                    acked[1], 7),
              &r);
    assert_full(&r, "POST /v1/touchpoints");
    reply_free(&r);
    /* a backup into --backup-dir on the full disk: 507, and no partial copy stays */
    http("POST", "/v1/backup", NULL, NULL, NULL, &r);
    if (tmpfs) {
        assert_problem(&r, 507, "insufficient-storage");
        ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "the backup does not fit"));
        ck_assert_int_eq(system(pathf("test -z \"$(ls -A '%s')\"", backups)), 0);
        nfull++;
    } else { /* the copy may fit below the file size limit */
        ck_assert_msg(r.status == 200 || r.status == 507, "backup: %ld %s", r.status, r.body);
        nfull += r.status == 507;
    }
    reply_free(&r);
    /* an import: its spool (tmpfs) or its first line (file size limit) finds no room: 507 */
    http("POST", "/v1/import", "application/x-ndjson", households, NULL, &r);
    assert_full(&r, "POST /v1/import");
    if (tmpfs)
        ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "temporary directory"));
    reply_free(&r);
    snprintf(read_full, sizeof read_full, "%s", acked[nacked - 1]);
    assert_reads(read_full);
    ck_assert_int_eq(kill(s.pid, 0), 0);

    /* space returns: writes work again, no restart */
    if (tmpfs)
        ck_assert_int_eq(unlink(filler), 0);
    else
        limit_server(s.pid, RLIM_INFINITY);
    for (i = 20000; i < 20005; i++) {
        long st = write_customer(i, &r);
        ck_assert_msg(st == 201, "write after space returned: %ld %s", st, r.body);
        reply_free(&r);
    }
    create_ok("/v1/touchpoints",
              pathf("{\"customer_id\":\"%s\",\"kind\":\"service_visit\",\"channel\":\"in_person\","
                    "\"department\":\"service\",\"summary\":\"after\"}",
                    acked[1]));
    assert_reads(acked[nacked - 1]);
    http("POST", "/v1/backup", NULL, NULL, NULL, &r);
    ck_assert_msg(r.status == 200, "backup after space returned: %ld %s", r.status, r.body);
    reply_free(&r);
    http("POST", "/v1/import", "application/x-ndjson", households, NULL, &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r.json, "totals"),
                                                        "created")),
                     FULL_IMPORT_LINES);
    reply_free(&r);
    free(households);
    ck_assert_int_eq(server_stop(&s), 0);

    /* nothing lost, nothing half-written, the file is sound */
    sql_count(db, "PRAGMA integrity_check", NULL, ok, sizeof ok);
    ck_assert_str_eq(ok, "ok");
    ck_assert_int_eq(sql_count(db, "SELECT count(*) FROM customers", NULL, NULL, 0), nacked);
    for (i = 0; i < nacked; i++)
        ck_assert_msg(
            sql_count(db, "SELECT count(*) FROM customers WHERE id = ?", acked[i], NULL, 0) == 1,
            "acknowledged customer %s is missing", acked[i]);
    ck_assert_int_eq(sql_count(db, "SELECT count(*) FROM touchpoints", NULL, NULL, 0), 1);
    ck_assert_int_eq(sql_count(db, "SELECT count(*) FROM households", NULL, NULL, 0),
                     FULL_IMPORT_LINES); /* the import on the full disk left nothing */
    ck_assert_int_gt(file_size(alog), 0);
    /* the audit records of the full phase waited in memory and were written once space returned */
    ck_assert_int_eq(sql_count(db, "SELECT count(*) FROM audit WHERE status = 507", NULL, NULL, 0),
                     nfull);
    ck_assert_int_eq(sql_count(db,
                               "SELECT count(*) FROM audit WHERE route = '/v1/customers/{id}' "
                               "AND method = 'GET' AND status = 200 AND resource_id = ?",
                               read_full, NULL, 0),
                     1);
    fprintf(stderr,
            "diskfull: %s; %d writes fit before the first 507, %d acknowledged in all, all found, "
            "integrity ok\n",
            tmpfs ? pathf("tmpfs in a user namespace (%s, filled with %lld bytes)", FULL_TMPFS_SIZE,
                          filled)
                  : pathf("fallback (no user namespace for a tmpfs, or CRMD_TEST_DISKFULL=fsize): "
                          "RLIMIT_FSIZE %lld bytes on the server",
                          limit),
            nfit, nacked);
    if (tmpfs)
        umount2(dir, MNT_DETACH);
    ck_assert_int_eq(system(pathf("rm -rf '%s' '%s'", dir, s.dir)), 0);
}

START_TEST(disk_full)
{
    run_disk_full(0);
}
END_TEST

/* The file size route runs on every host too (the tmpfs one: where it can, and test_faults). */
START_TEST(disk_full_fsize)
{
    run_disk_full(1);
}
END_TEST

Suite *
diskfull_suite(void)
{
    Suite *s = suite_create("diskfull");
    TCase *tc = tcase_create("diskfull");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, disk_full);
    tcase_add_test(tc, disk_full_fsize);
    suite_add_tcase(s, tc);
    return s;
}
