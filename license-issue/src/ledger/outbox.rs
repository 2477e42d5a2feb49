//! A ledger that writes outbox rows with every batch: the way a backend gets an e-mail or
//! webhook event for each operation of the [`crate::Issuer`], committed in the same
//! transaction as the operation's records.

use license_core::Date;

use crate::error::Error;
use crate::ledger::store::{Batch, Ledger, OutboxRow, Record};
use crate::ledger::terms::LicenseTerms;

/// `inner` with `events` called for every batch appended: the rows it returns are written
/// with the batch by [`Ledger::append_batch_with_outbox`] (so `inner` must be a ledger with
/// an outbox: SQLite, PostgreSQL or memory). The issuer's retries on a conflict call
/// `events` again for the new batch; a batch that is not recorded leaves no row.
#[derive(Clone, Debug)]
pub struct WithOutbox<L, F> {
    inner: L,
    events: F,
}

impl<L, F> WithOutbox<L, F>
where
    L: Ledger,
    F: FnMut(&Batch<'_>) -> Result<Vec<OutboxRow>, Error>,
{
    /// Wrap `inner`; `events` makes the outbox rows of a batch (none: an empty list).
    pub fn new(inner: L, events: F) -> WithOutbox<L, F> {
        WithOutbox { inner, events }
    }

    /// The ledger inside.
    pub fn inner(&self) -> &L {
        &self.inner
    }

    /// The ledger inside, unwrapped.
    pub fn into_inner(self) -> L {
        self.inner
    }
}

impl<L, F> Ledger for WithOutbox<L, F>
where
    L: Ledger,
    F: FnMut(&Batch<'_>) -> Result<Vec<OutboxRow>, Error>,
{
    fn append(&mut self, record: &Record) -> Result<(), Error> {
        let license_id = record.license.license_id;
        let expected = self.inner.records_of(license_id)?.len();
        self.append_batch(&Batch {
            license_id,
            expected,
            records: std::slice::from_ref(record),
        })
    }

    fn append_batch(&mut self, batch: &Batch<'_>) -> Result<(), Error> {
        let rows = (self.events)(batch)?;
        self.inner.append_batch_with_outbox(batch, &rows)
    }

    fn append_batch_with_outbox(&mut self, batch: &Batch<'_>, outbox: &[OutboxRow]) -> Result<(), Error> {
        let mut rows = (self.events)(batch)?;
        rows.extend_from_slice(outbox);
        self.inner.append_batch_with_outbox(batch, &rows)
    }

    fn records_active_on(&self, day: Date) -> Result<Vec<Record>, Error> {
        self.inner.records_active_on(day)
    }

    fn records_in_term(&self, from: Date, to: Date) -> Result<Vec<Record>, Error> {
        self.inner.records_in_term(from, to)
    }

    fn license_terms_active_on(&self, day: Date) -> Result<Vec<LicenseTerms>, Error> {
        self.inner.license_terms_active_on(day)
    }

    fn license_terms_active_between(&self, first: Date, last: Date) -> Result<Vec<LicenseTerms>, Error> {
        self.inner.license_terms_active_between(first, last)
    }

    fn records_of_order(&self, key: &str) -> Result<Vec<Record>, Error> {
        self.inner.records_of_order(key)
    }

    fn records_recorded(&self, from: Date, to: Date) -> Result<Vec<Record>, Error> {
        self.inner.records_recorded(from, to)
    }

    fn records(&self) -> Result<Vec<Record>, Error> {
        self.inner.records()
    }

    fn records_of(&self, license_id: u32) -> Result<Vec<Record>, Error> {
        self.inner.records_of(license_id)
    }

    fn last_license_id(&self) -> Result<Option<u32>, Error> {
        self.inner.last_license_id()
    }

    fn new_license_id(&self, first: u32) -> Result<u32, Error> {
        self.inner.new_license_id(first)
    }

    fn new_license_id_in(&self, range: license_core::IdRange) -> Result<u32, Error> {
        self.inner.new_license_id_in(range)
    }

    fn erase_licensee(&mut self, licensee: &str, pseudonym: &str) -> Result<usize, Error> {
        self.inner.erase_licensee(licensee, pseudonym)
    }

    fn claim_revocation_sequence(&mut self, product: &str, at_least: u64) -> Result<u64, Error> {
        self.inner.claim_revocation_sequence(product, at_least)
    }
}

#[cfg(test)]
mod tests {
    use license_core::Kind;

    use super::*;
    use crate::ledger::error::LedgerError;
    use crate::ledger::file::FileLedger;
    use crate::ledger::store::MemoryLedger;
    use crate::*;

    fn events(batch: &Batch<'_>) -> Result<Vec<OutboxRow>, Error> {
        Ok(batch
            .records
            .iter()
            .map(|r| OutboxRow {
                event_id: format!(
                    "{}-{}-{}",
                    r.license.license_id,
                    r.license.revision,
                    r.operation.name()
                ),
                kind: "webhook".into(),
                payload: r.operation.name().into(),
            })
            .collect())
    }

    fn issuer<L: Ledger>(ledger: L) -> Issuer<L> {
        let mut catalogs = Catalogs::new();
        catalogs.insert(Catalog::demo().unwrap());
        Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), ledger)
    }

    fn order() -> NewLicense {
        let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("ACME Corp"));
        o.named_users = Some(25);
        o.bind = BindTo::database("DB-JBW44-P5J45-44VPC-YCED6");
        o
    }

    fn day(d: u8) -> Date {
        Date::from_ymd(2026, 11, d).unwrap()
    }

    #[test]
    fn every_operation_of_the_issuer_writes_its_rows_and_a_conflict_none() {
        let mut is = issuer(WithOutbox::new(MemoryLedger::new(), events));
        let a = is.issue(&order(), day(22)).unwrap().license.license_id;
        is.revoke(a, Some("storno"), day(23)).unwrap();
        let outbox = is.ledger().inner().outbox().to_vec();
        let ids: Vec<&str> = outbox.iter().map(|o| o.event_id.as_str()).collect();
        assert_eq!(ids, [format!("{a}-1-issue"), format!("{a}-1-revoke")]);

        // A stale batch is refused and leaves no row.
        let mut l = is.ledger().clone();
        let r = l.records_of(a).unwrap().remove(0);
        let stale = Batch {
            license_id: a,
            expected: 0,
            records: std::slice::from_ref(&r),
        };
        assert!(matches!(
            l.append_batch(&stale),
            Err(Error::Ledger(LedgerError::Conflict { .. }))
        ));
        assert_eq!(l.inner().outbox().len(), 2);
    }

    #[test]
    fn the_file_ledger_refuses_an_outbox_and_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = FileLedger::open(&dir.path().join("ledger.jsonl")).unwrap();
        let mut is = issuer(WithOutbox::new(file, events));
        let e = is.issue(&order(), day(22)).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Ledger(LedgerError::OutboxUnsupported { ledger: "file" })
            ),
            "{e:?}"
        );
        assert_eq!(e.class(), ErrorClass::Usage);
        assert!(is.ledger().records().unwrap().is_empty());
    }
}
