//! Ticket ids: `TK-XXXXX-XXXXX-XXXXX`, short enough to read aloud and type from paper.
//!
//! Fifteen symbols of the Crockford base32 alphabet the codes use (lower case and the
//! usual confusions O for 0, I and L for 1 are accepted; dashes and spaces are skipped):
//! twelve random symbols (60 bits from the operating system) and three check symbols.
//! The check is a Reed-Solomon code over GF(32) (x^5 + x^2 + 1, `a` its primitive
//! element): the symbols, first to last, are the coefficients of `c(x)` from `x^14` down
//! to `x^0`, and `c(1) = c(a) = c(a^2) = 0`. Its minimum distance is 4, so every single
//! wrong symbol, every swap of two symbols and every three wrong symbols are detected;
//! from the three syndromes `S_k = c(a^k)` a single wrong symbol is located
//! (`S1 / S0 = a^j`, with `S1^2 = S0 S2`) and so is a swap of two neighbours (`S0 = 0`,
//! `S2 / S1 = a^(j-1) (1 + a)`). The error names the symbol or the pair.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Symbols of a ticket id (without the `TK-` prefix and the dashes).
pub const TICKET_SYMBOLS: usize = 15;
/// Random symbols of a ticket id (the rest are check symbols).
pub const TICKET_RANDOM_SYMBOLS: usize = 12;
const CHECK: usize = TICKET_SYMBOLS - TICKET_RANDOM_SYMBOLS;
const GROUP: usize = 5;
const PREFIX: &str = "TK";

/// GF(32) with x^5 + x^2 + 1: `EXP[i] = a^i` (twice over, so products need no modulo)
/// and `LOG[x]` for x != 0.
const fn tables() -> ([u8; 62], [u8; 32]) {
    let mut exp = [0u8; 62];
    let mut log = [0u8; 32];
    let mut x: u8 = 1;
    let mut i = 0;
    while i < 31 {
        exp[i] = x;
        exp[i + 31] = x;
        log[x as usize] = i as u8;
        x <<= 1;
        if x & 0x20 != 0 {
            x ^= 0x25;
        }
        i += 1;
    }
    (exp, log)
}
const EXP: [u8; 62] = tables().0;
const LOG: [u8; 32] = tables().1;

fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        EXP[usize::from(LOG[usize::from(a)]) + usize::from(LOG[usize::from(b)])]
    }
}

/// `a / b` for `b != 0`.
fn div(a: u8, b: u8) -> u8 {
    if a == 0 {
        0
    } else {
        EXP[usize::from(LOG[usize::from(a)]) + 31 - usize::from(LOG[usize::from(b)])]
    }
}

/// `a^n` for any `n`.
fn pow(n: usize) -> u8 {
    EXP[n % 31]
}

/// The syndromes `c(1), c(a), c(a^2)`: all zero for a valid id.
fn syndromes(s: &[u8; TICKET_SYMBOLS]) -> [u8; CHECK] {
    let mut out = [0u8; CHECK];
    for (p, &v) in s.iter().enumerate() {
        let j = TICKET_SYMBOLS - 1 - p;
        for (k, o) in out.iter_mut().enumerate() {
            *o ^= mul(v, pow(k * j));
        }
    }
    out
}

/// `g(x) = (x + 1)(x + a)(x + a^2)` without its leading 1: `[g2, g1, g0]`.
fn generator() -> [u8; CHECK] {
    // `lo[i]`: the coefficient of x^i; start from 1, multiply by (x + a^k) for each root.
    let mut lo = [1u8, 0, 0, 0];
    for k in 0..CHECK {
        let root = pow(k);
        let mut next = [0u8; 4];
        for i in 0..4 {
            let shifted = if i > 0 { lo[i - 1] } else { 0 };
            next[i] = shifted ^ mul(root, lo[i]);
        }
        lo = next;
    }
    [lo[2], lo[1], lo[0]]
}

const ZERO: [u8; CHECK] = [0; CHECK];

/// A mistyped ticket id's most likely typo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Typo {
    /// One symbol is wrong: the `symbol`th (1-based, after `TK-`).
    Wrong {
        /// Its position, 1 to 15.
        symbol: usize,
    },
    /// Two neighbouring symbols are swapped: the `first`th and the next.
    Swapped {
        /// The first of the two, 1 to 14.
        first: usize,
    },
    /// Not one wrong symbol or one swap, or not only one way to explain it.
    Unlocated,
}

impl fmt::Display for Typo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = |n: usize| {
            format!(
                "symbol {n} (group {}, character {})",
                (n - 1) / GROUP + 1,
                (n - 1) % GROUP + 1
            )
        };
        match *self {
            Typo::Wrong { symbol } => write!(f, "{} looks mistyped", place(symbol)),
            Typo::Swapped { first } => write!(f, "{} and the next one look swapped", place(first)),
            Typo::Unlocated => write!(f, "more than one symbol looks mistyped"),
        }
    }
}

/// A ticket id, checked.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketId([u8; TICKET_SYMBOLS]);

impl TicketId {
    /// A fresh random id (60 bits from the operating system).
    pub fn generate() -> Result<TicketId, getrandom::Error> {
        let mut bytes = [0u8; TICKET_RANDOM_SYMBOLS];
        getrandom::fill(&mut bytes)?;
        // 256 is a multiple of 32: the low five bits are uniform.
        Ok(TicketId::from_random(bytes.map(|b| b & 31)))
    }

    /// The id with these random symbols (each below 32) and its check symbols.
    pub(crate) fn from_random(data: [u8; TICKET_RANDOM_SYMBOLS]) -> TicketId {
        // c(x) = m(x) x^3 + (m(x) x^3 mod g(x)): the remainder by the usual shift register.
        let g = generator();
        let mut r = [0u8; CHECK];
        for &m in &data {
            let feedback = m ^ r[0];
            r = [
                r[1] ^ mul(feedback, g[0]),
                r[2] ^ mul(feedback, g[1]),
                mul(feedback, g[2]),
            ];
        }
        let mut s = [0u8; TICKET_SYMBOLS];
        s[..TICKET_RANDOM_SYMBOLS].copy_from_slice(&data);
        s[TICKET_RANDOM_SYMBOLS..].copy_from_slice(&r);
        TicketId(s)
    }

    /// Parse a ticket id as typed: `TK-` (any case), then fifteen symbols, with or without
    /// dashes and spaces. A typo is reported as [`TicketIdError::Typo`], naming the symbol
    /// where it can.
    pub fn parse(text: &str) -> Result<TicketId, TicketIdError> {
        let given = text.trim();
        let malformed = |reason: &'static str| TicketIdError::Malformed {
            given: given.chars().take(40).collect(),
            reason,
        };
        let rest = given
            .get(..PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(PREFIX))
            .map(|_| &given[PREFIX.len()..])
            .ok_or_else(|| malformed("a ticket id starts with TK-"))?;
        let mut s = [0u8; TICKET_SYMBOLS];
        let mut n = 0usize;
        for c in rest.chars() {
            if matches!(c, '-' | ' ' | '\t') {
                continue;
            }
            let v = symbol_value(c).ok_or(TicketIdError::Character {
                given: given.chars().take(40).collect(),
                character: c,
            })?;
            if n == TICKET_SYMBOLS {
                return Err(malformed(
                    "a ticket id has 15 symbols after TK-; this one has more",
                ));
            }
            s[n] = v;
            n += 1;
        }
        if n < TICKET_SYMBOLS {
            return Err(malformed(
                "a ticket id has 15 symbols after TK-; this one has fewer",
            ));
        }
        if syndromes(&s) != ZERO {
            return Err(TicketIdError::Typo {
                given: given.to_owned(),
                typo: locate(&s),
            });
        }
        Ok(TicketId(s))
    }
}

/// The value of one typed character, `None` for a character no ticket id contains.
fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    license_core::ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|i| u8::try_from(i).ok())
}

/// The single wrong symbol or the swap of two neighbours that explains `s`, if one does
/// (at most one can: the code's distance is 4).
fn locate(s: &[u8; TICKET_SYMBOLS]) -> Typo {
    let [s0, s1, s2] = syndromes(s);
    let log = |x: u8| usize::from(LOG[usize::from(x)]);
    let last = TICKET_SYMBOLS - 1;
    if s0 != 0 && s1 != 0 && mul(s1, s1) == mul(s0, s2) {
        // One error of value S0 at the power j with a^j = S1 / S0.
        let j = log(div(s1, s0));
        if j <= last {
            return Typo::Wrong { symbol: last - j + 1 };
        }
    } else if s0 == 0 && s1 != 0 && s2 != 0 {
        // The same error at the powers j and j - 1: a^(j-1) = S2 / (S1 (1 + a)).
        let j1 = log(div(s2, mul(s1, 1 ^ pow(1))));
        if j1 < last {
            let first = last - 1 - j1;
            let mut t = *s;
            t.swap(first, first + 1);
            if syndromes(&t) == ZERO {
                return Typo::Swapped { first: first + 1 };
            }
        }
    }
    Typo::Unlocated
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PREFIX)?;
        for (i, &v) in self.0.iter().enumerate() {
            if i % GROUP == 0 {
                f.write_str("-")?;
            }
            fmt::Write::write_char(f, char::from(license_core::ALPHABET[usize::from(v)]))?;
        }
        Ok(())
    }
}

impl fmt::Debug for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TicketId({self})")
    }
}

impl std::str::FromStr for TicketId {
    type Err = TicketIdError;

    fn from_str(s: &str) -> Result<TicketId, TicketIdError> {
        TicketId::parse(s)
    }
}

impl Serialize for TicketId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TicketId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TicketId, D::Error> {
        let text = String::deserialize(d)?;
        TicketId::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why a text is not a ticket id.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TicketIdError {
    /// Not a ticket id at all (no `TK-`, too short or too long).
    #[error("'{given}' is not a ticket id ({reason}): copy it again from the mail or paper it came on")]
    Malformed {
        /// The start of what was given.
        given: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A character no ticket id contains.
    #[error(
        "'{given}' is not a ticket id: '{character}' is not one of its characters (digits and letters except I, L, O and U): copy it again from the mail or paper it came on"
    )]
    Character {
        /// The start of what was given.
        given: String,
        /// The character.
        character: char,
    },
    /// A ticket id whose check symbols do not match: mistyped.
    #[error("the ticket id {given} is mistyped: {typo}; compare it with the mail or paper it came on")]
    Typo {
        /// What was given.
        given: String,
        /// Where the typo is, as far as it can be told.
        typo: Typo,
    },
}

impl TicketIdError {
    /// A stable name for the kind of error (the variant's name in snake case).
    pub fn kind_name(&self) -> &'static str {
        match self {
            TicketIdError::Malformed { .. } => "ticket_malformed",
            TicketIdError::Character { .. } => "ticket_character",
            TicketIdError::Typo { .. } => "ticket_typo",
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn sample(seed: u8) -> TicketId {
        TicketId::from_random(std::array::from_fn(|i| {
            (seed.wrapping_mul(7).wrapping_add(i as u8 * 13)) & 31
        }))
    }

    fn symbols(id: &TicketId) -> Vec<char> {
        id.to_string()[3..].chars().filter(|&c| c != '-').collect()
    }

    fn typed(s: &[char]) -> String {
        format!("TK-{}", s.iter().collect::<String>())
    }

    #[test]
    fn the_text_form_is_tk_and_three_groups_of_five() {
        let id = sample(1);
        let text = id.to_string();
        assert_eq!(text.len(), 3 + 15 + 2);
        assert!(text.starts_with("TK-"));
        assert_eq!(text.split('-').map(str::len).collect::<Vec<_>>(), [2, 5, 5, 5]);
        assert_eq!(TicketId::parse(&text).unwrap(), id);
        // As someone types it from paper: lower case, spaces, O for 0 and L for 1.
        let sloppy = text
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l");
        assert_eq!(TicketId::parse(&sloppy).unwrap(), id);
        assert_eq!(TicketId::parse(&format!("  {text}\n")).unwrap(), id);
    }

    /// The format is pinned: these random symbols give this id (license-issue README).
    #[test]
    fn a_pinned_id() {
        let id = TicketId::from_random(std::array::from_fn(|i| i as u8));
        assert_eq!(id.to_string(), "TK-01234-56789-AB5EB");
    }

    #[test]
    fn generated_ids_differ_and_pass_their_check() {
        let a = TicketId::generate().unwrap();
        let b = TicketId::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(TicketId::parse(&a.to_string()).unwrap(), a);
    }

    /// Every single wrong symbol at every position, over many ids: refused as a typo
    /// naming exactly that symbol (a swap leaves the first syndrome zero, one wrong symbol
    /// never does, so the two are never confused).
    #[test]
    fn every_wrong_symbol_is_a_typo_naming_its_position() {
        for seed in 0..=255u8 {
            let id = sample(seed);
            let s = symbols(&id);
            for pos in 0..TICKET_SYMBOLS {
                for &c in license_core::ALPHABET {
                    let c = char::from(c);
                    if c == s[pos] {
                        continue;
                    }
                    let mut t = s.clone();
                    t[pos] = c;
                    match TicketId::parse(&typed(&t)) {
                        Err(TicketIdError::Typo {
                            typo: Typo::Wrong { symbol },
                            ..
                        }) => assert_eq!(symbol, pos + 1),
                        other => panic!("{other:?} for a wrong symbol at {pos}"),
                    }
                }
            }
        }
    }

    /// Every swap of two different symbols is refused; a swap of neighbours is named.
    #[test]
    fn every_swap_is_a_typo_and_adjacent_swaps_are_named() {
        for seed in 0..=255u8 {
            let s = symbols(&sample(seed));
            for i in 0..TICKET_SYMBOLS {
                for j in i + 1..TICKET_SYMBOLS {
                    if s[i] == s[j] {
                        continue;
                    }
                    let mut t = s.clone();
                    t.swap(i, j);
                    let Err(TicketIdError::Typo { typo, .. }) = TicketId::parse(&typed(&t)) else {
                        panic!("swap {i} {j} accepted");
                    };
                    if j == i + 1 {
                        assert_eq!(typo, Typo::Swapped { first: i + 1 });
                    }
                }
            }
        }
    }

    #[test]
    fn the_generator_has_the_three_roots() {
        let [g2, g1, g0] = generator();
        for k in 0..CHECK {
            let x = pow(k);
            let value = mul(mul(x, x), x) ^ mul(g2, mul(x, x)) ^ mul(g1, x) ^ g0;
            assert_eq!(value, 0, "root a^{k}");
        }
    }

    /// Three wrong symbols are still refused (never a valid other id), if not located.
    #[test]
    fn three_wrong_symbols_are_refused() {
        for seed in 0..=63u8 {
            let s = symbols(&sample(seed));
            for (a, b, c) in [(0, 1, 2), (0, 7, 14), (3, 9, 12), (12, 13, 14)] {
                let mut t = s.clone();
                for p in [a, b, c] {
                    let v = symbol_value(t[p]).unwrap();
                    t[p] = char::from(license_core::ALPHABET[usize::from(v ^ (seed % 31 + 1))]);
                }
                assert!(matches!(
                    TicketId::parse(&typed(&t)),
                    Err(TicketIdError::Typo { .. })
                ));
            }
        }
    }

    #[test]
    fn malformed_ids_get_their_own_errors() {
        let id = sample(3).to_string();
        assert!(matches!(
            TicketId::parse(&id[3..]),
            Err(TicketIdError::Malformed { .. })
        ));
        assert!(matches!(
            TicketId::parse(&id[..id.len() - 1]),
            Err(TicketIdError::Malformed { .. })
        ));
        assert!(matches!(
            TicketId::parse(&format!("{id}0")),
            Err(TicketIdError::Malformed { .. })
        ));
        assert!(matches!(
            TicketId::parse(&id.replacen('A', "U", 1).replacen('2', "U", 1)),
            Err(TicketIdError::Character { character: 'U', .. })
        ));
        assert!(matches!(
            TicketId::parse(""),
            Err(TicketIdError::Malformed { .. })
        ));
        assert!(matches!(
            TicketId::parse("Tķ"),
            Err(TicketIdError::Malformed { .. })
        ));
        let e = TicketId::parse(&id.replacen("TK-", "TK-Z", 1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("more"), "{e}");
    }

    #[test]
    fn typo_messages_name_the_group_and_character() {
        assert_eq!(
            Typo::Wrong { symbol: 7 }.to_string(),
            "symbol 7 (group 2, character 2) looks mistyped"
        );
        assert_eq!(
            Typo::Swapped { first: 5 }.to_string(),
            "symbol 5 (group 1, character 5) and the next one look swapped"
        );
    }

    proptest! {
        #[test]
        fn text_round_trip(data in proptest::array::uniform12(0u8..32)) {
            let id = TicketId::from_random(data);
            let text = id.to_string();
            prop_assert_eq!(TicketId::parse(&text).unwrap(), id);
            let json = serde_json::to_string(&id).unwrap();
            prop_assert_eq!(serde_json::from_str::<TicketId>(&json).unwrap(), id);
        }

        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,40}") {
            let _ = TicketId::parse(&text);
        }
    }
}
