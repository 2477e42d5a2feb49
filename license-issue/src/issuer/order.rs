//! What the vendor orders: new licenses, changes, customers and bindings; and what
//! comes back: issued codes.

use license_core::{Binding, Date, Kind, License, MachineBinding, SeatServerDigest};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::product::Catalog;
use crate::error::Error;
use crate::issuer::error::BindingPart;
use crate::issuer::error::OrderError;
use crate::ledger::store::Operation;

/// Who a license is for. Only `licensee` is signed; the rest stays in the ledger.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Customer {
    /// The licensee name the installation must be configured with.
    pub licensee: String,
    /// Contact or address (personal data: keep it minimal; erasable).
    pub contact: Option<String>,
    /// The vendor's customer number or order reference.
    pub customer_ref: Option<String>,
    /// The reseller that sold the license (invoiced for it).
    pub reseller: Option<String>,
    /// The customer's site the license belongs to (a name; site maintenance packs cover
    /// every license of one site).
    pub site: Option<String>,
    /// The order the license was issued in (several licenses of one reseller's order keep
    /// it, and are transferred together).
    pub order_ref: Option<String>,
}

impl Customer {
    /// A customer with just a licensee name.
    pub fn new(licensee: impl Into<String>) -> Customer {
        Customer {
            licensee: licensee.into(),
            ..Customer::default()
        }
    }

    /// The first name of the order people typed that [`crate::names::refused`] refuses:
    /// the field (`licensee`, `contact`, `customer_ref`, `reseller`, `site`, `order_ref`)
    /// and why. The licensee is required; the others only when given.
    pub fn refused_field(&self) -> Option<(&'static str, &'static str)> {
        if let Some(why) = crate::names::refused(&self.licensee) {
            return Some(("licensee", why));
        }
        [
            ("contact", &self.contact),
            ("customer_ref", &self.customer_ref),
            ("reseller", &self.reseller),
            ("site", &self.site),
            ("order_ref", &self.order_ref),
        ]
        .into_iter()
        .find_map(|(field, value)| Some((field, crate::names::refused(value.as_deref()?)?)))
    }
}

/// A seat server's Ed25519 public key, as `license-server key` prints it (64 hex digits).
/// A code bound to it carries its digest ([`SeatServerDigest`]): the customer's seat
/// server refuses to serve a code naming another key, and clients accept lease tokens
/// only from the server the code names. Several instances serving one license share
/// one key. In JSON orders: the 64 hex digits as a string.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeatServerKey([u8; 32]);

impl SeatServerKey {
    /// From the key's 32 bytes.
    pub const fn from_bytes(key: [u8; 32]) -> SeatServerKey {
        SeatServerKey(key)
    }

    /// The key's 32 bytes.
    pub const fn to_bytes(self) -> [u8; 32] {
        self.0
    }

    /// The digest a code carries for this key.
    pub fn digest(&self) -> SeatServerDigest {
        SeatServerDigest::of_key(&self.0)
    }
}

impl std::str::FromStr for SeatServerKey {
    type Err = Error;

    /// The 64 hex digits `license-server key` prints (surrounding blanks ignored).
    fn from_str(s: &str) -> Result<SeatServerKey, Error> {
        let t = s.trim();
        let mut out = [0u8; 32];
        match hex::decode_to_slice(t, &mut out) {
            Ok(()) => Ok(SeatServerKey(out)),
            Err(_) => Err(Error::Order(OrderError::InvalidSeatServerKey {
                given_len: t.len(),
            })),
        }
    }
}

impl std::fmt::Display for SeatServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl std::fmt::Debug for SeatServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SeatServerKey({self})")
    }
}

impl Serialize for SeatServerKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for SeatServerKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SeatServerKey, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What a code is bound to besides product and licensee.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BindTo {
    /// The installation's database code.
    pub database: Option<String>,
    /// A machine fingerprint (parsed from what the customer sent).
    pub machine: Option<MachineBinding>,
    /// The customer's seat server (its public key): the code names it, see
    /// [`SeatServerKey`]. Needs format 2 (not with a format-1 machine binding).
    pub seat_server: Option<SeatServerKey>,
}

impl BindTo {
    /// Bound to nothing.
    pub fn nothing() -> BindTo {
        BindTo::default()
    }

    /// Bound to a database code.
    pub fn database(code: impl Into<String>) -> BindTo {
        BindTo {
            database: Some(code.into()),
            ..BindTo::default()
        }
    }

    /// Bound to a machine.
    pub fn machine(m: MachineBinding) -> BindTo {
        BindTo {
            machine: Some(m),
            ..BindTo::default()
        }
    }

    /// Bound to the machine whose fingerprint text (as the product or the customer's
    /// tool prints it) is `fingerprint`. The number of components that may change is
    /// `tolerance` as given, else the catalog's `machine_tolerance`, capped in both cases
    /// (as license-core's `MachineFingerprint::binding` does) so that a majority of the
    /// components the fingerprint names must still match: see [`ToleranceChoice`].
    pub fn machine_fingerprint(
        fingerprint: &str,
        tolerance: Option<u8>,
        catalog: &Catalog,
    ) -> Result<MachineBinding, Error> {
        let parsed = MachineBinding::parse(fingerprint).map_err(OrderError::Fingerprint)?;
        let components = parsed.components();
        if tolerance.is_some_and(|t| t > MachineBinding::MAX_TOLERANCE) {
            return Err(Error::Order(OrderError::Fingerprint(
                license_core::Error::InvalidLicense("a machine tolerance is at most 3 changed components"),
            )));
        }
        let tolerance = ToleranceChoice::new(tolerance, catalog, components.len()).applied;
        parsed
            .with_tolerance(tolerance)
            .map_err(|e| Error::Order(OrderError::Fingerprint(e)))
    }

    pub(crate) fn binding(&self) -> Result<Binding, Error> {
        if let Some(db) = &self.database
            && db.trim().is_empty()
        {
            return Err(Error::Order(OrderError::EmptyDatabaseCode));
        }
        Ok(Binding {
            database: self.database.is_some(),
            machine: self.machine,
            seat_server: self.seat_server.map(|k| k.digest()),
        })
    }
}

/// Which parts of a binding a rehost or transfer removes. A rehost keeps every part it
/// neither replaces nor removes, so moving a database-and-machine-bound license to another
/// machine keeps its database binding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Unbind {
    /// Remove the database binding.
    pub database: bool,
    /// Remove the machine binding.
    pub machine: bool,
    /// Remove the seat-server binding.
    pub seat_server: bool,
}

impl Unbind {
    /// Whether it removes nothing.
    pub fn is_nothing(&self) -> bool {
        !self.database && !self.machine && !self.seat_server
    }
}

impl BindTo {
    /// The binding after replacing the parts given in `self` and removing those in
    /// `unbind`, keeping the rest of `current` (whose database code is `current_db`).
    pub(crate) fn rebind(
        &self,
        unbind: Unbind,
        current: Binding,
        current_db: Option<&str>,
    ) -> Result<(Binding, Option<String>), Error> {
        if unbind.database && self.database.is_some() {
            return Err(Error::Order(OrderError::ReplaceAndRemove {
                part: BindingPart::Database,
            }));
        }
        if unbind.machine && self.machine.is_some() {
            return Err(Error::Order(OrderError::ReplaceAndRemove {
                part: BindingPart::Machine,
            }));
        }
        if unbind.seat_server && self.seat_server.is_some() {
            return Err(Error::Order(OrderError::ReplaceAndRemove {
                part: BindingPart::SeatServer,
            }));
        }
        self.binding()?;
        let database = match (&self.database, unbind.database) {
            (_, true) => None,
            (Some(db), false) => Some(db.clone()),
            (None, false) => current_db.filter(|_| current.database).map(str::to_owned),
        };
        let machine = match (self.machine, unbind.machine) {
            (_, true) => None,
            (Some(m), false) => Some(m),
            (None, false) => current.machine,
        };
        let seat_server = match (self.seat_server, unbind.seat_server) {
            (_, true) => None,
            (Some(k), false) => Some(k.digest()),
            (None, false) => current.seat_server,
        };
        Ok((
            Binding {
                database: database.is_some(),
                machine,
                seat_server,
            },
            database,
        ))
    }
}

/// How long a new license runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Term {
    /// The catalog's term for the kind (perpetual for full licenses).
    #[default]
    Default,
    /// This many months from `valid_from`.
    Months(u32),
    /// This many days from `valid_from`.
    Days(u32),
    /// Until this day (exclusive).
    Until(Date),
}

/// A new license.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLicense {
    /// The product id (a catalog must exist).
    pub product: String,
    /// Full, trial, subscription or NFR.
    pub kind: Kind,
    /// The customer.
    pub customer: Customer,
    /// Product line name; `None` = the catalog's default (trials: the trial line).
    pub line: Option<String>,
    /// Named users (`None` = not limited). Zero is refused.
    pub named_users: Option<u32>,
    /// Concurrent seats (`None` = not limited). Zero is refused.
    pub concurrent_seats: Option<u32>,
    /// Demo-mode seats after grace; `None` = the catalog's (0 for trials).
    pub demo_seats: Option<u32>,
    /// Module names (`all` = every module). Empty: trials and NFR get the catalog's
    /// trial modules / every module; other kinds get none.
    #[serde(default)]
    pub modules: Vec<String>,
    /// First valid day; `None` = the day of issue.
    pub valid_from: Option<Date>,
    /// How long it runs.
    #[serde(default)]
    pub term: Term,
    /// Grace days; `None` = the catalog's (0 for trials).
    pub grace_days: Option<u16>,
    /// Full licenses: months of maintenance bought with it; `None` = one catalog pack,
    /// `Some(0)` = none (only releases available on the day of purchase).
    pub maintenance_months: Option<u32>,
    /// The binding.
    #[serde(default)]
    pub bind: BindTo,
}

impl NewLicense {
    /// An order of `kind` for `licensee` with every other field at its default.
    pub fn new(product: impl Into<String>, kind: Kind, customer: Customer) -> NewLicense {
        NewLicense {
            product: product.into(),
            kind,
            customer,
            line: None,
            named_users: None,
            concurrent_seats: None,
            demo_seats: None,
            modules: Vec::new(),
            valid_from: None,
            term: Term::Default,
            grace_days: None,
            maintenance_months: None,
            bind: BindTo::nothing(),
        }
    }
}

/// A change to an existing license: additions go through [`crate::Issuer::upgrade`],
/// reductions (or mixed orders) through [`crate::Issuer::reduce`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Change {
    /// The new number of named users.
    pub named_users: Option<u32>,
    /// The new number of concurrent seats.
    pub concurrent_seats: Option<u32>,
    /// Modules to add.
    pub add_modules: Vec<String>,
    /// Modules to remove.
    pub remove_modules: Vec<String>,
    /// The new product line.
    pub line: Option<String>,
    /// Bind the code to this seat server (with the additions, at once): for a customer
    /// starting to use concurrent seats through `license-server`.
    pub seat_server: Option<SeatServerKey>,
}

/// One side of a change: what grows and what shrinks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Split {
    pub grows: bool,
    pub shrinks: bool,
}

impl Change {
    /// Apply the whole change to `l`.
    pub(crate) fn apply(&self, catalog: &Catalog, l: &License) -> Result<License, Error> {
        self.apply_part(catalog, l, true, true)
    }

    /// Apply only the increases (`grow`) and/or only the decreases (`shrink`).
    pub(crate) fn apply_part(
        &self,
        catalog: &Catalog,
        l: &License,
        grow: bool,
        shrink: bool,
    ) -> Result<License, Error> {
        let mut out = *l;
        let pick = |old: Option<u32>, new: Option<u32>| -> Option<u32> {
            match new {
                None => old,
                Some(n) => {
                    let up = old.is_some_and(|o| n > o);
                    let down = old.is_none_or(|o| n < o);
                    if (up && grow) || (down && shrink) {
                        Some(n)
                    } else {
                        old
                    }
                }
            }
        };
        out.named_users = pick(l.named_users, self.named_users);
        out.concurrent_seats = pick(l.concurrent_seats, self.concurrent_seats);
        if grow {
            out.modules = self
                .add_modules
                .iter()
                .try_fold(out.modules, |m, n| catalog.module(n).map(|b| m.with(b)))?;
        }
        if shrink && !self.remove_modules.is_empty() {
            // From every module, present and future, removing one leaves the catalog's
            // other modules (a list again).
            let from = if out.modules.is_all() {
                catalog.all_modules()
            } else {
                out.modules
            };
            out.modules = self
                .remove_modules
                .iter()
                .try_fold(from, |m, n| catalog.module(n).map(|b| m.without(b)))?;
        } else {
            // Validate the names even when this part does not use them.
            for n in &self.remove_modules {
                catalog.module(n)?;
            }
        }
        if let Some(name) = &self.line {
            let line = catalog.line(name)?;
            if (line.get() > l.line.get() && grow) || (line.get() < l.line.get() && shrink) {
                out.line = line;
            }
        }
        if let Some(key) = self.seat_server
            && grow
        {
            out.binding.seat_server = Some(key.digest());
        }
        Ok(out)
    }

    /// Which parts of the change grow or shrink `l`.
    pub(crate) fn split(&self, catalog: &Catalog, l: &License) -> Result<Split, Error> {
        let up = self.apply_part(catalog, l, true, false)?;
        let down = self.apply_part(catalog, l, false, true)?;
        Ok(Split {
            grows: up != *l,
            shrinks: down != *l,
        })
    }

    /// Plain words for what shrinks (for error messages).
    pub(crate) fn describe_shrink(&self, catalog: &Catalog, l: &License) -> Result<String, Error> {
        let down = self.apply_part(catalog, l, false, true)?;
        let mut parts = Vec::new();
        if down.named_users != l.named_users {
            parts.push("fewer named users");
        }
        if down.concurrent_seats != l.concurrent_seats {
            parts.push("fewer concurrent seats");
        }
        if down.modules != l.modules {
            parts.push("modules removed");
        }
        if down.line != l.line {
            parts.push("a lower product line");
        }
        Ok(parts.join(", "))
    }
}

/// A code just issued and recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Issued {
    /// What issued it.
    pub operation: Operation,
    /// The product id.
    pub product: String,
    /// The licensee it is signed for.
    pub licensee: String,
    /// The database code it is signed for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The scope.
    pub license: License,
    /// The code's text form.
    pub code: String,
}

/// The codes of a change effective at once: the code in force now and, when the next
/// term was already renewed, that term's code re-issued with the same change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reissued {
    /// Effective today.
    pub now: Issued,
    /// The pending next term, re-issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_term: Option<Issued>,
}

/// The outcome of a reduction order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reduction {
    /// The day from which the reduced scope applies (a contract anniversary or a quarter start, per the catalog's reduction policy).
    pub effective: Date,
    /// The last day the reduction can be withdrawn.
    pub cutoff: Date,
    /// For a mixed order: the additions, effective at once, valid until `effective`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub immediate: Option<Issued>,
    /// The reduced scope (with any additions), valid from `effective`.
    pub scheduled: Issued,
}

/// How many machine components may change in a binding, and why that many: the
/// tolerance asked for (by the order, else the catalog's `machine_tolerance`) capped at
/// license-core's `MachineBinding::majority_tolerance` so that a majority of the bound
/// components must still match. Its `Display` says what was applied and, when capped, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ToleranceChoice {
    /// What was asked for.
    pub asked: u8,
    /// Whether the catalog's default was asked for (no tolerance in the order).
    pub from_catalog: bool,
    /// What the binding carries.
    pub applied: u8,
    /// The number of components bound.
    pub components: u8,
}

impl ToleranceChoice {
    /// The tolerance for a binding of `components` components: `asked`, else the
    /// catalog's, capped.
    pub fn new(asked: Option<u8>, catalog: &Catalog, components: u8) -> ToleranceChoice {
        ToleranceChoice::with_default(asked, catalog.defaults.machine_tolerance, components)
    }

    /// [`ToleranceChoice::new`] with the catalog's `machine_tolerance` given as a number.
    pub fn with_default(asked: Option<u8>, catalog_default: u8, components: u8) -> ToleranceChoice {
        let (asked, from_catalog) = match asked {
            Some(t) => (t, false),
            None => (catalog_default, true),
        };
        ToleranceChoice {
            asked,
            from_catalog,
            applied: asked.min(MachineBinding::majority_tolerance(components)),
            components,
        }
    }

    /// Whether less was applied than asked for.
    pub const fn capped(&self) -> bool {
        self.applied < self.asked
    }
}

impl std::fmt::Display for ToleranceChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.components;
        write!(
            f,
            "{} of {n} machine component{} may change",
            self.applied,
            if n == 1 { "" } else { "s" }
        )?;
        if self.capped() {
            let source = if self.from_catalog {
                "the catalog's machine_tolerance"
            } else {
                "the tolerance asked for"
            };
            write!(
                f,
                " ({source} is {}, capped at {} so that a majority of the {n} components in the fingerprint must still match; a fingerprint with more readable components allows more)",
                self.asked, self.applied
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tolerance_tests {
    use super::*;

    #[test]
    fn the_cap_applies_to_the_catalog_and_to_the_order_alike() {
        let catalog = Catalog::demo().unwrap();
        let from_catalog = ToleranceChoice::new(None, &catalog, 2);
        let from_order = ToleranceChoice::new(Some(1), &catalog, 2);
        assert_eq!((from_catalog.applied, from_order.applied), (0, 0));
        assert!(from_catalog.capped() && from_order.capped());
        assert_eq!(
            from_catalog.to_string(),
            "0 of 2 machine components may change (the catalog's machine_tolerance is 1, capped at 0 so that a majority of the 2 components in the fingerprint must still match; a fingerprint with more readable components allows more)"
        );
        assert!(from_order.to_string().contains("the tolerance asked for is 1"));
        let four = ToleranceChoice::new(None, &catalog, 4);
        assert_eq!(four.to_string(), "1 of 4 machine components may change");
        assert!(!four.capped());
    }
}

#[cfg(test)]
mod seat_server_tests {
    use super::*;

    #[test]
    fn a_json_order_names_the_seat_server_by_its_key_and_a_bad_key_is_refused() {
        let key = "5f".repeat(32);
        let bind: BindTo = serde_json::from_str(&format!(r#"{{"seat_server":"{key}"}}"#)).unwrap();
        let parsed: SeatServerKey = key.parse().unwrap();
        assert_eq!(bind.seat_server, Some(parsed));
        assert_eq!(serde_json::to_value(&bind).unwrap()["seat_server"], key.as_str());
        assert_eq!(
            bind.binding().unwrap().seat_server,
            Some(SeatServerDigest::of_key(&[0x5f; 32]))
        );
        for bad in ["", "5f3c", &format!("{key}00"), &"zz".repeat(32)] {
            let e = serde_json::from_str::<BindTo>(&format!(r#"{{"seat_server":"{bad}"}}"#)).unwrap_err();
            assert!(e.to_string().contains("64 hex digits"), "{bad}: {e}");
        }
        let change: Change = serde_json::from_str(&format!(r#"{{"seat_server":"{key}"}}"#)).unwrap();
        assert_eq!(change.seat_server, Some(parsed));
    }
}
