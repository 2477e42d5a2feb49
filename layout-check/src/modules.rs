//! A crate's module tree, from its root file down its `mod name;` declarations, and the
//! resolution of a path to the file of the deepest module it names.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::scan::{FileScan, PathRef, scan};

/// Why a crate's tree could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum LayoutError {
    /// A file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// `mod name;` names a file that exists in neither place.
    MissingModule {
        /// The declaring file.
        declared_in: PathBuf,
        /// The module's name.
        name: String,
    },
}

impl std::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Read { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            Self::MissingModule { declared_in, name } => write!(
                f,
                "{} declares `mod {name};` but neither {name}.rs nor {name}/mod.rs exists beside it",
                declared_in.display()
            ),
        }
    }
}

impl std::error::Error for LayoutError {}

/// One file of a crate and what it refers to.
#[derive(Debug, Clone)]
pub struct FileModule {
    /// The file.
    pub path: PathBuf,
    /// Its module path from the crate root (`[]` for the root).
    pub module: Vec<String>,
    /// What the file says.
    pub(crate) scan: FileScan,
    /// A test-only file (declared under `#[cfg(test)]`): its imports are not followed.
    pub test: bool,
}

/// The files of one crate (one root: `lib.rs`, `main.rs` or a `bin/` file).
#[derive(Debug, Clone)]
pub struct CrateTree {
    /// The root file.
    pub root: PathBuf,
    /// Every file reached from the root, the root first.
    pub files: Vec<FileModule>,
    /// Every module, inline ones too, to the index of the file it lives in.
    modules: BTreeMap<Vec<String>, usize>,
}

impl CrateTree {
    /// Reads the crate whose root file is `root`.
    pub fn read(root: &Path) -> Result<Self, LayoutError> {
        let mut tree = CrateTree {
            root: root.to_path_buf(),
            files: Vec::new(),
            modules: BTreeMap::new(),
        };
        tree.add_file(root.to_path_buf(), Vec::new(), true, false)?;
        Ok(tree)
    }

    /// The crate roots of a package directory: `src/lib.rs`, `src/main.rs`, `src/bin/*.rs`.
    pub fn roots(package: &Path) -> Vec<PathBuf> {
        let src = package.join("src");
        let mut roots: Vec<PathBuf> = ["lib.rs", "main.rs"]
            .iter()
            .map(|f| src.join(f))
            .filter(|p| p.is_file())
            .collect();
        if let Ok(entries) = fs::read_dir(src.join("bin")) {
            let mut bins: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .collect();
            bins.sort();
            roots.extend(bins);
        }
        roots
    }

    fn add_file(
        &mut self,
        path: PathBuf,
        module: Vec<String>,
        owns_dir: bool,
        test: bool,
    ) -> Result<(), LayoutError> {
        let source = fs::read_to_string(&path).map_err(|source| LayoutError::Read {
            path: path.clone(),
            source,
        })?;
        let scan = scan(&source);
        let index = self.files.len();
        self.modules.insert(module.clone(), index);
        for inline in &scan.inline_mods {
            self.modules
                .insert([module.clone(), inline.clone()].concat(), index);
        }
        // Children of lib.rs, main.rs and mod.rs live beside the file; of foo.rs, in foo/.
        let dir = match (owns_dir, path.parent(), path.file_stem()) {
            (true, Some(parent), _) => parent.to_path_buf(),
            (false, Some(parent), Some(stem)) => parent.join(stem),
            _ => PathBuf::new(),
        };
        let decls = scan.mods.clone();
        self.files.push(FileModule {
            path: path.clone(),
            module: module.clone(),
            scan,
            test,
        });
        for decl in decls {
            if let Some(file) = &decl.path {
                // Resolved from the declaring file's directory; the file owns no directory
                // of its own unless it is a mod.rs.
                let target = path.parent().map(|p| p.join(file)).unwrap_or_default();
                let child = [module.clone(), decl.inline.clone(), vec![decl.name.clone()]].concat();
                let owns = target.file_name().is_some_and(|n| n == "mod.rs");
                if !target.is_file() {
                    return Err(LayoutError::MissingModule {
                        declared_in: path,
                        name: decl.name,
                    });
                }
                self.add_file(target, child, owns, test || decl.test)?;
                continue;
            }
            let dir = decl.inline.iter().fold(dir.clone(), |d, name| d.join(name));
            let flat = dir.join(format!("{}.rs", decl.name));
            let nested = dir.join(&decl.name).join("mod.rs");
            let child = [module.clone(), decl.inline.clone(), vec![decl.name.clone()]].concat();
            if flat.is_file() {
                self.add_file(flat, child, false, test || decl.test)?;
            } else if nested.is_file() {
                self.add_file(nested, child, true, test || decl.test)?;
            } else {
                return Err(LayoutError::MissingModule {
                    declared_in: path,
                    name: decl.name,
                });
            }
        }
        Ok(())
    }

    /// Every reference from a file to another file of this crate: (from, to, the path as
    /// written, its line).
    pub fn edges(&self) -> Vec<(usize, usize, String, usize)> {
        let mut edges = Vec::new();
        for (from, file) in self.files.iter().enumerate().filter(|(_, f)| !f.test) {
            for reference in file.scan.uses.iter().chain(&file.scan.inline_paths) {
                if let Some(to) = self.resolve(&file.module, reference)
                    && to != from
                {
                    edges.push((from, to, reference.segments.join("::"), reference.line));
                }
            }
        }
        edges
    }

    /// The file of the deepest module `reference` names, seen from module `module`.
    fn resolve(&self, module: &[String], reference: &PathRef) -> Option<usize> {
        let here = [module.to_vec(), reference.inline.clone()].concat();
        let mut segments = reference.segments.iter().peekable();
        let mut base: Vec<String> = match segments.peek().map(|s| s.as_str()) {
            Some("crate") => {
                segments.next();
                Vec::new()
            }
            Some("self") => {
                segments.next();
                here
            }
            Some("super") => {
                let mut base = here;
                while segments.peek().is_some_and(|s| *s == "super") {
                    segments.next();
                    base.pop()?;
                }
                base
            }
            // A declared child module, or an extern crate or local item (not a file of ours).
            Some(first) => {
                let child = [here.clone(), vec![first.to_string()]].concat();
                if !self.modules.contains_key(&child) {
                    return None;
                }
                here
            }
            None => return None,
        };
        for segment in segments {
            let deeper = [base.clone(), vec![segment.clone()]].concat();
            if self.modules.contains_key(&deeper) {
                base = deeper;
            } else {
                break;
            }
        }
        self.modules.get(&base).copied()
    }
}
