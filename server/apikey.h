/*
 * apikey: the shape of an API key. A key is "crmd_" and 43 base64url
 * characters (256 random bits from OpenSSL's RAND_bytes), so secret
 * scanners can recognise leaked ones. Only its SHA-256 is stored; its
 * first APIKEY_PREFIX_LEN characters are not secret (lists, lookup).
 * No I/O besides the random generator.
 */
#ifndef CRMD_APIKEY_H
#define CRMD_APIKEY_H

#include "digest.h"

#define APIKEY_TAG "crmd_"
#define APIKEY_LEN 48        /* "crmd_" + 43 characters */
#define APIKEY_PREFIX_LEN 13 /* "crmd_" + 8 characters: 48 of the 256 bits */

/* A new random key into out. Returns 0, or -1 if the random generator failed. */
int apikey_generate(char out[APIKEY_LEN + 1]);

/* Is s shaped like a key (tag, length, alphabet)? Says nothing about whether it exists. */
int apikey_valid(const char *s);

/* The listed prefix of key (which must be valid). */
void apikey_prefix(const char *key, char out[APIKEY_PREFIX_LEN + 1]);

/* SHA-256 of the key, as stored. */
void apikey_hash(const char *key, char out[DIGEST_SHA256_HEX + 1]);

/* Do two stored hashes match? Constant time (CRYPTO_memcmp); 0 for a malformed one. */
int apikey_hash_equal(const char *a, const char *b);

/*
 * The key of an Authorization header value "Bearer <key>" (scheme case-
 * insensitive, one or more spaces), or NULL when header is NULL or has
 * another shape. Points into header.
 */
const char *apikey_from_header(const char *header);

#endif
