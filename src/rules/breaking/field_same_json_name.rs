use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// Fields keep their JSON names.
    ///
    /// ## What it does
    /// Checks that a field's `json_name` does not change. A plain rename is reported by FIELD_SAME_NAME
    /// only.
    ///
    /// ## Why
    /// The JSON name is the key JSON clients read and write.
    ///
    /// ## Example
    /// ```proto
    /// string note = 3 [json_name = "remark"]; // was "note"
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `json_name`.
    pub struct FieldSameJsonName;
}

impl BreakingRule for FieldSameJsonName {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if previous.is_extension || previous.json_name == current.json_name {
            return;
        }
        // A rename without explicit json_name changes the JSON name too: FIELD_SAME_NAME says so.
        if previous.name != current.name
            && !previous.explicit_json_name
            && !current.explicit_json_name
        {
            return;
        }
        cx.in_file(current.file.name()).report(
            &super::sub(
                &current.path,
                &[crate::source::locate::path::field::JSON_NAME],
            ),
            format!(
                "{} changed its JSON name from `{}` to `{}`",
                current.describe(),
                previous.json_name,
                current.json_name
            ),
            Some(format!("restore `json_name = \"{}\"`", previous.json_name)),
        );
    }
}
