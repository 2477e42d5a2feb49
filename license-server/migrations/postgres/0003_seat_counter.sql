-- license-server PostgreSQL schema, version 3: a seat counter and an index on expiry, so a
-- change reads the rows it concerns instead of every lease.
-- pool.in_use is the number of rows in `leases` (live ones and expired ones not yet swept).
-- Every change that inserts or deletes a lease updates it in the same transaction, under the
-- pool row's lock; heartbeats only move one lease's expiry and take no pool lock. A server
-- checks (and corrects) it against count(*) at start.
ALTER TABLE pool ADD COLUMN in_use BIGINT NOT NULL DEFAULT 0 CHECK (in_use >= 0);
UPDATE pool SET in_use = (SELECT count(*) FROM leases) WHERE id = 1;
-- The sweep: expired leases, oldest first, in bounded batches.
CREATE INDEX leases_expires ON leases (expires_ms);
