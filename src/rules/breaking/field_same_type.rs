use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// Fields keep their types.
    ///
    /// ## What it does
    /// Checks that a field keeps exactly its type (scalar kind, or the same message or enum) and,
    /// for a message, its encoding: a group (proto2 `group`, editions'
    /// `features.message_encoding = DELIMITED`) is not a length-prefixed message.
    ///
    /// ## Why
    /// Generated code uses the type; any change breaks callers even when the wire stays compatible.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   int64 total = 2; // was int32
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the type; add a new field for the new type.
    pub struct FieldSameType;
}

impl BreakingRule for FieldSameType {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if super::helpers::same_encoded_kind(previous, current) {
            return;
        }
        let same_kind = super::helpers::same_kind(&previous.kind, &current.kind);
        cx.in_file(current.file.name()).report(
            &super::helpers::type_path(current),
            format!(
                "{} changed type from {} to {}",
                current.describe(),
                previous.encoded_type_name(),
                current.encoded_type_name()
            ),
            Some(if same_kind {
                "restore the previous encoding (`features.message_encoding`, or `group`), or add \
                 a new field with a new number"
                    .to_owned()
            } else {
                format!(
                    "restore `{}`, or add a new field with a new number",
                    previous.type_name()
                )
            }),
        );
    }
}
