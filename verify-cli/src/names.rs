//! The names used to show a verification: module and line names by number, with a
//! plain fallback ("module 7") for a number the catalog does not name.

use license_core::License;

/// The names used to show a verification: modules and lines, by number.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// Module names, index = module number.
    pub modules: Vec<String>,
    /// Line names, index = line number.
    pub lines: Vec<String>,
}

impl Names {
    pub(crate) fn line(&self, l: &License) -> String {
        self.lines
            .get(usize::from(l.line.get()))
            .cloned()
            .unwrap_or_else(|| format!("line {}", l.line.get()))
    }

    /// For every module, present and future: each module the catalog (or `--modules`)
    /// names, so a module added to the catalog after the code was issued is among them.
    pub(crate) fn modules(&self, l: &License) -> Vec<String> {
        if l.modules.is_all() {
            return self.modules.iter().filter(|n| !n.is_empty()).cloned().collect();
        }
        l.modules
            .iter()
            .map(|n| {
                self.modules
                    .get(usize::from(n))
                    .cloned()
                    .unwrap_or_else(|| format!("module {n}"))
            })
            .collect()
    }
}
