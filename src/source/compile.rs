//! Loading and compiling: read and parse files in parallel, resolve imports, order them, link them
//! once into a descriptor pool, and turn every problem into a located `COMPILE` finding.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use prost_reflect::DescriptorPool;
use prost_types::{DescriptorProto, FileDescriptorProto};
use rayon::prelude::*;

use super::discover::display_path;
use super::embedded;
use super::finding::{Finding, Label, Severity};
use super::locate::{Locations, path as p};
use super::text::{SourceText, Span};

/// The rule ID of every problem the compiler reports about the user's files.
pub const COMPILE: &str = "COMPILE";

/// Where a loaded file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file under an include root; `display` is how it is shown to the user.
    Disk { path: PathBuf, display: String },
    /// One of protoforge's embedded files (google/api, protoforge/v1).
    Embedded,
    /// A well-known type (`google/protobuf/*.proto`).
    WellKnown,
}

/// One file of the compilation: a target, or something a target imports.
#[derive(Debug)]
pub struct LoadedFile {
    /// Import name, relative to its include root (`acme/shop/v1/shop.proto`).
    pub name: String,
    pub origin: Origin,
    /// Its text, for files read from source.
    pub text: Option<SourceText>,
    /// Hash of the bytes read from disk (`content_hash`), for the result cache.
    pub disk_hash: Option<u64>,
    /// Whether the user asked for this file to be checked.
    pub is_target: bool,
    /// No declarations at all.
    pub is_empty: bool,
    /// Linked into the pool without errors (and all its imports too).
    pub linked: bool,
    /// The parsed descriptor until it is moved into the pool.
    proto: Option<FileDescriptorProto>,
    /// Source locations and comments (the pool's copy of the file has none: see `optpaths`).
    pub source_info: Option<super::locate::CompactInfo>,
    /// Files whose extensions this file's custom options use.
    pub option_files: Vec<String>,
    /// What the file is written in (proto2 when it says nothing).
    pub edition: super::syntax::features::Edition,
    /// For an editions file, what its linked (proto2) form adds or lacks, for writing its
    /// editions form (`descriptor_set::to_editions`).
    pub editions_form: crate::descriptor_set::EditionsForm,
    /// Fields linked with a stand-in `json_name` (colliding JSON names, which protoc accepts
    /// where the JSON format is LEGACY_BEST_EFFORT), and the JSON names protoc gives them.
    pub json_stand_ins: Vec<super::prelink::Renamed>,
    /// Edition 2024: the full names (no leading dot) of the file's messages and enums that
    /// are `local`, said so or by default; other files may not use them.
    pub local_types: std::collections::BTreeSet<String>,
}

impl LoadedFile {
    /// The path shown to users; the import name for embedded files.
    pub fn display(&self) -> &str {
        match &self.origin {
            Origin::Disk { display, .. } => display,
            _ => &self.name,
        }
    }

    pub fn is_disk(&self) -> bool {
        matches!(self.origin, Origin::Disk { .. })
    }

    /// The file's SourceCodeInfo index.
    pub fn locations(&self) -> Option<Locations<'_>> {
        self.source_info.as_ref().map(Locations::from_compact)
    }
}

/// A compiled set of files.
#[derive(Debug)]
pub struct Compilation {
    pub pool: DescriptorPool,
    pub files: Vec<LoadedFile>,
    by_name: HashMap<String, usize>,
    pub findings: Vec<Finding>,
    /// Paths where import resolution looked and found nothing: creating one of them changes the
    /// result, so the result cache watches them.
    pub missed_imports: Vec<PathBuf>,
    /// How long each phase took, in order (`PROTOFORGE_TIMINGS=1` makes the CLI and build
    /// scripts print them). The loader records its own; the checks add theirs.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Compilation {
    pub fn file(&self, name: &str) -> Option<&LoadedFile> {
        self.by_name.get(name).map(|&i| &self.files[i])
    }

    /// Target files that compiled and have something to lint, in name order.
    pub fn lintable_targets(&self) -> impl Iterator<Item = &LoadedFile> {
        self.files
            .iter()
            .filter(|f| f.is_target && f.linked && !f.is_empty)
    }

    pub fn targets(&self) -> impl Iterator<Item = &LoadedFile> {
        self.files.iter().filter(|f| f.is_target)
    }

    /// The SourceCodeInfo index of a loaded file.
    pub fn locations(&self, name: &str) -> Option<Locations<'_>> {
        self.file(name)?.locations()
    }

    /// What code generation needs: every linked file (prost-build needs the imports too, to
    /// know their messages), with SourceCodeInfo put back for doc comments, and every file of the
    /// pool encoded with its custom options (for reflection).
    ///
    /// Editions files go in the form prost can build (`editions::for_prost`); one that has
    /// none is a located error per field that stands in the way.
    pub fn codegen_inputs(
        &self,
    ) -> Result<(prost_types::FileDescriptorSet, Vec<u8>), Vec<Finding>> {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for file in self.pool.files() {
            let name = file.name();
            let mut proto = file.file_descriptor_proto().clone();
            let loaded = self.file(name);
            if let Some(info) = loaded.and_then(|f| f.source_info.as_ref()) {
                proto.source_code_info = Some(info.to_source_code_info());
            }
            if super::resolved::is_editions(&file)
                && let Err(found) = super::editions::for_prost(&mut proto, &file)
                && let Some(loaded) = loaded
            {
                let text = loaded.text.clone().unwrap_or_else(|| SourceText::new(""));
                for problem in found {
                    let span = loaded
                        .locations()
                        .map(|l| l.span_or_parent(&text, &problem.path))
                        .unwrap_or_else(|| text.first_line_span());
                    problems.push(file_finding(loaded, span, problem.message, Some(
                        "set the same presence on every field of the file (`features.field_presence`), or move the fields that need proto2 code to a file of their own".into(),
                    )));
                }
            }
            files.push(proto);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // Embedded and served in the form protoc writes: editions files as editions.
        let encoded =
            crate::descriptor_set::to_editions(&self.pool.encode_to_vec(), &self.editions_files());
        Ok((prost_types::FileDescriptorSet { file: files }, encoded))
    }

    /// The linked editions files, for `descriptor_set::to_editions`.
    fn editions_files(&self) -> HashMap<&str, crate::descriptor_set::EditionsFile<'_>> {
        self.files
            .iter()
            .filter(|f| f.edition.is_edition() && f.linked)
            .map(|f| {
                let info = crate::descriptor_set::EditionsFile {
                    edition: f.edition.number(),
                    form: &f.editions_form,
                };
                (f.name.as_str(), info)
            })
            .collect()
    }

    /// An encoded `FileDescriptorSet` as protoc's `--descriptor_set_out` writes it: the target
    /// files (with `include_imports`, every file they need, dependencies first), editions files
    /// in their editions form, SourceCodeInfo with `include_source_info`.
    pub fn descriptor_set(&self, include_imports: bool, include_source_info: bool) -> Vec<u8> {
        let mut set = Vec::new();
        for file in self.pool.files() {
            let loaded = self.file(file.name());
            if !include_imports && !loaded.is_some_and(|f| f.is_target) {
                continue;
            }
            let mut bytes = file.encode_to_vec();
            if include_source_info && let Some(info) = loaded.and_then(|f| f.source_info.as_ref()) {
                // Field 9 of FileDescriptorProto; the pool's copy has none.
                prost::encoding::message::encode(9, &info.to_source_code_info(), &mut bytes);
            }
            prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, &mut set);
            prost::encoding::encode_varint(bytes.len() as u64, &mut set);
            set.extend_from_slice(&bytes);
        }
        let stand_ins: HashMap<&str, &[super::prelink::Renamed]> = self
            .files
            .iter()
            .filter(|f| f.linked && !f.json_stand_ins.is_empty())
            .map(|f| (f.name.as_str(), f.json_stand_ins.as_slice()))
            .collect();
        let set = crate::descriptor_set::restore_json_names(set, &stand_ins);
        crate::descriptor_set::to_editions(&set, &self.editions_files())
    }
}

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

/// Where source files are read from: the disk, or memory (a git revision's tree).
pub trait SourceFs: Sync {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    fn is_file(&self, path: &Path) -> bool;
}

/// The real file system.
pub struct DiskFs;

/// The largest .proto file protoforge reads (the largest in googleapis is under 1 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

impl SourceFs for DiskFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let file = std::fs::File::open(path)?;
        let mut bytes = Vec::new();
        // Read at most one byte past the limit, whatever the file claims to be.
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(std::io::Error::other(format!(
                "it is larger than {} MiB, the most protoforge reads",
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        Ok(bytes)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
}

/// Files held in memory, by absolute path.
#[derive(Debug, Default)]
pub struct MemFs {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl SourceFs for MemFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not in the revision"))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }
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

/// The hash the result cache compares file contents by.
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
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

/// A COMPILE error about `file` at `span`.
pub(super) fn file_finding(
    file: &LoadedFile,
    span: Span,
    message: String,
    help: Option<String>,
) -> Finding {
    Finding {
        rule: COMPILE,
        severity: Severity::Error,
        file: file.display().to_owned(),
        span,
        message,
        label: None,
        help,
        related: Vec::new(),
        fix: None,
    }
}

/// Turns a miette diagnostic about `file` (and its related diagnostics) into findings.
/// `char_columns`: the offsets came from miette's char-counting `from_location`.
fn diagnostic_findings(
    diag: &dyn Diagnostic,
    file: &LoadedFile,
    text: &SourceText,
    char_columns: bool,
    out: &mut Vec<Finding>,
) {
    let fix = |offset: usize| {
        if char_columns {
            text.fix_char_column_offset(offset)
        } else {
            offset
        }
    };
    let mut labels: Vec<Label> = diag
        .labels()
        .into_iter()
        .flatten()
        .map(|l| {
            let start = fix(l.offset());
            let end = fix(l.offset() + l.len());
            Label {
                span: text.span(start, end),
                text: l.label().unwrap_or_default().to_owned(),
            }
        })
        .collect();
    // The label that names the problem comes last in prost-reflect's pairs ("first defined here",
    // "...defined again here"); keep source order for the secondary ones.
    labels.sort_by_key(|l| l.span.start);
    let primary = pick_primary(&labels);
    let (span, label) = match primary {
        Some(i) => {
            let l = labels.remove(i);
            (l.span, (!l.text.is_empty()).then_some(l.text))
        }
        // A file that stops early: point at its end, where the missing text belongs.
        None if diag.to_string().contains("end of file") => {
            let end = text.as_str().trim_end().len();
            (text.span(end, end), Some("the file ends here".to_owned()))
        }
        None => (text.first_line_span(), None),
    };
    let mut message = diag.to_string();
    if let Some(rest) = message.strip_prefix("error opening file") {
        message = format!("cannot open file{rest}");
    }
    out.push(Finding {
        rule: COMPILE,
        severity: Severity::Error,
        file: file.display().to_owned(),
        span,
        message,
        label,
        help: diag.help().map(|h| h.to_string()),
        related: labels,
        fix: None,
    });
    if let Some(related) = diag.related() {
        for diag in related {
            diagnostic_findings(diag, file, text, char_columns, out);
        }
    }
}

/// The primary label: the one that says where the problem is ("found here", "defined again here").
/// The others (a first definition, a reserved or extension range, an enum) become related labels.
fn pick_primary(labels: &[Label]) -> Option<usize> {
    const PRIMARY: &[&str] = &["found here", "defined again here", "…and again here"];
    if labels.is_empty() {
        return None;
    }
    let secondary = |t: &str| {
        t.starts_with("first")
            || t.contains("range defined")
            || t.starts_with("enum defined")
            || t.ends_with('…')
    };
    labels
        .iter()
        .position(|l| PRIMARY.contains(&l.text.as_str()))
        .or_else(|| labels.iter().position(|l| !secondary(&l.text)))
        .or(Some(labels.len() - 1))
}

/// Reports the file's top-level definitions that an already linked file defines, and says whether
/// there were any. prost-reflect would report them too, but a failed file costs it a pass over every
/// name in the pool: with a tree loaded twice (two copies under different roots) that pass made
/// linking quadratic. One finding per top-level name, rather than one per nested name and field.
fn already_defined(pool: &DescriptorPool, file: &LoadedFile, out: &mut Vec<Finding>) -> bool {
    let (Some(proto), Some(text)) = (&file.proto, &file.text) else {
        return false;
    };
    let prefix = match proto.package() {
        "" => String::new(),
        package => format!("{package}."),
    };
    let first_file = |full: &str| {
        pool.get_message_by_name(full)
            .map(|m| m.parent_file())
            .or_else(|| pool.get_enum_by_name(full).map(|e| e.parent_file()))
            .or_else(|| pool.get_service_by_name(full).map(|s| s.parent_file()))
            .or_else(|| pool.get_extension_by_name(full).map(|e| e.parent_file()))
            .map(|f| f.name().to_owned())
    };
    let names = [
        (
            p::FILE_MESSAGE,
            proto
                .message_type
                .iter()
                .map(|m| m.name())
                .collect::<Vec<_>>(),
        ),
        (
            p::FILE_ENUM,
            proto.enum_type.iter().map(|e| e.name()).collect(),
        ),
        (
            p::FILE_SERVICE,
            proto.service.iter().map(|s| s.name()).collect(),
        ),
        (
            p::FILE_EXTENSION,
            proto.extension.iter().map(|e| e.name()).collect(),
        ),
    ];
    let mut locations = None;
    let before = out.len();
    for (kind, names) in names {
        for (i, name) in names.into_iter().enumerate() {
            let full = format!("{prefix}{name}");
            let Some(first) = first_file(&full) else {
                continue;
            };
            let locations = locations.get_or_insert_with(|| Locations::new(proto));
            out.push(Finding {
                rule: COMPILE,
                severity: Severity::Error,
                file: file.display().to_owned(),
                span: locations.span_or_parent(text, &[kind, i as i32, p::NAME]),
                message: format!("name '{full}' is already defined in file '{first}'"),
                label: Some("defined again here".into()),
                help: Some(format!(
                    "rename one of them; if `{first}` is a copy of this file under another include root, check only one of the copies"
                )),
                related: Vec::new(),
                fix: None,
            });
        }
    }
    out.len() > before
}

fn descriptor_error(
    files: &[LoadedFile],
    by_name: &HashMap<String, usize>,
    err: prost_reflect::DescriptorError,
    out: &mut Vec<Finding>,
) {
    let Some(file) = err
        .file()
        .and_then(|name| by_name.get(name))
        .map(|&i| &files[i])
    else {
        return;
    };
    let Some(text) = &file.text else { return };
    let err = err.with_source_code(text.as_str());
    diagnostic_findings(&err, file, text, true, out);
}

/// How much work locating a file's link errors may take (errors x source locations), beyond
/// which only the first error is reported.
const LOCATE_BUDGET: usize = 20_000_000;

/// The first of very many link errors in a file, located through our own index.
fn too_many_errors(
    file: &LoadedFile,
    proto: &FileDescriptorProto,
    err: &prost_reflect::DescriptorError,
    errors: usize,
    out: &mut Vec<Finding>,
) {
    let Some(text) = &file.text else { return };
    let span = match err.path() {
        Some(path) => Locations::new(proto).span_or_parent(text, path),
        None => text.first_line_span(),
    };
    out.push(file_finding(
        file,
        span,
        err.to_string(),
        Some(format!(
            "this file has {} more errors, too many to locate one by one; fix this one and run again",
            errors - 1
        )),
    ));
}

fn missing_import(
    file: &LoadedFile,
    text: &SourceText,
    locations: &Locations,
    index: usize,
    dep: &str,
    roots: &[PathBuf],
    cwd: &Path,
) -> Finding {
    let span = locations.span_or_parent(text, &[p::FILE_DEPENDENCY, index as i32]);
    let roots: Vec<String> = roots
        .iter()
        .map(|r| format!("`{}`", display_path(r, cwd)))
        .collect();
    let help = if dep.starts_with("google/") {
        format!(
            "`{dep}` is not embedded in protoforge; put it under an include root ({}) or add the root that holds it with `-I`",
            roots.join(", ")
        )
    } else {
        format!(
            "looked under the include roots {}; add the root that holds it with `-I DIR` or `[proto] roots`",
            roots.join(", ")
        )
    };
    Finding {
        rule: COMPILE,
        severity: Severity::Error,
        file: file.display().to_owned(),
        span,
        message: format!("import `{dep}` not found"),
        label: Some("imported here".into()),
        help: Some(help),
        related: Vec::new(),
        fix: None,
    }
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

fn cycle_finding(files: &[LoadedFile], cycle: &[usize], node: usize, dep_index: usize) -> Finding {
    let mut names: Vec<&str> = cycle.iter().map(|&i| files[i].name.as_str()).collect();
    names.push(&files[cycle[0]].name);
    let file = &files[node];
    let text = file.text.clone().unwrap_or_else(|| SourceText::new(""));
    let span = file
        .proto
        .as_ref()
        .map(|proto| {
            Locations::new(proto).span_or_parent(&text, &[p::FILE_DEPENDENCY, dep_index as i32])
        })
        .unwrap_or_default();
    Finding {
        rule: COMPILE,
        severity: Severity::Error,
        file: file.display().to_owned(),
        span,
        message: format!("import cycle: {}", names.join(" -> ")),
        label: Some("this import closes the cycle".into()),
        help: Some("move the shared definitions into a file that both can import".into()),
        related: Vec::new(),
        fix: None,
    }
}

/// Two extensions of the same message with the same number. prost-reflect accepts this; protoc and
/// buf reject it.
fn check_duplicate_extensions(c: &mut Compilation) {
    let mut seen: BTreeMap<(String, u32), prost_reflect::ExtensionDescriptor> = BTreeMap::new();
    let mut findings = Vec::new();
    for ext in c.pool.all_extensions() {
        let key = (
            ext.containing_message().full_name().to_owned(),
            ext.number(),
        );
        let Some(first) = seen.get(&key) else {
            seen.insert(key, ext);
            continue;
        };
        let Some(file) = c.file(ext.parent_file().name()) else {
            continue;
        };
        let (Some(text), true) = (&file.text, file.is_disk()) else {
            continue;
        };
        let Some(locations) = file.locations() else {
            continue;
        };
        let mut number_path = ext.path().to_vec();
        number_path.push(p::FIELD_NUMBER);
        let mut related = Vec::new();
        let mut where_first = format!(
            "`{}` in `{}`",
            first.full_name(),
            first.parent_file().name()
        );
        if first.parent_file().name() == ext.parent_file().name() {
            let mut first_path = first.path().to_vec();
            first_path.push(p::FIELD_NUMBER);
            if let Some(span) = locations.span(text, &first_path) {
                related.push(Label {
                    span,
                    text: "first used here".into(),
                });
            }
            where_first = format!("`{}`", first.full_name());
        }
        findings.push(Finding {
            rule: COMPILE,
            severity: Severity::Error,
            file: file.display().to_owned(),
            span: locations.span_or_parent(text, &number_path),
            message: format!(
                "extension number {} of `{}` is already used by {}",
                ext.number(),
                key.0,
                where_first
            ),
            label: Some("used again here".into()),
            help: Some("give each extension of a message its own number".into()),
            related,
            fix: None,
        });
    }
    c.findings.extend(findings);
}

/// For "option field 'X' is not defined": the closest standard option name.
fn add_option_hints(c: &mut Compilation) {
    for finding in &mut c.findings {
        let Some(name) = finding
            .message
            .strip_prefix("option field '")
            .and_then(|r| r.strip_suffix("' is not defined"))
        else {
            continue;
        };
        let pool = DescriptorPool::global();
        let best = pool
            .all_messages()
            .filter(|m| m.package_name() == "google.protobuf" && m.name().ends_with("Options"))
            .flat_map(|m| m.fields().map(|f| f.name().to_owned()).collect::<Vec<_>>())
            .map(|candidate| (edit_distance(name, &candidate), candidate))
            .filter(|(d, _)| *d <= 2)
            .min();
        if let Some((_, candidate)) = best {
            finding.help = Some(format!("did you mean `{candidate}`?"));
        } else if finding.help.is_none() {
            finding.help = Some(
                "custom options are written in parentheses, `option (acme.v1.my_option) = ...;`, and need the import that defines them".into(),
            );
        }
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// For "name 'X' is not defined": name the file that defines X and the import to add.
fn add_missing_name_hints(c: &mut Compilation) {
    let wanted: Vec<usize> = c
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.rule == COMPILE && undefined_name(&f.message).is_some())
        .map(|(i, _)| i)
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut index: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |proto: &FileDescriptorProto| {
        let package = proto.package();
        let prefix = if package.is_empty() {
            String::new()
        } else {
            format!("{package}.")
        };
        for m in &proto.message_type {
            index_message(&mut index, &prefix, m, proto.name());
        }
        for e in &proto.enum_type {
            index.insert(format!("{prefix}{}", e.name()), proto.name().to_owned());
        }
    };
    for file in c.pool.files() {
        add(file.file_descriptor_proto());
    }
    for file in &c.files {
        if let Some(proto) = &file.proto {
            add(proto);
        }
    }
    for proto in embedded::well_known_files() {
        add(&proto);
    }
    for name in embedded::names() {
        if let Ok(proto) = super::syntax::parse(name, embedded::source(name).unwrap_or_default()) {
            add(&proto);
        }
    }
    for i in wanted {
        let finding = &mut c.findings[i];
        let Some(name) = undefined_name(&finding.message) else {
            continue;
        };
        let name = name.trim_start_matches('.');
        let suffix = format!(".{name}");
        let hit = index
            .iter()
            .find(|(full, _)| *full == name || full.ends_with(&suffix));
        if let Some((full, file)) = hit {
            finding.help = Some(format!(
                "`{full}` is defined in `{file}`; add `import \"{file}\";`"
            ));
        }
    }
}

fn index_message(
    index: &mut BTreeMap<String, String>,
    prefix: &str,
    m: &DescriptorProto,
    file: &str,
) {
    let full = format!("{prefix}{}", m.name());
    let nested_prefix = format!("{full}.");
    for n in &m.nested_type {
        index_message(index, &nested_prefix, n, file);
    }
    for e in &m.enum_type {
        index.insert(format!("{nested_prefix}{}", e.name()), file.to_owned());
    }
    index.insert(full, file.to_owned());
}

/// The name in "name 'X' is not defined" and "'X' resolves to 'Y', which is not defined" (Y).
fn undefined_name(message: &str) -> Option<&str> {
    if let Some(rest) = message.strip_prefix("name '") {
        return rest.strip_suffix("' is not defined");
    }
    let (_, resolved) = message.split_once("' resolves to '")?;
    resolved.strip_suffix("', which is not defined")
}
