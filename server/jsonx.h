/*
 * jsonx: strict JSON input. Parsing with depth and UTF-8 checks, a field
 * table (struct field) that validates and normalises a resource object
 * and collects every field error, and RFC 7396 JSON Merge Patch.
 */
#ifndef CRMD_JSONX_H
#define CRMD_JSONX_H

#include <jansson.h>
#include <stddef.h>

#include "problem.h"

#define JSONX_MAX_DEPTH 32
#define JSONX_NAME_MAX 1024  /* bytes: names and other one-line texts */
#define JSONX_NOTE_MAX 10240 /* bytes: notes, summaries, follow-up texts */

enum field_type {
    FIELD_TEXT,     /* one line, no control characters, 1..max bytes */
    FIELD_NOTE,     /* like TEXT but tabs and line breaks allowed */
    FIELD_ENUM,     /* one of values[] */
    FIELD_INT,      /* integer in [min, max] */
    FIELD_REAL,     /* number in [min, max] */
    FIELD_BOOL,     /* true or false */
    FIELD_DATE,     /* "YYYY-MM-DD" */
    FIELD_DATETIME, /* RFC 3339, stored normalised to UTC "…Z" */
    FIELD_ID,       /* a UUID referring to another resource */
    FIELD_JSON      /* nested value checked and normalised by check() */
};

#define FIELD_REQUIRED 0x1u  /* must be present and not null */
#define FIELD_SERVER 0x2u    /* server-owned: clients may not send it */
#define FIELD_IMMUTABLE 0x4u /* may be set on create, never changed */
#define FIELD_PAST 0x8u      /* DATE/DATETIME: not later than the server's clock + max seconds */

struct field;

/*
 * Validate and normalise a FIELD_JSON value in place (*value may be
 * replaced; the callee then owns the old reference's release). old is the
 * stored value on update, NULL on create. Adds field errors to p (using
 * name as prefix) and returns -1 on any.
 */
typedef int (*field_check)(json_t **value, const char *name, const json_t *old,
                           struct problem *p);

struct field {
    const char *name;
    enum field_type type;
    unsigned flags;
    double min, max;           /* INT/REAL range; TEXT/NOTE byte length; DATE/DATETIME: min is
                                  the earliest year accepted (0: none), max the seconds a
                                  FIELD_PAST value may lie ahead of the server's clock */
    const char *const *values; /* ENUM, NULL-terminated */
    field_check check;         /* JSON */
};

/*
 * Parse len bytes as one JSON object: depth ≤ JSONX_MAX_DEPTH, valid
 * UTF-8, no duplicate keys, no NUL in strings. Every string value, at any
 * depth, is composed to NFC (unicode_nfc_json), so validation and storage
 * see the NFC form. Returns a new reference or NULL with a 400 problem
 * whose detail says where it broke.
 */
json_t *jsonx_parse_object(const char *data, size_t len, struct problem *p);

/*
 * Check obj against fields[0..n): unknown or server-owned members,
 * required members, types, ranges, formats; nulls are removed (they mean
 * "absent"); dates and times are normalised in place and checked against
 * their plausible range (struct field min, max, FIELD_PAST; the clock is
 * util_now) unless unchanged from old. old is the stored
 * representation on update (immutable fields are compared with it), NULL
 * on create. Returns 0, or -1 with a PROBLEM_VALIDATION listing every
 * field error.
 */
int jsonx_validate(const struct field *fields, size_t n, json_t *obj, const json_t *old,
                   struct problem *p);

/*
 * If field errors were added to p since there were `before` of them, set
 * PROBLEM_VALIDATION ("N fields are invalid") and return -1; else 0.
 */
int jsonx_fail_fields(struct problem *p, size_t before);

/* The field named name in fields[0..n), or NULL. */
const struct field *jsonx_field(const struct field *fields, size_t n, const char *name);

/* Check a text value as FIELD_TEXT (note = 0) or FIELD_NOTE (note = 1): returns an error message or NULL. */
const char *jsonx_text_error(const char *s, size_t max, int note);

/*
 * RFC 7396: apply patch to target. Returns a new reference; neither
 * argument is modified.
 */
json_t *jsonx_merge_patch(const json_t *target, const json_t *patch);

/* Server-owned members every resource has (id, created_at, updated_at, version). */
#define JSONX_SERVER_FIELDS                                                                        \
    { "id", FIELD_ID, FIELD_SERVER, 0, 0, NULL, NULL },                                           \
        { "created_at", FIELD_DATETIME, FIELD_SERVER, 0, 0, NULL, NULL },                          \
        { "updated_at", FIELD_DATETIME, FIELD_SERVER, 0, 0, NULL, NULL },                          \
    {                                                                                              \
        "version", FIELD_INT, FIELD_SERVER, 0, 0, NULL, NULL                                       \
    }

#endif
