//! docs/SERVICE.md's curl examples, run. Every ```sh block of the file marked by the line
//! `<!-- runs: license-service/tests/docs_examples.rs -->` just above its fence is run, in
//! the file's order, with `bash -euo pipefail` against the real `license-service` binary
//! (a child process on a loopback port, PostgreSQL when `LICENSE_TEST_PG` is set, else
//! SQLite; a real SMTP server, Debian's aiosmtpd, for the mails; a webhook receiver on the
//! loopback). Any other ```sh block that calls `curl` fails the test: no curl example in the
//! document goes unrun.
//!
//! The blocks share their variables (each block's exported shell state is sourced by the
//! next) and a working directory (the cookie jars). The values a reader brings from
//! elsewhere are set by the test, as the document says: `$S` (the service's address),
//! `$RESET` (the token `add-vendor-admin` printed), `$TOTP` (the current code of the TOTP
//! secret it printed), `$CONFIRM` and `$INVITE` (the tokens of the confirmation and
//! invitation mails, read from the SMTP server when a block names them), `$HOOK_URL` (the
//! receiver; after the walk the test checks it got the upgrade's `license.changed`
//! event, signed with the secret the registration answered). Every `curl` of a block goes through a shell function that refuses a call
//! without `-f` (so an HTTP error status fails the block) and keeps each answer's body; the
//! test then checks each body: CSV for `format=csv`, a saved file for `-O`/`-o`, JSON
//! otherwise. A failing example fails the test naming its block and command.

mod common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::mailbox::{self, token_in};
use common::today;
use license_issue::KeyRing;
use license_service::auth::totp;

const MARK: &str = "<!-- runs: license-service/tests/docs_examples.rs -->";
/// The walk has this many curl calls at least (a test that runs nothing fails).
const AT_LEAST_CALLS: usize = 40;

/// A marked block: the heading above it, its first line number, its text.
#[derive(Debug)]
struct Block {
    heading: String,
    line: usize,
    code: String,
}

/// The marked ```sh blocks of `doc`, in order; an unmarked ```sh block calling curl is an
/// error.
fn blocks(doc: &str) -> Result<Vec<Block>, String> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with('#') {
            heading = l.trim_start_matches('#').trim().to_owned();
        }
        if l.starts_with("```") {
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].starts_with("```"))
                .ok_or_else(|| format!("line {}: a fence without its end", i + 1))?;
            let code = lines[i + 1..end].join("\n");
            let marked = lines[..i]
                .iter()
                .rev()
                .find(|p| !p.trim().is_empty())
                .is_some_and(|p| p.trim() == MARK);
            if marked {
                if l.trim() != "```sh" {
                    return Err(format!("line {}: a marked block must be ```sh", i + 1));
                }
                out.push(Block {
                    heading: heading.clone(),
                    line: i + 2,
                    code,
                });
            } else if l.trim() == "```sh" && code.contains("curl ") {
                return Err(format!(
                    "line {}: a ```sh block with curl that no test runs (mark it with {MARK})",
                    i + 1
                ));
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    Ok(out)
}

#[test]
fn the_parser_finds_marked_blocks_and_refuses_unmarked_curl() {
    let doc =
        format!("# A\n{MARK}\n```sh\ncurl -f x\n```\n```sh\nls\n```\n## B\n{MARK}\n\n```sh\necho\n```\n");
    let b = blocks(&doc).unwrap();
    assert_eq!(b.len(), 2);
    assert_eq!(
        (b[0].heading.as_str(), b[0].code.as_str(), b[0].line),
        ("A", "curl -f x", 4)
    );
    assert_eq!(b[1].heading, "B");
    let unmarked = "```sh\ncurl -s x\n```\n";
    assert!(blocks(unmarked).unwrap_err().contains("no test runs"));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_license-service"))
}

fn with_database(command: &mut Command, home: &Path, url: Option<&str>) {
    command.env("LICENSE_SERVICE_HOME", home);
    match url {
        Some(url) => command.env("LICENSE_SERVICE_DATABASE", url),
        None => command.env_remove("LICENSE_SERVICE_DATABASE"),
    };
}

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(home: &Path, url: Option<&str>, addr: SocketAddr, smtp: &str) -> Served {
    let mut command = binary();
    with_database(&mut command, home, url);
    let child = command
        .arg("serve")
        .env("LICENSE_SERVICE_LISTEN", addr.to_string())
        .env("LICENSE_SERVICE_SMTP", smtp)
        .env(
            "LICENSE_SERVICE_MAIL_FROM",
            "Licensing <licensing@vendor.example>",
        )
        .env("LICENSE_SERVICE_WEBHOOK_ALLOW", "loopback")
        .env("LICENSE_SERVICE_OUTBOX_POLL_MS", "100")
        .env("LICENSE_SERVICE_INSTANCE", "docs-examples")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let served = Served(child);
    let until = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < until, "the service did not listen on {addr}");
        std::thread::sleep(Duration::from_millis(50));
    }
    served
}

/// `add-vendor-admin`: the printed reset token and TOTP secret.
fn bootstrap(home: &Path, url: Option<&str>, email: &str) -> (String, String) {
    let mut command = binary();
    with_database(&mut command, home, url);
    let out = command.args(["add-vendor-admin", email]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let token = text
        .split('"')
        .find(|w| w.starts_with("lkm_"))
        .unwrap_or_else(|| panic!("no token in {text}"))
        .to_owned();
    let secret = text
        .split("secret=")
        .nth(1)
        .and_then(|r| r.split('&').next())
        .unwrap_or_else(|| panic!("no TOTP secret in {text}"))
        .to_owned();
    (token, secret)
}

/// What runs before each block: the shared state, and `curl` as a function that demands
/// `-f` and keeps every answer's body (`<calls>/<n>.body`, its arguments in `<n>.args`).
const PRELUDE: &str = r#"
trap 'echo "docs example failed (exit $?): $BASH_COMMAND" >&2' ERR
set -a
source "$DOCS_STATE"
cd "$DOCS_WORK"
curl() {
    local a fail=
    for a in "$@"; do
        case $a in --fail|--fail-with-body|-f*|-[a-zA-Z]*f*) fail=1 ;; esac
    done
    if [ -z "$fail" ]; then
        echo "a curl example without -f (an HTTP error would pass): curl $*" >&2
        return 97
    fi
    local n
    n=$(find "$DOCS_CALLS" -name '*.args' | wc -l)
    printf '%s\n' "$@" > "$DOCS_CALLS/$n.args"
    command curl "$@" | tee "$DOCS_CALLS/$n.body" || {
        local rc=$?
        echo "docs example failed (curl exit $rc): curl $*" >&2
        return $rc
    }
}
"#;

const POSTLUDE: &str = "\nexport -p > \"$DOCS_STATE\"\n";

/// Single-quoted for the shell.
fn quoted(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

fn run_walk(url: Option<&str>) {
    for tool in ["curl", "jq", "bash"] {
        assert!(
            Command::new(tool).arg("--version").output().is_ok(),
            "{tool} is missing (build.rs found it: rebuild)"
        );
    }
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/SERVICE.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let walk = blocks(&doc).unwrap_or_else(|e| panic!("docs/SERVICE.md: {e}"));
    assert!(walk.len() >= 8, "only {} marked blocks", walk.len());

    let home = tempfile::tempdir().unwrap();
    KeyRing::create(&home.path().join("keys"), today()).unwrap();
    std::fs::create_dir_all(home.path().join("catalog")).unwrap();
    std::fs::write(
        home.path().join("catalog/demo-erp.toml"),
        license_issue::DEMO_CATALOG,
    )
    .unwrap();
    let (reset, secret) = bootstrap(home.path(), url, "admin@vendor.example");
    let smtpd = mailbox::smtpd();
    let hooks = mailbox::receiver();
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let _served = serve(home.path(), url, addr, &smtpd.url());

    let scratch = tempfile::tempdir().unwrap();
    let work = scratch.path().join("work");
    let calls = scratch.path().join("calls");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&calls).unwrap();
    let state = scratch.path().join("state.sh");
    std::fs::write(
        &state,
        format!(
            "export S={}\nexport RESET={}\nexport HOOK_URL={}\n",
            quoted(&format!("http://{addr}")),
            quoted(&reset),
            quoted(&hooks.url),
        ),
    )
    .unwrap();

    let mut checked = 0;
    for (n, block) in walk.iter().enumerate() {
        let mut extra = String::new();
        let names = |v: &str| block.code.contains(&format!("${v}"));
        if names("TOTP") {
            let code = totp::code_at(&secret, common::now_secs()).unwrap();
            extra.push_str(&format!("export TOTP={}\n", quoted(&code)));
        }
        if names("CONFIRM") {
            let mail = smtpd.wait_for("it@acme.example", "onfirm", 20);
            extra.push_str(&format!("export CONFIRM={}\n", quoted(&token_in(&mail))));
        }
        if names("INVITE") {
            let mail = smtpd.wait_for("admin@contoso.example", "account", 20);
            extra.push_str(&format!("export INVITE={}\n", quoted(&token_in(&mail))));
        }
        let mut s = std::fs::read_to_string(&state).unwrap();
        s.push_str(&extra);
        std::fs::write(&state, s).unwrap();

        let script = format!("{PRELUDE}\n{}\n{POSTLUDE}", block.code);
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script])
            .env("DOCS_STATE", &state)
            .env("DOCS_WORK", &work)
            .env("DOCS_CALLS", &calls)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "docs/SERVICE.md, block {} (line {}, under \"{}\") failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
            n + 1,
            block.line,
            block.heading,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        checked += check_answers(&calls, checked, &work);
    }
    assert!(
        checked >= AT_LEAST_CALLS,
        "the walk made only {checked} curl calls (at least {AT_LEAST_CALLS} expected)"
    );
    // The endpoint the walk registered got the upgrade's event, signed with the secret the
    // registration answered.
    let secret = (0..checked)
        .filter_map(|n| std::fs::read_to_string(calls.join(format!("{n}.body"))).ok())
        .filter_map(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
        .find_map(|v| v["secret"].as_str().map(str::to_owned))
        .expect("no webhook secret in the walk's answers");
    // The walk removes the endpoint soon after the upgrade: its event, written before,
    // still arrives (the worker delivers to removed endpoints too; once in about 25 runs
    // the removal came first, and the event was given up, before that was fixed).
    let hook = hooks.wait_for(20, |b| b["type"] == "license.changed");
    assert!(hook.verifies(&secret), "the webhook's signature: {hook:?}");
    eprintln!(
        "docs examples: {} blocks, {checked} curl calls, none answered an HTTP error, each answer JSON, CSV or a saved file",
        walk.len()
    );
}

/// Check the answers of calls `from..`: JSON, CSV or a saved file. The number checked.
fn check_answers(calls: &Path, from: usize, work: &Path) -> usize {
    let mut n = from;
    loop {
        let args_file = calls.join(format!("{n}.args"));
        let Ok(args) = std::fs::read_to_string(&args_file) else {
            return n - from;
        };
        let body = std::fs::read_to_string(calls.join(format!("{n}.body"))).unwrap_or_default();
        let args: Vec<&str> = args.lines().collect();
        let saves = args
            .iter()
            .any(|a| a.starts_with("-O") || a.starts_with("-o") || *a == "--output");
        if args.iter().any(|a| a.contains("format=csv")) {
            let header = body.lines().next().unwrap_or_default();
            assert!(header.contains(','), "call {n} ({args:?}): not CSV: {body:?}");
        } else if saves {
            let saved: Vec<PathBuf> = std::fs::read_dir(work)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            assert!(!saved.is_empty(), "call {n} ({args:?}) saved no file");
        } else {
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&body);
            assert!(
                parsed.is_ok(),
                "call {n} ({args:?}): the answer is not JSON: {body:?}"
            );
        }
        n += 1;
    }
}

#[test]
#[cfg_attr(
    not(all(has_pg, has_smtpd, has_curl)),
    ignore = "needs PostgreSQL (LICENSE_TEST_PG), Debian's python3-aiosmtpd, curl and jq"
)]
fn the_documented_curl_walk_runs_on_postgresql() {
    let schema = common::pg::Schema::create(&common::pg::database_url());
    let url = format!(
        "{}?options=-c%20search_path%3D{}",
        common::pg::database_url(),
        schema.name
    );
    run_walk(Some(&url));
}

#[test]
#[cfg_attr(
    not(all(has_smtpd, has_curl)),
    ignore = "needs Debian's python3-aiosmtpd (the SMTP server), curl and jq"
)]
fn the_documented_curl_walk_runs_on_sqlite() {
    run_walk(None);
}
