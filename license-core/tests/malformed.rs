//! Malformed input of any length gets a typed error and never a panic.

mod common;

use common::*;
use license_core::*;

fn verify(text: &str) -> Result<VerifiedLicense, Error> {
    let machine = reference_machine();
    UntrustedCode::parse(text).and_then(|c| c.verify(&public_keys(), &reference_context(&machine)))
}

#[test]
fn empty_and_blank() {
    for t in ["", " ", "-----", "\n\t\r"] {
        assert_eq!(verify(t).map(|_| ()), Err(Error::Empty), "{t:?}");
    }
}

#[test]
fn huge_inputs() {
    let huge = "A".repeat(1 << 20);
    assert!(matches!(verify(&huge), Err(Error::TooLong { .. })));
    let huge_dashes = "-".repeat(1 << 20);
    assert_eq!(verify(&huge_dashes).map(|_| ()), Err(Error::Empty));
    assert!(matches!(
        UntrustedCode::from_bytes(&vec![1u8; 1 << 16]),
        Err(Error::TooLong { .. })
    ));
}

#[test]
fn not_base32() {
    for (t, ch) in [
        ("héllo", 'é'),
        ("ABCDE-FGHJK-U", 'U'),
        ("ABC!", '!'),
        ("ABCDE\u{0}", '\u{0}'),
    ] {
        match verify(t) {
            Err(Error::InvalidCharacter { character, .. }) => assert_eq!(character, ch, "{t:?}"),
            other => panic!("{t:?}: {other:?}"),
        }
    }
}

#[test]
fn every_prefix_and_every_extension() {
    let text: String = reference_code().to_string().replace('-', "");
    for n in 0..text.len() {
        let e = verify(&text[..n])
            .map(|_| ())
            .expect_err("a prefix never verifies");
        assert_eq!(e.kind(), ErrorKind::Typo, "prefix {n}: {e}");
    }
    for extra in ["0", "00", "Z", "ZZZZZ"] {
        let e = verify(&format!("{text}{extra}"))
            .map(|_| ())
            .expect_err("an extension never verifies");
        assert_eq!(e.kind(), ErrorKind::Typo, "+{extra}: {e}");
    }
}

#[test]
fn structurally_wrong_bytes_with_valid_typo_checks() {
    let bytes = reference_code().as_bytes().to_vec();
    // Too short to hold a signature, unknown version, trailing data, cut fields.
    assert!(matches!(verify(&text_of(&bytes[..10])), Err(Error::Malformed(_))));
    assert_eq!(
        verify(&text_of(&[9u8; 80])).map(|_| ()),
        Err(Error::UnsupportedVersion { version: 9 })
    );
    assert_eq!(
        verify(&text_of(&[0u8; 80])).map(|_| ()),
        Err(Error::UnsupportedVersion { version: 0 })
    );
    let mut long = bytes.clone();
    long.extend_from_slice(&[0; 3]);
    assert!(verify(&text_of(&long)).is_err());
    for n in 0..bytes.len() {
        assert!(
            UntrustedCode::from_bytes(&bytes[..n])
                .and_then(|c| c.verify(&public_keys(), &Context::new("", "")))
                .is_err()
        );
    }
}

#[test]
fn unknown_key_id() {
    let mut bytes = reference_code().as_bytes().to_vec();
    bytes[1] = bytes[1].wrapping_add(1);
    assert_eq!(
        verify(&text_of(&bytes)).map(|_| ()),
        Err(Error::UnknownKey { key_id: bytes[1] })
    );
    // A verifier without keys knows none.
    let machine = reference_machine();
    let none = UntrustedCode::parse(&reference_code().to_string())
        .unwrap()
        .verify(&[], &reference_context(&machine));
    assert!(matches!(none, Err(Error::UnknownKey { .. })));
}

#[test]
fn invalid_public_keys() {
    // A small-order point is refused as a key.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(PublicKey::from_bytes(&identity), Err(Error::InvalidKey));
}
