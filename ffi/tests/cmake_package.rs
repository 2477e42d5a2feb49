//! The CMake package: `install.sh` installs into a temporary prefix (with the libraries
//! cargo built for this test run, through `LICENSE_FFI_PREBUILT`), then a small C++17
//! project (`tests/cmake/`) finds it with `find_package(license_ffi)` and is configured,
//! built and run twice: against `license_ffi::static` and `license_ffi::shared`.
#![cfg(target_os = "linux")]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn ok(what: &str, out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Configure and build `tests/cmake` against `prefix` with `target`, and return the
/// program's path.
fn build_consumer(prefix: &Path, fixtures: &Path, build: &Path, target: &str) -> std::path::PathBuf {
    let configure = Command::new("cmake")
        .arg("-S")
        .arg(crate_dir().join("tests/cmake"))
        .arg("-B")
        .arg(build)
        .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display()))
        .arg(format!("-DFIXTURES_DIR={}", fixtures.display()))
        .arg(format!("-DLICENSE_FFI_TARGET={target}"))
        .output()
        .expect("run cmake");
    ok(&format!("cmake configure ({target})"), configure);
    let compile = Command::new("cmake")
        .arg("--build")
        .arg(build)
        .output()
        .expect("run cmake --build");
    ok(&format!("cmake --build ({target})"), compile);
    build.join("consumer")
}

#[test]
#[cfg_attr(not(has_cmake), ignore = "needs cmake on PATH: apt-get install cmake")]
fn find_package_builds_static_and_shared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prefix = dir.path().join("prefix");
    let libs = staticlib().parent().expect("deps dir").to_path_buf();
    let install = Command::new("bash")
        .arg(crate_dir().join("install.sh"))
        .arg(&prefix)
        .env("LICENSE_FFI_PREBUILT", &libs)
        .output()
        .expect("run install.sh");
    ok("install.sh", install);
    for f in ["license_ffiConfig.cmake", "license_ffiConfigVersion.cmake"] {
        assert!(
            prefix.join("lib/cmake/license_ffi").join(f).is_file(),
            "{f} not installed"
        );
    }
    write_fixtures(dir.path());

    let exe = build_consumer(&prefix, dir.path(), &dir.path().join("build-static"), "static");
    let out = run(&exe, &[], &[], &[]);
    assert!(
        out.contains("licensed: ") && out.contains("forged code refused"),
        "{out}"
    );
    let needed = ok(
        "readelf",
        Command::new("readelf")
            .arg("-d")
            .arg(&exe)
            .output()
            .expect("readelf"),
    );
    assert!(
        !needed.contains("liblicense_ffi"),
        "static build loads the shared library:\n{needed}"
    );

    let exe = build_consumer(&prefix, dir.path(), &dir.path().join("build-shared"), "shared");
    let needed = ok(
        "readelf",
        Command::new("readelf")
            .arg("-d")
            .arg(&exe)
            .output()
            .expect("readelf"),
    );
    assert!(
        needed.contains("Shared library: [liblicense_ffi.so.0]"),
        "shared build does not record the SONAME:\n{needed}"
    );
    // CMake records the build-tree rpath to the installed lib/: the loader finds it.
    let out = run(&exe, &[], &[], &[]);
    assert!(
        out.contains("licensed: ") && out.contains("forged code refused"),
        "{out}"
    );
}

#[test]
#[cfg_attr(not(has_cmake), ignore = "needs cmake on PATH: apt-get install cmake")]
fn version_file_refuses_another_minor_before_1_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("check.cmake");
    let template = crate_dir().join("cmake/license_ffiConfigVersion.cmake.in");
    let text = std::fs::read_to_string(template)
        .expect("template")
        .replace("@VERSION@", "0.1.3");
    std::fs::write(dir.path().join("v.cmake"), text).expect("write");
    let cases = [
        ("0.1", true),
        ("0.1.3", true),
        ("0.1.4", false),
        ("0.2", false),
        ("1.0", false),
        ("", true),
    ];
    let mut body = String::new();
    for (i, (want, _)) in cases.iter().enumerate() {
        let mut parts = want.split('.');
        let major = parts.next().unwrap_or_default();
        let minor = parts.next().unwrap_or_default();
        body.push_str(&format!(
            "set(PACKAGE_FIND_VERSION \"{want}\")\n\
             set(PACKAGE_FIND_VERSION_MAJOR \"{major}\")\n\
             set(PACKAGE_FIND_VERSION_MINOR \"{minor}\")\n\
             include(\"{}\")\n\
             message(\"case {i}: ${{PACKAGE_VERSION_COMPATIBLE}}\")\n",
            dir.path().join("v.cmake").display()
        ));
    }
    std::fs::write(&script, body).expect("write");
    let out = Command::new("cmake")
        .arg("-P")
        .arg(&script)
        .output()
        .expect("cmake -P");
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{text}");
    for (i, (want, compatible)) in cases.iter().enumerate() {
        let expected = format!("case {i}: {}", if *compatible { "TRUE" } else { "FALSE" });
        assert!(
            text.contains(&expected),
            "request {want:?}: expected {expected}\n{text}"
        );
    }
}
