//! The committed header equals what the pinned cbindgen generates from the crate, and its
//! version macros equal the crate version.

use std::path::{Path, PathBuf};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn header_path() -> PathBuf {
    crate_dir().join("include/license_ffi.h")
}

/// The version macros, placed after the includes.
fn version_macros() -> String {
    let mut parts = VERSION.split(['.', '-', '+']);
    let mut next = || parts.next().unwrap_or("0").parse::<u32>().unwrap_or(0);
    let (major, minor, patch) = (next(), next(), next());
    format!(
        "\n/* The version of the library this header belongs to (compare with lic_version()). */\n\
         #define LIC_VERSION_MAJOR {major}\n\
         #define LIC_VERSION_MINOR {minor}\n\
         #define LIC_VERSION_PATCH {patch}\n\
         #define LIC_VERSION \"{VERSION}\"\n"
    )
}

fn generate() -> String {
    let dir = crate_dir();
    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("read cbindgen.toml");
    config.after_includes = Some(version_macros());
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen failed");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("header is UTF-8")
}

#[test]
fn committed_header_is_up_to_date() {
    let generated = generate();
    let path = header_path();
    if std::env::var_os("LIC_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write header");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "the end".to_string(), |n| format!("line {}", n + 1));
        panic!(
            "{} differs from what cbindgen generates (first difference at {line}).\n\
             Regenerate it with:  LIC_BLESS=1 cargo test -p license-ffi --test header\n\
             and commit the result.",
            path.display()
        );
    }
}

fn macro_value(header: &str, name: &str) -> String {
    let prefix = format!("#define {name} ");
    header
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{name} missing from the header"))
        .trim()
        .to_string()
}

#[test]
fn version_macros_equal_the_crate_version() {
    let header = std::fs::read_to_string(header_path()).expect("read header");
    let (major, minor, patch) = (
        macro_value(&header, "LIC_VERSION_MAJOR"),
        macro_value(&header, "LIC_VERSION_MINOR"),
        macro_value(&header, "LIC_VERSION_PATCH"),
    );
    assert_eq!(format!("{major}.{minor}.{patch}"), VERSION);
    assert_eq!(macro_value(&header, "LIC_VERSION"), format!("\"{VERSION}\""));
}

#[test]
fn every_exported_function_is_declared() {
    // Every `#[no_mangle] extern "C" fn` in the sources appears in the header, so a
    // function cbindgen could not parse does not silently go missing.
    let header = std::fs::read_to_string(header_path()).expect("read header");
    let mut count = 0;
    for entry in std::fs::read_dir(crate_dir().join("src")).expect("src") {
        let path = entry.expect("entry").path();
        let src = std::fs::read_to_string(&path).expect("source");
        for name in exported_functions(&src) {
            count += 1;
            assert!(
                header.contains(&format!("{name}(")),
                "{name} from {} is missing from the header",
                Path::new(&path).display()
            );
        }
    }
    assert!(count > 3, "found only {count} exported functions");
}

fn exported_functions(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut exported = false;
    for line in src.lines() {
        let l = line.trim();
        if l == "#[unsafe(no_mangle)]" {
            exported = true;
        } else if exported && l.contains("extern \"C\" fn ") {
            let rest = &l[l.find("fn ").unwrap_or(0) + 3..];
            out.push(rest.split(['(', '<']).next().unwrap_or("").to_string());
            exported = false;
        }
    }
    out
}
