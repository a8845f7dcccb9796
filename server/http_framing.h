/*
 * http_framing: request framing that libmicrohttpd 0.9.75 parses but lets
 * through, refused before anything else (RFC 9112 sections 6.1, 6.3): a
 * body framed twice, an unknown transfer coding, a NUL byte that cuts the
 * request target or a header value short.
 */
#ifndef CRMD_HTTP_FRAMING_H
#define CRMD_HTTP_FRAMING_H

#include <microhttpd.h>
#include <stddef.h>

#include "problem.h"

/*
 * Check the request on conn (first call of the access handler: method, url, version as
 * libmicrohttpd passed them) whose raw target was target_len bytes up to its first NUL
 * (strlen in the URI log callback, before it was split and decoded). Returns 0, or -1 with a
 * 400 problem in p: the connection must close after the answer.
 */
int http_framing_check(struct MHD_Connection *conn, const char *method, const char *url,
                       const char *version, size_t target_len, struct problem *p);

#endif
