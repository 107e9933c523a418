use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// Fields stay in (or out of) the same oneof.
    ///
    /// ## What it does
    /// Checks that a field does not move into, out of, or between oneofs (proto3 `optional` does not
    /// count).
    ///
    /// ## Why
    /// Oneof membership changes the wire semantics: setting one member clears the others, and generated
    /// accessors change shape.
    ///
    /// ## Example
    /// ```proto
    /// message Payment {
    ///   oneof method {
    ///     string card = 1; // was outside the oneof
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Move the field back.
    pub struct FieldSameOneof;
}

impl BreakingRule for FieldSameOneof {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if previous.is_extension || previous.oneof == current.oneof {
            return;
        }
        let place = |o: &Option<String>| match o {
            Some(name) => format!("oneof `{name}`"),
            None => "no oneof".to_owned(),
        };
        cx.in_file(current.file.name()).report(
            &super::name_of(&current.path),
            format!(
                "{} moved from {} to {}",
                current.describe(),
                place(&previous.oneof),
                place(&current.oneof)
            ),
            Some("move it back; oneof membership changes what setting it clears".into()),
        );
    }
}
