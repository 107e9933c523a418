use prost_reflect::EnumDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Enum values are not deleted.
    ///
    /// ## What it does
    /// Checks that no enum value is deleted.
    ///
    /// ## Why
    /// Readers that still send or expect the value break.
    ///
    /// ## Example
    /// ```proto
    /// enum Status {
    ///   STATUS_UNSPECIFIED = 0;
    ///   // STATUS_DONE = 1; deleted
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the value.
    pub struct EnumValueNoDelete;
}

impl BreakingRule for EnumValueNoDelete {
    fn check_enum_pair(&self, cx: &mut BCx, previous: &EnumDescriptor, current: &EnumDescriptor) {
        let deleted = super::helpers::deleted_enum_values(previous, current);
        for (number, names) in &deleted {
            let number = *number;
            cx.in_file(current.parent_file().name()).report(
                &super::name_of(current.path()),
                format!(
                    "value {number} `{}` of enum `{}` was deleted",
                    names.join("`, `"),
                    current.full_name()
                ),
                Some(format!(
                    "restore it, or reserve it: `reserved {number};` and `reserved {};`",
                    super::name_list(names)
                )),
            );
        }
    }
}
