use prost_reflect::EnumDescriptor;

use super::{check_comment, name_path};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Every enum has a comment.
    ///
    /// ## What it does
    /// Checks that every enum has a leading comment that says something (a line that is not
    /// empty and not a `protoforge:ignore` / `buf:lint:ignore` directive). Off by default; part
    /// of the COMMENTS category.
    ///
    /// ## Why
    /// Comments become the documentation of generated code in every language and of API
    /// references. An undocumented enum is a guess for every client team.
    ///
    /// ## Example
    /// ```proto
    /// enum Color {
    ///   COLOR_UNSPECIFIED = 0;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Write a comment on the line(s) directly above the enum.
    pub struct CommentEnum;
}

impl LintRule for CommentEnum {
    fn check_enum(&self, cx: &mut Cx, element: &EnumDescriptor) {
        check_comment(
            cx,
            element.path(),
            &name_path(element.path()),
            "enum",
            element.full_name(),
        );
    }
}
