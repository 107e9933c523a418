use prost_reflect::Kind;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks that a string field keeps its Java UTF-8 validation (`java_string_check_utf8`, in
    /// editions `features.(pb.java).utf8_validation`, or the field's own UTF-8 validation).
    ///
    /// ## Why
    /// Java readers that start validating reject data that was accepted before.
    ///
    /// ## Example
    /// ```proto
    /// option java_string_check_utf8 = true; // was unset in a proto2 file
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `java_string_check_utf8` or `(pb.java).utf8_validation`.
    pub struct FieldSameJavaUtf8Validation;
}

impl BreakingRule for FieldSameJavaUtf8Validation {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if !matches!(previous.kind, Kind::String) || !matches!(current.kind, Kind::String) {
            return;
        }
        let verify = |f: &FieldView| {
            crate::source::resolved::java_utf8_verified(
                f.utf8_verified,
                &f.file,
                &f.feature_scopes(),
            )
        };
        if verify(previous) == verify(current) {
            return;
        }
        let word = |v: bool| if v { "VERIFY" } else { "NONE" };
        cx.report(
            current.file.name(),
            &super::name_of(&current.path),
            format!(
                "{} changed Java UTF-8 validation from {} to {}",
                current.describe(),
                word(verify(previous)),
                word(verify(current))
            ),
            Some("restore the previous `java_string_check_utf8`".into()),
            None,
        );
    }
}
