//! Decides which tests can run here (they are reported as ignored, with the reason, where
//! they cannot): `has_root_ns` when this build runs as root on Linux with the programs the
//! mount-namespace test uses (`unshare`, `mount`, `setpriv`).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_root_ns)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PATH");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && is_root()
        && ["unshare", "mount", "setpriv"].iter().all(|p| on_path(p))
    {
        println!("cargo:rustc-cfg=has_root_ns");
    }
}

/// Whether this process runs as root (`Uid:` of `/proc/self/status`).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    })
}

/// Whether `program` is a file in a directory of `PATH` (the test runs it by name).
fn on_path(program: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join(program).is_file())
}
