/*
 * backup: consistent copies of the live database (crmd backup and
 * POST /v1/backup). A copy is written under a temporary name next to
 * its destination, synced, checked with PRAGMA integrity_check and only
 * then renamed into place, so a file under the final name is complete.
 */
#ifndef CRMD_BACKUP_H
#define CRMD_BACKUP_H

#include <stddef.h>

/* backup_to's answer when the destination's disk (or the file size limit) is full */
#define BACKUP_NO_SPACE (-2)

/*
 * Copy database db_path to dest (must not exist yet) while the service
 * may run; its size in bytes into *size. 0, or -1 (BACKUP_NO_SPACE when
 * the copy could not grow) with the reason in err (nothing left behind
 * under either name).
 */
int backup_to(const char *db_path, const char *dest, long long *size, char *err, size_t errlen);

/*
 * File name for a backup made at t (UTC) in directory dir into out:
 * dir/crmd-YYYYMMDDTHHMMSSZ-<8 hex>.db; the bare name into *name.
 * Returns 0, or -1 when out is too small.
 */
int backup_name(const char *dir, char *out, size_t n, const char **name);

/*
 * When the newest backup in dir (a file named as backup_name names them:
 * only complete copies get such a name) was last written, in seconds since
 * the epoch; 0 when dir is NULL, unreadable or holds none.
 */
long long backup_latest(const char *dir);

/* crmd backup --db FILE --to FILE: argv from "backup" on; the exit code. */
int backup_main(int argc, char **argv);

#endif
