//! Names the git commit the binary was built from, for `protoforge --version`:
//! `PROTOFORGE_VERSION` is "0.1.0 (1a2b3c4d5e6f 2026-12-02)", or only the version when not built
//! from a git checkout of this crate (a packaged crate, a copy vendored inside someone else's
//! repository, no `git` on PATH).

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8(out.stdout).ok()?.trim().to_owned())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let commit = commit(&dir).unwrap_or_default();
    let version = std::env::var("CARGO_PKG_VERSION").unwrap();
    let long = if commit.is_empty() {
        version
    } else {
        format!("{version} ({commit})")
    };
    println!("cargo:rustc-env=PROTOFORGE_VERSION={long}");
}

fn commit(dir: &Path) -> Option<String> {
    // `cargo package` leaves Cargo.toml.orig: a packaged copy has no history of its own.
    if dir.join("Cargo.toml.orig").exists() {
        return None;
    }
    // Only this crate's own repository: a copy vendored into another project must not take on
    // that project's commit.
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself, the branch it names, and packed refs. Only paths
    // that exist: cargo reruns a build script every time for one that does not.
    let mut watch = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch.push(branch);
    }
    for name in watch {
        let args = ["rev-parse", "--path-format=absolute", "--git-path", &name];
        if let Some(path) = git(dir, &args)
            && Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let hash = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cs", "HEAD"]).unwrap_or_default();
    Some(format!("{hash} {date}").trim().to_owned())
}
