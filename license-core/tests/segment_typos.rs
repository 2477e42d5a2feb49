//! Issue 19, item 4: typos in a reseller's code (the segmented text form) are located to
//! the group of the edit or reported as not located, never to a distant group; segments
//! in the wrong place are reported as such. Exhaustive over every single-symbol insertion
//! and deletion of the one-level and two-level reference codes of
//! `tests/vectors/v2-delegation.json` (the vectors are not changed: the reader alone is).

use license_core::{Error, UntrustedDelegatedCode, is_longer_than_a_plain_code};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const GROUP: usize = 5;
const SEGMENT: usize = 210;

/// The reference code of the vector case `name`, without dashes.
fn reference(name: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/v2-delegation.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let case = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap();
    let code: Vec<u8> = case["code"]
        .as_str()
        .unwrap()
        .bytes()
        .filter(|&c| c != b'-')
        .collect();
    assert!(UntrustedDelegatedCode::parse(std::str::from_utf8(&code).unwrap()).is_ok());
    code
}

fn grouped(symbols: &[u8]) -> String {
    symbols
        .chunks(GROUP)
        .map(|g| std::str::from_utf8(g).unwrap())
        .collect::<Vec<_>>()
        .join("-")
}

/// The verdicts of every insertion and deletion: (located to the edit's group, not
/// located, total); panics on a typo located elsewhere, or on any other verdict than a typo.
fn insertions_and_deletions(code: &[u8]) -> (usize, usize, usize) {
    let (mut located, mut unlocated, mut total) = (0, 0, 0);
    let mut judge = |text: Vec<u8>, groups: &[usize], what: &str| {
        total += 1;
        let s = grouped(&text);
        // license-verify tries it as a reseller's code whatever its first symbol (it is
        // longer than any plain code).
        assert!(is_longer_than_a_plain_code(&s), "{what}");
        match UntrustedDelegatedCode::parse(&s) {
            Err(Error::Typo { group }) => {
                assert!(
                    groups.contains(&group),
                    "{what}: located in group {group}, not {groups:?}"
                );
                located += 1;
            }
            Err(Error::TypoUnlocated) => unlocated += 1,
            other => panic!("{what}: {other:?}"),
        }
    };
    // A run of equal characters: inserting one more (or deleting one) anywhere in it gives
    // the same text, so each of those places is the edit's.
    let run = |at: usize, c: u8| {
        let mut from = at;
        while from > 0 && code[from - 1] == c {
            from -= 1;
        }
        let mut to = at;
        while to < code.len() && code[to] == c {
            to += 1;
        }
        (from, to)
    };
    for at in 0..=code.len() {
        for &c in ALPHABET {
            let mut t = code.to_vec();
            t.insert(at, c);
            // The inserted character's group in the text as typed.
            let (from, to) = run(at, c);
            let groups: Vec<usize> = (from..=to).map(|q| q / GROUP + 1).collect();
            judge(t, &groups, &format!("{} inserted at {at}", c as char));
        }
    }
    for at in 0..code.len() {
        let mut t = code.to_vec();
        t.remove(at);
        // The hole lies between characters q-1 and q of the text as typed: either group
        // around it is the edit's.
        let (from, to) = run(at, code[at]);
        let groups: Vec<usize> = (from..to)
            .flat_map(|q| [q.saturating_sub(1) / GROUP + 1, q / GROUP + 1])
            .collect();
        judge(t, &groups, &format!("deleted at {at}"));
    }
    (located, unlocated, total)
}

#[test]
fn insertions_and_deletions_are_located_to_their_group_or_not_at_all() {
    for name in ["one-level", "two-level"] {
        let code = reference(name);
        let (located, unlocated, total) = insertions_and_deletions(&code);
        println!(
            "{name} ({} characters): {total} insertions and deletions, {located} located to the edit's group ({:.1} %), {unlocated} not located, 0 elsewhere",
            code.len(),
            100.0 * located as f64 / total as f64
        );
        assert!(located * 10 >= total * 9, "{name}: {located} of {total} located");
    }
}

#[test]
fn any_change_of_the_first_symbol_is_a_typo_in_group_1() {
    for name in ["one-level", "two-level"] {
        let code = reference(name);
        for &c in ALPHABET.iter().filter(|&&c| c != code[0]) {
            let mut t = code.clone();
            t[0] = c;
            let s = grouped(&t);
            assert!(is_longer_than_a_plain_code(&s));
            assert_eq!(
                UntrustedDelegatedCode::parse(&s).map(|_| ()),
                Err(Error::Typo { group: 1 }),
                "{name}, first symbol {}",
                c as char
            );
        }
    }
}

/// Segments swapped, repeated or cut off: their own error, never a located typo.
#[test]
fn segments_in_the_wrong_place_are_reported_as_such() {
    let misplaced = |s: &[u8], what: &str| match UntrustedDelegatedCode::parse(&grouped(s)) {
        Err(Error::Malformed(m)) => assert!(m.contains("out of order, repeated or missing"), "{what}: {m}"),
        other => panic!("{what}: {other:?}"),
    };
    for name in ["one-level", "two-level"] {
        let code = reference(name);
        let segments: Vec<&[u8]> = code.chunks(SEGMENT).collect();
        let n = segments.len();
        assert!(n >= 2);
        for i in 0..n {
            for j in i + 1..n {
                let mut order: Vec<&[u8]> = segments.clone();
                order.swap(i, j);
                misplaced(&order.concat(), &format!("{name}: segments {i} and {j} swapped"));
            }
            // A segment pasted twice (after itself).
            let mut twice = segments.clone();
            twice.insert(i + 1, segments[i]);
            misplaced(&twice.concat(), &format!("{name}: segment {i} repeated"));
        }
        // Cut after a whole segment.
        misplaced(
            &segments[..n - 1].concat(),
            &format!("{name}: last segment missing"),
        );
    }
}
