//! What every page of the portal uses: the chrome around its content (language, user,
//! navigation), rendering a template, the error page, a page with a message, reading a
//! posted form, and redirecting after a change. The portal's pages (`pages.rs` and the
//! folders by audience) import this; it imports none of them.

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::i18n::{LANGS, Lang};
use super::respond::{html, lang_of};
/// A posted request's headers, peer address and body (the API's, one copy).
pub use crate::api::app::body_of;
use crate::api::caller::{Actor, Caller};
use crate::error::{ApiError, ApiResult, Cause};
use crate::rights::OrgKind;

/// What every page shows around its content: the language, the user, the navigation and
/// the language switch.
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// The page's title.
    pub title: String,
    /// A user is logged in.
    pub logged_in: bool,
    /// The user is a customer company's (the trial link).
    pub company: bool,
    /// The user is a reseller's or the vendor's (the new-license link).
    pub creates: bool,
    /// The user is the vendor's (its pages: customers, resellers, reports, ...).
    pub vendor: bool,
    /// The user is a reseller's (its pages: customers, tickets, transfers, statements).
    pub reseller: bool,
    /// The user is its organisation's administrator (the users page).
    pub admin: bool,
    /// The user's address.
    pub email: String,
    /// The session's CSRF token ("" when anonymous).
    pub csrf: String,
    /// This page's path (the language switch comes back to it).
    pub here: String,
    /// (code, name, selected) per language.
    pub langs: Vec<(&'static str, &'static str, bool)>,
}

impl Chrome {
    /// The chrome of a page at `here` in `lang`, nobody logged in.
    pub fn new(lang: Lang, here: &str) -> Chrome {
        Chrome {
            lang,
            title: String::new(),
            logged_in: false,
            company: false,
            creates: false,
            vendor: false,
            reseller: false,
            admin: false,
            email: String::new(),
            csrf: String::new(),
            here: here.to_owned(),
            langs: LANGS
                .iter()
                .map(|l| (l.code(), lang.t(&format!("lang.{}", l.code())), *l == lang))
                .collect(),
        }
    }

    /// The chrome of a page nobody is logged in to.
    pub fn anonymous(lang: Lang, here: &str) -> Chrome {
        Chrome::new(lang, here)
    }

    /// The chrome for `c`.
    pub fn of(c: &Caller, headers: &HeaderMap, here: &str) -> Chrome {
        let user = c.user();
        let mut ch = Chrome::new(lang_of(headers, user), here);
        if let Actor::User { user, csrf, .. } = &c.actor {
            ch.logged_in = true;
            ch.company = user.org_kind == OrgKind::Company;
            ch.creates = user.org_kind != OrgKind::Company;
            ch.vendor = user.org_kind == OrgKind::Vendor;
            ch.reseller = user.org_kind == OrgKind::Reseller;
            ch.admin = user.admin;
            ch.email = user.email.clone();
            ch.csrf = csrf.clone();
        }
        ch
    }

    /// The same with the page's title.
    pub fn titled(mut self, title: String) -> Chrome {
        self.title = title;
        self
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    kind: String,
    text: String,
}

#[derive(Template)]
#[template(path = "message.html")]
/// A page with a title, a text and a link.
pub struct MessagePage {
    /// The chrome.
    pub c: Chrome,
    /// The text.
    pub text: String,
    /// Where the link goes ("" for none).
    pub link: String,
    /// The link's text.
    pub link_text: String,
}

/// A template rendered as the page's answer (a template error is a 500, never a panic).
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => html(status, body),
        Err(e) => ApiError::internal(format!("a page failed to render: {e}")).into_response(),
    }
}

/// A form entry refused by a page, worded from the portal's catalog:
/// `Refusal::of(field)` worded by `.f` with a catalog key and its arguments is a 400
/// naming the field, its message in
/// English for the API and in the reader's language on the page ([`reason`]).
pub struct Refusal(String);

impl Refusal {
    /// A refusal of `field`.
    pub fn of(field: &str) -> Refusal {
        Refusal(field.to_owned())
    }

    /// Worded as `key` with `args`.
    pub fn f(self, key: &str, args: &[(&str, &str)]) -> ApiError {
        ApiError {
            cause: Some(Cause::Worded {
                key: key.to_owned(),
                args: args
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            }),
            ..ApiError::field(&self.0, Lang::En.f(key, args))
        }
    }
}

/// Why `e` refused, in `lang`: a page's own refusal from the catalog, the library's in
/// German from `error_texts` where it words it, else the message as written.
pub fn reason(lang: Lang, e: &ApiError) -> String {
    match &e.cause {
        Some(Cause::Worded { key, args }) => {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            lang.f(key, &args)
        }
        _ => super::error_texts::text(lang, e).unwrap_or_else(|| e.message.clone()),
    }
}

/// The text of an error in the page's language.
pub fn error_text(lang: Lang, e: &ApiError) -> String {
    if let Some(text) = super::error_texts::text(lang, e) {
        return text;
    }
    let message = reason(lang, e);
    match (e.kind, &e.field) {
        ("not_found", _) => lang.t("error.not_found").to_owned(),
        ("unauthenticated", _) => lang.t("error.unauthenticated").to_owned(),
        ("forbidden", _) => lang.t("error.forbidden").to_owned(),
        ("bad_credentials", _) => lang.t("login.failed").to_owned(),
        ("unconfirmed", _) => lang.t("login.unconfirmed").to_owned(),
        ("throttled", _) => lang.t("login.throttled").to_owned(),
        (_, Some(field)) => lang.f("error.field", &[("field", field), ("message", &message)]),
        _ => lang.f("error.other", &[("message", &message)]),
    }
}

/// The error page: the same for a license that does not exist and one the user may not
/// see (both are `not_found` before this).
pub fn error_page(c: Chrome, e: &ApiError) -> Response {
    let text = error_text(c.lang, e);
    let c = c.titled(c_title(e));
    render(
        e.status,
        &ErrorPage {
            c,
            kind: e.kind.to_owned(),
            text,
        },
    )
}

/// An error page's title: its status code.
pub fn c_title(e: &ApiError) -> String {
    e.status.as_u16().to_string()
}

/// `303 See Other` to `to`: after a change, so a reload never repeats it.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A urlencoded form's fields, in order (a field may repeat).
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// Parse a urlencoded body.
    pub fn parse(body: &Bytes) -> ApiResult<Form> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .map(Form)
            .map_err(|_| Refusal::of("form").f("form.invalid", &[]))
    }

    /// The first value of `name` ("" when absent).
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// A page with a title, a text and a link.
pub fn message(
    ch: Chrome,
    status: StatusCode,
    title: &str,
    text: &str,
    link: &str,
    link_text: &str,
) -> Response {
    render(
        status,
        &MessagePage {
            c: ch.titled(title.to_owned()),
            text: text.to_owned(),
            link: link.to_owned(),
            link_text: link_text.to_owned(),
        },
    )
}

/// A license id from the path (anything else is the same 404 as an unknown license).
pub fn parse_id(id: &str) -> ApiResult<u32> {
    id.parse::<u32>().map_err(|_| ApiError::not_found("license"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use license_issue::{Error, OrderError};

    #[test]
    fn a_pages_own_refusal_is_english_for_the_api_and_in_the_readers_language_on_the_page() {
        let e = Refusal::of("lines").f(
            "vendor.refuse.no_line",
            &[("line", "gold"), ("product", "demo-erp")],
        );
        assert_eq!(
            (e.status, e.field.as_deref()),
            (StatusCode::BAD_REQUEST, Some("lines"))
        );
        assert_eq!(e.message, "\"gold\" is no line of demo-erp.");
        assert_eq!(reason(Lang::De, &e), "„gold“ ist keine Linie von demo-erp.");
        let de = error_text(Lang::De, &e);
        assert!(
            de.starts_with("Bitte korrigieren Sie das Feld") && de.contains("„gold“ ist keine Linie"),
            "{de}"
        );
        assert!(error_text(Lang::En, &e).contains("\"gold\" is no line of demo-erp."));
        let form = Form::parse(&Bytes::from_static(b"a=%ZZ&&=")).err();
        if let Some(e) = form {
            assert!(reason(Lang::De, &e).contains("Formular"), "{e:?}");
        }
    }

    #[test]
    fn a_refusal_of_the_library_is_worded_in_the_pages_language() {
        let e = ApiError::from(Error::Order(OrderError::Cancelled {
            license_id: 7,
            ends: license_core::Date::from_ymd(2027, 1, 31).unwrap(),
        }));
        let de = error_text(Lang::De, &e);
        assert!(de.contains("gekündigt") && de.contains("31.01.2027"), "{de}");
        let en = error_text(Lang::En, &e);
        assert!(en.contains("was cancelled and ends on 2027-01-31"), "{en}");
    }
}
