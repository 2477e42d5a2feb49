//! Names people type (licensees, companies, resellers, contacts, references): refused when
//! empty, when they have no visible character, or when they carry control characters (a
//! NUL included, which PostgreSQL cannot store) or bidirectional controls (which make a
//! name display other than it reads). One copy of the rule: `license-service` checks every
//! name of a request with it, `licensectl` the names of its orders
//! ([`crate::Customer::refused_field`]).

/// Why `name` is refused, if it is.
pub fn refused(name: &str) -> Option<&'static str> {
    const BIDI: &[char] = &[
        '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
        '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    ];
    const INVISIBLE: &[char] = &[
        '\u{00AD}', '\u{034F}', '\u{115F}', '\u{1160}', '\u{17B4}', '\u{17B5}', '\u{180E}', '\u{200B}',
        '\u{200C}', '\u{200D}', '\u{2060}', '\u{2061}', '\u{2062}', '\u{2063}', '\u{2064}', '\u{3164}',
        '\u{FEFF}', '\u{FFA0}',
    ];
    if name.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    if name.chars().any(|c| BIDI.contains(&c)) {
        return Some("it contains a bidirectional control character");
    }
    if !name
        .chars()
        .any(|c| !c.is_whitespace() && !INVISIBLE.contains(&c) && !('\u{FE00}'..='\u{FE0F}').contains(&c))
    {
        return Some("it is empty or has no visible character");
    }
    if name.len() > 200 {
        return Some("it is longer than 200 bytes");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::refused;

    #[test]
    fn empty_invisible_control_and_bidi_names_are_refused() {
        assert_eq!(refused("ACME Corp"), None);
        assert_eq!(refused("Müller & Söhne GmbH"), None);
        for bad in [
            "",
            "   ",
            "\u{200B}\u{200D}",
            "ACME\0",
            "ACME\u{202E}proC",
            "a\nb",
            "\u{2066}x",
        ] {
            assert!(refused(bad).is_some(), "{bad:?}");
        }
        assert!(refused(&"x".repeat(201)).is_some());
    }
}
