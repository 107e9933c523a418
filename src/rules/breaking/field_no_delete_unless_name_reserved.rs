use prost_reflect::MessageDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Deleted fields have their name reserved (fixable).
    ///
    /// ## What it does
    /// Checks that the name of a deleted field is reserved in its message.
    ///
    /// ## Why
    /// JSON carries the name. An unreserved name can come back with another number, and old JSON then
    /// lands in the wrong field.
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
    /// Add `reserved "note";` (`--fix` does this).
    pub struct FieldNoDeleteUnlessNameReserved;
}

impl BreakingRule for FieldNoDeleteUnlessNameReserved {
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
        let unreserved_names: Vec<String> = deleted
            .iter()
            .filter(|f| !super::helpers::message_name_reserved(current, f.name()))
            .map(|f| f.name().to_owned())
            .collect();
        for field in &deleted {
            if super::helpers::message_name_reserved(current, field.name()) {
                continue;
            }
            let fix = super::reserve_fix(
                cx,
                &super::Reserve::message(
                    current.parent_file().name(),
                    current.path(),
                    Vec::new(),
                    unreserved_names.clone(),
                ),
            );
            cx.in_file(current.parent_file().name()).report_with_fix(&super::name_of(current.path()), format!("field {} `{}` of `{}` was deleted but its name is not reserved; add `reserved \"{}\";`", field.number(), field.name(), current.full_name(), field.name()), Some(format!("add `reserved \"{}\";` to message `{}`", field.name(), current.name())), fix);
        }
    }
}
