use prost_reflect::OneofDescriptor;

use super::name_path;
use crate::rules::naming::{is_lower_snake_case, to_lower_snake_case};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Oneof names are lower_snake_case.
    ///
    /// ## What it does
    /// Checks that oneof names are lower_snake_case: `payment_method`.
    ///
    /// ## Why
    /// Oneof names become field and type names in generated code; conversions from lower_snake_case are the only predictable ones.
    ///
    /// ## Example
    /// ```proto
    /// oneof paymentMethod { string card = 1; }
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// oneof payment_method { string card = 1; }
    /// ```
    pub struct OneofLowerSnakeCase;
}

impl LintRule for OneofLowerSnakeCase {
    fn check_oneof(&self, cx: &mut Cx, element: &OneofDescriptor) {
        // The oneof of a proto3 `optional` field is named by the compiler.
        if element.is_synthetic() || is_lower_snake_case(element.name()) {
            return;
        }
        cx.report(
            &name_path(element.path()),
            format!(
                "oneof `{}` is not {}",
                element.full_name(),
                "lower_snake_case"
            ),
            format!("rename it to `{}`", to_lower_snake_case(element.name())),
        );
    }
}
