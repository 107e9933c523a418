use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `py_generic_services`.
    ///
    /// ## What it does
    /// Checks that a file's `option py_generic_services` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `py_generic_services` decides where and under what name code is generated; changing it moves or
    /// renames generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option py_generic_services = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option py_generic_services`.
    pub struct FileSamePyGenericServices;
}

impl BreakingRule for FileSamePyGenericServices {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.py_generic_services().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `py_generic_services`",
            &[path::FILE_OPTIONS, path::file_options::PY_GENERIC_SERVICES],
            value(previous),
            value(current),
        );
    }
}
