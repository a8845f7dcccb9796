-- 004_changes: the change feed (GET /v1/changes). One row per changed record
-- per committed write transaction, in commit order. crmd writes these rows
-- inside the write transaction itself (server/store_changes.c): per
-- connection TEMP triggers on the resource tables note every row written,
-- and the commit builds each noted record's representation with the same
-- query as GET. AUTOINCREMENT: a seq is never handed out twice, even after
-- old rows are deleted. Rows written with plain SQL outside crmd are not
-- recorded here.
CREATE TABLE changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    type    TEXT NOT NULL,    -- customer, household, vehicle, touchpoint, company_people
    res_id  TEXT NOT NULL,    -- id of the record (the company's id for company_people)
    op      TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    version INTEGER,          -- the record's version; NULL for company_people
    at      TEXT NOT NULL,    -- RFC 3339 UTC time of the commit
    data    TEXT              -- representation as JSON; NULL for deletes
);
-- The feed filtered by type (?types=): a range scan per type from the cursor.
CREATE INDEX changes_type ON changes (type, seq);
