-- The terms in brief of each license with a subscription term: the table of the
-- PostgreSQL ledger's migration 0004 (see there), in SQLite's types; the backfill of the
-- licenses already recorded runs with it.
CREATE TABLE ledger_license_terms (
    license_id  INTEGER PRIMARY KEY,
    sub_from    TEXT    NOT NULL,
    sub_until   TEXT    NOT NULL,
    terms       TEXT    NOT NULL
);
CREATE INDEX ledger_license_terms_span ON ledger_license_terms (sub_until, sub_from);
