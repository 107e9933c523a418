use prost_reflect::EnumValueDescriptor;

use super::name_path;
use crate::rules::naming::to_upper_snake_case;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// The zero value of every enum ends in `_UNSPECIFIED` (option `enum_zero_value_suffix`).
    ///
    /// ## What it does
    /// Checks that the zero value of every enum ends in `_UNSPECIFIED` (option
    /// `enum_zero_value_suffix` changes the suffix).
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
        let suffix = cx.options().enum_zero_value_suffix.clone();
        if value.number() != 0 || value.name().ends_with(&suffix) {
            return;
        }
        let en = value.parent_enum();
        cx.report(
            &name_path(value.path()),
            format!(
                "zero value `{}` of enum `{}` does not end in `{suffix}`",
                value.name(),
                en.full_name()
            ),
            format!("rename it to `{}{suffix}`", to_upper_snake_case(en.name())),
        );
    }
}
