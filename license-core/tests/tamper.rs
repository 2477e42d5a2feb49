//! Exhaustive tampering with the reference code: every single-bit flip of its bytes
//! (re-encoded with a valid typo check, as a forger would) and every single-character
//! substitution of its text is refused with the right kind of error, never accepted.

mod common;

use common::*;
use license_core::*;

#[test]
fn every_bit_flip_is_refused_as_forged_or_malformed() {
    let code = reference_code();
    let machine = reference_machine();
    let ctx = reference_context(&machine);
    let keys = public_keys();
    let bytes = code.as_bytes();
    let mut kinds = [0usize; 3];
    for i in 0..bytes.len() * 8 {
        let mut b = bytes.to_vec();
        b[i / 8] ^= 1 << (i % 8);
        let text = text_of(&b);
        let outcome = UntrustedCode::parse(&text).and_then(|c| c.verify(&keys, &ctx));
        let e = outcome.expect_err("a flipped bit must never verify");
        match e.kind() {
            ErrorKind::Signature => kinds[0] += 1,
            ErrorKind::Malformed => kinds[1] += 1,
            // A flip in a hint byte names the binding it no longer matches.
            ErrorKind::Binding => kinds[2] += 1,
            other => panic!("bit {i}: unexpected {other:?}: {e}"),
        }
        // The same bytes through the binary entry point give the same verdict.
        let binary = UntrustedCode::from_bytes(&b).and_then(|c| c.verify(&keys, &ctx));
        assert_eq!(binary.map(|_| ()), Err(e), "bit {i}");
    }
    println!(
        "bit flips: {} signature, {} malformed, {} binding",
        kinds[0], kinds[1], kinds[2]
    );
    assert!(kinds[0] > bytes.len() * 4, "most flips reach the signature check");
}

#[test]
fn every_character_substitution_is_a_located_typo() {
    let text: Vec<u8> = reference_code()
        .to_string()
        .bytes()
        .filter(|&c| c != b'-')
        .collect();
    for pos in 0..text.len() {
        for &c in ALPHABET.iter().filter(|&&c| c != text[pos]) {
            let mut t = text.clone();
            t[pos] = c;
            let e = UntrustedCode::parse(std::str::from_utf8(&t).unwrap()).expect_err("a typo never parses");
            assert_eq!(
                e,
                Error::Typo {
                    group: pos / GROUP + 1
                },
                "{} at {pos}",
                c as char
            );
        }
    }
}

#[test]
fn every_adjacent_swap_is_a_located_typo() {
    let text: Vec<u8> = reference_code()
        .to_string()
        .bytes()
        .filter(|&c| c != b'-')
        .collect();
    for pos in 0..text.len() - 1 {
        if text[pos] == text[pos + 1] {
            continue;
        }
        let mut t = text.clone();
        t.swap(pos, pos + 1);
        let e = UntrustedCode::parse(std::str::from_utf8(&t).unwrap()).expect_err("a swap never parses");
        assert_eq!(
            e,
            Error::Typo {
                group: pos / GROUP + 1
            },
            "swap at {pos}"
        );
    }
}
