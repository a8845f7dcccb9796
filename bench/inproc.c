/*
 * inproc: the data ceiling. Calls the route handlers themselves
 * (greeting_get for a plate, or search_get for a query) with a hand-built
 * struct request and renders the response body as http.c does
 * (json_dumps), on N threads each with its own connection (db_open with
 * crmd's configuration and CRMD_* environment), for a fixed time. No HTTP.
 * Prints one line: cards (or searches) per second, latency percentiles,
 * the status mix and the average body size.
 * Worker k of n walks the inputs from line k*n_lines/n on, as the wrk scripts do.
 * Usage: inproc --db FILE --inputs FILE [--mode greeting|search] [--threads 2] [--seconds 10]
 *        [--warmup 1]
 */
#include <malloc.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "rules.h"

struct inputs {
    char **line;
    size_t n;
};

struct worker {
    pthread_t thread;
    int index;
    long count, status[4]; /* 200, 300, 404, other */
    long long bytes;
    float *lat_us; /* per request */
    size_t nlat, caplat;
};

static struct config cfg;
static struct inputs in;
static int search_mode;
static double run_seconds = 10, warmup_seconds = 1;
static int threads = 2;
static pthread_barrier_t start;

/* CPU seconds of the whole process (user + system). */
static double
cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double
now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
read_inputs(const char *path)
{
    FILE *f = fopen(path, "r");
    char buf[1024];
    size_t cap = 0;

    if (!f) {
        fprintf(stderr, "inproc: cannot read %s\n", path);
        exit(2);
    }
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!buf[0])
            continue;
        if (in.n == cap) {
            cap = cap ? cap * 2 : 1024;
            in.line = xrealloc(in.line, cap * sizeof *in.line);
        }
        in.line[in.n++] = xstrdup(buf);
    }
    fclose(f);
    if (!in.n) {
        fprintf(stderr, "inproc: %s is empty\n", path);
        exit(2);
    }
}

/* One request through the handler and the renderer, as http.c's dispatch and queue_json do. */
static int
one(struct worker *w, struct db *db, const char *input)
{
    struct request req = {0};
    struct response res = {0};
    char key[8], *text;
    json_t *body;
    int rc;

    snprintf(key, sizeof key, "%s", search_mode ? "q" : "plate");
    req.method = "GET";
    req.path = search_mode ? "/v1/search" : "/v1/greeting";
    req.query[0].key = key;
    req.query[0].value = (char *)input;
    req.nquery = 1;
    req.db = db;
    req.config = &cfg;
    snprintf(req.id, sizeof req.id, "inproc-%d", w->index);
    res.problem.request_id = req.id;
    res.status = 200;
    rc = search_mode ? search_get(&req, &res) : greeting_get(&req, &res);
    db_rollback(db);
    if (rc != 0 || res.problem.code != PROBLEM_NONE) {
        body = problem_to_json(&res.problem);
        res.status = problem_status(res.problem.code);
    } else {
        body = json_incref(res.body);
    }
    text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    w->bytes += (long long)strlen(text);
    free(text);
    json_decref(body);
    json_decref(res.body);
    free(res.location);
    problem_release(&res.problem);
    return res.status;
}

static void *
work(void *arg)
{
    struct worker *w = arg;
    struct db *db = db_open(cfg.db_path, &cfg);
    size_t first = (size_t)w->index * in.n / (size_t)threads, pos;
    double deadline;

    if (!db) {
        fprintf(stderr, "inproc: cannot open %s\n", cfg.db_path);
        exit(1);
    }
    /* warm-up, not counted: this connection's statements and caches, like the HTTP run's warm-up */
    deadline = now_s() + warmup_seconds;
    for (pos = first; now_s() < deadline; pos = (pos + 1) % in.n)
        one(w, db, in.line[pos]);
    w->bytes = 0;
    pthread_barrier_wait(&start);
    deadline = now_s() + run_seconds;
    for (pos = first;; pos = (pos + 1) % in.n) {
        double t0 = now_s(), t1;
        int status = one(w, db, in.line[pos]);
        t1 = now_s();
        w->count++;
        w->status[status == 200 ? 0 : status == 300 ? 1 : status == 404 ? 2 : 3]++;
        if (w->nlat == w->caplat) {
            w->caplat = w->caplat ? w->caplat * 2 : 65536;
            w->lat_us = xrealloc(w->lat_us, w->caplat * sizeof *w->lat_us);
        }
        w->lat_us[w->nlat++] = (float)((t1 - t0) * 1e6);
        if (t1 >= deadline)
            break;
    }
    db_close(db);
    return NULL;
}

static int
cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
    const char *db_path = NULL, *inputs = NULL;
    struct worker *w;
    long total = 0, status[4] = {0};
    long long bytes = 0;
    float *lat;
    size_t nlat = 0;
    struct rules r;
    char *fake_argv[] = {argv[0], NULL};
    double t0, secs, c0;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db"))
            db_path = argv[i + 1];
        else if (!strcmp(argv[i], "--inputs"))
            inputs = argv[i + 1];
        else if (!strcmp(argv[i], "--mode"))
            search_mode = !strcmp(argv[i + 1], "search");
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds"))
            run_seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--warmup"))
            warmup_seconds = atof(argv[i + 1]);
    }
    if (!db_path || !inputs || threads < 1) {
        fputs("usage: inproc --db FILE --inputs FILE [--mode greeting|search] [--threads 2]"
              " [--seconds 10] [--warmup 1]\n",
              stderr);
        return 2;
    }
    config_load(&cfg, 1, fake_argv); /* crmd's defaults and CRMD_* environment */
    /* the allocator settings crmd's main() uses, so both sides build cards alike */
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    cfg.db_path = db_path;
    log_set_level(LOG_WARN);
    setenv("TZ", cfg.timezone, 1);
    tzset();
    rules_defaults(&r);
    rules_install(&r);
    read_inputs(inputs);

    w = xcalloc((size_t)threads, sizeof *w);
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    for (int i = 0; i < threads; i++) {
        w[i].index = i;
        pthread_create(&w[i].thread, NULL, work, &w[i]);
    }
    pthread_barrier_wait(&start);
    t0 = now_s();
    c0 = cpu_s();
    for (int i = 0; i < threads; i++)
        pthread_join(w[i].thread, NULL);
    secs = now_s() - t0;
    c0 = cpu_s() - c0;
    for (int i = 0; i < threads; i++) {
        total += w[i].count;
        bytes += w[i].bytes;
        nlat += w[i].nlat;
        for (int k = 0; k < 4; k++)
            status[k] += w[i].status[k];
    }
    lat = xmalloc((nlat + 1) * sizeof *lat);
    nlat = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(lat + nlat, w[i].lat_us, w[i].nlat * sizeof *lat);
        nlat += w[i].nlat;
        free(w[i].lat_us);
    }
    qsort(lat, nlat, sizeof *lat, cmp_float);
    printf("inproc %s: threads %d seconds %.1f requests %ld rate %.1f cpu_us %.0f p50_us %.0f"
           " p99_us %.0f status_200 %ld status_300 %ld status_404 %ld status_other %ld"
           " avg_bytes %.0f\n",
           search_mode ? "search" : "greeting", threads, secs, total, (double)total / secs,
           total ? c0 * 1e6 / (double)total : 0.0, nlat ? lat[nlat / 2] : 0.0,
           nlat ? lat[(size_t)((double)nlat * 0.99)] : 0.0, status[0], status[1], status[2],
           status[3], total ? (double)bytes / (double)total : 0.0);
    free(lat);
    free(w);
    for (size_t i = 0; i < in.n; i++)
        free(in.line[i]);
    free(in.line);
    return 0;
}
