use prost_reflect::Kind;
use prost_types::field_options::CType;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks that a string or bytes field keeps its `ctype` (STRING_PIECE to STRING is allowed).
    ///
    /// ## Why
    /// The C++ accessors change type with `ctype`.
    ///
    /// ## Example
    /// ```proto
    /// string blob = 1 [ctype = CORD]; // was unset
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `ctype`.
    pub struct FieldSameCppStringType;
}

impl BreakingRule for FieldSameCppStringType {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        let stringy = |k: &Kind| matches!(k, Kind::String | Kind::Bytes);
        if previous.in_map_entry || !stringy(&previous.kind) || !stringy(&current.kind) {
            return;
        }
        let ctype = |f: &FieldView| {
            f.proto()
                .options
                .as_ref()
                .map(|o| o.ctype())
                .unwrap_or_default()
        };
        let (before, now) = (ctype(previous), ctype(current));
        if before == now || (before == CType::StringPiece && now == CType::String) {
            return;
        }
        cx.report(
            current.file.name(),
            &super::name_of(&current.path),
            format!(
                "{} changed its C++ string type from {} to {}",
                current.describe(),
                before.as_str_name(),
                now.as_str_name()
            ),
            Some("restore the previous `ctype`".into()),
            None,
        );
    }
}
