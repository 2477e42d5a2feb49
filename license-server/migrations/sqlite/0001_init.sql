-- license-server SQLite schema, version 1.
CREATE TABLE leases (
    holder     TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL,
    machine    TEXT NOT NULL,
    lease_id   BLOB NOT NULL,
    granted_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    ttl_ms     INTEGER NOT NULL,
    borrowed   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE pool (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    peak INTEGER NOT NULL
);
INSERT INTO pool (id, peak) VALUES (1, 0);
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms     INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    holder    TEXT NOT NULL,
    user_name TEXT NOT NULL,
    machine   TEXT NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at_ms);
CREATE TABLE usage (
    minute_ms INTEGER PRIMARY KEY,
    in_use    INTEGER NOT NULL
);
