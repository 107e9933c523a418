use prost_reflect::Kind;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks that a field's default value (`[default = ...]`, proto2) does not change.
    ///
    /// ## Why
    /// Readers fill absent fields with the default they were built with: two versions then disagree
    /// about the same bytes.
    ///
    /// ## Example
    /// ```proto
    /// optional int32 retries = 1 [default = 5]; // was 3
    /// ```
    ///
    /// ## Fix
    /// Restore the previous default.
    pub struct FieldSameDefault;
}

impl BreakingRule for FieldSameDefault {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if current.in_map_entry
            || current.is_list
            || matches!(current.kind, Kind::Message(_))
            || matches!(previous.kind, Kind::Message(_))
        {
            return;
        }
        if !previous.explicit_default && !current.explicit_default {
            return;
        }
        if std::mem::discriminant(&previous.kind) != std::mem::discriminant(&current.kind)
            || previous.default_value() == current.default_value()
        {
            return;
        }
        cx.report(
            current.file.name(),
            &super::sub(&current.path, &[7]),
            format!(
                "{} changed its default from {:?} to {:?}",
                current.describe(),
                previous.default_value(),
                current.default_value()
            ),
            Some("restore the previous default".into()),
            None,
        );
    }
}
