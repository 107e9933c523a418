use prost_reflect::Kind;

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// 64-bit fields keep their `jstype`.
    ///
    /// ## What it does
    /// Checks that a 64-bit integer field keeps its `jstype` option.
    ///
    /// ## Why
    /// `jstype` decides whether JavaScript sees a number or a string.
    ///
    /// ## Example
    /// ```proto
    /// int64 id = 1 [jstype = JS_STRING]; // was unset
    /// ```
    ///
    /// ## Fix
    /// Restore the previous `jstype`.
    pub struct FieldSameJstype;
}

impl BreakingRule for FieldSameJstype {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        let wide = |k: &Kind| {
            matches!(
                k,
                Kind::Int64 | Kind::Uint64 | Kind::Sint64 | Kind::Fixed64 | Kind::Sfixed64
            )
        };
        if !wide(&previous.kind) || !wide(&current.kind) {
            return;
        }
        let js = |f: &FieldView| {
            f.proto()
                .options
                .as_ref()
                .map(|o| o.jstype())
                .unwrap_or_default()
        };
        if js(previous) == js(current) {
            return;
        }
        cx.in_file(current.file.name()).report(
            &super::name_of(&current.path),
            format!(
                "{} changed `jstype` from {} to {}",
                current.describe(),
                js(previous).as_str_name(),
                js(current).as_str_name()
            ),
            Some("restore the previous `jstype`".into()),
        );
    }
}
