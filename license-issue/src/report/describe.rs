//! A license's scope in plain words, with the catalog's names.

use license_core::{Binding, Date, Evaluation, License, Policy, Release, Status, evaluate, words};
use serde::Serialize;

use crate::catalog::product::Catalog;

/// A license scope with names instead of numbers: for tables and `--json` output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The license id.
    pub license_id: u32,
    /// The revision.
    pub revision: u32,
    /// `full`, `trial`, `subscription` or `nfr`.
    pub kind: String,
    /// The product line's name.
    pub line: String,
    /// Named users (`None` = not limited).
    pub named_users: Option<u32>,
    /// Concurrent seats (`None` = not limited).
    pub concurrent_seats: Option<u32>,
    /// Seats in demo mode after grace.
    pub demo_seats: u32,
    /// Module names.
    pub modules: Vec<String>,
    /// Day of issue.
    pub issued: Date,
    /// First valid day.
    pub valid_from: Date,
    /// First day no longer valid (`None` = perpetual).
    pub expires: Option<Date>,
    /// Grace days after expiry.
    pub grace_days: u16,
    /// Releases built before this day are covered (`None` = all).
    pub maintenance_ends: Option<Date>,
    /// What the code is bound to, in words.
    pub bound_to: String,
}

impl Scope {
    /// The scope of `l`, named by `catalog` (numbers shown where it is `None`).
    pub fn new(l: &License, catalog: Option<&Catalog>) -> Scope {
        Scope {
            license_id: l.license_id,
            revision: l.revision,
            kind: l.kind.name().to_owned(),
            line: catalog.map_or_else(|| format!("line {}", l.line.get()), |c| c.line_name(l.line)),
            named_users: l.named_users,
            concurrent_seats: l.concurrent_seats,
            demo_seats: l.demo_seats,
            modules: catalog.map_or_else(
                || l.modules.iter().map(|b| format!("module#{b}")).collect(),
                |c| c.module_names(l.modules),
            ),
            issued: l.issued,
            valid_from: l.valid_from,
            expires: l.expires,
            grace_days: l.grace_days,
            maintenance_ends: l.maintenance_ends,
            bound_to: binding_words(&l.binding),
        }
    }
}

/// What a binding means, in words (the vendor also sees the fingerprint's text).
pub fn binding_words(b: &Binding) -> String {
    let machine = b
        .machine
        .map(|m| format!("fingerprint {m}: {}", words::Machine(&m)));
    let mut parts = Vec::new();
    if b.database {
        parts.push("the database code".to_owned());
    }
    parts.extend(machine);
    if let Some(s) = b.seat_server {
        parts.push(format!(
            "the seat server whose key digest is {}",
            hex::encode(s.to_bytes())
        ));
    }
    match parts.len() {
        0 => "nothing but product and licensee".into(),
        _ => parts.join(" and "),
    }
}

fn limit(n: Option<u32>) -> String {
    words::Limit(n).to_string()
}

/// Plain words for a status: [`license_core::words::status`], the words of both tools.
pub fn status_words(status: &Status) -> String {
    words::status(status).to_string()
}

/// The scope as label/value rows in plain words; with `today`, the status on that day
/// (for the release built on `today`).
pub fn describe(l: &License, catalog: Option<&Catalog>, today: Option<Date>) -> Vec<(&'static str, String)> {
    let s = Scope::new(l, catalog);
    let mut rows = vec![
        ("license", format!("{}, revision {}", s.license_id, s.revision)),
        ("kind", s.kind.clone()),
        ("product line", s.line.clone()),
        ("named users", limit(s.named_users)),
        ("concurrent seats", limit(s.concurrent_seats)),
        (
            "modules",
            if s.modules.is_empty() {
                "none".into()
            } else {
                s.modules.join(", ")
            },
        ),
        ("issued", s.issued.to_string()),
    ];
    let valid = match l.expires {
        None => format!("from {}, perpetual", l.valid_from),
        Some(e) => format!(
            "from {} until {} (last day {})",
            l.valid_from,
            e,
            e.saturating_add_days(-1)
        ),
    };
    rows.push(("valid", valid));
    if l.expires.is_some() {
        rows.push(("after expiry", words::after_expiry(l).to_string()));
    }
    rows.push(("maintenance", words::Maintenance(l.maintenance_ends).to_string()));
    rows.push(("bound to", s.bound_to.clone()));
    if let Some(day) = today {
        let e: Evaluation = evaluate(l, day, day, &Policy::default());
        let mut status = status_words(&e.status);
        if let Release::NotCovered { maintenance_ended } = e.release {
            status.push_str(&format!(
                "; releases built from {maintenance_ended} on are not covered"
            ));
        }
        rows.push(("status", format!("{status} (on {day})")));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use license_core::{Kind, ModuleSet, ProductLine};

    #[test]
    fn plain_words_with_names() {
        let d = |y, m, dd| Date::from_ymd(y, m, dd).unwrap();
        let l = License {
            license_id: 1001,
            revision: 1,
            kind: Kind::Subscription,
            line: ProductLine::new(1).unwrap(),
            named_users: Some(25),
            concurrent_seats: None,
            demo_seats: 2,
            modules: ModuleSet::first(4),
            issued: d(2026, 11, 22),
            valid_from: d(2026, 11, 22),
            expires: Some(d(2027, 11, 22)),
            grace_days: 14,
            maintenance_ends: Some(d(2027, 11, 22)),
            binding: Binding::DATABASE,
            interim: false,
        };
        let c = Catalog::demo().unwrap();
        let rows = describe(&l, Some(&c), Some(d(2027, 11, 30)));
        let get = |k: &str| {
            rows.iter()
                .find(|(l, _)| *l == k)
                .map(|(_, v)| v.as_str())
                .unwrap()
        };
        assert_eq!(get("product line"), "expert");
        assert_eq!(get("modules"), "crm, budget, planning, bi");
        assert_eq!(get("concurrent seats"), "unlimited");
        assert_eq!(
            get("valid"),
            "from 2026-11-22 until 2027-11-22 (last day 2027-11-21)"
        );
        assert_eq!(
            get("after expiry"),
            "14 days of grace, then demo mode with 2 seats"
        );
        assert_eq!(get("bound to"), "the database code");
        assert!(get("status").starts_with("expired on 2027-11-22, in grace: fully usable for 6 more days"));
        assert_eq!(get("maintenance"), "releases built up to 2027-11-21 inclusive");
        let unnamed = Scope::new(&l, None);
        assert_eq!(unnamed.line, "line 1");
        assert_eq!(unnamed.modules, ["module#0", "module#1", "module#2", "module#3"]);
    }
}
