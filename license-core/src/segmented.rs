//! The text form of long texts (a reseller's code with its certificate chain, a
//! certificate chain alone): the same alphabet, grouping and lenient reading as
//! `text.rs`, with the check symbols repeated per segment.
//!
//! The CRC-20 of `text.rs` locates every substitution and adjacent swap for at most 216
//! data symbols; a reseller's code is longer. So the symbol stream is cut into segments
//! of [`SEGMENT_DATA`] data symbols, each followed by its own four check symbols: every
//! segment keeps the proven guarantee, and a segment with its checks is exactly 42
//! groups, so a typo's group within the segment gives its group in the text. Segments
//! other than the last use their own CRC initial value, so a text cut at a segment
//! boundary fails its check instead of ending early. See `docs/FORMAT.md`,
//! "Delegated codes (format v2)".

use core::fmt;

use crate::Error;
use crate::text::{
    ALPHABET, CHECK_SYMBOLS, CRC_XOROUT, GROUP, INVALID, SEPARATOR, SYMBOL_VALUES, TextKind, crc, crc_step,
    is_unicode_separator, typo_error,
};

/// Data symbols per segment (every segment but the last has exactly this many).
pub(crate) const SEGMENT_DATA: usize = 206;
/// Symbols per full segment, check symbols included: 42 groups of five.
const SEGMENT: usize = SEGMENT_DATA + CHECK_SYMBOLS;
const _: () = assert!(SEGMENT.is_multiple_of(GROUP) && SEGMENT_DATA <= 216);

/// Characters (without dashes) of the segmented text of `len` bytes.
pub const fn segmented_symbols_for(len: usize) -> usize {
    let data = (len * 8).div_ceil(5);
    data + data.div_ceil(SEGMENT_DATA) * CHECK_SYMBOLS
}

/// Symbol `i` of the bit string of `bytes` (zero-padded at the end).
fn symbol_at(bytes: &[u8], i: usize) -> u8 {
    let bit = i * 5;
    let byte = bit / 8;
    let window = u16::from(bytes[byte]) << 8 | u16::from(bytes.get(byte + 1).copied().unwrap_or(0));
    ((window >> (11 - bit % 8)) & 31) as u8
}

/// The CRC kind of segment `k` of `segments`: the last is checked as `last`.
const fn segment_kind(k: usize, segments: usize, last: TextKind) -> TextKind {
    if k + 1 == segments {
        last
    } else {
        TextKind::Continued
    }
}

/// The CRC initial value of segment `k`: segments other than the last also mix in their
/// index, so two swapped segments fail their checks.
const fn segment_init(k: usize, segments: usize, last: TextKind) -> u32 {
    match segment_kind(k, segments, last) {
        TextKind::Continued => TextKind::Continued.crc_init() ^ (k as u32 & 0xFF),
        kind => kind.crc_init(),
    }
}

/// Write the segmented text of `bytes`, the last segment checked as `last`.
pub(crate) fn write(last: TextKind, bytes: &[u8], f: &mut dyn fmt::Write) -> fmt::Result {
    let data = (bytes.len() * 8).div_ceil(5);
    let segments = data.div_ceil(SEGMENT_DATA);
    let mut written = 0usize;
    let mut put = |s: u8, f: &mut dyn fmt::Write| {
        if written > 0 && written.is_multiple_of(GROUP) {
            f.write_char('-')?;
        }
        written += 1;
        f.write_char(char::from(ALPHABET[usize::from(s)]))
    };
    for k in 0..segments {
        let mut r = segment_init(k, segments, last);
        for i in k * SEGMENT_DATA..data.min((k + 1) * SEGMENT_DATA) {
            let s = symbol_at(bytes, i);
            r = crc_step(r, s);
            put(s, f)?;
        }
        let r = r ^ CRC_XOROUT;
        for i in (0..CHECK_SYMBOLS).rev() {
            put(((r >> (5 * i)) & 31) as u8, f)?;
        }
    }
    Ok(())
}

/// Read the symbols of `text` with the lenient rules of the text form.
fn read_symbols(text: &str, out: &mut [u8]) -> Result<usize, Error> {
    let mut n = 0usize;
    for (position, ch) in text.chars().enumerate() {
        let v = if ch.is_ascii() {
            SYMBOL_VALUES[ch as usize]
        } else if is_unicode_separator(ch) {
            SEPARATOR
        } else {
            INVALID
        };
        if v == SEPARATOR {
            continue;
        }
        if v == INVALID {
            return Err(Error::InvalidCharacter {
                character: ch,
                position,
                group: n / GROUP + 1,
            });
        }
        if n == out.len() {
            return Err(Error::TooLong { max: out.len() });
        }
        out[n] = v;
        n += 1;
    }
    Ok(n)
}

/// Decode a segmented text into `out` (at most `MAX` symbols), the last segment
/// checked as `last`; returns the number of bytes. No heap.
pub(crate) fn decode<const MAX: usize>(last: TextKind, text: &str, out: &mut [u8]) -> Result<usize, Error> {
    let mut symbols = [0u8; MAX];
    let n = read_symbols(text, &mut symbols)?;
    if n == 0 {
        return Err(Error::Empty);
    }
    let segments = n.div_ceil(SEGMENT);
    let last_len = n - (segments - 1) * SEGMENT;
    if last_len <= CHECK_SYMBOLS {
        return Err(if segments == 1 {
            Error::TooShort
        } else {
            Error::TypoUnlocated
        });
    }
    // Check every segment, and move its data symbols together.
    let mut data = 0usize;
    for k in 0..segments {
        let start = k * SEGMENT;
        let segment = &symbols[start..n.min(start + SEGMENT)];
        let kind = segment_kind(k, segments, last);
        let (body, check) = segment.split_at(segment.len() - CHECK_SYMBOLS);
        let expected = check.iter().fold(0u32, |r, &s| (r << 5) | u32::from(s));
        let syndrome = crc(segment_init(k, segments, last), body) ^ CRC_XOROUT ^ expected;
        if syndrome != 0 {
            return Err(match typo_error(kind, segment, syndrome) {
                Error::Typo { group } => Error::Typo {
                    group: group + start / GROUP,
                },
                other => other,
            });
        }
        let body_len = body.len();
        symbols.copy_within(start..start + body_len, data);
        data += body_len;
    }
    // Canonical length, as for a plain code: whole bytes plus fewer than 5 zero bits.
    let len = data * 5 / 8;
    if data * 5 - len * 8 >= 5 {
        return Err(Error::Malformed("the code has a character too many at its end"));
    }
    if len > out.len() {
        return Err(Error::TooLong {
            max: segmented_symbols_for(out.len()),
        });
    }
    let (mut acc, mut bits, mut written) = (0u32, 0u32, 0usize);
    for &s in &symbols[..data] {
        acc = (acc << 5 | u32::from(s)) & 0xFFF;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            if written < len {
                out[written] = (acc >> bits) as u8;
                written += 1;
            }
        }
    }
    if bits > 0 && acc & ((1 << bits) - 1) != 0 {
        return Err(Error::Malformed("the code's last character has stray bits"));
    }
    Ok(len)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    const MAX: usize = 2000;

    fn text(bytes: &[u8]) -> String {
        let mut s = String::new();
        write(TextKind::License, bytes, &mut s).unwrap();
        s
    }

    fn bytes(n: usize) -> Vec<u8> {
        (0..n)
            .map(|i| (i as u8).wrapping_mul(151).wrapping_add(3))
            .collect()
    }

    #[test]
    fn round_trips_at_every_length_around_the_segment_boundaries() {
        let mut out = [0u8; 1000];
        for len in (1..140).chain(250..270).chain(380..400) {
            let b = bytes(len);
            let t = text(&b);
            assert_eq!(t.replace('-', "").len(), segmented_symbols_for(len), "len {len}");
            assert_eq!(
                decode::<MAX>(TextKind::License, &t, &mut out),
                Ok(len),
                "len {len}"
            );
            assert_eq!(&out[..len], &b[..]);
            let sloppy = t.to_lowercase().replace('-', " \u{2013}");
            assert_eq!(decode::<MAX>(TextKind::License, &sloppy, &mut out), Ok(len));
        }
    }

    #[test]
    fn one_segment_is_the_plain_text_form() {
        let b = bytes(100);
        let mut plain = String::new();
        crate::text::write(TextKind::License, &b, &mut plain).unwrap();
        assert_eq!(text(&b), plain);
    }

    /// Within a segment the locator is `text.rs`'s (proven there for every substitution
    /// and swap up to 216 data symbols); what is new is the offset of each segment. So:
    /// one substitution and the swap at every position, and every substitution around
    /// the segment boundaries.
    #[test]
    fn every_substitution_and_adjacent_swap_is_located_in_its_group() {
        let t: Vec<u8> = text(&bytes(320)).bytes().filter(|&c| c != b'-').collect();
        let mut out = [0u8; 1000];
        let near_boundary = |pos: usize| (1..3).any(|k| pos.abs_diff(k * SEGMENT) <= 6);
        for pos in 0..t.len() {
            let mut candidates = Vec::new();
            let others = ALPHABET.iter().filter(|&&c| c != t[pos]);
            for &c in others.take(if near_boundary(pos) { 31 } else { 1 }) {
                let mut m = t.clone();
                m[pos] = c;
                candidates.push(m);
            }
            // A swap across a segment boundary changes two segments: the first is named.
            if pos + 1 < t.len() && t[pos] != t[pos + 1] {
                let mut m = t.clone();
                m.swap(pos, pos + 1);
                candidates.push(m);
            }
            for m in candidates {
                let s = core::str::from_utf8(&m).unwrap();
                assert_eq!(
                    decode::<MAX>(TextKind::License, s, &mut out),
                    Err(Error::Typo {
                        group: pos / GROUP + 1
                    }),
                    "typo at {pos}"
                );
            }
        }
    }

    #[test]
    fn cut_at_a_segment_boundary_or_segments_swapped_fails_the_check() {
        let t: String = text(&bytes(300)).chars().filter(|&c| c != '-').collect();
        let mut out = [0u8; 1000];
        assert!(decode::<MAX>(TextKind::License, &t[..SEGMENT], &mut out).is_err());
        assert!(decode::<MAX>(TextKind::License, &t[..2 * SEGMENT], &mut out).is_err());
        let swapped = format!(
            "{}{}{}",
            &t[SEGMENT..2 * SEGMENT],
            &t[..SEGMENT],
            &t[2 * SEGMENT..]
        );
        assert!(decode::<MAX>(TextKind::License, &swapped, &mut out).is_err());
        for extra in ["0", "00", "000", "0000", "00000"] {
            assert!(decode::<MAX>(TextKind::License, &format!("{t}{extra}"), &mut out).is_err());
        }
        assert_eq!(
            decode::<8>(TextKind::License, &t, &mut out),
            Err(Error::TooLong { max: 8 })
        );
    }
}
