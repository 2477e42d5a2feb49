//! The vendor's reports in the portal (issue 22, part 3): charts of licenses issued per
//! month by kind and of active subscriptions over the last 12 months, the month's issued
//! codes, the invoice basis per reseller, the pro-rata statement, renewals due and renewal
//! notices. Each page calls the step the JSON API's report route calls
//! (`crate::ops::reports`, the library's report functions) and renders it; the CSV
//! downloads are the library's CSV, as the API gives it.

mod chart;
mod fetch;
mod form;
mod invoice;
mod issued;
mod notices;
mod overview;
mod renewals;
mod words;

use crate::api::route::{Route, r};
use crate::issuers::Issuers;

/// The reports' routes (vendor staff only, by the permission matrix).
pub fn routes<I: Issuers>() -> Vec<Route<I>> {
    use axum::http::Method;
    use axum::routing::get;
    vec![
        r(
            Method::GET,
            "/portal/reports",
            "page: the reports, charts of the last 12 months",
            get(overview::page::<I>),
        ),
        r(
            Method::GET,
            "/portal/reports/issued",
            "page: the codes issued in a month (CSV with format=csv)",
            get(issued::page::<I>),
        ),
        r(
            Method::GET,
            "/portal/reports/invoice",
            "page: the invoice basis per reseller for a month (CSV with format=csv)",
            get(invoice::page::<I>),
        ),
        r(
            Method::GET,
            "/portal/reports/pro-rata",
            "page: the subscriptions of a month pro rata (CSV with format=csv)",
            get(invoice::pro_rata::<I>),
        ),
        r(
            Method::GET,
            "/portal/reports/renewals",
            "page: renewals due (CSV with format=csv)",
            get(renewals::page::<I>),
        ),
        r(
            Method::GET,
            "/portal/reports/notices",
            "page: renewal notices due (CSV with format=csv)",
            get(notices::page::<I>),
        ),
    ]
}
