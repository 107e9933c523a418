//! SourceCodeInfo: descriptor paths -> spans and comments.

use std::collections::HashMap;

use prost_types::source_code_info::Location;
use prost_types::{FileDescriptorProto, SourceCodeInfo};

use super::text::{SourceText, Span};

/// Field numbers of descriptor.proto, as SourceCodeInfo paths are made of: one module per
/// descriptor message, then the flat names the rules use.
pub mod path {

    /// `FileDescriptorProto`.
    pub mod file {
        pub const PACKAGE: i32 = 2;
        pub const DEPENDENCY: i32 = 3;
        pub const MESSAGE: i32 = 4;
        pub const ENUM: i32 = 5;
        pub const SERVICE: i32 = 6;
        pub const EXTENSION: i32 = 7;
        pub const OPTIONS: i32 = 8;
        pub const PUBLIC_DEPENDENCY: i32 = 10;
        pub const WEAK_DEPENDENCY: i32 = 11;
        pub const SYNTAX: i32 = 12;
        pub const EDITION: i32 = 14;
    }
    /// `DescriptorProto`.
    pub mod message {
        pub const NAME: i32 = 1;
        pub const FIELD: i32 = 2;
        pub const NESTED: i32 = 3;
        pub const ENUM: i32 = 4;
        pub const EXTENSION_RANGE: i32 = 5;
        pub const EXTENSION: i32 = 6;
        pub const OPTIONS: i32 = 7;
        pub const ONEOF: i32 = 8;
        pub const RESERVED_RANGE: i32 = 9;
        pub const RESERVED_NAME: i32 = 10;
        pub const VISIBILITY: i32 = 11;
        /// In a reserved or extension range.
        pub const RANGE_START: i32 = 1;
        pub const RANGE_END: i32 = 2;
        /// In an extension range.
        pub const EXTENSION_RANGE_OPTIONS: i32 = 3;
    }
    /// `FieldDescriptorProto`.
    pub mod field {
        pub const NAME: i32 = 1;
        pub const EXTENDEE: i32 = 2;
        pub const NUMBER: i32 = 3;
        pub const LABEL: i32 = 4;
        pub const TYPE: i32 = 5;
        pub const TYPE_NAME: i32 = 6;
        pub const DEFAULT_VALUE: i32 = 7;
        pub const OPTIONS: i32 = 8;
        pub const JSON_NAME: i32 = 10;
    }
    /// `OneofDescriptorProto`.
    pub mod oneof {
        pub const NAME: i32 = 1;
        pub const OPTIONS: i32 = 2;
    }
    /// `EnumDescriptorProto`.
    pub mod enumeration {
        pub const NAME: i32 = 1;
        pub const VALUE: i32 = 2;
        pub const OPTIONS: i32 = 3;
        pub const RESERVED_RANGE: i32 = 4;
        pub const RESERVED_NAME: i32 = 5;
        pub const VISIBILITY: i32 = 6;
    }
    /// `EnumValueDescriptorProto`.
    pub mod enum_value {
        pub const NAME: i32 = 1;
        pub const NUMBER: i32 = 2;
        pub const OPTIONS: i32 = 3;
    }
    /// `ServiceDescriptorProto`.
    pub mod service {
        pub const NAME: i32 = 1;
        pub const METHOD: i32 = 2;
        pub const OPTIONS: i32 = 3;
    }
    /// `MethodDescriptorProto`.
    pub mod method {
        pub const NAME: i32 = 1;
        pub const INPUT: i32 = 2;
        pub const OUTPUT: i32 = 3;
        pub const OPTIONS: i32 = 4;
        pub const CLIENT_STREAMING: i32 = 5;
        pub const SERVER_STREAMING: i32 = 6;
    }

    /// `FileOptions`.
    pub mod file_options {
        pub const JAVA_PACKAGE: i32 = 1;
        pub const JAVA_OUTER_CLASSNAME: i32 = 8;
        pub const OPTIMIZE_FOR: i32 = 9;
        pub const JAVA_MULTIPLE_FILES: i32 = 10;
        pub const GO_PACKAGE: i32 = 11;
        pub const CC_GENERIC_SERVICES: i32 = 16;
        pub const JAVA_GENERIC_SERVICES: i32 = 17;
        pub const PY_GENERIC_SERVICES: i32 = 18;
        pub const CC_ENABLE_ARENAS: i32 = 31;
        pub const OBJC_CLASS_PREFIX: i32 = 36;
        pub const CSHARP_NAMESPACE: i32 = 37;
        pub const SWIFT_PREFIX: i32 = 39;
        pub const PHP_CLASS_PREFIX: i32 = 40;
        pub const PHP_NAMESPACE: i32 = 41;
        pub const PHP_METADATA_NAMESPACE: i32 = 44;
        pub const RUBY_PACKAGE: i32 = 45;
    }
    /// `MessageOptions`.
    pub mod message_options {
        pub const NO_STANDARD_DESCRIPTOR_ACCESSOR: i32 = 2;
    }
    /// `EnumOptions`.
    pub mod enum_options {
        pub const ALLOW_ALIAS: i32 = 2;
    }
    /// `MethodOptions`.
    pub mod method_options {
        pub const IDEMPOTENCY_LEVEL: i32 = 34;
    }

    pub const FILE_PACKAGE: i32 = file::PACKAGE;
    pub const FILE_DEPENDENCY: i32 = file::DEPENDENCY;
    pub const FILE_MESSAGE: i32 = file::MESSAGE;
    pub const FILE_ENUM: i32 = file::ENUM;
    pub const FILE_SERVICE: i32 = file::SERVICE;
    pub const FILE_EXTENSION: i32 = file::EXTENSION;
    pub const FILE_OPTIONS: i32 = file::OPTIONS;
    pub const FILE_SYNTAX: i32 = file::SYNTAX;
    pub const FILE_EDITION: i32 = file::EDITION;

    pub const MESSAGE_FIELD: i32 = message::FIELD;
    pub const MESSAGE_NESTED: i32 = message::NESTED;
    pub const MESSAGE_ENUM: i32 = message::ENUM;
    pub const MESSAGE_EXTENSION_RANGE: i32 = message::EXTENSION_RANGE;
    pub const MESSAGE_EXTENSION: i32 = message::EXTENSION;
    pub const MESSAGE_OPTIONS: i32 = message::OPTIONS;
    pub const MESSAGE_ONEOF: i32 = message::ONEOF;
    pub const MESSAGE_RESERVED_RANGE: i32 = message::RESERVED_RANGE;
    pub const MESSAGE_RESERVED_NAME: i32 = message::RESERVED_NAME;

    pub const ENUM_VALUE: i32 = enumeration::VALUE;
    pub const ENUM_OPTIONS: i32 = enumeration::OPTIONS;
    pub const ENUM_RESERVED_RANGE: i32 = enumeration::RESERVED_RANGE;
    pub const ENUM_RESERVED_NAME: i32 = enumeration::RESERVED_NAME;

    pub const SERVICE_METHOD: i32 = service::METHOD;

    /// `name` is field 1 of every descriptor message.
    pub const NAME: i32 = 1;
    pub const FIELD_EXTENDEE: i32 = field::EXTENDEE;
    pub const FIELD_NUMBER: i32 = field::NUMBER;
    pub const FIELD_TYPE_NAME: i32 = field::TYPE_NAME;
    pub const FIELD_DEFAULT_VALUE: i32 = field::DEFAULT_VALUE;
    pub const FIELD_OPTIONS: i32 = field::OPTIONS;
    pub const ENUM_VALUE_NUMBER: i32 = enum_value::NUMBER;
    pub const ENUM_VALUE_OPTIONS: i32 = enum_value::OPTIONS;
    pub const METHOD_INPUT: i32 = method::INPUT;
    pub const METHOD_OUTPUT: i32 = method::OUTPUT;
    pub const METHOD_OPTIONS: i32 = method::OPTIONS;
    /// `uninterpreted_option` in every options message, as parsed files have their options.
    pub const UNINTERPRETED_OPTION: i32 = 999;
    /// `MethodOptions.idempotency_level`, under METHOD_OPTIONS.
    pub const METHOD_OPTIONS_IDEMPOTENCY_LEVEL: i32 = method_options::IDEMPOTENCY_LEVEL;
}

/// A file's SourceCodeInfo in compact form: paths in one array, spans inline, comments only
/// where there are some. A quarter of the size of prost's `SourceCodeInfo` (which allocates two
/// vectors and three strings per location), sorted by (path, position) for bisection.
#[derive(Debug, Clone, Default)]
pub struct CompactInfo {
    paths: Vec<i32>,
    entries: Vec<Entry>,
    comments: Vec<Box<str>>,
    /// Leading detached comments, by entry index (few locations have some).
    detached: Vec<(u32, Box<[Box<str>]>)>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    path_start: u32,
    path_len: u32,
    /// start line, start column, end line, end column (0-based, byte columns).
    span: [i32; 4],
    /// Index + 1 into `comments`, 0 for none.
    leading: u32,
    trailing: u32,
}

/// One location.
#[derive(Debug, Clone, Copy)]
pub struct Loc<'a> {
    pub path: &'a [i32],
    pub span: [i32; 4],
    pub leading_comments: Option<&'a str>,
    pub trailing_comments: Option<&'a str>,
}

impl CompactInfo {
    pub fn new(info: &SourceCodeInfo) -> CompactInfo {
        let locations = &info.location;
        let mut order: Vec<u32> = (0..locations.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&locations[a as usize], &locations[b as usize]);
            a.path.cmp(&b.path).then_with(|| a.span.cmp(&b.span))
        });
        let mut out = CompactInfo {
            paths: Vec::with_capacity(locations.iter().map(|l| l.path.len()).sum()),
            entries: Vec::with_capacity(order.len()),
            comments: Vec::new(),
            detached: Vec::new(),
        };
        let comment = |c: &Option<String>, comments: &mut Vec<Box<str>>| match c {
            Some(text) if !text.is_empty() => {
                comments.push(text.as_str().into());
                comments.len() as u32
            }
            _ => 0,
        };
        for original in order {
            let l = &locations[original as usize];
            let span = match *l.span.as_slice() {
                [sl, sc, ec] => [sl, sc, sl, ec],
                [sl, sc, el, ec] => [sl, sc, el, ec],
                _ => continue,
            };
            let index = out.entries.len() as u32;
            if !l.leading_detached_comments.is_empty() {
                let detached = l
                    .leading_detached_comments
                    .iter()
                    .map(|c| c.as_str().into());
                out.detached.push((index, detached.collect()));
            }
            let path_start = out.paths.len() as u32;
            out.paths.extend_from_slice(&l.path);
            let leading = comment(&l.leading_comments, &mut out.comments);
            let trailing = comment(&l.trailing_comments, &mut out.comments);
            out.entries.push(Entry {
                path_start,
                path_len: l.path.len() as u32,
                span,
                leading,
                trailing,
            });
        }
        out.detached.sort_unstable_by_key(|d| d.0);
        out.paths.shrink_to_fit();
        out
    }

    fn path(&self, e: &Entry) -> &[i32] {
        &self.paths[e.path_start as usize..(e.path_start + e.path_len) as usize]
    }

    fn loc(&self, e: &Entry) -> Loc<'_> {
        let comment = |i: u32| (i > 0).then(|| &*self.comments[i as usize - 1]);
        Loc {
            path: self.path(e),
            span: e.span,
            leading_comments: comment(e.leading),
            trailing_comments: comment(e.trailing),
        }
    }

    /// Back to prost's form, detached comments included, in protoc's order: by where the
    /// location starts, an element before the parts that start where it does.
    pub fn to_source_code_info(&self) -> SourceCodeInfo {
        let mut order: Vec<u32> = (0..self.entries.len() as u32).collect();
        // An extension's extendee (`[7, i, 2]`, `[..message, 6, i, 2]`) is written in its
        // `extend` line, before the field; protoc records it right after the field.
        let starts: HashMap<&[i32], [i32; 2]> = self
            .entries
            .iter()
            .map(|e| (self.path(e), [e.span[0], e.span[1]]))
            .collect();
        order.sort_by_key(|&i| {
            let e = &self.entries[i as usize];
            let path = self.path(e);
            let start = match is_extendee(path).then(|| starts.get(&path[..path.len() - 1])) {
                Some(Some(&field)) => field,
                _ => [e.span[0], e.span[1]],
            };
            (start, e.path_len, path)
        });
        let location = order
            .into_iter()
            .map(|index| {
                let l = self.loc(&self.entries[index as usize]);
                let detached = self
                    .detached
                    .binary_search_by_key(&index, |d| d.0)
                    .map(|at| self.detached[at].1.iter().map(|c| c.to_string()).collect())
                    .unwrap_or_default();
                Location {
                    path: l.path.to_vec(),
                    span: if l.span[0] == l.span[2] {
                        vec![l.span[0], l.span[1], l.span[3]]
                    } else {
                        l.span.to_vec()
                    },
                    leading_comments: l.leading_comments.map(str::to_owned),
                    trailing_comments: l.trailing_comments.map(str::to_owned),
                    leading_detached_comments: detached,
                }
            })
            .collect();
        SourceCodeInfo { location }
    }

    /// Every location, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = Loc<'_>> {
        self.entries.iter().map(|e| self.loc(e))
    }
}

/// Whether a SourceCodeInfo path is an extension's `extendee`: `[7, i, 2]` in the file, or
/// `[4, i, (3, j)*, 6, k, 2]` in a message.
fn is_extendee(path: &[i32]) -> bool {
    let n = path.len();
    if n < 3 || path[n - 1] != 2 {
        return false;
    }
    if n == 3 {
        return path[0] == path::FILE_EXTENSION;
    }
    let message = &path[..n - 3];
    path[n - 3] == 6
        && message.len().is_multiple_of(2)
        && message[0] == path::FILE_MESSAGE
        && message.iter().step_by(2).skip(1).all(|&t| t == 3)
}

/// Index of a file's SourceCodeInfo by path.
#[derive(Default)]
pub struct Locations<'a> {
    info: std::borrow::Cow<'a, CompactInfo>,
}

impl<'a> Locations<'a> {
    /// For a parsed file (builds the compact form).
    pub fn new(file: &FileDescriptorProto) -> Locations<'static> {
        Locations {
            info: std::borrow::Cow::Owned(
                file.source_code_info
                    .as_ref()
                    .map(CompactInfo::new)
                    .unwrap_or_default(),
            ),
        }
    }

    pub fn from_compact(info: &'a CompactInfo) -> Self {
        Locations {
            info: std::borrow::Cow::Borrowed(info),
        }
    }

    /// The first location (in source order) of the element at `path`.
    pub fn get(&self, path: &[i32]) -> Option<Loc<'_>> {
        let info = &*self.info;
        let i = info.entries.partition_point(|e| info.path(e) < path);
        info.entries
            .get(i)
            .filter(|e| info.path(e) == path)
            .map(|e| info.loc(e))
    }

    pub fn span(&self, text: &SourceText, path: &[i32]) -> Option<Span> {
        self.get(path).and_then(|l| text.span_of_location(&l.span))
    }

    /// The location buf's lint gives an option path (bufprotosource's OptionExtensionLocation):
    /// the exact one; else the first in source order that lies inside `path`; else the nearest
    /// enclosing one whose path is at least `min_len` long (the option itself); else none.
    pub fn option_location(&self, path: &[i32], min_len: usize) -> Option<Loc<'_>> {
        if let Some(exact) = self.get(path) {
            return Some(exact);
        }
        let info = &*self.info;
        // Sorted by path: the locations inside `path` follow it in one run.
        let start = info.entries.partition_point(|e| info.path(e) < path);
        let inside = info.entries[start..]
            .iter()
            .take_while(|e| info.path(e).starts_with(path))
            .min_by_key(|e| (e.span[0], e.span[1]));
        if let Some(e) = inside {
            return Some(info.loc(e));
        }
        (min_len..path.len())
            .rev()
            .find_map(|len| self.get(&path[..len]))
    }

    /// The span of `path`, else of the nearest enclosing element that has one.
    pub fn span_or_parent(&self, text: &SourceText, path: &[i32]) -> Span {
        let mut path = path;
        loop {
            if let Some(span) = self.span(text, path) {
                return span;
            }
            if path.is_empty() {
                return text.first_line_span();
            }
            path = &path[..path.len() - 1];
        }
    }
}
