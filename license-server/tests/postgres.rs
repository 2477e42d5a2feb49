//! Two server instances over one real PostgreSQL database: concurrent acquisitions through
//! both never exceed the limit; the store's seat counter stays equal to the leases under
//! racing acquisitions, releases, borrows and expiries, through a SIGKILL of an instance
//! in the middle of its transactions, and is checked (and corrected) at start. Needs
//! `LICENSE_TEST_PG` (`.ci/run` sets it); every run uses its own schema and drops it.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{Options, start_on};
use license_server::serve::StoreConfig;
use license_verify::seat_client::{Heartbeat, PinnedServerKey, SeatClient, SeatError};

const LIMIT: u32 = 5;

/// The database: the test is ignored unless `LICENSE_TEST_PG` was set when it was built
/// (`cfg(has_pg)`, build.rs).
fn pg_url() -> String {
    std::env::var("LICENSE_TEST_PG").expect(
        "LICENSE_TEST_PG=postgres://license:license@127.0.0.1:5432/license_test (set when the test was built)",
    )
}

struct Schema {
    url: String,
    name: String,
    rt: tokio::runtime::Runtime,
}

impl Schema {
    fn create(url: &str) -> Schema {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = format!("t_{}_{nanos}_srv", std::process::id());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE SCHEMA {name}"))
                .await
                .unwrap();
        });
        Schema {
            url: url.into(),
            name,
            rt,
        }
    }

    /// The URL with this schema as the search path.
    fn scoped_url(&self) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-csearch_path%3D{}", self.url, self.name)
    }

    fn count_leases(&self) -> i64 {
        self.counts().rows
    }

    /// The seat counter, the rows and the live rows, read in one statement (one snapshot).
    fn counts(&self) -> Counts {
        self.rt.block_on(counts(&self.scoped_url()))
    }

    fn execute(&self, sql: &str) {
        self.rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&self.scoped_url(), tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client.batch_execute(sql).await.unwrap();
        });
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Counts {
    counter: i64,
    rows: i64,
    live: i64,
}

async fn counts_on(client: &tokio_postgres::Client) -> Counts {
    let now = license_verify::seat_client::now_ms();
    let r = client
        .query_one(
            "SELECT (SELECT in_use FROM pool WHERE id = 1), (SELECT count(*) FROM leases),
                    (SELECT count(*) FROM leases WHERE expires_ms > $1)",
            &[&now],
        )
        .await
        .unwrap();
    Counts {
        counter: r.get(0),
        rows: r.get(1),
        live: r.get(2),
    }
}

async fn counts(url: &str) -> Counts {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    counts_on(&client).await
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        self.rt.block_on(async move {
            if let Ok((client, conn)) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
                tokio::spawn(conn);
                let _ = client.batch_execute(&format!("DROP SCHEMA {name} CASCADE")).await;
            }
        });
    }
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn two_instances_never_exceed_the_limit() {
    let url = pg_url();
    let schema = Schema::create(&url);
    let mut o = Options::seats(LIMIT);
    o.store = StoreConfig::Postgres(schema.scoped_url());
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let servers = [start_on(d1.path(), &o).unwrap(), start_on(d2.path(), &o).unwrap()];
    assert_ne!(
        servers[0].server_key, servers[1].server_key,
        "each instance has its own key"
    );

    let granted = Arc::new(AtomicU32::new(0));
    let barrier = Arc::new(Barrier::new(16));
    std::thread::scope(|scope| {
        for t in 0..16 {
            let (granted, barrier, server) = (granted.clone(), barrier.clone(), &servers[t % 2]);
            scope.spawn(move || {
                barrier.wait();
                for round in 0..3 {
                    match server.client(&format!("h-{t}-{round}")).acquire(None) {
                        Ok(l) => {
                            assert!(l.in_use <= LIMIT, "{} in use", l.in_use);
                            granted.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(SeatError::LimitReached { limit }) => assert_eq!(limit, LIMIT),
                        Err(e) => panic!("{e}"),
                    }
                }
            });
        }
    });
    assert_eq!(
        granted.load(Ordering::SeqCst),
        LIMIT,
        "exactly the limit granted across both instances"
    );
    assert_eq!(schema.count_leases(), i64::from(LIMIT));
    for s in &servers {
        let st = s.admin().status().unwrap();
        assert_eq!((st.in_use, st.limit, st.peak), (LIMIT, Some(LIMIT), LIMIT));
    }
    // A seat released through one instance can be taken through the other.
    let holder = servers[0].admin().holders().unwrap()[0].holder.clone();
    assert!(servers[1].admin().release(&holder).unwrap().removed);
    servers[0].client("late").acquire(None).unwrap();
    assert!(matches!(
        servers[1].client("later").acquire(None),
        Err(SeatError::LimitReached { .. })
    ));
    let audit = servers[1].admin().audit(1000).unwrap();
    assert!(audit.iter().any(|e| e.kind == "force-release"));
    assert_eq!(
        audit.iter().filter(|e| e.kind == "grant").count(),
        LIMIT as usize + 1
    );
}

/// Acquisitions, releases, borrows and leases left to expire (TTL 2 s), racing through two
/// instances for 5 seats, while an observer reads the seat counter and the leases in one
/// snapshot: the counter always equals the rows, live leases never exceed the limit, and
/// every seat comes back once the expired leases are swept.
#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn racing_acquisitions_through_two_instances_keep_the_seat_counter_exact() {
    let url = pg_url();
    let schema = Schema::create(&url);
    let mut o = Options::seats(LIMIT);
    o.store = StoreConfig::Postgres(schema.scoped_url());
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let servers = [start_on(d1.path(), &o).unwrap(), start_on(d2.path(), &o).unwrap()];

    let stop = Arc::new(AtomicBool::new(false));
    let observer = {
        let (stop, scoped) = (stop.clone(), schema.scoped_url());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let (client, conn) = tokio_postgres::connect(&scoped, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(conn);
                let mut seen = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    let c = counts_on(&client).await;
                    assert_eq!(c.counter, c.rows, "the seat counter left the leases: {c:?}");
                    assert!(c.live <= i64::from(LIMIT), "over the limit: {c:?}");
                    seen += 1;
                }
                seen
            })
        })
    };
    let (granted, refused) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
    let barrier = Arc::new(Barrier::new(16));
    std::thread::scope(|scope| {
        for t in 0..16 {
            let (granted, refused, barrier, server) =
                (granted.clone(), refused.clone(), barrier.clone(), &servers[t % 2]);
            scope.spawn(move || {
                barrier.wait();
                for round in 0..12 {
                    let c = server.client(&format!("h-{t}-{round}"));
                    let kind = (t + round) % 4;
                    let got = match kind {
                        2 => c.borrow(1),
                        1 => c.acquire(Some(2)),
                        _ => c.acquire(None),
                    };
                    match got {
                        Ok(l) => {
                            assert!(l.in_use <= LIMIT, "{} in use", l.in_use);
                            granted.fetch_add(1, Ordering::SeqCst);
                            match kind {
                                // Left to expire after its 2 s.
                                1 => {}
                                3 => {
                                    assert!(matches!(c.heartbeat(), Ok(Heartbeat::Renewed(_))));
                                    assert!(c.release().unwrap());
                                }
                                _ => assert!(c.release().unwrap()),
                            }
                        }
                        Err(SeatError::LimitReached { limit }) => {
                            assert_eq!(limit, LIMIT);
                            refused.fetch_add(1, Ordering::SeqCst);
                        }
                        // A 2 s lease whose answer took longer than that on a loaded
                        // machine: granted, and left to expire as planned.
                        Err(SeatError::Expired { .. }) if kind == 1 => {}
                        Err(e) => panic!("{e}"),
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
        }
    });
    stop.store(true, Ordering::Relaxed);
    let seen = observer.join().unwrap();
    assert!(seen > 0, "the observer never read the counter");
    let (granted, refused) = (granted.load(Ordering::SeqCst), refused.load(Ordering::SeqCst));
    assert!(
        granted > LIMIT && refused > 0,
        "the race did not contend for the limit: {granted} granted, {refused} refused"
    );
    // The leases left to expire are swept (each instance sweeps every second): every seat
    // comes back, and the counter follows.
    let deadline = Instant::now() + Duration::from_secs(10);
    while schema.counts().rows > 0 {
        assert!(
            Instant::now() < deadline,
            "expired leases not swept: {:?}",
            schema.counts()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        schema.counts(),
        Counts {
            counter: 0,
            rows: 0,
            live: 0
        }
    );
    for i in 0..LIMIT as usize {
        servers[i % 2]
            .client(&format!("after-{i}"))
            .acquire(None)
            .unwrap();
    }
    assert!(matches!(
        servers[1].client("one-more").acquire(None),
        Err(SeatError::LimitReached { .. })
    ));
    let c = schema.counts();
    assert_eq!(
        (c.counter, c.rows, c.live),
        (i64::from(LIMIT), i64::from(LIMIT), i64::from(LIMIT))
    );
}

/// A counter that does not match the leases (written by something other than the server)
/// is corrected when an instance starts, before it grants anything: a counter of 0 with 3
/// leases held would otherwise let 5 more in on a limit of 5.
#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn the_seat_counter_is_checked_against_the_leases_at_start() {
    let url = pg_url();
    let schema = Schema::create(&url);
    let mut o = Options::seats(LIMIT);
    o.store = StoreConfig::Postgres(schema.scoped_url());
    let d = tempfile::tempdir().unwrap();
    let server = start_on(d.path(), &o).unwrap();
    for i in 0..3 {
        server.client(&format!("h-{i}")).acquire(None).unwrap();
    }
    server.stop();
    schema.execute("UPDATE pool SET in_use = 0 WHERE id = 1");
    let server = start_on(d.path(), &o).unwrap();
    assert_eq!(schema.counts().counter, 3, "corrected at start");
    for i in 3..LIMIT {
        server.client(&format!("h-{i}")).acquire(None).unwrap();
    }
    assert!(matches!(
        server.client("one-more").acquire(None),
        Err(SeatError::LimitReached { limit: LIMIT })
    ));
    assert_eq!(schema.counts().rows, i64::from(LIMIT));
}

/// A seat kept by the SIGKILL test: its holder and lease id.
/// A kept seat: its client, which holds the holder key and the lease's MAC key (a heartbeat
/// or release needs the holder proof).
type Kept = SeatClient;

/// The server binary on PostgreSQL, on `data` (holding the shared server key).
fn spawn_pg(data: &Path, url: &str, key: &[u8; 32]) -> (Child, String) {
    let mut l = common::license(LIMIT);
    l.binding = l.binding.with_seat_server(key);
    let license = common::write_license(data, &l);
    let mut child = Command::new(env!("CARGO_BIN_EXE_license-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--product", common::PRODUCT])
        .args(["--licensee", common::LICENSEE, "--database", common::DATABASE])
        .arg("--license")
        .arg(&license)
        .arg("--data")
        .arg(data)
        .args(["--postgres", url])
        .args([
            "--key",
            &common::vendor_hex(),
            "--rate-per-client",
            "1000000",
            "--burst-per-client",
            "1000000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_string();
    (child, base)
}

/// Two instance binaries sharing one server key and one database; one is killed with
/// SIGKILL while it has acquisitions and releases in flight (transactions open in
/// PostgreSQL, rolled back when its connections drop). The counter stays equal to the
/// leases and never above the limit, before and after the instance restarts, and every
/// grant either instance answered is still held.
#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn sigkill_of_one_instance_mid_transaction_leaves_the_counter_right() {
    let url = pg_url();
    let schema = Schema::create(&url);
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let key = license_server::keys::ServerKey::load_or_create(d1.path())
        .unwrap()
        .public();
    std::fs::copy(d1.path().join("server.key"), d2.path().join("server.key")).unwrap();
    std::fs::set_permissions(
        d2.path().join("server.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let (mut victim, base1) = spawn_pg(d1.path(), &schema.scoped_url(), &key);
    let (mut survivor, base2) = spawn_pg(d2.path(), &schema.scoped_url(), &key);

    let stop = Arc::new(AtomicBool::new(false));
    let held: Arc<std::sync::Mutex<Vec<Kept>>> = Arc::default();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let base = if t % 2 == 0 { base1.clone() } else { base2.clone() };
            let (stop, held) = (stop.clone(), held.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let h = format!("h-{t}-{n}");
                    let c =
                        SeatClient::new(&base, common::PRODUCT, &h, Box::new(PinnedServerKey(key))).unwrap();
                    match c.acquire(None) {
                        Ok(l) => {
                            assert!(l.in_use <= LIMIT);
                            // Every third grant is kept; the others go back at once.
                            if n % 3 == 0 {
                                held.lock().unwrap().push(c);
                            } else if c.release().is_err() {
                                return; // the instance is gone
                            }
                        }
                        Err(SeatError::LimitReached { .. }) => {
                            // Make room: give back the oldest kept seat (through the
                            // instance that granted it, with its holder proof).
                            let oldest = {
                                let mut held = held.lock().unwrap();
                                (!held.is_empty()).then(|| held.remove(0))
                            };
                            if let Some(kept) = oldest
                                && kept.release().is_err()
                            {
                                // The instance is gone; whether the release was committed
                                // is unknown, so the seat is no longer tracked.
                                return;
                            }
                        }
                        Err(_) => return, // the instance is gone
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1_500));
    victim.kill().unwrap(); // SIGKILL, transactions in flight
    victim.wait().unwrap();
    std::thread::sleep(Duration::from_millis(500)); // the survivor goes on alone
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let c = schema.counts();
    assert_eq!(c.counter, c.rows, "after the kill: {c:?}");
    assert!(c.rows <= i64::from(LIMIT), "after the kill: {c:?}");

    let (mut restarted, base1) = spawn_pg(d1.path(), &schema.scoped_url(), &key);
    let c = schema.counts();
    assert_eq!(c.counter, c.rows, "after the restart: {c:?}");
    // Every kept grant that was answered is held, and renews through either instance (a
    // client of the killed instance fails over to the restarted one or the survivor).
    for (i, kept) in held.lock().unwrap().iter_mut().enumerate() {
        let (first, second) = if i % 2 == 0 {
            (&base1, &base2)
        } else {
            (&base2, &base1)
        };
        kept.add_failover(first).unwrap();
        kept.add_failover(second).unwrap();
        let renewed = kept.heartbeat();
        assert!(
            matches!(renewed, Ok(Heartbeat::Renewed(_))),
            "answered grant of {} lost: {renewed:?}",
            kept.holder()
        );
    }
    // Fill the pool through the restarted instance: exactly the free seats are granted.
    let free = LIMIT - u32::try_from(c.rows).unwrap();
    let mut got = 0;
    for i in 0..LIMIT {
        let c = SeatClient::new(
            &base1,
            common::PRODUCT,
            &format!("fill-{i}"),
            Box::new(PinnedServerKey(key)),
        )
        .unwrap();
        match c.acquire(None) {
            Ok(_) => got += 1,
            Err(SeatError::LimitReached { .. }) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(got, free);
    let c = schema.counts();
    assert_eq!((c.counter, c.rows), (i64::from(LIMIT), i64::from(LIMIT)));
    for child in [&mut restarted, &mut survivor] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
