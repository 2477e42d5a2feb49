//! The ledger: every issued code and every event of a license's life, append-only,
//! behind a trait so a vendor's backend can keep it in its own database.

use std::collections::BTreeMap;

use license_core::{Date, License};
use serde::{Deserialize, Serialize};

use crate::Error;

/// What happened in one ledger record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Operation {
    /// A new license (full, subscription or NFR).
    Issue,
    /// A new trial license with the catalog's trial terms.
    Trial,
    /// An additional order, effective at once (also the immediate part of a mixed order).
    Upgrade,
    /// A reduction, valid from its quarter start.
    Reduce,
    /// A pending reduction withdrawn: the pre-reduction scope re-issued.
    Withdraw,
    /// The next term of a subscription or NFR license.
    Renew,
    /// No further renewal; usable to the end of the paid term (no code).
    Cancel,
    /// Recalled: listed on the next revocation list (no code).
    Revoke,
    /// A maintenance pack associated with a perpetual license.
    Maintenance,
    /// Bound to another machine or database.
    Rehost,
    /// Transferred to another licensee (a reseller's license to its end customer).
    Transfer,
}

impl Operation {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Issue => "issue",
            Operation::Trial => "trial",
            Operation::Upgrade => "upgrade",
            Operation::Reduce => "reduce",
            Operation::Withdraw => "withdraw",
            Operation::Renew => "renew",
            Operation::Cancel => "cancel",
            Operation::Revoke => "revoke",
            Operation::Maintenance => "maintenance",
            Operation::Rehost => "rehost",
            Operation::Transfer => "transfer",
        }
    }

    /// Whether this operation creates a new license (rather than a revision of one).
    pub fn is_new_license(self) -> bool {
        matches!(self, Operation::Issue | Operation::Trial)
    }
}

/// The two kinds of maintenance pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaintenanceKind {
    /// Covers the one server the license is bound to.
    OneServer,
    /// Covers every server of one site.
    Site,
}

impl MaintenanceKind {
    /// `one-server` or `site`.
    pub fn name(self) -> &'static str {
        match self {
            MaintenanceKind::OneServer => "one-server",
            MaintenanceKind::Site => "site",
        }
    }
}

/// One ledger record: a code issued, or an event without a code (cancel, revoke).
///
/// Personal data is limited to `licensee` and `contact`; both are replaced by
/// [`Ledger::erase_licensee`] while the accounting numbers stay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The day of the operation (UTC).
    pub recorded: Date,
    /// What happened.
    pub operation: Operation,
    /// The product id.
    pub product: String,
    /// The licensee the code is signed for (a pseudonym after erasure).
    pub licensee: String,
    /// Optional contact or address of the licensee (personal data; erasable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The vendor's customer number or order reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_ref: Option<String>,
    /// The reseller that sold (and is invoiced for) the license.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reseller: Option<String>,
    /// The database code the license is bound to (signed, not carried in the code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The scope of the revision issued (for events: of the revision affected).
    pub license: License,
    /// The code's text form; `None` for events that issue no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The kind of maintenance pack, for [`Operation::Maintenance`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<MaintenanceKind>,
    /// For [`Operation::Withdraw`]: the withdrawn revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<u32>,
    /// For [`Operation::Cancel`]: the first day after the last paid term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<Date>,
    /// Free text (a revocation's reason, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the licensee's personal data was erased.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erased: bool,
}

/// Where records are kept. Appends must be durable when `append` returns.
pub trait Ledger {
    /// Append one record durably.
    fn append(&mut self, record: &Record) -> Result<(), Error>;

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

/// The next sequence number after `last` (none: 1), at least `at_least`.
pub(crate) fn next_sequence(last: Option<u64>, at_least: u64) -> Result<u64, Error> {
    let next = match last {
        None => 1,
        Some(n) => n.checked_add(1).ok_or(Error::SequenceExhausted)?,
    };
    Ok(next.max(at_least))
}

/// The licensee as the signature compares it: white space collapsed, ASCII case folded.
pub fn normalize_licensee(s: &str) -> String {
    s.split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
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
    sequences: BTreeMap<String, u64>,
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
        self.records.push(record);
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

    fn erase_licensee(&mut self, licensee: &str, pseudonym: &str) -> Result<usize, Error> {
        Ok(erase_in(&mut self.records, licensee, pseudonym))
    }

    fn claim_revocation_sequence(&mut self, product: &str, at_least: u64) -> Result<u64, Error> {
        let next = next_sequence(self.sequences.get(product).copied(), at_least)?;
        self.sequences.insert(product.to_owned(), next);
        Ok(next)
    }
}
