//! A schema of its own in the shared test database, dropped at the end.
#![allow(dead_code)]

pub mod suite;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use license_issue::PgLedger;
use license_issue::postgres::{Client, Config, NoTls};

/// A valid database code (the toolkit's form, which the demo catalog asks for), the same
/// for the same `seed`.
pub fn db(seed: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut bytes = [0u8; 10];
    for (i, chunk) in bytes.chunks_mut(5).enumerate() {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (i, seed).hash(&mut h);
        chunk.copy_from_slice(&h.finish().to_le_bytes()[..5]);
    }
    license_core::DatabaseCode::from_random(bytes).to_string()
}

/// The connection URL from `LICENSE_TEST_PG`. The tests that call this are ignored unless
/// it was set when they were built (`cfg(has_pg)`, build.rs), so it is set here.
pub fn database_url() -> String {
    std::env::var("LICENSE_TEST_PG").expect(
        "LICENSE_TEST_PG=postgres://license:license@127.0.0.1:5432/license_test (set when the test was built)",
    )
}

/// A fresh schema `t_<pid>_<nanos>_<n>`, dropped when this is dropped.
pub struct Schema {
    url: String,
    pub name: String,
}

impl Schema {
    pub fn create(url: &str) -> Schema {
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "t_{}_{}_{}",
            std::process::id(),
            nanos,
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut c = Client::connect(url, NoTls).expect("connect to LICENSE_TEST_PG");
        c.batch_execute(&format!("CREATE SCHEMA {name}"))
            .expect("create schema");
        Schema {
            url: url.to_owned(),
            name,
        }
    }

    /// The connection configuration with this schema as the search path.
    pub fn config(&self) -> Config {
        let mut config: Config = self.url.parse().expect("LICENSE_TEST_PG is a postgres:// URL");
        config.options(&format!("-c search_path={}", self.name));
        config
    }

    /// A ledger (one backend instance) with its own pool of `connections`.
    pub fn ledger(&self, connections: u32) -> PgLedger {
        PgLedger::open(self.config(), connections).expect("open the ledger")
    }

    /// A plain client in this schema, for checking with SQL.
    pub fn client(&self) -> Client {
        self.config().connect(NoTls).expect("connect")
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.url, NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}
