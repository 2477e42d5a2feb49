//! The compact binary payload, format versions 1 and 2 (see `docs/FORMAT.md`, "Payload").
//!
//! A postcard-encoded head (integers as LEB128 varints) followed by a tail whose
//! presence the head's flags select: the database hint, the machine binding and (format
//! 2) the seat-server digest. Only the canonical encoding is accepted: the decoder
//! re-encodes what it read and refuses any difference (overlong varints, stray flag
//! bits, wrong tail lengths).

use serde::{Deserialize, Serialize};

use crate::binding::MachineBinding;
use crate::date::Date;
use crate::error::Error;
use crate::format::{Format, MAX_PAYLOAD};
use crate::kind::Kind;
use crate::model::{Binding, License, ModuleSet, ProductLine, SeatServerDigest};

const FLAG_KIND: u32 = 0b0000_0011;
const FLAG_DATABASE: u32 = 0b0000_0100;
const FLAG_MACHINE: u32 = 0b0000_1000;
const LINE_SHIFT: u32 = 4;
const FLAG_INTERIM: u32 = 1 << 8;
const FLAG_SEAT_SERVER: u32 = 1 << 9;
/// Format 2: every module, present and future ([`ModuleSet::ALL`]); the module field is 0.
const FLAG_ALL_MODULES: u32 = 1 << 10;
const FLAGS_V1: u32 = 0xFF;
const FLAGS_V2: u32 = 0x7FF;

/// Format 1's head, in wire order. Field order and types are the format: do not reorder.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct HeadV1 {
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

/// Format 2's head: format 1's fields, with `flags` a varint (bits 8 and up are new),
/// `term` in months or days and `maintenance` able to say "ends with the term". It is
/// written in two parts: `modules` (between them) is left out when the flag "all modules"
/// (bit 10) is set, so such a code is no longer than one listing up to 7 modules.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct HeadV2 {
    version: u8,
    key_id: u8,
    license_id: u32,
    revision: u32,
    flags: u32,
    named_users: u32,
    concurrent_seats: u32,
    demo_seats: u32,
}

/// Format 2's head after `modules`.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct HeadV2Rest {
    issued: u32,
    valid_from: u32,
    term: u32,
    grace_days: u16,
    maintenance: u32,
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
    pub format: Format,
    pub key_id: u8,
    pub license: License,
    pub hints: Hints,
}

fn days_after(from: Date, to: Date) -> Option<u32> {
    u32::try_from(to.days_since(from)).ok()
}

/// The fields both formats share, checked.
struct Common {
    issued: u32,
    valid_from: u32,
    flags: u32,
    named_users: u32,
    concurrent_seats: u32,
}

fn common(p: &Payload) -> Result<Common, Error> {
    let l = &p.license;
    if l.issued < Date::CODE_EPOCH {
        return Err(Error::InvalidLicense("issue date before 2020-01-01"));
    }
    let issued = days_after(Date::CODE_EPOCH, l.issued).ok_or(Error::InvalidLicense("issue date"))?;
    let valid_from = days_after(l.issued, l.valid_from)
        .ok_or(Error::InvalidLicense("valid-from is before the issue date"))?;
    if let Some(e) = l.expires
        && e <= l.valid_from
    {
        return Err(Error::InvalidLicense("expiry is not after valid-from"));
    }
    if let Some(m) = l.maintenance_ends
        && m <= Date::CODE_EPOCH
    {
        return Err(Error::InvalidLicense("maintenance end must be after 2020-01-01"));
    }
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
    let mut flags = u32::from(l.kind.bits()) | (u32::from(l.line.get()) << LINE_SHIFT);
    if l.binding.database {
        flags |= FLAG_DATABASE;
    }
    if l.binding.machine.is_some() {
        flags |= FLAG_MACHINE;
    }
    Ok(Common {
        issued,
        valid_from,
        flags,
        named_users: limit(l.named_users)?,
        concurrent_seats: limit(l.concurrent_seats)?,
    })
}

/// Format 2's `term`: 0 perpetual; `2m + 1` for `m >= 1` calendar months from
/// `valid_from` (as [`Date::add_months`] counts them); `2d` for `d >= 1` days otherwise.
fn term_v2(valid_from: Date, expires: Option<Date>) -> Result<u32, Error> {
    let Some(e) = expires else { return Ok(0) };
    let (fy, fm, _) = valid_from.ymd();
    let (ey, em, _) = e.ymd();
    let approx = (i64::from(ey) - i64::from(fy)) * 12 + i64::from(em) - i64::from(fm);
    for m in [approx - 1, approx, approx + 1] {
        if let Ok(m) = u32::try_from(m)
            && m >= 1
            && valid_from.add_months(m) == Some(e)
        {
            return m
                .checked_mul(2)
                .and_then(|t| t.checked_add(1))
                .ok_or(Error::InvalidLicense("term"));
        }
    }
    days_after(valid_from, e)
        .and_then(|d| d.checked_mul(2))
        .ok_or(Error::InvalidLicense("term"))
}

fn expires_v2(valid_from: Date, term: u32) -> Result<Option<Date>, Error> {
    let bad = Error::Malformed("date out of range");
    match term {
        0 => Ok(None),
        t if t % 2 == 1 => valid_from.add_months((t - 1) / 2).map(Some).ok_or(bad),
        t => valid_from.checked_add_days(i64::from(t / 2)).map(Some).ok_or(bad),
    }
}

/// Encode into `out`, returning the length. Checks what the format requires of dates
/// and limits; business rules (no zero-user license, ...) belong to the issuer.
pub(crate) fn encode(p: &Payload, out: &mut [u8; MAX_PAYLOAD]) -> Result<usize, Error> {
    let l = &p.license;
    let c = common(p)?;
    let mut len = match p.format {
        Format::V1 => {
            if l.interim {
                return Err(Error::InvalidLicense(
                    "format 1 has no interim codes: use format 2",
                ));
            }
            if l.binding.seat_server.is_some() {
                return Err(Error::InvalidLicense(
                    "format 1 cannot bind a seat server: use format 2",
                ));
            }
            if l.binding.machine.is_some_and(|m| m.format() != Format::V1) {
                return Err(Error::InvalidLicense(
                    "a format-2 machine binding cannot be written in format 1",
                ));
            }
            let term = match l.expires {
                None => 0,
                Some(e) => days_after(l.valid_from, e).unwrap_or(0),
            };
            let maintenance_ends = match l.maintenance_ends {
                None => 0,
                Some(m) => days_after(Date::CODE_EPOCH, m).unwrap_or(0),
            };
            let head = HeadV1 {
                version: 1,
                key_id: p.key_id,
                license_id: l.license_id,
                revision: l.revision,
                flags: c.flags as u8,
                named_users: c.named_users,
                concurrent_seats: c.concurrent_seats,
                demo_seats: l.demo_seats,
                modules: l.modules.bits(),
                issued: c.issued,
                valid_from: c.valid_from,
                term,
                grace_days: l.grace_days,
                maintenance_ends,
                product_hint: p.hints.product,
                licensee_hint: p.hints.licensee,
            };
            postcard::to_slice(&head, &mut out[..])
                .map_err(|_| Error::InvalidLicense("payload too large"))?
                .len()
        }
        Format::V2 => {
            if l.binding.machine.is_some_and(|m| m.format() != Format::V2) {
                return Err(Error::InvalidLicense(
                    "a format-1 machine binding (one-byte digests) can only be written in format 1",
                ));
            }
            if l.interim && l.expires.is_none() {
                return Err(Error::InvalidLicense(
                    "an interim code ends where its successor begins: it needs an expiry",
                ));
            }
            let mut flags = c.flags;
            if l.interim {
                flags |= FLAG_INTERIM;
            }
            if l.binding.seat_server.is_some() {
                flags |= FLAG_SEAT_SERVER;
            }
            let modules = if l.modules.is_all() {
                flags |= FLAG_ALL_MODULES;
                None
            } else {
                Some(l.modules.bits())
            };
            let maintenance = match l.maintenance_ends {
                None => 0,
                Some(m) if Some(m) == l.expires => 1,
                Some(m) => days_after(Date::CODE_EPOCH, m)
                    .and_then(|d| d.checked_add(1))
                    .ok_or(Error::InvalidLicense("maintenance end"))?,
            };
            let head = HeadV2 {
                version: 2,
                key_id: p.key_id,
                license_id: l.license_id,
                revision: l.revision,
                flags,
                named_users: c.named_users,
                concurrent_seats: c.concurrent_seats,
                demo_seats: l.demo_seats,
            };
            let rest = HeadV2Rest {
                issued: c.issued,
                valid_from: c.valid_from,
                term: term_v2(l.valid_from, l.expires)?,
                grace_days: l.grace_days,
                maintenance,
                product_hint: p.hints.product,
                licensee_hint: p.hints.licensee,
            };
            let too_large = |_| Error::InvalidLicense("payload too large");
            let mut n = postcard::to_slice(&head, &mut out[..]).map_err(too_large)?.len();
            if let Some(m) = modules {
                n += postcard::to_slice(&m, &mut out[n..]).map_err(too_large)?.len();
            }
            n + postcard::to_slice(&rest, &mut out[n..]).map_err(too_large)?.len()
        }
    };
    let mut push = |b: u8| {
        if len < MAX_PAYLOAD {
            out[len] = b;
        }
        len += 1;
    };
    if let Some(h) = p.hints.database {
        push(h);
    }
    if let Some(m) = &l.binding.machine {
        m.write_wire(&mut push);
    }
    if let Some(s) = &l.binding.seat_server {
        s.to_bytes().into_iter().for_each(&mut push);
    }
    if len > MAX_PAYLOAD {
        return Err(Error::InvalidLicense("payload too large"));
    }
    Ok(len)
}

/// The head fields both formats decode to, before the tail.
struct Decoded {
    key_id: u8,
    license_id: u32,
    revision: u32,
    flags: u32,
    named_users: u32,
    concurrent_seats: u32,
    demo_seats: u32,
    modules: u64,
    issued: Date,
    valid_from: Date,
    expires: Option<Date>,
    grace_days: u16,
    maintenance_ends: Option<Date>,
    product_hint: u8,
    licensee_hint: u8,
}

fn date(base: Date, days: u32) -> Result<Date, Error> {
    base.checked_add_days(i64::from(days))
        .ok_or(Error::Malformed("date out of range"))
}

fn decode_head(format: Format, bytes: &[u8]) -> Result<(Decoded, &[u8]), Error> {
    let cut = Error::Malformed("the license fields are cut short or invalid");
    match format {
        Format::V1 => {
            let (h, rest): (HeadV1, &[u8]) = postcard::take_from_bytes(bytes).map_err(|_| cut)?;
            let issued = date(Date::CODE_EPOCH, h.issued)?;
            let valid_from = date(issued, h.valid_from)?;
            let expires = match h.term {
                0 => None,
                t => Some(date(valid_from, t)?),
            };
            let maintenance_ends = match h.maintenance_ends {
                0 => None,
                m => Some(date(Date::CODE_EPOCH, m)?),
            };
            Ok((
                Decoded {
                    key_id: h.key_id,
                    license_id: h.license_id,
                    revision: h.revision,
                    flags: u32::from(h.flags),
                    named_users: h.named_users,
                    concurrent_seats: h.concurrent_seats,
                    demo_seats: h.demo_seats,
                    modules: h.modules,
                    issued,
                    valid_from,
                    expires,
                    grace_days: h.grace_days,
                    maintenance_ends,
                    product_hint: h.product_hint,
                    licensee_hint: h.licensee_hint,
                },
                rest,
            ))
        }
        Format::V2 => {
            let (h, rest): (HeadV2, &[u8]) = postcard::take_from_bytes(bytes).map_err(|_| cut)?;
            if h.flags & !FLAGS_V2 != 0 {
                return Err(Error::Malformed("reserved flag bits are set"));
            }
            // "All modules" (bit 10): no module field.
            let (modules, rest) = if h.flags & FLAG_ALL_MODULES != 0 {
                (ModuleSet::ALL.bits(), rest)
            } else {
                postcard::take_from_bytes::<u64>(rest).map_err(|_| cut)?
            };
            let (r, rest): (HeadV2Rest, &[u8]) = postcard::take_from_bytes(rest).map_err(|_| cut)?;
            let issued = date(Date::CODE_EPOCH, r.issued)?;
            let valid_from = date(issued, r.valid_from)?;
            let expires = expires_v2(valid_from, r.term)?;
            let maintenance_ends = match r.maintenance {
                0 => None,
                1 => Some(expires.ok_or(Error::Malformed("maintenance ends with a term that has no end"))?),
                m => Some(date(Date::CODE_EPOCH, m - 1)?),
            };
            Ok((
                Decoded {
                    key_id: h.key_id,
                    license_id: h.license_id,
                    revision: h.revision,
                    flags: h.flags,
                    named_users: h.named_users,
                    concurrent_seats: h.concurrent_seats,
                    demo_seats: h.demo_seats,
                    modules,
                    issued,
                    valid_from,
                    expires,
                    grace_days: r.grace_days,
                    maintenance_ends,
                    product_hint: r.product_hint,
                    licensee_hint: r.licensee_hint,
                },
                rest,
            ))
        }
    }
}

/// Decode a payload, canonical only.
pub(crate) fn decode(bytes: &[u8]) -> Result<Payload, Error> {
    let format = match bytes.first() {
        None => return Err(Error::Malformed("empty payload")),
        Some(&v) => Format::from_version(v).ok_or(Error::UnsupportedVersion { version: v })?,
    };
    let (h, rest) = decode_head(format, bytes)?;
    debug_assert!(format != Format::V1 || h.flags <= FLAGS_V1);
    let mut rest = rest.iter().copied();
    let database = if h.flags & FLAG_DATABASE != 0 {
        Some(rest.next().ok_or(Error::Malformed("database hint missing"))?)
    } else {
        None
    };
    let machine = if h.flags & FLAG_MACHINE != 0 {
        Some(
            MachineBinding::read_wire(format, &mut rest)
                .ok_or(Error::Malformed("invalid machine binding"))?,
        )
    } else {
        None
    };
    let seat_server = if h.flags & FLAG_SEAT_SERVER != 0 {
        let mut d = [0u8; SeatServerDigest::LEN];
        for b in &mut d {
            *b = rest
                .next()
                .ok_or(Error::Malformed("seat-server digest cut short"))?;
        }
        Some(SeatServerDigest::from_bytes(d))
    } else {
        None
    };
    if rest.next().is_some() {
        return Err(Error::Malformed("trailing bytes after the license fields"));
    }
    let limit = |v: u32| (v != 0).then_some(v);
    let payload = Payload {
        format,
        key_id: h.key_id,
        license: License {
            license_id: h.license_id,
            revision: h.revision,
            kind: Kind::from_bits((h.flags & FLAG_KIND) as u8),
            line: ProductLine::new(((h.flags >> LINE_SHIFT) & 0xF) as u8)
                .ok_or(Error::Malformed("product line"))?,
            named_users: limit(h.named_users),
            concurrent_seats: limit(h.concurrent_seats),
            demo_seats: h.demo_seats,
            modules: ModuleSet::from_bits(h.modules),
            issued: h.issued,
            valid_from: h.valid_from,
            expires: h.expires,
            grace_days: h.grace_days,
            maintenance_ends: h.maintenance_ends,
            binding: Binding {
                database: database.is_some(),
                machine,
                seat_server,
            },
            interim: h.flags & FLAG_INTERIM != 0,
        },
        hints: Hints {
            product: h.product_hint,
            licensee: h.licensee_hint,
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
        let zero = [crate::component::ComponentDigest::default(); crate::component::COMPONENTS];
        let mut digests = zero;
        for (i, d) in digests.iter_mut().enumerate() {
            *d = crate::component::ComponentDigest::from_bytes([i as u8 + 1, 0xAB, 0xCD]);
        }
        Payload {
            format: Format::V2,
            key_id: 7,
            license: License {
                license_id: u32::MAX,
                revision: u32::MAX,
                kind: Kind::Nfr,
                line: ProductLine::new(15).unwrap(),
                named_users: Some(u32::MAX),
                concurrent_seats: Some(u32::MAX),
                demo_seats: u32::MAX,
                // The longest module field: every number but 0 (all 64 are the one-byte flag).
                modules: ModuleSet::from_bits(u64::MAX - 1),
                issued,
                valid_from: issued.checked_add_days(1 << 14).unwrap(),
                expires: Some(d(9999, 12, 31)),
                grace_days: u16::MAX,
                maintenance_ends: Some(d(9999, 12, 30)),
                binding: Binding {
                    database: true,
                    machine: Some(
                        MachineBinding::new(crate::component::ComponentSet::ALL, digests, 2).unwrap(),
                    ),
                    seat_server: Some(SeatServerDigest::of_key(&[5; 32])),
                },
                interim: true,
            },
            hints: Hints {
                product: 1,
                licensee: 2,
                database: Some(3),
            },
        }
    }

    fn sample_v1() -> Payload {
        let mut p = sample();
        p.format = Format::V1;
        p.license.interim = false;
        p.license.binding.seat_server = None;
        p.license.binding.machine =
            Some(MachineBinding::new_v1(crate::component::ComponentSet::FORMAT_1, [1, 2, 3, 4], 3).unwrap());
        p
    }

    /// "All modules, present and future" (format 2's flag bit 10): no module list, so the
    /// code is no longer than one listing a catalog's six modules; it decodes to
    /// `ModuleSet::ALL` (every module number); a module list beside the flag is refused;
    /// format 1 writes all 64 numbers.
    #[test]
    fn all_modules_is_a_flag_without_a_list() {
        let d = |y, m, dd| Date::from_ymd(y, m, dd).unwrap();
        let mut p = sample();
        p.license.binding = Binding::default();
        p.license.interim = false;
        p.hints.database = None;
        p.license.issued = d(2026, 11, 22);
        p.license.valid_from = d(2026, 11, 22);
        p.license.expires = Some(d(2027, 11, 22));
        p.license.maintenance_ends = p.license.expires;
        p.license.modules = ModuleSet::first(6);
        // Line 1: the flags fit one byte without the new flag.
        p.license.line = ProductLine::new(1).unwrap();
        let mut listed = [0u8; MAX_PAYLOAD];
        let n_listed = encode(&p, &mut listed).unwrap();
        p.license.modules = ModuleSet::ALL;
        let mut all = [0u8; MAX_PAYLOAD];
        let n_all = encode(&p, &mut all).unwrap();
        assert!(n_all <= n_listed, "{n_all} > {n_listed}");
        let back = decode(&all[..n_all]).unwrap();
        assert!(back.license.modules.is_all());
        assert!((0..64).all(|n| back.license.modules.contains(n)));
        assert_eq!(back, p);
        // The flag drops the module field: one byte of flags more, one of modules less.
        assert_eq!(n_all, n_listed);
        // With line 8 and up the flags take two bytes anyway: one byte shorter.
        let mut high = p;
        high.license.line = ProductLine::new(8).unwrap();
        let mut a = [0u8; MAX_PAYLOAD];
        let n_high_all = encode(&high, &mut a).unwrap();
        high.license.modules = ModuleSet::first(6);
        let n_high_listed = encode(&high, &mut a).unwrap();
        assert_eq!(n_high_all + 1, n_high_listed);
        // Format 1: the 64 numbers, as before.
        let mut v1 = p;
        v1.format = Format::V1;
        let mut out = [0u8; MAX_PAYLOAD];
        let n1 = encode(&v1, &mut out).unwrap();
        assert_eq!(decode(&out[..n1]), Ok(v1));
        assert!(n1 > n_all);
    }

    #[test]
    fn largest_payload_fits() {
        for p in [sample(), sample_v1()] {
            let mut out = [0u8; MAX_PAYLOAD];
            let n = encode(&p, &mut out).unwrap();
            assert!(n <= MAX_PAYLOAD, "{n}");
            assert_eq!(decode(&out[..n]), Ok(p));
        }
    }

    #[test]
    fn format_2_saves_the_bytes_it_documents() {
        let d = |y, m, dd| Date::from_ymd(y, m, dd).unwrap();
        let mut p = sample_v1();
        p.license.binding.machine = None;
        p.license.binding.database = false;
        p.hints.database = None;
        p.license.issued = d(2026, 11, 22);
        p.license.valid_from = d(2026, 11, 22);
        p.license.expires = Some(d(2027, 11, 22));
        p.license.maintenance_ends = Some(d(2027, 11, 22));
        // Lines 0-7: the flags stay one byte (line 8-15 costs a second flags byte in format 2).
        p.license.line = ProductLine::new(1).unwrap();
        p.license.license_id = 5;
        p.license.revision = 1;
        let mut v1 = [0u8; MAX_PAYLOAD];
        let n1 = encode(&p, &mut v1).unwrap();
        p.format = Format::V2;
        let mut v2 = [0u8; MAX_PAYLOAD];
        let n2 = encode(&p, &mut v2).unwrap();
        // Term of 12 months: one byte instead of two; maintenance with the term: one byte
        // instead of two.
        assert_eq!(n1 - n2, 2);
        assert_eq!(decode(&v2[..n2]), Ok(p));
        // A maintenance end written as a date although it equals the expiry: not canonical.
        let mut q = p;
        q.license.maintenance_ends = Some(d(2027, 11, 23));
        let mut alt = [0u8; MAX_PAYLOAD];
        let n = encode(&q, &mut alt).unwrap();
        // Patch the day back by one: the date form of the expiry.
        let days = d(2027, 11, 22).days_since(Date::CODE_EPOCH) as u32 + 1;
        let mut fixed = [0u8; 8];
        let enc = postcard::to_slice(&days, &mut fixed).unwrap().len();
        let pos = (0..n)
            .find(|&i| alt[i..].starts_with(postcard::to_slice(&(days + 1), &mut [0u8; 8]).unwrap()))
            .unwrap();
        let mut bytes = [0u8; MAX_PAYLOAD];
        bytes[..pos].copy_from_slice(&alt[..pos]);
        bytes[pos..pos + enc].copy_from_slice(&fixed[..enc]);
        let rest = n - pos - enc;
        bytes[pos + enc..pos + enc + rest].copy_from_slice(&alt[pos + enc..n]);
        assert_eq!(decode(&bytes[..n]), Err(Error::NonCanonical));
        // Reserved flag bits.
        let mut r = v2;
        assert_eq!(r[4] & 0x80, 0);
        r[4] |= 0x80;
        let mut long = [0u8; MAX_PAYLOAD];
        long[..5].copy_from_slice(&r[..5]);
        long[5] = 0x10; // bit 11
        long[6..n2 + 1].copy_from_slice(&v2[5..n2]);
        assert_eq!(
            decode(&long[..n2 + 1]),
            Err(Error::Malformed("reserved flag bits are set"))
        );
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
        let mut v3 = out;
        v3[0] = 3;
        assert_eq!(decode(&v3[..n]), Err(Error::UnsupportedVersion { version: 3 }));
    }
}
