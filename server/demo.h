/*
 * demo: the demo data set (Wessling, Kaya, ...) loaded by --demo into a
 * database that has no customers yet. Dates are relative to today so the
 * story (birthday last month, leases ending soon) stays true.
 */
#ifndef CRMD_DEMO_H
#define CRMD_DEMO_H

struct db;

/* Load the demo data if the database has no customers. Returns 0 or -1 (logged). */
int demo_load(struct db *db);

#endif
