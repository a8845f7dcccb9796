/*
 * model: the shape of each resource as one table of fields (names, types,
 * limits, nested validators) plus cross-field rules. Handlers validate
 * with it; the store maps every field to the column of the same name.
 * api-docs/openapi.yaml mirrors these tables.
 */
#ifndef CRMD_MODEL_H
#define CRMD_MODEL_H

#include <jansson.h>

#include "jsonx.h"

struct model_computed {
    const char *name; /* member of the representation */
    const char *expr; /* SQL expression yielding JSON text; "t" aliases the table */
    const char *fresh; /* its JSON for a record just created (nothing refers to it), or NULL */
};

struct model {
    const char *name;  /* "customer": for messages and cursors */
    const char *table; /* "customers" */
    const char *path;  /* "/v1/customers": for Location */
    int tag;           /* distinct small number, bound into cursors */
    const struct field *fields;
    size_t nfields;
    const struct model_computed *computed; /* read-only members, may be NULL */
    size_t ncomputed;
    /* rules across fields (after jsonx_validate succeeded); NULL if none */
    int (*check)(json_t *doc, const json_t *old, struct problem *p);
};

extern const struct model model_customer;
extern const struct model model_household;
extern const struct model model_vehicle;
extern const struct model model_touchpoint;

/*
 * Validate doc against m (fields, then m->check). old is the stored
 * representation on update, NULL on create. Returns 0 or -1 (400).
 */
int model_validate(const struct model *m, json_t *doc, const json_t *old, struct problem *p);

/* Nested validators shared by several models (field_check signature). */
int model_check_address(json_t **v, const char *name, const json_t *old, struct problem *p);
int model_check_external_refs(json_t **v, const char *name, const json_t *old, struct problem *p);

/* One external reference {system, id}; field errors name fname. Returns 0 or -1. */
int model_check_external_ref(const json_t *ref, const char *fname, struct problem *p);

/* A person's roles at a company: 1-4 distinct of fleet_manager, decision_maker, driver, employee. */
int model_check_company_roles(json_t **v, const char *name, const json_t *old, struct problem *p);

/* Key "system:id" of one external reference object (valid after the check); out ≥ 200 bytes. */
void model_external_ref_key(const json_t *ref, char *out, size_t outsz);

#endif
