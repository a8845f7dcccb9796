/*
 * idempotency: Idempotency-Key on POST. A retry with the same key, method,
 * path and body gets the first answer (status, Location, ETag, body)
 * without running again; the same key with anything else → 422. Answers
 * are remembered in the transaction of the write, so a create and its key
 * commit together. SQL lives in store_idempotency.c.
 */
#ifndef CRMD_IDEMPOTENCY_H
#define CRMD_IDEMPOTENCY_H

#include "request.h"

#define IDEMPOTENCY_KEY_MAX 255

/* 1 if key is 1..IDEMPOTENCY_KEY_MAX printable ASCII characters (0x20-0x7E), else 0. */
int idempotency_key_valid(const char *key);

/* The request's Idempotency-Key, if any, is valid: 0, or -1 (400). */
int idempotency_check_key(const struct request *req, struct problem *p);

/*
 * Inside the write transaction of a POST, before it writes: no key → 0.
 * Otherwise keys older than --idempotency-ttl are deleted; a remembered
 * key with the same method, path and body (SHA-256) puts its answer into
 * res (replayed = 1) and returns 1: commit and return it. The key with
 * another method, path or body → -1 (422 idempotency-key-reused). An
 * unknown key → 0: write, then call idempotency_record before COMMIT.
 */
int idempotency_replay(struct request *req, struct response *res);

/*
 * Remember the successful (2xx) answer res under the request's key, in
 * the same transaction, before COMMIT. No key or no 2xx → 0 (nothing kept).
 */
int idempotency_record(const struct request *req, struct response *res);

#endif
