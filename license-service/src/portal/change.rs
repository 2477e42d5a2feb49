//! What the forms that change a license share, on the license page (`pages.rs`) and on the
//! customer's pages (`customer/`): what their handlers take from the request, the license
//! number and the caller's right to change it before the step, the license page saying what was done after it, and a typed database
//! code read by the product catalog's reader with the group of a typo marked in the code
//! as typed. It imports `page` and none of the pages.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{FromRequestParts, Path};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use license_core::DatabaseCodeError;
use license_issue::{Error, OrderError};

use super::page::{Chrome, error_page, parse_id, see_other};
use crate::api::app::App;
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::ops::licenses as lic;

/// The license number from the path, if the caller may change that license (the same 404
/// page as the API's for another organisation's, or for a number no license has); the
/// error page otherwise.
pub async fn authorized<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: &str,
) -> Result<u32, Response> {
    let fail = |e| error_page(Chrome::of(c, headers, "/portal/licenses"), &e);
    let id = parse_id(id).map_err(fail)?;
    lic::authorize_change(app, c, id).await.map_err(fail)?;
    Ok(id)
}

/// What a handler of a license's page takes from the request: the service, the caller,
/// the request's headers and the license number as the path has it (the extractors the
/// handlers took one by one, in the same order, refusing as they do).
pub struct OnLicense<I: Issuers> {
    /// The service.
    pub app: Arc<App<I>>,
    /// The caller.
    pub c: Caller,
    /// The request's headers (the language, the session).
    pub headers: HeaderMap,
    /// The license number as the path has it (read by [`authorized`]).
    pub id: String,
}

impl<I: Issuers> FromRequestParts<Arc<App<I>>> for OnLicense<I> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App<I>>) -> Result<Self, Response> {
        let Extension(c) = Extension::<Caller>::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(id) = Path::<String>::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(OnLicense {
            app: Arc::clone(app),
            c,
            headers: parts.headers.clone(),
            id,
        })
    }
}

/// After a change: `303` to the license page saying what was done (`?done=what`), so a
/// reload never repeats it.
pub fn done(id: u32, what: &str) -> Response {
    see_other(&format!("/portal/licenses/{id}?done={what}"))
}

/// The typed database code as the catalog of license `id`'s product reads it (the
/// library's reader, the one the verifier uses): the outer error when the license or its
/// catalog cannot be read, the inner one when the code is refused.
pub fn read_database_code<I: Issuers>(
    app: &App<I>,
    id: u32,
    typed: &str,
) -> Result<Result<String, Error>, Error> {
    app.issuers.with(|is| {
        let h = is.history(id)?;
        Ok(is.catalogs().get(&h.product)?.database_code(typed))
    })
}

/// The group (from 1, counted after `DB-`) the reader located a mistake in: a typo or a
/// character that is not in the code's alphabet.
pub fn bad_group(e: &DatabaseCodeError) -> Option<usize> {
    match e {
        DatabaseCodeError::Typo { group } | DatabaseCodeError::InvalidCharacter { group, .. } => Some(*group),
        _ => None,
    }
}

/// A refused code's groups as typed, the located one marked; none when the refusal is
/// not about the code's text.
pub fn typed_groups(typed: &str, e: &Error) -> Vec<(String, bool)> {
    match e {
        Error::Order(OrderError::InvalidDatabaseCode { error, .. }) => {
            code_groups(typed, bad_group(error).unwrap_or(0))
        }
        _ => Vec::new(),
    }
}

/// The typed code split into its groups after `DB-`, the group `bad` (from 1) marked.
pub fn code_groups(typed: &str, bad: usize) -> Vec<(String, bool)> {
    let t = typed.trim();
    let t = t
        .get(..3)
        .filter(|p| p.eq_ignore_ascii_case("db-"))
        .map_or(t, |_| &t[3..]);
    t.split('-')
        .filter(|g| !g.is_empty())
        .enumerate()
        .map(|(i, g)| (g.to_owned(), i + 1 == bad))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_code_is_split_into_groups_with_the_bad_one_marked() {
        let g = code_groups("db-ABCDE-FGHJK-MNPQR-STVWX", 3);
        assert_eq!(g.len(), 4);
        assert_eq!(g[2], ("MNPQR".to_owned(), true));
        assert!(!g[0].1 && !g[1].1 && !g[3].1);
        assert!(code_groups("ABCDE-FGHJK", 0).iter().all(|(_, b)| !b));
    }

    #[test]
    fn a_refused_code_shows_its_groups_and_another_refusal_none() {
        let typo = Error::Order(OrderError::InvalidDatabaseCode {
            error: DatabaseCodeError::Typo { group: 2 },
            product: "demo-erp".into(),
        });
        let g = typed_groups("DB-ABCDE-FGHJK", &typo);
        assert_eq!(g, vec![("ABCDE".to_owned(), false), ("FGHJK".to_owned(), true)]);
        let other = Error::Order(OrderError::Cancelled {
            license_id: 7,
            ends: license_core::Date::from_ymd(2027, 1, 31).unwrap(),
        });
        assert!(typed_groups("DB-ABCDE-FGHJK", &other).is_empty());
    }
}
