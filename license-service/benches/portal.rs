//! The portal's page response times with 100,000 licenses in the ledger (issue 22): the
//! license list (a company's, and the vendor's first page of all) and a license page, each
//! a request over HTTP/1.1 on the loopback to the service's router, served from PostgreSQL
//! (the ledger and the service's tables in one database). p50 and p99 (nearest rank) of
//! `PORTAL_BENCH_RUNS` requests each (default 300), one at a time.
//!
//! The ledger is the scale bench's generated one (`license-issue/tests/scale/generate.rs`:
//! every record made by the library's `Issuer`, loaded with `PgLedger::load`); its
//! licenses are assigned to 1,000 companies (100 each) in `svc_licenses` with one SQL
//! statement. Built once per database and reused.
//!
//! ```sh
//! su postgres -c "createdb -O license license_portal_bench"
//! PORTAL_BENCH_PG=postgres://license:license@127.0.0.1:5432/license_portal_bench \
//!   cargo bench -p license-service --bench portal
//! ```
//!
//! `PORTAL_BENCH_LICENSES` (default 100000) changes the ledger.

#[path = "../../license-issue/tests/scale/generate.rs"]
mod generate;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_guard::web::WebPolicy;
use license_issue::{Ledger, PgLedger};
use license_service::db::postgres::PgDb;
use license_service::issuers::Pooled;
use license_service::mail::MemoryMailer;
use license_service::permissions::Matrix;
use license_service::rights::{OrgKind, Rights};
use license_service::store::Store;
use license_service::{App, Settings, router};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// GET `path` with the session cookie; the status and the body's length.
fn get(addr: SocketAddr, cookie: &str, path: &str) -> (u16, usize) {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: lk_svc_session={cookie}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = Vec::new();
    s.read_to_end(&mut out).expect("read");
    let text = String::from_utf8_lossy(&out);
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, out.len())
}

/// p50 and p99 (nearest rank) of `runs` requests, in ms.
fn time(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let rank = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    (rank(0.5), rank(0.99))
}

fn main() {
    let Ok(url) = std::env::var("PORTAL_BENCH_PG") else {
        eprintln!("set PORTAL_BENCH_PG to a PostgreSQL database of its own (see the file's docs)");
        return;
    };
    let count = env_or("PORTAL_BENCH_LICENSES", 100_000) as u32;
    let runs = env_or("PORTAL_BENCH_RUNS", 300) as usize;
    let ledger = PgLedger::connect(&url, 4).expect("ledger");
    let store = Store::new(Box::new(PgDb::connect(&url, 4).expect("store")));
    let mut pg =
        license_issue::postgres::Client::connect(&url, license_issue::postgres::NoTls).expect("connect");

    if ledger.last_license_id().expect("ledger").is_none() {
        let t = Instant::now();
        let made = generate::generate(count, 1, Duration::from_secs(30 * 60), |records| {
            ledger.load(&records).map(drop)
        })
        .expect("generate");
        pg.batch_execute("ANALYZE ledger_records").expect("analyze");
        let companies: Vec<i64> = (0..1000)
            .map(|i| {
                store
                    .create_org(OrgKind::Company, &format!("Company {i}"), "")
                    .expect("org")
            })
            .collect();
        pg.execute(
            "INSERT INTO svc_licenses (license_id, company_id, reseller_id, product, created_ms)
             SELECT license_id, $1::bigint + (license_id % 1000), 0, min(product), 0
             FROM ledger_records GROUP BY license_id",
            &[&companies[0]],
        )
        .expect("svc_licenses");
        pg.batch_execute("ANALYZE svc_licenses").expect("analyze");
        println!(
            "built: {} licenses, {} records in {:.0} s",
            made.licenses,
            made.records,
            t.elapsed().as_secs_f64()
        );
    }
    let n: i64 = pg
        .query_one("SELECT count(*) FROM svc_licenses", &[])
        .expect("count")
        .get(0);
    let company: i64 = pg
        .query_one("SELECT min(id) FROM svc_orgs WHERE kind = 'company'", &[])
        .expect("company")
        .get(0);
    let license: i64 = pg
        .query_one(
            "SELECT max(license_id) FROM svc_licenses WHERE company_id = $1",
            &[&company],
        )
        .expect("license")
        .get(0);

    let store = Arc::new(store);
    let vendor = store.vendor_org("Vendor").expect("vendor");
    let user = |org, email: &str| {
        let id = match store.user_by_email(email).expect("user") {
            Some(u) => u.id,
            None => store
                .create_user(org, email, "x", true, "", &Rights::default())
                .expect("create")
                .expect("new"),
        };
        store.create_session(id, 3_600_000).expect("session").0
    };
    let customer = user(company, "bench-admin@company.test");
    let clerk = user(vendor, "bench-admin@vendor.test");
    let app = Arc::new(App {
        store: store.clone(),
        issuers: Pooled::new(generate::catalogs(), generate::key(), ledger),
        today: Arc::new(|| generate::TODAY),
        mailer: Arc::new(MemoryMailer::default()),
        matrix: Matrix::committed().expect("matrix"),
        settings: {
            // Over a thousand requests from one address and account in seconds: beyond the
            // service's rate limits, which would answer 429 and be measured instead.
            let mut s = Settings::new(WebPolicy::new(&[], false).expect("policy"));
            let many = || {
                Arc::new(http_guard::rate::RateLimiter::new(
                    1_000_000,
                    std::time::Duration::from_secs(60),
                ))
            };
            s.rate_per_address = many();
            s.rate_per_account = many();
            s
        },
        vendor_org: vendor,
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
    std::thread::spawn(move || rt.block_on(async { axum::serve(listener, service).await }));

    println!("{n} licenses in the ledger; {runs} requests each, one at a time, on the loopback");
    for (what, cookie, path) in [
        (
            "a company's license list (100 licenses), page 1",
            &customer,
            "/portal/licenses".to_owned(),
        ),
        (
            "a company's license list, searched by number",
            &customer,
            format!("/portal/licenses?q={license}"),
        ),
        (
            "the vendor's license list (all), page 1",
            &clerk,
            "/portal/licenses".to_owned(),
        ),
        (
            "the vendor's license list, page 2,000",
            &clerk,
            "/portal/licenses?page=2000".to_owned(),
        ),
        ("a license page", &customer, format!("/portal/licenses/{license}")),
    ] {
        let (status, bytes) = get(addr, cookie, &path);
        assert_eq!(status, 200, "{what}: {path}");
        let (p50, p99) = time(runs, || {
            get(addr, cookie, &path);
        });
        println!("{what:<52} p50 {p50:>6.1} ms  p99 {p99:>6.1} ms  ({bytes} bytes)");
    }
}
