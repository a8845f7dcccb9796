-- 011_changes_retention: how far the change feed has been pruned
-- (--changes-retention-days, server/store_changes.c). Changes are pruned
-- oldest first, never past the cursor of any webhook subscription; every
-- change with seq <= pruned_through is gone, so a feed cursor before it
-- answers 410 (the integrator reloads instead of silently missing changes).
CREATE TABLE changes_state (
    pruned_through INTEGER NOT NULL
);
INSERT INTO changes_state (pruned_through) VALUES (0);
