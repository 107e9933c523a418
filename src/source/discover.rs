//! Finding the `.proto` files a run is about: walks directories honouring .gitignore, skips
//! `target/`, `node_modules/` and hidden directories.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// Every `.proto` file under `paths` (files are taken as given, even when ignored), sorted and
/// without duplicates. Paths are absolute.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        let abs = absolute(path)?;
        let meta = std::fs::metadata(&abs).map_err(|err| {
            if err.kind() == std::io::ErrorKind::NotFound {
                Error::new(ErrorKind::NoSuchPath { path: path.clone() })
            } else {
                Error::io(path, err)
            }
        })?;
        if meta.is_file() {
            found.push(abs);
            continue;
        }
        let walker = ignore::WalkBuilder::new(&abs)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .ignore(true)
            .parents(true)
            .follow_links(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(|entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                !(is_dir
                    && entry.depth() > 0
                    && entry
                        .file_name()
                        .to_str()
                        .is_some_and(|name| SKIPPED_DIRS.contains(&name)))
            })
            .build();
        for entry in walker {
            // An unreadable directory or a symlink loop is skipped, not fatal: the rest is linted.
            let Ok(entry) = entry else { continue };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if is_file && entry.path().extension().is_some_and(|ext| ext == "proto") {
                found.push(entry.into_path());
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// The absolute form of `path` without resolving symlinks.
pub fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path).map_err(|err| Error::io(path, err))?;
    Ok(normalize(&abs))
}

/// Removes `.` and `..` components lexically.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The import name of `path` under `root` (`acme/shop/v1/shop.proto`), if it is under it.
pub fn import_name(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in rel.components() {
        parts.push(component.as_os_str().to_str()?);
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// How a path is shown to the user: relative to the working directory when under it.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    if shown.as_os_str().is_empty() {
        return ".".to_owned();
    }
    shown.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_display() {
        let root = Path::new("/r/proto");
        assert_eq!(
            import_name(root, Path::new("/r/proto/a/b.proto")).as_deref(),
            Some("a/b.proto")
        );
        assert_eq!(import_name(root, Path::new("/r/other/b.proto")), None);
        assert_eq!(
            display_path(Path::new("/r/proto/a.proto"), Path::new("/r")),
            "proto/a.proto"
        );
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
