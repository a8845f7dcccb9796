/*
 * http: libmicrohttpd glue. The access handler runs up to three times per
 * request: first call sets up the context, upload calls append the body,
 * the final call dispatches and queues the response. Queueing on the
 * final call (never the first) keeps the connection alive. A handler that
 * answers later (request_park, request_job) leaves its connection
 * suspended with defer.c, which resumes it; the access handler then runs
 * again and runs the handler again (parked) or sends the job's answer.
 */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "accesslog.h"
#include "audit.h"
#include "auth.h"
#include "compress.h"
#include "config.h"
#include "cors.h"
#include "db.h"
#include "defer.h"
#include "exchange.h"
#include "http_deadline.h"
#include "http_framing.h"
#include "http_room.h"
#include "ratelimit.h"
#include "log.h"
#include "request.h"
#include "routes.h"
#include "telemetry.h"
#include "util.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define PROBLEM_TYPE "application/problem+json; charset=utf-8"
#define HTTP_STOP_GRACE_MS 2000 /* longest wait for deferred requests to answer at the stop */
#define HTTP_PEM_MAX (1 << 20)  /* largest --tls-cert / --tls-key file */

struct http_server {
    struct MHD_Daemon *daemon;
    const struct config *cfg;
    struct http_deadline *deadline; /* --header-timeout's watchdog, NULL when off */
    const struct route *routes;
    size_t nroutes;
    char *tls_cert; /* PEM text of --tls-cert and --tls-key, NULL without TLS */
    char *tls_key;
};

struct http_ctx {
    struct request req;
    struct response res;
    struct buf body;
    int too_large;
    const char *bad_header; /* a copied header that is too long or repeated */
    int calls;
    enum router_result rr;        /* matched on the first call */
    const struct route_sink *sink; /* the route streams its body */
    size_t received;              /* body bytes so far */
    int prepared;                 /* query, headers and db are set */
    int sink_failed;              /* the sink refused: drop the rest, answer its problem */
    struct defer_item defer;      /* while parked or queued: the connection is suspended */
    int deferred;                 /* was deferred once: counted in deferred_alive */
    int job_done;                 /* the job ran: the next call sends its answer */
    char *origin;                 /* Origin header when in --cors-origins, else NULL */
    double started;               /* ratelimit_now() when the headers were in (--request-timeout) */
    int no_host;                  /* HTTP/1.1 without Host: 400 (RFC 9112 section 3.2) */
    int no_room;                  /* the answer would not fit (http_room.h): 431 or 414 */
    struct timespec begun;        /* CLOCK_MONOTONIC at the first call (access log, metrics) */
    int sent_status;              /* status queued, 0 = none yet */
    size_t sent_bytes;            /* body bytes queued */
    size_t target_len;            /* the raw request target up to a NUL (uri_logged) */
    int began;                    /* the access handler ran: telemetry and access log */
    int close;                    /* the request's framing is broken: close after answering */
};

/* Requests that were deferred and have not ended yet (the stop waits for them to answer). */
static atomic_int deferred_alive;
/* http_stop began: answers close their connection (no new request on a kept-alive one). */
static atomic_int http_stopping;

static int
valid_request_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > REQUEST_ID_MAX)
        return 0;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':'))
            return 0;
    }
    return 1;
}

/*
 * libmicrohttpd's URI log callback, before it splits and decodes the target: the request's
 * context starts here, remembering how long the target is up to a NUL (http_framing_check).
 */
static void *
uri_logged(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct http_ctx *c = xcalloc(1, sizeof *c);
    (void)cls;
    (void)conn;

    c->target_len = strlen(uri);
    return c;
}

/* The access handler's first call: the request's headers are in. */
static void
ctx_begin(struct http_ctx *c, struct MHD_Connection *conn, const char *method, const char *url)
{
    const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);

    if (rid && valid_request_id(rid))
        snprintf(c->req.id, sizeof c->req.id, "%s", rid);
    else
        util_request_uuid(c->req.id);
    c->req.method = method;
    c->req.path = url;
    c->req.content_type = ct ? xstrdup(ct) : NULL;
    c->res.problem.request_id = c->req.id;
    c->started = ratelimit_now();
    clock_gettime(CLOCK_MONOTONIC, &c->begun);
    telemetry_begin();
    c->began = 1;
}

/* Remember the request's Origin when CORS allows it (add_common_headers answers it). */
static void
ctx_origin(struct http_ctx *c, struct MHD_Connection *conn, const struct config *cfg)
{
    const char *o = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");

    if (cors_allowed(cfg->cors_origins, o))
        c->origin = xstrdup(o);
}

static void
ctx_free(struct http_ctx *c)
{
    /* never listed in defer.c here: http_stop resumed them all before MHD_stop_daemon */
    if (c->deferred)
        atomic_fetch_sub(&deferred_alive, 1);
    if (c->sink)
        c->sink->close(&c->req);
    exchange_release(&c->req, &c->res);
    free(c->origin);
    buf_release(&c->body);
    free(c);
}

/* The request ended (answer sent, or the connection gone): access log line and metrics. */
static void
finish(struct MHD_Connection *conn, struct http_ctx *c, enum MHD_RequestTerminationCode toe)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct route *route = c->rr == ROUTER_MATCH ? c->req.match.route : NULL;
    int status = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? c->sent_status : 0;
    char remote[INET6_ADDRSTRLEN] = "";
    struct timespec now;
    long long us;

    clock_gettime(CLOCK_MONOTONIC, &now);
    us = (now.tv_sec - c->begun.tv_sec) * 1000000LL + (now.tv_nsec - c->begun.tv_nsec) / 1000;
    telemetry_end(route, status, us);
    if (!accesslog_enabled())
        return;
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, remote,
                  sizeof remote);
    else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, remote,
                  sizeof remote);
    accesslog_write(&(struct accesslog_entry){ c->req.id, route ? route->method : c->req.method,
                                               route ? route->pattern : "-", status, us,
                                               c->sent_bytes, c->req.key_id, remote });
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;

    http_deadline_request_done(s->deadline, conn);
    if (*con_cls) {
        struct http_ctx *c = *con_cls;
        if (c->began) /* else libmicrohttpd answered the request itself */
            finish(conn, c, toe);
        ctx_free(c);
    }
    *con_cls = NULL;
    db_idle(db_current()); /* housekeeping a request asked for (an erasure's), after its answer */
}

/* Queue r (status, body of len bytes) and remember both for finish(). */
static enum MHD_Result
queue(struct MHD_Connection *conn, struct http_ctx *c, int status, struct MHD_Response *r,
      size_t len)
{
    enum MHD_Result ret;

    if (atomic_load(&http_stopping) || c->close)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    if (ret == MHD_YES) {
        c->sent_status = status;
        c->sent_bytes = len;
        /* recorded before the client can see the answer, so a GET /v1/audit it sends next
         * finds it; queued here, written by audit.c's thread */
        if (c->rr == ROUTER_MATCH)
            audit_request(&c->req, &c->res, status);
    }
    return ret;
}

static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
              const char *value, size_t value_size)
{
    (void)kind;
    return exchange_add_query(cls, key, key_size, value, value_size) == 0 ? MHD_YES : MHD_NO;
}

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
               const char *value, size_t value_size)
{
    struct http_ctx *c = cls;
    (void)kind;
    (void)key_size;

    c->bad_header = exchange_add_header(&c->req, key, value, value_size);
    return c->bad_header ? MHD_NO : MHD_YES;
}

static void
add_common_headers(struct MHD_Response *r, const struct http_ctx *c)
{
    const struct response *res = &c->res;
    int cors = c->req.config && c->req.config->cors_origins && c->req.config->cors_origins[0];
    /* staff sentences in the request's language: the problem's detail, else the body's */
    int localized = res->problem.code != PROBLEM_NONE ? res->problem.localized : res->localized;

    MHD_add_response_header(r, "X-Request-Id", c->req.id);
    for (const struct response_header *h = c->res.headers; h && h->name; h++)
        MHD_add_response_header(r, h->name, h->value);
    MHD_add_response_header(r, "Cache-Control",
                            res->cache_control ? res->cache_control : "no-store");
    if (cors || localized || res->vary_encoding) { /* by Origin, Accept-Language, -Encoding */
        char vary[64];
        snprintf(vary, sizeof vary, "%s%s%s%s%s", cors ? "Origin" : "",
                 cors && localized ? ", " : "", localized ? "Accept-Language" : "",
                 (cors || localized) && res->vary_encoding ? ", " : "",
                 res->vary_encoding ? "Accept-Encoding" : "");
        MHD_add_response_header(r, "Vary", vary);
    }
    if (localized)
        MHD_add_response_header(r, "Content-Language", lang_code(c->req.lang));
    if (c->origin) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", c->origin);
        MHD_add_response_header(r, "Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
    }
}

/*
 * gzip of a body of len bytes made for this answer when its type compresses, it has at least
 * COMPRESS_MIN bytes (then the answer varies by Accept-Encoding) and the client accepts gzip:
 * the gzip bytes (malloc'd, *len updated), or NULL to send text as it is.
 */
static char *
gzip_body(struct http_ctx *c, const char *text, size_t *len, const char *type)
{
    size_t gz_len;
    char *gz;

    if (*len < COMPRESS_MIN || !compress_type(type))
        return NULL;
    c->res.vary_encoding = 1;
    if (!compress_accept_gzip(&c->req.accept_encoding))
        return NULL;
    gz = compress_gzip(text, *len, COMPRESS_LEVEL, &gz_len);
    if (gz)
        *len = gz_len;
    return gz;
}

/* A static body (res.raw: the API documents) with its own content type and ETag. */
static enum MHD_Result
queue_raw(struct MHD_Connection *conn, struct http_ctx *c)
{
    struct MHD_Response *r;
    const char *encoding = c->res.raw_encoding;

    if (c->res.raw_owned) { /* the response frees it */
        size_t len = c->res.raw_len;
        char *gz = gzip_body(c, c->res.raw_owned, &len, c->res.raw_type);

        if (gz) {
            free(c->res.raw_owned);
            c->res.raw_owned = gz;
            c->res.raw_len = len;
            encoding = "gzip";
        }
        r = MHD_create_response_from_buffer_with_free_callback(c->res.raw_len, c->res.raw_owned,
                                                               free);
        c->res.raw_owned = NULL;
    } else {
        r = MHD_create_response_from_buffer(c->res.raw_len, (void *)c->res.raw,
                                            MHD_RESPMEM_PERSISTENT);
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, c->res.raw_type);
    if (encoding)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, encoding);
    add_common_headers(r, c);
    if (c->res.etag[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, c->res.etag);
    return queue(conn, c, c->res.status, r, c->res.raw_len);
}

/* The reader of a streamed answer: the plain stream's, or gzip around it (stream_gzip). */
struct stream_out {
    struct response res; /* stream_read, stream_free, stream_ctx */
    struct compress_stream *gz;
};

static ssize_t
stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream_out *out = cls;
    long n;

    (void)pos;
    n = out->gz ? compress_stream_read(out->gz, buf, max)
                : out->res.stream_read(out->res.stream_ctx, buf, max);
    if (n < 0)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

static void
stream_done(void *cls)
{
    struct stream_out *out = cls;

    compress_stream_free(out->gz);
    out->res.stream_free(out->res.stream_ctx);
    free(out);
}

/*
 * A streamed body (res.stream_read): chunked, read as libmicrohttpd sends it; in gzip when
 * its type compresses and the client accepts gzip (its length is unknown: no minimum).
 */
static enum MHD_Result
queue_stream(struct MHD_Connection *conn, struct http_ctx *c)
{
    /* the callbacks may run after the request is freed: they get their own copy */
    struct stream_out *own = xcalloc(1, sizeof *own);
    struct MHD_Response *r;

    own->res.stream_read = c->res.stream_read;
    own->res.stream_free = c->res.stream_free;
    own->res.stream_ctx = c->res.stream_ctx;
    c->res.stream_ctx = NULL;
    c->res.vary_encoding = compress_type(c->res.stream_type);
    if (c->res.vary_encoding && compress_accept_gzip(&c->req.accept_encoding))
        own->gz = compress_stream_new(own->res.stream_read, own->res.stream_ctx, COMPRESS_LEVEL);
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, stream_reader, own,
                                          stream_done);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, c->res.stream_type);
    if (own->gz)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    add_common_headers(r, c);
    if (c->res.disposition[0])
        MHD_add_response_header(r, "Content-Disposition", c->res.disposition);
    return queue(conn, c, 200, r, 0);
}

static enum MHD_Result
queue_json(struct MHD_Connection *conn, struct http_ctx *c, int status, json_t *body,
           const char *type, const char *allow)
{
    struct MHD_Response *r;
    size_t len = 0;

    if (body) {
        /* 15 digits: 0.9 comes out as 0.9, not 0.90000000000000002 */
        char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15)), *gz;
        len = strlen(text);
        gz = gzip_body(c, text, &len, type);
        if (gz) {
            free(text);
            text = gz;
        }
        r = MHD_create_response_from_buffer_with_free_callback(len, text, free);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
        if (gz)
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    } else {
        /* a 304 stands for a 200 that may have been compressed (RFC 9110 section 15.4.5) */
        c->res.vary_encoding = c->res.vary_encoding || status == 304;
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    add_common_headers(r, c);
    if (c->res.location && (status < 300 || (status < 400 && status != 304))) /* 201, 3xx */
        MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, c->res.location);
    if (c->res.etag[0] && (status < 300 || status == 304))
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, c->res.etag);
    if (c->res.replayed && status < 300)
        MHD_add_response_header(r, "Idempotent-Replayed", "true");
    if (c->res.disposition[0] && status < 300)
        MHD_add_response_header(r, "Content-Disposition", c->res.disposition);
    if (c->res.retry_after > 0 && status >= 400) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", c->res.retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    if (status == 401 && c->res.www_authenticate)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, c->res.www_authenticate);
    return queue(conn, c, status, r, len);
}

static enum MHD_Result
queue_problem(struct MHD_Connection *conn, struct http_ctx *c, const char *allow)
{
    json_t *body = exchange_problem_json(&c->res);
    enum MHD_Result ret;

    if (c->res.problem.retry_after > c->res.retry_after)
        c->res.retry_after = c->res.problem.retry_after; /* a busy database */
    ret = queue_json(conn, c, problem_status(c->res.problem.code), body, PROBLEM_TYPE, allow);
    json_decref(body);
    return ret;
}

/*
 * OPTIONS on a known path, without a key (browsers send preflights without
 * credentials): 204 with Allow; for an allowed Origin also the CORS
 * preflight answer. Other origins get no CORS headers, so the browser
 * refuses the cross-origin request.
 */
static enum MHD_Result
queue_options(struct MHD_Connection *conn, struct http_ctx *c)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);

    add_common_headers(r, c);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, c->req.match.allow);
    if (c->origin) {
        MHD_add_response_header(r, "Access-Control-Allow-Methods", c->req.match.allow);
        MHD_add_response_header(r, "Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
        MHD_add_response_header(r, "Access-Control-Max-Age", CORS_MAX_AGE);
    }
    return queue(conn, c, 204, r, 0);
}

/* The body limit of the request's route: streaming routes have their own. */
static size_t
body_limit(const struct http_server *s, const struct http_ctx *c)
{
    return c->sink ? s->cfg->max_import : s->cfg->max_body;
}

/* The key's token bucket (--rate-limit): 0, or -1 with a 429 problem and Retry-After. */
static int
rate_check(const struct http_server *s, struct http_ctx *c)
{
    int wait = ratelimit_rate_take(c->req.key_id, ratelimit_now());

    if (!wait)
        return 0;
    c->res.retry_after = wait;
    problem_set(&c->res.problem, PROBLEM_RATE_LIMITED,
                "this API key sent more than %g requests per second (burst %d); retry in %d s",
                s->cfg->rate_per_sec, s->cfg->rate_burst, wait);
    return -1;
}

/* Query, copied headers and the thread's connection for the handler; 0 or -1 (problem set). */
static int
prepare(struct http_server *s, struct MHD_Connection *conn, struct http_ctx *c)
{
    struct request *req = &c->req;
    struct response *res = &c->res;

    c->prepared = 1;
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_query, req);
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect_header, c);
    if (exchange_prepare(req, res, c->bad_header,
                         MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_AUTHORIZATION)) != 0)
        return -1;
    return rate_check(s, c);
}

/* The answer of a handler (or job) that returned rc. */
static enum MHD_Result
answer(struct MHD_Connection *conn, struct http_ctx *c, int rc)
{
    struct response *res = &c->res;

    if (rc != 0 || res->problem.code != PROBLEM_NONE)
        return queue_problem(conn, c, NULL);
    if (res->raw && res->status == 200)
        return queue_raw(conn, c);
    if (res->stream_ctx && res->status == 200)
        return queue_stream(conn, c);
    /* 204 and 304 have no body; 304 still carries ETag and X-Request-Id */
    return queue_json(conn, c, res->status,
                      res->status == 204 || res->status == 304 ? NULL : res->body, JSON_TYPE, NULL);
}

static void
suspend_conn(void *conn)
{
    MHD_suspend_connection(conn);
}

static void
resume_conn(void *conn)
{
    MHD_resume_connection(conn);
}

/* The handler asked to answer later: hand the suspended connection to defer.c. */
static enum MHD_Result
defer_request(struct MHD_Connection *conn, struct http_ctx *c)
{
    struct request *req = &c->req;

    c->defer.conn = conn;
    c->defer.req = req;
    c->defer.res = &c->res;
    if ((req->defer == REQUEST_PARK ? defer_park(&c->defer) : defer_submit(&c->defer)) != 0)
        return queue_problem(conn, c, NULL);
    /* Suspended now; only this thread can process the resume, after this call returns. */
    if (!c->deferred) {
        c->deferred = 1;
        atomic_fetch_add(&deferred_alive, 1);
    }
    c->job_done = req->defer == REQUEST_JOB; /* true once resumed */
    return MHD_YES;
}

/* Run the route's handler (again, after a park), then answer or defer. */
static enum MHD_Result
run_handler(struct MHD_Connection *conn, struct http_ctx *c)
{
    struct request *req = &c->req;
    struct response *res = &c->res;
    int rc;

    c->defer.epoch = defer_epoch(); /* before the handler reads: a later commit wakes it */
    rc = exchange_run(req, res, c->body.data, c->body.len);
    if (rc == 0 && res->problem.code == PROBLEM_NONE && req->defer != REQUEST_NOW)
        return defer_request(conn, c);
    return answer(conn, c, rc);
}

static enum MHD_Result
dispatch(struct http_server *s, struct MHD_Connection *conn, struct http_ctx *c)
{
    struct request *req = &c->req;
    struct response *res = &c->res;

    if (c->too_large) {
        problem_set(&res->problem, PROBLEM_TOO_LARGE, "the request body exceeds the limit of %zu bytes%s",
                    body_limit(s, c), c->sink ? " (--max-import)" : "");
        return queue_problem(conn, c, NULL);
    }
    if (c->no_room)
        return queue_problem(conn, c, NULL);
    if (c->no_host) {
        problem_set(&res->problem, PROBLEM_BAD_REQUEST, "an HTTP/1.1 request needs a Host header");
        return queue_problem(conn, c, NULL);
    }
    if (c->rr == ROUTER_NO_METHOD && !strcmp(req->method, "OPTIONS"))
        return queue_options(conn, c);
    if (c->rr != ROUTER_MATCH) {
        exchange_route_problem(c->rr, req, &res->problem);
        return queue_problem(conn, c, c->rr == ROUTER_NO_METHOD ? req->match.allow : NULL);
    }
    if (c->job_done)
        return answer(conn, c, c->defer.rc);
    if (c->sink_failed || (!c->prepared && prepare(s, conn, c) != 0))
        return queue_problem(conn, c, NULL);
    return run_handler(conn, c);
}

/* First call: match the route; a streaming route's sink opens before the body arrives. */
static enum MHD_Result
begin(struct http_server *s, struct MHD_Connection *conn, struct http_ctx *c, const char *version)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

    struct http_room_use use;

    c->req.config = s->cfg;
    ctx_origin(c, conn, s->cfg);
    c->rr = router_match(s->routes, s->nroutes, c->req.method, c->req.path, &c->req.match);
    http_room_measure(conn, &use);
    if (http_room_check(&use, s->cfg->max_header_bytes, &c->res.problem) != 0) {
        /* Refuse before any handler: its answer might not fit (a write without an answer). */
        c->no_room = 1;
        return dispatch(s, conn, c);
    }
    for (size_t i = 0; c->rr == ROUTER_MATCH && routes_sinks[i]; i++)
        if (routes_sinks[i]->handler == c->req.match.route->handler)
            c->sink = routes_sinks[i];
    if (http_framing_check(conn, c->req.method, c->req.path, version, c->target_len,
                           &c->res.problem) != 0) {
        c->close = 1; /* answered before the body, which is not read */
        return queue_problem(conn, c, NULL);
    }
    if (cl && strtoull(cl, NULL, 10) > body_limit(s, c)) {
        /* Refuse before reading the body; the connection closes. */
        c->too_large = 1;
        return dispatch(s, conn, c);
    }
    if (c->sink && (prepare(s, conn, c) != 0 || c->sink->open(&c->req, &c->res) != 0))
        c->sink_failed = 1;
    return MHD_YES;
}

/* An upload call: buffer the chunk, or hand it to the route's sink. */
static void
take_body(struct http_server *s, struct http_ctx *c, const char *data, size_t n)
{
    if (c->too_large || c->received + n > body_limit(s, c)) {
        c->too_large = 1;
        return;
    }
    c->received += n;
    if (!c->sink)
        buf_append(&c->body, data, n);
    else if (!c->sink_failed && c->sink->feed(&c->req, &c->res, data, n) != 0)
        c->sink_failed = 1;
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
               const char *version, const char *upload_data, size_t *upload_data_size,
               void **con_cls)
{
    struct http_server *s = cls;
    struct http_ctx *c = *con_cls;
    if (!c->began) { /* c is uri_logged's */
        http_deadline_headers_in(s->deadline, conn);
        ctx_begin(c, conn, method, url);
        c->no_host = !strcmp(version, MHD_HTTP_VERSION_1_1) &&
                     !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        return begin(s, conn, c, version);
    }
    c->calls++;
    if (*upload_data_size && s->cfg->request_timeout > 0 &&
        ratelimit_now() - c->started > s->cfg->request_timeout) {
        /* a body dripping in: no answer, the connection just closes */
        log_warn("request %s: body not complete after --request-timeout %d s, closing", c->req.id,
                 s->cfg->request_timeout);
        return MHD_NO;
    }
    if (*upload_data_size) {
        take_body(s, c, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(s, conn, c);
}

/*
 * Percent-decoding of the path and the query (libmicrohttpd's, which makes
 * "%00" a NUL that cuts the path short: "/desk/a.js%00.txt" would route as
 * "/desk/a.js"). An escaped NUL becomes 0x01 instead, a control character
 * the router matches nowhere and the query check refuses.
 */
static size_t
unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    for (char *p = strstr(s, "%00"); p; p = strstr(p + 3, "%00"))
        p[2] = '1';
    return MHD_http_unescape(s);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_warn("http: %s", msg);
}

/* The whole of a PEM file as a string, or NULL after logging why. */
static char *
read_pem(const char *path, const char *flag)
{
    FILE *f = fopen(path, "r");
    struct buf b = { 0 };
    char chunk[4096];
    size_t got;

    if (!f) {
        log_error("%s %s cannot be read", flag, path);
        return NULL;
    }
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= HTTP_PEM_MAX)
        buf_append(&b, chunk, got);
    fclose(f);
    if (b.len == 0 || b.len > HTTP_PEM_MAX || !strstr(b.data, "-----BEGIN ")) {
        log_error("%s %s is not a PEM file (or larger than 1 MiB)", flag, path);
        buf_release(&b);
        return NULL;
    }
    return b.data; /* NUL-terminated by buf_append */
}

/* TLS options for MHD (--tls-cert, --tls-key) into opts (3 entries); 0, or -1 after logging. */
static int
tls_options(struct http_server *s, struct MHD_OptionItem opts[3], unsigned *flags)
{
    opts[0] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
    if (!s->cfg->tls_cert)
        return 0;
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        log_error("--tls-cert: this libmicrohttpd is built without TLS support");
        return -1;
    }
    s->tls_cert = read_pem(s->cfg->tls_cert, "--tls-cert");
    s->tls_key = s->tls_cert ? read_pem(s->cfg->tls_key, "--tls-key") : NULL;
    if (!s->tls_key)
        return -1;
    opts[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert };
    opts[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key };
    opts[2] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
    *flags |= MHD_USE_TLS;
    return 0;
}

static void
server_free(struct http_server *s)
{
    http_deadline_stop(s->deadline);
    if (s->tls_key)
        memset(s->tls_key, 0, strlen(s->tls_key));
    free(s->tls_cert);
    free(s->tls_key);
    free(s);
}

struct http_server *
http_start(const struct config *cfg, const struct route *table, size_t n)
{
    struct http_server *s = xcalloc(1, sizeof *s);
    struct sockaddr_in6 a6 = { 0 };
    struct sockaddr_in a4 = { 0 };
    struct sockaddr *addr;
    /* poll(), not epoll: with an epoll thread pool, libmicrohttpd 0.9.75's MHD_quiesce_daemon
     * races the workers' own epoll bookkeeping and now and then aborts the process ("Failed to
     * remove listen FD from epoll set", seen in CI); with poll a worker is woken through its ITC
     * and leaves the listening socket out of its next poll. */
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ITC; /* MHD_quiesce_daemon at the stop */
    struct MHD_OptionItem tls[3];
    struct MHD_OptionItem deadline[2] = { { MHD_OPTION_END, 0, NULL }, { MHD_OPTION_END, 0, NULL } };

    s->cfg = cfg;
    s->routes = table;
    s->nroutes = n;
    if (inet_pton(AF_INET, cfg->listen, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)cfg->port);
        addr = (struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, cfg->listen, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)cfg->port);
        addr = (struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        log_error("--listen '%s' is not an IPv4 or IPv6 address", cfg->listen);
        free(s);
        return NULL;
    }
    if (tls_options(s, tls, &flags) != 0) {
        server_free(s);
        return NULL;
    }
    ratelimit_rate_init(cfg->rate_per_sec, cfg->rate_burst);
    if (defer_start(cfg, suspend_conn, resume_conn) != 0) {
        server_free(s);
        return NULL;
    }
    s->deadline = http_deadline_start(cfg->header_timeout, cfg->connection_timeout);
    if (s->deadline)
        deadline[0] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION,
                                               (intptr_t)http_deadline_notify, s->deadline };
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, access_handler, s, MHD_OPTION_EXTERNAL_LOGGER,
        mhd_log, NULL, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_URI_LOG_CALLBACK,
        uri_logged, NULL, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_NOTIFY_COMPLETED, completed,
        s, MHD_OPTION_ARRAY, deadline, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_connections_per_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, http_room_pool(cfg->max_header_bytes), MHD_OPTION_ARRAY, tls,
        MHD_OPTION_END);
    if (!s->daemon) {
        log_error("cannot listen on %s port %d (in use, or not allowed%s)", cfg->listen, cfg->port,
                  s->tls_cert ? ", or --tls-cert and --tls-key do not match" : "");
        defer_stop();
        server_free(s);
        return NULL;
    }
    return s;
}

const char *
http_library_version(void)
{
    return MHD_get_version();
}

int
http_port(const struct http_server *s)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : -1;
}

/* Requests under way other than parked long-polls (those answer at defer_stop). */
static long long
busy_requests(void)
{
    long long parked, jobs;

    defer_counts(&parked, &jobs);
    return telemetry_in_flight() - parked;
}

void
http_stop(struct http_server *s)
{
    struct timespec pause = { 0, 10 * 1000 * 1000 };
    MHD_socket listener;

    if (!s)
        return;
    /* Stop accepting; requests under way (imports too) get --shutdown-timeout to finish. */
    listener = MHD_quiesce_daemon(s->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    atomic_store(&http_stopping, 1);
    for (long long ms = 0; busy_requests() > 0 && ms < s->cfg->shutdown_timeout * 1000LL; ms += 10)
        nanosleep(&pause, NULL);
    if (busy_requests() > 0)
        log_warn("--shutdown-timeout %d s passed with %lld requests under way; they are cut off",
                 s->cfg->shutdown_timeout, busy_requests());
    /* No connection may stay suspended into MHD_stop_daemon: defer resumes them all. */
    defer_stop();
    for (int ms = 0; (atomic_load(&deferred_alive) > 0 || telemetry_in_flight() > 0) &&
                     ms < HTTP_STOP_GRACE_MS;
         ms += 10)
        nanosleep(&pause, NULL); /* answers queued are sent before the daemon stops */
    MHD_stop_daemon(s->daemon);
    server_free(s);
}
