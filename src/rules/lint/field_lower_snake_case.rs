use prost_reflect::{ExtensionDescriptor, FieldDescriptor};

use super::name_path;
use crate::rules::naming::{is_lower_snake_case, to_lower_snake_case};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
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
        let of = format!("of `{}`", field.parent_message().full_name());
        check(cx, field.name(), field.path(), "field", &of);
    }

    fn check_extension(&self, cx: &mut Cx, extension: &ExtensionDescriptor) {
        let of = format!("extending `{}`", extension.containing_message().full_name());
        check(cx, extension.name(), extension.path(), "extension", &of);
    }
}

fn check(cx: &mut Cx, name: &str, path: &[i32], what: &str, of: &str) {
    if is_lower_snake_case(name) {
        return;
    }
    cx.report(
        &name_path(path),
        format!("{what} `{name}` {of} is not lower_snake_case"),
        format!("rename it to `{}`", to_lower_snake_case(name)),
    );
}
