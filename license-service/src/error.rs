//! The service's errors: the store's, and the JSON error answer every failure becomes,
//! `{"error": {"kind": ..., "message": ..., "field": ...}}`, where `kind` is the library's
//! error kind (`unknown_license`, `no_users_or_seats`, ...) or one of the service's own.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use license_issue::{CatalogError, Error, ErrorClass, LedgerError, OrderError};
use serde_json::json;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A unique key is taken (an e-mail address, a company name, ...).
    #[error("already taken: {0}")]
    Duplicate(String),
    /// Text the database cannot hold (a NUL byte, invalid encoding).
    #[error("the text cannot be stored: {0}")]
    BadText(String),
    /// Two instances changed the same rows at once; retry.
    #[error("a concurrent change won; retry: {0}")]
    Conflict(String),
    /// The database failed or cannot be reached; retry later.
    #[error("the database failed: {0}")]
    Backend(String),
    /// A stored value is not what the service wrote (a damaged row).
    #[error("a stored value is damaged: {0}")]
    Damaged(String),
    /// The system's random source failed.
    #[error("the system's random source failed: {0}")]
    Random(String),
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable kind.
    pub kind: &'static str,
    /// What happened and what to do.
    pub message: String,
    /// The field of the request that is wrong, when one is.
    pub field: Option<String>,
    /// What the message was written from, when the library wrote it: the portal says it
    /// in the reader's language from this (the API answers `message`, in English).
    pub cause: Option<Cause>,
}

/// The library's error behind an answer, kept so a page can word it in its language.
#[derive(Debug)]
#[non_exhaustive]
pub enum Cause {
    /// An error of the library (an order refused, a ticket unknown, ...).
    Library(Box<Error>),
    /// An order outside the caller's rights: the limit it exceeds.
    Outside(license_core::Violation),
    /// A form entry the portal refused, worded from its message catalog (`key` with
    /// `args`) in the reader's language; `message` holds the English.
    Worded {
        /// The catalog key.
        key: String,
        /// Its placeholders' values.
        args: Vec<(String, String)>,
    },
}

/// A handler's result.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with this status, kind and message.
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
            field: None,
            cause: None,
        }
    }

    /// A 400 naming the field that is wrong.
    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.to_owned()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message)
        }
    }

    /// 401: no valid session or token.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "log in (POST /api/v1/login) or send an API token as `Authorization: Bearer ...`",
        )
    }

    /// 403: the role may not do this.
    pub fn forbidden(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", what)
    }

    /// 404: no such object, or one the caller may not see (the same answer for both).
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what} (or not one you may see)"),
        )
    }

    /// 500 for a failure inside the service.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Duplicate(_) => {
                ApiError::new(StatusCode::CONFLICT, "duplicate", "that name is taken")
            }
            StoreError::BadText(m) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_text",
                format!("a text of the request cannot be stored: {m}"),
            ),
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            StoreError::Backend(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is not reachable; retry in a moment",
            ),
            StoreError::Damaged(m) => ApiError::internal(m),
            StoreError::Random(m) => ApiError::internal(m),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let (kind, message) = (e.kind_name(), e.to_string());
        let status = match &e {
            Error::Order(OrderError::UnknownLicense { .. })
            | Error::Catalog(CatalogError::UnknownProduct { .. }) => StatusCode::NOT_FOUND,
            Error::Ledger(LedgerError::Conflict { .. })
            | Error::Ledger(LedgerError::OrderKeyReused { .. }) => StatusCode::CONFLICT,
            Error::Ledger(LedgerError::Backend(_)) => StatusCode::SERVICE_UNAVAILABLE,
            _ => match e.class() {
                ErrorClass::Data => StatusCode::INTERNAL_SERVER_ERROR,
                ErrorClass::Retry => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            },
        };
        ApiError {
            cause: Some(Cause::Library(Box::new(e))),
            ..ApiError::new(status, kind, message)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"kind": self.kind, "message": self.message});
        if let Some(f) = self.field {
            body["field"] = json!(f);
        }
        (self.status, Json(json!({ "error": body }))).into_response()
    }
}
