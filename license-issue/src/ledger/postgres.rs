//! The ledger in PostgreSQL (feature `postgres`): several backend instances issue against
//! one database at once.
//!
//! Each record is one row of `ledger_records`, with its position among its license's
//! records (`seq`). An operation's batch is one multi-row `INSERT` (atomic by itself) at
//! the positions the operation read, so of two instances that read the same state one
//! inserts and the other hits the unique key `(license_id, seq)`: that is
//! [`LedgerError::Conflict`](crate::LedgerError::Conflict), and its issuer runs the order again on a fresh read. New license
//! ids collide the same way at `(id, 0)`. Revisions are unique per license (a unique
//! index too), and an order key is recorded once (a unique index on the first record of
//! each order). The schema comes with the crate ([`MIGRATIONS`]) and is brought up to
//! date by [`PgLedger::open`], in the connection's `search_path`.

use std::time::Duration;

use license_core::{Date, Kind};
use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::postgres::error::SqlState;
use r2d2_postgres::postgres::types::ToSql;
use r2d2_postgres::postgres::{self, GenericClient, NoTls};

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

/// The numbered schema migrations, applied in order; each is applied once and recorded
/// in `ledger_migrations`.
pub const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../../migrations/0001_ledger.sql")),
    (2, include_str!("../../migrations/0002_license_ids.sql")),
    (
        3,
        include_str!("../../migrations/0003_outbox_and_report_indexes.sql"),
    ),
    // Followed by the backfill of the licenses already recorded (`backfill_terms`).
    (4, include_str!("../../migrations/0004_license_terms.sql")),
];

/// The migration that creates `ledger_license_terms`: applying it also writes the rows of
/// the licenses recorded before it.
const TERMS_MIGRATION: i32 = 4;

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

/// A ledger in a PostgreSQL database, through a small connection pool. Cheap to clone:
/// clones share the pool (one per backend instance; one clone per thread).
#[derive(Clone)]
pub struct PgLedger {
    pool: Pool,
}

impl std::fmt::Debug for PgLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgLedger")
            .field("connections", &self.pool.state().connections)
            .finish()
    }
}

fn backend(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Ledger(LedgerError::Backend(Box::new(e)))
}

/// A database error whose text includes what the server said (the driver's own
/// `Display` is only "db error").
#[derive(Debug)]
struct Db(postgres::Error);

impl std::fmt::Display for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_db_error() {
            Some(db) => write!(f, "{} {}: {}", db.severity(), db.code().code(), db.message()),
            None => self.0.fmt(f),
        }
    }
}

impl std::error::Error for Db {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn db(e: postgres::Error) -> Error {
    backend(Db(e))
}

impl PgLedger {
    /// Connect with `config` (its `options` may set the `search_path`), with at most
    /// `connections` connections, and bring the schema up to date. Waits up to 10
    /// seconds for a connection.
    pub fn open(config: postgres::Config, connections: u32) -> Result<PgLedger, Error> {
        PgLedger::open_with_timeout(config, connections, Duration::from_secs(10))
    }

    /// [`PgLedger::open`], waiting at most `timeout` for a connection (then, and for every
    /// later operation that cannot get one, [`LedgerError::Backend`](crate::LedgerError::Backend)).
    pub fn open_with_timeout(
        config: postgres::Config,
        connections: u32,
        timeout: Duration,
    ) -> Result<PgLedger, Error> {
        let manager = PostgresConnectionManager::new(config, NoTls);
        let pool = r2d2::Pool::builder()
            .max_size(connections.max(1))
            .min_idle(Some(0))
            .connection_timeout(timeout)
            .build(manager)
            .map_err(backend)?;
        let ledger = PgLedger { pool };
        ledger.migrate()?;
        Ok(ledger)
    }

    /// Connect with a URL (`postgres://user:password@host:port/database`).
    pub fn connect(url: &str, connections: u32) -> Result<PgLedger, Error> {
        let config: postgres::Config = url.parse().map_err(db)?;
        PgLedger::open(config, connections)
    }

    fn conn(&self) -> Result<r2d2::PooledConnection<PostgresConnectionManager<NoTls>>, Error> {
        self.pool.get().map_err(backend)
    }

    /// A connection of the ledger's pool (the outbox worker and a service's own tables
    /// use it), returned to the pool when dropped.
    pub fn connection(&self) -> Result<impl std::ops::DerefMut<Target = postgres::Client> + use<>, Error> {
        self.conn()
    }

    /// Apply the migrations not yet applied, under an advisory lock (two instances
    /// starting at once apply each migration once).
    fn migrate(&self) -> Result<(), Error> {
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock(7301150917)", &[])
            .map_err(db)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS ledger_migrations (
                 version integer PRIMARY KEY,
                 applied timestamptz NOT NULL DEFAULT now())",
        )
        .map_err(db)?;
        for (version, sql) in MIGRATIONS {
            let done = tx
                .query_opt("SELECT 1 FROM ledger_migrations WHERE version = $1", &[version])
                .map_err(db)?
                .is_some();
            if !done {
                tx.batch_execute(sql).map_err(db)?;
                if *version == TERMS_MIGRATION {
                    backfill_terms(&mut tx)?;
                }
                tx.execute("INSERT INTO ledger_migrations (version) VALUES ($1)", &[version])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }

    fn query_records(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Record>, Error> {
        let mut c = self.conn()?;
        c.query(sql, params)
            .map_err(db)?
            .iter()
            .map(|row| {
                let text: String = row.get(0);
                serde_json::from_str(&text).map_err(|e| Error::Ledger(LedgerError::Backend(Box::new(e))))
            })
            .collect()
    }

    /// Load `records` in one `COPY` (a migration from another system, a generated ledger
    /// for a benchmark): every record of licenses new to the ledger, each license's
    /// records in order, encoded as [`Ledger::append_batch`] encodes them, and each
    /// license's terms in brief (`ledger_license_terms`) in a second `COPY` of the same
    /// transaction. All or none: a
    /// license already in the ledger (or an order key already recorded) is
    /// [`LedgerError::Conflict`](crate::LedgerError::Conflict) and loads nothing. The
    /// sequence of new license ids is moved above the highest id loaded. Returns the
    /// number of records loaded. Run `VACUUM ANALYZE ledger_records, ledger_license_terms` after a large load (the
    /// report queries' plans depend on the table's statistics).
    pub fn load(&self, records: &[Record]) -> Result<u64, Error> {
        use std::io::Write;
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(db)?;
        let mut text = String::new();
        for row in SqlRow::bulk(records) {
            copy_line(&mut text, &row?);
        }
        let mut writer = tx
            .copy_in(format!("COPY ledger_records ({RECORD_COLUMNS}) FROM STDIN").as_str())
            .map_err(db)?;
        writer.write_all(text.as_bytes()).map_err(backend)?;
        let loaded = match writer.finish() {
            Ok(n) => n,
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                return Err(Error::Ledger(LedgerError::Conflict {
                    license_id: records.first().map_or(0, |r| r.license.license_id),
                }));
            }
            Err(e) => return Err(db(e)),
        };
        copy_terms(&mut tx, &TermsRow::all(records)?)?;
        tx.execute(
            "SELECT setval('ledger_license_ids', GREATEST(
                 (SELECT last_value FROM ledger_license_ids),
                 (SELECT COALESCE(max(license_id), 0) FROM ledger_records)))",
            &[],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(loaded)
    }

    /// The totals of codes issued per kind in `month`, counted by the database (the
    /// same figures as [`crate::issued_in_month`]'s `totals`).
    pub fn issued_totals(&self, month: Month) -> Result<Vec<KindTotals>, Error> {
        let (from, to) = month.bounds().ok_or_else(|| {
            Error::Report(ReportError::InvalidMonth {
                given: month.to_string(),
            })
        })?;
        let mut c = self.conn()?;
        let rows = c
            .query(
                "SELECT kind,
                        count(*) FILTER (WHERE operation IN ('issue', 'trial'))::bigint,
                        count(*)::bigint
                   FROM ledger_records
                  WHERE has_code AND recorded >= $1::text::date AND recorded < $2::text::date
                  GROUP BY kind",
                &[&from.to_string(), &to.to_string()],
            )
            .map_err(db)?;
        Ok(Kind::ALL
            .iter()
            .map(|&k| {
                let row = rows.iter().find(|r| r.get::<_, String>(0) == k.name());
                let n = |i| row.map_or(0, |r| u32::try_from(r.get::<_, i64>(i)).unwrap_or(u32::MAX));
                KindTotals {
                    kind: crate::report::lists::kind_label(k),
                    new_licenses: n(1),
                    codes: n(2),
                }
            })
            .collect())
    }
}

/// The columns of `ledger_records` a record fills, in [`SqlRow`]'s order.
const RECORD_COLUMNS: &str = "license_id, seq, recorded, operation, product, licensee, reseller, kind, \
     revision, has_code, order_key, order_digest, batch_index, record, valid_from, expires";

/// One field of a `COPY ... FROM STDIN` text row: `\N` for none, else the text with
/// backslash, tab, newline and carriage return escaped.
fn copy_field(out: &mut String, value: Option<&str>) {
    let Some(v) = value else {
        out.push_str("\\N");
        return;
    };
    for ch in v.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// `row` as one line of `COPY ledger_records (RECORD_COLUMNS) FROM STDIN` (text format).
fn copy_line(out: &mut String, row: &SqlRow<'_>) {
    let (license_id, seq) = (row.license_id.to_string(), row.seq.to_string());
    let (revision, batch_index) = (row.revision.to_string(), row.batch_index.to_string());
    let fields: [Option<&str>; 16] = [
        Some(&license_id),
        Some(&seq),
        Some(&row.recorded),
        Some(row.operation),
        Some(row.product),
        Some(row.licensee),
        row.reseller,
        Some(row.kind),
        Some(&revision),
        Some(if row.has_code { "t" } else { "f" }),
        row.order_key,
        row.order_digest,
        Some(&batch_index),
        Some(&row.json),
        Some(&row.valid_from),
        Some(&row.expires),
    ];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        copy_field(out, *f);
    }
    out.push('\n');
}

/// Write `rows` (licenses new to `ledger_license_terms`) in one `COPY`.
fn copy_terms(tx: &mut postgres::Transaction<'_>, rows: &[TermsRow]) -> Result<(), Error> {
    use std::io::Write;
    if rows.is_empty() {
        return Ok(());
    }
    let mut text = String::new();
    for row in rows {
        let license_id = row.license_id.to_string();
        for (i, f) in [
            Some(license_id.as_str()),
            Some(row.sub_from.as_str()),
            Some(row.sub_until.as_str()),
            Some(row.json.as_str()),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                text.push('\t');
            }
            copy_field(&mut text, f);
        }
        text.push('\n');
    }
    let mut writer = tx
        .copy_in("COPY ledger_license_terms (license_id, sub_from, sub_until, terms) FROM STDIN")
        .map_err(db)?;
    writer.write_all(text.as_bytes()).map_err(backend)?;
    match writer.finish() {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
            Err(Error::Ledger(LedgerError::Conflict {
                license_id: rows
                    .first()
                    .map_or(0, |r| u32::try_from(r.license_id).unwrap_or(u32::MAX)),
            }))
        }
        Err(e) => Err(db(e)),
    }
}

/// Rewrite the `ledger_license_terms` row of `license_id` from its records, in the
/// transaction that just changed them.
fn refresh_terms(c: &mut impl GenericClient, license_id: u32) -> Result<(), Error> {
    let records = c
        .query(
            "SELECT record FROM ledger_records WHERE license_id = $1 ORDER BY seq",
            &[&i64::from(license_id)],
        )
        .map_err(db)?
        .iter()
        .map(|row| decode(row.get(0)))
        .collect::<Result<Vec<Record>, Error>>()?;
    match TermsRow::of_records(&records)? {
        Some(row) => c
            .execute(
                "INSERT INTO ledger_license_terms (license_id, sub_from, sub_until, terms)
                 VALUES ($1, $2::text::date, $3::text::date, $4)
                 ON CONFLICT (license_id) DO UPDATE
                    SET sub_from = excluded.sub_from, sub_until = excluded.sub_until,
                        terms = excluded.terms",
                &[&row.license_id, &row.sub_from, &row.sub_until, &row.json],
            )
            .map_err(db)?,
        None => c
            .execute(
                "DELETE FROM ledger_license_terms WHERE license_id = $1",
                &[&i64::from(license_id)],
            )
            .map_err(db)?,
    };
    Ok(())
}

/// Records per page of the backfill: small in debug builds, so that the tests' ledgers
/// (a few hundred licenses) span several pages.
const BACKFILL_PAGE: i64 = if cfg!(debug_assertions) { 100 } else { 50_000 };

/// Write the `ledger_license_terms` rows of every license recorded (the backfill of the
/// migration that creates the table), a page of records at a time from a cursor over the
/// records by license: the records of a page's last license wait for the next page, which
/// may hold more of them.
fn backfill_terms(tx: &mut postgres::Transaction<'_>) -> Result<(), Error> {
    tx.batch_execute(
        "DECLARE ledger_backfill NO SCROLL CURSOR FOR
             SELECT record FROM ledger_records ORDER BY license_id, seq",
    )
    .map_err(db)?;
    let mut carried: Vec<Record> = Vec::new();
    loop {
        let page = tx
            .query(
                format!("FETCH {BACKFILL_PAGE} FROM ledger_backfill").as_str(),
                &[],
            )
            .map_err(db)?
            .iter()
            .map(|row| decode(row.get(0)))
            .collect::<Result<Vec<Record>, Error>>()?;
        let last_page = (page.len() as i64) < BACKFILL_PAGE;
        carried.extend(page);
        let keep = match (last_page, carried.last()) {
            (false, Some(last)) => {
                let id = last.license.license_id;
                carried
                    .iter()
                    .position(|r| r.license.license_id == id)
                    .unwrap_or(0)
            }
            _ => carried.len(),
        };
        let rest = carried.split_off(keep);
        copy_terms(tx, &TermsRow::all(&carried)?)?;
        carried = rest;
        if last_page {
            break;
        }
    }
    tx.batch_execute("CLOSE ledger_backfill").map_err(db)
}

/// Decode a record's JSON column.
fn decode(text: &str) -> Result<Record, Error> {
    serde_json::from_str(text).map_err(|e| Error::Ledger(LedgerError::Backend(Box::new(e))))
}

/// The records of `batch` as one multi-row INSERT, and the license's terms in brief
/// rewritten; call it in a transaction (all or none). A unique-key violation (another
/// writer at the same position, the same revision, or the same order key) is a conflict.
fn insert_batch(c: &mut impl GenericClient, batch: &Batch<'_>) -> Result<(), Error> {
    const COLUMNS: usize = 16;
    let mut sql = format!("INSERT INTO ledger_records ({RECORD_COLUMNS}) VALUES ");
    let rows = batch
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| SqlRow::of(r, batch.expected + i, i))
        .collect::<Result<Vec<_>, Error>>()?;
    let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(rows.len() * COLUMNS);
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let b = i * COLUMNS;
        sql.push_str(&format!(
            "(${}, ${}, ${}::text::date, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}::text::date, ${}::text::date)",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7,
            b + 8,
            b + 9,
            b + 10,
            b + 11,
            b + 12,
            b + 13,
            b + 14,
            b + 15,
            b + 16
        ));
        params.extend_from_slice(&[
            &row.license_id,
            &row.seq,
            &row.recorded,
            &row.operation,
            &row.product,
            &row.licensee,
            &row.reseller,
            &row.kind,
            &row.revision,
            &row.has_code,
            &row.order_key,
            &row.order_digest,
            &row.batch_index,
            &row.json,
            &row.valid_from,
            &row.expires,
        ]);
    }
    match c.execute(sql.as_str(), &params) {
        Ok(_) => {}
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
            return Err(Error::Ledger(LedgerError::Conflict {
                license_id: batch.license_id,
            }));
        }
        Err(e) => return Err(db(e)),
    }
    refresh_terms(c, batch.license_id)
}

impl Ledger for PgLedger {
    fn append(&mut self, record: &Record) -> Result<(), Error> {
        let id = record.license.license_id;
        let expected = self.records_of(id)?.len();
        self.append_batch(&Batch {
            license_id: id,
            expected,
            records: std::slice::from_ref(record),
        })
    }

    /// One multi-row INSERT and the license's terms in brief, in one transaction: all
    /// records or none. A unique-key violation (another writer at the same position, the
    /// same revision, or the same order key) is a conflict.
    fn append_batch(&mut self, batch: &Batch<'_>) -> Result<(), Error> {
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(db)?;
        insert_batch(&mut tx, batch)?;
        tx.commit().map_err(db)
    }

    /// The records' INSERT and the outbox rows in one transaction.
    fn append_batch_with_outbox(&mut self, batch: &Batch<'_>, outbox: &[OutboxRow]) -> Result<(), Error> {
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(db)?;
        insert_batch(&mut tx, batch)?;
        for o in outbox {
            tx.execute(
                "INSERT INTO ledger_outbox (event_id, kind, payload, created)
                 VALUES ($1, $2, $3, extract(epoch FROM now())::bigint)",
                &[&o.event_id, &o.kind, &o.payload],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)
    }

    fn records_active_on(&self, day: Date) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records
              WHERE license_id IN (
                    SELECT license_id FROM ledger_records
                     WHERE has_code AND kind = 'subscription' AND valid_from <= $1::text::date
                       AND expires > $1::text::date)
              ORDER BY license_id, seq",
            &[&day.to_string()],
        )
    }

    /// The rows of `ledger_license_terms` whose subscription span holds `day`, by an
    /// index range scan (`ledger_license_terms_span`).
    fn license_terms_active_on(&self, day: Date) -> Result<Vec<LicenseTerms>, Error> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut c = self.conn()?;
        let day = day.to_string();
        // Decoded as the rows arrive, while the server still sends.
        let mut rows = c
            .query_raw(
                "SELECT terms FROM ledger_license_terms
                  WHERE sub_until > $1::text::date AND sub_from <= $1::text::date",
                [&day],
            )
            .map_err(db)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(db)? {
            out.push(decode_terms(row.get(0))?);
        }
        out.sort_unstable_by_key(|t| t.license_id);
        Ok(out)
    }

    /// The rows of `ledger_license_terms` whose subscription span meets `first..=last`,
    /// by the same index.
    fn license_terms_active_between(&self, first: Date, last: Date) -> Result<Vec<LicenseTerms>, Error> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut c = self.conn()?;
        let (first, last) = (first.to_string(), last.to_string());
        let mut rows = c
            .query_raw(
                "SELECT terms FROM ledger_license_terms
                  WHERE sub_until > $1::text::date AND sub_from <= $2::text::date",
                [&first, &last],
            )
            .map_err(db)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(db)? {
            out.push(decode_terms(row.get(0))?);
        }
        out.sort_unstable_by_key(|t| t.license_id);
        Ok(out)
    }

    fn records_in_term(&self, from: Date, to: Date) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records
              WHERE license_id IN (
                    SELECT license_id FROM ledger_records
                     WHERE has_code AND kind = 'subscription' AND valid_from < $2::text::date
                       AND expires > $1::text::date)
              ORDER BY license_id, seq",
            &[&from.to_string(), &to.to_string()],
        )
    }

    fn records(&self) -> Result<Vec<Record>, Error> {
        self.query_records("SELECT record FROM ledger_records ORDER BY id", &[])
    }

    fn records_of(&self, license_id: u32) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records WHERE license_id = $1 ORDER BY seq",
            &[&i64::from(license_id)],
        )
    }

    fn records_of_order(&self, key: &str) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records WHERE order_key = $1 ORDER BY id",
            &[&key],
        )
    }

    fn records_recorded(&self, from: Date, to: Date) -> Result<Vec<Record>, Error> {
        self.query_records(
            "SELECT record FROM ledger_records
              WHERE recorded >= $1::text::date AND recorded < $2::text::date ORDER BY id",
            &[&from.to_string(), &to.to_string()],
        )
    }

    /// From the sequence `ledger_license_ids`: concurrent new licenses get distinct ids
    /// without a conflict. Below the catalog's first id, the sequence is moved up to it
    /// (two issuers doing that at once may get the same id: one of them conflicts).
    fn new_license_id(&self, first: u32) -> Result<u32, Error> {
        let mut c = self.conn()?;
        let n: i64 = c
            .query_one("SELECT nextval('ledger_license_ids')", &[])
            .map_err(db)?
            .get(0);
        let n = if n < i64::from(first) {
            c.query_one(
                "SELECT setval('ledger_license_ids', GREATEST($1, (SELECT last_value FROM ledger_license_ids)))",
                &[&i64::from(first)],
            )
            .map_err(db)?
            .get(0)
        } else {
            n
        };
        u32::try_from(n).map_err(|_| OrderError::LicenseIdsExhausted.into())
    }

    fn new_license_id_in(&self, range: license_core::IdRange) -> Result<u32, Error> {
        let mut c = self.conn()?;
        let row = c
            .query_one(
                "SELECT max(license_id) FROM ledger_records WHERE license_id BETWEEN $1 AND $2",
                &[&i64::from(range.first), &i64::from(range.last)],
            )
            .map_err(db)?;
        let max: Option<i64> = row.get(0);
        match max {
            None => Ok(range.first),
            Some(m) => u32::try_from(m + 1).map_err(|_| OrderError::LicenseIdsExhausted.into()),
        }
    }

    fn last_license_id(&self) -> Result<Option<u32>, Error> {
        let mut c = self.conn()?;
        let row = c
            .query_one("SELECT max(license_id) FROM ledger_records", &[])
            .map_err(db)?;
        let max: Option<i64> = row.get(0);
        Ok(max.and_then(|m| u32::try_from(m).ok()))
    }

    /// In one transaction: the rows of the licensee (compared as the signature does)
    /// are rewritten with the pseudonym and without contact data.
    fn erase_licensee(&mut self, licensee: &str, pseudonym: &str) -> Result<usize, Error> {
        let target = normalize_licensee(licensee);
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(db)?;
        let rows = tx
            .query(
                "SELECT id, record FROM ledger_records ORDER BY id FOR UPDATE",
                &[],
            )
            .map_err(db)?;
        let mut n = 0;
        let mut changed = std::collections::BTreeSet::new();
        for row in rows {
            let id: i64 = row.get(0);
            let text: String = row.get(1);
            let mut record: Record =
                serde_json::from_str(&text).map_err(|e| Error::Ledger(LedgerError::Backend(Box::new(e))))?;
            if normalize_licensee(&record.licensee) != target {
                continue;
            }
            n += erase_in(std::slice::from_mut(&mut record), licensee, pseudonym);
            let json = serde_json::to_string(&record).map_err(LedgerError::LedgerEncode)?;
            tx.execute(
                "UPDATE ledger_records SET licensee = $2, record = $3 WHERE id = $1",
                &[&id, &record.licensee, &json],
            )
            .map_err(db)?;
            changed.insert(record.license.license_id);
        }
        for license_id in changed {
            refresh_terms(&mut tx, license_id)?;
        }
        tx.commit().map_err(db)?;
        Ok(n)
    }

    fn claim_revocation_sequence(&mut self, product: &str, at_least: u64) -> Result<u64, Error> {
        // The first number: at least 1 and `at_least`; later ones: one above the last.
        let first =
            i64::try_from(next_sequence(None, at_least)?).map_err(|_| LedgerError::SequenceExhausted)?;
        let mut c = self.conn()?;
        let row = c
            .query_one(
                "INSERT INTO ledger_revocation_sequences (product, last) VALUES ($1, $2)
                 ON CONFLICT (product) DO UPDATE
                    SET last = GREATEST(ledger_revocation_sequences.last + 1, $2)
                 RETURNING last",
                &[&product, &first],
            )
            .map_err(db)?;
        let last: i64 = row.get(0);
        u64::try_from(last).map_err(|_| LedgerError::SequenceExhausted.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order() {
        let versions: Vec<i32> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (1..=MIGRATIONS.len() as i32).collect::<Vec<_>>());
        assert!(MIGRATIONS[0].1.contains("UNIQUE (license_id, seq)"));
    }
}
