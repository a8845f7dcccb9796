-- 002_search: the desk search (GET /v1/search).
-- search_fts holds one row per customer, rowid = customers.seq: the loose
-- name keys ("muller" for Müller, Mueller and Muller) and their Kölner
-- Phonetik codes ("657"). The store writes it on every customer write
-- (server/store_search.c), because SQL cannot fold names or code them;
-- for customers written before this migration, crmd fills it when it
-- starts and finds it empty while customers exist. A deleted customer's
-- row goes with it (trigger below).
-- Plates, e-mail addresses and phone numbers are found through
-- vehicles_plate and customer_keys; VIN tails through vehicles_vin_tail.

CREATE VIRTUAL TABLE search_fts USING fts5(
    names,
    phonetic,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);

CREATE TRIGGER customers_delete_search AFTER DELETE ON customers BEGIN
    DELETE FROM search_fts WHERE rowid = old.seq;
END;

-- The last 6 characters of a VIN: a VIN typed from its tail ("…4F1234") is
-- found by this index, then compared in full.
CREATE INDEX vehicles_vin_tail ON vehicles (substr(vin, 12));
