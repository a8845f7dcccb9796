/*
 * import_parse: NDJSON line splitting and an RFC 4180 CSV state machine,
 * both fed in chunks of any size. A line within one chunk is passed
 * without copying; only a line cut by a chunk boundary is buffered.
 */
#include "import_parse.h"

#include <string.h>

void
import_lines_init(struct import_lines *l, size_t max)
{
    memset(l, 0, sizeof *l);
    l->max = max;
}

static int
line_done(struct import_lines *l, const char *text, size_t len, import_line_fn fn, void *ctx)
{
    int too_long;

    if (len && text[len - 1] == '\r')
        len--;
    too_long = l->too_long || len > l->max;
    l->lineno++;
    l->too_long = 0;
    return fn(ctx, l->lineno, too_long ? "" : text, too_long ? 0 : len, too_long);
}

int
import_lines_feed(struct import_lines *l, const char *data, size_t n, import_line_fn fn, void *ctx)
{
    while (n) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        int rc;

        /* max + 1: room for the CR of a CRLF */
        if (!l->too_long && l->line.len + take > l->max + 1)
            l->too_long = 1;
        if (!nl) {
            if (!l->too_long)
                buf_append(&l->line, data, take);
            return 0;
        }
        if (l->line.len == 0 && !l->too_long) {
            rc = line_done(l, data, take, fn, ctx); /* the whole line is in this chunk */
        } else {
            if (!l->too_long)
                buf_append(&l->line, data, take);
            rc = line_done(l, l->line.data ? l->line.data : "", l->line.len, fn, ctx);
            l->line.len = 0;
        }
        if (rc != 0)
            return rc;
        data += take + 1;
        n -= take + 1;
    }
    return 0;
}

int
import_lines_finish(struct import_lines *l, import_line_fn fn, void *ctx)
{
    int rc = 0;

    if (l->line.len || l->too_long)
        rc = line_done(l, l->line.data ? l->line.data : "", l->line.len, fn, ctx);
    l->line.len = 0;
    return rc;
}

void
import_lines_release(struct import_lines *l)
{
    buf_release(&l->line);
}

/* ---- CSV ---- */

enum { CSV_FIELD_START, CSV_UNQUOTED, CSV_QUOTED, CSV_QUOTE_IN_QUOTED, CSV_AFTER_CR };

void
import_csv_init(struct import_csv *c, size_t max, char sep)
{
    memset(c, 0, sizeof *c);
    c->max = max;
    c->sep = sep;
}

void
import_csv_sniff_header(struct import_csv *c, int (*known)(void *ctx, const char *name), void *ctx)
{
    c->sep = 0;
    c->known = known;
    c->known_ctx = ctx;
}

/* Does sep split line into names known() accepts? */
static int
splits_known(const char *line, size_t len, char sep, int (*known)(void *, const char *), void *ctx)
{
    size_t i = 0;

    for (;;) {
        const char *end = memchr(line + i, sep, len - i);
        size_t next = end ? (size_t)(end - line) : len;
        const char *f = line + i;
        size_t flen = next - i;
        char name[128];

        while (flen && (f[flen - 1] == '\r' || f[flen - 1] == '\n'))
            flen--;
        if (flen >= 2 && f[0] == '"' && f[flen - 1] == '"')
            f++, flen -= 2;
        if (flen == 0 || flen >= sizeof name)
            return 0;
        memcpy(name, f, flen);
        name[flen] = '\0';
        if (!known(ctx, name))
            return 0;
        if (!end)
            return 1;
        i = next + 1;
    }
}

char
import_csv_sniff(const char *line, size_t len, int (*known)(void *ctx, const char *name), void *ctx)
{
    static const char seps[] = { ',', ';', '\t' };
    size_t count[3] = { 0 }, best = 0;

    for (size_t k = 0; k < sizeof seps; k++)
        if (memchr(line, seps[k], len) && splits_known(line, len, seps[k], known, ctx))
            return seps[k];
    for (size_t i = 0; i < len; i++)
        for (size_t k = 0; k < sizeof seps; k++)
            count[k] += line[i] == seps[k];
    for (size_t k = 1; k < sizeof seps; k++)
        if (count[k] > count[best])
            best = k;
    return seps[best];
}

static void
csv_byte(struct import_csv *c, char ch)
{
    if (c->error)
        return;
    if (c->rec.len >= c->max) {
        c->error = "the record is longer than the limit";
        return;
    }
    buf_append(&c->rec, &ch, 1);
}

static void
csv_end_field(struct import_csv *c)
{
    if (c->error)
        return;
    if (c->nfields == IMPORT_CSV_MAX_FIELDS) {
        c->error = "the record has more than 128 fields";
        return;
    }
    c->offs[c->nfields++] = c->field_start;
    buf_append(&c->rec, "", 1);
    c->field_start = c->rec.len;
}

static int
csv_end_record(struct import_csv *c, import_csv_fn fn, void *ctx)
{
    char *fields[IMPORT_CSV_MAX_FIELDS];
    const char *error = c->error;
    int rc = 0;

    csv_end_field(c);
    error = error ? error : c->error;
    c->recno++;
    /* a blank line (one empty field) is no record */
    if (error || c->nfields > 1 || c->rec.data[c->offs[0]] != '\0') {
        for (size_t i = 0; i < c->nfields; i++)
            fields[i] = c->rec.data + c->offs[i];
        rc = fn(ctx, c->recno, fields, error ? 0 : c->nfields, error);
    }
    c->rec.len = 0;
    c->field_start = 0;
    c->nfields = 0;
    c->error = NULL;
    c->state = CSV_FIELD_START;
    return rc;
}

/* Skip a UTF-8 byte order mark at the very start (spreadsheets write one). */
static size_t
csv_skip_bom(struct import_csv *c, const char *data, size_t n)
{
    static const char bom[3] = { '\xEF', '\xBB', '\xBF' };
    size_t i = 0;

    while (!c->bom_checked && i < n) {
        if (data[i] != bom[c->nbom]) {
            /* not a BOM: what was held back is data */
            c->bom_checked = 1;
            size_t held = c->nbom;
            c->nbom = 0;
            for (size_t k = 0; k < held; k++)
                csv_byte(c, bom[k]), c->state = CSV_UNQUOTED;
            return i;
        }
        c->bom[c->nbom++] = data[i++];
        if (c->nbom == 3)
            c->bom_checked = 1;
    }
    return i;
}

static int
csv_step(struct import_csv *c, char ch, import_csv_fn fn, void *ctx)
{
    switch (c->state) {
    case CSV_AFTER_CR:
        c->state = CSV_FIELD_START;
        if (ch == '\n')
            return 0;
        /* a lone CR ended the record; ch starts the next */
        /* fall through */
    case CSV_FIELD_START:
        if (ch == '"') {
            c->state = CSV_QUOTED;
            return 0;
        }
        c->state = CSV_UNQUOTED;
        /* fall through */
    case CSV_UNQUOTED:
        if (ch == c->sep) {
            csv_end_field(c);
            c->state = CSV_FIELD_START;
        } else if (ch == '\n' || ch == '\r') {
            int rc = csv_end_record(c, fn, ctx);
            c->state = ch == '\r' ? CSV_AFTER_CR : CSV_FIELD_START;
            return rc;
        } else if (ch == '"') {
            if (!c->error)
                c->error = "a quote inside an unquoted field (quote the whole field, double "
                           "the quote)";
        } else {
            csv_byte(c, ch);
        }
        return 0;
    case CSV_QUOTED:
        if (ch == '"')
            c->state = CSV_QUOTE_IN_QUOTED;
        else
            csv_byte(c, ch);
        return 0;
    case CSV_QUOTE_IN_QUOTED:
        if (ch == '"') {
            csv_byte(c, '"');
            c->state = CSV_QUOTED;
            return 0;
        }
        if (ch != c->sep && ch != '\n' && ch != '\r' && !c->error)
            c->error = "text after the closing quote of a field";
        c->state = CSV_UNQUOTED;
        return ch == c->sep || ch == '\n' || ch == '\r' ? csv_step(c, ch, fn, ctx) : 0;
    }
    return 0;
}

/* The header line is complete (or too long, or the body ended): choose sep, parse the line. */
static int
csv_sniffed(struct import_csv *c, import_csv_fn fn, void *ctx)
{
    int rc = 0;

    c->sep = import_csv_sniff(c->head.data ? c->head.data : "", c->head.len, c->known,
                              c->known_ctx);
    for (size_t i = 0; rc == 0 && i < c->head.len; i++)
        rc = csv_step(c, c->head.data[i], fn, ctx);
    buf_release(&c->head);
    return rc;
}

int
import_csv_feed(struct import_csv *c, const char *data, size_t n, import_csv_fn fn, void *ctx)
{
    size_t i = csv_skip_bom(c, data, n);

    if (!c->sep && i < n) {
        const char *nl = memchr(data + i, '\n', n - i);
        size_t take = nl ? (size_t)(nl - (data + i)) + 1 : n - i;
        int rc;

        buf_append(&c->head, data + i, take);
        i += take;
        if (!nl && c->head.len <= c->max)
            return 0;
        if ((rc = csv_sniffed(c, fn, ctx)) != 0)
            return rc;
    }
    for (; i < n; i++) {
        int rc = csv_step(c, data[i], fn, ctx);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int
import_csv_finish(struct import_csv *c, import_csv_fn fn, void *ctx)
{
    if (!c->sep && csv_sniffed(c, fn, ctx) != 0)
        return -1;
    if (c->nbom && !c->bom_checked) {
        /* a body of one or two bytes that began like a BOM: they are data */
        for (size_t k = 0; k < c->nbom; k++)
            csv_byte(c, c->bom[k]);
        c->state = CSV_UNQUOTED;
        c->nbom = 0;
    }
    if (c->state == CSV_QUOTED && !c->error)
        c->error = "a quoted field is not closed before the end of the body";
    if (c->state == CSV_FIELD_START && c->nfields == 0 && c->rec.len == 0 && !c->error)
        return 0;
    if (c->state == CSV_AFTER_CR)
        return 0;
    return csv_end_record(c, fn, ctx);
}

void
import_csv_release(struct import_csv *c)
{
    buf_release(&c->rec);
    buf_release(&c->head);
}
