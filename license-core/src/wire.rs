//! The compact binary payload, format version 1 (see `docs/FORMAT.md`, "Payload").
//!
//! A postcard-encoded head (integers as LEB128 varints) followed by a tail whose
//! presence the head's flags select: the database hint, then the machine binding.
//! Only the canonical encoding is accepted: the decoder re-encodes what it read and
//! refuses any difference (overlong varints, stray flag bits, wrong tail lengths).

use serde::{Deserialize, Serialize};

use crate::fingerprint::MachineBinding;
use crate::model::{Binding, Kind, License, ModuleSet, ProductLine};
use crate::{Date, Error};

/// The format version this crate writes and reads.
pub const VERSION: u8 = 1;
/// Length of the Ed25519 signature at the end of a code.
pub const SIGNATURE_LEN: usize = 64;
/// The largest payload of format version 1, in bytes: 15 head fields at their widest
/// (dates before 9999-12-31 need at most 4 varint bytes), the database hint and a
/// four-component machine binding.
pub const MAX_PAYLOAD: usize = 65;
/// The largest code (payload and signature), in bytes.
pub const MAX_CODE_BYTES: usize = MAX_PAYLOAD + SIGNATURE_LEN;

const FLAG_KIND: u8 = 0b0000_0011;
const FLAG_DATABASE: u8 = 0b0000_0100;
const FLAG_MACHINE: u8 = 0b0000_1000;
const LINE_SHIFT: u8 = 4;

/// The head, in wire order. Field order and types are the format: do not reorder.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct Head {
    version: u8,
    key_id: u8,
    license_id: u32,
    revision: u32,
    flags: u8,
    named_users: u32,
    concurrent_seats: u32,
    demo_seats: u32,
    modules: u64,
    issued: u32,
    valid_from: u32,
    term: u32,
    grace_days: u16,
    maintenance_ends: u32,
    product_hint: u8,
    licensee_hint: u8,
}

/// The one-byte hints of the context the code was issued for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Hints {
    pub product: u8,
    pub licensee: u8,
    /// Present exactly when the license is bound to a database.
    pub database: Option<u8>,
}

/// A decoded payload: the license and what identifies its issuer and context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Payload {
    pub key_id: u8,
    pub license: License,
    pub hints: Hints,
}

fn days_after(from: Date, to: Date) -> Option<u32> {
    u32::try_from(to.days_since(from)).ok()
}

/// Encode into `out`, returning the length. Checks what the format requires of dates
/// and limits; business rules (no zero-user license, ...) belong to the issuer.
pub(crate) fn encode(p: &Payload, out: &mut [u8; MAX_PAYLOAD]) -> Result<usize, Error> {
    let l = &p.license;
    if l.issued < Date::CODE_EPOCH {
        return Err(Error::InvalidLicense("issue date before 2020-01-01"));
    }
    let issued = days_after(Date::CODE_EPOCH, l.issued).ok_or(Error::InvalidLicense("issue date"))?;
    let valid_from = days_after(l.issued, l.valid_from)
        .ok_or(Error::InvalidLicense("valid-from is before the issue date"))?;
    let term = match l.expires {
        None => 0,
        Some(e) if e > l.valid_from => days_after(l.valid_from, e).unwrap_or(0),
        Some(_) => return Err(Error::InvalidLicense("expiry is not after valid-from")),
    };
    let maintenance_ends = match l.maintenance_ends {
        None => 0,
        Some(m) if m > Date::CODE_EPOCH => days_after(Date::CODE_EPOCH, m).unwrap_or(0),
        Some(_) => return Err(Error::InvalidLicense("maintenance end must be after 2020-01-01")),
    };
    let limit = |v: Option<u32>| match v {
        None => Ok(0),
        Some(0) => Err(Error::InvalidLicense(
            "a user or seat limit of zero grants nothing",
        )),
        Some(n) => Ok(n),
    };
    if l.binding.database != p.hints.database.is_some() {
        return Err(Error::InvalidLicense("database binding without a database code"));
    }
    let mut flags = l.kind.bits() | (l.line.get() << LINE_SHIFT);
    if l.binding.database {
        flags |= FLAG_DATABASE;
    }
    if l.binding.machine.is_some() {
        flags |= FLAG_MACHINE;
    }
    let head = Head {
        version: VERSION,
        key_id: p.key_id,
        license_id: l.license_id,
        revision: l.revision,
        flags,
        named_users: limit(l.named_users)?,
        concurrent_seats: limit(l.concurrent_seats)?,
        demo_seats: l.demo_seats,
        modules: l.modules.bits(),
        issued,
        valid_from,
        term,
        grace_days: l.grace_days,
        maintenance_ends,
        product_hint: p.hints.product,
        licensee_hint: p.hints.licensee,
    };
    let mut len = postcard::to_slice(&head, &mut out[..])
        .map_err(|_| Error::InvalidLicense("payload too large"))?
        .len();
    let mut push = |b: u8| {
        out[len] = b;
        len += 1;
    };
    if let Some(h) = p.hints.database {
        push(h);
    }
    if let Some(m) = &l.binding.machine {
        push(m.header());
        m.bound_digests().for_each(&mut push);
    }
    Ok(len)
}

/// Decode a payload, canonical only.
pub(crate) fn decode(bytes: &[u8]) -> Result<Payload, Error> {
    match bytes.first() {
        None => return Err(Error::Malformed("empty payload")),
        Some(&VERSION) => {}
        Some(&v) => return Err(Error::UnsupportedVersion { version: v }),
    }
    let (head, rest): (Head, &[u8]) = postcard::take_from_bytes(bytes)
        .map_err(|_| Error::Malformed("the license fields are cut short or invalid"))?;
    let mut rest = rest.iter().copied();
    let database = if head.flags & FLAG_DATABASE != 0 {
        Some(rest.next().ok_or(Error::Malformed("database hint missing"))?)
    } else {
        None
    };
    let machine = if head.flags & FLAG_MACHINE != 0 {
        let header = rest.next().ok_or(Error::Malformed("machine binding missing"))?;
        let n = usize::from((header & 0b1111).count_ones() as u8);
        let mut digests = [0u8; 4];
        for d in digests.iter_mut().take(n) {
            *d = rest.next().ok_or(Error::Malformed("machine binding cut short"))?;
        }
        Some(
            MachineBinding::from_wire(header, &digests[..n])
                .ok_or(Error::Malformed("invalid machine binding"))?,
        )
    } else {
        None
    };
    if rest.next().is_some() {
        return Err(Error::Malformed("trailing bytes after the license fields"));
    }
    let date = |base: Date, days: u32| {
        base.checked_add_days(i64::from(days))
            .ok_or(Error::Malformed("date out of range"))
    };
    let issued = date(Date::CODE_EPOCH, head.issued)?;
    let valid_from = date(issued, head.valid_from)?;
    let expires = match head.term {
        0 => None,
        t => Some(date(valid_from, t)?),
    };
    let maintenance_ends = match head.maintenance_ends {
        0 => None,
        m => Some(date(Date::CODE_EPOCH, m)?),
    };
    let limit = |v: u32| (v != 0).then_some(v);
    let payload = Payload {
        key_id: head.key_id,
        license: License {
            license_id: head.license_id,
            revision: head.revision,
            kind: Kind::from_bits(head.flags & FLAG_KIND),
            line: ProductLine::new(head.flags >> LINE_SHIFT).ok_or(Error::Malformed("product line"))?,
            named_users: limit(head.named_users),
            concurrent_seats: limit(head.concurrent_seats),
            demo_seats: head.demo_seats,
            modules: ModuleSet::from_bits(head.modules),
            issued,
            valid_from,
            expires,
            grace_days: head.grace_days,
            maintenance_ends,
            binding: Binding {
                database: database.is_some(),
                machine,
            },
        },
        hints: Hints {
            product: head.product_hint,
            licensee: head.licensee_hint,
            database,
        },
    };
    // Canonical: the one encoding of this value must be exactly the input.
    let mut again = [0u8; MAX_PAYLOAD];
    let n = encode(&payload, &mut again).map_err(|_| Error::NonCanonical)?;
    if again[..n] != *bytes {
        return Err(Error::NonCanonical);
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Payload {
        let d = |y, m, dd| Date::from_ymd(y, m, dd).unwrap();
        // Every varint at its widest the date range allows.
        let issued = Date::CODE_EPOCH.checked_add_days(1 << 21).unwrap();
        Payload {
            key_id: 7,
            license: License {
                license_id: u32::MAX,
                revision: u32::MAX,
                kind: Kind::Nfr,
                line: ProductLine::new(15).unwrap(),
                named_users: Some(u32::MAX),
                concurrent_seats: Some(u32::MAX),
                demo_seats: u32::MAX,
                modules: ModuleSet::from_bits(u64::MAX),
                issued,
                valid_from: issued.checked_add_days(1 << 14).unwrap(),
                expires: Some(d(9999, 12, 31)),
                grace_days: u16::MAX,
                maintenance_ends: Some(d(9999, 12, 31)),
                binding: Binding {
                    database: true,
                    machine: Some(
                        MachineBinding::new(crate::fingerprint::ComponentSet::ALL, [1, 2, 3, 4], 3).unwrap(),
                    ),
                },
            },
            hints: Hints {
                product: 1,
                licensee: 2,
                database: Some(3),
            },
        }
    }

    #[test]
    fn largest_payload_fits() {
        let mut out = [0u8; MAX_PAYLOAD];
        let n = encode(&sample(), &mut out).unwrap();
        assert!(n <= MAX_PAYLOAD, "{n}");
        assert_eq!(decode(&out[..n]), Ok(sample()));
    }

    #[test]
    fn non_canonical_inputs_are_refused() {
        let mut p = sample();
        p.license.license_id = 5;
        let mut out = [0u8; MAX_PAYLOAD];
        let n = encode(&p, &mut out).unwrap();
        assert_eq!(out[2], 5);
        // An overlong varint for the license id: 0x85 0x00 instead of 0x05.
        let mut overlong = [0u8; MAX_PAYLOAD + 1];
        overlong[..2].copy_from_slice(&out[..2]);
        overlong[2] = 0x85;
        overlong[3] = 0x00;
        overlong[4..n + 1].copy_from_slice(&out[3..n]);
        assert_eq!(decode(&overlong[..n + 1]), Err(Error::NonCanonical));
        // Trailing byte.
        let mut trailing = out;
        trailing[n] = 0;
        assert!(matches!(decode(&trailing[..n + 1]), Err(Error::Malformed(_))));
        // Truncations.
        for cut in 0..n {
            assert!(decode(&out[..cut]).is_err());
        }
        // Unknown version.
        let mut v2 = out;
        v2[0] = 2;
        assert_eq!(decode(&v2[..n]), Err(Error::UnsupportedVersion { version: 2 }));
    }
}
