/*
 * import_parse: the pure, incremental parsers of POST /v1/import. Bodies
 * arrive in chunks of any size; these cut them into NDJSON lines or
 * RFC 4180 CSV records without holding more than one line or record.
 * No I/O, no JSON: import.c decides what a line means. Unit-tested.
 */
#ifndef CRMD_IMPORT_PARSE_H
#define CRMD_IMPORT_PARSE_H

#include <stddef.h>

#include "util.h"

#define IMPORT_CSV_MAX_FIELDS 128

/*
 * Called for every line (without its "\n" or "\r\n"; empty lines too):
 * lineno counts from 1; too_long is set when the line had more than the
 * limit's bytes (text is then empty: it was not kept). Returns 0 to go
 * on, -1 to stop the feed.
 */
typedef int (*import_line_fn)(void *ctx, unsigned long lineno, const char *text, size_t len,
                              int too_long);

struct import_lines {
    struct buf line;       /* the line so far */
    size_t max;            /* longest line kept */
    unsigned long lineno;  /* lines completed */
    int too_long;          /* the current line passed max */
};

/* Start with lines of at most max bytes. */
void import_lines_init(struct import_lines *l, size_t max);

/* Feed n bytes; fn sees each line completed by them. Returns 0 or fn's -1. */
int import_lines_feed(struct import_lines *l, const char *data, size_t n, import_line_fn fn,
                      void *ctx);

/* End of body: a last line without "\n" goes to fn. Returns 0 or fn's -1. */
int import_lines_finish(struct import_lines *l, import_line_fn fn, void *ctx);

void import_lines_release(struct import_lines *l);

/*
 * Called for every CSV record: recno counts records from 1 (the header is
 * record 1, like a spreadsheet's row), fields[0..n) are NUL-terminated
 * and unquoted. error is NULL, or why the record is malformed (fields
 * then are unusable). Returns 0 to go on, -1 to stop.
 */
typedef int (*import_csv_fn)(void *ctx, unsigned long recno, char **fields, size_t n,
                             const char *error);

struct import_csv {
    struct buf rec;        /* the record's fields, each NUL-terminated */
    size_t offs[IMPORT_CSV_MAX_FIELDS]; /* where each field starts in rec */
    size_t nfields;
    size_t field_start;    /* where the current field starts in rec */
    size_t max;            /* longest record kept, in bytes */
    unsigned long recno;   /* records completed */
    int state;             /* where in a field the parser is */
    const char *error;     /* the current record is malformed */
    int bom_checked;       /* a UTF-8 byte order mark at the start was looked for */
    char bom[3];
    size_t nbom;
    char sep;              /* ',', ';' or '\t'; 0 until sniffed from the header line */
    struct buf head;       /* the header line held back while sep is 0 */
    int (*known)(void *ctx, const char *name); /* sniffing: a column name this import takes? */
    void *known_ctx;
};

/* Start with records of at most max bytes and IMPORT_CSV_MAX_FIELDS fields, sep ',', ';' or '\t'. */
void import_csv_init(struct import_csv *c, size_t max, char sep);

/*
 * Instead of a fixed separator, take it from the header line (the bytes up to the first
 * LF): see import_csv_sniff. known is asked about column names.
 */
void import_csv_sniff_header(struct import_csv *c, int (*known)(void *ctx, const char *name),
                             void *ctx);

/*
 * The separator of a header line (len bytes, no line break needed): of ',', ';' and tab the
 * first that splits it into names known() accepts (quotes around a name are removed), else
 * the one that occurs most often in it, else ','.
 */
char import_csv_sniff(const char *line, size_t len, int (*known)(void *ctx, const char *name),
                      void *ctx);

/*
 * Feed n bytes (RFC 4180: fields separated by sep, records by CRLF or LF,
 * quoted fields may hold sep, '"' as "" and line breaks; a UTF-8 BOM at
 * the start is skipped). Blank records are skipped. Returns 0 or fn's -1.
 */
int import_csv_feed(struct import_csv *c, const char *data, size_t n, import_csv_fn fn, void *ctx);

/* End of body: the last record (unterminated quote → error). Returns 0 or fn's -1. */
int import_csv_finish(struct import_csv *c, import_csv_fn fn, void *ctx);

void import_csv_release(struct import_csv *c);

#endif
