/*
 * keys_cli: `crmd keys create|list|revoke`, API key management from the
 * shell. It opens the database like the server (--db, CRMD_DB) and works
 * while the server runs (SQLite WAL; the server reads keys per request).
 */
#ifndef CRMD_KEYS_CLI_H
#define CRMD_KEYS_CLI_H

#include "apikey.h"

/*
 * Run `crmd keys ...` (argv[0] is "keys"). create prints the new key alone
 * on stdout (KEY=$(crmd keys create ...)) and what it is on stderr.
 * Returns the exit code: 0 done, 1 failed (not found, name taken, database), 2 bad usage.
 */
int keys_cli_main(int argc, char **argv);

struct config;

/*
 * At the server's start: in demo mode (--demo) revoke the previous demo
 * key and make a new admin key named "demo" into demo, for
 * keys_cli_demo_banner once the server listens; otherwise warn when no
 * key exists (every /v1 request then answers 401 saying how to create
 * one). Returns 0, or -1 on a database failure.
 */
int keys_cli_startup(const struct config *cfg, char demo[APIKEY_LEN + 1]);

/*
 * Print the demo key on stdout, labelled DEMO MODE (never in the log),
 * with a curl example and the desk's address under base_url
 * ("http://127.0.0.1:8080"). The key never goes into a URL.
 */
void keys_cli_demo_banner(const char *key, const char *base_url);

#endif
