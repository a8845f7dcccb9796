/*
 * main: flags → config, open and migrate the database, load demo data
 * when asked, start HTTP, wait for SIGINT/SIGTERM, shut down cleanly.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "db.h"
#include "demo.h"
#include "http.h"
#include "log.h"
#include "routes.h"

/* Block the stop signals in every thread; the main thread waits for them. */
static void
block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int
prepare_database(const struct config *cfg)
{
    struct db *db = db_open(cfg->db_path, cfg);
    int version, rc = 0;

    if (!db)
        return -1;
    version = db_migrate(db);
    if (version < 0)
        rc = -1;
    else if (cfg->demo && demo_load(db) != 0)
        rc = -1;
    db_close(db);
    if (rc == 0)
        log_info("database %s ready (schema version %d)", cfg->db_path, version);
    return rc;
}

int
main(int argc, char **argv)
{
    struct config cfg;
    struct http_server *server;
    sigset_t set;
    int sig, port;

    config_load(&cfg, argc, argv);
    block_signals(&set);
    if (prepare_database(&cfg) != 0)
        return 1;
    server = http_start(&cfg, routes, routes_count);
    if (!server)
        return 1;
    port = http_port(server);
    log_info("crmd listening on http://%s:%d/ (port %d) with %d worker threads, database %s%s",
             cfg.listen, port, port, cfg.threads, cfg.db_path, cfg.demo ? " (demo data)" : "");
    log_info("try: curl -s http://%s:%d/v1/customers?limit=5", cfg.listen, port);
    sigwait(&set, &sig);
    log_info("received signal %d: finishing requests and stopping", sig);
    http_stop(server);
    db_close_all();
    log_info("stopped");
    return 0;
}
