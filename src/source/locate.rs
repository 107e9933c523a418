//! SourceCodeInfo: descriptor paths -> spans and comments.

use prost_types::source_code_info::Location;
use prost_types::{FileDescriptorProto, SourceCodeInfo};

use super::text::{SourceText, Span};

/// Field numbers of descriptor.proto used to build SourceCodeInfo paths.
pub mod path {
    pub const FILE_PACKAGE: i32 = 2;
    pub const FILE_DEPENDENCY: i32 = 3;
    pub const FILE_MESSAGE: i32 = 4;
    pub const FILE_ENUM: i32 = 5;
    pub const FILE_SERVICE: i32 = 6;
    pub const FILE_EXTENSION: i32 = 7;
    pub const FILE_SYNTAX: i32 = 12;
    pub const FILE_EDITION: i32 = 14;

    pub const MESSAGE_FIELD: i32 = 2;
    pub const MESSAGE_NESTED: i32 = 3;
    pub const MESSAGE_ENUM: i32 = 4;
    pub const MESSAGE_EXTENSION: i32 = 6;
    pub const MESSAGE_RESERVED_RANGE: i32 = 9;
    pub const MESSAGE_RESERVED_NAME: i32 = 10;

    pub const ENUM_VALUE: i32 = 2;
    pub const ENUM_RESERVED_RANGE: i32 = 4;
    pub const ENUM_RESERVED_NAME: i32 = 5;

    pub const NAME: i32 = 1;
    pub const FIELD_NUMBER: i32 = 3;
    pub const FIELD_TYPE_NAME: i32 = 6;
    pub const ENUM_VALUE_NUMBER: i32 = 2;
    pub const METHOD_INPUT: i32 = 2;
    pub const METHOD_OUTPUT: i32 = 3;
}

/// Index of a file's SourceCodeInfo by path: the locations sorted by (path, position), searched
/// by bisection (no hashing; protox already writes them sorted, so usually no sorting either).
#[derive(Default)]
pub struct Locations<'a> {
    sorted: Vec<&'a Location>,
}

fn by_path_then_span(a: &Location, b: &Location) -> std::cmp::Ordering {
    a.path.cmp(&b.path).then_with(|| a.span.cmp(&b.span))
}

impl<'a> Locations<'a> {
    pub fn new(file: &'a FileDescriptorProto) -> Self {
        match &file.source_code_info {
            Some(info) => Self::from_info(info),
            None => Locations::default(),
        }
    }

    pub fn from_info(info: &'a SourceCodeInfo) -> Self {
        let mut sorted: Vec<&Location> = info.location.iter().collect();
        if !sorted.is_sorted_by(|a, b| by_path_then_span(a, b).is_le()) {
            sorted.sort_by(|a, b| by_path_then_span(a, b));
        }
        Locations { sorted }
    }

    /// The first location (in source order) of the element at `path`.
    pub fn get(&self, path: &[i32]) -> Option<&'a Location> {
        let i = self.sorted.partition_point(|l| l.path.as_slice() < path);
        self.sorted.get(i).filter(|l| l.path == path).copied()
    }

    pub fn span(&self, text: &SourceText, path: &[i32]) -> Option<Span> {
        self.get(path).and_then(|l| text.span_of_location(&l.span))
    }

    /// Where the first top-level statement starts (syntax, package, import, option, definition).
    pub fn first_statement_start(&self, text: &SourceText) -> Option<usize> {
        self.sorted
            .iter()
            .filter(|l| !l.path.is_empty() && l.path.len() <= 2)
            .filter_map(|l| text.span_of_location(&l.span))
            .map(|s| s.start)
            .min()
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
