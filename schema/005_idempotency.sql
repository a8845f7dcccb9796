-- 005_idempotency: answers of POST requests sent with an Idempotency-Key, so a
-- retry gets the original response instead of creating a second record. Rows
-- are written in the transaction of the create; they expire after
-- --idempotency-ttl and are deleted lazily by created_at (indexed).
CREATE TABLE idempotency_keys (
    key         TEXT PRIMARY KEY,  -- the client's Idempotency-Key
    method      TEXT NOT NULL,     -- 'POST'
    path        TEXT NOT NULL,     -- '/v1/customers'
    body_sha256 TEXT NOT NULL,     -- hex SHA-256 of the request body as sent
    status      INTEGER NOT NULL,  -- 2xx status of the original answer
    location    TEXT,              -- its Location header, if any
    etag        TEXT,              -- its ETag header, if any
    response    TEXT,              -- its JSON body, if any
    created_at  TEXT NOT NULL      -- RFC 3339 UTC
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
