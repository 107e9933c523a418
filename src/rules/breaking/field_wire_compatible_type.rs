use prost_reflect::Kind;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// Field type changes are wire-compatible.
    ///
    /// ## What it does
    /// Checks that a field's type changes only to a wire-compatible one
    /// (int32/int64/uint32/uint64/bool; sint32/sint64; fixed32/sfixed32; fixed64/sfixed64; string to
    /// bytes; an enum to a superset enum of the same name).
    ///
    /// ## Why
    /// Readers decode the bytes with their own type: incompatible types read garbage or fail.
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
    pub struct FieldWireCompatibleType;
}

impl BreakingRule for FieldWireCompatibleType {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if super::helpers::same_encoded_kind(previous, current) {
            return;
        }
        // A message that becomes a group (or delimited) or stops being one is read wrongly.
        let compatible = previous.is_group == current.is_group
            && super::helpers::wire_group(&previous.kind)
                == super::helpers::wire_group(&current.kind)
            && super::helpers::same_referenced_type(&previous.kind, &current.kind)
            || matches!((&previous.kind, &current.kind), (Kind::String, Kind::Bytes));
        if compatible {
            return;
        }
        cx.in_file(current.file.name()).report(
            &super::helpers::type_path(current),
            format!(
                "{} changed type from {} to {}, which is not wire compatible",
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
