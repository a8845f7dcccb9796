/*
 * keys_cli: argument parsing and output of `crmd keys`; the SQL is in
 * store_keys.c, shared with /v1/keys.
 */
#include "keys_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "jsonx.h"
#include "log.h"
#include "store_keys.h"

struct keys_args {
    const char *cmd;
    const char *db;
    const char *role;
    const char *name;
    const char *ref; /* revoke: id or name */
};

static void
usage(FILE *out)
{
    fputs("usage: crmd keys create --role ROLE --name NAME [--db FILE]\n"
          "       crmd keys list [--db FILE]\n"
          "       crmd keys revoke ID|NAME [--db FILE]\n\n"
          "API keys (Authorization: Bearer crmd_...). ROLE is reader, desk, manager or admin\n"
          "(docs/operators.md \"Security model\"). create prints the key once, alone on stdout; only its\n"
          "SHA-256 is stored. revoke takes effect at the server's next request. --db defaults\n"
          "to CRMD_DB, else crmd.db.\n",
          out);
}

/* Parse argv into a; 0, or 2 after printing why. */
static int
parse(int argc, char **argv, struct keys_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--db")     ? &a->db
                            : !strcmp(argv[i], "--role") ? &a->role
                            : !strcmp(argv[i], "--name") ? &a->name
                                                         : NULL;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            exit(0);
        }
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (!slot && argv[i][0] != '-' && !a->cmd)
            a->cmd = argv[i];
        else if (!slot && argv[i][0] != '-' && !a->ref && !strcmp(a->cmd, "revoke"))
            a->ref = argv[i];
        else {
            fprintf(stderr, "crmd keys: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!a->cmd ||
        (strcmp(a->cmd, "create") && strcmp(a->cmd, "list") && strcmp(a->cmd, "revoke"))) {
        usage(stderr);
        return 2;
    }
    return 0;
}

/* Check create's arguments like POST /v1/keys does; 0 or 2. */
static int
check_create(const struct keys_args *a)
{
    const char *why = NULL;

    if (role_parse(a->role) == ROLE_UNSET) {
        fputs("crmd keys create: --role must be reader, desk, manager or admin\n", stderr);
        return 2;
    }
    if (!a->name || (why = jsonx_text_error(a->name, STORE_KEYS_NAME_MAX, 0)) != NULL) {
        fprintf(stderr, "crmd keys create: --name %s\n",
                a->name ? why : "is required (e.g. --name \"Front desk 1\")");
        return 2;
    }
    return 0;
}

static int
run_create(struct db *db, const struct keys_args *a, struct problem *p)
{
    char key[APIKEY_LEN + 1];
    json_t *k;

    if (store_keys_create(db, a->name, role_parse(a->role), key, &k, p) != 0)
        return -1;
    printf("%s\n", key);
    fprintf(stderr,
            "created API key %s \"%s\" (role %s, listed as %s...): store it now, it is "
            "shown only this once\n",
            json_string_value(json_object_get(k, "id")), a->name, a->role,
            json_string_value(json_object_get(k, "prefix")));
    json_decref(k);
    return 0;
}

static const char *
str_or(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

static int
run_list(struct db *db, struct problem *p)
{
    struct store_keys_page page = {.limit = 200};
    json_t *k;
    size_t i;

    printf("%-36s  %-16s  %-7s  %-20s  %-20s  %-20s  %s\n", "ID", "PREFIX", "ROLE", "CREATED",
           "LAST USED", "REVOKED", "NAME");
    do {
        page.more = 0;
        if (store_keys_list(db, &page, p) != 0)
            return -1;
        json_array_foreach (page.items, i, k)
            printf("%-36s  %-16s  %-7s  %-20s  %-20s  %-20s  %s\n", str_or(k, "id", ""),
                   str_or(k, "prefix", ""), str_or(k, "role", ""), str_or(k, "created_at", ""),
                   str_or(k, "last_used_at", "-"), str_or(k, "revoked_at", "-"),
                   str_or(k, "name", ""));
        json_decref(page.items);
        page.from = page.last;
    } while (page.more);
    return 0;
}

static int
run_revoke(struct db *db, const struct keys_args *a, struct problem *p)
{
    json_t *k;

    if (store_keys_revoke(db, a->ref, &k, p) != 0)
        return -1;
    fprintf(stderr, "revoked API key %s \"%s\" (since %s)\n", str_or(k, "id", ""),
            str_or(k, "name", ""), str_or(k, "revoked_at", ""));
    json_decref(k);
    return 0;
}

int
keys_cli_main(int argc, char **argv)
{
    struct keys_args a = {0};
    struct config cfg;
    char *fake[] = {argv[0], NULL};
    struct problem p = {0};
    struct db *db;
    int rc = parse(argc, argv, &a);

    if (rc != 0)
        return rc;
    if (!strcmp(a.cmd, "create") && (rc = check_create(&a)) != 0)
        return rc;
    if (!strcmp(a.cmd, "revoke") && !a.ref) {
        fputs("crmd keys revoke: give the id or the name of the key\n", stderr);
        return 2;
    }
    config_load(&cfg, 1, fake); /* defaults and CRMD_* variables, as the server */
    log_set_level(LOG_WARN);
    if (a.db)
        cfg.db_path = a.db;
    db = db_open(cfg.db_path, &cfg);
    if (!db || db_migrate(db) < 0) {
        db_close(db);
        return 1;
    }
    if (!strcmp(a.cmd, "create"))
        rc = run_create(db, &a, &p);
    else if (!strcmp(a.cmd, "list"))
        rc = run_list(db, &p);
    else
        rc = run_revoke(db, &a, &p);
    if (rc != 0)
        fprintf(stderr, "crmd keys %s: %s\n", a.cmd, p.detail);
    problem_release(&p);
    db_close(db);
    return rc != 0 ? 1 : 0;
}

/* The demo key: a fresh admin key named "demo" at every start, the older one revoked. */
static int
demo_key(struct db *db, char key[APIKEY_LEN + 1], struct problem *p)
{
    json_t *k = NULL;

    if (store_keys_revoke(db, "demo", NULL, p) != 0 && p->code != PROBLEM_NOT_FOUND)
        return -1;
    problem_release(p);
    if (store_keys_create(db, "demo", ROLE_ADMIN, key, &k, p) != 0)
        return -1;
    json_decref(k);
    return 0;
}

void
keys_cli_demo_banner(const char *key, const char *base_url)
{
    printf("\n  DEMO MODE: API key for this run (role admin; replaced at the next --demo start):\n"
           "    export AUTH=\"Authorization: Bearer %s\"\n"
           "  then: curl -H \"$AUTH\" %s/v1/customers?limit=5\n"
           "  Desk: %s/desk/  (sign in with the key above)\n\n",
           key, base_url, base_url);
    fflush(stdout);
}

int
keys_cli_startup(const struct config *cfg, char demo[APIKEY_LEN + 1])
{
    struct problem p = {0};
    struct db *db = db_open(cfg->db_path, cfg);
    int rc = 0, any;

    if (!db)
        return -1;
    if (cfg->demo)
        rc = demo_key(db, demo, &p);
    else if ((any = store_keys_any(db, &p)) == 0)
        log_warn("no API keys exist: every /v1 request answers 401 until one is created with "
                 "`crmd keys create --db %s --role admin --name NAME`",
                 cfg->db_path);
    else if (any < 0)
        rc = -1;
    if (rc != 0)
        log_error("API keys: %s", p.detail);
    problem_release(&p);
    db_close(db);
    return rc;
}
