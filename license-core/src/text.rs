//! The text form: Crockford base32 in dashed groups, with a CRC-20 typo check.
//!
//! Symbols are the 5-bit values of the bytes (most significant bit first, the last
//! symbol zero-padded), followed by four check symbols: a CRC-20 over the data symbols,
//! most significant bit first. A CRC of degree 20 detects every error burst of at most
//! 20 bits; a substituted character is a burst of at most 5 bits and a swap of two
//! adjacent characters one of at most 10, so both are always detected. The CRC's
//! initial value differs per kind of text, so a fingerprint pasted where a license
//! code belongs is recognized. See `docs/FORMAT.md`, "Text form".

use core::fmt;

use crate::error::Error;

/// The Crockford base32 alphabet.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters per dashed group.
pub const GROUP: usize = 5;
/// Check symbols at the end of every text.
pub const CHECK_SYMBOLS: usize = 4;

const CRC_BITS: u32 = 20;
const CRC_MASK: u32 = (1 << CRC_BITS) - 1;
/// XORed into the CRC before it is written. Without it, a CRC followed by its own
/// check symbols continues to a zero remainder, so a code with `0` appended would pass;
/// with it, no extension by one to three characters passes.
pub(crate) const CRC_XOROUT: u32 = 0xF_FFFF;
/// x^20 + the terms below (the x^20 term implied). Chosen by search so that every
/// single substitution and every adjacent swap in texts of up to 216 data symbols has
/// its own syndrome: the typo is always located.
pub(crate) const CRC_POLY: u32 = 0x0_2265B;

/// Which kind of text, selecting the CRC's initial value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextKind {
    License,
    /// A format-1 machine fingerprint (one-byte digests).
    Fingerprint,
    /// A format-2 machine fingerprint (16- or 24-bit digests).
    FingerprintV2,
    /// An installation's database code (`dbcode.rs`).
    DatabaseCode,
    /// A segment of a long text (a reseller's code) that is not its last: see
    /// `segmented.rs`. The last segment is checked as [`TextKind::License`].
    Continued,
    /// A certificate chain on its own (`reseller install`), not a license code.
    Certificate,
}

impl TextKind {
    pub(crate) const fn crc_init(self) -> u32 {
        match self {
            TextKind::License => 0xC_4943,       // "LIC", masked to 20 bits
            TextKind::Fingerprint => 0xF_5052,   // "\x0fPR"
            TextKind::FingerprintV2 => 0xF_5032, // "\x0fP2"
            TextKind::DatabaseCode => 0x4_4442,  // "DB", tagged 0x4
            TextKind::Continued => 0x4_3454,     // "CT", masked to 20 bits
            TextKind::Certificate => 0x4_3552,   // "CR", masked to 20 bits
        }
    }
}

/// The maximum number of symbols any text of ours has (a license code of maximum size).
pub(crate) const MAX_SYMBOLS: usize = crate::format::MAX_CODE_BYTES * 8 / 5 + 1 + CHECK_SYMBOLS;

/// Symbol value of every ASCII character; `INVALID` for characters no code contains.
/// Lower case and the usual confusions (O for 0, I and L for 1) are accepted.
pub(crate) const INVALID: u8 = 0xFF;
/// Dashes and white space between groups: skipped.
pub(crate) const SEPARATOR: u8 = 0xFE;
pub(crate) const SYMBOL_VALUES: [u8; 128] = {
    let mut t = [INVALID; 128];
    t[b'-' as usize] = SEPARATOR;
    t[b' ' as usize] = SEPARATOR;
    t[b'\t' as usize] = SEPARATOR;
    t[b'\r' as usize] = SEPARATOR;
    t[b'\n' as usize] = SEPARATOR;
    let mut i = 0;
    while i < 32 {
        let c = ALPHABET[i];
        t[c as usize] = i as u8;
        t[c.to_ascii_lowercase() as usize] = i as u8;
        i += 1;
    }
    t[b'O' as usize] = 0;
    t[b'o' as usize] = 0;
    t[b'I' as usize] = 1;
    t[b'i' as usize] = 1;
    t[b'L' as usize] = 1;
    t[b'l' as usize] = 1;
    t
};

/// One symbol through the CRC register, bit by bit (the definition).
const fn crc_step_bitwise(mut r: u32, sym: u8) -> u32 {
    let mut b = 5;
    while b > 0 {
        b -= 1;
        let feedback = ((r >> (CRC_BITS - 1)) ^ (sym as u32 >> b)) & 1;
        r = (r << 1) & CRC_MASK;
        if feedback != 0 {
            r ^= CRC_POLY;
        }
    }
    r
}

/// The register's top five bits XOR the symbol select what the five steps add.
const CRC_TABLE: [u32; 32] = {
    let mut t = [0u32; 32];
    let mut i = 0;
    while i < 32 {
        t[i] = crc_step_bitwise((i as u32) << (CRC_BITS - 5), 0);
        i += 1;
    }
    t
};

/// One symbol through the CRC register, table-driven.
pub(crate) const fn crc_step(r: u32, sym: u8) -> u32 {
    let index = ((r >> (CRC_BITS - 5)) ^ sym as u32) & 31;
    ((r << 5) & CRC_MASK) ^ CRC_TABLE[index as usize]
}

/// Two symbols at once (4 KiB): halves the dependency chain on the verify path. With
/// `fast` only: small builds step the one-symbol table twice (the same result).
#[cfg(feature = "fast")]
const CRC_TABLE2: [u32; 1024] = {
    let mut t = [0u32; 1024];
    let mut i = 0;
    while i < 1024 {
        t[i] = crc_step(crc_step((i as u32) << (CRC_BITS - 10), 0), 0);
        i += 1;
    }
    t
};

/// Two symbols (`pair = first << 5 | second`) through the CRC register.
#[cfg(feature = "fast")]
pub(crate) const fn crc_step2(r: u32, pair: u32) -> u32 {
    let index = ((r >> (CRC_BITS - 10)) ^ pair) & 1023;
    ((r << 10) & CRC_MASK) ^ CRC_TABLE2[index as usize]
}

/// Two symbols (`pair = first << 5 | second`) through the CRC register.
#[cfg(not(feature = "fast"))]
pub(crate) const fn crc_step2(r: u32, pair: u32) -> u32 {
    crc_step(crc_step(r, ((pair >> 5) & 31) as u8), (pair & 31) as u8)
}

pub(crate) fn crc(init: u32, symbols: &[u8]) -> u32 {
    symbols.iter().fold(init, |r, &s| crc_step(r, s))
}

/// Symbols of `bytes` then the check symbols, passed one by one to `out`.
fn for_each_symbol(kind: TextKind, bytes: &[u8], mut out: impl FnMut(u8) -> fmt::Result) -> fmt::Result {
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut r = kind.crc_init();
    let mut emit = |s: u8, r: &mut u32| {
        *r = crc_step(*r, s);
        out(s)
    };
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            emit(((acc >> bits) & 31) as u8, &mut r)?;
        }
    }
    if bits > 0 {
        emit(((acc << (5 - bits)) & 31) as u8, &mut r)?;
    }
    let r = r ^ CRC_XOROUT;
    for i in (0..CHECK_SYMBOLS).rev() {
        out(((r >> (5 * i)) & 31) as u8)?;
    }
    Ok(())
}

/// Write the text form of `bytes`: upper case, groups of five joined by dashes.
pub(crate) fn write(kind: TextKind, bytes: &[u8], f: &mut dyn fmt::Write) -> fmt::Result {
    let mut n = 0usize;
    for_each_symbol(kind, bytes, |s| {
        if n > 0 && n.is_multiple_of(GROUP) {
            f.write_char('-')?;
        }
        n += 1;
        f.write_char(char::from(ALPHABET[usize::from(s)]))
    })
}

/// Number of characters (without dashes) of the text form of `len` bytes.
pub const fn symbols_for(len: usize) -> usize {
    (len * 8).div_ceil(5) + CHECK_SYMBOLS
}

/// What the CRC register holds after a valid text's data *and* check symbols: feeding a
/// CRC its own (XORed) value always ends in the same residue, so one pass over every
/// symbol checks the text.
/// The residue does not depend on the initial value (the kind of text).
pub(crate) const RESIDUE: u32 = {
    let mut r = 0;
    let mut i = CHECK_SYMBOLS;
    while i > 0 {
        i -= 1;
        r = crc_step(r, ((CRC_XOROUT >> (5 * i)) & 31) as u8);
    }
    r
};

/// Decode a text into `out`, returning the number of bytes written. One pass reads
/// the characters, runs the CRC and packs the bits; only a failed check goes back to
/// the symbols to locate the typo.
pub(crate) fn decode(kind: TextKind, text: &str, out: &mut [u8]) -> Result<usize, Error> {
    let mut buf = [0u8; MAX_SYMBOLS * 5 / 8 + 1];
    let mut r = kind.crc_init();
    let (mut acc, mut bits) = (0u32, 0u32);
    let (mut n, mut written) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        i += 1;
        let v = if c < 128 {
            SYMBOL_VALUES[usize::from(c)]
        } else {
            INVALID
        };
        if v == SEPARATOR {
            continue;
        }
        if v == INVALID {
            // `i - 1` starts a character: every earlier step moved over whole characters.
            let at = i - 1;
            let ch = text
                .get(at..)
                .and_then(|t| t.chars().next())
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            if is_unicode_separator(ch) {
                i = at + ch.len_utf8();
                continue;
            }
            return Err(Error::InvalidCharacter {
                character: ch,
                position: text.get(..at).map_or(at, |t| t.chars().count()),
                group: n / GROUP + 1,
            });
        }
        if n == MAX_SYMBOLS {
            return Err(Error::TooLong { max: MAX_SYMBOLS });
        }
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if n % 2 == 1 {
            r = crc_step2(r, acc & 1023);
        }
        if bits >= 8 {
            bits -= 8;
            buf[written] = (acc >> bits) as u8;
            written += 1;
        }
        n += 1;
    }
    if n == 0 {
        return Err(Error::Empty);
    }
    if n <= CHECK_SYMBOLS {
        return Err(Error::TooShort);
    }
    if n % 2 == 1 {
        r = crc_step(r, (acc & 31) as u8);
    }
    if r != RESIDUE {
        return Err(locate_typo(kind, text));
    }
    // Canonical length: the data symbols hold whole bytes plus fewer than 5 zero bits.
    let data_bits = (n - CHECK_SYMBOLS) * 5;
    let len = data_bits / 8;
    let pad = data_bits - len * 8;
    if pad >= 5 {
        return Err(Error::Malformed("the code has a character too many at its end"));
    }
    if pad > 0 && buf[len] >> (8 - pad) != 0 {
        return Err(Error::Malformed("the code's last character has stray bits"));
    }
    if len > out.len() {
        return Err(Error::TooLong {
            max: symbols_for(out.len()),
        });
    }
    out[..len].copy_from_slice(&buf[..len]);
    Ok(len)
}

/// Separators that word processors and mail programs put into pasted text: no-break and
/// other Unicode spaces, Unicode dashes and minus, zero-width characters.
pub(crate) const fn is_unicode_separator(ch: char) -> bool {
    matches!(
        ch,
        '\u{00A0}' | '\u{2000}'..='\u{200B}' | '\u{2010}'..='\u{2015}' | '\u{2060}' | '\u{202F}' | '\u{205F}'
            | '\u{2212}' | '\u{3000}' | '\u{FEFF}'
    )
}

/// The error path: collect the symbols again and find the typo.
fn locate_typo(kind: TextKind, text: &str) -> Error {
    let mut symbols = [0u8; MAX_SYMBOLS];
    let mut n = 0usize;
    for &c in text.as_bytes() {
        let v = if c < 128 {
            SYMBOL_VALUES[usize::from(c)]
        } else {
            INVALID
        };
        if v < 32 && n < MAX_SYMBOLS {
            symbols[n] = v;
            n += 1;
        }
    }
    let symbols = &symbols[..n];
    let (data, check) = symbols.split_at(n.saturating_sub(CHECK_SYMBOLS));
    let expected = check.iter().fold(0u32, |r, &s| (r << 5) | u32::from(s));
    match typo_error(kind, symbols, crc(kind.crc_init(), data) ^ CRC_XOROUT ^ expected) {
        Error::Typo { group } if !length_fits(data, group) => Error::TypoUnlocated,
        e => e,
    }
}

/// Whether a whole text's data symbols can be a text of ours with a typo in `group`. A
/// substitution or swap leaves the length: data symbols that cannot hold whole bytes (5
/// or more padding bits), or a last data symbol with padding bits set that the typo does
/// not reach, mean a character was lost or gained, and a syndrome that happens to fit a
/// substitution would name a wrong group ("or a character is missing or extra" instead).
fn length_fits(data: &[u8], group: usize) -> bool {
    let pad = (data.len() * 5) % 8;
    let last_group = data.len().saturating_sub(2) / GROUP + 1;
    pad < 5 && (group >= last_group || data.last().is_none_or(|&s| s & ((1u8 << pad) - 1) == 0))
}

/// A typo was detected: find where. Single substitutions and adjacent swaps are tried
/// through the linearity of the CRC (no re-computation per candidate).
pub(crate) fn typo_error(kind: TextKind, symbols: &[u8], syndrome: u32) -> Error {
    // A text of another kind, checked with its own CRC, is not a typo.
    if kind == TextKind::License && symbols.len() >= CHECK_SYMBOLS {
        let (data, check) = symbols.split_at(symbols.len() - CHECK_SYMBOLS);
        let expected = check.iter().fold(0u32, |r, &s| (r << 5) | u32::from(s));
        for other in [TextKind::Fingerprint, TextKind::FingerprintV2] {
            if crc(other.crc_init(), data) ^ CRC_XOROUT == expected {
                return Error::NotALicenseCode;
            }
        }
    }
    let n = symbols.len();
    let data_len = n - CHECK_SYMBOLS;
    // Contribution to the syndrome of each bit of the symbol at position i, for i from
    // the last data symbol backwards: basis[b] = crc(0, [1 << b, 0, 0, ...]).
    let mut basis: [u32; 5] = core::array::from_fn(|b| crc_step(0, 1 << b));
    let contribution = |basis: &[u32; 5], d: u8| -> u32 {
        (0..5)
            .filter(|b| d >> b & 1 != 0)
            .fold(0, |acc, b| acc ^ basis[b])
    };
    let mut found: Option<usize> = None;
    let mut ambiguous = false;
    let mut note = |pos: usize| match found {
        None => found = Some(pos),
        Some(p) if p / GROUP != pos / GROUP => ambiguous = true,
        Some(_) => {}
    };
    // Substitutions and swaps within the check symbols.
    for j in 0..CHECK_SYMBOLS {
        let shift = 5 * (CHECK_SYMBOLS - 1 - j) as u32;
        if syndrome & !(31 << shift) == 0 {
            note(data_len + j);
        }
        if j + 1 < CHECK_SYMBOLS {
            let d = u32::from(symbols[data_len + j] ^ symbols[data_len + j + 1]);
            if d != 0 && syndrome == (d << shift) ^ (d << (shift - 5)) {
                note(data_len + j);
            }
        }
    }
    let mut next_basis: Option<[u32; 5]> = None;
    for i in (0..data_len).rev() {
        if (1..32u8).any(|d| contribution(&basis, d) == syndrome) {
            note(i);
        }
        let d = symbols[i] ^ symbols[i + 1];
        if d != 0 {
            let right = match next_basis {
                Some(nb) => contribution(&nb, d),
                // The swap of the last data symbol with the first check symbol.
                None => u32::from(d) << (5 * (CHECK_SYMBOLS - 1)),
            };
            if contribution(&basis, d) ^ right == syndrome {
                note(i);
            }
        }
        next_basis = Some(basis);
        for v in &mut basis {
            *v = crc_step(*v, 0);
        }
    }
    match found {
        Some(pos) if !ambiguous => Error::Typo {
            group: pos / GROUP + 1,
        },
        _ => Error::TypoUnlocated,
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        let mut s = String::new();
        write(TextKind::License, bytes, &mut s).unwrap();
        s
    }

    #[test]
    fn table_driven_crc_equals_the_bitwise_definition() {
        for r in (0..CRC_MASK).step_by(997) {
            for sym in 0..32u8 {
                assert_eq!(crc_step(r, sym), crc_step_bitwise(r, sym));
                for second in [0u8, 1, 17, 31] {
                    let pair = u32::from(sym) << 5 | u32::from(second);
                    assert_eq!(
                        crc_step2(r, pair),
                        crc_step_bitwise(crc_step_bitwise(r, sym), second)
                    );
                }
            }
        }
    }

    #[test]
    fn matches_base32_crate_on_data_symbols() {
        let bytes: Vec<u8> = (0u8..=90).map(|i| i.wrapping_mul(37) ^ 0x5A).collect();
        for len in 0..bytes.len() {
            let ours: String = text(&bytes[..len]).chars().filter(|c| *c != '-').collect();
            let reference = base32::CROCKFORD.encode(&bytes[..len]);
            assert_eq!(&ours[..ours.len() - CHECK_SYMBOLS], reference, "len {len}");
        }
    }

    #[test]
    fn round_trip_and_tolerance() {
        let bytes = [0u8, 1, 2, 254, 255, 17, 42];
        let t = text(&bytes);
        let mut out = [0u8; 16];
        assert_eq!(decode(TextKind::License, &t, &mut out), Ok(7));
        assert_eq!(&out[..7], &bytes);
        let sloppy = t
            .to_lowercase()
            .replace('0', "o")
            .replace('1', "l")
            .replace('-', " \n ");
        assert_eq!(decode(TextKind::License, &sloppy, &mut out), Ok(7));
        // As pasted from a word processor: en dashes, no-break spaces, a byte-order mark.
        let typographic = format!("\u{FEFF}{}\u{00A0}", t.replace('-', "\u{2013}\u{202F}"));
        assert_eq!(decode(TextKind::License, &typographic, &mut out), Ok(7));
        assert!(matches!(
            decode(TextKind::License, "AB\u{2013}C\u{00E9}", &mut out),
            Err(Error::InvalidCharacter {
                character: '\u{00E9}',
                position: 4,
                group: 1
            })
        ));
    }

    #[test]
    fn extensions_and_truncations_are_typos() {
        let t = text(&[7u8; 40]).replace('-', "");
        let mut out = [0u8; 64];
        for s in ALPHABET {
            for n in 1..=3 {
                let extended = format!("{t}{}", (*s as char).to_string().repeat(n));
                assert!(
                    decode(TextKind::License, &extended, &mut out).is_err(),
                    "{extended}"
                );
            }
        }
        for n in 1..t.len() {
            assert!(decode(TextKind::License, &t[..n], &mut out).is_err(), "{n}");
        }
    }

    #[test]
    fn errors() {
        let mut out = [0u8; 16];
        assert_eq!(decode(TextKind::License, " - ", &mut out), Err(Error::Empty));
        assert_eq!(decode(TextKind::License, "ABC", &mut out), Err(Error::TooShort));
        assert!(matches!(
            decode(TextKind::License, "ABCDE-FUHJK", &mut out),
            Err(Error::InvalidCharacter {
                character: 'U',
                position: 7,
                group: 2
            })
        ));
        let fp = {
            let mut s = String::new();
            write(TextKind::Fingerprint, &[1, 2, 3], &mut s).unwrap();
            s
        };
        assert_eq!(
            decode(TextKind::License, &fp, &mut out),
            Err(Error::NotALicenseCode)
        );
        let huge = "0".repeat(10_000);
        assert!(matches!(
            decode(TextKind::License, &huge, &mut out),
            Err(Error::TooLong { .. })
        ));
    }

    #[test]
    fn a_missing_or_extra_character_is_never_a_located_typo() {
        // A 91-byte code (the format-2 reference length): 146 data symbols, 2 padding bits.
        let bytes: [u8; 91] = core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
        let t = text(&bytes).replace('-', "");
        let mut out = [0u8; crate::format::MAX_CODE_BYTES];
        assert_eq!(decode(TextKind::License, &t, &mut out), Ok(91));
        let chars: Vec<char> = t.chars().collect();
        let mut cases = 0;
        for i in 0..chars.len() {
            let mut deleted = chars.clone();
            deleted.remove(i);
            let d: String = deleted.iter().collect();
            assert_eq!(
                decode(TextKind::License, &d, &mut out),
                Err(Error::TypoUnlocated),
                "deleted at {i}"
            );
            for c in ['0', 'M', 'Z'] {
                let mut inserted = chars.clone();
                inserted.insert(i, c);
                let s: String = inserted.iter().collect();
                assert_eq!(
                    decode(TextKind::License, &s, &mut out),
                    Err(Error::TypoUnlocated),
                    "{c} inserted at {i}"
                );
                cases += 1;
            }
        }
        assert!(cases > 400);
        // And the message says so.
        assert!(
            Error::TypoUnlocated
                .to_string()
                .contains("or a character is missing or extra")
        );
    }

    #[test]
    fn control_characters_are_escaped_in_messages() {
        let mut out = [0u8; 8];
        let e = decode(TextKind::License, "AB\0CD", &mut out).unwrap_err();
        assert!(matches!(e, Error::InvalidCharacter { character: '\0', .. }));
        let msg = e.to_string();
        assert!(!msg.chars().any(char::is_control), "{msg:?}");
        assert!(msg.contains("'\\0'"), "{msg}");
        let e = decode(TextKind::License, "AB\u{1b}[31m", &mut out).unwrap_err();
        assert!(!e.to_string().chars().any(char::is_control));
    }

    #[test]
    fn every_substitution_and_adjacent_swap_is_a_located_typo() {
        let bytes: Vec<u8> = (0u8..89).map(|i| i.wrapping_mul(91).wrapping_add(7)).collect();
        let t: Vec<u8> = text(&bytes).bytes().filter(|&c| c != b'-').collect();
        let mut out = [0u8; 128];
        let (mut total, mut located) = (0usize, 0usize);
        let mut check = |candidate: &[u8], pos: usize| {
            let s = core::str::from_utf8(candidate).unwrap();
            match decode(TextKind::License, s, &mut out) {
                Err(Error::Typo { group }) => {
                    total += 1;
                    located += 1;
                    assert_eq!(group, pos / GROUP + 1, "wrong group for a typo at {pos}");
                }
                Err(Error::TypoUnlocated) => total += 1,
                other => panic!("typo at {pos} gave {other:?}"),
            }
        };
        for pos in 0..t.len() {
            for &c in ALPHABET.iter().filter(|&&c| c != t[pos]) {
                let mut m = t.clone();
                m[pos] = c;
                check(&m, pos);
            }
            if pos + 1 < t.len() && t[pos] != t[pos + 1] {
                let mut m = t.clone();
                m.swap(pos, pos + 1);
                check(&m, pos);
            }
        }
        assert_eq!(located, total, "every typo is located");
    }
}
