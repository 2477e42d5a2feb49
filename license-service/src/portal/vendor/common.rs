//! What the vendor's pages share: a list's page links, search matching, and the
//! confirmation page shown before every change.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::portal::i18n::Lang;
use crate::portal::page::{Chrome, render};
use crate::portal::respond::PAGE_SIZE;

/// A list's page links: its text, the previous and next page's URLs ("" for none).
pub(super) struct Pager {
    pub(super) text: String,
    pub(super) prev: String,
    pub(super) next: String,
}

/// Page `page` (from 1) of `items`, `PAGE_SIZE` a page; `url(n)` is page n's address.
pub(super) fn paged<T>(
    items: Vec<T>,
    page: i64,
    lang: Lang,
    url: impl Fn(i64) -> String,
) -> (Vec<T>, Pager, usize) {
    let total = items.len();
    let size = usize::try_from(PAGE_SIZE).unwrap_or(20);
    let pages = i64::try_from(total.div_ceil(size).max(1)).unwrap_or(1);
    let page = page.clamp(1, pages);
    let skip = usize::try_from(page - 1).unwrap_or(0) * size;
    let rows = items.into_iter().skip(skip).take(size).collect();
    let pager = Pager {
        text: lang.f(
            "licenses.page",
            &[("page", &page.to_string()), ("pages", &pages.to_string())],
        ),
        prev: if page > 1 { url(page - 1) } else { String::new() },
        next: if page < pages {
            url(page + 1)
        } else {
            String::new()
        },
    };
    (rows, pager, total)
}

/// `value` encoded for a URL's query.
pub(super) fn enc(value: &str) -> String {
    serde_urlencoded::to_string([("", value)]).unwrap_or_default()[1..].to_owned()
}

/// Whether `text` contains `q`, ignoring case (an empty `q` matches everything).
pub(super) fn matches(text: &str, q: &str) -> bool {
    q.is_empty() || text.to_lowercase().contains(&q.to_lowercase())
}

#[derive(Template)]
#[template(path = "vendor_confirm.html")]
/// The page before a change: what it will do (and keep), the form again with
/// `confirm=yes`, and the way back.
struct ConfirmPage {
    c: Chrome,
    lines: Vec<String>,
    action: String,
    fields: Vec<(String, String)>,
    button: String,
    back: String,
}

/// The confirmation page of a change posted to `action` with `fields`.
pub(super) fn confirm_page(
    ch: Chrome,
    title: String,
    lines: Vec<String>,
    action: String,
    fields: Vec<(String, String)>,
    back: String,
) -> Response {
    let button = ch.lang.t("vendor.confirm.button").to_owned();
    render(
        StatusCode::OK,
        &ConfirmPage {
            c: ch.titled(title),
            lines,
            action,
            fields: fields
                .into_iter()
                .filter(|(k, _)| k != "csrf" && k != "confirm")
                .collect(),
            button,
            back,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_cut_into_pages_with_links_only_where_there_are_more() {
        let (rows, p, total) = paged((1..=45).collect(), 2, Lang::En, |n| format!("/x?page={n}"));
        assert_eq!(total, 45);
        assert_eq!(rows.first(), Some(&21));
        assert_eq!(rows.len(), 20);
        assert_eq!((p.prev.as_str(), p.next.as_str()), ("/x?page=1", "/x?page=3"));
        let (rows, p, _) = paged((1..=45).collect(), 9, Lang::En, |n| format!("/x?page={n}"));
        assert_eq!(rows, vec![41, 42, 43, 44, 45]);
        assert!(p.next.is_empty());
        let (rows, p, _) = paged(Vec::<i32>::new(), 1, Lang::En, |n| format!("{n}"));
        assert!(rows.is_empty() && p.prev.is_empty() && p.next.is_empty());
        assert!(matches("ACME Corp", "acme") && !matches("Beta", "acme") && matches("x", ""));
        assert_eq!(enc("a b&c"), "a+b%26c");
    }
}
