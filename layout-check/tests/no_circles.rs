//! The layout rule: in no crate of the workspace do two files import each other, directly
//! or through others. Reads every member of the workspace manifest.

use std::path::{Path, PathBuf};

use layout_check::{CrateTree, circles};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace holds this crate")
        .to_path_buf()
}

/// The `members` of the workspace's Cargo.toml.
fn members(root: &Path) -> Vec<PathBuf> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("workspace manifest");
    let start = manifest.find("members = [").expect("a members list");
    let list = &manifest[start..];
    let list = &list[..list.find(']').expect("the list closes")];
    list.split('"').skip(1).step_by(2).map(|m| root.join(m)).collect()
}

#[test]
fn no_crate_has_an_import_circle_between_files() {
    let root = workspace();
    let members = members(&root);
    assert!(members.len() >= 10, "read the workspace's members: {members:?}");
    let mut report = String::new();
    let mut files = 0;
    for member in &members {
        for crate_root in CrateTree::roots(member) {
            files += CrateTree::read(&crate_root).expect("module tree").files.len();
        }
        for circle in circles(member, &root).expect("module tree") {
            report.push_str(&circle.to_string());
        }
    }
    assert!(files > 100, "read the crates' files ({files})");
    assert!(report.is_empty(), "{report}");
}

#[test]
fn the_check_sees_a_circle_when_there_is_one() {
    let dir = std::env::temp_dir().join(format!("layout-check-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\npub use a::A;\n").unwrap();
    std::fs::write(src.join("a.rs"), "use crate::b::helper::B;\npub struct A(B);\n").unwrap();
    std::fs::write(src.join("b/mod.rs"), "pub mod helper;\n").unwrap();
    // Through the root's re-export: b/helper.rs -> lib.rs -> a.rs -> b/helper.rs.
    std::fs::write(
        src.join("b/helper.rs"),
        "pub struct B;\nfn f() -> Option<crate::A> { None }\n",
    )
    .unwrap();
    let found = circles(&dir, &dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let mut names: Vec<_> = found[0]
        .files
        .iter()
        .map(|p| p.file_name().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.rs", "helper.rs", "lib.rs"]);
}
