use prost_reflect::EnumValueDescriptor;

use super::name_path;
use crate::rules::naming::to_upper_snake_case;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Enum values start with the enum's name in UPPER_SNAKE_CASE.
    ///
    /// ## What it does
    /// Checks that every enum value starts with the enum's name in UPPER_SNAKE_CASE and an
    /// underscore: values of `OrderStatus` start with `ORDER_STATUS_`.
    ///
    /// ## Why
    /// Enum values are siblings of their enum in C++ and many other languages, so two enums in a
    /// package with a value `UNKNOWN` collide. The prefix keeps every value name unique.
    ///
    /// ## Example
    /// ```proto
    /// enum OrderStatus {
    ///   UNSPECIFIED = 0;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// enum OrderStatus {
    ///   ORDER_STATUS_UNSPECIFIED = 0;
    /// }
    /// ```
    pub struct EnumValuePrefix;
}

impl LintRule for EnumValuePrefix {
    fn check_enum_value(&self, cx: &mut Cx, value: &EnumValueDescriptor) {
        let en = value.parent_enum();
        let prefix = format!("{}_", to_upper_snake_case(en.name()));
        if value.name().starts_with(&prefix) {
            return;
        }
        cx.report(
            &name_path(value.path()),
            format!(
                "value `{}` of enum `{}` does not start with `{prefix}`",
                value.name(),
                en.full_name()
            ),
            format!("rename it to `{prefix}{}`", value.name()),
        );
    }
}
