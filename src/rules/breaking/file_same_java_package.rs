use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `java_package`.
    ///
    /// ## What it does
    /// Checks that a file's `option java_package` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `java_package` decides where and under what name code is generated; changing it moves or renames
    /// generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option java_package = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option java_package`.
    pub struct FileSameJavaPackage;
}

impl BreakingRule for FileSameJavaPackage {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.java_package().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `java_package`",
            &[path::FILE_OPTIONS, path::file_options::JAVA_PACKAGE],
            value(previous),
            value(current),
        );
    }
}
