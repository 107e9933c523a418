use prost_reflect::Kind;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

/// `FileDescriptorProto.options`.
const FILE_OPTIONS: i32 = 8;
/// `FileOptions.java_string_check_utf8`.
const JAVA_STRING_CHECK_UTF8: i32 = 27;

declare_rule! {
    /// String fields keep their Java UTF-8 validation.
    ///
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
        // buf points at the file's `java_string_check_utf8` when it has one, whatever the field
        // says, else at the field.
        let file_option = [FILE_OPTIONS, JAVA_STRING_CHECK_UTF8];
        let at = if cx.has_location(current.file.name(), &file_option) {
            file_option.to_vec()
        } else {
            super::name_of(&current.path)
        };
        cx.in_file(current.file.name()).report(
            &at,
            format!(
                "{} changed Java UTF-8 validation from {} to {}",
                current.describe(),
                word(verify(previous)),
                word(verify(current))
            ),
            Some("restore the previous `java_string_check_utf8`".into()),
        );
    }
}
