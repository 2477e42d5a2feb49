//! Takes the reference code, key and machine from license-core's golden vectors, so the
//! binary verifies exactly the code the benches and vectors use.
use std::fmt::Write as _;

fn main() {
    let path = "../../license-core/tests/vectors/v2.json";
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).expect("golden vectors");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("golden vectors are JSON");
    let case = doc["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["name"] == "reference"))
        .expect("reference case");
    let hex = |s: &str| -> Vec<u8> { (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect() };
    let key = hex(case["public_key"].as_str().expect("public key"));
    let ctx = &case["context"];
    let mut out = String::new();
    writeln!(out, "pub const CODE: &str = {:?};", case["code"].as_str().expect("code")).unwrap();
    writeln!(out, "pub const PUBLIC_KEY: [u8; 32] = {key:?};").unwrap();
    writeln!(out, "pub const PRODUCT: &str = {:?};", ctx["product"].as_str().expect("product")).unwrap();
    writeln!(out, "pub const LICENSEE: &str = {:?};", ctx["licensee"].as_str().expect("licensee")).unwrap();
    let mut digests = Vec::new();
    let names = ["os-install-id", "hardware-uuid", "cpu", "network", "root-file-system", "board-serial"];
    for (i, name) in names.iter().enumerate() {
        for d in ctx["machine"][name].as_array().into_iter().flatten() {
            let b = hex(d.as_str().expect("digest"));
            digests.push((i, [b[0], b[1], b[2]]));
        }
    }
    writeln!(out, "pub const MACHINE: [(usize, [u8; 3]); {}] = {digests:?};", digests.len()).unwrap();
    writeln!(out, "pub const TODAY_DAYS: u32 = {};", days(case["license"]["valid_from"].as_str().expect("date"))).unwrap();
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("reference.rs");
    std::fs::write(dest, out).expect("write reference.rs");
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
fn days(s: &str) -> i64 {
    let y: i64 = s[0..4].parse().expect("year");
    let m: i64 = s[5..7].parse().expect("month");
    let d: i64 = s[8..10].parse().expect("day");
    let y = y - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
