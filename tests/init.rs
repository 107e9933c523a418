//! `protoforge init`: the skeleton it writes builds (warning-free) against this checkout, and a
//! second run keeps what exists.

mod common;

use std::path::Path;
use std::process::Command;

use common::protoforge_cmd;

#[test]
fn init_writes_a_skeleton_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hello-svc");
    protoforge_cmd()
        .current_dir(tmp.path())
        .args(["init", "hello-svc"])
        .assert()
        .success();
    for file in [
        "protoforge.toml",
        "Cargo.toml",
        "build.rs",
        "proto/hello/v1/greeter.proto",
        "src/main.rs",
        ".pre-commit-config.yaml",
        ".github/workflows/protoforge.yml",
    ] {
        assert!(dir.join(file).is_file(), "{file} was not written");
    }
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"hello-svc\""), "{manifest}");
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(manifest.contains(&version), "{manifest}");

    // The proto is lint-clean.
    protoforge_cmd()
        .current_dir(&dir)
        .args(["check", "--no-cache"])
        .assert()
        .success();

    // A second run keeps the user's edits.
    std::fs::write(dir.join("src/main.rs"), "// mine\n").unwrap();
    let out = protoforge_cmd()
        .current_dir(tmp.path())
        .args(["init", "hello-svc"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.join("src/main.rs")).unwrap(),
        "// mine\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Kept"));
    protoforge_cmd()
        .current_dir(tmp.path())
        .args(["init", "hello-svc", "--force"])
        .assert()
        .success();

    // Build it against this checkout (the published crate would come from crates.io), with the
    // workspace's lock file so that no other versions are resolved.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = format!("path = {:?}", repo.display().to_string());
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap()
        .replace(&format!("version = {version}"), &path)
        .replace(
            &format!("protoforge = {version}"),
            &format!("protoforge = {{ {path} }}"),
        );
    assert!(!manifest.contains(&version), "{manifest}");
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = repo.join("target/init-skeleton");
    let build = || {
        let out = Command::new(env!("CARGO"))
            .current_dir(&dir)
            .args(["build", "-v"])
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "the skeleton does not build:\n{stderr}"
        );
        // How often hello-svc's build script ran.
        stderr
            .lines()
            .filter(|l| {
                l.contains("Running")
                    && l.contains("hello-svc-")
                    && l.contains("build-script-build")
            })
            .count()
    };
    build();
    // rerun-if-changed: nothing changed, the build script does not run; a proto change runs it
    // once.
    assert_eq!(build(), 0, "a no-op rebuild reran the build script");
    let proto = dir.join("proto/hello/v1/greeter.proto");
    let text = std::fs::read_to_string(&proto).unwrap();
    std::fs::write(&proto, format!("{text}\n// edited\n")).unwrap();
    assert_eq!(build(), 1, "a proto change did not rerun the build script");
    assert_eq!(
        build(),
        0,
        "the build script ran again with nothing changed"
    );
}
