/*
 * phone_tail: reversed digit keys of phone numbers (phone_tail.h).
 */
#include "phone_tail.h"

#include <string.h>

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The digits of s reversed into out, skipping the characters in skip; -1 on any other. */
static int
reverse_digits(const char *s, const char *skip, char *out, size_t outsz)
{
    size_t n = 0, len = strlen(s);

    out[0] = '\0';
    for (size_t i = len; i-- > 0;) {
        if (strchr(skip, s[i]) && s[i])
            continue;
        if (!is_digit(s[i]) || n >= PHONE_TAIL_MAX || n + 1 >= outsz) {
            if (outsz)
                out[0] = '\0';
            return -1;
        }
        out[n++] = s[i];
    }
    out[n] = '\0';
    return n ? 0 : -1;
}

int
phone_tail_key(const char *e164, char *out, size_t outsz)
{
    if (!outsz)
        return -1;
    return reverse_digits(e164 && e164[0] == '+' ? e164 + 1 : e164 ? e164 : "", "", out, outsz);
}

int
phone_tail_query(const char *q, char *out, size_t outsz)
{
    if (!outsz)
        return -1;
    if (reverse_digits(q ? q : "", " /-", out, outsz) != 0)
        return -1;
    if (strlen(out) < PHONE_TAIL_MIN) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int
phone_tail_upper(const char *prefix, char *upper, size_t uppersz)
{
    size_t n = strlen(prefix);

    if (!uppersz)
        return -1;
    upper[0] = '\0';
    if (!n || n + 1 > uppersz)
        return -1;
    memcpy(upper, prefix, n + 1);
    upper[n - 1]++;
    return 0;
}
