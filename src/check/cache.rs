//! The result cache: a run whose inputs are unchanged (every file it read, the configuration, the
//! lock, the arguments and the protoforge version) prints the stored report instead of compiling
//! again. It is an optimisation only: a missing, stale or corrupt entry is ignored and rewritten,
//! and results never differ (tested).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Checks, Flags};
use crate::config::Config;
use crate::diagnostic::{Finding, Fix, Label, Report, Severity, Span};
use crate::source::{self, Compilation, LoadOptions};

/// Where entries live: `PROTOFORGE_CACHE_DIR`, else `$XDG_CACHE_HOME/protoforge`, else
/// `~/.cache/protoforge`.
fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PROTOFORGE_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("protoforge"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("protoforge"))
}

/// One input file and the hash of its content (None: it did not exist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Input {
    path: PathBuf,
    hash: Option<u64>,
}

/// `F` is [`Finding`] when written and [`StoredFinding`] when read back.
#[derive(Serialize, Deserialize)]
struct Entry<F> {
    version: String,
    /// The discovered targets, in order: a new or removed file invalidates the entry.
    targets: Vec<PathBuf>,
    inputs: Vec<Input>,
    findings: Vec<F>,
    notes: Vec<String>,
}

/// A finding as stored: its rule ID is a string until it is looked up in the registry again.
#[derive(Deserialize)]
struct StoredFinding {
    rule: String,
    severity: Severity,
    file: String,
    span: Span,
    message: String,
    label: Option<String>,
    help: Option<String>,
    related: Vec<Label>,
    fix: Option<Fix>,
}

impl StoredFinding {
    /// The finding, if its rule still exists.
    fn into_finding(self) -> Option<Finding> {
        Some(Finding {
            rule: crate::rules::registry::get(&self.rule)?.id,
            severity: self.severity,
            file: self.file,
            span: self.span,
            message: self.message,
            label: self.label,
            help: self.help,
            related: self.related,
            fix: self.fix,
        })
    }
}

/// A run's cache slot.
pub struct Cache {
    file: PathBuf,
    /// Inputs outside the compilation (config, lock, lint baseline).
    extra: Vec<PathBuf>,
    /// The targets the run will check, discovered once (None: discovery failed, no caching).
    targets: Option<Vec<PathBuf>>,
}

impl Cache {
    /// The slot for a run, or None when caching is off (`PROTOFORGE_NO_CACHE`) or the git
    /// baseline cannot be resolved.
    pub fn for_run(
        config: &Config,
        options: &LoadOptions,
        flags: &Flags,
        checks: &Checks,
    ) -> Option<Cache> {
        if std::env::var_os("PROTOFORGE_NO_CACHE").is_some() {
            return None;
        }
        let cwd = source::discover::absolute(&options.cwd).ok()?;
        // A git baseline is immutable once resolved to a commit. A descriptor set is an input
        // like any other; a directory baseline contributes every .proto file under it (the
        // baseline's include roots are inside it), and its file list is part of the key.
        let mut baseline_inputs = Vec::new();
        let against = match &checks.against {
            None => String::new(),
            Some(rev) => {
                let path = cwd.join(rev);
                if path.is_file() {
                    baseline_inputs.push(path.clone());
                    format!("file {}", path.display())
                } else if path.is_dir() {
                    baseline_inputs = protos_under(&path);
                    // Its own configuration decides its roots.
                    baseline_inputs.extend(
                        ["buf.yaml", crate::config::FILE_NAME]
                            .iter()
                            .map(|name| path.join(name))
                            .filter(|p| p.is_file()),
                    );
                    format!("dir {} {:?}", path.display(), baseline_inputs)
                } else {
                    let top = source::git::toplevel(&cwd).ok()?;
                    source::git::resolve(&top, rev).ok()?
                }
            }
        };
        let mut h = std::hash::DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        // Another build of the same version may report differently: the binary is an input too.
        binary_identity().hash(&mut h);
        cwd.hash(&mut h);
        options.paths.hash(&mut h);
        options.roots.hash(&mut h);
        // The revision as written too: it appears in the report's notes.
        (checks.lint, checks.ledger, &checks.against, against).hash(&mut h);
        (flags.inline_ignores, flags.use_baseline).hash(&mut h);
        config.path().hash(&mut h);
        let key = h.finish();
        let mut extra: Vec<PathBuf> = config.files();
        extra.push(crate::ledger::lock_path(config));
        extra.extend(config.policies().filter_map(|p| p.baseline.clone()));
        extra.extend(baseline_inputs);
        Some(Cache {
            file: cache_dir()?.join(format!("{key:016x}.json")),
            extra,
            targets: current_targets(options, config),
        })
    }

    /// The stored report, if every input is unchanged.
    pub fn lookup(&self, options: &LoadOptions) -> Option<Report> {
        let text = std::fs::read(&self.file).ok()?;
        let entry: Entry<StoredFinding> = serde_json::from_slice(&text).ok()?;
        if entry.version != env!("CARGO_PKG_VERSION") {
            return None;
        }
        if self.targets.as_ref()? != &entry.targets {
            return None;
        }
        // Read and hash every input in parallel; keep the texts for snippets.
        let read: Vec<(Option<u64>, Option<Vec<u8>>)> = entry
            .inputs
            .par_iter()
            .map(|i| match std::fs::read(&i.path) {
                Ok(bytes) => (Some(source::fs::content_hash(&bytes)), Some(bytes)),
                Err(_) => (None, None),
            })
            .collect();
        if entry
            .inputs
            .iter()
            .zip(&read)
            .any(|(i, (h, _))| i.hash != *h)
        {
            return None;
        }
        let cwd = source::discover::absolute(&options.cwd).ok()?;
        let findings = entry
            .findings
            .into_iter()
            .map(StoredFinding::into_finding)
            .collect::<Option<Vec<Finding>>>()?;
        let mut sources = BTreeMap::new();
        let wanted: std::collections::BTreeSet<&str> =
            findings.iter().map(|f| f.file.as_str()).collect();
        for (input, (_, bytes)) in entry.inputs.iter().zip(read) {
            let display = source::discover::display_path(&input.path, &cwd);
            if let (true, Some(bytes)) = (wanted.contains(display.as_str()), bytes) {
                let text: Arc<str> = String::from_utf8_lossy(&bytes).into();
                sources.insert(display, text);
            }
        }
        Some(Report {
            findings,
            sources,
            // The files checked are the targets, shown as the loader shows them.
            checked: entry
                .targets
                .iter()
                .map(|t| source::discover::display_path(t, &cwd))
                .collect(),
            notes: entry.notes,
        })
    }

    /// Stores `report`, made from `compilation`. Failures are ignored: the cache is optional.
    pub fn store(&self, report: &Report, compilation: &Compilation) {
        let Some(targets) = self.targets.clone() else {
            return;
        };
        // Compiled files are hashed as they were read; the rest are read now.
        let mut inputs: Vec<Input> = compilation
            .files
            .iter()
            .filter_map(|f| match &f.origin {
                source::Origin::Disk { path, .. } => Some(Input {
                    path: path.clone(),
                    hash: f.disk_hash,
                }),
                _ => None,
            })
            .collect();
        let mut others: Vec<PathBuf> = compilation.missed_imports.clone();
        others.extend(self.extra.iter().cloned());
        others.sort();
        others.dedup();
        inputs.par_extend(others.into_par_iter().map(|path| {
            let hash = std::fs::read(&path)
                .ok()
                .map(|b| source::fs::content_hash(&b));
            Input { path, hash }
        }));
        // Stable sort: a compiled file's entry, pushed first, wins over a second read.
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        inputs.dedup_by(|a, b| a.path == b.path);
        let entry = Entry {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            targets,
            inputs,
            findings: report.findings.iter().collect(),
            notes: report.notes.clone(),
        };
        let Some(dir) = self.file.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let Ok(json) = serde_json::to_vec(&entry) else {
            return;
        };
        let tmp = self
            .file
            .with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, json).is_ok() {
            let _ = std::fs::rename(&tmp, &self.file);
        }
    }
}

/// Every .proto file under `dir`, ignored or hidden ones included, sorted.
fn protos_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .filter_map(|entry| entry.ok())
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "proto"))
        .collect();
    files.sort();
    files
}

/// The targets a run would check, as the loader discovers them.
fn current_targets(options: &LoadOptions, config: &Config) -> Option<Vec<PathBuf>> {
    let cwd = source::discover::absolute(&options.cwd).ok()?;
    let paths: Vec<PathBuf> = if options.paths.is_empty() {
        vec![cwd.clone()]
    } else {
        options.paths.iter().map(|p| cwd.join(p)).collect()
    };
    let mut files = source::discover::discover(&paths).ok()?;
    files.retain(|f| !config.is_excluded(f));
    Some(files)
}

/// The running binary's size and modification time: a rebuilt or reinstalled protoforge never
/// reads the reports an earlier build stored.
fn binary_identity() -> Option<(u64, std::time::SystemTime)> {
    let meta = std::env::current_exe().ok()?.metadata().ok()?;
    Some((meta.len(), meta.modified().ok()?))
}
