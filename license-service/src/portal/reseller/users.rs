//! `/portal/users`: an organisation's administrator (a company's, a reseller's, the
//! vendor's) lists its users and invites one with rights at most its own. Every control
//! offered is one of the administrator's own rights (a reseller's kinds, lines and modules
//! of its frame, named users up to its limit); an entry beyond them (a crafted form) is
//! refused by the API's step (`ops::users::add`, `Rights::may_grant`) naming the limit.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_core::{Frame, Kind, KindSet, LineSet, ModuleSet};
use license_issue::calendar::last_day;
use serde::Deserialize;

use super::super::i18n::Lang;
use super::super::page::{Chrome, Form, Refusal, error_page, error_text, render, see_other};
use super::super::view::kind_words;
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::ApiResult;
use crate::issuers::Issuers;
use crate::ops::users::{self as ops, NewUser};
use crate::rights::{OrgKind, Rights};
use crate::store::User;

/// A row of the users' list.
struct UserRow {
    email: String,
    role: String,
    rights: String,
    confirmed: String,
}

/// A choice of the form: (value, label, checked).
type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "reseller_users.html")]
struct UsersPage {
    c: Chrome,
    notice: String,
    error: String,
    field: String,
    rows: Vec<UserRow>,
    email: String,
    admin: bool,
    /// The right to order (a company's administrator who holds it).
    order: Option<bool>,
    /// The right to use tickets (a reseller's, when held).
    tickets: Option<bool>,
    /// The right to read reports (a reseller's, when held).
    reports: Option<bool>,
    /// The frame's controls (a reseller's administrator with a frame).
    frame: bool,
    frame_text: String,
    kinds: Vec<Choice>,
    lines: Vec<Choice>,
    modules: Vec<Choice>,
    users_label: String,
    named_users: String,
}

/// The rights of a user in words.
fn rights_words(lang: Lang, u: &User, names: &Names) -> String {
    if u.admin {
        return lang.t("rsl.users.rights.all").to_owned();
    }
    let r = &u.rights;
    let mut parts = Vec::new();
    if r.order {
        parts.push(lang.t("rsl.users.right.order").to_owned());
    }
    if let Some(f) = &r.frame {
        parts.push(lang.f(
            "rsl.users.right.frame",
            &[("frame", &frame_words(lang, f, names))],
        ));
    }
    if r.tickets {
        parts.push(lang.t("rsl.users.right.tickets").to_owned());
    }
    if r.reports {
        parts.push(lang.t("rsl.users.right.reports").to_owned());
    }
    if parts.is_empty() {
        lang.t("rsl.users.rights.none").to_owned()
    } else {
        parts.join("; ")
    }
}

/// The catalog's names of lines and modules (the first product's, as the new-license
/// page offers them).
#[derive(Default)]
struct Names {
    lines: Vec<(String, u8)>,
    modules: Vec<(String, u8)>,
}

fn names<I: Issuers>(app: &App<I>) -> Names {
    app.issuers.with(|is| {
        is.catalogs()
            .iter()
            .next()
            .map_or_else(Names::default, |c| Names {
                lines: c.lines().into_iter().map(|(n, b)| (n.to_owned(), b)).collect(),
                modules: c.modules().into_iter().map(|(n, b)| (n.to_owned(), b)).collect(),
            })
    })
}

/// A frame in words: kinds, named users, modules, last day.
fn frame_words(lang: Lang, f: &Frame, names: &Names) -> String {
    let kinds: Vec<&str> = f.kinds.iter().map(|k| kind_words(lang, k.name())).collect();
    let modules: Vec<&str> = names
        .modules
        .iter()
        .filter(|(_, b)| f.modules.contains(*b))
        .map(|(n, _)| n.as_str())
        .collect();
    lang.f(
        "rsl.users.frame",
        &[
            ("kinds", &kinds.join(", ")),
            (
                "users",
                &f.named_users
                    .map_or_else(|| lang.t("license.unlimited").to_owned(), |n| n.to_string()),
            ),
            ("modules", &modules.join(", ")),
            ("until", &lang.date(last_day(f.not_after))),
        ],
    )
}

/// What the page shows besides the list: a notice, the form as posted, an error.
#[derive(Default)]
struct State2 {
    notice: String,
    error: String,
    field: String,
    form: Option<Form>,
}

async fn page<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    s: State2,
    status: StatusCode,
) -> Response {
    let ch = Chrome::of(c, headers, "/portal/users");
    let lang = ch.lang;
    let c2 = c.clone();
    let loaded = match blocking(app, move |app| Ok((ops::own_rights(app, &c2)?, names(app)))).await {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let (own, names) = loaded;
    let users = match ops::list(app, c).await {
        Ok(u) => u,
        Err(e) => return error_page(ch, &e),
    };
    let kind = c.org().map(|o| o.1);
    let f = s.form.unwrap_or(Form(Vec::new()));
    let posted = !f.0.is_empty();
    let chosen = |name: &str, value: &str| f.all(name).iter().any(|v| v == value);
    let rows = users
        .iter()
        .map(|u| UserRow {
            email: u.email.clone(),
            role: lang
                .t(if u.admin {
                    "rsl.users.role.admin"
                } else {
                    "rsl.users.role.user"
                })
                .to_owned(),
            rights: rights_words(lang, u, &names),
            confirmed: lang
                .t(if u.confirmed {
                    "rsl.users.confirmed.yes"
                } else {
                    "rsl.users.confirmed.no"
                })
                .to_owned(),
        })
        .collect();
    let reseller = kind == Some(OrgKind::Reseller);
    let own_frame = own.frame.filter(|_| reseller);
    let (kinds, lines, modules, frame_text, users_label) = match &own_frame {
        Some(fr) => (
            fr.kinds
                .iter()
                .map(|k| {
                    let v = k.name().to_owned();
                    let on = chosen("kind", &v);
                    (v, kind_words(lang, k.name()).to_owned(), on)
                })
                .collect(),
            names
                .lines
                .iter()
                .filter(|(_, b)| fr.lines.contains(*b))
                .map(|(n, _)| (n.clone(), n.clone(), chosen("line", n)))
                .collect(),
            names
                .modules
                .iter()
                .filter(|(_, b)| fr.modules.contains(*b))
                .map(|(n, _)| (n.clone(), n.clone(), chosen("module", n)))
                .collect(),
            frame_words(lang, fr, &names),
            match fr.named_users {
                Some(max) => lang.f("rsl.users.named_users.max", &[("max", &max.to_string())]),
                None => lang.t("rsl.users.named_users").to_owned(),
            },
        ),
        None => Default::default(),
    };
    let title = lang.t("rsl.users.title").to_owned();
    render(
        status,
        &UsersPage {
            c: ch.titled(title),
            notice: s.notice,
            error: s.error,
            field: s.field,
            rows,
            email: f.get("email"),
            admin: posted && f.get("admin") == "on",
            order: (kind == Some(OrgKind::Company) && own.order).then(|| f.get("order") == "on"),
            tickets: (reseller && own.tickets).then(|| f.get("tickets") == "on"),
            reports: (reseller && own.reports).then(|| f.get("reports") == "on"),
            frame: own_frame.is_some(),
            frame_text,
            kinds,
            lines,
            modules,
            users_label,
            named_users: f.get("named_users"),
        },
    )
}

#[derive(Deserialize, Default)]
pub(super) struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// `GET /portal/users`.
pub(super) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<DoneQuery>, QueryRejection>,
) -> Response {
    let lang = super::super::respond::lang_of(&headers, c.user());
    let Query(q) = q.unwrap_or_default();
    let notice = if q.done == "invited" {
        lang.t("rsl.users.done.invited").to_owned()
    } else {
        String::new()
    };
    page(
        &app,
        &c,
        &headers,
        State2 {
            notice,
            ..State2::default()
        },
        StatusCode::OK,
    )
    .await
}

/// A number of named users typed in the form ("" = none given).
fn users_field(text: &str) -> ApiResult<Option<u32>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .map(Some)
        .ok_or_else(|| Refusal::of("named_users").f("rsl.refuse.named_users", &[]))
}

/// The rights the form asks for. A reseller user's frame is the administrator's own with
/// the kinds, lines, modules and named users chosen (a name the catalog does not know is
/// refused naming the field); no kind chosen grants no frame.
fn wanted<I: Issuers>(app: &App<I>, c: &Caller, f: &Form) -> ApiResult<Rights> {
    let own = ops::own_rights(app, c)?;
    let names = names(app);
    let mut r = Rights {
        order: f.get("order") == "on",
        tickets: f.get("tickets") == "on",
        reports: f.get("reports") == "on",
        frame: None,
    };
    let kinds = f.all("kind");
    if kinds.is_empty() {
        if !f.all("line").is_empty() || !f.all("module").is_empty() || !f.get("named_users").trim().is_empty()
        {
            return Err(Refusal::of("kind").f("rsl.refuse.kinds_first", &[]));
        }
        return Ok(r);
    }
    let mut frame = own.frame.unwrap_or_else(|| {
        // No frame of its own: the rights step refuses a frame, naming it.
        Frame::new(
            KindSet::EMPTY,
            LineSet::from_bits(0),
            ModuleSet::from_bits(0),
            license_core::Date::from_days_since_unix_epoch(0),
        )
    });
    let mut ks = KindSet::EMPTY;
    for k in &kinds {
        let kind = Kind::ALL
            .into_iter()
            .find(|x| x.name() == k)
            .ok_or_else(|| Refusal::of("kind").f("rsl.refuse.no_kind", &[("kind", k)]))?;
        ks = ks.with(kind);
    }
    let bit = |list: &[(String, u8)], name: &str, field: &str| {
        list.iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| *b)
            .ok_or_else(|| match field {
                "line" => Refusal::of(field).f("rsl.refuse.no_line", &[("name", name)]),
                _ => Refusal::of(field).f("rsl.refuse.no_module", &[("name", name)]),
            })
    };
    let mut lines = LineSet::from_bits(0);
    for l in f.all("line") {
        lines = lines.with(bit(&names.lines, &l, "line")?);
    }
    if lines.bits() == 0 {
        return Err(Refusal::of("line").f("rsl.refuse.one_line", &[]));
    }
    let mut modules = ModuleSet::from_bits(0);
    for m in f.all("module") {
        modules = modules.with(bit(&names.modules, &m, "module")?);
    }
    frame.kinds = ks;
    frame.lines = lines;
    frame.modules = modules;
    frame.named_users = users_field(&f.get("named_users"))?;
    r.frame = Some(frame);
    Ok(r)
}

/// `POST /portal/users`: the API's step adds the user (refused beyond the administrator's
/// rights, naming the limit) and mails the invitation to set a password.
pub(super) async fn add<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/users");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    let lang = ch.lang;
    let admin = f.get("admin") == "on";
    let c2 = c.clone();
    let f2 = Form(f.0.clone());
    let rights = if admin {
        Ok(Rights::default())
    } else {
        blocking(&app, move |app| wanted(app, &c2, &f2)).await
    };
    let result = match rights {
        Ok(rights) => {
            ops::add(
                &app,
                &c,
                NewUser {
                    email: f.get("email").trim().to_owned(),
                    admin,
                    rights,
                },
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok((_, secret)) if secret.is_empty() => see_other("/portal/users?done=invited"),
        Ok((_, secret)) => {
            let notice = lang.f("rsl.users.done.totp", &[("secret", &secret)]);
            page(
                &app,
                &c,
                &headers,
                State2 {
                    notice,
                    ..State2::default()
                },
                StatusCode::CREATED,
            )
            .await
        }
        Err(e) => {
            let field = match (e.kind, e.field.clone()) {
                ("beyond_own_rights", _) => "rights".to_owned(),
                (_, Some(f)) => f,
                _ => String::new(),
            };
            let error = error_text(lang, &e);
            page(
                &app,
                &c,
                &headers,
                State2 {
                    error,
                    field,
                    form: Some(f),
                    ..State2::default()
                },
                e.status,
            )
            .await
        }
    }
}
