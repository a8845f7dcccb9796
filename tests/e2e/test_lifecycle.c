/*
 * test_lifecycle: the server as a process: data and cursors survive a
 * restart, a database newer than the binary is refused, flags and
 * environment variables (--help, bad values, CRMD_PORT, CRMD_DB,
 * CRMD_LISTEN), clean stops, pagination across pages. Tests start their
 * own servers (server_start) or run crmd directly (spawn) and wait for it
 * to exit with a deadline.
 */
#define _DEFAULT_SOURCE /* realpath, putenv */
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define ID_LEN 40

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
pause_ms(int ms)
{
    struct timespec ts = { 0, (long)ms * 1000000L };

    nanosleep(&ts, NULL);
}

static void
make_dir(char out[64])
{
    snprintf(out, 64, "/tmp/crmd-life-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(out));
}

static void
remove_dir(const char *dir)
{
    char cmd[400];

    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* Whole file as a string (caller frees); "" if it cannot be read. */
static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *s = NULL;
    size_t len = 0, cap = 0, n;

    if (!f)
        return calloc(1, 1);
    do {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            s = realloc(s, cap);
        }
        n = fread(s + len, 1, cap - len - 1, f);
        len += n;
    } while (n > 0);
    fclose(f);
    s[len] = '\0';
    return s;
}

/* Does the file contain needle? */
static int
file_has(const char *path, const char *needle)
{
    char *s = slurp(path);
    int found = strstr(s, needle) != NULL;

    free(s);
    return found;
}

/*
 * Start crmd with args (NULL-terminated, after argv[0]) and env entries
 * ("NAME=value", NULL-terminated or NULL). CRMD_* variables of the test's
 * own environment are dropped first. stdout goes to dir/out, stderr to
 * dir/err.
 */
static pid_t
spawn(const char *dir, const char *const *args, const char *const *env)
{
    static const char *const vars[] = { "CRMD_DB", "CRMD_LISTEN", "CRMD_PORT", "CRMD_THREADS",
                                        "CRMD_DEMO", "CRMD_MAX_BODY", "CRMD_LOG_LEVEL", NULL };
    const char *argv[24];
    char bin[4096], out[320], err[320];
    size_t n = 0;
    pid_t pid;

    /* absolute, because the child runs in dir (a stray crmd.db lands there, not here) */
    ck_assert_ptr_nonnull(getenv("CRMD_BIN"));
    ck_assert_ptr_nonnull(realpath(getenv("CRMD_BIN"), bin));
    argv[n++] = bin;
    for (; args && *args && n < 23; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        FILE *o = fopen(out, "w"), *e = fopen(err, "w");
        if (!o || !e || chdir(dir) != 0)
            _exit(127);
        dup2(fileno(o), 1);
        dup2(fileno(e), 2);
        for (const char *const *v = vars; *v; v++)
            unsetenv(*v);
        for (const char *const *x = env; x && *x; x++)
            putenv((char *)*x);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Wait up to seconds for pid to exit: its exit status, 128 + signal, or fail (and kill it). */
static int
wait_exit(pid_t pid, double seconds)
{
    double deadline = now_s() + seconds;
    int st;
    pid_t w;

    while ((w = waitpid(pid, &st, WNOHANG)) == 0 || (w < 0 && errno == EINTR)) {
        if (now_s() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            ck_abort_msg("crmd (pid %d) did not exit within %.0f s", (int)pid, seconds);
        }
        pause_ms(10);
    }
    ck_assert_int_eq(w, pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Port from the "listening on ... (port N)" line of a log, or 0. */
static int
logged_port(const char *log)
{
    char *s = slurp(log), *line = strstr(s, "listening on"), *p;
    int port = 0;

    if (line && (p = strstr(line, "(port ")))
        port = atoi(p + 6);
    free(s);
    return port;
}

/* Wait until the spawned pid logs its port and answers /readyz; make it srv. */
static void
await_ready(pid_t pid, const char *dir)
{
    double deadline = now_s() + 20;
    char err[128];
    int st, port;

    snprintf(err, sizeof err, "%s/err", dir);
    while (!(port = logged_port(err))) {
        ck_assert_msg(waitpid(pid, &st, WNOHANG) == 0, "crmd exited during start; see %s", err);
        ck_assert_msg(now_s() < deadline, "crmd did not log its port in time");
        pause_ms(10);
    }
    memset(&srv, 0, sizeof srv);
    srv.pid = pid;
    srv.port = port;
    for (;;) {
        struct reply r;
        long status;

        http_get("/readyz", &r);
        status = r.status;
        reply_free(&r);
        if (status == 200)
            break;
        ck_assert_msg(now_s() < deadline, "crmd not ready in time");
        pause_ms(10);
    }
}

/* SIGTERM and wait for a clean exit. */
static void
stop_spawned(pid_t pid)
{
    kill(pid, SIGTERM);
    ck_assert_int_eq(wait_exit(pid, 20), 0);
}

static void
run_sql(const char *db_path, const char *sql)
{
    sqlite3 *db;
    char *err = NULL;

    ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
    sqlite3_close(db);
}

static long long
sql_int(const char *db_path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;

    ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

START_TEST(data_survives_restart)
{
    struct server s = { 0 };
    char cust[ID_LEN], veh[ID_LEN], tp[ID_LEN], body[256], path[96];
    struct reply r;

    server_start(&s, NULL, NULL);
    snprintf(cust, sizeof cust, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Neustart\"}"));
    snprintf(body, sizeof body, "{\"make\":\"Audi\",\"owner_id\":\"%s\",\"plate\":\"M-RS 4242\"}", cust);
    snprintf(veh, sizeof veh, "%s", create_ok("/v1/vehicles", body));
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\",\"kind\":\"service_visit\","
             "\"channel\":\"in_person\",\"occurred_at\":\"2026-02-01T10:00:00Z\"}",
             cust, veh);
    snprintf(tp, sizeof tp, "%s", create_ok("/v1/touchpoints", body));
    snprintf(path, sizeof path, "/v1/customers/%s", cust);
    http_json("PATCH", path, "{\"given_name\":\"Nora\"}", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    ck_assert_int_eq(server_stop(&s), 0);
    ck_assert(file_has(s.log, "stopped"));

    server_start(&s, NULL, NULL); /* same dir, same database */
    ck_assert(!file_has(s.log, "applied migration"));
    http_get(path, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(jstr(&r, "given_name"), "Nora");
    ck_assert_str_eq(jstr(&r, "family_name"), "Neustart");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    reply_free(&r);
    http_get("/v1/vehicles?plate=mrs4242", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0),
                                                       "id")),
                     veh);
    reply_free(&r);
    snprintf(path, sizeof path, "/v1/touchpoints/%s", tp);
    http_get(path, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(jstr(&r, "vehicle_id"), veh);
    ck_assert_str_eq(jstr(&r, "occurred_at"), "2026-02-01T10:00:00Z");
    reply_free(&r);
    /* and the restarted server still writes */
    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Neustart\"}");
    http_get("/v1/customers?family_name=Neustart", &r);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    reply_free(&r);
    ck_assert_int_eq(server_stop(&s), 0);
    remove_dir(s.dir);
}
END_TEST

START_TEST(newer_database_is_refused)
{
    static const char *const env[] = { NULL };
    struct server s = { 0 };
    const char *args[] = { "--db", NULL, "--port", "0", "--threads", "2", NULL };
    char err[400];
    pid_t pid;

    server_start(&s, NULL, NULL);
    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Zukunft\"}");
    ck_assert_int_eq(server_stop(&s), 0);
    run_sql(s.db, "INSERT INTO schema_migrations (version, name, applied_at) "
                  "VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z')");

    args[1] = s.db;
    pid = spawn(s.dir, args, env);
    ck_assert_int_ne(wait_exit(pid, 20), 0);
    snprintf(err, sizeof err, "%s/err", s.dir);
    ck_assert_msg(file_has(err, "newer"), "no line mentioning 'newer' in %s", err);
    ck_assert(file_has(err, "999"));
    ck_assert(!file_has(err, "listening on"));
    /* and the database is left as it was */
    ck_assert_int_eq(sql_int(s.db, "SELECT max(version) FROM schema_migrations"), 999);
    ck_assert_int_eq(sql_int(s.db, "SELECT count(*) FROM customers"), 1);
    remove_dir(s.dir);
}
END_TEST

START_TEST(help_lists_flags_and_env)
{
    static const char *const args[] = { "--help", NULL };
    static const char *const want[] = { "--db",     "--port",      "--listen",  "--demo",
                                        "CRMD_DB",  "CRMD_PORT",   "CRMD_LISTEN", "CRMD_DEMO",
                                        "--threads", "--max-body", "usage" };
    char dir[64], out[128];
    char *text;

    make_dir(dir);
    ck_assert_int_eq(wait_exit(spawn(dir, args, NULL), 20), 0);
    snprintf(out, sizeof out, "%s/out", dir);
    text = slurp(out);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(text, want[i]) != NULL, "--help does not mention %s:\n%s", want[i], text);
    free(text);
    remove_dir(dir);
}
END_TEST

/*
 * Runs that must end at once. "DIR/" in an argument is the test's own
 * directory. status -1: any non-zero status. err: text the one-line
 * complaint on stderr must contain; out: text stdout must contain.
 */
static const struct {
    const char *args[8];
    const char *env[3];
    int status;
    const char *err, *out;
} runs[] = {
    { { "--version" }, { NULL }, 0, NULL, "crmd " },
    { { "-h" }, { NULL }, 0, NULL, "CRMD_PORT" },
    { { "--port", "abc" }, { NULL }, 2, "--port", NULL },
    { { "--port=abc" }, { NULL }, 2, "--port", NULL },
    { { "--port", "65536" }, { NULL }, 2, "65535", NULL },
    { { "--port", "-1" }, { NULL }, 2, "--port", NULL },
    { { "--threads", "0" }, { NULL }, 2, "--threads", NULL },
    { { "--bogus" }, { NULL }, 2, "--bogus", NULL },
    { { "--db" }, { NULL }, 2, "--db", NULL },
    { { "--synchronous", "OFF" }, { NULL }, 2, "--synchronous", NULL },
    { { "--log-level", "loud" }, { NULL }, 2, "--log-level", NULL },
    { { "--db", "DIR/x.db" }, { "CRMD_PORT=abc", NULL }, 2, "CRMD_PORT", NULL },
    { { "--db", "DIR/x.db" }, { "CRMD_DEMO=maybe", NULL }, 2, "CRMD_DEMO", NULL },
    { { "--db", "DIR/x.db" }, { "CRMD_MAX_BODY=12", NULL }, 2, "CRMD_MAX_BODY", NULL },
    { { "--db", "DIR/x.db", "--port", "0" }, { "CRMD_LISTEN=999.1.1.1", NULL }, -1, "999.1.1.1", NULL },
    { { "--db", "DIR/x.db", "--port", "0", "--listen", "localhost" }, { NULL }, -1, "localhost", NULL },
    { { "--db", "DIR/no/such/dir/x.db", "--port", "0" }, { NULL }, -1, "no/such/dir/x.db", NULL },
};

START_TEST(bad_configuration_exits)
{
    const char *args[9];
    char dir[64], paths[8][128], file[128];
    size_t n;
    int status;

    make_dir(dir);
    for (n = 0; runs[_i].args[n]; n++) {
        if (strncmp(runs[_i].args[n], "DIR/", 4) == 0) {
            snprintf(paths[n], sizeof paths[n], "%s/%s", dir, runs[_i].args[n] + 4);
            args[n] = paths[n];
        } else {
            args[n] = runs[_i].args[n];
        }
    }
    args[n] = NULL;
    status = wait_exit(spawn(dir, args, runs[_i].env), 20);
    if (runs[_i].status < 0)
        ck_assert_msg(status != 0 && status < 128, "exit status %d, want a non-zero exit", status);
    else
        ck_assert_int_eq(status, runs[_i].status);
    if (runs[_i].err) {
        snprintf(file, sizeof file, "%s/err", dir);
        ck_assert_msg(file_has(file, runs[_i].err), "stderr does not mention %s", runs[_i].err);
        ck_assert(!file_has(file, "listening on"));
    }
    if (runs[_i].out) {
        snprintf(file, sizeof file, "%s/out", dir);
        ck_assert_msg(file_has(file, runs[_i].out), "stdout does not mention %s", runs[_i].out);
    }
    remove_dir(dir);
}
END_TEST

/* CRMD_PORT and CRMD_DB alone configure the server (no flags for them). */
START_TEST(environment_configures_port_and_db)
{
    static const char *const args[] = { "--threads", "2", NULL };
    char dir[64], db[128], envdb[160], err[128];
    const char *env[3] = { "CRMD_PORT=0", envdb, NULL };
    struct stat sb;
    pid_t pid;

    make_dir(dir);
    snprintf(db, sizeof db, "%s/env.db", dir);
    snprintf(envdb, sizeof envdb, "CRMD_DB=%s", db);
    snprintf(err, sizeof err, "%s/err", dir);
    pid = spawn(dir, args, env);
    await_ready(pid, dir);
    ck_assert_int_ne(srv.port, 8080);
    ck_assert_int_gt(srv.port, 0);
    ck_assert(file_has(err, db));
    ck_assert_int_eq(stat(db, &sb), 0);
    harness_use_key(&srv, harness_create_key(db, "admin"));
    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Umgebung\"}");
    stop_spawned(pid);
    ck_assert_int_eq(sql_int(db, "SELECT count(*) FROM customers WHERE family_name = 'Umgebung'"), 1);
    remove_dir(dir);
}
END_TEST

/* A flag wins over its environment variable. */
START_TEST(flags_override_environment)
{
    char dir[64], flagdb[128], envdb[160], envpath[128];
    const char *args[] = { "--db", flagdb, "--port", "0", "--threads", "2", NULL };
    const char *env[] = { envdb, "CRMD_PORT=1", NULL };
    struct stat sb;
    pid_t pid;

    make_dir(dir);
    snprintf(flagdb, sizeof flagdb, "%s/flag.db", dir);
    snprintf(envpath, sizeof envpath, "%s/env.db", dir);
    snprintf(envdb, sizeof envdb, "CRMD_DB=%s", envpath);
    pid = spawn(dir, args, env);
    await_ready(pid, dir);
    ck_assert_int_ne(srv.port, 1);
    stop_spawned(pid);
    ck_assert_int_eq(stat(flagdb, &sb), 0);
    ck_assert_int_ne(stat(envpath, &sb), 0);
    remove_dir(dir);
}
END_TEST

START_TEST(sigint_stops_cleanly)
{
    struct server s = { 0 };

    server_start(&s, NULL, NULL);
    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Unterbrechung\"}");
    ck_assert_int_eq(kill(s.pid, SIGINT), 0);
    ck_assert_int_eq(wait_exit(s.pid, 20), 0);
    s.pid = 0;
    ck_assert(file_has(s.log, "stopped"));
    ck_assert_int_eq(sql_int(s.db, "SELECT count(*) FROM customers"), 1);
    remove_dir(s.dir);
}
END_TEST

/* Ids of one page into ids[*n...]; returns next_cursor (static) or NULL. */
static const char *
page(const char *path, char ids[][ID_LEN], size_t *n, size_t want)
{
    static char cursor[256];
    struct reply r;
    json_t *item, *next;
    size_t i;
    int more;

    http_get(path, &r);
    ck_assert_msg(r.status == 200, "GET %s → %ld: %s", path, r.status, r.body);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), want);
    json_array_foreach(json_object_get(r.json, "items"), i, item)
        snprintf(ids[(*n)++], ID_LEN, "%s", json_string_value(json_object_get(item, "id")));
    next = json_object_get(r.json, "next_cursor");
    ck_assert(json_is_string(next) || json_is_null(next));
    more = json_is_string(next);
    if (more)
        snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
    reply_free(&r);
    return more ? cursor : NULL;
}

/* Pages of 3 over 7 records, the cursor carried across a restart. */
START_TEST(pagination_across_pages_and_restart)
{
    struct server s = { 0 };
    char made[7][ID_LEN], got[8][ID_LEN], path[512], cursor[256];
    const char *next;
    size_t n = 0;
    struct reply r;

    server_start(&s, NULL, NULL);
    for (int i = 0; i < 7; i++)
        snprintf(made[i], ID_LEN, "%s",
                 create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Seite\"}"));
    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Andere\"}");

    next = page("/v1/customers?family_name=Seite&limit=3", got, &n, 3);
    ck_assert_ptr_nonnull(next);
    snprintf(cursor, sizeof cursor, "%s", next);

    /* a cursor is bound to its list */
    snprintf(path, sizeof path, "/v1/vehicles?cursor=%s", cursor);
    http_get(path, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);

    ck_assert_int_eq(server_stop(&s), 0);
    server_start(&s, NULL, NULL);

    snprintf(path, sizeof path, "/v1/customers?family_name=Seite&limit=3&cursor=%s", cursor);
    next = page(path, got, &n, 3);
    ck_assert_ptr_nonnull(next);
    snprintf(path, sizeof path, "/v1/customers?family_name=Seite&limit=3&cursor=%s", next);
    next = page(path, got, &n, 1);
    ck_assert_ptr_null(next);
    ck_assert_uint_eq(n, 7);
    for (int i = 0; i < 7; i++)
        ck_assert_str_eq(got[i], made[i]);

    /* a full last page has no empty page after it */
    n = 0;
    next = page("/v1/customers?family_name=Seite&limit=7", got, &n, 7);
    ck_assert_ptr_null(next);
    ck_assert_int_eq(server_stop(&s), 0);
    remove_dir(s.dir);
}
END_TEST

Suite *
lifecycle_suite(void)
{
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("lifecycle");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, data_survives_restart);
    tcase_add_test(tc, newer_database_is_refused);
    tcase_add_test(tc, help_lists_flags_and_env);
    tcase_add_loop_test(tc, bad_configuration_exits, 0, (int)(sizeof runs / sizeof runs[0]));
    tcase_add_test(tc, environment_configures_port_and_db);
    tcase_add_test(tc, flags_override_environment);
    tcase_add_test(tc, sigint_stops_cleanly);
    tcase_add_test(tc, pagination_across_pages_and_restart);
    suite_add_tcase(s, tc);
    return s;
}
