//! Reseller delegation through the CLI: a reseller's key, its certificate with a bundle,
//! `license-check`'s verdict on a reseller's code.

use super::{Env, Run};

pub fn vendor_key(vendor: &Env) -> String {
    let keys = vendor.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    // One line per key: key id, then the public key in hex.
    let line = keys.lines().next().expect("a key");
    line.split_whitespace().last().expect("a key").to_owned()
}

/// Generate a reseller key in `env`'s home; its public key in hex.
pub fn keygen(env: &Env) -> String {
    env.run(&["--json", "reseller", "keygen"]).json()["public_key"]
        .as_str()
        .expect("a public key")
        .to_owned()
}

/// A new reseller's home certified by `parent` (the vendor, or with `--as-reseller` in
/// `extra` a reseller) with a bundle, installed: the home, its public key and what
/// `reseller install --json` said.
pub fn certified(
    parent: &Env,
    name: &str,
    serial: &str,
    users: &str,
    extra: &[&str],
) -> (Env, String, serde_json::Value) {
    let env = Env::new();
    let key = keygen(&env);
    let bundle = parent.path(&format!("{name}.bundle.json"));
    let bundle = bundle.to_str().expect("a UTF-8 path");
    let args = [extra, &["--bundle", bundle]].concat();
    certify(parent, &key, name, serial, users, &args).ok();
    let installed = env.run(&["--json", "reseller", "install", bundle]).json();
    (env, key, installed)
}

/// `license-check --json verify` of the code in `file` on 2026-11-23 with the product
/// `demo-erp` and `extra` options: its exit code and JSON.
pub fn license_check(file: &std::path::Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = std::process::Command::new(super::license_check_bin())
        .args([
            "--json",
            "--date",
            "2026-11-23",
            "verify",
            "--product",
            "demo-erp",
            "--file",
        ])
        .arg(file)
        .args(extra)
        .output()
        .expect("run license-check");
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

/// A license-id range per certificate serial.
pub fn ids_for(serial: &str) -> &'static str {
    match serial {
        "7" => "500000-500999",
        "1" => "500100-500199",
        _ => "900000-900009",
    }
}

pub fn certify<'a>(
    env: &'a Env,
    key: &'a str,
    name: &'a str,
    serial: &'a str,
    users: &'a str,
    extra: &[&'a str],
) -> Run {
    let mut args = vec![
        "reseller",
        "certify",
        "--public-key",
        key,
        "--name",
        name,
        "--serial",
        serial,
        "--kinds",
        "trial,subscription",
        "--modules",
        "crm,budget",
        "--max-users",
        users,
        "--until",
        "2027-12-31",
        "--license-ids",
        ids_for(serial),
    ];
    // Trials of 30 days unless `extra` gives another limit.
    if !extra.contains(&"--trial-days") {
        args.extend_from_slice(&["--trial-days", "30"]);
    }
    args.extend_from_slice(extra);
    env.run(&args)
}
