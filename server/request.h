/*
 * request: what a handler sees of an HTTP exchange (struct request in,
 * struct response out), with helpers for query parameters, the JSON body
 * and responses. No libmicrohttpd types here: http.c translates.
 */
#ifndef CRMD_REQUEST_H
#define CRMD_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "compress.h"
#include "lang.h"
#include "problem.h"
#include "router.h"

#define REQUEST_MAX_QUERY 32
#define REQUEST_ID_MAX 64
#define REQUEST_HEADER_MAX 256 /* longest If-Match, If-None-Match, Idempotency-Key accepted */
#define REQUEST_ACCEPT_MAX 255 /* bytes of Accept kept (never refused: the rest is ignored) */
#define RESPONSE_ETAG_MAX 47    /* longest ETag this server sends, quotes included */

struct db;
struct config;

/* What a handler's run asked for (request_park, request_job); REQUEST_NOW: res is the answer. */
enum request_defer { REQUEST_NOW, REQUEST_PARK, REQUEST_JOB };

struct query_param {
    char *key;
    char *value;
};

struct request {
    const char *method; /* "GET", "POST", ... ("HEAD" is served as GET) */
    const char *path;
    struct router_match match; /* captures of the route pattern */
    struct query_param query[REQUEST_MAX_QUERY];
    size_t nquery;
    int query_overflow;   /* more parameters than REQUEST_MAX_QUERY */
    char *content_type;   /* NULL when absent */
    char *if_match;       /* If-Match header as sent, NULL when absent */
    char *if_none_match;  /* If-None-Match header, NULL when absent */
    char *idempotency_key; /* Idempotency-Key header, NULL when absent */
    /* Accept-Language as sent (repeated ones joined with ", "), cut after LANG_ACCEPT_MAX + 1
     * bytes: lang_from_accept ignores what lies past LANG_ACCEPT_MAX */
    char accept_language[LANG_ACCEPT_MAX + 2];
    /* Accept as sent (repeated ones joined with ", "), cut after REQUEST_ACCEPT_MAX bytes */
    char accept[REQUEST_ACCEPT_MAX + 1];
    struct compress_accept accept_encoding; /* what Accept-Encoding said of gzip */
    enum lang lang;       /* the staff's language for sentences, from accept_language */
    char *body;           /* NUL-terminated copy of the body, or NULL */
    size_t body_len;
    json_t *json;         /* parsed body after request_json() */
    void *sink_state;     /* a streaming route's own state (struct route_sink) */
    struct db *db;        /* this worker thread's connection */
    const struct config *config;
    char id[REQUEST_ID_MAX + 1];
    /* answering later: see request_park and request_job */
    enum request_defer defer; /* set by the handler's last run */
    struct timespec wake_at;  /* REQUEST_PARK: run the handler again at the latest then */
    router_handler job;       /* REQUEST_JOB: runs on the job thread */
    struct timespec deadline; /* the handler's own, kept across its runs */
    long long kept;           /* likewise: a number the first run resolved (after=now) */
    unsigned runs;            /* earlier runs of the handler for this request (0 = first) */
    int stopping;             /* the server is stopping: answer now, don't park */
    enum role role;           /* role of the request's API key (ROLE_UNSET: none, open route) */
    char key_id[37];          /* id of the request's API key, "" when none */
    char key_name[129];       /* and its name (STORE_KEYS_NAME_MAX), "" when none */
};

/* A header of a response (response.headers): both strings static. */
struct response_header {
    const char *name;
    const char *value;
};

struct response {
    int status;
    json_t *body;   /* owned; rendered as application/json */
    char *location; /* owned; Location header (on 2xx and 3xx but 304) */
    char etag[RESPONSE_ETAG_MAX + 1]; /* ETag header on 2xx and 304 ("" = none) */
    int replayed;   /* answer of an earlier request with the same Idempotency-Key */
    const char *raw;      /* static body sent as is instead of body (borrowed, never freed) */
    size_t raw_len;
    const char *raw_type; /* Content-Type of raw */
    char *raw_owned;      /* malloc'd raw (== raw) that http.c frees; NULL when raw is static */
    const char *raw_encoding; /* Content-Encoding of a static raw ("gzip"), NULL = none: http.c
                               * compresses a raw_owned body itself when it gains */
    int vary_encoding;    /* the answer depends on Accept-Encoding (Vary), with or without gzip */
    const char *cache_control; /* Cache-Control header; NULL = "no-store" */
    int retry_after;      /* seconds for a Retry-After header on a problem (0 = none) */
    const char *www_authenticate; /* WWW-Authenticate header of a 401 (static string) */
    char disposition[96]; /* Content-Disposition header on a 2xx ("" = none) */
    int localized;        /* body has sentences in req->lang: Content-Language, Vary */
    /*
     * A streamed 200 body instead of body: http.c calls stream_read until it returns 0 (the
     * end) or -1 (failed: the connection closes before the body ends), then stream_free.
     * The context must not borrow from the request (it may outlive it). Content-Type is
     * stream_type. exchange_release frees a stream that was never sent.
     */
    long (*stream_read)(void *ctx, char *buf, size_t max);
    void (*stream_free)(void *ctx);
    void *stream_ctx;
    const char *stream_type;
    const struct response_header *headers; /* more headers on any answer (304 and problems
                                            * too), ended by a NULL name; static, NULL = none */
    struct problem problem;
};

/* Capture i of the matched route pattern ("{id}" order). */
const char *request_param(const struct request *req, size_t i);

/* Value of query parameter key, or NULL. */
const char *request_query(const struct request *req, const char *key);

/*
 * Refuse query parameters not in allowed (NULL-terminated) and repeated
 * parameters with a 400 that names them. Returns 0 or -1.
 */
int request_check_query(const struct request *req, const char *const *allowed, struct problem *p);

/*
 * Read integer query parameter key into *out: def when absent, else it
 * must be a decimal in [min, max]. Returns 0 or -1 (400).
 */
int request_query_int(const struct request *req, const char *key, long def, long min, long max,
                      long *out, struct problem *p);

/* Read boolean query parameter ("true"/"false"); def when absent. */
int request_query_bool(const struct request *req, const char *key, int def, int *out,
                       struct problem *p);

/*
 * Parse the body as a JSON object: content type must be application/json
 * (or application/merge-patch+json when merge_patch is set) → else 415;
 * malformed, invalid UTF-8, too deep or not an object → 400. Returns the
 * borrowed object (owned by req) or NULL.
 */
json_t *request_json_object(struct request *req, int merge_patch, struct problem *p);

/*
 * Answer later without holding a worker thread (long-polls): the handler
 * returns request_park(...) having answered nothing. The request waits
 * until a commit in this process, wake_at (CLOCK_MONOTONIC) or the stop,
 * then the handler runs again for the same request: req->runs counts the
 * earlier runs, req->deadline keeps what the first run put there, and
 * req->stopping set means answer now. Past --max-waiting parked
 * requests, http.c answers 503 with Retry-After instead. Returns 0.
 */
int request_park(struct request *req, const struct timespec *wake_at);

/*
 * Run job(req, res) on the job thread (one job at a time, in arrival
 * order; req->db is the job thread's own connection) while the
 * connection waits without a worker; what the job answers is sent when
 * it returns. The handler returns request_job(...) having answered
 * nothing. A full queue (--import-queue) or a stopping server answers
 * 503 with Retry-After instead. Returns 0.
 */
int request_job(struct request *req, router_handler job);

/* 1 once the server is stopping: a long job ends early at a safe point (503). */
int request_stopping(void);

/* Set status and body (steals body). Returns 0 for "return response_json(...)". */
int response_json(struct response *res, int status, json_t *body);

/*
 * Answer 200 with a static body of len bytes and Content-Type type, sent
 * as is (not JSON-encoded). body must outlive the response (a constant).
 */
int response_raw(struct response *res, const char *body, size_t len, const char *type);

/* Set the Location header from a printf format. */
void response_set_location(struct response *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
