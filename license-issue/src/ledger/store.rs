//! The ledger: every issued code and every event of a license's life, append-only,
//! behind a trait so a vendor's backend can keep it in its own database.

use std::collections::BTreeMap;

use license_core::Date;

use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::ledger::error::LedgerError;
use crate::ledger::terms::LicenseTerms;

pub use crate::ledger::record::{MaintenanceKind, Operation, OrderRef, Record, normalize_licensee};

/// The records of one operation, appended all or none.
#[derive(Clone, Copy, Debug)]
pub struct Batch<'a> {
    /// The license they belong to.
    pub license_id: u32,
    /// How many records of the license the operation read before it decided (0 for a
    /// new license). If the ledger holds more by now, another order changed the license
    /// meanwhile: the append fails with [`LedgerError::Conflict`](crate::LedgerError::Conflict) and records nothing.
    pub expected: usize,
    /// The records, in order.
    pub records: &'a [Record],
}

/// A message to send about records, written to the ledger's outbox in the same
/// transaction as the records ([`Ledger::append_batch_with_outbox`]): committed with
/// them or not at all. A delivery worker (crate `license-notify`) reads the outbox and
/// sends each row at least once, under its `event_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRow {
    /// The stable id of the event (unique in the outbox; a receiver deduplicates by it).
    pub event_id: String,
    /// What the row is (`webhook`, `email`: the worker's channel).
    pub kind: String,
    /// The message as JSON, in the worker's format.
    pub payload: String,
}

/// Where records are kept. Appends must be durable when `append` returns.
///
/// A ledger shared by several issuers at once (several backend instances on one
/// database) must make [`Ledger::append_batch`] atomic and check its `expected` count
/// and the records' order keys in the same step; the issuer then re-reads and retries
/// on [`LedgerError::Conflict`](crate::LedgerError::Conflict), so revisions and license ids are never issued twice or
/// skipped. A ledger used by one issuer at a time (a locked file, memory) gets that from
/// the default method.
pub trait Ledger {
    /// Append one record durably.
    fn append(&mut self, record: &Record) -> Result<(), Error>;

    /// Append an operation's records: all or none, and only if the license still has
    /// `batch.expected` records and no record carries the same order key.
    fn append_batch(&mut self, batch: &Batch<'_>) -> Result<(), Error> {
        if self.records_of(batch.license_id)?.len() != batch.expected {
            return Err(Error::Ledger(LedgerError::Conflict {
                license_id: batch.license_id,
            }));
        }
        if let Some(order) = batch.records.first().and_then(|r| r.order.as_ref())
            && !self.records_of_order(&order.key)?.is_empty()
        {
            return Err(Error::Ledger(LedgerError::Conflict {
                license_id: batch.license_id,
            }));
        }
        for r in batch.records {
            self.append(r)?;
        }
        Ok(())
    }

    /// [`Ledger::append_batch`], and `outbox` written in the same transaction: the records
    /// and their outbox rows are committed together or not at all (a conflict records
    /// neither). Ledgers that cannot do that (the file ledger) refuse with
    /// [`LedgerError::OutboxUnsupported`](crate::LedgerError::OutboxUnsupported) and record nothing.
    fn append_batch_with_outbox(&mut self, batch: &Batch<'_>, outbox: &[OutboxRow]) -> Result<(), Error> {
        let _ = (batch, outbox);
        Err(Error::Ledger(LedgerError::OutboxUnsupported { ledger: "this" }))
    }

    /// The records of every license that may be a subscription in force on `day`: each
    /// license with a subscription revision whose term covers `day` (from `valid_from`,
    /// before `expires`), with all its records, by license and in order. What
    /// [`crate::active_subscriptions`] needs to answer for `day` (SQL ledgers select them
    /// with an index instead of reading everything).
    fn records_active_on(&self, day: Date) -> Result<Vec<Record>, Error> {
        let records = self.records()?;
        let ids: std::collections::BTreeSet<u32> = records
            .iter()
            .filter(|r| r.code.is_some() && covers(r, day))
            .map(|r| r.license.license_id)
            .collect();
        let mut out: Vec<Record> = records
            .into_iter()
            .filter(|r| ids.contains(&r.license.license_id))
            .collect();
        out.sort_by_key(|r| r.license.license_id);
        Ok(out)
    }

    /// The terms in brief of every license that may be a subscription in force on `day`,
    /// by license id: each license whose [`LicenseTerms::subscription_span`] holds `day`
    /// (a superset: [`crate::active_on`] decides). The SQL ledgers keep these rows
    /// beside the records and select them with an index; this default folds every record.
    fn license_terms_active_on(&self, day: Date) -> Result<Vec<LicenseTerms>, Error> {
        Ok(crate::ledger::history::LicenseHistory::all(&self.records()?)
            .values()
            .map(LicenseTerms::of)
            .filter(|t| t.may_be_active_on(day))
            .collect())
    }

    /// The terms in brief of every license that may be a subscription in force on one of
    /// the days `first..=last`, by license id (a superset, as for
    /// [`Ledger::license_terms_active_on`]): one read for the counts of several days
    /// ([`crate::active_counts`]). The SQL ledgers select them with the same index.
    fn license_terms_active_between(&self, first: Date, last: Date) -> Result<Vec<LicenseTerms>, Error> {
        Ok(crate::ledger::history::LicenseHistory::all(&self.records()?)
            .values()
            .map(LicenseTerms::of)
            .filter(|t| t.may_be_active_between(first, last))
            .collect())
    }

    /// The records of every license with a subscription revision whose term overlaps the
    /// days from `from` until before `to` (from `valid_from`, before `expires`), with all
    /// its records, by license and in order: what [`crate::pro_rata`] needs for a month
    /// (SQL ledgers select them with the same index as [`Ledger::records_active_on`]).
    fn records_in_term(&self, from: Date, to: Date) -> Result<Vec<Record>, Error> {
        let records = self.records()?;
        let ids: std::collections::BTreeSet<u32> = records
            .iter()
            .filter(|r| r.code.is_some() && overlaps(r, from, to))
            .map(|r| r.license.license_id)
            .collect();
        let mut out: Vec<Record> = records
            .into_iter()
            .filter(|r| ids.contains(&r.license.license_id))
            .collect();
        out.sort_by_key(|r| r.license.license_id);
        Ok(out)
    }

    /// The records issued for the order with idempotency key `key`, in order.
    fn records_of_order(&self, key: &str) -> Result<Vec<Record>, Error> {
        Ok(self
            .records()?
            .into_iter()
            .filter(|r| r.order.as_ref().is_some_and(|o| o.key == key))
            .collect())
    }

    /// The records of operations recorded from `from` until before `to`, in order
    /// (the issued-codes report of a month).
    fn records_recorded(&self, from: Date, to: Date) -> Result<Vec<Record>, Error> {
        Ok(self
            .records()?
            .into_iter()
            .filter(|r| r.recorded >= from && r.recorded < to)
            .collect())
    }

    /// Every record, in the order appended.
    fn records(&self) -> Result<Vec<Record>, Error>;

    /// The records of one license, in order.
    fn records_of(&self, license_id: u32) -> Result<Vec<Record>, Error> {
        Ok(self
            .records()?
            .into_iter()
            .filter(|r| r.license.license_id == license_id)
            .collect())
    }

    /// The highest license id recorded.
    fn last_license_id(&self) -> Result<Option<u32>, Error> {
        Ok(self.records()?.iter().map(|r| r.license.license_id).max())
    }

    /// The id for a new license of a reseller whose certificate gives it `range`: above
    /// every id recorded inside the range, at least its first (ids of the vendor or of
    /// other resellers outside the range do not use it up, in a ledger they share, e.g. a
    /// backend's). Two issuers may get the same id; the second append is then a conflict
    /// and that order runs again. Past the range's last id it is refused by the caller.
    fn new_license_id_in(&self, range: license_core::IdRange) -> Result<u32, Error> {
        let last = self
            .records()?
            .iter()
            .map(|r| r.license.license_id)
            .filter(|&id| range.contains(id))
            .max();
        match last {
            None => Ok(range.first),
            Some(last) => last.checked_add(1).ok_or(OrderError::LicenseIdsExhausted.into()),
        }
    }

    /// The id for a new license: above every id recorded, at least `first` (the
    /// catalog's first id). Two issuers may get the same id from a ledger that does not
    /// allocate them (this default: the highest id plus one); the second append is then
    /// a conflict and that order runs again.
    fn new_license_id(&self, first: u32) -> Result<u32, Error> {
        match self.last_license_id()? {
            None => Ok(first),
            Some(last) => last
                .checked_add(1)
                .map(|n| n.max(first))
                .ok_or(OrderError::LicenseIdsExhausted.into()),
        }
    }

    /// Replace the licensee name of every record of `licensee` (compared like the
    /// signature does: case and white space ignored) by `pseudonym` and drop the
    /// contact data; license numbers, dates and codes stay for accounting. Returns the
    /// number of records changed.
    fn erase_licensee(&mut self, licensee: &str, pseudonym: &str) -> Result<usize, Error>;

    /// Allocate the sequence number of `product`'s next revocation list: one above the
    /// last one allocated, and at least `at_least` (a caller that finds list files with
    /// higher numbers passes the next one). Durable when it returns, and never returned
    /// again: a list that fails to be published leaves a gap, never a reused number
    /// (verifiers refuse a list whose number is not higher than the installed one's).
    fn claim_revocation_sequence(&mut self, product: &str, at_least: u64) -> Result<u64, Error>;
}

/// Whether `r` is a subscription revision whose term covers `day`.
pub(crate) fn covers(r: &Record, day: Date) -> bool {
    r.license.kind == license_core::Kind::Subscription
        && r.license.valid_from <= day
        && r.license.expires.is_none_or(|e| day < e)
}

/// Whether `r` is a subscription revision whose term overlaps `from` until before `to`.
pub(crate) fn overlaps(r: &Record, from: Date, to: Date) -> bool {
    r.license.kind == license_core::Kind::Subscription
        && r.license.valid_from < to
        && r.license.expires.is_none_or(|e| from < e)
}

/// A record's term end for the SQL ledgers' `expires` column: the exclusive end, or
/// `9999-12-31` for none (so that "the term covers a day" is one indexed range).
#[cfg(any(feature = "postgres", feature = "sqlite"))]
pub(crate) fn term_end(r: &Record) -> String {
    r.license
        .expires
        .map_or_else(|| "9999-12-31".to_owned(), |e| e.to_string())
}

/// One record as a row of the SQL ledgers' `ledger_records` (PostgreSQL and SQLite): the
/// one encoding of a record into its columns, for an operation's batch and for a bulk load
/// alike.
#[cfg(any(feature = "postgres", feature = "sqlite"))]
pub(crate) struct SqlRow<'a> {
    pub license_id: i64,
    pub seq: i32,
    pub recorded: String,
    pub operation: &'static str,
    pub product: &'a str,
    pub licensee: &'a str,
    pub reseller: Option<&'a str>,
    pub kind: &'static str,
    pub revision: i32,
    pub has_code: bool,
    pub order_key: Option<&'a str>,
    pub order_digest: Option<&'a str>,
    pub batch_index: i32,
    pub json: String,
    pub valid_from: String,
    pub expires: String,
}

#[cfg(any(feature = "postgres", feature = "sqlite"))]
impl<'a> SqlRow<'a> {
    /// `r` at position `seq` among its license's records, `batch_index` in its order.
    pub(crate) fn of(r: &'a Record, seq: usize, batch_index: usize) -> Result<SqlRow<'a>, Error> {
        Ok(SqlRow {
            license_id: i64::from(r.license.license_id),
            seq: i32::try_from(seq).map_err(|_| {
                Error::Order(OrderError::RevisionsExhausted {
                    license_id: r.license.license_id,
                })
            })?,
            recorded: r.recorded.to_string(),
            operation: r.operation.name(),
            product: &r.product,
            licensee: &r.licensee,
            reseller: r.reseller.as_deref(),
            kind: r.license.kind.name(),
            revision: i32::try_from(r.license.revision).unwrap_or(i32::MAX),
            has_code: r.code.is_some(),
            order_key: r.order.as_ref().map(|o| o.key.as_str()),
            order_digest: r.order.as_ref().map(|o| o.digest.as_str()),
            batch_index: i32::try_from(batch_index).unwrap_or(i32::MAX),
            json: serde_json::to_string(r).map_err(LedgerError::LedgerEncode)?,
            valid_from: r.license.valid_from.to_string(),
            expires: term_end(r),
        })
    }

    /// The rows of a bulk load: `records` are every record of licenses new to the ledger,
    /// each license's records in order (licenses may interleave). Positions count from 0
    /// per license; consecutive records of one license with the same order key are one
    /// order's batch (indexes 0, 1, ...), every other record is the first of its batch.
    pub(crate) fn bulk(records: &'a [Record]) -> impl Iterator<Item = Result<SqlRow<'a>, Error>> + 'a {
        let mut at: std::collections::HashMap<u32, (usize, Option<&'a str>, usize)> =
            std::collections::HashMap::new();
        records.iter().map(move |r| {
            let key = r.order.as_ref().map(|o| o.key.as_str());
            let e = at.entry(r.license.license_id).or_insert((0, None, 0));
            let (seq, last_key, index) = *e;
            let index = if key.is_some() && key == last_key {
                index + 1
            } else {
                0
            };
            *e = (seq + 1, key, index);
            SqlRow::of(r, seq, index)
        })
    }
}

/// One license's row of the SQL ledgers' `ledger_license_terms`: its
/// [`LicenseTerms`] as JSON, and its subscription span as the indexed columns
/// (`sub_from`, `sub_until`). Only licenses with a subscription term have a row: the
/// others are in force as a subscription on no day.
#[cfg(any(feature = "postgres", feature = "sqlite"))]
pub(crate) struct TermsRow {
    pub license_id: i64,
    pub sub_from: String,
    pub sub_until: String,
    pub json: String,
}

#[cfg(any(feature = "postgres", feature = "sqlite"))]
impl TermsRow {
    /// The row of the license whose records (in order) are `records`; `None` for none,
    /// or for a license without a subscription term.
    pub(crate) fn of_records<'r>(
        records: impl IntoIterator<Item = &'r Record>,
    ) -> Result<Option<TermsRow>, Error> {
        match crate::ledger::history::LicenseHistory::from_records(records) {
            Some(h) => TermsRow::of(&LicenseTerms::of(&h)),
            None => Ok(None),
        }
    }

    /// The rows of the licenses of `records` (each license's records in order; licenses
    /// may interleave) that have a subscription term.
    pub(crate) fn all(records: &[Record]) -> Result<Vec<TermsRow>, Error> {
        crate::ledger::history::LicenseHistory::all(records)
            .values()
            .filter_map(|h| TermsRow::of(&LicenseTerms::of(h)).transpose())
            .collect()
    }

    fn of(t: &LicenseTerms) -> Result<Option<TermsRow>, Error> {
        let Some((from, until)) = t.subscription_span() else {
            return Ok(None);
        };
        Ok(Some(TermsRow {
            license_id: i64::from(t.license_id),
            sub_from: from.to_string(),
            sub_until: until.to_string(),
            json: serde_json::to_string(t).map_err(LedgerError::LedgerEncode)?,
        }))
    }
}

/// Decode the JSON of a `ledger_license_terms` row.
#[cfg(any(feature = "postgres", feature = "sqlite"))]
pub(crate) fn decode_terms(text: &str) -> Result<LicenseTerms, Error> {
    serde_json::from_str(text).map_err(|e| Error::Ledger(LedgerError::Backend(Box::new(e))))
}

/// The next sequence number after `last` (none: 1), at least `at_least`.
pub(crate) fn next_sequence(last: Option<u64>, at_least: u64) -> Result<u64, Error> {
    let next = match last {
        None => 1,
        Some(n) => n.checked_add(1).ok_or(LedgerError::SequenceExhausted)?,
    };
    Ok(next.max(at_least))
}

/// A fresh pseudonym for [`Ledger::erase_licensee`]: `erased-` and 12 random hex digits.
pub fn random_pseudonym() -> Result<String, Error> {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).map_err(Error::Random)?;
    Ok(format!("erased-{}", hex::encode(b)))
}

/// Apply an erasure to `records`; returns how many changed.
pub(crate) fn erase_in(records: &mut [Record], licensee: &str, pseudonym: &str) -> usize {
    let target = normalize_licensee(licensee);
    let mut n = 0;
    for r in records.iter_mut() {
        if normalize_licensee(&r.licensee) == target {
            r.licensee = pseudonym.to_owned();
            r.contact = None;
            r.erased = true;
            n += 1;
        }
    }
    n
}

/// A ledger in memory: for tests, benchmarks and backends that persist elsewhere.
#[derive(Clone, Debug, Default)]
pub struct MemoryLedger {
    records: Vec<Record>,
    by_license: BTreeMap<u32, Vec<usize>>,
    by_order: BTreeMap<String, Vec<usize>>,
    sequences: BTreeMap<String, u64>,
    outbox: Vec<OutboxRow>,
}

impl MemoryLedger {
    /// An empty ledger.
    pub fn new() -> MemoryLedger {
        MemoryLedger::default()
    }

    /// Add a record to the list and to the per-license index.
    pub(crate) fn push(&mut self, record: Record) {
        self.by_license
            .entry(record.license.license_id)
            .or_default()
            .push(self.records.len());
        if let Some(o) = &record.order {
            self.by_order
                .entry(o.key.clone())
                .or_default()
                .push(self.records.len());
        }
        self.records.push(record);
    }

    /// The outbox rows written with [`Ledger::append_batch_with_outbox`], in order.
    pub fn outbox(&self) -> &[OutboxRow] {
        &self.outbox
    }

    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// The records, for a rewrite that keeps every license id (erasure).
    pub(crate) fn records_mut(&mut self) -> &mut Vec<Record> {
        &mut self.records
    }
}

impl Ledger for MemoryLedger {
    fn append(&mut self, record: &Record) -> Result<(), Error> {
        self.push(record.clone());
        Ok(())
    }

    fn append_batch_with_outbox(&mut self, batch: &Batch<'_>, outbox: &[OutboxRow]) -> Result<(), Error> {
        if self.records_of(batch.license_id)?.len() != batch.expected {
            return Err(Error::Ledger(LedgerError::Conflict {
                license_id: batch.license_id,
            }));
        }
        if outbox
            .iter()
            .any(|o| self.outbox.iter().any(|p| p.event_id == o.event_id))
        {
            return Err(Error::Ledger(LedgerError::Backend(
                "an outbox event id is used twice".into(),
            )));
        }
        self.append_batch(batch)?;
        self.outbox.extend_from_slice(outbox);
        Ok(())
    }

    fn records(&self) -> Result<Vec<Record>, Error> {
        Ok(self.records.clone())
    }

    fn records_of(&self, license_id: u32) -> Result<Vec<Record>, Error> {
        Ok(self
            .by_license
            .get(&license_id)
            .map(|ix| ix.iter().map(|&i| self.records[i].clone()).collect())
            .unwrap_or_default())
    }

    fn last_license_id(&self) -> Result<Option<u32>, Error> {
        Ok(self.by_license.keys().next_back().copied())
    }

    fn records_of_order(&self, key: &str) -> Result<Vec<Record>, Error> {
        Ok(self
            .by_order
            .get(key)
            .map(|ix| ix.iter().map(|&i| self.records[i].clone()).collect())
            .unwrap_or_default())
    }

    fn erase_licensee(&mut self, licensee: &str, pseudonym: &str) -> Result<usize, Error> {
        Ok(erase_in(&mut self.records, licensee, pseudonym))
    }

    fn claim_revocation_sequence(&mut self, product: &str, at_least: u64) -> Result<u64, Error> {
        let next = next_sequence(self.sequences.get(product).copied(), at_least)?;
        self.sequences.insert(product.to_owned(), next);
        Ok(next)
    }
}
