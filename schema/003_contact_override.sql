-- 003_contact_override: the reason staff give for an outbound contact the
-- contact policy would refuse, and an index for the policy's facts (a
-- customer's outbound or inbound touchpoints, newest first).
ALTER TABLE touchpoints ADD COLUMN override_reason TEXT;
CREATE INDEX touchpoints_customer_direction ON touchpoints (customer_id, direction, occurred_at);
