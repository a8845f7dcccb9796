/*
 * config: every setting with its default, overridden by environment
 * variables (CRMD_*), then by command-line flags. The table in config.c
 * is also what --help prints and what docs/operators.md "Configuration" documents.
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
    int max_connections_per_ip; /* 0 = no per-IP limit (behind a reverse proxy) */
    int request_timeout;    /* seconds a request may take from headers to the end of its body, 0 = off */
    int header_timeout;     /* seconds from accept (or the previous answer) to the end of the headers, 0 = off */
    size_t max_header_bytes; /* request line + headers + 64 per value; the answer has room on top (http_room.h) */
    const char *rate_limit; /* "N/s" per API key, "off" (parsed into rate_per_sec) */
    double rate_per_sec;    /* 0 = no rate limit */
    int rate_burst;         /* requests a key may send at once above the rate */
    int max_waiting;        /* long-polls parked at once (default: half of max_connections) */
    int import_queue;       /* imports queued behind the running one */
    const char *rules_path; /* JSON rules file, NULL = built-in defaults */
    const char *timezone;   /* IANA zone of the desk's local time */
    const char *phone_region; /* ISO 3166 region of national phone numbers ("DE") */
    long long idempotency_ttl; /* seconds an Idempotency-Key is remembered */
    int webhooks;                /* deliver webhooks from this process */
    int webhook_timeout;         /* seconds a webhook delivery may take in all */
    int webhook_connect_timeout; /* seconds to connect to a webhook receiver */
    const char *webhook_allow;   /* ranges webhooks may reach despite netguard.h; NULL = none */
    long long webhook_backoff_ms;     /* first retry delay after a failed delivery */
    long long webhook_backoff_max_ms; /* longest retry delay (the delay doubles up to it) */
    const char *cors_origins; /* comma-separated browser origins allowed (cors.h); NULL = none */
    const char *tls_cert;     /* PEM certificate chain file: serve HTTPS (with tls_key) */
    const char *tls_key;      /* PEM private key file */
    const char *access_log;   /* access log: FILE, "-" = stderr, "off" (accesslog.h) */
    int access_log_status;    /* log only requests answered with this status or above (0 = all) */
    int shutdown_timeout;     /* seconds in-flight requests get to finish at SIGTERM */
    int drain_seconds;        /* seconds /readyz answers 503 at SIGTERM before the listener closes */
    const char *backup_dir;   /* directory of POST /v1/backup files; NULL = endpoint off */
    int audit_retention_days; /* audit rows older than this are pruned; 0 = kept for ever */
    int changes_retention_days; /* change-feed rows older than this are pruned; 0 = for ever */
};

/*
 * Fill cfg from defaults, environment and argv. Prints help/version and
 * exits 0 for --help/--version; prints one line and exits 2 on a bad value.
 */
void config_load(struct config *cfg, int argc, char **argv);

/* The release crmd --version prints. */
const char *config_version(void);

#endif
