//! The reports and the order rate at scale: a ledger of 1,000,000 generated licenses
//! (`tests/scale/generate.rs`: every record made by the library's `Issuer`, loaded with
//! the ledger's bulk path), in PostgreSQL and in SQLite (see BENCHMARKS.md, "Scale").
//!
//! ```sh
//! su postgres -c "createdb -O license license_scale_ledger"
//! export SCALE_PG=postgres://license:license@127.0.0.1:5432/license_scale_ledger
//! export SCALE_SQLITE=/tmp/license-scale.sqlite
//! cargo bench -p license-issue --bench scale -- build      # generate and load (reused if present)
//! cargo bench -p license-issue --bench scale -- reports    # each report's median and p99
//! cargo bench -p license-issue --bench scale -- orders     # orders/s through Issuer::place + WithOutbox
//! # two instances on one database: two processes at once
//! cargo bench -p license-issue --bench scale -- orders & cargo bench -p license-issue --bench scale -- orders
//! ```
//!
//! `SCALE_LICENSES` (default 1000000) and `SCALE_MINUTES` (the generator's time limit,
//! default 30) change the ledger; `SCALE_RUNS` (default 9) the runs per report.

#[path = "../tests/scale/generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use generate::{TODAY, catalogs, key};
use license_core::{DatabaseCode, Kind};
use license_issue::*;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pg() -> Option<PgLedger> {
    let url = std::env::var("SCALE_PG").ok()?;
    Some(PgLedger::connect(&url, 4).expect("SCALE_PG: connect"))
}

fn sqlite() -> Option<SqliteLedger> {
    let path = std::env::var("SCALE_SQLITE").ok()?;
    Some(SqliteLedger::open(std::path::Path::new(&path)).expect("SCALE_SQLITE: open"))
}

/// Generate the ledger and load it with `load` on a second thread (generation and
/// loading overlap).
fn build(name: &str, load: impl Fn(&[Record]) -> u64 + Send) {
    let count = env_or("SCALE_LICENSES", 1_000_000) as u32;
    let deadline = Duration::from_secs(60 * env_or("SCALE_MINUTES", 30));
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Record>>(2);
    let started = Instant::now();
    let (made, loading) = std::thread::scope(|s| {
        let loader = s.spawn(move || {
            let mut busy = Duration::ZERO;
            for chunk in rx {
                let t = Instant::now();
                assert_eq!(load(&chunk), chunk.len() as u64);
                busy += t.elapsed();
            }
            busy
        });
        let made = generate::generate(count, 1, deadline, |records| {
            tx.send(records).expect("loader");
            Ok(())
        })
        .expect("generate");
        drop(tx);
        (made, loader.join().expect("loader"))
    });
    println!(
        "{name}: {} licenses, {} records ({} operations refused by the rules) in {:.0} s \
         (generating {:.0} s, loading {:.0} s, overlapped){}",
        made.licenses,
        made.records,
        made.refused,
        started.elapsed().as_secs_f64(),
        made.elapsed.as_secs_f64(),
        loading.as_secs_f64(),
        if made.complete {
            ""
        } else {
            " -- STOPPED BY THE TIME LIMIT"
        }
    );
}

/// Median and p99 (nearest rank) of `runs` timings of `f`, in ms.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let mut out = None;
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            out = Some(f());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let rank = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    (rank(0.5), rank(0.99), out.expect("runs > 0"))
}

fn reports(name: &str, ledger: &impl Ledger, totals: impl Fn(Month) -> Vec<KindTotals>) {
    let runs = env_or("SCALE_RUNS", 9) as usize;
    let cat = catalogs();
    let month = Month::parse("2026-10").expect("month");
    let (from, to) = month.bounds().expect("bounds");
    let day = from.saturating_add_days(14);
    let line = |what: &str, (median, p99, n): (f64, f64, String)| {
        println!("{name}: {what:<52} median {median:>7.1} ms  p99 {p99:>7.1} ms  ({n})");
    };
    line(
        "issued in 2026-10, totals by kind (SQL count)",
        time(runs, || {
            let t = totals(month);
            let codes: u32 = t.iter().map(|k| k.codes).sum();
            format!("{codes} codes")
        }),
    );
    line(
        "issued in 2026-10, by kind with every code",
        time(runs, || {
            let records = ledger.records_recorded(from, to).expect("records");
            let r = issued_in_month(&records, &cat, month).expect("report");
            format!("{} codes", r.codes.len())
        }),
    );
    line(
        "active subscriptions on 2026-10-15",
        time(runs, || {
            let terms = ledger.license_terms_active_on(day).expect("terms");
            let n = terms.len();
            let rows = active_on(&terms, &cat, day);
            format!("{} active, {n} licenses' terms read", rows.len())
        }),
    );
    line(
        "  of which reading the terms (SQL + JSON decode)",
        time(runs, || {
            let terms = ledger.license_terms_active_on(day).expect("terms");
            format!("{} licenses", terms.len())
        }),
    );
    line(
        "  the same from every record of those licenses (before)",
        time(runs.min(3), || {
            let records = ledger.records_active_on(day).expect("records");
            let n = records.len();
            let rows = active_subscriptions(&LicenseHistory::all(&records), &cat, day);
            format!("{} active, {n} records read", rows.len())
        }),
    );
    line(
        "pro rata 2026-10 (records of the month's subscriptions)",
        time(runs.min(3), || {
            let records = ledger.records_in_term(from, to).expect("records");
            let n = records.len();
            let r = pro_rata(&LicenseHistory::all(&records), &cat, month, None).expect("report");
            format!("{} rows, {n} records read", r.rows.len())
        }),
    );
}

/// What a service's `events` makes: here one webhook row per record, the record's JSON as
/// the payload (the size of a `license.created` event), id from its place in the license.
fn events(batch: &Batch<'_>) -> Result<Vec<OutboxRow>, Error> {
    batch
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(OutboxRow {
                event_id: format!("evt_{}_{}", batch.license_id, batch.expected + i),
                kind: "webhook".into(),
                payload: serde_json::to_string(r).map_err(LedgerError::LedgerEncode)?,
            })
        })
        .collect()
}

/// Orders through `Issuer::place` with the outbox, in this process (one instance):
/// half new subscriptions, half additional orders of licenses this process created.
fn orders(ledger: PgLedger) {
    let count = env_or("SCALE_ORDERS", 2000) as usize;
    let tag = format!(
        "{}-{}",
        std::process::id(),
        Instant::now().elapsed().subsec_nanos()
    );
    let mut is = Issuer::new(catalogs(), key(), WithOutbox::new(ledger, events));
    let new = |n: usize| {
        let mut o = NewLicense::new(
            "demo-erp",
            Kind::Subscription,
            Customer::new(format!("Bench {tag} {n}")),
        );
        o.named_users = Some(10);
        let mut db = [0u8; 10];
        db[..8].copy_from_slice(&(n as u64 ^ u64::from(std::process::id()) << 32).to_le_bytes());
        o.bind = BindTo::database(DatabaseCode::from_random(db).to_string());
        Order::Issue(o)
    };
    let ids: Vec<u32> = (0..50)
        .map(|n| {
            is.place(None, &new(900_000 + n), TODAY)
                .expect("setup")
                .license_id()
        })
        .collect();
    let mut users = vec![10u32; ids.len()];
    let started = Instant::now();
    for i in 0..count {
        let order = if i % 2 == 0 {
            new(i)
        } else {
            let k = i % ids.len();
            users[k] += 1;
            Order::Upgrade {
                license_id: ids[k],
                change: Change {
                    named_users: Some(users[k]),
                    ..Change::default()
                },
            }
        };
        is.place(Some(&format!("{tag}-{i}")), &order, TODAY)
            .expect("order");
    }
    let s = started.elapsed().as_secs_f64();
    println!(
        "postgres: instance {}: {count} orders in {s:.2} s = {:.0} orders/s (started at {:.3})",
        std::process::id(),
        count as f64 / s,
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs_f64()
            - s
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let Some(what) = args.first() else {
        println!("scale: say build, reports or orders (and set SCALE_PG and/or SCALE_SQLITE)");
        return;
    };
    match what.as_str() {
        "build" => {
            if let Some(l) = pg() {
                if l.last_license_id().expect("read").is_some() {
                    println!("postgres: ledger present, reused");
                } else {
                    build("postgres", |r| l.load(r).expect("load"));
                    let t = Instant::now();
                    let mut c = l.connection().expect("connection");
                    c.batch_execute("VACUUM ANALYZE ledger_records, ledger_license_terms")
                        .expect("vacuum analyze");
                    let mut size = |table: &str| -> i64 {
                        c.query_one("SELECT pg_total_relation_size($1::text::regclass)", &[&table])
                            .expect("size")
                            .get(0)
                    };
                    let (records, terms) = (size("ledger_records"), size("ledger_license_terms"));
                    println!(
                        "postgres: VACUUM ANALYZE {:.1} s; with indexes: ledger_records {} MB, \
                         ledger_license_terms {} MB",
                        t.elapsed().as_secs_f64(),
                        records >> 20,
                        terms >> 20
                    );
                }
            }
            if let Some(l) = sqlite() {
                if l.last_license_id().expect("read").is_some() {
                    println!("sqlite: ledger present, reused");
                } else {
                    l.connection()
                        .pragma_update(None, "synchronous", "NORMAL")
                        .expect("pragma");
                    build("sqlite", |r| l.load(r).expect("load"));
                    l.connection().execute_batch("ANALYZE").expect("analyze");
                }
            }
        }
        "reports" => {
            if let Some(l) = pg() {
                let mut c = l.connection().expect("connection");
                for sql in [
                    "SELECT license_id FROM ledger_records WHERE has_code AND kind = 'subscription'
                       AND valid_from <= '2026-10-15' AND expires > '2026-10-15'",
                    "SELECT kind, count(*) FROM ledger_records WHERE has_code AND recorded >= '2026-10-01'
                       AND recorded < '2026-11-01' GROUP BY kind",
                    "SELECT terms FROM ledger_license_terms
                      WHERE sub_until > '2026-10-15' AND sub_from <= '2026-10-15'",
                ] {
                    for row in c.query(&format!("EXPLAIN {sql}"), &[]).expect("explain") {
                        println!("postgres plan: {}", row.get::<_, String>(0));
                    }
                }
                drop(c);
                reports("postgres", &l, |m| l.issued_totals(m).expect("totals"));
            }
            if let Some(l) = sqlite() {
                reports("sqlite", &l, |m| l.issued_totals(m).expect("totals"));
            }
        }
        "orders" => orders(pg().expect("set SCALE_PG")),
        other => println!("scale: unknown command {other}"),
    }
}
