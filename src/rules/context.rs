//! Walks the descriptors of every checked file once and dispatches each element to the enabled
//! rules; collects what they report as findings.

use std::collections::HashSet;
use std::sync::OnceLock;

use prost_reflect::{FileDescriptor, Kind, MessageDescriptor};
use rayon::prelude::*;

use super::options::RuleOptions;
use super::registry::RuleInfo;
use crate::diagnostic::{Finding, Fix, Label, Severity};
use crate::source::locate::Locations;
use crate::source::text::{SourceText, Span};
use crate::source::{Compilation, LoadedFile};

/// Where a rule's findings about one file go. Every kind of rule reports through the same two
/// calls, `report` and `report_with_fix`, at a SourceCodeInfo path of the file: lint rules on
/// their [`Cx`], rules about how files relate through [`ModuleCx::in_file`], breaking rules
/// through `BCx::in_file`.
pub struct Reporter<'r> {
    rule: &'static str,
    severity: Severity,
    /// The file as shown to the user.
    display: &'r str,
    source: Source<'r>,
    out: &'r mut Vec<Finding>,
}

/// What a reporter knows of its file's text.
#[derive(Clone, Copy)]
pub(crate) enum Source<'r> {
    /// The text and its SourceCodeInfo: findings point at their element.
    Text(&'r SourceText, &'r Locations<'r>),
    /// A file without text (from a descriptor set): no snippet.
    NoText,
    /// A file the current version no longer has (a breaking finding): line 1, no snippet.
    Gone,
}

impl Source<'_> {
    /// Where a finding at `path` goes: the nearest enclosing element that has a location; the
    /// empty path is the whole file, shown at its first line (where buf puts it).
    pub(crate) fn span(self, path: &[i32]) -> Span {
        match self {
            Source::Text(text, _) if path.is_empty() => text.file_span(),
            Source::Text(text, locations) => locations.span_or_parent(text, path),
            Source::NoText => Span::default(),
            Source::Gone => Span {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                ..Span::default()
            },
        }
    }
}

impl<'r> Reporter<'r> {
    pub(crate) fn new(
        rule: &'static str,
        severity: Severity,
        display: &'r str,
        source: Source<'r>,
        out: &'r mut Vec<Finding>,
    ) -> Reporter<'r> {
        Reporter {
            rule,
            severity,
            display,
            source,
            out,
        }
    }

    /// Reports a finding at `path`.
    pub fn report(
        &mut self,
        path: &[i32],
        message: impl Into<String>,
        help: impl Into<Option<String>>,
    ) {
        self.report_with_fix(path, message, help, None);
    }

    /// Reports a finding at `path` with a safe fix (`--fix`), when there is one.
    pub fn report_with_fix(
        &mut self,
        path: &[i32],
        message: impl Into<String>,
        help: impl Into<Option<String>>,
        fix: impl Into<Option<Fix>>,
    ) {
        let span = self.source.span(path);
        let (message, help, fix) = (message.into(), help.into(), fix.into());
        self.push(span, message, None, help, Vec::new(), fix);
    }

    pub(crate) fn push(
        &mut self,
        span: Span,
        message: String,
        label: Option<String>,
        help: Option<String>,
        related: Vec<Label>,
        fix: Option<Fix>,
    ) {
        self.out.push(Finding {
            rule: self.rule,
            severity: self.severity,
            file: self.display.to_owned(),
            span,
            message,
            label,
            help,
            related,
            fix,
        });
    }
}

/// One checked file: its loaded form, its descriptor and its SourceCodeInfo index.
pub struct FileEntry<'a> {
    pub loaded: &'a LoadedFile,
    pub descriptor: FileDescriptor,
}

/// What a rule sees while checking one file.
pub struct Cx<'a> {
    rule: &'static RuleInfo,
    severity: Severity,
    file: &'a LoadedFile,
    descriptor: &'a FileDescriptor,
    locations: &'a Locations<'a>,
    used: &'a OnceLock<HashSet<String>>,
    options: &'a RuleOptions,
    findings: Vec<Finding>,
}

impl<'a> Cx<'a> {
    /// The rule options that apply to this file.
    pub fn options(&self) -> &'a RuleOptions {
        self.options
    }

    /// The file's SourceCodeInfo index.
    pub fn locations(&self) -> &'a Locations<'a> {
        self.locations
    }

    /// The text of the file being checked.
    pub fn text(&self) -> Option<&'a SourceText> {
        self.file.text.as_ref()
    }

    /// The span of the element at `path`, if the source declares it.
    pub fn span_of(&self, path: &[i32]) -> Option<Span> {
        self.locations.span(self.file.text.as_ref()?, path)
    }

    /// The leading comment of the element at `path`.
    pub fn leading_comment(&self, path: &[i32]) -> Option<&'a str> {
        self.locations.get(path)?.leading_comments
    }

    /// Reports a finding at `path` with a safe fix (`--fix`), when there is one.
    pub fn report_with_fix(
        &mut self,
        path: &[i32],
        message: impl Into<String>,
        help: impl Into<Option<String>>,
        fix: impl Into<Option<Fix>>,
    ) {
        self.reporter().report_with_fix(path, message, help, fix);
    }

    /// This file's reporter, which every report goes through.
    fn reporter(&mut self) -> Reporter<'_> {
        let source = self.source();
        Reporter::new(
            self.rule.id,
            self.severity,
            self.file.display(),
            source,
            &mut self.findings,
        )
    }

    fn source(&self) -> Source<'a> {
        match &self.file.text {
            Some(text) => Source::Text(text, self.locations),
            None => Source::NoText,
        }
    }

    /// Names of the files whose types, extensions or options this file uses.
    pub fn used_files(&self) -> &'a HashSet<String> {
        self.used
            .get_or_init(|| used_files(self.descriptor, &self.file.option_files))
    }

    /// Reports a finding about the whole file, at line 1 column 1 as buf does (the snippet shows
    /// the first line).
    pub fn report_top(&mut self, message: String, help: String) {
        self.reporter().report(&[], message, Some(help));
    }

    /// Like `report_top`, with a safe fix.
    pub fn report_top_with_fix(&mut self, message: String, help: String, fix: Fix) {
        self.reporter()
            .report_with_fix(&[], message, Some(help), fix);
    }

    /// The file being checked.
    pub fn file(&self) -> &FileDescriptor {
        self.descriptor
    }

    /// The file's import name (`acme/shop/v1/shop.proto`).
    pub fn file_name(&self) -> &str {
        &self.file.name
    }

    /// Whether the file's source declares the element at `path`.
    pub fn has_location(&self, path: &[i32]) -> bool {
        self.locations.get(path).is_some()
    }

    fn span(&self, path: &[i32]) -> Span {
        self.source().span(path)
    }

    /// Reports a finding at the element `path` (a SourceCodeInfo path; the nearest enclosing
    /// element is used when the exact one has no location).
    pub fn report(
        &mut self,
        path: &[i32],
        message: impl Into<String>,
        help: impl Into<Option<String>>,
    ) {
        self.reporter().report(path, message, help);
    }

    /// Where buf's lint puts a finding about the option `path` (`Locations::option_location`;
    /// `option_len` is the length of the option's own path), else the nearest enclosing element.
    pub fn option_span(&self, path: &[i32], option_len: usize) -> Span {
        self.file
            .text
            .as_ref()
            .and_then(|text| {
                let loc = self.locations.option_location(path, option_len)?;
                text.span_of_location(&loc.span)
            })
            .unwrap_or_else(|| self.span(&path[..option_len.min(path.len())]))
    }

    /// Reports a finding at `span`.
    pub fn report_span(
        &mut self,
        span: Span,
        message: impl Into<String>,
        help: impl Into<Option<String>>,
    ) {
        self.reporter()
            .push(span, message.into(), None, help.into(), Vec::new(), None);
    }

    /// Like `report`, with a label under the element and labelled related elements of the file.
    pub fn report_labeled(
        &mut self,
        path: &[i32],
        label: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<Option<String>>,
        related: &[(&[i32], &str)],
    ) {
        let span = self.span(path);
        let related = related
            .iter()
            .map(|(path, text)| Label {
                span: self.span(path),
                text: (*text).to_owned(),
            })
            .collect();
        self.reporter().push(
            span,
            message.into(),
            Some(label.into()),
            help.into(),
            related,
            None,
        );
    }
}

/// What a rule sees when it checks how files relate (packages, directories).
pub struct ModuleCx<'a> {
    rule: &'static RuleInfo,
    severity: Severity,
    pool: &'a prost_reflect::DescriptorPool,
    options: &'a RuleOptions,
    files: &'a [FileEntry<'a>],
    locations: &'a [Locations<'a>],
    findings: Vec<Finding>,
}

impl<'a> ModuleCx<'a> {
    pub fn files(&self) -> &'a [FileEntry<'a>] {
        self.files
    }

    /// Every compiled file, imports included.
    pub fn pool(&self) -> &'a prost_reflect::DescriptorPool {
        self.pool
    }

    /// The default rule options of the run.
    pub fn options(&self) -> &'a RuleOptions {
        self.options
    }

    /// Whether the `index`-th file declares the element at `path`.
    pub fn has_location(&self, index: usize, path: &[i32]) -> bool {
        self.locations[index].get(path).is_some()
    }

    /// Reports a finding about the whole `index`-th file at line 1 column 1 (buf's location when
    /// the element it is about is absent), with a secondary label at `related` when the file
    /// declares it (the package statement, say).
    pub fn report_file(
        &mut self,
        index: usize,
        related: Option<(&[i32], &str)>,
        message: impl Into<String>,
        help: impl Into<Option<String>>,
    ) {
        let entry = &self.files[index];
        let (span, related) = match &entry.loaded.text {
            Some(text) => {
                let labels = related
                    .and_then(|(path, label)| {
                        let span = self.locations[index].span(text, path)?;
                        Some(vec![Label {
                            span,
                            text: label.to_owned(),
                        }])
                    })
                    .unwrap_or_default();
                (text.file_span(), labels)
            }
            None => (Span::default(), Vec::new()),
        };
        self.in_file(index)
            .push(span, message.into(), None, help.into(), related, None);
    }

    /// The reporter for the `index`-th file of `files()`.
    pub fn in_file(&mut self, index: usize) -> Reporter<'_> {
        let loaded = self.files[index].loaded;
        let source = match &loaded.text {
            Some(text) => Source::Text(text, &self.locations[index]),
            None => Source::NoText,
        };
        Reporter::new(
            self.rule.id,
            self.severity,
            loaded.display(),
            source,
            &mut self.findings,
        )
    }
}

/// Runs the given lint rules over every lintable target of the compilation. `options_for` gives
/// the rule options that apply to a file (they may differ per module). Findings come out with
/// severity `Error`; the run's policy decides what is reported and how.
pub fn run_lint(
    compilation: &Compilation,
    rules: &[&'static RuleInfo],
    default_options: &RuleOptions,
    options_for: &(dyn Fn(&LoadedFile) -> RuleOptions + Sync),
) -> Vec<Finding> {
    let rules: Vec<_> = rules
        .iter()
        .filter_map(|info| info.lint.map(|imp| (*info, imp)))
        .collect();
    let entries: Vec<FileEntry> = compilation
        .lintable_targets()
        .filter_map(|loaded| {
            compilation
                .pool
                .get_file_by_name(&loaded.name)
                .map(|descriptor| FileEntry { loaded, descriptor })
        })
        .collect();
    let locations: Vec<Locations> = entries
        .iter()
        .map(|e| e.loaded.locations().unwrap_or_default())
        .collect();

    let mut findings: Vec<Finding> = entries
        .par_iter()
        .zip(locations.par_iter())
        .flat_map_iter(|(entry, locations)| {
            let mut out = Vec::new();
            let used = OnceLock::new();
            let options = options_for(entry.loaded);
            let elements = elements(&entry.descriptor);
            for &(info, imp) in &rules {
                let mut cx = Cx {
                    rule: info,
                    severity: Severity::Error,
                    file: entry.loaded,
                    descriptor: &entry.descriptor,
                    locations,
                    used: &used,
                    options: &options,
                    findings: Vec::new(),
                };
                check_elements(imp, &mut cx, &entry.descriptor, &elements);
                out.append(&mut cx.findings);
            }
            out
        })
        .collect();

    for &(info, imp) in &rules {
        let mut cx = ModuleCx {
            rule: info,
            severity: Severity::Error,
            pool: &compilation.pool,
            options: default_options,
            files: &entries,
            locations: &locations,
            findings: Vec::new(),
        };
        imp.check_module(&mut cx);
        findings.append(&mut cx.findings);
    }
    findings
}

/// Every element of a file, in declaration order. Collected once per file and shared by all
/// rules: prost-reflect finds nested definitions by name, so walking the tree once per rule cost
/// more than the rules themselves.
enum Element {
    Message(MessageDescriptor),
    Field(prost_reflect::FieldDescriptor),
    Extension(prost_reflect::ExtensionDescriptor),
    Oneof(prost_reflect::OneofDescriptor),
    Enum(prost_reflect::EnumDescriptor),
    Value(prost_reflect::EnumValueDescriptor),
    Service(prost_reflect::ServiceDescriptor),
    Method(prost_reflect::MethodDescriptor),
}

fn elements(file: &FileDescriptor) -> Vec<Element> {
    fn push_message(out: &mut Vec<Element>, message: MessageDescriptor) {
        // Map entries are synthesized by the compiler: nothing in them is the user's to name.
        if message.is_map_entry() {
            return;
        }
        out.extend(message.fields().map(Element::Field));
        out.extend(message.child_extensions().map(Element::Extension));
        out.extend(message.oneofs().map(Element::Oneof));
        for nested in message.child_messages() {
            push_message(out, nested);
        }
        for en in message.child_enums() {
            push_enum(out, en);
        }
        out.push(Element::Message(message));
    }
    fn push_enum(out: &mut Vec<Element>, en: prost_reflect::EnumDescriptor) {
        out.extend(en.values().map(Element::Value));
        out.push(Element::Enum(en));
    }
    let mut out = Vec::new();
    for m in file.messages() {
        push_message(&mut out, m);
    }
    out.extend(file.extensions().map(Element::Extension));
    for en in file.enums() {
        push_enum(&mut out, en);
    }
    for service in file.services() {
        out.extend(service.methods().map(Element::Method));
        out.push(Element::Service(service));
    }
    out
}

fn check_elements(
    rule: &dyn super::LintRule,
    cx: &mut Cx,
    file: &FileDescriptor,
    elements: &[Element],
) {
    rule.check_file(cx, file);
    for element in elements {
        match element {
            Element::Message(m) => rule.check_message(cx, m),
            Element::Field(f) => rule.check_field(cx, f),
            Element::Extension(e) => rule.check_extension(cx, e),
            Element::Oneof(o) => rule.check_oneof(cx, o),
            Element::Enum(e) => rule.check_enum(cx, e),
            Element::Value(v) => rule.check_enum_value(cx, v),
            Element::Service(s) => rule.check_service(cx, s),
            Element::Method(m) => rule.check_method(cx, m),
        }
    }
}

/// Every file whose definitions `file` refers to: field and method types, extendees, and (from
/// the loader, which resolved them) the extensions behind custom options on any element.
fn used_files(file: &FileDescriptor, option_files: &[String]) -> HashSet<String> {
    fn kind(out: &mut HashSet<String>, kind: &Kind) {
        match kind {
            Kind::Message(m) => {
                out.insert(m.parent_file().name().to_owned());
            }
            Kind::Enum(e) => {
                out.insert(e.parent_file().name().to_owned());
            }
            _ => {}
        }
    }
    fn extension(out: &mut HashSet<String>, ext: &prost_reflect::ExtensionDescriptor) {
        out.insert(ext.containing_message().parent_file().name().to_owned());
        kind(out, &ext.kind());
    }
    fn message(out: &mut HashSet<String>, m: &MessageDescriptor) {
        for field in m.fields() {
            kind(out, &field.kind());
        }
        for ext in m.child_extensions() {
            extension(out, &ext);
        }
        for nested in m.child_messages() {
            message(out, &nested);
        }
    }
    let mut out: HashSet<String> = option_files.iter().cloned().collect();
    for m in file.messages() {
        message(&mut out, &m);
    }
    for ext in file.extensions() {
        extension(&mut out, &ext);
    }
    for service in file.services() {
        for method in service.methods() {
            out.insert(method.input().parent_file().name().to_owned());
            out.insert(method.output().parent_file().name().to_owned());
        }
    }
    out
}
