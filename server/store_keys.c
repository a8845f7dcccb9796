/*
 * store_keys: API keys in SQL. Authentication reads the rows with the
 * key's prefix (normally one) and compares hashes in constant time, so
 * the database index never sees the secret part of a key.
 */
#include "store_keys.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "store_util.h"

#define SQL_COLUMNS "id, name, role, prefix, created_at, last_used_at, revoked_at"
#define STORE_KEYS_TOUCH_SECS 60 /* last_used_at is written at most once a minute per key */
#define STORE_KEYS_TOUCH_WAIT_MS 100 /* longest wait for the write lock to write it */

static const char SQL_INSERT[] = "INSERT INTO api_keys (id, name, role, prefix, hash, created_at)"
                                 " VALUES (:id, :name, :role, :prefix, :hash, :created_at)";
static const char SQL_GET[] = "SELECT " SQL_COLUMNS " FROM api_keys WHERE id = :id";
static const char SQL_LIST[] =
    "SELECT " SQL_COLUMNS ", seq FROM api_keys WHERE seq > :after ORDER BY seq LIMIT :limit";
static const char SQL_FIND[] =
    "SELECT id FROM api_keys WHERE id = :ref UNION ALL"
    " SELECT id FROM api_keys WHERE name = :ref AND revoked_at IS NULL LIMIT 1";
static const char SQL_REVOKE[] =
    "UPDATE api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";
static const char SQL_BY_PREFIX[] =
    "SELECT id, role, hash, coalesce(last_used_at, ''), name FROM api_keys"
    " WHERE prefix = :prefix AND revoked_at IS NULL";
static const char SQL_ANY[] = "SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)";
static const char SQL_TOUCH[] =
    "UPDATE api_keys SET last_used_at = :now WHERE id = :id AND revoked_at IS NULL";

static json_t *
row_json(sqlite3_stmt *st)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", store_col_text(st, 0), "name",
                     store_col_text(st, 1), "role", store_col_text(st, 2), "prefix",
                     store_col_text(st, 3), "created_at", store_col_text(st, 4), "last_used_at",
                     store_col_text(st, 5), "revoked_at", store_col_text(st, 6));
}

/* The row of id into *out; 404 when there is none. */
static int
get(struct db *db, const char *id, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_GET, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = row_json(st);
    db_done(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE) {
        problem_set(p, PROBLEM_NOT_FOUND, "no API key with id %s", id);
        return -1;
    }
    return db_fail(db, rc, "key get", NULL, p);
}

static int
insert(struct db *db, const char *id, const char *name, enum role role, const char *key,
       struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_INSERT, p);
    char prefix[APIKEY_PREFIX_LEN + 1], hash[DIGEST_SHA256_HEX + 1], now[UTIL_TIME_LEN + 1];
    int rc;

    if (!st)
        return -1;
    apikey_prefix(key, prefix);
    apikey_hash(key, hash);
    util_format_time(util_now(), now);
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":role", role_name(role));
    db_bind_text(st, ":prefix", prefix);
    db_bind_text(st, ":hash", hash);
    db_bind_text(st, ":created_at", now);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_DONE)
        return 0;
    return db_fail(db, rc, "key insert",
                   "an unrevoked key already has this name; choose another or revoke that one", p);
}

int
store_keys_create(struct db *db, const char *name, enum role role, char key[APIKEY_LEN + 1],
                  json_t **out, struct problem *p)
{
    char id[UTIL_UUID_LEN + 1];

    if (apikey_generate(key) != 0) {
        problem_internal(p, "key create: the random generator failed");
        return -1;
    }
    util_uuid(id);
    if (db_begin_write(db, p) != 0)
        return -1;
    if (insert(db, id, name, role, key, p) != 0 || get(db, id, out, p) != 0 ||
        db_commit(db, p) != 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int
store_keys_get(struct db *db, const char *id, json_t **out, struct problem *p)
{
    return get(db, id, out, p);
}

int
store_keys_list(struct db *db, struct store_keys_page *page, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LIST, p);
    int rc, n = 0;

    if (!st)
        return -1;
    page->items = json_array();
    db_bind_int(st, ":after", page->from);
    db_bind_int(st, ":limit", page->limit + 1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == page->limit) {
            page->more = 1;
            break;
        }
        json_array_append_new(page->items, row_json(st));
        page->last = sqlite3_column_int64(st, 7);
    }
    db_done(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return 0;
    json_decref(page->items);
    page->items = NULL;
    return db_fail(db, rc, "key list", NULL, p);
}

/* The id of ref (an id, or the name of an unrevoked key) into id; 404 when none. */
static int
find(struct db *db, const char *ref, char id[UTIL_UUID_LEN + 1], struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_FIND, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":ref", ref);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(id, UTIL_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE) {
        problem_set(p, PROBLEM_NOT_FOUND, "no API key with this id or name");
        return -1;
    }
    return db_fail(db, rc, "key find", NULL, p);
}

static int
revoke(struct db *db, const char *id, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_REVOKE, p);
    char now[UTIL_TIME_LEN + 1];
    int rc;

    if (!st)
        return -1;
    util_format_time(util_now(), now);
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":now", now);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "key revoke", NULL, p);
}

int
store_keys_revoke(struct db *db, const char *ref, json_t **out, struct problem *p)
{
    char id[UTIL_UUID_LEN + 1];
    json_t *doc = NULL;

    if (db_begin_write(db, p) != 0)
        return -1;
    if (find(db, ref, id, p) != 0 || revoke(db, id, p) != 0 || get(db, id, &doc, p) != 0 ||
        db_commit(db, p) != 0) {
        json_decref(doc);
        db_rollback(db);
        return -1;
    }
    if (out)
        *out = doc;
    else
        json_decref(doc);
    return 0;
}

int
store_keys_authenticate(struct db *db, const char *key, struct store_key_auth *a, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_BY_PREFIX, p);
    char prefix[APIKEY_PREFIX_LEN + 1], hash[DIGEST_SHA256_HEX + 1];
    int rc, found = 0;

    if (!st)
        return -1;
    apikey_prefix(key, prefix);
    apikey_hash(key, hash);
    db_bind_text(st, ":prefix", prefix);
    while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!apikey_hash_equal(hash, (const char *)sqlite3_column_text(st, 2)))
            continue;
        found = 1;
        snprintf(a->id, sizeof a->id, "%s", (const char *)sqlite3_column_text(st, 0));
        a->role = role_parse((const char *)sqlite3_column_text(st, 1));
        snprintf(a->last_used_at, sizeof a->last_used_at, "%s",
                 (const char *)sqlite3_column_text(st, 3));
        snprintf(a->name, sizeof a->name, "%s", (const char *)sqlite3_column_text(st, 4));
    }
    db_done(st);
    if (found)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "key lookup", NULL, p);
}

int
store_keys_any(struct db *db, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ANY, p);
    int rc, any = 0;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        any = sqlite3_column_int(st, 0);
    db_done(st);
    return rc == SQLITE_ROW ? any : db_fail(db, rc, "key count", NULL, p);
}

void
store_keys_touch(struct db *db, const struct store_key_auth *a, int busy_timeout_ms)
{
    struct problem p = {0};
    char now[UTIL_TIME_LEN + 1], due[UTIL_TIME_LEN + 1];
    time_t t = util_now();
    sqlite3_stmt *st;

    util_format_time(t - STORE_KEYS_TOUCH_SECS, due);
    if (a->last_used_at[0] && strcmp(a->last_used_at, due) > 0)
        return; /* RFC 3339 UTC with second precision sorts as text */
    st = db_stmt(db, SQL_TOUCH, &p);
    if (!st) {
        problem_release(&p);
        return;
    }
    util_format_time(t, now);
    db_bind_text(st, ":now", now);
    db_bind_text(st, ":id", a->id);
    /* the audit writer's batches are short: wait for them; a long import batch holds the
     * write lock longer: skip this minute rather than wait behind it */
    sqlite3_busy_timeout(db_handle(db), STORE_KEYS_TOUCH_WAIT_MS);
    sqlite3_step(st);
    sqlite3_busy_timeout(db_handle(db), busy_timeout_ms);
    db_done(st);
}
