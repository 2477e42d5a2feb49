-- The portal's and the API's searches compare `unicode_lower(text)` with the lower-cased
-- search, so a name with capitals beyond ASCII ("ÖKO-Bau GmbH") is found by "öko" on both
-- databases: PostgreSQL's lower() folds them already (a UTF-8 database), SQLite's does not,
-- so SQLite gets its own unicode_lower from the connection (db/sqlite.rs).
CREATE OR REPLACE FUNCTION unicode_lower(t TEXT) RETURNS TEXT
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    AS $$ SELECT lower(t) $$;
