//! Problems found while loading and linking, as located `COMPILE` findings: prost-reflect's
//! diagnostics with their labels, definitions made twice, missing imports, import cycles,
//! duplicate extension numbers, and a budget on how many are located.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use prost_reflect::DescriptorPool;
use prost_types::FileDescriptorProto;

use super::discover::display_path;
use super::finding::{Finding, Label, Severity};
use super::loaded::{COMPILE, Compilation, LoadedFile};
use super::locate::{Locations, path as p};
use super::text::{SourceText, Span};

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
pub(super) fn diagnostic_findings(
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
pub(super) fn pick_primary(labels: &[Label]) -> Option<usize> {
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
pub(super) fn already_defined(
    pool: &DescriptorPool,
    file: &LoadedFile,
    out: &mut Vec<Finding>,
) -> bool {
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

pub(super) fn descriptor_error(
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
pub(super) const LOCATE_BUDGET: usize = 20_000_000;

/// The first of very many link errors in a file, located through our own index.
pub(super) fn too_many_errors(
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

pub(super) fn missing_import(
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

pub(super) fn cycle_finding(
    files: &[LoadedFile],
    cycle: &[usize],
    node: usize,
    dep_index: usize,
) -> Finding {
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
pub(super) fn check_duplicate_extensions(c: &mut Compilation) {
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
