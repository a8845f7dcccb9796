/*
 * fuzz_request: libFuzzer target over the request path after
 * libmicrohttpd: route match, query and header checks, key and role,
 * body limits, JSON parsing, validation, the handler, rendering. It calls
 * exchange.c, the code http.c runs, against a temporary SQLite database
 * with the demo data and one API key per role. docs/development.md "Fuzzing".
 *
 * Input framing: up to 4 requests, separated by a line "----"; each is
 *   METHOD /path?query\n          query as on the wire: %XX escapes, '+' is a space
 *   Name: value\n                 zero or more headers
 *   \n
 *   body                          the rest, as is
 * Content-Type, If-Match, If-None-Match, Idempotency-Key, Accept-Language
 * and Authorization are what http.c hands on; "X-Fuzz-Role: reader|desk|manager|admin|none"
 * picks the key sent (default admin; an Authorization header wins);
 * "X-Fuzz-Chunk: N" feeds a streamed body (POST /v1/import) in chunks of
 * N bytes (1-4096, default 4096) as libmicrohttpd may split it.
 * In the path, headers and body, @C1 @C2 @C3 (customers), @V1 @V2
 * (vehicles), @H1 (household), @T1 (touchpoint), @W1 (webhook) and @K1
 * (the reader key) become the ids of seeded records, @NEW the id of the
 * last record an earlier request of the same input created (201). Every
 * input starts from the same data (restored after a successful write).
 *
 * Aborts when: a status is outside 100-599; a 5xx other than 503 (the
 * documented limits) and 507 (a full disk) answers client input; a problem body is not a JSON
 * object with type, title, status (= the status) and detail; a success
 * body cannot be rendered. ASan reports leaks and memory errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "demo.h"
#include "exchange.h"
#include "log.h"
#include "routes.h"
#include "rules.h"
#include "store_keys.h"
#include "telemetry.h"
#include "util.h"

#define FUZZ_ID_MAX 40
#define FUZZ_REQUESTS_MAX 4 /* requests in one input */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config cfg;
static char db_dir[256];
static sqlite3 *snapshot; /* the seeded database, restored after every write that succeeded */
static char keys[ROLE_ADMIN + 1][APIKEY_LEN + 1]; /* by role; keys[0] unused */

/* Placeholders in inputs and the seeded ids they stand for. */
static struct {
    const char *token;
    char id[FUZZ_ID_MAX];
} ids[] = {{"@C1", ""}, {"@C2", ""}, {"@C3", ""}, {"@V1", ""}, {"@V2", ""},
           {"@H1", ""}, {"@T1", ""}, {"@W1", ""}, {"@K1", ""}, {"@NEW", ""}};
#define NIDS (sizeof ids / sizeof ids[0])

static void
die(const char *what)
{
    fprintf(stderr, "fuzz_request: %s\n", what);
    abort();
}

/* ---- decoding the input ---- */

/* data with every placeholder replaced by its id: NUL-terminated, length in *n. */
static char *
substitute(const uint8_t *data, size_t size, size_t *n)
{
    struct buf b = {0};

    for (size_t i = 0; i < size;) {
        size_t k;
        for (k = 0; k < NIDS; k++)
            if (size - i >= strlen(ids[k].token) &&
                !memcmp(data + i, ids[k].token, strlen(ids[k].token)))
                break;
        if (k < NIDS) {
            buf_append(&b, ids[k].id, strlen(ids[k].id));
            i += strlen(ids[k].token);
        } else {
            buf_append(&b, (const char *)data + i, 1);
            i++;
        }
    }
    buf_append(&b, "", 0);
    *n = b.len;
    return b.data;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) in place as libmicrohttpd does ('+' = space in a query); new length. */
static size_t
unescape(char *s, size_t n, int plus)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            s[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            s[o++] = plus && s[i] == '+' ? ' ' : s[i];
        }
    }
    return o;
}

/* key=value&... into req (as MHD's GET arguments); stops like http.c when full. */
static void
parse_query(struct request *req, char *q)
{
    while (q && *q) {
        char *amp = strchr(q, '&'), *eq;
        if (amp)
            *amp = '\0';
        eq = strchr(q, '=');
        if (eq)
            *eq = '\0';
        if (*q || eq) {
            size_t kn = unescape(q, strlen(q), 1),
                   vn = eq ? unescape(eq + 1, strlen(eq + 1), 1) : 0;
            if (exchange_add_query(req, q, kn, eq ? eq + 1 : NULL, vn) != 0)
                return;
        }
        q = amp ? amp + 1 : NULL;
    }
}

struct input {
    char *method, *path, *query; /* point into text */
    char *body;                  /* malloc'd copy, NUL-terminated (http.c's buffer is too) */
    size_t body_len;
    const char *authorization; /* NULL = absent */
    const char *bad_header;    /* exchange_add_header refused one */
    size_t chunk;              /* X-Fuzz-Chunk */
};

/* Next line of text at *pos (ends at '\n', a trailing '\r' dropped), NULL at the end. */
static char *
next_line(char *text, size_t n, size_t *pos)
{
    char *line, *nl;

    if (*pos >= n)
        return NULL;
    line = text + *pos;
    nl = memchr(line, '\n', n - *pos);
    if (nl) {
        *nl = '\0';
        *pos = (size_t)(nl - text) + 1;
    } else {
        *pos = n;
    }
    if (nl && nl > line && nl[-1] == '\r')
        nl[-1] = '\0';
    return line;
}

/* The request line and headers into in and req: the role whose key to send (0 = none), or -1. */
static int
decode(char *text, size_t n, struct input *in, struct request *req)
{
    size_t pos = 0;
    char *line = next_line(text, n, &pos), *sp, *h;
    int role = ROLE_ADMIN;

    if (!line || !(sp = strchr(line, ' ')) || sp == line)
        return -1;
    *sp = '\0';
    in->method = line;
    in->path = sp + 1;
    in->query = strchr(in->path, '?');
    if (in->query)
        *in->query++ = '\0';
    in->path[unescape(in->path, strlen(in->path), 0)] = '\0'; /* a %00 ends the path */
    if (in->path[0] != '/')
        return -1; /* libmicrohttpd answers these itself */
    while ((h = next_line(text, n, &pos)) && *h) {
        char *colon = strchr(h, ':'), *v;
        if (!colon)
            continue;
        *colon = '\0';
        for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
            ;
        if (!strcasecmp(h, "Content-Type") && !req->content_type)
            req->content_type = xstrdup(v);
        else if (!strcasecmp(h, "Authorization"))
            in->authorization = v;
        else if (!strcasecmp(h, "X-Fuzz-Role"))
            role = !strcmp(v, "reader")    ? ROLE_READER
                   : !strcmp(v, "desk")    ? ROLE_DESK
                   : !strcmp(v, "manager") ? ROLE_MANAGER
                   : !strcmp(v, "none")    ? 0
                                           : ROLE_ADMIN;
        else if (!strcasecmp(h, "X-Fuzz-Chunk"))
            in->chunk = (size_t)strtoul(v, NULL, 10);
        else if (!in->bad_header)
            in->bad_header = exchange_add_header(req, h, v, strlen(v));
    }
    in->body_len = pos < n ? n - pos : 0;
    in->body = xmalloc(in->body_len + 1);
    memcpy(in->body, text + pos, in->body_len);
    in->body[in->body_len] = '\0';
    parse_query(req, in->query);
    return role;
}

/* ---- checking the answer ---- */

static void
check_problem(int status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_error_t e;
    json_t *back = text ? json_loads(text, 0, &e) : NULL;
    json_t *type = json_object_get(back, "type"), *title = json_object_get(back, "title");
    json_t *st = json_object_get(back, "status"), *detail = json_object_get(back, "detail");

    if (!json_is_object(back) || !json_is_string(type) || !json_is_string(title) ||
        !json_is_integer(st) || json_integer_value(st) != status || !json_is_string(detail))
        die("a problem body is not an object with type, title, status and detail");
    if (strncmp(json_string_value(type), "urn:crmd:problem:", 17) != 0)
        die("a problem type is not urn:crmd:problem:<slug>");
    if (status >= 500 && status != 503 && status != 507) {
        fprintf(stderr, "fuzz_request: %d for client input: %s\n", status, text);
        abort();
    }
    json_decref(back);
    free(text);
}

static void
check_success(const struct response *res)
{
    char *text;

    if (res->status < 100 || res->status > 599)
        die("a status outside 100-599");
    if (res->status >= 500)
        die("a 5xx without a problem");
    if (res->raw || res->status == 204 || res->status == 304)
        return;
    if (res->status >= 300 && res->status < 400) { /* a redirect (GET / to /desk/) */
        if (!res->location)
            die("a redirect without a Location");
        return;
    }
    if (!res->body)
        die("a success without a body");
    text = json_dumps(res->body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (!text)
        die("a success body cannot be rendered");
    free(text);
}

/* ---- one request, as http.c's begin, take_body, dispatch and answer ---- */

/* The route's streaming sink (POST /v1/import), or NULL. */
static const struct route_sink *
sink_of(const struct request *req)
{
    for (size_t i = 0; routes_sinks[i]; i++)
        if (routes_sinks[i]->handler == req->match.route->handler)
            return routes_sinks[i];
    return NULL;
}

/* Feed the body to the sink in chunks like libmicrohttpd's; 0 or -1 (problem set). */
static int
sink_feed(const struct route_sink *sink, struct request *req, struct response *res,
          const struct input *in)
{
    size_t chunk = in->chunk >= 1 && in->chunk <= 4096 ? in->chunk : 4096;

    for (size_t off = 0; off < in->body_len; off += chunk) {
        size_t n = in->body_len - off < chunk ? in->body_len - off : chunk;
        if (sink->feed(req, res, in->body + off, n) != 0)
            return -1;
    }
    return 0;
}

/* Run the handler, then a park again (as at the stop) or the job, as defer.c does. */
static int
run(struct request *req, struct response *res, const struct input *in)
{
    int rc = exchange_run(req, res, in->body, in->body_len);

    for (int round = 0; rc == 0 && res->problem.code == PROBLEM_NONE && req->defer != REQUEST_NOW;
         round++) {
        if (round == 3)
            die("a handler keeps deferring");
        if (req->defer == REQUEST_JOB) {
            req->defer = REQUEST_NOW;
            rc = req->job(req, res);
            db_rollback(req->db);
        } else {
            req->stopping = 1; /* answer now: no waiting in a fuzzer */
            rc = exchange_run(req, res, in->body, in->body_len);
        }
    }
    return rc;
}

/* One request; its status. location (FUZZ_ID_MAX bytes, may be NULL) gets a 201's id. */
static int
one_request(const uint8_t *data, size_t size, char *location)
{
    struct request req = {0};
    struct response res = {0};
    struct input in = {0};
    const struct route_sink *sink = NULL;
    size_t n;
    char *text = substitute(data, size, &n), auth[APIKEY_LEN + 16];
    int role, rc = -1, status;
    enum router_result rr;

    snprintf(req.id, sizeof req.id, "fuzz");
    res.problem.request_id = req.id;
    req.config = &cfg;
    role = decode(text, n, &in, &req);
    if (role < 0) {
        exchange_release(&req, &res);
        free(text);
        return 0;
    }
    if (!in.authorization && role) {
        snprintf(auth, sizeof auth, "Bearer %s", keys[role]);
        in.authorization = auth;
    }
    req.method = in.method;
    req.path = in.path;
    rr = router_match(routes, routes_count, req.method, req.path, &req.match);
    if (rr == ROUTER_MATCH)
        sink = sink_of(&req);
    if (in.body_len > (sink ? cfg.max_import : cfg.max_body))
        problem_set(&res.problem, PROBLEM_TOO_LARGE, "the request body exceeds the limit");
    else if (rr == ROUTER_NO_METHOD && !strcmp(req.method, "OPTIONS"))
        res.status = 204;
    else if (rr != ROUTER_MATCH)
        exchange_route_problem(rr, &req, &res.problem);
    else if (exchange_prepare(&req, &res, in.bad_header, in.authorization) == 0 &&
             (!sink || (sink->open(&req, &res) == 0 && sink_feed(sink, &req, &res, &in) == 0)))
        rc = run(&req, &res, &in);
    if (res.status == 204 && rr == ROUTER_NO_METHOD) {
        status = 204;
    } else if (rc != 0 || res.problem.code != PROBLEM_NONE) {
        json_t *body = exchange_problem_json(&res);
        status = problem_status(res.problem.code);
        check_problem(status, body);
        json_decref(body);
    } else {
        check_success(&res);
        status = res.status;
        if (location && status == 201 && res.location && strrchr(res.location, '/'))
            snprintf(location, FUZZ_ID_MAX, "%s", strrchr(res.location, '/') + 1);
    }
    if (getenv("FUZZ_VERBOSE")) /* checking seeds: what each one got */
        fprintf(stderr, "fuzz: %d %s %s %s\n", status, req.method, req.path,
                res.problem.code != PROBLEM_NONE ? res.problem.detail : "");
    if (sink)
        sink->close(&req);
    exchange_release(&req, &res);
    free(in.body);
    free(text);
    return status;
}

/* ---- the database ---- */

/* The first n ids of table (rowid order) into ids[first..first+n). */
static void
seed_ids(struct db *db, const char *sql, size_t first, size_t n)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db_handle(db)));
    for (size_t i = first; i < first + n && sqlite3_step(st) == SQLITE_ROW; i++)
        snprintf(ids[i].id, sizeof ids[i].id, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void
seed_keys(struct db *db)
{
    static const char *const names[] = {[ROLE_READER] = "fuzz-reader",
                                        [ROLE_DESK] = "fuzz-desk",
                                        [ROLE_MANAGER] = "fuzz-manager",
                                        [ROLE_ADMIN] = "fuzz-admin"};
    struct problem p = {0};

    for (int r = ROLE_READER; r <= ROLE_ADMIN; r++) {
        json_t *out = NULL;
        if (store_keys_create(db, names[r], (enum role)r, keys[r], &out, &p) != 0)
            die("cannot create the API keys");
        if (r == ROLE_READER)
            snprintf(ids[8].id, sizeof ids[8].id, "%s",
                     json_string_value(json_object_get(out, "id")));
        json_decref(out);
    }
    problem_release(&p);
}

/* Copy the main database of from over to's, through the backup API (to's statements stay). */
static void
copy_db(sqlite3 *from, sqlite3 *to)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");

    if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
        die(sqlite3_errmsg(to));
}

/* Every input starts from the same data: inputs reproduce, deletes don't empty the database. */
static void
snapshot_restore(void)
{
    struct db *db = db_thread(&cfg);

    if (!db)
        die("cannot open the database");
    if (!snapshot) {
        if (sqlite3_open(":memory:", &snapshot) != SQLITE_OK)
            die("cannot open the snapshot");
        copy_db(db_handle(db), snapshot);
    } else {
        copy_db(snapshot, db_handle(db));
    }
}

static void
remove_db(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    char path[320];

    db_close_all();
    sqlite3_close(snapshot);
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/fuzz.db%s", db_dir, suffix[i]);
        unlink(path);
    }
    rmdir(db_dir);
}

static void
open_database(void)
{
    static char path[320];
    /* libFuzzer may end without atexit: run.sh passes a directory it removes itself */
    const char *tmp = getenv("FUZZ_DB_DIR")           ? getenv("FUZZ_DB_DIR")
                      : access("/dev/shm", W_OK) == 0 ? "/dev/shm"
                                                      : "/tmp";
    struct rules r;
    struct db *db;

    snprintf(db_dir, sizeof db_dir, "%s/crmd-fuzz-XXXXXX", tmp);
    if (!mkdtemp(db_dir))
        die("cannot create a temporary directory");
    snprintf(path, sizeof path, "%s/fuzz.db", db_dir);
    cfg.db_path = path;
    db = db_open(path, &cfg);
    if (!db || db_migrate(db) < 0 || demo_load(db) != 0)
        die("cannot create the database");
    seed_keys(db);
    seed_ids(db, "SELECT id FROM customers ORDER BY rowid", 0, 3);
    seed_ids(db, "SELECT id FROM vehicles ORDER BY rowid", 3, 2);
    seed_ids(db, "SELECT id FROM households ORDER BY rowid", 5, 1);
    seed_ids(db, "SELECT id FROM touchpoints ORDER BY rowid", 6, 1);
    db_close(db);
    rules_defaults(&r);
    rules_install(&r);
    atexit(remove_db);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const uint8_t webhook[] = "POST /v1/webhooks\nContent-Type: application/json\n\n"
                                     "{\"url\":\"http://hooks.example.com:9/hook\","
                                     "\"events\":[\"*\"]}";
    char *fake_argv[] = {(char *)"crmd", NULL};

    (void)argc;
    (void)argv;
    setenv("CRMD_LOG_LEVEL", "error", 1);
    config_load(&cfg, 1, fake_argv); /* crmd's defaults and CRMD_* environment */
    cfg.synchronous = "OFF";
    setenv("TZ", cfg.timezone, 1);
    telemetry_init(routes, routes_count);
    open_database();
    if (one_request(webhook, sizeof webhook - 1, ids[7].id) != 201)
        die("cannot create the seed webhook");
    snapshot_restore(); /* takes it */
    return 0;
}

/* The first k bytes of needle in data[0..size), or NULL (memmem is a GNU extension). */
static const uint8_t *
find(const uint8_t *data, size_t size, const char *needle, size_t k)
{
    for (size_t i = 0; i + k <= size; i++)
        if (data[i] == (uint8_t)needle[0] && !memcmp(data + i, needle, k))
            return data + i;
    return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n----\n";
    int wrote = 0;

    ids[NIDS - 1].id[0] = '\0'; /* @NEW: nothing created yet */
    for (int i = 0; i < FUZZ_REQUESTS_MAX && size > 0; i++) {
        const uint8_t *end = find(data, size, sep, sizeof sep - 1);
        size_t n = end ? (size_t)(end - data) : size;
        int status = one_request(data, n, ids[NIDS - 1].id);
        if (status >= 200 && status < 300 && (n < 4 || memcmp(data, "GET ", 4) != 0))
            wrote = 1;
        data += end ? n + sizeof sep - 1 : n;
        size -= end ? n + sizeof sep - 1 : n;
    }
    if (wrote)
        snapshot_restore();
    return 0;
}
