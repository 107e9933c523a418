//! SourceCodeInfo: descriptor paths -> spans and comments.

use std::collections::HashMap;

use prost_types::FileDescriptorProto;
use prost_types::source_code_info::Location;

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

/// Index of a file's SourceCodeInfo by path.
pub struct Locations<'a> {
    by_path: HashMap<&'a [i32], &'a Location>,
}

impl<'a> Locations<'a> {
    pub fn new(file: &'a FileDescriptorProto) -> Self {
        let mut by_path = HashMap::new();
        if let Some(info) = &file.source_code_info {
            for location in &info.location {
                // The first location for a path is the declaration itself.
                by_path.entry(location.path.as_slice()).or_insert(location);
            }
        }
        Locations { by_path }
    }

    pub fn get(&self, path: &[i32]) -> Option<&'a Location> {
        self.by_path.get(path).copied()
    }

    pub fn span(&self, text: &SourceText, path: &[i32]) -> Option<Span> {
        self.get(path).and_then(|l| text.span_of_location(&l.span))
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
