//! Shared fixtures: a fixed vendor key, an installation, licenses and codes issued in the test.
#![allow(dead_code)]

use std::path::Path;

use ed25519_dalek::SigningKey;
use license_core::{
    Binding, Component, Context, Date, Kind, License, MachineFingerprint, ModuleSet, ProductLine, PublicKey,
    RevocationEntry, sign, sign_revocation_list,
};
use license_verify::{Utc, Verifier, VerifierBuilder};

pub const PRODUCT: &str = "erp";
pub const LICENSEE: &str = "ACME Corp";
pub const DATABASE: &str = "DB-7F3A-22C1";
pub const SECRET: &[u8] = b"erp-state-secret-for-tests";
pub const MODULES: [&str; 4] = ["crm", "budget", "planning", "bi"];

pub fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

pub fn other_vendor() -> SigningKey {
    SigningKey::from_bytes(&[8; 32])
}

pub fn keys() -> Vec<PublicKey> {
    vec![PublicKey::from(vendor().verifying_key())]
}

pub fn d(y: u16, m: u8, day: u8) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

/// Noon UTC on `day`.
pub fn noon(day: Date) -> Utc {
    Utc(Utc::start_of(day).0 + 12 * 3600)
}

/// The release the tests run: built 2026-06-01.
pub fn build_date() -> Date {
    d(2026, 6, 1)
}

/// A one-year subscription from 2026-01-15 (expires 2027-01-15), 25 users, 10 seats,
/// modules crm + budget + bi, 14 days of grace, then 2 demo seats; bound to the database.
pub fn subscription() -> License {
    License {
        license_id: 1001,
        revision: 1,
        kind: Kind::Subscription,
        line: ProductLine::new(1).unwrap(),
        named_users: Some(25),
        concurrent_seats: Some(10),
        demo_seats: 2,
        modules: ModuleSet::EMPTY.with(0).with(1).with(3),
        issued: d(2026, 1, 10),
        valid_from: d(2026, 1, 15),
        expires: Some(d(2027, 1, 15)),
        grace_days: 14,
        maintenance_ends: Some(d(2027, 1, 15)),
        binding: Binding::DATABASE,
        interim: false,
    }
}

pub fn context() -> Context<'static> {
    Context::new(PRODUCT, LICENSEE).with_database(DATABASE)
}

/// Issue `license` for the test installation (product, licensee, database).
pub fn issue(license: &License) -> String {
    sign(license, &context(), &vendor()).unwrap().to_string()
}

/// Issue with another key.
pub fn issue_with(license: &License, key: &SigningKey) -> String {
    sign(license, &context(), key).unwrap().to_string()
}

/// A machine with the four components set from short names.
pub fn machine(os: &str, hw: &str, cpu: &str, mac: [u8; 6]) -> MachineFingerprint {
    let key = PRODUCT.as_bytes();
    let mut m = MachineFingerprint::unknown();
    for (c, raw) in [
        (Component::OsInstallId, os),
        (Component::HardwareUuid, hw),
        (Component::Cpu, cpu),
    ] {
        if let Some(digest) = license_core::component_digest(key, c, raw) {
            m.add(c, digest);
        }
    }
    if let Some(digest) = license_core::mac_digest(key, mac) {
        m.add(Component::Network, digest);
    }
    m
}

pub fn server() -> MachineFingerprint {
    machine(
        "3d1219c7c4c5404aaa1f6d2a48adfda4",
        "4C4C4544-0038-3510-8052-B4C04F4E4D32",
        "Intel Xeon Gold 6338 | 32",
        [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10],
    )
}

/// The builder for the test installation, with a supplied machine fingerprint.
pub fn builder() -> VerifierBuilder {
    builder_for_release(build_date())
}

/// The same installation running a release built on `build`.
pub fn builder_for_release(build: Date) -> VerifierBuilder {
    Verifier::builder(keys(), PRODUCT, build)
        .licensee(LICENSEE)
        .database(DATABASE)
        .modules(MODULES)
        .machine_fingerprint(server())
}

/// The test installation without a state file.
pub fn verifier() -> Verifier {
    builder().build().unwrap()
}

/// The test installation with its state file at `path`.
pub fn verifier_with_state(path: &Path) -> Verifier {
    builder().state_file(path, SECRET).build().unwrap()
}

/// A signed revocation list.
pub fn revocation_list(sequence: u64, issued: Date, expires: Date, entries: &[RevocationEntry]) -> Vec<u8> {
    sign_revocation_list(PRODUCT, sequence, issued, expires, entries, &vendor()).unwrap()
}
