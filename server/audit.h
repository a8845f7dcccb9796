/*
 * audit: the audit log of requests made with an API key (who, what,
 * when, which customers). http.c hands each answered request to
 * audit_request, which only queues a record in memory; a background
 * thread writes the queue in batches (one transaction each) and prunes
 * rows older than --audit-retention-days. A full queue makes the
 * request wait up to AUDIT_WAIT_MS, then the record is counted as
 * dropped and the count written as an "audit.dropped" row. A write that
 * failed for lack of space (or a busy database) keeps the records queued
 * and retries them every AUDIT_RETRY_MS; meanwhile a full queue drops at once (requests never
 * wait for a writer that cannot write).
 */
#ifndef CRMD_AUDIT_H
#define CRMD_AUDIT_H

#include "request.h"

#define AUDIT_QUEUE_MAX 8192   /* records waiting to be written */
#define AUDIT_BATCH_MAX 512    /* records per write transaction */
#define AUDIT_SUBJECTS_MAX 200 /* customers named by one record */
#define AUDIT_WAIT_MS 200      /* longest wait of a request for room in a full queue */
#define AUDIT_RETRY_MS 1000    /* pause after a failed write before the next try */

struct config;

/* Start the writer thread (its own connection). Returns 0 or -1. */
int audit_start(const struct config *cfg);

/* Write what is queued, stop the thread. */
void audit_stop(void);

/* Queue the record of an answered request (no-op without an API key). */
void audit_request(const struct request *req, const struct response *res, int status);

/* Wait (at most 2 s) until every record queued before the call is written. */
void audit_sync(void);

/* Records lost to a full queue since the start. */
unsigned long long audit_dropped(void);

#endif
