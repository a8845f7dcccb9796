/*
 * import_text: the character set of a CSV import body. Bytes go in as
 * sent and come out as UTF-8 for the CSV parser: unchanged for UTF-8,
 * through glibc's iconv for a declared windows-1252, ISO-8859-1 or
 * ISO-8859-15, and for an undeclared body that turns out not to be UTF-8
 * (see import_text_feed). No other I/O; unit-tested.
 */
#ifndef CRMD_IMPORT_TEXT_H
#define CRMD_IMPORT_TEXT_H

#include <iconv.h>
#include <stddef.h>

#include "util.h"

/* Where the decoder is: sniffing an undeclared body, passing UTF-8, converting. */
enum import_text_mode { IMPORT_TEXT_ASCII, IMPORT_TEXT_UTF8, IMPORT_TEXT_ICONV };

struct import_text {
    enum import_text_mode mode;
    iconv_t cd;           /* (iconv_t)-1 until converting */
    char hold[4];         /* a multi-byte sequence cut by a chunk boundary (sniffing) */
    size_t nhold;
    struct buf out;       /* converted bytes of the current chunk */
    const char *detected; /* "windows-1252" when an undeclared body was switched, else NULL */
};

/* Called with decoded bytes (UTF-8 but for what the CSV cells check). Returns 0 or -1 to stop. */
typedef int (*import_text_fn)(void *ctx, const char *data, size_t n);

/*
 * Start for charset as declared (a Content-Type parameter value, NULL when absent):
 * utf-8 and us-ascii pass bytes through; windows-1252 (cp1252), iso-8859-1 (latin1) and
 * iso-8859-15 (latin9) are converted; NULL sniffs. Returns 0, or -1 for another charset.
 */
int import_text_init(struct import_text *t, const char *charset);

/*
 * Feed n bytes. An undeclared body is UTF-8 until its first byte sequence that is not: if
 * every byte before it was ASCII (the same in both), the body is windows-1252 from the
 * start (detected is set); if valid UTF-8 came before, it stays UTF-8 and the cell with the
 * bad bytes is refused later. A byte windows-1252 does not define (0x81, 0x8D, 0x8F, 0x90,
 * 0x9D) is passed on as is, so its cell is refused too. Returns 0 or fn's -1.
 */
int import_text_feed(struct import_text *t, const char *data, size_t n, import_text_fn fn,
                     void *ctx);

/* End of body: a held, incomplete sequence goes on as it was. Returns 0 or fn's -1. */
int import_text_finish(struct import_text *t, import_text_fn fn, void *ctx);

void import_text_release(struct import_text *t);

#endif
