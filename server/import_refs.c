/*
 * import_refs: the external references one import has already resolved
 * ("customer dms:K-1" → id), so that the lines referring to a record do
 * not each look it up again. import.c forgets them whenever they could go
 * stale: at every batch commit (other writers get the lock in between)
 * and after a line that updated a record (its references may have moved).
 */
#include "import.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct import_ref {
    uint64_t hash; /* 0 = empty slot */
    char *key;     /* "resource system:id" */
    char id[UTIL_UUID_LEN + 1];
};

static uint64_t
hash_of(const char *resource, const char *key)
{
    uint64_t h = 1469598103934665603ull;

    for (const char *s = resource; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h = (h ^ ' ') * 1099511628211ull;
    for (const char *s = key; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h ^= h >> 29;
    return h ? h : 1;
}

static int
same(const struct import_ref *r, const char *resource, const char *key)
{
    size_t n = strlen(resource);
    return !strncmp(r->key, resource, n) && r->key[n] == ' ' && !strcmp(r->key + n + 1, key);
}

/* The slot of (resource, key): its entry, or the empty slot where it would go. */
static struct import_ref *
slot(struct import_refs *m, uint64_t h, const char *resource, const char *key)
{
    size_t i = h & (m->cap - 1);

    for (; m->v[i].hash; i = (i + 1) & (m->cap - 1))
        if (m->v[i].hash == h && same(&m->v[i], resource, key))
            break;
    return &m->v[i];
}

int
import_refs_find(struct import_refs *m, const char *resource, const char *key, char *id)
{
    struct import_ref *r;

    if (m->n == 0)
        return 0;
    r = slot(m, hash_of(resource, key), resource, key);
    if (!r->hash)
        return 0;
    memcpy(id, r->id, UTIL_UUID_LEN + 1);
    return 1;
}

static void
grow(struct import_refs *m)
{
    struct import_refs bigger = {.cap = m->cap ? m->cap * 2 : 1024};

    bigger.v = xcalloc(bigger.cap, sizeof *bigger.v);
    for (size_t i = 0; i < m->cap; i++) {
        struct import_ref *r = &m->v[i];
        size_t j;
        if (!r->hash)
            continue;
        for (j = r->hash & (bigger.cap - 1); bigger.v[j].hash; j = (j + 1) & (bigger.cap - 1))
            ;
        bigger.v[j] = *r;
    }
    bigger.n = m->n;
    free(m->v);
    *m = bigger;
}

void
import_refs_learn(struct import_refs *m, const char *resource, const char *key, const char *id)
{
    struct import_ref *r;
    uint64_t h = hash_of(resource, key);
    size_t n = strlen(resource), k = strlen(key);

    if (strlen(id) != UTIL_UUID_LEN)
        return;
    if (2 * (m->n + 1) > m->cap)
        grow(m);
    r = slot(m, h, resource, key);
    if (!r->hash) {
        r->hash = h;
        r->key = xmalloc(n + k + 2);
        memcpy(r->key, resource, n);
        r->key[n] = ' ';
        memcpy(r->key + n + 1, key, k + 1);
        m->n++;
    }
    memcpy(r->id, id, UTIL_UUID_LEN + 1);
}

void
import_refs_forget(struct import_refs *m)
{
    for (size_t i = 0; i < m->cap && m->n; i++)
        if (m->v[i].hash) {
            free(m->v[i].key);
            m->v[i].hash = 0;
            m->n--;
        }
}

void
import_refs_release(struct import_refs *m)
{
    import_refs_forget(m);
    free(m->v);
    memset(m, 0, sizeof *m);
}
