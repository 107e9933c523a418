//! `rust-version` in Cargo.toml is what the dependency tree really needs: the highest
//! `rust-version` among the packages a build of protoforge (all features) compiles. Higher would
//! turn away toolchains that work; lower would promise ones that cannot build it. `.ci/run` also
//! builds with that toolchain where rustup can install it; clippy's `incompatible_msrv` (on in
//! CI) checks that our own code calls no newer std API.

mod common;

use std::collections::{BTreeSet, HashMap};

fn version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text.split('.').map(|p| p.parse().unwrap()).collect();
    parts.resize(3, 0);
    parts
}

#[test]
fn rust_version_is_what_the_dependency_tree_needs() {
    let out = common::cargo_stdout(&[
        "metadata",
        "--format-version",
        "1",
        "--locked",
        "--all-features",
    ]);
    let meta: serde_json::Value = serde_json::from_str(&out).unwrap();
    let packages: HashMap<&str, &serde_json::Value> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: HashMap<&str, &serde_json::Value> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = packages
        .values()
        .find(|p| p["name"] == "protoforge")
        .unwrap();
    let ours = version(
        root["rust_version"]
            .as_str()
            .expect("Cargo.toml sets rust-version"),
    );

    // What a user's build compiles: normal and build dependencies, not dev-dependencies.
    let mut seen = BTreeSet::new();
    let mut stack = vec![root["id"].as_str().unwrap()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let built = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if built {
                stack.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    seen.remove(root["id"].as_str().unwrap());
    assert!(
        seen.len() > 50,
        "too few dependencies found: {}",
        seen.len()
    );
    let (needed, by) = seen
        .iter()
        .filter_map(|id| {
            let p = packages[id];
            Some((
                version(p["rust_version"].as_str()?),
                p["name"].as_str().unwrap(),
            ))
        })
        .max()
        .unwrap();
    assert_eq!(
        ours, needed,
        "rust-version is {ours:?}, but the dependency tree needs {needed:?} (for {by}): set it to that"
    );
}
