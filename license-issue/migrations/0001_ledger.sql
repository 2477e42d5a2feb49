-- The ledger: one row per record, in the order appended.
CREATE TABLE ledger_records (
    -- The global append order.
    id            bigserial PRIMARY KEY,
    license_id    bigint   NOT NULL,
    -- The record's position among its license's records (0, 1, ...): an issuer appends
    -- at the position it read, so two writers that read the same state collide here.
    seq           integer  NOT NULL,
    recorded      date     NOT NULL,
    operation     text     NOT NULL,
    product       text     NOT NULL,
    licensee      text     NOT NULL,
    reseller      text,
    kind          text     NOT NULL,
    revision      integer  NOT NULL,
    has_code      boolean  NOT NULL,
    -- The idempotency key of the order, and the record's place in that order's batch.
    order_key     text,
    order_digest  text,
    batch_index   integer  NOT NULL,
    -- The whole record, as license-issue reads it back.
    record        text     NOT NULL,
    UNIQUE (license_id, seq)
);
-- A revision is issued once.
CREATE UNIQUE INDEX ledger_records_revision ON ledger_records (license_id, revision) WHERE has_code;
-- An order is recorded once.
CREATE UNIQUE INDEX ledger_records_order ON ledger_records (order_key) WHERE order_key IS NOT NULL AND batch_index = 0;
CREATE INDEX ledger_records_order_all ON ledger_records (order_key) WHERE order_key IS NOT NULL;
CREATE INDEX ledger_records_recorded ON ledger_records (recorded);

-- The last revocation-list sequence number allocated per product.
CREATE TABLE ledger_revocation_sequences (
    product  text   PRIMARY KEY,
    last     bigint NOT NULL
);
