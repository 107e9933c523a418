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
            "protoforge-lock-fresh",
            "protoforge-format"
        ]
    );
    let [lint, breaking, lock, format] = &hooks[..] else {
        unreachable!()
    };

    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    project(repo);

    // A clean change: every hook passes silently.
    write(repo, "proto/acme/v1/order.proto", ORDER_WITH_NOTE);
    relock_and_stage(repo);
    for hook in [lint, breaking, lock, format] {
        let out = run_hook(hook, repo).expect("a proto is staged");
        assert!(out.status.success(), "{}: {}", hook.id, text(&out));
        assert_eq!(text(&out), "", "{} is not quiet", hook.id);
    }
    git(repo, &["commit", "-q", "-m", "note"]);

    // A file in another layout: the format hook rewrites it and fails once, then passes.
    let tidy = ORDER.replace("Order", "Invoice");
    write(
        repo,
        "proto/acme/v1/invoice.proto",
        &tidy.replace("message Invoice {", "message  Invoice{"),
    );
    git(repo, &["add", "-A"]);
    let out = run_hook(format, repo).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(repo.join("proto/acme/v1/invoice.proto")).unwrap(),
        tidy
    );
    git(repo, &["add", "-A"]);
    let out = run_hook(format, repo).unwrap();
    assert!(out.status.success(), "{}", text(&out));
    git(
        repo,
        &["rm", "-q", "--cached", "proto/acme/v1/invoice.proto"],
    );
    std::fs::remove_file(repo.join("proto/acme/v1/invoice.proto")).unwrap();

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

    // A deleted field: both hooks give the same one next step, and doing it makes both pass.
    let next = "`protoforge check --fix && protoforge lock`";
    let lint_out = run_hook(lint, repo).unwrap();
    assert_eq!(lint_out.status.code(), Some(1), "{}", text(&lint_out));
    assert!(
        text(&lint_out).contains("FIELD_NUMBER_NOT_RESERVED") && text(&lint_out).contains(next),
        "{}",
        text(&lint_out)
    );
    let lock_out = run_hook(lock, repo).unwrap();
    assert_eq!(
        text(&lock_out),
        format!(
            "protoforge.lock is stale; {next} reserves the 1 deleted number and refreshes it, then commit it\n"
        ),
        "the lock hook names the path as findings do, and the same step"
    );
    for step in [&["check", "--fix", "--quiet"][..], &["lock", "--quiet"]] {
        let out = Command::new(BIN)
            .current_dir(repo)
            .args(step)
            .env("PROTOFORGE_NO_CACHE", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{step:?}: {}", text(&out));
    }
    git(repo, &["add", "-A"]);
    for hook in [lint, lock] {
        let out = run_hook(hook, repo).unwrap();
        assert!(
            out.status.success(),
            "{} after the step: {}",
            hook.id,
            text(&out)
        );
    }
    assert!(
        std::fs::read_to_string(repo.join("proto/acme/v1/order.proto"))
            .unwrap()
            .contains("reserved 3;")
    );

    // A syntax error: the lint hook shows it; the lock hook says so in one line, without
    // printing the same diagnostic again.
    write(
        repo,
        "proto/acme/v1/order.proto",
        "syntax = \"proto3\";\nmessage {\n",
    );
    git(repo, &["add", "-A"]);
    let out = run_hook(lint, repo).unwrap();
    assert!(text(&out).contains("COMPILE"), "{}", text(&out));
    let out = run_hook(lock, repo).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out),
        "protoforge.lock cannot be checked until the files compile: fix the COMPILE findings in proto/acme/v1/order.proto first (`protoforge lint` shows them)\n"
    );

    // Nothing staged that matches: pre-commit does not run the hooks.
    git(repo, &["reset", "-q", "--hard"]);
    write(repo, "README.md", "docs\n");
    git(repo, &["add", "-A"]);
    assert!(hooks.iter().all(|h| run_hook(h, repo).is_none()));
}

/// `protoforge lock`, then `git add -A`.
fn relock_and_stage(repo: &Path) {
    relock(repo);
    git(repo, &["add", "-A"]);
}

fn relock(repo: &Path) {
    let status = Command::new(BIN)
        .current_dir(repo)
        .args(["lock", "-q"])
        .status()
        .unwrap();
    assert!(status.success());
}

/// How many scratch copies of the index the git hook has in `.git` right now.
fn scratch_dirs(repo: &Path) -> usize {
    std::fs::read_dir(repo.join(".git"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("protoforge-staged")
        })
        .count()
}

/// `protoforge init --hooks`, as a user installs the hook: the file of build-support/, executable.
fn install_git_hook(repo: &Path) {
    let init = |args: &[&str]| {
        Command::new(BIN)
            .current_dir(repo.join("proto"))
            .args(["init", "--hooks"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = init(&[]);
    assert!(out.status.success(), "{}", text(&out));
    let hook = repo.join(".git/hooks/pre-commit");
    assert_eq!(
        std::fs::read(&hook).unwrap(),
        std::fs::read(repo_file("build-support/hooks/pre-commit")).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "executable");
    }
    let again = init(&[]);
    assert!(again.status.success());
    assert!(text(&again).contains("already"), "{}", text(&again));
    // Someone else's hook is kept unless --force.
    std::fs::write(&hook, "#!/bin/sh\nexit 0\n").unwrap();
    let out = init(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--force"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\nexit 0\n"
    );
    assert!(init(&["--force"]).status.success());
    // core.hooksPath is where git looks then.
    git(repo, &["config", "core.hooksPath", "githooks"]);
    assert!(init(&[]).status.success());
    assert!(repo.join("githooks/pre-commit").is_file());
    git(repo, &["config", "--unset", "core.hooksPath"]);
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

    // The hook checks what is staged, not the work tree (`git status`: MM). A broken file staged
    // with a clean copy in the work tree is refused...
    let clean = ORDER_WITH_NOTE.replace("message Order", "// Orders.\nmessage Order");
    write(
        repo,
        "proto/acme/v1/order.proto",
        "syntax = \"proto3\";\nmessage {\n",
    );
    git(repo, &["add", "-A"]);
    write(repo, "proto/acme/v1/order.proto", &clean);
    let status = String::from_utf8(git(repo, &["status", "--porcelain"]).stdout).unwrap();
    assert!(status.contains("MM proto/acme/v1/order.proto"), "{status}");
    let out = commit(repo);
    assert!(
        !out.status.success(),
        "the staged syntax error was committed"
    );
    assert!(text(&out).contains("COMPILE"), "{}", text(&out));
    assert!(
        text(&out).contains("proto/acme/v1/order.proto:"),
        "named by its path in the repository: {}",
        text(&out)
    );
    // ...and the work tree and the index are as they were, with no scratch files left behind.
    assert_eq!(
        std::fs::read_to_string(repo.join("proto/acme/v1/order.proto")).unwrap(),
        clean
    );
    let staged =
        String::from_utf8(git(repo, &["show", ":proto/acme/v1/order.proto"]).stdout).unwrap();
    assert!(
        staged.starts_with("syntax = \"proto3\";\nmessage {"),
        "{staged}"
    );
    let leftovers = scratch_dirs(repo);
    assert_eq!(leftovers, 0, "scratch directories left in .git");
    // A clean file staged with a broken copy in the work tree goes through.
    write(
        repo,
        "proto/acme/v1/order.proto",
        &ORDER_WITH_NOTE.replace("message Order", "// An order.\nmessage Order"),
    );
    git(repo, &["add", "-A"]);
    write(
        repo,
        "proto/acme/v1/order.proto",
        "syntax = \"proto3\";\nmessage {\n",
    );
    let out = commit(repo);
    assert!(out.status.success(), "{}", text(&out));
    // A lock that is stale in the index is refused even when the work tree's copy is fresh.
    write(
        repo,
        "proto/acme/v1/order.proto",
        &ORDER_WITH_NOTE.replace("}\n", "  string memo = 4;\n}\n"),
    );
    git(repo, &["add", "-A"]);
    relock(repo);
    let out = commit(repo);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("protoforge.lock is stale"),
        "{}",
        text(&out)
    );
    git(repo, &["add", "-A"]);
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
    let out = run(&step("protoforge format"));
    assert!(
        out.status.success(),
        "the clone is formatted: {}",
        text(&out)
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

/// Ctrl-C while the hook runs (SIGINT to its process group, as a terminal sends it) leaves no
/// scratch copy of the index behind and the work tree as it was.
#[cfg(unix)]
#[test]
fn plain_git_hook_interrupted() {
    if Command::new("setsid").arg("true").status().is_err() {
        eprintln!("skipped: no `setsid` on this machine");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    project(repo);
    install_git_hook(repo);
    // A protoforge that takes its time, so the signal arrives mid-check.
    let slow = d.path().join("slow-protoforge");
    std::fs::write(&slow, "#!/bin/sh\nsleep 30\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    write(repo, "proto/acme/v1/order.proto", ORDER_WITH_NOTE);
    git(repo, &["add", "-A"]);
    let scratch = || scratch_dirs(repo);
    let mut child = Command::new("setsid")
        .arg(repo.join(".git/hooks/pre-commit"))
        .current_dir(repo)
        .env("PROTOFORGE", &slow)
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while scratch() == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no scratch directory"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let group = format!("-{}", child.id());
    assert!(
        Command::new("kill")
            .args(["-INT", "--", &group])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(25),
        "the hook waited for its child"
    );
    assert_eq!(scratch(), 0, "scratch directory left behind");
    assert_eq!(
        std::fs::read_to_string(repo.join("proto/acme/v1/order.proto")).unwrap(),
        ORDER_WITH_NOTE
    );
}

/// A YAML block of docs/pre-commit-and-ci.md, found by its `<!-- pre-commit:NAME -->`
/// marker (indented as a list item).
fn readme_yaml(name: &str) -> String {
    let readme = std::fs::read_to_string(repo_file("docs/pre-commit-and-ci.md")).unwrap();
    let marker = format!("<!-- pre-commit:{name} -->");
    let rest = &readme[readme
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker}"))..];
    let start = rest.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = start + rest[start..].find("```").unwrap();
    rest[start..end]
        .lines()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The docs' two configurations name hooks that exist, with the published commands: the
/// `system` one is what `protoforge init` writes, hook for hook.
#[test]
fn readme_pre_commit_configs_match_the_hooks() {
    let published = yaml(".pre-commit-hooks.yaml");
    let published = published.as_sequence().unwrap();
    let find = |id: &str| {
        published
            .iter()
            .find(|h| h["id"].as_str() == Some(id))
            .unwrap_or_else(|| {
                panic!(
                    "docs/pre-commit-and-ci.md names hook {id}, which .pre-commit-hooks.yaml lacks"
                )
            })
    };
    let repo: Value = serde_yaml_ng::from_str(&readme_yaml("repo")).unwrap();
    let hooks = repo["repos"][0]["hooks"].as_sequence().unwrap();
    assert!(!hooks.is_empty());
    for h in hooks {
        find(h["id"].as_str().unwrap());
    }
    let system: Value = serde_yaml_ng::from_str(&readme_yaml("system")).unwrap();
    let template: Value = yaml("templates/pre-commit-config.yaml");
    assert_eq!(
        system, template,
        "docs/pre-commit-and-ci.md and templates/pre-commit-config.yaml differ"
    );
    for h in system["repos"][0]["hooks"].as_sequence().unwrap() {
        let p = find(h["id"].as_str().unwrap());
        assert_eq!(h["language"].as_str(), Some("system"));
        for key in ["entry", "files", "pass_filenames", "require_serial"] {
            assert_eq!(h[key], p[key], "{key} of {:?}", h["id"]);
        }
    }
}

/// The real pre-commit framework (from PyPI, installed into target/ on first use), set up as the
/// docs say with its `language: system` configuration, committing as a person would.
#[test]
fn real_pre_commit_framework_as_the_readme_says() {
    let Some(pre_commit) = pre_commit_framework() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    project(&repo);
    write(&repo, ".pre-commit-config.yaml", &readme_yaml("system"));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "pre-commit"]);
    let home = d.path().join("pre-commit-home");
    let env = |cmd: &mut Command| {
        cmd.env("PATH", path_with_protoforge())
            .env("PRE_COMMIT_HOME", &home)
            .env("PROTOFORGE_NO_CACHE", "1")
            .env_remove("PRE_COMMIT_COLOR")
            .env("NO_COLOR", "1");
    };
    let mut install = Command::new(&pre_commit);
    install.current_dir(&repo).arg("install");
    env(&mut install);
    let out = install.output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let commit = |message: &str| {
        let mut cmd = git_command(&repo);
        cmd.args(["commit", "-q", "-m", message]);
        env(&mut cmd);
        cmd.output().unwrap()
    };

    // A finding blocks the commit and is shown.
    write(&repo, "proto/acme/v1/bad_name.proto", BAD);
    git(&repo, &["add", "-A"]);
    let out = commit("bad");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("MESSAGE_PASCAL_CASE"), "{}", text(&out));
    git(
        &repo,
        &["rm", "-q", "--cached", "proto/acme/v1/bad_name.proto"],
    );
    std::fs::remove_file(repo.join("proto/acme/v1/bad_name.proto")).unwrap();

    // What is staged is checked, and the unstaged work comes back afterwards.
    let clean = ORDER.replace("message Order", "// Orders.\nmessage Order");
    write(
        &repo,
        "proto/acme/v1/order.proto",
        "syntax = \"proto3\";\nmessage {\n",
    );
    git(&repo, &["add", "-A"]);
    write(&repo, "proto/acme/v1/order.proto", &clean);
    let out = commit("mm");
    assert!(
        !out.status.success(),
        "the staged syntax error was committed"
    );
    assert!(text(&out).contains("COMPILE"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(repo.join("proto/acme/v1/order.proto")).unwrap(),
        clean
    );
    assert_eq!(
        text(&out).matches("expected").count(),
        1,
        "the syntax error is shown once, by the lint hook: {}",
        text(&out)
    );

    // A deleted field: both hooks name one step; after it the commit goes through.
    write(&repo, "proto/acme/v1/order.proto", ORDER_WITHOUT_TOTAL);
    git(&repo, &["add", "-A"]);
    let out = commit("drop total");
    assert!(!out.status.success(), "{}", text(&out));
    assert_eq!(
        text(&out)
            .matches("`protoforge check --fix && protoforge lock`")
            .count(),
        2,
        "{}",
        text(&out)
    );
    for step in [&["check", "--fix", "--quiet"][..], &["lock", "--quiet"]] {
        let out = Command::new(BIN)
            .current_dir(&repo)
            .args(step)
            .env("PROTOFORGE_NO_CACHE", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{step:?}: {}", text(&out));
    }
    git(&repo, &["add", "-A"]);
    let out = commit("drop total");
    assert!(out.status.success(), "{}", text(&out));
}

/// pre-commit 4.7 from PyPI in a virtualenv under target/, made once; None (with the reason on
/// stderr) where python3 or the registry is missing, except in CI, where that is a failure.
fn pre_commit_framework() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-4.7.0");
    let bin = venv.join("bin/pre-commit");
    if bin.is_file() {
        return Some(bin);
    }
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(venv.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "pre-commit==4.7.0",
            ])
            .status()
            .is_ok_and(|s| s.success());
    if made && bin.is_file() {
        return Some(bin);
    }
    let _ = std::fs::remove_dir_all(&venv);
    let why = "skipped: cannot install pre-commit 4.7.0 from PyPI with python3 -m venv";
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("{why}");
    None
}
