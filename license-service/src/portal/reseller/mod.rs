//! The reseller's pages (issue 22, part 2) and every organisation's users page: each
//! handler parses the form or query, calls the step the JSON API calls (`crate::ops`),
//! and renders a template (`templates/reseller_*.html`).
//!
//! - `users.rs`: an organisation's users, and inviting one with rights at most the
//!   administrator's own (`ops::users`, as `POST /api/v1/users`);
//! - `customers.rs`: the end customers of a reseller's licenses, paged and searchable;
//! - `tickets.rs`: its ticket pool, and passing tickets on (`ops::tickets`);
//! - `transfers.rs`: single licenses or a whole order to an end customer, named before it
//!   is done (`ops::transfers`, as `POST /api/v1/licenses/{id}/transfer`);
//! - `statements.rs`: the monthly list of what it created and its subscriptions pro rata,
//!   as pages and CSV (`ops::reports::caller_invoice`, as `GET /api/v1/reports/invoice`).

mod customers;
mod statements;
mod tickets;
mod transfers;
mod users;

use axum::http::Method;
use axum::routing::{get, post};

use crate::api::route::{Route, r};
use crate::issuers::Issuers;

/// The routes of these pages.
pub fn routes<I: Issuers>() -> Vec<Route<I>> {
    vec![
        r(
            Method::GET,
            "/portal/users",
            "page: the organisation's users",
            get(users::list::<I>),
        ),
        r(
            Method::POST,
            "/portal/users",
            "page: invite a user with rights at most the administrator's",
            post(users::add::<I>),
        ),
        r(
            Method::GET,
            "/portal/customers",
            "page: a reseller's end customers, paged and searchable",
            get(customers::list::<I>),
        ),
        r(
            Method::GET,
            "/portal/tickets",
            "page: a reseller's ticket pool",
            get(tickets::list::<I>),
        ),
        r(
            Method::POST,
            "/portal/tickets/pass-on",
            "page: pass tickets on to another reseller",
            post(tickets::pass_on::<I>),
        ),
        r(
            Method::GET,
            "/portal/transfers",
            "page: choose licenses or an order to transfer",
            get(transfers::form::<I>),
        ),
        r(
            Method::POST,
            "/portal/transfers",
            "page: review, then transfer to an end customer",
            post(transfers::transfer::<I>),
        ),
        r(
            Method::GET,
            "/portal/statements",
            "page: the month's created licenses and subscriptions pro rata",
            get(statements::page::<I>),
        ),
        r(
            Method::GET,
            "/portal/statements/created.csv",
            "page: the month's created licenses as CSV",
            get(statements::created_csv::<I>),
        ),
        r(
            Method::GET,
            "/portal/statements/pro-rata.csv",
            "page: the month's subscriptions pro rata as CSV",
            get(statements::pro_rata_csv::<I>),
        ),
    ]
}
