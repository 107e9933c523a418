//! Loading and compiling: read and parse files in parallel, resolve imports, order them, link them
//! once into a descriptor pool, and turn every problem into a located `COMPILE` finding.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use prost_reflect::DescriptorPool;
use prost_types::FileDescriptorProto;
use rayon::prelude::*;

use super::discover::display_path;
use super::embedded;
use super::finding::Finding;
use super::fs::{DiskFs, SourceFs, content_hash};
use super::hints::{add_missing_name_hints, add_option_hints};
use super::link_errors::{
    LOCATE_BUDGET, already_defined, check_duplicate_extensions, cycle_finding, descriptor_error,
    file_finding, missing_import, too_many_errors,
};
use super::loaded::{Compilation, LoadedFile, Origin};
use super::locate::Locations;
use super::text::SourceText;

/// A file to load: a target with its path, or an import to find.
struct Pending {
    name: String,
    source: PendingSource,
}

enum PendingSource {
    Target { path: PathBuf },
    Disk { path: PathBuf },
    Embedded,
    WellKnown,
}

/// Compiles `targets` (absolute path, import name) resolving imports against `roots`.
pub fn compile(roots: &[PathBuf], targets: Vec<(PathBuf, String)>, cwd: &Path) -> Compilation {
    compile_with(roots, targets, cwd, &DiskFs)
}

/// Like `compile`, reading from `fs`.
pub fn compile_with(
    roots: &[PathBuf],
    targets: Vec<(PathBuf, String)>,
    cwd: &Path,
    fs: &dyn SourceFs,
) -> Compilation {
    let mut files: Vec<LoadedFile> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut findings = Vec::new();
    let mut scheduled: HashSet<String> = HashSet::new();
    let mut missed_imports = Vec::new();

    let mut wave: Vec<Pending> = Vec::new();
    for (path, name) in targets {
        if scheduled.insert(name.clone()) {
            wave.push(Pending {
                name,
                source: PendingSource::Target { path },
            });
        }
    }

    let mut timings = Vec::new();
    let parse_started = std::time::Instant::now();
    while !wave.is_empty() {
        let loaded: Vec<(LoadedFile, Vec<Finding>)> = wave
            .par_iter()
            .map(|pending| load_one(pending, cwd, fs))
            .collect();
        let mut next = Vec::new();
        for (file, mut file_findings) in loaded {
            findings.append(&mut file_findings);
            let index = files.len();
            by_name.insert(file.name.clone(), index);
            if let Some(proto) = &file.proto {
                let locations = Locations::new(proto);
                for (i, dep) in proto.dependency.iter().enumerate() {
                    if scheduled.contains(dep) {
                        continue;
                    }
                    match resolve_import(roots, dep, fs, &mut missed_imports) {
                        Some(source) => {
                            scheduled.insert(dep.clone());
                            next.push(Pending {
                                name: dep.clone(),
                                source,
                            });
                        }
                        None => {
                            if let Some(text) = &file.text {
                                findings.push(missing_import(
                                    &file, text, &locations, i, dep, roots, cwd,
                                ));
                            }
                        }
                    }
                }
            }
            files.push(file);
        }
        wave = next;
    }

    timings.push(("read+parse", parse_started.elapsed()));
    let order = topological_order(&files, &by_name, &mut findings);

    let link_started = std::time::Instant::now();
    let mut pool = DescriptorPool::new();
    let mut ok = vec![false; files.len()];
    // Files whose imports all parsed, in dependency order. They are linked in chunks: one
    // prost-reflect call per chunk is cheaper than one per file. A chunk that fails (some file in
    // it has an error) is linked again file by file, so every error is reported and every good
    // file still links.
    let mut parsed_ok = vec![false; files.len()];
    let mut linkable = Vec::with_capacity(order.len());
    for &index in &order {
        let deps_ok = files[index].proto.as_ref().is_some_and(|proto| {
            proto
                .dependency
                .iter()
                .all(|dep| by_name.get(dep).is_some_and(|&d| parsed_ok[d]))
        });
        if deps_ok {
            parsed_ok[index] = true;
            linkable.push(index);
        }
    }
    for &index in &linkable {
        if files[index].is_disk()
            && let Some(proto) = &files[index].proto
        {
            super::checks::check(&files[index], proto, &mut findings);
        }
    }
    const CHUNK: usize = 512;
    for chunk in linkable.chunks(CHUNK) {
        let deps_in_reach = |i: usize, ok: &[bool]| {
            files[i].proto.as_ref().is_some_and(|p| {
                p.dependency.iter().all(|dep| {
                    by_name
                        .get(dep)
                        .is_some_and(|&d| ok[d] || chunk.contains(&d))
                })
            })
        };
        // Without source info: prost-reflect's option-path rewrite is quadratic in it.
        let batch: Vec<FileDescriptorProto> = chunk
            .iter()
            .filter(|&&i| deps_in_reach(i, &ok))
            .filter_map(|&i| files[i].proto.as_ref())
            .map(|p| FileDescriptorProto {
                source_code_info: None,
                ..p.clone()
            })
            .collect();
        if batch.len() == chunk.len() && pool.add_file_descriptor_protos(batch).is_ok() {
            for &i in chunk {
                ok[i] = true;
                finish_linked(&pool, &mut files[i]);
            }
            continue;
        }
        // Something in the chunk is wrong: file by file, with source info for located errors.
        for &index in chunk {
            let deps_ok = files[index].proto.as_ref().is_some_and(|proto| {
                proto
                    .dependency
                    .iter()
                    .all(|dep| by_name.get(dep).is_some_and(|&d| ok[d]))
            });
            if !deps_ok {
                continue;
            }
            if already_defined(&pool, &files[index], &mut findings) {
                continue;
            }
            let proto = files[index].proto.clone().expect("checked above");
            // First without source info: prost-reflect locates each error with a linear search
            // of the file's locations, so thousands of errors (a generated file with duplicate
            // names) would take minutes. With few errors, link again with it for located
            // findings; with many, report the first, located through our own index.
            let plain = FileDescriptorProto {
                source_code_info: None,
                ..proto.clone()
            };
            let err = match pool.add_file_descriptor_proto(plain) {
                Ok(()) => {
                    ok[index] = true;
                    finish_linked(&pool, &mut files[index]);
                    continue;
                }
                Err(err) => err,
            };
            let errors = 1 + err.related().map_or(0, |r| r.count());
            let locations = proto
                .source_code_info
                .as_ref()
                .map_or(0, |i| i.location.len());
            if errors.saturating_mul(locations) > LOCATE_BUDGET {
                too_many_errors(&files[index], &proto, &err, errors, &mut findings);
                continue;
            }
            match pool.add_file_descriptor_proto(proto) {
                Ok(()) => {
                    ok[index] = true;
                    finish_linked(&pool, &mut files[index]);
                }
                Err(err) => descriptor_error(&files, &by_name, err, &mut findings),
            }
        }
    }
    timings.push(("link", link_started.elapsed()));
    for (file, linked) in files.iter_mut().zip(&ok) {
        file.linked = *linked;
    }

    let mut compilation = Compilation {
        pool,
        files,
        by_name,
        findings,
        missed_imports,
        timings,
    };
    check_duplicate_extensions(&mut compilation);
    super::checks::check_linked(&mut compilation);
    add_missing_name_hints(&mut compilation);
    add_option_hints(&mut compilation);
    compilation
}

/// After linking: keep the file's source info (option paths rewritten) and drop the parse.
fn finish_linked(pool: &DescriptorPool, file: &mut LoadedFile) {
    if let Some(mut proto) = file.proto.take()
        && let Some(mut info) = proto.source_code_info.take()
    {
        file.option_files = super::optpaths::remap(pool, &proto, &mut info)
            .into_iter()
            .collect();
        file.source_info = Some(super::locate::CompactInfo::new(&info));
    }
}

fn resolve_import(
    roots: &[PathBuf],
    name: &str,
    fs: &dyn SourceFs,
    missed: &mut Vec<PathBuf>,
) -> Option<PendingSource> {
    for root in roots {
        let path = root.join(name);
        if fs.is_file(&path) {
            return Some(PendingSource::Disk { path });
        }
        missed.push(path);
    }
    if embedded::source(name).is_some() {
        return Some(PendingSource::Embedded);
    }
    if embedded::well_known(name).is_some() {
        return Some(PendingSource::WellKnown);
    }
    None
}

/// Reads and parses one file. Never fails: problems become findings.
fn load_one(pending: &Pending, cwd: &Path, fs: &dyn SourceFs) -> (LoadedFile, Vec<Finding>) {
    let name = pending.name.clone();
    let mut findings = Vec::new();
    let (origin, is_target, disk_path) = match &pending.source {
        PendingSource::Target { path } => (
            Origin::Disk {
                path: path.clone(),
                display: display_path(path, cwd),
            },
            true,
            Some(path),
        ),
        PendingSource::Disk { path } => (
            Origin::Disk {
                path: path.clone(),
                display: display_path(path, cwd),
            },
            false,
            Some(path),
        ),
        PendingSource::Embedded => (Origin::Embedded, false, None),
        PendingSource::WellKnown => (Origin::WellKnown, false, None),
    };
    let mut file = LoadedFile {
        name,
        origin,
        text: None,
        disk_hash: None,
        is_target,
        is_empty: false,
        linked: false,
        proto: None,
        source_info: None,
        option_files: Vec::new(),
        edition: super::syntax::features::Edition::Proto2,
        editions_form: Default::default(),
        json_stand_ins: Vec::new(),
        local_types: Default::default(),
    };

    if matches!(pending.source, PendingSource::WellKnown) {
        file.proto = embedded::well_known(&file.name);
        return (file, findings);
    }
    let text: String = match disk_path {
        None => embedded::source(&file.name).unwrap_or_default().to_owned(),
        Some(path) => match fs
            .read(path)
            .inspect(|bytes| file.disk_hash = Some(content_hash(bytes)))
        {
            Err(err) => {
                let text = SourceText::new("");
                findings.push(file_finding(
                    &file,
                    text.span(0, 0),
                    format!("cannot read `{}`: {err}", file.display()),
                    None,
                ));
                file.text = Some(text);
                return (file, findings);
            }
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(err) => {
                    let at = err.utf8_error().valid_up_to();
                    let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
                    let text = SourceText::new(lossy);
                    let mut finding = file_finding(
                        &file,
                        text.span(at, at + 1),
                        format!("`{}` is not valid UTF-8", file.display()),
                        Some("protobuf source files must be UTF-8; re-encode the file".into()),
                    );
                    finding.label = Some("invalid byte here".into());
                    findings.push(finding);
                    file.text = Some(text);
                    return (file, findings);
                }
            },
        },
    };
    let source = SourceText::new(text);
    match super::syntax::parse_file(&file.name, source.as_str()) {
        Ok(super::syntax::Lowered {
            mut proto,
            edition,
            link_errors,
            option_imports,
            visibility,
        }) => {
            file.edition = edition;
            for error in link_errors {
                let span = source.span(error.span.start as usize, error.span.end as usize);
                findings.push(file_finding(&file, span, error.message, None));
            }
            if edition >= super::syntax::features::Edition::E2024 {
                file.local_types = super::checks::local_types(&proto, &visibility);
            }
            if edition.is_edition() {
                let linkable = super::editions::to_linkable(&mut proto, edition);
                file.editions_form = crate::descriptor_set::EditionsForm {
                    option_imports,
                    visibility,
                    ..linkable.form
                };
                for problem in linkable.problems {
                    let span = proto
                        .source_code_info
                        .iter()
                        .flat_map(|i| &i.location)
                        .find(|l| l.path == problem.path)
                        .and_then(|l| source.span_of_location(&l.span))
                        .unwrap_or_else(|| source.first_line_span());
                    findings.push(file_finding(&file, span, problem.message, None));
                }
            }
            file.json_stand_ins = super::prelink::relax_json_names(&mut proto, edition);
            super::prelink::float_identifiers(&mut proto);
            file.is_empty = is_empty(&proto);
            if file.is_empty && file.is_target {
                findings.push(file_finding(
                    &file,
                    source.span(0, 0),
                    format!("`{}` is empty", file.display()),
                    Some(
                        "declare `syntax = \"proto3\";` and a `package`, or delete the file".into(),
                    ),
                ));
            }
            file.proto = Some(proto);
        }
        Err(errors) => {
            let no_syntax = !declares_syntax(source.as_str());
            for error in errors {
                let help = (no_syntax && error.message.contains("proto2")).then(|| {
                    "the file has no `syntax` line, so it is compiled as proto2; add `syntax = \"proto3\";` as its first statement".to_owned()
                });
                let span = source.span(error.span.start as usize, error.span.end as usize);
                findings.push(file_finding(&file, span, error.message, help));
            }
        }
    }
    file.text = Some(source);
    (file, findings)
}

/// Whether a line of the text starts with a `syntax` or `edition` statement.
fn declares_syntax(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("syntax") || t.starts_with("edition")
    })
}

fn is_empty(proto: &FileDescriptorProto) -> bool {
    proto.syntax.is_none()
        && proto.package.is_none()
        && proto.dependency.is_empty()
        && proto.message_type.is_empty()
        && proto.enum_type.is_empty()
        && proto.service.is_empty()
        && proto.extension.is_empty()
        && proto.options.is_none()
}

/// Orders files so that imports come first; reports import cycles, naming them.
fn topological_order(
    files: &[LoadedFile],
    by_name: &HashMap<String, usize>,
    findings: &mut Vec<Finding>,
) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; files.len()];
    let mut order = Vec::with_capacity(files.len());
    let mut reported: HashSet<Vec<usize>> = HashSet::new();

    // Iterative DFS: (file, next dependency to visit).
    for start in 0..files.len() {
        if state[start] != State::New {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = State::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let deps = files[node]
                .proto
                .as_ref()
                .map(|p| p.dependency.as_slice())
                .unwrap_or_default();
            if *next < deps.len() {
                let dep_index = *next;
                *next += 1;
                let Some(&dep) = by_name.get(&deps[dep_index]) else {
                    continue;
                };
                match state[dep] {
                    State::New => {
                        state[dep] = State::Open;
                        stack.push((dep, 0));
                    }
                    State::Open => {
                        let from = stack.iter().position(|(n, _)| *n == dep).unwrap_or(0);
                        let cycle: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
                        let mut key = cycle.clone();
                        key.sort_unstable();
                        if reported.insert(key) {
                            findings.push(cycle_finding(files, &cycle, node, dep_index));
                        }
                    }
                    State::Done => {}
                }
            } else {
                state[node] = State::Done;
                order.push(node);
                stack.pop();
            }
        }
    }
    order
}
