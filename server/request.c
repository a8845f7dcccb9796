/*
 * request: query-parameter readers, body parsing and response setters
 * shared by every handler.
 */
#include "request.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "defer.h"
#include "jsonx.h"
#include "util.h"

const char *
request_param(const struct request *req, size_t i)
{
    return i < req->match.ncaptures ? req->match.captures[i] : "";
}

const char *
request_query(const struct request *req, const char *key)
{
    for (size_t i = 0; i < req->nquery; i++)
        if (strcmp(req->query[i].key, key) == 0)
            return req->query[i].value;
    return NULL;
}

int
request_check_query(const struct request *req, const char *const *allowed, struct problem *p)
{
    if (req->query_overflow) {
        problem_set(p, PROBLEM_BAD_REQUEST, "too many query parameters (at most %d)",
                    REQUEST_MAX_QUERY);
        return -1;
    }
    for (size_t i = 0; i < req->nquery; i++) {
        const char *const *a;
        for (a = allowed; *a; a++)
            if (strcmp(*a, req->query[i].key) == 0)
                break;
        if (!*a) {
            problem_set(p, PROBLEM_BAD_REQUEST, "unknown query parameter '%.64s'",
                        req->query[i].key);
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(req->query[j].key, req->query[i].key) == 0) {
                problem_set(p, PROBLEM_BAD_REQUEST, "query parameter '%.64s' given twice",
                            req->query[i].key);
                return -1;
            }
        }
    }
    return 0;
}

int
request_query_int(const struct request *req, const char *key, long def, long min, long max,
                  long *out, struct problem *p)
{
    const char *v = request_query(req, key);
    char *end;
    long n;

    if (!v) {
        *out = def;
        return 0;
    }
    errno = 0;
    n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max || (*v == '+' || *v == ' ')) {
        problem_set(p, PROBLEM_BAD_REQUEST, "query parameter '%s' must be an integer from %ld to %ld",
                    key, min, max);
        return -1;
    }
    *out = n;
    return 0;
}

int
request_query_bool(const struct request *req, const char *key, int def, int *out,
                   struct problem *p)
{
    const char *v = request_query(req, key);

    if (!v)
        *out = def;
    else if (strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "false") == 0)
        *out = 0;
    else {
        problem_set(p, PROBLEM_BAD_REQUEST, "query parameter '%s' must be true or false", key);
        return -1;
    }
    return 0;
}

/* Media type without parameters equals want (case-insensitive)? */
static int
media_type_is(const char *ct, const char *want)
{
    size_t n = strlen(want);
    if (!ct || strncasecmp(ct, want, n) != 0)
        return 0;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

json_t *
request_json_object(struct request *req, int merge_patch, struct problem *p)
{
    if (req->json)
        return req->json;
    if (!media_type_is(req->content_type, "application/json") &&
        !(merge_patch && media_type_is(req->content_type, "application/merge-patch+json"))) {
        problem_set(p, PROBLEM_UNSUPPORTED_MEDIA, "the body must be sent as %s",
                    merge_patch ? "application/merge-patch+json or application/json"
                                : "application/json");
        return NULL;
    }
    req->json = jsonx_parse_object(req->body, req->body_len, p);
    return req->json;
}

int
request_park(struct request *req, const struct timespec *wake_at)
{
    req->defer = REQUEST_PARK;
    req->wake_at = *wake_at;
    return 0;
}

int
request_job(struct request *req, router_handler job)
{
    req->defer = REQUEST_JOB;
    req->job = job;
    return 0;
}

int
request_stopping(void)
{
    return defer_stopping();
}

int
response_json(struct response *res, int status, json_t *body)
{
    res->status = status;
    json_decref(res->body);
    res->body = body;
    return 0;
}

int
response_raw(struct response *res, const char *body, size_t len, const char *type)
{
    res->status = 200;
    res->raw = body;
    res->raw_len = len;
    res->raw_type = type;
    return 0;
}

void
response_set_location(struct response *res, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    free(res->location);
    res->location = xstrdup(tmp);
}
