//! Account steps shared by the JSON API and the portal: registration, address
//! confirmation, login (throttled, TOTP for the vendor's roles, a fresh session each time),
//! logout, and the password reset (asking for the mailed link, setting the new password).

use std::sync::Arc;

use axum::http::StatusCode;
use license_notify::Language;

use crate::api::app::{App, blocking};
use crate::auth::{password, totp};
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::mail::{Message, MessageKind};
use crate::names;
use crate::notify::language_of;
use crate::rights::{OrgKind, Rights};
use crate::store::audit::AuditAction;
use crate::store::{THROTTLE_FAILURES, THROTTLE_FAILURES_PER_ADDRESS, User, normalize_email};

/// A name people typed, refused when empty, invisible or carrying bidirectional controls
/// (a 400 naming `field`).
pub fn check_name(field: &str, name: &str) -> ApiResult<()> {
    match names::refused(name) {
        Some(why) => Err(ApiError::field(field, format!("{field} is refused: {why}"))),
        None => Ok(()),
    }
}

/// An e-mail address (a 400 naming `email`).
pub fn check_email(email: &str) -> ApiResult<()> {
    let e = email.trim();
    let ok = e.len() <= 254
        && !e.chars().any(|c| c.is_control() || c.is_whitespace())
        && e.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::field(
            "email",
            "email must be an address like name@example.com",
        ))
    }
}

/// A new password (a 400 naming `password` when it is weak).
pub fn check_password(p: &str) -> ApiResult<()> {
    match password::weak(p) {
        Some(why) => Err(ApiError::field("password", why)),
        None => Ok(()),
    }
}

/// Queue a message to the account at `to`, in the language stored with that account
/// (English if it has none). One that cannot be queued is not an error of the request (the
/// user can ask again); nothing about it is logged, since it may carry a token.
pub fn queue(app: &App<impl Issuers>, to: &str, what: MessageKind) {
    let stored = app.store.user_by_email(to).ok().flatten().map(|u| u.language);
    let _ = app.mailer.queue(Message {
        to: to.to_owned(),
        what,
        language: language_of(stored.as_deref().unwrap_or("en")),
    });
}

/// Mail the account `user` at `email` that it was created, with a single-use token to set
/// its password; it reads its pages and mails in the language of `inviter` (the
/// administrator who created it; English when an API token did).
pub fn invite(app: &App<impl Issuers>, inviter: Option<&User>, user: i64, email: &str) -> ApiResult<()> {
    if let Some(by) = inviter {
        app.store.set_language(user, &by.language)?;
    }
    let token = app.store.one_time("reset", user, app.settings.confirm_ms)?;
    queue(app, &normalize_email(email), MessageKind::Invitation { token });
    Ok(())
}

/// The language a new account reads its pages and mails in, as a request names it (`en`,
/// `de`; a 400 naming `language` for any other).
pub fn check_language(code: &str) -> ApiResult<Language> {
    Language::ALL
        .into_iter()
        .find(|l| l.code() == code.trim())
        .ok_or_else(|| ApiError::field("language", "language must be en or de"))
}

/// Register a company and its first user, its administrator, who reads its pages and mails
/// in `language`, and mail the confirmation link; the same result whether the address has
/// an account or not (its owner is told by mail instead, in the language of that account).
pub async fn register<I: Issuers>(
    app: &Arc<App<I>>,
    company: String,
    email: String,
    pass: String,
    language: Language,
) -> ApiResult<()> {
    check_name("company", &company)?;
    check_email(&email)?;
    check_password(&pass)?;
    blocking(app, move |app| {
        let hash = password::hash(&pass)?;
        let email = normalize_email(&email);
        let created = app.store.create_org_with_admin(
            OrgKind::Company,
            company.trim(),
            "",
            &email,
            &hash,
            &Rights::default(),
        )?;
        match created {
            Some((org, user)) => {
                app.store.set_language(user, language.code())?;
                let token = app.store.one_time("confirm", user, app.settings.confirm_ms)?;
                app.store.audit(
                    &format!("user:{user}"),
                    org,
                    AuditAction::Register,
                    company.trim(),
                )?;
                queue(app, &email, MessageKind::ConfirmAddress { token });
            }
            None => queue(app, &email, MessageKind::AlreadyRegistered),
        }
        Ok(())
    })
    .await
}

/// The answer for a single-use token that is not (or no longer) valid.
pub fn invalid_token() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_token",
        "the link is not valid (used already, expired or mistyped): ask for a new one",
    )
}

/// Confirm an address with its mailed single-use token.
pub async fn confirm<I: Issuers>(app: &Arc<App<I>>, token: String) -> ApiResult<()> {
    blocking(app, move |app| {
        let user = app.store.redeem("confirm", &token)?.ok_or_else(invalid_token)?;
        app.store.confirm(user)?;
        app.store
            .audit(&format!("user:{user}"), 0, AuditAction::Confirm, "")?;
        Ok(())
    })
    .await
}

fn throttled() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "throttled",
        "too many failed logins: wait 15 minutes, or reset the password",
    )
}

fn bad_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "bad_credentials",
        "the address, the password or the second factor is wrong",
    )
}

/// What a login asks for.
pub struct LoginRequest {
    /// The address.
    pub email: String,
    /// The password.
    pub password: String,
    /// The TOTP code (the vendor's roles).
    pub totp: Option<String>,
    /// The peer's address (failures are counted per address too).
    pub peer: String,
    /// The session the request carried, ended at login (sessions rotate).
    pub old_session: Option<String>,
}

/// Log in: a new session and its CSRF token (any session the request carried is ended).
/// Failures are counted per account and per address; over the bound, logins are refused
/// for the window. The vendor's roles need the TOTP code too.
pub async fn login<I: Issuers>(app: &Arc<App<I>>, l: LoginRequest) -> ApiResult<(String, String, User)> {
    blocking(app, move |app| {
        let email = normalize_email(&l.email);
        let (acct, addr) = (format!("acct:{email}"), format!("addr:{}", l.peer));
        if app.store.throttled(&acct, THROTTLE_FAILURES)? || app.store.throttled(&addr, THROTTLE_FAILURES_PER_ADDRESS)? {
            return Err(throttled());
        }
        let user = app.store.user_by_email(&email)?;
        let stored = user.as_ref().map_or_else(|| password::dummy().to_owned(), |u| u.password.clone());
        let mut ok = password::verify(&l.password, &stored) && user.is_some();
        if ok && let Some(u) = &user
            && u.role().is_vendor()
        {
            let now = crate::clock::now_ms() / 1000;
            ok = match (u.totp.as_str(), l.totp.as_deref()) {
                ("", _) | (_, None) => false,
                (secret, Some(code)) => match totp::matching_step(secret, code, now) {
                    Some(step) => app.store.use_totp_step(u.id, step)?,
                    None => false,
                },
            };
        }
        let Some(user) = user.filter(|_| ok) else {
            app.store.failed_login(&acct)?;
            app.store.failed_login(&addr)?;
            return Err(bad_credentials());
        };
        app.store.clear_failures(&acct)?;
        if !user.confirmed {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "unconfirmed",
                "confirm the address first with the link in the mail (or reset the password to get a new one)",
            ));
        }
        if let Some(old) = l.old_session {
            app.store.end_session(&old)?;
        }
        let (session, csrf) = app.store.create_session(user.id, app.settings.session_ms)?;
        app.store.audit(&format!("user:{}", user.id), user.org_id, AuditAction::Login, "")?;
        Ok((session, csrf, user))
    })
    .await
}

/// End a session: its cookie is worth nothing afterwards.
pub async fn logout<I: Issuers>(app: &Arc<App<I>>, session: String, user: User) -> ApiResult<()> {
    blocking(app, move |app| {
        app.store.end_session(&session)?;
        app.store
            .audit(&format!("user:{}", user.id), user.org_id, AuditAction::Logout, "")?;
        Ok(())
    })
    .await
}

/// Ask for a password reset: a single-use token is mailed if the address has an account;
/// the same result either way (nobody learns from it which addresses have accounts). Only
/// an address that is not one at all is refused (a 400 naming `email`).
pub async fn forgot<I: Issuers>(app: &Arc<App<I>>, email: String) -> ApiResult<()> {
    check_email(&email)?;
    blocking(app, move |app| {
        if let Some(u) = app.store.user_by_email(&normalize_email(&email))? {
            let token = app.store.one_time("reset", u.id, app.settings.reset_ms)?;
            queue(app, &u.email, MessageKind::ResetPassword { token });
        }
        Ok(())
    })
    .await
}

/// Set a new password with a mailed single-use token (a reset's or an invitation's): a
/// weak password is a 400 naming `password` (the token stays usable); a token that is not
/// valid, used already or expired is [`invalid_token`]. It also confirms the address and
/// ends every session of the account.
pub async fn reset<I: Issuers>(app: &Arc<App<I>>, token: String, pass: String) -> ApiResult<()> {
    check_password(&pass)?;
    blocking(app, move |app| {
        let hash = password::hash(&pass)?;
        let user = app.store.redeem("reset", &token)?.ok_or_else(invalid_token)?;
        app.store.set_password(user, &hash)?;
        app.store
            .audit(&format!("user:{user}"), 0, AuditAction::PasswordReset, "")?;
        Ok(())
    })
    .await
}
