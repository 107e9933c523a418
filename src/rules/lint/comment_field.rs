use prost_reflect::FieldDescriptor;

use super::{check_comment, name_path};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks that every field has a leading comment that says something (a line that is not
    /// empty and not a `protoforge:ignore` / `buf:lint:ignore` directive). Off by default; part
    /// of the COMMENTS category.
    ///
    /// ## Why
    /// Comments become the documentation of generated code in every language and of API
    /// references. An undocumented field is a guess for every client team.
    ///
    /// ## Example
    /// ```proto
    /// message Order {
    ///   string id = 1;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Write a comment on the line(s) directly above the field.
    pub struct CommentField;
}

impl LintRule for CommentField {
    fn check_field(&self, cx: &mut Cx, element: &FieldDescriptor) {
        if element.is_group() {
            // A group's comment belongs to its message.
            return;
        }
        check_comment(
            cx,
            element.path(),
            &name_path(element.path()),
            "field",
            element.full_name(),
        );
    }
}
