-- 008_duplicates: duplicate candidates (GET /v1/customers/duplicates).
-- customer_match_keys holds the keys that need C to compute (folded names):
-- 'name_birthday' ("hans muller|1980-04-02") and 'name_address' ("hans
-- muller|hauptstr1|80331"); e-mail and phone keys stay in customer_keys.
-- customer_duplicates holds the candidate pairs, kept by the store on every
-- customer write (server/store_duplicates.c), so the list is an index walk
-- whatever the number of customers. Customers written before this
-- migration, or with plain SQL, are indexed when crmd starts: every
-- customer with seq above duplicates_state.indexed_seq.

CREATE TABLE customer_match_keys (
    kind        TEXT NOT NULL,  -- 'name_birthday' or 'name_address'
    key         TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_match_keys_customer ON customer_match_keys (customer_id);

-- One row per candidate pair: a is the older customer (lower customers.seq).
-- rank = 1000 - score in thousandths, so (rank, seq) is the list order;
-- seq survives a recomputation of the pair (upsert), so cursors stay valid.
CREATE TABLE customer_duplicates (
    seq     INTEGER PRIMARY KEY,
    a       TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    b       TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    rank    INTEGER NOT NULL CHECK (rank BETWEEN 0 AND 1000),
    reasons TEXT NOT NULL,  -- JSON array of {kind, value?}
    UNIQUE (a, b)
);
CREATE INDEX customer_duplicates_rank ON customer_duplicates (rank, seq);
CREATE INDEX customer_duplicates_b ON customer_duplicates (b);

-- Highest customers.seq whose keys and pairs are known (one row).
CREATE TABLE duplicates_state (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    indexed_seq INTEGER NOT NULL
);
INSERT INTO duplicates_state (one, indexed_seq) VALUES (1, 0);
