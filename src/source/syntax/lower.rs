//! From the syntax tree to a `FileDescriptorProto` with SourceCodeInfo, as protoc's parser
//! writes it before linking: options uninterpreted (`[.., 999, i]` paths), type names as written,
//! map entries, synthetic oneofs for proto3 `optional`, groups as nested messages.
//!
//! Also the checks that need no other file: labels per syntax, field number ranges, defaults,
//! map keys, empty oneofs.

use prost_types::source_code_info::Location;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, EnumOptions, EnumValueDescriptorProto, EnumValueOptions,
    ExtensionRangeOptions, FieldDescriptorProto, FieldOptions, FileDescriptorProto, FileOptions,
    MessageOptions, MethodDescriptorProto, MethodOptions, OneofDescriptorProto, OneofOptions,
    ServiceDescriptorProto, ServiceOptions, SourceCodeInfo, UninterpretedOption, descriptor_proto,
    enum_descriptor_proto, field_descriptor_proto, uninterpreted_option,
};

use super::ast::*;
use super::comments;
use super::features::Edition;
use super::lex::Token;
use super::parse::SyntaxError;

/// The largest field number.
pub const MAX_FIELD_NUMBER: i32 = 536_870_911;

use crate::source::locate::path as tag;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Message,
    Oneof,
    Extend,
}

/// Byte offset -> (0-based line, 0-based byte column), as SourceCodeInfo counts.
struct Lines {
    starts: Vec<u32>,
    /// The line of the last lookup: spans come mostly in order, so most lookups stay there.
    hint: std::cell::Cell<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        Lines {
            starts,
            hint: std::cell::Cell::new(0),
        }
    }

    fn at(&self, offset: u32) -> (i32, i32) {
        let h = self.hint.get();
        let within = |l: usize| {
            self.starts[l] <= offset && self.starts.get(l + 1).is_none_or(|&next| offset < next)
        };
        let line = if within(h) {
            h
        } else if h + 1 < self.starts.len() && within(h + 1) {
            h + 1
        } else {
            self.starts.partition_point(|&s| s <= offset) - 1
        };
        self.hint.set(line);
        (line as i32, (offset - self.starts[line]) as i32)
    }

    fn span(&self, span: Span) -> Vec<i32> {
        let (sl, sc) = self.at(span.start);
        let (el, ec) = self.at(span.end);
        if sl == el {
            vec![sl, sc, ec]
        } else {
            vec![sl, sc, el, ec]
        }
    }
}

pub struct Lowering<'t> {
    text: &'t str,
    tokens: &'t [Token],
    proto3: bool,
    /// The file's edition (proto2 when it says nothing).
    pub edition: Edition,
    path: Vec<i32>,
    locations: Vec<Location>,
    lines: Lines,
    pub errors: Vec<SyntaxError>,
    /// Which `dependency` entries are `import option`s (prost-types has no `option_dependency`).
    pub option_imports: Vec<i32>,
    /// `export` and `local` (prost-types has no `visibility`): (path, field, value).
    pub visibility: Vec<(Vec<i32>, u32, i32)>,
}

impl<'t> Lowering<'t> {
    pub fn new(text: &'t str, tokens: &'t [Token]) -> Self {
        Lowering {
            text,
            tokens,
            proto3: false,
            edition: Edition::Proto2,
            path: Vec::new(),
            locations: Vec::new(),
            lines: Lines::new(text),
            errors: Vec::new(),
            option_imports: Vec::new(),
            visibility: Vec::new(),
        }
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            span,
            message: message.into(),
        });
    }

    // ---- locations ----

    fn span_at(&mut self, suffix: &[i32], span: Span) {
        let mut path = Vec::with_capacity(self.path.len() + suffix.len());
        path.extend_from_slice(&self.path);
        path.extend_from_slice(suffix);
        let span = self.lines.span(span);
        self.locations.push(Location {
            path,
            span,
            ..Location::default()
        });
    }

    fn comments_at(&mut self, suffix: &[i32], meta: Meta) {
        let before = self.previous_token(meta.first as usize);
        let lead = comments::between(self.text, self.tokens, before);
        let trail = comments::between(self.text, self.tokens, Some(meta.trailing_after as usize));
        let mut path = Vec::with_capacity(self.path.len() + suffix.len());
        path.extend_from_slice(&self.path);
        path.extend_from_slice(suffix);
        self.locations.push(Location {
            path,
            span: self.lines.span(meta.span),
            leading_comments: lead.leading,
            trailing_comments: trail.trailing,
            leading_detached_comments: lead.detached,
        });
    }

    /// The last non-trivia token before token `i`.
    fn previous_token(&self, i: usize) -> Option<usize> {
        (0..i.min(self.tokens.len()))
            .rev()
            .find(|&j| !self.tokens[j].kind.is_trivia())
    }

    fn with<T>(&mut self, suffix: &[i32], f: impl FnOnce(&mut Self) -> T) -> T {
        let n = self.path.len();
        self.path.extend_from_slice(suffix);
        let out = f(self);
        self.path.truncate(n);
        out
    }

    // ---- the file ----

    pub fn file(&mut self, name: &str, file: &File<'_>) -> FileDescriptorProto {
        let mut out = FileDescriptorProto {
            name: Some(name.to_owned()),
            ..FileDescriptorProto::default()
        };
        match file.span {
            Some(span) => self.span_at(&[], span),
            // protoc's parser (and protox) give an empty file the span (end, 0).
            None => {
                let (sl, sc) = self.lines.at(self.text.len() as u32);
                let span = if sl == 0 {
                    vec![0, sc, 0]
                } else {
                    vec![sl, sc, 0, 0]
                };
                self.locations.push(Location {
                    span,
                    ..Location::default()
                });
            }
        }
        if let Some(decl) = &file.syntax {
            self.proto3 = decl.syntax == Syntax::Proto3;
            self.comments_at(&[tag::file::SYNTAX], decl.meta);
            match decl.syntax {
                Syntax::Proto3 => {
                    self.edition = Edition::Proto3;
                    out.syntax = Some("proto3".into());
                }
                Syntax::Edition(text) => {
                    out.syntax = Some("editions".into());
                    match Edition::from_text(text) {
                        Some(edition) => self.edition = edition,
                        None => {
                            // Read the rest as the newest edition, for its other errors.
                            self.edition = Edition::E2024;
                            self.error(
                                decl.value_span,
                                format!(
                                    "unknown edition \"{}\": protoforge compiles editions \"2023\" and \"2024\"",
                                    text.escape_debug()
                                ),
                            );
                        }
                    }
                }
                Syntax::Proto2 => {}
            }
        }
        let mut package_span: Option<Span> = None;
        let mut options = Vec::new();
        for item in &file.items {
            match item {
                FileItem::Package(p) => {
                    if package_span.is_some() {
                        self.error(p.meta.span, "a file has only one `package` statement");
                        continue;
                    }
                    package_span = Some(p.meta.span);
                    self.comments_at(&[tag::file::PACKAGE], p.meta);
                    out.package = Some(p.name.name.to_string());
                }
                FileItem::Import(import) => {
                    let index = out.dependency.len() as i32;
                    self.comments_at(&[tag::file::DEPENDENCY, index], import.meta);
                    out.dependency.push(import.path.clone());
                    match import.kind {
                        Some((ImportKind::Public, span)) => {
                            let j = out.public_dependency.len() as i32;
                            self.span_at(&[tag::file::PUBLIC_DEPENDENCY, j], span);
                            out.public_dependency.push(index);
                        }
                        Some((ImportKind::Weak, span)) => {
                            let j = out.weak_dependency.len() as i32;
                            self.span_at(&[tag::file::WEAK_DEPENDENCY, j], span);
                            out.weak_dependency.push(index);
                        }
                        // Linked as an import: prost-types has no `option_dependency`.
                        Some((ImportKind::Option, span)) if self.edition < Edition::E2024 => {
                            self.error(span, "`import option` needs edition 2024");
                        }
                        Some((ImportKind::Option, _)) => self.option_imports.push(index),
                        None => {}
                    }
                    let option = matches!(import.kind, Some((ImportKind::Option, _)));
                    if !option && !self.option_imports.is_empty() {
                        self.error(
                            import.meta.span,
                            "plain imports come before every `import option` (protoc's rule, \
                             so that the file round-trips)",
                        );
                    }
                }
                FileItem::Option(o) => options.push(o),
                FileItem::Message(m) => {
                    let i = out.message_type.len() as i32;
                    let d = self.with(&[tag::file::MESSAGE, i], |l| l.message(m));
                    out.message_type.push(d);
                }
                FileItem::Enum(e) => {
                    let i = out.enum_type.len() as i32;
                    let d = self.with(&[tag::file::ENUM, i], |l| l.enumeration(e));
                    out.enum_type.push(d);
                }
                FileItem::Service(s) => {
                    let i = out.service.len() as i32;
                    let d = self.with(&[tag::file::SERVICE, i], |l| l.service(s));
                    out.service.push(d);
                }
                FileItem::Extend(e) => self.extend(
                    e,
                    tag::file::EXTENSION,
                    &mut out.extension,
                    tag::file::MESSAGE,
                    &mut out.message_type,
                ),
            }
        }
        let uninterpreted = self.with(&[tag::file::OPTIONS], |l| l.option_statements(&options));
        out.options = uninterpreted.map(|uninterpreted_option| FileOptions {
            uninterpreted_option,
            ..FileOptions::default()
        });
        out
    }

    /// The locations (in the order they were found: readers sort them as they need) and the
    /// errors.
    pub fn source_code_info(self) -> (SourceCodeInfo, Vec<SyntaxError>) {
        (
            SourceCodeInfo {
                location: self.locations,
            },
            self.errors,
        )
    }

    // ---- messages ----

    /// Records `export`/`local` on the message or enum being lowered, and returns its `meta`
    /// with the span starting at `message`/`enum`, as protoc's location does (its comments are
    /// still those before the keyword).
    fn after_visibility(
        &mut self,
        mut meta: Meta,
        visibility: Option<(Visibility, Span)>,
        field: i32,
    ) -> Meta {
        let Some((visibility, span)) = visibility else {
            return meta;
        };
        if self.edition < Edition::E2024 {
            self.error(span, "`export` and `local` need edition 2024");
        }
        // descriptor.proto's SymbolVisibility.
        let value = match visibility {
            Visibility::Local => 1,
            Visibility::Export => 2,
        };
        self.visibility
            .push((self.path.clone(), field as u32, value));
        let next = self.tokens.partition_point(|t| t.start < span.end);
        if let Some(keyword) = self.tokens[next..].iter().find(|t| !t.kind.is_trivia()) {
            meta.span.start = keyword.start;
        }
        meta
    }

    fn message(&mut self, m: &Message<'_>) -> DescriptorProto {
        let meta = self.after_visibility(m.meta, m.visibility, tag::message::VISIBILITY);
        self.comments_at(&[], meta);
        self.span_at(&[tag::message::NAME], m.name.span);
        DescriptorProto {
            name: Some(m.name.name.to_owned()),
            ..self.message_body(&m.body)
        }
    }

    fn message_body(&mut self, body: &[MessageItem<'_>]) -> DescriptorProto {
        let mut d = DescriptorProto::default();
        let real_oneofs = body
            .iter()
            .filter(|i| matches!(i, MessageItem::Oneof(_)))
            .count();
        d.oneof_decl
            .resize(real_oneofs, OneofDescriptorProto::default());
        let mut oneof_index = 0;
        let mut options = Vec::new();
        for item in body {
            match item {
                MessageItem::Field(f) => {
                    let index = d.field.len();
                    let field = self.field(
                        f,
                        index,
                        tag::message::FIELD,
                        tag::message::NESTED,
                        &mut d.nested_type,
                        Scope::Message,
                    );
                    d.field.push(field);
                }
                MessageItem::Enum(e) => {
                    let i = d.enum_type.len() as i32;
                    let e = self.with(&[tag::message::ENUM, i], |l| l.enumeration(e));
                    d.enum_type.push(e);
                }
                MessageItem::Message(m) => {
                    let i = d.nested_type.len() as i32;
                    let m = self.with(&[tag::message::NESTED, i], |l| l.message(m));
                    d.nested_type.push(m);
                }
                MessageItem::Extend(e) => self.extend(
                    e,
                    tag::message::EXTENSION,
                    &mut d.extension,
                    tag::message::NESTED,
                    &mut d.nested_type,
                ),
                MessageItem::Oneof(o) => {
                    d.oneof_decl[oneof_index] = self.oneof(o, oneof_index, &mut d);
                    oneof_index += 1;
                }
                MessageItem::Option(o) => options.push(o),
                MessageItem::Reserved(_) | MessageItem::Extensions(_) => {}
            }
        }
        let message_set = options.iter().any(|o| {
            o.body.is_named("message_set_wire_format")
                && matches!(
                    o.body.value,
                    OptionValue::Ident {
                        negative: false,
                        name: "true",
                        ..
                    }
                )
        });
        let max = if message_set {
            i32::MAX - 1
        } else {
            MAX_FIELD_NUMBER
        };
        for item in body {
            let MessageItem::Reserved(r) = item else {
                continue;
            };
            match &r.kind {
                ReservedKind::Ranges(ranges) => {
                    self.comments_at(&[tag::message::RESERVED_RANGE], r.meta);
                    for range in ranges {
                        let i = d.reserved_range.len() as i32;
                        let (start, end) =
                            self.message_range(&[tag::message::RESERVED_RANGE, i], range, max);
                        d.reserved_range.push(descriptor_proto::ReservedRange {
                            start,
                            end: end.map(|e| e + 1),
                        });
                    }
                }
                ReservedKind::Names(_) | ReservedKind::Idents(_) => {
                    self.reserved_names(tag::message::RESERVED_NAME, r, &mut d.reserved_name);
                }
            }
        }
        for item in body {
            let MessageItem::Extensions(x) = item else {
                continue;
            };
            self.comments_at(&[tag::message::EXTENSION_RANGE], x.meta);
            for range in &x.ranges {
                let i = d.extension_range.len() as i32;
                let (start, end) =
                    self.message_range(&[tag::message::EXTENSION_RANGE, i], range, max);
                let options = self.with(
                    &[
                        tag::message::EXTENSION_RANGE,
                        i,
                        tag::message::EXTENSION_RANGE_OPTIONS,
                    ],
                    |l| l.option_list(x.options.as_ref(), &[]),
                );
                d.extension_range.push(descriptor_proto::ExtensionRange {
                    start,
                    end: end.map(|e| e + 1),
                    options: options.map(|uninterpreted_option| ExtensionRangeOptions {
                        uninterpreted_option,
                    }),
                });
            }
        }
        d.options = self
            .with(&[tag::message::OPTIONS], |l| l.option_statements(&options))
            .map(|uninterpreted_option| MessageOptions {
                uninterpreted_option,
                ..MessageOptions::default()
            });
        synthetic_oneofs(&mut d);
        d
    }

    /// Locations and inclusive bounds of a reserved or extension range.
    fn message_range(&mut self, at: &[i32], range: &Range, max: i32) -> (Option<i32>, Option<i32>) {
        self.span_at(at, range.span());
        let mut start_at = at.to_vec();
        start_at.push(tag::message::RANGE_START);
        self.span_at(&start_at, range.start.span);
        let mut end_at = at.to_vec();
        end_at.push(tag::message::RANGE_END);
        self.span_at(&end_at, range.end_span());
        let start = self.field_number(range.start);
        let end = match range.end {
            RangeEnd::None => start,
            RangeEnd::Int(i) => self.field_number(i),
            RangeEnd::Max(_) => Some(max),
        };
        (start, end)
    }

    fn field_number(&mut self, n: Int) -> Option<i32> {
        match n.as_i32() {
            Some(v @ 1..=MAX_FIELD_NUMBER) => Some(v),
            _ => {
                self.error(
                    n.span,
                    format!("field numbers must be between 1 and {MAX_FIELD_NUMBER}, not {n}"),
                );
                None
            }
        }
    }

    fn oneof(
        &mut self,
        o: &Oneof<'_>,
        index: usize,
        d: &mut DescriptorProto,
    ) -> OneofDescriptorProto {
        let at = [tag::message::ONEOF, index as i32];
        self.comments_at(&at, o.meta);
        self.span_at(&[at[0], at[1], tag::oneof::NAME], o.name.span);
        let options: Vec<&OptionStmt<'_>> = o
            .items
            .iter()
            .filter_map(|i| match i {
                OneofItem::Option(o) => Some(o),
                OneofItem::Field(_) => None,
            })
            .collect();
        let uninterpreted = self.with(&[at[0], at[1], tag::oneof::OPTIONS], |l| {
            l.option_statements(&options)
        });
        let mut fields = 0;
        for item in &o.items {
            if let OneofItem::Field(f) = item {
                fields += 1;
                let i = d.field.len();
                let mut field = self.field(
                    f,
                    i,
                    tag::message::FIELD,
                    tag::message::NESTED,
                    &mut d.nested_type,
                    Scope::Oneof,
                );
                field.oneof_index = Some(index as i32);
                d.field.push(field);
            }
        }
        if fields == 0 {
            self.error(
                o.meta.span,
                format!("oneof `{}` has no fields", o.name.name),
            );
        }
        OneofDescriptorProto {
            name: Some(o.name.name.to_owned()),
            options: uninterpreted.map(|uninterpreted_option| OneofOptions {
                uninterpreted_option,
            }),
        }
    }

    fn extend(
        &mut self,
        e: &Extend<'_>,
        extension_tag: i32,
        extensions: &mut Vec<FieldDescriptorProto>,
        message_tag: i32,
        messages: &mut Vec<DescriptorProto>,
    ) {
        self.comments_at(&[extension_tag], e.meta);
        for f in &e.fields {
            let i = extensions.len();
            self.span_at(
                &[extension_tag, i as i32, tag::field::EXTENDEE],
                e.extendee.span,
            );
            let mut field = self.field(f, i, extension_tag, message_tag, messages, Scope::Extend);
            field.extendee = Some(e.extendee.name.to_string());
            extensions.push(field);
        }
    }

    // ---- fields ----

    fn field(
        &mut self,
        f: &Field<'_>,
        index: usize,
        field_tag: i32,
        message_tag: i32,
        messages: &mut Vec<DescriptorProto>,
        scope: Scope,
    ) -> FieldDescriptorProto {
        use field_descriptor_proto::{Label as L, Type as T};
        let at = [field_tag, index as i32];
        let n = self.path.len();
        self.path.extend_from_slice(&at);
        self.span_at(&[tag::field::NAME], f.name.span);
        self.span_at(&[tag::field::NUMBER], f.number.span);
        let number = self.field_number(f.number);
        let mut out = FieldDescriptorProto {
            number,
            ..FieldDescriptorProto::default()
        };
        if self.proto3 && matches!(f.label, Some((Label::Optional, _))) {
            out.proto3_optional = Some(true);
        }
        let list = f.options.as_ref();
        let find = |name: &str| list.and_then(|l| l.options.iter().position(|o| o.is_named(name)));
        let (default_at, json_at) = (find("default"), find("json_name"));
        if self.edition.is_edition()
            && let Some(o) = find("packed").map(|i| &list.unwrap().options[i])
        {
            self.error(
                o.span,
                "`packed` is not an option in editions: use `[features.repeated_field_encoding = PACKED]` or `EXPANDED`",
            );
        }
        let default = default_at.map(|i| &list.unwrap().options[i]);
        if let Some(o) = &default {
            if matches!(f.kind, FieldKind::Map { .. }) {
                self.error(o.span, "a map field cannot have a default value");
            } else if matches!(f.label, Some((Label::Repeated, _))) {
                self.error(o.span, "a repeated field cannot have a default value");
            } else if self.proto3 {
                self.error(o.span, "default values are not allowed in proto3");
            }
        }
        match &f.kind {
            FieldKind::Normal {
                ty: FieldType::Named(name),
                ..
            } => {
                out.name = Some(f.name.name.to_owned());
                out.label = self.label(f, scope).map(|l| l as i32);
                out.type_name = Some(name.name.to_string());
                self.comments_at(&[], f.meta);
                self.span_at(&[tag::field::TYPE_NAME], name.span);
                if let Some(o) = &default {
                    out.default_value = Some(token_string(&o.value));
                    self.span_at(&[tag::field::DEFAULT_VALUE], o.value.span());
                }
            }
            FieldKind::Normal {
                ty: FieldType::Scalar(s),
                ty_span,
            } => {
                out.name = Some(f.name.name.to_owned());
                out.label = self.label(f, scope).map(|l| l as i32);
                let ty = scalar_type(*s);
                out.r#type = Some(ty as i32);
                if let Some(o) = &default {
                    self.span_at(&[tag::field::DEFAULT_VALUE], o.value.span());
                    out.default_value = self.default_value(ty, &o.value);
                }
                self.comments_at(&[], f.meta);
                self.span_at(&[tag::field::TYPE], *ty_span);
            }
            FieldKind::Group { ty_span, body } => {
                out.name = Some(f.name.name.to_ascii_lowercase());
                out.label = self.label(f, scope).map(|l| l as i32);
                out.r#type = Some(T::Group as i32);
                out.type_name = Some(f.name.name.to_owned());
                if self.proto3 {
                    self.error(
                        f.meta.span,
                        "groups are not allowed in proto3; use a message field",
                    );
                } else if self.edition.is_edition() {
                    self.error(
                        f.meta.span,
                        "groups are not allowed in editions; use a message field with `[features.message_encoding = DELIMITED]`",
                    );
                }
                if let Some(o) = &default {
                    self.error(o.span, "a group cannot have a default value");
                }
                self.span_at(&[], f.meta.span);
                self.span_at(&[tag::field::TYPE], *ty_span);
                self.span_at(&[tag::field::TYPE_NAME], f.name.span);
                self.path.truncate(n);
                let i = messages.len() as i32;
                let nested = self.with(&[message_tag, i], |l| {
                    l.comments_at(&[], f.meta);
                    l.span_at(&[tag::message::NAME], f.name.span);
                    l.message_body(body)
                });
                messages.push(DescriptorProto {
                    name: Some(f.name.name.to_owned()),
                    ..nested
                });
                self.path.extend_from_slice(&at);
            }
            FieldKind::Map {
                ty_span,
                key,
                key_span,
                value,
                ..
            } => {
                out.name = Some(f.name.name.to_owned());
                out.label = Some(L::Repeated as i32);
                out.r#type = Some(T::Message as i32);
                let entry = pascal_case(f.name.name) + "Entry";
                out.type_name = Some(entry.clone());
                match scope {
                    Scope::Oneof => self.error(f.meta.span, "a map field cannot be in a oneof"),
                    Scope::Extend => self.error(f.meta.span, "a map field cannot be an extension"),
                    Scope::Message => {
                        if let Some((_, span)) = f.label {
                            self.error(span, "map fields cannot have a label");
                        }
                    }
                }
                self.comments_at(&[], f.meta);
                self.span_at(&[tag::field::TYPE_NAME], *ty_span);
                let key_ok = matches!(key, FieldType::Scalar(s) if !matches!(s, Scalar::Double | Scalar::Float | Scalar::Bytes));
                if !key_ok {
                    self.error(
                        *key_span,
                        "a map key must be an integer, bool or string type (not a float, bytes, enum or message)",
                    );
                }
                let entry_field =
                    |name: &str, number: i32, ty: &FieldType<'_>| FieldDescriptorProto {
                        name: Some(name.to_owned()),
                        json_name: Some(name.to_owned()),
                        label: Some(L::Optional as i32),
                        number: Some(number),
                        r#type: match ty {
                            FieldType::Scalar(s) => Some(scalar_type(*s) as i32),
                            FieldType::Named(_) => None,
                        },
                        type_name: match ty {
                            FieldType::Named(n) => Some(n.name.to_string()),
                            FieldType::Scalar(_) => None,
                        },
                        ..FieldDescriptorProto::default()
                    };
                messages.push(DescriptorProto {
                    name: Some(entry),
                    field: vec![entry_field("key", 1, key), entry_field("value", 2, value)],
                    options: Some(MessageOptions {
                        map_entry: Some(true),
                        ..MessageOptions::default()
                    }),
                    ..DescriptorProto::default()
                });
            }
        }
        if let Some(o) = json_at.map(|i| &list.unwrap().options[i]) {
            self.span_at(&[tag::field::JSON_NAME], o.span);
            self.span_at(&[tag::field::JSON_NAME], o.value.span());
            out.json_name = self.string_value(&o.value);
        }
        let skip = [default_at, json_at];
        let options = self.with(&[tag::field::OPTIONS], |l| l.option_list(list, &skip));
        if let (FieldKind::Map { .. }, Some(options)) = (&f.kind, &options) {
            // protoc gives a map's key and value the map field's features (and its legacy
            // `enforce_utf8`), without locations.
            let inherited: Vec<_> = options
                .iter()
                .filter(|o| {
                    matches!(o.name.first(), Some(p) if !p.is_extension
                        && (p.name_part == "features"
                            || (p.name_part == "enforce_utf8" && o.name.len() == 1)))
                })
                .cloned()
                .collect();
            let entry = messages.last_mut().filter(|m| {
                m.options.as_ref().and_then(|o| o.map_entry) == Some(true)
                    && out.type_name.as_deref() == m.name.as_deref()
            });
            if let Some(entry) = entry.filter(|_| !inherited.is_empty()) {
                for field in &mut entry.field {
                    field.options = Some(FieldOptions {
                        uninterpreted_option: inherited.clone(),
                        ..FieldOptions::default()
                    });
                }
            }
        }
        out.options = options.map(|uninterpreted_option| FieldOptions {
            uninterpreted_option,
            ..FieldOptions::default()
        });
        self.path.truncate(n);
        out
    }

    fn label(&mut self, f: &Field<'_>, scope: Scope) -> Option<field_descriptor_proto::Label> {
        use field_descriptor_proto::Label as L;
        let editions = self.edition.is_edition();
        match (scope, f.label) {
            (_, Some((Label::Optional, span))) if editions => {
                self.error(
                    span,
                    "`optional` is not a label in editions: fields have explicit presence unless `features.field_presence` says otherwise",
                );
                None
            }
            (_, Some((Label::Required, span))) if editions => {
                self.error(
                    span,
                    "`required` is not a label in editions: use `[features.field_presence = LEGACY_REQUIRED]`",
                );
                None
            }
            (Scope::Extend, Some((Label::Required, span))) => {
                self.error(span, "an extension cannot be required");
                None
            }
            (Scope::Oneof, Some((_, span))) => {
                self.error(span, "fields in a oneof have no label");
                None
            }
            (Scope::Message | Scope::Extend, None) if !self.proto3 && !editions => {
                self.error(
                    f.meta.span,
                    "a proto2 field needs a label: `optional`, `required` or `repeated`",
                );
                None
            }
            (_, Some((Label::Required, span))) if self.proto3 => {
                self.error(span, "required fields are not allowed in proto3");
                None
            }
            (_, Some((label, span))) => {
                self.span_at(&[tag::field::LABEL], span);
                Some(match label {
                    Label::Optional => L::Optional,
                    Label::Required => L::Required,
                    Label::Repeated => L::Repeated,
                })
            }
            (_, None) => Some(L::Optional),
        }
    }

    fn default_value(
        &mut self,
        ty: field_descriptor_proto::Type,
        value: &OptionValue<'_>,
    ) -> Option<String> {
        use field_descriptor_proto::Type as T;
        let int = match value {
            OptionValue::Int(i) => Some(*i),
            _ => None,
        };
        let out_of_range = |l: &mut Self, i: Int, what: &str| {
            l.error(i.span, format!("{i} is out of range for a {what} default"));
            None
        };
        match ty {
            T::Double | T::Float => match float_of(value) {
                Some(v) => Some(v.to_string().to_ascii_lowercase()),
                None => self.invalid(value, "a number"),
            },
            T::Int64 | T::Sint64 | T::Sfixed64 => match int {
                Some(i) => match i.as_i64() {
                    Some(v) => Some(v.to_string()),
                    None => out_of_range(self, i, "64-bit signed"),
                },
                None => self.invalid(value, "an integer"),
            },
            T::Int32 | T::Sint32 | T::Sfixed32 => match int {
                Some(i) => match i.as_i32() {
                    Some(v) => Some(v.to_string()),
                    None => out_of_range(self, i, "32-bit signed"),
                },
                None => self.invalid(value, "an integer"),
            },
            T::Uint64 | T::Fixed64 => match int {
                Some(i) => match i.as_u64() {
                    Some(v) => Some(v.to_string()),
                    None => out_of_range(self, i, "64-bit unsigned"),
                },
                None => self.invalid(value, "an integer"),
            },
            T::Uint32 | T::Fixed32 => match int {
                Some(i) => match i.as_u32() {
                    Some(v) => Some(v.to_string()),
                    None => out_of_range(self, i, "32-bit unsigned"),
                },
                None => self.invalid(value, "an integer"),
            },
            T::Bool => match value {
                OptionValue::Ident {
                    negative: false,
                    name: n @ ("true" | "false"),
                    ..
                } => Some((*n).to_owned()),
                _ => self.invalid(value, "`true` or `false`"),
            },
            T::String => self.string_value(value),
            T::Bytes => match value {
                OptionValue::String { value, .. } => Some(escape_bytes(value)),
                _ => self.invalid(value, "a string"),
            },
            T::Group | T::Message | T::Enum => None,
        }
    }

    fn invalid<T>(&mut self, value: &OptionValue<'_>, expected: &str) -> Option<T> {
        self.error(
            value.span(),
            format!("expected {expected}, found `{}`", token_string(value)),
        );
        None
    }

    fn string_value(&mut self, value: &OptionValue<'_>) -> Option<String> {
        match value {
            OptionValue::String { value, span } => match String::from_utf8(value.clone()) {
                Ok(s) => Some(s),
                Err(_) => {
                    self.error(*span, "string is not valid UTF-8");
                    None
                }
            },
            _ => self.invalid(value, "a string"),
        }
    }

    /// `reserved "a", "b";` (before editions) or `reserved a, b;` (editions).
    fn reserved_names(&mut self, field_tag: i32, r: &Reserved<'_>, out: &mut Vec<String>) {
        let (names, strings): (Vec<(&str, Span)>, bool) = match &r.kind {
            ReservedKind::Names(names) => (
                names.iter().map(|(n, span)| (n.as_str(), *span)).collect(),
                true,
            ),
            ReservedKind::Idents(names) => {
                (names.iter().map(|n| (n.name, n.span)).collect(), false)
            }
            ReservedKind::Ranges(_) => return,
        };
        let editions = self.edition.is_edition();
        if strings == editions {
            for (name, span) in names {
                self.error(
                    span,
                    if editions {
                        format!("reserved names are identifiers in editions: write {name}")
                    } else {
                        format!("reserved names are strings before editions: write \"{name}\"")
                    },
                );
            }
            return;
        }
        self.comments_at(&[field_tag], r.meta);
        for (name, span) in names {
            let i = out.len() as i32;
            self.span_at(&[field_tag, i], span);
            out.push(name.to_owned());
        }
    }

    // ---- enums ----

    fn enumeration(&mut self, e: &Enum<'_>) -> EnumDescriptorProto {
        let meta = self.after_visibility(e.meta, e.visibility, tag::enumeration::VISIBILITY);
        self.comments_at(&[], meta);
        self.span_at(&[tag::enumeration::NAME], e.name.span);
        let mut d = EnumDescriptorProto {
            name: Some(e.name.name.to_owned()),
            ..EnumDescriptorProto::default()
        };
        let mut options = Vec::new();
        for item in &e.items {
            match item {
                EnumItem::Value(v) => {
                    let i = d.value.len() as i32;
                    let value = self.with(&[tag::enumeration::VALUE, i], |l| l.enum_value(v));
                    d.value.push(value);
                }
                EnumItem::Option(o) => options.push(o),
                EnumItem::Reserved(_) => {}
            }
        }
        for item in &e.items {
            let EnumItem::Reserved(r) = item else {
                continue;
            };
            match &r.kind {
                ReservedKind::Ranges(ranges) => {
                    self.comments_at(&[tag::enumeration::RESERVED_RANGE], r.meta);
                    for range in ranges {
                        let i = d.reserved_range.len() as i32;
                        let at = [tag::enumeration::RESERVED_RANGE, i];
                        self.span_at(&at, range.span());
                        self.span_at(&[at[0], at[1], tag::message::RANGE_START], range.start.span);
                        self.span_at(&[at[0], at[1], tag::message::RANGE_END], range.end_span());
                        let start = self.enum_number(range.start);
                        let end = match range.end {
                            RangeEnd::None => start,
                            RangeEnd::Int(i) => self.enum_number(i),
                            RangeEnd::Max(_) => Some(i32::MAX),
                        };
                        d.reserved_range
                            .push(enum_descriptor_proto::EnumReservedRange { start, end });
                    }
                }
                ReservedKind::Names(_) | ReservedKind::Idents(_) => {
                    self.reserved_names(tag::enumeration::RESERVED_NAME, r, &mut d.reserved_name);
                }
            }
        }
        d.options = self
            .with(&[tag::enumeration::OPTIONS], |l| {
                l.option_statements(&options)
            })
            .map(|uninterpreted_option| EnumOptions {
                uninterpreted_option,
                ..EnumOptions::default()
            });
        d
    }

    fn enum_value(&mut self, v: &EnumValue<'_>) -> EnumValueDescriptorProto {
        self.comments_at(&[], v.meta);
        self.span_at(&[tag::enum_value::NAME], v.name.span);
        self.span_at(&[tag::enum_value::NUMBER], v.number.span);
        let number = self.enum_number(v.number);
        let options = self.with(&[tag::enum_value::OPTIONS], |l| {
            l.option_list(v.options.as_ref(), &[])
        });
        EnumValueDescriptorProto {
            name: Some(v.name.name.to_owned()),
            number,
            options: options.map(|uninterpreted_option| EnumValueOptions {
                uninterpreted_option,
                ..EnumValueOptions::default()
            }),
        }
    }

    fn enum_number(&mut self, n: Int) -> Option<i32> {
        let v = n.as_i32();
        if v.is_none() {
            self.error(n.span, format!("enum numbers must fit in 32 bits, not {n}"));
        }
        v
    }

    // ---- services ----

    fn service(&mut self, s: &Service<'_>) -> ServiceDescriptorProto {
        self.comments_at(&[], s.meta);
        self.span_at(&[tag::service::NAME], s.name.span);
        let mut d = ServiceDescriptorProto {
            name: Some(s.name.name.to_owned()),
            ..ServiceDescriptorProto::default()
        };
        let mut options = Vec::new();
        for item in &s.items {
            match item {
                ServiceItem::Method(m) => {
                    let i = d.method.len() as i32;
                    let m = self.with(&[tag::service::METHOD, i], |l| l.method(m));
                    d.method.push(m);
                }
                ServiceItem::Option(o) => options.push(o),
            }
        }
        d.options = self
            .with(&[tag::service::OPTIONS], |l| l.option_statements(&options))
            .map(|uninterpreted_option| ServiceOptions {
                uninterpreted_option,
                ..ServiceOptions::default()
            });
        d
    }

    fn method(&mut self, m: &Method<'_>) -> MethodDescriptorProto {
        self.comments_at(&[], m.meta);
        self.span_at(&[tag::method::NAME], m.name.span);
        self.span_at(&[tag::method::INPUT], m.input.span);
        self.span_at(&[tag::method::OUTPUT], m.output.span);
        if let Some(span) = m.client_streaming {
            self.span_at(&[tag::method::CLIENT_STREAMING], span);
        }
        if let Some(span) = m.server_streaming {
            self.span_at(&[tag::method::SERVER_STREAMING], span);
        }
        let options: Vec<&OptionStmt<'_>> = m.options.iter().collect();
        let mut options = self.with(&[tag::method::OPTIONS], |l| l.option_statements(&options));
        // protoc gives a method with a body (`{}`, even empty) options, set or not.
        let end = (m.meta.span.end as usize).min(self.text.len());
        if options.is_none() && self.text[..end].trim_end().ends_with('}') {
            options = Some(Vec::new());
        }
        MethodDescriptorProto {
            name: Some(m.name.name.to_owned()),
            input_type: Some(m.input.name.to_string()),
            output_type: Some(m.output.name.to_string()),
            options: options.map(|uninterpreted_option| MethodOptions {
                uninterpreted_option,
                ..MethodOptions::default()
            }),
            client_streaming: m.client_streaming.map(|_| true),
            server_streaming: m.server_streaming.map(|_| true),
        }
    }

    // ---- options ----

    /// `option ...;` statements at the current options path.
    fn option_statements(
        &mut self,
        options: &[&OptionStmt<'_>],
    ) -> Option<Vec<UninterpretedOption>> {
        let mut out = Vec::with_capacity(options.len());
        for o in options {
            self.span_at(&[], o.meta.span);
            self.comments_at(&[tag::UNINTERPRETED_OPTION, out.len() as i32], o.meta);
            out.push(self.option(&o.body));
        }
        (!out.is_empty()).then_some(out)
    }

    /// `[...]` options at the current options path.
    /// `[...]` options at the current options path, but for those at `skip` (`default` and
    /// `json_name`, which are fields of the descriptor, not options).
    fn option_list(
        &mut self,
        list: Option<&OptionList<'_>>,
        skip: &[Option<usize>],
    ) -> Option<Vec<UninterpretedOption>> {
        let list = list?;
        self.span_at(&[], list.span);
        let mut out = Vec::with_capacity(list.options.len());
        for (i, o) in list.options.iter().enumerate() {
            if skip.contains(&Some(i)) {
                continue;
            }
            self.span_at(&[tag::UNINTERPRETED_OPTION, out.len() as i32], o.span);
            out.push(self.option(o));
        }
        (!out.is_empty()).then_some(out)
    }

    fn option(&mut self, o: &OptionBody<'_>) -> UninterpretedOption {
        let name = o
            .name
            .iter()
            .map(|part| match part {
                OptionNamePart::Ident(i) => uninterpreted_option::NamePart {
                    name_part: i.name.to_owned(),
                    is_extension: false,
                },
                OptionNamePart::Extension(t, _) => uninterpreted_option::NamePart {
                    name_part: t.name.to_string(),
                    is_extension: true,
                },
            })
            .collect();
        let mut out = UninterpretedOption {
            name,
            ..UninterpretedOption::default()
        };
        match &o.value {
            OptionValue::Ident {
                negative: false,
                name,
                ..
            } => {
                out.identifier_value = Some((*name).to_owned());
            }
            OptionValue::Ident {
                negative: true,
                name: "inf",
                ..
            } => {
                out.double_value = Some(f64::NEG_INFINITY);
            }
            OptionValue::Ident {
                negative: true,
                name: "nan",
                ..
            } => {
                out.double_value = Some(f64::NAN);
            }
            OptionValue::Ident {
                negative: true,
                span,
                ..
            } => {
                self.error(
                    *span,
                    "only `inf` and `nan` can follow `-` in an option value",
                );
            }
            OptionValue::Int(i) if i.negative => match i.as_i64() {
                Some(v) => out.negative_int_value = Some(v),
                None => self.error(i.span, format!("{i} does not fit in a 64-bit integer")),
            },
            OptionValue::Int(i) => out.positive_int_value = i.value,
            OptionValue::Float { value, .. } => out.double_value = Some(*value),
            OptionValue::String { value, .. } => out.string_value = Some(value.clone()),
            OptionValue::Aggregate { text, .. } => out.aggregate_value = Some(text.clone()),
        }
        out
    }
}

/// protoc's synthetic oneofs for proto3 `optional` fields: `_name`, prefixed with `X` until it
/// clashes with no field or oneof of the message; after the real oneofs, in field order.
pub fn synthetic_oneofs(d: &mut DescriptorProto) {
    if !d
        .field
        .iter()
        .any(|f| f.proto3_optional == Some(true) && f.oneof_index.is_none())
    {
        return;
    }
    let mut names: std::collections::HashSet<String> = d
        .field
        .iter()
        .map(|f| f.name().to_owned())
        .chain(d.oneof_decl.iter().map(|o| o.name().to_owned()))
        .collect();
    for field in &mut d.field {
        if field.proto3_optional != Some(true) || field.oneof_index.is_some() {
            continue;
        }
        let mut name = field.name().to_owned();
        if !name.starts_with('_') {
            name.insert(0, '_');
        }
        while names.contains(&name) {
            name.insert(0, 'X');
        }
        names.insert(name.clone());
        field.oneof_index = Some(d.oneof_decl.len() as i32);
        d.oneof_decl.push(OneofDescriptorProto {
            name: Some(name),
            options: None,
        });
    }
}

fn float_of(value: &OptionValue<'_>) -> Option<f64> {
    match value {
        OptionValue::Float { value, .. } => Some(*value),
        OptionValue::Int(i) => {
            let v = i.value? as f64;
            Some(if i.negative { -v } else { v })
        }
        OptionValue::Ident { negative, name, .. } => {
            let v = match *name {
                "inf" => f64::INFINITY,
                "nan" => f64::NAN,
                _ => return None,
            };
            Some(if *negative { -v } else { v })
        }
        _ => None,
    }
}

/// A value as protoc writes it into `default_value` for enum (and unresolved) types.
fn token_string(value: &OptionValue<'_>) -> String {
    match value {
        OptionValue::Ident { negative, name, .. } => {
            format!("{}{name}", if *negative { "-" } else { "" })
        }
        OptionValue::Int(i) => i.to_string(),
        OptionValue::Float { value, .. } => {
            if value.fract() == 0.0 {
                format!("{value:.1}")
            } else {
                format!("{value}")
            }
        }
        OptionValue::String { value, .. } => format!("\"{}\"", escape_bytes(value)),
        OptionValue::Aggregate { text, .. } => text.clone(),
    }
}

/// C-style escapes, as protoc writes bytes defaults.
fn escape_bytes(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\t' => s.push_str("\\t"),
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\\' => s.push_str("\\\\"),
            b'\'' => s.push_str("\\'"),
            b'"' => s.push_str("\\\""),
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\{b:03o}");
            }
        }
    }
    s
}

fn pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn scalar_type(s: Scalar) -> field_descriptor_proto::Type {
    use field_descriptor_proto::Type as T;
    match s {
        Scalar::Double => T::Double,
        Scalar::Float => T::Float,
        Scalar::Int32 => T::Int32,
        Scalar::Int64 => T::Int64,
        Scalar::Uint32 => T::Uint32,
        Scalar::Uint64 => T::Uint64,
        Scalar::Sint32 => T::Sint32,
        Scalar::Sint64 => T::Sint64,
        Scalar::Fixed32 => T::Fixed32,
        Scalar::Fixed64 => T::Fixed64,
        Scalar::Sfixed32 => T::Sfixed32,
        Scalar::Sfixed64 => T::Sfixed64,
        Scalar::Bool => T::Bool,
        Scalar::String => T::String,
        Scalar::Bytes => T::Bytes,
    }
}
