use prost_reflect::MessageDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Fields are not deleted.
    ///
    /// ## What it does
    /// Checks that no field is deleted from a message.
    ///
    /// ## Why
    /// Clients that still read or write the field silently lose it.
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
    /// Restore the field.
    pub struct FieldNoDelete;
}

impl BreakingRule for FieldNoDelete {
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
        for field in &deleted {
            cx.in_file(current.parent_file().name()).report(
                &super::name_of(current.path()),
                format!(
                    "field {} `{}` of `{}` was deleted",
                    field.number(),
                    field.name(),
                    current.full_name()
                ),
                Some(format!(
                    "restore it: generated code loses the field even when it is reserved \
                     (`reserved {};` and `reserved \"{}\";` satisfy only the WIRE and WIRE_JSON \
                     rules)",
                    field.number(),
                    field.name()
                )),
            );
        }
    }
}
