/*
 * etag: entity-tag lists are parsed by hand (RFC 9110 section 8.8.3:
 * entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, list elements separated by
 * commas and optional whitespace, empty elements allowed).
 */
#include "etag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"

#define ETAG_SUFFIX_HEX 16

void
etag_of(const struct model *m, const json_t *doc, char out[ETAG_MAX + 1])
{
    long long version = json_integer_value(json_object_get(doc, "version"));
    char hex[DIGEST_SHA256_HEX + 1];
    json_t *computed;
    char *text;

    if (m->ncomputed == 0) {
        snprintf(out, ETAG_MAX + 1, "\"v%lld\"", version);
        return;
    }
    computed = json_object();
    for (size_t i = 0; i < m->ncomputed; i++) {
        json_t *v = json_object_get(doc, m->computed[i].name);
        json_object_set(computed, m->computed[i].name, v ? v : json_null());
    }
    text = json_dumps(computed, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    digest_sha256_hex(text, strlen(text), hex);
    free(text);
    json_decref(computed);
    snprintf(out, ETAG_MAX + 1, "\"v%lld.%.*s\"", version, ETAG_SUFFIX_HEX, hex);
}

static const char *
skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

enum etag_match
etag_list_match(const char *header, const char *etag, int weak)
{
    const char *s = skip_ows(header);
    size_t want = strlen(etag), tags = 0;
    int matched = 0;

    if (*s == '*')
        return *skip_ows(s + 1) ? ETAG_MALFORMED : ETAG_MATCH;
    for (;;) {
        const char *start;
        int is_weak = 0;

        s = skip_ows(s);
        if (*s == ',') {
            s++;
            continue;
        }
        if (!*s)
            break;
        if (s[0] == 'W' && s[1] == '/') {
            is_weak = 1;
            s += 2;
        }
        if (*s != '"')
            return ETAG_MALFORMED;
        start = s++;
        /* etagc: %x21 / %x23-7E / obs-text (%x80-FF) */
        for (; *s && *s != '"'; s++)
            if ((unsigned char)*s < 0x21 || (unsigned char)*s == 0x7f)
                return ETAG_MALFORMED;
        if (*s++ != '"')
            return ETAG_MALFORMED;
        tags++;
        if ((weak || !is_weak) && (size_t)(s - start) == want && memcmp(start, etag, want) == 0)
            matched = 1;
        s = skip_ows(s);
        if (*s && *s != ',')
            return ETAG_MALFORMED;
    }
    if (tags == 0)
        return ETAG_MALFORMED;
    return matched ? ETAG_MATCH : ETAG_NO_MATCH;
}

int
etag_check_if_match(const char *header, const char *etag, long long version, const char *what,
                    struct problem *p)
{
    if (!header)
        return 0;
    switch (etag_list_match(header, etag, 0)) {
    case ETAG_MATCH:
        return 0;
    case ETAG_MALFORMED:
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "header If-Match must be * or a list of entity tags such as \"v3\"");
        return -1;
    case ETAG_NO_MATCH:
        break;
    }
    problem_set(p, PROBLEM_PRECONDITION_FAILED,
                "the %s has changed: it is at version %lld (ETag %s) now; read it again, "
                "reapply the change and send the new ETag in If-Match",
                what, version, etag);
    problem_set_extra(p, "current_version", json_integer(version));
    problem_set_extra(p, "current_etag", json_string(etag));
    return -1;
}

int
etag_check_if_none_match(const char *header, const char *etag, struct problem *p)
{
    enum etag_match m;

    if (!header)
        return 0;
    m = etag_list_match(header, etag, 1);
    if (m == ETAG_MALFORMED) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "header If-None-Match must be * or a list of entity tags such as \"v3\"");
        return -1;
    }
    return m == ETAG_MATCH;
}
