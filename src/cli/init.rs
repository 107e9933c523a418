//! `protoforge init`: writes a service skeleton from templates/ (protoforge.toml, build.rs,
//! Cargo.toml, a proto, a handler, pre-commit and CI configuration), or only protoforge.toml
//! (`--config-only`, or translated from buf.yaml with `--from-buf`).

use std::path::{Path, PathBuf};

use super::{EXIT_CLEAN, InitArgs};
use crate::config::{self, buf};
use crate::error::{Error, Result};

/// The protoforge.toml template.
pub const CONFIG_TEMPLATE: &str = include_str!("../../templates/protoforge.toml");

/// Every file `init` writes: (path in DIR, template). `{{name}}` (the package name) and
/// `{{protoforge}}` (where the protoforge dependency comes from, see [`Dependency`]) are filled in.
pub const SKELETON: &[(&str, &str)] = &[
    ("protoforge.toml", CONFIG_TEMPLATE),
    ("Cargo.toml", include_str!("../../templates/Cargo.toml.in")),
    ("build.rs", include_str!("../../templates/build.rs")),
    (
        "proto/hello/v1/greeter.proto",
        include_str!("../../templates/service/greeter.proto"),
    ),
    (
        "src/main.rs",
        include_str!("../../templates/service/main.rs"),
    ),
    (
        ".pre-commit-config.yaml",
        include_str!("../../templates/pre-commit-config.yaml"),
    ),
    (
        ".github/workflows/protoforge.yml",
        include_str!("../../build-support/ci/protoforge.yml"),
    ),
];

/// The plain git pre-commit hook `init --hooks` installs.
pub const GIT_HOOK: &str = include_str!("../../build-support/hooks/pre-commit");

pub fn run(args: &InitArgs) -> Result<u8> {
    if args.hooks {
        return install_git_hook(args);
    }
    if args.config_only || args.from_buf.is_some() {
        return config_only(args);
    }
    let dir = crate::source::discover::absolute(&args.dir)?;
    let dependency = Dependency::choose(args, &dir)?;
    std::fs::create_dir_all(&args.dir).map_err(|err| Error::io(&args.dir, err))?;
    let name = crate_name(&dir);
    let mut kept = Vec::new();
    for (path, template) in SKELETON {
        let target = dir.join(path);
        if target.exists() && !args.force {
            kept.push(*path);
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|err| Error::io(parent, err))?;
        }
        let text = template
            .replace("{{name}}", &name)
            .replace("{{protoforge}}", &dependency.toml());
        std::fs::write(&target, text).map_err(|err| Error::io(&target, err))?;
        eprintln!("Wrote {}", args.dir.join(path).display());
    }
    for path in &kept {
        eprintln!(
            "Kept {} (it exists; --force overwrites)",
            args.dir.join(path).display()
        );
    }
    eprintln!("{}", dependency.describe());
    eprintln!(
        "Next: `cargo build` in {} lints proto/ and generates the server; implement src/main.rs's handler.",
        args.dir.display()
    );
    Ok(EXIT_CLEAN)
}

/// Where the skeleton's Cargo.toml takes protoforge from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dependency {
    /// A source tree: the path as written into Cargo.toml, and the tree itself.
    Path { written: String, tree: PathBuf },
    /// A version requirement on crates.io.
    Version(String),
    /// A git repository.
    Git(String),
}

impl Dependency {
    /// From `--protoforge-path/-version/-git`; without them, the source tree this binary was
    /// built from while it is still there (a `cargo install --path` or `cargo run` build), else
    /// this binary's own version from crates.io (a `cargo install protoforge` build).
    pub fn choose(args: &InitArgs, service_dir: &Path) -> Result<Dependency> {
        if let Some(dir) = &args.protoforge_path {
            let tree = crate::source::discover::absolute(dir)?;
            check_tree(&tree).map_err(|why| {
                Error::usage(
                    format!("--protoforge-path `{}` {why}", dir.display()),
                    Some("name the directory that holds protoforge's Cargo.toml".into()),
                )
            })?;
            let written = if dir.is_absolute() {
                tree.display().to_string()
            } else {
                relative(&tree, service_dir).display().to_string()
            };
            return Ok(Dependency::Path { written, tree });
        }
        if let Some(version) = &args.protoforge_version {
            let version = version.trim();
            if version.is_empty()
                || !version.starts_with(|c: char| c.is_ascii_digit() || "=^~<>*".contains(c))
            {
                return Err(Error::usage(
                    format!("--protoforge-version `{version}` is not a version requirement"),
                    Some(format!("for example `{}`", env!("CARGO_PKG_VERSION"))),
                ));
            }
            return Ok(Dependency::Version(version.to_owned()));
        }
        if let Some(url) = &args.protoforge_git {
            if url.trim().is_empty() {
                return Err(Error::usage(
                    "--protoforge-git needs a repository URL",
                    None,
                ));
            }
            return Ok(Dependency::Git(url.trim().to_owned()));
        }
        Ok(Self::built_from(Path::new(env!("CARGO_MANIFEST_DIR"))))
    }

    /// The default for a binary built from `manifest_dir`.
    pub fn built_from(manifest_dir: &Path) -> Dependency {
        match check_tree(manifest_dir) {
            Ok(()) => Dependency::Path {
                written: manifest_dir.display().to_string(),
                tree: manifest_dir.to_owned(),
            },
            Err(_) => Dependency::Version(env!("CARGO_PKG_VERSION").to_owned()),
        }
    }

    /// The inside of the dependency's inline table, e.g. `path = "/src/protoforge"`.
    pub fn toml(&self) -> String {
        let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
        match self {
            Dependency::Path { written, .. } => format!("path = {}", quoted(written)),
            Dependency::Version(v) => format!("version = {}", quoted(v)),
            Dependency::Git(url) => format!("git = {}", quoted(url)),
        }
    }

    /// One line for the user: where protoforge will come from and how to choose otherwise.
    pub fn describe(&self) -> String {
        match self {
            Dependency::Path { tree, .. } => format!(
                "protoforge comes from the source tree {} (--protoforge-version or --protoforge-git choose another source)",
                tree.display()
            ),
            Dependency::Version(v) => format!(
                "protoforge {v} comes from crates.io (--protoforge-path or --protoforge-git choose another source)"
            ),
            Dependency::Git(url) => format!(
                "protoforge comes from {url} (add `branch`, `tag` or `rev` to both entries in Cargo.toml to pin it)"
            ),
        }
    }
}

/// Whether `dir` is a protoforge source tree a path dependency can use: its Cargo.toml names
/// the package, and it is not an unpacked crate from a registry (`cargo package` leaves
/// Cargo.toml.orig), which a version dependency names better.
fn check_tree(dir: &Path) -> std::result::Result<(), &'static str> {
    let text =
        std::fs::read_to_string(dir.join("Cargo.toml")).map_err(|_| "holds no Cargo.toml")?;
    let manifest: toml::Table = text
        .parse()
        .map_err(|_| "has a Cargo.toml that does not parse")?;
    let name = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    if name != Some("protoforge") {
        return Err("holds a Cargo.toml that is not protoforge's");
    }
    if dir.join("Cargo.toml.orig").exists() {
        return Err("is a packaged copy of the crate");
    }
    Ok(())
}

/// `to` relative to `from` (both absolute and normalized), for a path written into `from`.
fn relative(to: &Path, from: &Path) -> PathBuf {
    let to: Vec<_> = to.components().collect();
    let from: Vec<_> = from.components().collect();
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Writes the git hook where git looks for it in the repository that holds `args.dir`.
fn install_git_hook(args: &InitArgs) -> Result<u8> {
    let out = std::process::Command::new("git")
        .current_dir(&args.dir)
        .args([
            "rev-parse",
            "--path-format=absolute",
            "--git-path",
            "hooks/pre-commit",
        ])
        .output()
        .map_err(|err| {
            Error::usage(
                format!("cannot run `git`: {err}"),
                Some("installing a git hook needs the `git` binary on PATH".into()),
            )
        })?;
    if !out.status.success() {
        return Err(Error::usage(
            format!("`{}` is not in a git repository", args.dir.display()),
            Some("run `git init` first, or name a directory inside the repository".into()),
        ));
    }
    let hook = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    match std::fs::read(&hook) {
        Ok(existing) if existing == GIT_HOOK.as_bytes() => {
            eprintln!("{} is already protoforge's hook", hook.display());
            return Ok(EXIT_CLEAN);
        }
        Ok(_) if !args.force => {
            return Err(Error::usage(
                format!("`{}` exists and is not protoforge's hook", hook.display()),
                Some(
                    "pass --force to replace it, or call `protoforge check --no-breaking` from it yourself".into(),
                ),
            ));
        }
        _ => {}
    }
    if let Some(parent) = hook.parent() {
        std::fs::create_dir_all(parent).map_err(|err| Error::io(parent, err))?;
    }
    std::fs::write(&hook, GIT_HOOK).map_err(|err| Error::io(&hook, err))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
            .map_err(|err| Error::io(&hook, err))?;
    }
    eprintln!(
        "Wrote {}: each commit now checks the staged .proto files and protoforge.lock (`git commit --no-verify` skips it once)",
        hook.display()
    );
    Ok(EXIT_CLEAN)
}

/// A Cargo package name from the directory's name.
fn crate_name(dir: &Path) -> String {
    let raw = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "service-");
    }
    name
}

fn config_only(args: &InitArgs) -> Result<u8> {
    let target = args.dir.join(config::FILE_NAME);
    if target.exists() && !args.force {
        return Err(Error::usage(
            format!("`{}` already exists", target.display()),
            Some("pass --force to overwrite it".into()),
        ));
    }
    std::fs::create_dir_all(&args.dir).map_err(|err| Error::io(&args.dir, err))?;
    let text = match &args.from_buf {
        None => CONFIG_TEMPLATE.to_owned(),
        Some(path) => {
            let path = path.clone().unwrap_or_else(|| args.dir.join("buf.yaml"));
            translate(&path, &args.dir)?
        }
    };
    std::fs::write(&target, text).map_err(|err| Error::io(&target, err))?;
    eprintln!("Wrote {}", target.display());
    Ok(EXIT_CLEAN)
}

fn translate(buf_yaml: &Path, dir: &Path) -> Result<String> {
    let text = std::fs::read_to_string(buf_yaml).map_err(|err| Error::io(buf_yaml, err))?;
    let parsed = buf::parse(&text, buf_yaml)?;
    let (mut toml, notes) = buf::to_toml(&parsed);
    for note in &notes {
        eprintln!("note: {note}");
    }
    // Paths in buf.yaml are relative to it; in protoforge.toml to the new file's directory.
    let from = crate::source::discover::absolute(buf_yaml.parent().unwrap_or(Path::new(".")))?;
    let to = crate::source::discover::absolute(dir)?;
    if from != to {
        toml.insert_str(
            0,
            &format!(
                "# Note: buf.yaml was in {}; the paths below are relative to it. Move this file there or adjust them.\n",
                from.display()
            ),
        );
    }
    // Check the result reads back.
    config::Config::parse(&toml, &to.join(config::FILE_NAME))?;
    Ok(toml)
}
