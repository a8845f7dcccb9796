/*
 * exchange: what http.c does with a parsed request, minus libmicrohttpd
 * (see exchange.h). Suspending, resuming and rendering stay in http.c.
 */
#include "exchange.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "db.h"
#include "defer.h"
#include "jsonx.h"
#include "lang.h"
#include "resource.h"
#include "unicode.h"
#include "util.h"

/* Copy of n bytes; an escaped NUL ("%00") becomes 0x01 so check_query_text refuses it. */
static char *
query_text(const char *s, size_t n)
{
    char *t = xmalloc(n + 1);

    for (size_t i = 0; i < n; i++)
        t[i] = s[i] ? s[i] : '\x01';
    t[n] = '\0';
    return t;
}

int
exchange_add_query(struct request *req, const char *key, size_t key_size, const char *value,
                   size_t value_size)
{
    if (req->nquery == REQUEST_MAX_QUERY) {
        req->query_overflow = 1;
        return -1;
    }
    req->query[req->nquery].key = query_text(key, key_size);
    req->query[req->nquery].value = query_text(value ? value : "", value ? value_size : 0);
    req->nquery++;
    return 0;
}

/* Request headers handlers see: list headers (list = 1) repeated are joined with ", ". */
static const struct {
    const char *name;
    size_t offset;
    int list;
} copied_headers[] = {
    { "If-Match", offsetof(struct request, if_match), 1 },
    { "If-None-Match", offsetof(struct request, if_none_match), 1 },
    { "Idempotency-Key", offsetof(struct request, idempotency_key), 0 },
};

/*
 * Append an Accept-Language line, ", " between lines, keeping at most
 * LANG_ACCEPT_MAX + 1 bytes: lang_from_accept looks at LANG_ACCEPT_MAX
 * and ignores a member the cut runs through. Never refused: English is
 * always a fine answer.
 */
static void
accept_language_add(struct request *req, const char *value, size_t value_size)
{
    char *a = req->accept_language;
    size_t have = strlen(a), room = sizeof req->accept_language - 1;

    if (!value || (have && have + 2 > room))
        return; /* past the bound already */
    if (have) {
        memcpy(a + have, ", ", 2);
        have += 2;
    }
    if (value_size > room - have)
        value_size = room - have;
    memcpy(a + have, value, value_size);
    a[have + value_size] = '\0';
}

const char *
exchange_add_header(struct request *req, const char *key, const char *value, size_t value_size)
{
    if (strcasecmp(key, "Accept-Language") == 0) {
        accept_language_add(req, value, value_size);
        return NULL;
    }
    if (strcasecmp(key, "Accept-Encoding") == 0) {
        compress_accept_add(&req->accept_encoding, value ? value : "", value ? value_size : 0);
        return NULL;
    }
    if (strcasecmp(key, "Accept") == 0 && value) {
        size_t have = strlen(req->accept);
        snprintf(req->accept + have, sizeof req->accept - have, "%s%.*s", have ? ", " : "",
                 (int)value_size, value);
        return NULL;
    }
    for (size_t i = 0; i < sizeof copied_headers / sizeof copied_headers[0]; i++) {
        char **slot = (char **)((char *)req + copied_headers[i].offset);
        size_t have;
        if (strcasecmp(key, copied_headers[i].name) != 0)
            continue;
        have = *slot ? strlen(*slot) : 0;
        if ((*slot && !copied_headers[i].list) ||
            (*slot ? have + 2 : 0) + value_size > REQUEST_HEADER_MAX)
            return copied_headers[i].name;
        if (!*slot) {
            *slot = xstrndup(value ? value : "", value ? value_size : 0);
        } else {
            char *joined = xmalloc(have + 2 + value_size + 1);
            memcpy(joined, *slot, have);
            memcpy(joined + have, ", ", 2);
            memcpy(joined + have + 2, value, value_size);
            joined[have + 2 + value_size] = '\0';
            free(*slot);
            *slot = joined;
        }
    }
    return NULL;
}

int
exchange_route_problem(enum router_result rr, const struct request *req, struct problem *p)
{
    if (rr == ROUTER_NO_METHOD)
        problem_set(p, PROBLEM_METHOD_NOT_ALLOWED, "%s is not allowed here; allowed: %s",
                    req->method, req->match.allow);
    else
        problem_set(p, PROBLEM_NO_ROUTE,
                    "no endpoint at this path; see /v1 routes in the API documentation");
    return -1;
}

/* Query values in NFC, as stored texts are; an invalid one is left for check_query_text. */
static void
nfc_query(struct request *req)
{
    for (size_t i = 0; i < req->nquery; i++) {
        char *nfc;
        if (unicode_quick_nfc(req->query[i].value) || !(nfc = unicode_nfc(req->query[i].value)))
            continue;
        free(req->query[i].value);
        req->query[i].value = nfc;
    }
}

/* Query keys and values must be valid UTF-8 without control characters (limits after NFC). */
static int
check_query_text(const struct request *req, struct problem *p)
{
    for (size_t i = 0; i < req->nquery; i++) {
        const char *kv[2] = { req->query[i].key, req->query[i].value };
        for (int k = 0; k < 2; k++) {
            json_t *s = json_string(kv[k]); /* NULL for invalid UTF-8 */
            int bad = !s || jsonx_text_error(kv[k][0] ? kv[k] : "x", 4096, 0) != NULL;
            json_decref(s);
            if (bad) {
                problem_set(p, PROBLEM_BAD_REQUEST,
                            "query parameter %zu is not valid UTF-8 text, is longer than 4096 bytes "
                            "or contains control characters",
                            i + 1);
                return -1;
            }
        }
    }
    return 0;
}

int
exchange_prepare(struct request *req, struct response *res, const char *bad_header,
                 const char *authorization)
{
    req->lang = lang_from_accept(req->accept_language);
    res->problem.lang = req->lang; /* for the details written in it (problem_set_localized) */
    nfc_query(req);
    if (check_query_text(req, &res->problem) != 0)
        return -1;
    if (bad_header) {
        problem_set(&res->problem, PROBLEM_BAD_REQUEST, "header %s is longer than %d bytes%s",
                    bad_header, REQUEST_HEADER_MAX,
                    strcmp(bad_header, "Idempotency-Key") ? "" : " or given more than once");
        return -1;
    }
    req->db = db_thread(req->config);
    if (!req->db) {
        problem_set(&res->problem, PROBLEM_UNAVAILABLE, "the database cannot be opened");
        return -1;
    }
    return auth_request(req, res, authorization);
}

int
exchange_run(struct request *req, struct response *res, char *body, size_t len)
{
    int rc;

    req->body = body;
    req->body_len = len;
    if (auth_body(req, &res->problem) != 0)
        return -1;
    /* req->db: exchange_prepare set it; a connection stays with its thread, also after a park */
    req->defer = REQUEST_NOW;
    req->stopping = req->stopping || defer_stopping(); /* set stays set (tests/fuzz sets it) */
    res->status = 200;
    rc = req->match.route->handler(req, res);
    req->runs++;
    db_rollback(req->db); /* no-op after a commit; undoes a half-done write after -1 */
    if (rc != 0)
        resource_merged_hint(req, &res->problem); /* one place for every route's 404 */
    return rc;
}

json_t *
exchange_problem_json(struct response *res)
{
    if (res->problem.code == PROBLEM_NONE)
        problem_internal(&res->problem, "handler failed without a problem");
    return problem_to_json(&res->problem);
}

void
exchange_release(struct request *req, struct response *res)
{
    for (size_t i = 0; i < req->nquery; i++) {
        free(req->query[i].key);
        free(req->query[i].value);
    }
    free(req->content_type);
    free(req->if_match);
    free(req->if_none_match);
    free(req->idempotency_key);
    json_decref(req->json);
    free(res->raw_owned);
    json_decref(res->body);
    free(res->location);
    if (res->stream_ctx && res->stream_free)
        res->stream_free(res->stream_ctx);
    res->stream_ctx = NULL;
    problem_release(&res->problem);
}
