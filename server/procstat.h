/*
 * procstat: the process_* metrics of GET /metrics as the Prometheus client
 * libraries name them (CPU time, resident and virtual memory, open and
 * allowed descriptors, start time), read from Linux's /proc at scrape.
 * Parsing is pure (unit-tested on sample texts); procstat_read does the I/O.
 */
#ifndef CRMD_PROCSTAT_H
#define CRMD_PROCSTAT_H

#include "util.h"

/* One reading; a figure that could not be read is -1 and left out of the output. */
struct procstat {
    double cpu_seconds;       /* user + system CPU time */
    double start_time;        /* seconds since the epoch */
    long long resident_bytes; /* resident set size */
    long long virtual_bytes;  /* virtual memory size */
    long long open_fds;       /* descriptors open */
    long long max_fds;        /* soft limit of descriptors (RLIMIT_NOFILE) */
};

/* Everything unknown (-1). */
void procstat_init(struct procstat *ps);

/*
 * Read utime + stime, starttime, vsize and rss out of the text of
 * /proc/self/stat (the command name in parentheses may hold spaces and
 * parentheses itself) into ps: ticks are clock ticks per second, page the
 * page size in bytes, btime the boot time in seconds since the epoch (-1
 * leaves start_time unknown). Returns 0, or -1 leaving ps unchanged.
 */
int procstat_parse_stat(const char *text, long ticks, long page, long long btime,
                        struct procstat *ps);

/* The "btime N" line of the text of /proc/stat into *btime. Returns 0, or -1 without one. */
int procstat_parse_btime(const char *text, long long *btime);

/* Read this process's figures from /proc and getrlimit; what fails stays -1. */
void procstat_read(struct procstat *ps);

/* Render the known figures as Prometheus text (HELP, TYPE, sample) appended to out. */
void procstat_render(const struct procstat *ps, struct buf *out);

#endif
