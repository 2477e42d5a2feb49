//! The product catalog: names for module bits and product lines, and the defaults the
//! business rules use (grace days, demo seats, trial terms, notice windows, terms).
//!
//! One TOML file per product; see `catalogs/demo-erp.toml` for a complete, commented
//! example (it is also the built-in demo catalog). Unknown keys are errors, so a typo
//! in the file is reported instead of silently falling back to a default.

use crate::issuer::error::OrderError;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use license_core::{MAX_CONTEXT_FIELD, MachineBinding, ModuleSet, ProductLine};
use serde::Deserialize;

use crate::catalog::calendar::{ReductionPolicy, RenewalWindow};
use crate::catalog::error::CatalogError;
use crate::error::Error;

/// The TOML text of the built-in demo catalog (product `demo-erp`, on-premises:
/// `contract-year` reductions).
pub const DEMO_CATALOG: &str = include_str!("../../catalogs/demo-erp.toml");
/// The TOML text of the second demo catalog (product `demo-erp-hosted`, instances the
/// vendor hosts: `quarterly` reductions).
pub const DEMO_HOSTED_CATALOG: &str = include_str!("../../catalogs/demo-erp-hosted.toml");

/// The longest term, maintenance pack or NFR period in months (100 years), in catalogs
/// and orders alike; longer lengths are refused instead of overflowing the calendar.
pub const MAX_TERM_MONTHS: u32 = 1200;

/// Defaults for licenses of one product.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Product line when an order names none.
    pub line: Option<String>,
    /// Grace days after a term ends.
    #[serde(default = "default_grace")]
    pub grace_days: u16,
    /// Seats in demo mode after the grace period (0 = no demo mode).
    #[serde(default)]
    pub demo_seats: u32,
    /// Days ahead for the "expiring soon" window of reports.
    #[serde(default = "default_notice")]
    pub notice_days: u16,
    /// Calendar months before the last day at which a renewal notice is due ("a renewal
    /// notice goes out one month before maintenance expires"; default 1).
    #[serde(default = "one_month")]
    pub notice_months: u32,
    /// When reductions take effect: `contract-year` (on-premises, the default) or
    /// `quarterly` (instances the vendor hosts).
    #[serde(default)]
    pub reduction_policy: ReductionPolicyName,
    /// Months of notice before the contract anniversary (`contract-year` only; default 3).
    pub reduction_notice_months: Option<u32>,
    /// Days of notice before the quarter start (`quarterly` only; default 20).
    pub reduction_notice_days: Option<u32>,
    /// Days before expiry by which a renewal code must be issued at the latest
    /// ("generated at the latest 4 weeks before expiry"; default 28).
    #[serde(default = "default_renewal_latest")]
    pub renewal_latest_days: u32,
    /// Months of one subscription term.
    #[serde(default = "twelve")]
    pub subscription_months: u32,
    /// Months of one maintenance pack.
    #[serde(default = "twelve")]
    pub maintenance_months: u32,
    /// Months of a new NFR license's term when the order gives none (a renewal repeats
    /// the license's own first term).
    #[serde(default = "twelve")]
    pub nfr_months: u32,
    /// Months before a term ends by which a cancellation stops the next renewal
    /// (0 = any day before the end).
    #[serde(default = "three")]
    pub cancellation_notice_months: u32,
    /// Machine components that may change (0..=3).
    #[serde(default = "one")]
    pub machine_tolerance: u8,
    /// Most seats in demo mode an order may give (default 100).
    #[serde(default = "default_max_demo_seats")]
    pub max_demo_seats: u32,
    /// Most grace days an order may give (default 90).
    #[serde(default = "default_max_grace_days")]
    pub max_grace_days: u16,
    /// What an additional order does while a reduction is pending: `refuse` (the
    /// default) or `apply-on-top`.
    #[serde(default)]
    pub while_reduction_pending: WhileReductionPending,
    /// Most named users one license may have.
    pub max_named_users: Option<u32>,
    /// Most concurrent seats one license may have.
    pub max_concurrent_seats: Option<u32>,
    /// The database codes orders bind to: `toolkit` (the default: `DB-` and four checked
    /// groups, as `license_verify::new_database_code` creates them; read with the library's
    /// reader, a typo refused with its group) or `free-form` (the product has database
    /// identifiers of its own: taken as given).
    #[serde(default)]
    pub database_codes: DatabaseCodes,
    /// Most moves (rehosts of a bound license to another database, machine or seat
    /// server, a recovery after a lost machine included) one license may have in 365
    /// days; its first activation is no move. `None`: no limit (the default).
    #[serde(default)]
    pub max_moves_per_year: Option<u32>,
}

/// The catalog's `database_codes` word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DatabaseCodes {
    /// `toolkit`: the toolkit's checked database codes (`docs/FORMAT.md`, "Database code").
    #[default]
    Toolkit,
    /// `free-form`: identifiers of the product's own, taken as given.
    FreeForm,
}

/// The catalog's `while_reduction_pending` word: what an additional order does while a
/// reduction is pending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WhileReductionPending {
    /// `refuse` (the hosted vendor's portal: "reserved reductions are visible because the
    /// number of users cannot be adjusted and reduced modules cannot be activated"): an
    /// order that changes the named users or seats, or adds back a module the reduction
    /// removes, is refused until the reduction is withdrawn (saying until when that is
    /// possible); other additions (a new module, a higher line) go into both codes.
    #[default]
    Refuse,
    /// `apply-on-top`: every addition goes into the code in force and into the pending
    /// reduced code (40 users reduced to 30, then an order for 45: 45 now, 35 from the
    /// reduction date; a module the reduction removes, ordered again, stays).
    ApplyOnTop,
}

/// The catalog's `reduction_policy` word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ReductionPolicyName {
    /// `contract-year`: at the next contract anniversary with months of notice.
    #[default]
    ContractYear,
    /// `quarterly`: at the next calendar quarter start with days of notice.
    Quarterly,
}

fn one_month() -> u32 {
    crate::catalog::calendar::NOTICE_MONTHS
}
fn default_renewal_latest() -> u32 {
    crate::catalog::calendar::RENEWAL_LATEST_DAYS
}
fn default_grace() -> u16 {
    14
}
fn default_notice() -> u16 {
    30
}
fn twelve() -> u32 {
    12
}
fn default_max_demo_seats() -> u32 {
    100
}
fn default_max_grace_days() -> u16 {
    90
}
fn three() -> u32 {
    crate::catalog::calendar::CANCELLATION_NOTICE_MONTHS
}
fn one() -> u8 {
    1
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            line: None,
            grace_days: default_grace(),
            demo_seats: 0,
            notice_days: default_notice(),
            notice_months: one_month(),
            reduction_policy: ReductionPolicyName::ContractYear,
            reduction_notice_months: None,
            reduction_notice_days: None,
            renewal_latest_days: default_renewal_latest(),
            subscription_months: 12,
            maintenance_months: 12,
            nfr_months: 12,
            cancellation_notice_months: three(),
            machine_tolerance: 1,
            max_demo_seats: default_max_demo_seats(),
            max_grace_days: default_max_grace_days(),
            while_reduction_pending: WhileReductionPending::Refuse,
            max_named_users: None,
            max_concurrent_seats: None,
            database_codes: DatabaseCodes::Toolkit,
            max_moves_per_year: None,
        }
    }
}

/// Which modules: every module of the catalog, or the ones named.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ModuleChoice {
    /// The word `"all"`.
    All(String),
    /// Module names.
    Names(Vec<String>),
}

/// The terms of a trial license.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialDefaults {
    /// Length in days.
    #[serde(default = "thirty")]
    pub days: u32,
    /// Named users.
    pub named_users: Option<u32>,
    /// Concurrent seats.
    pub concurrent_seats: Option<u32>,
    /// Product line name.
    pub line: Option<String>,
    /// Modules.
    #[serde(default = "all_modules")]
    pub modules: ModuleChoice,
}

fn thirty() -> u32 {
    30
}
fn all_modules() -> ModuleChoice {
    ModuleChoice::All("all".into())
}

impl Default for TrialDefaults {
    fn default() -> Self {
        TrialDefaults {
            days: 30,
            named_users: Some(10),
            concurrent_seats: None,
            line: None,
            modules: all_modules(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    product: String,
    name: Option<String>,
    first_license_id: Option<u32>,
    modules: BTreeMap<String, u8>,
    lines: BTreeMap<String, u8>,
    #[serde(default)]
    defaults: Defaults,
    #[serde(default)]
    trial: TrialDefaults,
}

/// One product's catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    product: String,
    name: Option<String>,
    first_license_id: u32,
    modules: BTreeMap<String, u8>,
    lines: BTreeMap<String, u8>,
    default_line: ProductLine,
    /// Defaults for new licenses and the business rules.
    pub defaults: Defaults,
    /// Trial terms.
    pub trial: TrialDefaults,
    /// The text it was parsed from (a reseller bundle carries it).
    source: String,
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 40
        && n.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

impl Catalog {
    /// A database code of an order as this product takes it: with `database_codes =
    /// "toolkit"` (the default) read with `license_core::DatabaseCode::parse` (case, dashes
    /// and the usual confusions forgiven) and returned in its canonical text, a typo refused
    /// naming its group; with `"free-form"` taken as given (trimmed).
    pub fn database_code(&self, text: &str) -> Result<String, Error> {
        // Nothing left once normalized (`-` and white space removed, as signed): no code.
        if text.chars().all(|c| c == '-' || c.is_ascii_whitespace()) {
            return Err(Error::Order(OrderError::EmptyDatabaseCode));
        }
        match self.defaults.database_codes {
            DatabaseCodes::FreeForm => Ok(text.trim().to_owned()),
            DatabaseCodes::Toolkit => license_core::DatabaseCode::parse(text)
                .map(|c| c.to_string())
                .map_err(|error| {
                    Error::Order(OrderError::InvalidDatabaseCode {
                        product: self.product().to_owned(),
                        error,
                    })
                }),
        }
    }

    /// Parse a catalog; `path` only names the source in errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<Catalog, Error> {
        let bad = |reason: String| {
            Error::Catalog(CatalogError::Catalog {
                path: path.into(),
                reason,
            })
        };
        let file: CatalogFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| {
                    format!(
                        " (line {})",
                        text[..s.start.min(text.len())].lines().count().max(1)
                    )
                })
                .unwrap_or_default();
            bad(format!("{}{line}", e.message()))
        })?;
        if file.product.trim().is_empty() || file.product.len() > MAX_CONTEXT_FIELD {
            return Err(bad("`product` must be a non-empty id of at most 255 bytes".into()));
        }
        if file.modules.len() > 64 {
            return Err(bad("at most 64 modules".into()));
        }
        let mut seen = BTreeMap::new();
        for (name, &bit) in &file.modules {
            if !valid_name(name) {
                return Err(bad(format!(
                    "module name '{name}': use letters, digits, '-', '_' or '.'"
                )));
            }
            if bit >= ModuleSet::CAPACITY {
                return Err(bad(format!("module '{name}' has bit {bit}; bits are 0 to 63")));
            }
            if let Some(other) = seen.insert(bit, name) {
                return Err(bad(format!("modules '{other}' and '{name}' share bit {bit}")));
            }
        }
        let mut seen = BTreeMap::new();
        for (name, &n) in &file.lines {
            if !valid_name(name) {
                return Err(bad(format!(
                    "line name '{name}': use letters, digits, '-', '_' or '.'"
                )));
            }
            if ProductLine::new(n).is_none() {
                return Err(bad(format!("line '{name}' has number {n}; lines are 0 to 15")));
            }
            if let Some(other) = seen.insert(n, name) {
                return Err(bad(format!("lines '{other}' and '{name}' share number {n}")));
            }
        }
        let lowest = file.lines.values().min().and_then(|&n| ProductLine::new(n));
        let Some(lowest) = lowest else {
            return Err(bad("define at least one product line under [lines]".into()));
        };
        if file.defaults.machine_tolerance > MachineBinding::MAX_TOLERANCE {
            return Err(bad("defaults.machine_tolerance is at most 3".into()));
        }
        if file.defaults.subscription_months == 0 || file.defaults.nfr_months == 0 || file.trial.days == 0 {
            return Err(bad(
                "terms (subscription_months, nfr_months, trial.days) must be at least 1".into(),
            ));
        }
        if file.defaults.demo_seats > file.defaults.max_demo_seats {
            return Err(bad(format!(
                "defaults.demo_seats = {} is above defaults.max_demo_seats = {}: lower it or raise the maximum",
                file.defaults.demo_seats, file.defaults.max_demo_seats
            )));
        }
        if file.defaults.grace_days > file.defaults.max_grace_days {
            return Err(bad(format!(
                "defaults.grace_days = {} is above defaults.max_grace_days = {}: lower it or raise the maximum",
                file.defaults.grace_days, file.defaults.max_grace_days
            )));
        }
        let d = &file.defaults;
        match (
            d.reduction_policy,
            d.reduction_notice_months,
            d.reduction_notice_days,
        ) {
            (ReductionPolicyName::ContractYear, _, Some(_)) => {
                return Err(bad(
                    "defaults.reduction_notice_days is for reduction_policy = \"quarterly\"; a contract-year policy takes reduction_notice_months".into(),
                ));
            }
            (ReductionPolicyName::Quarterly, Some(_), _) => {
                return Err(bad(
                    "defaults.reduction_notice_months is for reduction_policy = \"contract-year\"; a quarterly policy takes reduction_notice_days".into(),
                ));
            }
            (_, Some(m), _) if m > 12 => {
                return Err(bad(format!(
                    "defaults.reduction_notice_months = {m}: the notice is at most 12 months"
                )));
            }
            (_, _, Some(n)) if n > 92 => {
                return Err(bad(format!(
                    "defaults.reduction_notice_days = {n}: the notice is at most 92 days (one quarter)"
                )));
            }
            _ => {}
        }
        if d.notice_months > 12 {
            return Err(bad(format!(
                "defaults.notice_months = {}: notices go out at most 12 months ahead",
                d.notice_months
            )));
        }
        if d.renewal_latest_days > 366 {
            return Err(bad(format!(
                "defaults.renewal_latest_days = {}: at most 366 days before expiry",
                d.renewal_latest_days
            )));
        }
        for (key, months) in [
            ("subscription_months", file.defaults.subscription_months),
            ("maintenance_months", file.defaults.maintenance_months),
            ("nfr_months", file.defaults.nfr_months),
            (
                "cancellation_notice_months",
                file.defaults.cancellation_notice_months,
            ),
        ] {
            if months > MAX_TERM_MONTHS {
                return Err(bad(format!(
                    "defaults.{key} = {months} is too long: at most {MAX_TERM_MONTHS} months"
                )));
            }
        }
        let catalog = Catalog {
            product: file.product,
            name: file.name,
            first_license_id: file.first_license_id.unwrap_or(1),
            modules: file.modules,
            lines: file.lines,
            default_line: lowest,
            defaults: file.defaults,
            trial: file.trial,
            source: text.to_owned(),
        };
        let mut catalog = catalog;
        // Names used by the defaults must exist.
        let in_file = |e: Error| bad(e.to_string());
        if let Some(l) = &catalog.defaults.line {
            catalog.default_line = catalog.line(l).map_err(in_file)?;
        }
        if let Some(l) = &catalog.trial.line {
            catalog.line(l).map_err(in_file)?;
        }
        catalog.module_choice(&catalog.trial.modules).map_err(in_file)?;
        Ok(catalog)
    }

    /// The TOML text this catalog was parsed from.
    pub fn toml(&self) -> &str {
        &self.source
    }

    /// Write this catalog's text to `dir/<product>.toml` (atomically, replacing an earlier
    /// file of the product): where [`Catalogs::load_dir`] finds it.
    pub fn store_in(&self, dir: &Path) -> Result<PathBuf, Error> {
        if !valid_name(&self.product) {
            return Err(Error::Catalog(CatalogError::Catalog {
                path: dir.into(),
                reason: format!("product id '{}' cannot name a file", self.product),
            }));
        }
        fs::create_dir_all(dir).map_err(Error::io(dir))?;
        let path = dir.join(format!("{}.toml", self.product));
        license_fs::write_atomic(&path, self.source.as_bytes()).map_err(Error::io(&path))?;
        Ok(path)
    }

    /// Read and parse a catalog file.
    pub fn load(path: &Path) -> Result<Catalog, Error> {
        let text = fs::read_to_string(path).map_err(|e| {
            Error::Catalog(CatalogError::Catalog {
                path: path.into(),
                reason: e.to_string(),
            })
        })?;
        Catalog::from_toml(&text, path)
    }

    /// The built-in demo catalog (product `demo-erp`: modules crm, budget, planning, bi,
    /// documents, api; lines standard and expert). It always parses (tested); the
    /// `Result` only avoids a panic path.
    pub fn demo() -> Result<Catalog, Error> {
        Catalog::from_toml(DEMO_CATALOG, Path::new("<built-in demo catalog>"))
    }

    /// The demo catalog of the vendor-hosted edition (product `demo-erp-hosted`: the
    /// same modules and lines, quarterly reductions with 20 days' notice).
    pub fn demo_hosted() -> Result<Catalog, Error> {
        Catalog::from_toml(DEMO_HOSTED_CATALOG, Path::new("<built-in hosted demo catalog>"))
    }

    /// The product id (signed into every code).
    pub fn product(&self) -> &str {
        &self.product
    }

    /// The product's display name, if the catalog gives one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The id of the first license issued for this product.
    pub fn first_license_id(&self) -> u32 {
        self.first_license_id
    }

    /// Module names and bits, by bit.
    pub fn modules(&self) -> Vec<(&str, u8)> {
        let mut v: Vec<(&str, u8)> = self.modules.iter().map(|(n, &b)| (n.as_str(), b)).collect();
        v.sort_by_key(|&(_, b)| b);
        v
    }

    /// Line names and numbers, by number.
    pub fn lines(&self) -> Vec<(&str, u8)> {
        let mut v: Vec<(&str, u8)> = self.lines.iter().map(|(n, &b)| (n.as_str(), b)).collect();
        v.sort_by_key(|&(_, b)| b);
        v
    }

    fn known_modules(&self) -> String {
        let names: Vec<&str> = self.modules().into_iter().map(|(n, _)| n).collect();
        if names.is_empty() {
            "no modules".into()
        } else {
            names.join(", ")
        }
    }

    /// The bit of module `name` (case-insensitive).
    pub fn module(&self, name: &str) -> Result<u8, Error> {
        let key = name.trim();
        self.modules
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(key))
            .map(|(_, &b)| b)
            .ok_or_else(|| {
                Error::Catalog(CatalogError::UnknownModule {
                    product: self.product.clone(),
                    name: name.trim().to_owned(),
                    known: self.known_modules(),
                })
            })
    }

    /// The set of the modules named; `all` stands for every module.
    pub fn module_set<S: AsRef<str>>(&self, names: &[S]) -> Result<ModuleSet, Error> {
        let mut set = ModuleSet::EMPTY;
        for n in names {
            let n = n.as_ref();
            if n.trim().eq_ignore_ascii_case("all") {
                set = ModuleSet::from_bits(set.bits() | self.all_modules().bits());
            } else {
                set = set.with(self.module(n)?);
            }
        }
        Ok(set)
    }

    /// The modules a [`ModuleChoice`] stands for.
    pub fn module_choice(&self, choice: &ModuleChoice) -> Result<ModuleSet, Error> {
        match choice {
            ModuleChoice::All(word) if word.eq_ignore_ascii_case("all") => Ok(self.all_modules()),
            ModuleChoice::All(word) => self.module_set(&[word]),
            ModuleChoice::Names(names) => self.module_set(names),
        }
    }

    /// Every module of the catalog.
    pub fn all_modules(&self) -> ModuleSet {
        self.modules.values().copied().collect()
    }

    /// The names of the modules in `set`, by bit; bits the catalog does not name show
    /// as `module#N`.
    pub fn module_names(&self, set: ModuleSet) -> Vec<String> {
        if set.is_all() {
            // Every module, present and future.
            return vec!["all".to_owned()];
        }
        set.iter()
            .map(|bit| {
                self.modules
                    .iter()
                    .find(|(_, b)| **b == bit)
                    .map_or_else(|| format!("module#{bit}"), |(n, _)| n.clone())
            })
            .collect()
    }

    /// The product line called `name` (case-insensitive).
    pub fn line(&self, name: &str) -> Result<ProductLine, Error> {
        let key = name.trim();
        self.lines
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(key))
            .and_then(|(_, &n)| ProductLine::new(n))
            .ok_or_else(|| {
                Error::Catalog(CatalogError::UnknownLine {
                    product: self.product.clone(),
                    name: name.trim().to_owned(),
                    known: self
                        .lines()
                        .into_iter()
                        .map(|(n, _)| n)
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            })
    }

    /// When reductions of this product take effect, with the catalog's notice.
    pub fn reduction_policy(&self) -> ReductionPolicy {
        let d = &self.defaults;
        match d.reduction_policy {
            ReductionPolicyName::ContractYear => ReductionPolicy::ContractYear {
                notice_months: d
                    .reduction_notice_months
                    .unwrap_or(crate::catalog::calendar::REDUCTION_NOTICE_MONTHS),
            },
            ReductionPolicyName::Quarterly => ReductionPolicy::Quarterly {
                notice_days: d
                    .reduction_notice_days
                    .unwrap_or(crate::catalog::calendar::REDUCTION_NOTICE_DAYS as u32),
            },
        }
    }

    /// The renewal window of a term of this product ending on `expires` with
    /// `grace_days` of grace (see [`RenewalWindow`]).
    pub fn renewal_window(&self, expires: license_core::Date, grace_days: u16) -> RenewalWindow {
        RenewalWindow::new(
            expires,
            grace_days,
            self.defaults.cancellation_notice_months,
            self.defaults.renewal_latest_days,
        )
    }

    /// The line used when an order names none: `defaults.line`, else the lowest.
    pub fn default_line(&self) -> ProductLine {
        self.default_line
    }

    /// The highest product line (e.g. Expert): NFR licenses get it, as they unlock every
    /// feature.
    pub fn top_line(&self) -> ProductLine {
        self.lines
            .values()
            .max()
            .and_then(|&n| ProductLine::new(n))
            .unwrap_or(self.default_line)
    }

    /// The name of `line`, or `line N` if the catalog does not name it.
    pub fn line_name(&self, line: ProductLine) -> String {
        self.lines
            .iter()
            .find(|(_, n)| **n == line.get())
            .map_or_else(|| format!("line {}", line.get()), |(n, _)| n.clone())
    }
}

/// The catalogs of every product a vendor issues for.
#[derive(Clone, Debug, Default)]
pub struct Catalogs {
    by_product: BTreeMap<String, Catalog>,
}

impl Catalogs {
    /// No catalogs.
    pub fn new() -> Catalogs {
        Catalogs::default()
    }

    /// Add (or replace) a catalog.
    pub fn insert(&mut self, catalog: Catalog) {
        self.by_product.insert(catalog.product.clone(), catalog);
    }

    /// Every `*.toml` file in `dir`; an absent directory gives no catalogs.
    pub fn load_dir(dir: &Path) -> Result<Catalogs, Error> {
        let mut out = Catalogs::new();
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(Error::io(dir)(e)),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let c = Catalog::load(&p)?;
            if out.by_product.contains_key(&c.product) {
                return Err(Error::Catalog(CatalogError::Catalog {
                    path: p,
                    reason: format!("a second catalog for product '{}'", c.product),
                }));
            }
            out.insert(c);
        }
        Ok(out)
    }

    /// The catalog of `product`.
    pub fn get(&self, product: &str) -> Result<&Catalog, Error> {
        self.by_product.get(product).ok_or_else(|| {
            Error::Catalog(CatalogError::UnknownProduct {
                product: product.to_owned(),
                known: self.known(),
            })
        })
    }

    /// The only catalog, if there is exactly one.
    pub fn only(&self) -> Option<&Catalog> {
        if self.by_product.len() == 1 {
            self.by_product.values().next()
        } else {
            None
        }
    }

    /// The product ids, comma-separated (or "none").
    pub fn known(&self) -> String {
        if self.by_product.is_empty() {
            "none".into()
        } else {
            self.by_product.keys().cloned().collect::<Vec<_>>().join(", ")
        }
    }

    /// Every catalog, by product id.
    pub fn iter(&self) -> impl Iterator<Item = &Catalog> {
        self.by_product.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_catalog_parses() {
        let c = Catalog::from_toml(DEMO_CATALOG, Path::new("demo")).unwrap();
        assert_eq!(c, Catalog::demo().unwrap());
        assert_eq!(c.product(), "demo-erp");
        assert_eq!(c.first_license_id(), 1001);
        assert_eq!(
            c.module_set(&["crm", "budget", "planning", "bi"]).unwrap(),
            ModuleSet::first(4)
        );
        assert_eq!(
            c.module_set(&["BI", " crm "]).unwrap(),
            ModuleSet::EMPTY.with(0).with(3)
        );
        assert_eq!(c.all_modules(), ModuleSet::first(6));
        assert_eq!(c.module_set(&["all"]).unwrap(), ModuleSet::first(6));
        assert_eq!(
            c.module_names(ModuleSet::EMPTY.with(3).with(0).with(9)),
            ["crm", "bi", "module#9"]
        );
        assert_eq!(c.line("Expert").unwrap().get(), 1);
        assert_eq!(c.line_name(ProductLine::new(1).unwrap()), "expert");
        assert_eq!(c.line_name(ProductLine::new(7).unwrap()), "line 7");
        assert_eq!(c.default_line().get(), 0);
        assert_eq!(c.line_name(c.top_line()), "expert");
        assert_eq!(c.defaults.grace_days, 14);
        assert_eq!(c.trial.days, 30);
        assert_eq!(c.trial.named_users, Some(10));
    }

    #[test]
    fn reduction_policies_of_the_demo_catalogs() {
        let on_prem = Catalog::demo().unwrap();
        assert_eq!(
            on_prem.reduction_policy(),
            ReductionPolicy::ContractYear { notice_months: 3 }
        );
        assert_eq!(on_prem.defaults.renewal_latest_days, 28);
        assert_eq!(on_prem.defaults.notice_months, 1);
        let hosted = Catalog::demo_hosted().unwrap();
        assert_eq!(hosted.product(), "demo-erp-hosted");
        assert_eq!(
            hosted.reduction_policy(),
            ReductionPolicy::Quarterly { notice_days: 20 }
        );
        assert_eq!(hosted.modules(), on_prem.modules());
        assert_eq!(hosted.lines(), on_prem.lines());
        // Finding 3's dates through the catalog: due from 2026-12-15, out by 2027-02-14.
        let d = |y, m, day| license_core::Date::from_ymd(y, m, day).unwrap();
        let w = on_prem.renewal_window(d(2027, 3, 14), 14);
        assert_eq!((w.opens, w.latest), (d(2026, 12, 15), d(2027, 2, 14)));
    }

    #[test]
    fn reduction_settings() {
        let base = "product = \"p\"\n[modules]\na = 0\n[lines]\ns = 0\n[defaults]\n";
        let parse = |extra: &str| Catalog::from_toml(&format!("{base}{extra}"), Path::new("x")).unwrap();
        assert_eq!(parse("").reduction_policy(), ReductionPolicy::default());
        assert_eq!(
            parse("reduction_policy = \"contract-year\"\nreduction_notice_months = 6\n").reduction_policy(),
            ReductionPolicy::ContractYear { notice_months: 6 }
        );
        assert_eq!(
            parse("reduction_policy = \"quarterly\"\nreduction_notice_days = 30\n").reduction_policy(),
            ReductionPolicy::Quarterly { notice_days: 30 }
        );
        assert_eq!(
            parse("renewal_latest_days = 42\n").defaults.renewal_latest_days,
            42
        );
        assert_eq!(parse("notice_months = 2\n").defaults.notice_months, 2);
        assert!(bad(&format!("{base}reduction_policy = \"monthly\"\n")).contains("unknown variant"));
        assert!(bad(&format!("{base}reduction_notice_days = 20\n")).contains("quarterly"));
        assert!(
            bad(&format!(
                "{base}reduction_policy = \"quarterly\"\nreduction_notice_months = 3\n"
            ))
            .contains("contract-year")
        );
        assert!(bad(&format!("{base}reduction_notice_months = 13\n")).contains("at most 12"));
        assert!(
            bad(&format!(
                "{base}reduction_policy = \"quarterly\"\nreduction_notice_days = 93\n"
            ))
            .contains("at most 92")
        );
        assert!(bad(&format!("{base}renewal_latest_days = 400\n")).contains("at most 366"));
        assert!(bad(&format!("{base}notice_months = 13\n")).contains("at most 12"));
    }

    #[test]
    fn unknown_names_are_errors() {
        let c = Catalog::demo().unwrap();
        let e = c.module_set(&["crm", "payroll"]).unwrap_err();
        assert!(matches!(&e, Error::Catalog(CatalogError::UnknownModule { name, .. }) if name == "payroll"));
        assert!(
            e.to_string()
                .contains("crm, budget, planning, bi, documents, api"),
            "{e}"
        );
        assert!(matches!(
            c.line("gold"),
            Err(Error::Catalog(CatalogError::UnknownLine { .. }))
        ));
    }

    fn bad(text: &str) -> String {
        match Catalog::from_toml(text, Path::new("x.toml")) {
            Err(Error::Catalog(CatalogError::Catalog { reason, .. })) => reason,
            other => panic!("expected a catalog error, got {other:?}"),
        }
    }

    #[test]
    fn invalid_catalogs_are_refused_with_a_reason() {
        let base = "product = \"p\"\n[modules]\na = 0\n[lines]\ns = 0\n";
        assert!(Catalog::from_toml(base, Path::new("x")).is_ok());
        assert!(bad("product = ").contains("line 1"));
        assert!(bad("product = \"p\"\n[modules]\na = 64\n[lines]\ns = 0\n").contains("bits are 0 to 63"));
        assert!(bad("product = \"p\"\n[modules]\na = 1\nb = 1\n[lines]\ns = 0\n").contains("share bit 1"));
        assert!(bad("product = \"p\"\n[modules]\n[lines]\ns = 16\n").contains("0 to 15"));
        assert!(bad("product = \"p\"\n[modules]\n[lines]\n").contains("at least one product line"));
        assert!(bad(&format!("colour = 1\n{base}")).contains("unknown field"));
        assert!(bad(&format!("{base}[defaults]\ngrace = 3\n")).contains("unknown field"));
        assert!(bad(&format!("{base}[trial]\nmodules = [\"zz\"]\n")).contains("unknown module 'zz'"));
        assert!(bad(&format!("{base}[defaults]\nline = \"gold\"\n")).contains("unknown product line"));
        assert!(bad(&format!("{base}[defaults]\nmachine_tolerance = 4\n")).contains("at most 3"));
        assert!(bad("product = \"\"\n[modules]\n[lines]\ns = 0\n").contains("non-empty"));
        // Issue 20, items 4 to 6: the catalog's NFR and trial terms, and its policy while a
        // reduction is pending.
        for terms in ["[defaults]\nnfr_months = 0\n", "[trial]\ndays = 0\n"] {
            assert_eq!(
                bad(&format!("{base}{terms}")),
                "terms (subscription_months, nfr_months, trial.days) must be at least 1",
                "{terms}"
            );
        }
        let policy = bad(&format!(
            "{base}[defaults]\nwhile_reduction_pending = \"sometimes\"\n"
        ));
        assert!(
            policy.contains("unknown variant `sometimes`")
                && policy.contains("refuse")
                && policy.contains("apply-on-top"),
            "{policy}"
        );
    }

    #[test]
    fn catalog_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Catalogs::load_dir(&dir.path().join("none")).unwrap().known(),
            "none"
        );
        fs::write(dir.path().join("demo-erp.toml"), DEMO_CATALOG).unwrap();
        fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let all = Catalogs::load_dir(dir.path()).unwrap();
        assert_eq!(all.only().map(Catalog::product), Some("demo-erp"));
        assert!(matches!(
            all.get("other"),
            Err(Error::Catalog(CatalogError::UnknownProduct { .. }))
        ));
        fs::write(dir.path().join("copy.toml"), DEMO_CATALOG).unwrap();
        assert!(matches!(
            Catalogs::load_dir(dir.path()),
            Err(Error::Catalog(CatalogError::Catalog { .. }))
        ));
    }
}
