use prost_reflect::EnumValueDescriptor;

use super::name_path;
use crate::rules::naming::to_upper_snake_case;
use crate::rules::{Cx, LintRule, declare_rule};

/// The suffix buf requires by default.
pub const SUFFIX: &str = "_UNSPECIFIED";

declare_rule! {
    /// ## What it does
    /// Checks that the zero value of every enum ends in `_UNSPECIFIED`.
    ///
    /// ## Why
    /// The zero value is what a reader sees when the field was never set. Naming it
    /// `COLOR_UNSPECIFIED` rather than `COLOR_RED` keeps "unset" from being mistaken for a choice.
    ///
    /// ## Example
    /// ```proto
    /// enum Color {
    ///   COLOR_NONE = 0;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the value (a wire-compatible change, but it changes JSON and generated code):
    /// ```proto
    /// enum Color {
    ///   COLOR_UNSPECIFIED = 0;
    /// }
    /// ```
    pub struct EnumZeroValueSuffix;
}

impl LintRule for EnumZeroValueSuffix {
    fn check_enum_value(&self, cx: &mut Cx, value: &EnumValueDescriptor) {
        if value.number() != 0 || value.name().ends_with(SUFFIX) {
            return;
        }
        let en = value.parent_enum();
        cx.report(
            &name_path(value.path()),
            format!(
                "zero value `{}` of enum `{}` does not end in `{SUFFIX}`",
                value.name(),
                en.full_name()
            ),
            format!("rename it to `{}{SUFFIX}`", to_upper_snake_case(en.name())),
        );
    }
}
