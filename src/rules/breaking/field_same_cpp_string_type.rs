use prost_reflect::Kind;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;
use crate::source::resolved::cpp_string;

declare_rule! {
    /// String fields keep their C++ string type.
    ///
    /// ## What it does
    /// Checks that a string or bytes field keeps its C++ string type: `ctype`, or in editions
    /// `features.(pb.cpp).string_type` (from the field, its messages or its file). STRING_PIECE
    /// to STRING is allowed.
    ///
    /// ## Why
    /// The C++ accessors change type with the string type.
    ///
    /// ## Example
    /// ```proto
    /// string blob = 1 [ctype = CORD]; // was unset
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `ctype` or `string_type`.
    pub struct FieldSameCppStringType;
}

impl BreakingRule for FieldSameCppStringType {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        let stringy = |k: &Kind| matches!(k, Kind::String | Kind::Bytes);
        if previous.in_map_entry || !stringy(&previous.kind) || !stringy(&current.kind) {
            return;
        }
        let (before, now) = (previous.cpp_string_type(), current.cpp_string_type());
        // STRING_PIECE was always stored as a string: STRING_PIECE -> STRING is safe.
        if before == now || (before.1 && now == (cpp_string::STRING, false)) {
            return;
        }
        let name = |(string_type, piece): (i32, bool)| match (string_type, piece) {
            (_, true) => "STRING_PIECE",
            (cpp_string::VIEW, _) => "VIEW",
            (cpp_string::CORD, _) => "CORD",
            _ => "STRING",
        };
        cx.in_file(current.file.name()).report(
            &super::name_of(&current.path),
            format!(
                "{} changed its C++ string type from {} to {}",
                current.describe(),
                name(before),
                name(now)
            ),
            Some("restore the previous `ctype` or `features.(pb.cpp).string_type`".into()),
        );
    }
}
