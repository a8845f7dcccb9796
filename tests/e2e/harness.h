/*
 * harness: end-to-end test support. Starts the real crmd binary ($CRMD_BIN)
 * on port 0 with a fresh temporary SQLite file, learns the bound port from
 * its log, waits for /readyz, and speaks HTTP with libcurl.
 */
#ifndef CRMD_TEST_HARNESS_H
#define CRMD_TEST_HARNESS_H

#include <check.h>
#include <jansson.h>
#include <sys/types.h>

struct server {
    pid_t pid;
    int port;
    char dir[256];     /* temporary directory holding db and log */
    char db[320];      /* database path */
    char log[320];     /* server's stderr */
    char key[64];      /* admin API key in db, made by server_start when empty */
    char auth[96];     /* "Authorization: Bearer <key>": what http() sends */
    char tls_ca[320];  /* when set: the server speaks HTTPS, http() trusts only this PEM */
};

struct reply {
    long status;
    char *content_type; /* NULL if absent */
    char *location;
    char *allow;
    char *request_id;
    char *etag;
    char *cache_control;
    char *disposition;  /* Content-Disposition */
    char *encoding;     /* Content-Encoding, NULL if absent */
    char *body;         /* NUL-terminated, "" if none; a gzip answer decompressed */
    size_t body_len;    /* bytes of body */
    size_t wire_len;    /* bytes received (compressed when encoding is gzip) */
    json_t *json;       /* parsed body or NULL */
    char *headers;      /* every header line of the final answer, as received */
};

/* The server of the current test case (started by harness_setup). */
extern struct server srv;

/* Unchecked fixtures: start srv with a fresh database / stop it (asserting exit 0). */
void harness_setup(void);
void harness_teardown(void);

/*
 * Start s; db NULL = fresh temp file; extra_env "NAME=value" entries or
 * NULL. 2 worker threads, or N with "CRMD_THREADS=N" in extra_env;
 * "JOURNAL_STREAM=stderr" sets JOURNAL_STREAM to the device and inode of
 * the server's stderr (its log), as systemd does for the journal. Unless
 * s->key is set, first creates an admin API key in the database with
 * `crmd keys create` (s->key, s->auth), which http() then sends.
 */
void server_start(struct server *s, const char *db, const char *const *extra_env);
/*
 * Create an API key with role (reader, desk, manager, admin) in database db
 * by running `$CRMD_BIN keys create`; the key in rotating static storage
 * (8 slots). Works while a server runs on db.
 */
const char *harness_create_key(const char *db, const char *role);

/* Make key (NULL: a new admin key in s->db) the one s's requests send (s->key, s->auth). */
void harness_use_key(struct server *s, const char *key);

/* Seconds on the monotonic clock (deadlines, durations). */
double harness_now(void);

/* SIGTERM, wait; returns the exit status (0 = clean, leak-free under ASan). */
int server_stop(struct server *s);

/*
 * Send a request to srv. body may be NULL; content_type NULL means
 * "application/json" when there is a body. headers: NULL-terminated
 * "Name: value" strings or NULL. Sends srv.auth (the admin key) unless
 * headers has an Authorization entry: "Authorization: Bearer ..." sends
 * another key, "Authorization:" (no value) sends none. path is sent as
 * written: no dot segment is removed. A gzip answer (the request sent
 * Accept-Encoding) is decompressed into body, the contract log gets that.
 */
void http(const char *method, const char *path, const char *content_type, const char *body,
          const char *const *headers, struct reply *r);
/*
 * Append one exchange as a JSON line to $CRMD_CONTRACT_LOG (when set) for
 * the contract check (tools/api/contract-check.js): one write() in O_APPEND
 * mode, so forked tests and threads may call it. http() calls it; clients
 * of their own in a test file must too. req_type NULL when no body was sent.
 */
void harness_log_exchange(const char *method, const char *path, const char *req_type, long status,
                          const char *content_type, const char *body);

/* Shorthands with content type application/json. */
void http_get(const char *path, struct reply *r);
void http_json(const char *method, const char *path, const char *body, struct reply *r);
void reply_free(struct reply *r);

/* POST body to path, assert 201, return the new id (static storage, 8 slots rotating). */
const char *create_ok(const char *path, const char *body);

/* Assert a problem+json reply with this status and type slug ("validation"). */
void assert_problem(const struct reply *r, long status, const char *slug);

/* Assert that errors[] of a problem reply names field. */
void assert_field_error(const struct reply *r, const char *field);

/*
 * Value of header name in r (case-insensitive name, surrounding blanks
 * trimmed), NULL when absent; rotating static storage (8 slots). A header
 * sent twice fails the test: each header checked has one value.
 */
const char *reply_header(const struct reply *r, const char *name);

/* String member of r->json (or NULL). */
const char *jstr(const struct reply *r, const char *key);

/* Formatted string in rotating static storage (8 slots of 512 bytes): paths and small bodies. */
const char *pathf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Assert a JSON (not problem) reply with this status. */
void assert_json(const struct reply *r, long status);

/* GET path, assert 200 JSON, return the body (new reference). */
json_t *fetch(const char *path);

/* GET a list, assert its shape, return its items (new reference). */
json_t *fetch_items(const char *path);

/* Assert that GET path returns 404 not-found. */
void assert_gone(const char *path);

/* String member of a JSON object (or NULL). */
const char *sget(const json_t *o, const char *key);

/*
 * Values unique within this test process (each test case runs its own
 * server, so that is unique enough), in rotating static storage (8 slots):
 * uniq("Person") = "Person4711-3"; uniq_letters() = 8 lower-case letters
 * (for names, which fold digits away); uniq_digits() = 7 digits (phones).
 */
const char *uniq(const char *prefix);
const char *uniq_letters(void);
const char *uniq_digits(void);

/* POST a person with this family name made unique; the id (create_ok's storage). */
const char *new_person_named(const char *family);

/*
 * Lines of s's log (its stderr) holding needle; the last of them into
 * last (lastsz bytes) unless last is NULL.
 */
int harness_log_count(const struct server *s, const char *needle, char *last, size_t lastsz);
/* Lines of the file at path holding needle (0 when it does not exist), the last into last. */
int harness_file_count(const char *path, const char *needle, char *last, size_t lastsz);
/* Wait until the file at path has a line holding needle; fails the test after ms milliseconds. */
void harness_await_file(const char *path, const char *needle, int ms);
/* Wait until s's log has a line holding needle; fails the test after ms milliseconds. */
void harness_await_log(const struct server *s, const char *needle, int ms);

#endif
