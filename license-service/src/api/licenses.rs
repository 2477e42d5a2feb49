//! Licenses: every operation is the library's (`Issuer::place`, `check_new`, `history`,
//! the report functions); this file parses, authorizes on the object and renders.
//! Carried over from `issuing-service`: the orders, the `Idempotency-Key` header, the
//! library's error kinds, the `bind.seat_server` field of orders.

use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use license_core::Date;
use license_issue::{BindTo, Change, Customer, LicenseHistory, NewLicense, Order, Outcome, Scope};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::app::{App, blocking, parse};
use super::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::names;
use crate::ops::licenses::{
    authorize_change, commit_change, history as license_history, license_file, place, visible_ids,
};
use crate::ops::reports;
use crate::store::audit::AuditAction;

/// The optional `Idempotency-Key` header.
fn order_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Ok(k) if !k.trim().is_empty() && k.len() <= 200 => Ok(Some(k.trim().to_owned())),
            _ => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_idempotency_key",
                "the Idempotency-Key header must be 1 to 200 visible ASCII characters",
            )),
        },
    }
}

fn license_id(id: Result<Path<u32>, PathRejection>) -> ApiResult<u32> {
    id.map(|Path(id)| id).map_err(|r| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_path",
            format!("the license id in the path must be a number: {}", r.body_text()),
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ForCompany {
    #[serde(default)]
    company: Option<i64>,
}

/// `POST /api/v1/licenses[?company=ID]`: a new license (for that company). A reseller's
/// order must lie inside the caller's frame (the library's `Frame::admits` on the license
/// `check_new` would issue), and is refused naming the limit otherwise.
pub(crate) async fn create<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    q: Result<Query<ForCompany>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| ApiError::field("company", e.body_text()))?;
    let order: NewLicense = parse(&body)?;
    let outcome = crate::ops::licenses::create(&app, &c, order, q.company, order_key(&headers)?).await?;
    Ok((StatusCode::CREATED, Json(outcome)).into_response())
}

async fn change<I: Issuers>(
    app: Arc<App<I>>,
    c: Caller,
    id: Result<Path<u32>, PathRejection>,
    headers: &HeaderMap,
    body: Option<Bytes>,
    action: AuditAction,
    make: impl FnOnce(u32, Option<Change>) -> ApiResult<Order>,
) -> ApiResult<Json<Outcome>> {
    let license_id = license_id(id)?;
    authorize_change(&app, &c, license_id).await?;
    let change = body.map(|b| parse::<Change>(&b)).transpose()?;
    let order = make(license_id, change)?;
    let outcome = commit_change(&app, &c, license_id, order_key(headers)?, action, order).await?;
    Ok(Json(outcome))
}

/// `POST /api/v1/licenses/{id}/upgrade`: an additional order, effective at once.
pub(crate) async fn upgrade<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Outcome>> {
    change(
        app,
        c,
        id,
        &headers,
        Some(body),
        AuditAction::Upgrade,
        |license_id, change| {
            Ok(Order::Upgrade {
                license_id,
                change: change.unwrap_or_default(),
            })
        },
    )
    .await
}

/// `POST /api/v1/licenses/{id}/reduce`: a reduction at its effective day.
pub(crate) async fn reduce<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Outcome>> {
    change(
        app,
        c,
        id,
        &headers,
        Some(body),
        AuditAction::Reduce,
        |license_id, change| {
            Ok(Order::Reduce {
                license_id,
                change: change.unwrap_or_default(),
            })
        },
    )
    .await
}

/// `POST /api/v1/licenses/{id}/renew`: the next term's code.
pub(crate) async fn renew<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
) -> ApiResult<Json<Outcome>> {
    change(app, c, id, &headers, None, AuditAction::Renew, |license_id, _| {
        Ok(Order::Renew { license_id })
    })
    .await
}

/// `POST /api/v1/licenses/{id}/withdraw`: withdraw the pending reduction while allowed.
pub(crate) async fn withdraw<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
) -> ApiResult<Json<Outcome>> {
    change(
        app,
        c,
        id,
        &headers,
        None,
        AuditAction::WithdrawReduction,
        |license_id, _| Ok(Order::WithdrawReduction { license_id }),
    )
    .await
}

/// `POST /api/v1/licenses/{id}/cancel`: cancel a subscription (usable until the answer's day).
pub(crate) async fn cancel<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
) -> ApiResult<Json<Outcome>> {
    change(
        app,
        c,
        id,
        &headers,
        None,
        AuditAction::Cancel,
        |license_id, _| Ok(Order::Cancel { license_id }),
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MaintenanceBody {
    kind: license_issue::MaintenanceKind,
}

/// `POST /api/v1/licenses/{id}/maintenance` with `{"kind": "one-server" | "site"}`: a
/// pack for the license's server (its new code), or for every license of its site (the
/// library's site pack, `{"site": ..., "licenses": [new codes]}`); the step is
/// `ops::maintenance::buy`, which the portal calls too.
pub(crate) async fn maintenance<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let m: MaintenanceBody = parse(&body)?;
    let license_id = license_id(id)?;
    authorize_change(&app, &c, license_id).await?;
    let mut out = crate::ops::maintenance::buy(&app, &c, license_id, m.kind, order_key(&headers)?).await?;
    Ok(match m.kind {
        license_issue::MaintenanceKind::OneServer if out.len() == 1 => Json(out.remove(0)).into_response(),
        _ => {
            let site = site_of_license(&app, license_id).await?;
            Json(json!({"site": site, "licenses": out})).into_response()
        }
    })
}

async fn site_of_license<I: Issuers>(app: &Arc<App<I>>, license_id: u32) -> ApiResult<Option<String>> {
    blocking(app, move |app| {
        Ok(app.issuers.with(|is| is.history(license_id))?.site)
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivateBody {
    #[serde(default)]
    bind: BindTo,
    #[serde(default)]
    unbind: license_issue::Unbind,
}

/// `POST /api/v1/licenses/{id}/activate` with `{"bind": {"database": ...}}` or a
/// fingerprint: the bound code; also a move or a recovery, within the catalog's limit of
/// moves per year (the library's `rehost`).
pub(crate) async fn activate<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Outcome>> {
    let a: ActivateBody = parse(&body)?;
    change(
        app,
        c,
        id,
        &headers,
        None,
        AuditAction::Activate,
        move |license_id, _| {
            Ok(Order::Rehost {
                license_id,
                bind: a.bind,
                unbind: a.unbind,
            })
        },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransferBody {
    to: Customer,
    #[serde(default)]
    bind: BindTo,
    #[serde(default)]
    unbind: license_issue::Unbind,
    /// The company that holds it afterwards.
    #[serde(default)]
    company: Option<i64>,
}

/// `POST /api/v1/licenses/{id}/transfer`: a reseller's order to its end customer (the
/// library's `transfer`); with `company`, that company holds it afterwards.
pub(crate) async fn transfer<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Outcome>> {
    let t: TransferBody = parse(&body)?;
    let license_id = license_id(id)?;
    let out = crate::ops::transfers::transfer(
        &app,
        &c,
        crate::ops::transfers::Transfer {
            license_id,
            to: t.to,
            bind: t.bind,
            unbind: t.unbind,
            company: t.company,
        },
        order_key(&headers)?,
    )
    .await?;
    Ok(Json(out))
}

/// `GET /api/v1/licenses/{id}/file`: the license file (the code in force and the pending
/// ones, blocks separated by blank lines, as the verifiers read a license file).
pub(crate) async fn file<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
) -> ApiResult<Response> {
    let license_id = license_id(id)?;
    let today = (app.today)();
    blocking(&app, move |app| {
        let text = license_file(app, &c, license_id, today)?;
        Ok((
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"license-{license_id}.txt\""),
                ),
            ],
            text,
        )
            .into_response())
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishBody {
    #[serde(default)]
    valid_days: Option<u32>,
}

/// `POST /api/v1/revocations/{product}` with `{"valid_days": N}` (default 30): publish the
/// product's signed revocation list (the library's; its bytes in hex).
pub(crate) async fn publish_revocations<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    product: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let Path(product) =
        product.map_err(|r| ApiError::new(StatusCode::BAD_REQUEST, "bad_path", r.body_text()))?;
    let p: PublishBody = if body.iter().all(u8::is_ascii_whitespace) {
        PublishBody { valid_days: None }
    } else {
        parse(&body)?
    };
    let today = (app.today)();
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    blocking(&app, move |app| {
        let list = crate::ops::revocations::publish(app, &actor, org, &product, today, p.valid_days)?;
        let mut v = serde_json::to_value(&list).map_err(|e| ApiError::internal(e.to_string()))?;
        v["list_hex"] = json!(hex::encode(&list.bytes));
        Ok(Json(v))
    })
    .await
}

/// The body of a revocation (optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Revocation {
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /api/v1/licenses/{id}/revoke` with `{"reason": ...}` or no body.
pub(crate) async fn revoke<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Outcome>> {
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<Revocation>(&body)
            .map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                    format!("the body is not a valid revocation: {e}"),
                )
            })?
            .reason
    };
    if let Some(r) = &reason
        && let Some(why) = names::refused(r)
    {
        return Err(ApiError::field("reason", format!("the reason is refused: {why}")));
    }
    change(
        app,
        c,
        id,
        &headers,
        None,
        AuditAction::Revoke,
        |license_id, _| Ok(Order::Revoke { license_id, reason }),
    )
    .await
}

/// `POST /api/v1/orders`: any order of the library, as data (the vendor's).
pub(crate) async fn order<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Outcome>> {
    let order: Order = parse(&body)?;
    let outcome = place(&app, order_key(&headers)?, order).await?;
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    let id = outcome.license_id();
    blocking(&app, move |app| {
        Ok(app
            .store
            .audit(&actor, org, AuditAction::Order, &format!("license:{id}"))?)
    })
    .await?;
    Ok(Json(outcome))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrialRequest {
    product: String,
    #[serde(default)]
    bind: BindTo,
}

/// `POST /api/v1/trials`: the company's trial of a product, on the catalog's trial terms;
/// one per company and product (a second is refused, `trial_taken`).
pub(crate) async fn trial<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    let t: TrialRequest = parse(&body)?;
    let outcome = crate::ops::licenses::trial(&app, &c, t.product, t.bind).await?;
    Ok((StatusCode::CREATED, Json(outcome)).into_response())
}

/// One code of a license, as `GET /api/v1/licenses/{id}` shows it.
#[derive(Debug, Serialize)]
struct CodeView {
    revision: u32,
    code: String,
    valid_from: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<Date>,
    scope: Scope,
}

fn view(history: &LicenseHistory, catalog: Option<&license_issue::Catalog>, today: Date) -> Value {
    let code = |r: &license_issue::Revision| CodeView {
        revision: r.license.revision,
        code: r.code.clone(),
        valid_from: r.license.valid_from,
        expires: r.license.expires,
        scope: Scope::new(&r.license, catalog),
    };
    let pending: Vec<CodeView> = history
        .revisions
        .iter()
        .filter(|r| r.license.valid_from > today && !r.withdrawn)
        .map(code)
        .collect();
    json!({
        "license_id": history.license_id,
        "product": history.product,
        "licensee": history.licensee,
        "revoked": history.revoked,
        "cancelled_ends": history.cancelled.map(|(_, ends)| ends),
        "current": history.effective_on(today).map(code),
        "pending": pending,
        "history": history.revisions.iter().map(|r| json!({
            "revision": r.license.revision,
            "valid_from": r.license.valid_from,
            "withdrawn": r.withdrawn,
        })).collect::<Vec<_>>(),
    })
}

/// `GET /api/v1/licenses/{id}`: the code in force today, its scope in words, the pending
/// codes and the history.
pub(crate) async fn show<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<u32>, PathRejection>,
) -> ApiResult<Json<Value>> {
    let license_id = license_id(id)?;
    let today = (app.today)();
    blocking(&app, move |app| {
        let (history, catalog) = license_history(app, &c, license_id)?;
        Ok(Json(view(&history, catalog.as_ref(), today)))
    })
    .await
}

/// `GET /api/v1/licenses`: the licenses the caller may see, with the code in force.
pub(crate) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
) -> ApiResult<Json<Value>> {
    let today = (app.today)();
    blocking(&app, move |app| {
        let histories = app.issuers.with(|is| is.histories())?;
        let visible = visible_ids(app, &c)?;
        let catalogs = app.issuers.with(|is| is.catalogs().clone());
        let out: Vec<Value> = histories
            .values()
            .filter(|h| visible.as_ref().is_none_or(|v| v.contains(&h.license_id)))
            .map(|h| view(h, catalogs.get(&h.product).ok(), today))
            .collect();
        Ok(Json(json!({ "licenses": out })))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportQuery {
    month: String,
    #[serde(default)]
    format: Option<String>,
}

/// `GET /api/v1/reports/issued?month=YYYY-MM[&format=csv]`: the library's issued report
/// (CSV cells neutralized by the library).
pub(crate) async fn issued<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| ApiError::field("month", e.body_text()))?;
    let month = license_issue::Month::parse(&q.month).map_err(|e| ApiError::field("month", e.to_string()))?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::field("format", "format is json or csv")),
    };
    blocking(&app, move |app| {
        let report = reports::issued(app, month)?;
        Ok(if csv {
            (
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
                report.to_csv()?,
            )
                .into_response()
        } else {
            Json(report).into_response()
        })
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    #[serde(default)]
    day: Option<String>,
    #[serde(default)]
    month: Option<String>,
    #[serde(default)]
    reseller: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

/// Which report of the library a route reads.
#[derive(Clone, Copy)]
enum Report {
    Active,
    ProRata,
    Notices,
    Renewals,
}

fn rows_reply<R: license_issue::ReportRow + Serialize>(rows: &[R], csv: bool) -> ApiResult<Response> {
    Ok(if csv {
        (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            license_issue::to_csv(rows)?,
        )
            .into_response()
    } else {
        Json(json!({ "rows": rows })).into_response()
    })
}

async fn list_report<I: Issuers>(
    app: Arc<App<I>>,
    q: Result<Query<ListQuery>, QueryRejection>,
    which: Report,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| ApiError::field("query", e.body_text()))?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::field("format", "format is json or csv")),
    };
    let today = (app.today)();
    let day = match &q.day {
        Some(d) => Date::parse(d).map_err(|e| ApiError::field("day", e.to_string()))?,
        None => today,
    };
    let month = match &q.month {
        Some(m) => Some(license_issue::Month::parse(m).map_err(|e| ApiError::field("month", e.to_string()))?),
        None => None,
    };
    if let Some(r) = &q.reseller
        && let Some(why) = names::refused(r)
    {
        return Err(ApiError::field("reseller", format!("reseller is refused: {why}")));
    }
    blocking(&app, move |app| match which {
        Report::Active => rows_reply(&reports::active(app, day)?, csv),
        Report::Notices => rows_reply(&reports::notices(app, today)?, csv),
        Report::Renewals => rows_reply(&reports::renewals(app, today)?, csv),
        Report::ProRata => {
            let month = month.ok_or_else(|| ApiError::field("month", "give the month, YYYY-MM"))?;
            let report = reports::pro_rata(app, month, q.reseller.as_deref())?;
            Ok(if csv {
                (
                    [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
                    report.to_csv()?,
                )
                    .into_response()
            } else {
                Json(report).into_response()
            })
        }
    })
    .await
}

/// `GET /api/v1/reports/active?day=YYYY-MM-DD[&format=csv]`: subscriptions active on a day.
pub(crate) async fn active<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Response> {
    list_report(app, q, Report::Active).await
}

/// `GET /api/v1/reports/pro-rata?month=YYYY-MM[&reseller=R][&format=csv]`.
pub(crate) async fn pro_rata<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Response> {
    list_report(app, q, Report::ProRata).await
}

/// `GET /api/v1/reports/notices[?format=csv]`: renewal notices due today.
pub(crate) async fn notices<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Response> {
    list_report(app, q, Report::Notices).await
}

/// `GET /api/v1/reports/renewals[?format=csv]`: renewals due (cancellation deadline passed)
/// without a code yet.
pub(crate) async fn renewals<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Response> {
    list_report(app, q, Report::Renewals).await
}
