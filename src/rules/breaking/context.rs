//! Pairs the previous and current versions of every element by full name (fields and enum values
//! by number, RPCs by name) and dispatches the pairs to the enabled breaking rules. Findings point
//! at the current file's element; for a deletion, at the enclosing element.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use prost_reflect::{
    Cardinality, DescriptorPool, EnumDescriptor, EnumValueDescriptor, ExtensionDescriptor,
    FieldDescriptor, FileDescriptor, Kind, MessageDescriptor, Syntax,
};
use rayon::prelude::*;

use super::BreakingRule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::context::{Reporter, Source};
use crate::rules::registry::RuleInfo;
use crate::source::locate::Locations;
use crate::source::names::kind_name;
use crate::source::text::{SourceText, Span};
use crate::source::{Compilation, LoadedFile};

/// One side of the comparison: a pool and the files of it that are compared.
pub struct Side<'a> {
    pub pool: &'a DescriptorPool,
    pub files: Vec<FileDescriptor>,
}

impl<'a> Side<'a> {
    pub fn new(pool: &'a DescriptorPool, names: impl IntoIterator<Item = String>) -> Side<'a> {
        let files = names
            .into_iter()
            .filter_map(|n| pool.get_file_by_name(&n))
            .collect();
        Side { pool, files }
    }

    pub fn file(&self, name: &str) -> Option<&FileDescriptor> {
        self.files.iter().find(|f| f.name() == name)
    }

    /// Every message (nested ones and map entries included) by full name.
    pub fn messages(&self) -> BTreeMap<String, MessageDescriptor> {
        fn walk(out: &mut BTreeMap<String, MessageDescriptor>, m: MessageDescriptor) {
            for nested in m.child_messages() {
                walk(out, nested);
            }
            out.insert(m.full_name().to_owned(), m);
        }
        let mut out = BTreeMap::new();
        for f in &self.files {
            for m in f.messages() {
                walk(&mut out, m);
            }
        }
        out
    }

    /// Every enum (nested ones included) by full name.
    pub fn enums(&self) -> BTreeMap<String, EnumDescriptor> {
        let mut out = BTreeMap::new();
        for f in &self.files {
            for e in f.enums() {
                out.insert(e.full_name().to_owned(), e);
            }
        }
        for m in self.messages().values() {
            for e in m.child_enums() {
                out.insert(e.full_name().to_owned(), e);
            }
        }
        out
    }

    /// Every extension by (extendee, number).
    pub fn extensions(&self) -> BTreeMap<(String, u32), ExtensionDescriptor> {
        let mut out = BTreeMap::new();
        let mut add = |e: ExtensionDescriptor| {
            out.insert(
                (e.containing_message().full_name().to_owned(), e.number()),
                e,
            );
        };
        for f in &self.files {
            for e in f.extensions() {
                add(e);
            }
        }
        for m in self.messages().values() {
            for e in m.child_extensions() {
                add(e);
            }
        }
        out
    }

    /// Packages of the compared files.
    pub fn packages(&self) -> BTreeSet<String> {
        self.files
            .iter()
            .map(|f| f.package_name().to_owned())
            .collect()
    }
}

/// The descriptor behind a `FieldView`.
#[derive(Clone)]
enum Handle {
    Field(FieldDescriptor),
    Extension(ExtensionDescriptor),
}

/// A field or an extension, as the field rules see it.
#[derive(Clone)]
pub struct FieldView {
    pub name: String,
    pub full_name: String,
    pub number: u32,
    pub kind: Kind,
    pub cardinality: Cardinality,
    pub is_list: bool,
    pub is_map: bool,
    /// Encoded as a group (proto2 `group`, editions' `message_encoding = DELIMITED`).
    pub is_group: bool,
    pub has_presence: bool,
    /// A string field's bytes are checked as UTF-8 (resolved features).
    pub utf8_verified: bool,
    pub json_name: String,
    pub explicit_json_name: bool,
    /// The (non-synthetic) oneof the field is in.
    pub oneof: Option<String>,
    pub explicit_default: bool,
    pub is_extension: bool,
    handle: Handle,
    /// The message the field is declared in, or the extendee for an extension.
    pub message: String,
    pub in_map_entry: bool,
    /// For the key or value of a map: the map field's name in its message.
    pub map_field: Option<String>,
    pub file: FileDescriptor,
    pub path: Vec<i32>,
}

impl FieldView {
    pub fn of_field(f: &FieldDescriptor) -> FieldView {
        let proto = f.field_descriptor_proto();
        // The key and value of a map live in a synthetic entry message without source: point at
        // the map field that declares them.
        let entry = f.parent_message();
        let map_owner = entry
            .is_map_entry()
            .then(|| entry.parent_message())
            .flatten()
            .and_then(|owner| {
                owner
                    .fields()
                    .find(|of| matches!(of.kind(), Kind::Message(m) if m.full_name() == entry.full_name()))
                    .map(|of| (owner.full_name().to_owned(), of.name().to_owned(), of.path().to_vec()))
            });
        let (message, map_field, path) = match map_owner {
            Some((owner, field, path)) => (owner, Some(field), path),
            None => (entry.full_name().to_owned(), None, f.path().to_vec()),
        };
        FieldView {
            name: f.name().to_owned(),
            full_name: f.full_name().to_owned(),
            number: f.number(),
            kind: f.kind(),
            cardinality: f.cardinality(),
            is_list: f.is_list(),
            is_map: f.is_map(),
            is_group: f.is_group(),
            has_presence: crate::source::resolved::has_presence(f),
            utf8_verified: crate::source::resolved::field_utf8_verified(f),
            json_name: f.json_name().to_owned(),
            explicit_json_name: proto.json_name.is_some() && file_declares_json_name(f),
            oneof: f
                .containing_oneof()
                .filter(|o| !o.is_synthetic())
                .map(|o| o.name().to_owned()),
            explicit_default: proto.default_value.is_some(),
            is_extension: false,
            handle: Handle::Field(f.clone()),
            message,
            in_map_entry: f.parent_message().is_map_entry(),
            map_field,
            file: f.parent_file(),
            path,
        }
    }

    pub fn of_extension(e: &ExtensionDescriptor) -> FieldView {
        let proto = e.field_descriptor_proto();
        FieldView {
            name: e.name().to_owned(),
            full_name: e.full_name().to_owned(),
            number: e.number(),
            kind: e.kind(),
            cardinality: e.cardinality(),
            is_list: e.is_list(),
            is_map: e.is_map(),
            is_group: e.is_group(),
            has_presence: e.supports_presence(),
            utf8_verified: crate::source::resolved::utf8_verified(&e.options(), &e.parent_file()),
            json_name: e.json_name().to_owned(),
            explicit_json_name: false,
            oneof: None,
            explicit_default: proto.default_value.is_some(),
            is_extension: true,
            handle: Handle::Extension(e.clone()),
            message: e.containing_message().full_name().to_owned(),
            in_map_entry: false,
            map_field: None,
            file: e.parent_file(),
            path: e.path().to_vec(),
        }
    }

    /// The options a language feature of the field is read from, nearest first: the field's,
    /// its oneof's, its messages' outward and its file's.
    pub fn feature_scopes(&self) -> Vec<prost_reflect::DynamicMessage> {
        let (mut scopes, mut message) = match &self.handle {
            Handle::Field(f) => {
                let mut scopes = vec![f.options()];
                scopes.extend(
                    f.containing_oneof()
                        .filter(|o| !o.is_synthetic())
                        .map(|o| o.options()),
                );
                (scopes, Some(f.parent_message().clone()))
            }
            Handle::Extension(e) => (vec![e.options()], e.parent_message()),
        };
        while let Some(m) = message {
            scopes.push(m.options());
            message = m.parent_message();
        }
        scopes.push(self.file.options());
        scopes
    }

    /// C++'s string type and whether `ctype = STRING_PIECE` set it
    /// (`source::resolved::cpp_string_type`).
    pub fn cpp_string_type(&self) -> (i32, bool) {
        let ctype = self.proto().options.as_ref().and_then(|o| o.ctype);
        crate::source::resolved::cpp_string_type(ctype, &self.feature_scopes())
    }

    /// The field's descriptor proto (options, default value as written).
    pub fn proto(&self) -> &prost_types::FieldDescriptorProto {
        match &self.handle {
            Handle::Field(f) => f.field_descriptor_proto(),
            Handle::Extension(e) => e.field_descriptor_proto(),
        }
    }

    /// The default value (explicit or the type's).
    pub fn default_value(&self) -> prost_reflect::Value {
        match &self.handle {
            Handle::Field(f) => f.default_value(),
            Handle::Extension(e) => e.default_value(),
        }
    }

    pub fn syntax(&self) -> Syntax {
        self.file.syntax()
    }

    /// "field 3 `note` of `acme.v1.Order`" / "extension 100 `acme.v1.ext` of `acme.v1.Base`".
    pub fn describe(&self) -> String {
        if self.is_extension {
            format!(
                "extension {} `{}` of `{}`",
                self.number, self.full_name, self.message
            )
        } else if let Some(map) = &self.map_field {
            format!("the {} of map `{map}` of `{}`", self.name, self.message)
        } else {
            format!(
                "field {} `{}` of `{}`",
                self.number, self.name, self.message
            )
        }
    }

    /// The type as written: `string`, `acme.v1.Money`, `map<string, int32>`.
    pub fn type_name(&self) -> String {
        kind_name(&self.kind)
    }

    /// The type in backticks, marked when it is group-encoded (a group, or a delimited message).
    pub fn encoded_type_name(&self) -> String {
        if self.is_group {
            format!("`{}` (group-encoded)", self.type_name())
        } else {
            format!("`{}`", self.type_name())
        }
    }
}

/// protoc and protox always fill json_name; it was written by hand only if it differs from the
/// default camel-case conversion.
fn file_declares_json_name(f: &FieldDescriptor) -> bool {
    f.json_name() != crate::source::prelink::default_json_name(f.name())
}

/// The current file a finding goes to.
struct Target<'a> {
    loaded: &'a LoadedFile,
    locations: Locations<'a>,
}

/// What a breaking rule sees.
pub struct BCx<'a> {
    rule: &'static RuleInfo,
    targets: &'a HashMap<String, Target<'a>>,
    findings: Vec<Finding>,
}

impl<'a> BCx<'a> {
    /// The text of a current file.
    pub fn text(&self, file: &str) -> Option<&'a SourceText> {
        self.targets.get(file).and_then(|t| t.loaded.text.as_ref())
    }

    /// The text and SourceCodeInfo of a current file.
    pub fn source(&self, file: &str) -> Option<(&'a SourceText, &'a Locations<'a>)> {
        let t = self.targets.get(file)?;
        Some((t.loaded.text.as_ref()?, &t.locations))
    }

    /// The span of `path` in the current file `file`.
    pub fn span_of(&self, file: &str, path: &[i32]) -> Option<Span> {
        let t = self.targets.get(file)?;
        t.locations.span(t.loaded.text.as_ref()?, path)
    }

    /// Whether the current file `file` declares the element at `path`.
    pub fn has_location(&self, file: &str, path: &[i32]) -> bool {
        self.targets
            .get(file)
            .is_some_and(|t| t.locations.get(path).is_some())
    }

    /// The reporter for the current file `file`. For a file that no longer exists, `file` is the
    /// previous name, and findings go at line 1 without a snippet.
    pub fn in_file<'s>(&'s mut self, file: &'s str) -> Reporter<'s> {
        let (display, source) = match self.targets.get(file) {
            Some(t) => {
                let source = match &t.loaded.text {
                    Some(text) => Source::Text(text, &t.locations),
                    None => Source::NoText,
                };
                (t.loaded.display(), source)
            }
            None => (file, Source::Gone),
        };
        Reporter::new(
            self.rule.id,
            Severity::Error,
            display,
            source,
            &mut self.findings,
        )
    }

    /// Whether the current run checks `file`.
    pub fn is_current(&self, file: &str) -> bool {
        self.targets.contains_key(file)
    }
}

/// Runs `rules` over every pair of elements of `previous` and `current`.
pub fn run(
    previous: &Side,
    current: &Side,
    compilation: &Compilation,
    rules: &[&'static RuleInfo],
) -> Vec<Finding> {
    let targets: HashMap<String, Target> = current
        .files
        .iter()
        .filter_map(|fd| {
            let loaded = compilation.file(fd.name())?;
            Some((
                fd.name().to_owned(),
                Target {
                    loaded,
                    locations: loaded.locations().unwrap_or_default(),
                },
            ))
        })
        .collect();
    let pairs = Pairs::new(previous, current);
    rules
        .par_iter()
        .filter_map(|info| info.breaking.map(|imp| (*info, imp)))
        .flat_map_iter(|(info, imp)| {
            let mut cx = BCx {
                rule: info,
                targets: &targets,
                findings: Vec::new(),
            };
            pairs.dispatch(imp, &mut cx, previous, current);
            cx.findings
        })
        .collect()
}

/// Everything paired once, shared by all rules.
struct Pairs {
    files: Vec<(FileDescriptor, FileDescriptor)>,
    messages: Vec<(MessageDescriptor, MessageDescriptor)>,
    fields: Vec<(FieldView, FieldView)>,
    enums: Vec<(EnumDescriptor, EnumDescriptor)>,
    enum_values: Vec<(i32, Vec<EnumValueDescriptor>, Vec<EnumValueDescriptor>)>,
    services: Vec<(
        prost_reflect::ServiceDescriptor,
        prost_reflect::ServiceDescriptor,
    )>,
    methods: Vec<(
        prost_reflect::MethodDescriptor,
        prost_reflect::MethodDescriptor,
    )>,
}

impl Pairs {
    fn new(previous: &Side, current: &Side) -> Pairs {
        let files = previous
            .files
            .iter()
            .filter_map(|p| current.file(p.name()).map(|c| (p.clone(), c.clone())))
            .collect();
        let (pm, cm) = (previous.messages(), current.messages());
        let messages: Vec<_> = pm
            .iter()
            .filter_map(|(name, p)| cm.get(name).map(|c| (p.clone(), c.clone())))
            .collect();
        let mut fields = Vec::new();
        for (p, c) in &messages {
            for pf in p.fields() {
                if let Some(cf) = c.get_field(pf.number()) {
                    fields.push((FieldView::of_field(&pf), FieldView::of_field(&cf)));
                }
            }
        }
        let (pe, ce) = (previous.extensions(), current.extensions());
        for (key, p) in &pe {
            if let Some(c) = ce.get(key) {
                fields.push((FieldView::of_extension(p), FieldView::of_extension(c)));
            }
        }
        let (pn, cn) = (previous.enums(), current.enums());
        let enums: Vec<_> = pn
            .iter()
            .filter_map(|(name, p)| cn.get(name).map(|c| (p.clone(), c.clone())))
            .collect();
        let mut enum_values = Vec::new();
        for (p, c) in &enums {
            let by_number = |e: &EnumDescriptor| {
                let mut m: BTreeMap<i32, Vec<EnumValueDescriptor>> = BTreeMap::new();
                for v in e.values() {
                    m.entry(v.number()).or_default().push(v);
                }
                m
            };
            let (pv, cv) = (by_number(p), by_number(c));
            for (n, pvals) in pv {
                if let Some(cvals) = cv.get(&n) {
                    enum_values.push((n, pvals, cvals.clone()));
                }
            }
        }
        let services_of = |s: &Side| {
            let mut m = BTreeMap::new();
            for f in &s.files {
                for svc in f.services() {
                    m.insert(svc.full_name().to_owned(), svc);
                }
            }
            m
        };
        let (ps, cs) = (services_of(previous), services_of(current));
        let services: Vec<_> = ps
            .iter()
            .filter_map(|(n, p)| cs.get(n).map(|c| (p.clone(), c.clone())))
            .collect();
        let mut methods = Vec::new();
        for (p, c) in &services {
            for pm in p.methods() {
                if let Some(cm) = c.methods().find(|m| m.name() == pm.name()) {
                    methods.push((pm, cm));
                }
            }
        }
        Pairs {
            files,
            messages,
            fields,
            enums,
            enum_values,
            services,
            methods,
        }
    }

    fn dispatch(&self, rule: &dyn BreakingRule, cx: &mut BCx, previous: &Side, current: &Side) {
        rule.check_sides(cx, previous, current);
        for (p, c) in &self.files {
            rule.check_file_pair(cx, p, c);
        }
        for (p, c) in &self.messages {
            rule.check_message_pair(cx, p, c);
        }
        for (p, c) in &self.fields {
            rule.check_field_pair(cx, p, c);
        }
        for (p, c) in &self.enums {
            rule.check_enum_pair(cx, p, c);
        }
        for (n, p, c) in &self.enum_values {
            rule.check_enum_value_pair(cx, *n, p, c);
        }
        for (p, c) in &self.services {
            rule.check_service_pair(cx, p, c);
        }
        for (p, c) in &self.methods {
            rule.check_method_pair(cx, p, c);
        }
    }
}
