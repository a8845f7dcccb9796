/*
 * faultvfs: fault injection for the tests (see faultvfs.c and
 * docs/development.md, "Fault injection"). Off, and absent from SQLite's
 * VFS list, unless CRMD_FAULTS is set when crmd starts.
 */
#ifndef CRMD_FAULTVFS_H
#define CRMD_FAULTVFS_H

/*
 * Read CRMD_FAULTS (and CRMD_FAULTS_WHILE) once; when set, register the
 * faulting VFS as SQLite's default and log a warning. 0, or -1 with the
 * reason logged when the variable does not parse (crmd then refuses to start).
 */
int faultvfs_install(void);

/* Parse spec (CRMD_FAULTS' grammar) into the rules, replacing earlier ones; 0 or -1 (logged). */
int faultvfs_parse(const char *spec);

/* What the rules answer to op ("read", "write", "sync", "truncate", "lock") on path now:
 * SQLITE_OK, the SQLite code of the fault (counting the call), or -1 for an unknown op. */
int faultvfs_check(const char *op, const char *path);

/* The audit queue's size from CRMD_FAULTS "audit-queue=N"; def when not given. */
int faultvfs_audit_queue(int def);

#endif
