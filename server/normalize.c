/*
 * normalize: canonical forms of plates, VINs and e-mail addresses. Pure
 * byte-level ASCII/UTF-8 code: no locale, no allocation, no I/O. Callers
 * decide what a -1 means for the request. Phone numbers: phone.h.
 */
#include "normalize.h"

#include <string.h>

#define PLATE_MIN_CHARS 2
#define PLATE_MAX_CHARS 10
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

int
normalize_plate(const char *in, char *out, size_t outsz)
{
    const unsigned char *p;
    size_t n = 0, chars = 0;
    int letters = 0, digits = 0;

    if (in == NULL)
        return fail(out, outsz);
    for (p = (const unsigned char *)in; *p != '\0'; p++) {
        unsigned char buf[2];
        size_t blen = 1;

        if (*p == ' ' || *p == '-' || *p == '.')
            continue;
        if (is_digit(*p)) {
            buf[0] = *p;
            digits++;
        } else if (is_upper(*p) || is_lower(*p)) {
            buf[0] = to_upper(*p);
            letters++;
        } else if (*p == 0xC3 && umlaut_upper(p[1]) != 0) {
            /* p[1] is not NUL here, so skipping it stays inside the string */
            buf[0] = 0xC3;
            buf[1] = umlaut_upper(p[1]);
            blen = 2;
            letters++;
            p++;
        } else {
            return fail(out, outsz);
        }
        /* keep room for the NUL and never split an umlaut */
        if (++chars > PLATE_MAX_CHARS || n + blen >= outsz)
            return fail(out, outsz);
        memcpy(out + n, buf, blen);
        n += blen;
    }
    if (chars < PLATE_MIN_CHARS || letters == 0 || digits == 0)
        return fail(out, outsz);
    out[n] = '\0';
    return 0;
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
