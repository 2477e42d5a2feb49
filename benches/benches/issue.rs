//! Issuing throughput through `license-issue` against a bare Ed25519 sign of a message
//! of the same length (target: within 1.1x).
//!
//! - `bare sign`: `SigningKey::sign` of the reference code's exact signed message;
//! - `issuer: issue (ledger in memory)`: `Issuer::issue` of the reference order: catalog
//!   names resolved, business rules checked, code signed and formatted, ledger record
//!   built and appended (to a ledger that keeps only the last record, so memory stays flat);
//! - `issuer: issue (file ledger, fsync)`: the same with the durable JSON Lines ledger,
//!   one `fsync` per code: disk-bound, shown for scale, not part of the 1.1x target.
//!
//! `cargo bench -p license-benches --bench issue -- --warm-up-time 1 --measurement-time 3`
#![forbid(unsafe_code)]
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ed25519_dalek::Signer;
use license_benches::{Reference, batch};
use license_core::{Date, Kind};
use license_issue::{
    BindTo, Catalog, Catalogs, Customer, Error, FileLedger, Issuer, Ledger, NewLicense, Record, VendorKey,
};

/// Keeps the last record only, and reports no license ids, so every iteration issues
/// license 1001 again: the same message length as the reference, memory flat.
#[derive(Default)]
struct LastRecord {
    last: Option<Record>,
}

impl Ledger for LastRecord {
    fn append(&mut self, record: &Record) -> Result<(), Error> {
        self.last = Some(record.clone());
        Ok(())
    }

    fn records(&self) -> Result<Vec<Record>, Error> {
        Ok(self.last.iter().cloned().collect())
    }

    fn last_license_id(&self) -> Result<Option<u32>, Error> {
        Ok(None)
    }

    fn erase_licensee(&mut self, _licensee: &str, _pseudonym: &str) -> Result<usize, Error> {
        Ok(0)
    }

    fn claim_revocation_sequence(&mut self, _product: &str, at_least: u64) -> Result<u64, Error> {
        Ok(at_least.max(1))
    }
}

fn reference_order(r: &Reference) -> NewLicense {
    let mut order = NewLicense::new(
        r.product.clone(),
        Kind::Subscription,
        Customer::new(r.licensee.clone()),
    );
    order.line = Some("expert".into());
    order.named_users = Some(25);
    order.concurrent_seats = Some(10);
    order.modules = ["crm", "budget", "planning", "bi"].map(String::from).to_vec();
    order.bind = BindTo::machine(r.machine.binding(1).expect("reference machine"));
    order
}

fn catalogs() -> Catalogs {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo().expect("demo catalog"));
    c
}

fn issue(c: &mut Criterion) {
    let r = Reference::load().expect("the reference case of the golden vectors");
    let seed = r.signing_key.to_bytes();
    let today: Date = r.license.issued;
    let order = reference_order(&r);

    // The issuer produces exactly the reference code (same seed, day and scope), so the
    // bare sign below signs a message of exactly the same length.
    let mut issuer = Issuer::new(catalogs(), VendorKey::from_seed(&seed), LastRecord::default());
    let first = issuer.issue(&order, today).expect("issue");
    assert_eq!(
        first.code, r.code,
        "the issuer reproduces the golden reference code"
    );
    let ctx = r.context();
    let message = batch::signed_message(&r.untrusted().expect("reference parses"), &ctx).expect("message");

    let mut g = c.benchmark_group("issue");
    g.bench_function("bare sign", |b| {
        b.iter(|| r.signing_key.sign(black_box(&message)))
    });
    g.bench_function("issuer: issue (ledger in memory)", |b| {
        b.iter(|| issuer.issue(black_box(&order), today).map(|i| i.code.len()))
    });
    let dir = tempfile_dir();
    let ledger = FileLedger::open(&dir.join("ledger.jsonl")).expect("ledger");
    let mut durable = Issuer::new(catalogs(), VendorKey::from_seed(&seed), ledger);
    g.sample_size(20);
    g.bench_function("issuer: issue (file ledger, fsync)", |b| {
        b.iter(|| durable.issue(black_box(&order), today).map(|i| i.code.len()))
    });
    g.finish();
    drop(durable);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh directory under the system temp dir (no extra dependency).
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("license-issue-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(100)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = issue
}
criterion_main!(benches);
