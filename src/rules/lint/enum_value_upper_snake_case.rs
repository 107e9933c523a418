use prost_reflect::EnumValueDescriptor;

use super::name_path;
use crate::rules::naming::{is_upper_snake_case, to_upper_snake_case};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Enum value names are UPPER_SNAKE_CASE.
    ///
    /// ## What it does
    /// Checks that enum value names are UPPER_SNAKE_CASE: `ORDER_STATUS_SHIPPED`.
    ///
    /// ## Why
    /// Enum values are constants in every generated language; UPPER_SNAKE_CASE keeps them recognisable and their JSON names predictable.
    ///
    /// ## Example
    /// ```proto
    /// enum OrderStatus { orderStatusUnspecified = 0; }
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// enum OrderStatus { ORDER_STATUS_UNSPECIFIED = 0; }
    /// ```
    pub struct EnumValueUpperSnakeCase;
}

impl LintRule for EnumValueUpperSnakeCase {
    fn check_enum_value(&self, cx: &mut Cx, element: &EnumValueDescriptor) {
        if is_upper_snake_case(element.name()) {
            return;
        }
        cx.report(
            &name_path(element.path()),
            format!(
                "enum value `{}` is not {}",
                element.full_name(),
                "UPPER_SNAKE_CASE"
            ),
            format!("rename it to `{}`", to_upper_snake_case(element.name())),
        );
    }
}
