//! Builds the C++ wrapper test (`tests/cpp/test_wrapper.cpp`) with the system C++
//! compiler, warnings as errors, and runs it.

mod common;

use common::*;

#[test]
fn cpp_wrapper_tests_pass() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixtures(dir.path());
    let exe = dir.path().join("test_wrapper");
    build(
        Lang::Cxx,
        &[crate_dir().join("tests/cpp/test_wrapper.cpp")],
        &[&include_dir(), dir.path()],
        &exe,
        &["-pthread"],
    );
    let out = run(&exe, &[dir.path()], &[], &[]);
    assert!(out.contains(" passed, 0 failed"), "{out}");
}
