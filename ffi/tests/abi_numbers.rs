//! Every code number of the ABI, pinned: `lic_result` (all 66), `lic_status`, `lic_kind` and
//! `lic_component`, each as the Rust enum says and as the committed header says. Changing a
//! number in the crate fails `*_numbers_are_pinned`, and so does changing it and re-blessing
//! the header (`LIC_BLESS=1`): the tables below are the only place the numbers are written
//! down independently of the crate.

use std::ffi::CStr;

use license_ffi::{lic_component, lic_kind, lic_log_level, lic_result, lic_status};

fn header() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/license_ffi.h");
    std::fs::read_to_string(path).expect("read include/license_ffi.h")
}

/// The header declares exactly the constants of `expected` with this prefix, in this order.
fn assert_header(prefix: &str, expected: &[(&str, u32)]) {
    let declared: Vec<(String, u32)> = header()
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.strip_suffix(',').unwrap_or(line);
            let (name, number) = line.split_once(" = ")?;
            name.starts_with(prefix).then_some(())?;
            Some((name.to_string(), number.parse().ok()?))
        })
        .collect();
    let want: Vec<(String, u32)> = expected.iter().map(|&(n, v)| (n.to_string(), v)).collect();
    assert_eq!(
        declared, want,
        "the header's {prefix}* constants differ from the pinned table"
    );
}

const RESULT: [(lic_result, &str, u32); 66] = [
    (lic_result::Ok, "LIC_RESULT_OK", 0),
    (lic_result::NullArgument, "LIC_RESULT_NULL_ARGUMENT", 1),
    (lic_result::InvalidUtf8, "LIC_RESULT_INVALID_UTF8", 2),
    (lic_result::BufferTooSmall, "LIC_RESULT_BUFFER_TOO_SMALL", 3),
    (lic_result::Panic, "LIC_RESULT_PANIC", 4),
    (lic_result::InvalidArgument, "LIC_RESULT_INVALID_ARGUMENT", 5),
    (lic_result::UnknownModule, "LIC_RESULT_UNKNOWN_MODULE", 6),
    (lic_result::Unknown, "LIC_RESULT_UNKNOWN", 7),
    (
        lic_result::DiagnosticsUnavailable,
        "LIC_RESULT_DIAGNOSTICS_UNAVAILABLE",
        8,
    ),
    (
        lic_result::DatabaseCodeInvalid,
        "LIC_RESULT_DATABASE_CODE_INVALID",
        9,
    ),
    (lic_result::RandomUnavailable, "LIC_RESULT_RANDOM_UNAVAILABLE", 10),
    (lic_result::CodeEmpty, "LIC_RESULT_CODE_EMPTY", 100),
    (lic_result::CodeTooShort, "LIC_RESULT_CODE_TOO_SHORT", 101),
    (lic_result::CodeTooLong, "LIC_RESULT_CODE_TOO_LONG", 102),
    (lic_result::InvalidCharacter, "LIC_RESULT_INVALID_CHARACTER", 103),
    (lic_result::Typo, "LIC_RESULT_TYPO", 104),
    (lic_result::TypoUnlocated, "LIC_RESULT_TYPO_UNLOCATED", 105),
    (lic_result::NotALicenseCode, "LIC_RESULT_NOT_A_LICENSE_CODE", 106),
    (
        lic_result::UnsupportedVersion,
        "LIC_RESULT_UNSUPPORTED_VERSION",
        107,
    ),
    (lic_result::Malformed, "LIC_RESULT_MALFORMED", 108),
    (lic_result::NonCanonical, "LIC_RESULT_NON_CANONICAL", 109),
    (lic_result::UnknownKey, "LIC_RESULT_UNKNOWN_KEY", 110),
    (lic_result::WrongProduct, "LIC_RESULT_WRONG_PRODUCT", 111),
    (lic_result::WrongLicensee, "LIC_RESULT_WRONG_LICENSEE", 112),
    (lic_result::WrongDatabase, "LIC_RESULT_WRONG_DATABASE", 113),
    (
        lic_result::DatabaseCodeRequired,
        "LIC_RESULT_DATABASE_CODE_REQUIRED",
        114,
    ),
    (
        lic_result::MachineFingerprintRequired,
        "LIC_RESULT_MACHINE_FINGERPRINT_REQUIRED",
        115,
    ),
    (lic_result::WrongMachine, "LIC_RESULT_WRONG_MACHINE", 116),
    (lic_result::BadSignature, "LIC_RESULT_BAD_SIGNATURE", 117),
    (lic_result::InvalidKey, "LIC_RESULT_INVALID_KEY", 118),
    (lic_result::ContextTooLong, "LIC_RESULT_CONTEXT_TOO_LONG", 119),
    (lic_result::InvalidLicense, "LIC_RESULT_INVALID_LICENSE", 120),
    (lic_result::InvalidDate, "LIC_RESULT_INVALID_DATE", 121),
    (
        lic_result::InvalidRevocationList,
        "LIC_RESULT_INVALID_REVOCATION_LIST",
        122,
    ),
    (
        lic_result::RevocationListUnknownKey,
        "LIC_RESULT_REVOCATION_LIST_UNKNOWN_KEY",
        123,
    ),
    (
        lic_result::RevocationListBadSignature,
        "LIC_RESULT_REVOCATION_LIST_BAD_SIGNATURE",
        124,
    ),
    (
        lic_result::CertificateUnknownVendorKey,
        "LIC_RESULT_CERTIFICATE_UNKNOWN_VENDOR_KEY",
        150,
    ),
    (
        lic_result::CertificateWrongProduct,
        "LIC_RESULT_CERTIFICATE_WRONG_PRODUCT",
        151,
    ),
    (
        lic_result::CertificateBadSignature,
        "LIC_RESULT_CERTIFICATE_BAD_SIGNATURE",
        152,
    ),
    (
        lic_result::NotSignedByReseller,
        "LIC_RESULT_NOT_SIGNED_BY_RESELLER",
        153,
    ),
    (
        lic_result::CertificateRevoked,
        "LIC_RESULT_CERTIFICATE_REVOKED",
        154,
    ),
    (
        lic_result::CertificateWidening,
        "LIC_RESULT_CERTIFICATE_WIDENING",
        155,
    ),
    (lic_result::OutsideFrame, "LIC_RESULT_OUTSIDE_FRAME", 156),
    (lic_result::Superseded, "LIC_RESULT_SUPERSEDED", 200),
    (lic_result::Revoked, "LIC_RESULT_REVOKED", 201),
    (lic_result::ClockTurnedBack, "LIC_RESULT_CLOCK_TURNED_BACK", 202),
    (lic_result::StateCorrupt, "LIC_RESULT_STATE_CORRUPT", 203),
    (lic_result::StateUnreadable, "LIC_RESULT_STATE_UNREADABLE", 204),
    (lic_result::StateUnwritable, "LIC_RESULT_STATE_UNWRITABLE", 205),
    (
        lic_result::RevocationListRollback,
        "LIC_RESULT_REVOCATION_LIST_ROLLBACK",
        206,
    ),
    (
        lic_result::RevocationListConflict,
        "LIC_RESULT_REVOCATION_LIST_CONFLICT",
        207,
    ),
    (
        lic_result::RevocationListExpired,
        "LIC_RESULT_REVOCATION_LIST_EXPIRED",
        208,
    ),
    (lic_result::Io, "LIC_RESULT_IO", 209),
    (lic_result::NotText, "LIC_RESULT_NOT_TEXT", 210),
    (lic_result::Config, "LIC_RESULT_CONFIG", 211),
    (lic_result::StateForeign, "LIC_RESULT_STATE_FOREIGN", 212),
    (lic_result::ClockBeforeIssue, "LIC_RESULT_CLOCK_BEFORE_ISSUE", 213),
    (lic_result::NoSeatAvailable, "LIC_RESULT_NO_SEAT_AVAILABLE", 300),
    (lic_result::SeatLeaseLost, "LIC_RESULT_SEAT_LEASE_LOST", 301),
    (
        lic_result::SeatServerUnreachable,
        "LIC_RESULT_SEAT_SERVER_UNREACHABLE",
        302,
    ),
    (
        lic_result::SeatServerRefused,
        "LIC_RESULT_SEAT_SERVER_REFUSED",
        303,
    ),
    (
        lic_result::SeatServerBadResponse,
        "LIC_RESULT_SEAT_SERVER_BAD_RESPONSE",
        304,
    ),
    (lic_result::SeatTokenInvalid, "LIC_RESULT_SEAT_TOKEN_INVALID", 305),
    (lic_result::SeatTokenExpired, "LIC_RESULT_SEAT_TOKEN_EXPIRED", 306),
    (
        lic_result::SeatServerUnlicensed,
        "LIC_RESULT_SEAT_SERVER_UNLICENSED",
        307,
    ),
    (lic_result::SeatNoLease, "LIC_RESULT_SEAT_NO_LEASE", 308),
];

const STATUS: [(lic_status, &str, u32); 7] = [
    (lic_status::NotYetValid, "LIC_STATUS_NOT_YET_VALID", 1),
    (lic_status::Valid, "LIC_STATUS_VALID", 2),
    (lic_status::ExpiringSoon, "LIC_STATUS_EXPIRING_SOON", 3),
    (lic_status::InGrace, "LIC_STATUS_IN_GRACE", 4),
    (lic_status::DemoMode, "LIC_STATUS_DEMO_MODE", 5),
    (lic_status::Expired, "LIC_STATUS_EXPIRED", 6),
    (lic_status::Replaced, "LIC_STATUS_REPLACED", 7),
];

const KIND: [(lic_kind, &str, u32); 4] = [
    (lic_kind::Full, "LIC_KIND_FULL", 0),
    (lic_kind::Trial, "LIC_KIND_TRIAL", 1),
    (lic_kind::Subscription, "LIC_KIND_SUBSCRIPTION", 2),
    (lic_kind::Nfr, "LIC_KIND_NFR", 3),
];

const COMPONENT: [(lic_component, &str, u32); 6] = [
    (lic_component::OsInstallId, "LIC_COMPONENT_OS_INSTALL_ID", 0),
    (lic_component::HardwareUuid, "LIC_COMPONENT_HARDWARE_UUID", 1),
    (lic_component::Cpu, "LIC_COMPONENT_CPU", 2),
    (lic_component::Network, "LIC_COMPONENT_NETWORK", 3),
    (lic_component::RootFileSystem, "LIC_COMPONENT_ROOT_FILE_SYSTEM", 4),
    (lic_component::BoardSerial, "LIC_COMPONENT_BOARD_SERIAL", 5),
];

const LOG_LEVEL: [(lic_log_level, &str, u32); 4] = [
    (lic_log_level::Error, "LIC_LOG_LEVEL_ERROR", 1),
    (lic_log_level::Warn, "LIC_LOG_LEVEL_WARN", 2),
    (lic_log_level::Info, "LIC_LOG_LEVEL_INFO", 3),
    (lic_log_level::Debug, "LIC_LOG_LEVEL_DEBUG", 4),
];

#[test]
fn log_level_numbers_are_pinned() {
    for (v, name, n) in LOG_LEVEL {
        assert_eq!(v as u32, n, "{v:?} ({name})");
    }
    let pairs: Vec<(&str, u32)> = LOG_LEVEL.iter().map(|&(_, name, n)| (name, n)).collect();
    assert_header("LIC_LOG_LEVEL_", &pairs);
}

fn name(p: *const std::ffi::c_char) -> Option<String> {
    // SAFETY: the library returns NULL or a static NUL-terminated string.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().expect("UTF-8").to_string())
}

#[test]
fn result_and_status_names_are_the_header_names() {
    for (_, want, n) in RESULT {
        assert_eq!(
            name(license_ffi::lic_result_name(n)).as_deref(),
            Some(want),
            "code {n}"
        );
    }
    for n in [11, 99, 125, 999, u32::MAX] {
        assert_eq!(name(license_ffi::lic_result_name(n)), None, "{n} is no code");
    }
    for (_, want, n) in STATUS {
        assert_eq!(
            name(license_ffi::lic_status_name(n)).as_deref(),
            Some(want),
            "status {n}"
        );
    }
    for n in [0, 8, u32::MAX] {
        assert_eq!(name(license_ffi::lic_status_name(n)), None, "{n} is no status");
    }
}

#[test]
fn result_numbers_are_pinned() {
    for (v, name, n) in RESULT {
        assert_eq!(v as u32, n, "{v:?} ({name})");
    }
    let pairs: Vec<(&str, u32)> = RESULT.iter().map(|&(_, name, n)| (name, n)).collect();
    assert_header("LIC_RESULT_", &pairs);
}

#[test]
fn status_numbers_are_pinned() {
    for (v, name, n) in STATUS {
        assert_eq!(v as u32, n, "{v:?} ({name})");
    }
    let pairs: Vec<(&str, u32)> = STATUS.iter().map(|&(_, name, n)| (name, n)).collect();
    assert_header("LIC_STATUS_", &pairs);
}

#[test]
fn kind_numbers_are_pinned() {
    for (v, name, n) in KIND {
        assert_eq!(v as u32, n, "{v:?} ({name})");
    }
    let pairs: Vec<(&str, u32)> = KIND.iter().map(|&(_, name, n)| (name, n)).collect();
    assert_header("LIC_KIND_", &pairs);
}

#[test]
fn component_numbers_are_pinned() {
    for (v, name, n) in COMPONENT {
        assert_eq!(v as u32, n, "{v:?} ({name})");
    }
    let pairs: Vec<(&str, u32)> = COMPONENT.iter().map(|&(_, name, n)| (name, n)).collect();
    assert_header("LIC_COMPONENT_", &pairs);
}

#[test]
fn every_result_code_is_in_the_table() {
    // A code the library knows has a message (the length is reported with
    // BUFFER_TOO_SMALL); a new code missing from RESULT fails here.
    for n in 0..1000u32 {
        let listed = RESULT.iter().any(|&(_, _, m)| m == n);
        let mut len = 0usize;
        // SAFETY: a NULL buffer with length 0 and a writable `len`.
        let r = unsafe { license_ffi::lic_result_message(n, std::ptr::null_mut(), 0, &mut len) };
        let known = r == lic_result::BufferTooSmall;
        assert!(known || r == lic_result::InvalidArgument, "code {n}: {r:?}");
        assert_eq!(listed, known, "code {n}");
    }
}
