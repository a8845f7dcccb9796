/*
 * import: POST /v1/import. The body streams in (route sink): NDJSON
 * lines or CSV rows are parsed as they arrive, checked for type and
 * identity (a record once per request) and spooled to one temporary
 * file per type ($TMPDIR, else /tmp), so memory holds one line, not the
 * body. The handler then applies the spools in dependency order
 * (customers, households, vehicles, memberships, company roles,
 * touchpoints: references to lines later in the body resolve), each line
 * in its own savepoint, and answers with a per-line report; a full disk
 * or a busy database fails the request, not the line. import_apply.c
 * writes the lines. The apply phase runs on the job thread (request_job),
 * not on a worker.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "import.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "diskspace.h"
#include "handlers.h"
#include "import_parse.h"
#include "import_report.h"
#include "import_text.h"
#include "log.h"
#include "store.h"
#include "telemetry.h"
#include "util.h"

#define IMPORT_BATCH 10000 /* lines per transaction by default: other writers get turns */
#define IMPORT_TRIM_LINES 10000 /* an import this long gives its memory back (malloc_trim) */

struct import {
    int csv, atomic;
    size_t max_record; /* longest NDJSON line or CSV record (--max-body) */
    enum import_type csv_type;
    struct import_lines lines;
    struct import_csv csvp;
    struct import_text text;           /* the CSV body's charset → UTF-8 */
    char *cols[IMPORT_CSV_MAX_FIELDS]; /* the CSV header */
    size_t ncols;
    struct import_csv_head head;       /* cols as import_csv_row reads them */
    FILE *spool[IMPORT_NTYPES];
    /* identities seen: 64-bit hashes (open addressing, 0 = empty) and their lines, in one
     * mapping of seen_cap slots (seen_map): the one part that grows with the body */
    uint64_t *seen;
    uint32_t *seen_line; /* saturates at UINT32_MAX: 4 bytes, not 8, per slot */
    size_t seen_cap, nseen;
    struct import_report report; /* bounded: see import_report.h */
    unsigned long nlines;
    unsigned long counted[IMPORT_NOUTCOMES]; /* of report.counts, what the metrics have (count_lines) */
    const char *request_id;
    struct problem *fatal; /* the request's problem: a failure that stops the feed */
    unsigned long batches; /* batches committed so far (not atomic) */
    struct import_refs refs; /* resolved in the current batch (import_refs.c) */
};

/* ---- the report ---- */

/*
 * Add the outcomes since the last call to crmd_import_lines_total: after a
 * commit (the lines stand as reported), or, errors_only, when an atomic
 * import is rejected (its other lines were rolled back).
 */
static void
count_lines(struct import *im, int errors_only)
{
    _Static_assert((int)IMPORT_CREATED == (int)TELEMETRY_IMPORT_CREATED &&
                       (int)IMPORT_ERROR == (int)TELEMETRY_IMPORT_ERROR &&
                       (int)IMPORT_NOUTCOMES == (int)TELEMETRY_NIMPORT,
                   "import outcomes and their metrics in the same order");
    for (int k = 0; k < IMPORT_NOUTCOMES; k++) {
        if (errors_only && k != IMPORT_ERROR)
            continue;
        telemetry_import_lines((enum telemetry_import)k, im->report.counts[k] - im->counted[k]);
        im->counted[k] = im->report.counts[k];
    }
}

static json_t *
report_totals(const struct import *im)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "lines", (json_int_t)im->nlines, "created",
                     (json_int_t)im->report.counts[IMPORT_CREATED], "updated",
                     (json_int_t)im->report.counts[IMPORT_UPDATED], "unchanged",
                     (json_int_t)im->report.counts[IMPORT_UNCHANGED], "errors",
                     (json_int_t)im->report.counts[IMPORT_ERROR]);
}

/* ---- spooling: identity check, then one temporary file per type ---- */

static uint64_t
hash_key(int type, const char *key)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)type;

    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211ull;
    h ^= h >> 29;
    return h ? h : 1;
}

#define SEEN_SLOT (sizeof(uint64_t) + sizeof(uint32_t))

/*
 * cap zeroed slots, mapped on their own: freeing them gives the memory back to the system at
 * once, where glibc keeps a large block that a worker thread freed in that thread's arena.
 */
static uint64_t *
seen_map(size_t cap)
{
    void *m = mmap(NULL, cap * SEEN_SLOT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);

    if (m == MAP_FAILED) {
        log_error("import: out of memory for %zu identities", cap / 2);
        abort();
    }
    return m;
}

static void
seen_unmap(uint64_t *keys, size_t cap)
{
    if (keys)
        munmap(keys, cap * SEEN_SLOT);
}

/* 0 if the identity is new (remembered), else the line that had it. */
static unsigned long
seen_before(struct import *im, uint64_t h, unsigned long line)
{
    size_t i;

    if (2 * (im->nseen + 1) > im->seen_cap) {
        size_t cap = im->seen_cap ? im->seen_cap * 2 : 1024;
        uint64_t *keys = seen_map(cap);
        uint32_t *lines = (uint32_t *)(keys + cap);
        for (i = 0; i < im->seen_cap; i++) {
            size_t j;
            if (!im->seen[i])
                continue;
            for (j = im->seen[i] & (cap - 1); keys[j]; j = (j + 1) & (cap - 1))
                ;
            keys[j] = im->seen[i];
            lines[j] = im->seen_line[i];
        }
        seen_unmap(im->seen, im->seen_cap);
        im->seen = keys;
        im->seen_line = lines;
        im->seen_cap = cap;
    }
    for (i = h & (im->seen_cap - 1); im->seen[i]; i = (i + 1) & (im->seen_cap - 1))
        if (im->seen[i] == h)
            return im->seen_line[i];
    im->seen[i] = h;
    im->seen_line[i] = line < UINT32_MAX ? (uint32_t)line : UINT32_MAX;
    im->nseen++;
    return 0;
}

/* Where spool files go: $TMPDIR as POSIX has it, else /tmp. */
static const char *
spool_dir(void)
{
    const char *d = getenv("TMPDIR");
    return d && d[0] == '/' ? d : "/tmp";
}

/* A new spool file in spool_dir(), unlinked at once (gone with the last close), or NULL. */
static FILE *
spool_open(void)
{
    char path[4096];
    FILE *f;
    int fd;

    if ((size_t)snprintf(path, sizeof path, "%s/crmd-import-XXXXXX", spool_dir()) >= sizeof path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    if ((fd = mkstemp(path)) < 0)
        return NULL;
    unlink(path);
    if (!(f = fdopen(fd, "w+")))
        close(fd);
    return f;
}

/* The spool could not be written, for what: 507 when its disk is full. */
static int
spool_failed(struct import *im, const char *what)
{
    int e = errno;

    if (diskspace_errno_full(e) || diskspace_low(spool_dir())) {
        log_error("import: cannot %s the temporary file in %s: %s", what, spool_dir(),
                  strerror(e));
        problem_set(im->fatal, PROBLEM_INSUFFICIENT_STORAGE,
                    "the import does not fit: the disk of the server's temporary directory is "
                    "full; nothing was written; retry when the operator has freed space");
    } else {
        problem_internal(im->fatal, "import: cannot %s the temporary file: %s", what, strerror(e));
    }
    return -1;
}

static int
spool_write(struct import *im, enum import_type t, unsigned long line, const char *text, size_t len)
{
    uint64_t head[2] = { line, len };

    if (!im->spool[t] && !(im->spool[t] = spool_open()))
        return spool_failed(im, "create");
    if (fwrite(head, sizeof head, 1, im->spool[t]) != 1 ||
        fwrite(text, 1, len, im->spool[t]) != len)
        return spool_failed(im, "write");
    return 0;
}

/* A parsed line: its type and identity are checked here, the rest when it is applied. */
static int
spool_object(struct import *im, unsigned long line, const json_t *o, const char *text, size_t len)
{
    struct problem sub = { .request_id = im->request_id };
    const char *name = json_string_value(json_object_get(o, "type"));
    int t = name ? import_type_of(name) : -1;
    char key[IMPORT_KEY_MAX];
    unsigned long first;

    if (t < 0) {
        problem_set(&sub, PROBLEM_VALIDATION, "the line has no known type");
        problem_add_field(&sub, "type", "must be one of customer, household, vehicle, membership, "
                                        "company_person, touchpoint");
        import_report_error(&im->report, line, -1, &sub);
        return 0;
    }
    if (import_line_key((enum import_type)t, o, key, sizeof key, &sub) != 0) {
        import_report_error(&im->report, line, t, &sub);
        return 0;
    }
    if ((first = seen_before(im, hash_key(t, key), line)) != 0) {
        problem_set(&sub, PROBLEM_CONFLICT,
                    "line %lu already has this %s (%.300s); send each record once per import",
                    first, name, key);
        import_report_error(&im->report, line, t, &sub);
        return 0;
    }
    return spool_write(im, (enum import_type)t, line, text, len);
}

static int
on_line(void *ctx, unsigned long lineno, const char *text, size_t len, int too_long)
{
    struct import *im = ctx;
    struct problem sub = { .request_id = im->request_id };
    json_t *o;
    int rc;

    if (len == 0 && !too_long)
        return 0; /* blank lines are allowed and not counted */
    im->nlines++;
    if (too_long) {
        problem_set(&sub, PROBLEM_TOO_LARGE, "the line is longer than %zu bytes (--max-body)",
                    im->lines.max);
        import_report_error(&im->report, lineno, -1, &sub);
        return 0;
    }
    if (!(o = jsonx_parse_object(text, len, &sub))) {
        import_report_error(&im->report, lineno, -1, &sub);
        return 0;
    }
    rc = spool_object(im, lineno, o, text, len);
    json_decref(o);
    return rc;
}

static int
on_record(void *ctx, unsigned long recno, char **fields, size_t n, const char *error)
{
    struct import *im = ctx;
    struct problem sub = { .request_id = im->request_id };
    json_t *o;
    char *text;
    int rc;

    if (im->ncols == 0) {
        /* the header (the first record): a wrong column fails the whole request */
        if (error || n == 0) {
            problem_set(im->fatal, PROBLEM_BAD_REQUEST, "CSV row %lu, the header, is malformed: %s",
                        recno, error ? error : "empty");
            return -1;
        }
        if (import_csv_header(im->csv_type, fields, n, im->fatal) != 0)
            return -1;
        for (size_t i = 0; i < n; i++)
            im->cols[i] = xstrdup(fields[i]);
        im->ncols = n;
        im->head = (struct import_csv_head){ im->csv_type, im->cols, n, im->csvp.sep };
        if (im->text.detected)
            log_info("import: the CSV body is not UTF-8, read as %s", im->text.detected);
        return 0;
    }
    im->nlines++;
    if (error) {
        problem_set(&sub, PROBLEM_BAD_REQUEST, "CSV row %lu: %s", recno, error);
        import_report_error(&im->report, recno, (int)im->csv_type, &sub);
        return 0;
    }
    if (!(o = import_csv_row(&im->head, recno, fields, n, &sub))) {
        import_report_error(&im->report, recno, (int)im->csv_type, &sub);
        return 0;
    }
    text = json_dumps(o, JSON_COMPACT);
    rc = spool_object(im, recno, o, text, strlen(text));
    free(text);
    json_decref(o);
    return rc;
}

/* ---- the sink: open, feed, close ---- */

/* Decoded CSV bytes (UTF-8) to the CSV parser. */
static int
on_text(void *ctx, const char *data, size_t n)
{
    struct import *im = ctx;
    return import_csv_feed(&im->csvp, data, n, on_record, im);
}

/* A CSV column name the import's type takes (sniffing the separator). */
static int
column_known(void *ctx, const char *name)
{
    struct import *im = ctx;
    return import_csv_column_ok(im->csv_type, name);
}

/*
 * The value of the media-type parameter name in ct (quotes removed) into out, or "" when
 * absent. Returns 0, or -1 when it is longer than outsz - 1.
 */
static int
media_param(const char *ct, const char *name, char *out, size_t outsz)
{
    size_t nlen = strlen(name);
    const char *s = ct ? strchr(ct, ';') : NULL;

    out[0] = '\0';
    while (s) {
        const char *v, *end;
        s++;
        while (*s == ' ' || *s == '\t')
            s++;
        if (strncasecmp(s, name, nlen) != 0 || s[nlen] != '=') {
            s = strchr(s, ';');
            continue;
        }
        v = s + nlen + 1;
        if (*v == '"')
            end = strchr(++v, '"');
        else
            for (end = v; *end && *end != ';' && *end != ' ' && *end != '\t'; end++)
                ;
        if (!end || (size_t)(end - v) >= outsz)
            return -1;
        memcpy(out, v, (size_t)(end - v));
        out[end - v] = '\0';
        return 0;
    }
    return 0;
}

/* charset and delimiter of a text/csv body. Returns 0 or -1 (415). */
static int
csv_dialect(const char *ct, struct import *im, struct problem *p)
{
    char charset[32], delim[16];
    char sep = 0;

    if (media_param(ct, "charset", charset, sizeof charset) != 0 ||
        import_text_init(&im->text, charset[0] ? charset : NULL) != 0) {
        problem_set(p, PROBLEM_UNSUPPORTED_MEDIA,
                    "the CSV charset '%.31s' is not one this import reads: utf-8, windows-1252 "
                    "(cp1252), iso-8859-1 or iso-8859-15",
                    charset);
        return -1;
    }
    if (media_param(ct, "delimiter", delim, sizeof delim) != 0)
        delim[0] = '?';
    if (!strcasecmp(delim, "comma") || !strcmp(delim, ","))
        sep = ',';
    else if (!strcasecmp(delim, "semicolon") || !strcmp(delim, ";"))
        sep = ';';
    else if (!strcasecmp(delim, "tab"))
        sep = '\t';
    else if (delim[0]) {
        problem_set(p, PROBLEM_UNSUPPORTED_MEDIA,
                    "the CSV delimiter '%.15s' is not one this import reads: comma, semicolon or "
                    "tab (or leave it out: the header row tells)",
                    delim);
        return -1;
    }
    import_csv_init(&im->csvp, im->max_record, sep);
    if (!sep)
        import_csv_sniff_header(&im->csvp, column_known, im);
    return 0;
}

/* Media type without parameters equals want (case-insensitive)? */
static int
media_type_is(const char *ct, const char *want)
{
    size_t n = strlen(want);
    if (!ct || strncasecmp(ct, want, n) != 0)
        return 0;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

static int
read_options(struct request *req, struct import *im, struct problem *p)
{
    static const char *const allowed[] = { "atomic", "report", "type", NULL };
    const char *report = request_query(req, "report"), *type = request_query(req, "type");

    if (request_check_query(req, allowed, p) != 0 ||
        request_query_bool(req, "atomic", 0, &im->atomic, p) != 0)
        return -1;
    if (report && strcmp(report, "full") && strcmp(report, "errors")) {
        problem_set(p, PROBLEM_BAD_REQUEST, "query parameter 'report' must be full or errors");
        return -1;
    }
    im->report.errors_only = report && !strcmp(report, "errors");
    if (!im->csv && type) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'type' is for text/csv only; NDJSON lines carry their type");
        return -1;
    }
    if (im->csv && (!type || (strcmp(type, "customer") && strcmp(type, "vehicle") &&
                              strcmp(type, "touchpoint")))) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'type' is required with text/csv: customer, vehicle or "
                    "touchpoint");
        return -1;
    }
    im->csv_type = !im->csv                   ? IMPORT_CUSTOMER
                   : !strcmp(type, "vehicle") ? IMPORT_VEHICLE
                   : !strcmp(type, "touchpoint") ? IMPORT_TOUCHPOINT
                                                 : IMPORT_CUSTOMER;
    return 0;
}

static int
import_open(struct request *req, struct response *res)
{
    struct import *im = xcalloc(1, sizeof *im);
    struct problem *p = &res->problem;

    req->sink_state = im;
    im->request_id = req->id;
    im->fatal = p;
    im->max_record = req->config->max_body;
    import_text_init(&im->text, "utf-8");
    import_csv_init(&im->csvp, im->max_record, ',');
    im->csv = media_type_is(req->content_type, "text/csv");
    if (!im->csv && !media_type_is(req->content_type, "application/x-ndjson")) {
        problem_set(p, PROBLEM_UNSUPPORTED_MEDIA,
                    "the body must be sent as application/x-ndjson (one JSON object per line) or "
                    "text/csv (customers, vehicles or touchpoints)");
        return -1;
    }
    if (read_options(req, im, p) != 0 || (im->csv && csv_dialect(req->content_type, im, p) != 0))
        return -1;
    if (!im->csv) {
        char charset[32];
        if (media_param(req->content_type, "charset", charset, sizeof charset) != 0 ||
            (charset[0] && strcasecmp(charset, "utf-8") && strcasecmp(charset, "us-ascii"))) {
            problem_set(p, PROBLEM_UNSUPPORTED_MEDIA,
                        "NDJSON is UTF-8 (RFC 8259): charset must be utf-8 or left out; other "
                        "charsets are for text/csv");
            return -1;
        }
    }
    import_lines_init(&im->lines, req->config->max_body);
    return 0;
}

static int
import_feed(struct request *req, struct response *res, const char *data, size_t len)
{
    struct import *im = req->sink_state;
    (void)res;

    return im->csv ? import_text_feed(&im->text, data, len, on_text, im)
                   : import_lines_feed(&im->lines, data, len, on_line, im);
}

static void
import_close(struct request *req)
{
    struct import *im = req->sink_state;
    int large;

    if (!im)
        return;
    import_lines_release(&im->lines);
    import_csv_release(&im->csvp);
    import_text_release(&im->text);
    for (size_t i = 0; i < im->ncols; i++)
        free(im->cols[i]);
    for (int t = 0; t < IMPORT_NTYPES; t++)
        if (im->spool[t])
            fclose(im->spool[t]);
    import_report_release(&im->report);
    seen_unmap(im->seen, im->seen_cap);
    import_refs_release(&im->refs);
    large = im->nlines >= IMPORT_TRIM_LINES;
    free(im);
    req->sink_state = NULL;
    /* glibc keeps what a large import freed (the identities seen, the outcomes, the report's
     * JSON, the arenas of the worker and job threads) mapped for good; the answer has been
     * sent, so hand it back to the system now (a few milliseconds, once per large import) */
    if (large)
        malloc_trim(0);
}

const struct route_sink import_sink = { import_post, import_open, import_feed, import_close };

/* ---- applying the spools ---- */

/* Apply one spooled line in its own savepoint. Returns 0, or -1 when the transaction is lost. */
static int
apply_line(struct db *db, struct import *im, enum import_type t, unsigned long line,
           const char *text, size_t len)
{
    struct problem sub = { .request_id = im->request_id };
    char id[UTIL_UUID_LEN + 1];
    enum resource_outcome outcome;
    json_t *o = jsonx_parse_object(text, len, &sub);
    int rc = -1;

    if (o && store_line_begin(db, im->fatal) != 0) {
        json_decref(o);
        return -1;
    }
    if (o) {
        rc = import_apply(db, &im->refs, t, o, &outcome, id, &sub);
        json_decref(o);
        if (store_line_end(db, rc == 0, im->fatal) != 0) {
            problem_release(&sub);
            return -1;
        }
    }
    if (rc != 0 && (sub.code == PROBLEM_INSUFFICIENT_STORAGE || sub.code == PROBLEM_UNAVAILABLE)) {
        /* not the line's fault: a full disk (or a busy database) fails the whole request */
        problem_set(im->fatal, sub.code, "the import stopped at line %lu: %s; %s", line, sub.detail,
                    im->batches ? "the lines of the batches committed before stay written "
                                  "(sent again, they come back unchanged)"
                                : "nothing of the import was written");
        problem_release(&sub);
        return -1;
    }
    if (rc == 0)
        import_report_ok(&im->report, line, (int)t, (int)outcome, id);
    else
        import_report_error(&im->report, line, (int)t, &sub);
    return 0;
}

/* The server stops during the apply phase: 503, and what stays written. Returns -1. */
static int
stopped(struct import *im, unsigned long line)
{
    problem_set(im->fatal, PROBLEM_UNAVAILABLE,
                "the server is stopping: the import ended before line %lu; %s; send it again "
                "after the restart (applied lines come back unchanged)",
                line, im->batches ? "lines of the batches committed before stay written"
                                  : "nothing was written");
    return -1;
}

static int
apply_spool(struct db *db, struct import *im, enum import_type t, int *batch)
{
    FILE *f = im->spool[t];
    char *text = NULL;
    size_t cap = 0;
    uint64_t head[2];
    int rc = 0;

    if (!f)
        return 0;
    /* rewind() would flush too, but forget a failed flush: lines would go missing unreported */
    if (fflush(f) != 0)
        return spool_failed(im, "write");
    rewind(f);
    while (rc == 0 && fread(head, sizeof head, 1, f) == 1) {
        if (request_stopping()) {
            rc = stopped(im, (unsigned long)head[0]);
            break;
        }
        if (cap < head[1] + 1)
            text = xrealloc(text, cap = head[1] + 1);
        if (fread(text, 1, head[1], f) != head[1]) {
            problem_internal(im->fatal, "import: the temporary file is short");
            rc = -1;
            break;
        }
        if (!im->atomic && ++*batch > IMPORT_BATCH) {
            /* commit what is done: other writers get the lock between batches */
            if (store_commit(db, im->fatal) != 0) {
                rc = -1;
                break;
            }
            count_lines(im, 0);
            if (store_begin_write(db, im->fatal) != 0) {
                rc = -1;
                break;
            }
            im->batches++;
            *batch = 1;
            import_refs_forget(&im->refs); /* other writers had their turn */
        }
        rc = apply_line(db, im, t, (unsigned long)head[0], text, (size_t)head[1]);
    }
    free(text);
    return rc;
}

/* The apply phase of POST /v1/import, on the job thread: the spools in order, then the report. */
static int
import_run(struct request *req, struct response *res)
{
    struct import *im = req->sink_state;
    struct problem *p = &res->problem;
    int batch = 0, failed, rc;

    store_import_session(req->db, 1);
    rc = store_begin_write(req->db, p);
    for (int t = 0; rc == 0 && t < IMPORT_NTYPES; t++)
        rc = apply_spool(req->db, im, (enum import_type)t, &batch);
    failed = im->atomic && im->report.counts[IMPORT_ERROR] > 0;
    if (rc != 0 || failed)
        store_rollback(req->db);
    else if ((rc = store_commit(req->db, p)) == 0)
        count_lines(im, 0);
    if (failed && rc == 0)
        count_lines(im, 1);
    store_import_session(req->db, 0);
    if (rc != 0)
        return -1;
    if (failed) {
        problem_set(p, PROBLEM_IMPORT_REJECTED,
                    "%lu of %lu lines have errors; with atomic=true nothing was written",
                    im->report.counts[IMPORT_ERROR], im->nlines);
        problem_set_extra(p, "totals", report_totals(im));
        problem_set_extra(p, "errors_truncated", json_boolean(import_report_truncated(&im->report)));
        problem_set_extra(p, "error_counts", import_report_error_counts(&im->report));
        problem_set_extra(p, "items", import_report_items(&im->report));
        return -1;
    }
    return response_json(
        res, 200,
        json_pack("{s:b, s:o, s:b, s:o, s:o}", "atomic", im->atomic, "totals", report_totals(im),
                  "errors_truncated", import_report_truncated(&im->report), "error_counts",
                  import_report_error_counts(&im->report), "items",
                  import_report_items(&im->report)));
}

/* POST /v1/import (the body arrived through import_sink): the rest of it, then the job. */
HANDLER(import_post)
{
    struct import *im = req->sink_state;
    (void)res; /* a failure of the last line's parse is in im->fatal, the request's problem */

    if ((im->csv ? import_text_finish(&im->text, on_text, im) ||
                       import_csv_finish(&im->csvp, on_record, im)
                 : import_lines_finish(&im->lines, on_line, im)) != 0)
        return -1;
    return request_job(req, import_run);
}
