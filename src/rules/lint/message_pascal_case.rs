use prost_reflect::MessageDescriptor;

use super::name_path;
use crate::rules::naming::{is_pascal_case, to_pascal_case};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Message names are PascalCase.
    ///
    /// ## What it does
    /// Checks that message names are PascalCase: `Order`, `LineItem`, `HTTPRequest`.
    ///
    /// ## Why
    /// Message names become type names in every generated language; PascalCase is what all of
    /// them expect, and it keeps names predictable across Go, Java, Rust and TypeScript.
    ///
    /// ## Example
    /// ```proto
    /// message line_item {}
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// message LineItem {}
    /// ```
    pub struct MessagePascalCase;
}

impl LintRule for MessagePascalCase {
    fn check_message(&self, cx: &mut Cx, message: &MessageDescriptor) {
        if is_pascal_case(message.name()) {
            return;
        }
        cx.report(
            &name_path(message.path()),
            format!("message `{}` is not PascalCase", message.full_name()),
            format!("rename it to `{}`", to_pascal_case(message.name())),
        );
    }
}
