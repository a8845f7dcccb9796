/*
 * store_webhooks: webhook subscriptions and their delivery log (tables
 * webhooks and webhook_deliveries, schema/007). SQL only: validation is
 * webhooks.c's, delivering is webhooks_worker.c's. Representations never
 * contain the secret; only store_webhooks_due() reads it, for signing.
 */
#ifndef CRMD_STORE_WEBHOOKS_H
#define CRMD_STORE_WEBHOOKS_H

#include <jansson.h>

#include "problem.h"

struct db;

#define STORE_WEBHOOKS_MAX 100  /* subscriptions */
#define STORE_WEBHOOK_LOG_KEEP 200 /* delivery log rows kept per subscription */

/* Writes (insert, update, delete) run inside store_begin_write() ... store_commit(). */

/* Number of subscriptions into *n. */
int store_webhooks_count(struct db *db, long long *n, struct problem *p);


/*
 * Insert doc (validated: id, created_at, updated_at, version, url, events,
 * status, description or absent) with its secret, starting after change
 * cursor (a changes.seq).
 */
int store_webhook_insert(struct db *db, const json_t *doc, const char *secret, long long cursor,
                         struct problem *p);

/*
 * The representation of subscription id: the members of doc plus cursor
 * (change-feed cursor, encoded), failures and next_attempt_at (or null).
 * 404 when absent.
 */
int store_webhook_get(struct db *db, const char *id, json_t **out, struct problem *p);

/*
 * Write url, events, description, status, updated_at and version of doc
 * if the stored version is still expected (else 409). retry_now clears
 * the backoff (failures 0, next attempt now): the URL changed or the
 * subscription was resumed.
 */
int store_webhook_update(struct db *db, const json_t *doc, long long expected, int retry_now,
                         struct problem *p);

/* Delete subscription id and its log; 404 when absent. */
int store_webhook_delete(struct db *db, const char *id, struct problem *p);

/* A page of a list: rows after (or before, newest first) a position. */
struct store_webhook_page {
    long long from; /* webhooks: seq after which to list (0 = start); deliveries: n before
                       which to list (0 = newest) */
    int limit;
    json_t *items;  /* out: new array */
    long long last; /* out: position of the last item */
    int more;       /* out: 1 if rows follow */
};

/* Subscriptions in creation order. */
int store_webhooks_list(struct db *db, struct store_webhook_page *page, struct problem *p);

/*
 * The delivery log of subscription id, newest first: {id, event_id,
 * event, attempt, at, duration_ms, status_code, error, outcome}. 404 when
 * there is no such subscription.
 */
int store_webhook_deliveries(struct db *db, const char *id, struct store_webhook_page *page,
                             struct problem *p);

/* ---- for the delivery worker (own transactions) ---- */

/*
 * Active subscriptions whose next attempt is due at now_ms (epoch ms):
 * [{id, url, secret, events (array), cursor (seq), failures}] into *out
 * (new array), and the earliest later next attempt of an active one into
 * *next_ms (0 when none).
 */
int store_webhooks_due(struct db *db, long long now_ms, json_t **out, long long *next_ms,
                       struct problem *p);

/* Move the cursor of id from `from` to `to` past changes its events do not match. */
int store_webhook_skip(struct db *db, const char *id, long long from, long long to,
                       struct problem *p);

/* One finished delivery attempt. */
struct store_webhook_attempt {
    const char *webhook_id;
    const char *url;      /* where it was sent */
    long long change_seq;
    const char *event;
    int attempt;
    const char *at;       /* RFC 3339 UTC start */
    long long duration_ms;
    long status_code;     /* 0 = no answer */
    const char *error;    /* NULL when delivered */
    long long retry_at_ms; /* failed: epoch ms of the next attempt */
};

/*
 * Record a: delivered → the cursor moves to change_seq and failures
 * reset; failed → failures + 1 and the next attempt at retry_at_ms,
 * unless the URL changed meanwhile (the new one is tried at once). Logs
 * the attempt and prunes the log to STORE_WEBHOOK_LOG_KEEP. Nothing
 * happens when the subscription was deleted meanwhile.
 */
int store_webhook_record(struct db *db, const struct store_webhook_attempt *a, struct problem *p);

#endif
