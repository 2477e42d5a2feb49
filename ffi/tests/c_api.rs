//! Builds the C tests (`tests/c/test_api.c`) with the system C compiler, warnings as
//! errors, against the static library, and runs them. Also builds and runs the example.

mod common;

use std::path::Path;

use common::*;

#[test]
fn c_api_tests_pass() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("dir")).expect("mkdir");
    let exe = build_c_tests(dir.path(), &["-DLIC_TEST_HOOKS"]);
    let out = run(&exe, &[dir.path()], &[], &[]);
    print!("{out}");
    assert!(out.contains(" passed, 0 failed"), "{out}");
}

#[test]
fn the_example_builds_and_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exe = dir.path().join("verify_at_startup");
    build(
        Lang::C,
        &[crate_dir().join("examples/verify_at_startup.c")],
        &[&include_dir()],
        &exe,
        &[],
    );
    let code = dir.path().join("license.txt");
    std::fs::write(&code, code_for_today()).expect("write code");
    let state = dir.path().join("license.state");
    let out = run(
        &exe,
        &[&code, Path::new(LICENSEE), Path::new(DATABASE), &state],
        &[],
        &[],
    );
    assert!(out.contains("Business Intelligence: enabled"), "{out}");
    assert!(out.contains("Seat taken for agent-17: 1 in use"), "{out}");
    assert!(out.contains("Seat released: yes"), "{out}");
    assert!(state.is_file(), "the state file was written");
}

#[test]
fn pkg_config_file_builds_the_example() {
    // Lay out an installation as ffi/install.sh does (static library only), fill in the
    // .pc template the same way, and build the example with pkg-config's flags.
    let prefix = tempfile::tempdir().expect("tempdir");
    let p = prefix.path();
    for d in ["lib/pkgconfig", "include"] {
        std::fs::create_dir_all(p.join(d)).expect("mkdir");
    }
    std::fs::copy(staticlib(), p.join("lib/liblicense_ffi.a")).expect("copy lib");
    std::fs::copy(
        include_dir().join("license_ffi.h"),
        p.join("include/license_ffi.h"),
    )
    .expect("copy h");
    let template = std::fs::read_to_string(crate_dir().join("license_ffi.pc.in")).expect("pc.in");
    let pc = template
        .replace("@PREFIX@", &p.display().to_string())
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"));
    std::fs::write(p.join("lib/pkgconfig/license_ffi.pc"), pc).expect("write pc");
    let pkg = |args: &[&str]| {
        let out = std::process::Command::new("pkg-config")
            .args(args)
            .env("PKG_CONFIG_PATH", p.join("lib/pkgconfig"))
            .output()
            .expect("pkg-config must be installed (apt-get install pkg-config)");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
    };
    assert_eq!(pkg(&["--modversion", "license_ffi"]), env!("CARGO_PKG_VERSION"));
    let flags = pkg(&["--cflags", "--libs", "--static", "license_ffi"]);
    let exe = p.join("example");
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = std::process::Command::new(&compiler)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg(crate_dir().join("examples/verify_at_startup.c"))
        .args(flags.split_whitespace())
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("cc");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(exe.is_file());
}
