use prost_reflect::FileDescriptor;

use crate::diagnostic::{Edit, Fix};
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
        let help = "add `syntax = \"proto3\";` as the first line (`--fix` does this)".to_owned();
        // The first statement: the earliest top-level element in the file.
        let first = cx
            .text()
            .and_then(|t| cx.locations().first_statement_start(t));
        match (first, cx.text()) {
            (Some(offset), Some(text)) => {
                let at = text.insertion_point_before(offset);
                let fix = Fix {
                    description: "added `syntax = \"proto3\";`".into(),
                    edits: vec![Edit {
                        start: at,
                        end: at,
                        replacement: "syntax = \"proto3\";\n\n".into(),
                    }],
                };
                cx.report_top_with_fix(message, help, fix);
            }
            _ => cx.report_top(message, help),
        }
    }
}
