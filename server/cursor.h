/*
 * cursor: opaque page cursors. A cursor carries the list it belongs to
 * (a model tag) and the position (seq of the last row seen), with a
 * checksum so garbage or a cursor of another list is refused. Pure.
 */
#ifndef CRMD_CURSOR_H
#define CRMD_CURSOR_H

#define CURSOR_LEN 16 /* characters of an encoded cursor */

/* Tags: 1-4 the resource lists (model_*.c .tag), 5 the change feed. */
#define CURSOR_TAG_CHANGES 5
#define CURSOR_TAG_WEBHOOKS 21           /* GET /v1/webhooks */
#define CURSOR_TAG_WEBHOOK_DELIVERIES 22 /* GET /v1/webhooks/{id}/deliveries */
#define CURSOR_TAG_DUPLICATES 23         /* GET /v1/customers/duplicates */
#define CURSOR_TAG_KEYS 24               /* GET /v1/keys */
#define CURSOR_TAG_AUDIT 25              /* GET /v1/audit */

/* Encode (tag, seq) as CURSOR_LEN base64url characters; out holds CURSOR_LEN + 1. */
void cursor_encode(int tag, long long seq, char out[CURSOR_LEN + 1]);

/* Decode s for list tag into *seq. Returns 0, or -1 if s is not such a cursor. */
int cursor_decode(const char *s, int tag, long long *seq);

#endif
