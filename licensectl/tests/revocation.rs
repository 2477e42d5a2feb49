//! The revocation list licensectl signs is the one license-verify installs: after a
//! reduction takes effect, the old, larger code is refused and the reduced one works.

mod common;
use common::*;

use license_core::PublicKey;
use license_issue::parse_hex32;
use license_verify::{Utc, Verifier};

fn at(day: &str) -> Utc {
    let d = license_core::Date::parse(day).unwrap();
    Utc(Utc::start_of(d).0 + 12 * 3600)
}

#[test]
fn old_code_is_refused_after_the_reduction_starts() {
    let env = Env::ready();
    let (_, old) = env.issue(&[
        "--licensee",
        "ACME Corp",
        "--users",
        "40",
        "--modules",
        "crm,bi",
        "--database",
        "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
    ]);
    // On-premises (contract-year): at the first anniversary, 2027-11-22, ordered with
    // more than 3 months' notice.
    let v = env.run(&["--json", "reduce", "1001", "--users", "20"]).json();
    assert_eq!(v["effective"], "2027-11-22");
    let reduced = v["scheduled"]["code"].as_str().unwrap().to_owned();
    let list = env
        .run_on(
            "2027-11-22",
            &["--json", "revoke", "--list", "--valid-days", "90"],
        )
        .json();
    assert_eq!(
        list["entries"][0],
        serde_json::json!({"license_id": 1001, "revisions": {"up-to": 1}})
    );

    let hex = env.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    let key = PublicKey::from_bytes(&parse_hex32(hex.split_whitespace().nth(1).unwrap()).unwrap()).unwrap();
    let verifier = Verifier::builder(
        vec![key],
        "demo-erp",
        license_core::Date::parse("2026-11-22").unwrap(),
    )
    .licensee("ACME Corp")
    .database("DB-ZSNRK-1WQ6N-GHZP2-K95B9")
    .build()
    .unwrap();
    // Before the start: the old code works, the reduced one is not valid yet.
    assert!(
        verifier
            .verify_text_at(&old, at("2027-11-01"))
            .unwrap()
            .is_usable()
    );
    // The list arrives on 1 January: the old code is revoked, the reduced one is in force.
    let info = verifier
        .ingest_revocation_file_at(env.path("revocations/demo-erp/list-1.bin"), at("2027-11-22"))
        .unwrap();
    assert_eq!((info.sequence, info.entries), (1, 1));
    let refused = verifier.verify_text_at(&old, at("2027-11-23")).unwrap_err();
    assert!(
        matches!(
            refused,
            license_verify::Error::Revoked {
                license_id: 1001,
                revision: 1,
                ..
            }
        ),
        "{refused}"
    );
    let now = verifier.verify_text_at(&reduced, at("2027-11-23")).unwrap();
    assert_eq!((now.revision(), now.named_users()), (2, Some(20)));
    // `inspect --verify --revocation-list`: the old code is superseded, the reduced one is
    // not listed (finding 4: inspect called a revoked code valid).
    let list1 = env.path("revocations/demo-erp/list-1.bin");
    let list1 = list1.to_str().unwrap();
    let out = env.run_on(
        "2027-11-23",
        &["inspect", &old, "--verify", "--revocation-list", list1],
    );
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("SUPERSEDED: revocation list 1 revokes revisions up to 1 of license 1001"),
        "{}",
        out.stdout
    );
    let v = env.run_on(
        "2027-11-23",
        &["--json", "inspect", &old, "--verify", "--revocation-list", list1],
    );
    let v: serde_json::Value = serde_json::from_str(&v.stdout).unwrap();
    assert_eq!(v["revocation"]["status"], "superseded");
    assert_eq!(v["revocation"]["list_sequence"], 1);
    let out = env.run_on(
        "2027-11-23",
        &["inspect", &reduced, "--verify", "--revocation-list", list1],
    );
    assert!(out.ok().contains("Not on the revocation list given."));
    let v = env
        .run_on(
            "2027-11-23",
            &[
                "--json",
                "inspect",
                &reduced,
                "--verify",
                "--revocation-list",
                list1,
            ],
        )
        .json();
    assert!(v["revocation"].is_null());

    // A revoked license: all revisions.
    env.run_on("2027-11-24", &["revoke", "1001"]).ok();
    env.run_on("2027-11-24", &["revoke", "--list"]).ok();
    verifier
        .ingest_revocation_file_at(env.path("revocations/demo-erp/list-2.bin"), at("2027-11-24"))
        .unwrap();
    assert!(matches!(
        verifier.verify_text_at(&reduced, at("2027-11-24")),
        Err(license_verify::Error::Revoked {
            revision: 2,
            list_sequence: 2,
            ..
        })
    ));
    let list2 = env.path("revocations/demo-erp/list-2.bin");
    let out = env.run_on(
        "2027-11-24",
        &[
            "inspect",
            &reduced,
            "--verify",
            "--revocation-list",
            list1,
            "--revocation-list",
            list2.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("REVOKED: revocation list 2 revokes license 1001 (every revision)"),
        "{}",
        out.stdout
    );
}

#[test]
fn lists_are_per_product_and_sequences_survive_a_lost_directory() {
    let env = Env::ready();
    let list = |args: &[&str]| {
        let v = env.run(&[&["--json", "revoke", "--list"], args].concat()).json();
        (
            v["product"].as_str().unwrap().to_owned(),
            v["sequence"].as_u64().unwrap(),
        )
    };
    assert_eq!(list(&[]), ("demo-erp".into(), 1), "the only catalog");
    assert_eq!(list(&[]), ("demo-erp".into(), 2));
    let text = std::fs::read_to_string(env.path("catalog/demo-erp.toml")).unwrap();
    std::fs::write(
        env.path("catalog/other.toml"),
        text.replace("product = \"demo-erp\"", "product = \"other\""),
    )
    .unwrap();
    env.run(&["revoke", "--list"])
        .fails(2, "name one with --product (the catalogs define demo-erp, other)");
    assert_eq!(
        list(&["--product", "other"]),
        ("other".into(), 1),
        "sequences per product"
    );
    assert!(env.path("revocations/other/list-1.bin").exists());
    // A lost revocations/ directory does not restart at 1: the record says 2 was last.
    std::fs::remove_dir_all(env.path("revocations")).unwrap();
    assert_eq!(list(&["--product", "demo-erp"]), ("demo-erp".into(), 3));
    assert_eq!(list(&["--product", "other"]), ("other".into(), 2));
    env.run(&["revoke", "--list", "--product", "nope"])
        .fails(2, "nope");
}

#[test]
fn a_list_is_not_current_past_the_start_of_a_pending_reduction() {
    let env = Env::ready();
    env.issue(&[
        "--licensee",
        "ACME Corp",
        "--users",
        "40",
        "--database",
        "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
    ]);
    env.run(&["reduce", "1001", "--users", "20"]).ok();
    let out = env.run_on(
        "2027-10-01",
        &["--json", "revoke", "--list", "--valid-days", "90"],
    );
    let v: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(v["expires"], "2027-11-22", "capped at the reduction's start");
    assert!(
        out.stderr
            .contains("license 1001's reduction starts on 2027-11-22; publish the next list that day"),
        "{}",
        out.stderr
    );
    // From the start the list names the old code and may run its full validity.
    let v = env
        .run_on(
            "2027-11-22",
            &["--json", "revoke", "--list", "--valid-days", "90"],
        )
        .json();
    assert_eq!(v["expires"], "2028-02-20");
}
