//! The license lifecycle as the vendors' contracts define it, through licensectl (and
//! license-check where the customer's side matters): show, reductions, renewals, sites.

mod common;
use common::*;

#[test]
fn show_names_the_code_in_force_and_the_scheduled_one() {
    let env = Env::ready();
    let (id, first) = env.issue(ACME);
    let id = id.to_string();
    let renewed = env.run_on("2027-09-01", &["--json", "renew", &id]).json();
    let next = renewed[0]["code"].as_str().unwrap().to_owned();
    let text = env.run_on("2027-09-01", &["show", &id]).ok().to_owned();
    assert!(
        text.starts_with("License 1001 of demo-erp for ACME Corp, database DB-7F3A-22C1, on 2027-09-01"),
        "{text}"
    );
    let (now, later) = text
        .split_once("Scheduled from 2027-11-22, replaces revision 1 that day")
        .unwrap();
    assert!(
        now.contains("In force: revision 1 (new license), issued 2026-11-22"),
        "{text}"
    );
    assert!(now.contains(&first), "{text}");
    assert!(
        later.contains(": revision 2 (renewal), issued 2027-09-01"),
        "{text}"
    );
    assert!(later.contains(&next), "{text}");
    let v = env.run_on("2027-09-01", &["--json", "show", &id]).json();
    assert_eq!(v["in_force"]["revision"], 1);
    assert_eq!(v["in_force"]["code"], first.as_str());
    assert_eq!(v["in_force"]["last_day"], "2027-11-21");
    assert_eq!(v["scheduled"][0]["revision"], 2);
    assert_eq!(v["scheduled"][0]["valid_from"], "2027-11-22");
    // From the renewal's first day it is the code in force, nothing is scheduled.
    let v = env.run_on("2027-11-22", &["--json", "show", &id]).json();
    assert_eq!(v["in_force"]["revision"], 2);
    assert_eq!(v["scheduled"], serde_json::json!([]));
    env.run(&["show", "4711"]).fails(2, "4711");
}
