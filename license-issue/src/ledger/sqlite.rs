//! The ledger in SQLite (feature `sqlite`): the embedded default of a backend that runs as
//! one instance (several connections of one process, or a second process on the same
//! file, are safe too: every write is an `IMMEDIATE` transaction).
//!
//! The tables, keys and indexes are those of the PostgreSQL ledger
//! ([`crate::PgLedger`]): each record one row of `ledger_records` at its position among
//! its license's records, so a stale batch hits the unique key `(license_id, seq)` and is
//! a [`LedgerError::Conflict`](crate::LedgerError::Conflict); outbox rows go to
//! `ledger_outbox` in the records' transaction. The file is opened in WAL mode with
//! `synchronous = FULL` (an append is durable when it returns), mode 0600. The schema
//! comes with the crate ([`SQLITE_MIGRATIONS`]) and is brought up to date by
//! [`SqliteLedger::open`].

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use license_core::{Date, Kind};
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::ledger::error::LedgerError;
use crate::ledger::store::{
    Batch, Ledger, OutboxRow, Record, SqlRow, TermsRow, decode_terms, erase_in, next_sequence,
    normalize_licensee,
};
use crate::ledger::terms::LicenseTerms;
use crate::report::error::ReportError;
use crate::report::lists::KindTotals;
use crate::report::month::Month;

/// The numbered schema migrations of the SQLite ledger, applied in order; each is applied
/// once and recorded in `ledger_migrations`.
pub const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_ledger.sql")),
    // Followed by the backfill of the licenses already recorded (`backfill_terms`).
    (2, include_str!("../../migrations/sqlite/0002_license_terms.sql")),
];

/// The migration that creates `ledger_license_terms`: applying it also writes the rows of
/// the licenses recorded before it.
const TERMS_MIGRATION: i64 = 2;

/// A ledger in one SQLite file. Cheap to clone: clones share one connection (writes are
/// serialized; open the file again for a second connection).
#[derive(Clone)]
pub struct SqliteLedger {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for SqliteLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteLedger").finish_non_exhaustive()
    }
}

fn db(e: rusqlite::Error) -> Error {
    Error::Ledger(LedgerError::Backend(Box::new(e)))
}

fn decode(text: &str) -> Result<Record, Error> {
    serde_json::from_str(text).map_err(|e| Error::Ledger(LedgerError::Backend(Box::new(e))))
}

impl SqliteLedger {
    /// Open (or create, mode 0600) the ledger at `path` and bring the schema up to date.
    /// Waits up to 10 seconds for another connection's write.
    pub fn open(path: &Path) -> Result<SqliteLedger, Error> {
        if !path.exists() {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            match options.open(path) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::io(path)(e)),
            }
        }
        let conn = Connection::open(path).map_err(db)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(db)?;
        let ledger = SqliteLedger {
            conn: Arc::new(Mutex::new(conn)),
        };
        ledger.migrate()?;
        Ok(ledger)
    }

    /// The connection (the outbox worker and the service's own tables may share it).
    pub fn connection(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (an open transaction
        // is rolled back when dropped), so the poisoned guard is still usable.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn migrate(&self) -> Result<(), Error> {
        let mut c = self.connection();
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS ledger_migrations (
                 version INTEGER PRIMARY KEY,
                 applied INTEGER NOT NULL DEFAULT (unixepoch()))",
        )
        .map_err(db)?;
        for (version, sql) in SQLITE_MIGRATIONS {
            let done = tx
                .query_row(
                    "SELECT 1 FROM ledger_migrations WHERE version = ?1",
                    [version],
                    |_| Ok(()),
                )
                .optional()
                .map_err(db)?
                .is_some();
            if !done {
                tx.execute_batch(sql).map_err(db)?;
                if *version == TERMS_MIGRATION {
                    backfill_terms(&tx)?;
                }
                tx.execute("INSERT INTO ledger_migrations (version) VALUES (?1)", [version])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }

    fn query_records(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Record>, Error> {
        let c = self.connection();
        let mut stmt = c.prepare_cached(sql).map_err(db)?;
        let texts = stmt
            .query_map(params, |row| row.get::<_, String>(0))
            .map_err(db)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(db)?;
        texts.iter().map(|t| decode(t)).collect()
    }

    /// Load `records` in one transaction (a migration from another system, a generated
    /// ledger for a benchmark): every record of licenses new to the ledger, each
    /// license's records in order, encoded as [`Ledger::append_batch`] encodes them, and
    /// each license's terms in brief (`ledger_license_terms`). All
    /// or none: a license already in the ledger (or an order key already recorded) is
    /// [`LedgerError::Conflict`](crate::LedgerError::Conflict) and loads nothing. Returns
    /// the number of records loaded. Run `ANALYZE` after a large load.
    pub fn load(&self, records: &[Record]) -> Result<u64, Error> {
        let mut c = self.connection();
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut n = 0u64;
        {
            let mut stmt = tx.prepare_cached(INSERT_RECORD).map_err(db)?;
            for row in SqlRow::bulk(records) {
                let row = row?;
                match insert_row(&mut stmt, &row) {
                    Ok(_) => n += 1,
                    Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                        return Err(Error::Ledger(LedgerError::Conflict {
                            license_id: u32::try_from(row.license_id).unwrap_or(u32::MAX),
                        }));
                    }
                    Err(e) => return Err(db(e)),
                }
            }
            let mut stmt = tx.prepare_cached(INSERT_TERMS).map_err(db)?;
            for row in TermsRow::all(records)? {
                match insert_terms(&mut stmt, &row) {
                    Ok(_) => {}
                    Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                        return Err(Error::Ledger(LedgerError::Conflict {
                            license_id: u32::try_from(row.license_id).unwrap_or(u32::MAX),
                        }));
                    }
                    Err(e) => return Err(db(e)),
                }
            }
        }
        tx.commit().map_err(db)?;
        Ok(n)
    }

    /// The totals of codes issued per kind in `month`, counted by the database (the
    /// same figures as [`crate::issued_in_month`]'s `totals`).
    pub fn issued_totals(&self, month: Month) -> Result<Vec<KindTotals>, Error> {
        let (from, to) = month.bounds().ok_or_else(|| {
            Error::Report(ReportError::InvalidMonth {
                given: month.to_string(),
            })
        })?;
        let c = self.connection();
        let mut stmt = c
            .prepare_cached(
                "SELECT kind,
                        count(*) FILTER (WHERE operation IN ('issue', 'trial')),
                        count(*)
                   FROM ledger_records
                  WHERE has_code AND recorded >= ?1 AND recorded < ?2
                  GROUP BY kind",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![from.to_string(), to.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
            })
            .map_err(db)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db)?;
        Ok(Kind::ALL
            .iter()
            .map(|&k| {
                let row = rows.iter().find(|r| r.0 == k.name());
                let n = |v: Option<i64>| v.map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX));
                KindTotals {
                    kind: crate::report::lists::kind_label(k),
                    new_licenses: n(row.map(|r| r.1)),
                    codes: n(row.map(|r| r.2)),
                }
            })
            .collect())
    }
}

const INSERT_RECORD: &str =
    "INSERT INTO ledger_records (license_id, seq, recorded, operation, product, licensee, reseller,
         kind, revision, has_code, order_key, order_digest, batch_index, record, valid_from, expires)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

fn insert_row(stmt: &mut rusqlite::CachedStatement<'_>, row: &SqlRow<'_>) -> rusqlite::Result<usize> {
    stmt.execute(params![
        row.license_id,
        row.seq,
        row.recorded,
        row.operation,
        row.product,
        row.licensee,
        row.reseller,
        row.kind,
        row.revision,
        row.has_code,
        row.order_key,
        row.order_digest,
        row.batch_index,
        row.json,
        row.valid_from,
        row.expires,
    ])
}

const INSERT_TERMS: &str = "INSERT INTO ledger_license_terms (license_id, sub_from, sub_until, terms)
     VALUES (?1, ?2, ?3, ?4)";

fn insert_terms(stmt: &mut rusqlite::CachedStatement<'_>, row: &TermsRow) -> rusqlite::Result<usize> {
    stmt.execute(params![row.license_id, row.sub_from, row.sub_until, row.json])
}

/// Rewrite the `ledger_license_terms` row of `license_id` from its records, in the
/// transaction `tx` that just changed them.
fn refresh_terms(tx: &rusqlite::Transaction<'_>, license_id: u32) -> Result<(), Error> {
    let records = {
        let mut stmt = tx
            .prepare_cached("SELECT record FROM ledger_records WHERE license_id = ?1 ORDER BY seq")
            .map_err(db)?;
        let texts = stmt
            .query_map([i64::from(license_id)], |row| row.get::<_, String>(0))
            .map_err(db)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(db)?;
        texts
            .iter()
            .map(|t| decode(t))
            .collect::<Result<Vec<Record>, Error>>()?
    };
    tx.execute(
        "DELETE FROM ledger_license_terms WHERE license_id = ?1",
        [i64::from(license_id)],
    )
    .map_err(db)?;
    if let Some(row) = TermsRow::of_records(&records)? {
        insert_terms(&mut tx.prepare_cached(INSERT_TERMS).map_err(db)?, &row).map_err(db)?;
    }
    Ok(())
}

/// Write the `ledger_license_terms` rows of every license recorded (the backfill of the
/// migration that creates the table), one license at a time.
fn backfill_terms(tx: &rusqlite::Transaction<'_>) -> Result<(), Error> {
    let mut read = tx
        .prepare("SELECT license_id, record FROM ledger_records ORDER BY license_id, seq")
        .map_err(db)?;
    let mut write = tx.prepare_cached(INSERT_TERMS).map_err(db)?;
    let mut rows = read.query([]).map_err(db)?;
    let mut license: Vec<Record> = Vec::new();
    let mut flush = |records: &mut Vec<Record>| -> Result<(), Error> {
        if let Some(row) = TermsRow::of_records(records.iter())? {
            insert_terms(&mut write, &row).map_err(db)?;
        }
        records.clear();
        Ok(())
    };
    while let Some(row) = rows.next().map_err(db)? {
        let license_id: i64 = row.get(0).map_err(db)?;
        let record = decode(&row.get::<_, String>(1).map_err(db)?)?;
        if license
            .first()
            .is_some_and(|r| i64::from(r.license.license_id) != license_id)
        {
            flush(&mut license)?;
        }
        license.push(record);
    }
    flush(&mut license)
}

/// The records of `batch` at their positions, in the open transaction `tx`; a unique-key
/// violation is a conflict.
fn insert_batch(tx: &rusqlite::Transaction<'_>, batch: &Batch<'_>) -> Result<(), Error> {
    let mut stmt = tx.prepare_cached(INSERT_RECORD).map_err(db)?;
    for (i, r) in batch.records.iter().enumerate() {
        let inserted = insert_row(&mut stmt, &SqlRow::of(r, batch.expected + i, i)?);
        match inserted {
            Ok(_) => {}
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                return Err(Error::Ledger(LedgerError::Conflict {
                    license_id: batch.license_id,
                }));
            }
            Err(e) => return Err(db(e)),
        }
    }
    refresh_terms(tx, batch.license_id)
}

impl SqliteLedger {
    fn write(&self, batch: &Batch<'_>, outbox: &[OutboxRow]) -> Result<(), Error> {
        let mut c = self.connection();
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        insert_batch(&tx, batch)?;
        for o in outbox {
            tx.execute(
                "INSERT INTO ledger_outbox (event_id, kind, payload, created) VALUES (?1, ?2, ?3, unixepoch())",
                params![o.event_id, o.kind, o.payload],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)
    }
}

impl Ledger for SqliteLedger {
    fn append(&mut self, record: &Record) -> Result<(), Error> {
        let id = record.license.license_id;
        let expected = self.records_of(id)?.len();
        self.append_batch(&Batch {
            license_id: id,
            expected,
            records: std::slice::from_ref(record),
        })
    }

    /// One `IMMEDIATE` transaction: all records or none; a unique-key violation is a
    /// conflict.
    fn append_batch(&mut self, batch: &Batch<'_>) -> Result<(), Error> {
        self.write(batch, &[])
    }

    fn append_batch_with_outbox(&mut self, batch: &Batch<'_>, outbox: &[OutboxRow]) -> Result<(), Error> {
        self.write(batch, outbox)
    }

    fn records_active_on(&self, day: Date) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records
              WHERE license_id IN (
                    SELECT license_id FROM ledger_records
                     WHERE has_code AND kind = 'subscription' AND valid_from <= ?1
                       AND expires > ?1)
              ORDER BY license_id, seq",
            [day.to_string()],
        )
    }

    /// The rows of `ledger_license_terms` whose subscription span holds `day`, by an
    /// index range scan (`ledger_license_terms_span`).
    fn license_terms_active_on(&self, day: Date) -> Result<Vec<LicenseTerms>, Error> {
        let c = self.connection();
        let mut stmt = c
            .prepare_cached(
                "SELECT terms FROM ledger_license_terms
                  WHERE sub_until > ?1 AND sub_from <= ?1 ORDER BY license_id",
            )
            .map_err(db)?;
        let texts = stmt
            .query_map([day.to_string()], |row| row.get::<_, String>(0))
            .map_err(db)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(db)?;
        texts.iter().map(|t| decode_terms(t)).collect()
    }

    /// The rows of `ledger_license_terms` whose subscription span meets `first..=last`,
    /// by the same index.
    fn license_terms_active_between(&self, first: Date, last: Date) -> Result<Vec<LicenseTerms>, Error> {
        let c = self.connection();
        let mut stmt = c
            .prepare_cached(
                "SELECT terms FROM ledger_license_terms
                  WHERE sub_until > ?1 AND sub_from <= ?2 ORDER BY license_id",
            )
            .map_err(db)?;
        let texts = stmt
            .query_map([first.to_string(), last.to_string()], |row| {
                row.get::<_, String>(0)
            })
            .map_err(db)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(db)?;
        texts.iter().map(|t| decode_terms(t)).collect()
    }

    fn records_in_term(&self, from: Date, to: Date) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records
              WHERE license_id IN (
                    SELECT license_id FROM ledger_records
                     WHERE has_code AND kind = 'subscription' AND valid_from < ?2
                       AND expires > ?1)
              ORDER BY license_id, seq",
            [from.to_string(), to.to_string()],
        )
    }

    fn records(&self) -> Result<Vec<Record>, Error> {
        self.query_records("SELECT record FROM ledger_records ORDER BY id", [])
    }

    fn records_of(&self, license_id: u32) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records WHERE license_id = ?1 ORDER BY seq",
            [i64::from(license_id)],
        )
    }

    fn records_of_order(&self, key: &str) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records WHERE order_key = ?1 ORDER BY id",
            [key],
        )
    }

    fn records_recorded(&self, from: Date, to: Date) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records WHERE recorded >= ?1 AND recorded < ?2 ORDER BY id",
            [from.to_string(), to.to_string()],
        )
    }

    /// One above the last id handed out and every id recorded, at least `first`; kept in
    /// `ledger_license_ids`, so concurrent new licenses get distinct ids.
    fn new_license_id(&self, first: u32) -> Result<u32, Error> {
        let mut c = self.connection();
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let last: i64 = tx
            .query_row(
                "SELECT max(COALESCE((SELECT last FROM ledger_license_ids WHERE one = 1), 0),
                            COALESCE((SELECT max(license_id) FROM ledger_records), 0))",
                [],
                |r| r.get(0),
            )
            .map_err(db)?;
        let next = last.saturating_add(1).max(i64::from(first));
        let id = u32::try_from(next).map_err(|_| Error::Order(OrderError::LicenseIdsExhausted))?;
        tx.execute(
            "INSERT INTO ledger_license_ids (one, last) VALUES (1, ?1)
             ON CONFLICT (one) DO UPDATE SET last = excluded.last",
            [next],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(id)
    }

    fn last_license_id(&self) -> Result<Option<u32>, Error> {
        let c = self.connection();
        let max: Option<i64> = c
            .query_row("SELECT max(license_id) FROM ledger_records", [], |r| r.get(0))
            .map_err(db)?;
        Ok(max.and_then(|m| u32::try_from(m).ok()))
    }

    fn erase_licensee(&mut self, licensee: &str, pseudonym: &str) -> Result<usize, Error> {
        let target = normalize_licensee(licensee);
        let mut c = self.connection();
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let rows: Vec<(i64, String)> = {
            let mut stmt = tx
                .prepare("SELECT id, record FROM ledger_records ORDER BY id")
                .map_err(db)?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(db)?
                .collect::<Result<_, _>>()
                .map_err(db)?
        };
        let mut n = 0;
        let mut changed = std::collections::BTreeSet::new();
        for (id, text) in rows {
            let mut record = decode(&text)?;
            if normalize_licensee(&record.licensee) != target {
                continue;
            }
            n += erase_in(std::slice::from_mut(&mut record), licensee, pseudonym);
            let json = serde_json::to_string(&record).map_err(LedgerError::LedgerEncode)?;
            tx.execute(
                "UPDATE ledger_records SET licensee = ?2, record = ?3 WHERE id = ?1",
                params![id, record.licensee, json],
            )
            .map_err(db)?;
            changed.insert(record.license.license_id);
        }
        for license_id in changed {
            refresh_terms(&tx, license_id)?;
        }
        tx.commit().map_err(db)?;
        Ok(n)
    }

    fn claim_revocation_sequence(&mut self, product: &str, at_least: u64) -> Result<u64, Error> {
        let first =
            i64::try_from(next_sequence(None, at_least)?).map_err(|_| LedgerError::SequenceExhausted)?;
        let c = self.connection();
        let last: i64 = c
            .query_row(
                "INSERT INTO ledger_revocation_sequences (product, last) VALUES (?1, ?2)
                 ON CONFLICT (product) DO UPDATE
                    SET last = max(ledger_revocation_sequences.last + 1, ?2)
                 RETURNING last",
                params![product, first],
                |r| r.get(0),
            )
            .map_err(db)?;
        u64::try_from(last).map_err(|_| LedgerError::SequenceExhausted.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_and_the_file_is_private() {
        let versions: Vec<i64> = SQLITE_MIGRATIONS.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (1..=SQLITE_MIGRATIONS.len() as i64).collect::<Vec<_>>());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let l = SqliteLedger::open(&path).unwrap();
        drop(l);
        // Opening again applies nothing twice.
        SqliteLedger::open(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
}
