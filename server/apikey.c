/*
 * apikey: generation (RAND_bytes, base64url without padding), shape
 * checks, hashing and the constant-time comparison of stored hashes.
 */
#include "apikey.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <string.h>
#include <strings.h>

#define APIKEY_RANDOM_BYTES 32

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64url of n bytes without padding; out holds 4 * n / 3 + 2 bytes. */
static size_t
encode(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0, i;

    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
        out[o++] = b64url[v >> 6 & 63];
        out[o++] = b64url[v & 63];
    }
    if (n - i == 2) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
        out[o++] = b64url[v >> 6 & 63];
    } else if (n - i == 1) {
        unsigned v = (unsigned)in[i] << 16;
        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
    }
    out[o] = '\0';
    return o;
}

int
apikey_generate(char out[APIKEY_LEN + 1])
{
    unsigned char r[APIKEY_RANDOM_BYTES];
    size_t tag = strlen(APIKEY_TAG);

    if (RAND_bytes(r, sizeof r) != 1)
        return -1;
    memcpy(out, APIKEY_TAG, tag);
    encode(r, sizeof r, out + tag);
    OPENSSL_cleanse(r, sizeof r);
    return 0;
}

int
apikey_valid(const char *s)
{
    size_t tag = strlen(APIKEY_TAG);

    if (!s || strlen(s) != APIKEY_LEN || strncmp(s, APIKEY_TAG, tag) != 0)
        return 0;
    return strspn(s + tag, b64url) == APIKEY_LEN - tag;
}

void
apikey_prefix(const char *key, char out[APIKEY_PREFIX_LEN + 1])
{
    memcpy(out, key, APIKEY_PREFIX_LEN);
    out[APIKEY_PREFIX_LEN] = '\0';
}

void
apikey_hash(const char *key, char out[DIGEST_SHA256_HEX + 1])
{
    digest_sha256_hex(key, strlen(key), out);
}

int
apikey_hash_equal(const char *a, const char *b)
{
    if (!a || !b || strlen(a) != DIGEST_SHA256_HEX || strlen(b) != DIGEST_SHA256_HEX)
        return 0;
    return CRYPTO_memcmp(a, b, DIGEST_SHA256_HEX) == 0;
}

const char *
apikey_from_header(const char *header)
{
    if (!header || strncasecmp(header, "Bearer ", 7) != 0)
        return NULL;
    header += 7;
    while (*header == ' ')
        header++;
    return *header ? header : NULL;
}
