-- 007_webhooks: webhook subscriptions (POST /v1/webhooks) and their delivery
-- log. A subscription is a cursor into the change feed (schema/004): the
-- worker (server/webhooks_worker.c) delivers the changes after it in seq
-- order, one at a time, and moves it on after a 2xx. The secret is the HMAC
-- key of the signatures, so it is stored as given (it cannot be hashed);
-- the API returns it only in the answer of the create.
CREATE TABLE webhooks (
    seq             INTEGER PRIMARY KEY,  -- list order and list cursors
    id              TEXT NOT NULL UNIQUE,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL,        -- JSON array of event patterns
    description     TEXT,
    status          TEXT NOT NULL CHECK (status IN ('active', 'paused')),
    secret          TEXT NOT NULL,
    cursor          INTEGER NOT NULL,     -- changes.seq of the last change delivered or skipped
    failures        INTEGER NOT NULL DEFAULT 0, -- failed attempts of the next change in a row
    next_attempt_ms INTEGER,              -- epoch ms of the next retry; NULL = due now
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL
);

-- One row per delivery attempt, pruned to the newest few hundred per subscription.
CREATE TABLE webhook_deliveries (
    n           INTEGER PRIMARY KEY AUTOINCREMENT,  -- newest first = n descending
    webhook_id  TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    change_seq  INTEGER NOT NULL,     -- the change delivered (Crmd-Event-Id is its cursor)
    event       TEXT NOT NULL,        -- customer.created, ...
    attempt     INTEGER NOT NULL,     -- 1 = first try of this change
    at          TEXT NOT NULL,        -- RFC 3339 UTC start of the attempt
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,              -- HTTP status of the answer; NULL when none came
    error       TEXT,                 -- why it failed; NULL when delivered
    delivered   INTEGER NOT NULL CHECK (delivered IN (0, 1))
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, n);
