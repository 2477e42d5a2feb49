//! Activation, move and recovery through `POST /api/v1/licenses/{id}/activate` (the
//! library's `rehost`), within the catalog's limit of moves per year
//! (`max_moves_per_year`, the library's rule): the first binding is the activation, each
//! later rebinding a move (a recovery after a lost machine too), and beyond the limit the
//! answer names the day the next move is possible.

mod common;

use common::{Service, new_license};
use license_issue::{Catalog, Catalogs, DEMO_CATALOG};
use license_service::rights::{OrgKind, Rights};
use serde_json::json;

#[test]
fn a_company_activates_moves_and_recovers_within_the_yearly_limit() {
    let text = DEMO_CATALOG.replacen("[defaults]\n", "[defaults]\nmax_moves_per_year = 2\n", 1);
    let mut catalogs = Catalogs::new();
    catalogs.insert(Catalog::from_toml(&text, std::path::Path::new("moves")).unwrap());
    let svc = Service::sqlite_with(common::Options {
        catalogs: Some(catalogs),
        ..common::Options::default()
    });
    let acme = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.user(acme, "ca@acme.test", true, &Rights::default());
    let mut erp = svc.token(svc.vendor_org, &["orders"]);
    let mut order = new_license("ACME Corp");
    order.as_object_mut().unwrap().remove("bind");
    let (status, made) = erp.post(&format!("/api/v1/licenses?company={acme}"), &order);
    assert_eq!(status, 201, "{made}");
    let id = made["license"]["license_id"].as_u64().unwrap();
    let mut ca = svc.login("ca@acme.test", "");
    let activate = |c: &mut common::Client, seed: &str| {
        c.post(
            &format!("/api/v1/licenses/{id}/activate"),
            &json!({"bind": {"database": common::pg::db(seed)}}),
        )
    };
    // The activation, then two moves (the second a recovery on a new machine's database).
    for seed in ["first", "moved", "recovered"] {
        let (status, out) = activate(&mut ca, seed);
        assert_eq!(status, 200, "{seed}: {out}");
        assert_eq!(out["now"]["database"], common::pg::db(seed).as_str(), "{out}");
    }
    let (status, err) = activate(&mut ca, "third move");
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (422, Some("too_many_moves")),
        "{err}"
    );
    assert!(
        err["error"]["message"].as_str().unwrap().contains("2027-11-22"),
        "{err}"
    );
    let (_, shown) = ca.get(&format!("/api/v1/licenses/{id}"));
    assert_eq!(
        shown["history"].as_array().unwrap().len(),
        4,
        "the issue, the activation, two moves; nothing for the refused move: {shown}"
    );
}
