//! `licensectl catalog export`: the Rust output compiles with rustc and the C output with
//! `cc -Wall -Wextra -Werror -pedantic`, and both carry the catalog's numbers and the key
//! ring's public keys.

mod common;

use std::process::Command;

use common::*;

fn key_hex(env: &Env) -> String {
    env.run(&["pubkey", "--format", "hex"])
        .ok()
        .split_whitespace()
        .nth(1)
        .expect("key")
        .to_owned()
}

#[test]
fn rust_export_compiles_and_names_every_module_by_number() {
    let env = Env::ready();
    let text = env
        .run(&["catalog", "export", "--format", "rust"])
        .ok()
        .to_owned();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("main.rs");
    std::fs::write(
        &src,
        format!(
            "mod catalog {{\n{text}\n}}\n\
             fn main() {{\n\
                 assert_eq!(catalog::MODULES[usize::from(catalog::module::PLANNING)], \"planning\");\n\
                 assert_eq!(catalog::line::EXPERT, 1);\n\
                 assert_eq!(catalog::LINES[usize::from(catalog::line::EXPERT)], \"expert\");\n\
                 let key: String = catalog::VENDOR_PUBLIC_KEYS[0].iter().map(|b| format!(\"{{b:02x}}\")).collect();\n\
                 println!(\"{{}} {{}} {{}} {{key}}\", catalog::PRODUCT, catalog::MODULES.join(\",\"), catalog::LINES.len());\n\
             }}\n"
        ),
    )
    .unwrap();
    let exe = dir.path().join("catalog_rs");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .args(["--edition", "2024", "-D", "warnings", "-o"])
        .arg(&exe)
        .arg(&src)
        .output()
        .expect("run rustc");
    assert!(
        out.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("run");
    assert!(run.status.success());
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        format!(
            "demo-erp crm,budget,planning,bi,documents,api 2 {}",
            key_hex(&env)
        )
    );
}

#[test]
fn c_export_compiles_with_warnings_as_errors() {
    let env = Env::ready();
    let header = env.run(&["catalog", "export", "--format", "c"]).ok().to_owned();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("catalog.h"), &header).unwrap();
    std::fs::write(
        dir.path().join("main.c"),
        "#include <stdio.h>\n#include \"catalog.h\"\n#include \"catalog.h\" /* the guard works */\n\
         int main(void) {\n\
             printf(\"%s %s %d %d \", LICENSE_PRODUCT, LICENSE_MODULES[LICENSE_MODULE_BI], LICENSE_MODULE_COUNT, LICENSE_LINES[LICENSE_LINE_EXPERT].number);\n\
             for (int i = 0; i < 32; i++) printf(\"%02x\", VENDOR_PUBLIC_KEYS[0][i]);\n\
             printf(\"\\n\");\n\
             if (LICENSE_LINE_NAME_COUNT != 2 || LICENSE_LINE_NAMES[LICENSE_LINE_EXPERT][0] != 'e') return 2;\n\
             return VENDOR_PUBLIC_KEY_COUNT == 1 ? 0 : 1;\n\
         }\n",
    )
    .unwrap();
    let exe = dir.path().join("catalog_c");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o"])
        .arg(&exe)
        .arg(dir.path().join("main.c"))
        .output()
        .expect("run cc");
    assert!(
        out.status.success(),
        "{}\n{header}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("run");
    assert!(run.status.success());
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        format!("demo-erp bi 6 1 {}", key_hex(&env))
    );
}

#[test]
fn export_without_a_catalog_says_what_to_do() {
    let env = Env::new();
    env.run(&["keygen"]).ok();
    let run = env.run(&["catalog", "export", "--format", "rust"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}
