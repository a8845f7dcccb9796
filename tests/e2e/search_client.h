/*
 * search_client: helpers of the search suites (test_search.c,
 * test_search_names.c) over GET /v1/search; see search_client.c.
 */
#ifndef CRMD_TEST_SEARCH_CLIENT_H
#define CRMD_TEST_SEARCH_CLIENT_H

#include <jansson.h>

#include "harness.h"

#define ID_LEN 40
#define TAG_LEN 6
#define URL_MAX 2048

/* A number no other test of this run will draw (pid, clock and a counter). */
unsigned long long serial(void);

/* Six lower-case consonants that make a name this test's own. */
void new_tag(char out[TAG_LEN + 1]);

/* GET /v1/search?q=<q encoded>[&extra] into r. */
void search_reply(const char *q, const char *extra, struct reply *r);

/* Search, assert 200 JSON with an items array; the items (new reference). */
json_t *search(const char *q, const char *extra);

/* Position of customer id in items, or -1. */
int pos(const json_t *items, const char *id);

/* The item of customer id in items (borrowed), or NULL. */
json_t *find(const json_t *items, const char *id);

/* The item of id in items has this match kind and score (and value unless NULL). */
void assert_hit(const json_t *items, const char *id, const char *kind, int score, const char *value);

/* Search q (extra: more query, or NULL) and assert_hit on the items. */
void search_expect(const char *q, const char *extra, const char *id, const char *kind, int score,
                   const char *value);

/* Create a person from the members in fmt (without braces, after "kind"); its id into out. */
void person(char out[ID_LEN], const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run sql on the database file at path (a stopped server's), asserting it succeeds. */
void run_sql(const char *path, const char *sql);

#endif
