/*
 * bare: the framework's ceiling. A libmicrohttpd server set up like crmd
 * (internal epoll thread pool, connection limit and timeout, response
 * queued on the second call of the access handler so keep-alive holds)
 * answering every request with the same 3 KB JSON body and nothing else:
 * no routing, no database, no JSON building.
 * Usage: bare [--port N] [--threads N]; prints the bound port, stops on SIGINT/SIGTERM.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_SIZE 3072

static char body[BODY_SIZE + 1];

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    static int first_call_marker;
    struct MHD_Response *r;
    enum MHD_Result ret;
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;

    if (!*con_cls) {
        /* Queueing on the first call makes libmicrohttpd 0.9.75 close the connection. */
        *con_cls = &first_call_marker;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    r = MHD_create_response_from_buffer(BODY_SIZE, body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
          enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    *con_cls = NULL;
}

/* A JSON object of exactly BODY_SIZE bytes. */
static void
fill_body(void)
{
    size_t n = (size_t)snprintf(body, sizeof body,
                                "{\"greeting\":\"Guten Tag, Herr Dr. Wessling\",\"pad\":\"");
    while (n < BODY_SIZE - 2)
        body[n++] = 'x';
    body[n++] = '"';
    body[n++] = '}';
    body[n] = '\0';
}

int
main(int argc, char **argv)
{
    unsigned port = 0, threads = 2;
    const union MHD_DaemonInfo *info;
    struct MHD_Daemon *d;
    sigset_t set;
    int sig;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = (unsigned)atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = (unsigned)atoi(argv[i + 1]);
    }
    fill_body();
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    d = MHD_start_daemon(
        MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, answer, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bare: cannot listen on port %u\n", port);
        return 1;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    fprintf(stderr, "bare listening on (port %u) with %u threads, %d-byte body\n",
            info ? info->port : 0, threads, BODY_SIZE);
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
