/*
 * test_tls: --tls-cert/--tls-key. A self-signed certificate for 127.0.0.1
 * is made with the openssl CLI at test time; the client pins it as its
 * only CA, so verification stays on.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"
#include "suites.h"

static struct server tls;
static char cert_env[400], key_env[400];

static void
tls_setup(void)
{
    char tmpl[] = "/tmp/crmd-tls-XXXXXX", cmd[1200];
    const char *env[] = {cert_env, key_env, NULL};

    memset(&tls, 0, sizeof tls);
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    snprintf(tls.dir, sizeof tls.dir, "%s", tmpl);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
             "-subj /CN=crmd-test -addext subjectAltName=IP:127.0.0.1 -keyout '%s/key.pem' "
             "-out '%s/cert.pem' 2>/dev/null",
             tls.dir, tls.dir);
    ck_assert_msg(system(cmd) == 0, "openssl could not make a certificate (package openssl)");
    snprintf(cert_env, sizeof cert_env, "CRMD_TLS_CERT=%s/cert.pem", tls.dir);
    snprintf(key_env, sizeof key_env, "CRMD_TLS_KEY=%s/key.pem", tls.dir);
    snprintf(tls.tls_ca, sizeof tls.tls_ca, "%s/cert.pem", tls.dir);
    server_start(&tls, NULL, env); /* waits for /readyz over HTTPS */
}

static void
tls_teardown(void)
{
    harness_teardown(); /* srv is tls */
}

/* The API over HTTPS, with the key, verified against the pinned certificate. */
START_TEST(https_serves_the_api)
{
    struct reply r;
    char line[256];
    FILE *f = fopen(srv.log, "r");
    int said_https = 0;

    create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Sicher\"}");
    http("GET", "/v1/customers", NULL, NULL, (const char *const[]){"Authorization:", NULL}, &r);
    assert_problem(&r, 401, "unauthorized");
    reply_free(&r);
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f))
        said_https |= strstr(line, "listening on https://") != NULL;
    fclose(f);
    ck_assert(said_https);
}
END_TEST

/* A client that does not trust the certificate, or speaks plain HTTP, gets nothing. */
START_TEST(untrusted_and_plain_clients_fail)
{
    CURL *c = curl_easy_init();
    char url[128];

    snprintf(url, sizeof url, "https://127.0.0.1:%d/healthz", srv.port);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_CAINFO, "/dev/null");
    curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
    ck_assert_int_ne(curl_easy_perform(c), CURLE_OK);
    curl_easy_cleanup(c);

    c = curl_easy_init();
    snprintf(url, sizeof url, "http://127.0.0.1:%d/healthz", srv.port);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    {
        CURLcode rc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        ck_assert_msg(rc != CURLE_OK || status != 200, "plain HTTP got an answer");
    }
    curl_easy_cleanup(c);
}
END_TEST

/* Half a TLS configuration, or a file that is not PEM, stops the start. */
START_TEST(bad_tls_configuration_refused)
{
    char cmd[1200];

    snprintf(cmd, sizeof cmd, "'%s' --db '%s/x.db' --port 0 --tls-cert '%s/cert.pem' 2>/dev/null",
             getenv("CRMD_BIN"), srv.dir, srv.dir);
    ck_assert_int_eq(WEXITSTATUS(system(cmd)), 2);
    snprintf(cmd, sizeof cmd,
             "'%s' --db '%s/x.db' --port 0 --tls-cert '%s/x.db' --tls-key '%s/key.pem' 2>/dev/null",
             getenv("CRMD_BIN"), srv.dir, srv.dir, srv.dir);
    ck_assert_int_eq(WEXITSTATUS(system(cmd)), 1);
}
END_TEST

Suite *
tls_suite(void)
{
    Suite *s = suite_create("tls");
    TCase *t = tcase_create("https");

    tcase_add_unchecked_fixture(t, tls_setup, tls_teardown);
    tcase_add_test(t, https_serves_the_api);
    tcase_add_test(t, untrusted_and_plain_clients_fail);
    tcase_add_test(t, bad_tls_configuration_refused);
    suite_add_tcase(s, t);
    return s;
}
