//! The portal's message catalog: one file per language (`messages/portal-en.txt`,
//! `messages/portal-de.txt`, compiled in), `key = text` per line with `{name}`
//! placeholders. The language is the user's (stored with the account, set by the page's
//! switch); before login, the `lk_lang` cookie the switch sets, else the browser's
//! `Accept-Language`, else English.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use license_core::Date;

/// A language of the portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    /// English.
    En,
    /// German.
    De,
}

/// Every language, in the switch's order.
pub const LANGS: [Lang; 2] = [Lang::En, Lang::De];

impl Lang {
    /// Its code (`en`, `de`), as stored with a user.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language of a code (`None` for another).
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// The first of ours an `Accept-Language` header names (English when none).
    pub fn from_accept(header: &str) -> Lang {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .filter_map(|tag| Lang::parse(tag.trim().get(..2).unwrap_or("")))
            .next()
            .unwrap_or(Lang::En)
    }

    /// A day as people of this language write it (`2026-11-22`, `22.11.2026`).
    pub fn date(self, d: Date) -> String {
        let (y, m, day) = d.ymd();
        match self {
            Lang::En => format!("{y:04}-{m:02}-{day:02}"),
            Lang::De => format!("{day:02}.{m:02}.{y:04}"),
        }
    }

    /// The text of `key` (the key itself if the catalog lacks it; a test checks every key
    /// the templates use is there).
    pub fn t(self, key: &str) -> &'static str {
        catalog()
            .get(&self)
            .and_then(|m| m.get(key))
            .map_or("?", String::as_str)
    }

    /// The text of `key` with its placeholders filled.
    pub fn f(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.t(key).to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// The catalog files, compiled in: per language, one file per part of the portal
/// (`portal` for the pages every user sees, then the customer's, the reseller's, the
/// vendor's and the reports' pages). A key is given once across a language's files.
pub const FILES: [(Lang, &[&str]); 2] = [
    (
        Lang::En,
        &[
            include_str!("../../messages/portal-en.txt"),
            include_str!("../../messages/customer-en.txt"),
            include_str!("../../messages/reseller-en.txt"),
            include_str!("../../messages/vendor-en.txt"),
            include_str!("../../messages/reports-en.txt"),
        ],
    ),
    (
        Lang::De,
        &[
            include_str!("../../messages/portal-de.txt"),
            include_str!("../../messages/customer-de.txt"),
            include_str!("../../messages/reseller-de.txt"),
            include_str!("../../messages/vendor-de.txt"),
            include_str!("../../messages/reports-de.txt"),
        ],
    ),
];

/// A language's files as one text (a key given twice across them is an error of `parse`).
pub fn joined(files: &[&str]) -> String {
    files.join("\n")
}

/// Parse one file: `key = text` lines, `#` comments and blank lines skipped.
pub fn parse(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(" = ")
            .ok_or_else(|| format!("line {}: not `key = text`", i + 1))?;
        if out
            .insert(key.trim().to_owned(), value.trim().to_owned())
            .is_some()
        {
            return Err(format!("line {}: {key} given twice", i + 1));
        }
    }
    Ok(out)
}

fn catalog() -> &'static BTreeMap<Lang, BTreeMap<String, String>> {
    static CATALOG: OnceLock<BTreeMap<Lang, BTreeMap<String, String>>> = OnceLock::new();
    // The files are compiled in and checked by the tests below: a broken one is empty here.
    CATALOG.get_or_init(|| {
        FILES
            .iter()
            .map(|(l, files)| (*l, parse(&joined(files)).unwrap_or_default()))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut out: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let en = parse(&joined(FILES[0].1)).unwrap();
        let de = parse(&joined(FILES[1].1)).unwrap();
        assert_eq!(
            en.keys().collect::<Vec<_>>(),
            de.keys().collect::<Vec<_>>(),
            "the catalogs' keys differ"
        );
        for (k, v) in &en {
            assert_eq!(placeholders(v), placeholders(&de[k]), "{k}");
        }
        assert!(parse("a = b\na = c\n").is_err());
        assert!(parse("no equals sign\n").is_err());
    }

    #[test]
    fn every_key_the_templates_and_pages_use_is_in_the_catalog() {
        let en = parse(&joined(FILES[0].1)).unwrap();
        // Every template, and every Rust file of the portal (its folders included).
        let root = env!("CARGO_MANIFEST_DIR");
        let mut sources = Vec::new();
        let mut dirs = vec![
            std::path::PathBuf::from(format!("{root}/templates")),
            std::path::PathBuf::from(format!("{root}/src/portal")),
        ];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.file_name().is_some_and(|n| n != "i18n.rs") {
                    sources.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut used = 0;
        for src in &sources {
            for marker in [".t(\"", ".f(\""] {
                for part in src.split(marker).skip(1) {
                    let key = part.split('"').next().unwrap();
                    assert!(en.contains_key(key), "{key} is not in the catalog");
                    used += 1;
                }
            }
        }
        assert!(used > 50, "only {used} uses found");
    }

    #[test]
    fn languages_dates_and_placeholders() {
        assert_eq!(Lang::from_accept("de-DE,de;q=0.9,en;q=0.8"), Lang::De);
        assert_eq!(Lang::from_accept("fr, en-GB"), Lang::En);
        assert_eq!(Lang::from_accept(""), Lang::En);
        let d = Date::from_ymd(2026, 11, 2).unwrap();
        assert_eq!(Lang::En.date(d), "2026-11-02");
        assert_eq!(Lang::De.date(d), "02.11.2026");
        assert_eq!(Lang::De.f("licenses.count", &[("count", "3")]), "3 Lizenzen");
        assert_eq!(Lang::parse("xx"), None);
    }
}
