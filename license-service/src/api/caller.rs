//! Who calls, and what the permission matrix lets it do on this route.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use http_guard::web as guard;

use super::app::{App, CSRF_HEADER, SESSION_COOKIE};
use crate::error::{ApiError, ApiResult};
use crate::permissions::Cell;
use crate::rights::{OrgKind, Rights, Role};
use crate::store::{Owner, TokenInfo, User};

/// The caller's credentials.
#[derive(Clone, Debug)]
pub enum Actor {
    /// No session, no token.
    Anonymous,
    /// A user with a session.
    User {
        /// The user.
        user: User,
        /// The session cookie's value.
        session: String,
        /// The session's CSRF token (the portal's forms carry it).
        csrf: String,
    },
    /// An API token.
    Token {
        /// The token.
        info: TokenInfo,
        /// Its organisation's kind.
        kind: OrgKind,
    },
}

/// The caller and its cell for the route called.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who.
    pub actor: Actor,
    /// The matrix's cell (a token's scope cell is given as `Own`, what it then may do).
    pub cell: Cell,
}

impl Caller {
    /// The caller's organisation and its kind (none when anonymous).
    pub fn org(&self) -> Option<(i64, OrgKind)> {
        match &self.actor {
            Actor::Anonymous => None,
            Actor::User { user, .. } => Some((user.org_id, user.org_kind)),
            Actor::Token { info, kind } => Some((info.org_id, *kind)),
        }
    }

    /// The caller's name for the audit log: `user:<id>`, `token:<id>` or `anonymous`.
    pub fn actor_name(&self) -> String {
        match &self.actor {
            Actor::Anonymous => "anonymous".into(),
            Actor::User { user, .. } => format!("user:{}", user.id),
            Actor::Token { info, .. } => format!("token:{}", info.id),
        }
    }

    /// The user, when a user calls.
    pub fn user(&self) -> Option<&User> {
        match &self.actor {
            Actor::User { user, .. } => Some(user),
            _ => None,
        }
    }

    /// The caller's role (a token acts as its organisation's administrator, inside its
    /// scopes).
    pub fn role(&self) -> Option<Role> {
        match &self.actor {
            Actor::Anonymous => None,
            Actor::User { user, .. } => Some(user.role()),
            Actor::Token { kind, .. } => Some(Role::of(*kind, true)),
        }
    }

    /// Whether the caller may see a license with this owner: the vendor every one, a
    /// company those it holds, a reseller those it made.
    pub fn sees(&self, owner: &Owner) -> bool {
        match self.org() {
            Some((_, OrgKind::Vendor)) => true,
            Some((org, OrgKind::Company)) => owner.company_id == org,
            Some((org, OrgKind::Reseller)) => owner.reseller_id == org,
            None => false,
        }
    }

    /// The license's owner if the caller may see it; 404 otherwise (the same answer as for
    /// a license that does not exist).
    pub fn visible(&self, owner: Option<Owner>) -> ApiResult<Owner> {
        owner
            .filter(|o| self.sees(o))
            .ok_or_else(|| ApiError::not_found("license"))
    }

    /// The rights the caller holds: a user's as granted (an administrator: all of its
    /// organisation's), a token's as its organisation's administrator's.
    pub fn rights(&self, reseller_frame: Option<license_core::Frame>) -> Rights {
        let admin = match &self.actor {
            Actor::Anonymous => return Rights::default(),
            Actor::User { user, .. } if !user.admin => {
                // Never beyond the administrator's: a granted frame that no longer lies
                // inside the reseller's (narrowed since) grants nothing.
                let mut rights = user.rights.clone();
                if user.org_kind == OrgKind::Reseller
                    && let Some(f) = &rights.frame
                    && reseller_frame
                        .as_ref()
                        .is_none_or(|own| crate::rights::frame_inside(f, own).is_err())
                {
                    rights.frame = None;
                }
                return rights;
            }
            _ => true,
        };
        match (admin, self.org().map(|o| o.1)) {
            (true, Some(OrgKind::Company)) => Rights {
                order: true,
                ..Rights::default()
            },
            (true, Some(OrgKind::Reseller)) => match reseller_frame {
                Some(f) => Rights::reseller_admin(f),
                None => Rights::default(),
            },
            _ => Rights::default(),
        }
    }
}

/// Resolve the caller of `route` from its headers and apply the matrix: 401 for an
/// anonymous caller where the cell is `no`, 403 for another; a session's `POST` must carry
/// its CSRF token in `X-CSRF-Token`.
pub fn resolve<I>(app: &App<I>, headers: &HeaderMap, route: &str, post: bool) -> ApiResult<Caller> {
    let sent = post.then(|| {
        headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    });
    resolve_sent(app, headers, route, sent)
}

/// [`resolve`] with the CSRF token a state change sent (`None`: no state change), from the
/// header (the API) or the form's `csrf` field (the portal).
pub fn resolve_sent<I>(
    app: &App<I>,
    headers: &HeaderMap,
    route: &str,
    sent: Option<&str>,
) -> ApiResult<Caller> {
    let actor = if let Some(token) = guard::cookie(headers, SESSION_COOKIE) {
        match app.store.session(token)? {
            Some((user, csrf)) => {
                if let Some(sent) = sent
                    && !guard::same_secret(sent, &csrf)
                {
                    return Err(ApiError::new(
                        axum::http::StatusCode::FORBIDDEN,
                        "csrf",
                        "a session's POST must carry its CSRF token (from the login answer) in X-CSRF-Token, a portal form in its csrf field",
                    ));
                }
                Actor::User {
                    user,
                    session: token.to_owned(),
                    csrf,
                }
            }
            None => Actor::Anonymous,
        }
    } else if let Some(bearer) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        match app.store.token(bearer.trim())? {
            Some((info, kind)) => Actor::Token { info, kind },
            None => return Err(ApiError::unauthenticated()),
        }
    } else {
        Actor::Anonymous
    };
    let cell = match &actor {
        Actor::Anonymous => app.matrix.cell(route, "anonymous"),
        Actor::User { user, .. } => app.matrix.cell(route, user.role().column()),
        Actor::Token { info, .. } => match app.matrix.cell(route, "token") {
            Cell::Scope(s) if s == "any" || info.scopes.contains(&s) => Cell::Own,
            Cell::Scope(s) => {
                return Err(ApiError::forbidden(format!(
                    "this API token lacks the scope `{s}`"
                )));
            }
            _ => Cell::No,
        },
    };
    if cell == Cell::No {
        return Err(match actor {
            Actor::Anonymous => ApiError::unauthenticated(),
            _ => ApiError::forbidden(format!("your role may not call {route}")),
        });
    }
    Ok(Caller { actor, cell })
}
