//! A list page's query (`q`, `page`), its slice of rows, and the links to the pages
//! before and after (`PAGE_SIZE` rows a page).

use serde::Deserialize;

use super::super::i18n::Lang;
use super::super::respond::PAGE_SIZE;

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

/// One page of a list.
pub struct Paged<T> {
    /// The rows of this page.
    pub rows: Vec<T>,
    /// "Page 1 of 3".
    pub page: String,
    /// The link to the page before ("" on the first).
    pub prev: String,
    /// The link to the page after ("" on the last).
    pub next: String,
}

/// The search as given (at most 100 characters).
pub fn search(q: &ListQuery) -> String {
    q.q.chars().take(100).collect()
}

/// Whether `text` contains `search`, ignoring case.
pub fn matches(text: &str, search: &str) -> bool {
    search.is_empty() || text.to_lowercase().contains(&search.trim().to_lowercase())
}

fn url(base: &str, q: &str, page: i64) -> String {
    let mut s = format!("{base}?");
    if !q.is_empty() {
        s.push_str(&serde_urlencoded::to_string([("q", q)]).unwrap_or_default());
        s.push('&');
    }
    s.push_str(&format!("page={page}"));
    s
}

/// The page `q` asks for of `all`, with links under `base`.
pub fn page<T>(lang: Lang, base: &str, q: &ListQuery, all: Vec<T>) -> Paged<T> {
    let size = usize::try_from(PAGE_SIZE).unwrap_or(20);
    let pages = all.len().div_ceil(size).max(1);
    let page = usize::try_from(q.page.unwrap_or(1).max(1))
        .unwrap_or(1)
        .min(pages);
    let search = search(q);
    let rows = all.into_iter().skip((page - 1) * size).take(size).collect();
    Paged {
        rows,
        page: lang.f(
            "licenses.page",
            &[("page", &page.to_string()), ("pages", &pages.to_string())],
        ),
        prev: if page > 1 {
            url(base, &search, page as i64 - 1)
        } else {
            String::new()
        },
        next: if page < pages {
            url(base, &search, page as i64 + 1)
        } else {
            String::new()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_cut_into_pages_with_links_keeping_the_search() {
        let q = ListQuery {
            q: "a b".into(),
            page: Some(2),
        };
        let p = page(Lang::En, "/portal/customers", &q, (0..45).collect::<Vec<_>>());
        assert_eq!(p.rows.first(), Some(&20));
        assert_eq!(p.rows.len(), 20);
        assert_eq!(p.prev, "/portal/customers?q=a+b&page=1");
        assert_eq!(p.next, "/portal/customers?q=a+b&page=3");
        let last = page(
            Lang::En,
            "/x",
            &ListQuery {
                q: String::new(),
                page: Some(9),
            },
            (0..45).collect::<Vec<_>>(),
        );
        assert_eq!((last.rows.len(), last.next.as_str()), (5, ""));
        assert!(matches("Endkunde AG", "endkunde") && !matches("Beta", "acme"));
    }
}
