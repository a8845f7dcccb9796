/*
 * gen: writes the benchmark database (1,000,000 customers, 1,500,000
 * vehicles, 400,000 households, 5,000,000 touchpoints at --scale 1) with
 * the server's own schema (db_open, db_migrate) and the server's own
 * normalisers for every derived value (plate_normalized, E.164 phones,
 * e-mail keys, customer_keys, external_refs, and the search index through
 * store_search_backfill), in large transactions with the secondary
 * indexes built once at the end. Also writes the desk inputs the bench
 * replays: plates in mixed spellings and search queries. Deterministic
 * for a given --scale and --seed. Usage: gen --help.
 */
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "datetime.h"
#include "db.h"
#include "gen.h"
#include "log.h"
#include "normalize.h"
#include "store.h"
#include "util.h"

#define FLEET_MIN 5
#define FLEET_MAX 2000
#define DAY 86400L

/* ---- randomness ---- */

uint64_t
gen_rnd(struct gen *g)
{
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double
gen_rndf(struct gen *g)
{
    return (double)(gen_rnd(g) >> 11) / 9007199254740992.0;
}

long
gen_rndn(struct gen *g, long n)
{
    return n > 0 ? (long)(gen_rnd(g) % (uint64_t)n) : 0;
}

int
gen_chance(struct gen *g, double p)
{
    return gen_rndf(g) < p;
}

/* Index of a weighted choice among n weights (stride bytes apart). */
static size_t
weighted(struct gen *g, const void *base, size_t n, size_t stride, size_t offset)
{
    unsigned long total = 0, r;
    const char *p = base;

    for (size_t i = 0; i < n; i++)
        total += *(const unsigned *)(const void *)(p + i * stride + offset);
    r = (unsigned long)gen_rndn(g, (long)total);
    for (size_t i = 0; i < n; i++) {
        unsigned w = *(const unsigned *)(const void *)(p + i * stride + offset);
        if (r < w)
            return i;
        r -= w;
    }
    return n - 1;
}

const char *
gen_pick(struct gen *g, const struct gen_word *w, size_t n)
{
    return w[weighted(g, w, n, sizeof *w, offsetof(struct gen_word, weight))].text;
}

size_t
gen_pick_city(struct gen *g)
{
    return weighted(g, gen_cities, gen_ncities, sizeof gen_cities[0],
                    offsetof(struct gen_city, weight));
}

const struct gen_car *
gen_pick_car(struct gen *g, const struct gen_car *cars, size_t n)
{
    return &cars[weighted(g, cars, n, sizeof cars[0], offsetof(struct gen_car, weight))];
}

/* A version 4 UUID from the generator's stream (the API's are random too). */
void
gen_uuid(struct gen *g, char out[UTIL_UUID_LEN + 1])
{
    uint64_t a = gen_rnd(g), b = gen_rnd(g);
    snprintf(out, UTIL_UUID_LEN + 1, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffull));
}

/* ---- dates ---- */

void
gen_time(struct gen *g, long day, char out[UTIL_TIME_LEN + 1])
{
    long office = gen_rndn(g, 11 * 3600), back = gen_rndn(g, 3600);
    time_t t = (time_t)day * DAY + 6 * 3600 + office;
    if (t > g->now)
        t = g->now - back;
    util_format_time(t, out);
}

long
gen_past_day(struct gen *g, double years)
{
    double u = gen_rndf(g);
    return g->today - (long)(u * u * years * 365.25);
}

/* ---- SQL ---- */

void
gen_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

void
gen_exec(struct gen *g, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(g->sql, sql, NULL, NULL, &err) != SQLITE_OK)
        gen_die("%s: %s", sql, err);
}

sqlite3_stmt *
gen_prepare(struct gen *g, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(g->sql, sql, -1, &st, NULL) != SQLITE_OK)
        gen_die("prepare %s: %s", sql, sqlite3_errmsg(g->sql));
    return st;
}

void
gen_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void
gen_step(struct gen *g, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        gen_die("insert: %s (%s)", sqlite3_errmsg(g->sql), sqlite3_sql(st));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    g->rows++;
    if (++g->pending >= 250000) {
        gen_exec(g, "COMMIT; BEGIN");
        g->pending = 0;
    }
}

/* ---- text ---- */

void
gen_json_str(struct buf *b, const char *s)
{
    buf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            buf_puts(b, "\\");
        buf_append(b, s, 1);
    }
    buf_puts(b, "\"");
}

void
gen_ascii(const char *in, int lower, char *out, size_t outsz)
{
    static const struct {
        const char *from, *to;
    } map[] = {
        {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "Ae"}, {"Ö", "Oe"}, {"Ü", "Ue"},
        {"ß", "ss"}, {"ı", "i"},  {"ş", "s"},  {"Ş", "S"},  {"ç", "c"},  {"Ç", "C"},
        {"ś", "s"},  {"ł", "l"},  {"Ł", "L"},  {"ć", "c"},  {"é", "e"},  {"ó", "o"},
    };
    size_t n = 0, k, nmap = sizeof map / sizeof map[0];

    while (*in && n + 3 < outsz) {
        for (k = 0; k < nmap; k++)
            if (!strncmp(in, map[k].from, strlen(map[k].from)))
                break;
        if (k < nmap) {
            for (const char *t = map[k].to; *t; t++)
                out[n++] = lower && *t >= 'A' && *t <= 'Z' ? (char)(*t + 32) : *t;
            in += strlen(map[k].from);
        } else if ((unsigned char)*in >= 0x80) {
            in++; /* other non-ASCII bytes dropped */
        } else {
            char c = *in++;
            if (lower && (c == ' ' || c == '\'' || c == '-'))
                continue;
            out[n++] = lower && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
        }
    }
    out[n] = '\0';
}

/* ---- main ---- */

/*
 * Write the lines of text (freed here) to path in a random order: the
 * bench clients walk the file from the start, so any stretch of it has
 * the mix of the whole (vehicles are generated fleet by fleet).
 */
static void
write_shuffled(struct gen *g, char *text, const char *path)
{
    size_t n = 0, cap = 1024;
    char **line = xmalloc(cap * sizeof *line), *save = NULL, tmp[4200];
    FILE *f;

    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (n == cap)
            line = xrealloc(line, (cap *= 2) * sizeof *line);
        line[n++] = l;
    }
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)gen_rndn(g, (long)i);
        char *t = line[i - 1];
        line[i - 1] = line[j];
        line[j] = t;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "w")))
        gen_die("cannot write %s", tmp);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", line[i]);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        gen_die("cannot write %s", path);
    printf("gen: %zu desk inputs in %s\n", n, path);
    free(line);
    free(text);
}

static void
usage(void)
{
    puts("usage: gen --db FILE [--scale S] [--seed N] [--plates FILE] [--queries FILE] [--verify "
         "N]\n"
         "Writes a benchmark database: at scale 1 1,000,000 customers, 1,500,000 vehicles,\n"
         "400,000 households, 5,000,000 touchpoints (scale 0.01 = one hundredth).\n"
         "FILE is written as FILE.tmp and renamed when complete.");
}

int
main(int argc, char **argv)
{
    struct gen g = {0};
    struct config cfg = {0};
    const char *out = NULL, *plates = NULL, *queries = NULL;
    double scale = 0.01;
    int verify = 200;
    uint64_t seed = 20261123;
    char tmp[4096], *plate_text = NULL, *query_text = NULL;
    size_t plate_len = 0, query_len = 0;
    struct db *db;
    struct timespec t0, t1;
    double secs;
    long bad;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help")) {
            usage();
            return 0;
        }
        if (!v) {
            usage();
            return 2;
        }
        if (!strcmp(a, "--db"))
            out = v;
        else if (!strcmp(a, "--scale"))
            scale = atof(v);
        else if (!strcmp(a, "--seed"))
            seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--plates"))
            plates = v;
        else if (!strcmp(a, "--queries"))
            queries = v;
        else if (!strcmp(a, "--verify"))
            verify = atoi(v);
        else {
            usage();
            return 2;
        }
        i++;
    }
    if (!out || scale <= 0 || scale > 10) {
        usage();
        return 2;
    }
    log_set_level(LOG_WARN);
    g.rng = seed;
    g.now = util_now();
    g.today = (long)(g.now / DAY);
    g.ncust = lround(1000000 * scale);
    g.nveh = lround(1500000 * scale);
    g.nhh = lround(400000 * scale);
    g.ntp = lround(5000000 * scale);
    if (g.ncust < 200)
        gen_die("--scale %g is too small (at least 200 customers)", scale);

    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    for (const char *sfx = ""; sfx; sfx = !*sfx ? "-wal" : !strcmp(sfx, "-wal") ? "-shm" : NULL) {
        char f[4200];
        snprintf(f, sizeof f, "%s%s", tmp, sfx);
        unlink(f);
    }
    cfg.synchronous = "OFF";
    cfg.busy_timeout_ms = 5000;
    db = db_open(tmp, &cfg);
    if (!db || db_migrate(db) < 0)
        gen_die("cannot create %s", tmp);
    g.db = db;
    g.sql = db_handle(db);
    {
        char pragma[128];
        long cache_kib = 65536 + (long)(scale * 3000000);
        snprintf(pragma, sizeof pragma,
                 "PRAGMA journal_mode=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-%ld",
                 cache_kib);
        gen_exec(&g, pragma);
    }
    if (plates)
        g.plates_out = open_memstream(&plate_text, &plate_len);
    if (queries)
        g.queries_out = open_memstream(&query_text, &query_len);

    printf("gen: scale %g: %ld customers, %ld vehicles, %ld households, %ld touchpoints -> %s\n",
           scale, g.ncust, g.nveh, g.nhh, g.ntp, out);
    fflush(stdout);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gen_rows(&g);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("gen: %ld rows in %.1f s (%.0f rows/s, search index and secondary indexes included)\n",
           g.rows, secs, (double)g.rows / secs);
    bad = verify > 0 ? gen_verify(&g, verify) : 0;
    gen_exec(&g, "PRAGMA journal_mode=WAL");
    db_close(db);
    if (g.plates_out) {
        fclose(g.plates_out);
        write_shuffled(&g, plate_text, plates);
    }
    if (g.queries_out) {
        fclose(g.queries_out);
        write_shuffled(&g, query_text, queries);
    }
    if (bad) {
        fprintf(stderr,
                "gen: %ld mismatches with what the API would write; keeping %s for a look\n", bad,
                tmp);
        return 1;
    }
    if (rename(tmp, out) != 0)
        gen_die("cannot rename %s to %s", tmp, out);
    return 0;
}
