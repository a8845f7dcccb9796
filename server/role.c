/* role: names and order of the key roles. */
#include "role.h"

#include <string.h>

static const char *const names[] = {
    [ROLE_UNSET] = "unset", [ROLE_OPEN] = "open",       [ROLE_READER] = "reader",
    [ROLE_DESK] = "desk",   [ROLE_MANAGER] = "manager", [ROLE_ADMIN] = "admin",
};

const char *
role_name(enum role r)
{
    return (unsigned)r <= ROLE_ADMIN ? names[r] : "unset";
}

enum role
role_parse(const char *s)
{
    for (int r = ROLE_READER; s && r <= ROLE_ADMIN; r++)
        if (strcmp(s, names[r]) == 0)
            return (enum role)r;
    return ROLE_UNSET;
}

int
role_allows(enum role have, enum role need)
{
    if (need == ROLE_UNSET)
        return 0;
    return need == ROLE_OPEN || (have >= ROLE_READER && have >= need);
}
