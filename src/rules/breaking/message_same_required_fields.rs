use prost_reflect::{Cardinality, MessageDescriptor};

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// No required field is added or deleted.
    ///
    /// ## What it does
    /// Checks that a message gains no `required` field and loses none.
    ///
    /// ## Why
    /// Every reader rejects a message without its required fields, so old and new binaries stop
    /// understanding each other.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   required string id = 1; // added
    /// }
    /// ```
    ///
    /// ## Fix
    /// Make the field optional.
    pub struct MessageSameRequiredFields;
}

impl BreakingRule for MessageSameRequiredFields {
    fn check_message_pair(
        &self,
        cx: &mut BCx,
        previous: &MessageDescriptor,
        current: &MessageDescriptor,
    ) {
        let required = |m: &MessageDescriptor| -> Vec<u32> {
            m.fields()
                .filter(|f| f.cardinality() == Cardinality::Required)
                .map(|f| f.number())
                .collect()
        };
        let (before, now) = (required(previous), required(current));
        for n in before.iter().filter(|n| !now.contains(n)) {
            cx.in_file(current.parent_file().name()).report(
                &super::name_of(current.path()),
                format!(
                    "required field {n} of `{}` was deleted or made optional",
                    current.full_name()
                ),
                Some("readers that still require it reject every new message; restore it".into()),
            );
        }
        for field in current
            .fields()
            .filter(|f| now.contains(&f.number()) && !before.contains(&f.number()))
        {
            cx.in_file(current.parent_file().name()).report(
                &super::name_of(field.path()),
                format!(
                    "required field {} `{}` was added to `{}`",
                    field.number(),
                    field.name(),
                    current.full_name()
                ),
                Some("old writers never send it; make it optional".into()),
            );
        }
    }
}
