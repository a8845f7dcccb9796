/*
 * store_relations: the links between customers: household membership
 * (a person in at most one household) and people's roles at companies.
 * Changing members bumps the household's version, since members are part
 * of its representation.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "store.h"
#include "store_util.h"

static const char SQL_KIND[] = "SELECT kind FROM customers WHERE id = :id";
static const char SQL_MEMBER_OF[] = "SELECT household_id FROM household_members WHERE customer_id = :id";
static const char SQL_MEMBER_PUT[] =
    "INSERT INTO household_members (customer_id, household_id, role, since)"
    " VALUES (:customer, :household, :role, :now)"
    " ON CONFLICT (customer_id) DO UPDATE SET household_id = excluded.household_id,"
    " role = excluded.role,"
    " since = CASE WHEN household_id = excluded.household_id THEN since ELSE excluded.since END";
static const char SQL_MEMBER_DELETE[] =
    "DELETE FROM household_members WHERE customer_id = :customer AND household_id = :household";
static const char SQL_HOUSEHOLD_TOUCH[] =
    "UPDATE households SET version = version + 1, updated_at = :now WHERE id = :id";
static const char SQL_ROLES_CLEAR[] =
    "DELETE FROM company_people WHERE company_id = :company AND person_id = :person";
static const char SQL_ROLE_SINCE[] = "SELECT min(since) FROM company_people"
                                     " WHERE company_id = :company AND person_id = :person";
static const char SQL_ROLE_ADD[] = "INSERT INTO company_people (company_id, person_id, role, since)"
                                   " VALUES (:company, :person, :role, :since)";
static const char SQL_PEOPLE_OF_COMPANY[] =
    "SELECT person_id, json_group_array(role), min(since) FROM"
    " (SELECT * FROM company_people WHERE company_id = :id ORDER BY role)"
    " GROUP BY person_id ORDER BY min(since), (SELECT seq FROM customers WHERE id = person_id)";
static const char SQL_COMPANIES_OF_PERSON[] =
    "SELECT company_id, json_group_array(role), min(since) FROM"
    " (SELECT * FROM company_people WHERE person_id = :id ORDER BY role)"
    " GROUP BY company_id ORDER BY min(since), (SELECT seq FROM customers WHERE id = company_id)";

const struct store_filter store_household_filters[] = {
    { "name", "t.name = :name COLLATE NOCASE", store_norm_text, "1-1024 bytes of text" },
    { "external_ref",
      "t.id IN (SELECT res_id FROM external_refs WHERE resource = 'household' AND ref_key = :external_ref)",
      store_norm_external_ref, "system:id, e.g. dms:H-300" },
    { NULL, NULL, NULL, NULL },
};

int
store_household_after_write(struct db *db, const json_t *doc, struct problem *p)
{
    return store_refs_replace(db, "household", doc, p);
}

/* Kind of customer id: "person", "company", or NULL (p set to 404/500). */
static const char *
kind_of(struct db *db, const char *id, const char *what, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_KIND, p);
    const char *kind = NULL;
    int rc;

    if (!st)
        return NULL;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        kind = strcmp((const char *)sqlite3_column_text(st, 0), "person") == 0 ? "person" : "company";
    db_done(st);
    if (rc == SQLITE_DONE)
        problem_set(p, PROBLEM_NOT_FOUND, "no %s with id %s", what, id);
    else if (rc != SQLITE_ROW)
        db_fail(db, rc, "kind", NULL, p);
    return kind;
}

static int
step_done(struct db *db, sqlite3_stmt *st, const char *step, struct problem *p)
{
    int rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, step, NULL, p);
}

static int
touch_household(struct db *db, const char *id, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_HOUSEHOLD_TOUCH, p);
    char now[UTIL_TIME_LEN + 1];

    if (!st)
        return -1;
    util_format_time(util_now(), now);
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":now", now);
    return step_done(db, st, "touch household", p);
}

int
store_household_member_put(struct db *db, const char *household, const char *customer,
                           const char *role, int move, int *created, struct problem *p)
{
    char current[UTIL_UUID_LEN + 1] = "", now[UTIL_TIME_LEN + 1];
    const char *kind;
    sqlite3_stmt *st;
    int rc;

    rc = store_exists(db, &model_household, household, p);
    if (rc <= 0) {
        if (rc == 0)
            problem_set(p, PROBLEM_NOT_FOUND, "no household with id %s", household);
        return -1;
    }
    if (!(kind = kind_of(db, customer, "customer", p)))
        return -1;
    if (strcmp(kind, "person") != 0) {
        problem_set(p, PROBLEM_UNPROCESSABLE, "customer %s is a company; households have persons", customer);
        return -1;
    }
    if (!(st = db_stmt(db, SQL_MEMBER_OF, p)))
        return -1;
    db_bind_text(st, ":id", customer);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(current, sizeof current, "%s", (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, rc, "member of", NULL, p);
    if (current[0] && strcmp(current, household) != 0 && !move) {
        problem_set(p, PROBLEM_CONFLICT,
                    "customer %s already belongs to household %s; repeat with ?move=true to move them",
                    customer, current);
        problem_set_extra(p, "household_id", json_string(current));
        return -1;
    }
    *created = strcmp(current, household) != 0;
    if (!(st = db_stmt(db, SQL_MEMBER_PUT, p)))
        return -1;
    util_format_time(util_now(), now);
    db_bind_text(st, ":customer", customer);
    db_bind_text(st, ":household", household);
    db_bind_text(st, ":role", role);
    db_bind_text(st, ":now", now);
    if (step_done(db, st, "member put", p) != 0 || touch_household(db, household, p) != 0)
        return -1;
    return current[0] && strcmp(current, household) ? touch_household(db, current, p) : 0;
}

int
store_household_member_delete(struct db *db, const char *household, const char *customer,
                              struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_MEMBER_DELETE, p);

    if (!st)
        return -1;
    db_bind_text(st, ":customer", customer);
    db_bind_text(st, ":household", household);
    if (step_done(db, st, "member delete", p) != 0)
        return -1;
    if (sqlite3_changes(db_handle(db)) == 0) {
        problem_set(p, PROBLEM_NOT_FOUND, "customer %s is not a member of household %s", customer,
                    household);
        return -1;
    }
    return touch_household(db, household, p);
}

int
store_company_person_put(struct db *db, const char *company, const char *person,
                         const json_t *roles, int *created, struct problem *p)
{
    char since[UTIL_TIME_LEN + 1];
    const char *kind;
    sqlite3_stmt *st;
    json_t *role;
    size_t i;
    int rc;

    if (!(kind = kind_of(db, company, "customer", p)))
        return -1;
    if (strcmp(kind, "company") != 0) {
        problem_set(p, PROBLEM_UNPROCESSABLE, "customer %s is a person, not a company", company);
        return -1;
    }
    if (!(kind = kind_of(db, person, "customer", p)))
        return -1;
    if (strcmp(kind, "person") != 0) {
        problem_set(p, PROBLEM_UNPROCESSABLE, "customer %s is a company, not a person", person);
        return -1;
    }
    if (!(st = db_stmt(db, SQL_ROLE_SINCE, p)))
        return -1;
    db_bind_text(st, ":company", company);
    db_bind_text(st, ":person", person);
    rc = sqlite3_step(st);
    *created = rc != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL;
    if (*created)
        util_format_time(util_now(), since);
    else
        snprintf(since, sizeof since, "%s", (const char *)sqlite3_column_text(st, 0));
    db_done(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "role since", NULL, p);
    if (!(st = db_stmt(db, SQL_ROLES_CLEAR, p)))
        return -1;
    db_bind_text(st, ":company", company);
    db_bind_text(st, ":person", person);
    if (step_done(db, st, "roles clear", p) != 0)
        return -1;
    json_array_foreach(roles, i, role)
    {
        if (!(st = db_stmt(db, SQL_ROLE_ADD, p)))
            return -1;
        db_bind_text(st, ":company", company);
        db_bind_text(st, ":person", person);
        db_bind_text(st, ":role", json_string_value(role));
        db_bind_text(st, ":since", since);
        if (step_done(db, st, "role add", p) != 0)
            return -1;
    }
    return 0;
}

int
store_company_person_delete(struct db *db, const char *company, const char *person,
                            struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ROLES_CLEAR, p);

    if (!st)
        return -1;
    db_bind_text(st, ":company", company);
    db_bind_text(st, ":person", person);
    if (step_done(db, st, "roles delete", p) != 0)
        return -1;
    if (sqlite3_changes(db_handle(db)) == 0) {
        problem_set(p, PROBLEM_NOT_FOUND, "person %s has no role at company %s", person, company);
        return -1;
    }
    return 0;
}

int
store_company_people(struct db *db, const char *customer, int of_company, json_t **out,
                     struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, of_company ? SQL_PEOPLE_OF_COMPANY : SQL_COMPANIES_OF_PERSON, p);
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    db_bind_text(st, ":id", customer);
    *out = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *roles = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
        json_array_append_new(*out, json_pack("{s:s, s:o, s:s}", of_company ? "person_id" : "company_id",
                                              (const char *)sqlite3_column_text(st, 0), "roles",
                                              roles ? roles : json_array(), "since",
                                              (const char *)sqlite3_column_text(st, 2)));
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(*out);
        *out = NULL;
        return db_fail(db, rc, "company people", NULL, p);
    }
    return 0;
}
