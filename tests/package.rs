//! The crate as `cargo package` would publish it: everything the build reads is inside (the
//! templates and protos `include_str!` embeds, the hook and workflow `init` writes), with the
//! license files and the docs the README links to, and none of the tests, fixtures or benches.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

fn packaged() -> BTreeSet<String> {
    common::cargo_stdout(&["package", "--list", "--allow-dirty", "--quiet"])
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Every file `include_str!`/`include_bytes!` names in src/, relative to the crate root.
fn embedded(dir: &Path, root: &Path, out: &mut BTreeSet<String>) {
    let pattern = regex::Regex::new(r#"include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)"#).unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            embedded(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for capture in pattern.captures_iter(&text) {
                let target = path.parent().unwrap().join(&capture[1]);
                let target = std::fs::canonicalize(&target)
                    .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), &capture[1]));
                let relative = target.strip_prefix(root).unwrap();
                out.insert(relative.to_str().unwrap().to_owned());
            }
        }
    }
}

#[test]
fn the_package_holds_what_builds_and_nothing_else() {
    let files = packaged();
    let root = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
    let mut needed = BTreeSet::new();
    embedded(&root.join("src"), &root, &mut needed);
    assert!(
        needed.len() >= 10,
        "the scan found too few embedded files: {needed:?}"
    );
    for file in needed.iter().map(String::as_str).chain([
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src/lib.rs",
        "src/main.rs",
        "README.md",
        "docs/ARCHITECTURE.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
    ]) {
        assert!(files.contains(file), "{file} is not in the package");
    }
    for file in &files {
        for outside in [
            "tests/",
            "testdata/",
            "benches/",
            "build-support/example-service/",
            "build-support/fuzz/",
            ".ci/",
        ] {
            assert!(!file.starts_with(outside), "{file} is in the package");
        }
    }
}
