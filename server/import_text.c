/*
 * import_text: sniffing and converting the character set of a CSV body
 * chunk by chunk. Only a UTF-8 sequence cut by a chunk boundary is held
 * back (at most 3 bytes); the single-byte charsets need no carry-over.
 */
#include "import_text.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

int
import_text_init(struct import_text *t, const char *charset)
{
    static const struct {
        const char *name, *iconv;
    } known[] = {
        { "utf-8", NULL },         { "utf8", NULL },
        { "us-ascii", NULL },      { "windows-1252", "WINDOWS-1252" },
        { "cp1252", "WINDOWS-1252" }, { "iso-8859-1", "ISO-8859-1" },
        { "latin1", "ISO-8859-1" }, { "iso-8859-15", "ISO-8859-15" },
        { "latin9", "ISO-8859-15" },
    };

    memset(t, 0, sizeof *t);
    t->cd = (iconv_t)-1;
    t->mode = IMPORT_TEXT_ASCII;
    if (!charset)
        return 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcasecmp(charset, known[i].name) != 0)
            continue;
        t->mode = IMPORT_TEXT_UTF8;
        if (known[i].iconv) {
            if ((t->cd = iconv_open("UTF-8", known[i].iconv)) == (iconv_t)-1)
                return -1;
            t->mode = IMPORT_TEXT_ICONV;
        }
        return 0;
    }
    return -1;
}

/* A UTF-8 sequence at s (s[0] >= 0x80)? 1 valid, 0 not, -1 valid so far but cut short. */
static int
utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;

    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4;
    else
        return 0;
    if (s[0] == 0xE0)
        lo = 0xA0; /* overlong */
    else if (s[0] == 0xED)
        hi = 0x9F; /* surrogates */
    else if (s[0] == 0xF0)
        lo = 0x90;
    else if (s[0] == 0xF4)
        hi = 0x8F;
    for (size_t i = 1; i < len; i++) {
        if (i >= n)
            return -1;
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
            return 0;
    }
    return 1;
}

static int
convert(struct import_text *t, const char *data, size_t n, import_text_fn fn, void *ctx)
{
    char *in = (char *)data;
    size_t inleft = n;

    t->out.len = 0;
    while (inleft) {
        char chunk[4096], *out = chunk;
        size_t outleft = sizeof chunk;

        if (iconv(t->cd, &in, &inleft, &out, &outleft) == (size_t)-1 && errno != E2BIG) {
            /* a byte the charset does not define: on as is, its cell is refused */
            buf_append(&t->out, chunk, sizeof chunk - outleft);
            buf_append(&t->out, in, 1);
            in++, inleft--;
            continue;
        }
        buf_append(&t->out, chunk, sizeof chunk - outleft);
    }
    return t->out.len ? fn(ctx, t->out.data, t->out.len) : 0;
}

/* An undeclared body was ASCII so far and continues at data with bytes that decide it. */
static int
decide(struct import_text *t, int valid, const char *data, size_t n, import_text_fn fn, void *ctx)
{
    if (valid) {
        t->mode = IMPORT_TEXT_UTF8;
        return fn(ctx, data, n);
    }
    if ((t->cd = iconv_open("UTF-8", "WINDOWS-1252")) == (iconv_t)-1) {
        t->mode = IMPORT_TEXT_UTF8; /* no converter: the cells will say it */
        return fn(ctx, data, n);
    }
    t->mode = IMPORT_TEXT_ICONV;
    t->detected = "windows-1252";
    return convert(t, data, n, fn, ctx);
}

static int
sniff(struct import_text *t, const char *data, size_t n, import_text_fn fn, void *ctx)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t i = 0;
    int rc;

    while (t->nhold) {
        char held[8];
        size_t nheld;
        int v;

        if (i == n)
            return 0;
        t->hold[t->nhold++] = data[i++];
        v = utf8_seq((const unsigned char *)t->hold, t->nhold);
        if (v < 0)
            continue;
        nheld = t->nhold;
        memcpy(held, t->hold, nheld);
        t->nhold = 0;
        if ((rc = decide(t, v, held, nheld, fn, ctx)) != 0)
            return rc;
        return t->mode == IMPORT_TEXT_UTF8 ? fn(ctx, data + i, n - i)
                                           : convert(t, data + i, n - i, fn, ctx);
    }
    for (; i < n; i++) {
        int v;

        if (u[i] < 0x80)
            continue;
        if (i && (rc = fn(ctx, data, i)) != 0)
            return rc;
        v = utf8_seq(u + i, n - i);
        if (v < 0) {
            memcpy(t->hold, data + i, n - i);
            t->nhold = n - i;
            return 0;
        }
        return decide(t, v, data + i, n - i, fn, ctx);
    }
    return n ? fn(ctx, data, n) : 0;
}

int
import_text_feed(struct import_text *t, const char *data, size_t n, import_text_fn fn, void *ctx)
{
    switch (t->mode) {
    case IMPORT_TEXT_ASCII:
        return sniff(t, data, n, fn, ctx);
    case IMPORT_TEXT_ICONV:
        return convert(t, data, n, fn, ctx);
    default:
        return n ? fn(ctx, data, n) : 0;
    }
}

int
import_text_finish(struct import_text *t, import_text_fn fn, void *ctx)
{
    size_t n = t->nhold;

    t->nhold = 0;
    /* a sequence cut by the end of the body is not UTF-8 */
    return n ? decide(t, 0, t->hold, n, fn, ctx) : 0;
}

void
import_text_release(struct import_text *t)
{
    if (t->cd != (iconv_t)-1)
        iconv_close(t->cd);
    t->cd = (iconv_t)-1;
    buf_release(&t->out);
}
