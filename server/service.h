/*
 * service: crmd as a service of systemd (Type=notify): readiness, status
 * and stopping through sd_notify, and the drain of a graceful stop, in
 * which /readyz answers 503 while every other request is still served.
 * Without NOTIFY_SOCKET (not under systemd) the notifications do nothing.
 */
#ifndef CRMD_SERVICE_H
#define CRMD_SERVICE_H

/* Seconds between two STATUS= updates while serving. */
#define SERVICE_STATUS_EVERY_S 10

/* 1 when a service manager listens (NOTIFY_SOCKET is set). */
int service_managed(void);

/* READY=1 with the first STATUS= line: listening on port, migrations done. */
void service_ready(int port);

/* STATUS=serving on port N, M requests answered (every SERVICE_STATUS_EVERY_S). */
void service_status(int port);

/* STOPPING=1 and the drain begins: service_draining() is 1 from now on. */
void service_stopping(int drain_seconds);

/* 1 from service_stopping on: /readyz answers 503 "shutting down". */
int service_draining(void);

#endif
