use prost_reflect::EnumDescriptor;

use super::name_path;
use crate::rules::naming::{is_pascal_case, to_pascal_case};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Enum names are PascalCase.
    ///
    /// ## What it does
    /// Checks that enum names are PascalCase: `OrderStatus`.
    ///
    /// ## Why
    /// Enum names become type names in every generated language, which all expect PascalCase.
    ///
    /// ## Example
    /// ```proto
    /// enum order_status { ORDER_STATUS_UNSPECIFIED = 0; }
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// enum OrderStatus { ORDER_STATUS_UNSPECIFIED = 0; }
    /// ```
    pub struct EnumPascalCase;
}

impl LintRule for EnumPascalCase {
    fn check_enum(&self, cx: &mut Cx, element: &EnumDescriptor) {
        if is_pascal_case(element.name()) {
            return;
        }
        cx.report(
            &name_path(element.path()),
            format!("enum `{}` is not {}", element.full_name(), "PascalCase"),
            format!("rename it to `{}`", to_pascal_case(element.name())),
        );
    }
}
