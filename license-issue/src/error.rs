//! The one error type of `license-issue`. Every variant says what the user should do.

use std::path::PathBuf;

use license_core::{Date, ErrorKind, Kind};

/// Why an issuing operation, a key, a catalog or the ledger could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----- keys -----
    /// No key ring or key file where one was expected.
    #[error("no signing key at {}: run `licensectl keygen` first (or point --home at your licensing directory)", .path.display())]
    KeyMissing {
        /// Where the key ring or key file was looked for.
        path: PathBuf,
    },
    /// The key ring lists a key whose private key file is gone.
    #[error("the key ring lists key {id:#04x}, but its key file {} is missing: restore the file from your backup, or run `licensectl keygen --rotate` to start signing with a new key (codes signed with the lost key keep verifying)", .path.display())]
    KeyFileMissing {
        /// The missing key file.
        path: PathBuf,
        /// The key id the ring lists for it.
        id: u8,
    },
    /// A private key file that other users can read or write.
    #[error("the key file {} is {} (mode {mode:03o}): run `chmod 600 {}` and check who copied or changed it", .path.display(), crate::error::exposure(*.mode), .path.display())]
    KeyPermissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A key file that is not an Ed25519 PKCS#8 PEM private key.
    #[error("the key file {} is not an Ed25519 PKCS#8 PEM private key ({reason}): restore it from your backup", .path.display())]
    KeyFormat {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// `keygen` where a key ring already exists.
    #[error("a key ring already exists in {}: use `licensectl keygen --rotate` to add a new current key", .path.display())]
    KeyExists {
        /// The key directory.
        path: PathBuf,
    },
    /// The key ring file is damaged or lists keys that do not match their files.
    #[error("the key ring {} is invalid ({reason}): restore it from your backup", .path.display())]
    KeyRing {
        /// The key ring file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed ({0}): retry, or check the operating system")]
    Random(String),

    // ----- catalog -----
    /// A catalog file that cannot be read or is not a valid catalog.
    #[error("the product catalog {} is invalid: {reason}; fix the file (`licensectl catalog --print-demo` prints a commented example) or point --catalog at a valid one", .path.display())]
    Catalog {
        /// The catalog file (or `<built-in>`).
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// No catalog for this product.
    #[error(
        "no catalog for product '{product}' (known: {known}): add catalog/{product}.toml or check the spelling"
    )]
    UnknownProduct {
        /// The product asked for.
        product: String,
        /// The products that have a catalog.
        known: String,
    },
    /// A module name the product's catalog does not define.
    #[error("unknown module '{name}' for product {product}: the catalog defines {known}")]
    UnknownModule {
        /// The product.
        product: String,
        /// The unknown name.
        name: String,
        /// The names the catalog defines.
        known: String,
    },
    /// A product line name the product's catalog does not define.
    #[error("unknown product line '{name}' for product {product}: the catalog defines {known}")]
    UnknownLine {
        /// The product.
        product: String,
        /// The unknown name.
        name: String,
        /// The names the catalog defines.
        known: String,
    },

    // ----- orders -----
    /// An order that breaks a business rule (zero users, expiry before issue, ...).
    #[error("invalid order: {0}")]
    InvalidOrder(String),
    /// More users or seats than the product allows.
    #[error(
        "{what} of {requested} exceeds the {max} the product {product} allows: lower it or raise the limit in the catalog"
    )]
    OverLimit {
        /// "named users", "concurrent seats", "demo seats" or "grace days".
        what: &'static str,
        /// The number ordered.
        requested: u32,
        /// The catalog's limit.
        max: u32,
        /// The product.
        product: String,
    },
    /// A term or maintenance length in months beyond [`crate::MAX_TERM_MONTHS`].
    #[error("{what} of {months} months is out of range: use 1 to {max} months (100 years)")]
    MonthsOutOfRange {
        /// Which length: "term", "maintenance".
        what: &'static str,
        /// The number given.
        months: u32,
        /// The most allowed.
        max: u32,
    },
    /// An additional order that lowers something, or a reduction that lowers nothing.
    #[error("{0}")]
    WrongChange(String),
    /// No license with this id in the ledger.
    #[error(
        "license {license_id} is not in the ledger: check the license id (`licensectl report issued` lists them)"
    )]
    UnknownLicense {
        /// The id asked for.
        license_id: u32,
    },
    /// No open license belongs to this site.
    #[error("no license belongs to site '{site}': assign the licenses to the site first, or check its name")]
    NoLicenseAtSite {
        /// The site asked for.
        site: String,
    },
    /// No open license was issued in this order.
    #[error("no license was issued in order '{order_ref}': check the order reference")]
    UnknownOrder {
        /// The order reference asked for.
        order_ref: String,
    },
    /// A license chosen from an order is not part of it.
    #[error("license {license_id} is not part of order '{order_ref}': choose licenses of that order")]
    NotInOrder {
        /// The license chosen.
        license_id: u32,
        /// The order.
        order_ref: String,
    },
    /// A site or order name that is empty.
    #[error("the {what} name is empty: give a name")]
    EmptyName {
        /// `site` or `order`.
        what: &'static str,
    },
    /// The license was revoked: nothing more can be issued for it.
    #[error("license {license_id} was revoked on {on}: issue a new license instead")]
    Revoked {
        /// The license.
        license_id: u32,
        /// The day it was revoked.
        on: Date,
    },
    /// The subscription was cancelled and ends with its current term.
    #[error("license {license_id} was cancelled and ends on {ends}: issue a new subscription to continue")]
    Cancelled {
        /// The license.
        license_id: u32,
        /// First day after the last paid term.
        ends: Date,
    },
    /// A change while a reduction is waiting for its start date.
    #[error(
        "license {license_id} has a reduction (revision {revision}) pending from {effective}: withdraw it first (`licensectl reduce {license_id} --withdraw`) and order the combined change"
    )]
    ReductionPending {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it takes effect.
        effective: Date,
    },
    /// A mixed order (additions and reductions) while the next term's code is already issued.
    #[error(
        "license {license_id} already has its next term's code (revision {revision}, from {starts}): order the additions with `licensectl upgrade {license_id}` first (it re-issues both codes), then the reduction"
    )]
    NextTermPending {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it starts.
        starts: Date,
    },
    /// Withdrawal requested but nothing is pending.
    #[error(
        "license {license_id} has no pending reduction to withdraw: it has already taken effect or was withdrawn (`licensectl report issued` shows its revisions); to restore the larger scope, order it with `licensectl upgrade {license_id}`"
    )]
    NoPendingReduction {
        /// The license.
        license_id: u32,
    },
    /// Withdrawal after the cutoff.
    #[error(
        "the reduction of license {license_id} effective {effective} can no longer be withdrawn: the cutoff was {cutoff}; once it has taken effect, order the larger scope again with `licensectl upgrade {license_id}` (effective at once)"
    )]
    WithdrawalTooLate {
        /// The license.
        license_id: u32,
        /// The day the reduction takes effect.
        effective: Date,
        /// The last day a withdrawal was possible.
        cutoff: Date,
    },
    /// A reduction of a time-limited license that would start after the license ends.
    #[error(
        "license {license_id} ends on {expires}, before the reduction would take effect on {effective}: change the scope at renewal instead"
    )]
    ReductionAfterExpiry {
        /// The license.
        license_id: u32,
        /// When the reduction would take effect.
        effective: Date,
        /// When the license ends.
        expires: Date,
    },
    /// A renewal before the renewal window opens.
    #[error(
        "license {license_id} can be renewed from {opens}, once a cancellation no longer stops the renewal of the term ending on {expires}: try again then"
    )]
    RenewalTooEarly {
        /// The license.
        license_id: u32,
        /// First day of the window.
        opens: Date,
        /// The current term's end.
        expires: Date,
    },
    /// A renewal after the grace period: the subscription lapsed.
    #[error(
        "license {license_id} expired on {expires} and its grace period ended on {closed}: issue a new subscription instead"
    )]
    RenewalLapsed {
        /// The license.
        license_id: u32,
        /// The term's end.
        expires: Date,
        /// First day after the grace period.
        closed: Date,
    },
    /// An operation that does not apply to this kind of license.
    #[error("license {license_id} is a {kind} license: {what}")]
    NotApplicable {
        /// The license.
        license_id: u32,
        /// Its kind.
        kind: Kind,
        /// What cannot be done and why.
        what: &'static str,
    },
    /// The licensee's personal data was erased; the license cannot be re-signed.
    #[error(
        "the licensee data of license {license_id} was erased: re-signing needs the licensee name; issue a new license"
    )]
    Erased {
        /// The license.
        license_id: u32,
    },
    /// A machine fingerprint that does not parse.
    #[error("the machine fingerprint is invalid ({0}): ask the customer to send it again")]
    Fingerprint(license_core::Error),

    // ----- ledger and files -----
    /// A file or directory could not be read or written.
    #[error("cannot access {}: {source}; check that the path exists, the disk is not full, and this user may read and write it (or point --home at your licensing directory)", .path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A complete ledger record that is damaged: not a crash, the file was altered.
    #[error("the ledger {} is corrupt at line {line} ({reason}): restore it from a backup; nothing was changed", .path.display())]
    LedgerCorrupt {
        /// The ledger file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The last ledger record is incomplete (a crash while writing it).
    #[error("{0}: run `licensectl ledger repair` to set it aside, then re-issue that operation")]
    LedgerTorn(crate::TornRecord),
    /// A ledger record that cannot be encoded.
    #[error("cannot encode a ledger record: {0}")]
    LedgerEncode(String),
    /// A product has used every revocation-list sequence number (2^64 - 1 lists).
    #[error(
        "the revocation-list sequence numbers of this product are exhausted: sign lists for a new product id"
    )]
    SequenceExhausted,
    /// Reports: a month given in the wrong form.
    #[error("invalid month '{0}': use YYYY-MM")]
    InvalidMonth(String),

    // ----- core -----
    /// An error from `license-core` (encoding, signing, decoding, verification).
    #[error(transparent)]
    Core(#[from] license_core::Error),
}

/// What the caller should do with an [`Error`]; `licensectl` maps it to its exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// A code that does not verify or does not fit this installation (exit code 1).
    Invalid,
    /// Bad input or an operation the business rules refuse (exit code 2).
    Usage,
    /// A file that cannot be read or written, or corrupt data (exit code 3).
    Data,
}

impl ErrorClass {
    /// The `licensectl` exit code: 1 invalid, 2 usage, 3 I/O or corrupt data.
    pub const fn exit_code(self) -> u8 {
        match self {
            ErrorClass::Invalid => 1,
            ErrorClass::Usage => 2,
            ErrorClass::Data => 3,
        }
    }
}

impl Error {
    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::KeyMissing { .. }
            | Error::KeyFileMissing { .. }
            | Error::KeyPermissions { .. }
            | Error::KeyFormat { .. }
            | Error::KeyRing { .. }
            | Error::Random(_)
            | Error::Catalog { .. }
            | Error::Io { .. }
            | Error::LedgerCorrupt { .. }
            | Error::LedgerTorn(_)
            | Error::LedgerEncode(_) => ErrorClass::Data,
            Error::Core(e) => match e.kind() {
                ErrorKind::Usage => ErrorClass::Usage,
                _ => ErrorClass::Invalid,
            },
            _ => ErrorClass::Usage,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

/// Who else may touch a key file with permission bits `mode`, in words
/// ("readable by its group", "writable by other users", ...).
pub(crate) fn exposure(mode: u32) -> String {
    let mut parts = Vec::new();
    for (shift, who) in [(3, "its group"), (0, "other users")] {
        let bits = (mode >> shift) & 0o7;
        let what = match (bits & 0o4 != 0, bits & 0o2 != 0) {
            (true, true) => "readable and writable",
            (true, false) => "readable",
            (false, true) => "writable",
            (false, false) if bits & 0o1 != 0 => "executable",
            (false, false) => continue,
        };
        parts.push(format!("{what} by {who}"));
    }
    parts.join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        Date::from_ymd(2026, 12, 20).unwrap_or(Date::MAX)
    }

    #[test]
    fn messages_say_what_to_do() {
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::Catalog {
                    path: "c.toml".into(),
                    reason: "x".into(),
                },
                "fix the file",
            ),
            (
                Error::Io {
                    path: "l".into(),
                    source: std::io::Error::other("denied"),
                },
                "may read and write it",
            ),
            (
                Error::NoPendingReduction { license_id: 7 },
                "order it with `licensectl upgrade 7`",
            ),
            (
                Error::WithdrawalTooLate {
                    license_id: 7,
                    effective: day(),
                    cutoff: day(),
                },
                "order the larger scope again with `licensectl upgrade 7`",
            ),
        ];
        for (e, needle) in cases {
            assert!(e.to_string().contains(needle), "{e}");
        }
    }

    #[test]
    fn key_file_exposure_in_words() {
        assert_eq!(exposure(0o620), "writable by its group");
        assert_eq!(exposure(0o604), "readable by other users");
        assert_eq!(
            exposure(0o666),
            "readable and writable by its group and readable and writable by other users"
        );
    }
}
