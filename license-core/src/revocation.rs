//! Signed revocation lists, format versions 1 to 3 (see `docs/FORMAT.md`, "Revocation list").
//!
//! A vendor withdraws licenses (a purchase undone, the larger code after a reduction)
//! by publishing a list, signed with its key, that names the revoked license ids and
//! which of their revisions are revoked. Each list carries a strictly increasing
//! sequence number (a verifier refuses an older list than one it has seen) and its own
//! expiry. Each list is complete: it replaces every earlier one.
//!
//! Wire form: a postcard-encoded body followed by a 64-byte Ed25519 signature.
//!
//! ```text
//! body = version:u8 (1) || key_id:u8 || sequence:varint(u64)
//!     || issued:varint(u32)  (days since 2020-01-01)
//!     || expires:varint(u32) (days since 2020-01-01, after issued)
//!     || count:varint(u32)   || entry * count
//! entry = license_id:varint(u32) || 0x00                     (all revisions)
//!       | license_id:varint(u32) || 0x01 || revision:varint(u32) (revisions 0..=revision)
//! signed message = "license-core/v1 revocation\0" || len(product):u8 || product || SHA-256(body)
//! ```
//!
//! Version 2 adds, after the entries, `count:varint(u32) || serial:varint(u32) * count`
//! (revoked first-level reseller certificates, strictly ascending); version 3 adds after
//! those `count:varint(u32) || (reseller:varint(u32) || sub:varint(u32)) * count` (revoked
//! second-level certificates by the pair of serials, strictly ascending by the pair).
//!
//! Entries are strictly ascending by license id (so each id appears once), and only the
//! one canonical encoding is accepted. Parsing and verification borrow the input and
//! never allocate; building a list needs the `alloc` feature.

use core::fmt;

use ed25519_dalek::Signature;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::certificate_revocations::CertificateRevocations;
use crate::context::MAX_CONTEXT_FIELD;
use crate::date::Date;
use crate::error::Error;
use crate::format::SIGNATURE_LEN;
use crate::key::PublicKey;

/// The revocation-list format version this crate writes and reads.
pub const REVOCATION_LIST_VERSION: u8 = 1;
/// Version 2 adds revoked reseller certificates (by first-level serial) after the license
/// entries (see `docs/FORMAT.md`, "Delegated codes (format v2)"). Version 1 lists still verify.
pub const REVOCATION_LIST_VERSION_CERTIFICATES: u8 = 2;
/// Version 3 adds revoked sub-reseller certificates, by the pair (first-level serial,
/// sub-reseller serial), after version 2's serials. Readers of versions 1 and 2 refuse it
/// by its version byte (`docs/FORMAT.md`, "Revocation list").
pub const REVOCATION_LIST_VERSION_SUB_CERTIFICATES: u8 = 3;

/// Domain separation for revocation-list signatures.
const DOMAIN_REVOCATION: &[u8] = b"license-core/v1 revocation\0";
/// Largest encoding of the head (version, key id, sequence, issued, expires).
const MAX_HEAD: usize = 1 + 1 + 10 + 5 + 5;
/// Largest encoding of one entry (license id, tag, revision).
const MAX_ENTRY: usize = 5 + 1 + 5;
/// Largest encoding of the entry count.
const MAX_COUNT: usize = 5;
/// Largest encoding of a sub-reseller certificate's pair of serials.
const MAX_PAIR: usize = 5 + 5;

/// A revoked sub-reseller certificate (the second of a chain): the serial of the
/// first-level certificate the vendor signed, and the serial its reseller gave the
/// sub-reseller's certificate (unique per reseller). Ordered by the pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SubCertificateSerial {
    /// The first-level (reseller's) certificate serial.
    pub reseller: u32,
    /// The second-level (sub-reseller's) certificate serial.
    pub sub_reseller: u32,
}

impl fmt::Display for SubCertificateSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.reseller, self.sub_reseller)
    }
}

/// Which revisions of a license an entry revokes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevokedRevisions {
    /// Every revision, including ones issued later: the license is withdrawn.
    All,
    /// Revisions up to and including this one; later revisions stay valid (the vendor
    /// kills the old, larger code after a reduction and keeps the new one).
    UpTo(u32),
}

impl RevokedRevisions {
    /// Whether `revision` is revoked.
    pub const fn contains(self, revision: u32) -> bool {
        match self {
            RevokedRevisions::All => true,
            RevokedRevisions::UpTo(last) => revision <= last,
        }
    }
}

impl fmt::Display for RevokedRevisions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevokedRevisions::All => f.write_str("all revisions"),
            RevokedRevisions::UpTo(n) => write!(f, "revisions up to {n}"),
        }
    }
}

/// One revoked license: its id and which of its revisions are revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RevocationEntry {
    /// The license id.
    pub license_id: u32,
    /// The revoked revisions.
    pub revisions: RevokedRevisions,
}

impl RevocationEntry {
    /// Whether this entry revokes revision `revision` of license `license_id`.
    pub const fn covers(&self, license_id: u32, revision: u32) -> bool {
        self.license_id == license_id && self.revisions.contains(revision)
    }
}

/// The head, in wire order. Field order and types are the format: do not reorder.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct Head {
    version: u8,
    key_id: u8,
    sequence: u64,
    issued: u32,
    expires: u32,
}

fn invalid(why: &'static str) -> Error {
    Error::InvalidRevocationList(why)
}

fn day(days: u32) -> Result<Date, Error> {
    Date::CODE_EPOCH
        .checked_add_days(i64::from(days))
        .ok_or(invalid("date out of range"))
}

/// Take one `T` from the front of `bytes`, accepting only its canonical encoding.
fn take_canonical<'a, T, const N: usize>(bytes: &'a [u8], what: &'static str) -> Result<(T, &'a [u8]), Error>
where
    T: Serialize + Deserialize<'a>,
{
    let (value, rest): (T, &[u8]) = postcard::take_from_bytes(bytes).map_err(|_| invalid(what))?;
    let used = &bytes[..bytes.len() - rest.len()];
    let mut again = [0u8; N];
    let encoded = postcard::to_slice(&value, &mut again).map_err(|_| invalid(what))?;
    if *encoded != *used {
        return Err(invalid("not in canonical form"));
    }
    Ok((value, rest))
}

/// A revocation list that decoded correctly but whose signature has not been checked.
/// Use [`UntrustedRevocationList::verify`] to read its entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UntrustedRevocationList<'a> {
    bytes: &'a [u8],
    key_id: u8,
    sequence: u64,
    issued: Date,
    expires: Date,
    count: u32,
    entries: &'a [u8],
    certificate_count: u32,
    certificates: &'a [u8],
    sub_certificate_count: u32,
    sub_certificates: &'a [u8],
}

impl<'a> UntrustedRevocationList<'a> {
    /// Decode the binary form, canonical only. Borrows `bytes`; no heap.
    pub fn parse(bytes: &'a [u8]) -> Result<UntrustedRevocationList<'a>, Error> {
        match bytes.first() {
            None => return Err(invalid("empty file")),
            Some(
                &(REVOCATION_LIST_VERSION
                | REVOCATION_LIST_VERSION_CERTIFICATES
                | REVOCATION_LIST_VERSION_SUB_CERTIFICATES),
            ) => {}
            Some(_) => return Err(invalid("unsupported format version: update the software")),
        }
        if bytes.len() <= SIGNATURE_LEN {
            return Err(invalid("too short to hold a signature"));
        }
        let body = &bytes[..bytes.len() - SIGNATURE_LEN];
        let (head, rest): (Head, _) =
            take_canonical::<_, MAX_HEAD>(body, "the list header is cut short or invalid")?;
        let issued = day(head.issued)?;
        let expires = day(head.expires)?;
        if expires <= issued {
            return Err(invalid("expiry is not after the issue date"));
        }
        let (count, entries): (u32, _) = take_canonical::<_, MAX_COUNT>(rest, "the entry count is invalid")?;
        // Walk every entry once: canonical, strictly ascending, exactly `count` of them.
        let mut rest = entries;
        let mut previous: Option<u32> = None;
        for _ in 0..count {
            let (entry, r): (RevocationEntry, _) =
                take_canonical::<_, MAX_ENTRY>(rest, "an entry is cut short or invalid")?;
            if previous.is_some_and(|p| p >= entry.license_id) {
                return Err(invalid("entries are not strictly ascending by license id"));
            }
            previous = Some(entry.license_id);
            rest = r;
        }
        let entries = &entries[..entries.len() - rest.len()];
        let (mut certificate_count, mut certificates) = (0, &rest[..0]);
        if head.version >= REVOCATION_LIST_VERSION_CERTIFICATES {
            let (n, serials): (u32, _) =
                take_canonical::<_, MAX_COUNT>(rest, "the certificate count is invalid")?;
            rest = serials;
            let mut previous: Option<u32> = None;
            for _ in 0..n {
                let (serial, r): (u32, _) =
                    take_canonical::<_, MAX_COUNT>(rest, "a certificate serial is invalid")?;
                if previous.is_some_and(|p| p >= serial) {
                    return Err(invalid("certificate serials are not strictly ascending"));
                }
                previous = Some(serial);
                rest = r;
            }
            certificate_count = n;
            certificates = &serials[..serials.len() - rest.len()];
        }
        let (mut sub_certificate_count, mut sub_certificates) = (0, &rest[..0]);
        if head.version == REVOCATION_LIST_VERSION_SUB_CERTIFICATES {
            let (n, pairs): (u32, _) =
                take_canonical::<_, MAX_COUNT>(rest, "the sub-reseller certificate count is invalid")?;
            rest = pairs;
            let mut previous: Option<SubCertificateSerial> = None;
            for _ in 0..n {
                let (pair, r): (SubCertificateSerial, _) =
                    take_canonical::<_, MAX_PAIR>(rest, "a sub-reseller certificate pair is invalid")?;
                if previous.is_some_and(|p| p >= pair) {
                    return Err(invalid(
                        "sub-reseller certificate pairs are not strictly ascending",
                    ));
                }
                previous = Some(pair);
                rest = r;
            }
            sub_certificate_count = n;
            sub_certificates = &pairs[..pairs.len() - rest.len()];
        }
        if !rest.is_empty() {
            return Err(invalid("trailing bytes after the entries"));
        }
        Ok(UntrustedRevocationList {
            bytes,
            key_id: head.key_id,
            sequence: head.sequence,
            issued,
            expires,
            count,
            entries,
            certificate_count,
            certificates,
            sub_certificate_count,
            sub_certificates,
        })
    }

    /// The key id the list claims to be signed with.
    pub const fn key_id(&self) -> u8 {
        self.key_id
    }

    /// Check the signature against the vendor's keys (the one whose id the list names)
    /// and the product this installation runs: a list signed for another product of the
    /// same vendor is refused as not signed, so license ids and sequence numbers are per
    /// product.
    pub fn verify(&self, keys: &[PublicKey], product: &str) -> Result<RevocationList<'a>, Error> {
        let mut candidates = keys.iter().filter(|k| k.id() == self.key_id).peekable();
        if candidates.peek().is_none() {
            return Err(Error::RevocationListUnknownKey { key_id: self.key_id });
        }
        let split = self.bytes.len() - SIGNATURE_LEN;
        let message = SignedMessage::new(product, &self.bytes[..split])?;
        let mut sig = [0u8; SIGNATURE_LEN];
        sig.copy_from_slice(&self.bytes[split..]);
        let signature = Signature::from_bytes(&sig);
        if !candidates.any(|k| crate::strict::verify(k, message.as_bytes(), &signature)) {
            return Err(Error::RevocationListBadSignature);
        }
        Ok(RevocationList { list: *self })
    }
}

/// The message signed: the domain, the product id (length byte and bytes) and the
/// SHA-256 of the body, so a list of any length is verified without copying it.
struct SignedMessage {
    buf: [u8; DOMAIN_REVOCATION.len() + 1 + MAX_CONTEXT_FIELD + 32],
    len: usize,
}

impl SignedMessage {
    fn new(product: &str, body: &[u8]) -> Result<SignedMessage, Error> {
        let product = product.as_bytes();
        if product.len() > MAX_CONTEXT_FIELD {
            return Err(Error::ContextTooLong {
                max: MAX_CONTEXT_FIELD,
            });
        }
        let mut m = SignedMessage {
            buf: [0; DOMAIN_REVOCATION.len() + 1 + MAX_CONTEXT_FIELD + 32],
            len: 0,
        };
        for part in [
            DOMAIN_REVOCATION,
            &[product.len() as u8],
            product,
            &Sha256::digest(body),
        ] {
            m.buf[m.len..m.len + part.len()].copy_from_slice(part);
            m.len += part.len();
        }
        Ok(m)
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// A revocation list whose signature checked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevocationList<'a> {
    list: UntrustedRevocationList<'a>,
}

impl<'a> RevocationList<'a> {
    /// The sequence number: a verifier accepts only lists with a sequence number at
    /// least as high as the highest it has seen.
    pub const fn sequence(&self) -> u64 {
        self.list.sequence
    }

    /// The day the list was signed.
    pub const fn issued(&self) -> Date {
        self.list.issued
    }

    /// The first day on which the list is no longer current (exclusive end).
    pub const fn expires(&self) -> Date {
        self.list.expires
    }

    /// The id of the key that signed it.
    pub const fn key_id(&self) -> u8 {
        self.list.key_id
    }

    /// Number of entries.
    pub const fn len(&self) -> usize {
        self.list.count as usize
    }

    /// Whether the list revokes nothing.
    pub const fn is_empty(&self) -> bool {
        self.list.count == 0
    }

    /// The entries, ascending by license id, decoded lazily.
    pub fn entries(&self) -> RevocationEntries<'a> {
        ListItems::new(self.list.entries, self.list.count)
    }

    /// Whether revision `revision` of license `license_id` is revoked.
    pub fn is_revoked(&self, license_id: u32, revision: u32) -> bool {
        self.entry(license_id)
            .is_some_and(|e| e.revisions.contains(revision))
    }

    /// The entry for `license_id`, if the list names it.
    pub fn entry(&self, license_id: u32) -> Option<RevocationEntry> {
        self.entries()
            .take_while(|e| e.license_id <= license_id)
            .find(|e| e.license_id == license_id)
    }

    /// The whole list as it was verified (body and signature).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.list.bytes
    }

    /// The serials of revoked first-level reseller certificates, ascending (none in a
    /// version-1 list).
    pub fn revoked_certificates(&self) -> RevokedCertificates<'a> {
        ListItems::new(self.list.certificates, self.list.certificate_count)
    }

    /// Whether the first-level reseller certificate `serial` is revoked.
    pub fn revokes_certificate(&self, serial: u32) -> bool {
        self.revoked_certificates().any(|s| s == serial)
    }

    /// The revoked sub-reseller certificates, ascending by the pair (none before
    /// version 3).
    pub fn revoked_sub_certificates(&self) -> RevokedSubCertificates<'a> {
        ListItems::new(self.list.sub_certificates, self.list.sub_certificate_count)
    }

    /// Whether the sub-reseller certificate `sub_reseller` under the first-level
    /// certificate `reseller` is revoked.
    pub fn revokes_sub_certificate(&self, reseller: u32, sub_reseller: u32) -> bool {
        let wanted = SubCertificateSerial {
            reseller,
            sub_reseller,
        };
        self.revoked_sub_certificates().any(|p| p == wanted)
    }
}

impl CertificateRevocations for RevocationList<'_> {
    fn revokes_reseller(&self, serial: u32) -> bool {
        self.revokes_certificate(serial)
    }

    fn revokes_sub_reseller(&self, reseller: u32, sub_reseller: u32) -> bool {
        self.revokes_sub_certificate(reseller, sub_reseller)
    }
}

/// Iterator over one section of a [`RevocationList`] (its entries, revoked certificate
/// serials or sub-reseller pairs): `left` postcard items of type `T` in `rest`, every one
/// validated by `parse`, so a decoding failure cannot happen here and ends the walk.
#[derive(Clone, Debug)]
pub struct ListItems<'a, T> {
    rest: &'a [u8],
    left: u32,
    item: core::marker::PhantomData<T>,
}

impl<'a, T> ListItems<'a, T> {
    const fn new(rest: &'a [u8], left: u32) -> ListItems<'a, T> {
        ListItems {
            rest,
            left,
            item: core::marker::PhantomData,
        }
    }
}

impl<T: serde::de::DeserializeOwned> Iterator for ListItems<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.left == 0 {
            return None;
        }
        let (item, rest) = postcard::take_from_bytes::<T>(self.rest).ok()?;
        self.rest = rest;
        self.left -= 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.left as usize))
    }
}

/// Iterator over the entries of a [`RevocationList`].
pub type RevocationEntries<'a> = ListItems<'a, RevocationEntry>;
/// Iterator over the revoked certificate serials of a [`RevocationList`].
pub type RevokedCertificates<'a> = ListItems<'a, u32>;
/// Iterator over the revoked sub-reseller certificates of a [`RevocationList`].
pub type RevokedSubCertificates<'a> = ListItems<'a, SubCertificateSerial>;

/// Build and sign a revocation list for `product` (the vendor's side). `entries` may
/// come in any order; they are sorted by license id, and two entries for one license id
/// are refused. `issued` must be on or after 2020-01-01 and before `expires`.
#[cfg(feature = "alloc")]
pub fn sign_revocation_list(
    product: &str,
    sequence: u64,
    issued: Date,
    expires: Date,
    entries: &[RevocationEntry],
    key: &ed25519_dalek::SigningKey,
) -> Result<alloc::vec::Vec<u8>, Error> {
    sign_list(product, sequence, issued, expires, entries, None, None, key)
}

/// As [`sign_revocation_list`], in format version 2, also revoking the first-level
/// reseller certificates with these serials (any order, no duplicates).
#[cfg(feature = "alloc")]
pub fn sign_revocation_list_with_certificates(
    product: &str,
    sequence: u64,
    issued: Date,
    expires: Date,
    entries: &[RevocationEntry],
    certificates: &[u32],
    key: &ed25519_dalek::SigningKey,
) -> Result<alloc::vec::Vec<u8>, Error> {
    sign_list(
        product,
        sequence,
        issued,
        expires,
        entries,
        Some(certificates),
        None,
        key,
    )
}

/// As [`sign_revocation_list_with_certificates`], in format version 3, also revoking
/// the sub-reseller certificates with these pairs of serials (any order, no duplicates).
/// Verifiers that read only versions 1 and 2 refuse the list by its version byte.
#[cfg(feature = "alloc")]
#[allow(clippy::too_many_arguments)]
pub fn sign_revocation_list_with_sub_certificates(
    product: &str,
    sequence: u64,
    issued: Date,
    expires: Date,
    entries: &[RevocationEntry],
    certificates: &[u32],
    sub_certificates: &[SubCertificateSerial],
    key: &ed25519_dalek::SigningKey,
) -> Result<alloc::vec::Vec<u8>, Error> {
    sign_list(
        product,
        sequence,
        issued,
        expires,
        entries,
        Some(certificates),
        Some(sub_certificates),
        key,
    )
}

#[cfg(feature = "alloc")]
#[allow(clippy::too_many_arguments)]
fn sign_list(
    product: &str,
    sequence: u64,
    issued: Date,
    expires: Date,
    entries: &[RevocationEntry],
    certificates: Option<&[u32]>,
    sub_certificates: Option<&[SubCertificateSerial]>,
    key: &ed25519_dalek::SigningKey,
) -> Result<alloc::vec::Vec<u8>, Error> {
    use ed25519_dalek::Signer;

    let days = |d: Date| {
        u32::try_from(d.days_since(Date::CODE_EPOCH)).map_err(|_| invalid("date before 2020-01-01"))
    };
    if expires <= issued {
        return Err(invalid("expiry is not after the issue date"));
    }
    let count = u32::try_from(entries.len()).map_err(|_| invalid("too many entries"))?;
    let mut sorted = alloc::vec::Vec::from(entries);
    sorted.sort_unstable_by_key(|e| e.license_id);
    if sorted.windows(2).any(|w| w[0].license_id == w[1].license_id) {
        return Err(invalid(
            "two entries for the same license id: merge them into one",
        ));
    }
    let head = Head {
        version: match (certificates, sub_certificates) {
            (_, Some(_)) => REVOCATION_LIST_VERSION_SUB_CERTIFICATES,
            (Some(_), None) => REVOCATION_LIST_VERSION_CERTIFICATES,
            (None, None) => REVOCATION_LIST_VERSION,
        },
        key_id: crate::key::key_id(&key.verifying_key()),
        sequence,
        issued: days(issued)?,
        expires: days(expires)?,
    };
    let mut out = alloc::vec::Vec::with_capacity(MAX_HEAD + MAX_COUNT + sorted.len() * 4 + SIGNATURE_LEN);
    let mut buf = [0u8; MAX_HEAD];
    let encoding = "encoding failed";
    out.extend_from_slice(postcard::to_slice(&head, &mut buf).map_err(|_| invalid(encoding))?);
    out.extend_from_slice(postcard::to_slice(&count, &mut buf).map_err(|_| invalid(encoding))?);
    for e in &sorted {
        out.extend_from_slice(postcard::to_slice(e, &mut buf).map_err(|_| invalid(encoding))?);
    }
    if let Some(certificates) = certificates {
        let mut serials = alloc::vec::Vec::from(certificates);
        serials.sort_unstable();
        if serials.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid("a certificate serial is listed twice"));
        }
        let n = u32::try_from(serials.len()).map_err(|_| invalid("too many certificates"))?;
        out.extend_from_slice(postcard::to_slice(&n, &mut buf).map_err(|_| invalid(encoding))?);
        for s in &serials {
            out.extend_from_slice(postcard::to_slice(s, &mut buf).map_err(|_| invalid(encoding))?);
        }
    }
    if let Some(pairs) = sub_certificates {
        let mut pairs = alloc::vec::Vec::from(pairs);
        pairs.sort_unstable();
        if pairs.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid("a sub-reseller certificate is listed twice"));
        }
        let n = u32::try_from(pairs.len()).map_err(|_| invalid("too many sub-reseller certificates"))?;
        out.extend_from_slice(postcard::to_slice(&n, &mut buf).map_err(|_| invalid(encoding))?);
        for p in &pairs {
            out.extend_from_slice(postcard::to_slice(p, &mut buf).map_err(|_| invalid(encoding))?);
        }
    }
    let signature = key.sign(SignedMessage::new(product, &out)?.as_bytes());
    out.extend_from_slice(&signature.to_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;
    use proptest::prelude::*;

    const PRODUCT: &str = "demo-erp";

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn keys() -> [PublicKey; 1] {
        [PublicKey::from(key().verifying_key())]
    }

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn entry(license_id: u32, revisions: RevokedRevisions) -> RevocationEntry {
        RevocationEntry {
            license_id,
            revisions,
        }
    }

    fn sample() -> Vec<u8> {
        let entries = [
            entry(1001, RevokedRevisions::UpTo(3)),
            entry(7, RevokedRevisions::All),
            entry(70_000, RevokedRevisions::UpTo(0)),
        ];
        sign_revocation_list(PRODUCT, 5, d(2026, 3, 1), d(2026, 6, 1), &entries, &key()).unwrap()
    }

    /// Re-sign a hand-edited body so only the canonical checks can catch it.
    fn resign(body: &[u8]) -> Vec<u8> {
        use ed25519_dalek::Signer;
        let mut out = body.to_vec();
        out.extend_from_slice(
            &key()
                .sign(SignedMessage::new(PRODUCT, body).unwrap().as_bytes())
                .to_bytes(),
        );
        out
    }

    #[test]
    fn version_2_lists_revoke_certificates_and_version_1_lists_still_verify() {
        let entries = [entry(7, RevokedRevisions::All)];
        let v2 = sign_revocation_list_with_certificates(
            PRODUCT,
            6,
            d(2026, 3, 1),
            d(2026, 6, 1),
            &entries,
            &[9, 3],
            &key(),
        )
        .unwrap();
        assert_eq!(v2[0], REVOCATION_LIST_VERSION_CERTIFICATES);
        let list = UntrustedRevocationList::parse(&v2)
            .unwrap()
            .verify(&keys(), PRODUCT)
            .unwrap();
        assert_eq!(list.revoked_certificates().collect::<Vec<_>>(), [3, 9]);
        assert!(list.revokes_certificate(9) && !list.revokes_certificate(7));
        assert!(list.is_revoked(7, 1) && list.len() == 1);
        let v1 = sample();
        let list = UntrustedRevocationList::parse(&v1)
            .unwrap()
            .verify(&keys(), PRODUCT)
            .unwrap();
        assert_eq!(list.revoked_certificates().count(), 0);
        // Canonical: a v1 body with a certificate section, or a v2 body without one, is refused.
        let body = &v1[..v1.len() - SIGNATURE_LEN];
        let mut as_v2 = body.to_vec();
        as_v2[0] = 2;
        assert!(UntrustedRevocationList::parse(&resign(&as_v2)).is_err());
        let mut with_section = body.to_vec();
        with_section.extend_from_slice(&[1, 5]);
        assert!(UntrustedRevocationList::parse(&resign(&with_section)).is_err());
        as_v2.extend_from_slice(&[2, 5, 5]);
        assert!(
            UntrustedRevocationList::parse(&resign(&as_v2)).is_err(),
            "serials not ascending"
        );
        as_v2.truncate(as_v2.len() - 3);
        as_v2.extend_from_slice(&[2, 4, 5]);
        assert!(UntrustedRevocationList::parse(&resign(&as_v2)).is_ok());
        assert!(
            sign_revocation_list_with_certificates(
                PRODUCT,
                6,
                d(2026, 3, 1),
                d(2026, 6, 1),
                &[],
                &[4, 4],
                &key()
            )
            .is_err()
        );
    }

    fn pair(reseller: u32, sub_reseller: u32) -> SubCertificateSerial {
        SubCertificateSerial {
            reseller,
            sub_reseller,
        }
    }

    #[test]
    fn version_3_lists_revoke_sub_reseller_certificates_by_the_pair_of_serials() {
        let entries = [entry(7, RevokedRevisions::All)];
        let v3 = sign_revocation_list_with_sub_certificates(
            PRODUCT,
            7,
            d(2026, 3, 1),
            d(2026, 6, 1),
            &entries,
            &[9],
            &[pair(7, 300), pair(7, 2), pair(3, 2)],
            &key(),
        )
        .unwrap();
        assert_eq!(v3[0], REVOCATION_LIST_VERSION_SUB_CERTIFICATES);
        let list = UntrustedRevocationList::parse(&v3)
            .unwrap()
            .verify(&keys(), PRODUCT)
            .unwrap();
        assert_eq!(
            list.revoked_sub_certificates().collect::<Vec<_>>(),
            [pair(3, 2), pair(7, 2), pair(7, 300)]
        );
        assert_eq!(list.revoked_certificates().collect::<Vec<_>>(), [9]);
        assert!(list.revokes_sub_certificate(7, 300) && list.revokes_sub_certificate(3, 2));
        assert!(!list.revokes_sub_certificate(9, 2) && !list.revokes_sub_certificate(2, 3));
        assert!(list.revokes_reseller(9) && !list.revokes_reseller(7));
        assert!(list.revokes_sub_reseller(7, 2) && !list.revokes_sub_reseller(7, 3));
        assert!(list.is_revoked(7, 1) && list.len() == 1);
        // Exact body: the version-2 layout, then 3 pairs ascending by (reseller, sub).
        let kid = keys()[0].id();
        let body = [
            3, kid, 7, 0xCB, 0x11, 0xA7, 0x12, 1, 7, 0, 1, 9, 3, 3, 2, 7, 2, 7, 0xAC, 0x02,
        ];
        assert_eq!(&v3[..v3.len() - SIGNATURE_LEN], &body);
        // Version 3 with no pairs is valid; the lists of versions 1 and 2 have none.
        let empty = resign(&[3, kid, 1, 0, 1, 0, 0, 0]);
        let list = UntrustedRevocationList::parse(&empty).unwrap();
        assert_eq!(
            list.verify(&keys(), PRODUCT)
                .unwrap()
                .revoked_sub_certificates()
                .count(),
            0
        );
        let v1 = sample();
        let list = UntrustedRevocationList::parse(&v1)
            .unwrap()
            .verify(&keys(), PRODUCT)
            .unwrap();
        assert_eq!(list.revoked_sub_certificates().count(), 0);
        assert!(!list.revokes_sub_reseller(7, 1));
        // Canonical only: pairs out of order, repeated, an overlong varint, a missing or
        // extra section, a count that does not match.
        let cases: [(&str, &[u8]); 7] = [
            ("not ascending", &[3, kid, 1, 0, 1, 0, 0, 2, 7, 2, 3, 2]),
            ("repeated", &[3, kid, 1, 0, 1, 0, 0, 2, 7, 2, 7, 2]),
            ("overlong", &[3, kid, 1, 0, 1, 0, 0, 1, 0x87, 0x00, 2]),
            ("no section", &[3, kid, 1, 0, 1, 0, 0]),
            ("count too high", &[3, kid, 1, 0, 1, 0, 0, 2, 7, 2]),
            ("pair cut short", &[3, kid, 1, 0, 1, 0, 0, 1, 7]),
            ("trailing byte", &[3, kid, 1, 0, 1, 0, 0, 1, 7, 2, 0]),
        ];
        for (name, body) in cases {
            let bytes = resign(body);
            let result = UntrustedRevocationList::parse(&bytes);
            assert!(
                matches!(result, Err(Error::InvalidRevocationList(_))),
                "{name}: {result:?}"
            );
        }
        // A version-2 body with a pair section appended is not a version-3 list.
        assert!(UntrustedRevocationList::parse(&resign(&[2, kid, 1, 0, 1, 0, 0, 1, 7, 2])).is_err());
        assert!(matches!(
            sign_revocation_list_with_sub_certificates(
                PRODUCT,
                1,
                d(2026, 3, 1),
                d(2026, 6, 1),
                &[],
                &[],
                &[pair(7, 2), pair(7, 2)],
                &key()
            ),
            Err(Error::InvalidRevocationList(
                "a sub-reseller certificate is listed twice"
            ))
        ));
    }

    /// What a reader does with a list version it does not know: refused by its first
    /// byte, before anything else is read. Readers of versions 1 and 2 (this crate before
    /// version 3) meet a version-3 list exactly so; here version 4 stands in for it.
    #[test]
    fn a_list_version_the_reader_does_not_know_is_refused_by_its_version_byte() {
        let v3 = sign_revocation_list_with_sub_certificates(
            PRODUCT,
            7,
            d(2026, 3, 1),
            d(2026, 6, 1),
            &[],
            &[],
            &[pair(7, 2)],
            &key(),
        )
        .unwrap();
        let mut next = v3[..v3.len() - SIGNATURE_LEN].to_vec();
        next[0] = REVOCATION_LIST_VERSION_SUB_CERTIFICATES + 1;
        assert_eq!(
            UntrustedRevocationList::parse(&resign(&next)),
            Err(Error::InvalidRevocationList(
                "unsupported format version: update the software"
            ))
        );
    }

    #[test]
    fn round_trip() {
        let bytes = sample();
        let list = UntrustedRevocationList::parse(&bytes)
            .unwrap()
            .verify(&keys(), PRODUCT)
            .unwrap();
        assert_eq!(list.sequence(), 5);
        assert_eq!(list.issued(), d(2026, 3, 1));
        assert_eq!(list.expires(), d(2026, 6, 1));
        assert_eq!(list.key_id(), keys()[0].id());
        assert_eq!(list.len(), 3);
        let ids: Vec<u32> = list.entries().map(|e| e.license_id).collect();
        assert_eq!(ids, [7, 1001, 70_000]);
        assert!(list.is_revoked(7, 0) && list.is_revoked(7, u32::MAX));
        assert!(list.is_revoked(1001, 0) && list.is_revoked(1001, 3));
        assert!(!list.is_revoked(1001, 4));
        assert!(list.is_revoked(70_000, 0) && !list.is_revoked(70_000, 1));
        assert!(!list.is_revoked(8, 0) && !list.is_revoked(1, 0) && !list.is_revoked(u32::MAX, 0));
        assert_eq!(list.entry(1001), Some(entry(1001, RevokedRevisions::UpTo(3))));
        assert_eq!(list.as_bytes(), &bytes[..]);
    }

    #[test]
    fn exact_bytes_are_pinned() {
        let entries = [
            entry(1, RevokedRevisions::All),
            entry(300, RevokedRevisions::UpTo(2)),
        ];
        let bytes =
            sign_revocation_list(PRODUCT, 1, Date::CODE_EPOCH, d(2020, 1, 2), &entries, &key()).unwrap();
        let kid = keys()[0].id();
        let body = [1, kid, 1, 0, 1, 2, 1, 0, 0xAC, 0x02, 1, 2];
        assert_eq!(&bytes[..body.len()], &body);
        assert_eq!(bytes.len(), body.len() + SIGNATURE_LEN);
    }

    #[test]
    fn empty_list() {
        let bytes = sign_revocation_list(PRODUCT, 0, d(2026, 1, 1), d(2026, 1, 2), &[], &key()).unwrap();
        let list = UntrustedRevocationList::parse(&bytes)
            .unwrap()
            .verify(&keys(), PRODUCT)
            .unwrap();
        assert!(list.is_empty());
        assert_eq!(list.entries().count(), 0);
        assert!(!list.is_revoked(0, 0));
    }

    #[test]
    fn builder_refuses_bad_input() {
        let k = key();
        let dup = [
            entry(1, RevokedRevisions::All),
            entry(1, RevokedRevisions::UpTo(1)),
        ];
        assert!(matches!(
            sign_revocation_list(PRODUCT, 1, d(2026, 1, 1), d(2026, 2, 1), &dup, &k),
            Err(Error::InvalidRevocationList(_))
        ));
        assert!(sign_revocation_list(PRODUCT, 1, d(2026, 2, 1), d(2026, 2, 1), &[], &k).is_err());
        assert!(sign_revocation_list(PRODUCT, 1, d(2019, 2, 1), d(2026, 2, 1), &[], &k).is_err());
    }

    #[test]
    fn tampering_and_wrong_key_are_refused() {
        let bytes = sample();
        for i in 0..bytes.len() {
            let mut t = bytes.clone();
            t[i] ^= 0x01;
            let result =
                UntrustedRevocationList::parse(&t).and_then(|u| u.verify(&keys(), PRODUCT).map(|_| ()));
            assert!(result.is_err(), "flipped byte {i} still verifies");
        }
        let other = [PublicKey::from(SigningKey::from_bytes(&[8; 32]).verifying_key())];
        let kid = keys()[0].id();
        assert_eq!(
            UntrustedRevocationList::parse(&bytes)
                .unwrap()
                .verify(&other, PRODUCT),
            Err(Error::RevocationListUnknownKey { key_id: kid })
        );
        // The vendor's list for another product does not verify for this one.
        assert_eq!(
            UntrustedRevocationList::parse(&bytes)
                .unwrap()
                .verify(&keys(), "demo-crm"),
            Err(Error::RevocationListBadSignature)
        );
        // A different key that happens to carry the same id: the signature decides.
        let mut forged = bytes.clone();
        let split = forged.len() - SIGNATURE_LEN;
        let forged_signature = SigningKey::from_bytes(&[9; 32]).sign_raw(&forged[..split]);
        forged[split..].copy_from_slice(&forged_signature);
        assert_eq!(
            UntrustedRevocationList::parse(&forged)
                .unwrap()
                .verify(&keys(), PRODUCT),
            Err(Error::RevocationListBadSignature)
        );
        // A truncated list.
        assert!(
            UntrustedRevocationList::parse(&bytes[..bytes.len() - 1])
                .and_then(|u| u.verify(&keys(), PRODUCT))
                .is_err()
        );
    }

    trait SignRaw {
        fn sign_raw(&self, body: &[u8]) -> [u8; 64];
    }
    impl SignRaw for SigningKey {
        fn sign_raw(&self, body: &[u8]) -> [u8; 64] {
            use ed25519_dalek::Signer;
            self.sign(SignedMessage::new(PRODUCT, body).unwrap().as_bytes())
                .to_bytes()
        }
    }

    #[test]
    fn non_canonical_inputs_are_refused() {
        let kid = keys()[0].id();
        let good = [1, kid, 1, 0, 1, 2, 1, 0, 0xAC, 0x02, 1, 2];
        assert!(
            UntrustedRevocationList::parse(&resign(&good))
                .unwrap()
                .verify(&keys(), PRODUCT)
                .is_ok()
        );
        let cases: [(&str, &[u8]); 9] = [
            (
                "overlong sequence",
                &[1, kid, 0x81, 0x00, 0, 1, 2, 1, 0, 0xAC, 0x02, 1, 2],
            ),
            ("overlong entry id", &[1, kid, 1, 0, 1, 1, 0x81, 0x00, 0]),
            ("unsorted", &[1, kid, 1, 0, 1, 2, 0xAC, 0x02, 0, 1, 0]),
            ("duplicate", &[1, kid, 1, 0, 1, 2, 1, 0, 1, 1, 2]),
            ("count too high", &[1, kid, 1, 0, 1, 3, 1, 0, 0xAC, 0x02, 1, 2]),
            ("count too low", &[1, kid, 1, 0, 1, 1, 1, 0, 0xAC, 0x02, 1, 2]),
            ("unknown revision tag", &[1, kid, 1, 0, 1, 1, 1, 2, 0]),
            ("expiry not after issue", &[1, kid, 1, 5, 5, 0]),
            ("trailing byte", &[1, kid, 1, 0, 1, 0, 0]),
        ];
        for (name, body) in cases {
            let bytes = resign(body);
            let result = UntrustedRevocationList::parse(&bytes);
            assert!(
                matches!(result, Err(Error::InvalidRevocationList(_))),
                "{name}: {result:?}"
            );
        }
        let v2 = resign(&[2, kid, 1, 0, 1, 0]);
        assert!(matches!(
            UntrustedRevocationList::parse(&v2),
            Err(Error::InvalidRevocationList(_))
        ));
        for cut in 0..good.len() {
            assert!(
                UntrustedRevocationList::parse(&resign(&good[..cut])).is_err(),
                "cut at {cut}"
            );
        }
        assert!(UntrustedRevocationList::parse(&[]).is_err());
        assert!(UntrustedRevocationList::parse(&[1; SIGNATURE_LEN]).is_err());
    }

    fn revisions() -> impl Strategy<Value = RevokedRevisions> {
        prop_oneof![
            Just(RevokedRevisions::All),
            any::<u32>().prop_map(RevokedRevisions::UpTo)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_list_round_trips(
            sequence in any::<u64>(),
            ids in proptest::collection::btree_map(any::<u32>(), revisions(), 0..40),
            probe in any::<u32>(),
            revision in any::<u32>(),
        ) {
            let entries: Vec<RevocationEntry> =
                ids.iter().rev().map(|(&license_id, &revisions)| RevocationEntry { license_id, revisions }).collect();
            let bytes = sign_revocation_list(PRODUCT, sequence, d(2026, 1, 1), d(2027, 1, 1), &entries, &key()).unwrap();
            let list = UntrustedRevocationList::parse(&bytes).unwrap().verify(&keys(), PRODUCT).unwrap();
            prop_assert_eq!(list.sequence(), sequence);
            let back: Vec<RevocationEntry> = list.entries().collect();
            let expected: Vec<RevocationEntry> =
                ids.iter().map(|(&license_id, &revisions)| RevocationEntry { license_id, revisions }).collect();
            prop_assert_eq!(back, expected);
            let revoked = ids.get(&probe).is_some_and(|r| r.contains(revision));
            prop_assert_eq!(list.is_revoked(probe, revision), revoked);
        }
    }
}
