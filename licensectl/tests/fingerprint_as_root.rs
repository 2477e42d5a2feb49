//! `licensectl fingerprint` run as root on a machine with root-only DMI files (hardware UUID,
//! board serial at mode 0400, as on real hardware): by default it prints what the product
//! reads as a service user, and a code bound to that verifies for an unprivileged process;
//! with `--as-root` the code binds the root-only components and the service user is refused.
//! The DMI files are simulated in a private mount namespace (a tmpfs over `/sys/class`, with
//! the real network adapters bound back in), so the test needs root, `unshare`, `mount` and
//! `setpriv`; it is ignored, with the reason, elsewhere.

mod common;

use std::process::Command;

use common::{Env, license_check_bin};

/// Run `program args` as root in a mount namespace whose `/sys/class/dmi/id` holds a
/// root-only hardware UUID and board serial; with `nobody`, as user 65534.
fn in_namespace(env: &Env, nobody: bool, program: &std::path::Path, args: &[&str]) -> std::process::Output {
    let script = r#"set -e
saved="$1"; shift
mount --bind /sys/class "$saved"
mount -t tmpfs -o mode=0755 tmpfs /sys/class
mkdir -p /sys/class/net /sys/class/dmi/id
mount --bind "$saved/net" /sys/class/net
printf '4c4c4544-0038-3510-8052-b4c04f4e4d32\n' > /sys/class/dmi/id/product_uuid
printf 'CN7475149B0123\n' > /sys/class/dmi/id/board_serial
chmod 0400 /sys/class/dmi/id/product_uuid /sys/class/dmi/id/board_serial
exec "$@"
"#;
    let saved = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("unshare");
    cmd.args([
        "--mount",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        script,
        "sh",
    ])
    .arg(saved.path());
    if nobody {
        cmd.args([
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ]);
    }
    cmd.arg(program)
        .args(args)
        .current_dir(env.dir.path())
        .env("LICENSECTL_DATE", &env.date)
        .env_remove("LICENSECTL_HOME")
        .env_remove("LICENSECTL_CATALOG")
        .output()
        .expect("run unshare")
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
#[cfg_attr(
    not(has_root_ns),
    ignore = "needs root with unshare, mount and setpriv (a mount namespace with simulated DMI files)"
)]
fn a_fingerprint_taken_as_root_binds_what_the_service_user_reads() {
    let env = Env::ready();
    let licensectl = std::path::Path::new(env!("CARGO_BIN_EXE_licensectl"));
    let default = json(&in_namespace(&env, false, licensectl, &["--json", "fingerprint"]));
    let as_root = json(&in_namespace(
        &env,
        false,
        licensectl,
        &["--json", "fingerprint", "--as-root"],
    ));
    assert_eq!(default["root_only"]["what"], "left-out", "{default}");
    assert_eq!(as_root["root_only"]["what"], "bound", "{as_root}");
    let root_only = default["root_only"]["components"].as_str().unwrap();
    assert!(
        root_only.contains("hardware UUID") && root_only.contains("board serial"),
        "{root_only}"
    );
    let (left_out, bound) = (
        default["fingerprint"].as_str().unwrap(),
        as_root["fingerprint"].as_str().unwrap(),
    );
    assert_ne!(left_out, bound);
    // The words say it too.
    let text = in_namespace(&env, false, licensectl, &["fingerprint"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Left out:") && text.contains("--as-root"), "{text}");

    let product = default["product"].as_str().unwrap().to_owned();
    let key = env.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    let key = key.split_whitespace().nth(1).unwrap().to_owned();
    let issue = |print: &str| {
        env.issue(&["--users", "3", "--licensee", "Bob's Garage", "--machine", print])
            .1
    };
    let verify_as_nobody = |code: &str| {
        let out = in_namespace(
            &env,
            true,
            &license_check_bin(),
            &[
                "--json",
                "--date",
                &env.date,
                "verify",
                code,
                "--product",
                &product,
                "--licensee",
                "Bob's Garage",
                "--key",
                &key,
            ],
        );
        (out.status.code(), json(&out))
    };
    // Bound to what the service user reads: usable for it.
    let (status, v) = verify_as_nobody(&issue(left_out));
    assert_eq!(status, Some(0), "{v}");
    assert_eq!(v["usable"], true, "{v}");
    // Bound to everything root read: the service user cannot read the DMI files.
    let (status, v) = verify_as_nobody(&issue(bound));
    assert_eq!(status, Some(1), "{v}");
    let error = &v["errors"][0];
    assert_eq!(error["kind"], "wrong-machine", "{v}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("hardware UUID"), "{message}");
}
