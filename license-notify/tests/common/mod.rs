//! What the tests share: the real webhook receiver and SMTP server (the test-receivers
//! crate), a PostgreSQL schema per test, and the issuing fixtures.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use license_core::{Date, Kind};
use license_issue::postgres::{Client, Config, NoTls};
use license_issue::*;
use license_notify::*;
#[allow(unused_imports)] // each test file uses some
pub use test_receivers::{Answer, Hook, Receiver, Smtpd, now_secs};

pub const SECRET: &[u8] = b"whsec-the-tests-shared-secret";

pub fn d(y: u16, m: u8, day: u8) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

pub fn catalogs() -> Catalogs {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo().unwrap());
    c
}

pub fn issuer<L: Ledger>(ledger: L) -> Issuer<L> {
    Issuer::new(catalogs(), VendorKey::from_seed(&[9; 32]), ledger)
}

/// A valid database code, the same for the same seed.
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

pub fn subscription(licensee: &str) -> Order {
    let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::new(licensee));
    o.named_users = Some(10);
    o.bind = BindTo::database(db(licensee));
    Order::Issue(o)
}

/// A webhook configuration with the endpoint `erp` at `url`, loopback allowed (the
/// tests' receivers are on loopback) and short timeouts.
pub fn webhooks(url: &str) -> WebhookConfig {
    let mut c = WebhookConfig {
        policy: TargetPolicy {
            allow_loopback: true,
            allow_private: false,
        },
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
        ..WebhookConfig::default()
    };
    c.endpoints.insert("erp".into(), Endpoint::new(url, SECRET));
    c
}

pub fn retry() -> RetryPolicy {
    RetryPolicy {
        first_secs: 10,
        cap_secs: 80,
        max_attempts: 6,
        lease_secs: 30,
    }
}

/// The real SMTP server (aiosmtpd, test-receivers), with the Python the build found.
pub fn smtpd() -> Smtpd {
    Smtpd::start(env!("NOTIFY_TEST_PYTHON"))
}

/// A mailer that delivers to `smtpd`.
pub fn mailer(smtpd: &Smtpd) -> Mailer {
    Mailer::new(&SmtpConfig {
        host: "127.0.0.1".into(),
        port: smtpd.port,
        security: SmtpSecurity::Plain,
        credentials: None,
        from: "Licensing <licensing@vendor.example>".into(),
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

pub fn database_url() -> String {
    std::env::var("LICENSE_TEST_PG").expect("LICENSE_TEST_PG (set when the test was built)")
}

/// A fresh schema, dropped when this is dropped.
pub struct Schema {
    url: String,
    pub name: String,
}

impl Schema {
    pub fn create() -> Schema {
        static N: AtomicU32 = AtomicU32::new(0);
        let url = database_url();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "n_{}_{}_{}",
            std::process::id(),
            nanos,
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut c = Client::connect(&url, NoTls).expect("connect to LICENSE_TEST_PG");
        c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
        Schema { url, name }
    }

    /// An existing schema by name (a child process's).
    pub fn named(name: &str) -> Schema {
        Schema {
            url: database_url(),
            name: name.to_owned(),
        }
    }

    pub fn config(&self) -> Config {
        let mut config: Config = self.url.parse().unwrap();
        config.options(&format!("-c search_path={}", self.name));
        config
    }

    pub fn ledger(&self, connections: u32) -> PgLedger {
        PgLedger::open(self.config(), connections).unwrap()
    }

    /// Keep the schema (a child process must not drop its parent's).
    pub fn keep(self) {
        std::mem::forget(self);
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.url, NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// The `data` of a webhook body.
pub fn data(body: &str) -> serde_json::Value {
    serde_json::from_str::<serde_json::Value>(body).unwrap()["data"].clone()
}
