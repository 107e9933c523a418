use prost_reflect::FileDescriptor;

use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// ## What it does
    /// Checks that every file declares its syntax (`syntax = "proto3";`) or edition.
    ///
    /// ## Why
    /// A file without a syntax line is compiled as proto2, which changes field presence, default
    /// values and enum handling. Usually that is not what the author meant.
    ///
    /// ## Example
    /// ```proto
    /// package acme.shop.v1;
    /// message Order {}
    /// ```
    ///
    /// ## Fix
    /// Add `syntax = "proto3";` (or `syntax = "proto2";` if proto2 is intended) as the first line.
    pub struct SyntaxSpecified;
}

impl LintRule for SyntaxSpecified {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        let proto = file.file_descriptor_proto();
        if proto.syntax.is_some()
            || cx.has_location(&[path::FILE_SYNTAX])
            || cx.has_location(&[path::FILE_EDITION])
        {
            return;
        }
        let message = format!("`{}` does not declare its syntax", cx.file_name());
        cx.report_top(
            message,
            "add `syntax = \"proto3\";` as the first line".to_owned(),
        );
    }
}
