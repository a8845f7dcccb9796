/*
 * gen: the benchmark data generator. bench/gen.c holds main, randomness
 * and SQL helpers; bench/gen_rows.c writes customers and households and
 * drives the whole load, gen_vehicles.c and gen_touch.c the vehicles and
 * touchpoints; bench/gen_data.c
 * the word lists (German names with umlauts, cities with their plate
 * codes, postcodes and dialling codes, cars); bench/gen_verify.c checks
 * a sample against the API's own validation. Only the generator uses this.
 */
#ifndef CRMD_BENCH_GEN_H
#define CRMD_BENCH_GEN_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "util.h"

struct db;

/* A name with its weight (how common it is). */
struct gen_word {
    const char *text;
    unsigned weight;
};

struct gen_city {
    const char *name;
    const char *plate;  /* Unterscheidungszeichen: "M", "WÜ", "STA" */
    const char *postal; /* first two digits of its postcodes */
    const char *dial;   /* area code with trunk 0: "089" */
    unsigned weight;    /* customers living there (the dealership is in Munich) */
};

struct gen_car {
    const char *make, *model, *variant, *powertrain;
    const char *wmi; /* first 3 characters of the VIN */
    int from_year;   /* on sale since */
    int km_per_year;
    unsigned weight;
};

extern const struct gen_word gen_male[], gen_female[], gen_family[], gen_street[];
extern const struct gen_word gen_company_trade[], gen_mail_domain[];
extern const struct gen_city gen_cities[];
extern const struct gen_car gen_cars[], gen_fleet_cars[];
extern const size_t gen_nmale, gen_nfemale, gen_nfamily, gen_nstreet, gen_ntrade, gen_ndomain,
    gen_ncities, gen_ncars, gen_nfleet_cars;
extern const char *const gen_staff[];
extern const size_t gen_nstaff;

struct gen_person {
    char id[UTIL_UUID_LEN + 1];
    int32_t hh;      /* household index or -1 */
    int32_t vehicle; /* a vehicle the person drives or owns, -1 none */
    uint8_t age, city;
};

struct gen_company {
    char id[UTIL_UUID_LEN + 1];
    int32_t fleet; /* vehicles */
    uint8_t city;
};

struct gen {
    uint64_t rng;
    time_t now;
    long today; /* day number of now */
    long ncust, nveh, nhh, ntp, ncomp, npers;
    struct gen_person *pers;
    struct gen_company *comp;
    struct db *db;
    sqlite3 *sql;
    long pending; /* rows in the open transaction */
    long rows;    /* rows written */
    /* plates: typed forms in use (hash set), plates given up by sold cars, a twin to emit next */
    uint64_t *plate_set;
    size_t plate_cap;
    char (*reuse)[24];
    size_t nreuse;
    char twin[24];
    /* desk inputs the bench replays */
    FILE *plates_out, *queries_out;
    double plate_p, plate_query_p, query_p, company_query_p; /* sampling probabilities */
};

/* Randomness: a splitmix64 stream, reproducible for a seed. */
uint64_t gen_rnd(struct gen *g);
double gen_rndf(struct gen *g);          /* [0, 1) */
long gen_rndn(struct gen *g, long n);    /* [0, n) */
int gen_chance(struct gen *g, double p); /* 1 with probability p */
const char *gen_pick(struct gen *g, const struct gen_word *w, size_t n);
size_t gen_pick_city(struct gen *g);
const struct gen_car *gen_pick_car(struct gen *g, const struct gen_car *cars, size_t n);
void gen_uuid(struct gen *g, char out[UTIL_UUID_LEN + 1]);

/* Dates: day numbers (days since 1970-01-01) and RFC 3339 times in office hours, never after now.
 */
void gen_time(struct gen *g, long day, char out[UTIL_TIME_LEN + 1]);
long gen_past_day(struct gen *g, double years); /* recent days more likely */

/* SQL: exit with a message on any failure; gen_step commits every 250,000 rows. */
void gen_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void gen_exec(struct gen *g, const char *sql);
sqlite3_stmt *gen_prepare(struct gen *g, const char *sql);
void gen_bind_text(sqlite3_stmt *st, int i, const char *s); /* NULL or "" → NULL */
void gen_step(struct gen *g, sqlite3_stmt *st);

/* JSON string literal of s appended to b. */
void gen_json_str(struct buf *b, const char *s);

/* "Müller" → "mueller" (lower) or "Mueller": ASCII for e-mail addresses and typed queries. */
void gen_ascii(const char *in, int lower, char *out, size_t outsz);

/*
 * Write every table in large transactions, then the secondary indexes
 * (dropped while loading and recreated from the schema's own SQL) and the
 * search index (store_search_backfill, the server's indexing code).
 */
void gen_rows(struct gen *g);

/* Append [{system: "dms", id: "<prefix>-<n>"}] to json and write its external_refs row. */
void gen_add_ref(struct gen *g, struct buf *json, const char *resource, const char *prefix, long n,
                 const char *id);

/*
 * Write g->nveh vehicles: the fleets of g->comp first, then private cars.
 * ids receives each vehicle's id, desk the person at the desk for it
 * (person index + 1, or -(company index + 1) for a pool car).
 */
void gen_vehicles(struct gen *g, char (*ids)[UTIL_UUID_LEN + 1], int32_t *desk);

/*
 * Write g->ntp touchpoints in journeys and single contacts, for the
 * person or company at the desk of random vehicles (desk[vi]: person
 * index + 1, or -(company index + 1)) and random customers. Inside the
 * caller's transaction.
 */
void gen_touchpoints(struct gen *g, char (*vehicle_ids)[UTIL_UUID_LEN + 1], const int32_t *desk);

/*
 * Check a sample of n customers, vehicles, households and touchpoints
 * the way the API sees them: each representation read back passes the
 * model's validation unchanged (a fixed point of what POST writes),
 * lookup keys, external references and the search index agree with it,
 * and no foreign key dangles. Prints what it checked; returns the
 * number of mismatches.
 */
long gen_verify(struct gen *g, int n);

#endif
