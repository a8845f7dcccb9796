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
    /* fills members a new record takes from the request (not from the body) into doc before it
     * is validated; NULL = none */
    void (*create_defaults)(const struct request *req, json_t *doc);
    /* decides what happens to referring records; NULL = nothing refers */
    int (*before_delete)(struct db *db, const char *id, int cascade, struct problem *p);
};

/* The resources (customers.c, households.c, vehicles.c, touchpoints.c). */
extern const struct resource resource_customers;
extern const struct resource resource_households;
extern const struct resource resource_vehicles;
extern const struct resource resource_touchpoints;
/* Touchpoints that already happened (import): the rules without the contact policy. */
extern const struct resource resource_touchpoints_history;

int resource_create(struct request *req, struct response *res, const struct resource *r);
int resource_get(struct request *req, struct response *res, const struct resource *r);
int resource_list(struct request *req, struct response *res, const struct resource *r);
int resource_patch(struct request *req, struct response *res, const struct resource *r);
int resource_delete(struct request *req, struct response *res, const struct resource *r);

enum resource_outcome { RESOURCE_CREATED, RESOURCE_UPDATED, RESOURCE_UNCHANGED };

/*
 * Inside the caller's write transaction: create a record of r from fields
 * (id NULL), or apply fields to record id as a JSON Merge Patch (RFC 7396)
 * would, with the same validation and store rules as POST and PATCH.
 * Writes nothing when the result equals the stored record. Takes fields
 * (may modify it). Fills *outcome and out_id (37 bytes). Returns 0 or -1.
 */
int resource_upsert(struct db *db, const struct resource *r, const char *id, json_t *fields,
                    enum resource_outcome *outcome, char *out_id, struct problem *p);

/* Set the ETag of res to that of representation doc of m (etag_of). */
void resource_etag(struct response *res, const struct model *m, const json_t *doc);

/*
 * The request's If-Match against cur, the current representation of m,
 * read inside the write transaction: absent or matching → 0; malformed →
 * -1 (400); stale → -1 (412 with current_version and current_etag).
 */
int resource_if_match(const struct request *req, const struct model *m, const json_t *cur,
                      struct problem *p);

/*
 * Path capture i as a canonical (lower-case) id into out; a capture that
 * is not a UUID → 404 "no <what> with id ...". Returns 0 or -1.
 */
int resource_id(const struct request *req, size_t i, const char *what, char *out,
                struct problem *p);

/*
 * After a handler answered 404 (p): when a customer id of the path
 * (every capture of /v1/customers/..., {customer_id} elsewhere) names a
 * customer merged into another (store_merge_survivor), add "merged_into"
 * with the surviving id and say so in the detail. Any other problem, or
 * a failed lookup, leaves p as it is. Outside a transaction.
 */
void resource_merged_hint(struct request *req, struct problem *p);

#endif
