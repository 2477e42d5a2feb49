//! Trials are the catalog's trial terms at most ("30 days, 10 users, all modules of the
//! Expert line, from the day of registration"): an order may ask for less, never for more,
//! so a clerk or a portal cannot hand out a 90-day trial by mistake. The one rule every
//! trial code passes (`validate`: issue, `check_new`, tickets, a reseller's home, and any
//! re-issue of a trial).

use license_core::{Kind, License};

use crate::catalog::product::Catalog;
use crate::error::Error;
use crate::issuer::error::OrderError;

/// `Ok` unless `l` is a trial that exceeds the catalog's `[trial]` terms: usable days
/// (term plus grace) above `days`, more named users or concurrent seats than the terms
/// give (a count the terms do not give may not be given, and one they limit may not be
/// left unlimited), a higher line, or a module outside the terms' modules. The error
/// names every part that exceeds.
pub(crate) fn within_trial_terms(catalog: &Catalog, l: &License) -> Result<(), Error> {
    if l.kind != Kind::Trial {
        return Ok(());
    }
    let t = &catalog.trial;
    let mut over = Vec::new();
    if let Some(end) = l.expires {
        let usable = end
            .days_since(l.valid_from)
            .saturating_add(i64::from(l.grace_days));
        if usable > i64::from(t.days) {
            let grace = match l.grace_days {
                0 => String::new(),
                g => format!(
                    " (with {} of grace)",
                    crate::catalog::calendar::plural(u64::from(g), "day", "days")
                ),
            };
            over.push(format!("{usable} usable days{grace} asked, at most {}", t.days));
        }
    }
    let count = |what: &str, asked: Option<u32>, terms: Option<u32>| match (asked, terms) {
        (Some(n), Some(max)) if n > max => Some(format!("{n} {what} asked, at most {max}")),
        (None, Some(max)) => Some(format!("no limit on {what} asked, at most {max}")),
        (Some(n), None) => Some(format!("{n} {what} asked, the trial terms give none")),
        _ => None,
    };
    over.extend(count("named users", l.named_users, t.named_users));
    over.extend(count("concurrent seats", l.concurrent_seats, t.concurrent_seats));
    let line = match &t.line {
        Some(name) => catalog.line(name)?,
        None => catalog.default_line(),
    };
    if l.line.get() > line.get() {
        over.push(format!(
            "line {} asked, at most {}",
            catalog.line_name(l.line),
            catalog.line_name(line)
        ));
    }
    let modules = catalog.module_choice(&t.modules)?;
    if !modules.is_superset_of(l.modules) {
        let extra = license_core::ModuleSet::from_bits(l.modules.bits() & !modules.bits());
        over.push(format!(
            "modules {} asked, beyond the trial's {}",
            catalog.module_names(extra).join(", "),
            catalog.module_names(modules).join(", ")
        ));
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(Error::Order(OrderError::TrialBeyondCatalog {
            product: catalog.product().to_owned(),
            what: over.join("; "),
        }))
    }
}

#[cfg(test)]
mod tests {
    use license_core::{Date, Kind};

    use crate::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn issuer(catalog: Catalog) -> Issuer<MemoryLedger> {
        let mut catalogs = Catalogs::new();
        catalogs.insert(catalog);
        Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), MemoryLedger::new())
    }

    fn trial() -> NewLicense {
        NewLicense::new("demo-erp", Kind::Trial, Customer::new("Prospect GmbH"))
    }

    fn refused(is: &mut Issuer<MemoryLedger>, o: &NewLicense) -> String {
        match is.issue(o, d(2026, 11, 22)) {
            Err(e @ Error::Order(OrderError::TrialBeyondCatalog { .. })) => {
                assert_eq!(e.kind_name(), "trial_beyond_catalog");
                e.to_string()
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// The catalog's terms are the default and the most an order gets: 30 days, 10 users,
    /// every module, the top line.
    #[test]
    fn the_defaults_and_less_are_issued() {
        let mut is = issuer(Catalog::demo().unwrap());
        let t = is.issue(&trial(), d(2026, 11, 22)).unwrap().license;
        assert_eq!(t.expires, Some(d(2026, 12, 22)));
        assert_eq!(t.named_users, Some(10));
        let less = NewLicense {
            line: Some("standard".into()),
            named_users: Some(3),
            modules: vec!["crm".into()],
            term: Term::Days(14),
            ..trial()
        };
        assert!(is.issue(&less, d(2026, 11, 22)).is_ok());
        let exact = NewLicense {
            named_users: Some(10),
            term: Term::Days(30),
            ..trial()
        };
        assert!(is.issue(&exact, d(2026, 11, 22)).is_ok());
    }

    /// The issue's order: `issue --kind trial --line standard --users 50 --days 90`.
    #[test]
    fn ninety_days_and_fifty_users_are_refused() {
        let mut is = issuer(Catalog::demo().unwrap());
        let o = NewLicense {
            line: Some("standard".into()),
            named_users: Some(50),
            term: Term::Days(90),
            ..trial()
        };
        assert_eq!(
            refused(&mut is, &o),
            "a trial of demo-erp may not exceed the catalog's trial terms: 90 usable days asked, at most 30; 50 named users asked, at most 10; order a trial within them (or leave them out for the catalog's terms), or a subscription or NFR license for more"
        );
    }

    #[test]
    fn every_part_beyond_the_terms_has_its_words() {
        // A catalog with its own, smaller trial terms: 14 days, 5 users, crm and budget,
        // the standard line.
        let text = DEMO_CATALOG.replace(
            "[trial]\ndays = 30\nnamed_users = 10\nline = \"expert\"\nmodules = \"all\"",
            "[trial]\ndays = 14\nnamed_users = 5\nline = \"standard\"\nmodules = [\"crm\", \"budget\"]",
        );
        assert!(text.contains("days = 14"), "the demo catalog's [trial] changed");
        let mut is = issuer(Catalog::from_toml(&text, std::path::Path::new("t")).unwrap());
        assert_eq!(
            is.issue(&trial(), d(2026, 11, 22)).unwrap().license.expires,
            Some(d(2026, 12, 6))
        );
        let grace = NewLicense {
            term: Term::Days(10),
            grace_days: Some(7),
            ..trial()
        };
        assert!(
            refused(&mut is, &grace).contains(": 17 usable days (with 7 days of grace) asked, at most 14;"),
            "{}",
            refused(&mut is, &grace)
        );
        let month = NewLicense {
            term: Term::Months(1),
            ..trial()
        };
        assert!(refused(&mut is, &month).contains(": 30 usable days asked, at most 14;"));
        let seats_only = NewLicense {
            concurrent_seats: Some(2),
            ..trial()
        };
        assert!(
            refused(&mut is, &seats_only)
                .contains(": no limit on named users asked, at most 5; 2 concurrent seats asked, the trial terms give none;"),
            "{}",
            refused(&mut is, &seats_only)
        );
        let line = NewLicense {
            line: Some("expert".into()),
            ..trial()
        };
        assert!(refused(&mut is, &line).contains(": line expert asked, at most standard;"));
        let modules = NewLicense {
            modules: vec!["crm".into(), "bi".into(), "api".into()],
            ..trial()
        };
        assert!(
            refused(&mut is, &modules).contains(": modules bi, api asked, beyond the trial's crm, budget;"),
            "{}",
            refused(&mut is, &modules)
        );
        // Other kinds are not trials.
        let mut sub = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("ACME"));
        sub.named_users = Some(50);
        sub.line = Some("expert".into());
        assert!(is.issue(&sub, d(2026, 11, 22)).is_ok());
    }
}
