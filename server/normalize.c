/*
 * normalize: canonical forms of plates, VINs and e-mail addresses. Pure
 * byte-level ASCII/UTF-8 code: no locale, no allocation, no I/O. Callers
 * decide what a -1 means for the request. Phone numbers: phone.h.
 */
#include "normalize.h"

#include <string.h>

#define PLATE_MIN_CHARS 2
#define PLATE_MAX_CHARS 10
#define PLATE_PREFIX_MIN_CHARS 3 /* "M-H" would list half of Munich */
#define DISTRICT_TYPED 4         /* a district of 3 letters, one of them transliterated */
#define VIN_SUFFIX_MIN 6
#define EMAIL_LOCAL_MAX 64
#define EMAIL_DOMAIN_MAX 253

/* ASCII only on purpose: <ctype.h> follows the locale. */
static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int
is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static int
is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static unsigned char
to_upper(unsigned char c)
{
    return is_lower(c) ? (unsigned char)(c - 'a' + 'A') : c;
}

static unsigned char
to_lower(unsigned char c)
{
    return is_upper(c) ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Every failure path leaves out empty, when there is room for a NUL. */
static int
fail(char *out, size_t outsz)
{
    if (outsz > 0)
        out[0] = '\0';
    return -1;
}

/* Narrow [*s, *s + *len) to exclude leading and trailing ' '. */
static void
trim_spaces(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = strlen(p);

    while (n > 0 && *p == ' ') {
        p++;
        n--;
    }
    while (n > 0 && p[n - 1] == ' ')
        n--;
    *s = p;
    *len = n;
}

/*
 * Second byte of an upper-case umlaut for the UTF-8 pair C3 b, or 0 if
 * C3 b is not one of ä ö ü Ä Ö Ü.
 */
static unsigned char
umlaut_upper(unsigned char b)
{
    switch (b) {
    case 0xA4: /* ä */
    case 0x84: /* Ä */
        return 0x84;
    case 0xB6: /* ö */
    case 0x96: /* Ö */
        return 0x96;
    case 0xBC: /* ü */
    case 0x9C: /* Ü */
        return 0x9C;
    default:
        return 0;
    }
}

/* The second UTF-8 byte of Ä, Ö or Ü for the base letter A, O or U (C3 xx). */
static unsigned char
umlaut_of(unsigned char base)
{
    return base == 'A' ? 0x84 : base == 'O' ? 0x96 : 0x9C;
}

/* What one character of a plate is; plate_char() reads it. */
enum plate_class { PLATE_END, PLATE_SEP, PLATE_LETTER, PLATE_DIGIT, PLATE_BAD };

/*
 * Read the character at *p into buf (its upper-case UTF-8 bytes, *blen of
 * them) and move *p past it. An A, O or U followed by U+0308 COMBINING
 * DIAERESIS (CC 88) is the umlaut, as NFD text and some keyboards write it.
 */
static enum plate_class
plate_char(const unsigned char **p, unsigned char buf[2], size_t *blen)
{
    const unsigned char *s = *p;
    unsigned char u = to_upper(*s);

    *blen = 1;
    if (*s == '\0')
        return PLATE_END;
    *p = s + 1;
    if (*s == ' ' || *s == '-' || *s == '.')
        return PLATE_SEP;
    buf[0] = u;
    if (is_digit(u))
        return PLATE_DIGIT;
    /* s[1] is not NUL when it is CC, so s[2] is inside the string */
    if ((u == 'A' || u == 'O' || u == 'U') && s[1] == 0xCC && s[2] == 0x88) {
        buf[0] = 0xC3;
        buf[1] = umlaut_of(u);
        *blen = 2;
        *p = s + 3;
        return PLATE_LETTER;
    }
    if (is_upper(u))
        return PLATE_LETTER;
    if (*s == 0xC3 && umlaut_upper(s[1]) != 0) {
        buf[0] = 0xC3;
        buf[1] = umlaut_upper(s[1]);
        *blen = 2;
        *p = s + 2;
        return PLATE_LETTER;
    }
    return PLATE_BAD;
}

/* A plate as typed, read once: its lookup form and where its separators stand. */
struct plate_scan {
    char out[2 * PLATE_MAX_CHARS + 1]; /* normalised, NUL-terminated */
    size_t bytes, chars;
    int letters, digits;
    int shape;        /* letters, then digits, then at most one letter (the E of "M-AB 123E") */
    size_t district;  /* bytes of the leading letters, up to a separator or a digit */
    unsigned hyphens; /* bit n: an inner hyphen with n characters after it */
    unsigned seps;    /* the same for any separator: space, hyphen, dot */
};

/* Note a letter or digit of class c in s's counts and shape. */
static void
scan_count(struct plate_scan *s, enum plate_class c, int lead, size_t blen)
{
    static const int after_digit = 2, trailing = 4; /* shape stages */

    if (c == PLATE_DIGIT) {
        s->digits++;
        if (s->shape & trailing)
            s->shape = 0;
        else if (s->shape)
            s->shape = 1 | after_digit;
        return;
    }
    s->letters++;
    if (lead)
        s->district += blen;
    if (s->shape & trailing)
        s->shape = 0;
    else if (s->shape & after_digit)
        s->shape |= trailing;
}

/* Read in into s. Returns 0, or -1 for a character a plate cannot hold or more than 10. */
static int
plate_scan(const char *in, struct plate_scan *s)
{
    const unsigned char *p = (const unsigned char *)in;
    unsigned hyph_before = 0, sep_before = 0; /* bit n: n characters before it */
    int lead = 1;
    enum plate_class c;
    size_t blen;

    memset(s, 0, sizeof *s);
    s->shape = 1;
    while ((c = plate_char(&p, (unsigned char *)s->out + s->bytes, &blen)) != PLATE_END) {
        if (c == PLATE_BAD)
            return -1;
        if (c == PLATE_SEP) {
            sep_before |= 1u << s->chars;
            if (p[-1] == '-')
                hyph_before |= 1u << s->chars;
            lead = 0;
            continue;
        }
        if (++s->chars > PLATE_MAX_CHARS)
            return -1;
        lead &= c == PLATE_LETTER;
        scan_count(s, c, lead, blen);
        s->bytes += blen;
    }
    s->out[s->bytes] = '\0';
    for (size_t n = 1; n < s->chars; n++) { /* inner ones only, counted from the end */
        if (sep_before & (1u << n))
            s->seps |= 1u << (s->chars - n);
        if (hyph_before & (1u << n))
            s->hyphens |= 1u << (s->chars - n);
    }
    return 0;
}

/* Copy the scanned form into out when it fits; else fail. */
static int
scan_copy(const struct plate_scan *s, char *out, size_t outsz)
{
    if (s->bytes >= outsz)
        return fail(out, outsz);
    memcpy(out, s->out, s->bytes + 1);
    return 0;
}

int
normalize_plate(const char *in, char *out, size_t outsz)
{
    struct plate_scan s;

    if (in == NULL || plate_scan(in, &s) != 0 || s.chars < PLATE_MIN_CHARS || s.letters == 0 ||
        s.digits == 0)
        return fail(out, outsz);
    return scan_copy(&s, out, outsz);
}

/*
 * keys->key[0] = s->out, then each way of reading an AE, OE or UE among
 * the first DISTRICT_TYPED bytes of the district as Ä, Ö, Ü: the two
 * letters and the umlaut are both two bytes, so every variant fits.
 */
static void
plate_variants(const struct plate_scan *s, struct plate_keys *keys)
{
    size_t at[2], k = 0, span = s->district < DISTRICT_TYPED ? s->district : DISTRICT_TYPED;

    /* an E after A, O or U is never itself followed by E in a digraph: they cannot overlap */
    for (size_t i = 0; i + 1 < span && k < 2; i++)
        if ((s->out[i] == 'A' || s->out[i] == 'O' || s->out[i] == 'U') && s->out[i + 1] == 'E')
            at[k++] = i;
    keys->n = (size_t)1 << k;
    for (size_t v = 0; v < keys->n; v++) {
        char *key = keys->key[v];

        memcpy(key, s->out, s->bytes + 1);
        for (size_t j = 0; j < k; j++)
            if (v & (1u << j)) {
                key[at[j]] = (char)0xC3;
                key[at[j] + 1] = (char)umlaut_of((unsigned char)s->out[at[j]]);
            }
    }
    keys->separated = s->seps != 0;
}

int
normalize_plate_keys(const char *in, struct plate_keys *keys)
{
    struct plate_scan s;

    keys->n = 0;
    keys->separated = 0;
    if (in == NULL || plate_scan(in, &s) != 0 || s.chars < PLATE_MIN_CHARS || s.letters == 0 ||
        s.digits == 0 || s.bytes >= NORMALIZE_PLATE_MAX)
        return -1;
    plate_variants(&s, keys);
    return 0;
}

int
normalize_plate_prefix_keys(const char *in, struct plate_keys *keys)
{
    struct plate_scan s;

    keys->n = 0;
    keys->separated = 0;
    if (in == NULL || plate_scan(in, &s) != 0 || s.chars < PLATE_PREFIX_MIN_CHARS ||
        s.district == 0 || !s.shape || s.bytes >= NORMALIZE_PLATE_MAX)
        return -1;
    plate_variants(&s, keys);
    return 0;
}

int
normalize_plate_fits(const char *typed, const char *stored)
{
    struct plate_scan t, s;

    if (typed == NULL || plate_scan(typed, &t) != 0 || t.seps == 0)
        return -1;
    if (stored == NULL || plate_scan(stored, &s) != 0)
        return 0;
    if (t.hyphens)
        return s.hyphens == t.hyphens;
    return (s.seps & t.seps) == t.seps;
}

/* VIN alphabet (ISO 3779): 0-9 and A-Z without I, O, Q; c upper-cased or 0. */
static unsigned char
vin_char(unsigned char c)
{
    c = to_upper(c);
    if (is_digit(c))
        return c;
    if (is_upper(c) && c != 'I' && c != 'O' && c != 'Q')
        return c;
    return 0;
}

/* Trim, check min..max VIN characters and copy them upper-cased. */
static int
vin_copy(const char *in, size_t min, size_t max, char *out, size_t outsz)
{
    const char *s;
    size_t len, i;

    if (in == NULL)
        return fail(out, outsz);
    s = in;
    trim_spaces(&s, &len);
    if (len < min || len > max || len >= outsz)
        return fail(out, outsz);
    for (i = 0; i < len; i++) {
        unsigned char c = vin_char((unsigned char)s[i]);

        if (c == 0)
            return fail(out, outsz);
        out[i] = (char)c;
    }
    out[len] = '\0';
    return 0;
}

int
normalize_vin(const char *in, char *out, size_t outsz)
{
    return vin_copy(in, NORMALIZE_VIN_LEN, NORMALIZE_VIN_LEN, out, outsz);
}

/* Surrounding spaces are trimmed as for a full VIN. */
int
normalize_vin_suffix(const char *in, char *out, size_t outsz)
{
    return vin_copy(in, VIN_SUFFIX_MIN, NORMALIZE_VIN_LEN, out, outsz);
}

/* Domain labels: letters, digits, '-', or UTF-8 bytes; none empty; a dot. */
static int
valid_domain(const unsigned char *s, size_t len)
{
    size_t i, label = 0, dots = 0;

    if (len < 1 || len > EMAIL_DOMAIN_MAX)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = s[i];

        if (c == '.') {
            if (label == 0)
                return 0;
            label = 0;
            dots++;
        } else if (is_digit(c) || is_upper(c) || is_lower(c) || c == '-' || c >= 0x80) {
            label++;
        } else {
            return 0;
        }
    }
    return label > 0 && dots > 0;
}

/*
 * The overall RFC 5321 limit of 254 bytes is the caller's outsz
 * (NORMALIZE_EMAIL_MAX); only the parts' limits are checked here.
 */
int
normalize_email(const char *in, char *out, size_t outsz)
{
    const char *s, *at = NULL;
    size_t len, local, i;

    if (in == NULL)
        return fail(out, outsz);
    s = in;
    trim_spaces(&s, &len);
    for (i = 0; i < len; i++) {
        if (s[i] == '@') {
            if (at != NULL)
                return fail(out, outsz);
            at = s + i;
        }
    }
    if (at == NULL || len >= outsz)
        return fail(out, outsz);

    local = (size_t)(at - s);
    if (local < 1 || local > EMAIL_LOCAL_MAX)
        return fail(out, outsz);
    for (i = 0; i < local; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c <= ' ' || c == 0x7F)
            return fail(out, outsz);
    }
    if (!valid_domain((const unsigned char *)at + 1, len - local - 1))
        return fail(out, outsz);

    for (i = 0; i < len; i++)
        out[i] = (char)to_lower((unsigned char)s[i]);
    out[len] = '\0';
    return 0;
}
