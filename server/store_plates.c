/*
 * store_plates: plates at the desk, shared by the greeting card and the
 * search: the cars that carry one of a typed plate's keys now, those that
 * carried one before (vehicle_plates_past, schema/014), and those whose
 * plate begins with a prefix; and keeping vehicle_plates_past in step with
 * each vehicle's plate_history inside the vehicle's write transaction.
 * Which car wins is the callers' rule (normalize_plate_fits and the scores).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "normalize.h"
#include "store.h"
#include "store_util.h"

/* Columns of every lookup: person at the desk (main driver, else owner), car, plates, state. */
#define PLATE_COLUMNS(plate, key, until)                                                           \
    "SELECT coalesce(v.main_driver_id, v.owner_id), v.id, " plate ", " key ", v.plate, " until     \
    ", v.status = 'active'"

/* Active cars first: a sold car's keeper is rarely the one at the desk. */
static const char SQL_NOW[] =
    PLATE_COLUMNS("v.plate", "v.plate_normalized", "NULL") " FROM vehicles v"
    " WHERE v.plate_normalized IN (:k0, :k1, :k2, :k3)"
    " ORDER BY v.status <> 'active', v.seq LIMIT :limit";
/* The latest carrier of an old plate first (plates are reissued). */
static const char SQL_PAST[] =
    PLATE_COLUMNS("p.plate", "p.plate_normalized", "p.until") " FROM vehicle_plates_past p"
    " JOIN vehicles v ON v.id = p.vehicle_id WHERE p.plate_normalized IN (:k0, :k1, :k2, :k3)"
    " ORDER BY v.status <> 'active', p.until DESC, v.seq LIMIT :limit";
/* Each key a range of the index, [key, key with its last byte raised); active cars only. */
static const char SQL_PREFIX[] =
    PLATE_COLUMNS("v.plate", "v.plate_normalized", "NULL") " FROM vehicles v"
    " WHERE ((v.plate_normalized >= :k0 AND v.plate_normalized < :e0)"
    " OR (v.plate_normalized >= :k1 AND v.plate_normalized < :e1)"
    " OR (v.plate_normalized >= :k2 AND v.plate_normalized < :e2)"
    " OR (v.plate_normalized >= :k3 AND v.plate_normalized < :e3))"
    " AND v.status = 'active' LIMIT :limit";

static const char SQL_PAST_CLEAR[] = "DELETE FROM vehicle_plates_past WHERE vehicle_id = :id";
static const char SQL_PAST_FILL[] =
    "INSERT INTO vehicle_plates_past (vehicle_id, plate, plate_normalized, until)"
    " SELECT :id, json_extract(value, '$.plate'), json_extract(value, '$.plate_normalized'),"
    " json_extract(value, '$.until') FROM json_each(:history)"
    " WHERE json_extract(value, '$.plate') IS NOT NULL"
    " AND json_extract(value, '$.plate_normalized') IS NOT NULL"
    " AND json_extract(value, '$.until') IS NOT NULL ORDER BY key";

_Static_assert(NORMALIZE_PLATE_KEYS == 4, "SQL_NOW, SQL_PAST and SQL_PREFIX bind four keys");

/*
 * The first string after every string starting with key: its last byte
 * raised. Normalised keys hold A-Z, 0-9 and the second bytes of Ä Ö Ü
 * (0x84, 0x96, 0x9C), so that byte is never 0xFF.
 */
static void
prefix_end(const char *key, char end[NORMALIZE_PLATE_MAX])
{
    size_t n = strlen(key);

    memcpy(end, key, n + 1);
    if (n)
        end[n - 1] = (char)((unsigned char)end[n - 1] + 1);
}

static void
bind_keys(sqlite3_stmt *st, const struct plate_keys *keys, int prefix)
{
    static const char *const k[] = { ":k0", ":k1", ":k2", ":k3" };
    static const char *const e[] = { ":e0", ":e1", ":e2", ":e3" };
    char end[NORMALIZE_PLATE_MAX];

    for (size_t i = 0; i < keys->n && i < NORMALIZE_PLATE_KEYS; i++) {
        db_bind_text(st, k[i], keys->key[i]);
        if (prefix) {
            prefix_end(keys->key[i], end);
            db_bind_text(st, e[i], end);
        }
    }
}

static const char *
col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

int
store_plates_find(struct db *db, enum store_plates_by by, const struct plate_keys *keys, long limit,
                  void (*each)(const struct store_plate_row *row, void *arg), void *arg,
                  struct problem *p)
{
    const char *sql = by == STORE_PLATES_NOW ? SQL_NOW : by == STORE_PLATES_PAST ? SQL_PAST : SQL_PREFIX;
    sqlite3_stmt *st;
    int rc;

    if (!keys->n)
        return 0;
    if (!(st = db_stmt(db, sql, p)))
        return -1;
    bind_keys(st, keys, by == STORE_PLATES_PREFIX);
    db_bind_int(st, ":limit", limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_plate_row row = { col(st, 0), col(st, 1), col(st, 2), col(st, 3),
                                       col(st, 4), col(st, 5), sqlite3_column_int(st, 6) };
        each(&row, arg);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "plate lookup", NULL, p);
}

int
store_plates_sync(struct db *db, const json_t *doc, struct problem *p)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    const json_t *history = json_object_get(doc, "plate_history");
    sqlite3_stmt *st;
    char *text;
    int rc;

    /* a car just created has no rows yet */
    if (json_integer_value(json_object_get(doc, "version")) != 1 &&
        store_exec_id(db, SQL_PAST_CLEAR, id, p) != 0)
        return -1;
    if (json_array_size(history) == 0)
        return 0;
    if (!(st = db_stmt(db, SQL_PAST_FILL, p)))
        return -1;
    text = json_dumps(history, JSON_COMPACT);
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":history", text);
    rc = sqlite3_step(st);
    db_done(st);
    free(text);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "past plates", NULL, p);
}
