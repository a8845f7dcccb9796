/*
 * store_phones: migration 012 in C (schema/012_phone_e164.sql). Stored
 * phone numbers were normalised by crmd's own reader before 0.6; this
 * re-reads each typed number with libphonenumber, once, inside the
 * migration's transaction. Uses only the tables as of version 12.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "phone.h"
#include "store.h"
#include "store_util.h"

/* The migrations whose work is C (db.h). */
const struct db_step db_steps[] = {
    { 12, store_phones_renormalize },
    { 15, store_phone_tails_backfill }, /* store_phone_tails.c */
    { 0, NULL },
};

static const char SQL_PHONES[] =
    "SELECT id, seq, phones FROM customers WHERE phones IS NOT NULL ORDER BY seq";
static const char SQL_SET_PHONES[] = "UPDATE customers SET phones = :phones WHERE id = :id";
static const char SQL_KEYS_DROP[] =
    "DELETE FROM customer_keys WHERE customer_id = :id AND kind = 'phone'";
static const char SQL_KEY_ADD[] =
    "INSERT OR IGNORE INTO customer_keys (kind, key, customer_id) VALUES ('phone', :key, :id)";
/* the duplicates backfill at this start then re-indexes from the first changed customer */
static const char SQL_DUPES_AGAIN[] =
    "UPDATE duplicates_state SET indexed_seq = min(indexed_seq, :seq - 1)";

/* Re-read each number of phones (a JSON array); 1 if any e164 changed. Counts refusals in *kept. */
static int
phones_fix(json_t *phones, long *kept)
{
    json_t *e;
    size_t i;
    int changed = 0;

    json_array_foreach(phones, i, e)
    {
        const char *number = json_string_value(json_object_get(e, "number"));
        const char *old = json_string_value(json_object_get(e, "e164"));
        char e164[PHONE_E164_MAX];

        if (phone_parse_default(number, e164, sizeof e164, NULL) != 0) {
            (*kept)++; /* keep what the old reader stored: refusing it now would lose the key */
            continue;
        }
        if (!old || strcmp(old, e164)) {
            json_object_set_new(e, "e164", json_string(e164));
            changed = 1;
        }
    }
    return changed;
}

/* Write phones and the phone keys of customer id. */
static int
customer_write(struct db *db, const char *id, json_t *phones, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SET_PHONES, p);
    char *text = json_dumps(phones, JSON_COMPACT);
    json_t *e;
    size_t i;
    int rc;

    if (!st) {
        free(text);
        return -1;
    }
    db_bind_text(st, ":phones", text);
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    db_done(st);
    free(text);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, "phones", NULL, p);
    if (store_exec_id(db, SQL_KEYS_DROP, id, p) != 0)
        return -1;
    json_array_foreach(phones, i, e)
    {
        const char *key = json_string_value(json_object_get(e, "e164"));
        if (!key || !(st = db_stmt(db, SQL_KEY_ADD, p)))
            continue;
        db_bind_text(st, ":key", key);
        db_bind_text(st, ":id", id);
        rc = sqlite3_step(st);
        db_done(st);
        if (rc != SQLITE_DONE)
            return db_fail(db, rc, "phone key", NULL, p);
    }
    return 0;
}

/* Collect the changed customers first: no update under a running scan of the same table. */
static int
collect(struct db *db, json_t *todo, long *seen, long *kept, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PHONES, p);
    int rc;

    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *phones = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
        (*seen)++;
        if (json_is_array(phones) && phones_fix(phones, kept))
            json_array_append_new(todo, json_pack("{s:s, s:I, s:o}", "id",
                                                  (const char *)sqlite3_column_text(st, 0), "seq",
                                                  (json_int_t)sqlite3_column_int64(st, 1),
                                                  "phones", phones));
        else
            json_decref(phones);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "phones scan", NULL, p);
}

int
store_phones_renormalize(struct db *db)
{
    struct problem p = { 0 };
    json_t *todo = json_array(), *c;
    long seen = 0, kept = 0;
    size_t i;
    sqlite3_stmt *st;
    int rc = -1;

    if (collect(db, todo, &seen, &kept, &p) != 0)
        goto out;
    json_array_foreach(todo, i, c)
    {
        if (customer_write(db, json_string_value(json_object_get(c, "id")),
                           json_object_get(c, "phones"), &p) != 0)
            goto out;
    }
    if (json_array_size(todo)) {
        if (!(st = db_stmt(db, SQL_DUPES_AGAIN, &p)))
            goto out;
        db_bind_int(st, ":seq", json_integer_value(json_object_get(json_array_get(todo, 0), "seq")));
        rc = sqlite3_step(st);
        db_done(st);
        if (rc != SQLITE_DONE) {
            rc = db_fail(db, rc, "duplicates state", NULL, &p);
            goto out;
        }
    }
    log_info("phones: re-read the numbers of %ld customers with region %s: %zu changed, %ld "
             "numbers libphonenumber refuses kept as they were",
             seen, phone_region(), json_array_size(todo), kept);
    rc = 0;
out:
    if (rc != 0)
        log_error("phones: %s", p.detail[0] ? p.detail : "failed");
    problem_release(&p);
    json_decref(todo);
    return rc;
}
