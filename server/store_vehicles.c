/*
 * store_vehicles: reference rules of vehicles (owner exists, main driver
 * is a person, VIN unique), external references, list filters and the
 * delete rule (touchpoints keep their history unless cascading).
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "normalize.h"
#include "store.h"
#include "store_util.h"

static const char SQL_CUSTOMER_KIND[] = "SELECT kind FROM customers WHERE id = :id";
static const char SQL_VIN_HOLDER[] = "SELECT id FROM vehicles WHERE vin = :vin AND id <> :id";
static const char SQL_TOUCHPOINT_COUNT[] = "SELECT count(*) FROM touchpoints WHERE vehicle_id = :id";
static const char SQL_DETACH_TOUCHPOINTS[] =
    "UPDATE touchpoints SET vehicle_id = NULL, version = version + 1, updated_at = :now"
    " WHERE vehicle_id = :id";

static int
norm_plate(const char *in, char *out, size_t outsz)
{
    return normalize_plate(in, out, outsz);
}

static int
norm_vin(const char *in, char *out, size_t outsz)
{
    return normalize_vin(in, out, outsz);
}

static int
norm_status(const char *in, char *out, size_t outsz)
{
    if (strcmp(in, "active") && strcmp(in, "sold") && strcmp(in, "scrapped"))
        return -1;
    snprintf(out, outsz, "%s", in);
    return 0;
}

const struct store_filter store_vehicle_filters[] = {
    { "plate", "t.plate_normalized = :plate", norm_plate, "a licence plate in any spelling" },
    { "vin", "t.vin = :vin", norm_vin, "a 17-character VIN" },
    { "owner_id", "t.owner_id = :owner_id", store_norm_id, "a customer id (UUID)" },
    { "driver_id", "t.main_driver_id = :driver_id", store_norm_id, "a customer id (UUID)" },
    { "status", "t.status = :status", norm_status, "active, sold or scrapped" },
    { "external_ref",
      "t.id IN (SELECT res_id FROM external_refs WHERE resource = 'vehicle' AND ref_key = :external_ref)",
      store_norm_external_ref, "system:id, e.g. dms:F-20001" },
    { NULL, NULL, NULL, NULL },
};

/* Kind of customer id into kind (16 bytes): 1 found, 0 not, -1 error. */
static int
customer_kind(struct db *db, const char *id, char *kind, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CUSTOMER_KIND, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "customer kind", NULL, p);
}

int
store_vehicle_before_write(struct db *db, const json_t *doc, struct problem *p)
{
    const char *owner = json_string_value(json_object_get(doc, "owner_id"));
    const char *driver = json_string_value(json_object_get(doc, "main_driver_id"));
    const char *vin = json_string_value(json_object_get(doc, "vin"));
    char kind[16];
    sqlite3_stmt *st;
    int rc;

    rc = customer_kind(db, owner, kind, p);
    if (rc <= 0) {
        if (rc == 0)
            problem_set(p, PROBLEM_UNPROCESSABLE, "owner_id %s refers to no customer", owner);
        return -1;
    }
    if (driver) {
        rc = customer_kind(db, driver, kind, p);
        if (rc < 0)
            return -1;
        if (rc == 0 || strcmp(kind, "person") != 0) {
            problem_set(p, PROBLEM_UNPROCESSABLE, "main_driver_id %s %s", driver,
                        rc == 0 ? "refers to no customer" : "is a company; the main driver is a person");
            return -1;
        }
    }
    if (!vin)
        return 0;
    st = db_stmt(db, SQL_VIN_HOLDER, p);
    if (!st)
        return -1;
    db_bind_text(st, ":vin", vin);
    db_bind_text(st, ":id", json_string_value(json_object_get(doc, "id")));
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        problem_set(p, PROBLEM_CONFLICT, "VIN %s is already registered to vehicle %s", vin,
                    (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    if (rc == SQLITE_ROW)
        return -1;
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "vin holder", NULL, p);
}

int
store_vehicle_after_write(struct db *db, const json_t *doc, struct problem *p)
{
    return store_refs_replace(db, "vehicle", doc, p) != 0 ? -1 : store_plates_sync(db, doc, p);
}

int
store_vehicle_before_delete(struct db *db, const char *id, int cascade, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_TOUCHPOINT_COUNT, p);
    char now[UTIL_TIME_LEN + 1];
    long long n = 0;
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    db_done(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "vehicle touchpoints", NULL, p);
    if (n && !cascade) {
        problem_set(p, PROBLEM_CONFLICT,
                    "%lld touchpoint(s) refer to this vehicle; repeat with ?cascade=true to keep "
                    "them without the vehicle",
                    n);
        problem_set_extra(p, "references", json_pack("{s:I}", "touchpoints", n));
        return -1;
    }
    if (!n)
        return 0;
    if (!(st = db_stmt(db, SQL_DETACH_TOUCHPOINTS, p)))
        return -1;
    util_format_time(util_now(), now);
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":now", now);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "detach touchpoints", NULL, p);
}
