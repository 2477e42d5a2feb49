//! Orders per second through `Issuer::place`, with the PostgreSQL ledger and with the
//! file ledger, in the same run (see BENCHMARKS.md):
//!
//! ```sh
//! LICENSE_TEST_PG=postgres://license:license@127.0.0.1:5432/license_test \
//!     cargo bench -p license-issue --bench orders
//! ```
//!
//! Each order is what a portal sends: a new subscription with an idempotency key, or an
//! additional order (more users) on one of 50 existing licenses; half and half. The file
//! ledger is one writer (it is locked to one process) and fsyncs every order; the
//! PostgreSQL ledger is measured with 1, 4 and 8 threads, each with its own `Issuer`
//! over one pool of 8 connections. Target: at least 500 orders/s with PostgreSQL.

#[allow(clippy::duplicate_mod)]
#[path = "../tests/common/mod.rs"]
mod pg;

use std::sync::Arc;
use std::time::Instant;

use license_core::{Date, Kind};
use license_issue::{
    BindTo, Catalog, Catalogs, Change, Customer, FileLedger, Issuer, Ledger, NewLicense, Order, VendorKey,
};

const ORDERS: usize = 2000;
const LICENSES: u32 = 50;
const TARGET: f64 = 500.0;

fn issuer<L: Ledger>(ledger: L) -> Issuer<L> {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo().expect("demo catalog"));
    Issuer::new(c, VendorKey::from_seed(&[3; 32]), ledger)
}

fn today() -> Date {
    Date::from_ymd(2026, 11, 22).expect("date")
}

fn new_license(n: usize) -> Order {
    let mut o = NewLicense::new(
        "demo-erp",
        Kind::Subscription,
        Customer::new(format!("Customer {n}")),
    );
    o.line = Some("expert".into());
    o.named_users = Some(10);
    o.bind = BindTo::database(pg::db(&format!("DB-{n}")));
    Order::Issue(o)
}

/// Order `i` of thread `t`: a new license, or one more user on an existing license.
fn order(t: usize, i: usize, ids: &[u32], users: &mut [u32]) -> Order {
    if i.is_multiple_of(2) {
        new_license(t * 1_000_000 + i)
    } else {
        let k = (t * 7 + i) % ids.len();
        users[k] += 1;
        Order::Upgrade {
            license_id: ids[k],
            change: Change {
                named_users: Some(users[k]),
                ..Change::default()
            },
        }
    }
}

/// `ORDERS` orders on `threads` threads; orders per second.
fn measure<L: Ledger + Clone + Send + 'static>(ledger: L, threads: usize, tag: &str) -> f64 {
    // Each thread upgrades licenses of its own, so that its user counts only grow.
    let mut setup = issuer(ledger.clone());
    let ids: Vec<Vec<u32>> = (0..threads)
        .map(|t| {
            (0..LICENSES / threads as u32)
                .map(|n| {
                    let o = new_license(900_000_000 + t * 1000 + n as usize);
                    setup.place(None, &o, today()).expect("setup").license_id()
                })
                .collect()
        })
        .collect();
    let ids = Arc::new(ids);
    let start = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let (ledger, ids) = (ledger.clone(), Arc::clone(&ids));
            let tag = tag.to_owned();
            std::thread::spawn(move || {
                let mut is = issuer(ledger);
                let mine = &ids[t];
                let mut users = vec![10u32; mine.len()];
                for i in 0..ORDERS / threads {
                    let o = order(t, i, mine, &mut users);
                    is.place(Some(&format!("{tag}-{t}-{i}")), &o, today())
                        .expect("order");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    ORDERS as f64 / start.elapsed().as_secs_f64()
}

/// The file ledger is not `Clone` (one process holds it): one writer.
fn measure_file() -> f64 {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut is = issuer(FileLedger::open(&dir.path().join("ledger.jsonl")).expect("ledger"));
    let ids: Vec<u32> = (0..LICENSES)
        .map(|n| {
            is.place(None, &new_license(900_000_000 + n as usize), today())
                .expect("setup")
                .license_id()
        })
        .collect();
    let mut users = vec![10u32; ids.len()];
    let start = Instant::now();
    for i in 0..ORDERS {
        let o = order(0, i, &ids, &mut users);
        is.place(Some(&format!("file-{i}")), &o, today()).expect("order");
    }
    ORDERS as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs it once as a smoke test.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!(
        "orders per second through Issuer::place ({ORDERS} orders: half new licenses, half additional orders)"
    );
    let file = measure_file();
    println!("  file ledger, 1 writer (fsync per order)      {file:>8.0} orders/s");
    let Ok(url) = std::env::var("LICENSE_TEST_PG") else {
        println!("  PostgreSQL ledger: not measured (set LICENSE_TEST_PG)");
        return;
    };
    let schema = pg::Schema::create(&url);
    let ledger = schema.ledger(8);
    let mut best = 0.0f64;
    for threads in [1, 4, 8] {
        let rate = measure(ledger.clone(), threads, &format!("pg{threads}"));
        best = best.max(rate);
        println!("  PostgreSQL ledger, {threads} thread(s), pool of 8  {rate:>8.0} orders/s");
    }
    println!(
        "  target >= {TARGET} orders/s with PostgreSQL: {}",
        if best >= TARGET { "PASS" } else { "FAIL" }
    );
}
