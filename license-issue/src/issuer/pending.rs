//! What an additional order may change while a reduction is pending (the catalog's
//! `while_reduction_pending`): the one rule [`Issuer::upgrade`](super::Issuer::upgrade)
//! follows.

use license_core::License;

use crate::catalog::product::{Catalog, WhileReductionPending};
use crate::error::Error;
use crate::issuer::order::Change;

/// Under `refuse`, the parts of `change` that a pending reduction holds up, in words ("the
/// number of named users", "module bi (the reduction removes it)"), joined with "and";
/// `None` if nothing is held up (or under `apply-on-top`). `current` is the code in force,
/// `pending` the reduced code waiting for its date.
///
/// "The number of users cannot be adjusted and reduced modules cannot be activated": a new
/// count of named users or seats other than the pending one, and a module the code in
/// force has and the reduction removes. Other additions (a module neither has, a higher
/// line) are not held up.
pub(crate) fn held_up(
    catalog: &Catalog,
    change: &Change,
    current: &License,
    pending: &License,
) -> Result<Option<String>, Error> {
    if catalog.defaults.while_reduction_pending != WhileReductionPending::Refuse {
        return Ok(None);
    }
    let mut parts = Vec::new();
    if change.named_users.is_some_and(|n| Some(n) != pending.named_users) {
        parts.push("the number of named users".to_owned());
    }
    if change
        .concurrent_seats
        .is_some_and(|n| Some(n) != pending.concurrent_seats)
    {
        parts.push("the number of concurrent seats".to_owned());
    }
    for name in &change.add_modules {
        let bit = catalog.module(name)?;
        if current.modules.contains(bit) && !pending.modules.contains(bit) {
            parts.push(format!("module {} (the reduction removes it)", name.trim()));
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join(" and ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuer::error::OrderError;
    use license_core::Kind;

    fn license(users: u32, modules: &[u8]) -> License {
        let day = license_core::Date::from_ymd(2026, 1, 1).unwrap();
        License {
            license_id: 5001,
            revision: 1,
            kind: Kind::Subscription,
            line: license_core::ProductLine::new(1).unwrap(),
            named_users: Some(users),
            concurrent_seats: None,
            demo_seats: 0,
            modules: modules
                .iter()
                .fold(license_core::ModuleSet::EMPTY, |m, b| m.with(*b)),
            issued: day,
            valid_from: day,
            expires: None,
            grace_days: 0,
            maintenance_ends: None,
            binding: license_core::Binding::default(),
            interim: false,
        }
    }

    fn catalog(setting: &str) -> Catalog {
        let text = crate::catalog::product::DEMO_HOSTED_CATALOG.replace(
            "while_reduction_pending = \"refuse\"",
            &format!("while_reduction_pending = \"{setting}\""),
        );
        Catalog::from_toml(&text, std::path::Path::new("t")).unwrap()
    }

    #[test]
    fn users_seats_and_reduced_modules_are_held_up_under_refuse() {
        let c = Catalog::demo_hosted().unwrap();
        assert_eq!(c.defaults.while_reduction_pending, WhileReductionPending::Refuse);
        let (crm, bi) = (c.module("crm").unwrap(), c.module("bi").unwrap());
        let current = license(40, &[crm, bi]);
        let pending = license(30, &[crm]);
        let users = Change {
            named_users: Some(45),
            ..Change::default()
        };
        assert_eq!(
            held_up(&c, &users, &current, &pending).unwrap().as_deref(),
            Some("the number of named users")
        );
        let back = Change {
            add_modules: vec!["bi".into(), "api".into()],
            named_users: Some(30),
            ..Change::default()
        };
        assert_eq!(
            held_up(&c, &back, &current, &pending).unwrap().as_deref(),
            Some("module bi (the reduction removes it)")
        );
        let new_module = Change {
            add_modules: vec!["api".into()],
            ..Change::default()
        };
        assert_eq!(held_up(&c, &new_module, &current, &pending).unwrap(), None);
        let bad = Change {
            add_modules: vec!["nonsense".into()],
            ..Change::default()
        };
        assert!(held_up(&c, &bad, &current, &pending).is_err());
    }

    #[test]
    fn nothing_is_held_up_under_apply_on_top() {
        let c = catalog("apply-on-top");
        assert_eq!(
            c.defaults.while_reduction_pending,
            WhileReductionPending::ApplyOnTop
        );
        let bi = c.module("bi").unwrap();
        let users = Change {
            named_users: Some(45),
            add_modules: vec!["bi".into()],
            ..Change::default()
        };
        assert_eq!(
            held_up(&c, &users, &license(40, &[bi]), &license(30, &[])).unwrap(),
            None
        );
    }

    fn d(y: u16, m: u8, day: u8) -> license_core::Date {
        license_core::Date::from_ymd(y, m, day).unwrap()
    }

    fn issuer() -> crate::issuer::Issuer<crate::ledger::store::MemoryLedger> {
        let mut catalogs = crate::catalog::product::Catalogs::new();
        catalogs.insert(Catalog::demo().unwrap());
        catalogs.insert(Catalog::demo_hosted().unwrap());
        crate::issuer::Issuer::new(
            catalogs,
            crate::keys::vendor::VendorKey::from_seed(&[7; 32]),
            crate::ledger::store::MemoryLedger::new(),
        )
    }

    fn order(product: &str, kind: Kind) -> crate::issuer::order::NewLicense {
        let mut o = crate::issuer::order::NewLicense::new(
            product,
            kind,
            crate::issuer::order::Customer::new("ACME Corp"),
        );
        o.line = Some("expert".into());
        o.named_users = Some(40);
        o.modules = vec!["crm".into(), "bi".into()];
        if kind == Kind::Full {
            o.bind = crate::issuer::order::BindTo::database("DB-JBW44-P5J45-44VPC-YCED6");
        }
        o
    }

    fn reduction() -> Change {
        Change {
            named_users: Some(30),
            remove_modules: vec!["bi".into()],
            ..Change::default()
        }
    }

    /// The hosted vendor (`refuse`): 40 users reduced to 30 and bi removed from
    /// 2027-01-01 (cutoff 2026-12-12). A new user count or bi again is refused, naming the
    /// withdrawal and until when; after the cutoff, that it can no longer be withdrawn. A
    /// new module goes into both codes.
    #[test]
    fn refuse_names_the_withdrawal_and_until_when() {
        let mut is = issuer();
        let id = is
            .issue(&order("demo-erp-hosted", Kind::Subscription), d(2026, 6, 15))
            .unwrap()
            .license
            .license_id;
        let r = is.reduce(id, &reduction(), d(2026, 11, 1)).unwrap();
        assert_eq!((r.effective, r.cutoff), (d(2027, 1, 1), d(2026, 12, 12)));
        let users = Change {
            named_users: Some(45),
            ..Change::default()
        };
        let e = is.upgrade(id, &users, d(2026, 12, 12)).unwrap_err();
        assert!(
            matches!(e, Error::Order(OrderError::WithdrawReductionFirst { .. })),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            format!(
                "license {id} has a reduction (revision 2) pending from 2027-01-01, and while it is pending the number of named users cannot be changed: withdraw the reduction first (possible until 2026-12-12, inclusive), then order the combined change"
            )
        );
        let bi = Change {
            add_modules: vec!["bi".into()],
            ..Change::default()
        };
        let e = is.upgrade(id, &bi, d(2026, 12, 13)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "license {id} has a reduction (revision 2) pending from 2027-01-01 that could be withdrawn only until 2026-12-12: module bi (the reduction removes it) cannot be changed before it takes effect; order the change for 2027-01-01 or later"
            )
        );
        assert_eq!(e.kind_name(), "reduction_fixed");
        // Not held up: a module neither code has.
        let api = Change {
            add_modules: vec!["api".into()],
            ..Change::default()
        };
        let out = is.upgrade(id, &api, d(2026, 12, 13)).unwrap();
        let c = Catalog::demo_hosted().unwrap();
        let api_bit = c.module("api").unwrap();
        assert!(out.now.license.modules.contains(api_bit));
        let next = out.next_term.unwrap();
        assert!(next.license.modules.contains(api_bit));
        assert_eq!(next.license.named_users, Some(30));
        assert!(!next.license.modules.contains(c.module("bi").unwrap()));
    }

    /// The on-premises demo catalog (`apply-on-top`): 40 users reduced to 30 and bi removed,
    /// then an order for 45 gives 45 now and 35 from the reduction date, and bi ordered
    /// again stays in the reduced code (no more "changes nothing").
    #[test]
    fn apply_on_top_goes_into_both_codes() {
        let mut is = issuer();
        let c = Catalog::demo().unwrap();
        assert_eq!(
            c.defaults.while_reduction_pending,
            WhileReductionPending::ApplyOnTop
        );
        let id = is
            .issue(&order("demo-erp", Kind::Full), d(2026, 1, 1))
            .unwrap()
            .license
            .license_id;
        let r = is.reduce(id, &reduction(), d(2026, 9, 1)).unwrap();
        assert_eq!(r.effective, d(2027, 1, 1));
        let users = Change {
            named_users: Some(45),
            ..Change::default()
        };
        let out = is.upgrade(id, &users, d(2026, 9, 2)).unwrap();
        assert_eq!(out.now.license.named_users, Some(45));
        assert_eq!(out.next_term.unwrap().license.named_users, Some(35));
        let bi = Change {
            add_modules: vec!["bi".into()],
            ..Change::default()
        };
        let out = is.upgrade(id, &bi, d(2026, 9, 3)).unwrap();
        let next = out.next_term.unwrap();
        assert!(next.license.modules.contains(c.module("bi").unwrap()));
        assert_eq!(next.license.valid_from, d(2027, 1, 1));
        assert_eq!(next.license.named_users, Some(35));
        // Nothing new at all is still "changes nothing".
        assert!(matches!(
            is.upgrade(id, &bi, d(2026, 9, 4)),
            Err(Error::Order(OrderError::ChangeIsEmpty { .. }))
        ));
    }
}
