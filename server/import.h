/*
 * import: the bulk sync import (POST /v1/import) inside the server:
 * import.c streams and spools the body and answers with the report,
 * import_csv.c turns spreadsheet rows into lines, import_apply.c
 * applies one line with the resources' own validation and store code.
 */
#ifndef CRMD_IMPORT_H
#define CRMD_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "problem.h"
#include "resource.h"

struct db;

/* Line types, in the order they are applied (what a line refers to comes first). */
enum import_type {
    IMPORT_CUSTOMER,
    IMPORT_HOUSEHOLD,
    IMPORT_VEHICLE,
    IMPORT_MEMBERSHIP,
    IMPORT_COMPANY_PERSON,
    IMPORT_TOUCHPOINT,
    IMPORT_NTYPES
};

/* The external reference system that names a record by crmd's own id (GET /v1/export). */
#define IMPORT_SYSTEM_CRMD "crmd"

#define IMPORT_KEY_MAX 600 /* a line's identity: "system:id", or two of them for a link */

/* "customer", ... "touchpoint" by enum import_type. */
extern const char *const import_type_names[IMPORT_NTYPES];

/* The type named name, or -1. */
int import_type_of(const char *name);

/*
 * Check the members that identify a line of type t (external_ref; the
 * household and customer of a membership; company and person) and write
 * its identity to key. Returns 0 or -1 (400 validation).
 */
int import_line_key(enum import_type t, const json_t *line, char *key, size_t keysz,
                    struct problem *p);

/*
 * External references resolved during one import (import_refs.c): an
 * open-addressing map of "resource system:id" → record id. Zeroed = empty.
 */
struct import_ref;
struct import_refs {
    struct import_ref *v;
    size_t n, cap;
};

/* 1 and id (37 bytes) when (resource, key) was learnt, else 0. */
int import_refs_find(struct import_refs *m, const char *resource, const char *key, char *id);
void import_refs_learn(struct import_refs *m, const char *resource, const char *key,
                       const char *id);
/* Forget every entry (keeps the memory); release frees it. */
void import_refs_forget(struct import_refs *m);
void import_refs_release(struct import_refs *m);

/*
 * Apply line (a parsed object of type t, which may be modified) inside
 * the caller's write transaction: upsert by external reference with the
 * resource's validation and store rules, references by external id
 * (looked up in refs first; what is found and the line's own reference
 * are learnt there; a line that updates a record makes refs forget all).
 * Fills *outcome and id (37 bytes: the record, the household of a
 * membership, the company of a company_person). Returns 0 or -1.
 */
int import_apply(struct db *db, struct import_refs *refs, enum import_type t, json_t *line,
                 enum resource_outcome *outcome, char *id, struct problem *p);

/* A column name the CSV of type t takes (a plain field or parent.member)? 1 or 0. */
int import_csv_column_ok(enum import_type t, const char *name);

/*
 * CSV of customers, vehicles or touchpoints: check the header row's columns (field
 * names; address.*, external_ref.*, owner.*, main_driver.*, customer.*, vehicle.* for
 * nested members). Returns 0 or -1 (400 naming the column).
 */
int import_csv_header(enum import_type t, char **cols, size_t n, struct problem *p);

/* A checked CSV header and how its cells read. */
struct import_csv_head {
    enum import_type type;
    char **cols;
    size_t ncols;
    char sep; /* ';' files write numbers with a decimal comma: "0,8" is 0.8 */
};

/*
 * One data row (row: its number, the header is 1) → a new line object with "type", or
 * NULL with a 400 naming the row (wrong number of fields; a cell not UTF-8). Empty cells
 * are left out; texts are in NFC (unicode_nfc_json), as in a JSON line.
 */
json_t *import_csv_row(const struct import_csv_head *h, unsigned long row, char **fields,
                       size_t n, struct problem *p);

#endif
