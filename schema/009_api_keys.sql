-- 009_api_keys: API keys (Authorization: Bearer crmd_...), managed with
-- `crmd keys` and /v1/keys (server/store_keys.c). Only the SHA-256 of a key
-- is stored; prefix is the first characters of its random part, shown in
-- lists so an operator can tell keys apart, and the lookup key of a request
-- (the hash is then compared in constant time). Revoked keys stay listed.
CREATE TABLE api_keys (
    seq          INTEGER PRIMARY KEY,  -- list order and list cursors
    id           TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('reader', 'desk', 'manager', 'admin')),
    prefix       TEXT NOT NULL,        -- "crmd_" and the first 8 characters after it
    hash         TEXT NOT NULL,        -- SHA-256 of the whole key, lower-case hex
    created_at   TEXT NOT NULL,
    last_used_at TEXT,                 -- at most a minute old while the key is in use
    revoked_at   TEXT
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
-- A name names one usable key (crmd keys revoke NAME); revoked keys free theirs.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
