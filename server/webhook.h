/*
 * webhook: the pure parts of webhooks: what a subscription's URL, event
 * patterns and secret may be, which change an event pattern matches, the
 * signature of a delivery (HMAC-SHA256 through OpenSSL) and the retry
 * schedule. No I/O except the random bytes of a generated secret.
 */
#ifndef CRMD_WEBHOOK_H
#define CRMD_WEBHOOK_H

#include <jansson.h>
#include <stddef.h>

#define WEBHOOK_URL_MAX 2048      /* bytes of a subscription URL */
#define WEBHOOK_EVENTS_MAX 32     /* patterns in "events" */
#define WEBHOOK_EVENT_MAX 64      /* bytes of one event name or pattern */
#define WEBHOOK_SECRET_MIN 16     /* bytes of a client-given secret */
#define WEBHOOK_SECRET_MAX 256
#define WEBHOOK_SECRET_LEN 70     /* a generated secret: "whsec_" + 64 hex (256 random bits) */
#define WEBHOOK_SIGNATURE_LEN 67  /* "v1=" + 64 hex */

/*
 * Why url cannot be a subscription URL (an absolute http or https URL
 * with a host, printable ASCII, no user:password@, no #fragment, at most
 * WEBHOOK_URL_MAX bytes, a host netguard.h does not refuse), or NULL when
 * it can. The text may live in a thread-local buffer until the next call.
 */
const char *webhook_url_error(const char *url);

/*
 * Why pattern is not an event pattern, or NULL: "*" (everything),
 * "<type>.*" or "<type>.<created|updated|deleted>" with a type of the
 * change feed (store_change_types).
 */
const char *webhook_event_error(const char *pattern);

/*
 * The event name of a change: type "customer", operation "create" →
 * "customer.created". out holds WEBHOOK_EVENT_MAX bytes.
 */
void webhook_event_name(const char *type, const char *op, char out[WEBHOOK_EVENT_MAX]);

/* 1 if event ("customer.created") matches one of the patterns (array of strings), else 0. */
int webhook_events_match(const json_t *patterns, const char *event);

/*
 * Bit mask over store_change_types of the types the patterns can match
 * (0 = every type), for reading only those from the feed.
 */
unsigned webhook_events_types(const json_t *patterns);

/*
 * The Crmd-Signature value of a delivery: "v1=" + lower-case hex of
 * HMAC-SHA256(key = secret's bytes, message = timestamp (decimal epoch
 * seconds) + "." + body). Aborts if libcrypto fails.
 */
void webhook_sign(const char *secret, long long timestamp, const char *body, size_t len,
                  char out[WEBHOOK_SIGNATURE_LEN + 1]);

/* A new secret: "whsec_" + 64 hex digits of 32 random bytes (RAND_bytes). */
void webhook_secret_new(char out[WEBHOOK_SECRET_LEN + 1]);

/*
 * Milliseconds to wait after the failures-th failed attempt in a row
 * (1, 2, ...): base, 2 base, 4 base, ... capped at cap.
 */
long long webhook_backoff_ms(int failures, long long base, long long cap);

#endif
