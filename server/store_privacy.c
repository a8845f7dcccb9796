/*
 * store_privacy: the SQL of the privacy routes. The export gathers every
 * record about a customer; the erasure removes them, keeps their
 * touchpoints as anonymised statistics (touchpoints_anon, schema/010),
 * scrubs earlier change-feed representations and stored idempotent
 * answers that name them, forgets the merges that lead to them and writes
 * the erasure log.
 */
#include <string.h>

#include "db.h"
#include "store.h"
#include "store_util.h"
#include "util.h"

#define PRIVACY_EXPORT_MAX 100000 /* records of one kind in an export */

static const char SQL_HOUSEHOLD_OF[] =
    "SELECT household_id, role, since FROM household_members WHERE customer_id = :id";
static const char SQL_VEHICLES_OF[] =
    "SELECT id FROM vehicles WHERE owner_id = :id OR main_driver_id = :id ORDER BY seq";
static const char SQL_TOUCHPOINTS_OF[] =
    "SELECT id FROM touchpoints WHERE customer_id = :id ORDER BY occurred_at, seq";

/* The customer's touchpoints, reduced to what the statistics need. */
static const char SQL_ANONYMISE[] =
    "INSERT INTO touchpoints_anon (kind, channel, department, occurred_at, satisfaction, nps,"
    " journey_id) SELECT kind, channel, department, occurred_at, satisfaction, nps, journey_id"
    " FROM touchpoints WHERE customer_id = :id ORDER BY seq";
/*
 * Earlier representations of the customer, their touchpoints and cars,
 * and any other record's that names them (households, company people,
 * cars they drove): only the id and "erased" are left. Deletes hold only
 * ids ({"id"}, {"id", "merged_into"}) and stay. A scan of the feed;
 * erasures are rare.
 */
static const char SQL_SCRUB_CHANGES[] =
    "UPDATE changes SET data = json_object('id', res_id, 'erased', json('true'))"
    " WHERE data IS NOT NULL AND op <> 'delete' AND (res_id = :id OR instr(data, :id) > 0"
    " OR res_id IN (SELECT id FROM touchpoints WHERE customer_id = :id)"
    " OR res_id IN (SELECT id FROM vehicles WHERE owner_id = :id))";
/*
 * Stored answers of idempotent creates that hold the customer or refer to
 * them keep only the key, as a mark: a replay answers 410 erased rather
 * than run again and create the person anew (idempotency.c).
 */
static const char SQL_SCRUB_IDEMPOTENCY[] =
    "UPDATE idempotency_keys SET status = 410, body_sha256 = '', location = NULL, etag = NULL,"
    " response = NULL WHERE instr(response, :id) > 0 OR instr(location, :id) > 0"
    " OR EXISTS (SELECT 1 FROM touchpoints t WHERE t.customer_id = :id"
    " AND (instr(idempotency_keys.location, t.id) > 0))"
    " OR EXISTS (SELECT 1 FROM vehicles v WHERE v.owner_id = :id"
    " AND (instr(idempotency_keys.location, v.id) > 0))";
/*
 * The customers merged into :id, and those merged into them, ...: from
 * customer_merges (schema/013) and the change feed's delete items
 * ({"id", "merged_into"}), which may hold merges older than the table.
 */
static const char SQL_MERGED_INTO[] =
    "WITH RECURSIVE gone(id) AS (SELECT :id UNION SELECT c.res_id FROM changes c, gone"
    " WHERE c.type = 'customer' AND c.op = 'delete' AND c.data IS NOT NULL"
    " AND json_extract(c.data, '$.merged_into') = gone.id"
    " UNION SELECT m.id FROM customer_merges m, gone WHERE m.into_id = gone.id)"
    " SELECT id FROM gone WHERE id <> :id";
/*
 * No 404 points at an erased customer: the merges into :id (and into
 * those) and :id's own go. UNION ends a cycle.
 */
static const char SQL_FORGET_MERGES[] =
    "DELETE FROM customer_merges WHERE id IN (WITH RECURSIVE gone(id) AS (SELECT :id"
    " UNION SELECT m.id FROM customer_merges m, gone WHERE m.into_id = gone.id)"
    " SELECT id FROM gone)";
static const char SQL_LOG_ERASURE[] =
    "INSERT INTO erasures (customer_id, erased_at, key_id) VALUES (:id, :now, :key)";

/* Ids (first column) of sql run with :id, as a new array of strings. */
static int
ids_of(struct db *db, const char *sql, const char *id, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    *out = json_array();
    db_bind_text(st, ":id", id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && json_array_size(*out) < PRIVACY_EXPORT_MAX)
        json_array_append_new(*out, json_string((const char *)sqlite3_column_text(st, 0)));
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(*out);
        *out = NULL;
        return db_fail(db, rc, "privacy ids", NULL, p);
    }
    return 0;
}

/* Replace each id of ids by the record's representation (model m). */
static int
represent_all(struct db *db, const struct model *m, json_t *ids, struct problem *p)
{
    json_t *v;
    size_t i;

    json_array_foreach(ids, i, v)
    {
        json_t *doc;
        if (store_get(db, m, json_string_value(v), &doc, p) != 0)
            return -1;
        json_array_set_new(ids, i, doc);
    }
    return 0;
}

/* {household, role, since} of the customer's membership, or JSON null. */
static int
household_of(struct db *db, const char *id, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_HOUSEHOLD_OF, p);
    json_t *hh = NULL;
    char hid[UTIL_UUID_LEN + 1] = "";
    int rc;

    if (!st)
        return -1;
    *out = json_null();
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(hid, sizeof hid, "%s", (const char *)sqlite3_column_text(st, 0));
        json_decref(*out);
        *out = json_pack("{s:o, s:o}", "role", store_col_text(st, 1), "since",
                         store_col_text(st, 2));
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, rc, "privacy household", NULL, p);
    if (!*hid)
        return 0;
    if (store_get(db, &model_household, hid, &hh, p) != 0)
        return -1;
    json_object_set_new(*out, "household", hh);
    return 0;
}

int
store_privacy_export(struct db *db, const char *id, json_t **out, struct problem *p)
{
    json_t *customer = NULL, *household = NULL, *companies = NULL, *people = NULL,
           *vehicles = NULL, *touchpoints = NULL, *journeys = NULL;
    int more = 0, rc = -1;

    if (store_get(db, &model_customer, id, &customer, p) != 0)
        return -1;
    if (household_of(db, id, &household, p) != 0 ||
        store_company_people(db, id, 0, &companies, p) != 0 ||
        store_company_people(db, id, 1, &people, p) != 0 ||
        ids_of(db, SQL_VEHICLES_OF, id, &vehicles, p) != 0 ||
        represent_all(db, &model_vehicle, vehicles, p) != 0 ||
        ids_of(db, SQL_TOUCHPOINTS_OF, id, &touchpoints, p) != 0 ||
        represent_all(db, &model_touchpoint, touchpoints, p) != 0 ||
        store_journeys_of_customer(db, id, PRIVACY_EXPORT_MAX, &journeys, &more, p) != 0)
        goto out;
    *out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "customer", customer, "household",
                     household, "companies", companies, "people", people, "vehicles", vehicles,
                     "touchpoints", touchpoints, "journeys", journeys);
    rc = 0;
out:
    json_decref(customer);
    json_decref(household);
    json_decref(companies);
    json_decref(people);
    json_decref(vehicles);
    json_decref(touchpoints);
    json_decref(journeys);
    return rc;
}

/*
 * The feed's versions and stored answers of the customers merged into id:
 * their data lives on in id, so they go with it. Found before id's own
 * scrub, which blanks the merge notes that lead to them.
 */
static int
scrub_merged(struct db *db, const char *id, struct problem *p)
{
    json_t *merged, *v;
    size_t i;
    int rc = 0;

    if (ids_of(db, SQL_MERGED_INTO, id, &merged, p) != 0)
        return -1;
    json_array_foreach(merged, i, v)
    {
        if (store_exec_id(db, SQL_SCRUB_CHANGES, json_string_value(v), p) != 0 ||
            store_exec_id(db, SQL_SCRUB_IDEMPOTENCY, json_string_value(v), p) != 0) {
            rc = -1;
            break;
        }
    }
    json_decref(merged);
    return rc;
}

int
store_privacy_erase(struct db *db, const char *id, const char *key_id, struct problem *p)
{
    char now[UTIL_TIME_LEN + 1];
    sqlite3_stmt *st;
    int rc;

    if (store_exec_id(db, SQL_ANONYMISE, id, p) != 0 || scrub_merged(db, id, p) != 0 ||
        store_exec_id(db, SQL_FORGET_MERGES, id, p) != 0 ||
        store_exec_id(db, SQL_SCRUB_CHANGES, id, p) != 0 ||
        store_exec_id(db, SQL_SCRUB_IDEMPOTENCY, id, p) != 0 ||
        store_customer_before_delete(db, id, 1, p) != 0 ||
        store_delete(db, &model_customer, id, p) != 0 || store_search_purge(db, p) != 0)
        return -1;
    /* the WAL still holds the pages as they were: truncated once the erasure is answered */
    db_checkpoint_later(db, 1);
    if (!(st = db_stmt(db, SQL_LOG_ERASURE, p)))
        return -1;
    util_format_time(util_now(), now);
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":now", now);
    if (*key_id)
        db_bind_text(st, ":key", key_id);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "erasure log", NULL, p);
}

