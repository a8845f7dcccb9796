/*
 * test_jsonx: field validation, parsing limits and RFC 7396 merge patch.
 * Validation runs against a field table of our own that has every
 * field_type; documents in the tables are JSON written with ' for " so
 * they stay readable (J() turns them back).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datetime.h"
#include "jsonx.h"
#include "problem.h"
#include "unit_suites.h"
#include "util.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* JSON text with ' for " → a new json_t (any type); fails the test if it does not parse. */
static json_t *
J(const char *text)
{
    char *s = strdup(text);
    json_error_t err;
    json_t *j;

    ck_assert_ptr_nonnull(s);
    for (char *c = s; *c; c++)
        if (*c == '\'')
            *c = '"';
    j = json_loads(s, JSON_DECODE_ANY, &err);
    ck_assert_msg(j != NULL, "test table: cannot parse %s: %s", s, err.text);
    free(s);
    return j;
}

/* Compact text of j for messages; caller frees. */
static char *
dump(const json_t *j)
{
    char *s = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    return s ? s : strdup("(null)");
}

/* ------------------------------------------------------------------ parse */

struct parse_case {
    const char *data;
    int len; /* -1: strlen(data) */
    int ok;
    const char *detail; /* on failure: a part of the detail, or NULL */
};

static const struct parse_case parse_cases[] = {
    /* valid */
    { "{}", -1, 1, NULL },
    { " {} ", -1, 1, NULL },
    { "\n{\n}\n", -1, 1, NULL },
    { "{\"a\":1}", -1, 1, NULL },
    { "{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":\"e\"}", -1, 1, NULL },
    { "{\"name\":\"J\xc3\xbcrgen\"}", -1, 1, NULL },           /* UTF-8 ü */
    { "{\"s\":\"\\u00fc\\ud83d\\ude97\"}", -1, 1, NULL },        /* escapes, surrogate pair */
    { "{\"s\":\"\xf0\x9f\x9a\x97\"}", -1, 1, NULL },             /* 4-byte UTF-8 */
    { "{\"a\":1}xyz", 7, 1, NULL },                                /* len bounds the input */
    { "{\"a\":1,\"A\":2}", -1, 1, NULL },                          /* keys are case-sensitive */
    /* empty */
    { "", 0, 0, "empty" },
    { "{}", 0, 0, "empty" },
    /* not an object */
    { "[]", -1, 0, "object" },
    { "[{}]", -1, 0, "object" },
    { "null", -1, 0, NULL },
    { "\"{}\"", -1, 0, NULL },
    { "1", -1, 0, NULL },
    { "true", -1, 0, NULL },
    /* not JSON */
    { "{", -1, 0, NULL },
    { "}", -1, 0, NULL },
    { "{\"a\":1", -1, 0, NULL },
    { "{\"a\":1,}", -1, 0, NULL },
    { "{'a':1}", -1, 0, NULL },
    { "{a:1}", -1, 0, NULL },
    { "{\"a\":01}", -1, 0, NULL },
    { "{\"a\":NaN}", -1, 0, NULL },
    { "{} {}", -1, 0, NULL },
    { "{}x", -1, 0, NULL },
    { "{\"a\":1}xyz", 8, 0, NULL },
    { "{\"a\":\"\\x\"}", -1, 0, NULL },
    { "{\"a\":\"tab\there\"}", -1, 0, NULL },                    /* raw control character */
    /* invalid UTF-8 */
    { "{\"a\":\"\xff\"}", -1, 0, NULL },
    { "{\"a\":\"\xc3\"}", -1, 0, NULL },                          /* truncated */
    { "{\"a\":\"\xc3(\"}", -1, 0, NULL },
    { "{\"a\":\"\xa4\"}", -1, 0, NULL },                          /* lone continuation */
    { "{\"a\":\"\xc0\xaf\"}", -1, 0, NULL },                      /* overlong */
    { "{\"a\":\"\xe0\x80\xaf\"}", -1, 0, NULL },                  /* overlong */
    { "{\"a\":\"\xed\xa0\x80\"}", -1, 0, NULL },                  /* encoded surrogate */
    { "{\"a\":\"\xf4\x90\x80\x80\"}", -1, 0, NULL },              /* above U+10FFFF */
    { "{\"\xff\":1}", -1, 0, NULL },                              /* in a key */
    { "{\"a\":\"L\xf6\"}", -1, 0, NULL },                         /* Latin-1 */
    { "{\"a\":\"\\ud800\"}", -1, 0, NULL },                       /* lone surrogate escape */
    { "{\"a\":\"\\udc00\"}", -1, 0, NULL },
    /* duplicate keys, at any depth */
    { "{\"a\":1,\"a\":2}", -1, 0, NULL },
    { "{\"a\":1,\"a\":1}", -1, 0, NULL },
    { "{\"a\":null,\"a\":null}", -1, 0, NULL },
    { "{\"a\":{\"b\":1,\"b\":2}}", -1, 0, NULL },
    { "{\"a\":[{\"b\":1,\"b\":2}]}", -1, 0, NULL },
    { "{\"\\u0061\":1,\"a\":2}", -1, 0, NULL },                   /* same key, spelt differently */
    /* NUL */
    { "{\"a\":\"\\u0000\"}", -1, 0, NULL },
    { "{\"a\":\"x\\u0000y\"}", -1, 0, NULL },
    { "{\"\\u0000\":1}", -1, 0, NULL },
    { "{\"a\":\"x\0y\"}", 11, 0, NULL },                          /* raw NUL byte */
    { "{}\0", 3, 0, NULL },
};

START_TEST(test_parse)
{
    const struct parse_case *c = &parse_cases[_i];
    size_t len = c->len < 0 ? strlen(c->data) : (size_t)c->len;
    struct problem p = { 0 };
    json_t *j = jsonx_parse_object(c->data, len, &p);

    if (c->ok) {
        ck_assert_msg(j != NULL, "case %d %s: refused: %s", _i, c->data, p.detail);
        ck_assert_msg(json_is_object(j), "case %d: not an object", _i);
        ck_assert_int_eq(p.code, PROBLEM_NONE);
    } else {
        ck_assert_msg(j == NULL, "case %d %s: accepted", _i, c->data);
        ck_assert_msg(p.code == PROBLEM_MALFORMED_JSON, "case %d %s: problem %d", _i, c->data,
                      p.code);
        ck_assert_int_eq(problem_status(p.code), 400);
        ck_assert_msg(p.detail[0] != '\0', "case %d: empty detail", _i);
        if (c->detail)
            ck_assert_msg(strstr(p.detail, c->detail) != NULL, "case %d: detail \"%s\" lacks \"%s\"",
                          _i, p.detail, c->detail);
    }
    json_decref(j);
    problem_release(&p);
}
END_TEST

/* jsonx_parse_object(NULL, 0) is an empty body, not a crash. */
START_TEST(test_parse_null)
{
    struct problem p = { 0 };

    ck_assert_ptr_null(jsonx_parse_object(NULL, 0, &p));
    ck_assert_int_eq(p.code, PROBLEM_MALFORMED_JSON);
    problem_release(&p);
}
END_TEST

enum nest {
    NEST_OBJECTS,    /* {"a":{"a":...{}}} */
    NEST_ARRAYS,     /* {"a":[[...[]]]}: the object counts as one level */
    NEST_MIXED,      /* {"a":[{"a":[...]}]} */
    NEST_STRING,     /* {"s":"[[[[...{{{"}: depth 1 */
    NEST_ESCAPED,    /* {"s":"\"[[[...","t":"\\"}: depth 1 */
    NEST_AFTER_ESC,  /* {"s":"\\","t":[[[...]]]}: brackets after an escaped backslash count */
    NEST_UNBALANCED, /* {"s":"]]]]...","t":[[...]]}: closers in strings don't lower depth */
};

struct depth_case {
    enum nest kind;
    int depth; /* levels (or brackets inside the string) */
    int ok;
};

static const struct depth_case depth_cases[] = {
    { NEST_OBJECTS, 1, 1 },
    { NEST_OBJECTS, JSONX_MAX_DEPTH - 1, 1 },
    { NEST_OBJECTS, JSONX_MAX_DEPTH, 1 },
    { NEST_OBJECTS, JSONX_MAX_DEPTH + 1, 0 },
    { NEST_OBJECTS, 1000, 0 },
    { NEST_ARRAYS, JSONX_MAX_DEPTH, 1 },
    { NEST_ARRAYS, JSONX_MAX_DEPTH + 1, 0 },
    { NEST_MIXED, JSONX_MAX_DEPTH, 1 },
    { NEST_MIXED, JSONX_MAX_DEPTH + 1, 0 },
    { NEST_STRING, JSONX_MAX_DEPTH + 1, 1 },
    { NEST_STRING, 1000, 1 },
    { NEST_ESCAPED, JSONX_MAX_DEPTH + 1, 1 },
    { NEST_ESCAPED, 1000, 1 },
    { NEST_AFTER_ESC, JSONX_MAX_DEPTH, 1 },
    { NEST_AFTER_ESC, JSONX_MAX_DEPTH + 1, 0 },
    { NEST_UNBALANCED, JSONX_MAX_DEPTH, 1 },
    { NEST_UNBALANCED, JSONX_MAX_DEPTH + 1, 0 },
};

_Static_assert(JSONX_MAX_DEPTH == 32, "the brief pins 32 levels");

/* Build the document of c into b (at least 16 kB). */
static void
build_nested(const struct depth_case *c, char *b, size_t size)
{
    size_t n = 0;
    int k;

#define PUT(s) (n += (size_t)snprintf(b + n, size - n, "%s", (s)))
    switch (c->kind) {
    case NEST_OBJECTS:
        for (k = 1; k < c->depth; k++)
            PUT("{\"a\":");
        PUT("{}");
        for (k = 1; k < c->depth; k++)
            PUT("}");
        break;
    case NEST_ARRAYS:
        PUT("{\"a\":");
        for (k = 1; k < c->depth; k++)
            PUT("[");
        for (k = 1; k < c->depth; k++)
            PUT("]");
        PUT("}");
        break;
    case NEST_MIXED:
        for (k = 1; k <= c->depth; k++)
            PUT(k % 2 ? "{\"a\":" : "[");
        PUT("1");
        for (k = c->depth; k >= 1; k--)
            PUT(k % 2 ? "}" : "]");
        break;
    case NEST_STRING:
    case NEST_ESCAPED:
        PUT(c->kind == NEST_STRING ? "{\"s\":\"" : "{\"s\":\"\\\"");
        for (k = 0; k < c->depth; k++)
            PUT(k % 2 ? "[" : "{");
        PUT("\",\"t\":\"\\\\\"}");
        break;
    case NEST_AFTER_ESC:
        PUT("{\"s\":\"\\\\\",\"t\":");
        for (k = 1; k < c->depth; k++)
            PUT("[");
        for (k = 1; k < c->depth; k++)
            PUT("]");
        PUT("}");
        break;
    case NEST_UNBALANCED:
        PUT("{\"s\":\"");
        for (k = 0; k < 40; k++)
            PUT("]}");
        PUT("\",\"t\":");
        for (k = 1; k < c->depth; k++)
            PUT("[");
        for (k = 1; k < c->depth; k++)
            PUT("]");
        PUT("}");
        break;
    }
#undef PUT
    ck_assert_msg(n < size, "buffer too small");
}

START_TEST(test_depth)
{
    const struct depth_case *c = &depth_cases[_i];
    static char doc[16384];
    struct problem p = { 0 };
    json_t *j;

    build_nested(c, doc, sizeof doc);
    j = jsonx_parse_object(doc, strlen(doc), &p);
    if (c->ok) {
        ck_assert_msg(j != NULL, "case %d (depth %d): refused: %s\n%s", _i, c->depth, p.detail, doc);
    } else {
        ck_assert_msg(j == NULL, "case %d (depth %d): accepted\n%s", _i, c->depth, doc);
        ck_assert_int_eq(p.code, PROBLEM_MALFORMED_JSON);
        ck_assert_msg(strstr(p.detail, "32") != NULL, "case %d: detail \"%s\" lacks the limit", _i,
                      p.detail);
    }
    json_decref(j);
    problem_release(&p);
}
END_TEST

/* --------------------------------------------------------------- validate */

static const char *const colours[] = { "red", "green", "blue", NULL };

/*
 * FIELD_JSON check: an object {x: integer}, normalised by adding
 * "checked": true; on update x may not decrease (proves old is passed).
 */
static int
check_extra(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    char fname[64];
    json_t *x = json_object_get(*v, "x"), *copy;

    snprintf(fname, sizeof fname, "%s.x", name);
    if (!json_is_object(*v)) {
        problem_add_field(p, name, "must be an object");
        return -1;
    }
    if (!json_is_integer(x)) {
        problem_add_field(p, fname, "must be an integer");
        return -1;
    }
    if (old && json_integer_value(x) < json_integer_value(json_object_get(old, "x"))) {
        problem_add_field(p, fname, "must not decrease");
        return -1;
    }
    copy = json_deep_copy(*v);
    json_object_set_new(copy, "checked", json_true());
    json_decref(*v);
    *v = copy;
    return 0;
}

static const struct field fields[] = {
    JSONX_SERVER_FIELDS,
    { "name", FIELD_TEXT, FIELD_REQUIRED, 0, 10, NULL, NULL },
    { "title", FIELD_TEXT, 0, 0, 0, NULL, NULL }, /* default limit: JSONX_NAME_MAX */
    { "note", FIELD_NOTE, 0, 0, 20, NULL, NULL },
    { "body", FIELD_NOTE, 0, 0, 0, NULL, NULL },  /* default limit: JSONX_NOTE_MAX */
    { "colour", FIELD_ENUM, 0, 0, 0, colours, NULL },
    { "count", FIELD_INT, 0, 0, 100, NULL, NULL },
    { "ratio", FIELD_REAL, 0, -1.5, 2.5, NULL, NULL },
    { "active", FIELD_BOOL, 0, 0, 0, NULL, NULL },
    { "born", FIELD_DATE, 0, 0, 0, NULL, NULL },
    { "at", FIELD_DATETIME, 0, 0, 0, NULL, NULL },
    { "owner_id", FIELD_ID, 0, 0, 0, NULL, NULL },
    { "serial", FIELD_TEXT, FIELD_IMMUTABLE, 0, 10, NULL, NULL },
    { "extra", FIELD_JSON, 0, 0, 0, NULL, check_extra },
};

#define U "0B4E7A0E-5B0A-4BB4-9D8C-1F3E5C7A9B2D"
#define L "0b4e7a0e-5b0a-4bb4-9d8c-1f3e5c7a9b2d"

struct validate_case {
    const char *doc;    /* JSON with ' for " */
    const char *old;    /* stored representation on update; NULL: create */
    const char *want;   /* the document after a successful validation; NULL: expect -1 */
    const char *errors; /* on -1: the fields of errors[], space-separated, any order */
    const char *detail; /* on -1, when not NULL: how the detail starts */
};

static const struct validate_case validate_cases[] = {
    /* valid, unchanged */
    { "{'name':'Ann'}", NULL, "{'name':'Ann'}", NULL, NULL },
    { "{'name':'0123456789'}", NULL, "{'name':'0123456789'}", NULL, NULL }, /* 10 bytes: max */
    { "{'name':'äöüäö'}", NULL, "{'name':'äöüäö'}", NULL, NULL },           /* 10 bytes */
    { "{'name':'O\\'Neil'}", NULL, "{'name':'O\\'Neil'}", NULL, NULL },
    { "{'name':'A','title':'Dr. med.'}", NULL, "{'name':'A','title':'Dr. med.'}", NULL, NULL },
    { "{'name':'A','note':'line 1\\nline 2'}", NULL, "{'name':'A','note':'line 1\\nline 2'}", NULL,
      NULL },
    { "{'name':'A','note':'a\\tb\\r\\nc'}", NULL, "{'name':'A','note':'a\\tb\\r\\nc'}", NULL, NULL },
    { "{'name':'A','colour':'green'}", NULL, "{'name':'A','colour':'green'}", NULL, NULL },
    { "{'name':'A','count':0}", NULL, "{'name':'A','count':0}", NULL, NULL },
    { "{'name':'A','count':100}", NULL, "{'name':'A','count':100}", NULL, NULL },
    { "{'name':'A','ratio':-1.5}", NULL, "{'name':'A','ratio':-1.5}", NULL, NULL },
    { "{'name':'A','ratio':2.5}", NULL, "{'name':'A','ratio':2.5}", NULL, NULL },
    { "{'name':'A','ratio':0.125}", NULL, "{'name':'A','ratio':0.125}", NULL, NULL },
    { "{'name':'A','ratio':2}", NULL, "{'name':'A','ratio':2}", NULL, NULL }, /* integer as real */
    { "{'name':'A','ratio':-1}", NULL, "{'name':'A','ratio':-1}", NULL, NULL },
    { "{'name':'A','active':true}", NULL, "{'name':'A','active':true}", NULL, NULL },
    { "{'name':'A','active':false}", NULL, "{'name':'A','active':false}", NULL, NULL },
    { "{'name':'A','born':'2024-02-29'}", NULL, "{'name':'A','born':'2024-02-29'}", NULL, NULL },
    { "{'name':'A','born':'2000-02-29'}", NULL, "{'name':'A','born':'2000-02-29'}", NULL, NULL },
    { "{'name':'A','at':'2026-11-23T09:00:00Z'}", NULL, "{'name':'A','at':'2026-11-23T09:00:00Z'}",
      NULL, NULL },
    { "{'name':'A','owner_id':'" L "'}", NULL, "{'name':'A','owner_id':'" L "'}", NULL, NULL },
    { "{'name':'A','serial':'S1'}", NULL, "{'name':'A','serial':'S1'}", NULL, NULL },
    /* valid, normalised */
    { "{'name':'A','at':'2026-11-23T10:00:00+01:00'}", NULL,
      "{'name':'A','at':'2026-11-23T09:00:00Z'}", NULL, NULL },
    { "{'name':'A','at':'2026-11-23t09:00:00.75z'}", NULL,
      "{'name':'A','at':'2026-11-23T09:00:00Z'}", NULL, NULL },
    { "{'name':'A','at':'2026-11-23 01:00:00-08:00'}", NULL,
      "{'name':'A','at':'2026-11-23T09:00:00Z'}", NULL, NULL },
    { "{'name':'A','owner_id':'" U "'}", NULL, "{'name':'A','owner_id':'" L "'}", NULL, NULL },
    { "{'name':'A','owner_id':'0B4e7a0E-5b0A-4bB4-9D8c-1f3E5C7a9B2d'}", NULL,
      "{'name':'A','owner_id':'" L "'}", NULL, NULL },
    { "{'name':'A','extra':{'x':1}}", NULL, "{'name':'A','extra':{'x':1,'checked':true}}", NULL,
      NULL },
    /* null means absent: removed */
    { "{'name':'A','note':null}", NULL, "{'name':'A'}", NULL, NULL },
    { "{'name':'A','note':null,'count':null,'colour':null,'at':null,'extra':null}", NULL,
      "{'name':'A'}", NULL, NULL },
    { "{'name':'A','count':null}", "{'name':'A','count':5}", "{'name':'A'}", NULL, NULL },
    /* everything at once */
    { "{'name':'Ann','title':'Dr.','note':'n\\n','body':'b','colour':'red','count':7,"
      "'ratio':1,'active':false,'born':'1990-12-31','at':'2026-01-01T00:30:00+01:00',"
      "'owner_id':'" U "','serial':'X-1','extra':{'x':-3}}",
      NULL,
      "{'name':'Ann','title':'Dr.','note':'n\\n','body':'b','colour':'red','count':7,"
      "'ratio':1,'active':false,'born':'1990-12-31','at':'2025-12-31T23:30:00Z',"
      "'owner_id':'" L "','serial':'X-1','extra':{'x':-3,'checked':true}}",
      NULL, NULL },

    /* unknown members, named */
    { "{'name':'A','bogus':1}", NULL, NULL, "bogus", "1 field is invalid" },
    { "{'name':'A','Name':'B'}", NULL, NULL, "Name", NULL },
    { "{'name':'A','bogus':null}", NULL, NULL, "bogus", NULL },
    { "{'name':'A','':1}", NULL, NULL, "", NULL },
    { "{'name':'A','a':1,'b':2}", NULL, NULL, "a b", "2 fields are invalid" },
    /* server-owned members on create, even null */
    { "{'name':'A','id':'" L "'}", NULL, NULL, "id", NULL },
    { "{'name':'A','id':null}", NULL, NULL, "id", NULL },
    { "{'name':'A','created_at':'2026-01-01T00:00:00Z'}", NULL, NULL, "created_at", NULL },
    { "{'name':'A','updated_at':'2026-01-01T00:00:00Z'}", NULL, NULL, "updated_at", NULL },
    { "{'name':'A','version':1}", NULL, NULL, "version", NULL },
    /* server-owned members on update: the stored value may come back, no other */
    { "{'id':'" L "','name':'B','version':3}", "{'id':'" L "','name':'A','version':3}",
      "{'id':'" L "','name':'B','version':3}", NULL, NULL },
    { "{'id':'" L "','name':'B','version':4}", "{'id':'" L "','name':'A','version':3}", NULL,
      "version", NULL },
    { "{'name':'B','version':3}", "{'name':'A'}", NULL, "version", NULL },
    /* required */
    { "{}", NULL, NULL, "name", "1 field is invalid" },
    { "{'name':null}", NULL, NULL, "name", NULL },
    { "{'note':'x'}", NULL, NULL, "name", NULL },
    { "{'note':'x'}", "{'name':'A','note':'y'}", NULL, "name", NULL },
    /* every error is collected */
    { "{'name':'','count':'x','colour':'pink'}", NULL, NULL, "name count colour",
      "3 fields are invalid" },
    { "{'bogus':1,'id':'" L "','count':1.5,'born':'2023-02-29'}", NULL, NULL,
      "bogus id count born name", "5 fields are invalid" },
    /* TEXT */
    { "{'name':''}", NULL, NULL, "name", NULL },
    { "{'name':'01234567890'}", NULL, NULL, "name", NULL }, /* 11 bytes */
    { "{'name':'ääääää'}", NULL, NULL, "name", NULL },      /* 6 characters, 12 bytes */
    { "{'name':'a\\tb'}", NULL, NULL, "name", NULL },
    { "{'name':'a\\nb'}", NULL, NULL, "name", NULL },
    { "{'name':'a\\rb'}", NULL, NULL, "name", NULL },
    { "{'name':'a\\u0001b'}", NULL, NULL, "name", NULL },
    { "{'name':'a\\u001fb'}", NULL, NULL, "name", NULL },
    { "{'name':'a\\u007fb'}", NULL, NULL, "name", NULL },
    { "{'name':5}", NULL, NULL, "name", NULL },
    { "{'name':true}", NULL, NULL, "name", NULL },
    { "{'name':['A']}", NULL, NULL, "name", NULL },
    { "{'name':{'A':1}}", NULL, NULL, "name", NULL },
    { "{'name':'A','title':''}", NULL, NULL, "title", NULL },
    { "{'name':'A','title':'a\\nb'}", NULL, NULL, "title", NULL },
    /* NOTE */
    { "{'name':'A','note':'a\\u0001b'}", NULL, NULL, "note", NULL },
    { "{'name':'A','note':'a\\u007fb'}", NULL, NULL, "note", NULL },
    { "{'name':'A','note':'a\\u000bb'}", NULL, NULL, "note", NULL }, /* vertical tab */
    { "{'name':'A','note':'012345678901234567890'}", NULL, NULL, "note", NULL }, /* 21 bytes */
    { "{'name':'A','note':''}", NULL, NULL, "note", NULL },
    { "{'name':'A','note':7}", NULL, NULL, "note", NULL },
    /* ENUM */
    { "{'name':'A','colour':'Red'}", NULL, NULL, "colour", NULL },
    { "{'name':'A','colour':'pink'}", NULL, NULL, "colour", NULL },
    { "{'name':'A','colour':''}", NULL, NULL, "colour", NULL },
    { "{'name':'A','colour':' red'}", NULL, NULL, "colour", NULL },
    { "{'name':'A','colour':1}", NULL, NULL, "colour", NULL },
    { "{'name':'A','colour':['red']}", NULL, NULL, "colour", NULL },
    /* INT */
    { "{'name':'A','count':-1}", NULL, NULL, "count", NULL },
    { "{'name':'A','count':101}", NULL, NULL, "count", NULL },
    { "{'name':'A','count':1.5}", NULL, NULL, "count", NULL },
    { "{'name':'A','count':'5'}", NULL, NULL, "count", NULL },
    { "{'name':'A','count':true}", NULL, NULL, "count", NULL },
    { "{'name':'A','count':9223372036854775807}", NULL, NULL, "count", NULL },
    { "{'name':'A','count':-9223372036854775807}", NULL, NULL, "count", NULL },
    /* REAL */
    { "{'name':'A','ratio':2.6}", NULL, NULL, "ratio", NULL },
    { "{'name':'A','ratio':-1.6}", NULL, NULL, "ratio", NULL },
    { "{'name':'A','ratio':3}", NULL, NULL, "ratio", NULL },
    { "{'name':'A','ratio':-2}", NULL, NULL, "ratio", NULL },
    { "{'name':'A','ratio':1e300}", NULL, NULL, "ratio", NULL },
    { "{'name':'A','ratio':'1'}", NULL, NULL, "ratio", NULL },
    { "{'name':'A','ratio':false}", NULL, NULL, "ratio", NULL },
    /* BOOL */
    { "{'name':'A','active':0}", NULL, NULL, "active", NULL },
    { "{'name':'A','active':1}", NULL, NULL, "active", NULL },
    { "{'name':'A','active':'true'}", NULL, NULL, "active", NULL },
    { "{'name':'A','active':'false'}", NULL, NULL, "active", NULL },
    /* DATE */
    { "{'name':'A','born':'2023-02-29'}", NULL, NULL, "born", NULL },
    { "{'name':'A','born':'2024-1-01'}", NULL, NULL, "born", NULL },
    { "{'name':'A','born':'2024-13-01'}", NULL, NULL, "born", NULL },
    { "{'name':'A','born':'2024-02-29T00:00:00Z'}", NULL, NULL, "born", NULL },
    { "{'name':'A','born':'29.02.2024'}", NULL, NULL, "born", NULL },
    { "{'name':'A','born':''}", NULL, NULL, "born", NULL },
    { "{'name':'A','born':20240229}", NULL, NULL, "born", NULL },
    /* DATETIME */
    { "{'name':'A','at':'2026-11-23'}", NULL, NULL, "at", NULL },
    { "{'name':'A','at':'2026-11-23T09:00:00'}", NULL, NULL, "at", NULL },
    { "{'name':'A','at':'2026-11-23T24:00:00Z'}", NULL, NULL, "at", NULL },
    { "{'name':'A','at':'2026-11-23T09:00:00+24:00'}", NULL, NULL, "at", NULL },
    { "{'name':'A','at':'2026-11-23T09:00:00Z '}", NULL, NULL, "at", NULL },
    { "{'name':'A','at':1795424400}", NULL, NULL, "at", NULL },
    /* ID */
    { "{'name':'A','owner_id':'garbage'}", NULL, NULL, "owner_id", NULL },
    { "{'name':'A','owner_id':''}", NULL, NULL, "owner_id", NULL },
    { "{'name':'A','owner_id':'0b4e7a0e5b0a4bb49d8c1f3e5c7a9b2d'}", NULL, NULL, "owner_id", NULL },
    { "{'name':'A','owner_id':'{" L "}'}", NULL, NULL, "owner_id", NULL },
    { "{'name':'A','owner_id':'" L "0'}", NULL, NULL, "owner_id", NULL },
    { "{'name':'A','owner_id':'g" L "'}", NULL, NULL, "owner_id", NULL },
    { "{'name':'A','owner_id':'0b4e7a0e-5b0a-4bb4-9d8c-1f3e5c7a9b2g'}", NULL, NULL, "owner_id",
      NULL },
    { "{'name':'A','owner_id':42}", NULL, NULL, "owner_id", NULL },
    /* JSON */
    { "{'name':'A','extra':5}", NULL, NULL, "extra", NULL },
    { "{'name':'A','extra':{'x':'1'}}", NULL, NULL, "extra.x", NULL },
    { "{'name':'A','extra':{'x':4}}", "{'name':'A','extra':{'x':5,'checked':true}}", NULL,
      "extra.x", NULL },
    { "{'name':'A','extra':{'x':6}}", "{'name':'A','extra':{'x':5,'checked':true}}",
      "{'name':'A','extra':{'x':6,'checked':true}}", NULL, NULL },
    /* IMMUTABLE */
    { "{'name':'B','serial':'S1'}", "{'name':'A','serial':'S1'}", "{'name':'B','serial':'S1'}",
      NULL, NULL },
    { "{'name':'A','serial':'S2'}", "{'name':'A','serial':'S1'}", NULL, "serial", NULL },
    { "{'name':'A'}", "{'name':'A','serial':'S1'}", NULL, "serial", NULL },
    { "{'name':'A','serial':null}", "{'name':'A','serial':'S1'}", NULL, "serial", NULL },
    { "{'name':'A','serial':'S1'}", "{'name':'A'}", NULL, "serial", NULL },
    { "{'name':'B'}", "{'name':'A'}", "{'name':'B'}", NULL, NULL }, /* absent before and after */
    { "{'name':'A','serial':'S2 too long'}", "{'name':'A','serial':'S1'}", NULL, "serial serial",
      NULL },
};

/* errors[] of p holds exactly the fields in want (space-separated), in any order. */
static void
check_error_fields(int i, const struct problem *p, const char *want)
{
    char buf[256], *tok, *save = NULL;
    const char *wanted[16];
    int used[16] = { 0 }, nwant = 0;
    size_t k;
    json_t *e;
    char *got = dump(p->errors);

    snprintf(buf, sizeof buf, "%s", want);
    if (buf[0] == '\0')
        wanted[nwant++] = ""; /* the empty member name */
    for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
        wanted[nwant++] = tok;
    ck_assert_msg(json_array_size(p->errors) == (size_t)nwant, "case %d: errors %s, want fields %s",
                  i, got, want);
    json_array_foreach(p->errors, k, e)
    {
        const char *field = json_string_value(json_object_get(e, "field"));
        const char *message = json_string_value(json_object_get(e, "message"));
        int j;

        ck_assert_msg(field != NULL && message != NULL && message[0] != '\0',
                      "case %d: malformed error %s", i, got);
        for (j = 0; j < nwant; j++)
            if (!used[j] && strcmp(wanted[j], field) == 0)
                break;
        ck_assert_msg(j < nwant, "case %d: unexpected error on \"%s\": %s (want %s)", i, field, got,
                      want);
        used[j] = 1;
    }
    free(got);
}

START_TEST(test_validate)
{
    const struct validate_case *c = &validate_cases[_i];
    json_t *doc = J(c->doc);
    json_t *old = c->old ? J(c->old) : NULL;
    json_t *old_copy = old ? json_deep_copy(old) : NULL;
    struct problem p = { 0 };
    int rc = jsonx_validate(fields, sizeof fields / sizeof fields[0], doc, old, &p);
    char *got = dump(doc), *errs = dump(p.errors);

    if (c->want) {
        json_t *want = J(c->want);
        char *w = dump(want);

        ck_assert_msg(rc == 0, "case %d %s: refused: %s %s", _i, c->doc, p.detail, errs);
        ck_assert_int_eq(p.code, PROBLEM_NONE);
        ck_assert_uint_eq(problem_field_count(&p), 0);
        ck_assert_msg(json_equal(doc, want), "case %d: got %s, want %s", _i, got, w);
        free(w);
        json_decref(want);
    } else {
        ck_assert_msg(rc == -1, "case %d %s: accepted as %s", _i, c->doc, got);
        ck_assert_msg(p.code == PROBLEM_VALIDATION, "case %d: problem %d", _i, p.code);
        ck_assert_int_eq(problem_status(p.code), 400);
        check_error_fields(_i, &p, c->errors);
        if (c->detail)
            ck_assert_msg(strncmp(p.detail, c->detail, strlen(c->detail)) == 0,
                          "case %d: detail \"%s\", want \"%s...\"", _i, p.detail, c->detail);
    }
    if (old)
        ck_assert_msg(json_equal(old, old_copy), "case %d: old was modified", _i);
    free(got);
    free(errs);
    json_decref(doc);
    json_decref(old);
    json_decref(old_copy);
    problem_release(&p);
}
END_TEST

/* Dates that cannot be true: a floor year and, for FIELD_PAST, the server's clock plus max. */
static const struct field when_fields[] = {
    { "at", FIELD_DATETIME, FIELD_PAST, 1990, 300, NULL, NULL },
    { "day", FIELD_DATE, FIELD_PAST, 1900, 86400, NULL, NULL },
    { "born", FIELD_DATE, FIELD_PAST, 1900, 0, NULL, NULL },
    { "due", FIELD_DATE, 0, 1900, 0, NULL, NULL },
};

static const struct when_case {
    const char *field;
    const char *fixed; /* the value, or NULL: now + offset (seconds; whole days for dates) */
    long offset;
    const char *message; /* start of the error; NULL: accepted */
} when_cases[] = {
    { "at", NULL, 0, NULL },
    { "at", NULL, 240, NULL },
    { "at", NULL, 360, "is in the future: must be " },
    { "at", NULL, 10L * 365 * 86400, "is in the future: must be " },
    { "at", NULL, -20L * 365 * 86400, NULL },
    { "at", "1990-01-01T00:00:00Z", 0, NULL },
    { "at", "1990-01-01T00:30:00+01:00", 0, "is too early: must be 1990-01-01 or later" },
    { "at", "1899-12-31T10:00:00Z", 0, "is too early: must be 1990-01-01 or later" },
    { "day", NULL, 86400, NULL },
    { "day", NULL, 2 * 86400, "is in the future: must be " },
    { "day", "1900-01-01", 0, NULL },
    { "day", "1899-12-31", 0, "is too early: must be 1900-01-01 or later" },
    { "born", NULL, 0, NULL },
    { "born", NULL, 86400, "is in the future: must be " },
    { "due", NULL, 30L * 365 * 86400, NULL },
    { "due", "1899-12-31", 0, "is too early: must be 1900-01-01 or later" },
};

START_TEST(test_when)
{
    const struct when_case *c = &when_cases[_i];
    time_t t = time(NULL) + c->offset;
    char value[32], want_limit[64];
    json_t *doc = json_object(), *err;
    struct problem p = { 0 };
    const char *msg;
    int rc;

    if (c->fixed)
        snprintf(value, sizeof value, "%s", c->fixed);
    else if (strcmp(c->field, "at") == 0)
        util_format_time(t, value);
    else
        datetime_format_date((long)(t / 86400), value);
    json_object_set_new(doc, c->field, json_string(value));
    rc = jsonx_validate(when_fields, sizeof when_fields / sizeof when_fields[0], doc, NULL, &p);
    if (!c->message) {
        ck_assert_msg(rc == 0, "%s %s refused: %s", c->field, value,
                      problem_field_count(&p) ? json_string_value(json_object_get(
                                                    json_array_get(p.errors, 0), "message"))
                                              : p.detail);
    } else {
        ck_assert_msg(rc == -1, "%s %s accepted", c->field, value);
        err = json_array_get(p.errors, 0);
        ck_assert_str_eq(json_string_value(json_object_get(err, "field")), c->field);
        msg = json_string_value(json_object_get(err, "message"));
        ck_assert_msg(strncmp(msg, c->message, strlen(c->message)) == 0, "%s: %s", c->field, msg);
        /* the limit is named: the clock plus the allowance */
        snprintf(want_limit, sizeof want_limit, "%s",
                 !strcmp(c->field, "at")    ? "(the server's clock plus 5 minutes)"
                 : !strcmp(c->field, "day") ? "(today plus 1 day, UTC)"
                                            : "(today, UTC)");
        ck_assert_msg(strncmp(c->message, "is in the future", 16) != 0 || strstr(msg, want_limit),
                      "%s: %s", c->field, msg);
    }
    problem_release(&p);
    json_decref(doc);
}
END_TEST

/* On update a stored date that is no longer plausible does not block other changes. */
START_TEST(test_when_unchanged)
{
    json_t *old = json_pack("{s:s, s:s}", "at", "1899-12-31T10:00:00Z", "day", "1850-01-01");
    json_t *doc = json_deep_copy(old);
    struct problem p = { 0 };

    ck_assert_int_eq(jsonx_validate(when_fields, 4, doc, old, &p), 0);
    json_object_set_new(doc, "day", json_string("1850-01-02"));
    ck_assert_int_eq(jsonx_validate(when_fields, 4, doc, old, &p), -1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(p.errors, 0), "field")), "day");
    problem_release(&p);
    json_decref(doc);
    json_decref(old);
}
END_TEST

/* Byte limits that are too long for the table: the defaults of TEXT and NOTE. */
struct limit_case {
    const char *field;
    size_t len;
    char fill;
    const char *message; /* NULL: accepted */
};

static const struct limit_case limit_cases[] = {
    { "title", JSONX_NAME_MAX, 'a', NULL },
    { "title", JSONX_NAME_MAX + 1, 'a', "is longer than the limit of 1024 bytes" },
    { "body", JSONX_NOTE_MAX, 'a', NULL },
    { "body", JSONX_NOTE_MAX + 1, 'a', "is longer than the limit of 10240 bytes" },
    { "body", JSONX_NOTE_MAX, '\n', NULL },
    { "body", 100000, 'a', "is longer than the limit of 10240 bytes" },
    { "name", 10, 'a', NULL },
    { "name", 11, 'a', "is longer than the limit of 10 bytes" }, /* the field's own limit */
    { "note", 20, '\n', NULL },
    { "note", 21, '\n', "is longer than the limit of 20 bytes" },
    { "note", 21, '\x01', "is longer than the limit of 20 bytes" },
    { "note", 20, '\x01', "must not contain control characters other than tab and line breaks" },
    { "name", 10, '\t', "must not contain control characters" },
};

START_TEST(test_limits)
{
    const struct limit_case *c = &limit_cases[_i];
    char *s = malloc(c->len + 1);
    json_t *doc;
    struct problem p = { 0 };
    int rc;

    ck_assert_ptr_nonnull(s);
    memset(s, c->fill, c->len);
    s[c->len] = '\0';
    doc = json_pack("{s:s}", "name", "A");
    json_object_set_new(doc, c->field, json_string(s));
    rc = jsonx_validate(fields, sizeof fields / sizeof fields[0], doc, NULL, &p);
    if (!c->message) {
        ck_assert_msg(rc == 0, "%s of %zu bytes refused: %s", c->field, c->len, p.detail);
        ck_assert_str_eq(json_string_value(json_object_get(doc, c->field)), s);
    } else {
        json_t *e = json_array_get(p.errors, 0);

        ck_assert_msg(rc == -1, "%s of %zu bytes accepted", c->field, c->len);
        ck_assert_uint_eq(problem_field_count(&p), 1);
        ck_assert_str_eq(json_string_value(json_object_get(e, "field")), c->field);
        ck_assert_str_eq(json_string_value(json_object_get(e, "message")), c->message);
    }
    free(s);
    json_decref(doc);
    problem_release(&p);
}
END_TEST

START_TEST(test_field_lookup)
{
    size_t n = sizeof fields / sizeof fields[0];

    ck_assert_ptr_eq(jsonx_field(fields, n, "name"), &fields[4]);
    ck_assert_ptr_eq(jsonx_field(fields, n, "id"), &fields[0]);
    ck_assert_ptr_eq(jsonx_field(fields, n, "extra"), &fields[n - 1]);
    ck_assert_ptr_null(jsonx_field(fields, n, "Name"));
    ck_assert_ptr_null(jsonx_field(fields, n, ""));
    ck_assert_ptr_null(jsonx_field(fields, 0, "name"));
}
END_TEST

/* ------------------------------------------------------------ merge patch */

struct patch_case {
    const char *target, *patch, *want; /* JSON with ' for " */
};

static const struct patch_case patch_cases[] = {
    /* RFC 7396, Appendix A */
    { "{'a':'b'}", "{'a':'c'}", "{'a':'c'}" },
    { "{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}" },
    { "{'a':'b'}", "{'a':null}", "{}" },
    { "{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}" },
    { "{'a':['b']}", "{'a':'c'}", "{'a':'c'}" },
    { "{'a':'c'}", "{'a':['b']}", "{'a':['b']}" },
    { "{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}" },
    { "{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}" },
    { "['a','b']", "['c','d']", "['c','d']" },
    { "{'a':'b'}", "['c']", "['c']" },
    { "{'a':'foo'}", "null", "null" },
    { "{'a':'foo'}", "'bar'", "'bar'" },
    { "{'e':null}", "{'a':1}", "{'e':null,'a':1}" },
    { "[1,2]", "{'a':'b','c':null}", "{'a':'b'}" },
    { "{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}" },
    /* RFC 7396, section 3 */
    { "{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},"
      "'tags':['example','sample'],'content':'This will be unchanged'}",
      "{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},"
      "'tags':['example']}",
      "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],"
      "'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}" },
    /* more */
    { "{'a':1}", "{}", "{'a':1}" },
    { "{}", "{}", "{}" },
    { "null", "{'a':1}", "{'a':1}" },
    { "'x'", "{'a':null}", "{}" },
    { "{'a':1}", "{'a':{'b':null,'c':2}}", "{'a':{'c':2}}" },
    { "{'a':{'b':1,'c':2}}", "{'a':null}", "{}" },
    { "{'a':{'b':{'c':1,'d':2}}}", "{'a':{'b':{'c':null,'e':3}}}", "{'a':{'b':{'d':2,'e':3}}}" },
    { "{'a':1}", "{'b':null}", "{'a':1}" },
    { "{'a':[1,2]}", "{'a':[null]}", "{'a':[null]}" }, /* nulls inside arrays stay */
    { "{'a':1}", "{'a':0}", "{'a':0}" },
    { "{'a':1}", "{'a':false}", "{'a':false}" },
    { "{'a':1}", "{'a':''}", "{'a':''}" },
};

/* Break any structure shared with the result: empty it in place. */
static void
scribble(json_t *j)
{
    if (json_is_object(j))
        json_object_clear(j);
    else if (json_is_array(j))
        json_array_clear(j);
}

START_TEST(test_merge_patch)
{
    const struct patch_case *c = &patch_cases[_i];
    json_t *target = J(c->target), *patch = J(c->patch), *want = J(c->want);
    json_t *target_copy = json_deep_copy(target), *patch_copy = json_deep_copy(patch);
    json_t *got = jsonx_merge_patch(target, patch);
    char *g = dump(got), *w = dump(want);

    ck_assert_msg(got != NULL, "case %d: NULL", _i);
    ck_assert_msg(json_equal(got, want), "case %d: %s + %s: got %s, want %s", _i, c->target,
                  c->patch, g, w);
    ck_assert_msg(json_equal(target, target_copy), "case %d: target modified", _i);
    ck_assert_msg(json_equal(patch, patch_copy), "case %d: patch modified", _i);
    /* the result shares nothing with the inputs */
    scribble(got);
    ck_assert_msg(json_equal(target, target_copy), "case %d: result shares with target", _i);
    ck_assert_msg(json_equal(patch, patch_copy), "case %d: result shares with patch", _i);
    free(g);
    free(w);
    json_decref(got);
    json_decref(target);
    json_decref(patch);
    json_decref(want);
    json_decref(target_copy);
    json_decref(patch_copy);
}
END_TEST

/* Shared sub-objects are not changed when a nested patch applies. */
START_TEST(test_merge_patch_nested_untouched)
{
    json_t *target = J("{'a':{'b':{'c':1}},'k':[1,{'x':2}]}");
    json_t *patch = J("{'a':{'b':{'c':null,'d':2}},'k':null}");
    json_t *inner = json_object_get(json_object_get(target, "a"), "b");
    json_t *got;

    json_incref(inner);
    got = jsonx_merge_patch(target, patch);
    ck_assert_int_eq(json_integer_value(json_object_get(inner, "c")), 1);
    ck_assert_ptr_null(json_object_get(inner, "d"));
    ck_assert_ptr_nonnull(json_object_get(target, "k"));
    ck_assert_ptr_null(json_object_get(json_object_get(json_object_get(got, "a"), "b"), "c"));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(got, "a"),
                                                                        "b"),
                                                        "d")),
                     2);
    json_decref(inner);
    json_decref(got);
    json_decref(target);
    json_decref(patch);
}
END_TEST

Suite *
jsonx_suite(void)
{
    Suite *s = suite_create("jsonx");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_parse, 0, N(parse_cases));
    tcase_add_test(tc, test_parse_null);
    suite_add_tcase(s, tc);

    tc = tcase_create("depth");
    tcase_add_loop_test(tc, test_depth, 0, N(depth_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("validate");
    tcase_add_loop_test(tc, test_validate, 0, N(validate_cases));
    tcase_add_test(tc, test_field_lookup);
    tcase_add_loop_test(tc, test_when, 0, N(when_cases));
    tcase_add_test(tc, test_when_unchanged);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_loop_test(tc, test_limits, 0, N(limit_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("merge_patch");
    tcase_add_loop_test(tc, test_merge_patch, 0, N(patch_cases));
    tcase_add_test(tc, test_merge_patch_nested_untouched);
    suite_add_tcase(s, tc);

    return s;
}
