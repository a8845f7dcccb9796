/*
 * privacy: the erasure (DELETE /v1/customers/{id}?erase=true), reached
 * through customers_delete; the export handler is in handlers.h.
 */
#ifndef CRMD_PRIVACY_H
#define CRMD_PRIVACY_H

#include "request.h"

/* Erase the customer of the path for good (admin only). */
int privacy_erase(struct request *req, struct response *res);

#endif
