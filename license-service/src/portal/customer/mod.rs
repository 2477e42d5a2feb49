//! The customer's pages (issue 22, part 1): a license's move and recovery, the line
//! upgrade, a maintenance pack for one server or a whole site, cancelling a subscription,
//! and redeeming a ticket. Each handler parses the form, calls the step the JSON API calls
//! (`crate::ops`, the library's orders and previews) and renders a page; after a change it
//! redirects to the license page, which shows the new code at once.

mod cancel;
mod line;
mod maintenance;
mod moves;
mod redeem;

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use license_issue::{Catalog, LicenseHistory};

use super::change::authorized;
use super::i18n::Lang;
use super::page::{Chrome, Form, error_page, error_text, reason};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::api::route::{Route, r};
use crate::error::ApiError;
use crate::issuers::Issuers;
use crate::ops::licenses as lic;

/// The customer's routes.
pub fn routes<I: Issuers>() -> Vec<Route<I>> {
    use axum::http::Method;
    use axum::routing::{get, post};
    vec![
        r(
            Method::GET,
            "/portal/licenses/{id}/move",
            "page: move or recover a license (the moves left shown)",
            get(moves::form::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/{id}/move",
            "page: move or recover a license",
            post(moves::submit::<I>),
        ),
        r(
            Method::GET,
            "/portal/licenses/{id}/line",
            "page: the line upgrade",
            get(line::form::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/{id}/line",
            "page: order the line upgrade",
            post(line::submit::<I>),
        ),
        r(
            Method::GET,
            "/portal/licenses/{id}/maintenance",
            "page: a maintenance pack for this server or its site",
            get(maintenance::form::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/{id}/maintenance",
            "page: a maintenance pack, the licenses covered and the new end shown first",
            post(maintenance::submit::<I>),
        ),
        r(
            Method::GET,
            "/portal/licenses/{id}/cancel",
            "page: cancel a subscription, the last usable day shown first",
            get(cancel::form::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/{id}/cancel",
            "page: cancel a subscription",
            post(cancel::submit::<I>),
        ),
        r(
            Method::GET,
            "/portal/tickets/redeem",
            "page: redeem a ticket",
            get(redeem::form),
        ),
        r(
            Method::POST,
            "/portal/tickets/redeem",
            "page: redeem a ticket for an installation",
            post(redeem::submit::<I>),
        ),
    ]
}

/// A license the caller may change (the number from the path, the caller's right to act
/// on it: the same 404 page as the API's for another organisation's), with its history
/// and catalog; an error page otherwise.
async fn license_for_change<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: &str,
) -> Result<(u32, LicenseHistory, Option<Catalog>), Response> {
    let id = authorized(app, c, headers, id).await?;
    let c2 = c.clone();
    let (h, cat) = blocking(app, move |app| lic::history(app, &c2, id))
        .await
        .map_err(|e| error_page(Chrome::of(c, headers, "/portal/licenses"), &e))?;
    Ok((id, h, cat))
}

/// A form posted to change a license: the license as [`license_for_change`] gives it, the
/// form, and the page's language.
struct Posted {
    id: u32,
    h: LicenseHistory,
    cat: Option<Catalog>,
    f: Form,
    lang: Lang,
}

/// The license and the form posted to change it; the error page when the caller may not
/// change it or the form does not parse.
async fn posted<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: &str,
    body: &Bytes,
) -> Result<Posted, Response> {
    let (id, h, cat) = license_for_change(app, c, headers, id).await?;
    let ch = Chrome::of(c, headers, "/portal/licenses");
    let lang = ch.lang;
    let f = Form::parse(body).map_err(|e| error_page(ch, &e))?;
    Ok(Posted { id, h, cat, f, lang })
}

/// An error shown at a form's field: which field (its label as the page shows it) and
/// why (the service's or the library's message).
fn field_error(lang: Lang, label_key: &str, e: &ApiError) -> String {
    match e.kind {
        "not_found" | "unauthenticated" | "forbidden" => error_text(lang, e),
        _ => lang.f(
            "error.field",
            &[("field", lang.t(label_key)), ("message", &reason(lang, e))],
        ),
    }
}

/// A page's title for license `id`.
fn title(lang: Lang, key: &str, h: &LicenseHistory) -> String {
    lang.f(key, &[("id", &h.license_id.to_string()), ("product", &h.product)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_names_the_field_by_its_label_and_says_why() {
        let e = ApiError::field("database", "moved too often");
        let text = field_error(Lang::En, "customer.move.database", &e);
        assert!(text.contains(Lang::En.t("customer.move.database")), "{text}");
        assert!(text.contains("moved too often"), "{text}");
        let de = field_error(Lang::De, "customer.move.database", &e);
        assert!(de.contains(Lang::De.t("customer.move.database")), "{de}");
        // A refusal is the same page text as everywhere (no field).
        let nf = field_error(
            Lang::En,
            "customer.move.database",
            &ApiError::not_found("license"),
        );
        assert_eq!(nf, error_text(Lang::En, &ApiError::not_found("license")));
    }
}
