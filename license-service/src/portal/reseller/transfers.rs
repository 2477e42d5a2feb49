//! `/portal/transfers`: a reseller transfers single licenses, or every license of one of
//! its orders (the order reference its licenses carry), to an end customer. The first post
//! names what moves and to whom; the second, confirmed, transfers each license with the
//! API's step (`ops::transfers::transfer`, as `POST /api/v1/licenses/{id}/transfer`).

use std::collections::BTreeSet;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::{Customer, Error, LicenseHistory, normalize_licensee};

use super::super::page::{Chrome, Form, Refusal, error_page, error_text, render};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::licenses::{check_customer, need_right, visible_ids};
use crate::ops::transfers::{self as ops, Transfer};
use crate::portal::paging::{self, ListQuery, Pager};
use crate::rights::OrgKind;

/// A license that may move.
struct LicenseRow {
    id: u32,
    product: String,
    licensee: String,
    order: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "reseller_transfers.html")]
struct TransfersPage {
    c: Chrome,
    q: String,
    error: String,
    field: String,
    rows: Vec<LicenseRow>,
    pager: Pager,
    order: String,
    licensee: String,
}

#[derive(Template)]
#[template(path = "reseller_transfer_review.html")]
struct ReviewPage {
    c: Chrome,
    text: String,
    rows: Vec<LicenseRow>,
    licensee: String,
}

#[derive(Template)]
#[template(path = "reseller_transfer_done.html")]
struct DonePage {
    c: Chrome,
    text: String,
    rows: Vec<LicenseRow>,
}

/// The reseller's licenses still in force (not revoked), by number.
fn licenses<I: Issuers>(app: &App<I>, c: &Caller) -> ApiResult<Vec<LicenseHistory>> {
    if !matches!(c.org(), Some((_, OrgKind::Reseller))) {
        return Err(ApiError::forbidden("the transfer page is a reseller's"));
    }
    need_right(app, c)?;
    let ids = visible_ids(app, c)?.unwrap_or_default();
    let histories = app.issuers.with(|is| -> Result<Vec<LicenseHistory>, Error> {
        ids.iter().map(|id| is.history(*id)).collect()
    })?;
    let mut out: Vec<LicenseHistory> = histories.into_iter().filter(|h| h.revoked.is_none()).collect();
    out.sort_by_key(|h| h.license_id);
    Ok(out)
}

fn row(h: &LicenseHistory, checked: bool) -> LicenseRow {
    LicenseRow {
        id: h.license_id,
        product: h.product.clone(),
        licensee: h.licensee.clone(),
        order: h.order_ref.clone().unwrap_or_default(),
        checked,
    }
}

/// What the form shows again after an error.
#[derive(Default)]
struct Shown {
    error: String,
    field: String,
    chosen: BTreeSet<u32>,
    order: String,
    licensee: String,
}

async fn form_page<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    q: ListQuery,
    s: Shown,
    status: StatusCode,
) -> Response {
    let ch = Chrome::of(c, headers, "/portal/transfers");
    let lang = ch.lang;
    let c2 = c.clone();
    let all = match blocking(app, move |app| licenses(app, &c2)).await {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let search = q.search();
    let found: Vec<LicenseRow> = all
        .iter()
        .filter(|h| {
            paging::matches(
                &search,
                &[
                    &h.license_id.to_string(),
                    &h.licensee,
                    h.order_ref.as_deref().unwrap_or(""),
                ],
            )
        })
        .map(|h| row(h, s.chosen.contains(&h.license_id)))
        .collect();
    let (rows, pager) = q.page_of(lang, "/portal/transfers", found);
    let title = lang.t("rsl.transfers.title").to_owned();
    render(
        status,
        &TransfersPage {
            c: ch.titled(title),
            q: search,
            error: s.error,
            field: s.field,
            rows,
            pager,
            order: s.order,
            licensee: s.licensee,
        },
    )
}

/// `GET /portal/transfers?q=...&page=N`.
pub(super) async fn form<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let Query(q) = q.unwrap_or_default();
    form_page(&app, &c, &headers, q, Shown::default(), StatusCode::OK).await
}

/// The licenses a posted form chooses (the ticked ones, and every license of the order
/// named), each one the reseller's; the new licensee checked as the API checks it.
fn chosen<I: Issuers>(app: &App<I>, c: &Caller, f: &Form) -> ApiResult<(Vec<LicenseHistory>, Customer)> {
    let all = licenses(app, c)?;
    let mut ids = BTreeSet::new();
    for v in f.all("license") {
        let id = v
            .parse::<u32>()
            .ok()
            .filter(|id| all.iter().any(|h| h.license_id == *id))
            .ok_or_else(|| Refusal::of("license").f("rsl.refuse.not_yours", &[("license", &v)]))?;
        ids.insert(id);
    }
    let order = f.get("order");
    if !order.trim().is_empty() {
        // An order's licenses as the library's `transfer_order` finds them: the same
        // reference, compared as it compares names.
        let wanted = normalize_licensee(&order);
        let in_order: Vec<u32> = all
            .iter()
            .filter(|h| {
                h.order_ref
                    .as_deref()
                    .is_some_and(|o| normalize_licensee(o) == wanted)
            })
            .map(|h| h.license_id)
            .collect();
        if in_order.is_empty() {
            return Err(Refusal::of("order").f("rsl.refuse.no_order", &[("order", order.trim())]));
        }
        ids.extend(in_order);
    }
    if ids.is_empty() {
        return Err(Refusal::of("license").f("rsl.refuse.choose_licenses", &[]));
    }
    let to = Customer::new(f.get("licensee").trim());
    check_customer(&to).map_err(|mut e| {
        e.field = Some("licensee".to_owned());
        e
    })?;
    let chosen = all.into_iter().filter(|h| ids.contains(&h.license_id)).collect();
    Ok((chosen, to))
}

/// `POST /portal/transfers`: `step=review` names what moves and to whom; `step=confirm`
/// transfers.
pub(super) async fn transfer<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/transfers");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    let lang = ch.lang;
    let c2 = c.clone();
    let f2 = Form(f.0.clone());
    let (histories, to) = match blocking(&app, move |app| chosen(app, &c2, &f2)).await {
        Ok(x) => x,
        Err(e) if e.kind == "forbidden" || e.kind == "unauthenticated" => return error_page(ch, &e),
        Err(e) => {
            let s = Shown {
                error: error_text(lang, &e),
                field: e.field.clone().unwrap_or_default(),
                chosen: f.all("license").iter().filter_map(|v| v.parse().ok()).collect(),
                order: f.get("order"),
                licensee: f.get("licensee"),
            };
            return form_page(&app, &c, &headers, ListQuery::default(), s, e.status).await;
        }
    };
    // Every license is checked before the review and again before any moves: a license
    // the library would refuse (revoked, erased, ...) stops the whole transfer.
    let ids: Vec<u32> = histories.iter().map(|h| h.license_id).collect();
    if let Err(e) = ops::check_all(&app, &c, &ids, &to).await {
        let s = Shown {
            error: error_text(lang, &e),
            field: "license".to_owned(),
            chosen: ids.into_iter().collect(),
            order: f.get("order"),
            licensee: f.get("licensee"),
        };
        return form_page(&app, &c, &headers, ListQuery::default(), s, e.status).await;
    }
    let count = histories.len().to_string();
    if f.get("step") != "confirm" {
        let text = lang.f(
            "rsl.transfers.review.text",
            &[("count", &count), ("licensee", &to.licensee)],
        );
        let title = lang.t("rsl.transfers.review.title").to_owned();
        return render(
            StatusCode::OK,
            &ReviewPage {
                c: ch.titled(title),
                text,
                rows: histories.iter().map(|h| row(h, true)).collect(),
                licensee: to.licensee,
            },
        );
    }
    let mut done = Vec::new();
    for h in &histories {
        let t = Transfer {
            license_id: h.license_id,
            to: to.clone(),
            bind: Default::default(),
            unbind: Default::default(),
            company: None,
        };
        if let Err(e) = ops::transfer(&app, &c, t, None).await {
            let moved: Vec<String> = done.iter().map(|r: &LicenseRow| r.id.to_string()).collect();
            let mut error = lang.f(
                "rsl.transfers.failed",
                &[
                    ("id", &h.license_id.to_string()),
                    ("error", &error_text(lang, &e)),
                ],
            );
            if !moved.is_empty() {
                error = format!(
                    "{error} {}",
                    lang.f("rsl.transfers.partly", &[("moved", &moved.join(", "))])
                );
            }
            let s = Shown {
                error,
                field: "license".to_owned(),
                licensee: to.licensee.clone(),
                ..Shown::default()
            };
            return form_page(&app, &c, &headers, ListQuery::default(), s, e.status).await;
        }
        let mut r = row(h, true);
        r.licensee = to.licensee.clone();
        done.push(r);
    }
    let text = lang.f(
        "rsl.transfers.done.text",
        &[("count", &count), ("licensee", &to.licensee)],
    );
    let title = lang.t("rsl.transfers.done.title").to_owned();
    render(
        StatusCode::OK,
        &DonePage {
            c: ch.titled(title),
            text,
            rows: done,
        },
    )
}
