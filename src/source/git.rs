//! Reading a git revision straight from the object store with the `git` binary: no checkout, no
//! change to the work tree. The binary (rather than gix) because it is wherever a repository is,
//! understands every clone layout (shallow, partial, worktrees, alternates) and adds nothing to
//! the build.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir).env("GIT_TERMINAL_PROMPT", "0");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Result<std::process::Output> {
    git(dir).args(args).output().map_err(|err| {
        Error::usage(
            format!("cannot run `git {}`: {err}", args.join(" ")),
            Some("a git baseline needs the `git` binary on PATH".into()),
        )
    })
}

/// The top of the work tree that holds `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf> {
    let out = run(dir, &["rev-parse", "--show-toplevel"])?;
    if !out.status.success() {
        return Err(Error::usage(
            format!("`{}` is not in a git repository", dir.display()),
            Some(
                "use a directory or a descriptor set as the baseline instead of a revision".into(),
            ),
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// The commit a revision names, or an error that says how to fetch it.
pub fn resolve(dir: &Path, rev: &str) -> Result<String> {
    let spec = format!("{rev}^{{commit}}");
    let out = run(dir, &["rev-parse", "--verify", "--quiet", &spec])?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned());
    }
    let shallow = run(dir, &["rev-parse", "--is-shallow-repository"])
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
        .unwrap_or(false);
    let fetch = match rev.split_once('/') {
        Some((remote, branch))
            if !rev.contains("..") && !branch.is_empty() && !remote.is_empty() =>
        {
            format!("git fetch {remote} {branch}")
        }
        _ if shallow => format!("git fetch --depth=1 origin {rev}"),
        _ => format!("git fetch origin {rev}"),
    };
    let why = if shallow {
        "this is a shallow clone and the revision is not in it"
    } else {
        "no branch, tag or commit of that name is in this clone"
    };
    Err(Error::usage(
        format!("revision `{rev}` is not in this clone: {why}"),
        Some(format!(
            "fetch it first: `{fetch}` (in CI, fetch the base branch or use fetch-depth: 0)"
        )),
    ))
}

/// Paths (relative to the top) of every file under `paths` at `commit`.
pub fn list_files(top: &Path, commit: &str, paths: &[String]) -> Result<Vec<String>> {
    let mut args = vec![
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        "--full-tree",
        commit,
        "--",
    ];
    args.extend(paths.iter().map(String::as_str));
    let out = run(top, &args)?;
    if !out.status.success() {
        return Err(Error::usage(
            format!(
                "`git ls-tree {commit}` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            None,
        ));
    }
    Ok(out
        .stdout
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect())
}

/// The contents of `files` (relative to the top) at `commit`, through one `git cat-file --batch`.
pub fn read_files(top: &Path, commit: &str, files: &[String]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut child = git(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| Error::usage(format!("cannot run `git cat-file`: {err}"), None))?;
    let mut stdin = child.stdin.take().expect("piped");
    let requests: Vec<String> = files.iter().map(|f| format!("{commit}:{f}\n")).collect();
    let writer = std::thread::spawn(move || {
        for r in requests {
            if stdin.write_all(r.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut reader = BufReader::new(child.stdout.take().expect("piped"));
    let mut out = BTreeMap::new();
    for file in files {
        let mut header = String::new();
        if reader
            .read_line(&mut header)
            .map_err(|e| Error::io("git cat-file", e))?
            == 0
        {
            break;
        }
        let parts: Vec<&str> = header.split_whitespace().collect();
        if parts.len() == 3 && parts[1] == "blob" {
            let size: usize = parts[2].parse().unwrap_or(0);
            let mut body = vec![0; size + 1];
            reader
                .read_exact(&mut body)
                .map_err(|e| Error::io("git cat-file", e))?;
            body.truncate(size);
            out.insert(file.clone(), body);
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}

/// Commits that touched `paths`, oldest first: (sha, short date YYYY-MM-DD).
pub fn commits_touching(top: &Path, paths: &[String]) -> Result<Vec<(String, String)>> {
    let mut args = vec!["log", "--reverse", "--format=%H %cs", "--"];
    args.extend(paths.iter().map(String::as_str));
    let out = run(top, &args)?;
    if !out.status.success() {
        return Err(Error::usage(
            format!(
                "`git log` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            None,
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect())
}
