//! What the pages show of a license, in the reader's language: the library's plain-words
//! scope (`license_issue::Scope`), its dates as the last day (`calendar::last_day`), the
//! scheduled changes with the day until which a reduction can be withdrawn (the catalog's
//! reduction policy), and the history.

use license_core::Date;
use license_issue::calendar::last_day;
use license_issue::{Catalog, LicenseHistory, Operation, Scope};

use super::i18n::Lang;

/// A license page's data.
pub struct LicenseView {
    /// The number.
    pub id: u32,
    /// The product.
    pub product: String,
    /// The code in force ("" when none).
    pub code: String,
    /// Revoked or cancelled, in words ("" when neither).
    pub state: String,
    /// The licensee.
    pub licensee: String,
    /// The kind, in words.
    pub kind: String,
    /// The product line.
    pub line: String,
    /// Named users, in words.
    pub users: String,
    /// Named users as a number for the forms ("" when not limited).
    pub users_number: String,
    /// Concurrent seats, in words.
    pub seats: String,
    /// The modules by name.
    pub modules: String,
    /// Every module of the catalog, and whether the license has it.
    pub modules_choice: Vec<(String, bool)>,
    /// The first day.
    pub valid_from: String,
    /// The last day (or "none").
    pub last_day: String,
    /// The last release day maintenance covers.
    pub maintenance: String,
    /// What the code is bound to.
    pub bound: String,
    /// What happens after the last day.
    pub after: String,
    /// Scheduled changes.
    pub pending: Vec<PendingView>,
    /// (revision, change, first day) per revision, newest first.
    pub history: Vec<(String, String, String)>,
}

/// A scheduled change.
pub struct PendingView {
    /// What and from when.
    pub text: String,
    /// "It can be withdrawn until ..." ("" when it cannot be withdrawn).
    pub withdraw_until: String,
}

/// The kind in words.
pub fn kind_words(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "full" => lang.t("kind.full"),
        "trial" => lang.t("kind.trial"),
        "subscription" => lang.t("kind.subscription"),
        _ => lang.t("kind.nfr"),
    }
}

fn count(lang: Lang, n: Option<u32>) -> String {
    n.map_or_else(|| lang.t("license.unlimited").to_owned(), |n| n.to_string())
}

fn modules_words(lang: Lang, modules: &[String]) -> String {
    if modules.is_empty() {
        lang.t("license.modules.none").to_owned()
    } else {
        modules.join(", ")
    }
}

/// The last day of a license's term in words.
pub fn last_day_words(lang: Lang, expires: Option<Date>) -> String {
    expires.map_or_else(
        || lang.t("license.perpetual").to_owned(),
        |e| lang.date(last_day(e)),
    )
}

/// The status of a license on `today`, in words.
pub fn status_words(lang: Lang, h: &LicenseHistory, today: Date) -> &'static str {
    if h.revoked_by(today) {
        return lang.t("status.revoked");
    }
    match h.effective_on(today) {
        Some(r) if r.license.expires.is_none_or(|e| e > today) => lang.t("status.active"),
        Some(_) => lang.t("status.expired"),
        None if h.revisions.iter().any(|r| r.license.valid_from > today) => lang.t("status.pending"),
        None => lang.t("status.expired"),
    }
}

/// What happens after the last day: grace days, then demo mode or a stop.
fn after_words(lang: Lang, s: &Scope) -> String {
    let grace = s.grace_days.to_string();
    let demo = s.demo_seats.to_string();
    let args = [("grace", grace.as_str()), ("demo", demo.as_str())];
    match (s.expires, s.grace_days, s.demo_seats) {
        (None, _, _) => lang.t("license.after.none").to_owned(),
        (Some(_), 0, 0) => lang.t("license.after.stop").to_owned(),
        (Some(_), 0, _) => lang.f("license.after.demo", &args),
        (Some(_), _, 0) => lang.f("license.after.grace", &args),
        (Some(_), _, _) => lang.f("license.after.text", &args),
    }
}

/// The page's data for `h` on `today`.
pub fn license_view(lang: Lang, h: &LicenseHistory, catalog: Option<&Catalog>, today: Date) -> LicenseView {
    let current = h.effective_on(today).or_else(|| h.revisions.last());
    let scope = current.map(|r| Scope::new(&r.license, catalog));
    let have: Vec<String> = scope.as_ref().map(|s| s.modules.clone()).unwrap_or_default();
    let modules_choice = catalog
        .map(|c| {
            c.modules()
                .into_iter()
                .map(|(name, _)| (name.to_owned(), have.iter().any(|m| m == name)))
                .collect()
        })
        .unwrap_or_default();
    let state = match (h.revoked, h.cancelled) {
        (Some(day), _) => lang.f("license.revoked", &[("day", &lang.date(day))]),
        (None, Some((_, ends))) => lang.f("license.cancelled", &[("day", &lang.date(last_day(ends)))]),
        (None, None) => String::new(),
    };
    let policy = catalog.map(Catalog::reduction_policy);
    let pending = h
        .scheduled(today)
        .into_iter()
        .map(|r| {
            let s = Scope::new(&r.license, catalog);
            let text = lang.f(
                "license.pending.item",
                &[
                    ("day", &lang.date(r.license.valid_from)),
                    ("users", &count(lang, s.named_users)),
                    ("modules", &modules_words(lang, &s.modules)),
                ],
            );
            let withdraw_until = match policy {
                Some(p)
                    if r.operation == Operation::Reduce && p.may_withdraw(r.license.valid_from, today) =>
                {
                    lang.f(
                        "license.pending.withdraw_until",
                        &[("day", &lang.date(p.cutoff(r.license.valid_from)))],
                    )
                }
                _ => String::new(),
            };
            PendingView { text, withdraw_until }
        })
        .collect();
    let history = h
        .revisions
        .iter()
        .rev()
        .map(|r| {
            let mut op = r.operation.name().to_owned();
            if r.withdrawn {
                op = format!("{op} ({})", lang.t("license.history.withdrawn"));
            }
            (
                r.license.revision.to_string(),
                op,
                lang.date(r.license.valid_from),
            )
        })
        .collect();
    let (users, users_number, seats, modules, kind, line, valid_from, last, maintenance, bound, after) =
        match &scope {
            Some(s) => (
                count(lang, s.named_users),
                s.named_users.map(|n| n.to_string()).unwrap_or_default(),
                count(lang, s.concurrent_seats),
                modules_words(lang, &s.modules),
                kind_words(lang, &s.kind).to_owned(),
                s.line.clone(),
                lang.date(s.valid_from),
                last_day_words(lang, s.expires),
                s.maintenance_ends.map_or_else(
                    || lang.t("license.maintenance.all").to_owned(),
                    |m| lang.date(last_day(m)),
                ),
                match current.and_then(|r| r.database.as_deref()) {
                    Some(db) => format!("{} {db}", s.bound_to),
                    None => s.bound_to.clone(),
                },
                after_words(lang, s),
            ),
            None => Default::default(),
        };
    LicenseView {
        id: h.license_id,
        product: h.product.clone(),
        code: h.effective_on(today).map(|r| r.code.clone()).unwrap_or_default(),
        state,
        licensee: h.licensee.clone(),
        kind,
        line,
        users,
        users_number,
        seats,
        modules,
        modules_choice,
        valid_from,
        last_day: last,
        maintenance,
        bound,
        after,
        pending,
        history,
    }
}
