use prost_reflect::EnumDescriptor;

use crate::rules::naming::to_upper_snake_case;
use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// The first value of every enum is 0.
    ///
    /// ## What it does
    /// Checks that the first value of every enum is 0. (proto3 requires this already; the rule
    /// matters for proto2 files.)
    ///
    /// ## Why
    /// The first value is the default of every field of the enum type. When it is a real value,
    /// "not set" and that value cannot be told apart, and proto3 cannot import the enum.
    ///
    /// ## Example
    /// ```proto
    /// enum Color {
    ///   COLOR_RED = 1;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// enum Color {
    ///   COLOR_UNSPECIFIED = 0;
    ///   COLOR_RED = 1;
    /// }
    /// ```
    pub struct EnumFirstValueZero;
}

impl LintRule for EnumFirstValueZero {
    fn check_enum(&self, cx: &mut Cx, en: &EnumDescriptor) {
        let Some(first) = en.enum_descriptor_proto().value.first() else {
            return;
        };
        if first.number() == 0 {
            return;
        }
        let mut at = en.path().to_vec();
        at.extend([path::ENUM_VALUE, 0, path::ENUM_VALUE_NUMBER]);
        cx.report(
            &at,
            format!(
                "the first value of enum `{}` is `{}` = {}, not 0",
                en.full_name(),
                first.name(),
                first.number()
            ),
            format!(
                "add `{}_UNSPECIFIED = 0;` as the first value",
                to_upper_snake_case(en.name())
            ),
        );
    }
}
