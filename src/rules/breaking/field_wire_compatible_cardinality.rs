use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// Fields keep a wire-compatible cardinality.
    ///
    /// ## What it does
    /// Checks that a field's cardinality changes only within a wire-compatible group: optional
    /// (explicit or implicit presence); required; repeated or map.
    ///
    /// ## Why
    /// Cardinality decides how values are encoded and read: a repeated field read as singular keeps
    /// only the last value, a map is not a repeated field in JSON.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   repeated string tags = 4; // was string tags = 4;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the previous cardinality; add a new field for the new shape.
    pub struct FieldWireCompatibleCardinality;
}

impl BreakingRule for FieldWireCompatibleCardinality {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        super::helpers::check_cardinality(cx, previous, current, super::helpers::wire_cardinality);
    }
}
