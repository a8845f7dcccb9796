/*
 * http_deadline: the header phase's deadline (--header-timeout).
 * libmicrohttpd's --connection-timeout is reset by every byte, so a client
 * sending a header byte now and then would hold its connection for ever.
 * Each connection is listed from accept (or from its previous answer on a
 * kept-alive connection) until its headers are in; a watchdog thread shuts
 * down (never closes: libmicrohttpd owns the socket) those still in the
 * header phase past the deadline, and libmicrohttpd then closes them.
 */
#ifndef CRMD_HTTP_DEADLINE_H
#define CRMD_HTTP_DEADLINE_H

#include <microhttpd.h>

struct http_deadline;

/*
 * Watch connections: headers due within header_timeout seconds of accept,
 * and within idle_grace + header_timeout of the previous answer on a
 * kept-alive connection. header_timeout 0 = off (NULL is returned, and
 * every function here accepts NULL). Logs and returns NULL if the thread
 * cannot start.
 */
struct http_deadline *http_deadline_start(int header_timeout, int idle_grace);

/* Join the watchdog and free the list (after MHD_stop_daemon: none is listed any more). */
void http_deadline_stop(struct http_deadline *d);

/* MHD_OPTION_NOTIFY_CONNECTION callback (cls = the http_deadline): lists and unlists. */
void http_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe);

/* The access handler's first call: conn's headers are in, its deadline is off. */
void http_deadline_headers_in(struct http_deadline *d, struct MHD_Connection *conn);

/* conn's request ended: the next request's headers are due (kept-alive connection). */
void http_deadline_request_done(struct http_deadline *d, struct MHD_Connection *conn);

/* The table itself, by socket (unit tests; the functions above use these). */
void *http_deadline_add(struct http_deadline *d, int fd, double now);
void http_deadline_remove(struct http_deadline *d, void *entry);
void http_deadline_set(struct http_deadline *d, void *entry, double due); /* 0 = none */
/* Shut down every listed socket whose deadline passed by now; how many. */
int http_deadline_sweep(struct http_deadline *d, double now);

#endif
