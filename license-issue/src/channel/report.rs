//! A reseller's monthly ledger export, its import at the vendor, and the monthly invoice
//! basis per reseller.
//!
//! A reseller that issues licenses itself (inside the frame of its certificate) keeps its
//! own ledger. Once a month it exports the codes it signed in the month
//! ([`ResellerExport::of_month`], written with [`ResellerExport::to_text`]; the file
//! format is in `docs/FORMAT.md`, "Reseller ledger export"). The vendor imports the file
//! ([`ResellerExport::load`], then [`check_import`]): every code is verified against the
//! vendor's keys and its certificate chain, frames and revocations included, and the
//! record around it must say what the code signs. One record that fails refuses the
//! whole file. Records already imported are recognized and added once only.
//!
//! [`invoice`] then gives, per reseller the vendor invoices (a sub-reseller's codes are
//! invoiced to the first-level reseller, which holds the vendor's contract), the codes
//! created in the month by kind and its subscriptions pro rata to the day: the rows of
//! [`crate::issued_report`] and [`crate::pro_rata`], grouped, not computed a second time.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use license_core::{Date, Kind, PublicKey, ResellerName, UntrustedDelegatedCode, is_delegated_text};
use serde::{Deserialize, Serialize};

use crate::catalog::product::Catalogs;
use crate::channel::certificates::{CertificateRevocationSet, SubCertificateEntry};
use crate::channel::error::{ChannelError, ImportProblem};
use crate::channel::format::{EXPORT_FORMAT, EXPORT_VERSION};
use crate::channel::operations::check_operation;
use crate::channel::reseller::ResellerHome;
use crate::channel::tickets::TicketPool;
use crate::channel::tickets::id::TicketId;
use crate::error::Error;
use crate::keys::signature::{SignedFor, verify_delegated_signature};
use crate::ledger::error::LedgerError;
use crate::ledger::history::LicenseHistory;
use crate::ledger::store::{Operation, Record};
use crate::report::error::ReportError;
use crate::report::lists::{
    Column, IssuedBy, IssuedRow, ProRataRow, ReportRow, col, csv_only, issued_report, kind_label, opt,
    pro_rata, some,
};
use crate::report::month::Month;

/// The header line of an export file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u32,
    reseller: String,
    month: String,
    exported: Date,
    records: usize,
}

/// A reseller's ledger for one month: the records of the codes it signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResellerExport {
    /// The exporting reseller's name (the last certificate of its chain).
    pub reseller: String,
    /// The month.
    pub month: Month,
    /// The day the file was written.
    pub exported: Date,
    /// The records, in ledger order (line 2 of the file onwards).
    pub records: Vec<Record>,
    /// One per record: the reseller's signature of a record without a code (a
    /// cancellation, revocation or site; `channel::operations`), `None` for a code.
    pub signatures: Vec<Option<String>>,
}

impl ResellerExport {
    /// Every operation of `ledger` recorded in `month`: the codes (issue, upgrade,
    /// reduce, renew, rehost, maintenance, ...) and the operations without a code
    /// (cancel, revoke, site), each of those signed with the reseller's key (`signer`).
    pub fn of_month(
        reseller: &str,
        signer: &crate::keys::signer::ResellerSigner,
        ledger: &[Record],
        month: Month,
        exported: Date,
    ) -> Result<Self, Error> {
        let (from, to) = month.bounds().ok_or_else(|| {
            Error::Report(ReportError::InvalidMonth {
                given: month.to_string(),
            })
        })?;
        let records: Vec<Record> = ledger
            .iter()
            .filter(|r| r.recorded >= from && r.recorded < to)
            .filter(|r| r.code.is_some() || crate::channel::operations::is_signed_operation(r.operation))
            .cloned()
            .collect();
        let signatures = records
            .iter()
            .map(|r| match r.code {
                Some(_) => Ok(None),
                None => crate::channel::operations::sign_operation(signer.key(), r).map(Some),
            })
            .collect::<Result<_, Error>>()?;
        Ok(ResellerExport {
            reseller: reseller.to_owned(),
            month,
            exported,
            records,
            signatures,
        })
    }

    /// The file: a header line, then one ledger record per line (JSON Lines).
    pub fn to_text(&self) -> Result<String, Error> {
        let header = Header {
            format: EXPORT_FORMAT.to_owned(),
            version: EXPORT_VERSION,
            reseller: self.reseller.clone(),
            month: self.month.to_string(),
            exported: self.exported,
            records: self.records.len(),
        };
        let mut text = serde_json::to_string(&header).map_err(LedgerError::LedgerEncode)?;
        text.push('\n');
        for (i, r) in self.records.iter().enumerate() {
            let line = match self.signatures.get(i).cloned().flatten() {
                None => serde_json::to_string(r),
                Some(signature) => serde_json::to_value(r).and_then(|mut v| {
                    if let Some(o) = v.as_object_mut() {
                        o.insert("signature".into(), signature.into());
                    }
                    serde_json::to_string(&v)
                }),
            };
            text.push_str(&line.map_err(LedgerError::LedgerEncode)?);
            text.push('\n');
        }
        Ok(text)
    }

    /// Read and parse the export file at `path`.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bytes = fs::read(path).map_err(Error::io(path))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::Channel(ChannelError::ExportFormat {
                path: path.into(),
                line: 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count(),
                reason: "not UTF-8 text".into(),
            })
        })?;
        Self::parse(&text, path)
    }

    /// Parse an export file's text (`path` names it in errors). Refuses a foreign file,
    /// another format version, a damaged line, and a record count other than the
    /// header's (a file cut short or extended).
    pub fn parse(text: &str, path: &Path) -> Result<Self, Error> {
        let bad = |line: usize, reason: String| {
            Error::Channel(ChannelError::ExportFormat {
                path: path.into(),
                line,
                reason,
            })
        };
        let body = text.strip_suffix('\n').unwrap_or(text);
        let mut lines = body.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let first = lines.next().unwrap_or_default();
        let value: serde_json::Value =
            serde_json::from_str(first).map_err(|e| bad(1, format!("the header is not JSON ({e})")))?;
        if value.get("format").and_then(serde_json::Value::as_str) != Some(EXPORT_FORMAT) {
            return Err(bad(
                1,
                format!("the header does not say \"format\": \"{EXPORT_FORMAT}\""),
            ));
        }
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == 1 || v == u64::from(EXPORT_VERSION) => {}
            Some(version) => {
                return Err(Error::Channel(ChannelError::ExportVersion {
                    path: path.into(),
                    version,
                }));
            }
            None => return Err(bad(1, "the header has no version number".into())),
        }
        let header: Header = serde_json::from_value(value).map_err(|e| bad(1, format!("the header {e}")))?;
        let month = Month::parse(&header.month)
            .map_err(|_| bad(1, format!("the month '{}' is not YYYY-MM", header.month)))?;
        ResellerName::new(&header.reseller).map_err(|e| bad(1, format!("the reseller name: {e}")))?;
        let mut records = Vec::new();
        let mut signatures = Vec::new();
        for (i, line) in lines.enumerate() {
            let mut value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| bad(i + 2, format!("not a ledger record ({e})")))?;
            // Version 2: an operation without a code carries the reseller's signature.
            let signature = match value.as_object_mut().and_then(|o| o.remove("signature")) {
                None => None,
                Some(serde_json::Value::String(s)) => Some(s),
                Some(_) => return Err(bad(i + 2, "the signature is not a string".into())),
            };
            let record: Record = serde_json::from_value(value)
                .map_err(|e| bad(i + 2, format!("not a ledger record ({e})")))?;
            records.push(record);
            signatures.push(signature);
        }
        if records.len() != header.records {
            return Err(bad(
                records.len() + 1,
                format!(
                    "the header announces {} records and the file holds {}: it was cut short or extended",
                    header.records,
                    records.len()
                ),
            ));
        }
        Ok(ResellerExport {
            reseller: header.reseller,
            month,
            exported: header.exported,
            records,
            signatures,
        })
    }
}

/// The name of the reseller whose certificates are installed in `home` (one name across
/// its products' chains).
pub fn reseller_name(home: &ResellerHome) -> Result<String, Error> {
    if !home.has_key() {
        return Err(Error::Channel(ChannelError::NoResellerCertificate {
            path: home.dir().to_owned(),
            reason: "no reseller key: this is not a reseller's home".into(),
        }));
    }
    let signer = home.signer()?;
    let names: BTreeSet<String> = signer
        .products()
        .map(|p| Ok(signer.chain(p)?.leaf().name.as_str().to_owned()))
        .collect::<Result<_, Error>>()?;
    let mut it = names.iter();
    match (it.next(), it.next()) {
        (Some(name), None) => Ok(name.clone()),
        (None, _) => Err(Error::Channel(ChannelError::NoResellerCertificate {
            path: home.dir().to_owned(),
            reason: "no certificate chain found".into(),
        })),
        (Some(_), Some(_)) => Err(Error::Channel(ChannelError::NoResellerCertificate {
            path: home.dir().to_owned(),
            reason: format!(
                "chains of several reseller names: {}",
                names.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        })),
    }
}

/// What an import adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPlan {
    /// The records not imported before, in file order.
    pub new: Vec<Record>,
    /// How many records of the file were imported before (the same code).
    pub already: usize,
    /// The sub-reseller certificates (second of a chain) the file's new codes carry, once
    /// each, `registered` on the export's day: register them
    /// ([`crate::CertificateRegister::register_sub_certificates`]) before adding the
    /// records, so a sub-reseller serial its reseller used twice refuses the import.
    pub sub_certificates: Vec<SubCertificateEntry>,
}

/// Check every record of `export` for import at the vendor: its code verifies with the
/// vendor's `keys` (current and rotated) through its certificate chain for the record's
/// product, licensee and database (`revoked` holds, per product, the first-level
/// certificates and sub-reseller pairs the vendor revoked), lies inside its frame, signs
/// exactly the record's license on the record's day, and was signed by the reseller the
/// record and the file name. `own` is the vendor's ledger (its license ids are never a
/// reseller's), `imported` what earlier imports added. The first record that fails
/// refuses the whole file.
pub fn check_import(
    export: &ResellerExport,
    keys: &[PublicKey],
    revoked: &BTreeMap<String, CertificateRevocationSet>,
    own: &[Record],
    imported: &[Record],
    tickets: Option<&TicketPool>,
) -> Result<ImportPlan, Error> {
    let (from, to) = export.month.bounds().ok_or_else(|| {
        Error::Report(ReportError::InvalidMonth {
            given: export.month.to_string(),
        })
    })?;
    let own_ids: BTreeSet<u32> = own.iter().map(|r| r.license.license_id).collect();
    let mut owners: BTreeMap<u32, (&str, Option<&str>)> = BTreeMap::new();
    let mut codes: BTreeMap<(&str, u32, u32), &str> = BTreeMap::new();
    for r in imported {
        owners.insert(r.license.license_id, (&r.product, r.reseller.as_deref()));
        if let Some(code) = &r.code {
            codes.insert((&r.product, r.license.license_id, r.license.revision), code);
        }
    }
    // Ticket id -> the license that redeemed it.
    let mut redeemed: BTreeMap<&str, u32> = BTreeMap::new();
    for r in own.iter().chain(imported) {
        if let Some(t) = &r.ticket {
            redeemed.entry(t).or_insert(r.license.license_id);
        }
    }
    let mut plan = ImportPlan {
        new: Vec::new(),
        already: 0,
        sub_certificates: Vec::new(),
    };
    for (i, r) in export.records.iter().enumerate() {
        let (id, revision) = (r.license.license_id, r.license.revision);
        let refuse = |problem| {
            Error::Channel(ChannelError::ImportRefused {
                line: i + 2,
                license_id: id,
                revision,
                problem,
            })
        };
        if r.code.is_none() {
            // An operation without a code: signed by the reseller, on a license imported
            // under its chain (see `channel::operations`).
            if r.recorded < from || r.recorded >= to {
                return Err(refuse(ImportProblem::OutsideMonth {
                    recorded: r.recorded,
                    month: export.month,
                }));
            }
            if own_ids.contains(&id) {
                return Err(refuse(ImportProblem::IdOfVendor));
            }
            let known: Vec<&Record> = imported
                .iter()
                .chain(&plan.new)
                .filter(|k| k.license.license_id == id)
                .collect();
            let signature = export.signatures.get(i).and_then(|s| s.as_deref());
            if check_operation(r, signature, &export.reseller, &known).map_err(refuse)? {
                plan.already += 1;
            } else {
                plan.new.push(r.clone());
            }
            continue;
        }
        let (code, sub) = check_record(r, export, keys, revoked, (from, to)).map_err(refuse)?;
        if let Some(t) = &r.ticket {
            let above: Vec<&str> = sub.iter().map(|s| s.reseller.as_str()).collect();
            check_ticket(r, t, tickets, &above).map_err(refuse)?;
            match redeemed.get(t.as_str()) {
                Some(&other) if other != id => {
                    return Err(refuse(ImportProblem::TicketRedeemed {
                        ticket: t.clone(),
                        license_id: other,
                    }));
                }
                _ => {
                    redeemed.insert(t, id);
                }
            }
        }
        if own_ids.contains(&id) {
            return Err(refuse(ImportProblem::IdOfVendor));
        }
        match owners.get(&id) {
            Some(&(product, reseller))
                if (product, reseller) != (r.product.as_str(), r.reseller.as_deref()) =>
            {
                return Err(refuse(ImportProblem::IdOfOther {
                    reseller: reseller.map(str::to_owned),
                    product: product.to_owned(),
                }));
            }
            _ => {}
        }
        match codes.get(&(r.product.as_str(), id, revision)) {
            Some(&c) if c == code => {
                plan.already += 1;
                continue;
            }
            Some(_) => return Err(refuse(ImportProblem::ConflictingCode)),
            None => {}
        }
        owners.insert(id, (&r.product, r.reseller.as_deref()));
        codes.insert((&r.product, id, revision), code);
        plan.new.push(r.clone());
        if let Some(sub) = sub.filter(|s| !plan.sub_certificates.contains(s)) {
            plan.sub_certificates.push(sub);
        }
    }
    Ok(plan)
}

/// A record redeeming ticket `t`: this home's pool handed that ticket to the record's
/// reseller (the one that signed the code), or to a reseller above it in its chain
/// (`above`) that may pass tickets on to its sub-resellers, or passed it on to the
/// record's reseller itself; for a new license of this product and kind.
fn check_ticket(
    r: &Record,
    t: &str,
    tickets: Option<&TicketPool>,
    above: &[&str],
) -> Result<(), ImportProblem> {
    let reseller = r.reseller.clone().unwrap_or_default();
    let refuse = |why| ImportProblem::TicketNotHandedOver {
        ticket: t.to_owned(),
        reseller: reseller.clone(),
        why,
    };
    let id = TicketId::parse(t).map_err(|_| refuse("not a ticket id"))?;
    let ticket = tickets
        .and_then(|pool| pool.get(&id).ok())
        .ok_or_else(|| refuse("the vendor's ticket pool has no such ticket"))?;
    let in_chain = |name: &str| name == reseller || above.contains(&name);
    if !in_chain(&ticket.reseller) {
        return Err(refuse("it was created for another reseller"));
    }
    match tickets.and_then(|pool| pool.holder(&id)) {
        Some(holder) if in_chain(holder) => {}
        _ => return Err(refuse("it was not handed over for offline redemption")),
    }
    if ticket.order.product != r.product || ticket.order.kind != r.license.kind || r.license.revision != 1 {
        return Err(refuse("it stands for a new license of another product or kind"));
    }
    Ok(())
}

/// One record's own checks; returns its code and, for a sub-reseller's code, the
/// sub-reseller's certificate (the second of its chain).
fn check_record<'r>(
    r: &'r Record,
    export: &ResellerExport,
    keys: &[PublicKey],
    revoked: &BTreeMap<String, CertificateRevocationSet>,
    (from, to): (Date, Date),
) -> Result<(&'r str, Option<SubCertificateEntry>), ImportProblem> {
    if r.recorded < from || r.recorded >= to {
        return Err(ImportProblem::OutsideMonth {
            recorded: r.recorded,
            month: export.month,
        });
    }
    let code = r.code.as_deref().ok_or(ImportProblem::NoCode)?;
    if !is_delegated_text(code) {
        return Err(ImportProblem::NotDelegated);
    }
    let untrusted = UntrustedDelegatedCode::parse(code).map_err(ImportProblem::Code)?;
    let signed_for = SignedFor {
        product: &r.product,
        licensee: &r.licensee,
        database: r.database.as_deref(),
    };
    let none = CertificateRevocationSet::default();
    let verified = verify_delegated_signature(
        &untrusted,
        keys,
        signed_for,
        revoked.get(&r.product).unwrap_or(&none),
    )
    .map_err(ImportProblem::Code)?;
    let signed = verified.license().license();
    if *signed != r.license {
        return Err(ImportProblem::LicenseDiffers);
    }
    let chain = verified.issuer().name.as_str();
    if r.reseller.as_deref() != Some(chain) {
        return Err(ImportProblem::ResellerDiffers {
            record: r.reseller.clone(),
            chain: chain.to_owned(),
        });
    }
    if export.reseller != chain {
        return Err(ImportProblem::FileReseller {
            file: export.reseller.clone(),
            chain: chain.to_owned(),
        });
    }
    let new = signed.revision == 1;
    let fits = r.operation.is_new_license() == new
        && (r.operation == Operation::Trial) == (new && signed.kind == Kind::Trial)
        && (r.operation == Operation::Withdraw) == r.withdrawn.is_some();
    if !fits {
        return Err(ImportProblem::OperationDiffers {
            operation: r.operation.name(),
            revision: signed.revision,
            kind: signed.kind,
        });
    }
    if r.recorded != signed.issued {
        return Err(ImportProblem::WrongDay {
            recorded: r.recorded,
            issued: signed.issued,
        });
    }
    let mut chain = verified.chain();
    let sub = match (chain.next(), chain.next()) {
        (Some(first), Some(second)) => Some(SubCertificateEntry {
            product: r.product.clone(),
            reseller_serial: first.serial,
            reseller: first.name.as_str().to_owned(),
            serial: second.serial,
            sub_reseller: second.name.as_str().to_owned(),
            public_key: hex::encode(second.subject.to_bytes()),
            registered: export.exported,
            revoked: None,
            reason: None,
        }),
        _ => None,
    };
    Ok((code, sub))
}

/// One line of a monthly invoice basis: the codes one reseller created in the month of
/// one kind and, on the subscription line, its subscriptions pro rata to the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InvoiceLine {
    /// The month.
    pub month: Month,
    /// The reseller the vendor invoices (the first-level reseller for a sub-reseller).
    pub invoiced: String,
    /// The reseller that issued the codes.
    pub reseller: Option<String>,
    /// Kind (report label: full, demo/trial, subscription, nfr).
    pub kind: &'static str,
    /// New licenses of this kind created in the month.
    pub new_licenses: u32,
    /// Of the new licenses, those that redeemed a ticket of the vendor's pool (ordered and
    /// invoiced through the vendor's ERP when the ticket was created).
    pub tickets: u32,
    /// Codes of this kind issued in the month (new licenses and revisions).
    pub codes: u32,
    /// Subscription line only: subscriptions with at least one day in the month.
    pub subscriptions: Option<u32>,
    /// Subscription line only: subscription days in the month.
    pub subscription_days: Option<u32>,
    /// Subscription line only: named-user days (users x days; unlimited counts as 0).
    pub user_days: Option<u64>,
}

/// The invoice basis of one reseller for one month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InvoiceSection {
    /// The reseller the vendor invoices.
    pub invoiced: String,
    /// Per issuing reseller (itself, then its sub-resellers), one line per kind.
    pub lines: Vec<InvoiceLine>,
    /// The codes created in the month.
    pub codes: Vec<IssuedRow>,
    /// The subscription days of the month, per subscription and scope.
    pub subscriptions: Vec<ProRataRow>,
}

/// The monthly invoice basis per reseller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Invoice {
    /// The month.
    pub month: Month,
    /// One section per reseller the vendor invoices, by name.
    pub resellers: Vec<InvoiceSection>,
}

impl Invoice {
    /// Every line of every section.
    pub fn lines(&self) -> impl Iterator<Item = &InvoiceLine> {
        self.resellers.iter().flat_map(|s| &s.lines)
    }

    /// The lines as CSV (one per reseller and kind).
    pub fn to_csv(&self) -> Result<String, Error> {
        crate::report::lists::to_csv(&self.lines().cloned().collect::<Vec<_>>())
    }
}

/// The invoice basis of `month` from `records` (the vendor's ledger and the imported
/// resellers' records): per reseller the vendor invoices, the codes created in the month
/// by kind ([`crate::issued_report`]) and its active subscriptions pro rata
/// ([`crate::pro_rata`]). Sales without a reseller are left out, and so is a storno (a
/// license revoked in its first month, [`LicenseHistory::storno`]). With `reseller`, only
/// that reseller's section (or, for a sub-reseller, its own lines).
pub fn invoice(
    records: &[Record],
    catalogs: &Catalogs,
    month: Month,
    reseller: Option<&str>,
) -> Result<Invoice, Error> {
    // A storno (revoked in its first month: the purchase undone) is not invoiced.
    let histories = LicenseHistory::all(records);
    let kept: Vec<Record> = records
        .iter()
        .filter(|r| {
            !histories
                .get(&r.license.license_id)
                .is_some_and(LicenseHistory::storno)
        })
        .cloned()
        .collect();
    let issued = issued_report(&kept, catalogs, month, IssuedBy::Issue, reseller)?;
    let prorata = pro_rata(&histories, catalogs, month, reseller)?;
    let mut sections: BTreeMap<String, InvoiceSection> = BTreeMap::new();
    let kind_index = |label: &str| Kind::ALL.iter().position(|&k| kind_label(k) == label);
    for t in &issued.resellers {
        let (Some(invoiced), Some(k)) = (&t.invoiced, kind_index(t.kind)) else {
            continue;
        };
        let line = line_of(&mut sections, month, invoiced, &t.reseller, k);
        line.new_licenses = t.new_licenses;
        line.tickets = t.tickets;
        line.codes = t.codes;
    }
    let subscription = Kind::ALL
        .iter()
        .position(|&k| k == Kind::Subscription)
        .unwrap_or(0);
    for t in &prorata.resellers {
        let Some(invoiced) = &t.invoiced else { continue };
        let line = line_of(&mut sections, month, invoiced, &t.reseller, subscription);
        line.subscriptions = Some(t.subscriptions);
        line.subscription_days = Some(t.days);
        line.user_days = Some(t.user_days);
    }
    // Each code to the section of the reseller invoiced for it (from its own chain: two
    // sub-resellers of one name under different resellers stay apart).
    for row in issued.codes {
        if let Some(s) = row.invoiced.as_ref().and_then(|i| sections.get_mut(i)) {
            s.codes.push(row);
        }
    }
    for row in prorata.rows {
        if let Some(s) = row.invoiced.as_ref().and_then(|i| sections.get_mut(i)) {
            s.subscriptions.push(row);
        }
    }
    Ok(Invoice {
        month,
        resellers: sections.into_values().collect(),
    })
}

/// The line of `seller`'s codes of the kind `Kind::ALL[k]` in `invoiced`'s section; a
/// reseller's first line adds its four kind lines.
fn line_of<'s>(
    sections: &'s mut BTreeMap<String, InvoiceSection>,
    month: Month,
    invoiced: &str,
    seller: &Option<String>,
    k: usize,
) -> &'s mut InvoiceLine {
    let s = sections
        .entry(invoiced.to_owned())
        .or_insert_with(|| InvoiceSection {
            invoiced: invoiced.to_owned(),
            lines: Vec::new(),
            codes: Vec::new(),
            subscriptions: Vec::new(),
        });
    let first = match s.lines.iter().position(|l| &l.reseller == seller) {
        Some(p) => p,
        None => {
            let p = s.lines.len();
            s.lines.extend(Kind::ALL.iter().map(|&kind| {
                let sub = (kind == Kind::Subscription).then_some(0);
                InvoiceLine {
                    month,
                    invoiced: invoiced.to_owned(),
                    reseller: seller.clone(),
                    kind: kind_label(kind),
                    new_licenses: 0,
                    tickets: 0,
                    codes: 0,
                    subscriptions: sub,
                    subscription_days: sub,
                    user_days: sub.map(u64::from),
                }
            }));
            p
        }
    };
    &mut s.lines[first + k]
}

impl ReportRow for InvoiceLine {
    const COLUMNS: &'static [Column] = &[
        csv_only("month"),
        csv_only("invoiced"),
        col("reseller", "issued by"),
        col("kind", "kind"),
        col("new_licenses", "new licenses"),
        col("tickets", "of them tickets"),
        col("codes", "codes issued"),
        col("subscriptions", "subscriptions"),
        col("subscription_days", "days"),
        col("user_days", "user-days"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            some(self.month),
            some(&self.invoiced),
            opt(self.reseller.as_ref()),
            some(self.kind),
            some(self.new_licenses),
            some(self.tickets),
            some(self.codes),
            opt(self.subscriptions),
            opt(self.subscription_days),
            opt(self.user_days),
        ]
    }
}

/// Where the vendor keeps imported records (the licensing directory's `imports/`).
pub fn imports_ledger_path(home: &Path) -> PathBuf {
    home.join("imports").join("ledger.jsonl")
}

#[cfg(test)]
mod tests {
    use license_core::{Context, DelegationError, UntrustedDelegatedCode, Violation, sign};

    use super::*;
    use crate::catalog::product::Catalog;
    use crate::channel::reseller::certify;
    use crate::channel::tickets::TicketPool;
    use crate::channel::tickets::id::TicketId;
    use crate::issuer::Issuer;
    use crate::issuer::order::{Customer, NewLicense};
    use crate::keys::vendor::VendorKey;
    use crate::ledger::store::{Ledger, MemoryLedger};

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    const MARCH: Month = Month { year: 2027, month: 3 };

    fn vendor() -> VendorKey {
        VendorKey::from_seed(&[7; 32])
    }

    fn catalogs() -> Catalogs {
        let mut c = Catalogs::new();
        c.insert(Catalog::demo().unwrap());
        c
    }

    use crate::test_support::reseller_frame as frame;

    fn order(kind: Kind, licensee: &str, users: u32) -> NewLicense {
        let mut o = NewLicense::new("demo-erp", kind, Customer::new(licensee));
        o.line = Some("standard".into());
        o.named_users = Some(users);
        o.modules = vec!["crm".into()];
        o
    }

    /// Contoso (serial 7, ids 500000-500049) and its sub-reseller Fabrikam (ids
    /// 500050-500099), each with an issuer over its own ledger.
    struct World {
        _dir: tempfile::TempDir,
        contoso: ResellerHome,
        contoso_is: Issuer<MemoryLedger>,
        fabrikam_is: Issuer<MemoryLedger>,
        vendor_is: Issuer<MemoryLedger>,
    }

    fn world() -> World {
        let dir = tempfile::tempdir().unwrap();
        let keys = [vendor().public_key()];
        let contoso = ResellerHome::new(dir.path().join("contoso"));
        let pk = contoso.keygen().unwrap();
        let chain = certify(
            &vendor(),
            "demo-erp",
            pk,
            "Contoso",
            7,
            frame(50, (500_000, 500_099), 1),
            None,
        )
        .unwrap();
        contoso.install(&chain.to_string(), &keys, "demo-erp").unwrap();
        let fabrikam = ResellerHome::new(dir.path().join("fabrikam"));
        let sub = fabrikam.keygen().unwrap();
        let sub_chain = contoso
            .certify("demo-erp", sub, "Fabrikam", 1, frame(20, (500_050, 500_099), 0))
            .unwrap();
        fabrikam
            .install(&sub_chain.to_string(), &keys, "demo-erp")
            .unwrap();
        World {
            contoso_is: Issuer::new(catalogs(), contoso.signer().unwrap(), MemoryLedger::new()),
            fabrikam_is: Issuer::new(catalogs(), fabrikam.signer().unwrap(), MemoryLedger::new()),
            vendor_is: Issuer::new(catalogs(), vendor(), MemoryLedger::new()),
            contoso,
            _dir: dir,
        }
    }

    /// Contoso: a subscription (20 users) on 1 March and a trial on 2 March, an upgrade
    /// on 10 March and a subscription in April; Fabrikam: a subscription (10 users) on 16
    /// March; the vendor: a direct subscription on 1 March.
    fn issued(w: &mut World) {
        let sub = w
            .contoso_is
            .issue(&order(Kind::Subscription, "ACME", 20), d(2027, 3, 1))
            .unwrap();
        w.contoso_is
            .issue(&order(Kind::Trial, "Globex", 5), d(2027, 3, 2))
            .unwrap();
        let change = crate::issuer::order::Change {
            named_users: Some(30),
            ..crate::issuer::order::Change::default()
        };
        w.contoso_is
            .upgrade(sub.license.license_id, &change, d(2027, 3, 10))
            .unwrap();
        w.contoso_is
            .issue(&order(Kind::Subscription, "Initech", 5), d(2027, 4, 1))
            .unwrap();
        w.fabrikam_is
            .issue(&order(Kind::Subscription, "Umbrella", 10), d(2027, 3, 16))
            .unwrap();
        w.vendor_is
            .issue(&order(Kind::Subscription, "Direct AG", 10), d(2027, 3, 1))
            .unwrap();
    }

    fn signer_of(is: &Issuer<MemoryLedger>) -> &crate::keys::signer::ResellerSigner {
        match is.signer() {
            crate::keys::signer::Signer::Reseller(r) => r,
            crate::keys::signer::Signer::Vendor(_) => panic!("a reseller's issuer"),
        }
    }

    fn export_of(is: &Issuer<MemoryLedger>, name: &str) -> ResellerExport {
        ResellerExport::of_month(
            name,
            signer_of(is),
            &is.ledger().records().unwrap(),
            MARCH,
            d(2027, 4, 2),
        )
        .unwrap()
    }

    fn import(export: &ResellerExport, own: &[Record], imported: &[Record]) -> Result<ImportPlan, Error> {
        check_import(
            export,
            &[vendor().public_key()],
            &BTreeMap::new(),
            own,
            imported,
            None,
        )
    }

    /// Round trip through the file text, as the vendor reads it.
    fn reread(export: &ResellerExport) -> Result<ResellerExport, Error> {
        ResellerExport::parse(&export.to_text().unwrap(), Path::new("export.jsonl"))
    }

    fn refused(r: Result<ImportPlan, Error>) -> (usize, ImportProblem) {
        match r {
            Err(Error::Channel(ChannelError::ImportRefused { line, problem, .. })) => (line, problem),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_month_exports_imports_once_and_every_record_is_verified() {
        let mut w = world();
        issued(&mut w);
        assert_eq!(reseller_name(&w.contoso).unwrap(), "Contoso");
        let export = export_of(&w.contoso_is, "Contoso");
        assert_eq!(
            export.records.len(),
            3,
            "March only: subscription, trial, upgrade"
        );
        let text = export.to_text().unwrap();
        assert!(text.starts_with(
            "{\"format\":\"license-kit/reseller-export\",\"version\":2,\"reseller\":\"Contoso\",\"month\":\"2027-03\""
        ));
        let back = reread(&export).unwrap();
        assert_eq!(back, export);
        let own = w.vendor_is.ledger().records().unwrap();
        let plan = import(&back, &own, &[]).unwrap();
        assert_eq!((plan.new.len(), plan.already), (3, 0));
        // The same file again, and an overlapping export (March and the April record)
        // add only what is new.
        let again = import(&back, &own, &plan.new).unwrap();
        assert_eq!((again.new.len(), again.already), (0, 3));
        let mut wider = back.clone();
        let april = ResellerExport::of_month(
            "Contoso",
            signer_of(&w.contoso_is),
            &w.contoso_is.ledger().records().unwrap(),
            Month { year: 2027, month: 4 },
            d(2027, 5, 1),
        )
        .unwrap();
        wider.records.truncate(1);
        assert_eq!(import(&wider, &own, &plan.new).unwrap().already, 1);
        let april_plan = import(&april, &own, &plan.new).unwrap();
        assert_eq!(april_plan.new.len(), 1);
        // The sub-reseller's own export is imported the same way.
        let sub = export_of(&w.fabrikam_is, "Fabrikam");
        assert_eq!(import(&sub, &own, &plan.new).unwrap().new.len(), 1);
        // A file claiming to be Contoso's holding Fabrikam's code is refused.
        let mut wrong = sub.clone();
        wrong.reseller = "Contoso".into();
        assert!(matches!(
            refused(import(&wrong, &own, &[])),
            (2, ImportProblem::FileReseller { .. })
        ));
    }

    #[test]
    fn a_tampered_or_foreign_export_is_refused_whole() {
        let mut w = world();
        issued(&mut w);
        let own = w.vendor_is.ledger().records().unwrap();
        let export = export_of(&w.contoso_is, "Contoso");

        // A license widened in the record: 20 users become 60.
        let mut widened = export.clone();
        widened.records[0].license.named_users = Some(60);
        assert_eq!(
            refused(import(&reread(&widened).unwrap(), &own, &[])),
            (2, ImportProblem::LicenseDiffers)
        );
        // Another reseller named in the record.
        let mut renamed = export.clone();
        renamed.records[1].reseller = Some("Fabrikam".into());
        assert!(matches!(
            refused(import(&renamed, &own, &[])),
            (3, ImportProblem::ResellerDiffers { .. })
        ));
        // Another licensee: the signature does not cover it.
        let mut other = export.clone();
        other.records[2].licensee = "Evil Corp".into();
        assert!(matches!(
            refused(import(&other, &own, &[])),
            (4, ImportProblem::Code(license_core::Error::WrongLicensee))
        ));
        // Moved to another day of the month.
        let mut moved = export.clone();
        moved.records[1].recorded = d(2027, 3, 20);
        assert!(matches!(
            refused(import(&moved, &own, &[])),
            (3, ImportProblem::WrongDay { .. })
        ));
        // An operation relabelled: a subscription as a trial, an upgrade as a new license.
        for (at, op) in [
            (0, Operation::Trial),
            (2, Operation::Issue),
            (1, Operation::Withdraw),
        ] {
            let mut relabelled = export.clone();
            relabelled.records[at].operation = op;
            assert!(
                matches!(
                    refused(import(&relabelled, &own, &[])),
                    (_, ImportProblem::OperationDiffers { .. })
                ),
                "{op:?}"
            );
        }
        // Every single-symbol change of a code is refused (typo check, or signature).
        let code = export.records[0].code.clone().unwrap();
        for (i, c) in code
            .char_indices()
            .filter(|(_, c)| c.is_ascii_alphanumeric())
            .step_by(7)
        {
            let mut changed = export.clone();
            let other = if c == 'A' { 'B' } else { 'A' };
            changed.records[0].code = Some(format!("{}{other}{}", &code[..i], &code[i + 1..]));
            assert!(import(&changed, &own, &[]).is_err(), "symbol {i} changed");
        }
        // No code; a plain code instead of a reseller's code.
        let mut bare = export.clone();
        bare.records[0].code = None;
        assert_eq!(refused(import(&bare, &own, &[])), (2, ImportProblem::NoCode));
        let mut plain = export.clone();
        plain.records[0].code = own[0].code.clone();
        assert_eq!(
            refused(import(&plain, &own, &[])),
            (2, ImportProblem::NotDelegated)
        );
        // A vendor key the installation does not know; a revoked certificate.
        let stranger = [VendorKey::from_seed(&[9; 32]).public_key()];
        assert!(matches!(
            check_import(&export, &stranger, &BTreeMap::new(), &own, &[], None),
            Err(Error::Channel(ChannelError::ImportRefused {
                problem: ImportProblem::Code(license_core::Error::Delegation(
                    DelegationError::UnknownVendorKey { .. }
                )),
                ..
            }))
        ));
        let keys = [vendor().public_key()];
        assert!(matches!(
            check_import(
                &export,
                &keys,
                &BTreeMap::from([(
                    "demo-erp".to_owned(),
                    CertificateRevocationSet {
                        resellers: vec![7],
                        sub_resellers: Vec::new(),
                    }
                )]),
                &own,
                &[],
                None
            ),
            Err(Error::Channel(ChannelError::ImportRefused {
                problem: ImportProblem::Code(license_core::Error::Delegation(DelegationError::Revoked {
                    serial: 7,
                    ..
                })),
                ..
            }))
        ));
        // A license id of the vendor's own ledger, or of another import.
        let mut theirs = own.clone();
        theirs[0].license.license_id = export.records[0].license.license_id;
        assert_eq!(
            refused(import(&export, &theirs, &[])),
            (2, ImportProblem::IdOfVendor)
        );
        let mut earlier = export.records[..1].to_vec();
        earlier[0].reseller = Some("Someone Else".into());
        assert!(matches!(
            refused(import(&export, &own, &earlier)),
            (2, ImportProblem::IdOfOther { .. })
        ));
        // The same revision imported before with another code.
        let mut resigned = export.records[..1].to_vec();
        resigned[0].code = export.records[1].code.clone();
        assert_eq!(
            refused(import(&export, &own, &resigned)),
            (2, ImportProblem::ConflictingCode)
        );
    }

    /// What an import takes from a record on the strength of its code: the installation
    /// (normalized as the signature compares it), the signed license and code bytes, the
    /// reseller, day and operation.
    fn proven(r: &Record) -> impl PartialEq + std::fmt::Debug + use<> {
        let ctx = Context {
            product: &r.product,
            licensee: &r.licensee,
            database: r.database.as_deref(),
            machine: None,
        };
        let code = r
            .code
            .as_deref()
            .map(|c| UntrustedDelegatedCode::parse(c).unwrap().as_bytes().to_vec());
        (
            ctx.installation_id(),
            r.license,
            code,
            r.reseller.clone(),
            r.recorded,
            r.operation,
            r.withdrawn,
        )
    }

    #[test]
    fn every_single_byte_change_of_an_export_is_refused_or_imports_the_same() {
        let mut w = world();
        issued(&mut w);
        let own = w.vendor_is.ledger().records().unwrap();
        let export = export_of(&w.contoso_is, "Contoso");
        let text = export.to_text().unwrap();
        let expected: Vec<_> = import(&export, &own, &[])
            .unwrap()
            .new
            .iter()
            .map(proven)
            .collect();
        let (mut refused, mut same) = (0, 0);
        for i in 0..text.len() {
            for flip in [0x01u8, 0x20, 0x08] {
                let mut bytes = text.as_bytes().to_vec();
                bytes[i] ^= flip;
                let Ok(changed) = String::from_utf8(bytes) else {
                    refused += 1;
                    continue;
                };
                let plan =
                    ResellerExport::parse(&changed, Path::new("x.jsonl")).and_then(|e| import(&e, &own, &[]));
                match plan {
                    Err(_) => refused += 1,
                    Ok(plan) => {
                        let got: Vec<_> = plan.new.iter().map(proven).collect();
                        assert_eq!(
                            got,
                            expected,
                            "byte {i} ^ {flip:#04x}: {}",
                            &changed[i.saturating_sub(20)..]
                        );
                        same += 1;
                    }
                }
            }
        }
        // Most changes are refused; the rest touch what the code does not prove or what
        // reads the same (the export day, letter case the code text and names ignore).
        assert!(
            refused > 5 * same && same > 0,
            "{refused} refused, {same} the same"
        );
    }

    #[test]
    fn a_ticket_redemption_must_be_of_a_ticket_handed_to_the_reseller() {
        let mut w = world();
        issued(&mut w);
        let own = w.vendor_is.ledger().records().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut pool = TicketPool::open(&dir.path().join("tickets.jsonl")).unwrap();
        let mut scope = NewLicense::new("demo-erp", Kind::Subscription, Customer::default());
        scope.line = Some("standard".into());
        scope.named_users = Some(20);
        scope.modules = vec!["crm".into()];
        let day = d(2027, 2, 1);
        let handed = pool.create(&w.vendor_is, "Contoso", &scope, 1, day).unwrap()[0].id;
        pool.export("Contoso", |_| false, day).unwrap();
        let kept = pool.create(&w.vendor_is, "Contoso", &scope, 1, day).unwrap()[0].id;
        let others = pool.create(&w.vendor_is, "Initech", &scope, 1, day).unwrap()[0].id;
        pool.export("Initech", |_| false, day).unwrap();
        let export = export_of(&w.contoso_is, "Contoso");
        let with = |at: usize, t: TicketId| {
            let mut e = export.clone();
            e.records[at].ticket = Some(t.to_string());
            e
        };
        let check = |e: &ResellerExport, imported: &[Record]| {
            check_import(
                e,
                &[vendor().public_key()],
                &BTreeMap::new(),
                &own,
                imported,
                Some(&pool),
            )
        };
        // ACME's subscription redeemed the ticket handed to Contoso.
        let plan = check(&with(0, handed), &[]).unwrap();
        assert_eq!(plan.new[0].ticket, Some(handed.to_string()));
        // The invoice basis says which new licenses came through tickets.
        let records = [own.clone(), plan.new.clone()].concat();
        let inv = invoice(&records, &catalogs(), MARCH, Some("Contoso")).unwrap();
        let sub = inv
            .lines()
            .find(|l| l.reseller.as_deref() == Some("Contoso") && l.kind == "subscription")
            .unwrap();
        assert_eq!((sub.new_licenses, sub.tickets, sub.codes), (1, 1, 2));
        for (at, t, why) in [
            (0, kept, "not handed over"),
            (0, others, "another reseller"),
            (1, handed, "another product or kind"),
            (2, handed, "another product or kind"),
        ] {
            let (line, problem) = refused(check(&with(at, t), &[]));
            assert_eq!(line, at + 2);
            assert!(
                matches!(&problem, ImportProblem::TicketNotHandedOver { .. })
                    && problem.to_string().contains(why),
                "{problem}"
            );
        }
        let mut bogus = export.clone();
        bogus.records[0].ticket = Some("TK-NOT-A-TICKET".into());
        assert!(
            refused(check(&bogus, &[]))
                .1
                .to_string()
                .contains("not a ticket id")
        );
        assert!(matches!(
            refused(check_import(
                &with(0, handed),
                &[vendor().public_key()],
                &BTreeMap::new(),
                &own,
                &[],
                None
            )),
            (2, ImportProblem::TicketNotHandedOver { .. })
        ));
        // A ticket another license redeemed already.
        let mut earlier = plan.new.clone();
        earlier[0].license.license_id = 500_049;
        assert!(matches!(
            refused(check(&with(0, handed), &earlier)),
            (
                2,
                ImportProblem::TicketRedeemed {
                    license_id: 500_049,
                    ..
                }
            )
        ));
        // The same import again: nothing added, no conflict with itself.
        assert_eq!(check(&with(0, handed), &plan.new).unwrap().already, 3);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        /// Any selection of a reseller's records, in any month: the file round-trips, an
        /// import adds each record of the month once, and importing again adds nothing.
        #[test]
        fn exports_round_trip_and_imports_are_idempotent(mask in 0u8..16, month in 2u8..5, split in 0usize..4) {
            let mut w = world();
            issued(&mut w);
            let ledger: Vec<Record> = w
                .contoso_is
                .ledger()
                .records()
                .unwrap()
                .into_iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, r)| r)
                .collect();
            let month = Month { year: 2027, month };
            let export =
                ResellerExport::of_month("Contoso", signer_of(&w.contoso_is), &ledger, month, d(2027, 6, 1))
                    .unwrap();
            proptest::prop_assert_eq!(&reread(&export).unwrap(), &export);
            let own = w.vendor_is.ledger().records().unwrap();
            // Part of the file imported first (an earlier, overlapping import), then all of it.
            let mut part = export.clone();
            part.records.truncate(split);
            let first = import(&part, &own, &[]).unwrap();
            let all = import(&export, &own, &first.new).unwrap();
            proptest::prop_assert_eq!(first.new.len() + all.new.len(), export.records.len());
            proptest::prop_assert_eq!(all.already, first.new.len());
            let imported = [first.new, all.new].concat();
            let again = import(&export, &own, &imported).unwrap();
            proptest::prop_assert_eq!((again.new.len(), again.already), (0, export.records.len()));
        }
    }

    #[test]
    fn a_code_outside_its_resellers_frame_is_refused() {
        let mut w = world();
        issued(&mut w);
        let own = w.vendor_is.ledger().records().unwrap();
        let mut export = export_of(&w.contoso_is, "Contoso");
        // Contoso's key signs a 60-user license (its frame allows 50) and puts its chain
        // in front, as a tampered tool would: sign_delegated refuses to.
        let r = &mut export.records[0];
        r.license.named_users = Some(60);
        let chain = w.contoso.chain("demo-erp").unwrap();
        let ctx = Context::new("demo-erp", &r.licensee);
        let code = sign(&r.license, &ctx, w.contoso.key().unwrap().signing_key()).unwrap();
        let mut bytes = chain.as_bytes().to_vec();
        bytes[0] = 0xD0 | chain.len() as u8;
        bytes.extend_from_slice(code.as_bytes());
        r.code = Some(UntrustedDelegatedCode::from_bytes(&bytes).unwrap().to_string());
        let (line, problem) = refused(import(&export, &own, &[]));
        assert_eq!(line, 2);
        assert!(matches!(
            problem,
            ImportProblem::Code(license_core::Error::Delegation(DelegationError::OutsideFrame {
                violation: Violation::NamedUsers {
                    requested: Some(60),
                    max: 50
                },
                ..
            }))
        ));
        assert!(problem.to_string().contains("Contoso"), "{problem}");
    }

    #[test]
    fn foreign_damaged_and_other_version_files_are_typed_errors() {
        let mut w = world();
        issued(&mut w);
        let text = export_of(&w.contoso_is, "Contoso").to_text().unwrap();
        let path = Path::new("f.jsonl");
        let format_error = |t: &str| match ResellerExport::parse(t, path) {
            Err(Error::Channel(ChannelError::ExportFormat { line, .. })) => line,
            other => panic!("expected a format error, got {other:?}"),
        };
        assert_eq!(format_error(""), 1);
        assert_eq!(format_error("{\"format\":\"something else\",\"version\":1}\n"), 1);
        assert_eq!(format_error("license codes, not JSON"), 1);
        assert_eq!(format_error(&text.replace("\"records\":3", "\"records\":4")), 4);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(format_error(&lines[..3].join("\n")), 3, "cut short");
        assert_eq!(
            format_error(&format!("{}\n{{\"x\":1}}\n{}", lines[0], lines[1..].join("\n"))),
            2
        );
        assert!(matches!(
            ResellerExport::parse(&text.replace("\"version\":2", "\"version\":3"), path),
            Err(Error::Channel(ChannelError::ExportVersion { version: 3, .. }))
        ));
        // Version 1 (codes only, no signatures) is still read.
        assert_eq!(
            ResellerExport::parse(&text.replace("\"version\":2", "\"version\":1"), path)
                .unwrap()
                .records
                .len(),
            3
        );
        // Random bytes and every truncation never panic.
        for n in 0..text.len() {
            if text.is_char_boundary(n) {
                let _ = ResellerExport::parse(&text[..n], path);
            }
        }
        assert!(
            ResellerExport::parse(&text.replace('\n', "\r\n"), path).is_ok(),
            "CRLF line ends"
        );
    }

    /// Two sub-resellers of the same name under different resellers: each code goes to the
    /// section of the reseller its own chain names.
    #[test]
    fn same_named_sub_resellers_are_invoiced_to_their_own_resellers() {
        let mut w = world();
        issued(&mut w);
        let keys = [vendor().public_key()];
        let northwind = ResellerHome::new(w._dir.path().join("northwind"));
        let pk = northwind.keygen().unwrap();
        let chain = certify(
            &vendor(),
            "demo-erp",
            pk,
            "Northwind",
            8,
            frame(50, (600_000, 600_099), 1),
            None,
        )
        .unwrap();
        northwind.install(&chain.to_string(), &keys, "demo-erp").unwrap();
        let other = ResellerHome::new(w._dir.path().join("fabrikam-2"));
        let sub = other.keygen().unwrap();
        let sub_chain = northwind
            .certify("demo-erp", sub, "Fabrikam", 1, frame(20, (600_050, 600_099), 0))
            .unwrap();
        other.install(&sub_chain.to_string(), &keys, "demo-erp").unwrap();
        let mut other_is = Issuer::new(catalogs(), other.signer().unwrap(), MemoryLedger::new());
        other_is
            .issue(&order(Kind::Trial, "Hooli", 3), d(2027, 3, 3))
            .unwrap();
        let mut records = w.vendor_is.ledger().records().unwrap();
        for (is, name) in [
            (&w.contoso_is, "Contoso"),
            (&w.fabrikam_is, "Fabrikam"),
            (&other_is, "Fabrikam"),
        ] {
            let plan = import(&export_of(is, name), &records, &[]).unwrap();
            records.extend(plan.new);
        }
        let inv = invoice(&records, &catalogs(), MARCH, None).unwrap();
        let section = |name: &str| inv.resellers.iter().find(|s| s.invoiced == name).unwrap();
        let ids = |name: &str| -> Vec<u32> { section(name).codes.iter().map(|c| c.license_id).collect() };
        assert!(
            ids("Northwind")
                .iter()
                .all(|&id| (600_000..=600_099).contains(&id))
        );
        assert_eq!(ids("Northwind").len(), 1);
        assert!(ids("Contoso").iter().all(|&id| (500_000..=500_099).contains(&id)));
        assert_eq!(ids("Contoso").len(), 4);
    }

    /// Issue 20, item 7: the vendor's import registers the sub-reseller certificates of
    /// the codes it imports, refuses a sub-reseller serial its reseller gave two keys, and
    /// refuses codes under a sub-reseller it revoked by the pair of serials.
    #[test]
    fn imports_register_sub_resellers_once_per_serial_and_refuse_revoked_ones() {
        use crate::channel::certificates::CertificateRegister;
        let mut w = world();
        issued(&mut w);
        let own = w.vendor_is.ledger().records().unwrap();
        let fabrikams = export_of(&w.fabrikam_is, "Fabrikam");
        let plan = import(&fabrikams, &own, &[]).unwrap();
        assert_eq!(plan.sub_certificates.len(), 1, "Fabrikam's certificate, once");
        let met = &plan.sub_certificates[0];
        assert_eq!(
            (
                met.reseller_serial,
                met.reseller.as_str(),
                met.serial,
                met.sub_reseller.as_str()
            ),
            (7, "Contoso", 1, "Fabrikam")
        );
        assert!(
            import(&export_of(&w.contoso_is, "Contoso"), &own, &[])
                .unwrap()
                .sub_certificates
                .is_empty()
        );
        let mut register = CertificateRegister::open(w._dir.path().join("certificates.json")).unwrap();
        assert_eq!(
            register
                .register_sub_certificates(&plan.sub_certificates)
                .unwrap(),
            1
        );
        assert_eq!(
            register
                .register_sub_certificates(&plan.sub_certificates)
                .unwrap(),
            0
        );
        // Contoso certifies another sub-reseller with Fabrikam's serial 1: its codes'
        // import is refused by the register, naming both.
        let keys = [vendor().public_key()];
        let litware = ResellerHome::new(w._dir.path().join("litware"));
        let pk = litware.keygen().unwrap();
        let chain = w
            .contoso
            .certify("demo-erp", pk, "Litware", 1, frame(20, (500_050, 500_099), 0))
            .unwrap();
        litware.install(&chain.to_string(), &keys, "demo-erp").unwrap();
        let mut litware_is = Issuer::new(catalogs(), litware.signer().unwrap(), MemoryLedger::new());
        litware_is
            .issue(&order(Kind::Trial, "Initech", 2), d(2027, 3, 20))
            .unwrap();
        let plan = import(&export_of(&litware_is, "Litware"), &own, &[]).unwrap();
        assert!(matches!(
            register.register_sub_certificates(&plan.sub_certificates),
            Err(Error::Channel(ChannelError::SubSerialUsed { reseller_serial: 7, serial: 1, ref registered, ref given, .. }))
                if registered == "Fabrikam" && given == "Litware"
        ));
        // The vendor revokes Fabrikam by (7, 1): its codes are refused at import, Contoso's are not.
        register
            .revoke_sub("demo-erp", 7, 1, None, d(2027, 4, 1))
            .unwrap();
        let revoked = BTreeMap::from([("demo-erp".to_owned(), register.revoked("demo-erp"))]);
        let check = |e: &ResellerExport| check_import(e, &keys, &revoked, &own, &[], None);
        assert!(matches!(
            check(&fabrikams),
            Err(Error::Channel(ChannelError::ImportRefused {
                problem: ImportProblem::Code(license_core::Error::Delegation(
                    DelegationError::SubResellerRevoked {
                        parent_serial: 7,
                        serial: 1,
                        ..
                    }
                )),
                ..
            }))
        ));
        check(&export_of(&w.contoso_is, "Contoso")).unwrap();
    }

    #[test]
    fn the_invoice_groups_by_first_level_reseller_and_counts_kinds_and_days() {
        let mut w = world();
        issued(&mut w);
        let mut records = w.vendor_is.ledger().records().unwrap();
        for (is, name) in [(&w.contoso_is, "Contoso"), (&w.fabrikam_is, "Fabrikam")] {
            let export = export_of(is, name);
            let plan = import(&export, &records, &[]).unwrap();
            records.extend(plan.new);
        }
        let inv = invoice(&records, &catalogs(), MARCH, None).unwrap();
        assert_eq!(inv.resellers.len(), 1, "the direct sale is no reseller's invoice");
        let s = &inv.resellers[0];
        assert_eq!(s.invoiced, "Contoso");
        let line = |seller: &str, kind: Kind| {
            s.lines
                .iter()
                .find(|l| l.reseller.as_deref() == Some(seller) && l.kind == kind_label(kind))
                .unwrap()
                .clone()
        };
        let sub = line("Contoso", Kind::Subscription);
        assert_eq!((sub.new_licenses, sub.codes), (1, 2), "issue and upgrade");
        // 1-9 March with 20 users, 10-31 March with 30.
        assert_eq!(
            (sub.subscriptions, sub.subscription_days, sub.user_days),
            (Some(1), Some(31), Some(9 * 20 + 22 * 30))
        );
        let trial = line("Contoso", Kind::Trial);
        assert_eq!(
            (trial.new_licenses, trial.codes, trial.subscriptions),
            (1, 1, None)
        );
        assert_eq!(line("Contoso", Kind::Full).codes, 0);
        let fab = line("Fabrikam", Kind::Subscription);
        assert_eq!(
            (fab.new_licenses, fab.subscription_days, fab.user_days),
            (1, Some(16), Some(160))
        );
        assert_eq!(s.lines.len(), 8, "four kinds for each of the two resellers");
        assert_eq!(s.codes.len(), 4);
        assert_eq!(
            s.subscriptions.len(),
            3,
            "two scopes of ACME's, one of Umbrella's"
        );
        let csv = inv.to_csv().unwrap();
        assert!(csv.starts_with(
            "month,invoiced,reseller,kind,new_licenses,tickets,codes,subscriptions,subscription_days,user_days\n"
        ));
        assert!(
            csv.contains("2027-03,Contoso,Fabrikam,subscription,1,0,1,1,16,160"),
            "{csv}"
        );
        // Only the sub-reseller's lines, still invoiced to Contoso.
        let only = invoice(&records, &catalogs(), MARCH, Some("Fabrikam")).unwrap();
        assert_eq!(only.resellers.len(), 1);
        assert_eq!(only.resellers[0].invoiced, "Contoso");
        assert!(only.lines().all(|l| l.reseller.as_deref() == Some("Fabrikam")));
        assert_eq!(only.resellers[0].codes.len(), 1);

        // The issued report's per-reseller totals and filter.
        let r = issued_report(&records, &catalogs(), MARCH, IssuedBy::Issue, None).unwrap();
        assert_eq!(r.codes.len(), 5, "the direct sale too");
        let direct = r
            .resellers
            .iter()
            .find(|t| t.reseller.is_none() && t.kind == "subscription")
            .unwrap();
        assert_eq!(direct.new_licenses, 1);
        let r = issued_report(&records, &catalogs(), MARCH, IssuedBy::Issue, Some("Contoso")).unwrap();
        assert_eq!(r.codes.len(), 4, "Contoso's and its sub-reseller's");
        assert!(
            r.resellers
                .iter()
                .all(|t| t.invoiced.as_deref() == Some("Contoso"))
        );
        // Pro rata from all records, by invoiced reseller.
        let p = pro_rata(
            &LicenseHistory::all(&records),
            &catalogs(),
            MARCH,
            Some("Contoso"),
        )
        .unwrap();
        assert_eq!(p.resellers.len(), 2);
        assert!(
            p.rows
                .iter()
                .all(|row| row.invoiced.as_deref() == Some("Contoso"))
        );
    }

    fn month_export(is: &Issuer<MemoryLedger>, name: &str, month: u8) -> ResellerExport {
        let export = ResellerExport::of_month(
            name,
            signer_of(is),
            &is.ledger().records().unwrap(),
            Month { year: 2027, month },
            d(2027, month + 1, 1),
        )
        .unwrap();
        reread(&export).unwrap()
    }

    /// Issue 20, item 1: Contoso issues three subscriptions in March, revokes one in
    /// March (a storno) and cancels one in April; its exports carry the revocation and the
    /// cancellation signed, the vendor's ledger follows: the storno is neither active nor
    /// invoiced nor counted pro rata, the cancelled one runs to its last paid day, and the
    /// vendor's revocation list names the revoked license.
    #[test]
    fn cancellations_and_revocations_travel_signed_and_the_vendor_follows_them() {
        let w = &mut world();
        let ids: Vec<u32> = [("ACME", 2), ("Globex", 3), ("Hooli", 4)]
            .iter()
            .map(|(who, day)| {
                w.contoso_is
                    .issue(&order(Kind::Subscription, who, 10), d(2027, 3, *day))
                    .unwrap()
                    .license
                    .license_id
            })
            .collect();
        w.contoso_is
            .revoke(ids[1], Some("storno"), d(2027, 3, 20))
            .unwrap();
        w.contoso_is.cancel(ids[2], d(2027, 4, 15)).unwrap();
        let march = month_export(&w.contoso_is, "Contoso", 3);
        assert_eq!(march.records.len(), 4);
        assert_eq!(march.records[3].operation, Operation::Revoke);
        assert!(march.signatures[3].is_some() && march.signatures[0].is_none());
        let own = w.vendor_is.ledger().records().unwrap();
        let mut imported = import(&march, &own, &[]).unwrap().new;
        assert_eq!(imported.len(), 4);
        let april = month_export(&w.contoso_is, "Contoso", 4);
        assert_eq!(april.records.len(), 1);
        let plan = import(&april, &own, &imported).unwrap();
        imported.extend(plan.new);
        // Again: nothing new.
        let again = import(&april, &own, &imported).unwrap();
        assert_eq!((again.new.len(), again.already), (0, 1));

        let histories = LicenseHistory::all(&imported);
        assert!(histories[&ids[1]].storno());
        assert_eq!(
            histories[&ids[2]].cancelled,
            Some((d(2027, 4, 15), d(2028, 3, 4)))
        );
        let active: Vec<u32> =
            crate::report::lists::active_subscriptions(&histories, &catalogs(), d(2027, 4, 20))
                .iter()
                .map(|r| r.license_id)
                .collect();
        assert_eq!(active, [ids[0], ids[2]]);
        let inv = invoice(&imported, &catalogs(), MARCH, None).unwrap();
        let sub = &inv.resellers[0].lines[Kind::ALL.iter().position(|&k| k == Kind::Subscription).unwrap()];
        // ACME 2-31 March (30 days), Hooli 4-31 (28): 58 days, 580 user-days; no Globex.
        assert_eq!(
            (
                sub.new_licenses,
                sub.codes,
                sub.subscriptions,
                sub.subscription_days,
                sub.user_days
            ),
            (2, 2, Some(2), Some(58), Some(580))
        );
        let inv = invoice(&imported, &catalogs(), Month { year: 2027, month: 4 }, None).unwrap();
        let sub = &inv.resellers[0].lines[Kind::ALL.iter().position(|&k| k == Kind::Subscription).unwrap()];
        assert_eq!((sub.new_licenses, sub.subscription_days), (0, Some(60)));

        // The vendor's next revocation list names the revoked license, all revisions.
        let (_, entries) = w
            .vendor_is
            .revocation_list_including("demo-erp", 1, d(2027, 4, 20), 30, &[], &[], &imported)
            .unwrap();
        assert_eq!(
            entries,
            [license_core::RevocationEntry {
                license_id: ids[1],
                revisions: license_core::RevokedRevisions::All,
            }]
        );
        // The vendor revokes an imported license itself: recorded with the imports.
        let r =
            crate::channel::operations::revoke_imported(&imported, ids[0], Some("unpaid"), d(2027, 4, 21))
                .unwrap();
        assert_eq!((r.operation, r.license.license_id), (Operation::Revoke, ids[0]));
        imported.push(r);
        // The reseller revokes it too, later: the vendor's first revocation stays the day.
        w.contoso_is.revoke(ids[0], None, d(2027, 4, 25)).unwrap();
        let late = month_export(&w.contoso_is, "Contoso", 4);
        imported.extend(import(&late, &own, &imported).unwrap().new);
        assert_eq!(
            LicenseHistory::all(&imported)[&ids[0]].revoked,
            Some(d(2027, 4, 21))
        );
        let (_, entries) = w
            .vendor_is
            .revocation_list_including("demo-erp", 2, d(2027, 4, 21), 30, &[], &[], &imported)
            .unwrap();
        assert_eq!(entries.len(), 2);
        assert!(matches!(
            crate::channel::operations::revoke_imported(&imported, ids[0], None, d(2027, 4, 22)),
            Err(Error::Order(crate::issuer::error::OrderError::Revoked { .. }))
        ));
        assert!(matches!(
            crate::channel::operations::revoke_imported(&imported, 4711, None, d(2027, 4, 22)),
            Err(Error::Order(crate::issuer::error::OrderError::UnknownLicense {
                license_id: 4711
            }))
        ));
    }

    /// An operation without a code is refused: unsigned, with a signature that does not
    /// verify (or of another reseller), on a license not issued under the exporting
    /// reseller's chain, or on one not imported yet. A first-level reseller may revoke its
    /// sub-reseller's license.
    #[test]
    fn operations_outside_the_chain_unsigned_or_altered_are_refused() {
        let w = &mut world();
        let acme = w
            .contoso_is
            .issue(&order(Kind::Subscription, "ACME", 10), d(2027, 3, 2))
            .unwrap()
            .license
            .license_id;
        let umbrella = w
            .fabrikam_is
            .issue(&order(Kind::Subscription, "Umbrella", 5), d(2027, 3, 3))
            .unwrap();
        w.contoso_is.revoke(acme, None, d(2027, 3, 20)).unwrap();
        let own = w.vendor_is.ledger().records().unwrap();
        let march = month_export(&w.contoso_is, "Contoso", 3);
        // The revocation before the license's code is imported: not under the chain yet.
        let mut only_revoke = march.clone();
        only_revoke.records.remove(0);
        only_revoke.signatures.remove(0);
        assert!(matches!(
            refused(import(&only_revoke, &own, &[])),
            (2, ImportProblem::NotUnderChain { .. })
        ));
        let mut unsigned = march.clone();
        unsigned.signatures[1] = None;
        assert_eq!(
            refused(import(&unsigned, &own, &[])),
            (3, ImportProblem::Unsigned)
        );
        let mut altered = march.clone();
        altered.records[1].recorded = d(2027, 3, 21);
        assert_eq!(
            refused(import(&altered, &own, &[])),
            (3, ImportProblem::BadOperationSignature)
        );
        let mut other = march.clone();
        other.records[1].licensee = "Someone else".into();
        other.signatures[1] = Some(
            crate::channel::operations::sign_operation(signer_of(&w.contoso_is).key(), &other.records[1])
                .unwrap(),
        );
        assert_eq!(
            refused(import(&other, &own, &[])),
            (3, ImportProblem::OperationNamesOther)
        );
        let imported = import(&march, &own, &[]).unwrap().new;
        // Fabrikam's export revoking Contoso's license, signed by Fabrikam: refused.
        let mut foreign = march.records[1].clone();
        foreign.reseller = Some("Fabrikam".into());
        let signature =
            crate::channel::operations::sign_operation(signer_of(&w.fabrikam_is).key(), &foreign).unwrap();
        let forged = ResellerExport {
            reseller: "Fabrikam".into(),
            month: MARCH,
            exported: d(2027, 4, 1),
            records: vec![foreign],
            signatures: vec![Some(signature)],
        };
        assert!(matches!(
            refused(import(&forged, &own, &imported)),
            (2, ImportProblem::NotUnderChain { reseller }) if reseller == "Fabrikam"
        ));
        // Contoso revokes its sub-reseller's license: Contoso is in its chain.
        let fabrikam = month_export(&w.fabrikam_is, "Fabrikam", 3);
        let mut imported = imported;
        imported.extend(import(&fabrikam, &own, &imported).unwrap().new);
        let h = LicenseHistory::from_records(
            &imported
                .iter()
                .filter(|r| r.license.license_id == umbrella.license.license_id)
                .cloned()
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let mut revoke = crate::issuer::event(&h, h.latest().unwrap(), Operation::Revoke, d(2027, 3, 25));
        revoke.note = Some("storno".into());
        let by_parent = ResellerExport {
            reseller: "Contoso".into(),
            month: MARCH,
            exported: d(2027, 4, 1),
            signatures: vec![Some(
                crate::channel::operations::sign_operation(signer_of(&w.contoso_is).key(), &revoke).unwrap(),
            )],
            records: vec![revoke],
        };
        assert_eq!(import(&by_parent, &own, &imported).unwrap().new.len(), 1);
        // A code-less record of another kind is refused.
        let mut site = by_parent.clone();
        site.records[0].operation = Operation::Upgrade;
        assert_eq!(
            refused(import(&site, &own, &imported)),
            (2, ImportProblem::NoCode)
        );
    }
}
