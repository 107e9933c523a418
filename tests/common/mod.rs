//! Helpers shared by the integration tests that drive git repositories.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The binary under test with the result cache inside target/ (never the user's home), 80
/// columns and colour decided by the flags, not the environment.
pub fn protoforge_cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("protoforge").unwrap();
    cmd.env(
        "PROTOFORGE_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
    )
    .env("COLUMNS", "80")
    .env_remove("NO_COLOR");
    cmd
}

/// `git` in `dir` with a fixed identity and dates, no signing and no user or system config.
pub fn git_command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", "2025-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z");
    cmd
}

/// Runs git and asserts it succeeded.
pub fn git(dir: &Path, args: &[&str]) -> Output {
    let out = git_command(dir).args(args).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// stdout and stderr together, for messages.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub const BIN: &str = env!("CARGO_BIN_EXE_protoforge");

pub const ORDER: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string order_id = 1;\n  int64 total = 2;\n}\n";
pub const ORDER_WITHOUT_TOTAL: &str =
    "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string order_id = 1;\n}\n";
pub const ORDER_WITH_NOTE: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string order_id = 1;\n  int64 total = 2;\n  string note = 3;\n}\n";
pub const BAD: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage bad_name {}\n";

/// A repository on `main` with protoforge.toml (roots `proto`, `[breaking] against = "HEAD"`),
/// one clean file and a fresh protoforge.lock, all committed.
pub fn project(dir: &Path) {
    git(dir, &["init", "-q"]);
    write(
        dir,
        "protoforge.toml",
        "[proto]\nroots = [\"proto\"]\n\n[breaking]\nagainst = \"HEAD\"\n",
    );
    write(dir, "proto/acme/v1/order.proto", ORDER);
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(["lock", "--quiet"])
        .env("PROTOFORGE_NO_CACHE", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    std::fs::write(dir.join(".gitattributes"), "protoforge.lock merge=union\n").unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "first"]);
}

/// Runs this workspace's cargo with `args` in the checkout and returns its stdout, failing the
/// test with cargo's stderr when it fails.
pub fn cargo_stdout(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `protoforge build ARGS -o set.binpb` in `dir`, failing the test when it fails, and returns
/// the descriptor set it wrote.
pub fn built_set(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = protoforge_cmd()
        .current_dir(dir)
        .arg("build")
        .args(args)
        .args(["-o", "set.binpb"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dir.join("set.binpb")).unwrap()
}
