//! Import circles between the files of a crate.
//!
//! The layout rule of `docs/ARCHITECTURE.md`: no two files import each other, directly or
//! through others. This crate reads a crate's module tree from its roots (`src/lib.rs`,
//! `src/main.rs`, `src/bin/*.rs`) by following `mod name;` declarations, collects every
//! reference a file makes to another module of the same crate (`use crate::…`, `use
//! super::…`, `use self::…`, `use child::…` for a declared child module, and inline
//! `crate::…`/`super::…` paths), and reports every strongly connected group of files.
//!
//! A path is resolved to the deepest *module* it names: `crate::ledger::Record` is an
//! import of the file of `ledger`, and `crate::Error` an import of the crate root (which
//! re-exports it). So importing a name through the root's re-export, while the root
//! re-exports from the importing file, is a circle, as it should be: modules import from
//! the module that defines a name. `mod name;` alone is not an import. Inline modules
//! (`mod tests { … }`) belong to their file.
//!
//! The reader is a small tokenizer, not a Rust parser: comments, strings and character
//! literals are skipped, and `#[path]` attributes are not followed (no `src/` file uses
//! one).
#![forbid(unsafe_code)]

mod graph;
mod modules;
mod scan;

pub use graph::{Circle, circles};
pub use modules::{CrateTree, FileModule, LayoutError};
