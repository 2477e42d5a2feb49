//! Offline license codes: the scope a vendor grants, its compact signed encoding, the
//! text form a customer pastes, and the status a host application acts on.
//!
//! The crate is pure: it reads no clock, no file and no randomness. The day, the keys,
//! the installation's licensee and database code and the machine's fingerprint are
//! passed in. Without default features it builds for `no_std` targets without an
//! allocator, and parsing plus verification never touch the heap.
//!
//! ```
//! use license_core::*;
//! # fn main() -> Result<(), Error> {
//! let signing = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
//! let keys = [PublicKey::from(signing.verifying_key())];
//! let day = Date::from_ymd(2026, 11, 22)?;
//! let license = License {
//!     license_id: 1001, revision: 1, kind: Kind::Subscription,
//!     line: ProductLine::new(1).ok_or(Error::InvalidDate)?,
//!     named_users: Some(25), concurrent_seats: Some(10), demo_seats: 2,
//!     modules: ModuleSet::first(4), issued: day, valid_from: day,
//!     expires: day.add_months(12), grace_days: 14, maintenance_ends: day.add_months(12),
//!     binding: Binding::DATABASE, interim: false,
//! };
//! let ctx = Context::new("erp", "ACME Corp").with_database("DB-7F3A-22C1");
//! let text = sign(&license, &ctx, &signing)?.to_string();
//!
//! // In the customer's installation:
//! let verified = UntrustedCode::parse(&text)?.verify(&keys, &ctx)?;
//! let eval = verified.evaluate(day, day, &Policy::default());
//! assert_eq!(eval.status, Status::Valid);
//! assert_eq!(eval.named_users, Some(25));
//! # Ok(()) }
//! ```
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod binding;
mod certificate_revocations;
mod code;
mod component;
mod context;
mod date;
mod date_checked;
mod dbcode;
mod delegation;
mod delegation_error;
mod error;
mod fingerprint;
mod format;
mod frame;
mod id_range;
mod key;
mod keytext;
mod kind;
mod machine_match;
mod model;
mod reseller_name;
mod revocation;
mod segmented;
mod status;
mod strict;
mod text;
mod violation;
mod wire;
pub mod words;

pub use binding::MachineBinding;
pub use certificate_revocations::{CertificateRevocations, FirstLevelOnly, NoRevocations};
pub use code::{LicenseCode, UntrustedCode, VerifiedLicense, sign, sign_as};
pub use component::{
    COMPONENTS, Component, ComponentDigest, ComponentSet, component_digest, format_2_digest_bits,
    is_stable_mac, mac_digest,
};
pub use context::{Context, MAX_CONTEXT_FIELD};
pub use date::{Date, days_in_month, is_leap_year};
pub use dbcode::{
    DATABASE_CODE_BYTES, DATABASE_CODE_LEN, DATABASE_CODE_SYMBOLS, DatabaseCode, DatabaseCodeError,
    DatabaseCodeText,
};
pub use delegation::{
    Certificate, CertificateChain, DelegatedCode, MAX_CERTIFICATE_BYTES, MAX_CHAIN, MAX_CHAIN_BYTES,
    MAX_DELEGATED_BYTES, UntrustedDelegatedCode, VerifiedDelegatedLicense, is_delegated_text,
    is_longer_than_a_plain_code, sign_delegated,
};
pub use delegation_error::DelegationError;
pub use error::{Error, ErrorKind};
pub use fingerprint::{MAX_DIGESTS_PER_COMPONENT, MachineFingerprint};
pub use format::{Format, MAX_CODE_BYTES, MAX_PAYLOAD, SIGNATURE_LEN, VERSION};
pub use frame::{Frame, KindSet, LineSet};
pub use id_range::IdRange;
pub use key::{PublicKey, key_id};
pub use keytext::PublicKeyTextError;
pub use kind::Kind;
pub use machine_match::MachineMatch;
pub use model::{Binding, License, ModuleSet, ProductLine, SeatServerDigest};
pub use reseller_name::{MAX_RESELLER_NAME, ResellerName};
pub use revocation::{
    ListItems, REVOCATION_LIST_VERSION, REVOCATION_LIST_VERSION_CERTIFICATES,
    REVOCATION_LIST_VERSION_SUB_CERTIFICATES, RevocationEntries, RevocationEntry, RevocationList,
    RevokedCertificates, RevokedRevisions, RevokedSubCertificates, SubCertificateSerial,
    UntrustedRevocationList,
};
#[cfg(feature = "alloc")]
pub use revocation::{
    sign_revocation_list, sign_revocation_list_with_certificates, sign_revocation_list_with_sub_certificates,
};
pub use segmented::segmented_symbols_for;
pub use status::{Evaluation, Policy, Release, Status, evaluate};
pub use text::{ALPHABET, CHECK_SYMBOLS, GROUP, symbols_for};
pub use violation::Violation;

/// Re-exported so callers use the same version for keys.
pub use ed25519_dalek;
