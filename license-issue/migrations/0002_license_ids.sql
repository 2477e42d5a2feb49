-- New license ids from a sequence: instances issuing new licenses at once each get their
-- own id instead of colliding on the highest id plus one (ids of orders that fail are
-- skipped; revisions stay gapless per license). It starts above every id recorded.
CREATE SEQUENCE ledger_license_ids AS bigint MINVALUE 1 MAXVALUE 4294967295;
SELECT setval('ledger_license_ids', COALESCE((SELECT max(license_id) FROM ledger_records), 0) + 1, false);
