//! Fixtures shared by the integration tests and the golden-vector generator
//! (`examples/gen_vectors.rs` includes this file), so both describe the same licenses.
#![allow(dead_code, missing_docs)]

use license_core::ed25519_dalek::SigningKey;
use license_core::*;

pub mod vector_case;

/// The fixed seed key of the golden vectors. Never use it for anything real.
pub const SEED: [u8; 32] = [7; 32];
/// A second key, for "signed by someone else" cases.
pub const OTHER_SEED: [u8; 32] = [9; 32];

pub const PRODUCT: &str = "demo-erp";
pub const LICENSEE: &str = "ACME Corp";
pub const DATABASE: &str = "DB-7F3A-22C1";

/// Raw component values of the reference machine, as a collector would read them.
pub const MACHINE_OS_ID: &str = "6f1b2c3d4e5f40718293a4b5c6d7e8f9";
pub const MACHINE_HW_UUID: &str = "4C4C4544-0038-3510-8052-B4C04F4E4D32";
pub const MACHINE_CPU: &str = "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz | 20";
pub const MACHINE_MAC: [u8; 6] = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x5c];

pub fn key() -> SigningKey {
    SigningKey::from_bytes(&SEED)
}

pub fn public_keys() -> [PublicKey; 1] {
    [PublicKey::from(key().verifying_key())]
}

pub fn day(y: u16, m: u8, d: u8) -> Date {
    Date::from_ymd(y, m, d).expect("valid fixture date")
}

/// The reference machine's fingerprint, digests keyed with the product id.
pub fn reference_machine() -> MachineFingerprint {
    machine(MACHINE_OS_ID, MACHINE_HW_UUID, MACHINE_CPU, MACHINE_MAC)
}

pub fn machine(os: &str, hw: &str, cpu: &str, mac: [u8; 6]) -> MachineFingerprint {
    let key = PRODUCT.as_bytes();
    let mut m = MachineFingerprint::unknown();
    for (c, raw) in [
        (Component::OsInstallId, os),
        (Component::HardwareUuid, hw),
        (Component::Cpu, cpu),
    ] {
        if let Some(d) = component_digest(key, c, raw) {
            m.add(c, d);
        }
    }
    if let Some(d) = mac_digest(key, mac) {
        m.add(Component::Network, d);
    }
    m
}

/// The `reference` case: a 12-month Expert subscription for "ACME Corp", 25 named users,
/// 10 concurrent seats, demo mode of 2 seats, modules crm, budget, planning and bi, 14
/// grace days, maintenance for the same 12 months, bound to a 4-component fingerprint
/// (format 2: 16-bit digests, tolerance 1).
pub fn reference() -> License {
    License {
        binding: Binding::machine(reference_machine().binding(1).expect("4 components")),
        ..reference_v1()
    }
}

/// The `reference` case of format 1 (one-byte digests), as `v1.json` records it.
pub fn reference_v1() -> License {
    let start = day(2026, 11, 22);
    let end = day(2027, 11, 22);
    License {
        license_id: 1001,
        revision: 1,
        kind: Kind::Subscription,
        line: ProductLine::new(1).expect("expert"),
        named_users: Some(25),
        concurrent_seats: Some(10),
        demo_seats: 2,
        modules: ModuleSet::first(4),
        issued: start,
        valid_from: start,
        expires: Some(end),
        grace_days: 14,
        maintenance_ends: Some(end),
        binding: Binding::machine(reference_machine().binding_v1(1).expect("4 components")),
        interim: false,
    }
}

pub fn reference_context<'a>(machine: &'a MachineFingerprint) -> Context<'a> {
    Context::new(PRODUCT, LICENSEE).with_machine(machine)
}

pub fn reference_code() -> LicenseCode {
    let m = reference_machine();
    sign(&reference(), &reference_context(&m), &key()).expect("reference signs")
}

pub fn reference_code_v1() -> LicenseCode {
    let m = reference_machine();
    sign_as(Format::V1, &reference_v1(), &reference_context(&m), &key()).expect("reference signs")
}

/// A stable name for each error, as written in the golden vectors.
pub fn error_name(e: &Error) -> &'static str {
    match e {
        Error::Empty => "empty",
        Error::TooShort => "too-short",
        Error::TooLong { .. } => "too-long",
        Error::InvalidCharacter { .. } => "invalid-character",
        Error::Typo { .. } => "typo",
        Error::TypoUnlocated => "typo-unlocated",
        Error::NotALicenseCode => "not-a-license-code",
        Error::UnsupportedVersion { .. } => "unsupported-version",
        Error::Malformed(_) => "malformed",
        Error::NonCanonical => "non-canonical",
        Error::UnknownKey { .. } => "unknown-key",
        Error::WrongProduct => "wrong-product",
        Error::WrongLicensee => "wrong-licensee",
        Error::WrongDatabase => "wrong-database",
        Error::DatabaseCodeRequired => "database-code-required",
        Error::MachineFingerprintRequired => "machine-fingerprint-required",
        Error::WrongMachine(_) => "wrong-machine",
        Error::BadSignature => "bad-signature",
        Error::InvalidKey => "invalid-key",
        Error::ContextTooLong { .. } => "context-too-long",
        Error::InvalidLicense(_) => "invalid-license",
        Error::InvalidDate => "invalid-date",
        Error::InvalidRevocationList(_) => "invalid-revocation-list",
        Error::RevocationListUnknownKey { .. } => "revocation-list-unknown-key",
        Error::RevocationListBadSignature => "revocation-list-bad-signature",
        _ => "other",
    }
}

/// Re-encode raw code bytes as text with a valid typo check: what a forger would do.
pub fn text_of(bytes: &[u8]) -> String {
    // Any valid code text decodes back to its bytes; build one through a code of the
    // same bytes by going through the public API: UntrustedCode only exists for valid
    // payloads, so write the text form directly with the documented algorithm.
    let mut symbols: Vec<u8> = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            symbols.push(((acc >> bits) & 31) as u8);
        }
    }
    if bits > 0 {
        symbols.push(((acc << (5 - bits)) & 31) as u8);
    }
    let mut crc: u32 = 0xC_4943;
    for &s in &symbols {
        for b in (0..5).rev() {
            let feedback = ((crc >> 19) ^ (u32::from(s) >> b)) & 1;
            crc = (crc << 1) & 0xF_FFFF;
            if feedback != 0 {
                crc ^= 0x0_2265B;
            }
        }
    }
    crc ^= 0xF_FFFF;
    for i in (0..4).rev() {
        symbols.push(((crc >> (5 * i)) & 31) as u8);
    }
    symbols
        .iter()
        .map(|&s| char::from(ALPHABET[usize::from(s)]))
        .collect()
}

/// Raw values of the format-2 components the reference machine does not have, for the
/// VM cases: a root file system id (`statvfs` f_fsid as 16 hex digits) and a board serial.
pub const MACHINE_ROOT_FS: &str = "805968db17d02ac4";
pub const MACHINE_BOARD_SERIAL: &str = "PF2ABCDE";

/// A machine from raw values of all six components (empty = unreadable; an all-zero MAC
/// = no stable adapter).
pub fn machine6(
    os: &str,
    hw: &str,
    cpu: &str,
    mac: [u8; 6],
    root_fs: &str,
    board: &str,
) -> MachineFingerprint {
    let key = PRODUCT.as_bytes();
    let mut m = machine(os, hw, cpu, mac);
    for (c, raw) in [
        (Component::RootFileSystem, root_fs),
        (Component::BoardSerial, board),
    ] {
        if let Some(d) = component_digest(key, c, raw) {
            m.add(c, d);
        }
    }
    m
}
