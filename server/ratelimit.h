/*
 * ratelimit: per-key rate limiting (a token bucket per API key, in memory,
 * never on the SQLite path) and the parsing of --rate-limit. Connection,
 * header and deadline limits are libmicrohttpd options set by http.c.
 */
#ifndef CRMD_RATELIMIT_H
#define CRMD_RATELIMIT_H

#include <time.h>

#define RATELIMIT_MAX_BUCKETS 4096 /* keys tracked at once; the table is cleared when full */

/*
 * Parse a --rate-limit value: "N/s", "N/m" or "N" (per second), N a
 * positive number up to 1,000,000 per second, or "0"/"off". Stores the
 * rate in requests per second (0 = off). Returns 0, or -1 if malformed.
 */
int ratelimit_parse_rate(const char *s, double *per_sec);

/* Configure the limiter: per_sec 0 turns it off; burst >= 1 tokens per key. */
void ratelimit_rate_init(double per_sec, int burst);

/*
 * Take one token from key's bucket at time now (seconds, monotonic).
 * Returns 0 when the request may go, else the whole seconds (>= 1) until
 * the next token: the Retry-After of the 429. Thread-safe.
 */
int ratelimit_rate_take(const char *key, double now);

/* Seconds on the monotonic clock. */
double ratelimit_now(void);

#endif
