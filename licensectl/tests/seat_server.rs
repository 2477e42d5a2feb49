//! The seat-server binding end to end, as a vendor and a customer would use it: the
//! customer's `license-server key` goes to the vendor, `licensectl issue|upgrade|rehost
//! --seat-server KEY` puts it into the code, the server (without
//! `--allow-unbound-license`) serves that code, and `license-check seat --license` takes a
//! seat from it, accepting only the server the code names.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{Env, license_check_bin, license_server_bin};
use license_core::{Date, SeatServerDigest};

const LICENSEE: &str = "ACME Corp";
const PRODUCT: &str = "demo-erp";

/// Today by the system clock (the server verifies the code against it).
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Date::from_unix_seconds(secs as i64).to_string()
}

fn vendor_key_hex(env: &Env) -> String {
    let out = env.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    out.split_whitespace().nth(1).expect("key hex").to_owned()
}

/// `license-server key --data DIR`: the server key the customer sends to the vendor.
fn server_key(data: &Path) -> String {
    let out = Command::new(license_server_bin())
        .args(["key", "--data"])
        .arg(data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let key = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(key.len(), 64, "{key}");
    key
}

/// A `license-server serve` child process on a loopback port, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve_command(license: &Path, data: &Path, vendor: &str) -> Command {
    let mut c = Command::new(license_server_bin());
    c.args(["serve", "--license"])
        .arg(license)
        .args(["--product", PRODUCT, "--licensee", LICENSEE, "--key", vendor])
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(data);
    c
}

/// Start the server; `Err((exit code, stderr))` when it refuses to start.
fn serve(license: &Path, data: &Path, vendor: &str) -> Result<Server, (i32, String)> {
    let mut child = serve_command(license, data, vendor)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    match line.trim().strip_prefix("listening on ") {
        Some(base) => Ok(Server {
            child,
            base: base.to_owned(),
        }),
        None => {
            let out = child.wait_with_output().unwrap();
            Err((
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ))
        }
    }
}

fn seat(cmd: &str, base: &str, license: &Path, vendor: &str, lease: &Path) -> (i32, String, String) {
    let out = Command::new(license_check_bin())
        .args([
            "seat",
            cmd,
            "--server",
            base,
            "--holder",
            "ws-17",
            "--product",
            PRODUCT,
        ])
        .arg("--license")
        .arg(license)
        .args(["--key", vendor, "--licensee", LICENSEE, "--lease-file"])
        .arg(lease)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write_code(dir: &Path, name: &str, code: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{code}\n")).unwrap();
    path
}

fn digest_hex(key: &str) -> String {
    let mut k = [0u8; 32];
    hex::decode_to_slice(key, &mut k).unwrap();
    hex::encode(SeatServerDigest::of_key(&k).to_bytes())
}

#[test]
fn a_code_issued_with_the_servers_key_is_served_and_a_seat_taken_through_it() {
    let mut env = Env::ready();
    env.date = today();
    let vendor = vendor_key_hex(&env);
    let data = env.dir.path().join("seat-data");
    let key = server_key(&data);
    let words = format!("the seat server whose key digest is {}", digest_hex(&key));

    // Without the binding the server refuses to start, and says how the vendor adds it.
    let (id, unbound) = env.issue(&["--licensee", LICENSEE, "--kind", "subscription", "--seats", "2"]);
    let unbound_file = write_code(env.dir.path(), "unbound.txt", &unbound);
    let (code, err) = serve(&unbound_file, &data, &vendor)
        .err()
        .expect("started unbound");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("--seat-server") && err.contains(&key) && err.contains("--allow-unbound-license"),
        "{err}"
    );

    // The vendor rehosts the license onto the server's key: the code names it.
    let id = id.to_string();
    let v = env.run(&["--json", "rehost", &id, "--seat-server", &key]).json();
    assert_eq!(v["scope"]["bound_to"], words.as_str(), "{v}");
    let bound = v["code"].as_str().unwrap().to_owned();
    let inspect = env.run(&["inspect", &bound, "--verify"]);
    assert!(inspect.ok().contains(&words), "{}", inspect.stdout);
    let show = env.run(&["show", &id]);
    assert!(show.ok().contains(&words), "{}", show.stdout);

    // The server serves it without --allow-unbound-license, and the shell client takes a
    // seat from the server the code names.
    let license = write_code(env.dir.path(), "license.txt", &bound);
    let server = serve(&license, &data, &vendor).unwrap_or_else(|(c, e)| panic!("exit {c}: {e}"));
    let lease = env.dir.path().join("ws-17.lease");
    let (code, out, err) = seat("acquire", &server.base, &license, &vendor, &lease);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("seat held by ws-17 until ") && out.contains("(1 of 2 seats in use)"),
        "{out}"
    );
    let (code, out, err) = seat("release", &server.base, &license, &vendor, &lease);
    assert_eq!(code, 0, "{out}{err}");

    // The client holding the unbound code refuses this server's leases (no key named).
    let (code, _, err) = seat("acquire", &server.base, &unbound_file, &vendor, &lease);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--seat-server"), "{err}");
    drop(server);

    // A code naming another server's key: refused, naming this server's key.
    let other = env.dir.path().join("other-data");
    let other_key = server_key(&other);
    let (_, elsewhere) = env.issue(&[
        "--licensee",
        LICENSEE,
        "--kind",
        "subscription",
        "--seats",
        "2",
        "--seat-server",
        &other_key,
    ]);
    let elsewhere = write_code(env.dir.path(), "elsewhere.txt", &elsewhere);
    let (code, err) = serve(&elsewhere, &data, &vendor)
        .err()
        .expect("started with another server's code");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("another seat server") && err.contains(&key), "{err}");
}

#[test]
fn issue_upgrade_and_rehost_carry_the_seat_server_and_refuse_a_bad_key() {
    let env = Env::ready();
    let key = "5f".repeat(32);
    let words = format!("the seat server whose key digest is {}", digest_hex(&key));
    let v = env
        .run(&[
            "--json",
            "issue",
            "--licensee",
            LICENSEE,
            "--seats",
            "5",
            "--database",
            "DB-JBW44-P5J45-44VPC-YCED6",
            "--seat-server",
            &key,
        ])
        .json();
    assert_eq!(
        v["scope"]["bound_to"],
        format!("the database code and {words}"),
        "{v}"
    );
    let id = v["scope"]["license_id"].to_string();

    // A rehost to another database keeps the seat server; --unbind-seat-server removes it.
    let v = env
        .run(&[
            "--json",
            "rehost",
            &id,
            "--database",
            "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
        ])
        .json();
    assert_eq!(
        v["scope"]["bound_to"],
        format!("the database code and {words}"),
        "{v}"
    );
    let v = env.run(&["--json", "rehost", &id, "--unbind-seat-server"]).json();
    assert_eq!(v["scope"]["bound_to"], "the database code", "{v}");
    let both = env.run(&["rehost", &id, "--unbind-seat-server", "--seat-server", &key]);
    assert_eq!(both.code, 2, "{both:?}");
    assert!(both.stderr.contains("cannot be used with"), "{both:?}");

    // An additional order can bind it, with more seats or alone.
    let v = env
        .run(&["--json", "upgrade", &id, "--seats", "8", "--seat-server", &key])
        .json();
    assert_eq!(
        v["scope"]["bound_to"],
        format!("the database code and {words}"),
        "{v}"
    );
    assert_eq!(v["scope"]["concurrent_seats"], 8);
    let other = "a0".repeat(32);
    let v = env
        .run(&["--json", "upgrade", &id, "--seat-server", &other])
        .json();
    assert!(
        v["scope"]["bound_to"]
            .as_str()
            .unwrap()
            .contains(&digest_hex(&other)),
        "{v}"
    );

    // A key that is not 64 hex digits is refused before anything is issued.
    env.run(&["issue", "--licensee", LICENSEE, "--seat-server", "5f3c"])
        .fails(2, "64 hex digits");
    env.run(&["rehost", &id, "--seat-server", &format!("{}zz", "5f".repeat(31))])
        .fails(2, "64 hex digits");
}
