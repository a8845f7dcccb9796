/*
 * phone_tail: the index key that lets the last digits of a phone number
 * find it. The key is the number's digits reversed, so "ends with 4567"
 * becomes "starts with 7654", a range on an ordinary index. Pure; reading
 * whole numbers is phone.cc's, the index rows are store_phone_tails.c's.
 */
#ifndef CRMD_PHONE_TAIL_H
#define CRMD_PHONE_TAIL_H

#include <stddef.h>

#define PHONE_TAIL_MIN 4  /* digits: fewer would match one number in a thousand or more */
#define PHONE_TAIL_MAX 15 /* digits of the longest E.164 number */
#define PHONE_TAIL_KEY_MAX (PHONE_TAIL_MAX + 1) /* bytes of a key with its NUL */

/*
 * The key of a stored number: the digits of e164 ("+491714432022")
 * reversed ("220234417194"). Returns 0, or -1 (out empty) when e164 has
 * no digit or more than PHONE_TAIL_MAX, or out (outsz bytes) is too small.
 */
int phone_tail_key(const char *e164, char *out, size_t outsz);

/*
 * The key prefix of a typed tail: q holds only digits, spaces, slashes and
 * hyphens, PHONE_TAIL_MIN..PHONE_TAIL_MAX digits ("4567", "12 34 567",
 * "32/09-4410"); out gets the digits reversed. Returns 0, or -1 (out
 * empty) for anything else.
 */
int phone_tail_query(const char *q, char *out, size_t outsz);

/*
 * The first key after every key starting with prefix (a key from
 * phone_tail_query): prefix with its last digit raised by one character
 * ('9' becomes ':', which sorts right after it), the upper bound of the
 * range [prefix, upper). Returns 0, or -1 (upper empty) when prefix is
 * empty or upper (uppersz bytes) is too small.
 */
int phone_tail_upper(const char *prefix, char *upper, size_t uppersz);

#endif
