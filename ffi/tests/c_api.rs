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
