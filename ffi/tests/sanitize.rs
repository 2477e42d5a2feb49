//! The C tests again, under AddressSanitizer + UndefinedBehaviorSanitizer and under
//! valgrind. Ignored by a plain `cargo test` (they need libasan/libubsan and valgrind and
//! take longer); `ffi/tests/sanitize.sh` runs them, and so does `.ci/run`.

mod common;

use common::*;

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("dir")).expect("mkdir");
    dir
}

#[test]
#[ignore = "needs the sanitizer runtimes; run by ffi/tests/sanitize.sh"]
fn c_api_tests_under_address_and_undefined_behavior_sanitizers() {
    let dir = scratch();
    let exe = build_c_tests(
        dir.path(),
        &[
            "-DLIC_TEST_HOOKS",
            "-fsanitize=address,undefined",
            "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer",
        ],
    );
    let out = run(
        &exe,
        &[dir.path()],
        &[],
        &[
            ("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0:exitcode=23"),
            ("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=24"),
            ("RUST_BACKTRACE", "0"),
        ],
    );
    assert!(out.contains(" passed, 0 failed"), "{out}");
}

#[test]
#[ignore = "needs valgrind; run by ffi/tests/sanitize.sh"]
fn c_api_tests_under_valgrind() {
    let suppressions = format!("--suppressions={}", crate_dir().join("valgrind.supp").display());
    let dir = scratch();
    let exe = build_c_tests(dir.path(), &["-DLIC_TEST_HOOKS"]);
    let out = run(
        &exe,
        &[dir.path()],
        &[
            "valgrind",
            "--quiet",
            "--error-exitcode=25",
            "--leak-check=full",
            // valgrind's default leak kinds (definite, possible), as a user's gate has them,
            // with the suppression file shipped for the standard library's one-time
            // allocation per thread.
            &suppressions,
        ],
        &[("RUST_BACKTRACE", "0")],
    );
    assert!(out.contains(" passed, 0 failed"), "{out}");
}

#[test]
#[ignore = "needs the sanitizer runtimes; run by ffi/tests/sanitize.sh"]
fn cpp_wrapper_tests_under_address_and_undefined_behavior_sanitizers() {
    let dir = scratch();
    write_fixtures(dir.path());
    let exe = dir.path().join("test_wrapper");
    build(
        Lang::Cxx,
        &[crate_dir().join("tests/cpp/test_wrapper.cpp")],
        &[&include_dir(), dir.path()],
        &exe,
        &[
            "-pthread",
            "-fsanitize=address,undefined",
            "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer",
        ],
    );
    let out = run(
        &exe,
        &[dir.path()],
        &[],
        &[
            ("ASAN_OPTIONS", "detect_leaks=1:exitcode=23"),
            ("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=24"),
        ],
    );
    assert!(out.contains(" passed, 0 failed"), "{out}");
}
