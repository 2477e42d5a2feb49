//! Database codes: the identifier an installation creates for itself once, keeps in its
//! own database, and shows in its license dialog, so that the vendor can bind a license
//! to that database (`Binding::DATABASE`, the code goes into [`Context::with_database`]).
//!
//! `DB-` and 20 characters in four groups of five, in the text conventions of license
//! codes: 80 random bits in Crockford base32 (16 symbols) and the CRC-20 check (4
//! symbols) with its own initial value, so a typo is caught and its group named, and a
//! license code or fingerprint pasted instead is refused. See `docs/FORMAT.md`,
//! "Database code".
//!
//! This module is pure: it takes the random bytes as input. `license-verify` (and the C
//! ABI) create them from the operating system's random source.
//!
//! [`Context::with_database`]: crate::Context::with_database

use core::fmt;

use crate::error::Error;
use crate::text::{self, GROUP, TextKind};

/// Random bytes in a database code (80 bits).
pub const DATABASE_CODE_BYTES: usize = 10;
/// Characters after `DB-`, without dashes: 16 data symbols and 4 check symbols.
pub const DATABASE_CODE_SYMBOLS: usize = text::symbols_for(DATABASE_CODE_BYTES);
/// Length of the canonical text, `DB-XXXXX-XXXXX-XXXXX-XXXXX`.
pub const DATABASE_CODE_LEN: usize = 3 + DATABASE_CODE_SYMBOLS + DATABASE_CODE_SYMBOLS / GROUP - 1;

/// The label in front of the groups. Readers accept a code without it.
const PREFIX: &str = "DB-";

/// An installation's database code, checked. Its [`Display`](fmt::Display) and
/// [`text`](DatabaseCode::text) give the canonical form (`DB-` and upper-case groups);
/// that is the form to store, show and sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DatabaseCode {
    bytes: [u8; DATABASE_CODE_BYTES],
}

/// Why a text is not a database code. Groups are counted after `DB-`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DatabaseCodeError {
    /// Nothing was entered.
    #[error("no database code was entered: enter the code shown in the application's license dialog")]
    Empty,
    /// Too few or too many characters (a license code or fingerprint has many more).
    #[error(
        "a database code has {expected} characters after DB- (this text has {found}): compare it with the code shown in the application's license dialog",
        expected = DATABASE_CODE_SYMBOLS
    )]
    WrongLength {
        /// Letters and digits found (after `DB`, if present).
        found: usize,
    },
    /// A character no code contains.
    #[error("'{character}' in group {group} cannot be part of a database code: check that group")]
    InvalidCharacter {
        /// The character.
        character: char,
        /// Its position in the text (characters, from 0).
        position: usize,
        /// Its group after `DB-` (from 1).
        group: usize,
    },
    /// The check failed and the typo is located in one group.
    #[error("typo in group {group} of the database code: compare that group with the original")]
    Typo {
        /// The group after `DB-` (from 1).
        group: usize,
    },
    /// The check failed: several typos, or characters missing and others extra.
    #[error("the database code has typos: compare it with the original")]
    TypoUnlocated,
}

/// The canonical text of a database code, without allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DatabaseCodeText([u8; DATABASE_CODE_LEN]);

impl DatabaseCodeText {
    /// The text, e.g. `DB-0BQ7N-3SX4K-9TC1M-W8E2R`.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written into it.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl DatabaseCode {
    /// The database code of these random bytes (take them from the operating system's
    /// random source: `license_verify::new_database_code` does).
    pub const fn from_random(bytes: [u8; DATABASE_CODE_BYTES]) -> DatabaseCode {
        DatabaseCode { bytes }
    }

    /// The random bytes.
    pub const fn as_bytes(&self) -> &[u8; DATABASE_CODE_BYTES] {
        &self.bytes
    }

    /// The canonical text.
    pub fn text(&self) -> DatabaseCodeText {
        let mut out = Buf {
            bytes: [0; DATABASE_CODE_LEN],
            len: 0,
        };
        out.bytes[..PREFIX.len()].copy_from_slice(PREFIX.as_bytes());
        out.len = PREFIX.len();
        // Writing into a buffer of exactly the right size cannot fail.
        let _ = text::write(TextKind::DatabaseCode, &self.bytes, &mut out);
        DatabaseCodeText(out.bytes)
    }

    /// Read a database code as typed or pasted: `DB-` may be missing, case and the usual
    /// confusions (`O` for `0`, `I` and `L` for `1`), dashes and white space are
    /// forgiven, as for license codes. Use the result's canonical text from then on.
    pub fn parse(input: &str) -> Result<DatabaseCode, DatabaseCodeError> {
        let (prefix_chars, rest) = split_prefix(input);
        let found = significant(rest);
        let wrong_length = DatabaseCodeError::WrongLength { found };
        let mut bytes = [0u8; DATABASE_CODE_BYTES];
        match text::decode(TextKind::DatabaseCode, rest, &mut bytes) {
            Ok(DATABASE_CODE_BYTES) => Ok(DatabaseCode { bytes }),
            Ok(_) => Err(wrong_length),
            // In order: nothing, a character no code has, the length, then the check.
            Err(e) => Err(match e {
                Error::Empty => DatabaseCodeError::Empty,
                Error::InvalidCharacter {
                    character,
                    position,
                    group,
                } => DatabaseCodeError::InvalidCharacter {
                    character,
                    position: position + prefix_chars,
                    group,
                },
                _ if found != DATABASE_CODE_SYMBOLS => wrong_length,
                Error::Typo { group } => DatabaseCodeError::Typo { group },
                Error::TypoUnlocated => DatabaseCodeError::TypoUnlocated,
                _ => wrong_length,
            }),
        }
    }
}

impl fmt::Display for DatabaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text().as_str())
    }
}

impl core::str::FromStr for DatabaseCode {
    type Err = DatabaseCodeError;

    fn from_str(s: &str) -> Result<DatabaseCode, DatabaseCodeError> {
        DatabaseCode::parse(s)
    }
}

/// A fixed buffer as a `fmt::Write` target.
struct Buf {
    bytes: [u8; DATABASE_CODE_LEN],
    len: usize,
}

impl fmt::Write for Buf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        self.bytes
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Letters and digits in `s` (what the reader counts as characters of a code).
fn significant(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_alphanumeric).count()
}

/// Split off the `DB` label, unless the text has exactly a code's characters (so `DB` at
/// the start of the random part itself is never taken for the label). Returns the
/// characters taken off and the rest.
fn split_prefix(input: &str) -> (usize, &str) {
    if significant(input) == DATABASE_CODE_SYMBOLS {
        return (0, input);
    }
    let mut seen = 0;
    for (i, c) in input.char_indices() {
        if !c.is_ascii_alphanumeric() {
            continue;
        }
        let want = if seen == 0 { 'D' } else { 'B' };
        if !c.eq_ignore_ascii_case(&want) {
            return (0, input);
        }
        seen += 1;
        if seen == 2 {
            let end = i + c.len_utf8();
            return (input[..end].chars().count(), &input[end..]);
        }
    }
    (0, input)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    const BYTES: [u8; 10] = [0x5a, 0x01, 0xff, 0x80, 0x3c, 0x11, 0x72, 0xe4, 0x09, 0xbd];

    #[test]
    fn canonical_text_is_pinned() {
        // FORMAT.md's example: a change here is a format change.
        let code = DatabaseCode::from_random(BYTES);
        assert_eq!(code.to_string(), "DB-B80ZZ-01W25-SE82D-XMET2");
        assert_eq!(code.text().as_str().len(), DATABASE_CODE_LEN);
        assert_eq!(DATABASE_CODE_LEN, 26);
        assert_eq!(DatabaseCode::parse(code.text().as_str()), Ok(code));
    }

    #[test]
    fn readers_forgive_case_confusions_separators_and_a_missing_label() {
        let code = DatabaseCode::from_random(BYTES);
        let canonical = code.to_string();
        let groups = &canonical[3..];
        for typed in [
            canonical.to_lowercase(),
            groups.to_string(),
            groups.replace('-', " "),
            groups.replace('-', ""),
            format!("  db {}\n", groups.replace('0', "o").replace('1', "l")),
            format!("DB\u{2011}{}", groups.replace('-', "\u{2010}")),
        ] {
            assert_eq!(DatabaseCode::parse(&typed), Ok(code), "{typed:?}");
        }
    }

    #[test]
    fn random_parts_starting_with_db_are_not_taken_for_the_label() {
        // Find random bytes whose text starts with "DB" after the label.
        let code = (0u16..)
            .map(|i| {
                let mut b = BYTES;
                b[0] = 0x6a; // D = 13 = 01101, B = 11 = 01011: 0110 1010 11..
                b[1] = (b[1] & 0x3f) | 0xc0;
                b[2] = i as u8;
                DatabaseCode::from_random(b)
            })
            .find(|c| c.text().as_str()[3..].starts_with("DB"))
            .expect("a code starting with DB");
        let without_label = code.text().as_str()[3..].to_string();
        assert_eq!(DatabaseCode::parse(&without_label), Ok(code));
        assert_eq!(DatabaseCode::parse(code.text().as_str()), Ok(code));
    }

    #[test]
    fn every_substitution_and_adjacent_swap_is_located() {
        for seed in 0..8u8 {
            let bytes: [u8; 10] =
                core::array::from_fn(|i| (i as u8).wrapping_mul(73) ^ seed.wrapping_mul(29));
            let code = DatabaseCode::from_random(bytes);
            let text = code.to_string();
            let chars: Vec<char> = text.chars().collect();
            let positions: Vec<usize> = (3..chars.len()).filter(|&i| chars[i] != '-').collect();
            for (k, &i) in positions.iter().enumerate() {
                let group = k / GROUP + 1;
                for &a in text::ALPHABET {
                    let c = char::from(a);
                    if c == chars[i] {
                        continue;
                    }
                    let mut typo = chars.clone();
                    typo[i] = c;
                    let typo: String = typo.into_iter().collect();
                    assert_eq!(
                        DatabaseCode::parse(&typo),
                        Err(DatabaseCodeError::Typo { group }),
                        "{typo}"
                    );
                }
                if let Some(&j) = positions.get(k + 1)
                    && chars[i] != chars[j]
                {
                    let mut swapped = chars.clone();
                    swapped.swap(i, j);
                    let swapped: String = swapped.into_iter().collect();
                    match DatabaseCode::parse(&swapped) {
                        Err(DatabaseCodeError::Typo { group: g }) => {
                            assert!(g == group || g == group + 1, "{swapped}: group {g}")
                        }
                        other => panic!("{swapped}: {other:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn other_texts_are_refused_with_a_clear_reason() {
        let code = DatabaseCode::from_random(BYTES).to_string();
        assert_eq!(DatabaseCode::parse(""), Err(DatabaseCodeError::Empty));
        assert_eq!(DatabaseCode::parse(" - "), Err(DatabaseCodeError::Empty));
        assert_eq!(
            DatabaseCode::parse(&code[..code.len() - 1]),
            Err(DatabaseCodeError::WrongLength { found: 19 })
        );
        assert_eq!(
            DatabaseCode::parse(&format!("{code}0")),
            Err(DatabaseCodeError::WrongLength { found: 21 })
        );
        // The old free-form examples are not database codes of this form.
        assert_eq!(
            DatabaseCode::parse("DB-7F3A-22C1"),
            Err(DatabaseCodeError::WrongLength { found: 8 })
        );
        let mut bad = code.clone();
        bad.replace_range(10..11, "U");
        assert_eq!(
            DatabaseCode::parse(&bad),
            Err(DatabaseCodeError::InvalidCharacter {
                character: 'U',
                position: 10,
                group: 2
            })
        );
        // A license code's text of the same length, checked with another CRC, is a typo.
        let mut license_text = String::new();
        text::write(TextKind::License, &BYTES, &mut license_text).expect("write");
        assert!(matches!(
            DatabaseCode::parse(&license_text),
            Err(DatabaseCodeError::Typo { .. } | DatabaseCodeError::TypoUnlocated)
        ));
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = DatabaseCodeError::WrongLength { found: 10 };
        assert_eq!(
            e.to_string(),
            "a database code has 20 characters after DB- (this text has 10): compare it with the code shown in the application's license dialog"
        );
        assert!(
            DatabaseCodeError::Typo { group: 3 }
                .to_string()
                .contains("group 3")
        );
    }
}
