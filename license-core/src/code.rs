//! Signing and verifying codes: untrusted in, verified out.

use core::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey};

use crate::context::Context;
use crate::context::{Field, Message, hint};
use crate::date::Date;
use crate::error::Error;
use crate::format::Format;
use crate::format::{MAX_CODE_BYTES, MAX_PAYLOAD, SIGNATURE_LEN};
use crate::key::PublicKey;
use crate::machine_match::MachineMatch;
use crate::model::License;
use crate::model::SeatServerDigest;
use crate::status::{Evaluation, Policy};
use crate::strict;
use crate::text::{self, TextKind};
use crate::wire::{self, Hints, Payload};

/// A signed code, as produced by [`sign`]. `Display` gives the text form.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LicenseCode {
    bytes: [u8; MAX_CODE_BYTES],
    len: usize,
}

impl LicenseCode {
    /// Payload followed by the 64-byte signature.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Characters of the text form, without dashes.
    pub const fn text_len(&self) -> usize {
        text::symbols_for(self.len)
    }
}

impl fmt::Display for LicenseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        text::write(TextKind::License, self.as_bytes(), f)
    }
}

impl fmt::Debug for LicenseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LicenseCode({self})")
    }
}

fn hints_for(ctx: &Context<'_>, database_bound: bool) -> Result<Hints, Error> {
    let database = match (database_bound, ctx.database) {
        (false, _) => None,
        (true, Some(db)) => Some(hint(Field::Database, db)),
        (true, None) => return Err(Error::DatabaseCodeRequired),
    };
    Ok(Hints {
        product: hint(Field::Product, ctx.product),
        licensee: hint(Field::Licensee, ctx.licensee),
        database,
    })
}

/// Sign `license` for the installation described by `ctx` (product, licensee and, if the
/// license is bound to one, database code; `ctx.machine` is not used: the machine
/// binding is part of the license). Deterministic: the same inputs give the same code.
///
/// Writes format 2, except for a license whose machine binding is a format-1 binding
/// (one-byte digests, from a format-1 fingerprint), which only format 1 can carry: a
/// re-issue of such a license stays format 1 until the customer sends a new fingerprint.
pub fn sign(license: &License, ctx: &Context<'_>, key: &SigningKey) -> Result<LicenseCode, Error> {
    let format = match license.binding.machine {
        Some(m) => m.format(),
        None => Format::V2,
    };
    sign_as(format, license, ctx, key)
}

/// Sign in the given format (format 1 only for what format 1 can express).
pub fn sign_as(
    format: Format,
    license: &License,
    ctx: &Context<'_>,
    key: &SigningKey,
) -> Result<LicenseCode, Error> {
    let payload = Payload {
        format,
        key_id: crate::key::key_id(&key.verifying_key()),
        license: *license,
        hints: hints_for(ctx, license.binding.database)?,
    };
    let mut buf = [0u8; MAX_PAYLOAD];
    let n = wire::encode(&payload, &mut buf)?;
    let message = Message::build(ctx, license.binding.database, &buf[..n])?;
    if message.database_missing {
        return Err(Error::DatabaseCodeRequired);
    }
    let signature = key.sign(message.as_bytes());
    let mut bytes = [0u8; MAX_CODE_BYTES];
    bytes[..n].copy_from_slice(&buf[..n]);
    bytes[n..n + SIGNATURE_LEN].copy_from_slice(&signature.to_bytes());
    Ok(LicenseCode {
        bytes,
        len: n + SIGNATURE_LEN,
    })
}

/// A code that decoded correctly but whose signature has not been checked yet.
/// Its contents are claims, not facts: use [`UntrustedCode::verify`] to get a
/// [`VerifiedLicense`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UntrustedCode {
    bytes: [u8; MAX_CODE_BYTES],
    len: usize,
    payload: Payload,
}

impl UntrustedCode {
    /// Parse the text form: typo check, then decoding. No heap.
    pub fn parse(text: &str) -> Result<UntrustedCode, Error> {
        let mut bytes = [0u8; MAX_CODE_BYTES];
        let len = text::decode(TextKind::License, text, &mut bytes)?;
        Self::from_array(bytes, len)
    }

    /// Parse the binary form (payload and signature).
    pub fn from_bytes(input: &[u8]) -> Result<UntrustedCode, Error> {
        if input.len() > MAX_CODE_BYTES {
            return Err(Error::TooLong {
                max: text::symbols_for(MAX_CODE_BYTES),
            });
        }
        let mut bytes = [0u8; MAX_CODE_BYTES];
        bytes[..input.len()].copy_from_slice(input);
        Self::from_array(bytes, input.len())
    }

    fn from_array(bytes: [u8; MAX_CODE_BYTES], len: usize) -> Result<UntrustedCode, Error> {
        if len == 0 {
            return Err(Error::Empty);
        }
        if len <= SIGNATURE_LEN {
            // Too short for a signature: report an unknown version before a bare length.
            return match Format::from_version(bytes[0]) {
                Some(_) => Err(Error::Malformed("too short to hold a signature")),
                None => Err(Error::UnsupportedVersion { version: bytes[0] }),
            };
        }
        let payload = wire::decode(&bytes[..len - SIGNATURE_LEN])?;
        Ok(UntrustedCode { bytes, len, payload })
    }

    /// The key id the code claims to be signed with.
    pub const fn key_id(&self) -> u8 {
        self.payload.key_id
    }

    /// The code's format version.
    pub const fn format(&self) -> Format {
        self.payload.format
    }

    /// The license as the code claims it, unverified: for showing what a code says
    /// (marked as unverified) before the vendor's key is at hand. Never grant from it.
    pub const fn unverified_license(&self) -> &License {
        &self.payload.license
    }

    /// Payload followed by the signature.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Check the code against the vendor's keys and this installation. In order, the
    /// most specific cause first: unknown key, wrong product, wrong licensee, database
    /// code missing or wrong, bad signature, machine fingerprint missing or not matching.
    pub fn verify(&self, keys: &[PublicKey], ctx: &Context<'_>) -> Result<VerifiedLicense, Error> {
        let message = self.signed_message(keys, ctx)?;
        let signature = self.signature();
        let mut candidates = keys.iter().filter(|k| k.id() == self.payload.key_id);
        if !candidates.any(|k| strict::verify(k, message.as_bytes(), &signature)) {
            return Err(Error::BadSignature);
        }
        self.accept(ctx)
    }

    /// The checks before the signature, in [`Self::verify`]'s order (a key with the
    /// code's id among `keys`, product, licensee, database code), then the signed message.
    pub(crate) fn signed_message(&self, keys: &[PublicKey], ctx: &Context<'_>) -> Result<Message, Error> {
        let p = &self.payload;
        if !keys.iter().any(|k| k.id() == p.key_id) {
            return Err(Error::UnknownKey { key_id: p.key_id });
        }
        let message = Message::build(
            ctx,
            p.license.binding.database,
            &self.bytes[..self.len - SIGNATURE_LEN],
        )?;
        let [product, licensee, database] = message.hints;
        if product != p.hints.product {
            return Err(Error::WrongProduct);
        }
        if licensee != p.hints.licensee {
            return Err(Error::WrongLicensee);
        }
        if let Some(expected) = p.hints.database {
            if message.database_missing {
                return Err(Error::DatabaseCodeRequired);
            }
            if database != expected {
                return Err(Error::WrongDatabase);
            }
        }
        Ok(message)
    }

    /// The code's signature.
    pub(crate) fn signature(&self) -> Signature {
        let mut sig = [0u8; SIGNATURE_LEN];
        sig.copy_from_slice(&self.bytes[self.len - SIGNATURE_LEN..self.len]);
        Signature::from_bytes(&sig)
    }

    /// The checks after the signature (machine binding): the verified license.
    pub(crate) fn accept(&self, ctx: &Context<'_>) -> Result<VerifiedLicense, Error> {
        let p = &self.payload;
        let machine = match &p.license.binding.machine {
            None => None,
            Some(binding) => {
                let m = binding.check(ctx.machine.ok_or(Error::MachineFingerprintRequired)?);
                if !m.is_match() {
                    return Err(Error::WrongMachine(m));
                }
                Some(m)
            }
        };
        Ok(VerifiedLicense {
            license: p.license,
            key_id: p.key_id,
            format: p.format,
            machine,
        })
    }
}

impl fmt::Display for UntrustedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        text::write(TextKind::License, self.as_bytes(), f)
    }
}

/// A license whose signature, product, licensee and bindings checked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifiedLicense {
    license: License,
    key_id: u8,
    format: Format,
    machine: Option<MachineMatch>,
}

impl VerifiedLicense {
    /// The verified scope.
    pub const fn license(&self) -> &License {
        &self.license
    }

    /// The id of the key that signed it.
    pub const fn key_id(&self) -> u8 {
        self.key_id
    }

    /// The code's format version.
    pub const fn format(&self) -> Format {
        self.format
    }

    /// The seat server the vendor licensed for this code, if it names one (format 2).
    pub const fn seat_server(&self) -> Option<&SeatServerDigest> {
        self.license.binding.seat_server.as_ref()
    }

    /// Whether the code names the seat server with this Ed25519 public key: a seat client
    /// accepts lease tokens only from a server for which this holds. `false` when the code
    /// names no seat server.
    pub fn binds_seat_server(&self, public_key: &[u8; 32]) -> bool {
        self.license
            .binding
            .seat_server
            .is_some_and(|d| d.matches(public_key))
    }

    /// For a machine-bound license: how this machine matched (which components changed
    /// within the tolerance, which were unreadable).
    pub const fn machine_match(&self) -> Option<&MachineMatch> {
        self.machine.as_ref()
    }

    /// Status and version entitlement on `today` for a release built on `build_date`.
    pub fn evaluate(&self, today: Date, build_date: Date, policy: &Policy) -> Evaluation {
        crate::status::evaluate(&self.license, today, build_date, policy)
    }
}
