/*
 * rules: one table maps JSON member names to struct rules fields, so
 * defaults, the rules file and GET /v1/rules cannot drift apart.
 */
#include "rules.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum rule_kind { RULE_INT, RULE_REAL };

static const struct {
    const char *name;
    enum rule_kind kind;
    size_t offset;
    double def, min, max;
} table[] = {
#define R(f, k, d, lo, hi) { #f, k, offsetof(struct rules, f), d, lo, hi }
    R(poor_satisfaction, RULE_REAL, 0.5, 0, 1),
    R(poor_experience_days, RULE_INT, 90, 1, 3650),
    R(replace_age_years, RULE_INT, 6, 1, 50),
    R(replace_mileage_km, RULE_INT, 120000, 1000, 2000000),
    R(lease_end_months, RULE_INT, 6, 0, 60),
    R(driving_age, RULE_INT, 18, 14, 25),
    R(driving_age_soon_months, RULE_INT, 12, 0, 60),
    R(partner_car_age_years, RULE_INT, 8, 1, 50),
    R(fleet_min_vehicles, RULE_INT, 5, 1, 100000),
    R(ev_combustion_age_years, RULE_INT, 5, 0, 50),
    R(service_due_days, RULE_INT, 30, 0, 365),
    R(contact_max, RULE_INT, 3, 0, 1000),
    R(contact_window_days, RULE_INT, 30, 1, 3650),
    R(let_go_unanswered, RULE_INT, 3, 1, 100),
    R(let_go_after_declined, RULE_INT, 2, 1, 100),
    R(quiet_days, RULE_INT, 30, 0, 3650),
#undef R
};

#define NRULES (sizeof table / sizeof table[0])

static struct rules installed;
static int installed_set;

const struct rules *
rules_current(void)
{
    if (!installed_set) {
        /* Unit tests and tools that never call rules_install get the defaults. */
        rules_defaults(&installed);
        installed_set = 1;
    }
    return &installed;
}

void
rules_install(const struct rules *r)
{
    installed = *r;
    installed_set = 1;
}

static void
set(struct rules *r, size_t i, double v)
{
    char *base = (char *)r + table[i].offset;
    if (table[i].kind == RULE_INT)
        *(int *)base = (int)v;
    else
        *(double *)base = v;
}

static double
get(const struct rules *r, size_t i)
{
    const char *base = (const char *)r + table[i].offset;
    return table[i].kind == RULE_INT ? *(const int *)base : *(const double *)base;
}

void
rules_defaults(struct rules *r)
{
    for (size_t i = 0; i < NRULES; i++)
        set(r, i, table[i].def);
}

int
rules_from_json(struct rules *r, const json_t *obj, char *err, size_t errsz)
{
    const char *key;
    json_t *v;

    if (!json_is_object(obj)) {
        snprintf(err, errsz, "the rules must be a JSON object");
        return -1;
    }
    json_object_foreach((json_t *)obj, key, v)
    {
        size_t i;
        for (i = 0; i < NRULES && strcmp(table[i].name, key); i++)
            ;
        if (i == NRULES) {
            snprintf(err, errsz, "unknown rule '%.64s'", key);
            return -1;
        }
        if ((table[i].kind == RULE_INT && !json_is_integer(v)) || !json_is_number(v) ||
            json_number_value(v) < table[i].min || json_number_value(v) > table[i].max) {
            snprintf(err, errsz, "rule '%s' must be %s from %g to %g", key,
                     table[i].kind == RULE_INT ? "an integer" : "a number", table[i].min,
                     table[i].max);
            return -1;
        }
        set(r, i, json_number_value(v));
    }
    return 0;
}

int
rules_load_file(struct rules *r, const char *path, char *err, size_t errsz)
{
    json_error_t je;
    json_t *obj = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    int rc;

    if (!obj) {
        snprintf(err, errsz, "%s:%d: %s", path, je.line, je.text);
        return -1;
    }
    rc = rules_from_json(r, obj, err, errsz);
    json_decref(obj);
    return rc;
}

json_t *
rules_to_json(const struct rules *r)
{
    json_t *o = json_object();
    for (size_t i = 0; i < NRULES; i++)
        json_object_set_new(o, table[i].name,
                            table[i].kind == RULE_INT ? json_integer((json_int_t)get(r, i))
                                                      : json_real(get(r, i)));
    return o;
}
