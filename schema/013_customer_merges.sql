-- 013_customer_merges: which customer each merged-away customer went into
-- (POST /v1/customers/{id}/merge, server/store_merge.c writes the row in
-- the merge's transaction). A 404 for a merged-away id follows these rows
-- to the surviving customer ("merged_into", server/resource.c). The change
-- feed's delete item {"id", "merged_into"} said the same but is pruned by
-- retention; the rows that still exist are copied here. Erasing a customer
-- deletes the rows that lead to them (server/store_privacy.c).
CREATE TABLE customer_merges (
    id        TEXT PRIMARY KEY, -- the merged-away customer's id
    into_id   TEXT NOT NULL,    -- the customer it was merged into (may itself be merged later)
    merged_at TEXT NOT NULL     -- RFC 3339 UTC time of the merge
);
-- Erasure walks the chains backwards: who was merged into this customer?
CREATE INDEX customer_merges_into ON customer_merges (into_id);
INSERT OR REPLACE INTO customer_merges (id, into_id, merged_at)
    SELECT res_id, json_extract(data, '$.merged_into'), at FROM changes
    WHERE type = 'customer' AND op = 'delete' AND data IS NOT NULL
      AND json_extract(data, '$.merged_into') IS NOT NULL
    ORDER BY seq;
-- Nothing leads to an erased customer: the rows into them, and into those, go.
DELETE FROM customer_merges WHERE id IN (
    WITH RECURSIVE gone(id) AS (SELECT customer_id FROM erasures
        UNION SELECT m.id FROM customer_merges m, gone WHERE m.into_id = gone.id)
    SELECT id FROM gone);
