-- 015_phone_tails: the last digits of a phone number find the customer at
-- the desk (GET /v1/search?q=4567). One row per customer and stored number:
-- its E.164 digits reversed, so "ends with 4567" is the key range
-- ['7654', '765:') on the primary key. Written with the 'phone' rows of
-- customer_keys (server/store_phone_tails.c), gone with the customer
-- (erasure, delete, merge) by the foreign key. A table of its own, not a
-- kind of customer_keys: the duplicates index takes every customer_keys
-- row as shared contact evidence. SQL cannot reverse a string, so the
-- rows of the numbers stored before are written by the C step of version
-- 15 (store_phone_tails_backfill) in this migration's transaction.
CREATE TABLE customer_phone_tails (
    tail        TEXT NOT NULL, -- digits of the E.164 number reversed: +491714432022 -> 220234417194
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    e164        TEXT NOT NULL, -- the number, as the search shows it
    PRIMARY KEY (tail, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_phone_tails_customer ON customer_phone_tails (customer_id);
