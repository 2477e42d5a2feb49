-- The terms in brief (license-issue's LicenseTerms as JSON) of each license with a
-- subscription term: what "active on a day" reads of a license, one short row instead of
-- every record (licenses without a subscription term are active on no day and have no
-- row). Rewritten in the transaction of every append (and of a bulk load and an erasure)
-- from the license's records by the library's own fold; the migration's backfill writes
-- the rows of the licenses already recorded. `sub_from` / `sub_until`: the first day of
-- the license's first subscription term and the exclusive end of its last one
-- (9999-12-31 for none); the report selects the licenses whose span holds the day (a
-- superset) and the library's rule decides.
CREATE TABLE ledger_license_terms (
    license_id  bigint PRIMARY KEY,
    sub_from    date   NOT NULL,
    sub_until   date   NOT NULL,
    terms       text   NOT NULL
);
CREATE INDEX ledger_license_terms_span ON ledger_license_terms (sub_until, sub_from);
