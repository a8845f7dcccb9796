/*
 * store_idempotency: the remembered answers of POST requests sent with an
 * Idempotency-Key (table idempotency_keys, schema/005). SQL only; what a
 * key means for a request is idempotency.c's business. Every function
 * runs inside the caller's write transaction.
 */
#ifndef CRMD_STORE_IDEMPOTENCY_H
#define CRMD_STORE_IDEMPOTENCY_H

#include <jansson.h>

#include "problem.h"

struct db;

/* A remembered answer, as written by store_idempotency_put (strings borrowed). */
struct store_idempotency {
    const char *key;
    const char *method;
    const char *path;
    const char *body_sha256; /* hex */
    int status;
    const char *location;   /* NULL = none */
    const char *etag;       /* NULL = none */
    const char *response;   /* JSON text, NULL = no body */
    const char *created_at; /* RFC 3339 UTC */
};

/* Delete the keys created before cutoff (RFC 3339 UTC); an index range scan. */
int store_idempotency_expire(struct db *db, const char *cutoff, struct problem *p);

/*
 * The answer remembered for key as a new object {method, path, body_sha256,
 * status, location, etag, response} (absent values null) in *out, or
 * *out = NULL when the key is unknown. Returns 0 or -1.
 */
int store_idempotency_get(struct db *db, const char *key, json_t **out, struct problem *p);

/* Remember an answer; a key already present → 409 (the caller looked it up first). */
int store_idempotency_put(struct db *db, const struct store_idempotency *rec, struct problem *p);

#endif
