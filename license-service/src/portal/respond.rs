//! What every page's answer needs: its language (the user's, the switch's cookie, the
//! browser's), the HTML response, the style sheet, and the list's page size.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_guard::web as guard;

use super::i18n::Lang;
use crate::store::User;

/// The portal's style sheet.
pub const CSS: &str = include_str!("../../static/portal.css");
/// The cookie holding the language chosen before login.
pub const LANG_COOKIE: &str = "lk_lang";
/// Licenses per page of the list.
pub const PAGE_SIZE: i64 = 20;

/// The language of a page: the user's, else the switch's cookie, else the browser's.
pub fn lang_of(headers: &HeaderMap, user: Option<&User>) -> Lang {
    if let Some(l) = user.and_then(|u| Lang::parse(&u.language)) {
        return l;
    }
    if let Some(l) = guard::cookie(headers, LANG_COOKIE).and_then(Lang::parse) {
        return l;
    }
    Lang::from_accept(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

/// An HTML answer.
pub fn html(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}
