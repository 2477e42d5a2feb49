//! Every case of the shared table through `verify_cli::run`: exit code, JSON and words.

#[path = "common/cases.rs"]
mod cases;

use clap::Parser;
use verify_cli::{Defaults, VerifyArgs, run};

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: VerifyArgs,
}

fn parse(args: &[String]) -> VerifyArgs {
    Cli::try_parse_from(std::iter::once("verify".to_owned()).chain(args.iter().cloned()))
        .unwrap()
        .args
}

fn date(s: &str) -> Option<license_core::Date> {
    Some(s.parse().unwrap())
}

#[test]
fn every_status_and_refusal() {
    let dir = tempfile::tempdir().unwrap();
    for c in cases::cases(dir.path()) {
        cases::prepare(&c);
        let out = run(&parse(&c.args), date(c.date), true, &Defaults::default());
        assert_eq!(out.exit, c.exit, "{}: {out:?}", c.name);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["usable"], c.exit == 0, "{}", c.name);
        match (c.status, c.error) {
            (Some(word), None) => {
                assert_eq!(v["status"], word, "{}: {v}", c.name);
                assert_eq!(v["errors"], serde_json::json!([]), "{}", c.name);
                assert!(out.stderr.is_empty(), "{}", c.name);
            }
            (None, Some(kind)) => {
                assert!(v["status"].is_null(), "{}", c.name);
                assert_eq!(v["errors"][0]["kind"], kind, "{}: {v}", c.name);
                let message = v["errors"][0]["message"].as_str().unwrap();
                assert_eq!(out.stderr, format!("error: {message}\n"), "{}", c.name);
            }
            _ => unreachable!("a case expects a status or an error"),
        }
        // The text form of the same check: the same exit code and the verdict first, or
        // nothing on stdout and the same one-line error.
        let text = run(&parse(&c.args), date(c.date), false, &Defaults::default());
        assert_eq!(text.exit, c.exit, "{}: {text:?}", c.name);
        if c.error.is_some() {
            assert_eq!(
                (text.stdout.as_str(), &text.stderr),
                ("", &out.stderr),
                "{}",
                c.name
            );
        } else {
            let verdict = if c.exit == 0 {
                "USABLE now"
            } else {
                "GENUINE but NOT usable now"
            };
            assert!(text.stdout.starts_with(verdict), "{}: {}", c.name, text.stdout);
        }
    }
}

#[test]
fn grace_is_usable_without_a_build_date() {
    // Finding 4: in grace, `licensectl verify` said "NOT covered ... Allowed now: 0"
    // because it used today as the build date.
    let dir = tempfile::tempdir().unwrap();
    let _ = cases::cases(dir.path());
    let code = cases::issue(&cases::subscription());
    let out = run(
        &parse(&cases::base(&code)),
        date("2027-01-20"),
        false,
        &Defaults::default(),
    );
    assert_eq!(out.exit, 0, "{out:?}");
    assert!(
        out.stdout.starts_with("USABLE now: license 1001 revision 1"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("in grace: fully usable for 9 more days"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("This release:     coverage not checked"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "Allowed now:      25 named users, unlimited concurrent seats; modules: crm, budget, bi"
        ),
        "{}",
        out.stdout
    );
    let json = run(
        &parse(&cases::base(&code)),
        date("2027-01-20"),
        true,
        &Defaults::default(),
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["release"]["release"], "not-checked");
    assert_eq!(v["status_detail"]["days_left"], 9);
    assert_eq!(v["allowed_now"]["named_users"], 25);
    assert_eq!(
        v["allowed_now"]["modules"],
        serde_json::json!(["crm", "budget", "bi"])
    );
    assert_eq!(v["license"]["last_day"], "2027-01-14");
    // Demo mode: 2 seats, no modules named as usable beyond the signed ones.
    let demo = run(
        &parse(&cases::base(&code)),
        date("2027-02-10"),
        false,
        &Defaults::default(),
    );
    assert!(
        demo.stdout.contains("Allowed now:      2 named users"),
        "{}",
        demo.stdout
    );
}

/// The subscription's code with licensee and database only, then `extra`.
fn bare(extra: &[&str]) -> VerifyArgs {
    let mut a = vec![
        cases::issue(&cases::subscription()),
        "--licensee".into(),
        cases::LICENSEE.into(),
        "--database".into(),
        cases::DATABASE.into(),
    ];
    a.extend(extra.iter().map(|x| (*x).to_owned()));
    parse(&a)
}

/// Defaults as licensectl fills them from its key ring and its catalog of `product`.
fn licensectl_like(product: &str) -> Defaults {
    Defaults {
        keys: vec![license_core::PublicKey::from(cases::vendor().verifying_key())],
        product: Some(product.into()),
        modules: vec!["crm".into(), "budget".into(), "planning".into(), "bi".into()],
        lines: vec!["standard".into(), "expert".into()],
    }
}

#[test]
fn defaults_fill_what_the_command_line_leaves_out() {
    let args = bare(&[]);
    let defaults = licensectl_like(cases::PRODUCT);
    let out = run(&args, date("2026-03-01"), false, &defaults);
    assert_eq!(out.exit, 0, "{out:?}");
    assert!(out.stdout.contains("Product line:     expert"), "{}", out.stdout);
    let none = run(&args, date("2026-03-01"), false, &Defaults::default());
    assert_eq!(
        (none.exit, none.stderr.as_str()),
        (2, "error: give the product id with --product or --catalog\n")
    );
}

#[test]
fn a_catalog_file_beats_the_binarys_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("erp.toml");
    std::fs::write(
        &path,
        "product = \"erp\"\n[modules]\nc0 = 0\nc1 = 1\nc3 = 3\n[lines]\nbasic = 0\npro = 1\n[trial]\ndays = 30\n",
    )
    .unwrap();
    let args = bare(&["--catalog", path.to_str().unwrap()]);
    // A binary's defaults (licensectl: its own catalog) give way to the file given.
    let defaults = licensectl_like("other");
    let out = run(&args, date("2026-03-01"), false, &defaults);
    assert_eq!(out.exit, 0, "{out:?}");
    assert!(out.stdout.contains("Product line:     pro"), "{}", out.stdout);
    assert!(out.stdout.contains("modules: c0, c1, c3"), "{}", out.stdout);
}
