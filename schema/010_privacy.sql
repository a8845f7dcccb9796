-- 010_privacy: what stays of an erased customer (DELETE /v1/customers/{id}
-- ?erase=true, server/store_privacy.c). Their touchpoints leave the
-- touchpoints table and live on here without id, customer, vehicle and
-- text, so experience metrics, NPS and journey scores stay what they were;
-- touchpoint_stats is what the metrics read: live and anonymised rows.
-- erasures is the erasure log: the ids of erased customers and when, no
-- personal data, to replay erasures after restoring an older backup.
CREATE TABLE touchpoints_anon (
    seq          INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    department   TEXT,
    occurred_at  TEXT NOT NULL,
    satisfaction REAL,
    nps          INTEGER,
    journey_id   TEXT
);
CREATE INDEX touchpoints_anon_occurred ON touchpoints_anon (occurred_at);
CREATE INDEX touchpoints_anon_journey ON touchpoints_anon (journey_id);

CREATE VIEW touchpoint_stats AS
    SELECT kind, channel, department, occurred_at, satisfaction, nps, journey_id FROM touchpoints
    UNION ALL
    SELECT kind, channel, department, occurred_at, satisfaction, nps, journey_id
    FROM touchpoints_anon;

CREATE TABLE erasures (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL,
    erased_at   TEXT NOT NULL,
    key_id      TEXT            -- API key that asked for it
);

-- The audit log (GET /v1/audit, server/audit.c): one row per request made
-- with an API key, who (key_id), what (method, route pattern, the id in
-- the path, status), when; audit_subjects names the customers it read or
-- wrote (for the greeting and search: the customers shown). Written in
-- batches by a background thread; pruned after --audit-retention-days.
-- route 'audit.dropped' rows count records the full queue lost (status).
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,     -- RFC 3339 UTC
    key_id      TEXT,
    method      TEXT NOT NULL,
    route       TEXT NOT NULL,     -- the route pattern, /v1/customers/{id}
    resource_id TEXT,              -- first id of the path, if any
    status      INTEGER NOT NULL,
    request_id  TEXT
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_key ON audit (key_id, seq);

CREATE TABLE audit_subjects (
    customer_id TEXT NOT NULL,
    audit_seq   INTEGER NOT NULL REFERENCES audit (seq) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, audit_seq)
) WITHOUT ROWID;
CREATE INDEX audit_subjects_seq ON audit_subjects (audit_seq);
