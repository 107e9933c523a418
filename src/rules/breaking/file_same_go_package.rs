use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `go_package`.
    ///
    /// ## What it does
    /// Checks that a file's `option go_package` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `go_package` decides where and under what name code is generated; changing it moves or renames
    /// generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option go_package = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option go_package`.
    pub struct FileSameGoPackage;
}

impl BreakingRule for FileSameGoPackage {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.go_package().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `go_package`",
            &[path::FILE_OPTIONS, path::file_options::GO_PACKAGE],
            value(previous),
            value(current),
        );
    }
}
