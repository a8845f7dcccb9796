/*
 * router: segment-wise matching of a path against the route table.
 * The table is small (tens of routes), so a linear scan beats any index.
 */
#include "router.h"

#include <string.h>

/*
 * Split path into segments (pointers + lengths) and whether it ends in "/"
 * (*slash; the path "/" has no segment and a slash). -1 if malformed (an
 * empty segment before the end: "//"), too deep, or a segment holds a
 * control character (an escaped NUL or CR, which a C string or a log line
 * would cut or split).
 */
static int
split(const char *path, const char *seg[], size_t len[], size_t *nseg, int *slash)
{
    const char *p = path;
    size_t n = 0;

    if (*p != '/')
        return -1;
    *slash = 0;
    while (*p == '/') {
        const char *start = ++p;
        for (; *p && *p != '/'; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return -1;
        if (p == start) {
            if (*p)
                return -1; /* "//" */
            *slash = 1;
            break;
        }
        if (n == ROUTER_MAX_SEGMENTS)
            return -1;
        seg[n] = start;
        len[n] = (size_t)(p - start);
        n++;
    }
    if (*p)
        return -1;
    *nseg = n;
    return 0;
}

/* Does the pattern match these segments? Fills captures when m is given. */
static int
matches(const char *pattern, const char *seg[], const size_t len[], size_t nseg, int slash,
        struct router_match *m)
{
    const char *pseg[ROUTER_MAX_SEGMENTS];
    size_t plen[ROUTER_MAX_SEGMENTS], npseg, i, ncap = 0;
    int pslash;

    if (split(pattern, pseg, plen, &npseg, &pslash) != 0 || npseg != nseg || pslash != slash)
        return 0;
    for (i = 0; i < nseg; i++) {
        if (pseg[i][0] == '{') {
            if (len[i] > ROUTER_SEGMENT_MAX || ncap == ROUTER_MAX_CAPTURES)
                return 0;
            if (m) {
                memcpy(m->captures[ncap], seg[i], len[i]);
                m->captures[ncap][len[i]] = '\0';
            }
            ncap++;
        } else if (plen[i] != len[i] || memcmp(pseg[i], seg[i], len[i]) != 0) {
            return 0;
        }
    }
    if (m)
        m->ncaptures = ncap;
    return 1;
}

static void
allow_add(char *allow, size_t size, const char *method)
{
    if (strstr(allow, method))
        return;
    if (allow[0])
        strncat(allow, ", ", size - strlen(allow) - 1);
    strncat(allow, method, size - strlen(allow) - 1);
}

enum router_result
router_match(const struct route *routes, size_t n, const char *method, const char *path,
             struct router_match *m)
{
    const char *seg[ROUTER_MAX_SEGMENTS];
    size_t len[ROUTER_MAX_SEGMENTS], nseg, i;
    int slash;
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    int path_known = 0;

    memset(m, 0, sizeof *m);
    if (split(path, seg, len, &nseg, &slash) != 0)
        return ROUTER_NO_ROUTE;
    for (i = 0; i < n; i++) {
        if (!matches(routes[i].pattern, seg, len, nseg, slash, NULL))
            continue;
        path_known = 1;
        if (strcmp(routes[i].method, want) == 0) {
            matches(routes[i].pattern, seg, len, nseg, slash, m);
            m->route = &routes[i];
            return ROUTER_MATCH;
        }
    }
    if (!path_known)
        return ROUTER_NO_ROUTE;
    for (i = 0; i < n; i++) {
        if (matches(routes[i].pattern, seg, len, nseg, slash, NULL)) {
            allow_add(m->allow, sizeof m->allow, routes[i].method);
            if (strcmp(routes[i].method, "GET") == 0)
                allow_add(m->allow, sizeof m->allow, "HEAD");
        }
    }
    return ROUTER_NO_METHOD;
}
