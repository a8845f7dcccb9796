/*
 * keys_cli: `crmd keys create|list|revoke`, API key management from the
 * shell. It opens the database like the server (--db, CRMD_DB) and works
 * while the server runs (SQLite WAL; the server reads keys per request).
 */
#ifndef CRMD_KEYS_CLI_H
#define CRMD_KEYS_CLI_H

/*
 * Run `crmd keys ...` (argv[0] is "keys"). create prints the new key alone
 * on stdout (KEY=$(crmd keys create ...)) and what it is on stderr.
 * Returns the exit code: 0 done, 1 failed (not found, name taken, database), 2 bad usage.
 */
int keys_cli_main(int argc, char **argv);

struct config;

/*
 * At the server's start: in demo mode (--demo) revoke the previous demo
 * key and print a new admin key named "demo" on stdout, labelled (never in
 * the log); otherwise warn when no key exists (every /v1 request then
 * answers 401 saying how to create one). Returns 0, or -1 on a database failure.
 */
int keys_cli_startup(const struct config *cfg);

#endif
