/*
 * digest: SHA-256 through OpenSSL's libcrypto (EVP), as lower-case hex.
 * Used for ETag suffixes and Idempotency-Key request fingerprints. Pure.
 */
#ifndef CRMD_DIGEST_H
#define CRMD_DIGEST_H

#include <stddef.h>

#define DIGEST_SHA256_HEX 64 /* hex characters of a SHA-256 digest */

/* SHA-256 of data[0..len) as 64 lower-case hex characters plus NUL. Aborts if libcrypto fails. */
void digest_sha256_hex(const void *data, size_t len, char out[DIGEST_SHA256_HEX + 1]);

#endif
