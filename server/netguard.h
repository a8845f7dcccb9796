/*
 * netguard: where crmd may send webhooks. Loopback, private, link-local
 * (cloud metadata at 169.254.169.254), CGNAT, unspecified, multicast and
 * reserved addresses are refused unless --webhook-allow lists them; the
 * check runs on the URL's host when a webhook is written and on every
 * resolved address when a delivery connects (DNS rebinding).
 * Configured once at start, read-only after.
 */
#ifndef CRMD_NETGUARD_H
#define CRMD_NETGUARD_H

#include <stddef.h>
#include <sys/socket.h>

#define NETGUARD_ALLOW_MAX 32 /* ranges in --webhook-allow */

/* Set the allowed ranges: "10.0.0.0/8,fd00::/8,127.0.0.1" (NULL or "" = none). 0, or -1 with why. */
int netguard_configure(const char *list, char *why, size_t whysz);

/*
 * Why address sa may not be reached ("a loopback address"), or NULL when
 * it may: a public address, or one inside an allowed range.
 */
const char *netguard_refused(const struct sockaddr *sa);

/*
 * The same for a URL's host as written: an IP literal (IPv6 in brackets
 * or not) or "localhost" (and names under .localhost). Other names are
 * judged when a delivery resolves them. NULL when allowed.
 */
const char *netguard_host_refused(const char *host);

#endif
