/*
 * gen_vehicles: the cars of the benchmark data set. Company fleets come
 * first (their drivers and fleet managers get company_people rows), then
 * private cars of adults, some driven by another member of the household.
 * Plates are written as registered ("M-AB 123", "WÜ-K 7E"), unique as
 * typed, with deliberate twins that collide once normalised ("MA-B 123")
 * and plates passed on from sold cars; VINs end in a tail unique per car.
 * A sample of the plates, typed as at the desk, goes to the plates file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "gen.h"
#include "normalize.h"

static const char VIN_ALPHABET[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"; /* no I, O, Q */

static const char SQL_ROLE[] = "INSERT OR IGNORE INTO company_people (company_id, person_id, role, "
                               "since) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_VEHICLE[] =
    "INSERT INTO vehicles (id, vin, plate, plate_normalized, plate_history, make, model, variant,"
    " model_year, first_registration, powertrain, mileage_km, mileage_at, owner_id, main_driver_id,"
    " acquisition, acquired_at, lease_end, bought_from_us, status, last_service_at, "
    "next_service_due,"
    " external_refs, notes, created_at, updated_at, version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
    " ?20, ?21, ?22, ?23, ?24, ?25, ?25, 1)";
static sqlite3_stmt *vehicle_insert, *role_insert;

static size_t
utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int
is_plate_code(const char *code)
{
    for (size_t i = 0; i < gen_ncities; i++)
        if (!strcmp(gen_cities[i].plate, code))
            return 1;
    return 0;
}

static uint64_t
fnv(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h | 1; /* 0 marks an empty slot */
}

/* Add typed plate to the set; 0 if it was there already. */
static int
plate_claim(struct gen *g, const char *plate)
{
    uint64_t h = fnv(plate);
    size_t i = (size_t)h & (g->plate_cap - 1);

    while (g->plate_set[i]) {
        if (g->plate_set[i] == h)
            return 0;
        i = (i + 1) & (g->plate_cap - 1);
    }
    g->plate_set[i] = h;
    return 1;
}

/* The plate as someone might type it at the desk: case, spaces, hyphens and dots vary. */
static void
typed_plate(struct gen *g, const char *plate, char *out, size_t outsz)
{
    int style = (int)gen_rndn(g, 8), lower = style == 2 || style == 3 || style == 5;
    int first_sep = 1;
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)plate; *p && n + 2 < outsz; p++) {
        if (*p == '-' || *p == ' ') {
            const char *sep = style == 0                 ? (*p == '-' ? "-" : " ")
                              : style == 1 || style == 5 ? ""
                              : style == 2               ? " "
                              : style == 3               ? "-"
                              : style == 4               ? (first_sep ? " " : "")
                              : style == 6               ? "."
                                                         : (first_sep ? "-" : "");
            if (style == 5 && !first_sep)
                sep = " ";
            first_sep = 0;
            for (; *sep; sep++)
                out[n++] = *sep;
            continue;
        }
        if (lower && *p >= 'A' && *p <= 'Z')
            out[n++] = (char)(*p + 32);
        else if (lower && *p == 0xC3 && (p[1] == 0x84 || p[1] == 0x96 || p[1] == 0x9C)) {
            out[n++] = (char)*p++;
            out[n++] = (char)(*p + 0x20); /* Ä Ö Ü → ä ö ü */
        } else
            out[n++] = (char)*p;
    }
    out[n] = '\0';
}

/* ---- plates and VINs ---- */

/*
 * A new plate for a car registered in city: "M-AB 123", "WÜ-K 7E". Unique
 * as typed; now and then the next car gets its twin that normalises the
 * same ("M-AB 123" → "MA-B 123"), or the plate of a sold car.
 */
static void
new_plate(struct gen *g, size_t city, int electric, char out[24])
{
    const char *code = gen_cities[city].plate;
    char letters[3], digits[24], twin_code[8];
    size_t clen = utf8_chars(code);

    if (g->twin[0] && plate_claim(g, g->twin)) {
        snprintf(out, 24, "%s", g->twin);
        g->twin[0] = '\0';
        return;
    }
    g->twin[0] = '\0';
    if (g->nreuse && gen_chance(g, 0.04)) {
        snprintf(out, 24, "%s", g->reuse[--g->nreuse]);
        return;
    }
    for (;;) {
        int nl = clen >= 3 ? 1 : 1 + gen_chance(g, 0.7);
        int nd = 1 + (int)gen_rndn(g, 4);
        long num;
        if (clen + (size_t)nl + (size_t)nd + (electric ? 1 : 0) > 8)
            nd = (int)(8 - clen - (size_t)nl - (electric ? 1 : 0));
        num = 1 + gen_rndn(g, nd == 1 ? 9 : nd == 2 ? 99 : nd == 3 ? 999 : 9999);
        for (int i = 0; i < nl; i++)
            letters[i] = (char)('A' + gen_rndn(g, 26));
        letters[nl] = '\0';
        snprintf(digits, sizeof digits, "%ld%s", num, electric ? "E" : "");
        snprintf(out, 24, "%.4s-%.2s %.6s", code, letters, digits);
        if (!plate_claim(g, out))
            continue;
        if (!gen_chance(g, 0.006))
            return;
        /* the twin: move one letter across the hyphen */
        if (clen == 2 && strlen(code) == 2 && nl == 1) {
            snprintf(twin_code, sizeof twin_code, "%c", code[0]);
            if (is_plate_code(twin_code))
                snprintf(g->twin, sizeof g->twin, "%c-%c%.2s %.6s", code[0], code[1], letters,
                         digits);
        } else if (clen == 1 && nl == 2) {
            snprintf(twin_code, sizeof twin_code, "%s%c", code, letters[0]);
            if (is_plate_code(twin_code))
                snprintf(g->twin, sizeof g->twin, "%.4s-%c %.6s", twin_code, letters[1], digits);
        }
        return;
    }
}

/* VIN: WMI, 8 characters, then a 6-character tail unique per vehicle (a VIN typed by its tail is
 * found). */
static void
new_vin(struct gen *g, const char *wmi, long index, char out[NORMALIZE_VIN_LEN + 1])
{
    unsigned long long tail = ((unsigned long long)index * 1000003ull) % 1291467969ull; /* 33^6 */

    memcpy(out, wmi, 3);
    for (int i = 3; i < 11; i++)
        out[i] = VIN_ALPHABET[gen_rndn(g, 33)];
    for (int i = 16; i >= 11; i--) {
        out[i] = VIN_ALPHABET[tail % 33];
        tail /= 33;
    }
    out[17] = '\0';
}

/* A person old enough to drive, any household. */
static long
adult(struct gen *g)
{
    for (;;) {
        long pi = gen_rndn(g, g->npers);
        if (g->pers[pi].age >= 18)
            return pi;
    }
}

static void
role(struct gen *g, const char *company, const char *person_id, const char *r, const char *since)
{
    gen_bind_text(role_insert, 1, company);
    gen_bind_text(role_insert, 2, person_id);
    gen_bind_text(role_insert, 3, r);
    gen_bind_text(role_insert, 4, since);
    gen_step(g, role_insert);
}

struct veh {
    const char *owner, *driver;
    size_t city;
    int fleet;
};

static void
write_plate_sample(struct gen *g, const char *plate)
{
    char typed[40];
    if (g->plates_out && gen_chance(g, g->plate_p)) {
        typed_plate(g, plate, typed, sizeof typed);
        fprintf(g->plates_out, "%s\n", typed);
    }
    if (g->queries_out && gen_chance(g, g->plate_query_p)) {
        typed_plate(g, plate, typed, sizeof typed);
        fprintf(g->queries_out, "%s\n", typed);
    }
}

/* One vehicle row; returns nothing, the id lands in id. */
static void
vehicle(struct gen *g, long vi, const struct veh *w, char id[UTIL_UUID_LEN + 1])
{
    const struct gen_car *car = w->fleet ? gen_pick_car(g, gen_fleet_cars, gen_nfleet_cars)
                                         : gen_pick_car(g, gen_cars, gen_ncars);
    sqlite3_stmt *st = vehicle_insert;
    int this_year, y, m, d, electric = !strcmp(car->powertrain, "electric");
    long first_reg, acquired, service, span;
    char vin[NORMALIZE_VIN_LEN + 1], plate[24], norm[NORMALIZE_PLATE_MAX], dates[6][11];
    char created[UTIL_TIME_LEN + 1], year[8], km[16];
    const char *acq, *status;
    struct buf hist = {0}, refs = {0};
    double u = gen_rndf(g);

    gen_uuid(g, id);
    datetime_civil_from_days(g->today, &this_year, &m, &d);
    y = car->from_year + (int)gen_rndn(g, this_year - car->from_year + 1);
    first_reg = datetime_days_from_civil(y, 1 + (int)gen_rndn(g, 12), 1 + (int)gen_rndn(g, 28));
    if (first_reg > g->today - 20)
        first_reg = g->today - 20 - gen_rndn(g, 300);
    status = u < 0.90 ? "active" : u < 0.98 ? "sold" : "scrapped";
    acq = w->fleet             ? (gen_chance(g, 0.6) ? "leased" : "fleet")
          : gen_chance(g, 0.5) ? "bought_new"
          : gen_chance(g, 0.7) ? "bought_used"
                               : "leased";
    acquired =
        !strcmp(acq, "bought_used") ? first_reg + gen_rndn(g, g->today - first_reg) : first_reg;
    service = g->today - gen_rndn(g, 500);
    if (service < first_reg)
        service = first_reg;
    span = g->today - first_reg;
    datetime_format_date(first_reg, dates[0]);
    datetime_format_date(acquired, dates[1]);
    datetime_format_date(g->today - gen_rndn(g, 365), dates[2]); /* mileage_at */
    datetime_format_date(service, dates[3]);
    datetime_format_date(service + 365, dates[4]);
    if (!strcmp(acq, "leased")) {
        long end = acquired + 365 * (2 + gen_rndn(g, 3));
        if (end < g->today - 60 && !strcmp(status, "active"))
            end = g->today + gen_rndn(g, 900);
        datetime_format_date(end, dates[5]);
    } else
        dates[5][0] = '\0';
    new_vin(g, car->wmi, vi, vin);
    plate[0] = '\0';
    if (strcmp(status, "active") || gen_chance(g, 0.99))
        new_plate(g, w->city, electric && gen_chance(g, 0.5), plate);
    if (plate[0] && normalize_plate(plate, norm, sizeof norm) != 0)
        gen_die("bad plate %s", plate);
    if (plate[0] && !strcmp(status, "sold") && gen_chance(g, 0.25))
        snprintf(g->reuse[g->nreuse++], 24, "%s",
                 plate); /* the plate goes to the next owner's car */
    if (plate[0] && !strcmp(status, "active") && gen_chance(g, 0.03)) {
        char old[40], old_norm[NORMALIZE_PLATE_MAX], until[UTIL_TIME_LEN + 1];
        snprintf(old, sizeof old, "%s-%c%c %ld", gen_cities[w->city].plate,
                 'A' + (int)gen_rndn(g, 26), 'A' + (int)gen_rndn(g, 26), 1 + gen_rndn(g, 999));
        normalize_plate(old, old_norm, sizeof old_norm);
        gen_time(g, acquired + gen_rndn(g, span + 1), until);
        buf_printf(&hist, "[{\"plate\":\"%s\",\"plate_normalized\":\"%s\",\"until\":\"%s\"}]", old,
                   old_norm, until);
    }
    gen_bind_text(st, 1, id);
    gen_bind_text(st, 2, gen_chance(g, 0.97) ? vin : NULL);
    gen_bind_text(st, 3, plate);
    gen_bind_text(st, 4, plate[0] ? norm : NULL);
    gen_bind_text(st, 5, hist.data);
    gen_bind_text(st, 6, car->make);
    gen_bind_text(st, 7, car->model);
    gen_bind_text(st, 8, car->variant);
    snprintf(year, sizeof year, "%d", y + (gen_chance(g, 0.3) ? 1 : 0));
    sqlite3_bind_int(st, 9, atoi(year) > this_year + 1 ? this_year : atoi(year));
    gen_bind_text(st, 10, dates[0]);
    gen_bind_text(st, 11, car->powertrain);
    snprintf(km, sizeof km, "%ld",
             (long)((double)car->km_per_year * (double)span / 365.0 * (0.6 + 0.8 * gen_rndf(g))));
    sqlite3_bind_int64(st, 12, atol(km));
    gen_bind_text(st, 13, dates[2]);
    gen_bind_text(st, 14, w->owner);
    gen_bind_text(st, 15, w->driver);
    gen_bind_text(st, 16, acq);
    gen_bind_text(st, 17, dates[1]);
    gen_bind_text(st, 18, dates[5]);
    sqlite3_bind_int(st, 19, gen_chance(g, 0.55));
    gen_bind_text(st, 20, status);
    gen_bind_text(st, 21, dates[3]);
    gen_bind_text(st, 22, strcmp(status, "active") ? NULL : dates[4]);
    if (gen_chance(g, 0.5))
        gen_add_ref(g, &refs, "vehicle", "F", 10000000 + vi, id);
    gen_bind_text(st, 23, refs.data);
    gen_bind_text(st, 24,
                  gen_chance(g, 0.02)
                      ? "Standheizung nachgerüstet; Winterräder eingelagert (Regal 14)."
                      : NULL);
    gen_time(g, acquired > g->today ? g->today : acquired, created);
    gen_bind_text(st, 25, created);
    gen_step(g, st);
    if (plate[0])
        write_plate_sample(g, plate);
    buf_release(&hist);
    buf_release(&refs);
}

/* Company fleets (drivers get company_people rows), then private cars of persons and households. */
void
gen_vehicles(struct gen *g, char (*ids)[UTIL_UUID_LEN + 1], int32_t *desk)
{
    long vi = 0;
    char since[UTIL_TIME_LEN + 1];

    vehicle_insert = gen_prepare(g, SQL_VEHICLE);
    role_insert = gen_prepare(g, SQL_ROLE);

    for (long ci = 0; ci < g->ncomp; ci++) {
        struct gen_company *co = &g->comp[ci];
        long manager = adult(g), decider = gen_chance(g, 0.5) ? manager : adult(g);
        gen_time(g, gen_past_day(g, 8), since);
        role(g, co->id, g->pers[manager].id, "fleet_manager", since);
        role(g, co->id, g->pers[manager].id, "employee", since);
        role(g, co->id, g->pers[decider].id, "decision_maker", since);
        for (long k = 0; k < co->fleet; k++, vi++) {
            struct veh w = {co->id, NULL, co->city, 1};
            long driver = -1;
            if (gen_chance(g, 0.85)) {
                driver = k == 0 ? manager : adult(g);
                w.driver = g->pers[driver].id;
                role(g, co->id, w.driver, "driver", since);
                role(g, co->id, w.driver, "employee", since);
                g->pers[driver].vehicle = (int32_t)vi;
            }
            vehicle(g, vi, &w, ids[vi]);
            desk[vi] = driver >= 0 ? (int32_t)(driver + 1) : (int32_t)(-(ci + 1));
        }
    }
    for (; vi < g->nveh; vi++) {
        long owner = adult(g), driver = owner;
        const struct gen_person *o = &g->pers[owner];
        struct veh w = {o->id, o->id, o->city, 0};
        double u = gen_rndf(g);
        if (u < 0.12 && o->hh >= 0) {
            /* a car of the household driven by another member: the partner's or a child's */
            long first = owner, last = owner;
            while (first > 0 && g->pers[first - 1].hh == o->hh)
                first--;
            while (last + 1 < g->npers && g->pers[last + 1].hh == o->hh)
                last++;
            driver = first + gen_rndn(g, last - first + 1);
            if (g->pers[driver].age < 17)
                driver = owner;
            w.driver = g->pers[driver].id;
        } else if (u < 0.16) {
            driver = -1;
            w.driver = NULL;
        }
        vehicle(g, vi, &w, ids[vi]);
        desk[vi] = (int32_t)((driver >= 0 ? driver : owner) + 1);
        g->pers[driver >= 0 ? driver : owner].vehicle = (int32_t)vi;
    }
    sqlite3_finalize(vehicle_insert);
    sqlite3_finalize(role_insert);
}
