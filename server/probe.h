/*
 * probe: `crmd --probe`, a health check without curl for slim container
 * images: GET /readyz of a local server with libcurl, exit 0 when ready.
 */
#ifndef CRMD_PROBE_H
#define CRMD_PROBE_H

#include <stddef.h>

/*
 * Write the readiness URL of a server bound to listen:port into out
 * (at most outsz bytes), https when tls: a wildcard address (empty,
 * 0.0.0.0, ::) becomes the loopback of its family, an IPv6 address gets
 * brackets. Returns 0, or -1 if out is too small.
 */
int probe_url(const char *listen, int port, int tls, char *out, size_t outsz);

/*
 * Run `crmd --probe [--port N] [--timeout S] [URL]` (argv[0] is "--probe").
 * The port and address default to CRMD_PORT and CRMD_LISTEN like the server's;
 * with CRMD_TLS_CERT set it speaks HTTPS and trusts that certificate (any host name).
 * Returns the exit code: 0 ready (200), 1 not ready or unreachable, 2 bad usage.
 */
int probe_main(int argc, char **argv);

#endif
