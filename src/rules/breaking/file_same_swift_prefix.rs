use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `swift_prefix`.
    ///
    /// ## What it does
    /// Checks that a file's `option swift_prefix` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `swift_prefix` decides where and under what name code is generated; changing it moves or renames
    /// generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option swift_prefix = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option swift_prefix`.
    pub struct FileSameSwiftPrefix;
}

impl BreakingRule for FileSameSwiftPrefix {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.swift_prefix().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `swift_prefix`",
            &[path::FILE_OPTIONS, path::file_options::SWIFT_PREFIX],
            value(previous),
            value(current),
        );
    }
}
