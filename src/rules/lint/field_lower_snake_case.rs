use prost_reflect::{ExtensionDescriptor, FieldDescriptor};

use super::name_path;
use crate::rules::naming::{is_lower_snake_case, to_lower_snake_case};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Field names are lower_snake_case.
    ///
    /// ## What it does
    /// Checks that field names are lower_snake_case: `order_id`, `line_items`, `address2`.
    ///
    /// ## Why
    /// Every code generator derives its own naming from the proto name (camelCase in JSON and
    /// Java, PascalCase in Go). Those conversions are only predictable from lower_snake_case.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   string orderId = 1;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the field (wire-compatible, but JSON names and generated code change):
    /// ```proto
    /// message Order {
    ///   string order_id = 1;
    /// }
    /// ```
    pub struct FieldLowerSnakeCase;
}

impl LintRule for FieldLowerSnakeCase {
    fn check_field(&self, cx: &mut Cx, field: &FieldDescriptor) {
        check(cx, field.name(), field.path(), || {
            format!(
                "field `{}` of `{}`",
                field.name(),
                field.parent_message().full_name()
            )
        });
    }

    fn check_extension(&self, cx: &mut Cx, extension: &ExtensionDescriptor) {
        check(cx, extension.name(), extension.path(), || {
            format!(
                "extension `{}` extending `{}`",
                extension.name(),
                extension.containing_message().full_name()
            )
        });
    }
}

/// `describe` names the element for the message; it runs only when there is a finding.
fn check(cx: &mut Cx, name: &str, path: &[i32], describe: impl FnOnce() -> String) {
    if is_lower_snake_case(name) {
        return;
    }
    cx.report(
        &name_path(path),
        format!("{} is not lower_snake_case", describe()),
        format!("rename it to `{}`", to_lower_snake_case(name)),
    );
}
