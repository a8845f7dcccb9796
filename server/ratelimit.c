/*
 * ratelimit: token buckets per API key id in an open-addressed table under
 * one mutex (a few hundred nanoseconds per request). The table is
 * bounded; when it fills up it is cleared, which only refills buckets.
 */
#include "ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 40

struct bucket {
    char key[KEY_MAX]; /* "" = free slot */
    double tokens;
    double stamp;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct bucket table[RATELIMIT_MAX_BUCKETS];
static size_t used;
static double rate;  /* tokens per second, 0 = off */
static double burst; /* bucket size */

int
ratelimit_parse_rate(const char *s, double *per_sec)
{
    char *end;
    double n;

    if (!s || !*s)
        return -1;
    if (!strcmp(s, "off") || !strcmp(s, "0")) {
        *per_sec = 0;
        return 0;
    }
    n = strtod(s, &end);
    if (end == s || !isfinite(n) || n <= 0)
        return -1;
    if (!strcmp(end, "/m"))
        n /= 60.0;
    else if (*end && strcmp(end, "/s"))
        return -1;
    if (n > 1e6)
        return -1;
    *per_sec = n;
    return 0;
}

void
ratelimit_rate_init(double per_sec, int size)
{
    pthread_mutex_lock(&lock);
    rate = per_sec;
    burst = size >= 1 ? size : 1;
    memset(table, 0, sizeof table);
    used = 0;
    pthread_mutex_unlock(&lock);
}

double
ratelimit_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t
hash(const char *s)
{
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The bucket of key, created full; called under lock. */
static struct bucket *
find(const char *key, double now)
{
    size_t i = hash(key) % RATELIMIT_MAX_BUCKETS;

    for (;; i = (i + 1) % RATELIMIT_MAX_BUCKETS) {
        struct bucket *b = &table[i];
        if (!strcmp(b->key, key))
            return b;
        if (b->key[0])
            continue;
        if (used >= RATELIMIT_MAX_BUCKETS * 3 / 4) {
            memset(table, 0, sizeof table);
            used = 0;
            return find(key, now);
        }
        strncpy(b->key, key, KEY_MAX - 1);
        b->tokens = burst;
        b->stamp = now;
        used++;
        return b;
    }
}

int
ratelimit_rate_take(const char *key, double now)
{
    struct bucket *b;
    int wait = 0;

    if (rate <= 0 || !key || !*key)
        return 0;
    pthread_mutex_lock(&lock);
    b = find(key, now);
    if (now > b->stamp)
        b->tokens = fmin(burst, b->tokens + (now - b->stamp) * rate);
    b->stamp = now;
    if (b->tokens >= 1.0)
        b->tokens -= 1.0;
    else
        wait = (int)ceil((1.0 - b->tokens) / rate);
    pthread_mutex_unlock(&lock);
    return wait > 0 ? wait : 0;
}
