/*
 * cursor: 12 bytes (version, tag, 8-byte seq, 2-byte FNV-1a check) in
 * unpadded base64url.
 */
#include "cursor.h"

#include <stdint.h>
#include <string.h>

#define CURSOR_BYTES 12
#define CURSOR_VERSION 1

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static uint16_t
check(const unsigned char *b, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return (uint16_t)(h ^ (h >> 16));
}

void
cursor_encode(int tag, long long seq, char out[CURSOR_LEN + 1])
{
    unsigned char b[CURSOR_BYTES];
    uint64_t s = (uint64_t)seq;
    uint16_t c;
    size_t i, o = 0;

    b[0] = CURSOR_VERSION;
    b[1] = (unsigned char)tag;
    for (i = 0; i < 8; i++)
        b[2 + i] = (unsigned char)(s >> (56 - 8 * i));
    c = check(b, 10);
    b[10] = (unsigned char)(c >> 8);
    b[11] = (unsigned char)c;
    for (i = 0; i < CURSOR_BYTES; i += 3) {
        uint32_t v = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8 | b[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    out[o] = '\0';
}

int
cursor_decode(const char *s, int tag, long long *seq)
{
    unsigned char b[CURSOR_BYTES];
    uint64_t v = 0;
    size_t i;

    if (!s || strlen(s) != CURSOR_LEN)
        return -1;
    for (i = 0; i < CURSOR_LEN; i += 4) {
        uint32_t q = 0;
        for (size_t k = 0; k < 4; k++) {
            const char *pos = strchr(alphabet, s[i + k]);
            if (!pos || !s[i + k])
                return -1;
            q = q << 6 | (uint32_t)(pos - alphabet);
        }
        b[i / 4 * 3] = (unsigned char)(q >> 16);
        b[i / 4 * 3 + 1] = (unsigned char)(q >> 8);
        b[i / 4 * 3 + 2] = (unsigned char)q;
    }
    if (b[0] != CURSOR_VERSION || b[1] != (unsigned char)tag)
        return -1;
    if (check(b, 10) != ((uint16_t)b[10] << 8 | b[11]))
        return -1;
    for (i = 0; i < 8; i++)
        v = v << 8 | b[2 + i];
    if (v > (uint64_t)INT64_MAX)
        return -1;
    *seq = (long long)v;
    return 0;
}
