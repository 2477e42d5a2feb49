//! A generated ledger of many licenses, for the scale bench (`benches/scale.rs`) and its
//! tests (`tests/scale.rs`): every record is made by the library's own `Issuer` (its
//! rules, its signatures, its record format) over an in-memory ledger, a chunk of
//! licenses at a time, and handed to a sink that loads it into a SQL ledger with the
//! ledger's bulk path (`PgLedger::load`, `SqliteLedger::load`).
//!
//! The mix (deterministic for a seed): two products (on-premises `demo-erp`, hosted
//! `demo-erp-hosted`, 70/30); kinds full 35 %, subscription 40 %, trial 20 %, NFR 5 %;
//! issue days spread evenly over the five years before `TODAY`; 40 % sold by one of eight
//! resellers; subscriptions and NFR renewed each term until `TODAY` unless cancelled
//! (15 % a term), additional orders (25 % of full and subscription licenses), reductions
//! (8 %), maintenance packs (40 % of full licenses), revocations (1 %). An operation the
//! rules refuse on its day is left out and counted (`Generated::refused`).
#![allow(dead_code)]

use std::time::{Duration, Instant};

use license_core::{DatabaseCode, Date, Kind};
use license_issue::{
    Batch, BindTo, Catalog, Catalogs, Change, Customer, Error, ErrorClass, Issuer, Ledger, MaintenanceKind,
    MemoryLedger, NewLicense, Record, VendorKey,
};

/// The day the generated ledger ends ("today" of its reports).
pub const TODAY: Date = Date::from_days_since_unix_epoch(20_788); // 2026-12-01
/// Issue days are spread over this many days before `TODAY`.
pub const SPAN_DAYS: u32 = 5 * 365;
/// Licenses made before their records go to the sink.
pub const CHUNK: u32 = 5_000;

pub const RESELLERS: [&str; 8] = [
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Tailspin",
    "Wingtip",
    "Litware",
    "Adatum",
    "Proseware",
];

/// What a run made.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generated {
    pub licenses: u32,
    pub records: u64,
    /// Operations the rules refused on the day drawn (left out).
    pub refused: u64,
    pub elapsed: Duration,
    /// False when the deadline stopped the run before `count` licenses.
    pub complete: bool,
}

/// The catalogs of the generated ledger.
pub fn catalogs() -> Catalogs {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo().expect("demo catalog"));
    c.insert(Catalog::demo_hosted().expect("hosted demo catalog"));
    c
}

/// The vendor key of the generated ledger.
pub fn key() -> VendorKey {
    VendorKey::from_seed(&[7; 32])
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with `percent` % probability.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The in-memory ledger of one chunk: ids continue from the chunks before it.
struct ChunkLedger {
    inner: MemoryLedger,
    next_id: u32,
}

impl Ledger for ChunkLedger {
    fn append(&mut self, record: &Record) -> Result<(), Error> {
        self.inner.append(record)
    }
    fn append_batch(&mut self, batch: &Batch<'_>) -> Result<(), Error> {
        self.inner.append_batch(batch)
    }
    fn records(&self) -> Result<Vec<Record>, Error> {
        self.inner.records()
    }
    fn records_of(&self, license_id: u32) -> Result<Vec<Record>, Error> {
        self.inner.records_of(license_id)
    }
    fn records_of_order(&self, key: &str) -> Result<Vec<Record>, Error> {
        self.inner.records_of_order(key)
    }
    fn last_license_id(&self) -> Result<Option<u32>, Error> {
        Ok(self.inner.last_license_id()?.max(self.next_id.checked_sub(1)))
    }
    fn erase_licensee(&mut self, licensee: &str, pseudonym: &str) -> Result<usize, Error> {
        self.inner.erase_licensee(licensee, pseudonym)
    }
    fn claim_revocation_sequence(&mut self, product: &str, at_least: u64) -> Result<u64, Error> {
        self.inner.claim_revocation_sequence(product, at_least)
    }
}

fn day(d: Date, n: i64) -> Date {
    d.saturating_add_days(n)
}

/// Keep going when the rules refuse an operation (the customer did not get it), stop on
/// anything else.
fn refused<T>(out: Result<T, Error>, count: &mut u64) -> Result<Option<T>, Error> {
    match out {
        Ok(t) => Ok(Some(t)),
        Err(e) if matches!(e.class(), ErrorClass::Usage | ErrorClass::Invalid) => {
            *count += 1;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The life of license number `n` (0-based) until `TODAY`.
fn one_license(is: &mut Issuer<ChunkLedger>, seed: u64, n: u32, refusals: &mut u64) -> Result<(), Error> {
    let mut rng = Rng(seed ^ (u64::from(n) << 20) ^ 0x5CA1_E000);
    let hosted = rng.chance(30);
    let product = if hosted { "demo-erp-hosted" } else { "demo-erp" };
    let kind = match rng.below(100) {
        0..35 => Kind::Full,
        35..75 => Kind::Subscription,
        75..95 => Kind::Trial,
        _ => Kind::Nfr,
    };
    let issued = day(TODAY, -1 - rng.below(u64::from(SPAN_DAYS)) as i64);
    let mut customer = Customer::new(format!("Customer {n} GmbH"));
    customer.customer_ref = Some(format!("C-{n}"));
    if rng.chance(40) {
        customer.reseller = Some(RESELLERS[rng.below(8) as usize].to_owned());
    }
    let mut order = NewLicense::new(product, kind, customer);
    let mut db = [0u8; 10];
    db[..8].copy_from_slice(&rng.next().to_le_bytes());
    db[8..].copy_from_slice(&(n as u16).to_le_bytes());
    order.bind = BindTo::database(DatabaseCode::from_random(db).to_string());
    let users = 5 + rng.below(60) as u32;
    if kind != Kind::Trial {
        order.named_users = Some(users);
        order.line = Some(if rng.chance(50) { "expert" } else { "standard" }.into());
        order.modules = ["crm", "budget", "planning", "bi"][..1 + rng.below(4) as usize]
            .iter()
            .map(|m| (*m).to_owned())
            .collect();
    }
    let Some(new) = refused(is.issue(&order, issued), refusals)? else {
        return Ok(());
    };
    let id = new.license.license_id;
    if kind == Kind::Trial {
        return Ok(());
    }
    let term_end = |l: &license_core::License| l.expires;
    let mut expires = term_end(&new.license);
    let mut when = issued;
    // An additional order in the first months.
    if rng.chance(25) {
        let on = day(issued, 20 + rng.below(200) as i64);
        if on < TODAY && expires.is_none_or(|e| on < e) {
            let change = Change {
                named_users: Some(users + 1 + rng.below(20) as u32),
                add_modules: vec!["documents".into()],
                ..Change::default()
            };
            refused(is.upgrade(id, &change, on), refusals)?;
            when = on;
        }
    }
    match kind {
        Kind::Full => {
            // Maintenance packs, yearly, for a while.
            if rng.chance(40) {
                let mut on = day(issued, 330 + rng.below(30) as i64);
                while on < TODAY && on > when {
                    refused(is.add_maintenance(id, MaintenanceKind::OneServer, on), refusals)?;
                    when = on;
                    on = day(on, 365);
                    if rng.chance(30) {
                        break;
                    }
                }
            }
            if rng.chance(8) {
                let on = day(when, 30 + rng.below(200) as i64);
                if on < TODAY {
                    let change = Change {
                        named_users: Some(2 + rng.below(4) as u32),
                        ..Change::default()
                    };
                    refused(is.reduce(id, &change, on), refusals)?;
                    when = on;
                }
            }
        }
        _ => {
            // Subscriptions and NFR: renew each term until TODAY, unless cancelled.
            let mut reduce_next = rng.chance(8);
            while let Some(end) = expires {
                let renew_on = day(end, -35);
                if renew_on >= TODAY || renew_on <= when {
                    break;
                }
                if kind == Kind::Subscription && rng.chance(15) {
                    refused(is.cancel(id, day(end, -120).max(when)), refusals)?;
                    when = day(end, -120).max(when);
                    break;
                }
                if reduce_next && kind == Kind::Subscription {
                    reduce_next = false;
                    let on = day(end, -150).max(when);
                    let change = Change {
                        named_users: Some(2 + rng.below(3) as u32),
                        ..Change::default()
                    };
                    if refused(is.reduce(id, &change, on), refusals)?.is_some() {
                        // The reduced code is the next term's: the renewal is done.
                        break;
                    }
                }
                match refused(is.renew(id, renew_on), refusals)? {
                    Some(r) => expires = r.license.expires,
                    None => break,
                }
                when = renew_on;
            }
        }
    }
    if rng.chance(1) {
        let on = day(when, 1 + rng.below(90) as i64);
        if on < TODAY {
            refused(is.revoke(id, Some("refund"), on), refusals)?;
        }
    }
    Ok(())
}

/// Make `count` licenses (ids from the catalogs' first ids on), handing each chunk's
/// records to `sink` in order; stop after the chunk during which `deadline` passed.
pub fn generate(
    count: u32,
    seed: u64,
    deadline: Duration,
    mut sink: impl FnMut(Vec<Record>) -> Result<(), Error>,
) -> Result<Generated, Error> {
    let started = Instant::now();
    let mut out = Generated::default();
    let mut next_id = 0;
    let mut n = 0;
    while n < count {
        if started.elapsed() > deadline {
            out.elapsed = started.elapsed();
            return Ok(out);
        }
        let mut is = Issuer::new(
            catalogs(),
            key(),
            ChunkLedger {
                inner: MemoryLedger::new(),
                next_id,
            },
        );
        let end = count.min(n + CHUNK);
        for i in n..end {
            one_license(&mut is, seed, i, &mut out.refused)?;
        }
        let ledger = is.into_ledger();
        let records = ledger.inner.records()?;
        next_id = ledger.last_license_id()?.map_or(next_id, |l| l + 1);
        out.licenses += end - n;
        out.records += records.len() as u64;
        sink(records)?;
        n = end;
    }
    out.elapsed = started.elapsed();
    out.complete = true;
    Ok(out)
}
