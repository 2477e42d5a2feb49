//! The one error type of `license-issue`. Every variant says what the user should do.

use std::path::PathBuf;

use license_core::{Date, ErrorKind, Kind};

/// Why an issuing operation, a key, a catalog or the ledger could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----- keys -----
    /// No key ring or key file where one was expected.
    #[error("no signing key at {}: generate a key ring first, or use the licensing directory that holds it", .path.display())]
    KeyMissing {
        /// Where the key ring or key file was looked for.
        path: PathBuf,
    },
    /// The key ring lists a key whose private key file is gone.
    #[error("the key ring lists key {id:#04x}, but its key file {} is missing: restore the file from your backup, or rotate to a new signing key (codes signed with the lost key keep verifying)", .path.display())]
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
    #[error("a key ring already exists in {}: rotate it to add a new current key instead of generating a new ring", .path.display())]
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
    Random(#[source] getrandom::Error),
    /// Key rotation drew only key ids the ring already lists (astronomically unlikely
    /// with a working random number generator).
    #[error(
        "64 new keys all had key ids the ring already lists: check the system random number generator, then rotate again"
    )]
    KeyIdsCollide,

    // ----- catalog -----
    /// A catalog file that cannot be read or is not a valid catalog.
    #[error("the product catalog {} is invalid: {reason}; fix the file (the demo catalog is a commented example) or use a valid one", .path.display())]
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
    /// An order without a licensee name.
    #[error(
        "invalid order: the licensee name is empty: give the name the customer's installation is configured with"
    )]
    EmptyLicensee,
    /// An order binding to an empty database code.
    #[error(
        "invalid order: the database code is empty: give the code the customer's installation shows, or bind to no database"
    )]
    EmptyDatabaseCode,
    /// A rehost or transfer that both replaces and removes one part of the binding.
    #[error("invalid order: give either a new {} or remove the {} binding, not both", .part.new_value(), .part.name())]
    ReplaceAndRemove {
        /// The part of the binding.
        part: BindingPart,
    },
    /// A rehost that changes nothing.
    #[error(
        "invalid order: give the new binding (a database code or machine fingerprint) or the part to remove"
    )]
    NothingToRehost,
    /// Every license id is used.
    #[error(
        "invalid order: license ids are exhausted (the ledger's last id is 4294967295): keep this ledger for its licenses and issue new ones from a new ledger"
    )]
    LicenseIdsExhausted,
    /// A license whose revision numbers are used up.
    #[error(
        "invalid order: the revision numbers of license {license_id} are exhausted: issue a new license for the customer and revoke this one"
    )]
    RevisionsExhausted {
        /// The license.
        license_id: u32,
    },
    /// A code that would be valid before the day it is signed.
    #[error(
        "invalid order: valid-from {valid_from} is before the day of issue {issued}: a code cannot be valid before it is signed"
    )]
    StartsBeforeIssue {
        /// The first valid day asked for.
        valid_from: Date,
        /// The day of issue.
        issued: Date,
    },
    /// A term given for a perpetual (full) license.
    #[error(
        "invalid order: a full license is perpetual: order a subscription or trial for a time-limited license"
    )]
    PerpetualHasNoTerm,
    /// A term that ends after the last day the format can express.
    #[error("invalid order: the term ends beyond 9999-12-31: order a shorter term")]
    TermBeyondCalendar,
    /// A revocation list current for no day at all.
    #[error(
        "invalid order: a revocation list must be current for at least one day: give a positive number of days"
    )]
    ListValidity,
    /// Zero users or zero seats.
    #[error(
        "invalid order: a license must grant at least one user or seat: give a positive number (or none for no limit)"
    )]
    NoUsersOrSeats,
    /// A code dated another day than the day it is signed.
    #[error(
        "invalid order: the issue date {issued} is not today ({today}): sign codes on the day they are issued"
    )]
    NotIssuedToday {
        /// The issue date of the code.
        issued: Date,
        /// Today.
        today: Date,
    },
    /// A time-limited kind without an end date.
    #[error("invalid order: a {kind} license needs an end date: give a term")]
    NeedsEndDate {
        /// The kind.
        kind: Kind,
    },
    /// An end date not after the start.
    #[error(
        "invalid order: the license would expire on {expires}, not after it starts on {starts}: give a later end date"
    )]
    EndsBeforeStart {
        /// The end asked for.
        expires: Date,
        /// The first valid day.
        starts: Date,
    },
    /// No limit where the catalog sets a maximum.
    #[error("invalid order: {what} must be limited for product {product} (at most {max}): give a number")]
    MustBeLimited {
        /// "named users" or "concurrent seats".
        what: &'static str,
        /// The product.
        product: String,
        /// The catalog's maximum.
        max: u32,
    },
    /// Module numbers the catalog does not define.
    #[error(
        "invalid order: module bits {bits:?} are not in the catalog of {product}: use module names the catalog defines"
    )]
    ModulesNotInCatalog {
        /// The product.
        product: String,
        /// The module numbers.
        bits: Vec<u8>,
    },
    /// A change to a license whose first code is not valid yet.
    #[error(
        "invalid order: license {license_id} has no revision in force on {today} yet: change it once it has started"
    )]
    NotStarted {
        /// The license.
        license_id: u32,
        /// Today.
        today: Date,
    },
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
    /// An additional order that lowers something.
    #[error(
        "this order reduces license {license_id} ({what}): order it as a reduction, effective on the product's next reduction date (contract anniversary or quarter start)"
    )]
    ChangeReduces {
        /// The license.
        license_id: u32,
        /// What it lowers, in words ("fewer named users, fewer modules").
        what: String,
    },
    /// An additional order that changes nothing.
    #[error("this order changes nothing on license {license_id}: it already has that scope")]
    ChangeIsEmpty {
        /// The license.
        license_id: u32,
    },
    /// A reduction that lowers nothing.
    #[error(
        "this order reduces nothing on license {license_id}: order additions as an additional order, effective at once"
    )]
    ReducesNothing {
        /// The license.
        license_id: u32,
    },
    /// No license with this id in the ledger.
    #[error(
        "license {license_id} is not in the ledger: check the license id (the issued-codes report lists them)"
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
        "license {license_id} has a reduction (revision {revision}) pending from {effective}: withdraw it first and order the combined change"
    )]
    ReductionPending {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it takes effect.
        effective: Date,
    },
    /// A change the catalog's `while_reduction_pending = "refuse"` holds up while a
    /// reduction is pending ("the number of users cannot be adjusted and reduced modules
    /// cannot be activated"), and the reduction can still be withdrawn.
    #[error(
        "license {license_id} has a reduction (revision {revision}) pending from {effective}, and while it is pending {what} cannot be changed: withdraw the reduction first (possible until {cutoff}, inclusive), then order the combined change"
    )]
    WithdrawReductionFirst {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it takes effect.
        effective: Date,
        /// What the order would change ("the number of named users", "module bi, which
        /// the reduction removes").
        what: String,
        /// The last day it can be withdrawn.
        cutoff: Date,
    },
    /// As [`Error::WithdrawReductionFirst`], after the reduction's withdrawal cutoff.
    #[error(
        "license {license_id} has a reduction (revision {revision}) pending from {effective} that could be withdrawn only until {cutoff}: {what} cannot be changed before it takes effect; order the change for {effective} or later"
    )]
    ReductionFixed {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it takes effect.
        effective: Date,
        /// What the order would change.
        what: String,
        /// The last day it could be withdrawn.
        cutoff: Date,
    },
    /// A trial order beyond the catalog's trial terms (they are defaults an order may
    /// lower, never raise).
    #[error(
        "a trial of {product} may not exceed the catalog's trial terms: {what}; order a trial within them (or leave them out for the catalog's terms), or a subscription or NFR license for more"
    )]
    TrialBeyondCatalog {
        /// The product.
        product: String,
        /// Every part that exceeds, e.g. "90 usable days asked, at most 30; 50 named
        /// users asked, at most 10".
        what: String,
    },
    /// A mixed order (additions and reductions) while the next term's code is already issued.
    #[error(
        "license {license_id} already has its next term's code (revision {revision}, from {starts}): order the additions first as an additional order (it re-issues both codes), then the reduction"
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
        "license {license_id} has no pending reduction to withdraw: it has already taken effect or was withdrawn (the issued-codes report shows its revisions); to restore the larger scope, order it as an additional order"
    )]
    NoPendingReduction {
        /// The license.
        license_id: u32,
    },
    /// Withdrawal after the cutoff.
    #[error(
        "the reduction of license {license_id} effective {effective} can no longer be withdrawn: the cutoff was {cutoff}; once it has taken effect, order the larger scope again as an additional order (effective at once)"
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
    #[error("cannot access {}: {source}; check that the path exists, the disk is not full, and this user may read and write it", .path.display())]
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
    #[error("{0}: repair the ledger to set it aside, then re-issue that operation")]
    LedgerTorn(crate::TornRecord),
    /// A ledger record (or other JSON the library writes) that cannot be encoded.
    #[error("cannot encode a ledger record ({0}): report this as a bug; nothing was recorded")]
    LedgerEncode(#[source] serde_json::Error),
    /// A report that cannot be written as CSV.
    #[error("cannot write the report as CSV ({0}): report this as a bug")]
    Csv(#[source] csv::Error),
    /// The ledger's database (or other storage behind a [`crate::Ledger`]) failed.
    #[error(
        "the ledger's database failed ({0}): check that it is reachable and retry; an order that failed was not recorded"
    )]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Another writer recorded for this license between reading it and writing: the
    /// operation was not recorded (the issuer retries it on a fresh read).
    #[error("license {license_id} was changed by another order at the same time: retry the order")]
    Conflict {
        /// The license (for a new license: the id it would have had).
        license_id: u32,
    },
    /// An idempotency key used again for a different order.
    #[error("the order key '{key}' was already used for a different order: use a new key for a new order")]
    OrderKeyReused {
        /// The key.
        key: String,
    },
    /// A product has used every revocation-list sequence number (2^64 - 1 lists).
    #[error(
        "the revocation-list sequence numbers of this product are exhausted: sign lists for a new product id"
    )]
    SequenceExhausted,
    /// Reports: a month given in the wrong form.
    #[error("invalid month '{given}': use YYYY-MM")]
    InvalidMonth {
        /// The text given.
        given: String,
    },

    // ----- resellers -----
    /// A reseller's home holds no certificate for the product.
    #[error(
        "this reseller holds no certificate for product '{product}': ask the vendor to certify your key for it, then install the certificate"
    )]
    NoCertificate {
        /// The product id.
        product: String,
    },
    /// A reseller's certificate reserves no license-id range, so its new licenses could
    /// share ids with the vendor's or another reseller's.
    #[error(
        "the certificate of reseller {reseller} reserves no license-id range for new licenses: ask the vendor for a certificate with one"
    )]
    NoLicenseIdRange {
        /// The reseller.
        reseller: String,
    },
    /// A reseller has used every license id of its certificate's range.
    #[error(
        "reseller {reseller} has used every license id of its range {first}-{last}: ask the vendor for a certificate with a further range"
    )]
    LicenseIdRangeUsed {
        /// The reseller.
        reseller: String,
        /// The range's first id.
        first: u32,
        /// The range's last id.
        last: u32,
    },
    /// An order outside the frame of the reseller whose key would sign it: refused
    /// before signing.
    #[error(
        "the order lies outside the frame of reseller {reseller}: {limit}; change the order, or ask the vendor for a certificate that allows it"
    )]
    OutsideFrame {
        /// The reseller.
        reseller: String,
        /// The limit exceeded, in the catalog's names ("module bi is not allowed").
        limit: String,
    },
    /// Something only the vendor's key signs, asked of a reseller's home.
    #[error("{what} is signed with the vendor's key: ask the vendor for it")]
    VendorOnly {
        /// What was asked ("a revocation list").
        what: &'static str,
    },
    /// An order naming another reseller than the one whose key signs it.
    #[error(
        "the order names reseller '{given}', but this home signs as reseller '{signer}': leave the reseller out, or issue from that reseller's home"
    )]
    ResellerMismatch {
        /// The reseller the order named.
        given: String,
        /// The reseller whose key signs.
        signer: String,
    },
    /// The register of reseller certificates cannot be read.
    #[error("the certificate register {} is invalid ({reason}): restore it from your backup", .path.display())]
    Register {
        /// The register file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A certificate serial already used for the product (revocation lists revoke by serial).
    #[error(
        "certificate serial {serial} of {product} is already reseller {reseller}'s: choose another serial (revocation lists revoke certificates by serial)"
    )]
    SerialUsed {
        /// The product.
        product: String,
        /// The serial.
        serial: u32,
        /// The reseller holding it.
        reseller: String,
    },
    /// A certificate the register does not list.
    #[error(
        "no certificate {serial} of {product} in the register: check the serial (the register lists the certificates this home signed)"
    )]
    UnknownCertificate {
        /// The product.
        product: String,
        /// The serial.
        serial: u32,
    },
    /// A certificate revoked before.
    #[error(
        "certificate {serial} of {product} was revoked on {on}: publish the revocation list if it is not out yet"
    )]
    CertificateRevoked {
        /// The product.
        product: String,
        /// The serial.
        serial: u32,
        /// The day it was revoked.
        on: Date,
    },
    /// A reseller bundle (certificate chain, catalog and vendor keys) that cannot be used.
    #[error("the reseller bundle is invalid ({reason}): ask the vendor to send it again")]
    Bundle {
        /// What is wrong with it.
        reason: String,
    },
    // ----- reseller ledger exports -----
    /// A file that is not a reseller's ledger export, or a damaged one.
    #[error("{} is not a valid reseller ledger export (line {line}: {reason}): ask the reseller for the file its monthly export wrote, unchanged; nothing was imported", .path.display())]
    ExportFormat {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A reseller's ledger export in a format version this software does not read.
    #[error("{} is a reseller ledger export of format version {version}; this software reads version {}: update the vendor's licensing software, or ask the reseller for a version {} export; nothing was imported", .path.display(), crate::EXPORT_VERSION, crate::EXPORT_VERSION)]
    ExportVersion {
        /// The file.
        path: PathBuf,
        /// The version it declares.
        version: u64,
    },
    /// A record of a reseller's ledger export that the vendor cannot accept: the whole
    /// file is refused.
    #[error(
        "the reseller ledger export is refused at line {line} (license {license_id}, revision {revision}): {problem}; nothing was imported"
    )]
    ImportRefused {
        /// The 1-based line of the record in the file.
        line: usize,
        /// The record's license id.
        license_id: u32,
        /// The record's revision.
        revision: u32,
        /// Why.
        problem: crate::ImportProblem,
    },
    /// A reseller's home without an installed certificate (or with certificates of
    /// several reseller names).
    #[error("no single reseller certificate is installed in {} ({reason}): install the certificate the vendor sent", .path.display())]
    NoResellerCertificate {
        /// The reseller directory.
        path: PathBuf,
        /// What was found.
        reason: String,
    },

    // ----- ticket pools -----
    /// A ticket id, a ticket pool or a redemption refused.
    #[error(transparent)]
    Ticket(#[from] crate::TicketError),

    // ----- core -----
    /// An error from `license-core` (encoding, signing, decoding, verification).
    #[error(transparent)]
    Core(#[from] license_core::Error),
}

/// A part of a license's binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BindingPart {
    /// The database code.
    Database,
    /// The machine fingerprint.
    Machine,
}

impl BindingPart {
    /// `database` or `machine`.
    pub fn name(self) -> &'static str {
        match self {
            BindingPart::Database => "database",
            BindingPart::Machine => "machine",
        }
    }

    fn new_value(self) -> &'static str {
        match self {
            BindingPart::Database => "database code",
            BindingPart::Machine => "machine fingerprint",
        }
    }
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
    /// A concurrent change: the same order may succeed when placed again (exit code 3).
    Retry,
}

impl ErrorClass {
    /// The `licensectl` exit code: 1 invalid, 2 usage, 3 I/O or corrupt data.
    pub const fn exit_code(self) -> u8 {
        match self {
            ErrorClass::Invalid => 1,
            ErrorClass::Usage => 2,
            ErrorClass::Data | ErrorClass::Retry => 3,
        }
    }
}

impl Error {
    /// A stable name for the kind of error (`unknown_license`, `no_users_or_seats`,
    /// `conflict`, ...), for machine-readable error responses: the variant's name in
    /// snake case.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::KeyMissing { .. } => "key_missing",
            Error::KeyFileMissing { .. } => "key_file_missing",
            Error::KeyPermissions { .. } => "key_permissions",
            Error::KeyFormat { .. } => "key_format",
            Error::KeyExists { .. } => "key_exists",
            Error::KeyRing { .. } => "key_ring",
            Error::Random(_) => "random",
            Error::KeyIdsCollide => "key_ids_collide",
            Error::Catalog { .. } => "catalog",
            Error::UnknownProduct { .. } => "unknown_product",
            Error::UnknownModule { .. } => "unknown_module",
            Error::UnknownLine { .. } => "unknown_line",
            Error::EmptyLicensee => "empty_licensee",
            Error::EmptyDatabaseCode => "empty_database_code",
            Error::ReplaceAndRemove { .. } => "replace_and_remove",
            Error::NothingToRehost => "nothing_to_rehost",
            Error::LicenseIdsExhausted => "license_ids_exhausted",
            Error::RevisionsExhausted { .. } => "revisions_exhausted",
            Error::StartsBeforeIssue { .. } => "starts_before_issue",
            Error::PerpetualHasNoTerm => "perpetual_has_no_term",
            Error::TermBeyondCalendar => "term_beyond_calendar",
            Error::ListValidity => "list_validity",
            Error::NoUsersOrSeats => "no_users_or_seats",
            Error::NotIssuedToday { .. } => "not_issued_today",
            Error::NeedsEndDate { .. } => "needs_end_date",
            Error::EndsBeforeStart { .. } => "ends_before_start",
            Error::MustBeLimited { .. } => "must_be_limited",
            Error::ModulesNotInCatalog { .. } => "modules_not_in_catalog",
            Error::NotStarted { .. } => "not_started",
            Error::OverLimit { .. } => "over_limit",
            Error::MonthsOutOfRange { .. } => "months_out_of_range",
            Error::ChangeReduces { .. } => "change_reduces",
            Error::ChangeIsEmpty { .. } => "change_is_empty",
            Error::ReducesNothing { .. } => "reduces_nothing",
            Error::UnknownLicense { .. } => "unknown_license",
            Error::Revoked { .. } => "revoked",
            Error::Cancelled { .. } => "cancelled",
            Error::ReductionPending { .. } => "reduction_pending",
            Error::WithdrawReductionFirst { .. } => "withdraw_reduction_first",
            Error::ReductionFixed { .. } => "reduction_fixed",
            Error::TrialBeyondCatalog { .. } => "trial_beyond_catalog",
            Error::NextTermPending { .. } => "next_term_pending",
            Error::NoPendingReduction { .. } => "no_pending_reduction",
            Error::WithdrawalTooLate { .. } => "withdrawal_too_late",
            Error::ReductionAfterExpiry { .. } => "reduction_after_expiry",
            Error::RenewalTooEarly { .. } => "renewal_too_early",
            Error::RenewalLapsed { .. } => "renewal_lapsed",
            Error::NotApplicable { .. } => "not_applicable",
            Error::Erased { .. } => "erased",
            Error::Fingerprint(_) => "fingerprint",
            Error::Io { .. } => "io",
            Error::LedgerCorrupt { .. } => "ledger_corrupt",
            Error::LedgerTorn(_) => "ledger_torn",
            Error::LedgerEncode(_) => "ledger_encode",
            Error::Csv(_) => "csv",
            Error::Backend(_) => "backend",
            Error::Conflict { .. } => "conflict",
            Error::OrderKeyReused { .. } => "order_key_reused",
            Error::SequenceExhausted => "sequence_exhausted",
            Error::InvalidMonth { .. } => "invalid_month",
            Error::ExportFormat { .. } => "export_format",
            Error::ExportVersion { .. } => "export_version",
            Error::ImportRefused { .. } => "import_refused",
            Error::NoResellerCertificate { .. } => "no_reseller_certificate",
            Error::Core(_) => "core",
            Error::NoLicenseAtSite { .. } => "no_license_at_site",
            Error::UnknownOrder { .. } => "unknown_order",
            Error::NotInOrder { .. } => "not_in_order",
            Error::EmptyName { .. } => "empty_name",
            Error::NoCertificate { .. } => "no_certificate",
            Error::NoLicenseIdRange { .. } => "no_license_id_range",
            Error::LicenseIdRangeUsed { .. } => "license_id_range_used",
            Error::VendorOnly { .. } => "vendor_only",
            Error::OutsideFrame { .. } => "outside_frame",
            Error::ResellerMismatch { .. } => "reseller_mismatch",
            Error::Bundle { .. } => "bundle",
            Error::Register { .. } => "register",
            Error::SerialUsed { .. } => "serial_used",
            Error::UnknownCertificate { .. } => "unknown_certificate",
            Error::CertificateRevoked { .. } => "certificate_revoked",
            Error::Ticket(e) => e.kind_name(),
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::KeyMissing { .. }
            | Error::KeyFileMissing { .. }
            | Error::KeyPermissions { .. }
            | Error::KeyFormat { .. }
            | Error::KeyRing { .. }
            | Error::Random(_)
            | Error::KeyIdsCollide
            | Error::Backend(_)
            | Error::Catalog { .. }
            | Error::Io { .. }
            | Error::LedgerCorrupt { .. }
            | Error::LedgerTorn(_)
            | Error::LedgerEncode(_)
            | Error::Register { .. }
            | Error::Csv(_) => ErrorClass::Data,
            Error::Conflict { .. } => ErrorClass::Retry,
            Error::ImportRefused { .. } => ErrorClass::Invalid,
            Error::Ticket(e) => e.class(),
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
                "order it as an additional order",
            ),
            (
                Error::WithdrawReductionFirst {
                    license_id: 7,
                    revision: 2,
                    effective: Date::from_ymd(2027, 1, 1).unwrap_or(Date::MAX),
                    what: "the number of named users".into(),
                    cutoff: Date::from_ymd(2026, 12, 12).unwrap_or(Date::MAX),
                },
                "while it is pending the number of named users cannot be changed: withdraw the reduction first (possible until 2026-12-12, inclusive), then order the combined change",
            ),
            (
                Error::ReductionFixed {
                    license_id: 7,
                    revision: 2,
                    effective: Date::from_ymd(2027, 1, 1).unwrap_or(Date::MAX),
                    what: "module bi, which the reduction removes,".into(),
                    cutoff: Date::from_ymd(2026, 12, 12).unwrap_or(Date::MAX),
                },
                "could be withdrawn only until 2026-12-12: module bi, which the reduction removes, cannot be changed before it takes effect; order the change for 2027-01-01 or later",
            ),
            (
                Error::WithdrawalTooLate {
                    license_id: 7,
                    effective: day(),
                    cutoff: day(),
                },
                "order the larger scope again as an additional order",
            ),
            (
                Error::ReplaceAndRemove {
                    part: BindingPart::Database,
                },
                "give either a new database code or remove the database binding, not both",
            ),
            (
                Error::Backend("connection refused".into()),
                "the ledger's database failed (connection refused): check that it is reachable and retry",
            ),
        ];
        for (e, needle) in cases {
            assert!(e.to_string().contains(needle), "{e}");
        }
    }

    /// A library's messages name no command-line tool and no flag: the tool adds its hints.
    #[test]
    fn messages_name_no_cli_flags() {
        let l = 7;
        let d = day();
        let all: Vec<Error> = vec![
            Error::KeyMissing { path: "k".into() },
            Error::KeyFileMissing {
                path: "k".into(),
                id: 1,
            },
            Error::KeyExists { path: "k".into() },
            Error::KeyIdsCollide,
            Error::Catalog {
                path: "c".into(),
                reason: "r".into(),
            },
            Error::EmptyLicensee,
            Error::EmptyDatabaseCode,
            Error::NothingToRehost,
            Error::LicenseIdsExhausted,
            Error::RevisionsExhausted { license_id: l },
            Error::StartsBeforeIssue {
                valid_from: d,
                issued: d,
            },
            Error::ListValidity,
            Error::NotStarted {
                license_id: l,
                today: d,
            },
            Error::ChangeReduces {
                license_id: l,
                what: "fewer named users".into(),
            },
            Error::ChangeIsEmpty { license_id: l },
            Error::ReducesNothing { license_id: l },
            Error::UnknownLicense { license_id: l },
            Error::ReductionPending {
                license_id: l,
                revision: 2,
                effective: d,
            },
            Error::NextTermPending {
                license_id: l,
                revision: 2,
                starts: d,
            },
            Error::WithdrawReductionFirst {
                license_id: l,
                revision: 2,
                effective: d,
                what: "the number of named users".into(),
                cutoff: d,
            },
            Error::ReductionFixed {
                license_id: l,
                revision: 2,
                effective: d,
                what: "the number of named users".into(),
                cutoff: d,
            },
            Error::TrialBeyondCatalog {
                product: "demo-erp".into(),
                what: "90 usable days asked, at most 30".into(),
            },
            Error::NoPendingReduction { license_id: l },
            Error::WithdrawalTooLate {
                license_id: l,
                effective: d,
                cutoff: d,
            },
            Error::Io {
                path: "p".into(),
                source: std::io::Error::other("x"),
            },
            Error::Conflict { license_id: l },
            Error::OrderKeyReused { key: "k".into() },
            Error::SequenceExhausted,
            Error::InvalidMonth { given: "x".into() },
        ];
        for e in all {
            let text = e.to_string();
            assert!(!text.contains("licensectl") && !text.contains(" --"), "{text}");
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
