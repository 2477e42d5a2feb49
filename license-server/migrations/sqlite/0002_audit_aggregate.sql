-- license-server SQLite schema, version 2: refusals are aggregated, one row per holder,
-- reason and minute with a count (other entries have no minute and a count of 1).
ALTER TABLE audit ADD COLUMN minute_ms INTEGER;
ALTER TABLE audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX audit_aggregate ON audit (kind, holder, detail, minute_ms);
