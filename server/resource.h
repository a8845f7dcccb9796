/*
 * resource: the generic create/read/list/patch/delete handlers every
 * resource shares. A resource is a model, its list filters and its
 * store rules; customers.c, vehicles.c, ... only name those.
 */
#ifndef CRMD_RESOURCE_H
#define CRMD_RESOURCE_H

#include <jansson.h>

#include "model.h"
#include "util.h"
#include "request.h"
#include "store.h"

#define RESOURCE_LIMIT_DEFAULT 50
#define RESOURCE_LIMIT_MAX 200

struct resource {
    const struct model *model;
    const struct store_filter *filters; /* ended by { NULL } */
    /* inside the write transaction, before/after the row is written; may be NULL */
    int (*before_write)(struct db *db, const json_t *doc, struct problem *p);
    int (*after_write)(struct db *db, const json_t *doc, struct problem *p);
    /* decides what happens to referring records; NULL = nothing refers */
    int (*before_delete)(struct db *db, const char *id, int cascade, struct problem *p);
};

int resource_create(struct request *req, struct response *res, const struct resource *r);
int resource_get(struct request *req, struct response *res, const struct resource *r);
int resource_list(struct request *req, struct response *res, const struct resource *r);
int resource_patch(struct request *req, struct response *res, const struct resource *r);
int resource_delete(struct request *req, struct response *res, const struct resource *r);

/*
 * Path capture i as a canonical (lower-case) id into out; a capture that
 * is not a UUID → 404 "no <what> with id ...". Returns 0 or -1.
 */
int resource_id(const struct request *req, size_t i, const char *what, char *out,
                struct problem *p);

#endif
