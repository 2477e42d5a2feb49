//! Shared by the C, C++ and sanitizer tests: fixtures issued with a fixed test key and
//! written as a C header, and building C/C++ programs against the static library that
//! cargo built for these tests.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use ed25519_dalek::SigningKey;
use license_core::{
    Binding, Component, ComponentSet, Context, Date, Kind, License, MachineBinding, ModuleSet, ProductLine,
    RevocationEntry, RevokedRevisions, UntrustedCode, component_digest, mac_digest, sign,
    sign_revocation_list,
};

pub const PRODUCT: &str = "demo-erp";
pub const LICENSEE: &str = "ACME Corp";
pub const DATABASE: &str = "DB-7F3A-22C1";
/// 2026-11-22 12:00:00 UTC: "now" in every C test.
pub const NOW: i64 = 1_795_348_800;
pub const DAY: i64 = 86_400;
/// The machine the machine-bound code is issued for (values the C test supplies).
pub const MACHINE_OS_ID: &str = "4f1c2d9e8a7b4c3d9e8f7a6b5c4d3e2f";
pub const MACHINE_CPU: &str = "Intel(R) Xeon(R) Gold 6230 | 20";
pub const MACHINE_MAC: [u8; 6] = [0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e];

pub fn vendor_key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

pub fn other_key() -> SigningKey {
    SigningKey::from_bytes(&[9; 32])
}

pub fn day(offset: i64) -> Date {
    Date::from_unix_seconds(NOW).saturating_add_days(offset)
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A 25-user, 3-seat subscription with modules crm, budget and bi, bound to the database.
pub fn base_license() -> License {
    let issued = day(-10);
    License {
        license_id: 1001,
        revision: 1,
        kind: Kind::Subscription,
        line: ProductLine::new(1).expect("line"),
        named_users: Some(25),
        concurrent_seats: Some(3),
        demo_seats: 2,
        modules: ModuleSet::EMPTY.with(0).with(1).with(3),
        issued,
        valid_from: issued,
        expires: issued.add_months(12),
        grace_days: 14,
        maintenance_ends: issued.add_months(12),
        binding: Binding::DATABASE,
        interim: false,
    }
}

fn ctx() -> Context<'static> {
    Context::new(PRODUCT, LICENSEE).with_database(DATABASE)
}

fn code(license: &License, ctx: &Context<'_>, key: &SigningKey) -> String {
    sign(license, ctx, key).expect("sign").to_string()
}

/// The machine binding of the machine-bound code, computed as the C test will supply it.
pub fn machine_binding() -> MachineBinding {
    let key = PRODUCT.as_bytes();
    let mut digests = [license_core::ComponentDigest::default(); license_core::COMPONENTS];
    digests[0] = component_digest(key, Component::OsInstallId, MACHINE_OS_ID).expect("os");
    digests[2] = component_digest(key, Component::Cpu, MACHINE_CPU).expect("cpu");
    digests[3] = mac_digest(key, MACHINE_MAC).expect("mac");
    let set = ComponentSet::EMPTY
        .with(Component::OsInstallId)
        .with(Component::Cpu)
        .with(Component::Network);
    MachineBinding::new(set, digests, 1).expect("binding")
}

struct Header(String);

impl Header {
    fn text(&mut self, name: &str, value: &str) {
        let escaped: String = value.chars().flat_map(char::escape_default).collect();
        let _ = writeln!(self.0, "static const char {name}[] = \"{escaped}\";");
    }

    fn bytes(&mut self, name: &str, value: &[u8]) {
        let _ = write!(
            self.0,
            "static const unsigned char {name}[{}] = {{",
            value.len().max(1)
        );
        for (i, b) in value.iter().enumerate() {
            if i % 16 == 0 {
                self.0.push_str("\n    ");
            }
            let _ = write!(self.0, "0x{b:02x}, ");
        }
        self.0.push_str("\n};\n");
    }

    fn define(&mut self, name: &str, value: impl std::fmt::Display) {
        let _ = writeln!(self.0, "#define {name} {value}");
    }
}

/// Whether an error is the expected one.
type ErrorCheck = fn(&license_core::Error) -> bool;

/// Check that `text` fails to parse with `expected` (so every fixture is what it claims).
fn expect_parse_error(text: &str, expected: ErrorCheck) {
    match UntrustedCode::parse(text) {
        Err(e) if expected(&e) => {}
        other => panic!("fixture {text:?} parses as {other:?}"),
    }
}

fn vector_code(name: &str) -> String {
    let path = crate_dir().join("../license-core/tests/vectors/v1.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("vectors")).expect("vectors are JSON");
    json["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == name)
        .and_then(|c| c["code"].as_str())
        .unwrap_or_else(|| panic!("vector {name} missing"))
        .to_string()
}

/// Every `LIC_RESULT_*` name in the committed header.
pub fn result_names() -> Vec<String> {
    let header = std::fs::read_to_string(crate_dir().join("include/license_ffi.h")).expect("header");
    header
        .lines()
        .filter_map(|l| l.trim().strip_prefix("LIC_RESULT_"))
        .filter_map(|l| l.split(" = ").next())
        .map(|n| format!("LIC_RESULT_{n}"))
        .collect()
}

/// Codes no call of this version can return (see their documentation in the header),
/// and codes the C test cannot provoke (DIAGNOSTICS_UNAVAILABLE needs a Rust logger in the
/// process: `tests/diagnostics.rs` provokes it; RANDOM_UNAVAILABLE needs an operating
/// system without a random source).
pub const UNREACHABLE: [&str; 4] = [
    "LIC_RESULT_MACHINE_FINGERPRINT_REQUIRED",
    "LIC_RESULT_UNKNOWN",
    "LIC_RESULT_DIAGNOSTICS_UNAVAILABLE",
    "LIC_RESULT_RANDOM_UNAVAILABLE",
];
/// Codes only a running seat server returns: covered by `tests/seat_client.rs`, which
/// runs one, not by the C test.
pub const NEEDS_SEAT_SERVER: [&str; 2] = [
    "LIC_RESULT_SEAT_SERVER_REFUSED",
    "LIC_RESULT_SEAT_SERVER_BAD_RESPONSE",
];

/// The seat-server key of the C test's lease tokens.
pub fn seat_server_key() -> SigningKey {
    SigningKey::from_bytes(&[21; 32])
}

/// A lease token for holder `ws-1` of product `cad`, signed by `key`, expiring at `expires_ms`.
pub fn seat_token(key: &SigningKey, expires_ms: i64) -> String {
    use ed25519_dalek::Signer;
    use license_verify::seat_client::LeaseClaims;
    let claims = LeaseClaims {
        server_key: key.verifying_key().to_bytes(),
        lease_id: [3; 16],
        issued_ms: expires_ms - 120_000,
        expires_ms,
        borrowed: true,
        holder: "ws-1".into(),
        machine: "ws-1.acme.lan".into(),
        product: "cad".into(),
    };
    let body = claims.body().expect("short fields");
    let sig = key.sign(&LeaseClaims::signing_input(&body)).to_bytes();
    LeaseClaims::token_text(&body, &sig)
}

/// Write `fixtures.h` into `dir`.
pub fn write_fixtures(dir: &Path) {
    let vendor = vendor_key();
    let other = other_key();
    let mut h = Header(String::from(
        "/* Generated by ffi/tests/common/mod.rs for the C and C++ tests. */\n",
    ));
    h.define("FIX_NOW", format!("((int64_t){NOW})"));
    h.define("FIX_DAY", format!("((int64_t){DAY})"));
    h.text("FIX_PRODUCT", PRODUCT);
    h.text("FIX_LICENSEE", LICENSEE);
    h.text("FIX_DATABASE", DATABASE);
    h.text("FIX_MACHINE_OS_ID", MACHINE_OS_ID);
    h.text("FIX_MACHINE_CPU", MACHINE_CPU);
    h.bytes("FIX_MACHINE_MAC", &MACHINE_MAC);
    h.bytes("FIX_VENDOR_KEY", vendor.verifying_key().as_bytes());
    h.bytes("FIX_OTHER_KEY", other.verifying_key().as_bytes());
    let (by, bm, bd) = day(-21).ymd();
    h.define("FIX_BUILD_YEAR", by);
    h.define("FIX_BUILD_MONTH", bm);
    h.define("FIX_BUILD_DAY", bd);

    let base = base_license();
    let (iy, im, id) = base.issued.ymd();
    h.define("FIX_ISSUED_YEAR", iy);
    h.define("FIX_ISSUED_MONTH", im);
    h.define("FIX_ISSUED_DAY", id);
    let expires = base.expires.expect("expires");
    let (ey, em, ed) = expires.ymd();
    h.define("FIX_EXPIRES_YEAR", ey);
    h.define("FIX_EXPIRES_MONTH", em);
    h.define("FIX_EXPIRES_DAY", ed);
    h.define("FIX_DAYS_TO_EXPIRY", expires.days_since(day(0)));
    let valid = code(&base, &ctx(), &vendor);
    h.text("FIX_CODE_VALID", &valid);
    let rev2 = License {
        revision: 2,
        named_users: Some(30),
        ..base
    };
    h.text("FIX_CODE_REV2", &code(&rev2, &ctx(), &vendor));
    h.text("FIX_CODE_OTHER_KEY", &code(&base, &ctx(), &other));
    h.text(
        "FIX_CODE_OTHER_PRODUCT",
        &code(
            &base,
            &Context::new("other-product", LICENSEE).with_database(DATABASE),
            &vendor,
        ),
    );
    h.text(
        "FIX_CODE_OTHER_LICENSEE",
        &code(
            &base,
            &Context::new(PRODUCT, "Globex Inc").with_database(DATABASE),
            &vendor,
        ),
    );
    h.text(
        "FIX_CODE_OTHER_DATABASE",
        &code(
            &base,
            &Context::new(PRODUCT, LICENSEE).with_database("DB-0000-0001"),
            &vendor,
        ),
    );
    // Expired long ago, past grace, with demo mode.
    let old_issue = day(-500);
    let expired = License {
        license_id: 1003,
        issued: old_issue,
        valid_from: old_issue,
        expires: old_issue.add_months(12),
        maintenance_ends: None,
        ..base
    };
    h.text("FIX_CODE_DEMO_MODE", &code(&expired, &ctx(), &vendor));
    let expired_no_demo = License {
        license_id: 1007,
        demo_seats: 0,
        ..expired
    };
    h.text("FIX_CODE_EXPIRED", &code(&expired_no_demo, &ctx(), &vendor));
    // Perpetual, whose maintenance ended before this release was built.
    let perpetual = License {
        license_id: 1004,
        kind: Kind::Full,
        line: ProductLine::new(0).expect("line"),
        named_users: None,
        concurrent_seats: None,
        expires: None,
        maintenance_ends: Some(day(-30)),
        issued: day(-400),
        valid_from: day(-400),
        ..base
    };
    h.text("FIX_CODE_PERPETUAL_UNCOVERED", &code(&perpetual, &ctx(), &vendor));
    // Starts in five days (a reduction next quarter, say).
    let later = License {
        license_id: 1005,
        valid_from: day(5),
        ..base
    };
    h.text("FIX_CODE_NOT_YET_VALID", &code(&later, &ctx(), &vendor));
    // Bound to a machine.
    let machine = License {
        license_id: 1006,
        binding: Binding::machine(machine_binding()),
        ..base
    };
    h.text(
        "FIX_CODE_MACHINE",
        &code(&machine, &Context::new(PRODUCT, LICENSEE), &vendor),
    );
    h.text("FIX_FINGERPRINT_TEXT", &machine_binding().to_string());
    // Revoked by the revocation lists.
    let revoked = License {
        license_id: 2002,
        ..base
    };
    h.text("FIX_CODE_REVOKED", &code(&revoked, &ctx(), &vendor));

    // Code texts that fail before the signature, each checked here.
    let bad_sig = {
        let parsed = UntrustedCode::parse(&valid).expect("valid parses");
        let mut bytes = parsed.as_bytes().to_vec();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        UntrustedCode::from_bytes(&bytes)
            .expect("still decodes")
            .to_string()
    };
    h.text("FIX_CODE_BAD_SIGNATURE", &bad_sig);
    let typo = {
        let mut chars: Vec<char> = valid.chars().collect();
        // Group 3, first character (index 12 with dashes).
        chars[12] = if chars[12] == '7' { '8' } else { '7' };
        chars.into_iter().collect::<String>()
    };
    expect_parse_error(&typo, |e| matches!(e, license_core::Error::Typo { group: 3 }));
    h.text("FIX_CODE_TYPO", &typo);
    let truncated = &valid[..valid.len() - 6];
    expect_parse_error(truncated, |e| *e == license_core::Error::TypoUnlocated);
    h.text("FIX_CODE_TYPO_UNLOCATED", truncated);
    let cases: [(&str, String, ErrorCheck); 7] = [
        ("FIX_CODE_TOO_SHORT", "ABC".into(), |e| {
            *e == license_core::Error::TooShort
        }),
        ("FIX_CODE_TOO_LONG", "0".repeat(400), |e| {
            matches!(e, license_core::Error::TooLong { .. })
        }),
        ("FIX_CODE_INVALID_CHARACTER", format!("U{}", &valid[1..]), |e| {
            matches!(e, license_core::Error::InvalidCharacter { group: 1, .. })
        }),
        ("FIX_CODE_FINGERPRINT", machine_binding().to_string(), |e| {
            *e == license_core::Error::NotALicenseCode
        }),
        (
            "FIX_CODE_UNSUPPORTED_VERSION",
            vector_code("unsupported-version"),
            |e| matches!(e, license_core::Error::UnsupportedVersion { .. }),
        ),
        ("FIX_CODE_MALFORMED", vector_code("trailing-byte"), |e| {
            matches!(e, license_core::Error::Malformed(_))
        }),
        (
            "FIX_CODE_NON_CANONICAL",
            vector_code("non-canonical-varint"),
            |e| *e == license_core::Error::NonCanonical,
        ),
    ];
    for (name, text, check) in cases {
        expect_parse_error(&text, check);
        h.text(name, &text);
    }

    // Revocation lists (binary), issued yesterday, current for 30 days.
    let all = |id| RevocationEntry {
        license_id: id,
        revisions: RevokedRevisions::All,
    };
    let list = |seq, entries: &[RevocationEntry], key: &SigningKey, issued: Date, expires: Date| {
        sign_revocation_list(PRODUCT, seq, issued, expires, entries, key).expect("list")
    };
    let (from, to) = (day(-1), day(30));
    let list1 = list(1, &[all(2002)], &vendor, from, to);
    h.bytes("FIX_LIST_1", &list1);
    h.bytes("FIX_LIST_2", &list(2, &[all(2002), all(3003)], &vendor, from, to));
    h.bytes(
        "FIX_LIST_2_OTHER",
        &list(2, &[all(2002), all(4004)], &vendor, from, to),
    );
    h.bytes(
        "FIX_LIST_EXPIRED",
        &list(3, &[all(2002)], &vendor, day(-60), day(-30)),
    );
    h.bytes("FIX_LIST_OTHER_KEY", &list(1, &[all(2002)], &other, from, to));
    let mut bad = list1.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x01;
    h.bytes("FIX_LIST_BAD_SIGNATURE", &bad);
    h.bytes("FIX_LIST_INVALID", &[0x01, 0x02, 0x03]);

    // Reseller's codes (delegation): one valid, one per delegation result code.
    write_reseller_fixtures(&mut h);
    // Seat-client lease tokens (the real clock: the client checks expiry with it).
    let seat = seat_server_key();
    let now_ms = license_verify::seat_client::now_ms();
    h.bytes("FIX_SEAT_KEY", &seat.verifying_key().to_bytes());
    h.text("FIX_SEAT_TOKEN_LIVE", &seat_token(&seat, now_ms + 86_400_000));
    h.text("FIX_SEAT_TOKEN_EXPIRED", &seat_token(&seat, now_ms - 1_000));
    h.text(
        "FIX_SEAT_TOKEN_OTHER_SERVER",
        &seat_token(&other_key(), now_ms + 86_400_000),
    );

    // Every result code, for the coverage check at the end of the C test.
    let names = result_names();
    assert!(names.len() > 40, "result codes not found in the header");
    let _ = writeln!(
        h.0,
        "static const struct {{ lic_result code; const char *name; bool reachable; }} FIX_ALL_RESULTS[] = {{"
    );
    for n in &names {
        let reachable = !UNREACHABLE.contains(&n.as_str()) && !NEEDS_SEAT_SERVER.contains(&n.as_str());
        let _ = writeln!(h.0, "    {{ {n}, \"{n}\", {reachable} }},");
    }
    h.0.push_str("};\n");
    std::fs::write(dir.join("fixtures.h"), h.0).expect("write fixtures.h");
}

/// The static library cargo built for this test run (all crate types of the library are
/// built next to the test binary, in `target/<profile>/deps`).
pub fn staticlib() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let deps = exe.parent().expect("deps dir");
    for dir in [deps, deps.parent().unwrap_or(deps)] {
        let p = dir.join("liblicense_ffi.a");
        if p.is_file() {
            return p;
        }
    }
    panic!("liblicense_ffi.a not found next to {}", exe.display());
}

/// System libraries the Rust standard library needs (`--print native-static-libs`).
pub const NATIVE_LIBS: [&str; 5] = ["-lpthread", "-ldl", "-lm", "-lrt", "-lutil"];

/// Which compiler: C or C++.
#[derive(Clone, Copy)]
pub enum Lang {
    C,
    Cxx,
}

/// Compile and link `sources` into `out` with warnings as errors, plus `extra` flags.
pub fn build(lang: Lang, sources: &[PathBuf], include: &[&Path], out: &Path, extra: &[&str]) {
    let (var, default, std) = match lang {
        Lang::C => ("CC", "cc", "-std=c11"),
        Lang::Cxx => ("CXX", "c++", "-std=c++17"),
    };
    let compiler = std::env::var(var).unwrap_or_else(|_| default.to_string());
    let mut cmd = Command::new(&compiler);
    cmd.args([std, "-Wall", "-Wextra", "-Werror", "-pedantic", "-g"]);
    cmd.args(extra);
    for dir in include {
        cmd.arg("-I").arg(dir);
    }
    cmd.args(sources)
        .arg(staticlib())
        .args(NATIVE_LIBS)
        .arg("-o")
        .arg(out);
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        output.status.success(),
        "{compiler} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Run a built program (optionally through a wrapper such as valgrind) and return its
/// standard output; fail the test with its output if it exits non-zero.
pub fn run(program: &Path, args: &[&Path], wrapper: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = match wrapper.split_first() {
        Some((w, rest)) => {
            let mut c = Command::new(w);
            c.args(rest).arg(program);
            c
        }
        None => Command::new(program),
    };
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        program.display(),
        output.status
    );
    stdout
}

/// The include directory of the committed headers.
pub fn include_dir() -> PathBuf {
    crate_dir().join("include")
}

/// Build the C API test into `dir` (with `extra` compiler flags) and return its path.
pub fn build_c_tests(dir: &Path, extra: &[&str]) -> PathBuf {
    write_fixtures(dir);
    let exe = dir.join("test_api");
    build(
        Lang::C,
        &[crate_dir().join("tests/c/test_api.c")],
        &[&include_dir(), dir],
        &exe,
        extra,
    );
    exe
}

/// A code for the example program, valid around the real clock's today (the example reads
/// the system clock, as a product does).
pub fn code_for_today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let today = Date::from_unix_seconds(i64::try_from(secs).expect("time"));
    let issued = today.saturating_add_days(-1);
    let license = License {
        issued,
        valid_from: issued,
        expires: issued.add_months(13),
        maintenance_ends: None,
        ..base_license()
    };
    code(&license, &ctx(), &vendor_key())
}

/// The reseller Contoso's key.
pub fn reseller_key() -> SigningKey {
    SigningKey::from_bytes(&[21; 32])
}

/// Contoso's certificate chain for `product`, signed by `vendor`: subscriptions of line 1
/// with modules 0-3, at most 25 users, for a year; serial 7; may certify one level.
pub fn reseller_chain(product: &str, vendor: &SigningKey, users: u32) -> license_core::CertificateChain {
    use license_core::{Certificate, Frame, KindSet, LineSet, PublicKey, ResellerName};
    let mut frame = Frame::new(
        KindSet::EMPTY.with(Kind::Subscription),
        LineSet::EMPTY.with(1),
        ModuleSet::first(4),
        day(365),
    );
    frame.named_users = Some(users);
    frame.delegation_depth = 1;
    Certificate {
        serial: 7,
        subject: PublicKey::from(reseller_key().verifying_key()),
        name: ResellerName::new("Contoso").expect("name"),
        frame,
    }
    .certify(product, vendor, None)
    .expect("certify")
}

/// `license` signed by `key` behind `chain`, without the issuer's frame check.
pub fn forged_reseller_code(
    chain: &license_core::CertificateChain,
    license: &License,
    key: &SigningKey,
) -> String {
    let inner = sign(license, &ctx(), key).expect("sign");
    let mut bytes = chain.as_bytes().to_vec();
    bytes[0] = 0xD0 | chain.len() as u8;
    bytes.extend_from_slice(inner.as_bytes());
    license_core::UntrustedDelegatedCode::from_bytes(&bytes)
        .expect("decodes")
        .to_string()
}

fn write_reseller_fixtures(h: &mut Header) {
    let vendor = vendor_key();
    let base = base_license();
    let chain = reseller_chain(PRODUCT, &vendor, 25);
    let valid = license_core::sign_delegated(&base, &ctx(), &reseller_key(), &chain).expect("inside");
    h.text("FIX_RESELLER_CODE_VALID", &valid.to_string());
    h.text(
        "FIX_RESELLER_CODE_UNKNOWN_VENDOR",
        &forged_reseller_code(&reseller_chain(PRODUCT, &other_key(), 25), &base, &reseller_key()),
    );
    h.text(
        "FIX_RESELLER_CODE_WRONG_PRODUCT",
        &forged_reseller_code(
            &reseller_chain("other-product", &vendor, 25),
            &base,
            &reseller_key(),
        ),
    );
    let mut bad = valid.as_bytes().to_vec();
    bad[100] ^= 0x01; // inside the certificate's signature
    h.text(
        "FIX_RESELLER_CODE_BAD_CERTIFICATE",
        &license_core::UntrustedDelegatedCode::from_bytes(&bad)
            .expect("decodes")
            .to_string(),
    );
    h.text(
        "FIX_RESELLER_CODE_NOT_SIGNED",
        &forged_reseller_code(&chain, &base, &vendor),
    );
    h.text(
        "FIX_RESELLER_CODE_OUTSIDE",
        &forged_reseller_code(
            &chain,
            &License {
                named_users: Some(26),
                ..base
            },
            &reseller_key(),
        ),
    );
    // Fabrikam under Contoso with unlimited users, certified under a wider chain of
    // Contoso's key and spliced onto the real one.
    let wide = reseller_chain(PRODUCT, &vendor, 1000);
    let sub_key = SigningKey::from_bytes(&[22; 32]);
    let mut sub_frame = license_core::Frame::new(
        license_core::KindSet::EMPTY.with(Kind::Subscription),
        license_core::LineSet::EMPTY.with(1),
        ModuleSet::first(4),
        day(300),
    );
    sub_frame.named_users = Some(1000);
    let sub = license_core::Certificate {
        serial: 1,
        subject: license_core::PublicKey::from(sub_key.verifying_key()),
        name: license_core::ResellerName::new("Fabrikam").expect("name"),
        frame: sub_frame,
    }
    .certify(PRODUCT, &reseller_key(), Some(&wide))
    .expect("certify");
    let first_len = wide.as_bytes().len();
    let mut spliced = chain.as_bytes().to_vec();
    spliced[0] = 0xC2;
    spliced.extend_from_slice(&sub.as_bytes()[first_len..]);
    let spliced = license_core::CertificateChain::from_bytes(&spliced).expect("decodes");
    h.text(
        "FIX_RESELLER_CODE_WIDENING",
        &forged_reseller_code(&spliced, &base, &sub_key),
    );
    let list = license_core::sign_revocation_list_with_certificates(
        PRODUCT,
        1,
        day(-1),
        day(30),
        &[],
        &[7],
        &vendor,
    )
    .expect("list");
    h.bytes("FIX_LIST_CERTIFICATE_7", &list);
    // Fabrikam (serial 1) under Contoso's real chain, and a version-3 list revoking it by
    // the pair (7, 1): the C ABI takes the list's bytes as it takes any list.
    sub_frame.named_users = Some(25);
    let fabrikam = license_core::Certificate {
        serial: 1,
        subject: license_core::PublicKey::from(sub_key.verifying_key()),
        name: license_core::ResellerName::new("Fabrikam").expect("name"),
        frame: sub_frame,
    }
    .certify(PRODUCT, &reseller_key(), Some(&chain))
    .expect("certify");
    let sub_code = license_core::sign_delegated(&base, &ctx(), &sub_key, &fabrikam).expect("inside");
    h.text("FIX_SUB_RESELLER_CODE_VALID", &sub_code.to_string());
    let list = license_core::sign_revocation_list_with_sub_certificates(
        PRODUCT,
        1,
        day(-1),
        day(30),
        &[],
        &[],
        &[license_core::SubCertificateSerial {
            reseller: 7,
            sub_reseller: 1,
        }],
        &vendor,
    )
    .expect("list");
    h.bytes("FIX_LIST_SUB_RESELLER_7_1", &list);
}

/// A verifier for the test installation (vendor key, product, licensee, database code,
/// built three weeks ago), made through the C ABI; the caller frees it.
pub fn test_verifier() -> *mut license_ffi::lic_verifier {
    use license_ffi::*;
    let ok = |r: lic_result| assert_eq!(r, lic_result::Ok);
    let key = vendor_key().verifying_key().to_bytes();
    let (y, m, d) = day(-21).ymd();
    let mut config = std::ptr::null_mut();
    let mut verifier = std::ptr::null_mut();
    // SAFETY: live strings with their lengths; the config is freed once.
    unsafe {
        ok(lic_verifier_config_new(
            PRODUCT.as_ptr().cast(),
            PRODUCT.len(),
            lic_date {
                year: y,
                month: m,
                day: d,
            },
            &mut config,
        ));
        ok(lic_verifier_config_add_key(config, key.as_ptr(), key.len()));
        ok(lic_verifier_config_set_licensee(
            config,
            LICENSEE.as_ptr().cast(),
            LICENSEE.len(),
        ));
        ok(lic_verifier_config_set_database(
            config,
            DATABASE.as_ptr().cast(),
            DATABASE.len(),
        ));
        ok(lic_verifier_new(config, &mut verifier));
        lic_verifier_config_free(config);
    }
    verifier
}
