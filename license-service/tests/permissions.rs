//! THE permission-matrix test: every route of the router is named by the matrix
//! (`permissions.csv`) and the matrix names no other; every route is called as every role
//! (each logged in once), and is allowed exactly where the matrix says. Also: the matrix
//! rendered into docs/SERVICE.md is current (`LICENSE_SERVICE_BLESS=1` rewrites it).

mod common;

use std::collections::BTreeSet;

use common::{Client, Service, new_license};
use license_core::{Date, Frame, Kind, KindSet, LineSet, ModuleSet};
use license_service::issuers::Locked;
use license_service::permissions::{COLUMNS, Cell, Matrix};
use license_service::rights::{OrgKind, Rights};
use license_service::routes;
use serde_json::{Value, json};

type AnyIssuers = Locked<license_issue::FileLedger>;

fn frame(users: u32) -> Frame {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
        LineSet::from_bits(0b11),
        ModuleSet::from_bits(u64::MAX),
        Date::from_ymd(2030, 1, 1).unwrap(),
    );
    f.named_users = Some(users);
    f
}

#[test]
fn every_route_is_in_the_matrix_and_the_matrix_names_no_other() {
    let matrix = Matrix::committed().unwrap();
    let in_router: BTreeSet<String> = routes::<AnyIssuers>().iter().map(|r| r.name()).collect();
    let in_matrix: BTreeSet<String> = matrix.routes().map(str::to_owned).collect();
    let unnamed: Vec<_> = in_router.difference(&in_matrix).collect();
    assert!(unnamed.is_empty(), "routes the matrix does not name: {unnamed:?}");
    let stale: Vec<_> = in_matrix.difference(&in_router).collect();
    assert!(stale.is_empty(), "matrix rows without a route: {stale:?}");
}

#[test]
fn the_matrix_in_docs_service_md_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/SERVICE.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let (begin, end) = ("<!-- matrix:begin -->\n", "<!-- matrix:end -->");
    let a = doc.find(begin).expect("docs/SERVICE.md has the matrix markers") + begin.len();
    let b = doc.find(end).unwrap();
    let rendered = Matrix::committed().unwrap().to_markdown();
    if std::env::var_os("LICENSE_SERVICE_BLESS").is_some() {
        std::fs::write(path, format!("{}{rendered}{}", &doc[..a], &doc[b..])).unwrap();
        return;
    }
    assert_eq!(
        &doc[a..b],
        rendered,
        "docs/SERVICE.md's matrix is stale: run LICENSE_SERVICE_BLESS=1 cargo test -p license-service --test permissions"
    );
}

/// A role of the test: its column of the matrix, whether it is "another" organisation's
/// (its `own` and `right` cells on another's objects are refused), and for tokens whether
/// it holds the scopes.
struct Role {
    name: &'static str,
    column: &'static str,
    other: bool,
    scoped: bool,
    has_right: bool,
    client: Client,
    token_id: i64,
    /// The user, for a second session (the portal's logout after the API's).
    user_id: Option<i64>,
}

fn expected(matrix: &Matrix, route: &str, role: &Role) -> bool {
    let has_path_object = route.contains('{');
    match matrix.cell(route, role.column) {
        Cell::No => false,
        Cell::Yes => true,
        Cell::Own => !(role.other && has_path_object),
        Cell::Right => role.has_right && !(role.other && has_path_object),
        Cell::Scope(s) => s == "any" || role.scoped,
    }
}

fn denied(status: u16, body: &Value) -> bool {
    let kind = body["error"]["kind"].as_str().unwrap_or("");
    matches!(status, 401 | 403 | 404) && matches!(kind, "unauthenticated" | "forbidden" | "not_found")
}

/// A portal page's refusal: the error page with the refusal's kind.
fn page_denied(status: u16, body: &str) -> bool {
    matches!(status, 401 | 403 | 404)
        && ["unauthenticated", "forbidden", "not_found"]
            .iter()
            .any(|k| body.contains(&format!("data-kind=\"{k}\"")))
}

/// A urlencoded portal form (with the role's CSRF token) that passes parsing for each
/// portal route.
fn form_for(path: &str, n: usize, csrf: &str) -> String {
    let fields = match path {
        "/portal/login" => format!("email=nobody{n}%40x.test&password=wrong+password%21"),
        "/portal/language" => "lang=de&back=%2Fportal%2Flicenses".to_owned(),
        "/portal/register" => {
            format!("company=Company+P{n}&email=p{n}%40x.test&password=a+long+test+password")
        }
        "/portal/confirm" => "token=lkm_not_a_token".to_owned(),
        "/portal/password/forgot" => format!("email=nobody{n}%40x.test"),
        "/portal/password/reset" => {
            "token=lkm_not_a_token&password=a+long+test+password&password2=a+long+test+password".to_owned()
        }
        "/portal/licenses/{id}/activate" => {
            format!("database={}", common::pg::db(&format!("portal moved {n}")))
        }
        "/portal/licenses/{id}/upgrade" => format!("named_users={}", 26 + n),
        "/portal/licenses/{id}/reduce" => "named_users=20".to_owned(),
        "/portal/trial" => "product=demo-erp".to_owned(),
        "/portal/licenses/{id}/move" => {
            format!("database={}", common::pg::db(&format!("portal move {n}")))
        }
        "/portal/licenses/{id}/line" => "line=expert".to_owned(),
        "/portal/licenses/{id}/maintenance" => "kind=one-server".to_owned(),
        "/portal/tickets/redeem" => format!(
            "ticket=TK-NOT-A-TICKET-{n}&database={}",
            common::pg::db(&format!("portal ticket {n}"))
        ),
        "/portal/licenses/new" => {
            format!(
                "product=demo-erp&kind=subscription&licensee=Portal+Licensee+{n}&line=standard&named_users=10&module=crm"
            )
        }
        "/portal/users" => format!("email=invited{n}%40x.test"),
        "/portal/tickets/pass-on" => "to=999999&count=1".to_owned(),
        "/portal/transfers" => "licensee=ACME+Corp&order=no+such+order".to_owned(),
        // The vendor's changes without `confirm=yes`: their confirmation pages (nothing
        // changes), each after the same checks as the change.
        "/portal/vendor/resellers/{id}/certify" | "/portal/vendor/resellers/{id}/narrow" => {
            "product=demo-erp&kind=subscription&line=standard&module=crm&named_users=10&until=2029-12-31"
                .to_owned()
        }
        "/portal/vendor/resellers/{id}/revoke" => "product=demo-erp".to_owned(),
        "/portal/vendor/revocations" => "product=demo-erp&valid_days=10&as=page".to_owned(),
        "/portal/vendor/erasure" => "licensee=Nobody+Here".to_owned(),
        _ => String::new(),
    };
    format!("csrf={csrf}&{fields}")
}

#[test]
fn every_route_as_every_role_is_allowed_exactly_where_the_matrix_says() {
    // Every route as every role is over a thousand requests from one address in a few
    // seconds: more than the per-address rate limit lets through (its own tests are in
    // tests/accounts.rs and tests/attacks.rs), so this service allows more.
    let mut options = common::Options::default();
    options.settings.rate_per_address = std::sync::Arc::new(http_guard::rate::RateLimiter::new(
        100_000,
        std::time::Duration::from_secs(60),
    ));
    let svc = Service::any_options(options);
    let matrix = Matrix::committed().unwrap();
    let v = svc.vendor_org;
    let (va_id, va_secret) = svc.user(v, "va@vendor.test", true, &Rights::default());
    let (vc_id, vc_secret) = svc.user(v, "vc@vendor.test", false, &Rights::default());
    let frame_json = serde_json::to_string(&frame(100)).unwrap();
    // Contoso is certified (its key kept by the service): its codes carry its chain.
    let r = svc.certified_reseller("Contoso", &frame(100));
    let r2 = svc
        .store
        .create_org(OrgKind::Reseller, "Fabrikam", &frame_json)
        .unwrap();
    let a = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    let b = svc.store.create_org(OrgKind::Company, "Beta GmbH", "").unwrap();
    let (ra_id, _) = svc.user(r, "ra@contoso.test", true, &Rights::default());
    let narrower = Rights {
        frame: Some(frame(50)),
        tickets: true,
        reports: true,
        ..Rights::default()
    };
    let (ru_id, _) = svc.user(r, "ru@contoso.test", false, &narrower);
    let (rb_id, _) = svc.user(r2, "ra@fabrikam.test", true, &Rights::default());
    let (ca_id, _) = svc.user(a, "ca@acme.test", true, &Rights::default());
    let (cu_id, _) = svc.user(a, "cu@acme.test", false, &Rights::default());
    let (cb_id, _) = svc.user(b, "ca@beta.test", true, &Rights::default());

    // A license of company A, made by reseller R.
    let mut ra = svc.login("ra@contoso.test", "");
    let mut own = new_license("ACME Corp");
    own["customer"]["reseller"].take();
    let (status, created) = ra.post(&format!("/api/v1/licenses?company={a}"), &own);
    assert_eq!(status, 201, "{created}");
    let license = created["license"]["license_id"].as_u64().unwrap();

    // A token per organisation to revoke by path.
    let path_token = |org| svc.store.create_token(org, "path", &["orders".into()]).unwrap().0;
    let (ta, tr, tv) = (path_token(a), path_token(r), path_token(v));
    // A webhook endpoint of the vendor and of reseller R to remove by path (the roles of
    // the vendor and of resellers get their organisation's, "another reseller" R's).
    let now = common::now_secs();
    let wv = svc
        .outbox
        .add_endpoint("vendor", "https://erp.vendor.example/hook", "s", now)
        .unwrap();
    let wr = svc
        .outbox
        .add_endpoint(
            &format!("reseller:{r}"),
            "https://shop.contoso.example/hook",
            "s",
            now,
        )
        .unwrap();
    let webhook_of = |token_id: i64| if token_id == tr { wr } else { wv };
    let all_scopes = ["orders", "reports", "audit", "tickets"];
    let role = |name, column, other, has_right, client: Client, token_id| Role {
        name,
        column,
        other,
        scoped: true,
        has_right,
        client,
        token_id,
        user_id: None,
    };
    let mut roles = vec![
        role("anonymous", "anonymous", false, false, svc.client(), ta),
        role(
            "customer user",
            "customer_user",
            false,
            false,
            svc.login("cu@acme.test", ""),
            ta,
        ),
        role(
            "customer admin",
            "customer_admin",
            false,
            true,
            svc.login("ca@acme.test", ""),
            ta,
        ),
        role(
            "another company's admin",
            "customer_admin",
            true,
            true,
            svc.login("ca@beta.test", ""),
            ta,
        ),
        role(
            "reseller user",
            "reseller_user",
            false,
            true,
            svc.login("ru@contoso.test", ""),
            tr,
        ),
        role("reseller admin", "reseller_admin", false, true, ra, tr),
        role(
            "another reseller",
            "reseller_admin",
            true,
            true,
            svc.login("ra@fabrikam.test", ""),
            tr,
        ),
        role(
            "vendor clerk",
            "vendor_clerk",
            false,
            true,
            svc.login("vc@vendor.test", &vc_secret),
            tv,
        ),
        role(
            "vendor admin",
            "vendor_admin",
            false,
            true,
            svc.login("va@vendor.test", &va_secret),
            tv,
        ),
        role(
            "token with the scope",
            "token",
            false,
            true,
            svc.token(v, &all_scopes),
            tv,
        ),
        Role {
            scoped: false,
            ..role(
                "token without the scope",
                "token",
                false,
                true,
                svc.token(v, &[]),
                tv,
            )
        },
    ];
    assert_eq!(COLUMNS.len(), 8);
    for (name, id) in [
        ("customer user", cu_id),
        ("customer admin", ca_id),
        ("another company's admin", cb_id),
        ("reseller user", ru_id),
        ("reseller admin", ra_id),
        ("another reseller", rb_id),
        ("vendor clerk", vc_id),
        ("vendor admin", va_id),
    ] {
        roles.iter_mut().find(|r| r.name == name).unwrap().user_id = Some(id);
    }

    let mut n = 0;
    let mut failures = Vec::new();
    let all = routes::<AnyIssuers>();
    // Logout last: it ends the role's session (the API's, then the portal's on a second
    // session made in the store, since a vendor's TOTP code counts once).
    let logouts = ["/api/v1/logout", "/portal/logout"];
    let order: Vec<_> = all
        .iter()
        .filter(|r| !logouts.contains(&r.path))
        .chain(
            logouts
                .iter()
                .flat_map(|l| all.iter().filter(move |r| r.path == *l)),
        )
        .collect();
    for route in order {
        let name = route.name();
        for role in &mut roles {
            if route.path == "/portal/logout"
                && let Some(id) = role.user_id
            {
                let (session, csrf) = svc.store.create_session(id, 3_600_000).unwrap();
                role.client.cookie = Some(session);
                role.client.csrf = Some(csrf);
            }
            n += 1;
            let path = route.path.replace(
                "{id}",
                &if route.path.starts_with("/api/v1/tokens") {
                    role.token_id.to_string()
                } else if route.path.starts_with("/api/v1/webhooks") {
                    webhook_of(role.token_id).to_string()
                } else if route.path.starts_with("/portal/vendor/resellers/") {
                    // The vendor's pages of a reseller: certified Contoso's.
                    r.to_string()
                } else {
                    license.to_string()
                },
            );
            let path = if route.path == "/api/v1/reports/issued"
                || route.path == "/api/v1/reports/pro-rata"
                || route.path == "/api/v1/reports/invoice"
            {
                format!("{path}?month=2026-11")
            } else {
                path
            };
            if route.path.starts_with("/portal/") {
                let reply = if route.method == axum::http::Method::GET {
                    role.client.raw("GET", &path, &[], None)
                } else {
                    let form = form_for(route.path, n, role.client.csrf.as_deref().unwrap_or(""));
                    let origin = format!("http://{}", svc.addr);
                    role.client.raw(
                        "POST",
                        &path,
                        &[
                            ("Content-Type", "application/x-www-form-urlencoded"),
                            ("Origin", &origin),
                        ],
                        Some(form.as_bytes()),
                    )
                };
                assert!(
                    reply.status < 500,
                    "{name} as {}: {} {}",
                    role.name,
                    reply.status,
                    reply.body
                );
                let allowed = !page_denied(reply.status, &reply.body);
                let want = expected(&matrix, &name, role);
                if allowed != want {
                    failures.push(format!(
                        "{name} as {}: {} (want {}): {} {}",
                        role.name,
                        if allowed { "allowed" } else { "refused" },
                        if want { "allowed" } else { "refused" },
                        reply.status,
                        reply.body.chars().take(300).collect::<String>()
                    ));
                }
                continue;
            }
            let body = body_for(route.path, n);
            let (status, reply) = if route.method == axum::http::Method::GET {
                role.client.get(&path)
            } else {
                role.client.post(&path, &body)
            };
            assert!(status < 500, "{name} as {}: {status} {reply}", role.name);
            let allowed = !denied(status, &reply);
            let want = expected(&matrix, &name, role);
            if allowed != want {
                failures.push(format!(
                    "{name} as {}: {} (want {}): {status} {reply}",
                    role.name,
                    if allowed { "allowed" } else { "refused" },
                    if want { "allowed" } else { "refused" }
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} calls differ from the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A body that passes parsing for each route (unique where it creates something).
fn body_for(path: &str, n: usize) -> Value {
    match path {
        "/api/v1/register" => {
            json!({"company": format!("Company {n}"), "email": format!("r{n}@x.test"), "password": "a long test password"})
        }
        "/api/v1/confirm" => json!({"token": "lkm_not_a_token"}),
        "/api/v1/login" => json!({"email": format!("nobody{n}@x.test"), "password": "wrong password!"}),
        "/api/v1/password/forgot" => json!({"email": format!("nobody{n}@x.test")}),
        "/api/v1/password/reset" => json!({"token": "lkm_not_a_token", "password": "a long new password"}),
        "/api/v1/users" => json!({"email": format!("u{n}@x.test")}),
        "/api/v1/tokens" => json!({"name": "erp", "scopes": ["orders"]}),
        "/api/v1/resellers" => {
            json!({"name": format!("Reseller {n}"), "frame": frame(10), "admin_email": format!("rs{n}@x.test")})
        }
        "/api/v1/licenses" => new_license(&format!("Licensee {n}")),
        "/api/v1/licenses/{id}/upgrade" => json!({"named_users": 26 + n}),
        "/api/v1/licenses/{id}/reduce" => json!({"named_users": 20}),
        "/api/v1/licenses/{id}/revoke" => json!({"reason": "test"}),
        "/api/v1/orders" => json!({"order": "renew", "license_id": 1}),
        "/api/v1/licenses/{id}/maintenance" => json!({"kind": "one-server"}),
        "/api/v1/licenses/{id}/activate" => {
            json!({"bind": {"database": common::pg::db(&format!("moved {n}"))}})
        }
        "/api/v1/licenses/{id}/transfer" => json!({"to": {"licensee": "ACME Corp"}}),
        "/api/v1/revocations/{product}" => json!({"valid_days": 10}),
        "/api/v1/erasures" => json!({"licensee": "Nobody Here"}),
        "/api/v1/webhooks" => json!({"url": format!("http://127.0.0.1:{}/in", 9000 + n)}),
        "/api/v1/trials" => json!({"product": "demo-erp", "bind": {"database": common::pg::db("trial")}}),
        _ => json!({}),
    }
}
