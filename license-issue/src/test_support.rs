//! Fixtures the library's unit tests share.

use license_core::{Date, Frame, IdRange, Kind, KindSet, LineSet, ModuleSet};

/// A subscription reseller's frame for the demo product: trials of 30 and subscriptions of
/// 400 usable days, the standard line, crm and budget, until 2028-01-01, at most `users`
/// named users, license ids `ids` (inclusive), `depth` further levels.
pub(crate) fn reseller_frame(users: u32, ids: (u32, u32), depth: u8) -> Frame {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
        LineSet::EMPTY.with(0),
        ModuleSet::first(2),
        Date::from_ymd(2028, 1, 1).unwrap(),
    )
    .with_max_days(Kind::Trial, 30)
    .with_max_days(Kind::Subscription, 400);
    f.named_users = Some(users);
    f.license_ids = Some(IdRange {
        first: ids.0,
        last: ids.1,
    });
    f.delegation_depth = depth;
    f
}

/// A license `license_id` of `kind`: revision 1, line 1, 10 named users, from 2026-01-01,
/// perpetual, no binding.
pub(crate) fn license(license_id: u32, kind: Kind) -> license_core::License {
    let day = Date::from_ymd(2026, 1, 1).unwrap();
    license_core::License {
        license_id,
        revision: 1,
        kind,
        line: license_core::ProductLine::new(1).unwrap(),
        named_users: Some(10),
        concurrent_seats: None,
        demo_seats: 0,
        modules: ModuleSet::EMPTY,
        issued: day,
        valid_from: day,
        expires: None,
        grace_days: 0,
        maintenance_ends: None,
        binding: license_core::Binding::default(),
        interim: false,
    }
}
