-- 006_import: external references for households and touchpoints, so a bulk
-- import (POST /v1/import) can upsert them by {system, id} as it does customers
-- and vehicles. The external_refs table now also holds resource 'household' and
-- 'touchpoint'; a reference disappears with its record.
ALTER TABLE households ADD COLUMN external_refs TEXT;
ALTER TABLE touchpoints ADD COLUMN external_refs TEXT;

CREATE TRIGGER households_delete_refs AFTER DELETE ON households BEGIN
    DELETE FROM external_refs WHERE resource = 'household' AND res_id = old.id;
END;
CREATE TRIGGER touchpoints_delete_refs AFTER DELETE ON touchpoints BEGIN
    DELETE FROM external_refs WHERE resource = 'touchpoint' AND res_id = old.id;
END;
