//! The audit log read whole, on SQLite and on PostgreSQL: the API walks it page by page with
//! `next_before` and filters by action and by actor in SQL (a `_` or `%` typed in the actor
//! search matches itself, not any character); an action the log does not know is a field
//! error; the vendor's audit page reads any page of a log longer than the 1,000 lines the
//! API gave before, with the count of all the filter finds.

mod common;

use common::Service;
use license_service::rights::Rights;
use license_service::store::audit::AuditAction;

/// 1,030 lines: 1,000 by `actor:N` (every tenth an erasure), then 30 by `a_b`/`axb`.
fn fill(svc: &Service) {
    for n in 0..1000 {
        let action = if n % 10 == 0 {
            AuditAction::Erase
        } else {
            AuditAction::Issue
        };
        svc.store
            .audit(&format!("actor:{n}"), 0, action, &format!("license:{n}"))
            .unwrap();
    }
    for n in 0..30 {
        let actor = if n % 2 == 0 { "a_b" } else { "axb" };
        svc.store
            .audit(actor, 0, AuditAction::Login, &n.to_string())
            .unwrap();
    }
}

fn ids(lines: &serde_json::Value) -> Vec<i64> {
    lines["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect()
}

fn check(svc: &Service) {
    fill(svc);
    let (_, secret) = svc.user(svc.vendor_org, "va@vendor.test", true, &Rights::default());
    let mut va = svc.login("va@vendor.test", &secret);

    // The whole log, 300 lines a call: every line once, newest first, to the very first.
    let everything = svc.store.audit_log(0, 100_000).unwrap();
    assert!(everything.len() > 1030, "{}", everything.len());
    let mut walked = Vec::new();
    let mut path = "/api/v1/audit?limit=300".to_owned();
    for _ in 0..10 {
        let (status, page) = va.get(&path);
        assert_eq!(status, 200, "{page}");
        walked.extend(ids(&page));
        match page["next_before"].as_i64() {
            Some(before) => path = format!("/api/v1/audit?limit=300&before={before}"),
            None => break,
        }
    }
    let expected: Vec<i64> = everything.iter().map(|l| l.id).collect();
    assert_eq!(walked, expected);

    // By action, and by actor with the wildcard characters taken literally.
    let (_, erased) = va.get("/api/v1/audit?action=erase&limit=1000");
    let erased = erased["audit"].as_array().unwrap().clone();
    assert_eq!(erased.len(), 100);
    assert!(erased.iter().all(|l| l["action"] == "erase"));
    let (_, literal) = va.get("/api/v1/audit?actor=A_B&limit=1000");
    let actors: Vec<&str> = literal["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors, vec!["a_b"; 15], "`_` matches only itself");
    let (_, none) = va.get("/api/v1/audit?actor=%25");
    assert_eq!(ids(&none), Vec::<i64>::new(), "`%` matches only itself");
    let (status, err) = va.get("/api/v1/audit?action=delete_everything");
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("action")),
        "{err}"
    );
    assert!(
        err.to_string().contains("erase"),
        "names the actions there are: {err}"
    );

    // The page: the count of everything the filter finds, and a page deep in the log.
    let r = va.raw("GET", "/portal/vendor/audit?action=erase&page=5", &[], None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(r#"id="count">100 lines"#), "{}", r.body);
    assert!(r.body.contains("Page 5 of 5"), "{}", r.body);
    // Newest first: page 5 ends with the oldest erasure, actor:0.
    assert!(r.body.contains("<td>actor:0</td>"), "{}", r.body);
    assert!(!r.body.contains("<td>actor:990</td>"), "{}", r.body);
    let at = everything.iter().position(|l| l.actor == "actor:0").unwrap();
    assert!(at >= 1000, "{at}");
    let r = va.raw(
        "GET",
        &format!("/portal/vendor/audit?page={}", at / 20 + 1),
        &[],
        None,
    );
    assert!(
        r.body.contains("<td>actor:0</td>"),
        "line {at} is shown: {}",
        r.body
    );
    let r = va.raw("GET", "/portal/vendor/audit?actor=a_b", &[], None);
    assert!(r.body.contains(r#"id="count">15 lines"#), "{}", r.body);
    let r = va.raw("GET", "/portal/vendor/audit?action=nonsense", &[], None);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r#"id="audit-error""#), "{}", r.body);
    assert!(r.body.contains(r#"aria-invalid="true""#), "{}", r.body);
}

#[test]
fn the_whole_log_is_read_page_by_page_and_filtered_on_sqlite() {
    check(&Service::sqlite());
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn the_whole_log_is_read_page_by_page_and_filtered_on_postgres() {
    check(&Service::postgres());
}
