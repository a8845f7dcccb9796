/*
 * problem: the one error value of a request (RFC 9457 problem details).
 * Code that fails because of the client fills it and returns -1; http.c
 * renders it once as application/problem+json.
 */
#ifndef CRMD_PROBLEM_H
#define CRMD_PROBLEM_H

#include <jansson.h>

#include "lang.h"

enum problem_code {
    PROBLEM_NONE = 0,
    PROBLEM_BAD_REQUEST,        /* 400: a malformed parameter, cursor, header */
    PROBLEM_MALFORMED_JSON,     /* 400: body is not valid JSON / UTF-8 */
    PROBLEM_VALIDATION,         /* 400: fields wrong; errors[] says which */
    PROBLEM_UNAUTHORIZED,       /* 401: no usable API key (+ WWW-Authenticate) */
    PROBLEM_FORBIDDEN,          /* 403: the API key's role may not do this */
    PROBLEM_NOT_FOUND,          /* 404: no such resource */
    PROBLEM_NO_ROUTE,           /* 404: no such path */
    PROBLEM_METHOD_NOT_ALLOWED, /* 405 + Allow */
    PROBLEM_CONFLICT,           /* 409 */
    PROBLEM_CURSOR_EXPIRED,     /* 410: the changes after a feed cursor were pruned */
    PROBLEM_ERASED,             /* 410: an Idempotency-Key's record was erased */
    PROBLEM_PRECONDITION_FAILED, /* 412: If-Match no longer matches */
    PROBLEM_TOO_LARGE,          /* 413 */
    PROBLEM_URI_TOO_LONG,       /* 414: the query leaves no room for the answer (http_room.h) */
    PROBLEM_UNSUPPORTED_MEDIA,  /* 415 */
    PROBLEM_HEADERS_TOO_LARGE,  /* 431: the headers leave no room for the answer (http_room.h) */
    PROBLEM_UNPROCESSABLE,      /* 422: a reference points nowhere or to the wrong kind */
    PROBLEM_IMPLAUSIBLE,        /* 422: well-formed values that cannot be true; errors[] says which */
    PROBLEM_KEY_REUSED,         /* 422: Idempotency-Key already used for another request */
    PROBLEM_IMPORT_REJECTED,    /* 422: an atomic import had line errors; nothing was written */
    PROBLEM_RATE_LIMITED,       /* 429 + Retry-After: the key's --rate-limit is used up */
    PROBLEM_INTERNAL,           /* 500: details only in the log */
    PROBLEM_UNAVAILABLE,        /* 503 */
    PROBLEM_INSUFFICIENT_STORAGE, /* 507: the disk (or the file size limit) is full */
    PROBLEM_COUNT_
};

#define PROBLEM_DETAIL_MAX 512

struct problem {
    enum problem_code code;
    char detail[PROBLEM_DETAIL_MAX];
    json_t *errors;         /* array of {field, message}, or NULL */
    size_t implausible;     /* how many of errors[] are values that cannot be true */
    json_t *extra;          /* object of extension members, or NULL */
    const char *request_id; /* borrowed; for internal errors */
    enum lang lang;         /* the staff's language (Accept-Language), for localized details */
    int localized;          /* detail is in lang (problem_set_localized): Content-Language */
    int retry_after;        /* seconds for Retry-After (a busy database), 0 = none */
};

/* Set code and detail (printf-style); replaces an earlier detail. */
void problem_set(struct problem *p, enum problem_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Set code and detail, a text already written in p->lang (msg_format with
 * the catalogue); the answer then carries Content-Language. Details set
 * with problem_set stay English.
 */
void problem_set_localized(struct problem *p, enum problem_code code, const char *detail);

/* Append {field, message} to errors[]. */
void problem_add_field(struct problem *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Append {field, message} for a value that is well-formed but cannot be
 * true (a date ten years ahead, a phone number its numbering plan does not
 * have). When every field error is of this kind, the answer is 422
 * implausible rather than 400 validation (jsonx_fail_fields).
 */
void problem_add_implausible(struct problem *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Number of field errors collected so far. */
size_t problem_field_count(const struct problem *p);

/* Set an extension member (steals value). */
void problem_set_extra(struct problem *p, const char *key, json_t *value);

/* Log what went wrong (with the request id) and set a 500 that says only the id. */
void problem_internal(struct problem *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* HTTP status, type slug and title of a code. */
int problem_status(enum problem_code code);
const char *problem_slug(enum problem_code code);
const char *problem_title(enum problem_code code);

/* A new JSON object with type, title, status, detail, errors, extensions. */
json_t *problem_to_json(const struct problem *p);

/* Free errors/extra and reset to PROBLEM_NONE. */
void problem_release(struct problem *p);

#endif
