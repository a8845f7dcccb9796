-- 001_init: customers, households, company relations, vehicles, touchpoints.
-- Every resource has an integer seq (stable list order, cursors) and a UUID id
-- (the public identifier). Nested values (emails, phones, address, ...) are JSON
-- text; the lookup keys derived from them live in side tables kept by the store.

CREATE TABLE customers (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    salutation     TEXT,
    title          TEXT,
    given_name     TEXT,
    family_name    TEXT,
    preferred_name TEXT,
    birthday       TEXT,
    language       TEXT NOT NULL DEFAULT 'de',
    company_name   TEXT,
    legal_form     TEXT,
    vat_id         TEXT,
    emails         TEXT,
    phones         TEXT,
    address        TEXT,
    preferences    TEXT,
    consents       TEXT,
    do_not_contact INTEGER NOT NULL DEFAULT 0,
    external_refs  TEXT,
    notes          TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX customers_family_name ON customers (family_name COLLATE NOCASE);

-- Lookup keys of a customer: kind 'email' (lower-cased address), 'phone' (E.164).
CREATE TABLE customer_keys (
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_keys_customer ON customer_keys (customer_id);

-- External references ({system, id} from a DMS): unique per resource type.
CREATE TABLE external_refs (
    resource TEXT NOT NULL,  -- 'customer' or 'vehicle'
    ref_key  TEXT NOT NULL,  -- "system:id"
    res_id   TEXT NOT NULL,
    PRIMARY KEY (resource, ref_key)
) WITHOUT ROWID;
CREATE INDEX external_refs_res ON external_refs (res_id);

CREATE TABLE households (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    address    TEXT,
    notes      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL
);

-- A person belongs to at most one household (primary key on customer_id).
CREATE TABLE household_members (
    customer_id  TEXT PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('head', 'partner', 'child', 'parent', 'other')),
    since        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX household_members_household ON household_members (household_id);

-- A person's roles at a company customer; one row per role.
CREATE TABLE company_people (
    company_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('fleet_manager', 'decision_maker', 'driver', 'employee')),
    since      TEXT NOT NULL,
    PRIMARY KEY (company_id, person_id, role)
) WITHOUT ROWID;
CREATE INDEX company_people_person ON company_people (person_id);

CREATE TABLE vehicles (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    vin                TEXT UNIQUE,
    plate              TEXT,
    plate_normalized   TEXT,
    plate_history      TEXT,
    make               TEXT NOT NULL,
    model              TEXT,
    variant            TEXT,
    model_year         INTEGER,
    first_registration TEXT,
    powertrain         TEXT,
    mileage_km         INTEGER,
    mileage_at         TEXT,
    owner_id           TEXT NOT NULL REFERENCES customers (id),
    main_driver_id     TEXT REFERENCES customers (id),
    acquisition        TEXT,
    acquired_at        TEXT,
    lease_end          TEXT,
    bought_from_us     INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL DEFAULT 'active',
    last_service_at    TEXT,
    next_service_due   TEXT,
    external_refs      TEXT,
    notes              TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL
);
CREATE INDEX vehicles_plate ON vehicles (plate_normalized);
CREATE INDEX vehicles_owner ON vehicles (owner_id);
CREATE INDEX vehicles_driver ON vehicles (main_driver_id);

CREATE TABLE touchpoints (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    vehicle_id   TEXT REFERENCES vehicles (id),
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    direction    TEXT NOT NULL,
    purpose      TEXT,
    outcome      TEXT,
    occurred_at  TEXT NOT NULL,
    staff        TEXT,
    department   TEXT,
    summary      TEXT,
    satisfaction REAL,
    nps          INTEGER,
    journey_id   TEXT,
    follow_up    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL
);
CREATE INDEX touchpoints_customer ON touchpoints (customer_id, occurred_at);
CREATE INDEX touchpoints_vehicle ON touchpoints (vehicle_id);
CREATE INDEX touchpoints_journey ON touchpoints (journey_id);
CREATE INDEX touchpoints_occurred ON touchpoints (occurred_at);

-- External references disappear with the record they point to.
CREATE TRIGGER customers_delete_refs AFTER DELETE ON customers BEGIN
    DELETE FROM external_refs WHERE resource = 'customer' AND res_id = old.id;
END;
CREATE TRIGGER vehicles_delete_refs AFTER DELETE ON vehicles BEGIN
    DELETE FROM external_refs WHERE resource = 'vehicle' AND res_id = old.id;
END;
