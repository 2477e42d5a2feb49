//! The portal's lists a page at a time (`PAGE_SIZE` rows): the query (`q`, `page`), the
//! search match, a list's slice, "page n of m" and the links to the pages before and after
//! (rendered by `templates/pager.html`). The pages that page in SQL (the license list) use
//! [`pages`] and [`Pager::at`] with their own count.

use serde::Deserialize;

use super::i18n::Lang;
use super::respond::PAGE_SIZE;

/// A list's query: the search and the page (1 = the first).
#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// The search text.
    #[serde(default)]
    pub q: String,
    /// The page.
    #[serde(default)]
    pub page: Option<i64>,
}

impl ListQuery {
    /// The search as given (at most 100 characters).
    pub fn search(&self) -> String {
        self.q.chars().take(100).collect()
    }

    /// The page asked for (1 for none or anything below).
    pub fn page(&self) -> i64 {
        page_or_first(self.page)
    }

    /// The rows before the page asked for, for a list paged in SQL.
    pub fn offset(&self) -> i64 {
        offset_of(self.page())
    }

    /// The links of the page asked for of a list paged in SQL that has `total` rows, under
    /// `base` keeping the search.
    pub fn pager(&self, lang: Lang, base: &str, total: i64) -> Pager {
        let search = self.search();
        Pager::at(lang, self.page(), pages(total), |n| {
            url(base, &[("q", &search), ("page", &n.to_string())])
        })
    }

    /// The page this query asks for of `rows`, with links under `base` keeping the search.
    pub fn page_of<T>(&self, lang: Lang, base: &str, rows: Vec<T>) -> (Vec<T>, Pager) {
        let search = self.search();
        page_of(lang, rows, self.page.unwrap_or(1), |n| {
            url(base, &[("q", &search), ("page", &n.to_string())])
        })
    }
}

/// A list's page: "page 2 of 5" and the links before and after ("" for none).
pub struct Pager {
    /// "Page n of m", in words ("" when no list is shown: no links then).
    pub page: String,
    /// The previous page's URL ("" on the first).
    pub prev: String,
    /// The next page's URL ("" on the last).
    pub next: String,
}

impl Pager {
    /// No list shown (a form's error).
    pub fn none() -> Pager {
        Pager {
            page: String::new(),
            prev: String::new(),
            next: String::new(),
        }
    }

    /// The links of page `page` of `pages` (not clamped: a page past the last, as a list
    /// paged in SQL may show, links back); `url(n)` is page n's URL.
    pub fn at(lang: Lang, page: i64, pages: i64, url: impl Fn(i64) -> String) -> Pager {
        Pager {
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
        }
    }
}

/// A page number as asked for (1 for none or anything below).
pub fn page_or_first(page: Option<i64>) -> i64 {
    page.unwrap_or(1).max(1)
}

/// The rows before page `page` (from 1), for a list paged in SQL.
pub fn offset_of(page: i64) -> i64 {
    (page - 1).saturating_mul(PAGE_SIZE)
}

/// How many pages `total` rows fill (at least 1).
pub fn pages(total: i64) -> i64 {
    ((total.max(0) + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
}

/// Page number `page` (from 1; anything below is 1, beyond the last is the last) of `rows`;
/// `url(n)` is page n's URL.
pub fn page_of<T>(lang: Lang, rows: Vec<T>, page: i64, url: impl Fn(i64) -> String) -> (Vec<T>, Pager) {
    let pages = pages(i64::try_from(rows.len()).unwrap_or(i64::MAX));
    let page = page.clamp(1, pages);
    let pager = Pager::at(lang, page, pages, url);
    let size = usize::try_from(PAGE_SIZE).unwrap_or(20);
    let skip = usize::try_from(page - 1).unwrap_or(0) * size;
    (rows.into_iter().skip(skip).take(size).collect(), pager)
}

/// A page number as typed in a query (anything but a number is 1).
pub fn page_number(page: Option<&str>) -> i64 {
    page.and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1)
}

/// Whether a row with these texts matches the search `q` (case-insensitive, `q` trimmed; an
/// empty search matches every row).
pub fn matches(q: &str, texts: &[&str]) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&q))
}

/// `path?` and a query string of these pairs, urlencoded (empty values left out).
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
        let link = |n: i64| url("/x", &[("q", "a b&c"), ("page", &n.to_string())]);
        let (shown, p) = page_of(Lang::En, rows.clone(), 2, link);
        assert_eq!(shown.first(), Some(&20));
        assert_eq!(shown.len(), 20);
        assert_eq!(p.prev, "/x?q=a+b%26c&page=1");
        assert_eq!(p.next, "/x?q=a+b%26c&page=3");
        let (shown, p) = page_of(Lang::En, rows.clone(), 9, |n| format!("/x?page={n}"));
        assert_eq!(shown, (40..45).collect::<Vec<_>>());
        assert_eq!((p.prev.as_str(), p.next.as_str()), ("/x?page=2", ""));
        let (shown, p) = page_of(Lang::En, rows, page_number(Some("nonsense")), |n| {
            format!("/x?page={n}")
        });
        assert_eq!(shown.len(), 20);
        assert_eq!((p.prev.as_str(), p.next.as_str()), ("", "/x?page=2"));
        let (shown, p) = page_of(Lang::En, Vec::<i32>::new(), -3, |n| format!("{n}"));
        assert!(shown.is_empty() && p.prev.is_empty() && p.next.is_empty());
        assert!(!p.page.is_empty() && Pager::none().page.is_empty());
    }

    #[test]
    fn the_search_ignores_case_and_surrounding_blanks() {
        assert!(matches("acme", &["12", "ACME Corp"]));
        assert!(matches(" endkunde ", &["Endkunde AG"]));
        assert!(!matches("beta", &["12", "ACME Corp"]));
        assert!(matches("  ", &["x"]) && matches("", &[]));
        assert_eq!(url("/p", &[("month", "2026-11"), ("q", "")]), "/p?month=2026-11");
        let q = ListQuery {
            q: "x".repeat(150),
            page: None,
        };
        assert_eq!(q.search().len(), 100);
    }
}
