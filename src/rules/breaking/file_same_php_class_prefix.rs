use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `php_class_prefix`.
    ///
    /// ## What it does
    /// Checks that a file's `option php_class_prefix` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `php_class_prefix` decides where and under what name code is generated; changing it moves or
    /// renames generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option php_class_prefix = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option php_class_prefix`.
    pub struct FileSamePhpClassPrefix;
}

impl BreakingRule for FileSamePhpClassPrefix {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.php_class_prefix().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `php_class_prefix`",
            &[path::FILE_OPTIONS, path::file_options::PHP_CLASS_PREFIX],
            value(previous),
            value(current),
        );
    }
}
