use prost_reflect::EnumDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Deleted enum values have their name reserved (fixable).
    ///
    /// ## What it does
    /// Checks that a deleted enum value's name is reserved.
    ///
    /// ## Why
    /// The name is what JSON carries; an unreserved name can be reused for a different number, and old
    /// JSON then decodes to the wrong value.
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
    /// Add `reserved "STATUS_DONE";` to the enum (`--fix` does this).
    pub struct EnumValueNoDeleteUnlessNameReserved;
}

impl BreakingRule for EnumValueNoDeleteUnlessNameReserved {
    fn check_enum_pair(&self, cx: &mut BCx, previous: &EnumDescriptor, current: &EnumDescriptor) {
        let deleted = super::helpers::deleted_enum_values(previous, current);
        let unreserved_names: Vec<String> = deleted
            .iter()
            .flat_map(|(_, names)| names.iter())
            .filter(|n| !super::helpers::enum_name_reserved(current, n))
            .cloned()
            .collect();
        for (number, names) in &deleted {
            let number = *number;
            if names
                .iter()
                .all(|n| super::helpers::enum_name_reserved(current, n))
            {
                continue;
            }
            let fix = super::reserve_fix(
                cx,
                &super::Reserve::enumeration(
                    current.parent_file().name(),
                    current.path(),
                    Vec::new(),
                    unreserved_names.clone(),
                ),
            );
            cx.in_file(current.parent_file().name()).report_with_fix(&super::name_of(current.path()), format!("value {number} `{}` of enum `{}` was deleted but its name is not reserved; add `reserved {};`", names.join("`, `"), current.full_name(), super::name_list(names)), Some(format!("add `reserved {};` to enum `{}`", super::name_list(names), current.name())), fix);
        }
    }
}
