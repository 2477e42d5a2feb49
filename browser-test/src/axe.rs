//! The accessibility check: axe-core, vendored under `browser-test/vendor/axe-core/` with
//! its version and licence (MPL-2.0), injected into the page through WebDriver and run on
//! the whole document ([`Browser::axe`]).

use std::fmt;

use serde_json::Value;

use crate::browser::Browser;
use crate::error::BrowserError;

/// The vendored axe-core's version (`vendor/axe-core/README.md`).
pub const AXE_CORE_VERSION: &str = "4.14.1";

/// axe-core's source, as published on npm.
const AXE_SOURCE: &str = include_str!("../vendor/axe-core/axe.min.js");

/// One rule the page breaks, with the elements that break it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AxeViolation {
    /// The rule's id (`label`, `color-contrast`, ...).
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// What the rule asks, in words.
    pub help: String,
    /// The CSS selectors of the offending elements.
    pub targets: Vec<String>,
}

/// What axe-core found on one page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AxeReport {
    /// The URL checked.
    pub url: String,
    /// The rules broken (empty: the page passes).
    pub violations: Vec<AxeViolation>,
    /// How many rules passed.
    pub passes: usize,
}

impl AxeReport {
    /// Whether no rule is broken.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }

    /// Panic with the report unless the page passes (for tests; `page` names it).
    #[track_caller]
    pub fn assert_clean(&self, page: &str) {
        assert!(self.is_clean(), "accessibility check of {page}:\n{self}");
    }
}

impl fmt::Display for AxeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "axe-core {AXE_CORE_VERSION} on {}: {} rules passed, {} broken",
            self.url,
            self.passes,
            self.violations.len()
        )?;
        for v in &self.violations {
            writeln!(f, "- {} ({}): {}", v.id, v.impact, v.help)?;
            for t in &v.targets {
                writeln!(f, "    at {t}")?;
            }
        }
        Ok(())
    }
}

const RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
  .then(r => done({
    url: r.url,
    passes: r.passes.length,
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact || '', help: v.help,
      targets: v.nodes.map(n => n.target.join(' '))
    }))
  }))
  .catch(e => done({error: String(e)}));
"#;

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

impl Browser {
    /// Run axe-core (vendored, [`AXE_CORE_VERSION`]) on the page as it is now: the WCAG 2.x
    /// A and AA rules and best practices. Injected through WebDriver, so the page's CSP
    /// (no inline scripts) need not allow it.
    pub fn axe(&self) -> Result<AxeReport, BrowserError> {
        run(self)
    }
}

fn run(b: &Browser) -> Result<AxeReport, BrowserError> {
    let loaded = b.execute("return typeof window.axe === 'object';", vec![])?;
    if loaded != Value::Bool(true) {
        let script = format!("{AXE_SOURCE}\nreturn typeof window.axe === 'object';");
        if b.execute(&script, vec![])? != Value::Bool(true) {
            return Err(BrowserError::Axe {
                why: "the script did not define window.axe".into(),
            });
        }
    }
    let v = b.execute_async(RUN, vec![])?;
    if let Some(e) = v.get("error") {
        return Err(BrowserError::Axe { why: text(e) });
    }
    let violations = v["violations"]
        .as_array()
        .ok_or_else(|| BrowserError::Axe {
            why: format!("no violations list in {v}"),
        })?
        .iter()
        .map(|x| AxeViolation {
            id: text(&x["id"]),
            impact: text(&x["impact"]),
            help: text(&x["help"]),
            targets: x["targets"]
                .as_array()
                .map(|t| t.iter().map(text).collect())
                .unwrap_or_default(),
        })
        .collect();
    Ok(AxeReport {
        url: text(&v["url"]),
        violations,
        passes: v["passes"].as_u64().unwrap_or(0) as usize,
    })
}
