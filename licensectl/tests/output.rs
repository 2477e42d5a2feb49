//! Output to a pipe the reader closed early.
mod common;

use std::process::{Command, Stdio};

use common::Env;

#[test]
fn closed_pipe_after_issuing_is_a_normal_exit_and_the_code_is_recorded() {
    let env = Env::ready();
    let mut child = Command::new(env!("CARGO_BIN_EXE_licensectl"))
        .args(["issue", "--licensee", "A", "--users", "3"])
        .current_dir(env.dir.path())
        .env("LICENSECTL_DATE", &env.date)
        .env_remove("LICENSECTL_HOME")
        .env_remove("LICENSECTL_CATALOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn licensectl");
    // Close the reading end before the first line is written: every write fails with EPIPE.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let ledger = std::fs::read_to_string(env.path("ledger.jsonl")).expect("ledger");
    assert_eq!(ledger.lines().count(), 1, "{ledger}");
}
