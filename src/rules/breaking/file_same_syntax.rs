use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Files keep the same syntax.
    ///
    /// ## What it does
    /// Checks that a file's syntax (proto2 or proto3) does not change.
    ///
    /// ## Why
    /// Syntax changes field presence, default values, enum openness, UTF-8 validation and the JSON
    /// format of every element of the file at once.
    ///
    /// ## Example
    /// ```proto
    /// syntax = "proto2"; // was "proto3"
    /// ```
    ///
    /// ## Fix
    /// Restore the previous syntax line.
    pub struct FileSameSyntax;
}

impl BreakingRule for FileSameSyntax {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let name = |f: &FileDescriptor| super::helpers::syntax_name(f).to_owned();
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "syntax",
            &[crate::source::locate::path::FILE_SYNTAX],
            name(previous),
            name(current),
        );
    }
}
