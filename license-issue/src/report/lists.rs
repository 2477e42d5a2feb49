//! Reports from the ledger: codes issued in a month by kind, subscriptions active on a
//! day, pro-rata subscription days per reseller for a monthly invoice, and renewal
//! notices. Every report is a list of rows of one [`ReportRow`] type: serde gives the
//! JSON, [`ReportRow::COLUMNS`] and [`ReportRow::cells`] give the CSV ([`to_csv`]) and
//! the table a terminal shows ([`to_table`]), so each row is described once.

use std::collections::BTreeMap;

use license_core::{Date, Kind, License, ModuleSet, ProductLine, UntrustedDelegatedCode, is_delegated_text};
use serde::Serialize;

use crate::catalog::calendar;
use crate::catalog::product::Catalogs;
use crate::error::Error;
use crate::ledger::history::LicenseHistory;
use crate::ledger::store::{Operation, Record};
use crate::ledger::terms::{LicenseTerms, RevisionTerm};
use crate::report::error::ReportError;
use crate::report::month::Month;

/// One column of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The CSV header (and the JSON field it comes from).
    pub name: &'static str,
    /// The header a table on a terminal shows; `None`: the column is left out of tables.
    pub title: Option<&'static str>,
}

pub(crate) const fn col(name: &'static str, title: &'static str) -> Column {
    Column {
        name,
        title: Some(title),
    }
}

pub(crate) const fn csv_only(name: &'static str) -> Column {
    Column { name, title: None }
}

/// A row of a report: serialized for JSON, split into cells for CSV and tables.
pub trait ReportRow: Serialize {
    /// The columns, in order.
    const COLUMNS: &'static [Column];

    /// The cells, one per column of [`ReportRow::COLUMNS`]; `None` where the row has no
    /// value (empty in CSV, `-` in a table).
    fn cells(&self) -> Vec<Option<String>>;
}

/// The rows as CSV (RFC 4180, with a header line).
pub fn to_csv<R: ReportRow>(rows: &[R]) -> Result<String, Error> {
    crate::report::csv::write(
        R::COLUMNS.iter().map(|c| c.name),
        rows.iter()
            .map(|r| r.cells().into_iter().map(Option::unwrap_or_default)),
    )
}

/// The rows as a table: the titles of the columns a table shows, and their cells
/// (`-` where there is no value).
pub fn to_table<R: ReportRow>(rows: &[R]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let shown: Vec<usize> = (0..R::COLUMNS.len())
        .filter(|&i| R::COLUMNS[i].title.is_some())
        .collect();
    let titles = shown.iter().filter_map(|&i| R::COLUMNS[i].title).collect();
    let body = rows
        .iter()
        .map(|r| {
            let mut cells = r.cells();
            shown
                .iter()
                .map(|&i| {
                    cells
                        .get_mut(i)
                        .and_then(Option::take)
                        .unwrap_or_else(|| "-".into())
                })
                .collect()
        })
        .collect();
    (titles, body)
}

pub(crate) fn some<T: ToString>(v: T) -> Option<String> {
    Some(v.to_string())
}

pub(crate) fn opt<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

fn modules(m: &[String]) -> Option<String> {
    (!m.is_empty()).then(|| m.join(" "))
}

fn names(catalogs: &Catalogs, product: &str, line: ProductLine, modules: ModuleSet) -> (String, Vec<String>) {
    match catalogs.get(product) {
        Ok(c) => (c.line_name(line), c.module_names(modules)),
        Err(_) => (
            format!("line {}", line.get()),
            modules.iter().map(|b| format!("module#{b}")).collect(),
        ),
    }
}

/// Report kind names: trials are reported as "demo/trial".
pub(crate) fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Full => "full",
        Kind::Trial => "demo/trial",
        Kind::Subscription => "subscription",
        Kind::Nfr => "nfr",
    }
}

/// The reseller the vendor invoices for a code: for a reseller's code the first
/// certificate of its chain (the reseller holding the vendor's contract, also for its
/// sub-resellers' codes), else the record's reseller label. The chain is read unverified:
/// reports run over records whose codes were verified when they were issued or imported.
pub(crate) fn invoiced_reseller(code: Option<&str>, reseller: Option<&str>) -> Option<String> {
    code.filter(|c| is_delegated_text(c))
        .and_then(|c| UntrustedDelegatedCode::parse(c).ok())
        .and_then(|c| {
            c.unverified_chain()
                .next()
                .map(|cert| cert.name.as_str().to_owned())
        })
        .or_else(|| reseller.map(str::to_owned))
}

/// Whether a code of `reseller`, invoiced to `invoiced`, is one of `filter`'s: its own, or
/// its sub-resellers' (invoiced to it).
fn of_reseller(filter: Option<&str>, invoiced: Option<&str>, reseller: Option<&str>) -> bool {
    filter.is_none_or(|f| invoiced == Some(f) || reseller == Some(f))
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
    /// The reseller the vendor invoices for the code (the first certificate of a
    /// reseller's code's chain; else the reseller label). Not a table or CSV column.
    pub invoiced: Option<String>,
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

/// Totals for one kind of one reseller's codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResellerKindTotals {
    /// The reseller the vendor invoices (a sub-reseller's codes: its first-level
    /// reseller; `None` = sold directly).
    pub invoiced: Option<String>,
    /// The reseller that issued the codes (`None` = sold directly).
    pub reseller: Option<String>,
    /// Kind (report label).
    pub kind: &'static str,
    /// New licenses.
    pub new_licenses: u32,
    /// Of the new licenses, those that redeemed a ticket.
    pub tickets: u32,
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
    /// Per reseller that issued codes in the month (ordered by invoiced reseller, then
    /// issuing reseller; sold directly first), one line per kind.
    pub resellers: Vec<ResellerKindTotals>,
    /// Every code issued in the month.
    pub codes: Vec<IssuedRow>,
}

/// Which day puts a code into a month of the issued report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssuedBy {
    /// The day the code was issued (a renewal issued in October counts in October).
    #[default]
    Issue,
    /// The first day of the term the code grants (that renewal counts in November, when
    /// its term starts).
    TermStart,
}

/// Codes issued in `month`.
pub fn issued_in_month(records: &[Record], catalogs: &Catalogs, month: Month) -> Result<IssuedReport, Error> {
    issued_in_month_by(records, catalogs, month, IssuedBy::Issue)
}

/// Codes of `month` by the day `by` names: issued in it, or whose term starts in it.
pub fn issued_in_month_by(
    records: &[Record],
    catalogs: &Catalogs,
    month: Month,
    by: IssuedBy,
) -> Result<IssuedReport, Error> {
    issued_report(records, catalogs, month, by, None)
}

/// Codes of `month` by the day `by` names; with `reseller`, only the codes that reseller
/// issued or is invoiced for (its sub-resellers' codes).
pub fn issued_report(
    records: &[Record],
    catalogs: &Catalogs,
    month: Month,
    by: IssuedBy,
    reseller: Option<&str>,
) -> Result<IssuedReport, Error> {
    let (from, to) = month.bounds().ok_or_else(|| {
        Error::Report(ReportError::InvalidMonth {
            given: month.to_string(),
        })
    })?;
    let mut totals: Vec<KindTotals> = Kind::ALL
        .iter()
        .map(|&k| KindTotals {
            kind: kind_label(k),
            new_licenses: 0,
            codes: 0,
        })
        .collect();
    let mut codes = Vec::new();
    // (invoiced, issuing reseller) -> per kind (new licenses, codes)
    type Pair = (Option<String>, Option<String>);
    let mut by_reseller: BTreeMap<Pair, [(u32, u32, u32); 4]> = BTreeMap::new();
    let day = |r: &Record| match by {
        IssuedBy::Issue => r.recorded,
        IssuedBy::TermStart => r.license.valid_from,
    };
    for r in records
        .iter()
        .filter(|r| r.code.is_some() && day(r) >= from && day(r) < to)
    {
        let invoiced = invoiced_reseller(r.code.as_deref(), r.reseller.as_deref());
        if !of_reseller(reseller, invoiced.as_deref(), r.reseller.as_deref()) {
            continue;
        }
        let l = &r.license;
        let k = Kind::ALL.iter().position(|&k| k == l.kind).unwrap_or(0);
        let t = &mut totals[k];
        let per = &mut by_reseller
            .entry((invoiced.clone(), r.reseller.clone()))
            .or_default()[k];
        t.codes += 1;
        per.2 += 1;
        if r.operation.is_new_license() {
            t.new_licenses += 1;
            per.0 += 1;
            per.1 += u32::from(r.ticket.is_some());
        }
        let (line, modules) = names(catalogs, &r.product, l.line, l.modules);
        codes.push(IssuedRow {
            date: r.recorded,
            license_id: l.license_id,
            revision: l.revision,
            kind: kind_label(l.kind),
            operation: r.operation.name(),
            product: r.product.clone(),
            licensee: r.licensee.clone(),
            reseller: r.reseller.clone(),
            invoiced,
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
    let resellers = by_reseller
        .into_iter()
        .flat_map(|((invoiced, reseller), kinds)| {
            Kind::ALL
                .iter()
                .zip(kinds)
                .map(move |(&k, (new_licenses, tickets, codes))| ResellerKindTotals {
                    invoiced: invoiced.clone(),
                    reseller: reseller.clone(),
                    kind: kind_label(k),
                    new_licenses,
                    tickets,
                    codes,
                })
        })
        .collect();
    Ok(IssuedReport {
        month,
        totals,
        resellers,
        codes,
    })
}

impl ReportRow for IssuedRow {
    const COLUMNS: &'static [Column] = &[
        col("date", "date"),
        col("license_id", "license"),
        col("revision", "rev"),
        col("kind", "kind"),
        col("operation", "operation"),
        csv_only("product"),
        col("licensee", "licensee"),
        csv_only("reseller"),
        csv_only("customer_ref"),
        col("line", "line"),
        col("named_users", "users"),
        csv_only("concurrent_seats"),
        col("modules", "modules"),
        csv_only("valid_from"),
        csv_only("expires"),
        csv_only("maintenance_ends"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            some(self.date),
            some(self.license_id),
            some(self.revision),
            some(self.kind),
            some(self.operation),
            some(&self.product),
            some(&self.licensee),
            opt(self.reseller.as_ref()),
            opt(self.customer_ref.as_ref()),
            some(&self.line),
            opt(self.named_users),
            opt(self.concurrent_seats),
            modules(&self.modules),
            some(self.valid_from),
            opt(self.expires),
            opt(self.maintenance_ends),
        ]
    }
}

impl ReportRow for KindTotals {
    const COLUMNS: &'static [Column] = &[
        col("kind", "kind"),
        col("new_licenses", "new licenses"),
        col("codes", "codes issued"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![some(self.kind), some(self.new_licenses), some(self.codes)]
    }
}

impl ReportRow for ResellerKindTotals {
    const COLUMNS: &'static [Column] = &[
        col("invoiced", "invoiced"),
        col("reseller", "reseller"),
        col("kind", "kind"),
        col("new_licenses", "new licenses"),
        col("tickets", "of them tickets"),
        col("codes", "codes issued"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            opt(self.invoiced.as_ref()),
            opt(self.reseller.as_ref()),
            some(self.kind),
            some(self.new_licenses),
            some(self.tickets),
            some(self.codes),
        ]
    }
}

impl IssuedReport {
    /// One CSV row per code issued, with a header.
    pub fn to_csv(&self) -> Result<String, Error> {
        to_csv(&self.codes)
    }

    /// The totals by kind as CSV.
    pub fn totals_csv(&self) -> Result<String, Error> {
        to_csv(&self.totals)
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

/// Subscriptions in force on `day` (within their term, not revoked by then), from every
/// license's history: [`active_on`] of their [`LicenseTerms`].
pub fn active_subscriptions(
    histories: &BTreeMap<u32, LicenseHistory>,
    catalogs: &Catalogs,
    day: Date,
) -> Vec<ActiveRow> {
    histories
        .values()
        .filter_map(|h| active_row(&LicenseTerms::of(h), catalogs, day))
        .collect()
}

/// Subscriptions in force on `day` (within their term, not revoked by then) among
/// `licenses`, in their order: the rule of [`active_subscriptions`], over the licenses'
/// terms in brief. `licenses` may hold any others too (e.g. what
/// [`Ledger::license_terms_active_on`](crate::Ledger::license_terms_active_on) selects):
/// the rule decides.
pub fn active_on(licenses: &[LicenseTerms], catalogs: &Catalogs, day: Date) -> Vec<ActiveRow> {
    licenses
        .iter()
        .filter_map(|t| active_row(t, catalogs, day))
        .collect()
}

/// How many subscriptions are in force on each of `days` among `licenses`: the rule of
/// [`active_on`], counted per day over one read (e.g. what
/// [`Ledger::license_terms_active_between`](crate::Ledger::license_terms_active_between)
/// selects for the first and last of them).
pub fn active_counts(licenses: &[LicenseTerms], days: &[Date]) -> Vec<usize> {
    days.iter()
        .map(|&day| licenses.iter().filter(|t| in_force(t, day).is_some()).count())
        .collect()
}

/// The revision of `t` in force on `day` if it is a subscription in force then: its term
/// covers `day`, and the license is not revoked by then.
fn in_force(t: &LicenseTerms, day: Date) -> Option<&RevisionTerm> {
    let l = t.effective_on(day)?;
    if l.kind != Kind::Subscription || t.revoked_by(day) || l.expires.is_some_and(|e| day >= e) {
        return None;
    }
    Some(l)
}

/// The row of `t` if it is a subscription in force on `day`: the revision in force is a
/// subscription whose term covers `day`, and the license is not revoked by then.
fn active_row(t: &LicenseTerms, catalogs: &Catalogs, day: Date) -> Option<ActiveRow> {
    let l = in_force(t, day)?;
    let (line, modules) = names(catalogs, &t.product, l.line, l.modules);
    Some(ActiveRow {
        license_id: t.license_id,
        revision: l.revision,
        product: t.product.clone(),
        licensee: t.licensee.clone(),
        reseller: t.reseller.clone(),
        line,
        named_users: l.named_users,
        concurrent_seats: l.concurrent_seats,
        modules,
        valid_from: l.valid_from,
        expires: l.expires,
        cancelled_ends: t.cancelled_ends,
    })
}

impl ReportRow for ActiveRow {
    const COLUMNS: &'static [Column] = &[
        col("license_id", "license"),
        csv_only("revision"),
        csv_only("product"),
        col("licensee", "licensee"),
        col("reseller", "reseller"),
        col("line", "line"),
        col("named_users", "users"),
        col("concurrent_seats", "seats"),
        csv_only("modules"),
        csv_only("valid_from"),
        col("expires", "expires"),
        col("cancelled_ends", "cancelled, ends"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            some(self.license_id),
            some(self.revision),
            some(&self.product),
            some(&self.licensee),
            opt(self.reseller.as_ref()),
            some(&self.line),
            opt(self.named_users),
            opt(self.concurrent_seats),
            modules(&self.modules),
            some(self.valid_from),
            opt(self.expires),
            opt(self.cancelled_ends),
        ]
    }
}

/// Days of one subscription with one scope within a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProRataRow {
    /// The month.
    pub month: Month,
    /// The reseller the vendor invoices (a sub-reseller's subscription: its first-level
    /// reseller; `None` = sold directly).
    pub invoiced: Option<String>,
    /// The reseller that issued the subscription (`None` = sold directly).
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
    /// The reseller the vendor invoices (a sub-reseller's subscriptions: its first-level
    /// reseller; `None` = sold directly).
    pub invoiced: Option<String>,
    /// The reseller that issued the subscriptions (`None` = sold directly).
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
/// revoked; a storno (revoked in its first month, [`LicenseHistory::storno`]) not at all.
/// Optionally only one reseller's.
pub fn pro_rata(
    histories: &BTreeMap<u32, LicenseHistory>,
    catalogs: &Catalogs,
    month: Month,
    reseller: Option<&str>,
) -> Result<ProRataReport, Error> {
    let (first, next) = month.bounds().ok_or_else(|| {
        Error::Report(ReportError::InvalidMonth {
            given: month.to_string(),
        })
    })?;
    let days_in_month = u32::try_from(next.days_since(first)).unwrap_or(0);
    let mut rows: Vec<ProRataRow> = Vec::new();
    for h in histories.values() {
        let invoiced = invoiced_reseller(h.revisions.last().map(|r| r.code.as_str()), h.reseller.as_deref());
        if !of_reseller(reseller, invoiced.as_deref(), h.reseller.as_deref()) || h.storno() {
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
                    let (line, modules) = names(catalogs, &h.product, l.line, l.modules);
                    open = Some((
                        ProRataRow {
                            month,
                            invoiced: invoiced.clone(),
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
    rows.sort_by(|a, b| {
        (&a.invoiced, &a.reseller, a.license_id, a.from).cmp(&(
            &b.invoiced,
            &b.reseller,
            b.license_id,
            b.from,
        ))
    });
    type Pair = (Option<String>, Option<String>);
    type Totals = (std::collections::BTreeSet<u32>, u32, u64);
    let mut totals: BTreeMap<Pair, Totals> = BTreeMap::new();
    for r in &rows {
        let t = totals
            .entry((r.invoiced.clone(), r.reseller.clone()))
            .or_default();
        t.0.insert(r.license_id);
        t.1 += r.days;
        t.2 += u64::from(r.named_users.unwrap_or(0)) * u64::from(r.days);
    }
    let resellers = totals
        .into_iter()
        .map(|((invoiced, reseller), (ids, days, user_days))| ResellerTotal {
            invoiced,
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

impl ReportRow for ProRataRow {
    const COLUMNS: &'static [Column] = &[
        csv_only("month"),
        csv_only("invoiced"),
        col("reseller", "reseller"),
        col("license_id", "license"),
        col("licensee", "licensee"),
        col("from", "from"),
        col("to", "to"),
        col("days", "days"),
        csv_only("days_in_month"),
        csv_only("line"),
        col("named_users", "users"),
        col("concurrent_seats", "seats"),
        csv_only("modules"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            some(self.month),
            opt(self.invoiced.as_ref()),
            opt(self.reseller.as_ref()),
            some(self.license_id),
            some(&self.licensee),
            some(self.from),
            some(self.to),
            some(self.days),
            some(self.days_in_month),
            some(&self.line),
            opt(self.named_users),
            opt(self.concurrent_seats),
            modules(&self.modules),
        ]
    }
}

impl ReportRow for ResellerTotal {
    const COLUMNS: &'static [Column] = &[
        col("invoiced", "invoiced"),
        col("reseller", "reseller"),
        col("subscriptions", "subscriptions"),
        col("days", "days"),
        col("user_days", "user-days"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            opt(self.invoiced.as_ref()),
            opt(self.reseller.as_ref()),
            some(self.subscriptions),
            some(self.days),
            some(self.user_days),
        ]
    }
}

impl ProRataReport {
    /// One CSV row per subscription segment.
    pub fn to_csv(&self) -> Result<String, Error> {
        to_csv(&self.rows)
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
    /// The last day covered.
    pub last_day: Date,
    /// The day the notice is due: calendar months before the last day.
    pub notice_on: Date,
    /// Days from `today` to `ends`.
    pub days_left: u32,
}

/// What ends for a license with a notice to send: `(subscription | nfr | maintenance,
/// exclusive end)`, or `None` (revoked, cancelled to end then, a trial, a perpetual
/// license sold without maintenance).
fn notice_subject(h: &LicenseHistory) -> Option<(&'static str, Date)> {
    if h.revoked.is_some() {
        return None;
    }
    let (latest, first) = (h.latest()?, h.revisions.first()?);
    let l = &latest.license;
    match l.kind {
        Kind::Subscription | Kind::Nfr => {
            let e = l.expires?;
            if h.cancelled.is_some_and(|(_, ends)| ends <= e) {
                return None;
            }
            Some((
                if l.kind == Kind::Nfr {
                    "nfr"
                } else {
                    "subscription"
                },
                e,
            ))
        }
        Kind::Full => {
            let m = l.maintenance_ends?;
            let bought = !h.maintenance_packs.is_empty()
                || first
                    .license
                    .maintenance_ends
                    .is_some_and(|m0| m0.days_since(first.license.issued) > 1);
            bought.then_some(("maintenance", m))
        }
        Kind::Trial => None,
    }
}

fn notice_row(h: &LicenseHistory, what: &'static str, ends: Date, months: u32, today: Date) -> NoticeRow {
    NoticeRow {
        license_id: h.license_id,
        product: h.product.clone(),
        licensee: h.licensee.clone(),
        reseller: h.reseller.clone(),
        customer_ref: h.customer_ref.clone(),
        what,
        ends,
        last_day: calendar::last_day(ends),
        notice_on: calendar::notice_day(ends, months),
        days_left: u32::try_from(ends.days_since(today)).unwrap_or(0),
    }
}

/// Licenses whose subscription (or NFR term) or maintenance ends within `days` days of
/// `today` (`today <= end <= today + days`), not revoked and not cancelled to end then,
/// and not already renewed. Perpetual licenses sold without maintenance get no notice.
pub fn renewal_notices(histories: &BTreeMap<u32, LicenseHistory>, today: Date, days: u32) -> Vec<NoticeRow> {
    let horizon = today.saturating_add_days(i64::from(days));
    let mut rows: Vec<NoticeRow> = histories
        .values()
        .filter_map(|h| notice_subject(h).map(|(what, ends)| (h, what, ends)))
        .filter(|&(_, _, ends)| ends >= today && ends <= horizon)
        .map(|(h, what, ends)| notice_row(h, what, ends, calendar::NOTICE_MONTHS, today))
        .collect();
    rows.sort_by_key(|r| (r.ends, r.license_id));
    rows
}

/// The renewal notices due by `today` in calendar months ("a renewal notice goes out one
/// month before maintenance expires"): licenses whose notice day (the catalog's
/// `notice_months` before the last day) has come and whose term or maintenance has not
/// ended yet. Licenses of a product without a catalog are left out.
pub fn renewal_notices_due(
    histories: &BTreeMap<u32, LicenseHistory>,
    catalogs: &Catalogs,
    today: Date,
) -> Vec<NoticeRow> {
    let mut rows: Vec<NoticeRow> = histories
        .values()
        .filter_map(|h| {
            let (what, ends) = notice_subject(h)?;
            let months = catalogs.get(&h.product).ok()?.defaults.notice_months;
            let row = notice_row(h, what, ends, months, today);
            (row.notice_on <= today && today < ends).then_some(row)
        })
        .collect();
    rows.sort_by_key(|r| (r.ends, r.license_id));
    rows
}

impl ReportRow for NoticeRow {
    const COLUMNS: &'static [Column] = &[
        col("license_id", "license"),
        csv_only("product"),
        col("licensee", "licensee"),
        col("reseller", "reseller"),
        csv_only("customer_ref"),
        col("what", "what"),
        csv_only("ends"),
        col("last_day", "last day"),
        col("notice_on", "notice on"),
        col("days_left", "days left"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            some(self.license_id),
            some(&self.product),
            some(&self.licensee),
            opt(self.reseller.as_ref()),
            opt(self.customer_ref.as_ref()),
            some(self.what),
            some(self.ends),
            some(self.last_day),
            some(self.notice_on),
            some(self.days_left),
        ]
    }
}

/// A renewal that should be out by now ("generated at the latest 4 weeks before
/// expiry") and has no code yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenewalRow {
    /// License id.
    pub license_id: u32,
    /// Product id.
    pub product: String,
    /// Licensee.
    pub licensee: String,
    /// Reseller.
    pub reseller: Option<String>,
    /// The current term's end (exclusive).
    pub term_ends: Date,
    /// The current term's last day.
    pub last_day: Date,
    /// The day the renewal code had to be out at the latest.
    pub renew_by: Date,
    /// Days since `renew_by` (0: due today).
    pub days_late: u32,
    /// `due today`, `late` (still renewable) or `lapsed` (past the grace period).
    pub state: &'static str,
}

/// Subscriptions and NFR licenses whose renewal code should be out by `today` (the
/// catalog's at-the-latest day, default 28 days before expiry, is today or past) and was
/// not issued: not revoked, not erased, not cancelled to end with this term, and no code
/// for the next term yet. `licensectl renew --due` issues them (except lapsed ones).
pub fn renewals_overdue(
    histories: &BTreeMap<u32, LicenseHistory>,
    catalogs: &Catalogs,
    today: Date,
) -> Result<Vec<RenewalRow>, Error> {
    let mut rows = Vec::new();
    for h in histories.values() {
        if h.revoked.is_some() || h.erased {
            continue;
        }
        let Some(latest) = h.latest() else { continue };
        let l = &latest.license;
        let (Kind::Subscription | Kind::Nfr, Some(expires)) = (l.kind, l.expires) else {
            continue;
        };
        if h.cancelled.is_some_and(|(_, ends)| ends <= expires) {
            continue;
        }
        let window = catalogs.get(&h.product)?.renewal_window(expires, l.grace_days);
        if today < window.latest {
            continue;
        }
        let state = if today >= window.closes {
            "lapsed"
        } else if today == window.latest {
            "due today"
        } else {
            "late"
        };
        rows.push(RenewalRow {
            license_id: h.license_id,
            product: h.product.clone(),
            licensee: h.licensee.clone(),
            reseller: h.reseller.clone(),
            term_ends: expires,
            last_day: calendar::last_day(expires),
            renew_by: window.latest,
            days_late: u32::try_from(today.days_since(window.latest)).unwrap_or(0),
            state,
        });
    }
    rows.sort_by_key(|r| (r.renew_by, r.license_id));
    Ok(rows)
}

impl ReportRow for RenewalRow {
    const COLUMNS: &'static [Column] = &[
        col("license_id", "license"),
        csv_only("product"),
        col("licensee", "licensee"),
        col("reseller", "reseller"),
        csv_only("term_ends"),
        col("last_day", "last day"),
        col("renew_by", "renew by"),
        col("days_late", "days late"),
        col("state", "state"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            some(self.license_id),
            some(&self.product),
            some(&self.licensee),
            opt(self.reseller.as_ref()),
            some(self.term_ends),
            some(self.last_day),
            some(self.renew_by),
            some(self.days_late),
            some(self.state),
        ]
    }
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
            assert!(
                matches!(Month::parse(bad), Err(ReportError::InvalidMonth { .. })),
                "{bad}"
            );
        }
    }
}
