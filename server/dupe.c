/*
 * dupe: matching keys and pair scores for duplicate detection. Names fold
 * with search_norm so the desk search and the duplicates agree on what is
 * "the same name".
 */
#include "dupe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search_norm.h"

int
dupe_weight(enum dupe_reason r)
{
    switch (r) {
    case DUPE_EMAIL:
        return 600;
    case DUPE_PHONE:
        return 500;
    case DUPE_NAME_BIRTHDAY:
        return 800;
    case DUPE_NAME_ADDRESS:
        return 700;
    }
    return 0;
}

int
dupe_score(unsigned mask)
{
    double rest = 1.0;

    for (unsigned bit = 1; bit <= DUPE_NAME_ADDRESS; bit <<= 1)
        if (mask & bit)
            rest *= (1000 - dupe_weight((enum dupe_reason)bit)) / 1000.0;
    return (int)lround((1.0 - rest) * 1000.0);
}

static int
cmp_token(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
dupe_name_key(const char *const *parts, size_t n, char *out, size_t outsz)
{
    char folded[DUPE_KEY_MAX], *toks[DUPE_KEY_MAX / 2], *save = NULL, *t;
    size_t len = 0, ntoks = 0, used = 0;

    if (outsz)
        out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int k;
        if (!parts[i] || !parts[i][0])
            continue;
        if (len && len + 1 < sizeof folded)
            folded[len++] = ' ';
        k = search_norm_fold(parts[i], 1, folded + len, sizeof folded - len);
        if (k < 0)
            return -1;
        len += strlen(folded + len);
    }
    folded[len] = '\0';
    for (t = strtok_r(folded, " ", &save); t; t = strtok_r(NULL, " ", &save))
        toks[ntoks++] = t;
    if (ntoks == 0)
        return -1;
    qsort(toks, ntoks, sizeof toks[0], cmp_token);
    for (size_t i = 0; i < ntoks; i++) {
        size_t tl = strlen(toks[i]);
        if (used + tl + 2 > outsz) {
            out[0] = '\0';
            return -1;
        }
        if (i)
            out[used++] = ' ';
        memcpy(out + used, toks[i], tl);
        used += tl;
    }
    out[used] = '\0';
    return 0;
}

/* Folded tokens of in glued together (letters and digits only): "Haupt-Straße 1" → "hauptstrasse1". */
static int
glued(const char *in, char *out, size_t outsz)
{
    char folded[DUPE_KEY_MAX];
    size_t o = 0;

    if (search_norm_fold(in, 1, folded, sizeof folded) <= 0)
        return -1;
    for (const char *s = folded; *s; s++)
        if (*s != ' ') {
            if (o + 1 >= outsz)
                return -1;
            out[o++] = *s;
        }
    out[o] = '\0';
    return 0;
}

/* "strasse" → "str" in place, every occurrence. */
static void
street_short(char *s)
{
    char *hit;

    while ((hit = strstr(s, "strasse")) != NULL)
        memmove(hit + 3, hit + 7, strlen(hit + 7) + 1);
}

int
dupe_address_key(const char *street, const char *postal_code, const char *city, char *out,
                 size_t outsz)
{
    char st[DUPE_KEY_MAX], where[DUPE_KEY_MAX];
    const char *tag = "";
    size_t o = 0;

    if (outsz)
        out[0] = '\0';
    if (!street || glued(street, st, sizeof st) != 0)
        return -1;
    street_short(st);
    if (postal_code && postal_code[0]) {
        for (const char *s = postal_code; *s && o + 1 < sizeof where; s++)
            if (*s != ' ')
                where[o++] = *s;
        where[o] = '\0';
    } else if (city && glued(city, where, sizeof where) == 0) {
        tag = "c:";
    } else {
        return -1;
    }
    if (!where[0] || strlen(st) + strlen(tag) + strlen(where) + 2 > outsz)
        return -1;
    strcpy(out, st);
    strcat(out, "|");
    strcat(out, tag);
    strcat(out, where);
    return 0;
}
