use prost_reflect::Kind;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks that a string field keeps its Java UTF-8 validation (`java_string_check_utf8`, or the
    /// syntax default).
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
    /// Restore the previous `java_string_check_utf8`.
    pub struct FieldSameJavaUtf8Validation;
}

impl BreakingRule for FieldSameJavaUtf8Validation {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if !matches!(previous.kind, Kind::String) || !matches!(current.kind, Kind::String) {
            return;
        }
        let verify = |f: &FieldView| {
            let check = f
                .file
                .file_descriptor_proto()
                .options
                .as_ref()
                .and_then(|o| o.java_string_check_utf8)
                .unwrap_or(false);
            check || f.utf8_verified
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
