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

use crate::error::Error;
use crate::text::{
    ALPHABET, CHECK_SYMBOLS, CRC_XOROUT, GROUP, INVALID, RESIDUE, SEPARATOR, SYMBOL_VALUES, TextKind, crc,
    crc_step, crc_step2, is_unicode_separator, typo_error,
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

/// Count the symbols of `text` (at most `max`) with the lenient rules of the text form:
/// the first character no code contains, or a symbol too many, is the error.
fn count_symbols(text: &str, max: usize) -> Result<usize, Error> {
    // The common case, without a branch per character: ASCII symbols and separators only.
    let (mut n, mut other) = (0usize, false);
    for &c in text.as_bytes() {
        let v = SYMBOL_VALUES[usize::from(c & 0x7F)];
        n += usize::from(v < 32);
        other |= c >= 128 || v == INVALID;
    }
    if !other {
        return if n > max {
            Err(Error::TooLong { max })
        } else {
            Ok(n)
        };
    }
    // Another character: find the first that is neither a symbol nor a separator.
    let bytes = text.as_bytes();
    let (mut n, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        let c = bytes[i];
        let v = if c < 128 {
            SYMBOL_VALUES[usize::from(c)]
        } else {
            INVALID
        };
        if v == INVALID {
            // `i` starts a character: every step moved over whole characters.
            let ch = text
                .get(i..)
                .and_then(|t| t.chars().next())
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            if is_unicode_separator(ch) {
                i += ch.len_utf8();
                continue;
            }
            return Err(Error::InvalidCharacter {
                character: ch,
                position: text.get(..i).map_or(i, |t| t.chars().count()),
                group: n / GROUP + 1,
            });
        }
        i += 1;
        if v == SEPARATOR {
            continue;
        }
        if n == max {
            return Err(Error::TooLong { max });
        }
        n += 1;
    }
    Ok(n)
}

/// Symbols in segment `k` of a text of `n` symbols.
const fn segment_len(k: usize, n: usize) -> usize {
    let rest = n - k * SEGMENT;
    if rest < SEGMENT { rest } else { SEGMENT }
}

/// Decode a segmented text into `out` (at most `MAX` symbols), the last segment
/// checked as `last`; returns the number of bytes. No heap, no copy of the symbols: one
/// pass counts them (so each segment's kind is known), a second runs each segment's CRC
/// over its data and check symbols (a valid segment ends in the residue, as in
/// `text.rs`) and packs the data bits into `out`. Only a failed check goes back to the
/// text to locate the typo.
pub(crate) fn decode<const MAX: usize>(last: TextKind, text: &str, out: &mut [u8]) -> Result<usize, Error> {
    let n = count_symbols(text, MAX)?;
    if n == 0 {
        return Err(Error::Empty);
    }
    let segments = n.div_ceil(SEGMENT);
    if segment_len(segments - 1, n) <= CHECK_SYMBOLS {
        return Err(if segments == 1 {
            Error::TooShort
        } else {
            Error::TypoUnlocated
        });
    }
    let data = n - segments * CHECK_SYMBOLS;
    let len = data * 5 / 8;
    let room = len.min(out.len());
    let (mut acc, mut bits, mut written) = (0u32, 0u32, 0usize);
    let (mut k, mut i, mut previous) = (0usize, 0usize, 0u32);
    let mut r = segment_init(0, segments, last);
    let mut seg_len = segment_len(0, n);
    for &c in text.as_bytes() {
        // Bytes of 128 and above belong to Unicode separators: `count_symbols` refused
        // every other character that is not a symbol.
        let v = if c < 128 {
            SYMBOL_VALUES[usize::from(c)]
        } else {
            SEPARATOR
        };
        if v >= 32 {
            continue;
        }
        let v = u32::from(v);
        if i % 2 == 1 {
            r = crc_step2(r, previous << 5 | v);
        }
        previous = v;
        if i < seg_len - CHECK_SYMBOLS {
            acc = (acc << 5 | v) & 0xFFF;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                if written < room {
                    out[written] = (acc >> bits) as u8;
                    written += 1;
                }
            }
        }
        i += 1;
        if i == seg_len {
            if seg_len % 2 == 1 {
                r = crc_step(r, previous as u8);
            }
            if r != RESIDUE {
                return Err(segment_typo(last, text, k, n));
            }
            k += 1;
            i = 0;
            if k < segments {
                r = segment_init(k, segments, last);
                seg_len = segment_len(k, n);
            }
        }
    }
    // Canonical length, as for a plain code: whole bytes plus fewer than 5 zero bits.
    if data * 5 - len * 8 >= 5 {
        return Err(Error::Malformed("the code has a character too many at its end"));
    }
    if len > out.len() {
        return Err(Error::TooLong {
            max: segmented_symbols_for(out.len()),
        });
    }
    if bits > 0 && acc & ((1 << bits) - 1) != 0 {
        return Err(Error::Malformed("the code's last character has stray bits"));
    }
    Ok(len)
}

/// The error path: segment `k` of the `n` symbols of `text` failed its check; collect
/// its symbols and locate the typo, as a group of the whole text.
fn segment_typo(last: TextKind, text: &str, k: usize, n: usize) -> Error {
    let segments = n.div_ceil(SEGMENT);
    let start = k * SEGMENT;
    let mut segment = [0u8; SEGMENT];
    let mut len = 0usize;
    let symbols = text
        .bytes()
        .filter(|&c| c < 128 && SYMBOL_VALUES[usize::from(c)] < 32)
        .map(|c| SYMBOL_VALUES[usize::from(c)]);
    for (slot, s) in segment
        .iter_mut()
        .zip(symbols.skip(start).take(segment_len(k, n)))
    {
        *slot = s;
        len += 1;
    }
    let segment = &segment[..len];
    let (body, check) = segment.split_at(len - CHECK_SYMBOLS);
    let expected = check.iter().fold(0u32, |r, &s| (r << 5) | u32::from(s));
    let syndrome = crc(segment_init(k, segments, last), body) ^ CRC_XOROUT ^ expected;
    match typo_error(segment_kind(k, segments, last), segment, syndrome) {
        Error::Typo { group } => Error::Typo {
            group: group + start / GROUP,
        },
        other => other,
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    const MAX: usize = 2000;

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

    /// The decoder as it was before the two-pass one (a buffer of symbols, a CRC per
    /// segment, then the bits packed): the reference the current one must match exactly.
    /// Decode a segmented text into `out` (at most `MAX` symbols), the last segment
    /// checked as `last`; returns the number of bytes. No heap.
    fn reference_decode<const MAX: usize>(
        last: TextKind,
        text: &str,
        out: &mut [u8],
    ) -> Result<usize, Error> {
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

    /// The current decoder decides every text as the reference decoder does: the same
    /// bytes, or the same error (kind, group, position), for valid texts of every length
    /// around the segment boundaries and for each of them mutated (substituted, dropped,
    /// doubled, invalid or Unicode characters, cut, lengthened, segments swapped).
    #[test]
    fn decides_every_text_as_the_reference_decoder() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut rand = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let extras = [
            "U", "\u{2013}", "\u{00A0}", "#", "\u{e9}", " ", "-", "o", "I", "l", "0", "\u{200B}",
        ];
        let mut compared = 0;
        for len in (1..20).chain(125..135).chain(255..265).chain(385..395) {
            let t = text(&bytes(len));
            let chars: Vec<char> = t.chars().collect();
            let mut cases = vec![t.clone(), t.to_lowercase(), format!("{t}0"), format!(" {t}\n")];
            for _ in 0..16 {
                let mut m = chars.clone();
                let at = rand(m.len());
                match rand(5) {
                    0 => m[at] = char::from(ALPHABET[rand(32)]),
                    1 => {
                        m.remove(at);
                    }
                    2 => m.insert(at, m[at]),
                    3 => m.insert(at, extras[rand(extras.len())].chars().next().unwrap()),
                    _ => m.truncate(at),
                }
                cases.push(m.into_iter().collect());
            }
            for case in cases {
                for max in [MAX, 300, 8] {
                    let (mut a, mut b) = ([0u8; 1000], [0u8; 1000]);
                    let room = [300usize, 1000][rand(2)];
                    let ours = match max {
                        MAX => decode::<MAX>(TextKind::License, &case, &mut a[..room]),
                        300 => decode::<300>(TextKind::Certificate, &case, &mut a[..room]),
                        _ => decode::<8>(TextKind::License, &case, &mut a[..room]),
                    };
                    let reference = match max {
                        MAX => reference_decode::<MAX>(TextKind::License, &case, &mut b[..room]),
                        300 => reference_decode::<300>(TextKind::Certificate, &case, &mut b[..room]),
                        _ => reference_decode::<8>(TextKind::License, &case, &mut b[..room]),
                    };
                    assert_eq!(ours, reference, "{case:?}");
                    if let Ok(n) = ours {
                        assert_eq!(a[..n], b[..n]);
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared > 2000);
    }

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
