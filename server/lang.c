/*
 * lang: Accept-Language to de or en. One pass over the members, keeping
 * per language the q of the range naming it, the best q of its subtag
 * ranges ("de-AT") and the q of "*"; then the best language wins.
 */
#include "lang.h"

#include <limits.h>
#include <stddef.h>
#include <strings.h>

static const char *const codes[LANG_COUNT_] = { [LANG_EN] = "en", [LANG_DE] = "de" };

/* What the header says about one language: a q in thousandths (-1: not said) and where. */
struct said {
    int exact, exact_at;   /* "de" */
    int prefix, prefix_at; /* best of "de-AT", "de-CH", ... */
};

/* One member: "de-AT;q=0.8" is primary "de" (plen 2) with subtags, q 800; "*" has plen 0. */
struct range {
    const char *primary;
    size_t plen;
    int sub;
    int q;
};

static int
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *
skip_ows(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; -1 if malformed. */
static int
qvalue(const char *s, const char *end)
{
    int q, scale = 100;

    if (s == end || (*s != '0' && *s != '1'))
        return -1;
    q = (*s++ - '0') * 1000;
    if (s < end && *s == '.')
        for (s++; s < end && is_digit(*s) && scale > 0; s++, scale /= 10)
            q += (*s - '0') * scale;
    return s == end && q <= 1000 ? q : -1;
}

/*
 * The member [s, end) into r: language-range [ OWS ";" OWS "q=" qvalue ],
 * language-range = 1*8ALPHA *("-" 1*8alphanum) / "*". Returns 0, or -1
 * when malformed.
 */
static int
member(const char *s, const char *end, struct range *r)
{
    const char *p;

    s = skip_ows(s, end);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *r = (struct range){ s, 0, 0, 1000 };
    if (s < end && *s == '*') {
        s++;
    } else {
        for (p = s; p < end && is_alpha(*p); p++)
            ;
        if (p == s || p - s > 8)
            return -1;
        r->plen = (size_t)(p - s);
        for (s = p; s < end && *s == '-'; s = p) {
            for (p = ++s; p < end && (is_alpha(*p) || is_digit(*p)); p++)
                ;
            if (p == s || p - s > 8)
                return -1;
            r->sub = 1;
        }
    }
    s = skip_ows(s, end);
    if (s == end)
        return 0;
    if (*s != ';')
        return -1;
    s = skip_ows(s + 1, end);
    if (end - s < 2 || (s[0] != 'q' && s[0] != 'Q') || s[1] != '=')
        return -1;
    r->q = qvalue(s + 2, end);
    return r->q < 0 ? -1 : 0;
}

/* Note what member n, r, says about each language. */
static void
note(struct said said[LANG_COUNT_], const struct range *r, int n)
{
    for (int l = 0; l < LANG_COUNT_; l++) {
        struct said *w = &said[l];
        if (r->plen != 2 || strncasecmp(r->primary, codes[l], 2) != 0)
            continue;
        if (!r->sub && w->exact < 0) {
            w->exact = r->q; /* a repeated range: the first counts */
            w->exact_at = n;
        } else if (r->sub && r->q > w->prefix) {
            w->prefix = r->q;
            w->prefix_at = n;
        }
    }
}

/* q of lang from what was said (-1: not acceptable), and at which member it was said. */
static int
weight(const struct said *w, int star, int star_at, int *at)
{
    if (w->exact >= 0) {
        *at = w->exact_at;
        return w->exact;
    }
    if (w->prefix >= 0) {
        *at = w->prefix_at;
        return w->prefix;
    }
    *at = star_at;
    return star;
}

enum lang
lang_from_accept(const char *value)
{
    struct said said[LANG_COUNT_];
    int star = -1, star_at = INT_MAX, best_q = 0, best_at = INT_MAX, n = 0;
    enum lang best = LANG_EN;
    const char *s = value, *limit;
    size_t len;

    if (!value)
        return LANG_EN;
    for (len = 0; len <= LANG_ACCEPT_MAX && value[len]; len++)
        ;
    limit = value + len;
    for (int l = 0; l < LANG_COUNT_; l++)
        said[l] = (struct said){ -1, INT_MAX, -1, INT_MAX };
    for (; s < limit; n++) {
        const char *end = s;
        struct range r;

        while (end < limit && *end != ',')
            end++;
        if (end == limit && len > LANG_ACCEPT_MAX)
            break; /* cut by the bound: its q may be cut too */
        if (member(s, end, &r) != 0) {
            /* malformed: skipped */
        } else if (r.plen) {
            note(said, &r, n);
        } else if (star < 0) {
            star = r.q; /* "*" */
            star_at = n;
        }
        s = end < limit ? end + 1 : end;
    }
    for (int l = 0; l < LANG_COUNT_; l++) {
        int at, q = weight(&said[l], star, star_at, &at);
        if (q > best_q || (q == best_q && q > 0 && at < best_at)) {
            best = (enum lang)l;
            best_q = q;
            best_at = at;
        }
    }
    return best;
}

const char *
lang_code(enum lang lang)
{
    return lang >= 0 && lang < LANG_COUNT_ ? codes[lang] : codes[LANG_EN];
}
