/*
 * store_greeting: the queries behind the greeting card. Resolving what
 * was typed at the desk to candidate persons, describing candidates for
 * a 300, and gathering one person's circle (household members and the
 * cars they hold, fleets and their due vehicles, recent touchpoints,
 * relationship figures) in a fixed number of indexed queries: each list a
 * few rows with its count from SQL. The potential's own and household cars
 * are streamed as a few columns each, never held all at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "db.h"
#include "potential.h"
#include "rules.h"
#include "store.h"
#include "store_util.h"

#define NAME_EXPR(c)                                                                               \
    "CASE WHEN " c ".kind = 'company' THEN " c ".company_name ELSE trim(coalesce(" c                \
    ".title || ' ', '') || coalesce(" c ".given_name || ' ', '') || coalesce(" c ".family_name, '')) END"

static const char SQL_BY_VIN[] =
    "SELECT coalesce(main_driver_id, owner_id), id, status = 'active' FROM vehicles WHERE vin = :key";
static const char SQL_BY_VIN_TAIL[] =
    "SELECT coalesce(main_driver_id, owner_id), id, status = 'active' FROM vehicles"
    " WHERE substr(vin, 12) = substr(:key, -6) AND vin LIKE '%' || :key ORDER BY seq LIMIT 20";
static const char SQL_BY_PHONE[] =
    "SELECT k.customer_id, NULL, 1 FROM customer_keys k JOIN customers c ON c.id = k.customer_id"
    " WHERE k.kind = 'phone' AND k.key = :key ORDER BY c.seq";
static const char SQL_BY_EMAIL[] =
    "SELECT k.customer_id, NULL, 1 FROM customer_keys k JOIN customers c ON c.id = k.customer_id"
    " WHERE k.kind = 'email' AND k.key = :key ORDER BY c.seq";
static const char SQL_BY_ID[] = "SELECT id, NULL, 1 FROM customers WHERE id = :key";
static const char SQL_BY_VEHICLE_ID[] =
    "SELECT coalesce(main_driver_id, owner_id), id, 1 FROM vehicles WHERE id = :key";

static const char SQL_CANDIDATES[] =
    "SELECT c.id, c.kind, " NAME_EXPR("c") ", json_extract(c.address, '$.city'), c.birthday, h.name,"
    " v.id, v.plate, v.make, v.model, v.status, v.vin"
    " FROM json_each(:pairs) j"
    " JOIN customers c ON c.id = json_extract(j.value, '$.customer_id')"
    " LEFT JOIN vehicles v ON v.id = json_extract(j.value, '$.vehicle_id')"
    " LEFT JOIN household_members m ON m.customer_id = c.id"
    " LEFT JOIN households h ON h.id = m.household_id ORDER BY j.key";

static const char SQL_HOUSEHOLD[] =
    "SELECT h.id, h.name, m.customer_id, m.role, " NAME_EXPR("c") ", c.given_name, c.preferred_name,"
    " c.birthday, c.salutation, c.family_name, (SELECT count(*) FROM vehicles v WHERE v.status = 'active' AND"
    " (v.owner_id = c.id OR v.main_driver_id = c.id)), (SELECT count(*) FROM vehicles v WHERE"
    " v.main_driver_id = c.id OR (+v.main_driver_id IS NULL AND v.owner_id = c.id))"
    " FROM household_members me JOIN households h ON h.id = me.household_id"
    " JOIN household_members m ON m.household_id = h.id JOIN customers c ON c.id = m.customer_id"
    " WHERE me.customer_id = :id ORDER BY m.since, c.seq";

/* Companies the person has a role at, or whose car the person mainly drives ("drives for"). */
#define COMPANIES_OF_PERSON                                                                        \
    "(SELECT company_id FROM company_people WHERE person_id = :id UNION"                          \
    " SELECT owner_id FROM vehicles WHERE main_driver_id = :id AND owner_id <> :id)"

static const char SQL_FLEETS[] =
    "SELECT c.id, c.company_name, (SELECT json_group_array(role) FROM company_people"
    " WHERE company_id = c.id AND person_id = :id),"
    " (SELECT count(*) FROM vehicles v WHERE v.owner_id = c.id AND v.status = 'active')"
    " FROM customers c WHERE c.kind = 'company' AND c.id IN " COMPANIES_OF_PERSON
    " ORDER BY c.company_name";

/*
 * How one car relates to the person, named as the card's circle names it:
 * own (they own or mainly drive it), household (a household member does),
 * fleet (a company of their card's fleets owns it); NULL: none of these.
 */
static const char SQL_VEHICLE_RELATION[] =
    "WITH hh(id) AS (SELECT customer_id FROM household_members WHERE household_id ="
    " (SELECT household_id FROM household_members WHERE customer_id = :id))"
    " SELECT CASE WHEN v.owner_id = :id OR v.main_driver_id = :id THEN 'own'"
    " WHEN v.owner_id IN (SELECT id FROM hh) OR v.main_driver_id IN (SELECT id FROM hh)"
    " THEN 'household' WHEN v.owner_id IN " COMPANIES_OF_PERSON " THEN 'fleet' END"
    " FROM vehicles v WHERE v.id = :vid";

static const char SQL_RELATIONSHIP[] =
    "SELECT c.created_at,"
    " (SELECT min(occurred_at) FROM touchpoints WHERE customer_id = :id),"
    " (SELECT min(acquired_at) FROM vehicles WHERE (owner_id = :id OR main_driver_id = :id)"
    "  AND bought_from_us = 1),"
    " (SELECT count(*) FROM vehicles WHERE (owner_id = :id OR (main_driver_id = :id AND"
    "  owner_id NOT IN (SELECT company_id FROM company_people WHERE person_id = :id)))"
    "  AND bought_from_us = 1),"
    " (SELECT max(occurred_at) FROM touchpoints WHERE customer_id = :id AND channel = 'in_person')"
    " FROM customers c WHERE c.id = :id";

/* Keys of the generated statements in the per-connection cache. */
static const char KEY_CIRCLE, KEY_FLEET_DUE, KEY_TOUCHPOINTS;

static const char *
col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

int
store_greeting_resolve(struct db *db, const char *by, const char *key, json_t **out,
                       struct problem *p)
{
    const char *sql = !strcmp(by, "vin")     ? (strlen(key) == 17 ? SQL_BY_VIN : SQL_BY_VIN_TAIL)
                      : !strcmp(by, "phone") ? SQL_BY_PHONE
                      : !strcmp(by, "email") ? SQL_BY_EMAIL
                      : !strcmp(by, "vehicle_id") ? SQL_BY_VEHICLE_ID
                                                  : SQL_BY_ID;
    sqlite3_stmt *st = db_stmt(db, sql, p);
    json_t *all, *active;
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    db_bind_text(st, ":key", key);
    all = json_array();
    active = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *pair = json_pack("{s:s, s:o}", "customer_id", col_text(st, 0), "vehicle_id",
                                 store_col_text(st, 1));
        if (sqlite3_column_int(st, 2))
            json_array_append(active, pair);
        json_array_append_new(all, pair);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(all);
        json_decref(active);
        return db_fail(db, rc, "resolve", NULL, p);
    }
    /* A VIN tail of a sold car and an active one: the active cars speak for it. */
    if (json_array_size(active)) {
        json_decref(all);
        *out = active;
    } else {
        json_decref(active);
        *out = all;
    }
    return 0;
}

int
store_greeting_candidates(struct db *db, const json_t *pairs, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CANDIDATES, p);
    char *text;
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    text = json_dumps(pairs, JSON_COMPACT);
    db_bind_text(st, ":pairs", text);
    free(text);
    *out = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *c = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "customer_id", col_text(st, 0), "kind",
                              col_text(st, 1), "name", store_col_text(st, 2), "city",
                              store_col_text(st, 3), "birthday", store_col_text(st, 4), "household",
                              store_col_text(st, 5));
        json_object_set_new(c, "vehicle",
                            sqlite3_column_type(st, 6) == SQLITE_NULL
                                ? json_null()
                                : json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "id", col_text(st, 6),
                                            "plate", store_col_text(st, 7), "vin",
                                            store_col_text(st, 11), "make", store_col_text(st, 8),
                                            "model", store_col_text(st, 9), "status",
                                            store_col_text(st, 10)));
        json_array_append_new(*out, c);
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(*out);
        *out = NULL;
        return db_fail(db, rc, "candidates", NULL, p);
    }
    return 0;
}

int
store_greeting_vehicle(struct db *db, const char *id, const char *vehicle_id, json_t **out,
                       struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_VEHICLE_RELATION, p);
    json_t *relation = NULL;
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":vid", vehicle_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        relation = store_col_text(st, 0);
    db_done(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "vehicle relation", NULL, p);
    if (store_get(db, &model_vehicle, vehicle_id, out, p) != 0) {
        json_decref(relation);
        return -1;
    }
    json_object_set_new(*out, "relation", relation);
    return 0;
}

/* The household's members: the person's household (empty when they have none). */
#define HOUSEHOLD_IDS                                                                              \
    "hh(id) AS (SELECT customer_id FROM household_members WHERE household_id ="                   \
    " (SELECT household_id FROM household_members WHERE customer_id = :id))"

/*
 * The vehicles a household member holds (mainly drives, else owns), the
 * first :listed of each member (active, newest first), with relation
 * own/household; one query. Counted in SQL_HOUSEHOLD (vehicles_count).
 * "+t.main_driver_id IS NULL" keeps SQLite off the driver index, which
 * would read every driverless car of every fleet.
 */
static void
build_circle(unsigned variant, const void *arg, struct buf *b)
{
    (void)variant;
    buf_puts(b, "WITH " HOUSEHOLD_IDS ", r AS (SELECT t.seq AS seq, row_number() OVER (PARTITION BY"
                " coalesce(t.main_driver_id, t.owner_id) ORDER BY t.status = 'active' DESC,"
                " t.acquired_at DESC, t.seq) AS k FROM vehicles t WHERE t.main_driver_id IN"
                " (SELECT id FROM hh) OR (+t.main_driver_id IS NULL AND t.owner_id IN (SELECT id FROM hh)))"
                " SELECT ");
    store_select_list(arg, b);
    buf_puts(b, ", CASE WHEN t.owner_id = :id OR t.main_driver_id = :id THEN 'own' ELSE 'household'"
                " END, coalesce(t.main_driver_id, t.owner_id),"
                " (SELECT " NAME_EXPR("c") " FROM customers c WHERE c.id = coalesce(t.main_driver_id,"
                " t.owner_id)) FROM r JOIN vehicles t ON t.seq = r.seq WHERE r.k <= :listed"
                " ORDER BY t.status = 'active' DESC, t.acquired_at DESC, t.seq");
}

/* Active fleet vehicles of the companies the person decides on, except the one they drive. */
#define FLEET_OF_DECIDER                                                                           \
    " t.owner_id IN (SELECT company_id FROM company_people WHERE person_id = :id AND role IN"     \
    " ('fleet_manager', 'decision_maker')) AND t.status = 'active'"                               \
    " AND coalesce(t.main_driver_id, '') <> :id"
/* Due: lease ending, old, high mileage or service due (cutoffs a few days wide). */
#define FLEET_DUE                                                                                  \
    "(t.lease_end <= :lease_cutoff OR coalesce(t.first_registration, t.model_year || '-01-01')"   \
    " <= :age_cutoff OR t.mileage_km >= :km OR t.next_service_due <= :service_cutoff)"

/*
 * The first :listed due fleet vehicles of each company the person decides
 * on (leases ending first); one query. Drivers and employees do not get
 * them: they are not whom the fleet is sold to. Counted by SQL_FLEET_COUNTS.
 */
static void
build_fleet_due(unsigned variant, const void *arg, struct buf *b)
{
    (void)variant;
    buf_puts(b, "WITH r AS (SELECT t.seq AS seq, row_number() OVER (PARTITION BY t.owner_id"
                " ORDER BY t.lease_end IS NULL, t.lease_end, t.seq) AS k FROM vehicles t WHERE"
                FLEET_OF_DECIDER " AND " FLEET_DUE ") SELECT ");
    store_select_list(arg, b);
    buf_puts(b, ", 'fleet', t.owner_id, (SELECT company_name FROM customers c WHERE c.id = t.owner_id)"
                " FROM r JOIN vehicles t ON t.seq = r.seq WHERE r.k <= :listed"
                " ORDER BY t.owner_id, t.lease_end IS NULL, t.lease_end, t.seq");
}

/*
 * Per company the person decides on: the due vehicles (as listed by
 * build_fleet_due) and, for the fleet opportunity, those whose lease is due
 * and those otherwise due for replacement (potential_cutoffs: exactly the
 * rules' tests).
 */
static const char SQL_FLEET_COUNTS[] =
    "SELECT t.owner_id, sum(" FLEET_DUE "),"
    " sum(t.lease_end BETWEEN :lease_from AND :lease_to),"
    " sum(NOT coalesce(t.lease_end BETWEEN :lease_from AND :lease_to, 0) AND"
    " (CASE WHEN t.first_registration IS NOT NULL THEN t.first_registration <= :registered_by"
    " ELSE t.model_year BETWEEN 1000 AND :year_by END OR t.mileage_km >= :km))"
    " FROM vehicles t WHERE" FLEET_OF_DECIDER " GROUP BY t.owner_id";

/* The potential's projection: the columns potential.c reads of every active own and household car. */
static const char SQL_CIRCLE_PROJECTION[] =
    "WITH " HOUSEHOLD_IDS " SELECT t.id, t.plate, t.make, t.model, t.variant, t.model_year,"
    " t.first_registration, t.powertrain, t.mileage_km, t.lease_end, t.next_service_due,"
    " t.owner_id = :id OR t.main_driver_id = :id, coalesce(t.main_driver_id, t.owner_id),"
    " CASE WHEN NOT (t.owner_id = :id OR t.main_driver_id = :id) THEN (SELECT " NAME_EXPR("c")
    " FROM customers c WHERE c.id = coalesce(t.main_driver_id, t.owner_id)) END"
    " FROM vehicles t WHERE t.status = 'active' AND (t.owner_id = :id OR t.main_driver_id = :id"
    " OR t.owner_id IN (SELECT id FROM hh) OR t.main_driver_id IN (SELECT id FROM hh))";

static int
vehicles_into(struct db *db, sqlite3_stmt *st, json_t *vehicles, struct problem *p)
{
    size_t n = model_vehicle.nfields;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *v = store_row_json(st, &model_vehicle);
        json_object_set_new(v, "relation", json_string(col_text(st, (int)n)));
        json_object_set_new(v, "holder", json_pack("{s:o, s:o}", "customer_id", store_col_text(st, (int)n + 1),
                                                   "name", store_col_text(st, (int)n + 2)));
        json_array_append_new(vehicles, v);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "vehicles", NULL, p);
}

/* "YYYY-MM-DD" of today + months/days (negative goes back). */
static void
date_shift(const char *today, int months, int days, char out[11])
{
    int y, m, d;

    datetime_parse_date(today, &y, &m, &d);
    m += months;
    while (m > 12) {
        m -= 12;
        y++;
    }
    while (m < 1) {
        m += 12;
        y--;
    }
    if (d > 28)
        d = 28; /* month ends: close enough for a cutoff */
    datetime_format_date(datetime_days_from_civil(y, m, d) + days, out);
}

/* The cutoffs of FLEET_DUE ("a few days wide": potential.c judges exactly). */
static void
bind_fleet_due(sqlite3_stmt *st, const struct rules *r, const char *today)
{
    char lease[11], age[11], service[11];

    date_shift(today, r->lease_end_months, 4, lease);
    date_shift(today, -12 * r->replace_age_years, 4, age);
    date_shift(today, 0, r->service_due_days, service);
    db_bind_text(st, ":lease_cutoff", lease);
    db_bind_text(st, ":age_cutoff", age);
    db_bind_int(st, ":km", r->replace_mileage_km);
    db_bind_text(st, ":service_cutoff", service);
}

/* The listed vehicles: of the household's members and due ones of the fleets, each at most listed. */
static int
circle_vehicles(struct db *db, const char *id, const struct rules *r, const char *today, int listed,
                json_t *vehicles, struct problem *p)
{
    sqlite3_stmt *st = db_stmt_variant(db, &KEY_CIRCLE, 0, build_circle, &model_vehicle, p);

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    db_bind_int(st, ":listed", listed);
    if (vehicles_into(db, st, vehicles, p) != 0)
        return -1;
    if (!(st = db_stmt_variant(db, &KEY_FLEET_DUE, 0, build_fleet_due, &model_vehicle, p)))
        return -1;
    db_bind_text(st, ":id", id);
    db_bind_int(st, ":listed", listed);
    bind_fleet_due(st, r, today);
    return vehicles_into(db, st, vehicles, p);
}

/* The fleet with company_id of fleets, or NULL. */
static json_t *
fleet_of(json_t *fleets, const char *company_id)
{
    json_t *f;
    size_t i;

    json_array_foreach(fleets, i, f)
        if (!strcmp(json_string_value(json_object_get(f, "company_id")), company_id))
            return f;
    return NULL;
}

/* due_count, leases_due and replacements_due of the fleets the person decides on (else 0). */
static int
fleet_counts(struct db *db, const char *id, const struct rules *r, const char *today, json_t *fleets,
             struct problem *p)
{
    static const char *const names[] = { "due_count", "leases_due", "replacements_due" };
    sqlite3_stmt *st = db_stmt(db, SQL_FLEET_COUNTS, p);
    struct potential_cutoffs c;
    json_t *f;
    size_t i;
    int rc;

    if (!st)
        return -1;
    json_array_foreach(fleets, i, f)
        for (int k = 0; k < 3; k++)
            json_object_set_new(f, names[k], json_integer(0));
    potential_cutoffs(today, r, &c);
    db_bind_text(st, ":id", id);
    bind_fleet_due(st, r, today);
    db_bind_text(st, ":lease_from", c.lease_from);
    db_bind_text(st, ":lease_to", c.lease_to);
    db_bind_text(st, ":registered_by", c.registered_by);
    db_bind_int(st, ":year_by", c.year_by);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((f = fleet_of(fleets, col_text(st, 0))))
            for (int k = 0; k < 3; k++)
                json_object_set_new(f, names[k], json_integer(sqlite3_column_int64(st, k + 1)));
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "fleet counts", NULL, p);
}

/* Member i of the row as JSON, or nothing when NULL (potential.c reads absent as unknown). */
static void
set_col(json_t *o, const char *name, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        break;
    case SQLITE_INTEGER:
        json_object_set_new(o, name, json_integer(sqlite3_column_int64(st, i)));
        break;
    default:
        json_object_set_new(o, name, store_col_text(st, i));
    }
}

int
store_greeting_circle_each(struct db *db, const char *id, store_vehicle_fn *fn, void *arg,
                           json_int_t *count, struct problem *p)
{
    static const char *const cols[] = { "id", "plate", "make", "model", "variant", "model_year",
                                        "first_registration", "powertrain", "mileage_km",
                                        "lease_end", "next_service_due" };
    sqlite3_stmt *st = db_stmt(db, SQL_CIRCLE_PROJECTION, p);
    int rc, n = (int)(sizeof cols / sizeof cols[0]);

    *count = 0;
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *v = json_object();
        for (int i = 0; i < n; i++)
            set_col(v, cols[i], st, i);
        json_object_set_new(v, "relation", json_string(sqlite3_column_int(st, n) ? "own" : "household"));
        json_object_set_new(v, "holder", json_pack("{s:o, s:o}", "customer_id", store_col_text(st, n + 1),
                                                   "name", store_col_text(st, n + 2)));
        fn(v, arg);
        json_decref(v);
        (*count)++;
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "circle", NULL, p);
}

static int
household(struct db *db, const char *id, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_HOUSEHOLD, p);
    json_t *members = NULL;
    int rc;

    *out = json_null();
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!members) {
            json_decref(*out);
            members = json_array();
            *out = json_pack("{s:s, s:s, s:o}", "id", col_text(st, 0), "name", col_text(st, 1),
                             "members", members);
        }
        json_array_append_new(members,
                              json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I}",
                                        "customer_id", col_text(st, 2), "role", col_text(st, 3),
                                        "name", store_col_text(st, 4), "given_name",
                                        store_col_text(st, 5), "preferred_name",
                                        store_col_text(st, 6), "birthday", store_col_text(st, 7),
                                        "salutation", store_col_text(st, 8), "family_name",
                                        store_col_text(st, 9), "vehicle_count",
                                        (json_int_t)sqlite3_column_int64(st, 10), "vehicles_count",
                                        (json_int_t)sqlite3_column_int64(st, 11)));
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "household", NULL, p);
}

static int
fleets(struct db *db, const char *id, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_FLEETS, p);
    int rc;

    *out = json_array();
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *roles = json_loads(col_text(st, 2), 0, NULL);
        if (json_array_size(roles) == 0) {
            /* No recorded role: the person mainly drives one of the company's cars. */
            json_decref(roles);
            roles = json_pack("[s]", "driver");
        }
        json_array_append_new(*out, json_pack("{s:s, s:o, s:o, s:I}", "company_id", col_text(st, 0),
                                              "company_name", store_col_text(st, 1), "roles",
                                              roles ? roles : json_array(), "fleet_size",
                                              (json_int_t)sqlite3_column_int64(st, 3)));
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "fleets", NULL, p);
}

/* The latest touchpoints of a person, open follow-ups first, as representations. */
static void
build_touchpoints(unsigned variant, const void *arg, struct buf *b)
{
    (void)variant;
    buf_puts(b, "SELECT ");
    store_select_list(arg, b);
    buf_puts(b, " FROM touchpoints t WHERE t.customer_id = :id ORDER BY"
                " (t.follow_up IS NOT NULL AND json_extract(t.follow_up, '$.done') = 0) DESC,"
                " t.occurred_at DESC, t.seq DESC LIMIT :limit");
}

static int
touchpoints(struct db *db, const char *id, int limit, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt_variant(db, &KEY_TOUCHPOINTS, 0, build_touchpoints, &model_touchpoint, p);
    int rc;

    *out = json_array();
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    db_bind_int(st, ":limit", limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(*out, store_row_json(st, &model_touchpoint));
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "touchpoints", NULL, p);
}

static int
relationship(struct db *db, const char *id, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_RELATIONSHIP, p);
    const char *since = NULL;
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        /* Customer since: the earliest of record creation, first touchpoint, first car bought here. */
        for (int i = 0; i < 3; i++) {
            const char *t = col_text(st, i);
            if (t && (!since || strncmp(t, since, 10) < 0))
                since = t;
        }
        *out = json_pack("{s:s%, s:I, s:o}", "customer_since", since, (size_t)10, "cars_bought_here",
                         (json_int_t)sqlite3_column_int64(st, 3), "last_visit", store_col_text(st, 4));
    }
    db_done(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? (problem_set(p, PROBLEM_NOT_FOUND, "no customer with id %s", id), -1)
                                 : db_fail(db, rc, "relationship", NULL, p);
    return 0;
}

int
store_greeting_context(struct db *db, const char *id, const struct rules *r, const char *today,
                       int touchpoint_limit, int listed, json_t **ctx, struct problem *p)
{
    json_t *person = NULL, *vehicles = json_array(), *hh = NULL, *fl = NULL, *tps = NULL, *rel = NULL;
    int rc = -1;

    *ctx = NULL;
    if (store_get(db, &model_customer, id, &person, p) != 0 ||
        circle_vehicles(db, id, r, today, listed, vehicles, p) != 0 || household(db, id, &hh, p) != 0 ||
        fleets(db, id, &fl, p) != 0 || fleet_counts(db, id, r, today, fl, p) != 0 || touchpoints(db, id, touchpoint_limit, &tps, p) != 0 ||
        relationship(db, id, &rel, p) != 0)
        goto out;
    *ctx = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:O}", "today", today, "person", person,
                     "vehicles", vehicles, "household", hh, "fleets", fl, "touchpoints", tps,
                     "relationship", rel);
    rc = 0;
out:
    json_decref(person);
    json_decref(vehicles);
    json_decref(hh);
    json_decref(fl);
    json_decref(tps);
    json_decref(rel);
    return rc;
}
