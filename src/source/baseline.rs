//! Baselines for the breaking check: a directory, a descriptor set (`protoc -o`, `buf build -o`,
//! with or without imports) or a git revision. Each becomes a descriptor pool plus the set of files
//! that are compared (the baseline's own files, not its imports).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use prost::Message;
use prost_reflect::DescriptorPool;
use prost_types::{FileDescriptorProto, FileDescriptorSet};

use super::compile::compile_with;
use super::fs::MemFs;
use super::loaded::Compilation;
use super::syntax::features::Edition;
use super::{discover, embedded, git};
use crate::error::{Error, Result};

/// The previous version of the API.
#[derive(Debug)]
pub struct Previous {
    pub pool: DescriptorPool,
    /// Files whose definitions are compared.
    pub scope: BTreeSet<String>,
    /// "directory ../old", "descriptor set api.binpb", "git revision main (1a2b3c4)".
    pub description: String,
    /// Baseline files that could not be used (they did not compile or link).
    pub skipped: Vec<String>,
}

/// What the current run looks at, to map it onto the baseline.
pub struct Context<'a> {
    pub cwd: &'a Path,
    /// The directory config paths are relative to.
    pub base: &'a Path,
    /// Current include roots (absolute).
    pub roots: &'a [PathBuf],
    /// Current target paths (absolute files or directories).
    pub paths: &'a [PathBuf],
    pub excluded: &'a (dyn Fn(&Path) -> bool + Sync),
    /// A baseline directory's own include roots, when it has a configuration of its own (buf
    /// v1beta1 `build.roots`, v2 `modules`, `[proto] roots`): its layout may differ from today's.
    pub baseline_roots: Option<Vec<PathBuf>>,
}

/// Loads `against`: an existing directory, an existing file (descriptor set), else a git revision.
pub fn load(against: &str, cx: &Context) -> Result<Previous> {
    let path = cx.cwd.join(against);
    if path.is_dir() {
        return load_dir(&path, against, cx);
    }
    if path.is_file() {
        return load_descriptor_set(&path, against);
    }
    load_git(against, cx)
}

fn from_compilation(c: Compilation, description: String) -> Previous {
    let mut scope = BTreeSet::new();
    let mut skipped = Vec::new();
    for f in c.targets() {
        if f.linked {
            scope.insert(f.name.clone());
        } else {
            skipped.push(f.name.clone());
        }
    }
    Previous {
        pool: c.pool,
        scope,
        description,
        skipped,
    }
}

/// `path` re-rooted from the current base onto `onto`, if that exists there.
fn remap(path: &Path, base: &Path, onto: &Path, exists: &dyn Fn(&Path) -> bool) -> Option<PathBuf> {
    let rel = path.strip_prefix(base).ok()?;
    let mapped = onto.join(rel);
    exists(&mapped).then_some(mapped)
}

fn load_dir(dir: &Path, shown: &str, cx: &Context) -> Result<Previous> {
    let dir = discover::absolute(dir)?;
    let exists = |p: &Path| p.exists();
    // The baseline's own roots, else today's roots and paths re-rooted onto it.
    let own = cx.baseline_roots.as_ref().filter(|r| !r.is_empty());
    let onto = |list: &[PathBuf]| -> Vec<PathBuf> {
        match own {
            Some(own) => own.clone(),
            None => list
                .iter()
                .filter_map(|p| remap(p, cx.base, &dir, &exists))
                .collect(),
        }
    };
    let mut roots = onto(cx.roots);
    if roots.is_empty() {
        roots.push(dir.clone());
    }
    let mut paths = onto(cx.paths);
    if paths.is_empty() {
        paths = roots.clone();
    }
    let files = discover::discover(&paths)?;
    let targets: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter(|f| !excluded_in(f, &dir, cx))
        .filter_map(|f| {
            let name = roots.iter().find_map(|r| discover::import_name(r, &f))?;
            Some((f, name))
        })
        .collect();
    let c = super::compile::compile(&roots, targets, cx.cwd);
    Ok(from_compilation(c, format!("directory {shown}")))
}

/// Excludes apply to the baseline's files at the same relative paths.
fn excluded_in(file: &Path, onto: &Path, cx: &Context) -> bool {
    match file.strip_prefix(onto) {
        Ok(rel) => (cx.excluded)(&cx.base.join(rel)),
        Err(_) => false,
    }
}

fn load_descriptor_set(path: &Path, shown: &str) -> Result<Previous> {
    let bytes = std::fs::read(path).map_err(|err| Error::io(path, err))?;
    let set = FileDescriptorSet::decode(bytes.as_slice()).map_err(|err| {
        Error::usage(
            format!("`{shown}` is not a descriptor set: {err}"),
            Some("pass a file written by `protoc -o` or `buf build -o`, a directory, or a git revision".into()),
        )
    })?;
    let names: BTreeSet<String> = set.file.iter().map(|f| f.name().to_owned()).collect();
    let mut pool = DescriptorPool::new();
    let mut skipped = Vec::new();
    // Imports the set lacks: the well-known and embedded files can stand in, with the imports
    // they have themselves (google/api and buf/validate import descriptor.proto).
    let mut pending: Vec<FileDescriptorProto> = Vec::new();
    let mut wanted: Vec<String> = set.file.iter().flat_map(|f| f.dependency.clone()).collect();
    while let Some(dep) = wanted.pop() {
        if names.contains(&dep) || pending.iter().any(|p| p.name() == dep) {
            continue;
        }
        if let Some(proto) = embedded::well_known(&dep)
            .or_else(|| embedded::source(&dep).and_then(|src| super::syntax::parse(&dep, src).ok()))
        {
            wanted.extend(proto.dependency.iter().cloned());
            pending.push(proto);
        }
    }
    // Linked dependencies first: each round links every file whose imports are all in.
    let mut remaining: Vec<FileDescriptorProto> = pending
        .into_iter()
        .chain(set.file.iter().cloned())
        .collect();
    loop {
        let before = remaining.len();
        let mut waiting = Vec::new();
        for mut file in remaining {
            let name = file.name().to_owned();
            if pool.get_file_by_name(&name).is_some() {
                continue;
            }
            if !file
                .dependency
                .iter()
                .all(|d| pool.get_file_by_name(d).is_some())
            {
                waiting.push(file);
                continue;
            }
            // What protoc accepts and the linker does not (see `prelink`).
            let edition = match file.syntax() {
                "proto3" => Some(Edition::Proto3),
                "" | "proto2" => Some(Edition::Proto2),
                _ => None,
            };
            if let Some(edition) = edition {
                super::prelink::relax_json_names(&mut file, edition);
            }
            if pool.add_file_descriptor_proto(file).is_err() {
                skipped.push(name);
            }
        }
        remaining = waiting;
        if remaining.is_empty() || remaining.len() == before {
            break;
        }
    }
    skipped.extend(remaining.iter().map(|f| f.name().to_owned()));
    let scope = names
        .into_iter()
        .filter(|n| pool.get_file_by_name(n).is_some())
        .filter(|n| !n.starts_with("google/protobuf/"))
        .collect();
    Ok(Previous {
        pool,
        scope,
        description: format!("descriptor set {shown}"),
        skipped,
    })
}

fn load_git(rev: &str, cx: &Context) -> Result<Previous> {
    let top = git::toplevel(cx.cwd)?;
    let top = discover::absolute(&top)?;
    let commit = git::resolve(&top, rev)?;
    let rel = |p: &Path| -> Option<String> {
        let r = p.strip_prefix(&top).ok()?;
        let s = r.to_string_lossy().replace('\\', "/");
        Some(if s.is_empty() { ".".to_owned() } else { s })
    };
    let roots: Vec<PathBuf> = if cx.roots.is_empty() {
        cx.paths
            .iter()
            .map(|p| {
                if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                }
            })
            .collect()
    } else {
        cx.roots.to_vec()
    };
    let root_rels: Vec<String> = roots.iter().filter_map(|r| rel(r)).collect();
    let files = git::list_files(&top, &commit, &root_rels)?;
    let protos: Vec<String> = files
        .into_iter()
        .filter(|f| f.ends_with(".proto"))
        .collect();
    let blobs = git::read_files(&top, &commit, &protos)?;
    let mut fs = MemFs::default();
    for (path, bytes) in blobs {
        fs.files.insert(top.join(path), bytes);
    }
    let path_rels: Vec<PathBuf> = if cx.paths.is_empty() {
        roots.clone()
    } else {
        cx.paths.to_vec()
    };
    let targets: Vec<(PathBuf, String)> = fs
        .files
        .keys()
        .filter(|f| path_rels.iter().any(|p| f.starts_with(p)))
        .filter(|f| !(cx.excluded)(f))
        .filter_map(|f| {
            let name = roots.iter().find_map(|r| discover::import_name(r, f))?;
            Some((f.clone(), name))
        })
        .collect();
    let c = compile_with(&roots, targets, cx.cwd, &fs);
    let short = &commit[..commit.len().min(12)];
    Ok(from_compilation(c, format!("git revision {rev} ({short})")))
}
