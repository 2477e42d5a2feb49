//! Drive the built `licensectl` binary in a temporary directory, as a user would.
#![allow(dead_code)]

pub mod reseller;

use std::path::{Path, PathBuf};
use std::process::Command;

/// One licensing directory in a temporary directory.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub date: String,
}

/// The outcome of one command.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Assert success and return stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        &self.stdout
    }

    /// Assert the exit code and a one-line error containing `needle`.
    #[track_caller]
    pub fn fails(&self, code: i32, needle: &str) {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        let line = self.stderr.trim_end();
        assert!(line.starts_with("error: "), "{line}");
        assert_eq!(line.lines().count(), 1, "one-line cause: {line}");
        assert!(line.contains(needle), "expected '{needle}' in: {line}");
    }

    /// Parse stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.ok()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Env {
    /// An empty directory; commands run on 2026-11-22 unless `at` changes it.
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            date: "2026-11-22".into(),
        }
    }

    /// With a key and the demo catalog.
    pub fn ready() -> Env {
        let env = Env::new();
        env.run(&["keygen"]).ok();
        env.run(&["catalog", "--init-demo"]).ok();
        env
    }

    /// Switch the installed demo catalog to the quarterly reduction rule of instances the
    /// vendor hosts (same product id, so license ids and names stay).
    pub fn use_quarterly_rule(&self) {
        let path = self.path("catalog/demo-erp.toml");
        let text = std::fs::read_to_string(&path).expect("demo catalog");
        let text = text
            .replace(
                "reduction_policy = \"contract-year\"",
                "reduction_policy = \"quarterly\"",
            )
            .replace("reduction_notice_months = 3", "reduction_notice_days = 20");
        assert!(text.contains("\"quarterly\""));
        std::fs::write(path, text).expect("write catalog");
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("licensing")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.home().join(rel)
    }

    /// Run on `self.date`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_on(&self.date, args)
    }

    /// Run on another day.
    pub fn run_on(&self, date: &str, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_licensectl"))
            .args(args)
            .current_dir(self.dir.path())
            .env("LICENSECTL_DATE", date)
            .env_remove("LICENSECTL_HOME")
            .env_remove("LICENSECTL_CATALOG")
            .output()
            .expect("run licensectl");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Issue with `--json` and return (license id, code).
    pub fn issue(&self, args: &[&str]) -> (u64, String) {
        let mut all = vec!["--json", "issue"];
        all.extend_from_slice(args);
        let v = self.run(&all).json();
        (
            v["scope"]["license_id"].as_u64().expect("id"),
            v["code"].as_str().expect("code").to_owned(),
        )
    }
}

/// The only file in `dir` whose name starts with `prefix`.
pub fn find(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no {prefix}* in {}", dir.display()))
}

/// The reference order of the demo catalog, bound to a database.
pub const ACME: &[&str] = &[
    "--licensee",
    "ACME Corp",
    "--kind",
    "subscription",
    "--line",
    "expert",
    "--users",
    "25",
    "--seats",
    "10",
    "--modules",
    "crm,budget,planning,bi",
    "--database",
    "DB-7F3A-22C1",
    "--reseller",
    "Reseller One",
];

/// The `license-check` binary of this workspace, built (a no-op when it is fresh) next to
/// `licensectl` so the tests that drive both tools never run a stale one.
pub fn license_check_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| workspace_bin("license-check", "license-check"))
        .clone()
}

/// The `license-server` binary of this workspace, built like [`license_check_bin`].
pub fn license_server_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| workspace_bin("license-server", "license-server"))
        .clone()
}

/// Build `bin` of `package` (a no-op when it is fresh) next to `licensectl`.
fn workspace_bin(package: &str, bin: &str) -> PathBuf {
    let licensectl = Path::new(env!("CARGO_BIN_EXE_licensectl"));
    let dir = licensectl.parent().expect("target dir");
    let mut build = Command::new(env!("CARGO"));
    build
        .args(["build", "-q", "-p", package, "--bin", bin])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if dir.ends_with("release") {
        build.arg("--release");
    }
    let status = build
        .status()
        .unwrap_or_else(|e| panic!("run cargo build -p {package}: {e}"));
    assert!(status.success(), "cargo build -p {package} failed");
    let path = dir.join(format!("{bin}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "no {bin} at {}", path.display());
    path
}
