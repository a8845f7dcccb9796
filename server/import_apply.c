/*
 * import_apply: one import line against the database. Records are found
 * by external reference and created or merge-patched through
 * resource_upsert (the validation and store rules of POST and PATCH);
 * references by external id become the ids the API takes. Memberships
 * and company roles go through the same store calls as their PUTs.
 */
#include "import.h"

#include <stdio.h>
#include <string.h>

#include "model.h"
#include "store.h"
#include "util.h"

const char *const import_type_names[IMPORT_NTYPES] = { "customer", "household", "vehicle",
                                                       "membership", "company_person",
                                                       "touchpoint" };

/* A member naming another record by external id, and the id member it stands for. */
struct ref_field {
    const char *name;     /* "owner" */
    const char *id_field; /* "owner_id" */
    const char *resource; /* "customer" */
};

static const struct ref_field vehicle_refs[] = {
    { "owner", "owner_id", "customer" },
    { "main_driver", "main_driver_id", "customer" },
    { NULL, NULL, NULL },
};
static const struct ref_field touchpoint_refs[] = {
    { "customer", "customer_id", "customer" },
    { "vehicle", "vehicle_id", "vehicle" },
    { NULL, NULL, NULL },
};
static const struct ref_field no_refs[] = { { NULL, NULL, NULL } };

static int
check_ref(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    (void)old;
    return model_check_external_ref(*v, name, p);
}

static const char *const member_roles[] = { "head", "partner", "child", "parent", "other", NULL };

static const struct field membership_fields[] = {
    { "household", FIELD_JSON, FIELD_REQUIRED, 0, 0, NULL, check_ref },
    { "customer", FIELD_JSON, FIELD_REQUIRED, 0, 0, NULL, check_ref },
    { "role", FIELD_ENUM, FIELD_REQUIRED, 0, 0, member_roles, NULL },
    { "move", FIELD_BOOL, 0, 0, 0, NULL, NULL },
};

static const struct field company_person_fields[] = {
    { "company", FIELD_JSON, FIELD_REQUIRED, 0, 0, NULL, check_ref },
    { "person", FIELD_JSON, FIELD_REQUIRED, 0, 0, NULL, check_ref },
    { "roles", FIELD_JSON, FIELD_REQUIRED, 0, 0, NULL, model_check_company_roles },
};

#define NFIELDS(a) (sizeof a / sizeof a[0])

int
import_type_of(const char *name)
{
    for (int i = 0; i < IMPORT_NTYPES; i++)
        if (strcmp(import_type_names[i], name) == 0)
            return i;
    return -1;
}

static int
ref_key(const json_t *line, const char *member, char *key, size_t keysz, struct problem *p)
{
    const json_t *ref = json_object_get(line, member);

    if (!ref || json_is_null(ref))
        problem_add_field(p, member, "is required: {\"system\": ..., \"id\": ...}");
    else if (model_check_external_ref(ref, member, p) == 0) {
        model_external_ref_key(ref, key, keysz);
        return 0;
    }
    return jsonx_fail_fields(p, 0);
}

int
import_line_key(enum import_type t, const json_t *line, char *key, size_t keysz, struct problem *p)
{
    char a[IMPORT_KEY_MAX / 2], b[IMPORT_KEY_MAX / 2];
    const char *first = t == IMPORT_MEMBERSHIP ? "household" : "company";
    const char *second = t == IMPORT_MEMBERSHIP ? "customer" : "person";

    if (t != IMPORT_MEMBERSHIP && t != IMPORT_COMPANY_PERSON)
        return ref_key(line, "external_ref", key, keysz, p);
    if (ref_key(line, first, a, sizeof a, p) != 0 || ref_key(line, second, b, sizeof b, p) != 0)
        return -1;
    snprintf(key, keysz, "%s %s", a, b);
    return 0;
}

/*
 * A reference of the reserved system "crmd" names a record by crmd's own id (what
 * GET /v1/export writes for a record without external references): 1 and its id when
 * resource has it, 0 when not, -1 on failure. -2 when ref is of another system.
 */
static int
crmd_ref(struct db *db, const json_t *ref, const char *resource, char *id, struct problem *p)
{
    const struct model *m = !strcmp(resource, "vehicle")      ? &model_vehicle
                            : !strcmp(resource, "household")  ? &model_household
                            : !strcmp(resource, "touchpoint") ? &model_touchpoint
                                                              : &model_customer;
    const char *rid = json_string_value(json_object_get(ref, "id"));
    struct problem sub = { 0 };
    json_t *rec = NULL;
    int rc;

    if (strcmp(json_string_value(json_object_get(ref, "system")), IMPORT_SYSTEM_CRMD) != 0)
        return -2;
    if (!util_is_uuid(rid))
        return 0;
    rc = store_get(db, m, rid, &rec, &sub);
    json_decref(rec);
    if (rc != 0 && sub.code != PROBLEM_NOT_FOUND) {
        problem_set(p, sub.code, "%s", sub.detail);
        problem_release(&sub);
        return -1;
    }
    problem_release(&sub);
    if (rc != 0)
        return 0;
    snprintf(id, UTIL_UUID_LEN + 1, "%s", rid);
    return 1;
}

/* The id of the resource record holding ref (checked) into id; 422 when there is none. */
static int
resolve(struct db *db, struct import_refs *refs, const json_t *ref, const char *member,
        const char *resource, char *id, struct problem *p)
{
    char key[256];
    int rc;

    if (model_check_external_ref(ref, member, p) != 0)
        return jsonx_fail_fields(p, 0);
    model_external_ref_key(ref, key, sizeof key);
    if (import_refs_find(refs, resource, key, id))
        return 0;
    rc = crmd_ref(db, ref, resource, id, p);
    if (rc == -2)
        rc = store_external_ref_find(db, resource, key, id, p);
    if (rc == 1)
        import_refs_learn(refs, resource, key, id);
    if (rc == 0)
        problem_set(p, PROBLEM_UNPROCESSABLE,
                    "%s %.200s refers to no %s (neither in the database nor in an applied line "
                    "of this import)",
                    member, key, resource);
    return rc == 1 ? 0 : -1;
}

/* Replace members naming records by external id with the id members the resource takes. */
static int
resolve_refs(struct db *db, struct import_refs *known, const struct ref_field *refs, json_t *line,
             struct problem *p)
{
    char id[UTIL_UUID_LEN + 1];

    for (; refs->name; refs++) {
        json_t *ref = json_object_get(line, refs->name);
        if (!ref)
            continue;
        if (json_object_get(line, refs->id_field)) {
            problem_add_field(p, refs->name, "give %s or %s, not both", refs->name, refs->id_field);
            return jsonx_fail_fields(p, 0);
        }
        if (json_is_null(ref)) {
            json_object_set_new(line, refs->id_field, json_null()); /* clears, as in a PATCH */
        } else {
            if (resolve(db, known, ref, refs->name, refs->resource, id, p) != 0)
                return -1;
            json_object_set_new(line, refs->id_field, json_string(id));
        }
        json_object_del(line, refs->name);
    }
    return 0;
}

/* The record keeps the external reference it is found by, whatever external_refs says. */
static void
keep_ref(json_t *line, const json_t *ref, int found)
{
    json_t *refs = json_object_get(line, "external_refs"), *r;
    size_t i;

    if (json_is_array(refs)) {
        json_array_foreach(refs, i, r)
        {
            if (json_equal(r, ref))
                return;
        }
        json_array_append_new(refs, json_deep_copy(ref));
    } else if (json_is_null(refs) || (!refs && !found)) {
        json_object_set_new(line, "external_refs", json_pack("[O]", ref));
    }
}

static const struct {
    const char *resource;
    const struct resource *r;
    const struct ref_field *refs;
} records[IMPORT_NTYPES] = {
    [IMPORT_CUSTOMER] = { "customer", &resource_customers, no_refs },
    [IMPORT_HOUSEHOLD] = { "household", &resource_households, no_refs },
    [IMPORT_VEHICLE] = { "vehicle", &resource_vehicles, vehicle_refs },
    /* history: contacts that already happened are recorded without the contact policy */
    [IMPORT_TOUCHPOINT] = { "touchpoint", &resource_touchpoints_history, touchpoint_refs },
};

static int
apply_record(struct db *db, struct import_refs *known, enum import_type t, json_t *line,
             enum resource_outcome *outcome, char *id, struct problem *p)
{
    json_t *ref = json_incref(json_object_get(line, "external_ref"));
    char key[256], existing[UTIL_UUID_LEN + 1];
    int rc = -1, found;

    json_object_del(line, "type");
    json_object_del(line, "external_ref");
    model_external_ref_key(ref, key, sizeof key);
    if (resolve_refs(db, known, records[t].refs, line, p) != 0)
        goto out;
    found = crmd_ref(db, ref, records[t].resource, existing, p);
    if (found == 0) {
        problem_set(p, PROBLEM_UNPROCESSABLE,
                    "external_ref %.200s names no %s: the system crmd is crmd's own id, which "
                    "only finds a record that exists; a new record needs another system",
                    key, records[t].resource);
        goto out;
    }
    if (found == -2)
        found = store_external_ref_find(db, records[t].resource, key, existing, p);
    else if (found == 1)
        found = 2; /* by its own id: no external reference to keep */
    if (found < 0)
        goto out;
    if (found != 2)
        keep_ref(line, ref, found);
    rc = resource_upsert(db, records[t].r, found ? existing : NULL, line, outcome, id, p);
    if (rc == 0) {
        if (*outcome == RESOURCE_UPDATED)
            import_refs_forget(known); /* the record's other references may have moved */
        import_refs_learn(known, records[t].resource, key, id); /* kept by keep_ref() */
    }
out:
    json_decref(ref);
    return rc;
}

static int
apply_membership(struct db *db, struct import_refs *known, json_t *line,
                 enum resource_outcome *outcome, char *id, struct problem *p)
{
    char customer[UTIL_UUID_LEN + 1];
    const char *role;
    json_t *cur, *hh;
    int created, same;

    json_object_del(line, "type");
    if (jsonx_validate(membership_fields, NFIELDS(membership_fields), line, NULL, p) != 0 ||
        resolve(db, known, json_object_get(line, "household"), "household", "household", id, p) != 0 ||
        resolve(db, known, json_object_get(line, "customer"), "customer", "customer", customer, p) != 0)
        return -1;
    role = json_string_value(json_object_get(line, "role"));
    if (store_get(db, &model_customer, customer, &cur, p) != 0)
        return -1;
    hh = json_object_get(cur, "household");
    same = json_is_object(hh) && !strcmp(json_string_value(json_object_get(hh, "id")), id) &&
           !strcmp(json_string_value(json_object_get(hh, "role")), role);
    json_decref(cur);
    if (same) {
        *outcome = RESOURCE_UNCHANGED;
        return 0;
    }
    if (store_household_member_put(db, id, customer, role,
                                   json_is_true(json_object_get(line, "move")), &created, p) != 0)
        return -1;
    *outcome = created ? RESOURCE_CREATED : RESOURCE_UPDATED;
    return 0;
}

/* Do person's roles at company (a list from store_company_people) equal roles as a set? */
static int
same_roles(const json_t *people, const char *person, const json_t *roles)
{
    const json_t *it, *have = NULL, *r;
    size_t i, j;

    json_array_foreach(people, i, it)
    {
        if (!strcmp(json_string_value(json_object_get(it, "person_id")), person))
            have = json_object_get(it, "roles");
    }
    if (!have || json_array_size(have) != json_array_size(roles))
        return 0;
    json_array_foreach(roles, i, r)
    {
        int hit = 0;
        for (j = 0; j < json_array_size(have); j++)
            hit |= json_equal(json_array_get(have, j), r);
        if (!hit)
            return 0;
    }
    return 1;
}

static int
apply_company_person(struct db *db, struct import_refs *known, json_t *line,
                     enum resource_outcome *outcome, char *id, struct problem *p)
{
    char person[UTIL_UUID_LEN + 1];
    json_t *roles, *people;
    int created, same;

    json_object_del(line, "type");
    if (jsonx_validate(company_person_fields, NFIELDS(company_person_fields), line, NULL, p) != 0 ||
        resolve(db, known, json_object_get(line, "company"), "company", "customer", id, p) != 0 ||
        resolve(db, known, json_object_get(line, "person"), "person", "customer", person, p) != 0)
        return -1;
    roles = json_object_get(line, "roles");
    if (store_company_people(db, id, 1, &people, p) != 0)
        return -1;
    same = same_roles(people, person, roles);
    json_decref(people);
    if (same) {
        *outcome = RESOURCE_UNCHANGED;
        return 0;
    }
    if (store_company_person_put(db, id, person, roles, &created, p) != 0)
        return -1;
    *outcome = created ? RESOURCE_CREATED : RESOURCE_UPDATED;
    return 0;
}

int
import_apply(struct db *db, struct import_refs *refs, enum import_type t, json_t *line,
             enum resource_outcome *outcome, char *id, struct problem *p)
{
    id[0] = '\0';
    if (t == IMPORT_MEMBERSHIP)
        return apply_membership(db, refs, line, outcome, id, p);
    if (t == IMPORT_COMPANY_PERSON)
        return apply_company_person(db, refs, line, outcome, id, p);
    return apply_record(db, refs, t, line, outcome, id, p);
}
