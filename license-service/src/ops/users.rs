//! An organisation's users, shared by the JSON API (`GET`/`POST /api/v1/users`) and the
//! portal's users page: the users of the caller's organisation, and adding one with rights
//! never beyond the administrator's own (`Rights::may_grant`: a reseller user's frame inside
//! the reseller's, by the library's `Frame::narrows`), mailed a single-use token to set its
//! password.

use std::sync::Arc;

use axum::http::StatusCode;

use super::accounts::{check_email, invite};
use super::licenses::reseller_frame;
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::auth::{password, secret, totp};
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::rights::{OrgKind, Rights};
use crate::store::User;
use crate::store::audit::AuditAction;

/// A user to add.
pub struct NewUser {
    /// Its address.
    pub email: String,
    /// Administrator of the organisation.
    pub admin: bool,
    /// The rights granted (none for an administrator).
    pub rights: Rights,
}

/// The caller's organisation (unauthenticated without one).
pub fn org_of(c: &Caller) -> ApiResult<(i64, OrgKind)> {
    c.org().ok_or_else(ApiError::unauthenticated)
}

/// The rights the caller holds, the most it may grant (a reseller administrator: the
/// reseller's whole frame, tickets and reports).
pub fn own_rights<I: Issuers>(app: &App<I>, c: &Caller) -> ApiResult<Rights> {
    let (org, _) = org_of(c)?;
    Ok(c.rights(reseller_frame(app, org)?))
}

/// The users of the caller's organisation.
pub async fn list<I: Issuers>(app: &Arc<App<I>>, c: &Caller) -> ApiResult<Vec<User>> {
    let (org, _) = org_of(c)?;
    blocking(app, move |app| Ok(app.store.users_of(org)?)).await
}

/// Add a user to the caller's organisation with rights at most its own (refused naming
/// the limit: `403 beyond_own_rights`); it gets a mailed token to set its password, a
/// vendor user also a TOTP secret (returned: shown once). Returns its id and that secret
/// ("" for others).
pub async fn add<I: Issuers>(app: &Arc<App<I>>, c: &Caller, n: NewUser) -> ApiResult<(i64, String)> {
    let (org, kind) = org_of(c)?;
    check_email(&n.email)?;
    let actor = c.actor_name();
    let c = c.clone();
    blocking(app, move |app| {
        let own = c.rights(reseller_frame(app, org)?);
        if !n.admin {
            own.may_grant(kind, &n.rights)
                .map_err(|e| ApiError::new(StatusCode::FORBIDDEN, "beyond_own_rights", e.to_string()))?;
        } else if n.rights != Rights::default() {
            return Err(ApiError::field(
                "rights",
                "an administrator holds all of its organisation's rights; give none",
            ));
        }
        let totp_secret = if kind == OrgKind::Vendor {
            totp::new_secret()?
        } else {
            String::new()
        };
        let unusable = password::hash(&secret::token("")?)?;
        let id = app
            .store
            .create_user(org, &n.email, &unusable, n.admin, &totp_secret, &n.rights)?
            .ok_or_else(|| ApiError::new(StatusCode::CONFLICT, "duplicate", "that address has an account"))?;
        invite(app, c.user(), id, &n.email)?;
        app.store
            .audit(&actor, org, AuditAction::AddUser, &format!("user:{id}"))?;
        Ok((id, totp_secret))
    })
    .await
}
