use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Files keep the same `cc_enable_arenas`.
    ///
    /// ## What it does
    /// Checks that a file's `option cc_enable_arenas` keeps its value (an unset option counts as its
    /// default).
    ///
    /// ## Why
    /// `cc_enable_arenas` decides where and under what name code is generated; changing it moves or
    /// renames generated code under its users.
    ///
    /// ## Example
    /// ```proto
    /// option cc_enable_arenas = ...; // changed between versions
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `option cc_enable_arenas`.
    pub struct FileSameCcEnableArenas;
}

impl BreakingRule for FileSameCcEnableArenas {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let value = |f: &FileDescriptor| {
            let o = f
                .file_descriptor_proto()
                .options
                .clone()
                .unwrap_or_default();
            o.cc_enable_arenas().to_string()
        };
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "option `cc_enable_arenas`",
            &[path::FILE_OPTIONS, path::file_options::CC_ENABLE_ARENAS],
            value(previous),
            value(current),
        );
    }
}
