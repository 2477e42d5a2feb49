//! Ticket pools: the vendor's ERP creates a pool of tickets for a reseller, each with the
//! scope of one license; the reseller passes the short ticket ids on by mail or on paper;
//! redeeming a ticket with an installation's database code or fingerprint and the
//! licensee issues the bound code, once per ticket.
//!
//! ```text
//! <file>            the pool: one checksummed JSON line per event (a ticket created, a
//!                   ticket handed to its reseller), the ledger's line format
//! <file>.lock       held while the pool is open: one writer at a time
//! ```
//!
//! The pool file is replaced atomically on every change (a crash leaves the old pool or
//! the new one), so it has no torn last line; a damaged line is reported with its number
//! and nothing is changed. Whether a ticket was redeemed is not kept here but in the
//! ledger: its code's record carries `ticket: Some(id)` and the order key
//! `ticket:<id>`, so the ledger's check of order keys makes a second redemption, even by
//! a concurrent redeemer, return the first code or be refused (see [`crate::Issuer::redeem`]).
//!
//! A reseller that redeems offline imports its open tickets ([`TicketPool::export`] at
//! the vendor, [`TicketPool::import`] in the reseller's home); the vendor then refuses to
//! redeem those tickets itself, so a ticket is redeemed in one ledger only.

use error::TicketError;
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use license_core::{Date, ResellerName};
use serde::{Deserialize, Serialize};

use crate::channel::error::ChannelError;
use crate::error::Error;
use crate::issuer::Issuer;
use crate::issuer::order::NewLicense;
use crate::ledger::error::LedgerError;
use crate::ledger::file::{decode_line, encode_line};
use crate::ledger::store::Ledger;
use id::TicketId;

pub(crate) mod error;
pub(crate) mod id;
pub(crate) mod redeem;
pub(crate) mod report;

/// The most tickets one `create` makes.
pub const MAX_TICKETS_PER_CREATE: u32 = 10_000;

/// One ticket: the order it stands for, waiting for its licensee and installation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// The ticket id.
    pub id: TicketId,
    /// The reseller it was created for (invoiced for it; recorded on the license).
    pub reseller: String,
    /// The day it was created.
    pub created: Date,
    /// The scope: a new-license order without licensee and binding (its customer carries
    /// the reseller and any order or customer reference).
    pub order: NewLicense,
    /// The day it was imported into this (a reseller's) pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<Date>,
    /// For a ticket a reseller passed on to its sub-reseller: that reseller (the one the
    /// vendor created it for, or the level above). Absent for the vendor's own tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed_from: Option<String>,
}

/// One line of the pool file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case", deny_unknown_fields)]
enum Event {
    /// A ticket created (or imported).
    Created {
        /// The ticket.
        ticket: Box<Ticket>,
    },
    /// A ticket handed to its reseller for offline redemption.
    Exported {
        /// The ticket.
        ticket: TicketId,
        /// The reseller.
        reseller: String,
        /// The day.
        on: Date,
    },
    /// A reseller passed a ticket it received on to its sub-reseller `to`: this home no
    /// longer redeems or passes it on.
    PassedOn {
        /// The ticket.
        ticket: TicketId,
        /// The sub-reseller.
        to: String,
        /// The day.
        on: Date,
    },
}

/// The tickets exported for one reseller: what `TicketPool::import` reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketExport {
    /// Always `license-tickets`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The reseller they are for.
    pub reseller: String,
    /// The day of the export.
    pub exported: Date,
    /// The open tickets.
    pub tickets: Vec<Ticket>,
}

const EXPORT_FORMAT: &str = "license-tickets";

impl TicketExport {
    /// Read an export file's text.
    pub fn parse(text: &str) -> Result<TicketExport, Error> {
        let bad = |reason: String| Error::Ticket(TicketError::Export { reason });
        let e: TicketExport = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if e.format != EXPORT_FORMAT || e.version != 1 {
            return Err(bad(format!(
                "format {} version {}, expected {EXPORT_FORMAT} version 1",
                e.format, e.version
            )));
        }
        if let Some(t) = e.tickets.iter().find(|t| t.reseller != e.reseller) {
            return Err(bad(format!("ticket {} is for reseller {}", t.id, t.reseller)));
        }
        Ok(e)
    }

    /// The export as JSON text.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Ledger(LedgerError::LedgerEncode(e)))
    }
}

/// What [`TicketPool::import`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// Tickets added to the pool.
    pub added: usize,
    /// Tickets the pool already held (imported before).
    pub already: usize,
}

/// Check a ticket's order as redeeming it today would: a stand-in licensee and database
/// binding (a redemption always binds) for the ones it lacks.
fn check_scope<L: Ledger>(issuer: &Issuer<L>, order: &NewLicense, today: Date) -> Result<(), Error> {
    let mut check = order.clone();
    check.customer.licensee = "ticket holder".into();
    check.bind = crate::issuer::order::BindTo::database("ticket check");
    issuer.check_new(&check, today).map(|_| ())
}

/// A pool of tickets kept in one file.
#[derive(Debug)]
pub struct TicketPool {
    path: PathBuf,
    /// Held while the pool is open.
    _lock: File,
    events: Vec<Event>,
    tickets: BTreeMap<TicketId, usize>,
    exported: BTreeMap<TicketId, (String, Date)>,
    passed_on: BTreeMap<TicketId, (String, Date)>,
}

impl TicketPool {
    /// Open (or start) the pool kept in `path`. Fails if another process has it open, or
    /// if the file is damaged (nothing is changed then).
    pub fn open(path: &Path) -> Result<TicketPool, Error> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(Error::io(dir))?;
        let mut lock_name = path.as_os_str().to_owned();
        lock_name.push(".lock");
        let lock_path = PathBuf::from(lock_name);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        let lock = options.open(&lock_path).map_err(Error::io(&lock_path))?;
        lock.try_lock()
            .map_err(|_| TicketError::InUse { path: path.into() })?;
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::io(path)(e)),
        };
        let mut pool = TicketPool {
            path: path.into(),
            _lock: lock,
            events: Vec::new(),
            tickets: BTreeMap::new(),
            exported: BTreeMap::new(),
            passed_on: BTreeMap::new(),
        };
        for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
            let corrupt = |reason: String| TicketError::Corrupt {
                path: path.into(),
                line: i + 1,
                reason,
            };
            let body = line
                .strip_suffix(b"\n")
                .ok_or_else(|| corrupt("incomplete line".into()))?;
            let event: Event = decode_line(body).map_err(corrupt)?;
            pool.apply(event).map_err(|e| corrupt(e.to_string()))?;
        }
        Ok(pool)
    }

    /// Add one event to the in-memory pool (checked).
    fn apply(&mut self, event: Event) -> Result<(), TicketError> {
        match &event {
            Event::Created { ticket } => {
                if self.tickets.contains_key(&ticket.id) {
                    return Err(TicketError::ImportConflict { ticket: ticket.id });
                }
                self.tickets.insert(ticket.id, self.events.len());
            }
            Event::Exported { ticket, reseller, on } => {
                if !self.tickets.contains_key(ticket) {
                    return Err(TicketError::Unknown { ticket: *ticket });
                }
                self.exported.insert(*ticket, (reseller.clone(), *on));
            }
            Event::PassedOn { ticket, to, on } => {
                if !self.tickets.contains_key(ticket) {
                    return Err(TicketError::Unknown { ticket: *ticket });
                }
                self.passed_on.insert(*ticket, (to.clone(), *on));
            }
        }
        self.events.push(event);
        Ok(())
    }

    /// Append `events` and replace the file atomically; on failure nothing changes.
    fn commit(&mut self, events: Vec<Event>) -> Result<(), Error> {
        let mut bytes = Vec::new();
        for e in self.events.iter().chain(&events) {
            bytes.extend_from_slice(&encode_line(e)?);
        }
        let before = (
            self.events.len(),
            self.tickets.clone(),
            self.exported.clone(),
            self.passed_on.clone(),
        );
        for e in events {
            if let Err(err) = self.apply(e) {
                self.events.truncate(before.0);
                self.tickets = before.1;
                self.exported = before.2;
                self.passed_on = before.3;
                return Err(err.into());
            }
        }
        if let Err(e) = license_fs::write_atomic(&self.path, &bytes) {
            self.events.truncate(before.0);
            self.tickets = before.1;
            self.exported = before.2;
            self.passed_on = before.3;
            return Err(Error::io(&self.path)(e));
        }
        Ok(())
    }

    /// The pool file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every ticket, in the order created.
    pub fn tickets(&self) -> impl Iterator<Item = &Ticket> {
        self.events.iter().filter_map(|e| match e {
            Event::Created { ticket } => Some(&**ticket),
            Event::Exported { .. } | Event::PassedOn { .. } => None,
        })
    }

    /// The ticket `id`.
    pub fn get(&self, id: &TicketId) -> Result<&Ticket, TicketError> {
        match self.tickets.get(id).map(|&i| &self.events[i]) {
            Some(Event::Created { ticket }) => Ok(ticket),
            _ => Err(TicketError::Unknown { ticket: *id }),
        }
    }

    /// The reseller and day `id` was handed over for offline redemption, if it was.
    pub fn handed_over(&self, id: &TicketId) -> Option<(&str, Date)> {
        self.exported.get(id).map(|(r, d)| (r.as_str(), *d))
    }

    /// The sub-reseller this home passed ticket `id` on to, and the day.
    pub fn passed_on(&self, id: &TicketId) -> Option<(&str, Date)> {
        self.passed_on.get(id).map(|(r, d)| (r.as_str(), *d))
    }

    /// Who holds ticket `id` as this pool knows it: the sub-reseller it was passed on to,
    /// else the reseller it was handed to, else nobody (redeemable here).
    pub fn holder(&self, id: &TicketId) -> Option<&str> {
        self.passed_on(id)
            .or_else(|| self.handed_over(id))
            .map(|(r, _)| r)
    }

    /// The tickets this home received from the level above (imported) and still holds:
    /// not redeemed (`redeemed` asks the ledger) and not passed on, in the order received.
    pub fn held<'p>(&'p self, redeemed: &'p impl Fn(&TicketId) -> bool) -> impl Iterator<Item = &'p Ticket> {
        self.tickets()
            .filter(move |t| t.imported.is_some() && !self.passed_on.contains_key(&t.id) && !redeemed(&t.id))
    }

    /// In a reseller's home: pass `count` of the tickets it received and still holds on to
    /// its sub-reseller `to` (never more than it holds), for redemption in `to`'s home
    /// (`import` there; the sub-reseller's frame is checked then). Those tickets are no
    /// longer redeemed or passed on here. The export names `to` as the tickets' reseller
    /// and this reseller as `passed_from`.
    pub fn pass_on(
        &mut self,
        to: &str,
        count: u32,
        redeemed: impl Fn(&TicketId) -> bool,
        today: Date,
    ) -> Result<TicketExport, Error> {
        ResellerName::new(to)?;
        let held: Vec<Ticket> = self.held(&redeemed).cloned().collect();
        if let Some(own) = held.first().map(|t| t.reseller.clone())
            && own == to
        {
            return Err(TicketError::PassOnToSelf { reseller: own }.into());
        }
        if count == 0 || count as usize > held.len() {
            return Err(TicketError::NotEnough {
                asked: count,
                held: held.len(),
            }
            .into());
        }
        let passed: Vec<Ticket> = held.into_iter().take(count as usize).collect();
        let events = passed
            .iter()
            .map(|t| Event::PassedOn {
                ticket: t.id,
                to: to.to_owned(),
                on: today,
            })
            .collect();
        self.commit(events)?;
        let tickets = passed
            .into_iter()
            .map(|t| {
                let mut order = t.order.clone();
                order.customer.reseller = Some(to.to_owned());
                Ticket {
                    id: t.id,
                    reseller: to.to_owned(),
                    created: t.created,
                    order,
                    imported: None,
                    passed_from: Some(t.reseller),
                }
            })
            .collect();
        Ok(TicketExport {
            format: EXPORT_FORMAT.into(),
            version: 1,
            reseller: to.to_owned(),
            exported: today,
            tickets,
        })
    }

    /// Create `count` tickets for `reseller`, each standing for `order` (a new license
    /// without licensee and binding). The order is checked as issuing it today would
    /// check it ([`Issuer::check_new`]) before anything is created.
    pub fn create<L: Ledger>(
        &mut self,
        issuer: &Issuer<L>,
        reseller: &str,
        order: &NewLicense,
        count: u32,
        today: Date,
    ) -> Result<Vec<Ticket>, Error> {
        if !(1..=MAX_TICKETS_PER_CREATE).contains(&count) {
            return Err(TicketError::Count {
                count,
                max: MAX_TICKETS_PER_CREATE,
            }
            .into());
        }
        ResellerName::new(reseller)?;
        // In a reseller's home, its own tickets only: its key signs them for itself.
        if let Some(own) = issuer.signer().reseller(&order.product)?
            && own != reseller
        {
            return Err(Error::Channel(ChannelError::ResellerMismatch {
                given: reseller.to_owned(),
                signer: own,
            }));
        }
        if !order.customer.licensee.is_empty() || order.bind != crate::issuer::order::BindTo::nothing() {
            return Err(Error::Ticket(TicketError::ScopeHasLicensee));
        }
        let mut order = order.clone();
        order.customer.reseller = Some(reseller.to_owned());
        check_scope(issuer, &order, today)?;
        let mut tickets: Vec<Ticket> = Vec::with_capacity(count as usize);
        while tickets.len() < count as usize {
            let id = TicketId::generate().map_err(Error::Random)?;
            if self.tickets.contains_key(&id) || tickets.iter().any(|t| t.id == id) {
                continue;
            }
            tickets.push(Ticket {
                id,
                reseller: reseller.to_owned(),
                created: today,
                order: order.clone(),
                imported: None,
                passed_from: None,
            });
        }
        self.commit(
            tickets
                .iter()
                .map(|t| Event::Created {
                    ticket: Box::new(t.clone()),
                })
                .collect(),
        )?;
        Ok(tickets)
    }

    /// Hand `reseller`'s tickets that are not redeemed (`redeemed` says which are) over
    /// for offline redemption in the reseller's home: recorded, so this pool refuses to
    /// redeem them from now on. Tickets handed over before are included again (a lost
    /// file can be exported again).
    pub fn export(
        &mut self,
        reseller: &str,
        redeemed: impl Fn(&TicketId) -> bool,
        today: Date,
    ) -> Result<TicketExport, Error> {
        let tickets: Vec<Ticket> = self
            .tickets()
            .filter(|t| t.reseller == reseller && t.imported.is_none() && !redeemed(&t.id))
            .cloned()
            .collect();
        let events = tickets
            .iter()
            .filter(|t| !self.exported.contains_key(&t.id))
            .map(|t| Event::Exported {
                ticket: t.id,
                reseller: reseller.to_owned(),
                on: today,
            })
            .collect::<Vec<_>>();
        if !events.is_empty() {
            self.commit(events)?;
        }
        Ok(TicketExport {
            format: EXPORT_FORMAT.into(),
            version: 1,
            reseller: reseller.to_owned(),
            exported: today,
            tickets,
        })
    }

    /// Add the tickets of `export` to this pool, in the home of the reseller `issuer`
    /// signs for: refused when the tickets are for another reseller, or when a ticket's
    /// scope is one this home could not issue today (outside the frame of its certificate,
    /// or the catalog's rules), before anything is added. Tickets imported before are
    /// skipped.
    pub fn import<L: Ledger>(
        &mut self,
        issuer: &Issuer<L>,
        export: &TicketExport,
        today: Date,
    ) -> Result<Imported, Error> {
        for t in &export.tickets {
            let own = issuer.signer().reseller(&t.order.product)?;
            if own.as_deref() != Some(export.reseller.as_str()) {
                return Err(TicketError::WrongReseller {
                    expected: own.unwrap_or_else(|| "the vendor".into()),
                    found: export.reseller.clone(),
                }
                .into());
            }
            check_scope(issuer, &t.order, today).map_err(|e| TicketError::OutsideScope {
                ticket: t.id,
                reason: Box::new(e),
            })?;
        }
        let mut added = Vec::new();
        let mut already = 0;
        for t in &export.tickets {
            match self.get(&t.id) {
                Ok(have) if have.order == t.order && have.reseller == t.reseller => already += 1,
                Ok(_) => return Err(TicketError::ImportConflict { ticket: t.id }.into()),
                Err(_) => added.push(Event::Created {
                    ticket: Box::new(Ticket {
                        imported: Some(today),
                        ..t.clone()
                    }),
                }),
            }
        }
        let n = added.len();
        if n > 0 {
            self.commit(added)?;
        }
        Ok(Imported { added: n, already })
    }
}

/// What the tickets tests share: a day, an issuer with the demo catalog.
#[cfg(test)]
pub(crate) mod test_support {
    use license_core::Date;

    use crate::catalog::product::{Catalog, Catalogs};
    use crate::issuer::Issuer;
    use crate::keys::vendor::VendorKey;
    use crate::ledger::store::MemoryLedger;

    pub(crate) fn day() -> Date {
        Date::from_ymd(2026, 12, 1).unwrap()
    }

    /// The vendor's issuer (key seed 9) over a memory ledger.
    pub(crate) fn issuer() -> Issuer<MemoryLedger> {
        let mut catalogs = Catalogs::new();
        catalogs.insert(Catalog::demo().unwrap());
        Issuer::new(catalogs, VendorKey::from_seed(&[9; 32]), MemoryLedger::new())
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::error::CatalogError;
    use crate::issuer::error::OrderError;
    use license_core::Kind;

    use super::test_support::{day, issuer};
    use super::*;
    use crate::issuer::order::Customer;

    fn scope() -> NewLicense {
        let mut o = NewLicense::new("demo-erp", Kind::Trial, Customer::default());
        o.named_users = Some(5);
        o
    }

    #[test]
    fn the_pool_survives_reopening_and_refuses_a_second_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tickets.jsonl");
        let issuer = issuer();
        let created = {
            let mut pool = TicketPool::open(&path).unwrap();
            assert!(matches!(
                TicketPool::open(&path),
                Err(Error::Ticket(TicketError::InUse { .. }))
            ));
            pool.create(&issuer, "Contoso", &scope(), 4, day()).unwrap()
        };
        let pool = TicketPool::open(&path).unwrap();
        let ids: Vec<TicketId> = pool.tickets().map(|t| t.id).collect();
        assert_eq!(ids, created.iter().map(|t| t.id).collect::<Vec<_>>());
        let t = pool.get(&ids[0]).unwrap();
        assert_eq!(t.order.customer.reseller.as_deref(), Some("Contoso"));
        assert_eq!((t.reseller.as_str(), t.created), ("Contoso", day()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the pool's ids are bearer secrets");
        }
    }

    #[test]
    fn a_scope_the_catalog_refuses_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tickets.jsonl");
        let issuer = issuer();
        let mut pool = TicketPool::open(&path).unwrap();
        let mut wide = scope();
        wide.named_users = Some(6000);
        assert!(matches!(
            pool.create(&issuer, "Contoso", &wide, 5, day()),
            Err(Error::Order(OrderError::OverLimit { .. }))
        ));
        let mut unknown = scope();
        unknown.modules = vec!["nope".into()];
        assert!(matches!(
            pool.create(&issuer, "Contoso", &unknown, 5, day()),
            Err(Error::Catalog(CatalogError::UnknownModule { .. }))
        ));
        let mut named = scope();
        named.customer.licensee = "ACME".into();
        assert!(matches!(
            pool.create(&issuer, "Contoso", &named, 5, day()),
            Err(Error::Ticket(TicketError::ScopeHasLicensee))
        ));
        for n in [0, MAX_TICKETS_PER_CREATE + 1] {
            assert!(matches!(
                pool.create(&issuer, "Contoso", &scope(), n, day()),
                Err(Error::Ticket(TicketError::Count { .. }))
            ));
        }
        assert!(pool.create(&issuer, "", &scope(), 1, day()).is_err());
        assert_eq!(pool.tickets().count(), 0);
        assert!(!path.exists(), "nothing written");
    }

    #[test]
    fn a_damaged_pool_is_a_typed_error_and_stays_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tickets.jsonl");
        let issuer = issuer();
        TicketPool::open(&path)
            .unwrap()
            .create(&issuer, "Contoso", &scope(), 3, day())
            .unwrap();
        let good = fs::read(&path).unwrap();
        let cases: Vec<(Vec<u8>, usize)> = vec![
            // A line cut short (a copy that stopped), a flipped byte, garbage, a
            // duplicated ticket.
            (good[..good.len() - 10].to_vec(), 3),
            (
                {
                    let mut b = good.clone();
                    let at = b.len() / 2;
                    b[at] ^= 0x01;
                    b
                },
                2,
            ),
            ([&good[..], b"not json\n"].concat(), 4),
            (
                {
                    let first = good.split_inclusive(|&b| b == b'\n').next().unwrap();
                    [&good[..], first].concat()
                },
                4,
            ),
        ];
        for (bytes, line) in cases {
            fs::write(&path, &bytes).unwrap();
            match TicketPool::open(&path) {
                Err(Error::Ticket(TicketError::Corrupt { line: l, .. })) => assert_eq!(l, line),
                other => panic!("{other:?}"),
            }
            assert_eq!(fs::read(&path).unwrap(), bytes, "nothing changed");
        }
    }
}
