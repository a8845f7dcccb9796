/*
 * model: validation entry point and the nested shapes several resources
 * share (postal address, external references).
 */
#include "model.h"

#include <stdio.h>
#include <string.h>

int
model_validate(const struct model *m, json_t *doc, const json_t *old, struct problem *p)
{
    size_t before = problem_field_count(p);

    for (size_t i = 0; i < m->ncomputed; i++) {
        /* Computed members come back unchanged in a GET → PATCH round trip; drop them. */
        const char *name = m->computed[i].name;
        json_t *v = json_object_get(doc, name);
        if (v && (!old || !json_equal(v, json_object_get(old, name))))
            problem_add_field(p, name, "is computed by the server and cannot be written");
        json_object_del(doc, name);
    }
    if (jsonx_validate(m->fields, m->nfields, doc, old, p) != 0)
        return -1;
    if (jsonx_fail_fields(p, before) != 0)
        return -1;
    return m->check ? m->check(doc, old, p) : 0;
}

static void
field_name(char *out, size_t n, const char *prefix, const char *member)
{
    snprintf(out, n, "%s.%s", prefix, member);
}

int
model_check_address(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    static const char *const members[] = { "street", "postal_code", "city", "country", NULL };
    const char *key;
    json_t *val;
    size_t before = problem_field_count(p);
    char fname[96];
    (void)old;

    if (!json_is_object(*v)) {
        problem_add_field(p, name, "must be an object with street, postal_code, city, country");
        return -1;
    }
    json_object_foreach(*v, key, val)
    {
        const char *const *m;
        const char *err;
        field_name(fname, sizeof fname, name, key);
        for (m = members; *m && strcmp(*m, key) != 0; m++)
            ;
        if (!*m) {
            problem_add_field(p, fname, "is not a known field (street, postal_code, city, country)");
            continue;
        }
        if (!json_is_string(val)) {
            problem_add_field(p, fname, "must be a string");
            continue;
        }
        err = jsonx_text_error(json_string_value(val), JSONX_NAME_MAX, 0);
        if (err)
            problem_add_field(p, fname, "%s", err);
        else if (strcmp(key, "country") == 0) {
            const char *c = json_string_value(val);
            if (strlen(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z')
                problem_add_field(p, fname, "must be an ISO 3166-1 alpha-2 code in upper case, e.g. DE");
        }
    }
    return problem_field_count(p) > before ? -1 : 0;
}

static int
valid_system(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
              *s == '.'))
            return 0;
    return 1;
}

int
model_check_external_ref(const json_t *ref, const char *fname, struct problem *p)
{
    json_t *sys = json_object_get(ref, "system"), *id = json_object_get(ref, "id");
    size_t before = problem_field_count(p);

    if (!json_is_object(ref) || json_object_size(ref) != 2 || !json_is_string(sys) ||
        !json_is_string(id)) {
        problem_add_field(p, fname, "must be an object with exactly the strings system and id");
        return -1;
    }
    if (!valid_system(json_string_value(sys)))
        problem_add_field(p, fname, "system must be 1-32 characters from a-z, 0-9, '_', '-', '.'");
    if (jsonx_text_error(json_string_value(id), 128, 0))
        problem_add_field(p, fname, "id must be 1-128 bytes of text without control characters");
    return problem_field_count(p) > before ? -1 : 0;
}

int
model_check_external_refs(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    size_t i, before = problem_field_count(p);
    json_t *ref;
    char fname[96];
    (void)old;

    if (!json_is_array(*v) || json_array_size(*v) > 20) {
        problem_add_field(p, name, "must be an array of at most 20 {system, id} objects");
        return -1;
    }
    json_array_foreach(*v, i, ref)
    {
        snprintf(fname, sizeof fname, "%s[%zu]", name, i);
        if (model_check_external_ref(ref, fname, p) != 0)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (json_equal(json_array_get(*v, j), ref)) {
                problem_add_field(p, fname, "is listed twice");
                break;
            }
        }
    }
    return problem_field_count(p) > before ? -1 : 0;
}

int
model_check_company_roles(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    static const char *const allowed[] = { "fleet_manager", "decision_maker", "driver", "employee",
                                           NULL };
    json_t *r;
    size_t i;
    (void)old;

    if (!json_is_array(*v) || json_array_size(*v) == 0 || json_array_size(*v) > 4) {
        problem_add_field(p, name, "must be a non-empty array of fleet_manager, decision_maker, driver, employee");
        return -1;
    }
    json_array_foreach(*v, i, r)
    {
        const char *const *a;
        for (a = allowed; *a && !(json_is_string(r) && !strcmp(*a, json_string_value(r))); a++)
            ;
        for (size_t j = 0; *a && j < i; j++)
            if (json_equal(json_array_get(*v, j), r))
                a = allowed + 4;
        if (!*a) {
            problem_add_field(p, name, "each role once, from fleet_manager, decision_maker, driver, employee");
            return -1;
        }
    }
    return 0;
}

void
model_external_ref_key(const json_t *ref, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s:%s", json_string_value(json_object_get(ref, "system")),
             json_string_value(json_object_get(ref, "id")));
}
