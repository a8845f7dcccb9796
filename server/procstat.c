/*
 * procstat: process_* figures from /proc/self/stat, /proc/stat (boot
 * time), /proc/self/fd and getrlimit, rendered the way the Prometheus
 * client libraries do (client_golang's process collector), so dashboards
 * made for them work. See procstat.h.
 */
#include "procstat.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Fields of /proc/self/stat counted from the state (field 3 of proc(5)) as 0. */
enum { STAT_UTIME = 11, STAT_STIME = 12, STAT_STARTTIME = 19, STAT_VSIZE = 20, STAT_RSS = 21 };

void
procstat_init(struct procstat *ps)
{
    *ps = (struct procstat){-1, -1, -1, -1, -1, -1};
}

int
procstat_parse_stat(const char *text, long ticks, long page, long long btime, struct procstat *ps)
{
    const char *p = strrchr(text, ')'); /* the name may hold ")": the last one ends it */
    long long v[STAT_RSS + 1];
    char *end;

    if (!p || ticks <= 0 || page <= 0)
        return -1;
    p++;
    while (*p == ' ')
        p++;
    if (*p < 'A' || *p > 'z')
        return -1; /* the state letter */
    p++;
    for (int i = 1; i <= STAT_RSS; i++) {
        /* some fields are signed (tpgid is -1 without a terminal) */
        if (p[0] != ' ' || (p[1] != '-' && (p[1] < '0' || p[1] > '9')))
            return -1;
        v[i] = strtoll(p + 1, &end, 10);
        if (end == p + 1)
            return -1;
        p = end;
    }
    if (v[STAT_UTIME] < 0 || v[STAT_STIME] < 0 || v[STAT_STARTTIME] < 0 || v[STAT_VSIZE] < 0 ||
        v[STAT_RSS] < 0)
        return -1;
    ps->cpu_seconds = (double)(v[STAT_UTIME] + v[STAT_STIME]) / (double)ticks;
    ps->virtual_bytes = v[STAT_VSIZE];
    ps->resident_bytes = v[STAT_RSS] * page;
    ps->start_time = btime < 0 ? -1 : (double)btime + (double)v[STAT_STARTTIME] / (double)ticks;
    return 0;
}

int
procstat_parse_btime(const char *text, long long *btime)
{
    for (const char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        char *end;
        long long v;

        if (strncmp(l, "btime ", 6) != 0)
            continue;
        v = strtoll(l + 6, &end, 10);
        if (end == l + 6 || (*end != '\n' && *end != '\0') || v < 0)
            return -1;
        *btime = v;
        return 0;
    }
    return -1;
}

/* The boot time from /proc/stat (line by line: its "intr" line can be long), or -1. */
static long long
boot_time(void)
{
    FILE *f = fopen("/proc/stat", "re");
    long long btime = -1;
    char *line = NULL;
    size_t cap = 0;

    if (!f)
        return -1;
    while (getline(&line, &cap, f) > 0)
        if (procstat_parse_btime(line, &btime) == 0)
            break;
    free(line);
    fclose(f);
    return btime;
}

static void
read_stat(struct procstat *ps)
{
    FILE *f = fopen("/proc/self/stat", "re");
    char text[1024];
    size_t n;

    if (!f)
        return;
    n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    procstat_parse_stat(text, sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE), boot_time(), ps);
}

/* Entries of /proc/self/fd but the one opendir itself holds, or -1. */
static long long
open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    long long n = 0;
    struct dirent *e;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1;
}

void
procstat_read(struct procstat *ps)
{
    struct rlimit rl;

    procstat_init(ps);
    read_stat(ps);
    ps->open_fds = open_fds();
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        ps->max_fds = (long long)rl.rlim_cur;
}

static void
figure(struct buf *out, const char *name, const char *type, const char *help, double v)
{
    if (v < 0)
        return;
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s %.15g\n", name, help, name, type, name, v);
}

void
procstat_render(const struct procstat *ps, struct buf *out)
{
    figure(out, "process_cpu_seconds_total", "counter",
           "Total user and system CPU time spent in seconds.", ps->cpu_seconds);
    figure(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
           (double)ps->resident_bytes);
    figure(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
           (double)ps->virtual_bytes);
    figure(out, "process_open_fds", "gauge", "Number of open file descriptors.",
           (double)ps->open_fds);
    figure(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
           (double)ps->max_fds);
    figure(out, "process_start_time_seconds", "gauge",
           "Start time of the process since unix epoch in seconds.", ps->start_time);
}
