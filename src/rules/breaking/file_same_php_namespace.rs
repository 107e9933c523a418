use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `php_namespace`.
    ///
    /// ## What it does
    /// Checks that a file's `option php_namespace` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `php_namespace` decides where and under what name code is generated; changing it moves or
    /// renames generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option php_namespace = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option php_namespace`.
    pub struct FileSamePhpNamespace;
}

impl BreakingRule for FileSamePhpNamespace {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.php_namespace().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `php_namespace`",
            &[path::FILE_OPTIONS, path::file_options::PHP_NAMESPACE],
            value(previous),
            value(current),
        );
    }
}
