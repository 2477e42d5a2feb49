//! The verify cases every verifying command line must answer alike: one per status and
//! one per refusal, with the exit code and the JSON `status` or error `kind` expected.
//! Used by verify-cli's own tests (through `verify_cli::run`) and by the tests of both
//! binaries (`licensectl verify`, `license-check verify`), so the two CLIs are held to
//! the same table.
#![allow(dead_code)]

use std::path::Path;

use license_core::ed25519_dalek::SigningKey;
use license_core::{
    Binding, Context, Date, Kind, License, ModuleSet, ProductLine, PublicKey, RevocationEntry,
    RevokedRevisions, sign, sign_revocation_list,
};

pub const PRODUCT: &str = "erp";
pub const LICENSEE: &str = "ACME Corp";
pub const DATABASE: &str = "DB-7F3A-22C1";
pub const SECRET: &str = "erp-state-secret-for-the-cli-tests";

pub fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

pub fn key_hex() -> String {
    hex::encode(PublicKey::from(vendor().verifying_key()).to_bytes())
}

pub fn d(y: u16, m: u8, day: u8) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

/// A one-year subscription from 2026-01-15 (expires 2027-01-15), 25 users, modules 0, 1
/// and 3, 14 days of grace, then 2 demo seats; bound to the database.
pub fn subscription() -> License {
    License {
        license_id: 1001,
        revision: 1,
        kind: Kind::Subscription,
        line: ProductLine::new(1).unwrap(),
        named_users: Some(25),
        concurrent_seats: None,
        demo_seats: 2,
        modules: ModuleSet::EMPTY.with(0).with(1).with(3),
        issued: d(2026, 1, 10),
        valid_from: d(2026, 1, 15),
        expires: Some(d(2027, 1, 15)),
        grace_days: 14,
        maintenance_ends: Some(d(2027, 1, 15)),
        binding: Binding::DATABASE,
        interim: false,
    }
}

pub fn issue_for(l: &License, product: &str, licensee: &str, key: &SigningKey) -> String {
    let ctx = Context::new(product, licensee).with_database(DATABASE);
    sign(l, &ctx, key).unwrap().to_string()
}

pub fn issue(l: &License) -> String {
    issue_for(l, PRODUCT, LICENSEE, &vendor())
}

/// Fill the state files a case needs: each of its runs `before` as the installation itself
/// would make it (a `Verifier` writing its state file at noon of the day: the code given
/// first, after the revocation lists given). A check with `--date` only reads the state
/// file, so the command line cannot prepare one.
pub fn prepare(c: &Case) {
    for (args, day) in &c.before {
        let value = |name: &str| {
            args.windows(2)
                .filter(|w| w[0] == name)
                .map(|w| w[1].clone())
                .collect::<Vec<_>>()
        };
        let state = value("--state-file");
        let key = PublicKey::from_hex(&key_hex()).unwrap();
        let mut builder = license_verify::Verifier::builder(vec![key], PRODUCT, d(2026, 6, 1))
            .licensee(LICENSEE)
            .database(DATABASE);
        if let Some(path) = state.first() {
            builder = builder.state_file(path, SECRET.as_bytes().to_vec());
        }
        let verifier = builder.build().unwrap();
        let day: Date = day.parse().unwrap();
        let noon = license_verify::Utc(license_verify::Utc::start_of(day).0 + 12 * 3600);
        for list in value("--revocation-list") {
            let _ = verifier.ingest_revocation_file_at(&list, noon);
        }
        let _ = verifier.verify_text_at(&args[0], noon);
    }
}

/// One check: runs before it (their results are not checked, e.g. to fill a state file,
/// see [`prepare`]), the arguments after `verify`, the day checked, and what is expected.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: &'static str,
    pub before: Vec<(Vec<String>, &'static str)>,
    pub args: Vec<String>,
    pub date: &'static str,
    pub exit: u8,
    /// The JSON `status` for a verified code.
    pub status: Option<&'static str>,
    /// The JSON error `kind` for a refusal.
    pub error: Option<&'static str>,
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

/// The common arguments: product, licensee, database, key, module names.
pub fn base(code: &str) -> Vec<String> {
    let mut a = s(&[
        code,
        "--product",
        PRODUCT,
        "--licensee",
        LICENSEE,
        "--database",
        DATABASE,
    ]);
    a.extend(s(&["--key", &key_hex(), "--modules", "crm,budget,planning,bi"]));
    a
}

fn with(mut a: Vec<String>, extra: &[&str]) -> Vec<String> {
    a.extend(s(extra));
    a
}

fn case(name: &'static str, args: Vec<String>, date: &'static str, exit: u8) -> Case {
    Case {
        name,
        before: Vec::new(),
        args,
        date,
        exit,
        status: None,
        error: None,
    }
}

fn status(c: Case, word: &'static str) -> Case {
    Case {
        status: Some(word),
        ..c
    }
}

fn error(c: Case, kind: &'static str) -> Case {
    Case {
        error: Some(kind),
        ..c
    }
}

/// Every case; files (state, secret, lists, license files) are written into `dir`.
pub fn cases(dir: &Path) -> Vec<Case> {
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let code = issue(&subscription());
    let no_demo = issue(&License {
        demo_seats: 0,
        ..subscription()
    });
    let full = issue(&License {
        kind: Kind::Full,
        expires: None,
        maintenance_ends: Some(d(2027, 1, 15)),
        ..subscription()
    });
    let rev2 = issue(&License {
        revision: 2,
        named_users: Some(10),
        issued: d(2026, 2, 1),
        valid_from: d(2026, 2, 1),
        ..subscription()
    });
    let mut typo: Vec<char> = code.chars().collect();
    typo[1] = if typo[1] == 'X' { 'Y' } else { 'X' };
    let typo: String = typo.into_iter().collect();
    let other_key = issue_for(
        &subscription(),
        PRODUCT,
        LICENSEE,
        &SigningKey::from_bytes(&[9; 32]),
    );
    std::fs::write(path("secret"), format!("{SECRET}\n")).unwrap();
    std::fs::write(path("garbage.state"), b"not a state file").unwrap();
    std::fs::write(path("two-codes.txt"), format!("{code}\n\n{rev2}\n")).unwrap();
    std::fs::write(path("binary.txt"), [0xffu8, 0xfe, 0x00]).unwrap();
    let list = |seq: u64, issued: Date, expires: Date, entries: &[RevocationEntry]| {
        sign_revocation_list(PRODUCT, seq, issued, expires, entries, &vendor()).unwrap()
    };
    let revoked = [RevocationEntry {
        license_id: 1001,
        revisions: RevokedRevisions::All,
    }];
    std::fs::write(
        path("revoked.list"),
        list(2, d(2026, 2, 1), d(2026, 9, 1), &revoked),
    )
    .unwrap();
    std::fs::write(path("empty-1.list"), list(1, d(2026, 2, 1), d(2026, 9, 1), &[])).unwrap();
    std::fs::write(path("empty-3.list"), list(3, d(2026, 2, 1), d(2026, 9, 1), &[])).unwrap();
    std::fs::write(path("old.list"), list(4, d(2026, 1, 1), d(2026, 2, 1), &[])).unwrap();
    let state = |name: &str| {
        vec![
            "--state-file".to_owned(),
            path(name),
            "--state-secret-file".to_owned(),
            path("secret"),
        ]
    };
    let b = base(&code);
    vec![
        status(case("valid", b.clone(), "2026-03-01", 0), "valid"),
        status(case("expiring soon", b.clone(), "2027-01-01", 0), "expiring-soon"),
        status(case("in grace", b.clone(), "2027-01-20", 0), "in-grace"),
        status(case("demo mode", b.clone(), "2027-02-10", 0), "demo-mode"),
        status(case("not yet valid", b.clone(), "2026-01-12", 3), "not-yet-valid"),
        status(case("expired", base(&no_demo), "2027-03-01", 3), "expired"),
        status(
            case(
                "release not covered",
                with(base(&full), &["--build-date", "2027-06-01"]),
                "2027-03-01",
                3,
            ),
            "valid",
        ),
        status(
            case(
                "release covered",
                with(base(&full), &["--build-date", "2026-06-01"]),
                "2027-03-01",
                0,
            ),
            "valid",
        ),
        status(
            case(
                "two codes in one file: the higher revision in force",
                with(base(&code)[1..].to_vec(), &["--file", &path("two-codes.txt")]),
                "2026-03-01",
                0,
            ),
            "valid",
        ),
        error(case("typo", base(&typo), "2026-03-01", 1), "typo"),
        error(
            case("unknown key", base(&other_key), "2026-03-01", 1),
            "unknown-key",
        ),
        error(
            case(
                "wrong product",
                with(
                    s(&[
                        &code,
                        "--product",
                        "crm-suite",
                        "--licensee",
                        LICENSEE,
                        "--database",
                        DATABASE,
                    ]),
                    &["--key", &key_hex()],
                ),
                "2026-03-01",
                1,
            ),
            "wrong-product",
        ),
        error(
            case(
                "wrong licensee",
                with(
                    s(&[
                        &code,
                        "--product",
                        PRODUCT,
                        "--licensee",
                        "Other Ltd",
                        "--database",
                        DATABASE,
                    ]),
                    &["--key", &key_hex()],
                ),
                "2026-03-01",
                1,
            ),
            "wrong-licensee",
        ),
        error(
            case(
                "wrong database",
                with(
                    s(&[
                        &code,
                        "--product",
                        PRODUCT,
                        "--licensee",
                        LICENSEE,
                        "--database",
                        "DB-0000",
                    ]),
                    &["--key", &key_hex()],
                ),
                "2026-03-01",
                1,
            ),
            "wrong-database",
        ),
        error(
            case(
                "no database code",
                with(
                    s(&[&code, "--product", PRODUCT, "--licensee", LICENSEE]),
                    &["--key", &key_hex()],
                ),
                "2026-03-01",
                1,
            ),
            "database-code-required",
        ),
        error(
            case(
                "revoked",
                with(b.clone(), &["--revocation-list", &path("revoked.list")]),
                "2026-03-01",
                1,
            ),
            "revoked",
        ),
        error(
            case(
                "revocation list expired",
                with(b.clone(), &["--revocation-list", &path("old.list")]),
                "2026-03-01",
                1,
            ),
            "revocation-list-expired",
        ),
        error(
            Case {
                before: vec![(
                    [
                        b.clone(),
                        state("rollback.state"),
                        s(&["--revocation-list", &path("empty-3.list")]),
                    ]
                    .concat(),
                    "2026-03-01",
                )],
                ..case(
                    "revocation list rolled back",
                    [
                        b.clone(),
                        state("rollback.state"),
                        s(&["--revocation-list", &path("empty-1.list")]),
                    ]
                    .concat(),
                    "2026-03-02",
                    1,
                )
            },
            "revocation-list-rollback",
        ),
        error(
            Case {
                before: vec![([base(&rev2), state("replay.state")].concat(), "2026-03-01")],
                ..case(
                    "superseded",
                    [b.clone(), state("replay.state")].concat(),
                    "2026-03-02",
                    1,
                )
            },
            "superseded",
        ),
        error(
            Case {
                before: vec![([b.clone(), state("clock.state")].concat(), "2026-03-10")],
                ..case(
                    "clock turned back",
                    [b.clone(), state("clock.state")].concat(),
                    "2026-03-01",
                    1,
                )
            },
            "clock-turned-back",
        ),
        error(
            case(
                "state file damaged",
                [
                    b.clone(),
                    s(&["--state-file", &path("garbage.state")]),
                    s(&["--state-secret-file", &path("secret")]),
                ]
                .concat(),
                "2026-03-01",
                1,
            ),
            "state-corrupt",
        ),
        error(
            case(
                "license file missing",
                with(b[1..].to_vec(), &["--file", &path("missing.txt")]),
                "2026-03-01",
                1,
            ),
            "io",
        ),
        error(
            case(
                "license file not text",
                with(b[1..].to_vec(), &["--file", &path("binary.txt")]),
                "2026-03-01",
                1,
            ),
            "not-text",
        ),
        error(
            case(
                "no key",
                s(&[
                    &code,
                    "--product",
                    PRODUCT,
                    "--licensee",
                    LICENSEE,
                    "--database",
                    DATABASE,
                ]),
                "2026-03-01",
                2,
            ),
            "usage",
        ),
        error(
            case(
                "no code",
                with(
                    s(&["--product", PRODUCT, "--licensee", LICENSEE]),
                    &["--key", &key_hex()],
                ),
                "2026-03-01",
                2,
            ),
            "usage",
        ),
    ]
}
