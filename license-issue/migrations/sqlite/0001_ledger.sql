-- The ledger in SQLite: the same tables, keys and indexes as the PostgreSQL ledger
-- (migrations/0001 to 0003), in SQLite's types. Dates are 'YYYY-MM-DD' text, which
-- compares in date order; times are Unix seconds.
CREATE TABLE ledger_records (
    id            INTEGER PRIMARY KEY,
    license_id    INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    recorded      TEXT    NOT NULL,
    operation     TEXT    NOT NULL,
    product       TEXT    NOT NULL,
    licensee      TEXT    NOT NULL,
    reseller      TEXT,
    kind          TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    has_code      INTEGER NOT NULL,
    order_key     TEXT,
    order_digest  TEXT,
    batch_index   INTEGER NOT NULL,
    record        TEXT    NOT NULL,
    valid_from    TEXT,
    -- The exclusive end of the revision's term, '9999-12-31' for none.
    expires       TEXT,
    UNIQUE (license_id, seq)
);
CREATE UNIQUE INDEX ledger_records_revision ON ledger_records (license_id, revision) WHERE has_code;
CREATE UNIQUE INDEX ledger_records_order ON ledger_records (order_key) WHERE order_key IS NOT NULL AND batch_index = 0;
CREATE INDEX ledger_records_order_all ON ledger_records (order_key) WHERE order_key IS NOT NULL;
CREATE INDEX ledger_records_recorded ON ledger_records (recorded);
CREATE INDEX ledger_records_term ON ledger_records (expires, valid_from, license_id)
    WHERE has_code AND kind = 'subscription';
CREATE INDEX ledger_records_issued ON ledger_records (recorded, kind, operation) WHERE has_code;

CREATE TABLE ledger_revocation_sequences (
    product  TEXT    PRIMARY KEY,
    last     INTEGER NOT NULL
);
-- The last license id handed out (one row).
CREATE TABLE ledger_license_ids (
    one   INTEGER PRIMARY KEY CHECK (one = 1),
    last  INTEGER NOT NULL
);

CREATE TABLE ledger_outbox (
    id            INTEGER PRIMARY KEY,
    event_id      TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    created       INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT,
    delivered     INTEGER,
    failed        INTEGER,
    last_error    TEXT
);
CREATE INDEX ledger_outbox_due ON ledger_outbox (next_attempt, id) WHERE delivered IS NULL AND failed IS NULL;
