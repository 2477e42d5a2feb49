-- license-server PostgreSQL schema, version 1 (shared by several server instances).
CREATE TABLE leases (
    holder     TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL,
    machine    TEXT NOT NULL,
    lease_id   BYTEA NOT NULL,
    granted_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    ttl_ms     BIGINT NOT NULL,
    borrowed   BOOLEAN NOT NULL
);
-- The pool row is locked (SELECT ... FOR UPDATE) by every change: one change at a time
-- across all instances, so the limit holds.
CREATE TABLE pool (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    peak BIGINT NOT NULL
);
INSERT INTO pool (id, peak) VALUES (1, 0);
CREATE TABLE audit (
    id        BIGSERIAL PRIMARY KEY,
    at_ms     BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    holder    TEXT NOT NULL,
    user_name TEXT NOT NULL,
    machine   TEXT NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at_ms);
CREATE TABLE usage (
    minute_ms BIGINT PRIMARY KEY,
    in_use    BIGINT NOT NULL
);
