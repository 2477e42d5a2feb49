//! The reports' lists a page at a time (`PAGE_SIZE` rows), searchable by a text, with the
//! links to the pages before and after.

use crate::portal::i18n::Lang;
use crate::portal::respond::PAGE_SIZE;

/// A list's page: "page 2 of 5" and the links before and after ("" for none).
pub struct Paging {
    /// "Page n of m", in words.
    pub page: String,
    /// The previous page's URL ("" on the first).
    pub prev: String,
    /// The next page's URL ("" on the last).
    pub next: String,
}

impl Paging {
    /// No list shown (a form's error).
    pub fn none() -> Paging {
        Paging {
            page: String::new(),
            prev: String::new(),
            next: String::new(),
        }
    }
}

/// Page number `page` (from 1; anything else is 1) of `rows`; `url(n)` is page n's URL.
pub fn page_of<T>(
    lang: Lang,
    rows: Vec<T>,
    page: Option<&str>,
    url: impl Fn(i64) -> String,
) -> (Vec<T>, Paging) {
    let total = rows.len() as i64;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page
        .and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let shown = rows
        .into_iter()
        .skip(((page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    (
        shown,
        Paging {
            page: lang.f(
                "licenses.page",
                &[("page", &page.to_string()), ("pages", &pages.to_string())],
            ),
            prev: if page > 1 { url(page - 1) } else { String::new() },
            next: if page < pages {
                url(page + 1)
            } else {
                String::new()
            },
        },
    )
}

/// Whether a row with these texts matches the search `q` (case-insensitive; an empty
/// search matches every row).
pub fn matches(q: &str, texts: &[&str]) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&q))
}

/// A query string of these pairs (empty values left out), after `path?`.
pub fn url(path: &str, pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs.iter().copied().filter(|(_, v)| !v.is_empty()).collect();
    format!("{path}?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_clamp_and_link() {
        let rows: Vec<u32> = (0..45).collect();
        let (shown, p) = page_of(Lang::En, rows.clone(), Some("3"), |n| format!("/x?page={n}"));
        assert_eq!(shown, (40..45).collect::<Vec<_>>());
        assert_eq!((p.prev.as_str(), p.next.as_str()), ("/x?page=2", ""));
        let (shown, p) = page_of(Lang::En, rows, Some("nonsense"), |n| format!("/x?page={n}"));
        assert_eq!(shown.len(), 20);
        assert_eq!((p.prev.as_str(), p.next.as_str()), ("", "/x?page=2"));
        assert!(matches("acme", &["12", "ACME Corp"]));
        assert!(!matches("beta", &["12", "ACME Corp"]));
        assert_eq!(url("/p", &[("month", "2026-11"), ("q", "")]), "/p?month=2026-11");
    }
}
