/*
 * config: every setting with its default, overridden by environment
 * variables (CRMD_*), then by command-line flags. The table in config.c
 * is also what --help prints and what README documents.
 */
#ifndef CRMD_CONFIG_H
#define CRMD_CONFIG_H

#include <stddef.h>

struct config {
    const char *db_path;
    const char *listen;    /* IPv4/IPv6 address to bind */
    int port;              /* 0 = any free port */
    int threads;           /* worker threads, default = cores */
    int demo;              /* load demo data into an empty database */
    size_t max_body;       /* bytes */
    size_t max_import;     /* bytes of a POST /v1/import body (streamed) */
    const char *synchronous; /* FULL or NORMAL */
    int busy_timeout_ms;
    long long mmap_size;
    const char *log_level;
    int connection_timeout; /* seconds idle before a connection is closed */
    int max_connections;
    int max_waiting;        /* long-polls parked at once (default: half of max_connections) */
    int import_queue;       /* imports queued behind the running one */
    const char *rules_path; /* JSON rules file, NULL = built-in defaults */
    const char *timezone;   /* IANA zone of the desk's local time */
    long long idempotency_ttl; /* seconds an Idempotency-Key is remembered */
    int webhooks;                /* deliver webhooks from this process */
    int webhook_timeout;         /* seconds a webhook delivery may take in all */
    int webhook_connect_timeout; /* seconds to connect to a webhook receiver */
    long long webhook_backoff_ms;     /* first retry delay after a failed delivery */
    long long webhook_backoff_max_ms; /* longest retry delay (the delay doubles up to it) */
    const char *cors_origins; /* comma-separated browser origins allowed (cors.h); NULL = none */
    const char *tls_cert;     /* PEM certificate chain file: serve HTTPS (with tls_key) */
    const char *tls_key;      /* PEM private key file */
};

/*
 * Fill cfg from defaults, environment and argv. Prints help/version and
 * exits 0 for --help/--version; prints one line and exits 2 on a bad value.
 */
void config_load(struct config *cfg, int argc, char **argv);

#endif
