use prost_reflect::Kind;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// String fields keep their UTF-8 validation.
    ///
    /// ## What it does
    /// Checks that a string field keeps its UTF-8 validation (proto3 verifies, proto2 does not).
    ///
    /// ## Why
    /// A reader that starts validating rejects data that was accepted before.
    ///
    /// ## Example
    /// ```proto
    /// // the field's file moved from proto2 to proto3
    /// ```
    ///
    /// ## Fix
    /// Keep the field's file in its previous syntax.
    pub struct FieldSameUtf8Validation;
}

impl BreakingRule for FieldSameUtf8Validation {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if !matches!(previous.kind, Kind::String) || !matches!(current.kind, Kind::String) {
            return;
        }
        let verify = |f: &FieldView| f.utf8_verified;
        if verify(previous) == verify(current) {
            return;
        }
        let word = |v: bool| if v { "VERIFY" } else { "NONE" };
        cx.in_file(current.file.name()).report(
            &super::name_of(&current.path),
            format!(
                "{} changed UTF-8 validation from {} to {}",
                current.describe(),
                word(verify(previous)),
                word(verify(current))
            ),
            Some("keep the previous syntax or `features.utf8_validation`".into()),
        );
    }
}
