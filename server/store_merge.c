/*
 * store_merge: the SQL of merging one customer into another: re-point
 * vehicles, touchpoints, household membership, company roles and
 * external reference rows, then delete the merged customer with a note
 * for the change feed and a row in customer_merges, which a later 404 of
 * the merged id follows to the survivor. The merged fields of the survivor are
 * merge_rules.c's; the transaction and order are merge.c's.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "store_util.h"

static const char SQL_COUNTS[] =
    "SELECT (SELECT count(*) FROM vehicles WHERE owner_id = :from),"
    " (SELECT count(*) FROM vehicles WHERE main_driver_id = :from),"
    " (SELECT count(*) FROM touchpoints WHERE customer_id = :from)";
/* One update per vehicle, so a car the merged customer owns and drives gets one new version. */
static const char SQL_VEHICLES[] =
    "UPDATE vehicles SET owner_id = CASE WHEN owner_id = :from THEN :into ELSE owner_id END,"
    " main_driver_id = CASE WHEN main_driver_id = :from THEN :into ELSE main_driver_id END,"
    " version = version + 1, updated_at = :now WHERE owner_id = :from OR main_driver_id = :from";
static const char SQL_TOUCHPOINTS[] =
    "UPDATE touchpoints SET customer_id = :into, version = version + 1, updated_at = :now"
    " WHERE customer_id = :from";
static const char SQL_HOUSEHOLD_OF[] =
    "SELECT household_id FROM household_members WHERE customer_id = :id";
static const char SQL_MEMBER_MOVE[] =
    "UPDATE household_members SET customer_id = :into WHERE customer_id = :from";
static const char SQL_HOUSEHOLD_TOUCH[] =
    "UPDATE households SET version = version + 1, updated_at = :now WHERE id = :id";
/* Roles the survivor already has stay as they are (and keep their since). */
static const char SQL_ROLES_AS_PERSON[] =
    "INSERT OR IGNORE INTO company_people (company_id, person_id, role, since)"
    " SELECT company_id, :into, role, since FROM company_people WHERE person_id = :from";
static const char SQL_ROLES_AS_COMPANY[] =
    "INSERT OR IGNORE INTO company_people (company_id, person_id, role, since)"
    " SELECT :into, person_id, role, since FROM company_people WHERE company_id = :from";
static const char SQL_ROLES_DROP[] =
    "DELETE FROM company_people WHERE person_id = :from OR company_id = :from";
static const char SQL_REFS[] =
    "UPDATE external_refs SET res_id = :into WHERE resource = 'customer' AND res_id = :from";
static const char SQL_MERGES_ADD[] =
    "INSERT OR REPLACE INTO customer_merges (id, into_id, merged_at) VALUES (:from, :into, :now)";
/*
 * The first existing customer on the chain of merges from :id (not :id
 * itself). The hop bound ends a cycle, which merges cannot make (a merged
 * id is gone) but hand-edited rows could.
 */
static const char SQL_SURVIVOR[] =
    "WITH RECURSIVE chain(id, n) AS (SELECT :id, 0"
    " UNION ALL SELECT m.into_id, chain.n + 1 FROM customer_merges m, chain"
    " WHERE m.id = chain.id AND chain.n < " STORE_MERGE_HOPS_STR ")"
    " SELECT chain.id FROM chain, customers c WHERE c.id = chain.id AND chain.n > 0"
    " ORDER BY chain.n LIMIT 1";

/* Run sql binding those of :into, :from, :now it names (:id = into); returns rows changed or -1. */
static int
exec(struct db *db, const char *sql, const char *into, const char *from, const char *now,
     struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    if (sqlite3_bind_parameter_index(st, ":into"))
        db_bind_text(st, ":into", into);
    if (sqlite3_bind_parameter_index(st, ":from"))
        db_bind_text(st, ":from", from);
    if (sqlite3_bind_parameter_index(st, ":now"))
        db_bind_text(st, ":now", now);
    if (sqlite3_bind_parameter_index(st, ":id"))
        db_bind_text(st, ":id", into);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? sqlite3_changes(db_handle(db)) : db_fail(db, rc, "merge", NULL, p);
}

static int
counts(struct db *db, const char *from, json_t *summary, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_COUNTS, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":from", from);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        json_object_set_new(summary, "vehicles_owned", json_integer(sqlite3_column_int64(st, 0)));
        json_object_set_new(summary, "vehicles_driven", json_integer(sqlite3_column_int64(st, 1)));
        json_object_set_new(summary, "touchpoints", json_integer(sqlite3_column_int64(st, 2)));
    }
    db_done(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, rc, "merge counts", NULL, p);
}

/* The household id of customer id into out ("" when none). */
static int
household_of(struct db *db, const char *id, char *out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_HOUSEHOLD_OF, p);
    int rc;

    out[0] = '\0';
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, UTIL_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc, "merge household", NULL, p);
}

/*
 * The survivor keeps its household; without one it takes the merged
 * customer's (same role). The merged customer's membership otherwise ends
 * with it (store_customer_before_delete shows that in its household).
 */
static int
household(struct db *db, const char *into, const char *from, const char *now, json_t *summary,
          struct problem *p)
{
    char mine[UTIL_UUID_LEN + 1], theirs[UTIL_UUID_LEN + 1];
    const char *outcome = "none";

    if (household_of(db, into, mine, p) != 0 || household_of(db, from, theirs, p) != 0)
        return -1;
    if (!mine[0] && theirs[0]) {
        if (exec(db, SQL_MEMBER_MOVE, into, from, now, p) < 0 ||
            exec(db, SQL_HOUSEHOLD_TOUCH, theirs, from, now, p) < 0)
            return -1;
        snprintf(mine, sizeof mine, "%s", theirs);
        theirs[0] = '\0';
        outcome = "moved";
    } else if (mine[0]) {
        outcome = "kept";
    }
    json_object_set_new(summary, "household",
                        json_pack("{s:s, s:o, s:o}", "outcome", outcome, "id",
                                  mine[0] ? json_string(mine) : json_null(), "left",
                                  theirs[0] ? json_string(theirs) : json_null()));
    return 0;
}

int
store_merge_move(struct db *db, const char *into, const char *from, json_t *summary,
                 struct problem *p)
{
    char now[UTIL_TIME_LEN + 1];
    int as_person, as_company;

    util_format_time(util_now(), now);
    if (counts(db, from, summary, p) != 0 || exec(db, SQL_VEHICLES, into, from, now, p) < 0 ||
        exec(db, SQL_TOUCHPOINTS, into, from, now, p) < 0 ||
        household(db, into, from, now, summary, p) != 0)
        return -1;
    if ((as_person = exec(db, SQL_ROLES_AS_PERSON, into, from, now, p)) < 0 ||
        (as_company = exec(db, SQL_ROLES_AS_COMPANY, into, from, now, p)) < 0 ||
        exec(db, SQL_ROLES_DROP, into, from, now, p) < 0 || exec(db, SQL_REFS, into, from, now, p) < 0)
        return -1;
    json_object_set_new(summary, "company_roles", json_integer(as_person + as_company));
    return 0;
}

int
store_merge_delete(struct db *db, const char *into, const char *from, struct problem *p)
{
    char now[UTIL_TIME_LEN + 1];

    util_format_time(util_now(), now);
    if (store_changes_note_merge(db, from, into, p) != 0 ||
        exec(db, SQL_MERGES_ADD, into, from, now, p) < 0 ||
        store_customer_before_delete(db, from, 0, p) != 0)
        return -1;
    return store_delete(db, &model_customer, from, p);
}

int
store_merge_survivor(struct db *db, const char *id, char *out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_SURVIVOR, p);
    int rc;

    out[0] = '\0';
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, UTIL_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "merge survivor", NULL, p);
}
