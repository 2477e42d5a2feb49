//! Two server instances over one real PostgreSQL database: concurrent acquisitions through
//! both never exceed the limit. Needs `LICENSE_TEST_PG` (`.ci/run` sets it); every run uses
//! its own schema and drops it.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier};

use common::{Options, start_on};
use license_server::serve::StoreConfig;
use license_verify::seat_client::SeatError;

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
        self.rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&self.scoped_url(), tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client
                .query_one("SELECT count(*) FROM leases", &[])
                .await
                .unwrap()
                .get(0)
        })
    }
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
