//! Every C and C++ snippet in the READMEs and `docs/` compiles with warnings as errors
//! (`-Wall -Wextra -Werror -pedantic`), as a translation unit of its own: a snippet
//! carries its own `#include`s, so what a reader copies builds. Snippets may include the
//! `catalog.h` that `licensectl catalog export --format c` writes (made here from the demo
//! catalog). The Rust snippets of README.md and docs/INTEGRATION.md are doctests of
//! license-verify.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use license_core::PublicKey;

/// The documents whose snippets are checked.
fn documents() -> Vec<PathBuf> {
    let root = crate_dir().join("..");
    let mut docs = vec![
        root.join("README.md"),
        root.join("CHANGELOG.md"),
        root.join("ffi/README.md"),
        root.join("license-issue/README.md"),
    ];
    let mut in_docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    in_docs.sort();
    docs.extend(in_docs);
    docs
}

/// The fenced blocks of `text` in one of `languages`: (first line number, code).
fn snippets(text: &str, languages: &[&str]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut current, fence) {
            (None, Some(info)) if languages.contains(&info.trim()) => current = Some((i + 2, String::new())),
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some((_, code)), None) => {
                code.push_str(line);
                code.push('\n');
            }
            _ => {}
        }
    }
    out
}

fn compile(lang: Lang, source: &Path, include: &Path) -> Result<(), String> {
    let (var, default, std) = match lang {
        Lang::C => ("CC", "cc", "-std=c11"),
        Lang::Cxx => ("CXX", "c++", "-std=c++17"),
    };
    let compiler = std::env::var(var).unwrap_or_else(|_| default.to_string());
    let out = Command::new(&compiler)
        .args([std, "-Wall", "-Wextra", "-Werror", "-pedantic", "-c", "-o"])
        .arg(source.with_extension("o"))
        .arg("-I")
        .arg(include_dir())
        .arg("-I")
        .arg(include)
        .arg(source)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn every_c_and_cpp_snippet_in_the_docs_compiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = license_issue::Catalog::demo().expect("demo catalog");
    let key = PublicKey::from(vendor_key().verifying_key());
    let header = license_issue::export_catalog(&catalog, &[key], license_issue::CatalogFormat::C);
    std::fs::write(dir.path().join("catalog.h"), header).expect("write catalog.h");

    let mut compiled = 0;
    let mut failures = Vec::new();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        for (lang, ext, names) in [
            (Lang::C, "c", &["c"][..]),
            (Lang::Cxx, "cpp", &["cpp", "c++"][..]),
        ] {
            for (line, code) in snippets(&text, names) {
                let source = dir.path().join(format!("snippet{compiled}.{ext}"));
                std::fs::write(&source, &code).expect("write snippet");
                compiled += 1;
                if let Err(e) = compile(lang, &source, dir.path()) {
                    failures.push(format!("{}:{line}:\n{e}", doc.display()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "snippets that do not compile:\n{}",
        failures.join("\n")
    );
    // README.md, ffi/README.md (2) and docs/INTEGRATION.md at least.
    assert!(
        compiled >= 4,
        "only {compiled} snippets found: is the fence syntax still ```c?"
    );
}

#[test]
fn the_snippet_reader_finds_fenced_blocks() {
    let text = "a\n```c\nint x;\n```\n```sh\nls\n```\n  ```cpp\nint y;\n  ```\n";
    let c = snippets(text, &["c"]);
    assert_eq!(c, vec![(3, "int x;\n".to_string())]);
    assert_eq!(snippets(text, &["cpp"]), vec![(9, "int y;\n".to_string())]);
}
