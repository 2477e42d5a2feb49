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

/// Tables align by display width (a CJK character takes two columns) and CSV cells that a
/// spreadsheet would run as formulas are neutralized; JSON keeps the names as given.
#[test]
fn wide_names_align_and_formulas_are_neutralized() {
    use unicode_width::UnicodeWidthStr;
    let env = Env::ready();
    let names = ["株式会社エーシーエム", "=HYPERLINK(\"http://evil\")", "ACME Corp"];
    for name in names {
        env.run(&["issue", "--licensee", name, "--users", "3"]).ok();
    }
    let table = env.run(&["report", "issued"]).ok().to_owned();
    let lines: Vec<&str> = table.lines().filter(|l| l.starts_with("2026-11-22")).collect();
    assert_eq!(lines.len(), 3, "{table}");
    // The column after the licensee ("line") starts at the same display column on every row.
    let line_column = |l: &str| {
        let at = l
            .find("standard")
            .unwrap_or_else(|| panic!("no line column: {l}"));
        l[..at].width()
    };
    let first = line_column(lines[0]);
    assert!(lines.iter().all(|l| line_column(l) == first), "{table}");
    let csv = env.run(&["report", "issued", "--csv"]).ok().to_owned();
    assert!(csv.contains(",株式会社エーシーエム,"), "{csv}");
    assert!(csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
    let json = env.run(&["--json", "report", "issued"]).json();
    assert_eq!(json["codes"][1]["licensee"], "=HYPERLINK(\"http://evil\")");
}
