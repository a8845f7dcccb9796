/*
 * role: what an API key may do. Roles are ordered: each includes the ones
 * before it (reader < desk < manager < admin). Every route in routes.c
 * names the least role it needs; ROLE_OPEN routes need no key. Pure.
 */
#ifndef CRMD_ROLE_H
#define CRMD_ROLE_H

enum role {
    ROLE_UNSET = 0, /* a route without a role: refused by role_allows, caught by tests */
    ROLE_OPEN,      /* no key needed: probes and the API documents */
    ROLE_READER,    /* read everything */
    ROLE_DESK,      /* + write touchpoints, change a customer's contact data */
    ROLE_MANAGER,   /* + every data write */
    ROLE_ADMIN,     /* + keys and webhooks */
};

/* "reader", "desk", "manager", "admin" ("open" for ROLE_OPEN, "unset" for 0). */
const char *role_name(enum role r);

/* The key role named s (reader, desk, manager or admin), or ROLE_UNSET. */
enum role role_parse(const char *s);

/* Does a key with role have may use a route that needs need? */
int role_allows(enum role have, enum role need);

#endif
