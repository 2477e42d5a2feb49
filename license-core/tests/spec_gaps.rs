//! Issue 19, item 7: the answers `docs/FORMAT.md` now gives to the spec gaps an outside
//! implementer found ("Where each gap of issue 19 is answered"), each pinned here where no
//! golden vector pins it yet.

mod common;

use common::*;
use license_core::*;

fn parse(text: &str) -> Result<(), Error> {
    UntrustedCode::parse(text).map(|_| ())
}

#[test]
fn an_invalid_character_wins_over_empty() {
    // Separators and one invalid character: rule 2, not rule 1.
    assert!(matches!(
        parse("-- U --"),
        Err(Error::InvalidCharacter {
            character: 'U',
            group: 1,
            ..
        })
    ));
    assert_eq!(parse(" - \t\r\n"), Err(Error::Empty));
}

#[test]
fn line_breaks_are_cr_and_lf_only() {
    let code = reference_code().to_string();
    let (a, b) = code.split_at(30);
    for sep in ["\n", "\r\n", "\r", "\t", " ", "\u{00A0}", "\u{2013}"] {
        assert_eq!(parse(&format!("{a}{sep}{b}")), Ok(()), "{sep:?}");
    }
    for other in ["\u{0B}", "\u{0C}", "\u{2028}", "\u{85}"] {
        assert!(
            matches!(
                parse(&format!("{a}{other}{b}")),
                Err(Error::InvalidCharacter { .. })
            ),
            "{other:?}"
        );
    }
}

#[test]
fn the_longest_plain_text_is_261_symbols() {
    assert_eq!(MAX_CODE_BYTES, 160);
    // 261 symbols are read (and fail their check); 262 are too long.
    assert!(!matches!(parse(&"0".repeat(261)), Err(Error::TooLong { .. })));
    assert_eq!(parse(&"0".repeat(262)), Err(Error::TooLong { max: 261 }));
    assert_eq!(segmented_symbols_for(MAX_DELEGATED_BYTES), 1294);
    assert_eq!(MAX_DELEGATED_BYTES, 791);
    assert_eq!(segmented_symbols_for(MAX_CHAIN_BYTES), 1030);
}

#[test]
fn a_database_code_that_normalizes_to_nothing_is_none() {
    let l = License {
        binding: Binding::DATABASE,
        ..reference()
    };
    let ctx = Context::new(PRODUCT, LICENSEE).with_database(DATABASE);
    let code = sign(&l, &ctx, &key()).unwrap().to_string();
    let empty = Context::new(PRODUCT, LICENSEE).with_database(" - -\t");
    // Verifying: compared by its hint like any value (the empty string's hint differs).
    assert_eq!(
        UntrustedCode::parse(&code)
            .unwrap()
            .verify(&public_keys(), &empty)
            .map(|_| ()),
        Err(Error::WrongDatabase)
    );
    // The issuing library refuses an order with it (license-issue's `EmptyDatabaseCode`,
    // tests/database_codes.rs there).
}

#[test]
fn seat_counts_follow_the_status() {
    let l = License {
        named_users: Some(25),
        concurrent_seats: None,
        demo_seats: 2,
        ..reference()
    };
    let expires = l.expires.unwrap();
    let build = l.issued;
    let policy = Policy::default();
    let at = |d: Date| license_core::evaluate(&l, d, build, &policy);
    let usable = at(l.valid_from);
    assert_eq!((usable.named_users, usable.concurrent_seats), (Some(25), None));
    let demo = at(expires.saturating_add_days(i64::from(l.grace_days) + 1));
    assert!(matches!(demo.status, Status::DemoMode { .. }));
    assert_eq!((demo.named_users, demo.concurrent_seats), (Some(2), Some(2)));
    let early = at(l.valid_from.saturating_add_days(-1));
    assert_eq!((early.named_users, early.concurrent_seats), (Some(0), Some(0)));
}
