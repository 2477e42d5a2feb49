//! Result codes: one stable number per failure, and the message for each.

use std::borrow::Cow;

/// What a call did. `LIC_RESULT_OK` (0) is success; every other value is a failure.
///
/// The numbers are part of the ABI: they never change and are never reused. New codes
/// get new numbers, so a caller must treat a code it does not know as a failure (every
/// code other than `LIC_RESULT_OK` is one). Ranges: 1-99 calling errors, 100-199 the
/// license code and the vendor key, 200-299 the installation's state, clock, files and
/// revocation lists, 300-399 the seat pool.
///
/// `lic_result_message` gives a fixed English sentence for each code;
/// `lic_last_error_message` gives the full message of the last failure on the calling
/// thread (with details such as the group holding a typo).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum lic_result {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// A text argument is not valid UTF-8.
    InvalidUtf8 = 2,
    /// The caller's buffer is too small; the length needed was reported.
    BufferTooSmall = 3,
    /// The library panicked (a bug in the library); the call had no effect on its
    /// arguments. Please report it.
    Panic = 4,
    /// An argument is out of range (an unknown enum value, a date that does not exist,
    /// a length too large).
    InvalidArgument = 5,
    /// A module name the verifier's catalog does not list.
    UnknownModule = 6,
    /// A failure this version of the library has no code for; see
    /// `lic_last_error_message`. Not returned by this version: reserved for failures
    /// that later versions of the underlying libraries may add.
    Unknown = 7,
    /// The diagnostic callback cannot be installed: Rust code in this process installed
    /// its own `log` logger first, which receives the library's diagnostics instead.
    DiagnosticsUnavailable = 8,
    /// A text that is not a database code (see `lic_last_error_message`: a typo's group,
    /// an invalid character, or the wrong length).
    DatabaseCodeInvalid = 9,
    /// The operating system's random source failed (no database code can be created).
    RandomUnavailable = 10,

    /// No license code was entered.
    CodeEmpty = 100,
    /// The code is too short: part of it is missing.
    CodeTooShort = 101,
    /// The text is too long for a license code.
    CodeTooLong = 102,
    /// A character no code contains.
    InvalidCharacter = 103,
    /// A typo, located in one group (see `lic_last_error_message`).
    Typo = 104,
    /// Typos, or a missing or extra character.
    TypoUnlocated = 105,
    /// A machine fingerprint was entered where a license code belongs.
    NotALicenseCode = 106,
    /// A format version this library does not know.
    UnsupportedVersion = 107,
    /// Passes the typo check but does not decode.
    Malformed = 108,
    /// Decodes, but not canonically: altered after issue.
    NonCanonical = 109,
    /// Signed with a key the verifier does not know.
    UnknownKey = 110,
    /// A code for another product.
    WrongProduct = 111,
    /// A code for another licensee.
    WrongLicensee = 112,
    /// A code for another database.
    WrongDatabase = 113,
    /// The code is bound to a database but no database code was configured.
    DatabaseCodeRequired = 114,
    /// The code is bound to a machine but no fingerprint was configured. Not returned by
    /// this version: the verifier always has a fingerprint (collected or configured).
    MachineFingerprintRequired = 115,
    /// A code for another machine.
    WrongMachine = 116,
    /// The signature does not verify: altered or forged.
    BadSignature = 117,
    /// A vendor public key that is not a valid Ed25519 key.
    InvalidKey = 118,
    /// A product id, licensee or database code longer than 255 bytes.
    ContextTooLong = 119,
    /// A license scope or machine binding that cannot be encoded.
    InvalidLicense = 120,
    /// A date out of range.
    InvalidDate = 121,
    /// A revocation list that does not decode.
    InvalidRevocationList = 122,
    /// A revocation list signed with a key the verifier does not know.
    RevocationListUnknownKey = 123,
    /// A revocation list whose signature does not verify.
    RevocationListBadSignature = 124,

    /// A reseller's code whose certificate chain was signed with a vendor key the
    /// verifier does not know.
    CertificateUnknownVendorKey = 150,
    /// A reseller's certificate for another product.
    CertificateWrongProduct = 151,
    /// A reseller's certificate whose signature does not verify: altered or forged.
    CertificateBadSignature = 152,
    /// A reseller's code not signed by the reseller its chain certifies.
    NotSignedByReseller = 153,
    /// A reseller's certificate the vendor revoked.
    CertificateRevoked = 154,
    /// A sub-reseller's certificate wider than its issuer's.
    CertificateWidening = 155,
    /// A reseller's code outside its reseller's frame (see `lic_last_error_message` for
    /// the limit and the reseller).
    OutsideFrame = 156,

    /// A higher revision of this license was seen: this code was replaced.
    Superseded = 200,
    /// The vendor revoked this code.
    Revoked = 201,
    /// The system clock is behind a time already seen.
    ClockTurnedBack = 202,
    /// The state file is damaged or was modified.
    StateCorrupt = 203,
    /// The state file cannot be read.
    StateUnreadable = 204,
    /// The state file cannot be written.
    StateUnwritable = 205,
    /// A revocation list older than the installed one.
    RevocationListRollback = 206,
    /// A revocation list with the installed list's number but other contents.
    RevocationListConflict = 207,
    /// A revocation list that expired before it was installed.
    RevocationListExpired = 208,
    /// A file could not be read.
    Io = 209,
    /// A license code file that is not text.
    NotText = 210,
    /// The verifier's configuration is incomplete or inconsistent.
    Config = 211,
    /// The state file belongs to another installation of this product (copied here).
    StateForeign = 212,
    /// The system clock is before the day the code or list was issued.
    ClockBeforeIssue = 213,

    /// Every concurrent seat is held by a live lease.
    NoSeatAvailable = 300,
    /// A heartbeat for a seat whose lease expired or was released: log in again.
    SeatLeaseLost = 301,
    /// The seat server cannot be reached (network, timeout). A seat already held stays
    /// valid until its lease expires (`lic_seat_client_heartbeat` reports that as success).
    SeatServerUnreachable = 302,
    /// The seat server refused the request (see `lic_last_error_message`).
    SeatServerRefused = 303,
    /// The seat server's answer is not its API: the URL points elsewhere.
    SeatServerBadResponse = 304,
    /// A lease token that is malformed, forged or altered, or for another holder or product.
    SeatTokenInvalid = 305,
    /// A lease token that has expired.
    SeatTokenExpired = 306,
    /// A lease signed by a seat server the vendor did not license.
    SeatServerUnlicensed = 307,
    /// No seat is held by this client.
    SeatNoLease = 308,
}

/// Every code, in numeric order.
const ALL: [lic_result; 66] = [
    lic_result::Ok,
    lic_result::NullArgument,
    lic_result::InvalidUtf8,
    lic_result::BufferTooSmall,
    lic_result::Panic,
    lic_result::InvalidArgument,
    lic_result::UnknownModule,
    lic_result::Unknown,
    lic_result::DiagnosticsUnavailable,
    lic_result::DatabaseCodeInvalid,
    lic_result::RandomUnavailable,
    lic_result::CodeEmpty,
    lic_result::CodeTooShort,
    lic_result::CodeTooLong,
    lic_result::InvalidCharacter,
    lic_result::Typo,
    lic_result::TypoUnlocated,
    lic_result::NotALicenseCode,
    lic_result::UnsupportedVersion,
    lic_result::Malformed,
    lic_result::NonCanonical,
    lic_result::UnknownKey,
    lic_result::WrongProduct,
    lic_result::WrongLicensee,
    lic_result::WrongDatabase,
    lic_result::DatabaseCodeRequired,
    lic_result::MachineFingerprintRequired,
    lic_result::WrongMachine,
    lic_result::BadSignature,
    lic_result::InvalidKey,
    lic_result::ContextTooLong,
    lic_result::InvalidLicense,
    lic_result::InvalidDate,
    lic_result::InvalidRevocationList,
    lic_result::RevocationListUnknownKey,
    lic_result::RevocationListBadSignature,
    lic_result::CertificateUnknownVendorKey,
    lic_result::CertificateWrongProduct,
    lic_result::CertificateBadSignature,
    lic_result::NotSignedByReseller,
    lic_result::CertificateRevoked,
    lic_result::CertificateWidening,
    lic_result::OutsideFrame,
    lic_result::Superseded,
    lic_result::Revoked,
    lic_result::ClockTurnedBack,
    lic_result::StateCorrupt,
    lic_result::StateUnreadable,
    lic_result::StateUnwritable,
    lic_result::RevocationListRollback,
    lic_result::RevocationListConflict,
    lic_result::RevocationListExpired,
    lic_result::Io,
    lic_result::NotText,
    lic_result::Config,
    lic_result::StateForeign,
    lic_result::ClockBeforeIssue,
    lic_result::NoSeatAvailable,
    lic_result::SeatLeaseLost,
    lic_result::SeatServerUnreachable,
    lic_result::SeatServerRefused,
    lic_result::SeatServerBadResponse,
    lic_result::SeatTokenInvalid,
    lic_result::SeatTokenExpired,
    lic_result::SeatServerUnlicensed,
    lic_result::SeatNoLease,
];

impl lic_result {
    /// The code with this number, if there is one.
    pub fn from_u32(n: u32) -> Option<lic_result> {
        ALL.into_iter().find(|r| *r as u32 == n)
    }

    /// The code's C name as a NUL-terminated string ("LIC_RESULT_TYPO"), for logs.
    pub const fn name_nul(self) -> &'static str {
        match self {
            lic_result::Ok => "LIC_RESULT_OK\0",
            lic_result::NullArgument => "LIC_RESULT_NULL_ARGUMENT\0",
            lic_result::InvalidUtf8 => "LIC_RESULT_INVALID_UTF8\0",
            lic_result::BufferTooSmall => "LIC_RESULT_BUFFER_TOO_SMALL\0",
            lic_result::Panic => "LIC_RESULT_PANIC\0",
            lic_result::InvalidArgument => "LIC_RESULT_INVALID_ARGUMENT\0",
            lic_result::UnknownModule => "LIC_RESULT_UNKNOWN_MODULE\0",
            lic_result::Unknown => "LIC_RESULT_UNKNOWN\0",
            lic_result::DiagnosticsUnavailable => "LIC_RESULT_DIAGNOSTICS_UNAVAILABLE\0",
            lic_result::DatabaseCodeInvalid => "LIC_RESULT_DATABASE_CODE_INVALID\0",
            lic_result::RandomUnavailable => "LIC_RESULT_RANDOM_UNAVAILABLE\0",
            lic_result::CodeEmpty => "LIC_RESULT_CODE_EMPTY\0",
            lic_result::CodeTooShort => "LIC_RESULT_CODE_TOO_SHORT\0",
            lic_result::CodeTooLong => "LIC_RESULT_CODE_TOO_LONG\0",
            lic_result::InvalidCharacter => "LIC_RESULT_INVALID_CHARACTER\0",
            lic_result::Typo => "LIC_RESULT_TYPO\0",
            lic_result::TypoUnlocated => "LIC_RESULT_TYPO_UNLOCATED\0",
            lic_result::NotALicenseCode => "LIC_RESULT_NOT_A_LICENSE_CODE\0",
            lic_result::UnsupportedVersion => "LIC_RESULT_UNSUPPORTED_VERSION\0",
            lic_result::Malformed => "LIC_RESULT_MALFORMED\0",
            lic_result::NonCanonical => "LIC_RESULT_NON_CANONICAL\0",
            lic_result::UnknownKey => "LIC_RESULT_UNKNOWN_KEY\0",
            lic_result::WrongProduct => "LIC_RESULT_WRONG_PRODUCT\0",
            lic_result::WrongLicensee => "LIC_RESULT_WRONG_LICENSEE\0",
            lic_result::WrongDatabase => "LIC_RESULT_WRONG_DATABASE\0",
            lic_result::DatabaseCodeRequired => "LIC_RESULT_DATABASE_CODE_REQUIRED\0",
            lic_result::MachineFingerprintRequired => "LIC_RESULT_MACHINE_FINGERPRINT_REQUIRED\0",
            lic_result::WrongMachine => "LIC_RESULT_WRONG_MACHINE\0",
            lic_result::BadSignature => "LIC_RESULT_BAD_SIGNATURE\0",
            lic_result::InvalidKey => "LIC_RESULT_INVALID_KEY\0",
            lic_result::ContextTooLong => "LIC_RESULT_CONTEXT_TOO_LONG\0",
            lic_result::InvalidLicense => "LIC_RESULT_INVALID_LICENSE\0",
            lic_result::InvalidDate => "LIC_RESULT_INVALID_DATE\0",
            lic_result::InvalidRevocationList => "LIC_RESULT_INVALID_REVOCATION_LIST\0",
            lic_result::RevocationListUnknownKey => "LIC_RESULT_REVOCATION_LIST_UNKNOWN_KEY\0",
            lic_result::RevocationListBadSignature => "LIC_RESULT_REVOCATION_LIST_BAD_SIGNATURE\0",
            lic_result::CertificateUnknownVendorKey => "LIC_RESULT_CERTIFICATE_UNKNOWN_VENDOR_KEY\0",
            lic_result::CertificateWrongProduct => "LIC_RESULT_CERTIFICATE_WRONG_PRODUCT\0",
            lic_result::CertificateBadSignature => "LIC_RESULT_CERTIFICATE_BAD_SIGNATURE\0",
            lic_result::NotSignedByReseller => "LIC_RESULT_NOT_SIGNED_BY_RESELLER\0",
            lic_result::CertificateRevoked => "LIC_RESULT_CERTIFICATE_REVOKED\0",
            lic_result::CertificateWidening => "LIC_RESULT_CERTIFICATE_WIDENING\0",
            lic_result::OutsideFrame => "LIC_RESULT_OUTSIDE_FRAME\0",
            lic_result::Superseded => "LIC_RESULT_SUPERSEDED\0",
            lic_result::Revoked => "LIC_RESULT_REVOKED\0",
            lic_result::ClockTurnedBack => "LIC_RESULT_CLOCK_TURNED_BACK\0",
            lic_result::StateCorrupt => "LIC_RESULT_STATE_CORRUPT\0",
            lic_result::StateUnreadable => "LIC_RESULT_STATE_UNREADABLE\0",
            lic_result::StateUnwritable => "LIC_RESULT_STATE_UNWRITABLE\0",
            lic_result::RevocationListRollback => "LIC_RESULT_REVOCATION_LIST_ROLLBACK\0",
            lic_result::RevocationListConflict => "LIC_RESULT_REVOCATION_LIST_CONFLICT\0",
            lic_result::RevocationListExpired => "LIC_RESULT_REVOCATION_LIST_EXPIRED\0",
            lic_result::Io => "LIC_RESULT_IO\0",
            lic_result::NotText => "LIC_RESULT_NOT_TEXT\0",
            lic_result::Config => "LIC_RESULT_CONFIG\0",
            lic_result::StateForeign => "LIC_RESULT_STATE_FOREIGN\0",
            lic_result::ClockBeforeIssue => "LIC_RESULT_CLOCK_BEFORE_ISSUE\0",
            lic_result::NoSeatAvailable => "LIC_RESULT_NO_SEAT_AVAILABLE\0",
            lic_result::SeatLeaseLost => "LIC_RESULT_SEAT_LEASE_LOST\0",
            lic_result::SeatServerUnreachable => "LIC_RESULT_SEAT_SERVER_UNREACHABLE\0",
            lic_result::SeatServerRefused => "LIC_RESULT_SEAT_SERVER_REFUSED\0",
            lic_result::SeatServerBadResponse => "LIC_RESULT_SEAT_SERVER_BAD_RESPONSE\0",
            lic_result::SeatTokenInvalid => "LIC_RESULT_SEAT_TOKEN_INVALID\0",
            lic_result::SeatTokenExpired => "LIC_RESULT_SEAT_TOKEN_EXPIRED\0",
            lic_result::SeatServerUnlicensed => "LIC_RESULT_SEAT_SERVER_UNLICENSED\0",
            lic_result::SeatNoLease => "LIC_RESULT_SEAT_NO_LEASE\0",
        }
    }

    /// The fixed message for this code.
    pub const fn message(self) -> &'static str {
        match self {
            lic_result::Ok => "success",
            lic_result::NullArgument => "a required pointer argument was NULL",
            lic_result::InvalidUtf8 => "a text argument is not valid UTF-8",
            lic_result::BufferTooSmall => "the buffer is too small: retry with the length reported",
            lic_result::Panic => {
                "internal error in the license library (a panic was caught): please report it"
            }
            lic_result::InvalidArgument => "an argument is out of range",
            lic_result::UnknownModule => {
                "this module name is not in the product catalog given to the verifier"
            }
            lic_result::Unknown => "the license library failed for a reason this version has no code for",
            lic_result::DiagnosticsUnavailable => {
                "another logger is installed in this process: the license library's diagnostics go to it"
            }
            lic_result::DatabaseCodeInvalid => {
                "this is not a database code: compare it with the code shown in the license dialog"
            }
            lic_result::RandomUnavailable => {
                "the operating system's random source failed: no database code can be created"
            }
            lic_result::CodeEmpty => "no license code was entered: paste the whole code",
            lic_result::CodeTooShort => "the license code is too short: part of it is missing",
            lic_result::CodeTooLong => "the text is too long for a license code: paste only the code",
            lic_result::InvalidCharacter => "the license code contains a character no code contains",
            lic_result::Typo => "typo in the license code: compare the group named in the detailed message",
            lic_result::TypoUnlocated => {
                "the license code has typos, or a character is missing or extra: compare it with the original"
            }
            lic_result::NotALicenseCode => {
                "this is a machine fingerprint, not a license code: send it to the vendor"
            }
            lic_result::UnsupportedVersion => {
                "the license code has a format version this software does not support: update the software"
            }
            lic_result::Malformed => "the license code is malformed: ask the vendor for a new code",
            lic_result::NonCanonical => "the license code was altered: ask the vendor for a new code",
            lic_result::UnknownKey => "the license code was signed with a key this software does not know",
            lic_result::WrongProduct => "the license code is for another product",
            lic_result::WrongLicensee => "the licensee name does not match the license code",
            lic_result::WrongDatabase => "the license code was issued for another database",
            lic_result::DatabaseCodeRequired => {
                "the license code is bound to a database, but no database code is configured"
            }
            lic_result::MachineFingerprintRequired => {
                "the license code is bound to a machine, but no machine fingerprint is configured"
            }
            lic_result::WrongMachine => "the license code was issued for another machine",
            lic_result::BadSignature => "the license code is not signed by this vendor: altered or forged",
            lic_result::InvalidKey => "the vendor public key is invalid",
            lic_result::ContextTooLong => {
                "the product id, licensee name or database code is longer than 255 bytes"
            }
            lic_result::InvalidLicense => "the license or machine binding cannot be encoded",
            lic_result::InvalidDate => "invalid date: use a day between 1970-01-01 and 9999-12-31",
            lic_result::InvalidRevocationList => {
                "the revocation list is invalid: get it from the vendor again"
            }
            lic_result::RevocationListUnknownKey => {
                "the revocation list was signed with a key this software does not know"
            }
            lic_result::RevocationListBadSignature => {
                "the revocation list is not signed by this vendor: altered or forged"
            }
            lic_result::CertificateUnknownVendorKey => {
                "the reseller's certificate was signed with a key this software does not know"
            }
            lic_result::CertificateWrongProduct => "the reseller's certificate is for another product",
            lic_result::CertificateBadSignature => {
                "the reseller's certificate is not signed by its issuer: altered or forged"
            }
            lic_result::NotSignedByReseller => {
                "the license code is not signed by the reseller its certificate names: altered or forged"
            }
            lic_result::CertificateRevoked => "the reseller's certificate has been revoked by the vendor",
            lic_result::CertificateWidening => {
                "a sub-reseller's certificate is wider than its issuer's: ask the vendor for a new code"
            }
            lic_result::OutsideFrame => "the license is outside the frame of the reseller that issued it",
            lic_result::Superseded => "this license code was replaced by a newer one: enter the newest code",
            lic_result::Revoked => "this license code has been revoked by the vendor",
            lic_result::ClockTurnedBack => {
                "the system clock is behind a time already seen: set the correct date and time"
            }
            lic_result::StateCorrupt => "the license state file is damaged or was modified",
            lic_result::StateUnreadable => "the license state file cannot be read",
            lic_result::StateUnwritable => "the license state file cannot be written",
            lic_result::RevocationListRollback => {
                "this revocation list is older than the one already installed"
            }
            lic_result::RevocationListConflict => {
                "this revocation list differs from the installed list with the same number"
            }
            lic_result::RevocationListExpired => "this revocation list has expired: get a current one",
            lic_result::Io => "a file could not be read: check the path and permissions",
            lic_result::NotText => "the file does not contain a license code as text",
            lic_result::Config => "the license verifier is misconfigured",
            lic_result::StateForeign => {
                "the license state file belongs to another installation: restore this installation's own file"
            }
            lic_result::ClockBeforeIssue => {
                "the system clock is before the day the license code was issued: set the correct date and time"
            }
            lic_result::NoSeatAvailable => "all licensed seats are in use: wait until a user logs out",
            lic_result::SeatLeaseLost => {
                "this session's seat was released or its lease expired: log in again"
            }
            lic_result::SeatServerUnreachable => {
                "the seat server cannot be reached: check its address and the network; a held seat lasts until its lease expires"
            }
            lic_result::SeatServerRefused => "the seat server refused the request",
            lic_result::SeatServerBadResponse => {
                "the seat server's answer is not understood: check that the URL points to license-server"
            }
            lic_result::SeatTokenInvalid => {
                "the lease token is malformed, forged, or for another holder or product"
            }
            lic_result::SeatTokenExpired => "the lease token has expired: acquire a seat again",
            lic_result::SeatServerUnlicensed => {
                "the lease was signed by a seat server the vendor did not license: use the licensed server"
            }
            lic_result::SeatNoLease => "no seat is held: acquire one first",
        }
    }
}

/// A failed call: its code and the full message for `lic_last_error_message`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: lic_result,
    pub(crate) message: Cow<'static, str>,
}

impl Failure {
    /// A failure with its own message.
    pub(crate) fn with_message(code: lic_result, message: impl Into<Cow<'static, str>>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }

    /// A NULL pointer argument, named.
    pub(crate) fn null(name: &'static str) -> Failure {
        Failure::with_message(
            lic_result::NullArgument,
            format!("the pointer argument `{name}` was NULL"),
        )
    }

    /// An argument out of range, explained.
    pub(crate) fn invalid(message: impl Into<Cow<'static, str>>) -> Failure {
        Failure::with_message(lic_result::InvalidArgument, message)
    }
}

/// The code for a `license-core` error: one code per variant.
pub(crate) fn core_code(e: &license_core::Error) -> lic_result {
    use license_core::Error as E;
    match e {
        E::Empty => lic_result::CodeEmpty,
        E::TooShort => lic_result::CodeTooShort,
        E::TooLong { .. } => lic_result::CodeTooLong,
        E::InvalidCharacter { .. } => lic_result::InvalidCharacter,
        E::Typo { .. } => lic_result::Typo,
        E::TypoUnlocated => lic_result::TypoUnlocated,
        E::NotALicenseCode => lic_result::NotALicenseCode,
        E::UnsupportedVersion { .. } => lic_result::UnsupportedVersion,
        E::Malformed(_) => lic_result::Malformed,
        E::NonCanonical => lic_result::NonCanonical,
        E::UnknownKey { .. } => lic_result::UnknownKey,
        E::WrongProduct => lic_result::WrongProduct,
        E::WrongLicensee => lic_result::WrongLicensee,
        E::WrongDatabase => lic_result::WrongDatabase,
        E::DatabaseCodeRequired => lic_result::DatabaseCodeRequired,
        E::MachineFingerprintRequired => lic_result::MachineFingerprintRequired,
        E::WrongMachine(_) => lic_result::WrongMachine,
        E::BadSignature => lic_result::BadSignature,
        E::InvalidKey => lic_result::InvalidKey,
        E::ContextTooLong { .. } => lic_result::ContextTooLong,
        E::InvalidLicense(_) => lic_result::InvalidLicense,
        E::InvalidDate => lic_result::InvalidDate,
        E::InvalidRevocationList(_) => lic_result::InvalidRevocationList,
        E::RevocationListUnknownKey { .. } => lic_result::RevocationListUnknownKey,
        E::RevocationListBadSignature => lic_result::RevocationListBadSignature,
        E::Delegation(d) => delegation_code(d),
        // A variant added to license-core after this version: still a failure.
        _ => lic_result::Unknown,
    }
}

fn delegation_code(e: &license_core::DelegationError) -> lic_result {
    use license_core::DelegationError as D;
    match e {
        D::UnknownVendorKey { .. } => lic_result::CertificateUnknownVendorKey,
        D::WrongProduct { .. } => lic_result::CertificateWrongProduct,
        D::BadCertificateSignature { .. } => lic_result::CertificateBadSignature,
        D::NotSignedByReseller { .. } => lic_result::NotSignedByReseller,
        D::Revoked { .. } | D::SubResellerRevoked { .. } => lic_result::CertificateRevoked,
        D::Widening { .. } => lic_result::CertificateWidening,
        D::OutsideFrame { .. } => lic_result::OutsideFrame,
        // Issuer-side errors and variants added later.
        _ => lic_result::Unknown,
    }
}

impl From<license_core::Error> for Failure {
    fn from(e: license_core::Error) -> Failure {
        Failure::with_message(core_code(&e), e.to_string())
    }
}

/// The code for a `license-verify` error: one code per variant.
pub(crate) fn verify_code(e: &license_verify::Error) -> lic_result {
    use license_verify::Error as E;
    match e {
        E::Code(c) => core_code(c),
        E::ModuleOutsideFrame { .. } => lic_result::OutsideFrame,
        E::Superseded { .. } => lic_result::Superseded,
        E::Revoked { .. } => lic_result::Revoked,
        E::ClockTurnedBack { .. } | E::ClockBehindSeatServer { .. } => lic_result::ClockTurnedBack,
        E::StateCorrupt { .. } => lic_result::StateCorrupt,
        E::StateUnreadable { .. } => lic_result::StateUnreadable,
        E::StateUnwritable { .. } => lic_result::StateUnwritable,
        E::RevocationListRollback { .. } => lic_result::RevocationListRollback,
        E::RevocationListConflict { .. } => lic_result::RevocationListConflict,
        E::RevocationListExpired { .. } => lic_result::RevocationListExpired,
        E::Io { .. } => lic_result::Io,
        E::NotText { .. } => lic_result::NotText,
        E::NoSeatAvailable { .. } => lic_result::NoSeatAvailable,
        E::SeatLeaseLost => lic_result::SeatLeaseLost,
        E::Config(_) => lic_result::Config,
        E::StateForeign { .. } => lic_result::StateForeign,
        E::ClockBeforeIssue { .. } => lic_result::ClockBeforeIssue,
        // A variant added to license-verify after this version: still a failure.
        _ => lic_result::Unknown,
    }
}

impl From<license_verify::Error> for Failure {
    fn from(e: license_verify::Error) -> Failure {
        Failure::with_message(verify_code(&e), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn numbers_are_unique_and_round_trip() {
        let mut seen = HashSet::new();
        for r in ALL {
            assert!(seen.insert(r as u32), "{r:?} reuses a number");
            assert_eq!(lic_result::from_u32(r as u32), Some(r));
            assert!(!r.message().is_empty());
        }
        assert_eq!(lic_result::from_u32(11), None);
        assert_eq!(lic_result::from_u32(u32::MAX), None);
    }

    #[test]
    fn numbers_are_pinned() {
        // The ABI: these never change.
        let pinned = [
            (lic_result::Ok, 0),
            (lic_result::NullArgument, 1),
            (lic_result::Panic, 4),
            (lic_result::Unknown, 7),
            (lic_result::DiagnosticsUnavailable, 8),
            (lic_result::DatabaseCodeInvalid, 9),
            (lic_result::RandomUnavailable, 10),
            (lic_result::CodeEmpty, 100),
            (lic_result::Typo, 104),
            (lic_result::BadSignature, 117),
            (lic_result::RevocationListBadSignature, 124),
            (lic_result::Superseded, 200),
            (lic_result::Config, 211),
            (lic_result::NoSeatAvailable, 300),
            (lic_result::SeatLeaseLost, 301),
            (lic_result::SeatServerUnreachable, 302),
            (lic_result::SeatNoLease, 308),
        ];
        for (r, n) in pinned {
            assert_eq!(r as u32, n, "{r:?}");
        }
    }

    #[test]
    fn every_core_error_has_its_own_code() {
        use license_core::{ComponentSet, Error as E, MachineMatch};
        let m = MachineMatch {
            matched: ComponentSet::EMPTY,
            changed: ComponentSet::ALL,
            unknown: ComponentSet::EMPTY,
            tolerated: ComponentSet::EMPTY,
            tolerance: 0,
            required: 2,
            unreadable_counts: true,
        };
        let all = [
            E::Empty,
            E::TooShort,
            E::TooLong { max: 1 },
            E::InvalidCharacter {
                character: 'U',
                position: 0,
                group: 1,
            },
            E::Typo { group: 1 },
            E::TypoUnlocated,
            E::NotALicenseCode,
            E::UnsupportedVersion { version: 2 },
            E::Malformed("x"),
            E::NonCanonical,
            E::UnknownKey { key_id: 1 },
            E::WrongProduct,
            E::WrongLicensee,
            E::WrongDatabase,
            E::DatabaseCodeRequired,
            E::MachineFingerprintRequired,
            E::WrongMachine(m),
            E::BadSignature,
            E::InvalidKey,
            E::ContextTooLong { max: 255 },
            E::InvalidLicense("x"),
            E::InvalidDate,
            E::InvalidRevocationList("x"),
            E::RevocationListUnknownKey { key_id: 1 },
            E::RevocationListBadSignature,
        ];
        let codes: HashSet<u32> = all.iter().map(|e| core_code(e) as u32).collect();
        assert_eq!(codes.len(), all.len());
        assert!(!codes.contains(&(lic_result::Unknown as u32)));
        let f = Failure::from(license_verify::Error::from(E::Typo { group: 7 }));
        assert_eq!(f.code, lic_result::Typo);
        assert!(f.message.contains("group 7"), "{}", f.message);
    }

    #[test]
    fn every_verify_error_has_its_own_code() {
        use license_verify::{Error as E, Utc};
        use std::io;
        use std::path::PathBuf;
        let p = || PathBuf::from("/x");
        let io = || io::Error::other("x");
        let day = license_core::Date::CODE_EPOCH;
        let all = [
            E::Code(license_core::Error::BadSignature),
            E::Superseded {
                license_id: 1,
                revision: 1,
                current: 2,
                since: None,
            },
            E::Revoked {
                license_id: 1,
                revision: 1,
                list_sequence: 1,
            },
            E::ClockTurnedBack {
                now: Utc(0),
                seen: Utc(1),
            },
            E::StateCorrupt {
                path: p(),
                reason: "x",
            },
            E::StateForeign { path: p() },
            E::ClockBeforeIssue {
                now: Utc(0),
                issued: day,
                what: "license code",
            },
            E::StateUnreadable {
                path: p(),
                source: io(),
            },
            E::StateUnwritable {
                path: p(),
                source: io(),
            },
            E::RevocationListRollback {
                sequence: 1,
                installed: 2,
            },
            E::RevocationListConflict { sequence: 1 },
            E::RevocationListExpired { expires: day },
            E::Io {
                path: p(),
                source: io(),
            },
            E::NotText { path: p() },
            E::NoSeatAvailable { in_use: 1, limit: 1 },
            E::SeatLeaseLost,
            E::Config("x"),
        ];
        let codes: HashSet<u32> = all.iter().map(|e| verify_code(e) as u32).collect();
        assert_eq!(codes.len(), all.len());
        assert!(!codes.contains(&(lic_result::Unknown as u32)));
    }
}
