//! One route of the service: method, path template, a summary, and its handler; the
//! table of them is `api::routes` (the API's and the portal's).

use std::sync::Arc;

use axum::http::Method;
use axum::routing::MethodRouter;

use super::app::App;

/// One route: method, path template, handler.
pub struct Route<I> {
    /// The method.
    pub method: Method,
    /// The path template (`/api/v1/licenses/{id}`).
    pub path: &'static str,
    /// What it does, in a few words (the OpenAPI summary).
    pub summary: &'static str,
    pub(crate) handler: MethodRouter<Arc<App<I>>>,
}

impl<I> Route<I> {
    /// `METHOD /path`, as the permission matrix names it.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

pub(crate) fn r<I>(
    method: Method,
    path: &'static str,
    summary: &'static str,
    handler: MethodRouter<Arc<App<I>>>,
) -> Route<I> {
    Route {
        method,
        path,
        summary,
        handler,
    }
}
