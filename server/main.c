/*
 * main: flags → config, open and migrate the database, load demo data
 * when asked, start HTTP and tell systemd it is ready, reopen the access
 * log on SIGHUP, and on SIGINT/SIGTERM drain, then shut down cleanly.
 */
#include <curl/curl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accesslog.h"
#include "audit.h"
#include "backup.h"
#include "config.h"
#include "db.h"
#include "defer.h"
#include "demo.h"
#include "http.h"
#include "keys_cli.h"
#include "faultvfs.h"
#include "log.h"
#include "probe.h"
#include "routes.h"
#include "rules.h"
#include "service.h"
#include "store.h"
#include "store_ops.h"
#include "telemetry.h"
#include "webhooks_worker.h"

/* Block the stop signals and SIGHUP in every thread; the main thread waits for them. */
static void
block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* a file size limit (ulimit -f, LimitFSIZE=) must fail the write (EFBIG: 507), not kill us */
    signal(SIGXFSZ, SIG_IGN);
}

static int
prepare_database(const struct config *cfg)
{
    struct db *db = db_open(cfg->db_path, cfg);
    int version, rc = 0;

    if (!db)
        return -1;
    version = db_migrate(db);
    if (version < 0 || store_search_backfill(db) < 0 || store_duplicates_backfill(db) < 0)
        rc = -1;
    else if (cfg->demo && demo_load(db) != 0)
        rc = -1;
    db_close(db);
    if (rc == 0)
        log_info("database %s ready (schema version %d)", cfg->db_path, version);
    return rc;
}

/* Fold the WAL into the database at the stop: a copy of the file alone is then complete. */
static void
checkpoint(const char *db_path)
{
    char err[512];

    if (store_ops_checkpoint(db_path, err, sizeof err) != 0)
        log_warn("%s (the next start finishes it)", err);
}

/* Local time of the desk: TZ for localtime_r in every thread; the zone must exist. */
static int
set_timezone(const char *tz)
{
    char path[512];

    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    if (strstr(tz, "..") || access(path, R_OK) != 0) {
        log_error("--timezone '%s' is not a known time zone (no %s)", tz, path);
        return -1;
    }
    setenv("TZ", tz, 1);
    tzset();
    return 0;
}

static int
load_rules(const struct config *cfg)
{
    struct rules r;
    char err[256];

    rules_defaults(&r);
    if (cfg->rules_path && rules_load_file(&r, cfg->rules_path, err, sizeof err) != 0) {
        log_error("--rules: %s", err);
        return -1;
    }
    rules_install(&r);
    return 0;
}

/*
 * The server's address as a browser on this machine opens it: a wildcard
 * --listen becomes the loopback address, IPv6 goes in brackets.
 */
static void
base_url(const struct config *cfg, int port, char *out, size_t size)
{
    const char *host = cfg->listen;

    if (!strcmp(host, "0.0.0.0"))
        host = "127.0.0.1";
    else if (!strcmp(host, "::"))
        host = "::1";
    snprintf(out, size, "http%s://%s%s%s:%d", cfg->tls_cert ? "s" : "", strchr(host, ':') ? "[" : "",
             host, strchr(host, ':') ? "]" : "", port);
}

/*
 * Serve until a stop signal (returned): SIGHUP reopens the access log
 * (logrotate), and systemd's STATUS= line is refreshed meanwhile.
 */
static int
serve(const sigset_t *set, int port)
{
    const struct timespec every = { SERVICE_STATUS_EVERY_S, 0 };

    for (;;) {
        int sig = sigtimedwait(set, NULL, &every);
        if (sig == SIGHUP)
            accesslog_reopen();
        else if (sig < 0) /* the time passed (or EINTR) */
            service_status(port);
        else
            return sig;
    }
}

/*
 * The start of a graceful stop: STOPPING=1, then for seconds /readyz
 * answers 503 while every request is still served, so that a load
 * balancer stops sending new ones before the listener closes. A second
 * SIGINT/SIGTERM ends the drain early; SIGHUP still reopens the log.
 */
static void
drain(const sigset_t *set, int seconds)
{
    struct timespec end, now;

    service_stopping(seconds);
    if (seconds == 0)
        return;
    log_info("draining for %d s (--drain-seconds): /readyz answers 503, requests are served",
             seconds);
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += seconds;
    for (;;) {
        struct timespec left;
        int sig;

        clock_gettime(CLOCK_MONOTONIC, &now);
        left.tv_sec = end.tv_sec - now.tv_sec;
        left.tv_nsec = end.tv_nsec - now.tv_nsec;
        if (left.tv_nsec < 0) {
            left.tv_sec--;
            left.tv_nsec += 1000000000L;
        }
        if (left.tv_sec < 0)
            return;
        sig = sigtimedwait(set, NULL, &left);
        if (sig == SIGHUP) {
            accesslog_reopen();
        } else if (sig > 0) {
            log_info("received signal %d during the drain: stopping now", sig);
            return;
        }
    }
}

/*
 * Commands other than serving, chosen by the first argument (crmd --probe ...);
 * each gets argv from its own name on and returns the exit code.
 */
static const struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    { "--probe", probe_main },
    { "keys", keys_cli_main },
    { "backup", backup_main },
};

static const struct subcommand *
subcommand_find(int argc, char **argv)
{
    for (size_t i = 0; argc > 1 && i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (!strcmp(argv[1], subcommands[i].name))
            return &subcommands[i];
    return NULL;
}

int
main(int argc, char **argv)
{
    const struct subcommand *sub = subcommand_find(argc, argv);
    struct config cfg;
    struct http_server *server;
    sigset_t set;
    int sig, port;
    char demo_key[APIKEY_LEN + 1] = "", base[128];

    if (sub)
        return sub->run(argc - 1, argv + 1);
    config_load(&cfg, argc, argv);
    /*
     * Greeting cards build large JSON trees: keep freed memory in the
     * worker arenas instead of trimming and refaulting it around every
     * card (measured in bench/: about 30 % of a card's CPU time).
     */
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    block_signals(&set);
    if (set_timezone(cfg.timezone) != 0 || load_rules(&cfg) != 0)
        return 2; /* bad configuration, like a bad flag */
    if (faultvfs_install() != 0)
        return 2; /* CRMD_FAULTS does not parse */
    if (prepare_database(&cfg) != 0 || keys_cli_startup(&cfg, demo_key) != 0)
        return 1;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_error("libcurl cannot be initialised (webhook deliveries need it)");
        return 1;
    }
    if (!cfg.webhooks)
        log_info("webhook deliveries are off in this process (--webhooks=false)");
    else if (webhooks_worker_start(&cfg) != 0) {
        curl_global_cleanup();
        return 1;
    }
    store_changes_listen(defer_wake); /* commits wake parked long-polls */
    telemetry_init(routes, routes_count);
    telemetry_backup_succeeded(backup_latest(cfg.backup_dir)); /* backups before this start */
    server = audit_start(&cfg) == 0 && accesslog_open(cfg.access_log, cfg.access_log_status) == 0
                 ? http_start(&cfg, routes, routes_count)
                 : NULL;
    if (!server) {
        audit_stop();
        webhooks_worker_stop();
        db_close_all();
        curl_global_cleanup();
        return 1;
    }
    port = http_port(server);
    base_url(&cfg, port, base, sizeof base);
    if (demo_key[0]) /* before the log line with the port: who reads that finds the banner too */
        keys_cli_demo_banner(demo_key, base);
    memset(demo_key, 0, sizeof demo_key);
    log_info("crmd listening on http%s://%s:%d/ (port %d) with %d worker threads, database %s%s",
             cfg.tls_cert ? "s" : "", cfg.listen, port, port, cfg.threads, cfg.db_path,
             cfg.demo ? " (demo data)" : "");
    log_info("try: curl -s -H \"$AUTH\" %s/v1/customers?limit=5 (AUTH=\"Authorization: "
             "Bearer <key>\": crmd keys create, or the demo key above); the desk: %s/desk/",
             base, base);
    service_ready(port);
    sig = serve(&set, port);
    log_info("received signal %d: finishing requests and stopping", sig);
    drain(&set, cfg.drain_seconds);
    http_stop(server);      /* requests under way finish (--shutdown-timeout), long-polls answer */
    webhooks_worker_stop(); /* deliveries under way are abandoned, sent again after a restart */
    audit_stop();           /* writes the audit records still queued */
    store_changes_unlisten(defer_wake);
    db_close_all();
    checkpoint(cfg.db_path);
    accesslog_close();
    curl_global_cleanup();
    log_info("stopped");
    return 0;
}
