/*
 * search_client: what the search suites share: names of their own (a
 * random tag per test), people made through the API, GET /v1/search and
 * assertions on its items, and SQL on a stopped server's database.
 */
#include <ctype.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "search_client.h"

/* A number no other test of this run will draw (pid, clock and a counter). */
unsigned long long
serial(void)
{
    static unsigned long long n;
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((unsigned long long)getpid() << 40) ^
           ((unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec) ^
           (++n * 7919ULL);
}

/*
 * Six lower-case consonants (no h, j, q, y: nothing the folding or the
 * phonetic code treats specially) that make a name this test's own.
 */
void
new_tag(char out[TAG_LEN + 1])
{
    static const char letters[] = "bcdfgklmnprstvwxz";
    unsigned long long u = serial() * 2862933555777941757ULL + 3037000493ULL;

    for (int i = 0; i < TAG_LEN; i++) {
        out[i] = letters[u % (sizeof letters - 1)];
        u /= sizeof letters - 1;
    }
    out[TAG_LEN] = '\0';
}


/* Percent-encode everything but unreserved characters. */
static void
enc(const char *in, char *out, size_t outsz)
{
    size_t n = 0;

    for (const unsigned char *s = (const unsigned char *)in; *s && n + 4 < outsz; s++) {
        if (isalnum(*s) || *s == '-' || *s == '.' || *s == '_' || *s == '~')
            out[n++] = (char)*s;
        else
            n += (size_t)snprintf(out + n, outsz - n, "%%%02X", *s);
    }
    out[n] = '\0';
}

/* GET /v1/search?q=<q encoded>[&extra] into r. */
void
search_reply(const char *q, const char *extra, struct reply *r)
{
    char qe[URL_MAX], path[URL_MAX + 128];

    enc(q, qe, sizeof qe);
    snprintf(path, sizeof path, "/v1/search?q=%s%s%s", qe, extra ? "&" : "", extra ? extra : "");
    http_get(path, r);
}

/* Search, assert 200 JSON with an items array; the items (new reference). */
json_t *
search(const char *q, const char *extra)
{
    struct reply r;
    json_t *items;

    search_reply(q, extra, &r);
    assert_json(&r, 200);
    items = json_object_get(r.json, "items");
    ck_assert_msg(json_is_array(items), "no items: %s", r.body);
    ck_assert_int_eq(json_object_size(r.json), 1);
    json_incref(items);
    reply_free(&r);
    return items;
}

/* Position of customer id in items, or -1. */
int
pos(const json_t *items, const char *id)
{
    json_t *it;
    size_t i;

    json_array_foreach(items, i, it)
    {
        if (!strcmp(sget(it, "customer_id"), id))
            return (int)i;
    }
    return -1;
}

json_t *
find(const json_t *items, const char *id)
{
    int i = pos(items, id);
    return i < 0 ? NULL : json_array_get(items, (size_t)i);
}

/* The item of id in items has this match kind and score (and value unless NULL). */
void
assert_hit(const json_t *items, const char *id, const char *kind, int score, const char *value)
{
    json_t *it = find(items, id), *m;
    char *dump;

    dump = json_dumps(items, JSON_COMPACT);
    ck_assert_msg(it != NULL, "customer %s not in %s", id, dump);
    m = json_object_get(it, "match");
    ck_assert_msg(!strcmp(sget(m, "kind"), kind), "match kind %s, want %s in %s", sget(m, "kind"),
                  kind, dump);
    ck_assert_msg(json_integer_value(json_object_get(it, "score")) == score,
                  "score %lld, want %d in %s", json_integer_value(json_object_get(it, "score")),
                  score, dump);
    if (value)
        ck_assert_str_eq(sget(m, "value"), value);
    free(dump);
}

void
search_expect(const char *q, const char *extra, const char *id, const char *kind, int score,
              const char *value)
{
    json_t *items = search(q, extra);

    assert_hit(items, id, kind, score, value);
    json_decref(items);
}

/* Create a person from the members in fmt (without braces, after "kind"). */
void
person(char out[ID_LEN], const char *fmt, ...)
{
    char members[1024], body[1200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(members, sizeof members, fmt, ap);
    va_end(ap);
    snprintf(body, sizeof body, "{\"kind\":\"person\",%s}", members);
    snprintf(out, ID_LEN, "%s", create_ok("/v1/customers", body));
}

/* Run sql on the database file at path (a stopped server's). */
void
run_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    char *err = NULL;

    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
    sqlite3_close(db);
}
