//! Loading and compiling: include roots, file discovery, embedded protos, source text and line
//! index, the front end (`syntax`), linking (prost-reflect), SourceCodeInfo path -> span.

pub mod baseline;
mod checks;
pub mod compile;
pub mod discover;
pub mod editions;
pub mod embedded;
pub mod finding;
pub mod fs;
pub mod git;
mod hints;
mod link_errors;
pub mod loaded;
pub mod locate;
pub mod method_options;
pub mod names;
mod optpaths;
pub mod prelink;
pub mod resolved;
pub mod syntax;
pub mod text;

use std::path::{Path, PathBuf};

pub use loaded::{COMPILE, Compilation, LoadedFile, Origin};

use crate::error::{Error, ErrorKind, Result};

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Files or directories to check. Empty means the current directory.
    pub paths: Vec<PathBuf>,
    /// Include roots that import paths are relative to. Empty means: each directory argument is a
    /// root (for a file argument, its directory).
    pub roots: Vec<PathBuf>,
    /// The directory paths are shown relative to.
    pub cwd: PathBuf,
}

/// Discovers, reads, parses and links the files of a run. IO problems with the arguments are
/// errors; everything wrong inside the files is a finding in the returned compilation.
pub fn load(options: &LoadOptions) -> Result<Compilation> {
    load_filtered(options, &|_| false)
}

/// Like `load`, leaving out discovered files for which `excluded` is true (files named explicitly
/// are kept). Excluded files can still be imported.
pub fn load_filtered(
    options: &LoadOptions,
    excluded: &dyn Fn(&Path) -> bool,
) -> Result<Compilation> {
    let cwd = discover::absolute(&options.cwd)?;
    let paths: Vec<PathBuf> = if options.paths.is_empty() {
        vec![cwd.clone()]
    } else {
        options.paths.iter().map(|p| cwd.join(p)).collect()
    };
    let roots = roots_for(&options.roots, &paths, &cwd)?;
    let explicit: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| discover::absolute(p).ok())
        .collect();
    let mut files = discover::discover(&paths)?;
    files.retain(|f| explicit.contains(f) || !excluded(f));
    let mut targets = Vec::with_capacity(files.len());
    for path in files {
        let name = roots
            .iter()
            .find_map(|root| discover::import_name(root, &path))
            .ok_or_else(|| {
                Error::new(ErrorKind::NotUnderRoot {
                    path: PathBuf::from(discover::display_path(&path, &cwd)),
                    roots: roots
                        .iter()
                        .map(|r| format!("`{}`", discover::display_path(r, &cwd)))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            })?;
        targets.push((path, name));
    }
    Ok(compile::compile(&roots, targets, &cwd))
}

fn roots_for(roots: &[PathBuf], paths: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if roots.is_empty() {
        for path in paths {
            let abs = discover::absolute(path)?;
            let root = if abs.is_dir() {
                abs
            } else {
                abs.parent().map(Path::to_path_buf).unwrap_or(abs)
            };
            if !out.contains(&root) {
                out.push(root);
            }
        }
    } else {
        for root in roots {
            let abs = discover::absolute(&cwd.join(root))?;
            if !abs.is_dir() {
                return Err(Error::new(ErrorKind::BadRoot { path: root.clone() }));
            }
            if !out.contains(&abs) {
                out.push(abs);
            }
        }
    }
    Ok(out)
}
