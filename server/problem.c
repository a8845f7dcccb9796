/*
 * problem: table of problem types and their rendering as RFC 9457 JSON.
 * Type URIs are "urn:crmd:problem:<slug>" (stable, documented in docs/integrators.md "Errors").
 */
#include "problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static const struct {
    int status;
    const char *slug;
    const char *title;
} problems[PROBLEM_COUNT_] = {
    [PROBLEM_NONE] = { 200, "none", "No problem" },
    [PROBLEM_BAD_REQUEST] = { 400, "bad-request", "The request is malformed" },
    [PROBLEM_MALFORMED_JSON] = { 400, "malformed-json", "The body is not valid JSON" },
    [PROBLEM_VALIDATION] = { 400, "validation", "Some fields are invalid" },
    [PROBLEM_UNAUTHORIZED] = { 401, "unauthorized", "An API key is needed" },
    [PROBLEM_FORBIDDEN] = { 403, "forbidden", "The API key's role does not allow this" },
    [PROBLEM_NOT_FOUND] = { 404, "not-found", "No such resource" },
    [PROBLEM_NO_ROUTE] = { 404, "no-route", "No such endpoint" },
    [PROBLEM_METHOD_NOT_ALLOWED] = { 405, "method-not-allowed", "Method not allowed here" },
    [PROBLEM_CONFLICT] = { 409, "conflict", "Conflicts with existing data" },
    [PROBLEM_CURSOR_EXPIRED] = { 410, "cursor-expired",
                                 "The changes after this cursor are no longer kept" },
    [PROBLEM_ERASED] = { 410, "erased", "The record of this request was erased" },
    [PROBLEM_PRECONDITION_FAILED] = { 412, "precondition-failed",
                                      "The resource has changed since it was read" },
    [PROBLEM_TOO_LARGE] = { 413, "payload-too-large", "The body is too large" },
    [PROBLEM_URI_TOO_LONG] = { 414, "uri-too-long", "The URI is too long" },
    [PROBLEM_UNSUPPORTED_MEDIA] = { 415, "unsupported-media-type", "Unsupported content type" },
    [PROBLEM_HEADERS_TOO_LARGE] = { 431, "headers-too-large", "The request headers are too large" },
    [PROBLEM_UNPROCESSABLE] = { 422, "unprocessable", "A reference cannot be resolved" },
    [PROBLEM_IMPLAUSIBLE] = { 422, "implausible", "Some values cannot be true" },
    [PROBLEM_KEY_REUSED] = { 422, "idempotency-key-reused",
                             "The Idempotency-Key belongs to another request" },
    [PROBLEM_IMPORT_REJECTED] = { 422, "import-rejected",
                                  "Lines of an atomic import have errors; nothing was written" },
    [PROBLEM_RATE_LIMITED] = { 429, "rate-limited", "Too many requests for this API key" },
    [PROBLEM_INTERNAL] = { 500, "internal", "Internal server error" },
    [PROBLEM_UNAVAILABLE] = { 503, "unavailable", "Service unavailable" },
    [PROBLEM_INSUFFICIENT_STORAGE] = { 507, "insufficient-storage", "The database cannot grow" },
};

/* Length of the valid UTF-8 sequence at s (1-4; no overlong form, surrogate or > U+10FFFF), or 0. */
static size_t
utf8_len(const unsigned char *s)
{
    unsigned cp;
    size_t n;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07u;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* the terminating NUL ends a cut sequence here too */
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/*
 * Replace each byte that is not part of valid UTF-8 with '?': texts quote
 * client input (a path's bytes) and vsnprintf may cut a character, but
 * JSON (jansson) takes valid UTF-8 only (tests/fuzz found it).
 */
static void
utf8_clean(char *s)
{
    while (*s) {
        size_t n = utf8_len((const unsigned char *)s);
        if (n)
            s += n;
        else
            *s++ = '?';
    }
}

void
problem_set(struct problem *p, enum problem_code code, const char *fmt, ...)
{
    va_list ap;

    p->code = code;
    p->localized = 0;
    p->retry_after = 0;
    va_start(ap, fmt);
    vsnprintf(p->detail, sizeof p->detail, fmt, ap);
    va_end(ap);
    utf8_clean(p->detail);
}

void
problem_set_localized(struct problem *p, enum problem_code code, const char *detail)
{
    problem_set(p, code, "%s", detail);
    p->localized = 1;
}

static void
add_field(struct problem *p, const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void
add_field(struct problem *p, const char *field, const char *fmt, va_list ap)
{
    char msg[256], name[256];

    vsnprintf(msg, sizeof msg, fmt, ap);
    snprintf(name, sizeof name, "%s", field);
    utf8_clean(msg);
    utf8_clean(name);
    if (!p->errors)
        p->errors = json_array();
    json_array_append_new(p->errors, json_pack("{s:s, s:s}", "field", name, "message", msg));
}

void
problem_add_field(struct problem *p, const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_field(p, field, fmt, ap);
    va_end(ap);
}

void
problem_add_implausible(struct problem *p, const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_field(p, field, fmt, ap);
    va_end(ap);
    p->implausible++;
}

size_t
problem_field_count(const struct problem *p)
{
    return p->errors ? json_array_size(p->errors) : 0;
}

void
problem_set_extra(struct problem *p, const char *key, json_t *value)
{
    if (!p->extra)
        p->extra = json_object();
    json_object_set_new(p->extra, key, value);
}

void
problem_internal(struct problem *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_error("request %s: internal error: %s", p->request_id ? p->request_id : "-", msg);
    problem_set(p, PROBLEM_INTERNAL, "An internal error occurred; quote request id %s when reporting it.",
                p->request_id ? p->request_id : "-");
}

int
problem_status(enum problem_code code)
{
    return problems[code].status;
}

const char *
problem_slug(enum problem_code code)
{
    return problems[code].slug;
}

const char *
problem_title(enum problem_code code)
{
    return problems[code].title;
}

json_t *
problem_to_json(const struct problem *p)
{
    char type[64];
    json_t *o;

    snprintf(type, sizeof type, "urn:crmd:problem:%s", problems[p->code].slug);
    o = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", problems[p->code].title, "status",
                  problems[p->code].status, "detail", p->detail);
    if (p->errors)
        json_object_set(o, "errors", p->errors);
    if (p->code == PROBLEM_INTERNAL && p->request_id)
        json_object_set_new(o, "request_id", json_string(p->request_id));
    if (p->extra)
        json_object_update(o, p->extra);
    return o;
}

void
problem_release(struct problem *p)
{
    json_decref(p->errors);
    json_decref(p->extra);
    p->errors = p->extra = NULL;
    p->implausible = 0;
    p->code = PROBLEM_NONE;
    p->localized = 0;
    p->detail[0] = '\0';
}
