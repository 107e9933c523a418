use prost_reflect::EnumDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Deleted enum values have their number reserved (fixable).
    ///
    /// ## What it does
    /// Checks that a deleted enum value's number is reserved.
    ///
    /// ## Why
    /// An unreserved number can be given to a new value later; old data then means the wrong thing.
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
    /// Add `reserved 1;` to the enum (`--fix` does this).
    pub struct EnumValueNoDeleteUnlessNumberReserved;
}

impl BreakingRule for EnumValueNoDeleteUnlessNumberReserved {
    fn check_enum_pair(&self, cx: &mut BCx, previous: &EnumDescriptor, current: &EnumDescriptor) {
        let deleted = super::helpers::deleted_enum_values(previous, current);
        let unreserved_numbers: Vec<i64> = deleted
            .iter()
            .filter(|(n, _)| !super::helpers::enum_number_reserved(current, *n))
            .map(|(n, _)| *n as i64)
            .collect();
        for (number, names) in &deleted {
            let number = *number;
            if super::helpers::enum_number_reserved(current, number) {
                continue;
            }
            let fix = super::reserve_fix(
                cx,
                &super::Reserve::enumeration(
                    current.parent_file().name(),
                    current.path(),
                    unreserved_numbers.iter().map(|n| (*n, *n)).collect(),
                    Vec::new(),
                ),
            );
            cx.in_file(current.parent_file().name()).report_with_fix(&super::name_of(current.path()), format!("value {number} `{}` of enum `{}` was deleted but its number is not reserved; add `reserved {number};`", names.join("`, `"), current.full_name()), Some(format!("add `reserved {number};` to enum `{}`", current.name())), fix);
        }
    }
}
