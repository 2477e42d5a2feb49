//! The vendor's resellers: the list (the API's `GET /api/v1/resellers`), a reseller's page
//! with its certificates and frames, and, for the vendor's administrator, certifying it
//! for a product with a frame, narrowing the frame and revoking the certificate (the API's
//! steps, `ops::certificates`), each shown on a confirmation page first. The frame form
//! offers the frame's kinds, lines, modules, most named users per license and last day;
//! a narrowing keeps the certified frame's other limits.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_core::{Date, Frame, Kind, KindSet, LineSet, ModuleSet};
use license_issue::Catalog;
use serde::Deserialize;

use super::common::confirm_page;
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::certificates as certs;
use crate::permissions::Cell;
use crate::portal::i18n::Lang;
use crate::portal::page::{Chrome, Form, Refusal, error_page, reason, render, see_other};
use crate::portal::paging::{ListQuery, Pager};
use crate::portal::respond::PAGE_SIZE;
use crate::portal::view::kind_words;
use crate::rights::OrgKind;

#[derive(Template)]
#[template(path = "vendor_resellers.html")]
struct ResellersPage {
    c: Chrome,
    q: String,
    count: String,
    rows: Vec<(i64, String)>,
    pager: Pager,
}

/// `GET /portal/vendor/resellers?q=&page=`.
pub(super) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/vendor/resellers");
    let Query(q) = q.unwrap_or_default();
    let lang = ch.lang;
    let search = q.search();
    let (s, offset) = (search.clone(), q.offset());
    let found = blocking(&app, move |app| {
        Ok(app.store.orgs_page(OrgKind::Reseller, &s, offset, PAGE_SIZE)?)
    })
    .await;
    let (orgs, total) = match found {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let rows = orgs.into_iter().map(|o| (o.id, o.name)).collect();
    let pager = q.pager(lang, "/portal/vendor/resellers", total);
    let title = lang.t("vendor.resellers.title").to_owned();
    render(
        StatusCode::OK,
        &ResellersPage {
            c: ch.titled(title),
            q: search,
            count: lang.f("vendor.resellers.count", &[("count", &total.to_string())]),
            rows,
            pager,
        },
    )
}

/// A certificate as the page lists it.
struct CertRow {
    product: String,
    serial: u32,
    live: bool,
    frame: String,
    revoke_label: String,
}

/// A frame form: certify (any product) or narrow (the certificate's product).
struct FrameForm {
    id: String,
    action: String,
    legend: String,
    products: Vec<(String, String, bool)>,
    product: String,
    kinds: Vec<(&'static str, &'static str, bool)>,
    lines: Vec<(String, bool)>,
    modules: Vec<(String, bool)>,
    named_users: String,
    until: String,
    error: String,
    field: String,
    submit: String,
}

#[derive(Template)]
#[template(path = "vendor_reseller.html")]
struct ResellerPage {
    c: Chrome,
    id: i64,
    notice: String,
    certs: Vec<CertRow>,
    may_certify: bool,
    forms: Vec<FrameForm>,
    revoke_error: String,
}

/// A form posted back with its error: which form, its fields, the error and its field.
#[derive(Default)]
struct Posted {
    form: String,
    fields: Option<Form>,
    error: String,
    field: String,
}

/// The reseller's number from the path (anything else is the same 404 as an unknown one).
fn reseller_id(id: &str) -> ApiResult<i64> {
    id.parse::<i64>().map_err(|_| ApiError::not_found("reseller"))
}

/// A day as typed: `YYYY-MM-DD`, or `DD.MM.YYYY` as German writes it.
fn parse_day(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Ok(d) = Date::parse(t) {
        return Some(d);
    }
    let mut parts = t.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The frame's five fields read from the form (a field that cannot be read is named),
/// set into `base` (a new frame, or the certified one being narrowed).
fn frame_from(f: &Form, cat: &Catalog, base: Frame, today: Date) -> ApiResult<Frame> {
    let mut frame = base;
    let mut kinds = KindSet::EMPTY;
    for k in f.all("kind") {
        let kind = Kind::ALL
            .into_iter()
            .find(|x| x.name() == k)
            .ok_or_else(|| Refusal::of("kinds").f("vendor.refuse.no_kind", &[("kind", &k)]))?;
        kinds = kinds.with(kind);
    }
    if kinds == KindSet::EMPTY {
        return Err(Refusal::of("kinds").f("vendor.refuse.one_kind", &[]));
    }
    let mut lines = LineSet::EMPTY;
    for l in f.all("line") {
        let bit = cat
            .lines()
            .into_iter()
            .find(|(n, _)| *n == l)
            .map(|(_, b)| b)
            .ok_or_else(|| {
                Refusal::of("lines").f(
                    "vendor.refuse.no_line",
                    &[("line", &l), ("product", cat.product())],
                )
            })?;
        lines = lines.with(bit);
    }
    if lines == LineSet::EMPTY {
        return Err(Refusal::of("lines").f("vendor.refuse.one_line", &[]));
    }
    let mut modules = 0u64;
    for m in f.all("module") {
        let bit = cat
            .modules()
            .into_iter()
            .find(|(n, _)| *n == m)
            .map(|(_, b)| b)
            .ok_or_else(|| {
                Refusal::of("modules").f(
                    "vendor.refuse.no_module",
                    &[("module", &m), ("product", cat.product())],
                )
            })?;
        modules |= 1u64 << bit;
    }
    let users = f.get("named_users");
    let named_users = if users.trim().is_empty() {
        None
    } else {
        Some(
            users
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| Refusal::of("named_users").f("vendor.refuse.users", &[]))?,
        )
    };
    let until =
        parse_day(&f.get("until")).ok_or_else(|| Refusal::of("until").f("vendor.refuse.until", &[]))?;
    if until < today {
        return Err(Refusal::of("until").f("vendor.refuse.past", &[]));
    }
    frame.kinds = kinds;
    frame.lines = lines;
    frame.modules = ModuleSet::from_bits(modules);
    frame.named_users = named_users;
    frame.not_after = until
        .checked_add_days(1)
        .ok_or_else(|| Refusal::of("until").f("vendor.refuse.far", &[]))?;
    Ok(frame)
}

/// A frame in words: its kinds, lines, modules by name, most users and last day.
fn frame_words(lang: Lang, frame: &Frame, cat: Option<&Catalog>) -> String {
    let kinds: Vec<&str> = frame.kinds.iter().map(|k| kind_words(lang, k.name())).collect();
    let (lines, modules) = cat.map_or_else(Default::default, |cat| {
        let lines: Vec<&str> = cat
            .lines()
            .into_iter()
            .filter(|(_, b)| frame.lines.contains(*b))
            .map(|(n, _)| n)
            .collect();
        let modules: Vec<&str> = cat
            .modules()
            .into_iter()
            .filter(|(_, b)| frame.modules.contains(*b))
            .map(|(n, _)| n)
            .collect();
        (lines.join(", "), modules.join(", "))
    });
    lang.f(
        "vendor.frame.words",
        &[
            ("kinds", &kinds.join(", ")),
            ("lines", &lines),
            ("modules", if modules.is_empty() { "–" } else { &modules }),
            (
                "users",
                &frame
                    .named_users
                    .map_or_else(|| lang.t("license.unlimited").to_owned(), |n| n.to_string()),
            ),
            ("last", &lang.date(frame.not_after.saturating_add_days(-1))),
        ],
    )
}

/// The label of a frame form's field (an error names the field by it).
fn field_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "kinds" => lang.t("vendor.frame.kinds"),
        "lines" => lang.t("vendor.frame.lines"),
        "modules" => lang.t("vendor.frame.modules"),
        "named_users" => lang.t("vendor.frame.users"),
        "until" => lang.t("vendor.frame.until"),
        _ => lang.t("trial.product"),
    }
}

/// An error as a form shows it: the field by its label and why.
fn form_error(lang: Lang, e: &ApiError) -> String {
    match &e.field {
        Some(field) => lang.f(
            "vendor.error",
            &[("field", field_label(lang, field)), ("message", &reason(lang, e))],
        ),
        None => crate::portal::page::error_text(lang, e),
    }
}

/// A frame form filled from `frame` (or, when posted back, from the posted fields).
fn frame_form(
    lang: Lang,
    id: String,
    action: String,
    cat: &Catalog,
    frame: Option<&Frame>,
    posted: Option<&Posted>,
) -> FrameForm {
    let f = posted.and_then(|p| p.fields.as_ref());
    let (kinds, lines, modules, users, until) = match (f, frame) {
        (Some(f), _) => (
            f.all("kind"),
            f.all("line"),
            f.all("module"),
            f.get("named_users"),
            f.get("until"),
        ),
        (None, Some(fr)) => (
            fr.kinds.iter().map(|k| k.name().to_owned()).collect(),
            cat.lines()
                .into_iter()
                .filter(|(_, b)| fr.lines.contains(*b))
                .map(|(n, _)| n.to_owned())
                .collect(),
            cat.modules()
                .into_iter()
                .filter(|(_, b)| fr.modules.contains(*b))
                .map(|(n, _)| n.to_owned())
                .collect(),
            fr.named_users.map(|n| n.to_string()).unwrap_or_default(),
            lang.date(fr.not_after.saturating_add_days(-1)),
        ),
        (None, None) => Default::default(),
    };
    FrameForm {
        legend: String::new(),
        products: Vec::new(),
        product: cat.product().to_owned(),
        kinds: Kind::ALL
            .into_iter()
            .map(|k| {
                (
                    k.name(),
                    kind_words(lang, k.name()),
                    kinds.iter().any(|x| x == k.name()),
                )
            })
            .collect(),
        lines: cat
            .lines()
            .into_iter()
            .map(|(n, _)| (n.to_owned(), lines.iter().any(|x| x == n)))
            .collect(),
        modules: cat
            .modules()
            .into_iter()
            .map(|(n, _)| (n.to_owned(), modules.iter().any(|x| x == n)))
            .collect(),
        named_users: users,
        until,
        error: posted.map(|p| p.error.clone()).unwrap_or_default(),
        field: posted.map(|p| p.field.clone()).unwrap_or_default(),
        submit: String::new(),
        id,
        action,
    }
}

/// Whether the caller's role may certify (the matrix's cell of the certify page).
fn may_certify<I: Issuers>(app: &App<I>, c: &Caller) -> bool {
    c.role().is_some_and(|role| {
        app.matrix
            .cell("POST /portal/vendor/resellers/{id}/certify", role.column())
            != Cell::No
    })
}

async fn reseller_page<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: i64,
    notice: String,
    posted: Posted,
    status: StatusCode,
) -> Response {
    let here = format!("/portal/vendor/resellers/{id}");
    let ch = Chrome::of(c, headers, &here);
    let lang = ch.lang;
    let c2 = c.clone();
    let loaded = blocking(app, move |app| {
        let org = certs::reseller(app, id)?;
        let rows = app.store.certificates(org.id)?;
        let catalogs: Vec<Catalog> = app.issuers.with(|is| is.catalogs().iter().cloned().collect());
        Ok((org, rows, catalogs, may_certify(app, &c2)))
    })
    .await;
    let (org, rows, catalogs, may) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let cat_of = |p: &str| catalogs.iter().find(|c| c.product() == p);
    let mut certs_rows = Vec::new();
    let mut forms = Vec::new();
    let mut revoke_error = String::new();
    if may && let Some(first) = catalogs.first() {
        let chosen = posted
            .fields
            .as_ref()
            .filter(|_| posted.form == "certify")
            .map(|f| f.get("product"))
            .unwrap_or_default();
        let cat = cat_of(&chosen).unwrap_or(first);
        let mut form = frame_form(
            lang,
            "certify".into(),
            format!("{here}/certify"),
            cat,
            None,
            Some(&posted).filter(|p| p.form == "certify"),
        );
        form.legend = lang.t("vendor.certify.legend").to_owned();
        form.submit = lang.t("vendor.certify.submit").to_owned();
        form.products = catalogs
            .iter()
            .map(|c| {
                let p = c.product().to_owned();
                let on = p == cat.product();
                (p, c.name().unwrap_or(c.product()).to_owned(), on)
            })
            .collect();
        forms.push(form);
    }
    for row in &rows {
        let frame: Option<Frame> = serde_json::from_str(&row.frame).ok();
        let cat = cat_of(&row.product);
        let live = row.revoked_ms == 0;
        certs_rows.push(CertRow {
            product: row.product.clone(),
            revoke_label: lang.f("vendor.revoke.submit", &[("product", &row.product)]),
            serial: row.serial,
            live,
            frame: frame
                .as_ref()
                .map(|f| frame_words(lang, f, cat))
                .unwrap_or_default(),
        });
        if may
            && live
            && let (Some(cat), Some(frame)) = (cat, frame.as_ref())
        {
            let fid = format!("narrow-{}", row.product);
            let mut form = frame_form(
                lang,
                fid.clone(),
                format!("{here}/narrow"),
                cat,
                Some(frame),
                Some(&posted).filter(|p| p.form == fid),
            );
            form.legend = lang.f("vendor.narrow.legend", &[("product", &row.product)]);
            form.submit = lang.t("vendor.narrow.submit").to_owned();
            forms.push(form);
        }
    }
    if posted.form == "revoke" {
        revoke_error = posted.error.clone();
    }
    let title = lang.f("vendor.reseller.title", &[("name", &org.name)]);
    render(
        status,
        &ResellerPage {
            c: ch.titled(title),
            id,
            notice,
            certs: certs_rows,
            may_certify: may,
            forms,
            revoke_error,
        },
    )
}

#[derive(Deserialize, Default)]
pub(super) struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// `GET /portal/vendor/resellers/{id}`.
pub(super) async fn show<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(id): Path<String>,
    q: Result<Query<DoneQuery>, QueryRejection>,
) -> Response {
    let id = match reseller_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(Chrome::of(&c, &headers, "/portal/vendor/resellers"), &e),
    };
    let lang = crate::portal::respond::lang_of(&headers, c.user());
    let notice = match q.unwrap_or_default().done.as_str() {
        "certify" => lang.t("vendor.done.certify"),
        "narrow" => lang.t("vendor.done.narrow"),
        "revoke" => lang.t("vendor.done.revoke"),
        _ => "",
    };
    reseller_page(
        &app,
        &c,
        &headers,
        id,
        notice.to_owned(),
        Posted::default(),
        StatusCode::OK,
    )
    .await
}

/// Before a change on a reseller: its number (the same 404 as the API for another kind of
/// organisation or none) and the form.
async fn posted_form<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: &str,
    body: &Bytes,
) -> Result<(i64, String, Form), Response> {
    let fail = |e: ApiError| error_page(Chrome::of(c, headers, "/portal/vendor/resellers"), &e);
    let id = reseller_id(id).map_err(fail)?;
    let name = blocking(app, move |app| Ok(certs::reseller(app, id)?.name))
        .await
        .map_err(fail)?;
    let f = Form::parse(body).map_err(fail)?;
    Ok((id, name, f))
}

/// The posted form back on the reseller's page with `e`.
async fn back_with<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: i64,
    form: String,
    f: Form,
    e: &ApiError,
) -> Response {
    let lang = crate::portal::respond::lang_of(headers, c.user());
    let posted = Posted {
        form,
        error: form_error(lang, e),
        field: e.field.clone().unwrap_or_default(),
        fields: Some(f),
    };
    reseller_page(app, c, headers, id, String::new(), posted, e.status).await
}

/// `POST /portal/vendor/resellers/{id}/certify` with `product` and the frame's fields:
/// first the frame in words, then with `confirm=yes` the API's certification (the
/// reseller's key created and kept by the service).
pub(super) async fn certify<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (id, name, f) = match posted_form(&app, &c, &headers, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let here = format!("/portal/vendor/resellers/{id}");
    let ch = Chrome::of(&c, &headers, &here);
    let lang = ch.lang;
    let today = (app.today)();
    let product = f.get("product");
    let p2 = product.clone();
    let cat = blocking(&app, move |app| {
        certs::check_product(app, &p2)?;
        Ok(app.issuers.with(|is| is.catalogs().get(&p2).cloned())?)
    })
    .await;
    let frame = cat.and_then(|cat| {
        let base = Frame::new(KindSet::EMPTY, LineSet::EMPTY, ModuleSet::from_bits(0), today);
        Ok((frame_from(&f, &cat, base, today)?, cat))
    });
    let (frame, cat) = match frame {
        Ok(x) => x,
        Err(e) => return back_with(&app, &c, &headers, id, "certify".into(), f, &e).await,
    };
    if f.get("confirm") != "yes" {
        let lines = vec![
            lang.f("vendor.certify.what", &[("name", &name), ("product", &product)]),
            frame_words(lang, &frame, Some(&cat)),
            lang.t("vendor.certify.after").to_owned(),
        ];
        let title = lang.t("vendor.certify.confirm").to_owned();
        return confirm_page(ch, title, lines, format!("{here}/certify"), f.0, here);
    }
    let actor = c.actor_name();
    let p2 = product.clone();
    match blocking(&app, move |app| certs::certify(app, &actor, id, &p2, frame, None)).await {
        Ok(_) => see_other(&format!("{here}?done=certify")),
        Err(e) => back_with(&app, &c, &headers, id, "certify".into(), f, &e).await,
    }
}

/// `POST /portal/vendor/resellers/{id}/narrow` with `product` and the frame's fields: the
/// certified frame with them, checked to lie inside it (a wider one is refused naming the
/// limit), shown, then with `confirm=yes` the API's narrowing.
pub(super) async fn narrow<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (id, name, f) = match posted_form(&app, &c, &headers, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let here = format!("/portal/vendor/resellers/{id}");
    let ch = Chrome::of(&c, &headers, &here);
    let lang = ch.lang;
    let today = (app.today)();
    let product = f.get("product");
    let form_id = format!("narrow-{product}");
    let (p2, f2) = (product.clone(), Form(f.0.clone()));
    let checked = blocking(&app, move |app| {
        let live = certs::live_frame(app, id, &p2)?;
        let cat = app.issuers.with(|is| is.catalogs().get(&p2).cloned())?;
        let wanted = frame_from(&f2, &cat, live, today)?;
        Ok((certs::narrowed_frame(app, id, &p2, wanted)?, cat))
    })
    .await;
    let (frame, cat) = match checked {
        Ok(x) => x,
        Err(e) if e.kind == "not_found" => return error_page(ch, &e),
        Err(e) => return back_with(&app, &c, &headers, id, form_id, f, &e).await,
    };
    if f.get("confirm") != "yes" {
        let lines = vec![
            lang.f("vendor.narrow.what", &[("name", &name), ("product", &product)]),
            frame_words(lang, &frame, Some(&cat)),
            lang.t("vendor.narrow.after").to_owned(),
        ];
        let title = lang.t("vendor.narrow.confirm").to_owned();
        return confirm_page(ch, title, lines, format!("{here}/narrow"), f.0, here);
    }
    let actor = c.actor_name();
    let p2 = product.clone();
    match blocking(&app, move |app| certs::narrow(app, &actor, id, &p2, frame)).await {
        Ok(_) => see_other(&format!("{here}?done=narrow")),
        Err(e) => back_with(&app, &c, &headers, id, form_id, f, &e).await,
    }
}

/// `POST /portal/vendor/resellers/{id}/revoke` with `product`: first what revoking means,
/// then with `confirm=yes` the API's revocation.
pub(super) async fn revoke<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (id, name, f) = match posted_form(&app, &c, &headers, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let here = format!("/portal/vendor/resellers/{id}");
    let ch = Chrome::of(&c, &headers, &here);
    let lang = ch.lang;
    let product = f.get("product");
    let p2 = product.clone();
    let serial = blocking(&app, move |app| {
        certs::reseller(app, id)?;
        Ok(app.store.certificate(id, &p2)?.map(|row| row.serial))
    })
    .await;
    let serial = match serial {
        Ok(Some(s)) => s,
        Ok(None) => {
            let e = Refusal::of("product").f(
                "vendor.refuse.no_certificate",
                &[("name", &name), ("product", &product)],
            );
            return back_with(&app, &c, &headers, id, "revoke".into(), f, &e).await;
        }
        Err(e) => return error_page(ch, &e),
    };
    if f.get("confirm") != "yes" {
        let lines = vec![
            lang.f(
                "vendor.revoke.what",
                &[
                    ("name", &name),
                    ("product", &product),
                    ("serial", &serial.to_string()),
                ],
            ),
            lang.t("vendor.revoke.after").to_owned(),
        ];
        let title = lang.t("vendor.revoke.confirm").to_owned();
        return confirm_page(ch, title, lines, format!("{here}/revoke"), f.0, here);
    }
    let actor = c.actor_name();
    match blocking(&app, move |app| certs::revoke(app, &actor, id, &product)).await {
        Ok(_) => see_other(&format!("{here}?done=revoke")),
        Err(e) => back_with(&app, &c, &headers, id, "revoke".into(), f, &e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> Catalog {
        let text = include_str!("../../../../license-issue/catalogs/demo-erp.toml");
        Catalog::from_toml(text, std::path::Path::new("test")).unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> Form {
        Form(
            pairs
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn the_frame_form_is_read_into_a_frame_and_a_wrong_field_is_named() {
        let cat = cat();
        let today = Date::from_ymd(2026, 12, 7).unwrap();
        let base = Frame::new(KindSet::EMPTY, LineSet::EMPTY, ModuleSet::from_bits(0), today);
        let (line, _) = cat.lines()[0];
        let (module, bit) = cat.modules()[0];
        let ok = [
            ("kind", "subscription"),
            ("line", line),
            ("module", module),
            ("named_users", "50"),
            ("until", "31.12.2029"),
        ];
        let fr = frame_from(&form(&ok), &cat, base, today).unwrap();
        assert!(fr.kinds.contains(Kind::Subscription) && !fr.kinds.contains(Kind::Full));
        assert!(fr.modules.contains(bit));
        assert_eq!(fr.named_users, Some(50));
        assert_eq!(fr.not_after, Date::from_ymd(2030, 1, 1).unwrap());
        let field = |pairs: Vec<(&str, &str)>| {
            frame_from(&form(&pairs), &cat, base, today)
                .unwrap_err()
                .field
                .unwrap()
        };
        let without = |k: &str| ok.iter().copied().filter(|(n, _)| *n != k).collect::<Vec<_>>();
        let with = |k: &'static str, v: &'static str| {
            ok.iter()
                .map(|(n, x)| if *n == k { (*n, v) } else { (*n, *x) })
                .collect::<Vec<_>>()
        };
        assert_eq!(field(without("kind")), "kinds");
        assert_eq!(field(without("line")), "lines");
        assert_eq!(field(with("module", "nonesuch")), "modules");
        assert_eq!(field(with("named_users", "lots")), "named_users");
        assert_eq!(field(with("named_users", "0")), "named_users");
        assert_eq!(field(with("until", "someday")), "until");
        assert_eq!(field(with("until", "2020-01-01")), "until");
        assert_eq!(parse_day("2030-12-31"), parse_day("31.12.2030"));
        assert!(parse_day("31.12.2030.1").is_none());
    }
}
