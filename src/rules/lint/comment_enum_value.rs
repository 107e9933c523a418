use prost_reflect::EnumValueDescriptor;

use super::{check_comment, name_path};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Every enum value has a comment.
    ///
    /// ## What it does
    /// Checks that every enum value has a leading comment that says something (a line that is not
    /// empty and not a `protoforge:ignore` / `buf:lint:ignore` directive). Off by default; part
    /// of the COMMENTS category.
    ///
    /// ## Why
    /// Comments become the documentation of generated code in every language and of API
    /// references. An undocumented enum value is a guess for every client team.
    ///
    /// ## Example
    /// ```proto
    /// enum Color {
    ///   // Not set.
    ///   COLOR_UNSPECIFIED = 0;
    ///   COLOR_RED = 1; // no leading comment
    /// }
    /// ```
    ///
    /// ## Fix
    /// Write a comment on the line(s) directly above the enum value.
    pub struct CommentEnumValue;
}

impl LintRule for CommentEnumValue {
    fn check_enum_value(&self, cx: &mut Cx, element: &EnumValueDescriptor) {
        check_comment(
            cx,
            element.path(),
            &name_path(element.path()),
            "enum value",
            element.full_name(),
        );
    }
}
