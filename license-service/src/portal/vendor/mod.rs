//! The vendor's pages (issue 22, part 3): its customers, its resellers (certify with a
//! frame, narrow, revoke), the revocation lists, GDPR erasure and the audit log. Each
//! handler parses the form or query, calls the step the JSON API calls (`crate::ops`, the
//! store, the library) and renders a template; every change is confirmed on a page saying
//! what it will do before it is done.

mod audit;
mod common;
mod customers;
mod erasure;
mod resellers;
mod revocations;

use crate::api::route::{Route, r};
use crate::issuers::Issuers;

/// The vendor's routes.
pub fn routes<I: Issuers>() -> Vec<Route<I>> {
    use axum::http::Method;
    use axum::routing::{get, post};
    vec![
        r(
            Method::GET,
            "/portal/vendor/customers",
            "page: the customer companies, paged and searchable",
            get(customers::list::<I>),
        ),
        r(
            Method::GET,
            "/portal/vendor/resellers",
            "page: the resellers, paged and searchable",
            get(resellers::list::<I>),
        ),
        r(
            Method::GET,
            "/portal/vendor/resellers/{id}",
            "page: a reseller, its certificates and frames",
            get(resellers::show::<I>),
        ),
        r(
            Method::POST,
            "/portal/vendor/resellers/{id}/certify",
            "page: certify a reseller with a frame (confirmed first)",
            post(resellers::certify::<I>),
        ),
        r(
            Method::POST,
            "/portal/vendor/resellers/{id}/narrow",
            "page: narrow a reseller's frame (confirmed first)",
            post(resellers::narrow::<I>),
        ),
        r(
            Method::POST,
            "/portal/vendor/resellers/{id}/revoke",
            "page: revoke a reseller's certificate (confirmed first)",
            post(resellers::revoke::<I>),
        ),
        r(
            Method::GET,
            "/portal/vendor/revocations",
            "page: publish a product's revocation list",
            get(revocations::form::<I>),
        ),
        r(
            Method::POST,
            "/portal/vendor/revocations",
            "page: the published list's content, or its file",
            post(revocations::publish::<I>),
        ),
        r(
            Method::GET,
            "/portal/vendor/erasure",
            "page: GDPR erasure of a licensee's name",
            get(erasure::form),
        ),
        r(
            Method::POST,
            "/portal/vendor/erasure",
            "page: GDPR erasure (confirmed first)",
            post(erasure::erase::<I>),
        ),
        r(
            Method::GET,
            "/portal/vendor/audit",
            "page: the audit log, paged and filterable",
            get(audit::list::<I>),
        ),
    ]
}
