//! Builds the C tests (`tests/c/test_api.c`) with the system C compiler, warnings as
//! errors, against the static library, and runs them. Also builds and runs the example.

mod common;

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
