/* cors: matching an Origin against the comma-separated allow-list. */
#include "cors.h"

#include <string.h>

/* Next entry of a list at *s (spaces around it skipped): its start and length; 0 at the end. */
static int
next_entry(const char **s, const char **start, size_t *len)
{
    const char *p = *s, *end;

    while (*p == ' ' || *p == ',')
        p++;
    if (!*p)
        return 0;
    end = p + strcspn(p, ",");
    *start = p;
    *s = end;
    while (end > p && end[-1] == ' ')
        end--;
    *len = (size_t)(end - p);
    return 1;
}

int
cors_allowed(const char *list, const char *origin)
{
    const char *s = list, *e;
    size_t n;

    if (!list || !origin || !*origin)
        return 0;
    while (next_entry(&s, &e, &n))
        if (n == strlen(origin) && memcmp(e, origin, n) == 0)
            return 1;
    return 0;
}

static int
valid_entry(const char *e, size_t n)
{
    size_t scheme = strncmp(e, "https://", 8) == 0 ? 8 : strncmp(e, "http://", 7) == 0 ? 7 : 0;

    if (!scheme || n <= scheme)
        return 0;
    for (size_t i = scheme; i < n; i++) {
        char c = e[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
              c == ':' || c == '[' || c == ']'))
            return 0;
    }
    return 1;
}

const char *
cors_list_error(const char *list)
{
    const char *s = list, *e;
    size_t n;

    while (list && next_entry(&s, &e, &n))
        if (!valid_entry(e, n))
            return "each origin must be http:// or https:// and a lower-case host with an "
                   "optional :port, without path or trailing slash (no \"*\")";
    return NULL;
}
