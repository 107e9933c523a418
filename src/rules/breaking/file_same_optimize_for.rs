use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `optimize_for`.
    ///
    /// ## What it does
    /// Checks that a file's `option optimize_for` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `optimize_for` decides where and under what name code is generated; changing it moves or renames
    /// generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option optimize_for = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option optimize_for`.
    pub struct FileSameOptimizeFor;
}

impl BreakingRule for FileSameOptimizeFor {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.optimize_for().as_str_name().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `optimize_for`",
            &[path::FILE_OPTIONS, path::file_options::OPTIMIZE_FOR],
            value(previous),
            value(current),
        );
    }
}
