-- The outbox: messages (webhook events, e-mails) written in the same transaction as the
-- records they describe, and sent by a delivery worker (crate license-notify), at least
-- once, under their event id. Times are Unix seconds.
CREATE TABLE ledger_outbox (
    id            bigserial PRIMARY KEY,
    event_id      text     NOT NULL UNIQUE,
    kind          text     NOT NULL,
    payload       text     NOT NULL,
    created       bigint   NOT NULL,
    -- Sending attempts so far, and when the next may start (a claim moves it forward by
    -- the claim's lease: no other worker takes the row meanwhile).
    attempts      integer  NOT NULL DEFAULT 0,
    next_attempt  bigint   NOT NULL DEFAULT 0,
    claimed_by    text,
    delivered     bigint,
    -- Given up after the worker's last attempt (kept, with the error, to be re-queued).
    failed        bigint,
    last_error    text
);
CREATE INDEX ledger_outbox_due ON ledger_outbox (next_attempt, id) WHERE delivered IS NULL AND failed IS NULL;

-- The term of each revision, for "active on a day" with an index (the report itself
-- computes with the library's functions over the records of the licenses found).
-- `expires` is the exclusive end of the revision's term, 9999-12-31 for none.
ALTER TABLE ledger_records ADD COLUMN valid_from date, ADD COLUMN expires date;
UPDATE ledger_records
   SET valid_from = (record::jsonb #>> '{license,valid_from}')::date,
       expires = COALESCE((record::jsonb #>> '{license,expires}')::date, '9999-12-31');
CREATE INDEX ledger_records_term ON ledger_records (expires, valid_from, license_id)
    WHERE has_code AND kind = 'subscription';
-- "Issued in a month": the codes of a month by kind, from the index alone.
CREATE INDEX ledger_records_issued ON ledger_records (recorded, kind, operation) WHERE has_code;
