use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `java_outer_classname`.
    ///
    /// ## What it does
    /// Checks that a file's `option java_outer_classname` keeps its value (an unset option counts as
    /// its default).
    ///
    /// ## Why
    /// `java_outer_classname` decides where and under what name code is generated; changing it moves or
    /// renames generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option java_outer_classname = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option java_outer_classname`.
    pub struct FileSameJavaOuterClassname;
}

impl BreakingRule for FileSameJavaOuterClassname {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.java_outer_classname().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `java_outer_classname`",
            &[path::FILE_OPTIONS, path::file_options::JAVA_OUTER_CLASSNAME],
            value(previous),
            value(current),
        );
    }
}
