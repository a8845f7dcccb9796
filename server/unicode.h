/*
 * unicode: text a client sends is stored in Unicode Normalization Form C
 * (NFC, utf8proc), whatever form it came in: "Mu\u0308ller" (u and a
 * combining diaeresis) becomes "Müller" (U+00FC). Validity of UTF-8 is
 * checked by the callers (jansson, the query reader); this only composes.
 */
#ifndef CRMD_UNICODE_H
#define CRMD_UNICODE_H

#include <jansson.h>

/*
 * 1 if s is certainly NFC already without looking it up: no code point at
 * or above U+0300 (the first combining mark), so no byte >= 0xCC. Every
 * ASCII, Latin-1 and Latin Extended-A/B text passes; 0 means "maybe not".
 */
int unicode_quick_nfc(const char *s);

/*
 * The NFC form of the UTF-8 text s (malloc'd, the caller frees it), or
 * NULL when s is not valid UTF-8. Aborts when memory runs out.
 */
char *unicode_nfc(const char *s);

/*
 * Replace every string of j (object members and array elements, at any
 * depth) by its NFC form in place. Member names are left as they are:
 * crmd's names are ASCII, an unknown one is refused by name anyway.
 * Returns 0, or -1 when a string is not valid UTF-8 (jansson's strings
 * always are).
 */
int unicode_nfc_json(json_t *j);

#endif
