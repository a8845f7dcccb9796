/*
 * digest: one-shot EVP_Digest; a failure there means a broken libcrypto
 * installation, which is not something a request can recover from.
 */
#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

void
digest_sha256_hex(const void *data, size_t len, char out[DIGEST_SHA256_HEX + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != DIGEST_SHA256_HEX / 2) {
        fputs("crmd: libcrypto cannot compute SHA-256\n", stderr);
        abort();
    }
    for (unsigned int i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xf];
    }
    out[DIGEST_SHA256_HEX] = '\0';
}
