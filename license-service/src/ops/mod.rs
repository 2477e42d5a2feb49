//! What a request does, once parsed: the steps the JSON API (`api`) and the portal's pages
//! (`portal`) share, so that each rule of the service has one copy. Each step calls the
//! library (`license-issue`) for every licensing decision and the store for accounts; the
//! handlers only parse a request and render the answer (JSON or HTML).

pub mod accounts;
pub mod licenses;
pub mod reports;
pub mod resellers;
