use prost_reflect::MessageDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Oneofs are not deleted.
    ///
    /// ## What it does
    /// Checks that no oneof is deleted from a message (the synthetic oneofs of proto3 `optional` fields
    /// do not count).
    ///
    /// ## Why
    /// Generated code exposes a oneof as its own type or case enum; deleting it breaks code that
    /// switches on it.
    ///
    /// ## Example
    /// ```proto
    /// message Payment {
    ///   // oneof method { ... } deleted
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the oneof.
    pub struct OneofNoDelete;
}

impl BreakingRule for OneofNoDelete {
    fn check_message_pair(
        &self,
        cx: &mut BCx,
        previous: &MessageDescriptor,
        current: &MessageDescriptor,
    ) {
        for oneof in previous.oneofs().filter(|o| !o.is_synthetic()) {
            if current
                .oneofs()
                .any(|o| o.name() == oneof.name() && !o.is_synthetic())
            {
                continue;
            }
            cx.in_file(current.parent_file().name()).report(
                &super::name_of(current.path()),
                format!(
                    "oneof `{}` of `{}` was deleted",
                    oneof.name(),
                    current.full_name()
                ),
                Some("restore the oneof".into()),
            );
        }
    }
}
