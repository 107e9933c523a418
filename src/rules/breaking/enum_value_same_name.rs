use prost_reflect::EnumValueDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Enum values keep their names.
    ///
    /// ## What it does
    /// Checks that an enum value number keeps its name (with aliases, every previous name must still be
    /// there; new aliases are fine).
    ///
    /// ## Why
    /// JSON and text formats carry the name; renaming a value breaks every reader and writer that uses
    /// it.
    ///
    /// ## Example
    /// ```proto
    /// enum Status {
    ///   STATUS_FINISHED = 1; // was STATUS_DONE
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the name; to rename, add the new value with a new number and reserve the old one.
    pub struct EnumValueSameName;
}

impl BreakingRule for EnumValueSameName {
    fn check_enum_value_pair(
        &self,
        cx: &mut BCx,
        number: i32,
        previous: &[EnumValueDescriptor],
        current: &[EnumValueDescriptor],
    ) {
        // Every previous name must still be there (new aliases are fine, lost ones are not).
        let before: Vec<&str> = previous.iter().map(|v| v.name()).collect();
        let now: Vec<&str> = current.iter().map(|v| v.name()).collect();
        if before.iter().all(|n| now.contains(n)) {
            return;
        }
        for value in current {
            cx.in_file(value.parent_enum().parent_file().name()).report(
                &super::sub(
                    value.path(),
                    &[crate::source::locate::path::ENUM_VALUE_NUMBER],
                ),
                format!(
                    "value {number} of enum `{}` was renamed from `{}` to `{}`",
                    value.parent_enum().full_name(),
                    before.join("`, `"),
                    now.join("`, `")
                ),
                Some(format!(
                    "restore the name `{}`; JSON carries it",
                    before.join("`, `")
                )),
            );
        }
    }
}
