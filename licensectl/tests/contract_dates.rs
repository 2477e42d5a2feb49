//! Issue 20, items 2 and 3, through licensectl with the issue's dates: the two orders the
//! audit saw refused succeed, and `renew` takes the next term's scope.

mod common;
use common::*;

const SUBSCRIPTION: &[&str] = &[
    "--licensee",
    "ACME Corp",
    "--kind",
    "subscription",
    "--line",
    "expert",
    "--users",
    "45",
    "--modules",
    "crm,bi",
];

fn issue_on(env: &Env, day: &str) -> String {
    let mut args = vec!["--json", "issue"];
    args.extend_from_slice(SUBSCRIPTION);
    let v = env.run_on(day, &args).json();
    v["scope"]["license_id"].as_u64().expect("id").to_string()
}

/// Item 2: a hosted subscription issued 2026-01-01 (term ends 2027-01-01), `reduce --users
/// 30` ordered 2026-12-12 (in time for 2027-01-01): the reduced code is the next term's.
#[test]
fn a_hosted_reduction_for_the_quarter_start_the_term_ends_on() {
    let env = Env::ready();
    env.use_quarterly_rule();
    let id = issue_on(&env, "2026-01-01");
    let v = env
        .run_on("2026-12-12", &["--json", "reduce", &id, "--users", "30"])
        .json();
    assert_eq!(v["effective"], "2027-01-01");
    assert_eq!(v["withdrawal_cutoff"], "2026-12-12");
    assert_eq!(v["scheduled"]["scope"]["valid_from"], "2027-01-01");
    assert_eq!(v["scheduled"]["scope"]["expires"], "2028-01-01");
    assert_eq!(v["scheduled"]["scope"]["named_users"], 30);
    let text = env.run_on("2026-12-12", &["show", &id]).ok().to_owned();
    assert!(text.contains("Scheduled from 2027-01-01"), "{text}");
}

/// Item 2, the advice followed: ordered one day too late (2026-12-13) the reduction would
/// take effect on 2027-04-01, after the term; `renew --users 30` gives the next term with 30
/// users. `renew --due` takes no scope.
#[test]
fn renew_takes_the_next_terms_scope() {
    let env = Env::ready();
    env.use_quarterly_rule();
    let id = issue_on(&env, "2026-01-01");
    env.run_on("2026-12-13", &["reduce", &id, "--users", "30"]).fails(
        2,
        "ends on 2027-01-01, before the reduction would take effect on 2027-04-01: change the scope at renewal instead",
    );
    let v = env
        .run_on(
            "2026-12-13",
            &["--json", "renew", &id, "--users", "30", "--remove-modules", "bi"],
        )
        .json();
    assert_eq!(v[0]["scope"]["valid_from"], "2027-01-01");
    assert_eq!(v[0]["scope"]["expires"], "2028-01-01");
    assert_eq!(v[0]["scope"]["named_users"], 30);
    assert_eq!(v[0]["scope"]["modules"], serde_json::json!(["crm"]));
    let due = env.run_on("2026-12-13", &["renew", "--due", "--users", "30"]);
    assert_eq!(due.code, 2, "{due:?}");
    assert!(due.stderr.contains("--users"), "{}", due.stderr);
}

/// Item 3: a subscription started on 29 February 2028, renewed every year, ends its terms
/// on 2029-02-28, 2030-02-28, 2031-02-28 and 2032-02-29; `reduce` on 2031-11-28 (the
/// notice deadline for 2032-02-29 is 2031-11-29) takes effect on 2032-02-29 with the next
/// term's code to 2033-02-28.
#[test]
fn a_subscription_started_on_29_february_is_reduced_in_its_fourth_year() {
    let env = Env::ready();
    let id = issue_on(&env, "2028-02-29");
    let mut ends = Vec::new();
    for day in ["2029-01-20", "2030-01-20", "2031-01-20"] {
        let v = env.run_on(day, &["--json", "renew", &id]).json();
        ends.push(v[0]["scope"]["expires"].as_str().unwrap().to_owned());
    }
    assert_eq!(ends, ["2030-02-28", "2031-02-28", "2032-02-29"]);
    let v = env
        .run_on("2031-11-28", &["--json", "reduce", &id, "--users", "30"])
        .json();
    assert_eq!(v["effective"], "2032-02-29");
    assert_eq!(v["withdrawal_cutoff"], "2031-11-29");
    assert_eq!(v["scheduled"]["scope"]["valid_from"], "2032-02-29");
    assert_eq!(v["scheduled"]["scope"]["expires"], "2033-02-28");
    let text = env
        .run_on("2031-11-28", &["reduce", "--withdraw", &id])
        .ok()
        .to_owned();
    assert!(text.contains("Reduction withdrawn"), "{text}");
}

/// Item 4 through licensectl: a catalog with `while_reduction_pending = "refuse"` refuses a
/// new user count while a reduction is pending, saying until when it can be withdrawn;
/// after withdrawing, the order goes through.
#[test]
fn a_new_user_count_while_a_reduction_is_pending_is_refused_under_refuse() {
    let env = Env::ready();
    env.use_quarterly_rule();
    let path = env.path("catalog/demo-erp.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "while_reduction_pending = \"apply-on-top\"",
        "while_reduction_pending = \"refuse\"",
    );
    assert!(text.contains("\"refuse\""));
    std::fs::write(&path, text).unwrap();
    let id = issue_on(&env, "2026-06-15");
    env.run_on("2026-11-01", &["reduce", &id, "--users", "30"]).ok();
    env.run_on("2026-12-01", &["upgrade", &id, "--users", "50"]).fails(
        2,
        "pending from 2027-01-01, and while it is pending the number of named users cannot be changed: withdraw the reduction first (possible until 2026-12-12, inclusive)",
    );
    env.run_on("2026-12-01", &["reduce", "--withdraw", &id]).ok();
    let v = env
        .run_on("2026-12-01", &["--json", "upgrade", &id, "--users", "50"])
        .json();
    assert_eq!(v["scope"]["named_users"], 50, "{v}");
}

/// Item 4, every message of the `refuse` policy: re-adding a module the pending
/// reduction removes is refused naming the module and until when the reduction can be
/// withdrawn; after that cutoff a new user count is refused as fixed, naming the day from
/// which the change can be ordered; under `apply-on-top` the same orders go through.
#[test]
fn every_refusal_while_a_reduction_is_pending_names_the_way_out() {
    let env = Env::ready();
    env.use_quarterly_rule();
    let path = env.path("catalog/demo-erp.toml");
    let on_top = std::fs::read_to_string(&path).unwrap();
    let refuse = on_top.replace(
        "while_reduction_pending = \"apply-on-top\"",
        "while_reduction_pending = \"refuse\"",
    );
    assert_ne!(refuse, on_top);
    std::fs::write(&path, &refuse).unwrap();
    let id = issue_on(&env, "2026-06-15");
    env.run_on(
        "2026-11-01",
        &["reduce", &id, "--users", "30", "--remove-modules", "bi"],
    )
    .ok();
    env.run_on("2026-12-01", &["upgrade", &id, "--add-modules", "bi"]).fails(
        2,
        "pending from 2027-01-01, and while it is pending module bi (the reduction removes it) cannot be changed: withdraw the reduction first (possible until 2026-12-12, inclusive), then order the combined change",
    );
    env.run_on("2026-12-20", &["upgrade", &id, "--users", "50"]).fails(
        2,
        "pending from 2027-01-01 that could be withdrawn only until 2026-12-12: the number of named users cannot be changed before it takes effect; order the change for 2027-01-01 or later",
    );
    env.run_on("2026-12-20", &["reduce", "--withdraw", &id])
        .fails(2, "can no longer be withdrawn: the cutoff was 2026-12-12");
    // The same orders under `apply-on-top`: applied on top of the pending reduction.
    std::fs::write(&path, &on_top).unwrap();
    let v = env
        .run_on(
            "2026-12-20",
            &["--json", "upgrade", &id, "--users", "50", "--add-modules", "bi"],
        )
        .json();
    assert_eq!(v["now"]["scope"]["named_users"], 50, "{v}");
    // The pending reduced code gains the 5 users and module bi again, from its start.
    let next = &v["next_term"]["scope"];
    assert_eq!(
        (next["named_users"].as_u64(), next["valid_from"].as_str()),
        (Some(35), Some("2027-01-01")),
        "{v}"
    );
    assert_eq!(next["modules"], serde_json::json!(["crm", "bi"]), "{v}");
}

/// Item 6 through licensectl: the issue's order is refused with every part that exceeds
/// the catalog's trial terms; the catalog's terms and less are issued.
#[test]
fn a_trial_beyond_the_catalogs_trial_terms_is_refused() {
    let env = Env::ready();
    let order = [
        "issue",
        "--licensee",
        "Prospect",
        "--kind",
        "trial",
        "--line",
        "standard",
        "--users",
        "50",
        "--days",
        "90",
    ];
    env.run(&order).fails(
        2,
        "a trial of demo-erp may not exceed the catalog's trial terms: 90 usable days asked, at most 30; 50 named users asked, at most 10",
    );
    let v = env
        .run(&["--json", "issue", "--licensee", "Prospect", "--kind", "trial"])
        .json();
    assert_eq!(v["scope"]["expires"], "2026-12-22");
    assert_eq!(v["scope"]["named_users"], 10);
    let v = env
        .run(&[
            "--json",
            "issue",
            "--licensee",
            "Prospect",
            "--kind",
            "trial",
            "--line",
            "standard",
            "--users",
            "5",
            "--days",
            "14",
        ])
        .json();
    assert_eq!(v["scope"]["expires"], "2026-12-06");
}

/// Issue 20, NFR: "every feature unlocked at once, through one product code" means the
/// modules added to the catalog later too. An NFR code issued with the demo catalog (six
/// modules) grants module `mobile`, numbered 6 and added to the catalog afterwards, when
/// `license-check` verifies it with the new catalog.
#[test]
fn an_nfr_code_grants_a_module_added_to_the_catalog_after_issue() {
    let env = Env::ready();
    let v = env
        .run(&[
            "--json",
            "issue",
            "--licensee",
            "Partner AG",
            "--kind",
            "nfr",
            "--users",
            "5",
        ])
        .json();
    assert_eq!(v["scope"]["modules"], serde_json::json!(["all"]), "{v}");
    let code = v["code"].as_str().unwrap().to_owned();
    let file = env.path("nfr.txt");
    std::fs::write(&file, &code).unwrap();
    // The vendor adds a module to its catalog after the code was issued.
    let catalog = std::fs::read_to_string(env.path("catalog/demo-erp.toml")).unwrap();
    let later = catalog.replace(
        "[modules]\n",
        "[modules]\nmobile = 6     # added after the NFR code\n",
    );
    assert!(later.contains("mobile = 6"));
    let later_path = env.path("demo-erp-later.toml");
    std::fs::write(&later_path, later).unwrap();
    let key = env.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    let key = key.split_whitespace().nth(1).unwrap().to_owned();
    let out = std::process::Command::new(license_check_bin())
        .args(["--json", "--date", "2026-11-23", "verify", "--catalog"])
        .arg(&later_path)
        .args([
            "--file",
            file.to_str().unwrap(),
            "--licensee",
            "Partner AG",
            "--key",
            &key,
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["license"]["all_modules"], true, "{v}");
    let allowed: Vec<&str> = v["allowed_now"]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(allowed.contains(&"mobile") && allowed.contains(&"crm"), "{v}");
    // In words too.
    let out = std::process::Command::new(license_check_bin())
        .args(["--date", "2026-11-23", "verify", "--catalog"])
        .arg(&later_path)
        .args([
            "--file",
            file.to_str().unwrap(),
            "--licensee",
            "Partner AG",
            "--key",
            &key,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Modules:          all, present and future ("),
        "{text}"
    );
    assert!(text.contains("mobile"), "{text}");
}
