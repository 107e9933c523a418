//! The pre-commit hooks, the plain git hook and the CI workflow in build-support/, each run the
//! way its host runs it, against temporary git repositories.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use serde_yaml_ng::Value;

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn yaml(rel: &str) -> Value {
    let text = std::fs::read_to_string(repo_file(rel)).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A PATH on which `protoforge` is the binary under test.
fn path_with_protoforge() -> String {
    let bin_dir = Path::new(BIN).parent().unwrap();
    format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

struct Hook {
    id: String,
    entry: Vec<String>,
    files: regex::Regex,
    pass_filenames: bool,
}

fn hooks() -> Vec<Hook> {
    let Value::Sequence(list) = yaml(".pre-commit-hooks.yaml") else {
        panic!(".pre-commit-hooks.yaml is not a list");
    };
    list.iter()
        .map(|h| {
            let s = |key: &str| {
                h[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("{key} missing in {h:?}"))
                    .to_owned()
            };
            assert_eq!(
                s("language"),
                "rust",
                "pre-commit builds the hook with cargo"
            );
            assert!(!s("name").is_empty());
            Hook {
                id: s("id"),
                entry: s("entry").split_whitespace().map(str::to_owned).collect(),
                files: regex::Regex::new(&s("files")).unwrap(),
                pass_filenames: h["pass_filenames"].as_bool().unwrap_or(true),
            }
        })
        .collect()
}

/// Runs a hook as pre-commit does: from the repository root, with the staged files that match
/// `files` appended unless `pass_filenames: false`; and only when some staged file matches.
fn run_hook(hook: &Hook, repo: &Path) -> Option<Output> {
    let staged = git(repo, &["diff", "--cached", "--name-only"]);
    let staged: Vec<String> = String::from_utf8(staged.stdout)
        .unwrap()
        .lines()
        .filter(|f| hook.files.is_match(f))
        .map(str::to_owned)
        .collect();
    if staged.is_empty() {
        return None;
    }
    assert_eq!(hook.entry[0], "protoforge");
    let mut cmd = Command::new(BIN);
    cmd.current_dir(repo).args(&hook.entry[1..]);
    if hook.pass_filenames {
        cmd.args(&staged);
    }
    Some(cmd.env("PROTOFORGE_NO_CACHE", "1").output().unwrap())
}

#[test]
fn pre_commit_framework_hooks() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "protoforge-lint",
            "protoforge-breaking",
            "protoforge-lock-fresh"
        ]
    );
    let [lint, breaking, lock] = &hooks[..] else {
        unreachable!()
    };

    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    project(repo);

    // A clean change: every hook passes silently.
    write(repo, "proto/acme/v1/order.proto", ORDER_WITH_NOTE);
    relock_and_stage(repo);
    for hook in [lint, breaking, lock] {
        let out = run_hook(hook, repo).expect("a proto is staged");
        assert!(out.status.success(), "{}: {}", hook.id, text(&out));
        assert_eq!(text(&out), "", "{} is not quiet", hook.id);
    }
    git(repo, &["commit", "-q", "-m", "note"]);

    // A lint finding in a new file, a deleted field and a stale lock: each hook fails on its own.
    write(repo, "proto/acme/v1/bad.proto", BAD);
    git(repo, &["add", "-A"]);
    let out = run_hook(lint, repo).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("MESSAGE_PASCAL_CASE"), "{}", text(&out));
    assert!(
        !text(&out).contains("order.proto"),
        "only the staged file is reported"
    );
    git(repo, &["rm", "-q", "--cached", "proto/acme/v1/bad.proto"]);
    std::fs::remove_file(repo.join("proto/acme/v1/bad.proto")).unwrap();

    write(repo, "proto/acme/v1/order.proto", ORDER);
    git(repo, &["add", "-A"]);
    let out = run_hook(breaking, repo).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("FIELD_NO_DELETE"), "{}", text(&out));
    let out = run_hook(lock, repo).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("protoforge lock"),
        "says how to refresh: {}",
        text(&out)
    );

    // Nothing staged that matches: pre-commit does not run the hooks.
    git(repo, &["reset", "-q", "--hard"]);
    write(repo, "README.md", "docs\n");
    git(repo, &["add", "-A"]);
    assert!(hooks.iter().all(|h| run_hook(h, repo).is_none()));
}

/// `protoforge lock`, then `git add -A`.
fn relock_and_stage(repo: &Path) {
    let status = Command::new(BIN)
        .current_dir(repo)
        .args(["lock", "-q"])
        .status()
        .unwrap();
    assert!(status.success());
    git(repo, &["add", "-A"]);
}

fn install_git_hook(repo: &Path) {
    let hook = repo.join(".git/hooks/pre-commit");
    std::fs::copy(repo_file("build-support/hooks/pre-commit"), &hook).unwrap();
}

fn commit(repo: &Path) -> Output {
    git_command(repo)
        .args(["commit", "-q", "-m", "change"])
        .env("PROTOFORGE", BIN)
        .env("PROTOFORGE_NO_CACHE", "1")
        .output()
        .unwrap()
}

#[test]
fn plain_git_hook() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    project(repo);
    install_git_hook(repo);

    // A file with a finding blocks the commit and is named.
    write(repo, "proto/acme/v1/bad_name.proto", BAD);
    git(repo, &["add", "-A"]);
    let out = commit(repo);
    assert!(!out.status.success(), "commit went through: {}", text(&out));
    assert!(text(&out).contains("MESSAGE_PASCAL_CASE"), "{}", text(&out));

    // Fixed: the commit goes through, and the hook printed nothing.
    write(
        repo,
        "proto/acme/v1/bad_name.proto",
        &BAD.replace("bad_name", "BadName"),
    );
    git(repo, &["add", "-A"]);
    let out = commit(repo);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(text(&out), "");

    // A new field without refreshing the lock blocks the commit with the command to run.
    write(repo, "proto/acme/v1/order.proto", ORDER_WITH_NOTE);
    git(repo, &["add", "-A"]);
    let out = commit(repo);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("refresh it with `protoforge lock`"),
        "{}",
        text(&out)
    );
    relock_and_stage(repo);
    let out = commit(repo);
    assert!(out.status.success(), "{}", text(&out));

    // Without the binary, the hook says what to do instead of failing obscurely.
    write(
        repo,
        "proto/acme/v1/order.proto",
        ORDER_WITH_NOTE.replace("note", "memo").as_str(),
    );
    git(repo, &["add", "-A"]);
    let out = git_command(repo)
        .args(["commit", "-q", "-m", "x"])
        .env("PROTOFORGE", "/nonexistent/protoforge")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("not found"), "{}", text(&out));
}

/// The workflow's steps that run protoforge, run with bash in a clone whose pull request deletes a
/// field: annotations from the first, a SARIF file from the second.
#[test]
fn ci_workflow() {
    let workflow = yaml("build-support/ci/protoforge.yml");
    assert!(
        workflow["on"]["pull_request"].is_mapping(),
        "runs on pull requests"
    );
    let steps = workflow["jobs"]["check"]["steps"].as_sequence().unwrap();
    let step = |name: &str| -> String {
        steps
            .iter()
            .find(|s| s["name"].as_str() == Some(name))
            .and_then(|s| s["run"].as_str())
            .unwrap_or_else(|| panic!("no step {name:?} with `run`"))
            .to_owned()
    };
    assert!(steps.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif"))
    }));

    let d = tempfile::tempdir().unwrap();
    let origin = d.path().join("origin");
    std::fs::create_dir(&origin).unwrap();
    project(&origin);
    git(d.path(), &["clone", "-q", "origin", "work"]);
    let work = d.path().join("work");
    git(&work, &["checkout", "-q", "-b", "feature"]);
    write(&work, "proto/acme/v1/order.proto", ORDER_WITHOUT_TOTAL);
    git(&work, &["commit", "-q", "-am", "drop total"]);

    let output_file = d.path().join("github_output");
    std::fs::write(&output_file, "").unwrap();
    let run = |script: &str| -> Output {
        let sha = std::fs::read_to_string(&output_file)
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("sha=").map(str::to_owned))
            .unwrap_or_default();
        let script = script
            .replace("${{ github.base_ref }}", "main")
            .replace("${{ steps.base.outputs.sha }}", &sha);
        assert!(!script.contains("${{"), "unexpanded expression in {script}");
        Command::new("bash")
            .args(["-eo", "pipefail", "-c", &script])
            .current_dir(&work)
            .env("PATH", path_with_protoforge())
            .env("GITHUB_OUTPUT", &output_file)
            .env("CI", "true")
            .env("PROTOFORGE_CACHE_DIR", d.path().join("cache"))
            .output()
            .unwrap()
    };
    let out = run(&step("Merge base"));
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&step("protoforge check"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=proto/acme/v1/order.proto")
            && stdout.contains("FIELD_NO_DELETE"),
        "{stdout}"
    );
    let out = run(&step("protoforge check (SARIF)"));
    assert!(
        out.status.success(),
        "findings alone must not fail the SARIF step: {}",
        text(&out)
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(work.join("protoforge.sarif")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"]
            .as_str()
            .is_some_and(|id| id.starts_with("FIELD_NO_DELETE"))),
        "{sarif}"
    );
}
