use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// Field type changes are wire- and JSON-compatible.
    ///
    /// ## What it does
    /// Checks that a field's type changes only to one compatible on the wire and in JSON (int32/uint32;
    /// int64/uint64; fixed32/sfixed32; fixed64/sfixed64; an enum to a superset enum of the same name).
    ///
    /// ## Why
    /// JSON writes 64-bit integers as strings and 32-bit ones as numbers, and bytes as base64: a type
    /// that is compatible on the wire can still break JSON clients.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   string total = 2; // was int64
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore a compatible type; add a new field with a new number for the new type.
    pub struct FieldWireJsonCompatibleType;
}

impl BreakingRule for FieldWireJsonCompatibleType {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if super::helpers::same_encoded_kind(previous, current) {
            return;
        }
        // A message that becomes a group (or delimited) or stops being one is read wrongly.
        let compatible = previous.is_group == current.is_group
            && super::helpers::wire_json_group(&previous.kind)
                == super::helpers::wire_json_group(&current.kind)
            && super::helpers::same_referenced_type(&previous.kind, &current.kind);
        if compatible {
            return;
        }
        cx.in_file(current.file.name()).report(
            &super::helpers::type_path(current),
            format!(
                "{} changed type from {} to {}, which is not wire and JSON compatible",
                current.describe(),
                previous.encoded_type_name(),
                current.encoded_type_name()
            ),
            Some(format!(
                "restore `{}`, or add a new field with a new number and reserve {}",
                previous.type_name(),
                current.number
            )),
        );
    }
}
