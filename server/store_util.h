/*
 * store_util: small helpers shared by the store_*.c files (not part of
 * the storage API seen by handlers).
 */
#ifndef CRMD_STORE_UTIL_H
#define CRMD_STORE_UTIL_H

#include <jansson.h>
#include <stddef.h>

#include "problem.h"

#include <sqlite3.h>

#include "model.h"
#include "util.h"

struct db;

/* "t.id, t.created_at, ..., <computed exprs>": the columns of m's representation, table alias t. */
void store_select_list(const struct model *m, struct buf *b);

/* The representation from a row selected with store_select_list (columns from 0). */
json_t *store_row_json(sqlite3_stmt *st, const struct model *m);

/* Column col as a JSON string / real / integer, or null when the column is NULL. */
json_t *store_col_text(sqlite3_stmt *st, int col);
json_t *store_col_real(sqlite3_stmt *st, int col);
json_t *store_col_int(sqlite3_stmt *st, int col);

/* Run a statement that takes only :id to completion. */
int store_exec_id(struct db *db, const char *sql, const char *id, struct problem *p);

/*
 * Replace the external references of resource ("customer", "vehicle")
 * doc["id"] with doc["external_refs"] (array of {system, id}, may be
 * absent); a reference held by another record → 409 naming it. A record
 * just created (version 1) has none to replace: its references are
 * inserted straight away (the checks run only when an insert fails).
 */
int store_refs_replace(struct db *db, const char *resource, const json_t *doc, struct problem *p);

/* Filter normalisers: text as given (≤ 1024 bytes); "system:id" external reference; a UUID. */
int store_norm_text(const char *in, char *out, size_t outsz);
int store_norm_external_ref(const char *in, char *out, size_t outsz);
int store_norm_id(const char *in, char *out, size_t outsz);
int store_norm_time(const char *in, char *out, size_t outsz);

/*
 * Change feed plumbing (store_changes.c) for store.c: arm installs this
 * connection's TEMP triggers once (before a write transaction); flush
 * turns the rows noted by them into change records inside the write
 * transaction and returns how many (-1 on error; 0 outside a write
 * transaction); notify wakes waiting readers after the COMMIT.
 */
int store_changes_arm(struct db *db, struct problem *p);
int store_changes_flush(struct db *db, struct problem *p);
void store_changes_notify(void);

/* Note that customer from was merged into `into` in this write transaction (its delete change says so). */
int store_changes_note_merge(struct db *db, const char *from, const char *into, struct problem *p);

#endif
