/*
 * config: one table of options drives defaults, environment variables,
 * flags and --help, so the three never drift apart.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cors.h"
#include "phone.h"
#include "ratelimit.h"
#include "log.h"
#include "netguard.h"
#include "service.h"

#define CONFIG_DRAIN_MANAGED_S 5 /* --drain-seconds under systemd */

#ifndef CRMD_VERSION
#define CRMD_VERSION "0.1.0"
#endif

const char *
config_version(void)
{
    return CRMD_VERSION;
}

enum opt_kind { OPT_STR, OPT_INT, OPT_SIZE, OPT_BOOL, OPT_LL };

struct option_def {
    const char *flag;
    const char *env;
    enum opt_kind kind;
    size_t offset;
    long long min, max;
    const char *help;
};

#define OFF(f) offsetof(struct config, f)

static const struct option_def options[] = {
    { "--db", "CRMD_DB", OPT_STR, OFF(db_path), 0, 0, "SQLite database file (default crmd.db)" },
    { "--listen", "CRMD_LISTEN", OPT_STR, OFF(listen), 0, 0,
      "address to bind (default 127.0.0.1; 0.0.0.0 or :: for all)" },
    { "--port", "CRMD_PORT", OPT_INT, OFF(port), 0, 65535, "TCP port, 0 = any free port (default 8080)" },
    { "--threads", "CRMD_THREADS", OPT_INT, OFF(threads), 1, 256, "worker threads (default: number of cores)" },
    { "--demo", "CRMD_DEMO", OPT_BOOL, OFF(demo), 0, 1,
      "load the demo data set into an empty database (default off)" },
    { "--max-body", "CRMD_MAX_BODY", OPT_SIZE, OFF(max_body), 1024, 1LL << 30,
      "largest request body in bytes (default 1048576)" },
    { "--max-import", "CRMD_MAX_IMPORT", OPT_SIZE, OFF(max_import), 1024, 1LL << 40,
      "largest POST /v1/import body in bytes, streamed (default 1073741824)" },
    { "--synchronous", "CRMD_SYNCHRONOUS", OPT_STR, OFF(synchronous), 0, 0,
      "SQLite synchronous mode: FULL (default, survives power loss) or NORMAL" },
    { "--busy-timeout", "CRMD_BUSY_TIMEOUT", OPT_INT, OFF(busy_timeout_ms), 0, 600000,
      "milliseconds a write waits for the database lock (default 5000)" },
    { "--mmap-size", "CRMD_MMAP_SIZE", OPT_LL, OFF(mmap_size), 0, 1LL << 40,
      "bytes of the database to memory-map for reads (default 268435456)" },
    { "--log-level", "CRMD_LOG_LEVEL", OPT_STR, OFF(log_level), 0, 0, "debug, info, warn or error (default info)" },
    { "--connection-timeout", "CRMD_CONNECTION_TIMEOUT", OPT_INT, OFF(connection_timeout), 1, 3600,
      "seconds an idle connection stays open (default 30)" },
    { "--max-connections", "CRMD_MAX_CONNECTIONS", OPT_INT, OFF(max_connections), 1, 100000,
      "concurrent connections accepted (default 1024)" },
    { "--max-connections-per-ip", "CRMD_MAX_CONNECTIONS_PER_IP", OPT_INT,
      OFF(max_connections_per_ip), 0, 100000,
      "concurrent connections from one client address, 0 = no limit (default 0: behind a proxy "
      "all clients share its address)" },
    { "--request-timeout", "CRMD_REQUEST_TIMEOUT", OPT_INT, OFF(request_timeout), 0, 86400,
      "seconds a request may take from its headers to the last body byte, 0 = no limit "
      "(default 120)" },
    { "--header-timeout", "CRMD_HEADER_TIMEOUT", OPT_INT, OFF(header_timeout), 0, 3600,
      "seconds from accept to the end of a request's headers, 0 = no limit (default 10)" },
    { "--max-header-bytes", "CRMD_MAX_HEADER_BYTES", OPT_SIZE, OFF(max_header_bytes), 8192,
      1 << 20, "bytes for the request line and headers, 64 more per header and query parameter "
      "(default 32768)" },
    { "--rate-limit", "CRMD_RATE_LIMIT", OPT_STR, OFF(rate_limit), 0, 0,
      "requests per API key: N/s or N/m, off = no limit (default off); more get 429" },
    { "--rate-burst", "CRMD_RATE_BURST", OPT_INT, OFF(rate_burst), 1, 1000000,
      "requests a key may send at once above --rate-limit (default 20)" },
    { "--max-waiting", "CRMD_MAX_WAITING", OPT_INT, OFF(max_waiting), 1, 100000,
      "long-polls (GET /v1/changes?wait) waiting at once; more get 503 (default: half of "
      "--max-connections)" },
    { "--import-queue", "CRMD_IMPORT_QUEUE", OPT_INT, OFF(import_queue), 0, 1000,
      "imports queued behind the running one (one runs at a time); more get 503 (default 4)" },
    { "--rules", "CRMD_RULES", OPT_STR, OFF(rules_path), 0, 0,
      "JSON file overriding the recognition thresholds (default: built-in, see docs/desk.md)" },
    { "--timezone", "CRMD_TIMEZONE", OPT_STR, OFF(timezone), 0, 0,
      "time zone of the desk for greetings, dates and metrics periods (default Europe/Berlin)" },
    { "--phone-region", "CRMD_PHONE_REGION", OPT_STR, OFF(phone_region), 0, 0,
      "ISO 3166 region of national phone numbers (0171 ...): DE, AT, CH ... (default DE)" },
    { "--idempotency-ttl", "CRMD_IDEMPOTENCY_TTL", OPT_LL, OFF(idempotency_ttl), 1, 31536000,
      "seconds a POST's Idempotency-Key and answer are kept (default 86400)" },
    { "--webhooks", "CRMD_WEBHOOKS", OPT_BOOL, OFF(webhooks), 0, 1,
      "deliver webhooks from this process (default on; on in one process per database)" },
    { "--webhook-timeout", "CRMD_WEBHOOK_TIMEOUT", OPT_INT, OFF(webhook_timeout), 1, 300,
      "seconds a webhook delivery may take in all (default 10)" },
    { "--webhook-connect-timeout", "CRMD_WEBHOOK_CONNECT_TIMEOUT", OPT_INT,
      OFF(webhook_connect_timeout), 1, 300, "seconds to connect to a webhook receiver (default 5)" },
    { "--webhook-allow", "CRMD_WEBHOOK_ALLOW", OPT_STR, OFF(webhook_allow), 0, 0,
      "address ranges webhook receivers may have although they are loopback, private or "
      "link-local, comma-separated: 10.0.0.0/8,fd00::/8 (default none)" },
    { "--webhook-backoff-ms", "CRMD_WEBHOOK_BACKOFF_MS", OPT_LL, OFF(webhook_backoff_ms), 1,
      3600000, "first retry delay of a failed webhook delivery in ms (default 1000)" },
    { "--webhook-backoff-max-ms", "CRMD_WEBHOOK_BACKOFF_MAX_MS", OPT_LL,
      OFF(webhook_backoff_max_ms), 1, 86400000,
      "longest retry delay of a webhook delivery in ms (default 3600000)" },
    { "--cors-origins", "CRMD_CORS_ORIGINS", OPT_STR, OFF(cors_origins), 0, 0,
      "browser origins allowed by CORS, comma-separated: https://desk.example,... (default none)" },
    { "--tls-cert", "CRMD_TLS_CERT", OPT_STR, OFF(tls_cert), 0, 0,
      "PEM certificate (chain) file: serve HTTPS, needs --tls-key (default none: plain HTTP)" },
    { "--tls-key", "CRMD_TLS_KEY", OPT_STR, OFF(tls_key), 0, 0,
      "PEM private key file of --tls-cert, unencrypted, readable by crmd only (default none)" },
    { "--access-log", "CRMD_ACCESS_LOG", OPT_STR, OFF(access_log), 0, 0,
      "JSON line per request to FILE, - (stderr) or off (default off)" },
    { "--access-log-status", "CRMD_ACCESS_LOG_STATUS", OPT_INT, OFF(access_log_status), 0, 599,
      "access-log only answers with this status or above, 400 = errors (default 0: all)" },
    { "--shutdown-timeout", "CRMD_SHUTDOWN_TIMEOUT", OPT_INT, OFF(shutdown_timeout), 0, 3600,
      "seconds requests under way get to finish at SIGTERM/SIGINT (default 10)" },
    { "--drain-seconds", "CRMD_DRAIN_SECONDS", OPT_INT, OFF(drain_seconds), 0, 3600,
      "seconds /readyz answers 503 at SIGTERM/SIGINT before the listener closes (default 5 "
      "under systemd, NOTIFY_SOCKET set; else 0)" },
    { "--backup-dir", "CRMD_BACKUP_DIR", OPT_STR, OFF(backup_dir), 0, 0,
      "directory POST /v1/backup writes backups to (default none: endpoint off)" },
    { "--audit-retention-days", "CRMD_AUDIT_RETENTION_DAYS", OPT_INT, OFF(audit_retention_days), 0,
      36500, "days the audit log keeps a record, 0 = for ever (default 365)" },
    { "--changes-retention-days", "CRMD_CHANGES_RETENTION_DAYS", OPT_INT,
      OFF(changes_retention_days), 0, 36500,
      "days the change feed keeps a change (not past a webhook's cursor), 0 = for ever "
      "(default 90)" },
};

#define NOPTIONS (sizeof options / sizeof options[0])

static void
usage(FILE *out)
{
    fprintf(out, "usage: crmd [options]\n\ncrmd %s: a CRM service for car dealerships over HTTP/JSON.\n\n",
            CRMD_VERSION);
    for (size_t i = 0; i < NOPTIONS; i++)
        fprintf(out, "  %-22s %-24s %s\n", options[i].flag, options[i].env, options[i].help);
    fprintf(out, "  %-22s %-24s %s\n  %-22s %-24s %s\n", "--help", "", "print this help",
            "--version", "", "print the version");
    fprintf(out, "\nFlags win over environment variables; an empty variable counts as unset.\n"
                 "\nother commands:\n"
                 "  crmd --probe [--port N] [--timeout S] [URL]\n"
                 "      GET /readyz of the local server: exit 0 when ready, 1 if not"
                 " (crmd --probe --help)\n"
                 "  crmd keys create --role reader|desk|manager|admin --name NAME [--db FILE]\n"
                 "  crmd keys list [--db FILE]\n"
                 "  crmd keys revoke ID|NAME [--db FILE]\n"
                 "      API keys (Authorization: Bearer ...); create prints the key once (crmd keys --help)\n"
                 "  crmd backup [--db FILE] --to FILE\n"
                 "      consistent copy of the database while crmd runs (crmd backup --help)\n");
}

static void
bad(const struct option_def *o, const char *v, const char *why)
{
    fprintf(stderr, "crmd: invalid value '%s' for %s (%s): %s\n", v, o->flag, o->env, why);
    exit(2);
}

static void
set(struct config *cfg, const struct option_def *o, const char *v)
{
    char *base = (char *)cfg + o->offset, *end;
    long long n;

    if (o->kind == OPT_STR) {
        *(const char **)base = v;
        return;
    }
    if (o->kind == OPT_BOOL) {
        if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"))
            *(int *)base = 1;
        else if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no"))
            *(int *)base = 0;
        else
            bad(o, v, "expected true or false");
        return;
    }
    errno = 0;
    n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < o->min || n > o->max) {
        char why[96];
        snprintf(why, sizeof why, "expected an integer from %lld to %lld", o->min, o->max);
        bad(o, v, why);
    }
    if (o->kind == OPT_INT)
        *(int *)base = (int)n;
    else if (o->kind == OPT_SIZE)
        *(size_t *)base = (size_t)n;
    else
        *(long long *)base = n;
}

static void
validate(struct config *cfg)
{
    char why[160];

    if (strcasecmp(cfg->synchronous, "FULL") && strcasecmp(cfg->synchronous, "NORMAL")) {
        fprintf(stderr, "crmd: --synchronous must be FULL or NORMAL, not '%s'\n", cfg->synchronous);
        exit(2);
    }
    if (log_parse_level(cfg->log_level) < 0) {
        fprintf(stderr, "crmd: --log-level must be debug, info, warn or error\n");
        exit(2);
    }
    log_set_level((enum log_level)log_parse_level(cfg->log_level));
    if (cors_list_error(cfg->cors_origins)) {
        fprintf(stderr, "crmd: --cors-origins: %s\n", cors_list_error(cfg->cors_origins));
        exit(2);
    }
    if (!cfg->tls_cert != !cfg->tls_key) {
        fprintf(stderr, "crmd: --tls-cert and --tls-key go together: give both or neither\n");
        exit(2);
    }
    if (ratelimit_parse_rate(cfg->rate_limit, &cfg->rate_per_sec) != 0) {
        fprintf(stderr, "crmd: --rate-limit must be N/s, N/m or off, not '%s'\n", cfg->rate_limit);
        exit(2);
    }
    if (cfg->backup_dir && access(cfg->backup_dir, W_OK | X_OK) != 0) {
        fprintf(stderr, "crmd: --backup-dir %s is not a writable directory\n", cfg->backup_dir);
        exit(2);
    }
    /* also loads libphonenumber's metadata now, not on the first request's time */
    if (phone_init(cfg->phone_region) != 0) {
        fprintf(stderr, "crmd: --phone-region must be an ISO 3166 region such as DE, AT or CH, "
                        "not '%s'\n", cfg->phone_region);
        exit(2);
    }
    if (netguard_configure(cfg->webhook_allow, why, sizeof why) != 0) {
        fprintf(stderr, "crmd: %s\n", why);
        exit(2);
    }
    if (cfg->max_waiting < 0)
        cfg->max_waiting = cfg->max_connections > 1 ? cfg->max_connections / 2 : 1;
    /* a load balancer's health checks need the drain; `make run` and the tests do not */
    if (cfg->drain_seconds < 0)
        cfg->drain_seconds = service_managed() ? CONFIG_DRAIN_MANAGED_S : 0;
}

void
config_load(struct config *cfg, int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    *cfg = (struct config){
        .db_path = "crmd.db",
        .listen = "127.0.0.1",
        .port = 8080,
        .threads = cores > 0 ? (int)cores : 2,
        .max_body = 1 << 20,
        .max_import = 1LL << 30,
        .synchronous = "FULL",
        .busy_timeout_ms = 5000,
        .mmap_size = 256LL << 20,
        .log_level = "info",
        .connection_timeout = 30,
        .max_connections = 1024,
        .request_timeout = 120,
        .header_timeout = 10,
        .max_header_bytes = 32768,
        .rate_limit = "off",
        .rate_burst = 20,
        .max_waiting = -1, /* set in validate() from max_connections */
        .import_queue = 4,
        .timezone = "Europe/Berlin",
        .phone_region = PHONE_REGION_DEFAULT,
        .idempotency_ttl = 86400,
        .webhooks = 1,
        .webhook_timeout = 10,
        .webhook_connect_timeout = 5,
        .webhook_backoff_ms = 1000,
        .webhook_backoff_max_ms = 3600000,
        .access_log = "off",
        .shutdown_timeout = 10,
        .drain_seconds = -1, /* set in validate(): 5 under systemd, else 0 */
        .audit_retention_days = 365,
        .changes_retention_days = 90,
    };
    for (size_t i = 0; i < NOPTIONS; i++) {
        const char *v = getenv(options[i].env);
        if (v && *v)
            set(cfg, &options[i], v);
    }
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a], *eq = strchr(arg, '=');
        size_t flen = eq ? (size_t)(eq - arg) : strlen(arg);
        size_t i;

        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            usage(stdout);
            exit(0);
        }
        if (!strcmp(arg, "--version")) {
            printf("crmd %s\n", CRMD_VERSION);
            exit(0);
        }
        for (i = 0; i < NOPTIONS; i++)
            if (strlen(options[i].flag) == flen && !strncmp(arg, options[i].flag, flen))
                break;
        if (i == NOPTIONS) {
            fprintf(stderr, "crmd: unknown option '%s' (see crmd --help)\n", arg);
            exit(2);
        }
        if (eq)
            set(cfg, &options[i], eq + 1);
        else if (options[i].kind == OPT_BOOL)
            set(cfg, &options[i], "true");
        else if (a + 1 < argc)
            set(cfg, &options[i], argv[++a]);
        else {
            fprintf(stderr, "crmd: %s needs a value\n", arg);
            exit(2);
        }
    }
    validate(cfg);
}
