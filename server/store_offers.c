/*
 * store_offers: representations writers hand to the change feed. A write
 * that already holds its record as GET shows it offers it here; at commit
 * store_changes_flush() takes its text instead of reading the row back, when the
 * record was written exactly once in the transaction (store_changes.c
 * checks that). Per thread, like the connections; cleared when a write
 * transaction begins, commits or rolls back, and cut back to a mark when
 * an import line's savepoint is rolled back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_util.h"

struct offer {
    const struct model *model;
    long long version;
    char id[UTIL_UUID_LEN + 1];
    char *text; /* the representation as the change feed stores it */
};

struct offers {
    struct db *db;   /* the connection the offers belong to */
    struct offer *v; /* in the order offered */
    size_t n, cap;
    uint32_t *slots; /* index + 1 into v, 0 = empty; built by store_offers_find */
    size_t nslots, indexed;
};

static _Thread_local struct offers offers;

static struct offers *
mine(struct db *db)
{
    if (offers.db != db) {
        store_offers_forget(offers.db, 0);
        offers.db = db;
    }
    return &offers;
}

void
store_offers_take(struct db *db, const struct model *m, const char *id, long long version,
                  char *text)
{
    struct offers *o = mine(db);
    struct offer *f;

    if (!text || !id || strlen(id) != UTIL_UUID_LEN) {
        free(text);
        return;
    }
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->v = xrealloc(o->v, o->cap * sizeof *o->v);
    }
    f = &o->v[o->n++];
    f->model = m;
    f->version = version;
    memcpy(f->id, id, sizeof f->id);
    f->text = text;
}

void
store_offers_add(struct db *db, const struct model *m, const json_t *doc)
{
    if (doc)
        store_offers_take(db, m, json_string_value(json_object_get(doc, "id")),
                          json_integer_value(json_object_get(doc, "version")),
                          store_changes_text(doc));
}

size_t
store_offers_mark(struct db *db)
{
    return mine(db)->n;
}

void
store_offers_forget(struct db *db, size_t mark)
{
    struct offers *o = &offers;

    if (o->db != db)
        return;
    while (o->n > mark)
        free(o->v[--o->n].text);
    if (o->indexed > o->n)
        o->indexed = 0; /* the index points at forgotten entries: rebuild it */
    if (o->n == 0) {
        free(o->v);
        free(o->slots);
        memset(o, 0, sizeof *o);
        o->db = db;
    }
}

static uint32_t
hash_id(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static const char *
id_of(const struct offer *f)
{
    return f->id;
}

/* Put offers [indexed, n) into the slots (a later offer of an id replaces the earlier). */
static void
index_more(struct offers *o)
{
    size_t i, j;

    if (2 * o->n > o->nslots || o->indexed == 0) {
        size_t want = 64;
        while (want < 2 * o->n)
            want *= 2;
        free(o->slots);
        o->slots = xcalloc(want, sizeof *o->slots);
        o->nslots = want;
        o->indexed = 0;
    }
    for (i = o->indexed; i < o->n; i++) {
        const char *id = id_of(&o->v[i]);
        for (j = hash_id(id) & (o->nslots - 1); o->slots[j]; j = (j + 1) & (o->nslots - 1))
            if (!strcmp(id_of(&o->v[o->slots[j] - 1]), id))
                break;
        o->slots[j] = (uint32_t)(i + 1);
    }
    o->indexed = o->n;
}

const char *
store_offers_find(struct db *db, const struct model *m, const char *id, long long version)
{
    struct offers *o = &offers;
    size_t j;

    if (o->db != db || o->n == 0 || !m)
        return NULL;
    if (o->indexed != o->n)
        index_more(o);
    for (j = hash_id(id) & (o->nslots - 1); o->slots[j]; j = (j + 1) & (o->nslots - 1)) {
        const struct offer *f = &o->v[o->slots[j] - 1];
        if (!strcmp(id_of(f), id))
            return f->model == m && f->version == version ? f->text : NULL;
    }
    return NULL;
}
