//! `GET /portal/reports/invoice?month=YYYY-MM[&reseller=R]` and
//! `GET /portal/reports/pro-rata?month=YYYY-MM[&reseller=R]`: the invoice basis per
//! reseller (the API's `/api/v1/reports/invoice`: the library's `invoice` over the ledger
//! and the imported records) and the pro-rata statement (`/api/v1/reports/pro-rata`: the
//! library's `pro_rata`), paged (resellers' sections; the statement's rows); `format=csv`
//! gives the API's CSV.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::Month;

use super::fetch::fetch;
use super::form::{FormState, ReportQuery, read};
use super::words::{kind_words, month_words};
use crate::api::app::App;
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::ops::reports;
use crate::portal::page::{Chrome, render};
use crate::portal::paging::{Pager, page_number, page_of, url};

const INVOICE: &str = "/portal/reports/invoice";
const PRO_RATA: &str = "/portal/reports/pro-rata";

/// A line of a section: per issuing reseller and kind.
pub struct Line {
    /// The issuing reseller.
    pub reseller: String,
    /// Kind in words.
    pub kind: String,
    /// New licenses.
    pub new_licenses: u32,
    /// Of them, by a ticket.
    pub tickets: u32,
    /// Codes.
    pub codes: u32,
    /// Subscriptions, days, user-days ("" for another kind).
    pub subscriptions: String,
    /// Subscription days.
    pub days: String,
    /// Named-user days.
    pub user_days: String,
}

/// A code created in the month.
pub struct Code {
    /// License number.
    pub license: u32,
    /// Issued on.
    pub date: String,
    /// Kind in words.
    pub kind: String,
    /// Licensee.
    pub licensee: String,
    /// Issuing reseller.
    pub reseller: String,
}

/// A subscription's days in the month.
pub struct Days {
    /// License number.
    pub license: u32,
    /// Licensee.
    pub licensee: String,
    /// Issuing reseller (or the vendor's own).
    pub reseller: String,
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Days of the month.
    pub days: String,
    /// Named users.
    pub users: String,
}

/// A reseller's section of the invoice.
pub struct Section {
    /// The reseller invoiced.
    pub invoiced: String,
    /// Its lines.
    pub lines: Vec<Line>,
    /// Its codes of the month.
    pub codes: Vec<Code>,
    /// Its subscriptions' days.
    pub days: Vec<Days>,
}

#[derive(Template)]
#[template(path = "reports_invoice.html")]
struct InvoicePage {
    c: Chrome,
    f: FormState,
    heading: String,
    sections: Vec<Section>,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "reports_pro_rata.html")]
struct ProRataPage {
    c: Chrome,
    f: FormState,
    heading: String,
    totals: Vec<(String, String, u32, u32, u64)>,
    rows: Vec<Days>,
    pager: Pager,
}

fn direct(lang: crate::portal::i18n::Lang, r: Option<&str>) -> String {
    r.map_or_else(|| lang.t("reports.direct").to_owned(), str::to_owned)
}

fn days_of(lang: crate::portal::i18n::Lang, r: &license_issue::ProRataRow) -> Days {
    Days {
        license: r.license_id,
        licensee: r.licensee.clone(),
        reseller: direct(lang, r.reseller.as_deref()),
        from: lang.date(r.from),
        to: lang.date(r.to),
        days: lang.f(
            "reports.days.of",
            &[
                ("days", &r.days.to_string()),
                ("month", &r.days_in_month.to_string()),
            ],
        ),
        users: r
            .named_users
            .map_or_else(|| lang.t("license.unlimited").to_owned(), |n| n.to_string()),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The invoice page (or its CSV).
pub async fn page<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    let Query(q) = q.unwrap_or_default();
    let today = (app.today)();
    let ch = Chrome::of(&c, &headers, INVOICE);
    let lang = ch.lang;
    let (asked, mut f) = read(lang, INVOICE, &q, Month::of(today), (true, true, false));
    let ch = ch.titled(lang.t("reports.invoice.title").to_owned());
    let Ok(asked) = asked else {
        return render(
            StatusCode::BAD_REQUEST,
            &InvoicePage {
                c: ch,
                f,
                heading: String::new(),
                sections: Vec::new(),
                pager: Pager::none(),
            },
        );
    };
    let month = asked.month;
    let reseller = asked.reseller.clone();
    let c2 = c.clone();
    let (ch, invoice) = match fetch(
        &app,
        ch,
        &q,
        format!("invoice-{month}"),
        move |app| reports::caller_invoice(app, &c2, month, reseller),
        |r| r.to_csv(),
    )
    .await
    {
        Ok(x) => x,
        Err(done) => return *done,
    };
    let m = month.to_string();
    let r = asked.reseller.clone().unwrap_or_default();
    f.csv = url(INVOICE, &[("month", &m), ("reseller", &r), ("format", "csv")]);
    let sections: Vec<Section> = invoice
        .resellers
        .iter()
        .map(|s| Section {
            invoiced: s.invoiced.clone(),
            lines: s
                .lines
                .iter()
                .filter(|l| l.codes > 0 || l.subscriptions.is_some_and(|n| n > 0))
                .map(|l| Line {
                    reseller: direct(lang, l.reseller.as_deref()),
                    kind: kind_words(lang, l.kind).to_owned(),
                    new_licenses: l.new_licenses,
                    tickets: l.tickets,
                    codes: l.codes,
                    subscriptions: opt(l.subscriptions),
                    days: opt(l.subscription_days),
                    user_days: opt(l.user_days),
                })
                .collect(),
            codes: s
                .codes
                .iter()
                .map(|r| Code {
                    license: r.license_id,
                    date: lang.date(r.date),
                    kind: kind_words(lang, r.kind).to_owned(),
                    licensee: r.licensee.clone(),
                    reseller: direct(lang, r.reseller.as_deref()),
                })
                .collect(),
            days: s.subscriptions.iter().map(|r| days_of(lang, r)).collect(),
        })
        .collect();
    let (sections, pager) = page_of(lang, sections, page_number(q.page.as_deref()), |n| {
        url(
            INVOICE,
            &[("month", &m), ("reseller", &r), ("page", &n.to_string())],
        )
    });
    render(
        StatusCode::OK,
        &InvoicePage {
            c: ch,
            heading: lang.f("reports.invoice.heading", &[("month", &month_words(lang, month))]),
            sections,
            pager,
            f,
        },
    )
}

/// The pro-rata statement (or its CSV).
pub async fn pro_rata<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    let Query(q) = q.unwrap_or_default();
    let today = (app.today)();
    let ch = Chrome::of(&c, &headers, PRO_RATA);
    let lang = ch.lang;
    let (asked, mut f) = read(lang, PRO_RATA, &q, Month::of(today), (true, true, false));
    let ch = ch.titled(lang.t("reports.pro_rata.title").to_owned());
    let Ok(asked) = asked else {
        return render(
            StatusCode::BAD_REQUEST,
            &ProRataPage {
                c: ch,
                f,
                heading: String::new(),
                totals: Vec::new(),
                rows: Vec::new(),
                pager: Pager::none(),
            },
        );
    };
    let month = asked.month;
    let reseller = asked.reseller.clone();
    let (ch, report) = match fetch(
        &app,
        ch,
        &q,
        format!("pro-rata-{month}"),
        move |app| reports::pro_rata(app, month, reseller.as_deref()),
        |r| r.to_csv(),
    )
    .await
    {
        Ok(x) => x,
        Err(done) => return *done,
    };
    let m = month.to_string();
    let r = asked.reseller.clone().unwrap_or_default();
    f.csv = url(PRO_RATA, &[("month", &m), ("reseller", &r), ("format", "csv")]);
    let rows: Vec<Days> = report.rows.iter().map(|r| days_of(lang, r)).collect();
    let (rows, pager) = page_of(lang, rows, page_number(q.page.as_deref()), |n| {
        url(
            PRO_RATA,
            &[("month", &m), ("reseller", &r), ("page", &n.to_string())],
        )
    });
    render(
        StatusCode::OK,
        &ProRataPage {
            c: ch,
            heading: lang.f(
                "reports.pro_rata.heading",
                &[("month", &month_words(lang, month))],
            ),
            totals: report
                .resellers
                .iter()
                .map(|t| {
                    (
                        direct(lang, t.invoiced.as_deref()),
                        direct(lang, t.reseller.as_deref()),
                        t.subscriptions,
                        t.days,
                        t.user_days,
                    )
                })
                .collect(),
            rows,
            pager,
            f,
        },
    )
}
