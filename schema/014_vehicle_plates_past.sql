-- 014_vehicle_plates_past: the plates a car had before, one row each, so
-- that the desk finds a re-registered car by its old plate through an
-- index (greeting and search, server/store_plates.c). The vehicle
-- document's plate_history ({plate, plate_normalized, until}) stays the
-- record; these rows are rewritten from it in the vehicle's write
-- transaction and go with the vehicle (ON DELETE CASCADE: deleting it, or
-- erasing its owner, removes them; foreign keys are on, server/db.c).
CREATE TABLE vehicle_plates_past (
    vehicle_id       TEXT NOT NULL REFERENCES vehicles (id) ON DELETE CASCADE,
    plate            TEXT NOT NULL, -- as written then
    plate_normalized TEXT NOT NULL, -- its lookup key (normalize_plate)
    until            TEXT NOT NULL  -- RFC 3339 UTC time the car stopped carrying it
);
-- The desk's lookup by an old plate.
CREATE INDEX vehicle_plates_past_plate ON vehicle_plates_past (plate_normalized);
-- The rewrite on each vehicle write and the cascade on delete.
CREATE INDEX vehicle_plates_past_vehicle ON vehicle_plates_past (vehicle_id);
INSERT INTO vehicle_plates_past (vehicle_id, plate, plate_normalized, until)
    SELECT v.id, json_extract(h.value, '$.plate'), json_extract(h.value, '$.plate_normalized'),
           json_extract(h.value, '$.until')
    FROM vehicles v,
         json_each(CASE WHEN json_valid(v.plate_history) THEN v.plate_history END) h
    WHERE json_extract(h.value, '$.plate') IS NOT NULL
      AND json_extract(h.value, '$.plate_normalized') IS NOT NULL
      AND json_extract(h.value, '$.until') IS NOT NULL
    ORDER BY v.seq, h.key;
