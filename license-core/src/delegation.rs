//! Delegation certificates and reseller codes (format v2; see `docs/FORMAT.md`,
//! "Delegated codes (format v2)").
//!
//! The vendor signs a reseller's Ed25519 key together with its [`Frame`] for one
//! product: a [`Certificate`]. A reseller allowed to delegate signs a sub-reseller's
//! key the same way, with a frame inside its own. A reseller's code is the chain of
//! certificates (vendor's first, the signer's last) followed by an ordinary code signed
//! by the last certificate's key, in one text. Verification checks every certificate's
//! signature up to a configured vendor key, every frame inside its parent's, the
//! vendor's revocations, and the license inside the last frame. No heap, no clock.

use core::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey};
use serde::{Deserialize, Serialize};

use crate::certificate_revocations::{CertificateRevocations, FirstLevelOnly, NoRevocations};
use crate::code::{LicenseCode, UntrustedCode, VerifiedLicense, sign};
use crate::context::{Context, MAX_CONTEXT_FIELD};
use crate::context::{Field, hint};
use crate::date::Date;
use crate::delegation_error::DelegationError;
use crate::error::Error;
use crate::format::{MAX_CODE_BYTES, SIGNATURE_LEN};
use crate::frame::{Frame, KindSet, LineSet};
use crate::id_range::IdRange;
use crate::key::PublicKey;
use crate::model::{License, ModuleSet};
use crate::reseller_name::{MAX_RESELLER_NAME, ResellerName};
use crate::segmented;
use crate::strict;
use crate::text::TextKind;

/// The most certificates in a chain (vendor -> reseller -> sub-reseller -> sub-sub-reseller).
pub const MAX_CHAIN: usize = 3;

/// First byte of a reseller's code: `0xD0 | number of certificates`. Plain codes start
/// with their payload's format version (1, 2), so the two never meet.
const TAG_CODE: u8 = 0xD0;
/// First byte of a certificate chain on its own: `0xC0 | number of certificates`.
const TAG_CHAIN: u8 = 0xC0;
/// Domain separation for certificate signatures.
const DOMAIN_CERTIFICATE: &[u8] = b"license-core/v2 certificate\0";

const HEAD_DEPTH_SHIFT: u8 = 4;
const HEAD_BINDING: u8 = 0b0100_0000;
const HEAD_RESERVED: u8 = 0b1000_0000;

/// Optional fields of a certificate, by bit of its field mask, in wire order. The
/// usable-days limits come first, by kind: trial, subscription, NFR, full (the
/// commonest limits fit the first byte of the mask).
const OPT_DAYS: [u32; 4] = [1 << 3, 1 << 0, 1 << 1, 1 << 2]; // indexed by kind bits
const OPT_USERS: u32 = 1 << 4;
const OPT_SEATS: u32 = 1 << 5;
const OPT_NOT_BEFORE: u32 = 1 << 6;
const OPT_MAINTENANCE: u32 = 1 << 7;
const OPT_IDS: u32 = 1 << 8;
const OPT_ALL: u32 = (1 << 9) - 1;
/// The wire order of the days limits: kind bits of trial, subscription, NFR, full.
const DAYS_ORDER: [usize; 4] = [1, 2, 3, 0];

/// Largest encoding of a certificate without its signature: head, vendor key id,
/// serial, key, name, product hint, lines, modules, end, mask, then every optional field.
const MAX_CERT_BODY: usize =
    1 + 1 + 5 + 32 + 1 + MAX_RESELLER_NAME + 1 + 3 + 10 + 5 + 5 + 4 * 5 + 5 * 4 + 2 * 5;
/// Largest certificate, signature included.
pub const MAX_CERTIFICATE_BYTES: usize = MAX_CERT_BODY + SIGNATURE_LEN;
/// Largest certificate chain (tag and certificates).
pub const MAX_CHAIN_BYTES: usize = 1 + MAX_CHAIN * MAX_CERTIFICATE_BYTES;
/// Largest reseller's code (tag, certificates, code).
pub const MAX_DELEGATED_BYTES: usize = MAX_CHAIN_BYTES + MAX_CODE_BYTES;
/// Most symbols of a reseller's code's text (without dashes).
const MAX_DELEGATED_SYMBOLS: usize = segmented::segmented_symbols_for(MAX_DELEGATED_BYTES);

impl DelegationError {
    /// The class of this error.
    pub const fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            DelegationError::UnknownVendorKey { .. }
            | DelegationError::BadCertificateSignature { .. }
            | DelegationError::NotSignedByReseller { .. } => ErrorKind::Signature,
            DelegationError::WrongProduct { .. } => ErrorKind::Binding,
            DelegationError::Revoked { .. }
            | DelegationError::SubResellerRevoked { .. }
            | DelegationError::Widening { .. }
            | DelegationError::OutsideFrame { .. } => ErrorKind::Delegation,
            DelegationError::KeyMismatch { .. } | DelegationError::InvalidCertificate(_) => ErrorKind::Usage,
        }
    }
}

fn delegation(e: DelegationError) -> Error {
    Error::Delegation(e)
}

/// One certificate: the reseller's key and name, its serial, and its frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// The serial the issuer gave it (the vendor revokes first-level certificates by it).
    pub serial: u32,
    /// The certified reseller's public key.
    pub subject: PublicKey,
    /// The reseller's display name.
    pub name: ResellerName,
    /// What the reseller may issue.
    pub frame: Frame,
}

/// A decoded certificate and where it lies in its chain's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    cert: Certificate,
    /// Only in the first certificate: the id of the vendor key that signed it.
    vendor_key_id: Option<u8>,
    product_hint: u8,
    start: usize,
    body_end: usize,
}

impl Entry {
    const fn end(&self) -> usize {
        self.body_end + SIGNATURE_LEN
    }
}

/// The certificates of a chain, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Certs {
    count: usize,
    entries: [Option<Entry>; MAX_CHAIN],
    /// The last certificate (also in `entries`).
    leaf: Entry,
}

impl Certs {
    fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries[..self.count].iter().flatten()
    }
}

struct Writer {
    buf: [u8; MAX_CERT_BODY],
    len: usize,
}

impl Writer {
    fn bytes(&mut self, b: &[u8]) -> Result<(), Error> {
        let end = self.len + b.len();
        self.buf
            .get_mut(self.len..end)
            .ok_or(delegation(DelegationError::InvalidCertificate("too large")))?
            .copy_from_slice(b);
        self.len = end;
        Ok(())
    }

    fn var<T: Serialize>(&mut self, v: &T) -> Result<(), Error> {
        let n = postcard::to_slice(v, &mut self.buf[self.len..])
            .map_err(|_| delegation(DelegationError::InvalidCertificate("too large")))?
            .len();
        self.len += n;
        Ok(())
    }
}

fn days(d: Date) -> Result<u32, Error> {
    u32::try_from(d.days_since(Date::CODE_EPOCH))
        .map_err(|_| delegation(DelegationError::InvalidCertificate("a date before 2020-01-01")))
}

fn nonzero(v: Option<u32>) -> Result<Option<u32>, Error> {
    match v {
        Some(0) => Err(delegation(DelegationError::InvalidCertificate(
            "a limit of zero grants nothing",
        ))),
        v => Ok(v),
    }
}

/// Encode a certificate's body (everything but the signature).
fn encode_body(cert: &Certificate, vendor_key_id: Option<u8>, product_hint: u8) -> Result<Writer, Error> {
    let f = &cert.frame;
    let invalid = |why| delegation(DelegationError::InvalidCertificate(why));
    if f.kinds == KindSet::EMPTY || f.lines == LineSet::EMPTY {
        return Err(invalid("a frame allows at least one kind and one product line"));
    }
    if usize::from(f.delegation_depth) >= MAX_CHAIN {
        return Err(invalid("at most two further levels of sub-resellers"));
    }
    if f.not_before.is_some_and(|nb| nb >= f.not_after) {
        return Err(invalid("the certificate ends before it starts"));
    }
    if f.license_ids.is_some_and(|r| r.first > r.last) {
        return Err(invalid("the license-id range is empty"));
    }
    let mut w = Writer {
        buf: [0; MAX_CERT_BODY],
        len: 0,
    };
    let mut head = f.kinds.bits() | f.delegation_depth << HEAD_DEPTH_SHIFT;
    if f.binding_required {
        head |= HEAD_BINDING;
    }
    w.bytes(&[head])?;
    if let Some(id) = vendor_key_id {
        w.bytes(&[id])?;
    }
    w.var(&cert.serial)?;
    w.bytes(&cert.subject.to_bytes())?;
    w.bytes(&[cert.name.len])?;
    w.bytes(cert.name.as_str().as_bytes())?;
    w.bytes(&[product_hint])?;
    w.var(&f.lines.bits())?;
    w.var(&f.modules.bits())?;
    w.var(&days(f.not_after)?)?;
    let mut mask = 0u32;
    for (k, bit) in OPT_DAYS.iter().enumerate() {
        if nonzero(f.max_days[k])?.is_some() {
            mask |= bit;
        }
    }
    let flag = |present: bool, bit: u32| if present { bit } else { 0 };
    mask |= flag(nonzero(f.named_users)?.is_some(), OPT_USERS)
        | flag(nonzero(f.concurrent_seats)?.is_some(), OPT_SEATS)
        | flag(f.not_before.is_some(), OPT_NOT_BEFORE)
        | flag(nonzero(f.maintenance_days)?.is_some(), OPT_MAINTENANCE)
        | flag(f.license_ids.is_some(), OPT_IDS);
    w.var(&mask)?;
    for k in DAYS_ORDER {
        if let Some(d) = f.max_days[k] {
            w.var(&d)?;
        }
    }
    for v in [f.named_users, f.concurrent_seats].into_iter().flatten() {
        w.var(&v)?;
    }
    if let Some(nb) = f.not_before {
        w.var(&days(nb)?)?;
    }
    if let Some(m) = f.maintenance_days {
        w.var(&m)?;
    }
    if let Some(r) = f.license_ids {
        w.var(&r.first)?;
        w.var(&r.last)?;
    }
    Ok(w)
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.rest.len() < n {
            return Err(Error::Malformed("a certificate is cut short"));
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    fn var<T: Deserialize<'a>>(&mut self) -> Result<T, Error> {
        let (v, rest) = postcard::take_from_bytes(self.rest)
            .map_err(|_| Error::Malformed("a certificate field is cut short or invalid"))?;
        self.rest = rest;
        Ok(v)
    }

    fn date(&mut self) -> Result<Date, Error> {
        let d: u32 = self.var()?;
        Date::CODE_EPOCH
            .checked_add_days(i64::from(d))
            .ok_or(Error::Malformed("a certificate date is out of range"))
    }
}

/// Decode the certificate starting at `start`, canonical only.
fn decode_cert(bytes: &[u8], start: usize, first: bool) -> Result<Entry, Error> {
    let mut r = Reader {
        rest: &bytes[start..],
    };
    let head = r.byte()?;
    if head & HEAD_RESERVED != 0 {
        return Err(Error::Malformed("a certificate has reserved bits set"));
    }
    let vendor_key_id = if first { Some(r.byte()?) } else { None };
    let serial: u32 = r.var()?;
    let mut key = [0u8; 32];
    key.copy_from_slice(r.take(32)?);
    let subject =
        PublicKey::from_bytes(&key).map_err(|_| Error::Malformed("a certificate's key is invalid"))?;
    let name_len = usize::from(r.byte()?);
    let name = core::str::from_utf8(r.take(name_len)?)
        .map_err(|_| Error::Malformed("a reseller name is not UTF-8"))
        .and_then(|n| ResellerName::new(n).map_err(|_| Error::Malformed("a reseller name is invalid")))?;
    let product_hint = r.byte()?;
    let lines = LineSet::from_bits(r.var()?);
    let modules = ModuleSet::from_bits(r.var()?);
    let not_after = r.date()?;
    let mask: u32 = r.var()?;
    if mask & !OPT_ALL != 0 {
        return Err(Error::Malformed("a certificate has unknown fields"));
    }
    let kinds = KindSet::from_bits(head & 0b1111).ok_or(Error::Malformed("kinds"))?;
    let mut frame = Frame::new(kinds, lines, modules, not_after);
    frame.delegation_depth = (head >> HEAD_DEPTH_SHIFT) & 0b11;
    frame.binding_required = head & HEAD_BINDING != 0;
    for k in DAYS_ORDER {
        if mask & OPT_DAYS[k] != 0 {
            frame.max_days[k] = Some(r.var()?);
        }
    }
    if mask & OPT_USERS != 0 {
        frame.named_users = Some(r.var()?);
    }
    if mask & OPT_SEATS != 0 {
        frame.concurrent_seats = Some(r.var()?);
    }
    if mask & OPT_NOT_BEFORE != 0 {
        frame.not_before = Some(r.date()?);
    }
    if mask & OPT_MAINTENANCE != 0 {
        frame.maintenance_days = Some(r.var()?);
    }
    if mask & OPT_IDS != 0 {
        frame.license_ids = Some(IdRange {
            first: r.var()?,
            last: r.var()?,
        });
    }
    let body_end = bytes.len() - r.rest.len();
    r.take(SIGNATURE_LEN)?;
    let entry = Entry {
        cert: Certificate {
            serial,
            subject,
            name,
            frame,
        },
        vendor_key_id,
        product_hint,
        start,
        body_end,
    };
    // Canonical: the one encoding of what was read must be exactly the input.
    let again = encode_body(&entry.cert, vendor_key_id, product_hint).map_err(|_| Error::NonCanonical)?;
    if again.buf[..again.len] != bytes[start..body_end] {
        return Err(Error::NonCanonical);
    }
    Ok(entry)
}

/// Decode the tag and the certificates; returns them and where they end.
fn decode_certs(bytes: &[u8], tag: u8) -> Result<(Certs, usize), Error> {
    let first = *bytes.first().ok_or(Error::Empty)?;
    let count = usize::from(first & 0x0F);
    if first & 0xF0 != tag || count == 0 || count > MAX_CHAIN {
        return Err(Error::Malformed("not a reseller's code or certificate chain"));
    }
    let mut entries = [None; MAX_CHAIN];
    let mut at = 1;
    let mut leaf = None;
    for (i, slot) in entries.iter_mut().take(count).enumerate() {
        let e = decode_cert(bytes, at, i == 0)?;
        at = e.end();
        *slot = Some(e);
        leaf = Some(e);
    }
    let leaf = leaf.ok_or(Error::Malformed("an empty certificate chain"))?;
    Ok((Certs { count, entries, leaf }, at))
}

/// The message a certificate's issuer signs: domain, product id (length byte and bytes),
/// the issuer's public key, the certificate's body.
struct CertMessage {
    buf: [u8; DOMAIN_CERTIFICATE.len() + 1 + MAX_CONTEXT_FIELD + 32 + MAX_CERT_BODY],
    len: usize,
}

impl CertMessage {
    fn new(product: &str, issuer: &PublicKey, body: &[u8]) -> Result<CertMessage, Error> {
        let product = product.as_bytes();
        if product.len() > MAX_CONTEXT_FIELD {
            return Err(Error::ContextTooLong {
                max: MAX_CONTEXT_FIELD,
            });
        }
        let mut m = CertMessage {
            buf: [0; DOMAIN_CERTIFICATE.len() + 1 + MAX_CONTEXT_FIELD + 32 + MAX_CERT_BODY],
            len: 0,
        };
        for part in [
            DOMAIN_CERTIFICATE,
            &[product.len() as u8],
            product,
            &issuer.to_bytes(),
            body,
        ] {
            m.buf[m.len..m.len + part.len()].copy_from_slice(part);
            m.len += part.len();
        }
        Ok(m)
    }
}

/// The signatures of a chain and of the code behind it, prepared for one strict check of
/// all of them (`strict::finish`: one field inversion for the lot). Slot `i` is
/// certificate `i`'s signature under its issuer (for the first, the first of `keys` with
/// its vendor key id), slot [`MAX_CHAIN`] the code's. An empty slot is a signature that
/// does not verify; [`verify_certs`] reports every error in its own order.
type Signatures = [Option<strict::Pending>; MAX_CHAIN + 1];

/// The signature of certificate `e` in `bytes`.
fn cert_signature(bytes: &[u8], e: &Entry) -> Signature {
    let mut sig = [0u8; SIGNATURE_LEN];
    sig.copy_from_slice(&bytes[e.body_end..e.end()]);
    Signature::from_bytes(&sig)
}

/// Certificate `e`'s signature under `issuer`, prepared (`None` when it cannot verify).
fn prepare_cert(bytes: &[u8], e: &Entry, issuer: &PublicKey, product: &str) -> Option<strict::Pending> {
    let m = CertMessage::new(product, issuer, &bytes[e.start..e.body_end]).ok()?;
    strict::prepare(issuer, &m.buf[..m.len], &cert_signature(bytes, e))
}

/// Prepare the signatures of the certificates (see [`Signatures`]).
fn prepare_certs(bytes: &[u8], certs: &Certs, keys: &[PublicKey], product: &str) -> Signatures {
    let mut pending = [None; MAX_CHAIN + 1];
    let mut issuer = certs
        .entries
        .first()
        .copied()
        .flatten()
        .and_then(|e| keys.iter().find(|k| k.id() == e.vendor_key_id.unwrap_or(0)));
    for (slot, e) in pending.iter_mut().zip(certs.iter()) {
        *slot = issuer.and_then(|k| prepare_cert(bytes, e, k, product));
        issuer = Some(&e.cert.subject);
    }
    pending
}

/// Verify the chain for `product` up to one of `keys`: every signature (`valid`: the
/// outcome of the prepared [`Signatures`]), the vendor's revocations (`revoked` is asked
/// about the first certificate's serial and about the second one's by the pair of
/// serials), every frame inside its parent's.
/// Returns the last certificate.
fn verify_certs<'c>(
    bytes: &[u8],
    certs: &'c Certs,
    keys: &[PublicKey],
    product: &str,
    revoked: &impl CertificateRevocations,
    valid: &[bool; MAX_CHAIN + 1],
) -> Result<&'c Entry, Error> {
    let product_hint = hint(Field::Product, product);
    let mut parent: Option<&Entry> = None;
    for (i, e) in certs.iter().enumerate() {
        let reseller = e.cert.name;
        if e.product_hint != product_hint {
            return Err(delegation(DelegationError::WrongProduct { reseller }));
        }
        let verified = match parent {
            None => {
                let id = e.vendor_key_id.unwrap_or(0);
                let mut candidates = keys.iter().filter(|k| k.id() == id).enumerate().peekable();
                if candidates.peek().is_none() {
                    return Err(delegation(DelegationError::UnknownVendorKey { key_id: id }));
                }
                // The first candidate was checked in the batch; others (vendor keys that
                // share an id) one by one.
                candidates.any(|(n, k)| {
                    if n == 0 {
                        valid[i]
                    } else {
                        strict::finish(&[prepare_cert(bytes, e, k, product)])[0]
                    }
                })
            }
            Some(_) => {
                if product.len() > MAX_CONTEXT_FIELD {
                    return Err(Error::ContextTooLong {
                        max: MAX_CONTEXT_FIELD,
                    });
                }
                valid[i]
            }
        };
        if !verified {
            return Err(delegation(DelegationError::BadCertificateSignature { reseller }));
        }
        match parent {
            None if revoked.revokes_reseller(e.cert.serial) => {
                return Err(delegation(DelegationError::Revoked {
                    reseller,
                    serial: e.cert.serial,
                }));
            }
            None => {}
            Some(p) => {
                // Only the second certificate is revocable by its pair of serials (the
                // first one's, unique per product, and its own, unique per reseller).
                if i == 1 && revoked.revokes_sub_reseller(p.cert.serial, e.cert.serial) {
                    return Err(delegation(DelegationError::SubResellerRevoked {
                        reseller,
                        parent_serial: p.cert.serial,
                        serial: e.cert.serial,
                    }));
                }
                e.cert
                    .frame
                    .narrows(&p.cert.frame)
                    .map_err(|violation| delegation(DelegationError::Widening { reseller, violation }))?;
            }
        }
        parent = Some(e);
    }
    parent.ok_or(Error::Malformed("an empty certificate chain"))
}

/// A chain of certificates (the vendor's first), as a reseller installs it. `Display`
/// gives the text form. Parsing does not verify: use [`CertificateChain::verify`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CertificateChain {
    bytes: [u8; MAX_CHAIN_BYTES],
    len: usize,
    certs: Certs,
}

impl CertificateChain {
    /// Parse the text form (typo check per segment, then canonical decoding). No heap.
    pub fn parse(text: &str) -> Result<CertificateChain, Error> {
        let mut bytes = [0u8; MAX_CHAIN_BYTES];
        let len = segmented::decode::<{ segmented::segmented_symbols_for(MAX_CHAIN_BYTES) }>(
            TextKind::Certificate,
            text,
            &mut bytes,
        )?;
        Self::from_array(bytes, len)
    }

    /// Parse the binary form.
    pub fn from_bytes(input: &[u8]) -> Result<CertificateChain, Error> {
        if input.len() > MAX_CHAIN_BYTES {
            return Err(Error::Malformed("too long for a certificate chain"));
        }
        let mut bytes = [0u8; MAX_CHAIN_BYTES];
        bytes[..input.len()].copy_from_slice(input);
        Self::from_array(bytes, input.len())
    }

    /// Decode the first `len` bytes of `bytes`, keeping the array (no second copy).
    fn from_array(bytes: [u8; MAX_CHAIN_BYTES], len: usize) -> Result<CertificateChain, Error> {
        let input = bytes
            .get(..len)
            .ok_or(Error::Malformed("too long for a certificate chain"))?;
        let (certs, end) = decode_certs(input, TAG_CHAIN)?;
        if end != len {
            return Err(Error::Malformed("trailing bytes after the certificates"));
        }
        Ok(CertificateChain { bytes, len, certs })
    }

    /// The tag and certificates.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Number of certificates.
    pub const fn len(&self) -> usize {
        self.certs.count
    }

    /// Always false: a chain holds at least one certificate.
    pub const fn is_empty(&self) -> bool {
        self.certs.count == 0
    }

    /// The certificates, the vendor-signed one first (unverified until [`Self::verify`]).
    pub fn certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.certs.iter().map(|e| &e.cert)
    }

    /// The last certificate: the one whose key signs codes or sub-certificates.
    pub const fn leaf(&self) -> &Certificate {
        &self.certs.leaf.cert
    }

    /// Verify the chain for `product` up to one of the vendor's `keys`: signatures and
    /// every frame inside its parent's. Returns the last certificate.
    pub fn verify(&self, keys: &[PublicKey], product: &str) -> Result<&Certificate, Error> {
        let valid = strict::finish(&prepare_certs(self.as_bytes(), &self.certs, keys, product));
        verify_certs(
            self.as_bytes(),
            &self.certs,
            keys,
            product,
            &NoRevocations,
            &valid,
        )
        .map(|e| &e.cert)
    }
}

impl fmt::Display for CertificateChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        segmented::write(TextKind::Certificate, self.as_bytes(), f)
    }
}

impl fmt::Debug for CertificateChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.certificates()).finish()
    }
}

impl Certificate {
    /// Sign this certificate for `product` with `signer`: the vendor's key (no `parent`),
    /// or the key of the reseller whose chain is `parent`, which must allow delegation and
    /// whose frame this one must lie inside. Returns the new chain.
    pub fn certify(
        &self,
        product: &str,
        signer: &SigningKey,
        parent: Option<&CertificateChain>,
    ) -> Result<CertificateChain, Error> {
        let issuer = PublicKey::from(signer.verifying_key());
        let product_hint = hint(Field::Product, product);
        let (mut bytes, mut len, vendor_key_id) = match parent {
            None => {
                let mut b = [0u8; MAX_CHAIN_BYTES];
                b[0] = TAG_CHAIN | 1;
                (b, 1, Some(issuer.id()))
            }
            Some(chain) => {
                let leaf = chain.leaf();
                if chain.len() >= MAX_CHAIN {
                    return Err(delegation(DelegationError::InvalidCertificate(
                        "a chain holds at most three certificates",
                    )));
                }
                if leaf.subject != issuer {
                    return Err(delegation(DelegationError::KeyMismatch { reseller: leaf.name }));
                }
                if chain.certs.leaf.product_hint != product_hint {
                    return Err(delegation(DelegationError::WrongProduct { reseller: leaf.name }));
                }
                self.frame.narrows(&leaf.frame).map_err(|violation| {
                    delegation(DelegationError::Widening {
                        reseller: self.name,
                        violation,
                    })
                })?;
                let mut b = chain.bytes;
                b[0] = TAG_CHAIN | (chain.len() as u8 + 1);
                (b, chain.len, None)
            }
        };
        let body = encode_body(self, vendor_key_id, product_hint)?;
        let body = &body.buf[..body.len];
        let m = CertMessage::new(product, &issuer, body)?;
        let signature = signer.sign(&m.buf[..m.len]).to_bytes();
        for part in [body, &signature[..]] {
            bytes[len..len + part.len()].copy_from_slice(part);
            len += part.len();
        }
        CertificateChain::from_bytes(&bytes[..len])
    }
}

/// Sign `license` for `ctx` as the reseller holding `chain`'s last certificate, with its
/// key `key`. Refused before signing when the key is not the certified one, the chain is
/// for another product, or the license lies outside the last frame.
pub fn sign_delegated(
    license: &License,
    ctx: &Context<'_>,
    key: &SigningKey,
    chain: &CertificateChain,
) -> Result<DelegatedCode, Error> {
    let leaf = chain.leaf();
    if leaf.subject != PublicKey::from(key.verifying_key()) {
        return Err(delegation(DelegationError::KeyMismatch { reseller: leaf.name }));
    }
    if chain.certs.leaf.product_hint != hint(Field::Product, ctx.product) {
        return Err(delegation(DelegationError::WrongProduct { reseller: leaf.name }));
    }
    leaf.frame.admits(license).map_err(|violation| {
        delegation(DelegationError::OutsideFrame {
            reseller: leaf.name,
            violation,
        })
    })?;
    let code: LicenseCode = sign(license, ctx, key)?;
    let mut bytes = [0u8; MAX_DELEGATED_BYTES];
    let chain_bytes = chain.as_bytes();
    bytes[..chain_bytes.len()].copy_from_slice(chain_bytes);
    bytes[0] = TAG_CODE | chain.len() as u8;
    let len = chain_bytes.len() + code.as_bytes().len();
    bytes[chain_bytes.len()..len].copy_from_slice(code.as_bytes());
    Ok(DelegatedCode { bytes, len })
}

/// A reseller's code as signed by [`sign_delegated`]. `Display` gives the text form.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DelegatedCode {
    bytes: [u8; MAX_DELEGATED_BYTES],
    len: usize,
}

impl DelegatedCode {
    /// Tag, certificates, then the code (payload and signature).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Characters of the text form, without dashes.
    pub const fn text_len(&self) -> usize {
        segmented::segmented_symbols_for(self.len)
    }
}

impl fmt::Display for DelegatedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        segmented::write(TextKind::License, self.as_bytes(), f)
    }
}

impl fmt::Debug for DelegatedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DelegatedCode({self})")
    }
}

/// Whether `text` looks like a reseller's code rather than a plain one: more symbols than
/// the largest plain code, and a first symbol `T` (the top five bits of the tag `0xD_`).
/// Checks nothing else: a text that is not is read, and refused, as a plain code. A text
/// longer than any plain code whose first symbol is not `T` may be a reseller's code with
/// a typo there: see [`is_longer_than_a_plain_code`].
pub fn is_delegated_text(text: &str) -> bool {
    let plain = crate::text::symbols_for(MAX_CODE_BYTES);
    let mut symbols = text.bytes().filter(|&c| c.is_ascii_alphanumeric());
    symbols.next().is_some_and(|c| c.eq_ignore_ascii_case(&b't')) && symbols.take(plain).count() >= plain
}

/// Whether `text` has more symbols than the largest plain code. A reader that finds such
/// a text without the reseller tag (`is_delegated_text` false) tries it as a reseller's
/// code too: a typo in the first group is reported as that (`license-verify` does).
pub fn is_longer_than_a_plain_code(text: &str) -> bool {
    let plain = crate::text::symbols_for(MAX_CODE_BYTES);
    text.bytes()
        .filter(|&c| c.is_ascii_alphanumeric())
        .take(plain + 1)
        .count()
        > plain
}

/// A reseller's code that decoded correctly but has not been verified: its chain and
/// license are claims. Use [`UntrustedDelegatedCode::verify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UntrustedDelegatedCode {
    certs: Certs,
    code: UntrustedCode,
    bytes: [u8; MAX_DELEGATED_BYTES],
    len: usize,
}

impl UntrustedDelegatedCode {
    /// Parse the text form: typo check per segment, then canonical decoding. No heap.
    pub fn parse(text: &str) -> Result<UntrustedDelegatedCode, Error> {
        let mut bytes = [0u8; MAX_DELEGATED_BYTES];
        let len = segmented::decode::<MAX_DELEGATED_SYMBOLS>(TextKind::License, text, &mut bytes)?;
        Self::from_array(bytes, len)
    }

    /// Parse the binary form (tag, certificates, code).
    pub fn from_bytes(input: &[u8]) -> Result<UntrustedDelegatedCode, Error> {
        if input.len() > MAX_DELEGATED_BYTES {
            return Err(Error::TooLong {
                max: MAX_DELEGATED_SYMBOLS,
            });
        }
        let mut bytes = [0u8; MAX_DELEGATED_BYTES];
        bytes[..input.len()].copy_from_slice(input);
        Self::from_array(bytes, input.len())
    }

    /// Decode the first `len` bytes of `bytes`, keeping the array (no second copy).
    fn from_array(bytes: [u8; MAX_DELEGATED_BYTES], len: usize) -> Result<UntrustedDelegatedCode, Error> {
        let input = bytes.get(..len).ok_or(Error::TooLong {
            max: MAX_DELEGATED_SYMBOLS,
        })?;
        let (certs, end) = decode_certs(input, TAG_CODE)?;
        let code = UntrustedCode::from_bytes(&input[end..])?;
        Ok(UntrustedDelegatedCode {
            certs,
            code,
            bytes,
            len,
        })
    }

    /// Tag, certificates and code.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The license as the code claims it, unverified. Never grant from it.
    pub const fn unverified_license(&self) -> &License {
        self.code.unverified_license()
    }

    /// The certificates as the code claims them, the vendor-signed one first, unverified
    /// (a report names the resellers of codes it verified before; never trust a frame
    /// from here).
    pub fn unverified_chain(&self) -> impl Iterator<Item = &Certificate> {
        self.certs.iter().map(|e| &e.cert)
    }

    /// Verify the chain up to one of the vendor's `keys` for `ctx.product` (signatures,
    /// `revoked` asked about the first certificate's serial, every frame inside its
    /// parent's), then the code with the last certificate's key and `ctx` (as
    /// [`UntrustedCode::verify`]), then the license inside the last frame, issued
    /// within the certificate's validity.
    pub fn verify(
        &self,
        keys: &[PublicKey],
        ctx: &Context<'_>,
        revoked: impl Fn(u32) -> bool,
    ) -> Result<VerifiedDelegatedLicense, Error> {
        self.verify_revocations(keys, ctx, &FirstLevelOnly(revoked))
    }

    /// As [`Self::verify`], with the vendor's revoked certificates asked through
    /// `revoked`: the first certificate by its serial, the second by the pair of serials
    /// (a version-3 [`crate::RevocationList`] answers both).
    pub fn verify_revocations(
        &self,
        keys: &[PublicKey],
        ctx: &Context<'_>,
        revoked: &impl CertificateRevocations,
    ) -> Result<VerifiedDelegatedLicense, Error> {
        // Every signature at once, then the checks in their order.
        let bytes = self.as_bytes();
        let signer = [self.certs.leaf.cert.subject];
        let message = self.code.signed_message(&signer, ctx);
        let mut pending = prepare_certs(bytes, &self.certs, keys, ctx.product);
        pending[MAX_CHAIN] = message
            .as_ref()
            .ok()
            .and_then(|m| strict::prepare(&signer[0], m.as_bytes(), &self.code.signature()));
        let valid = strict::finish(&pending);
        let leaf = verify_certs(bytes, &self.certs, keys, ctx.product, revoked, &valid)?;
        let reseller = leaf.cert.name;
        let not_signed = delegation(DelegationError::NotSignedByReseller { reseller });
        message.map_err(|e| match e {
            Error::UnknownKey { .. } => not_signed,
            other => other,
        })?;
        if !valid[MAX_CHAIN] {
            return Err(not_signed);
        }
        let license = self.code.accept(ctx)?;
        leaf.cert
            .frame
            .admits(license.license())
            .map_err(|violation| delegation(DelegationError::OutsideFrame { reseller, violation }))?;
        let mut chain = [None; MAX_CHAIN];
        for (slot, e) in chain.iter_mut().zip(self.certs.iter()) {
            *slot = Some(e.cert);
        }
        Ok(VerifiedDelegatedLicense {
            license,
            chain,
            issuer: leaf.cert,
            depth: self.certs.count,
        })
    }
}

impl fmt::Display for UntrustedDelegatedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        segmented::write(TextKind::License, self.as_bytes(), f)
    }
}

/// A reseller's code whose chain, frames and license checked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifiedDelegatedLicense {
    license: VerifiedLicense,
    chain: [Option<Certificate>; MAX_CHAIN],
    issuer: Certificate,
    depth: usize,
}

impl VerifiedDelegatedLicense {
    /// The verified license.
    pub const fn license(&self) -> &VerifiedLicense {
        &self.license
    }

    /// The reseller that signed the code (the last certificate).
    pub const fn issuer(&self) -> &Certificate {
        &self.issuer
    }

    /// Number of certificates: 1 for a reseller certified by the vendor, 2 for its
    /// sub-reseller.
    pub const fn depth(&self) -> usize {
        self.depth
    }

    /// The certificates, the vendor-signed one first.
    pub fn chain(&self) -> impl Iterator<Item = &Certificate> {
        self.chain[..self.depth].iter().flatten()
    }
}
impl ResellerName {
    /// The name, checked.
    pub fn new(name: &str) -> Result<ResellerName, Error> {
        let b = name.as_bytes();
        if b.is_empty() || b.len() > MAX_RESELLER_NAME || name.chars().any(char::is_control) {
            return Err(Error::Delegation(DelegationError::InvalidCertificate(
                "a reseller name has 1 to 32 bytes and no control characters",
            )));
        }
        let mut bytes = [0u8; MAX_RESELLER_NAME];
        bytes[..b.len()].copy_from_slice(b);
        Ok(ResellerName {
            bytes,
            len: b.len() as u8,
        })
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ResellerName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <alloc::string::String as serde::Deserialize>::deserialize(d)?;
        ResellerName::new(&s).map_err(serde::de::Error::custom)
    }
}
