use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// Fields keep their names.
    ///
    /// ## What it does
    /// Checks that a field number keeps its name. A rename is reported once, here, not as a deletion
    /// plus an addition.
    ///
    /// ## Why
    /// The name is the JSON key and the accessor in every generated language; renaming breaks JSON
    /// clients and every caller's code.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   string comment = 3; // was note
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the name. To rename, add a new field with a new number and reserve the old number and
    /// name.
    pub struct FieldSameName;
}

impl BreakingRule for FieldSameName {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        let (before, now) = if previous.is_extension {
            (&previous.full_name, &current.full_name)
        } else {
            (&previous.name, &current.name)
        };
        if before == now {
            return;
        }
        let what = if current.is_extension {
            "extension"
        } else {
            "field"
        };
        cx.in_file(current.file.name()).report(
            &super::name_of(&current.path),
            format!(
                "{what} {} of `{}` was renamed from `{before}` to `{now}`",
                current.number, current.message
            ),
            Some(format!(
                "restore the name `{before}`; a rename changes the JSON key and generated code"
            )),
        );
    }
}
