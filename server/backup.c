/*
 * backup: temp file + sqlite3_backup (store_ops.c) + fsync + integrity
 * check + rename + fsync of the directory; the newest backup of a
 * directory (for /metrics after a restart); and the crmd backup command.
 */
#include "backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "diskspace.h"
#include "store_ops.h"
#include "util.h"

/* fsync the file or directory at path; 0 or -1 with err. */
static int
sync_path(const char *path, int dir, char *err, size_t errlen)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    int rc = fd >= 0 ? fsync(fd) : -1;

    if (rc != 0) {
        snprintf(err, errlen, "cannot sync %s: %s", path, strerror(errno));
        if (diskspace_errno_full(errno))
            rc = BACKUP_NO_SPACE;
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

/* The temporary name of dest (same directory, so rename is atomic) into tmp; fd of the new file. */
static int
create_temp(const char *dest, char *tmp, size_t n, char *err, size_t errlen)
{
    char id[UTIL_UUID_LEN + 1];
    int fd;

    util_uuid(id);
    /* the last 8 hex digits: random (a version-7 id starts with the time) */
    if ((size_t)snprintf(tmp, n, "%s.tmp-%s", dest, id + UTIL_UUID_LEN - 8) >= n) {
        snprintf(err, errlen, "the backup path is too long");
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
    return fd;
}

int
backup_to(const char *db_path, const char *dest, long long *size, char *err, size_t errlen)
{
    char tmp[4096], dir[4096];
    struct stat st;
    int fd, rc;

    if (lstat(dest, &st) == 0 || errno != ENOENT) {
        snprintf(err, errlen, "%s exists already (or cannot be checked): not overwritten", dest);
        return -1;
    }
    fd = create_temp(dest, tmp, sizeof tmp, err, errlen);
    if (fd < 0)
        return -1;
    close(fd);
    if ((rc = store_ops_backup(db_path, tmp, err, errlen)) != 0 ||
        (rc = sync_path(tmp, 0, err, errlen)) != 0 ||
        (rc = store_ops_integrity(tmp, err, errlen)) != 0)
        goto fail;
    if (stat(tmp, &st) != 0 || link(tmp, dest) != 0) { /* link: never replaces a file */
        snprintf(err, errlen, "cannot move the copy to %s: %s", dest, strerror(errno));
        goto fail;
    }
    unlink(tmp);
    snprintf(dir, sizeof dir, "%s", dest);
    if (sync_path(dirname(dir), 1, err, errlen) != 0)
        return -1; /* the copy is complete; only its directory entry may not be durable yet */
    *size = (long long)st.st_size;
    return 0;
fail:
    /* SQLite may have lost the errno of the failed write: the file system tells (before the
     * partial copy is gone) */
    if (rc == STORE_OPS_NO_SPACE || rc == BACKUP_NO_SPACE || diskspace_low(tmp)) {
        size_t n = strlen(err);
        snprintf(err + n, errlen - n, " (no space left for the copy)");
        rc = BACKUP_NO_SPACE;
    } else {
        rc = -1;
    }
    unlink(tmp);
    return rc;
}

int
backup_name(const char *dir, char *out, size_t n, const char **name)
{
    char id[UTIL_UUID_LEN + 1], ts[32];
    time_t now = time(NULL);
    struct tm tm;
    int len;

    util_uuid(id);
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
    len = snprintf(out, n, "%s/crmd-%s-%s.db", dir, ts, id + UTIL_UUID_LEN - 8); /* random part */
    if (len < 0 || (size_t)len >= n)
        return -1;
    *name = strrchr(out, '/') + 1;
    return 0;
}

long long
backup_latest(const char *dir)
{
    DIR *d = dir ? opendir(dir) : NULL;
    long long latest = 0;
    struct dirent *e;
    struct stat st;

    if (!d)
        return 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        /* crmd-....db; a copy under way is crmd-....db.tmp-XXXXXXXX */
        if (strncmp(e->d_name, "crmd-", 5) != 0 || n < 8 || strcmp(e->d_name + n - 3, ".db") != 0)
            continue;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            (long long)st.st_mtime > latest)
            latest = (long long)st.st_mtime;
    }
    closedir(d);
    return latest;
}

static int
usage(FILE *f, int code)
{
    fputs("usage: crmd backup [--db FILE] --to FILE\n\n"
          "Copy the database (default: --db of the server, CRMD_DB, crmd.db) to a new file\n"
          "while crmd runs: one consistent snapshot, synced and integrity-checked before it\n"
          "gets its name. Restore: stop crmd, copy the file over the database (remove the\n"
          "old -wal and -shm files), start crmd. Exit 0 on success, 1 on failure.\n",
          f);
    return code;
}

int
backup_main(int argc, char **argv)
{
    const char *db = NULL, *to = NULL;
    char *fake[] = { argv[0], NULL }, err[512];
    struct config cfg;
    long long size;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return usage(stdout, 0);
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--to") && i + 1 < argc)
            to = argv[++i];
        else {
            fprintf(stderr, "crmd backup: unknown or incomplete argument '%s'\n", argv[i]);
            return usage(stderr, 2);
        }
    }
    if (!to) {
        fputs("crmd backup: --to FILE is required\n", stderr);
        return usage(stderr, 2);
    }
    config_load(&cfg, 1, fake); /* defaults and CRMD_* variables, as the server */
    if (!db)
        db = cfg.db_path;
    if (access(db, R_OK) != 0) {
        fprintf(stderr, "crmd backup: database %s cannot be read: %s\n", db, strerror(errno));
        return 1;
    }
    if (backup_to(db, to, &size, err, sizeof err) != 0) {
        fprintf(stderr, "crmd backup: %s\n", err);
        return 1;
    }
    printf("%s %lld bytes, integrity ok\n", to, size);
    return 0;
}
