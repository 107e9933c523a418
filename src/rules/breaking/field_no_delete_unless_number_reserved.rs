use prost_reflect::MessageDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Deleted fields have their number reserved (fixable).
    ///
    /// ## What it does
    /// Checks that the number of a deleted field is reserved in its message.
    ///
    /// ## Why
    /// An unreserved number can be given to a new field, and old data then fills the new field with a
    /// value of the old one: the classic silent corruption.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   string id = 1;
    ///   // string note = 3; deleted
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `reserved 3;` (`--fix` does this).
    pub struct FieldNoDeleteUnlessNumberReserved;
}

impl BreakingRule for FieldNoDeleteUnlessNumberReserved {
    fn check_message_pair(
        &self,
        cx: &mut BCx,
        previous: &MessageDescriptor,
        current: &MessageDescriptor,
    ) {
        let deleted = super::helpers::deleted_fields(previous, current);
        if deleted.is_empty() {
            return;
        }
        let unreserved_numbers: Vec<i64> = deleted
            .iter()
            .filter(|f| !super::helpers::message_number_reserved(current, f.number()))
            .map(|f| f.number() as i64)
            .collect();
        for field in &deleted {
            if super::helpers::message_number_reserved(current, field.number()) {
                continue;
            }
            let fix = super::reserve_fix(
                cx,
                &super::Reserve::message(
                    current.parent_file().name(),
                    current.path(),
                    unreserved_numbers.iter().map(|n| (*n, *n)).collect(),
                    Vec::new(),
                ),
            );
            cx.in_file(current.parent_file().name()).report_with_fix(&super::name_of(current.path()), format!("field {} `{}` of `{}` was deleted but its number is not reserved; add `reserved {};`", field.number(), field.name(), current.full_name(), field.number()), Some(format!("add `reserved {};` to message `{}`", field.number(), current.name())), fix);
        }
    }
}
