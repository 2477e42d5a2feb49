//! Database codes: round trips and the parser's invariants over arbitrary input.

use license_core::{DATABASE_CODE_LEN, DatabaseCode, DatabaseCodeError};
use proptest::prelude::*;

proptest! {
    #[test]
    fn every_code_round_trips(bytes in any::<[u8; 10]>()) {
        let code = DatabaseCode::from_random(bytes);
        let text = code.to_string();
        prop_assert_eq!(text.len(), DATABASE_CODE_LEN);
        prop_assert!(text.starts_with("DB-"));
        prop_assert_eq!(DatabaseCode::parse(&text), Ok(code));
        prop_assert_eq!(DatabaseCode::parse(&text.to_lowercase()), Ok(code));
        prop_assert_eq!(DatabaseCode::parse(&text[3..]), Ok(code));
        prop_assert_eq!(code.as_bytes(), &bytes);
    }

    #[test]
    fn parsing_anything_never_panics_and_accepts_only_canonical_equivalents(s in "\\PC{0,40}") {
        if let Ok(code) = DatabaseCode::parse(&s) {
            // What was accepted re-reads as the same code from its canonical text.
            prop_assert_eq!(DatabaseCode::parse(code.text().as_str()), Ok(code));
        }
    }

    #[test]
    fn one_substituted_character_is_always_caught(bytes in any::<[u8; 10]>(), at in 0usize..20, by in 1u8..32) {
        let text = DatabaseCode::from_random(bytes).to_string();
        let positions: Vec<usize> = text.char_indices().skip(3).filter(|(_, c)| *c != '-').map(|(i, _)| i).collect();
        let i = positions[at];
        let alphabet = license_core::ALPHABET;
        let old = alphabet.iter().position(|&a| a == text.as_bytes()[i]).expect("in alphabet");
        let new = char::from(alphabet[(old + usize::from(by)) % 32]);
        let mut typo = text.clone();
        typo.replace_range(i..=i, &new.to_string());
        prop_assert_eq!(DatabaseCode::parse(&typo), Err(DatabaseCodeError::Typo { group: at / 5 + 1 }));
    }
}
