/*
 * receiver: a webhook receiver for the end-to-end tests, a libmicrohttpd
 * daemon on a free local port inside the test process. It records every
 * POST (headers of the signature scheme and body) and can be told to
 * answer the next N with an error status. URLs with a tag starting
 * "slow" answer after 1.5 s (one thread per connection).
 */
#ifndef CRMD_TEST_RECEIVER_H
#define CRMD_TEST_RECEIVER_H

#include <stddef.h>

#define RECEIVER_MAX 256 /* requests recorded */

struct received {
    char *body;
    char path[128];
    char webhook_id[64];
    char event_id[64];
    char event_type[64];
    char timestamp[32];
    char signature[128];
    char attempt[16];
    char content_type[64];
    int status; /* what the receiver answered */
};

/* Start the receiver; returns its port. */
int receiver_start(void);

/* Stop it and forget everything recorded. */
void receiver_stop(void);

/* Answer the next n requests with status (e.g. 500) instead of 204. */
void receiver_fail_next(int n, int status);

/* Number of requests recorded so far (all), or answered 2xx only (ok_only). */
int receiver_count(int ok_only);

/* Number of requests answered 2xx whose URL was receiver_url(tag). */
int receiver_count_tag(const char *tag);

/* Number of requests whose body arrived (counted before a slow receiver's pause). */
int receiver_arrived(void);

/*
 * Wait up to seconds until at least n requests were answered 2xx;
 * returns the number answered 2xx.
 */
int receiver_wait(int n, double seconds);

/* Copy of request i (0 = first) in arrival order, all requests; body is owned by the receiver. */
struct received receiver_get(int i);

/* "http://127.0.0.1:<port>/hooks/<tag>" in static storage. */
const char *receiver_url(const char *tag);

#endif
