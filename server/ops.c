/*
 * ops: the operations endpoints. GET /metrics renders telemetry.c's
 * counters plus gauges read at scrape (file sizes, webhook backlog,
 * parked long-polls, import jobs, the process figures of procstat.c,
 * the build); POST /v1/backup writes a backup into --backup-dir
 * (backup.c), one at a time, names the file and tells telemetry.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backup.h"
#include "config.h"
#include "defer.h"
#include "handlers.h"
#include "http.h"
#include "log.h"
#include "procstat.h"
#include "store.h"
#include "store_ops.h"
#include "telemetry.h"
#include "util.h"

#define OPS_METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

static pthread_mutex_t backup_lock = PTHREAD_MUTEX_INITIALIZER;

static long long
file_size(const char *path, const char *suffix)
{
    char name[4096];
    struct stat st;

    snprintf(name, sizeof name, "%s%s", path, suffix);
    return stat(name, &st) == 0 ? (long long)st.st_size : 0;
}

HANDLER(ops_metrics)
{
    static const char *const allowed[] = { NULL };
    struct telemetry_build build = { config_version(), store_ops_sqlite_version(),
                                     http_library_version() };
    struct telemetry_gauges g = { .webhook_backlog = -1, .build = &build };
    struct buf out = { 0 };
    struct problem ignored = { 0 };
    struct procstat ps;

    if (request_check_query(req, allowed, &res->problem) != 0)
        return -1;
    g.db_bytes = file_size(req->config->db_path, "");
    g.wal_bytes = file_size(req->config->db_path, "-wal");
    defer_counts(&g.waiting, &g.jobs);
    if (store_ops_webhook_backlog(req->db, &g.webhook_backlog, &ignored) != 0) {
        g.webhook_backlog = -1; /* a busy database must not fail the scrape */
        problem_release(&ignored);
    }
    telemetry_render(&g, &out);
    procstat_read(&ps);
    procstat_render(&ps, &out);
    response_raw(res, out.data, out.len, OPS_METRICS_TYPE);
    res->raw_owned = out.data;
    return 0;
}

/* 0 when the request has no query and no body, else -1 (400). */
static int
check_empty(const struct request *req, struct problem *p)
{
    static const char *const allowed[] = { NULL };

    if (request_check_query(req, allowed, p) != 0)
        return -1;
    if (req->body_len > 0) {
        problem_set(p, PROBLEM_BAD_REQUEST, "POST /v1/backup takes no body");
        return -1;
    }
    return 0;
}

static int
backup_answer(struct response *res, const char *name, long long size)
{
    char now[UTIL_TIME_LEN + 1];

    util_format_time(time(NULL), now);
    return response_json(res, 200,
                         json_pack("{s:s, s:I, s:s, s:s}", "file", name, "size", (json_int_t)size,
                                   "created_at", now, "integrity", "ok"));
}

HANDLER(ops_backup)
{
    const char *dir = req->config->backup_dir, *name;
    char path[4096], err[512];
    long long size;
    int rc;

    if (check_empty(req, &res->problem) != 0)
        return -1;
    if (!dir) {
        problem_set(&res->problem, PROBLEM_UNAVAILABLE,
                    "backups over HTTP are off: start crmd with --backup-dir DIR (or use crmd backup)");
        return -1;
    }
    if (pthread_mutex_trylock(&backup_lock) != 0) {
        problem_set(&res->problem, PROBLEM_CONFLICT, "a backup is running; retry when it ended");
        return -1;
    }
    rc = backup_name(dir, path, sizeof path, &name) == 0
             ? backup_to(req->config->db_path, path, &size, err, sizeof err)
             : (snprintf(err, sizeof err, "--backup-dir is too long"), -1);
    pthread_mutex_unlock(&backup_lock);
    if (rc == BACKUP_NO_SPACE) {
        log_error("request %s: backup into --backup-dir failed: %s", req->id, err);
        problem_set(&res->problem, PROBLEM_INSUFFICIENT_STORAGE,
                    "the backup does not fit: the disk of --backup-dir (or the file size limit) "
                    "is full; nothing was kept; free space there and retry");
        return -1;
    }
    if (rc != 0) {
        problem_internal(&res->problem, "backup failed: %s", err);
        return -1;
    }
    log_info("request %s: backup %s (%lld bytes)", req->id, path, size);
    telemetry_backup_succeeded((long long)time(NULL));
    return backup_answer(res, name, size);
}
