//! The one error type of `license-core`. Every variant says what the user should do.

use crate::delegation_error::DelegationError;
use crate::machine_match::MachineMatch;

/// Why a code, a fingerprint or a license could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Nothing was entered.
    #[error("no license code was entered: paste the whole code")]
    Empty,
    /// Fewer characters than any code has.
    #[error("the license code is too short: part of it is missing; paste the whole code")]
    TooShort,
    /// More characters than any code has.
    #[error("the text is too long for a license code (at most {max} characters): paste only the code")]
    TooLong {
        /// The most characters (without dashes) accepted.
        max: usize,
    },
    /// A character that no code contains.
    // Control characters (a NUL a C caller would cut the message at) are escaped.
    #[error("'{}' in group {group} cannot be part of a license code: check that group", .character.escape_debug())]
    InvalidCharacter {
        /// The character.
        character: char,
        /// Its position in the text as entered (0-based, in characters).
        position: usize,
        /// The 1-based group of five code characters it is in.
        group: usize,
    },
    /// The typo check failed and the typo was located.
    #[error("typo in group {group} of the license code: compare that group with the original")]
    Typo {
        /// The 1-based group of five characters holding the typo.
        group: usize,
    },
    /// The typo check failed; more than one character is wrong, or one is missing or extra.
    #[error("the license code has typos, or a character is missing or extra: compare it with the original")]
    TypoUnlocated,
    /// A machine fingerprint was entered where a license code belongs.
    #[error(
        "this is a machine fingerprint, not a license code: send it to your vendor to get a license code"
    )]
    NotALicenseCode,
    /// A format version this software does not know.
    #[error(
        "the license code has format version {version}, which this software does not support: update the software or ask the vendor for a code of format version 1 or 2"
    )]
    UnsupportedVersion {
        /// The version byte found.
        version: u8,
    },
    /// Passed the typo check but does not decode: not produced by a license issuer.
    #[error(
        "the license code is malformed ({0}): it was not issued by this vendor; ask the vendor for a new code"
    )]
    Malformed(&'static str),
    /// Decodes, but not in the one canonical encoding: altered after issue.
    #[error("the license code is not in canonical form: it was altered; ask the vendor for a new code")]
    NonCanonical,
    /// No configured vendor key has the code's key id.
    #[error(
        "the license code was signed with a key this software does not know (key id {key_id:#04x}): it is for another product or vendor, or this software is too old"
    )]
    UnknownKey {
        /// The key id in the code.
        key_id: u8,
    },
    /// The code is for another product.
    #[error(
        "the license code is for another product (or was altered): enter the code issued for this product"
    )]
    WrongProduct,
    /// The licensee configured in the installation is not the one the code was issued to.
    #[error(
        "the licensee name does not match the license code (or the code was altered): enter the licensee name exactly as on the license"
    )]
    WrongLicensee,
    /// The installation's database code is not the one the code was issued for.
    #[error(
        "the license code was issued for another database (or was altered): send this database's code to the vendor to get a matching license"
    )]
    WrongDatabase,
    /// The code is bound to a database but the installation gave no database code.
    #[error(
        "the license code is bound to a database, but no database code is configured: configure this installation's database code"
    )]
    DatabaseCodeRequired,
    /// The code is bound to a machine but no fingerprint of this machine was given.
    #[error(
        "the license code is bound to a machine, but this machine's fingerprint was not collected: let the application read this machine's identifiers, or ask the vendor for a code bound to the database"
    )]
    MachineFingerprintRequired,
    /// This machine differs from the one the code was issued for by more than allowed.
    #[error("the license code was issued for another machine (changed: {}; unreadable: {}): {}", .0.changed, .0.unknown, .0.advice())]
    WrongMachine(MachineMatch),
    /// The signature does not verify: forged or altered, or (rarely) a licensee or database
    /// code that differs only in a way the hints cannot tell.
    #[error(
        "the license code is not signed by this vendor: it was altered or forged; check the licensee and database code, or ask the vendor for a new code"
    )]
    BadSignature,
    /// A public key that is not a valid Ed25519 key.
    #[error("the vendor public key is invalid: reinstall the software or contact the vendor")]
    InvalidKey,
    /// A product id, licensee or database code longer than the format allows.
    #[error(
        "the product id, licensee name or database code is longer than {max} bytes: shorten it and ask the vendor for a code issued to the shorter name"
    )]
    ContextTooLong {
        /// The limit in bytes.
        max: usize,
    },
    /// A license scope the format cannot express (for the issuer).
    #[error("the license cannot be encoded: {0}")]
    InvalidLicense(&'static str),
    /// A date that does not exist or is out of range (1970-01-01 to 9999-12-31), or not `YYYY-MM-DD`.
    #[error("invalid date: use YYYY-MM-DD between 1970 and 9999")]
    InvalidDate,
    /// A revocation list that does not decode (damaged, cut short, not canonical, an
    /// unknown format version), or one the issuer was asked to build with invalid content.
    #[error("the revocation list is invalid ({0}): get the current list from the vendor again")]
    InvalidRevocationList(&'static str),
    /// No configured vendor key has the revocation list's key id.
    #[error(
        "the revocation list was signed with a key this software does not know (key id {key_id:#04x}): it is for another product or vendor, or this software is too old"
    )]
    RevocationListUnknownKey {
        /// The key id in the list.
        key_id: u8,
    },
    /// The revocation list's signature does not verify: altered or forged.
    #[error(
        "the revocation list is not signed by this vendor: it was altered or forged; get the current list from the vendor again"
    )]
    RevocationListBadSignature,
    /// A reseller's code or certificate chain broke a delegation rule (see the inner error).
    #[error("{0}")]
    Delegation(DelegationError),
}

/// The broad class of an [`Error`], for callers that react per class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Mistyped or incomplete: the user should re-enter the code.
    Typo,
    /// Passed the typo check but is not a code of ours: altered or made up.
    Malformed,
    /// Not signed by a known vendor key.
    Signature,
    /// A valid code for another product, licensee, database or machine.
    Binding,
    /// Bad input from the caller (dates, keys, limits), not from the code.
    Usage,
    /// A reseller's code outside its reseller's frame, or a revoked or widening certificate.
    Delegation,
}

impl Error {
    /// The class of this error.
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Error::Empty
            | Error::TooShort
            | Error::TooLong { .. }
            | Error::InvalidCharacter { .. }
            | Error::Typo { .. }
            | Error::TypoUnlocated
            | Error::NotALicenseCode => ErrorKind::Typo,
            Error::UnsupportedVersion { .. }
            | Error::Malformed(_)
            | Error::NonCanonical
            | Error::InvalidRevocationList(_) => ErrorKind::Malformed,
            Error::UnknownKey { .. }
            | Error::BadSignature
            | Error::RevocationListUnknownKey { .. }
            | Error::RevocationListBadSignature => ErrorKind::Signature,
            Error::WrongProduct
            | Error::WrongLicensee
            | Error::WrongDatabase
            | Error::DatabaseCodeRequired
            | Error::MachineFingerprintRequired
            | Error::WrongMachine(_) => ErrorKind::Binding,
            Error::InvalidKey
            | Error::ContextTooLong { .. }
            | Error::InvalidLicense(_)
            | Error::InvalidDate => ErrorKind::Usage,
            Error::Delegation(e) => e.kind(),
        }
    }
}
