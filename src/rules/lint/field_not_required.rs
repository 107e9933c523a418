use prost_reflect::{Cardinality, FieldDescriptor};

use super::name_path;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// No field is `required`.
    ///
    /// ## What it does
    /// Checks that no field is `required` (proto2).
    ///
    /// ## Why
    /// A required field can never be removed: every reader rejects messages without it, so old
    /// binaries break the day a writer stops sending it. proto3 dropped `required` for this reason.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   required string id = 1;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Make the field `optional` and validate its presence in code.
    pub struct FieldNotRequired;
}

impl LintRule for FieldNotRequired {
    fn check_field(&self, cx: &mut Cx, field: &FieldDescriptor) {
        if field.cardinality() != Cardinality::Required {
            return;
        }
        cx.report(
            &name_path(field.path()),
            format!("field `{}` is required", field.full_name()),
            if crate::source::resolved::is_editions(&field.parent_file()) {
                "drop `features.field_presence = LEGACY_REQUIRED` and check for it in code"
            } else {
                "make it `optional` and check for it in code"
            }
            .to_owned(),
        );
    }
}
