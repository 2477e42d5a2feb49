//! The vendor's catalog file as the customer's side reads it: the product id and the
//! names of the modules and product lines (a code carries only their numbers). The
//! catalog is the TOML file the vendor writes (`license-issue/catalogs/*.toml`):
//! `product = "..."`, `[modules]` name = bit number 0..=63, `[lines]` name = number
//! 0..=15. Every other key and section is the vendor's business and is ignored here.

use std::fs;
use std::path::{Path, PathBuf};

use crate::names::Names;

/// The highest module bit number.
pub const MAX_MODULE: i64 = 63;
/// The highest product line number.
pub const MAX_LINE: i64 = 15;

/// Why a catalog file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The file could not be read.
    #[error("cannot read the catalog file {} ({source}): check the path and the permissions", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not TOML.
    #[error("the catalog file {} is not TOML ({message}): use the catalog file as the vendor wrote it", path.display())]
    NotToml {
        /// The file.
        path: PathBuf,
        /// The parser's message (with the line and column).
        message: String,
    },
    /// `product` is missing or not a string.
    #[error("the catalog file {} has no product id (product = \"...\"): use the catalog file as the vendor wrote it", path.display())]
    NoProduct {
        /// The file.
        path: PathBuf,
    },
    /// `[modules]` or `[lines]` is not a table.
    #[error("in the catalog file {}, [{section}] is not a table of name = number: use the catalog file as the vendor wrote it", path.display())]
    NotATable {
        /// The file.
        path: PathBuf,
        /// `modules` or `lines`.
        section: &'static str,
    },
    /// A number is not an integer in range.
    #[error("in the catalog file {}, [{section}] {name} = {value} is not a number 0..={max}: ask the vendor for a corrected catalog", path.display())]
    OutOfRange {
        /// The file.
        path: PathBuf,
        /// `modules` or `lines`.
        section: &'static str,
        /// The name given.
        name: String,
        /// The value as written.
        value: String,
        /// The highest number allowed.
        max: i64,
    },
    /// Two names for one number.
    #[error("in the catalog file {}, [{section}] gives number {number} two names ({first} and {second}): ask the vendor for a corrected catalog", path.display())]
    DuplicateNumber {
        /// The file.
        path: PathBuf,
        /// `modules` or `lines`.
        section: &'static str,
        /// The number named twice.
        number: u8,
        /// One name.
        first: String,
        /// The other name.
        second: String,
    },
}

/// What the customer's side needs from the vendor's catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    /// The product id.
    pub product: String,
    /// Module names, index = bit number (an unnamed bit is an empty string).
    pub modules: Vec<String>,
    /// Line names, index = line number (an unnamed line is `line N`).
    pub lines: Vec<String>,
}

impl Catalog {
    /// Read the catalog file at `path`.
    pub fn read(path: &Path) -> Result<Catalog, CatalogError> {
        let text = fs::read_to_string(path).map_err(|source| CatalogError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
        Catalog::parse(&text, path)
    }

    /// Parse the text of a catalog file (`path` names it in errors).
    pub fn parse(text: &str, path: &Path) -> Result<Catalog, CatalogError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| CatalogError::NotToml {
            path: path.to_owned(),
            message: e.message().to_owned()
                + &e.span()
                    .map(|s| {
                        let line = text[..s.start].matches('\n').count() + 1;
                        format!(" at line {line}")
                    })
                    .unwrap_or_default(),
        })?;
        let product = table
            .get("product")
            .and_then(toml::Value::as_str)
            .filter(|p| !p.trim().is_empty())
            .ok_or_else(|| CatalogError::NoProduct {
                path: path.to_owned(),
            })?
            .to_owned();
        let modules = numbered(&table, "modules", MAX_MODULE, path)?;
        let lines = numbered(&table, "lines", MAX_LINE, path)?;
        let top = |v: &[(u8, String)]| v.iter().map(|(n, _)| usize::from(*n) + 1).max().unwrap_or(0);
        let mut module_names = vec![String::new(); top(&modules)];
        for (n, name) in modules {
            module_names[usize::from(n)] = name;
        }
        let mut line_names: Vec<String> = (0..top(&lines)).map(|n| format!("line {n}")).collect();
        for (n, name) in lines {
            line_names[usize::from(n)] = name;
        }
        Ok(Catalog {
            product,
            modules: module_names,
            lines: line_names,
        })
    }

    /// The names to show a verification with.
    pub fn names(&self) -> Names {
        Names {
            modules: self.modules.clone(),
            lines: self.lines.clone(),
        }
    }
}

/// The `name = number` pairs of one section (none if the section is absent), each number
/// in `0..=max` and named once.
fn numbered(
    table: &toml::Table,
    section: &'static str,
    max: i64,
    path: &Path,
) -> Result<Vec<(u8, String)>, CatalogError> {
    let Some(value) = table.get(section) else {
        return Ok(Vec::new());
    };
    let entries = value.as_table().ok_or_else(|| CatalogError::NotATable {
        path: path.to_owned(),
        section,
    })?;
    let mut out: Vec<(u8, String)> = Vec::with_capacity(entries.len());
    for (name, value) in entries {
        let number = value
            .as_integer()
            .filter(|n| (0..=max).contains(n))
            .and_then(|n| u8::try_from(n).ok())
            .ok_or_else(|| CatalogError::OutOfRange {
                path: path.to_owned(),
                section,
                name: name.clone(),
                value: value.to_string(),
                max,
            })?;
        if let Some((_, first)) = out.iter().find(|(n, _)| *n == number) {
            return Err(CatalogError::DuplicateNumber {
                path: path.to_owned(),
                section,
                number,
                first: first.clone(),
                second: name.clone(),
            });
        }
        out.push((number, name.clone()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Catalog, CatalogError> {
        Catalog::parse(text, Path::new("c.toml"))
    }

    #[test]
    fn the_vendors_demo_catalog_reads() {
        let text = include_str!("../../license-issue/catalogs/demo-erp.toml");
        let c = parse(text).unwrap();
        assert_eq!(c.product, "demo-erp");
        assert_eq!(c.modules, ["crm", "budget", "planning", "bi", "documents", "api"]);
        assert_eq!(c.lines, ["standard", "expert"]);
    }

    #[test]
    fn gaps_are_unnamed() {
        let c = parse("product = \"p\"\n[modules]\nx = 2\n[lines]\ntop = 1\n").unwrap();
        assert_eq!(c.modules, ["", "", "x"]);
        assert_eq!(c.lines, ["line 0", "top"]);
    }

    #[test]
    fn bad_catalogs_are_typed_errors() {
        assert!(matches!(parse("product = "), Err(CatalogError::NotToml { .. })));
        assert!(matches!(
            parse("[modules]\na = 1\n"),
            Err(CatalogError::NoProduct { .. })
        ));
        assert!(matches!(
            parse("product = \"p\"\nmodules = 3\n"),
            Err(CatalogError::NotATable {
                section: "modules",
                ..
            })
        ));
        let e = parse("product = \"p\"\n[modules]\nbig = 64\n").unwrap_err();
        assert!(matches!(e, CatalogError::OutOfRange { max: 63, .. }), "{e}");
        assert!(e.to_string().contains("big = 64 is not a number 0..=63"), "{e}");
        assert!(matches!(
            parse("product = \"p\"\n[lines]\nx = 16\n"),
            Err(CatalogError::OutOfRange { max: 15, .. })
        ));
        assert!(matches!(
            parse("product = \"p\"\n[modules]\nx = \"one\"\n"),
            Err(CatalogError::OutOfRange { .. })
        ));
        let e = parse("product = \"p\"\n[modules]\na = 1\nb = 1\n").unwrap_err();
        assert!(
            matches!(&e, CatalogError::DuplicateNumber { number: 1, first, second, .. } if first == "a" && second == "b"),
            "{e}"
        );
    }
}
