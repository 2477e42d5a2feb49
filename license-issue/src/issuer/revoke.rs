//! Revocation, and the signed per-product revocation lists.

use license_core::{
    Date, RevocationEntry, SubCertificateSerial, sign_revocation_list,
    sign_revocation_list_with_certificates, sign_revocation_list_with_sub_certificates,
};
use serde::Serialize;

use super::{Issuer, event};
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::ledger::history::LicenseHistory;
use crate::ledger::store::{Ledger, Operation, Record};

/// A signed revocation list, ready to be handed to customers (see
/// [`Issuer::publish_revocation_list`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RevocationList {
    /// The product it is signed for.
    pub product: String,
    /// Its sequence number (higher than every earlier list's of the product).
    pub sequence: u64,
    /// The day it was signed.
    pub issued: Date,
    /// The first day it is out of date.
    pub expires: Date,
    /// When the list was made current for fewer days than asked: the license whose
    /// pending reduction starts first, and that day (publish the next list then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortened_by: Option<(u32, Date)>,
    /// What it revokes.
    pub entries: Vec<RevocationEntry>,
    /// The serials of the reseller certificates it revokes (format version 2 if any).
    pub certificates: Vec<u32>,
    /// The sub-reseller certificates it revokes, by (reseller serial, sub-reseller
    /// serial) (format version 3 if any).
    pub sub_certificates: Vec<SubCertificateSerial>,
    /// The signed list, as verifiers install it.
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl<L: Ledger> Issuer<L> {
    /// Publish the revocation list of `product` on `today`: the sequence number comes
    /// from the ledger (one above the last one allocated for the product, at least
    /// `at_least`; allocated durably before signing, so a list that is never delivered
    /// leaves a gap, never a reused number), and the list is current for `valid_days`,
    /// but no longer than until the product's next pending reduction starts: from that
    /// day on the list must name the old, larger code, so a new one must be published.
    pub fn publish_revocation_list(
        &mut self,
        product: &str,
        today: Date,
        valid_days: u32,
        at_least: u64,
    ) -> Result<RevocationList, Error> {
        self.publish_revocation_list_with(product, today, valid_days, at_least, &[])
    }

    /// [`Issuer::publish_revocation_list`], also revoking the reseller certificates with
    /// these serials (a [`crate::CertificateRegister`]'s revoked ones): with any, the list
    /// is of format version 2, which verifiers before delegation do not read.
    pub fn publish_revocation_list_with(
        &mut self,
        product: &str,
        today: Date,
        valid_days: u32,
        at_least: u64,
        certificates: &[u32],
    ) -> Result<RevocationList, Error> {
        self.publish_revocation_list_including(product, today, valid_days, at_least, certificates, &[], &[])
    }

    /// [`Issuer::publish_revocation_list_with`], also listing what the `imported`
    /// records (the vendor's imports of its resellers' exports) revoke: a license a
    /// reseller revoked or cancelled reaches the vendor with its export, and one the
    /// vendor revoked itself ([`crate::revoke_imported`]) is recorded there too; and
    /// revoking the sub-reseller certificates `sub_certificates` (a
    /// [`crate::CertificateRegister`]'s revoked pairs): with any, the list is of format
    /// version 3, which verifiers that read only versions 1 and 2 refuse as invalid.
    #[allow(clippy::too_many_arguments)]
    pub fn publish_revocation_list_including(
        &mut self,
        product: &str,
        today: Date,
        valid_days: u32,
        at_least: u64,
        certificates: &[u32],
        sub_certificates: &[SubCertificateSerial],
        imported: &[Record],
    ) -> Result<RevocationList, Error> {
        if valid_days == 0 {
            return Err(Error::Order(OrderError::ListValidity));
        }
        let product = self.catalogs.get(product)?.product().to_owned();
        let mut days = valid_days;
        let mut shortened_by = None;
        if let Some((license_id, starts)) = self.next_reduction_start(&product, today)? {
            let until = u32::try_from(starts.days_since(today)).unwrap_or(u32::MAX).max(1);
            if until < days {
                days = until;
                shortened_by = Some((license_id, starts));
            }
        }
        let sequence = self.ledger.claim_revocation_sequence(&product, at_least)?;
        let (bytes, entries) = self.revocation_list_including(
            &product,
            sequence,
            today,
            days,
            certificates,
            sub_certificates,
            imported,
        )?;
        Ok(RevocationList {
            product,
            sequence,
            issued: today,
            expires: today.saturating_add_days(i64::from(days)),
            shortened_by,
            entries,
            certificates: certificates.to_vec(),
            sub_certificates: sub_certificates.to_vec(),
            bytes,
        })
    }

    /// Revoke a license (the purchase undone or exchanged): nothing more is issued for
    /// it and every revision is listed on the next revocation list.
    pub fn revoke(&mut self, license_id: u32, reason: Option<&str>, today: Date) -> Result<(), Error> {
        self.transact(None, |is| is.revoke_now(license_id, reason, today), |_| None)
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn revoke_now(
        &mut self,
        license_id: u32,
        reason: Option<&str>,
        today: Date,
    ) -> Result<(), Error> {
        let h = self.history(license_id)?;
        if let Some(on) = h.revoked {
            return Err(Error::Order(OrderError::Revoked { license_id, on }));
        }
        let latest = h
            .latest()
            .ok_or(Error::Order(OrderError::UnknownLicense { license_id }))?;
        let mut record = event(&h, latest, Operation::Revoke, today);
        record.note = reason.map(str::to_owned);
        self.staged.push(record);
        Ok(())
    }

    /// The entries of a revocation list published on `today` (see
    /// [`crate::LicenseHistory::revocation_entry`]).
    pub fn revocation_entries(&self, today: Date) -> Result<Vec<RevocationEntry>, Error> {
        Ok(self
            .histories()?
            .values()
            .filter_map(|h| h.revocation_entry(today))
            .collect())
    }

    /// The earliest pending reduction of `product` after `today`: (license id, the day it
    /// takes effect). A revocation list must not stay current past that day, or the old,
    /// larger code would be accepted until the next list.
    pub fn next_reduction_start(&self, product: &str, today: Date) -> Result<Option<(u32, Date)>, Error> {
        Ok(self
            .histories()?
            .values()
            .filter(|h| h.product == product && h.revoked.is_none())
            .filter_map(|h| {
                h.pending_reduction(today)
                    .map(|r| (h.license_id, r.license.valid_from))
            })
            .min_by_key(|&(_, day)| day))
    }

    /// Build and sign the revocation list of `product` (lists are per product: the
    /// product id is part of the signature, and license ids and sequence numbers count
    /// per product): `sequence` must be higher than the last published one's; the list
    /// is current from `today` for `valid_days` days.
    pub fn revocation_list(
        &self,
        product: &str,
        sequence: u64,
        today: Date,
        valid_days: u32,
    ) -> Result<(Vec<u8>, Vec<RevocationEntry>), Error> {
        self.revocation_list_with(product, sequence, today, valid_days, &[])
    }

    /// [`Issuer::revocation_list`], also revoking the reseller certificates with these
    /// serials (format version 2 when there are any).
    pub fn revocation_list_with(
        &self,
        product: &str,
        sequence: u64,
        today: Date,
        valid_days: u32,
        certificates: &[u32],
    ) -> Result<(Vec<u8>, Vec<RevocationEntry>), Error> {
        self.revocation_list_including(product, sequence, today, valid_days, certificates, &[], &[])
    }

    /// [`Issuer::revocation_list_with`], with the entries of the `imported` records too,
    /// and revoking the sub-reseller certificates `sub_certificates` (format version 3
    /// when there are any; version 2 with first-level certificates only; version 1
    /// without either, so verifiers keep reading lists of the oldest version they can).
    #[allow(clippy::too_many_arguments)]
    pub fn revocation_list_including(
        &self,
        product: &str,
        sequence: u64,
        today: Date,
        valid_days: u32,
        certificates: &[u32],
        sub_certificates: &[SubCertificateSerial],
        imported: &[Record],
    ) -> Result<(Vec<u8>, Vec<RevocationEntry>), Error> {
        if valid_days == 0 {
            return Err(Error::Order(OrderError::ListValidity));
        }
        self.catalogs.get(product)?;
        let mut histories = LicenseHistory::all(imported);
        // License ids are the vendor's or one reseller's (an import refuses the vendor's).
        histories.extend(self.histories()?);
        let mut entries: Vec<RevocationEntry> = histories
            .values()
            .filter(|h| h.product == product)
            .filter_map(|h| h.revocation_entry(today))
            .collect();
        entries.sort_by_key(|e| e.license_id);
        let expires = today.saturating_add_days(i64::from(valid_days));
        let key = self.signer.vendor_key("a revocation list")?.signing_key();
        let bytes = if !sub_certificates.is_empty() {
            sign_revocation_list_with_sub_certificates(
                product,
                sequence,
                today,
                expires,
                &entries,
                certificates,
                sub_certificates,
                key,
            )?
        } else if certificates.is_empty() {
            sign_revocation_list(product, sequence, today, expires, &entries, key)?
        } else {
            sign_revocation_list_with_certificates(
                product,
                sequence,
                today,
                expires,
                &entries,
                certificates,
                key,
            )?
        };
        Ok((bytes, entries))
    }
}
