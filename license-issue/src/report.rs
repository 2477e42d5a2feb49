//! Reports from the ledger: codes issued in a month by kind, subscriptions active on a
//! day, pro-rata subscription days per reseller for a monthly invoice, and renewal
//! notices. Every report is a plain data structure (serde for `--json`) with a CSV form.

use std::collections::BTreeMap;

use license_core::{Date, Kind, License};
use serde::Serialize;

use crate::Error;
use crate::calendar;
use crate::catalog::Catalogs;
use crate::history::LicenseHistory;
use crate::ledger::{Operation, Record};

/// A month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: u16,
    /// The month, 1-12.
    pub month: u8,
}

impl Month {
    /// Parse `YYYY-MM`.
    pub fn parse(s: &str) -> Result<Month, Error> {
        let bad = || Error::InvalidMonth(s.to_owned());
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let month = Month {
            year: y.parse().map_err(|_| bad())?,
            month: m.parse().map_err(|_| bad())?,
        };
        month.bounds().ok_or_else(bad)?;
        Ok(month)
    }

    /// The month containing `day`.
    pub fn of(day: Date) -> Month {
        let (year, month, _) = day.ymd();
        Month { year, month }
    }

    /// First day and first day of the next month.
    pub fn bounds(self) -> Option<(Date, Date)> {
        calendar::month_bounds(self.year, self.month)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Quote one CSV field (RFC 4180) when needed.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn csv_line(out: &mut String, fields: &[String]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&line.join(","));
    out.push('\n');
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn names(catalogs: &Catalogs, product: &str, l: &License) -> (String, Vec<String>) {
    match catalogs.get(product) {
        Ok(c) => (c.line_name(l.line), c.module_names(l.modules)),
        Err(_) => (
            format!("line {}", l.line.get()),
            l.modules.iter().map(|b| format!("module#{b}")).collect(),
        ),
    }
}

/// Report kind names: trials are reported as "demo/trial".
fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Full => "full",
        Kind::Trial => "demo/trial",
        Kind::Subscription => "subscription",
        Kind::Nfr => "nfr",
    }
}

/// One code issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssuedRow {
    /// Day of issue.
    pub date: Date,
    /// License id.
    pub license_id: u32,
    /// Revision.
    pub revision: u32,
    /// Kind (report label).
    pub kind: &'static str,
    /// Operation.
    pub operation: &'static str,
    /// Product id.
    pub product: String,
    /// Licensee.
    pub licensee: String,
    /// Reseller.
    pub reseller: Option<String>,
    /// Customer reference.
    pub customer_ref: Option<String>,
    /// Product line name.
    pub line: String,
    /// Named users.
    pub named_users: Option<u32>,
    /// Concurrent seats.
    pub concurrent_seats: Option<u32>,
    /// Module names.
    pub modules: Vec<String>,
    /// First valid day.
    pub valid_from: Date,
    /// End (exclusive).
    pub expires: Option<Date>,
    /// Maintenance end (exclusive).
    pub maintenance_ends: Option<Date>,
}

/// Totals for one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KindTotals {
    /// Kind (report label).
    pub kind: &'static str,
    /// New licenses.
    pub new_licenses: u32,
    /// Codes issued (new licenses and revisions).
    pub codes: u32,
}

/// Licenses issued in one month, by kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssuedReport {
    /// The month.
    pub month: Month,
    /// One line per kind, in the order full, demo/trial, subscription, nfr.
    pub totals: Vec<KindTotals>,
    /// Every code issued in the month.
    pub codes: Vec<IssuedRow>,
}

/// Codes issued in `month`.
pub fn issued_in_month(records: &[Record], catalogs: &Catalogs, month: Month) -> Result<IssuedReport, Error> {
    let (from, to) = month
        .bounds()
        .ok_or_else(|| Error::InvalidMonth(month.to_string()))?;
    let mut totals: Vec<KindTotals> = Kind::ALL
        .iter()
        .map(|&k| KindTotals {
            kind: kind_label(k),
            new_licenses: 0,
            codes: 0,
        })
        .collect();
    let mut codes = Vec::new();
    for r in records
        .iter()
        .filter(|r| r.code.is_some() && r.recorded >= from && r.recorded < to)
    {
        let l = &r.license;
        let t = &mut totals[Kind::ALL.iter().position(|&k| k == l.kind).unwrap_or(0)];
        t.codes += 1;
        if r.operation.is_new_license() {
            t.new_licenses += 1;
        }
        let (line, modules) = names(catalogs, &r.product, l);
        codes.push(IssuedRow {
            date: r.recorded,
            license_id: l.license_id,
            revision: l.revision,
            kind: kind_label(l.kind),
            operation: r.operation.name(),
            product: r.product.clone(),
            licensee: r.licensee.clone(),
            reseller: r.reseller.clone(),
            customer_ref: r.customer_ref.clone(),
            line,
            named_users: l.named_users,
            concurrent_seats: l.concurrent_seats,
            modules,
            valid_from: l.valid_from,
            expires: l.expires,
            maintenance_ends: l.maintenance_ends,
        });
    }
    Ok(IssuedReport { month, totals, codes })
}

impl IssuedReport {
    /// One CSV row per code issued, with a header.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        csv_line(
            &mut out,
            &[
                "date",
                "license_id",
                "revision",
                "kind",
                "operation",
                "product",
                "licensee",
                "reseller",
                "customer_ref",
                "line",
                "named_users",
                "concurrent_seats",
                "modules",
                "valid_from",
                "expires",
                "maintenance_ends",
            ]
            .map(String::from),
        );
        for r in &self.codes {
            csv_line(
                &mut out,
                &[
                    r.date.to_string(),
                    r.license_id.to_string(),
                    r.revision.to_string(),
                    r.kind.into(),
                    r.operation.into(),
                    r.product.clone(),
                    r.licensee.clone(),
                    opt(r.reseller.as_ref()),
                    opt(r.customer_ref.as_ref()),
                    r.line.clone(),
                    opt(r.named_users),
                    opt(r.concurrent_seats),
                    r.modules.join(" "),
                    r.valid_from.to_string(),
                    opt(r.expires),
                    opt(r.maintenance_ends),
                ],
            );
        }
        out
    }

    /// The totals by kind as CSV.
    pub fn totals_csv(&self) -> String {
        let mut out = String::from("month,kind,new_licenses,codes\n");
        for t in &self.totals {
            csv_line(
                &mut out,
                &[
                    self.month.to_string(),
                    t.kind.into(),
                    t.new_licenses.to_string(),
                    t.codes.to_string(),
                ],
            );
        }
        out
    }
}

/// A subscription in force on a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActiveRow {
    /// License id.
    pub license_id: u32,
    /// Revision in force.
    pub revision: u32,
    /// Product id.
    pub product: String,
    /// Licensee.
    pub licensee: String,
    /// Reseller.
    pub reseller: Option<String>,
    /// Product line name.
    pub line: String,
    /// Named users.
    pub named_users: Option<u32>,
    /// Concurrent seats.
    pub concurrent_seats: Option<u32>,
    /// Module names.
    pub modules: Vec<String>,
    /// Start of the revision in force.
    pub valid_from: Date,
    /// End of the current term (exclusive).
    pub expires: Option<Date>,
    /// If cancelled: first day after the last paid term.
    pub cancelled_ends: Option<Date>,
}

/// Subscriptions in force on `day` (within their term, not revoked by then).
pub fn active_subscriptions(
    histories: &BTreeMap<u32, LicenseHistory>,
    catalogs: &Catalogs,
    day: Date,
) -> Vec<ActiveRow> {
    let mut rows = Vec::new();
    for h in histories.values() {
        let Some(rev) = h.effective_on(day) else { continue };
        let l = &rev.license;
        if l.kind != Kind::Subscription || h.revoked_by(day) || l.expires.is_some_and(|e| day >= e) {
            continue;
        }
        let (line, modules) = names(catalogs, &h.product, l);
        rows.push(ActiveRow {
            license_id: h.license_id,
            revision: l.revision,
            product: h.product.clone(),
            licensee: h.licensee.clone(),
            reseller: h.reseller.clone(),
            line,
            named_users: l.named_users,
            concurrent_seats: l.concurrent_seats,
            modules,
            valid_from: l.valid_from,
            expires: l.expires,
            cancelled_ends: h.cancelled.map(|(_, e)| e),
        });
    }
    rows
}

/// CSV of [`active_subscriptions`].
pub fn active_csv(rows: &[ActiveRow]) -> String {
    let mut out = String::new();
    csv_line(
        &mut out,
        &[
            "license_id",
            "revision",
            "product",
            "licensee",
            "reseller",
            "line",
            "named_users",
            "concurrent_seats",
            "modules",
            "valid_from",
            "expires",
            "cancelled_ends",
        ]
        .map(String::from),
    );
    for r in rows {
        csv_line(
            &mut out,
            &[
                r.license_id.to_string(),
                r.revision.to_string(),
                r.product.clone(),
                r.licensee.clone(),
                opt(r.reseller.as_ref()),
                r.line.clone(),
                opt(r.named_users),
                opt(r.concurrent_seats),
                r.modules.join(" "),
                r.valid_from.to_string(),
                opt(r.expires),
                opt(r.cancelled_ends),
            ],
        );
    }
    out
}

/// Days of one subscription with one scope within a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProRataRow {
    /// The reseller invoiced (`None` = sold directly).
    pub reseller: Option<String>,
    /// License id.
    pub license_id: u32,
    /// Licensee.
    pub licensee: String,
    /// First day of this segment.
    pub from: Date,
    /// Last day of this segment (inclusive).
    pub to: Date,
    /// Days in the segment.
    pub days: u32,
    /// Days in the month.
    pub days_in_month: u32,
    /// Product line name.
    pub line: String,
    /// Named users.
    pub named_users: Option<u32>,
    /// Concurrent seats.
    pub concurrent_seats: Option<u32>,
    /// Module names.
    pub modules: Vec<String>,
}

/// Per reseller: the basis of one monthly invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResellerTotal {
    /// The reseller (`None` = sold directly).
    pub reseller: Option<String>,
    /// Subscriptions with at least one day in the month.
    pub subscriptions: u32,
    /// Subscription days.
    pub days: u32,
    /// Named-user days (users x days; unlimited counts as 0).
    pub user_days: u64,
}

/// Pro-rata subscription days in a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProRataReport {
    /// The month.
    pub month: Month,
    /// One row per subscription and scope (a change within the month starts a new row).
    pub rows: Vec<ProRataRow>,
    /// Totals per reseller.
    pub resellers: Vec<ResellerTotal>,
}

/// On `day`, after the term that ended on `ended` and before a late renewal's code starts
/// (a renewal issued in grace is valid from its day of issue), the renewed term is billed
/// from the old end: the renewal's scope, if one follows.
fn late_renewal(h: &LicenseHistory, ended: Date, day: Date) -> Option<License> {
    h.revisions
        .iter()
        .filter(|r| r.operation == Operation::Renew && r.license.valid_from > day)
        .min_by_key(|r| (r.license.valid_from, std::cmp::Reverse(r.license.revision)))
        .filter(|_| ended <= day)
        .map(|r| r.license)
}

/// Pro-rata days of every subscription within `month`, to the day: a subscription
/// counts on each day its term covers, with the scope in force that day, until it is
/// revoked. Optionally only one reseller's.
pub fn pro_rata(
    histories: &BTreeMap<u32, LicenseHistory>,
    catalogs: &Catalogs,
    month: Month,
    reseller: Option<&str>,
) -> Result<ProRataReport, Error> {
    let (first, next) = month
        .bounds()
        .ok_or_else(|| Error::InvalidMonth(month.to_string()))?;
    let days_in_month = u32::try_from(next.days_since(first)).unwrap_or(0);
    let mut rows: Vec<ProRataRow> = Vec::new();
    for h in histories.values() {
        if reseller.is_some_and(|r| h.reseller.as_deref() != Some(r)) {
            continue;
        }
        let mut open: Option<(ProRataRow, License)> = None;
        let mut day = first;
        while day < next {
            let active = h
                .effective_on(day)
                .map(|r| r.license)
                .and_then(|l| match l.expires {
                    Some(e) if day >= e => late_renewal(h, e, day),
                    _ => Some(l),
                })
                .filter(|l| l.kind == Kind::Subscription && !h.revoked_by(day));
            let same = |a: &License, b: &License| {
                (a.named_users, a.concurrent_seats, a.line, a.modules)
                    == (b.named_users, b.concurrent_seats, b.line, b.modules)
            };
            match (active, &mut open) {
                (Some(l), Some((row, prev))) if same(&l, prev) && row.to.saturating_add_days(1) == day => {
                    row.to = day;
                    row.days += 1;
                }
                (Some(l), _) => {
                    if let Some((row, _)) = open.take() {
                        rows.push(row);
                    }
                    let (line, modules) = names(catalogs, &h.product, &l);
                    open = Some((
                        ProRataRow {
                            reseller: h.reseller.clone(),
                            license_id: h.license_id,
                            licensee: h.licensee.clone(),
                            from: day,
                            to: day,
                            days: 1,
                            days_in_month,
                            line,
                            named_users: l.named_users,
                            concurrent_seats: l.concurrent_seats,
                            modules,
                        },
                        l,
                    ));
                }
                (None, _) => {
                    if let Some((row, _)) = open.take() {
                        rows.push(row);
                    }
                }
            }
            day = day.saturating_add_days(1);
        }
        if let Some((row, _)) = open.take() {
            rows.push(row);
        }
    }
    rows.sort_by(|a, b| (&a.reseller, a.license_id, a.from).cmp(&(&b.reseller, b.license_id, b.from)));
    let mut totals: BTreeMap<Option<String>, (std::collections::BTreeSet<u32>, u32, u64)> = BTreeMap::new();
    for r in &rows {
        let t = totals.entry(r.reseller.clone()).or_default();
        t.0.insert(r.license_id);
        t.1 += r.days;
        t.2 += u64::from(r.named_users.unwrap_or(0)) * u64::from(r.days);
    }
    let resellers = totals
        .into_iter()
        .map(|(reseller, (ids, days, user_days))| ResellerTotal {
            reseller,
            subscriptions: ids.len() as u32,
            days,
            user_days,
        })
        .collect();
    Ok(ProRataReport {
        month,
        rows,
        resellers,
    })
}

impl ProRataReport {
    /// One CSV row per subscription segment.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        csv_line(
            &mut out,
            &[
                "month",
                "reseller",
                "license_id",
                "licensee",
                "from",
                "to",
                "days",
                "days_in_month",
                "line",
                "named_users",
                "concurrent_seats",
                "modules",
            ]
            .map(String::from),
        );
        for r in &self.rows {
            csv_line(
                &mut out,
                &[
                    self.month.to_string(),
                    opt(r.reseller.as_ref()),
                    r.license_id.to_string(),
                    r.licensee.clone(),
                    r.from.to_string(),
                    r.to.to_string(),
                    r.days.to_string(),
                    r.days_in_month.to_string(),
                    r.line.clone(),
                    opt(r.named_users),
                    opt(r.concurrent_seats),
                    r.modules.join(" "),
                ],
            );
        }
        out
    }
}

/// A license whose subscription or maintenance ends soon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoticeRow {
    /// License id.
    pub license_id: u32,
    /// Product id.
    pub product: String,
    /// Licensee.
    pub licensee: String,
    /// Reseller.
    pub reseller: Option<String>,
    /// Customer reference.
    pub customer_ref: Option<String>,
    /// `subscription`, `nfr` or `maintenance`.
    pub what: &'static str,
    /// The end (exclusive: first day no longer covered).
    pub ends: Date,
    /// Days from `today` to `ends`.
    pub days_left: u32,
}

/// Licenses whose subscription (or NFR term) or maintenance ends within `days` days of
/// `today` (`today <= end <= today + days`), not revoked and not cancelled to end then,
/// and not already renewed. Perpetual licenses sold without maintenance get no notice.
pub fn renewal_notices(histories: &BTreeMap<u32, LicenseHistory>, today: Date, days: u32) -> Vec<NoticeRow> {
    let horizon = today.saturating_add_days(i64::from(days));
    let mut rows = Vec::new();
    for h in histories.values() {
        if h.revoked.is_some() {
            continue;
        }
        let (Some(latest), Some(first)) = (h.latest(), h.revisions.first()) else {
            continue;
        };
        let l = &latest.license;
        let (what, ends) = match l.kind {
            Kind::Subscription | Kind::Nfr => {
                let Some(e) = l.expires else { continue };
                if h.cancelled.is_some_and(|(_, ends)| ends <= e) {
                    continue;
                }
                (
                    if l.kind == Kind::Nfr {
                        "nfr"
                    } else {
                        "subscription"
                    },
                    e,
                )
            }
            Kind::Full => {
                let Some(m) = l.maintenance_ends else { continue };
                let bought = !h.maintenance_packs.is_empty()
                    || first
                        .license
                        .maintenance_ends
                        .is_some_and(|m0| m0.days_since(first.license.issued) > 1);
                if !bought {
                    continue;
                }
                ("maintenance", m)
            }
            Kind::Trial => continue,
        };
        if ends >= today && ends <= horizon {
            rows.push(NoticeRow {
                license_id: h.license_id,
                product: h.product.clone(),
                licensee: h.licensee.clone(),
                reseller: h.reseller.clone(),
                customer_ref: h.customer_ref.clone(),
                what,
                ends,
                days_left: u32::try_from(ends.days_since(today)).unwrap_or(0),
            });
        }
    }
    rows.sort_by_key(|r| (r.ends, r.license_id));
    rows
}

/// CSV of [`renewal_notices`].
pub fn notices_csv(rows: &[NoticeRow]) -> String {
    let mut out = String::new();
    csv_line(
        &mut out,
        &[
            "license_id",
            "product",
            "licensee",
            "reseller",
            "customer_ref",
            "what",
            "ends",
            "days_left",
        ]
        .map(String::from),
    );
    for r in rows {
        csv_line(
            &mut out,
            &[
                r.license_id.to_string(),
                r.product.clone(),
                r.licensee.clone(),
                opt(r.reseller.as_ref()),
                opt(r.customer_ref.as_ref()),
                r.what.into(),
                r.ends.to_string(),
                r.days_left.to_string(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_csv_quoting() {
        assert_eq!(
            Month::parse("2026-11").unwrap(),
            Month {
                year: 2026,
                month: 11
            }
        );
        for bad in ["2026-13", "2026-1", "26-11", "x", "2026-00"] {
            assert!(matches!(Month::parse(bad), Err(Error::InvalidMonth(_))), "{bad}");
        }
        assert_eq!(csv_field("ACME, Inc."), "\"ACME, Inc.\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
