/*
 * store_touchpoints: reference rules (customer and vehicle exist) and
 * list filters of touchpoints.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "store_util.h"

static const char SQL_REFS[] = "SELECT (SELECT count(*) FROM customers WHERE id = :customer),"
                               " (SELECT count(*) FROM vehicles WHERE id = :vehicle)";

static int
norm_word(const char *in, char *out, size_t outsz)
{
    /* Enum filters: lower-case words; unknown values simply match nothing. */
    size_t n = strlen(in);
    if (n == 0 || n > 32 || n >= outsz || strspn(in, "abcdefghijklmnopqrstuvwxyz_") != n)
        return -1;
    memcpy(out, in, n + 1);
    return 0;
}

const struct store_filter store_touchpoint_filters[] = {
    { "customer_id", "t.customer_id = :customer_id", store_norm_id, "a customer id (UUID)" },
    { "vehicle_id", "t.vehicle_id = :vehicle_id", store_norm_id, "a vehicle id (UUID)" },
    { "journey_id", "t.journey_id = :journey_id", store_norm_id, "a journey id (UUID)" },
    { "kind", "t.kind = :kind", norm_word, "a touchpoint kind such as service_visit" },
    { "department", "t.department = :department", norm_word, "a department such as service" },
    { "from", "t.occurred_at >= :from", store_norm_time, "an RFC 3339 timestamp" },
    { "to", "t.occurred_at < :to", store_norm_time, "an RFC 3339 timestamp" },
    { "external_ref",
      "t.id IN (SELECT res_id FROM external_refs WHERE resource = 'touchpoint' AND ref_key = :external_ref)",
      store_norm_external_ref, "system:id, e.g. dms:T-9001" },
    { NULL, NULL, NULL, NULL },
};

int
store_touchpoint_after_write(struct db *db, const json_t *doc, struct problem *p)
{
    /* most touchpoints have none: skip the three statements of a replace on create */
    if (!json_object_get(doc, "external_refs") &&
        json_integer_value(json_object_get(doc, "version")) == 1)
        return 0;
    return store_refs_replace(db, "touchpoint", doc, p);
}

int
store_touchpoint_before_write(struct db *db, const json_t *doc, struct problem *p)
{
    const char *customer = json_string_value(json_object_get(doc, "customer_id"));
    const char *vehicle = json_string_value(json_object_get(doc, "vehicle_id"));
    sqlite3_stmt *st = db_stmt(db, SQL_REFS, p);
    int rc, has_customer = 0, has_vehicle = 0;

    if (!st)
        return -1;
    db_bind_text(st, ":customer", customer);
    db_bind_text(st, ":vehicle", vehicle);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        has_customer = sqlite3_column_int(st, 0);
        has_vehicle = sqlite3_column_int(st, 1);
    }
    db_done(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "touchpoint refs", NULL, p);
    if (!has_customer) {
        problem_set(p, PROBLEM_UNPROCESSABLE, "customer_id %s refers to no customer", customer);
        return -1;
    }
    if (vehicle && !has_vehicle) {
        problem_set(p, PROBLEM_UNPROCESSABLE, "vehicle_id %s refers to no vehicle", vehicle);
        return -1;
    }
    return 0;
}
