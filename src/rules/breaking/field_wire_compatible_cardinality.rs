use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
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
        if previous.in_map_entry && current.in_map_entry {
            return;
        }
        let (before, now) = (
            super::helpers::cardinality(previous),
            super::helpers::cardinality(current),
        );
        if super::helpers::wire_cardinality(before) == super::helpers::wire_cardinality(now) {
            return;
        }
        cx.report(
            current.file.name(),
            &super::helpers::label_path(cx, current),
            format!(
                "{} changed cardinality from {} to {}",
                current.describe(),
                before.describe(),
                now.describe()
            ),
            Some("restore the previous cardinality, or add a new field".into()),
            None,
        );
    }
}
