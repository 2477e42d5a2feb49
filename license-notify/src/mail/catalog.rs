//! The message catalog: one file per language (`messages/en.txt`, `messages/de.txt`,
//! compiled in), each message a subject and a plain-text body with `{name}` placeholders.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::NotifyError;
use crate::event::Language;

/// One message of the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The subject line (placeholders allowed).
    pub subject: String,
    /// The body (plain text, placeholders allowed).
    pub body: String,
}

/// A rendered mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The subject.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// The texts of every language.
#[derive(Clone, Debug)]
pub struct MessageCatalog {
    languages: BTreeMap<Language, BTreeMap<String, Message>>,
}

/// The catalog files, compiled in.
pub const CATALOG_FILES: [(Language, &str); 2] = [
    (Language::En, include_str!("../../messages/en.txt")),
    (Language::De, include_str!("../../messages/de.txt")),
];

/// Parse one language's file.
pub fn parse_catalog(language: Language, text: &str) -> Result<BTreeMap<String, Message>, NotifyError> {
    let err = |line: usize, reason: &str| NotifyError::Catalog {
        language: language.code().to_owned(),
        line,
        reason: reason.to_owned(),
    };
    let mut out = BTreeMap::new();
    let mut current: Option<(String, usize, Option<String>, Vec<&str>)> = None;
    let finish = |cur: Option<(String, usize, Option<String>, Vec<&str>)>,
                  out: &mut BTreeMap<String, Message>|
     -> Result<(), NotifyError> {
        if let Some((id, line, subject, body)) = cur {
            let subject = subject.ok_or_else(|| err(line, "a message without a subject line"))?;
            let body = body.join("\n").trim_matches('\n').to_owned();
            if out.insert(id, Message { subject, body }).is_some() {
                return Err(err(line, "a message id given twice"));
            }
        }
        Ok(())
    };
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some(id) = line.strip_prefix("## ") {
            finish(current.take(), &mut out)?;
            let id = id.trim();
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                return Err(err(n, "a message id is lowercase letters and dashes"));
            }
            current = Some((id.to_owned(), n, None, Vec::new()));
            continue;
        }
        match &mut current {
            None if line.starts_with('#') || line.trim().is_empty() => {}
            None => return Err(err(n, "text before the first message")),
            Some((_, _, subject @ None, _)) => {
                let s = line
                    .strip_prefix("subject: ")
                    .ok_or_else(|| err(n, "the line after a message id is 'subject: ...'"))?;
                *subject = Some(s.trim().to_owned());
            }
            Some((_, _, Some(_), body)) => body.push(line),
        }
    }
    finish(current.take(), &mut out)?;
    for (id, m) in &out {
        placeholders(&m.subject).map_err(|r| err(0, &format!("{id}: {r}")))?;
        placeholders(&m.body).map_err(|r| err(0, &format!("{id}: {r}")))?;
    }
    Ok(out)
}

/// The placeholders of a text (`{name}`, names of lowercase letters, digits and `_`).
pub fn placeholders(text: &str) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err("a '}' without '{'".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("a '{' without '}'")?;
        let name = &after[..close];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!("'{{{name}}}' is not a placeholder name"));
        }
        out.insert(name.to_owned());
        rest = &after[close + 1..];
    }
    Ok(out)
}

fn substitute(text: &str, args: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("a '{' without '}'")?;
        let name = &after[..close];
        let value = args
            .get(name)
            .ok_or_else(|| format!("the placeholder {{{name}}} is not given"))?;
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Placeholder names a mail never takes, and texts a value never holds: a mail never
/// carries a password or a private key.
const SECRET_NAMES: [&str; 4] = ["password", "secret", "private", "pem"];
const SECRET_TEXTS: [&str; 2] = ["PRIVATE KEY", "-----BEGIN"];

impl MessageCatalog {
    /// The compiled-in catalog.
    pub fn builtin() -> Result<MessageCatalog, NotifyError> {
        let mut languages = BTreeMap::new();
        for (lang, text) in CATALOG_FILES {
            languages.insert(lang, parse_catalog(lang, text)?);
        }
        Ok(MessageCatalog { languages })
    }

    /// The message `id` in `language`.
    pub fn message(&self, language: Language, id: &str) -> Option<&Message> {
        self.languages.get(&language)?.get(id)
    }

    /// The ids of a language's messages.
    pub fn ids(&self, language: Language) -> Vec<&str> {
        self.languages
            .get(&language)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// A short term of the catalog (`term-maintenance`, ...): its subject line.
    pub fn term(&self, language: Language, id: &str) -> Option<&str> {
        self.message(language, id).map(|m| m.subject.as_str())
    }

    /// Render message `id` in `language` with `args` (every placeholder must be given;
    /// no argument may be named or look like a secret).
    pub fn render(
        &self,
        language: Language,
        id: &str,
        args: &BTreeMap<String, String>,
    ) -> Result<Rendered, NotifyError> {
        let err = |reason: String| NotifyError::Message {
            message: id.to_owned(),
            language: language.code().to_owned(),
            reason,
        };
        for (name, value) in args {
            if let Some(what) = SECRET_NAMES
                .iter()
                .find(|s| name.to_ascii_lowercase().contains(*s))
            {
                let _ = what;
                return Err(NotifyError::SecretInMail {
                    message: id.to_owned(),
                    what: "a placeholder named like a secret",
                });
            }
            if SECRET_TEXTS.iter().any(|s| value.contains(s)) {
                return Err(NotifyError::SecretInMail {
                    message: id.to_owned(),
                    what: "a private key",
                });
            }
        }
        let m = self
            .message(language, id)
            .ok_or_else(|| err("no such message".into()))?;
        Ok(Rendered {
            subject: substitute(&m.subject, args).map_err(err)?,
            body: substitute(&m.body, args).map_err(err)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventKind;

    fn both(m: &Message) -> BTreeSet<String> {
        let mut s = placeholders(&m.subject).unwrap();
        s.extend(placeholders(&m.body).unwrap());
        s
    }

    #[test]
    fn every_message_exists_in_every_language_with_the_same_placeholders() {
        let c = MessageCatalog::builtin().unwrap();
        let en = c.ids(Language::En);
        for lang in Language::ALL {
            assert_eq!(c.ids(lang), en, "{lang:?} has other messages than English");
            for id in &en {
                assert_eq!(
                    both(c.message(lang, id).unwrap()),
                    both(c.message(Language::En, id).unwrap()),
                    "{id} in {lang:?}"
                );
            }
        }
        for k in EventKind::ALL.iter().filter_map(|k| k.message_id()) {
            assert!(en.contains(&k), "no text for {k}");
        }
    }

    #[test]
    fn a_mail_renders_with_its_placeholders_and_refuses_missing_ones_and_secrets() {
        let c = MessageCatalog::builtin().unwrap();
        let mut args: BTreeMap<String, String> = [
            ("licensee", "ACME Corp"),
            ("license", "1001"),
            ("product", "demo-erp"),
            ("code", "05ZT3-38604"),
            ("valid_from", "2026-11-22"),
            ("expires", "2027-11-21"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let de = c.render(Language::De, "new-code", &args).unwrap();
        assert_eq!(de.subject, "Neuer Lizenzcode für demo-erp (Lizenz 1001)");
        assert!(
            de.body.contains("05ZT3-38604") && de.body.contains("für ACME Corp"),
            "{}",
            de.body
        );
        let en = c.render(Language::En, "new-code", &args).unwrap();
        assert!(
            en.body.contains("valid from 2026-11-22, last day 2027-11-21"),
            "{}",
            en.body
        );
        args.remove("code");
        assert!(matches!(
            c.render(Language::En, "new-code", &args),
            Err(NotifyError::Message { .. })
        ));
        args.insert("code".into(), "-----BEGIN PRIVATE KEY-----".into());
        assert!(matches!(
            c.render(Language::En, "new-code", &args),
            Err(NotifyError::SecretInMail { .. })
        ));
        args.insert("code".into(), "x".into());
        args.insert("password".into(), "hunter2".into());
        assert!(matches!(
            c.render(Language::En, "new-code", &args),
            Err(NotifyError::SecretInMail { .. })
        ));
    }

    #[test]
    fn a_malformed_catalog_is_refused_with_its_line() {
        for (text, line) in [
            ("## a\nno subject\n", 2),
            ("text first\n", 1),
            ("## A\nsubject: x\n", 1),
            ("## a\nsubject: x\n## a\nsubject: y\n", 3),
        ] {
            match parse_catalog(Language::En, text) {
                Err(NotifyError::Catalog { line: l, .. }) => assert_eq!(l, line, "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
        assert!(parse_catalog(Language::En, "## a\nsubject: {x\n").is_err());
        assert!(placeholders("{a} and {b_2}").unwrap().len() == 2);
    }
}
