/*
 * unicode: NFC through utf8proc for texts and for whole JSON documents.
 * The quick check skips the lookup for the common case (no byte that can
 * start a combining mark or a letter beyond U+02FF).
 */
#include "unicode.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util.h"

int
unicode_quick_nfc(const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if (*u >= 0xCC)
            return 0;
    return 1;
}

char *
unicode_nfc(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n;

    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n == UTF8PROC_ERROR_NOMEM)
        util_oom();
    return n < 0 ? NULL : (char *)out;
}

/* NFC of one string value in place. */
static int
nfc_string(json_t *j)
{
    const char *s = json_string_value(j);
    char *nfc;
    int rc;

    if (unicode_quick_nfc(s))
        return 0;
    if (!(nfc = unicode_nfc(s)))
        return -1;
    rc = strcmp(nfc, s) ? json_string_set(j, nfc) : 0;
    free(nfc);
    return rc;
}

int
unicode_nfc_json(json_t *j)
{
    const char *key;
    json_t *v;
    size_t i;

    if (json_is_string(j))
        return nfc_string(j);
    if (json_is_object(j)) {
        json_object_foreach(j, key, v)
        {
            if (unicode_nfc_json(v) != 0)
                return -1;
        }
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        {
            if (unicode_nfc_json(v) != 0)
                return -1;
        }
    }
    return 0;
}
