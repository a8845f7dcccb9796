/*
 * store_keys: SQL of the API keys (schema/009). The hash column is read
 * by one statement only (SQL_BY_PREFIX, for authentication); the
 * representation {id, name, role, prefix, created_at, last_used_at,
 * revoked_at} leaves it out. Every function returns 0, or -1 with p set.
 */
#ifndef CRMD_STORE_KEYS_H
#define CRMD_STORE_KEYS_H

#include <jansson.h>

#include "apikey.h"
#include "problem.h"
#include "role.h"
#include "util.h"

#define STORE_KEYS_NAME_MAX 128 /* bytes of a key's name */

struct db;

/* The key a request presented, as authentication found it. */
struct store_key_auth {
    char id[UTIL_UUID_LEN + 1];
    enum role role;
    char last_used_at[UTIL_TIME_LEN + 1]; /* "" = never */
    char name[STORE_KEYS_NAME_MAX + 1];   /* who the key is for ("Anna Berger", "DMS sync") */
};

/*
 * Create a key named name with role: a fresh secret into key (shown once),
 * the representation into *out (new reference). 409 when an unrevoked key
 * has that name. Runs its own write transaction.
 */
int store_keys_create(struct db *db, const char *name, enum role role, char key[APIKEY_LEN + 1],
                      json_t **out, struct problem *p);

/* The representation of key id (404 when there is none). */
int store_keys_get(struct db *db, const char *id, json_t **out, struct problem *p);

/* A page of keys in creation order after seq from (0 = start); as store_webhooks_list. */
struct store_keys_page {
    long long from;
    int limit;
    json_t *items;  /* out: new array */
    long long last; /* out: seq of the last item */
    int more;       /* out: 1 if rows follow */
};
int store_keys_list(struct db *db, struct store_keys_page *page, struct problem *p);

/*
 * Revoke the key with this id, or else the unrevoked key with this name
 * (ref is either); 404 when neither exists. A revoked key stays revoked
 * (its revoked_at is kept). The representation after into *out when out
 * is not NULL. Runs its own write transaction.
 */
int store_keys_revoke(struct db *db, const char *ref, json_t **out, struct problem *p);

/*
 * Find the unrevoked key whose hash matches key (valid shape). Returns 1
 * and fills *a when found, 0 when not, -1 on a database failure.
 */
int store_keys_authenticate(struct db *db, const char *key, struct store_key_auth *a,
                            struct problem *p);

/* Are there unrevoked keys? 1 or 0, -1 on a database failure. */
int store_keys_any(struct db *db, struct problem *p);

/*
 * Note that key id was used now, unless a.last_used_at is less than a
 * minute old. Best effort: never waits for the write lock, fails silently.
 */
void store_keys_touch(struct db *db, const struct store_key_auth *a, int busy_timeout_ms);

#endif
