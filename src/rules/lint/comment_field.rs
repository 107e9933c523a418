use prost_reflect::{ExtensionDescriptor, FieldDescriptor};

use super::{check_comment, name_path};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Every field has a comment.
    ///
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
        check(
            cx,
            element.is_group(),
            element.path(),
            "field",
            element.full_name(),
        );
    }

    fn check_extension(&self, cx: &mut Cx, element: &ExtensionDescriptor) {
        check(
            cx,
            element.is_group(),
            element.path(),
            "extension",
            element.full_name(),
        );
    }
}

fn check(cx: &mut Cx, is_group: bool, path: &[i32], what: &str, full_name: &str) {
    // A group's comment belongs to its message.
    if !is_group {
        check_comment(cx, path, &name_path(path), what, full_name);
    }
}
