/*
 * netguard: the addresses a webhook may not reach by default, and the
 * --webhook-allow ranges that open some of them (see netguard.h). IPv4
 * inside IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::/96) is judged as IPv4.
 */
#include "netguard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct range {
    int family;              /* AF_INET or AF_INET6 */
    unsigned char addr[16];  /* network, 4 or 16 bytes */
    int bits;
    const char *why;         /* refused ranges: what it is */
};

static struct range allowed[NETGUARD_ALLOW_MAX];
static size_t nallowed;

/* Refused by default, most specific first where they nest. */
static const struct {
    const char *cidr, *why;
} refused_text[] = {
    { "0.0.0.0/8", "an unspecified address (0.0.0.0/8)" },
    { "10.0.0.0/8", "a private address (10.0.0.0/8)" },
    { "100.64.0.0/10", "a shared carrier-grade NAT address (100.64.0.0/10)" },
    { "127.0.0.0/8", "a loopback address (127.0.0.0/8)" },
    { "169.254.0.0/16", "a link-local address (169.254.0.0/16, where cloud metadata services answer)" },
    { "172.16.0.0/12", "a private address (172.16.0.0/12)" },
    { "192.0.0.0/24", "a reserved address (192.0.0.0/24)" },
    { "192.0.2.0/24", "a documentation address (192.0.2.0/24)" },
    { "192.168.0.0/16", "a private address (192.168.0.0/16)" },
    { "198.18.0.0/15", "a benchmarking address (198.18.0.0/15)" },
    { "198.51.100.0/24", "a documentation address (198.51.100.0/24)" },
    { "203.0.113.0/24", "a documentation address (203.0.113.0/24)" },
    { "224.0.0.0/4", "a multicast address (224.0.0.0/4)" },
    { "240.0.0.0/4", "a reserved or broadcast address (240.0.0.0/4)" },
    { "::/128", "an unspecified address (::)" },
    { "::1/128", "a loopback address (::1)" },
    { "100::/64", "a discard address (100::/64)" },
    { "2001:db8::/32", "a documentation address (2001:db8::/32)" },
    { "fc00::/7", "a unique local (private) address (fc00::/7)" },
    { "fe80::/10", "a link-local address (fe80::/10)" },
    { "ff00::/8", "a multicast address (ff00::/8)" },
};
#define NREFUSED (sizeof refused_text / sizeof refused_text[0])

static struct range refused[NREFUSED];
static int refused_ready;

/* "10.0.0.0/8", "fd00::/8" or a single address ("127.0.0.1" = /32). 0 or -1. */
static int
parse_range(const char *s, struct range *r)
{
    char host[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    char *end;
    long bits;

    if (n == 0 || n >= sizeof host)
        return -1;
    memcpy(host, s, n);
    host[n] = '\0';
    memset(r, 0, sizeof *r);
    if (inet_pton(AF_INET, host, r->addr) == 1)
        r->family = AF_INET;
    else if (inet_pton(AF_INET6, host, r->addr) == 1)
        r->family = AF_INET6;
    else
        return -1;
    bits = r->family == AF_INET ? 32 : 128;
    if (slash) {
        if (!slash[1])
            return -1;
        long b = strtol(slash + 1, &end, 10);
        if (*end || b < 0 || b > bits)
            return -1;
        bits = b;
    }
    r->bits = (int)bits;
    return 0;
}

/* Whether the first bits of a and b (n bytes each) agree. */
static int
prefix_equal(const unsigned char *a, const unsigned char *b, int bits)
{
    int whole = bits / 8, rest = bits % 8;

    if (memcmp(a, b, (size_t)whole) != 0)
        return 0;
    return rest == 0 || ((a[whole] ^ b[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static int
in_range(const struct range *r, int family, const unsigned char *addr)
{
    return r->family == family && prefix_equal(r->addr, addr, r->bits);
}

static void
refused_init(void)
{
    for (size_t i = 0; i < NREFUSED; i++) {
        if (parse_range(refused_text[i].cidr, &refused[i]) != 0)
            abort(); /* the table above is wrong */
        refused[i].why = refused_text[i].why;
    }
    refused_ready = 1;
}

int
netguard_configure(const char *list, char *why, size_t whysz)
{
    const char *s = list;

    if (!refused_ready)
        refused_init();
    nallowed = 0;
    while (s && *s) {
        size_t n = strcspn(s, ",");
        char one[64];
        if (n > 0) {
            if (n >= sizeof one || nallowed == NETGUARD_ALLOW_MAX) {
                snprintf(why, whysz, "--webhook-allow takes at most %d ranges of at most 63 bytes",
                         NETGUARD_ALLOW_MAX);
                return -1;
            }
            memcpy(one, s, n);
            one[n] = '\0';
            if (parse_range(one, &allowed[nallowed]) != 0) {
                snprintf(why, whysz, "--webhook-allow: '%s' is not an address or CIDR range such "
                                     "as 10.0.0.0/8 or fd00::/8", one);
                return -1;
            }
            nallowed++;
        }
        s += n + (s[n] == ',');
    }
    return 0;
}

/* The verdict on one address of family (4 or 16 bytes). */
static const char *
judge(int family, const unsigned char *addr)
{
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

    if (!refused_ready)
        refused_init();
    for (size_t i = 0; i < nallowed; i++)
        if (in_range(&allowed[i], family, addr))
            return NULL;
    if (family == AF_INET6 && (!memcmp(addr, mapped, 12) || !memcmp(addr, nat64, 12)))
        return judge(AF_INET, addr + 12);
    for (size_t i = 0; i < NREFUSED; i++)
        if (in_range(&refused[i], family, addr))
            return refused[i].why;
    return NULL;
}

const char *
netguard_refused(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return judge(AF_INET, (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr);
    if (sa->sa_family == AF_INET6)
        return judge(AF_INET6,
                     (const unsigned char *)&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return "not an internet address";
}

const char *
netguard_host_refused(const char *host)
{
    unsigned char addr[16];
    char literal[64];
    size_t n = strlen(host), len;

    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        if (n - 2 >= sizeof literal)
            return NULL;
        memcpy(literal, host + 1, n - 2);
        literal[n - 2] = '\0';
        literal[strcspn(literal, "%")] = '\0'; /* a zone id: fe80::1%eth0 */
        return inet_pton(AF_INET6, literal, addr) == 1 ? judge(AF_INET6, addr) : NULL;
    }
    if (inet_pton(AF_INET, host, addr) == 1)
        return judge(AF_INET, addr);
    if (inet_pton(AF_INET6, host, addr) == 1)
        return judge(AF_INET6, addr);
    len = n && host[n - 1] == '.' ? n - 1 : n; /* "localhost." */
    if ((len == 9 && !strncasecmp(host, "localhost", 9)) ||
        (len > 10 && !strncasecmp(host + len - 10, ".localhost", 10))) {
        unsigned char lo[4] = { 127, 0, 0, 1 };
        return judge(AF_INET, lo) ? "the local machine (localhost)" : NULL;
    }
    return NULL;
}
