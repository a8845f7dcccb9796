/*
 * rules: every threshold of the recognition features (greeting alerts,
 * purchase potential, contact policy) with its default, optionally
 * overridden by a JSON rules file (--rules FILE). Read-only after start.
 */
#ifndef CRMD_RULES_H
#define CRMD_RULES_H

#include <jansson.h>

struct rules {
    /* alerts and retention */
    double poor_satisfaction;     /* a touchpoint rated below this is a poor experience (0.5) */
    int poor_experience_days;     /* how far back a poor experience still alerts (90) */
    /* replacement */
    int replace_age_years;        /* vehicle age at which replacement is suggested (6) */
    int replace_mileage_km;       /* mileage at which replacement is suggested (120000) */
    int lease_end_months;         /* lease ending within this many months (6) */
    /* household */
    int driving_age;              /* age at which a member may drive (18) */
    int driving_age_soon_months;  /* a member reaching driving age within (12) */
    int partner_car_age_years;    /* a partner's car older than this (8) */
    /* fleet */
    int fleet_min_vehicles;       /* fleet opportunities from this fleet size (5) */
    /* electric switch */
    int ev_combustion_age_years;  /* a petrol/diesel car at least this old (5) */
    /* service */
    int service_due_days;         /* service due within this many days (30) */
    /* contact policy */
    int contact_max;              /* outbound contacts allowed in the window (3) */
    int contact_window_days;      /* rolling window (30) */
    int let_go_unanswered;        /* consecutive unanswered outbound attempts before letting go (3) */
    int let_go_after_declined;    /* declined outbound attempts for a purpose before letting go (2) */
    int quiet_days;               /* no sales contact this long after a poor experience (30) */
};

/* The rules in force (set once at start by main, before serving). */
const struct rules *rules_current(void);
void rules_install(const struct rules *r);

/* The built-in defaults (the values in parentheses above). */
void rules_defaults(struct rules *r);

/*
 * Override r from a JSON object with the same member names (unknown
 * members or wrong types are an error). Returns 0, or -1 with a message
 * in err (errsz bytes).
 */
int rules_from_json(struct rules *r, const json_t *obj, char *err, size_t errsz);

/* Load a rules file over the defaults. Returns 0, or -1 with err. */
int rules_load_file(struct rules *r, const char *path, char *err, size_t errsz);

/* The rules as a JSON object (for GET /v1/rules and the docs). */
json_t *rules_to_json(const struct rules *r);

#endif
