use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `csharp_namespace`.
    ///
    /// ## What it does
    /// Checks that a file's `option csharp_namespace` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `csharp_namespace` decides where and under what name code is generated; changing it moves or
    /// renames generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option csharp_namespace = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option csharp_namespace`.
    pub struct FileSameCsharpNamespace;
}

impl BreakingRule for FileSameCsharpNamespace {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.csharp_namespace().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `csharp_namespace`",
            &[path::FILE_OPTIONS, path::file_options::CSHARP_NAMESPACE],
            value(previous),
            value(current),
        );
    }
}
