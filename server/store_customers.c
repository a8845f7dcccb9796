/*
 * store_customers: lookup keys (e-mail, phone, search names) and external references of
 * customers, list filters, and what deleting a customer does to what
 * refers to it.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "normalize.h"
#include "phone.h"
#include "store.h"
#include "store_util.h"

static const char SQL_KEYS_CLEAR[] = "DELETE FROM customer_keys WHERE customer_id = :id";
static const char SQL_KEY_ADD[] =
    "INSERT OR IGNORE INTO customer_keys (kind, key, customer_id) VALUES (:kind, :key, :id)";
static const char SQL_REFERENCES[] =
    "SELECT (SELECT count(*) FROM vehicles WHERE owner_id = :id),"
    " (SELECT count(*) FROM vehicles WHERE main_driver_id = :id),"
    " (SELECT count(*) FROM touchpoints WHERE customer_id = :id)";
static const char SQL_CASCADE_TOUCHPOINTS[] = "DELETE FROM touchpoints WHERE customer_id = :id";
/* Other customers' touchpoints on the deleted customer's cars keep their history, without the car. */
static const char SQL_CASCADE_DETACH[] =
    "UPDATE touchpoints SET vehicle_id = NULL, version = version + 1, updated_at = :now"
    " WHERE vehicle_id IN (SELECT id FROM vehicles WHERE owner_id = :id)";
/* Membership goes with the customer (foreign key cascade); the household shows the change. */
static const char SQL_TOUCH_HOUSEHOLD[] =
    "UPDATE households SET version = version + 1, updated_at = :now"
    " WHERE id = (SELECT household_id FROM household_members WHERE customer_id = :id)";
static const char SQL_CASCADE_DRIVER[] =
    "UPDATE vehicles SET main_driver_id = NULL, version = version + 1, updated_at = :now"
    " WHERE main_driver_id = :id AND owner_id <> :id";
static const char SQL_CASCADE_VEHICLES[] = "DELETE FROM vehicles WHERE owner_id = :id";

static int
norm_email(const char *in, char *out, size_t outsz)
{
    return normalize_email(in, out, outsz);
}

static int
norm_phone(const char *in, char *out, size_t outsz)
{
    return phone_parse_default(in, out, outsz, NULL);
}

static int
norm_kind(const char *in, char *out, size_t outsz)
{
    if (strcmp(in, "person") && strcmp(in, "company"))
        return -1;
    snprintf(out, outsz, "%s", in);
    return 0;
}

const struct store_filter store_customer_filters[] = {
    { "email", "t.id IN (SELECT customer_id FROM customer_keys WHERE kind = 'email' AND key = :email)",
      norm_email, "an e-mail address" },
    { "phone", "t.id IN (SELECT customer_id FROM customer_keys WHERE kind = 'phone' AND key = :phone)",
      norm_phone, "a phone number (national with leading 0, or international)" },
    { "family_name", "t.family_name = :family_name COLLATE NOCASE", store_norm_text,
      "1-1024 bytes of text" },
    { "company_name", "t.company_name = :company_name COLLATE NOCASE", store_norm_text,
      "1-1024 bytes of text" },
    { "kind", "t.kind = :kind", norm_kind, "person or company" },
    { "external_ref",
      "t.id IN (SELECT res_id FROM external_refs WHERE resource = 'customer' AND ref_key = :external_ref)",
      store_norm_external_ref, "system:id, e.g. dms:K-10042" },
    { NULL, NULL, NULL, NULL },
};

static int
add_key(struct db *db, const char *kind, const char *key, const char *id, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_KEY_ADD, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":kind", kind);
    db_bind_text(st, ":key", key);
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "customer key", NULL, p);
}

int
store_customer_after_write(struct db *db, const json_t *doc, struct problem *p)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    char key[NORMALIZE_EMAIL_MAX];
    json_t *e;
    size_t i;

    /* a customer just created (version 1: a fresh id) has no keys to clear */
    if (json_integer_value(json_object_get(doc, "version")) != 1 &&
        (store_exec_id(db, SQL_KEYS_CLEAR, id, p) != 0 || store_phone_tails_clear(db, id, p) != 0))
        return -1;
    json_array_foreach(json_object_get(doc, "emails"), i, e)
    {
        if (normalize_email(json_string_value(json_object_get(e, "address")), key, sizeof key) == 0 &&
            add_key(db, "email", key, id, p) != 0)
            return -1;
    }
    json_array_foreach(json_object_get(doc, "phones"), i, e)
    {
        const char *e164 = json_string_value(json_object_get(e, "e164"));
        if (add_key(db, "phone", e164, id, p) != 0 || store_phone_tails_add(db, id, e164, p) != 0)
            return -1;
    }
    if (store_search_index_customer(db, doc, p) != 0 ||
        store_refs_replace(db, "customer", doc, p) != 0)
        return -1;
    return store_duplicates_index_customer(db, doc, p);
}

/* Run a statement taking :id and :now to completion. */
static int
exec_id_now(struct db *db, const char *sql, const char *id, const char *now, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":now", now);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "cascade", NULL, p);
}

int
store_customer_before_delete(struct db *db, const char *id, int cascade, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_REFERENCES, p);
    long long owned = 0, driven = 0, touchpoints = 0;
    char now[UTIL_TIME_LEN + 1];
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        owned = sqlite3_column_int64(st, 0);
        driven = sqlite3_column_int64(st, 1);
        touchpoints = sqlite3_column_int64(st, 2);
    }
    db_done(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "customer references", NULL, p);
    if (!cascade && (owned || driven || touchpoints)) {
        problem_set(p, PROBLEM_CONFLICT,
                    "the customer owns %lld vehicle(s), is main driver of %lld and has %lld "
                    "touchpoint(s); delete those first or repeat with ?cascade=true",
                    owned, driven, touchpoints);
        problem_set_extra(p, "references",
                          json_pack("{s:I, s:I, s:I}", "owned_vehicles", owned, "driven_vehicles",
                                    driven, "touchpoints", touchpoints));
        return -1;
    }
    util_format_time(util_now(), now);
    if (exec_id_now(db, SQL_TOUCH_HOUSEHOLD, id, now, p) != 0 ||
        exec_id_now(db, SQL_CASCADE_DRIVER, id, now, p) != 0 ||
        store_exec_id(db, SQL_CASCADE_TOUCHPOINTS, id, p) != 0 ||
        exec_id_now(db, SQL_CASCADE_DETACH, id, now, p) != 0)
        return -1;
    return store_exec_id(db, SQL_CASCADE_VEHICLES, id, p);
}
