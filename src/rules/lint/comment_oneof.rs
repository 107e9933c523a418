use prost_reflect::OneofDescriptor;

use super::{check_comment, name_path};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Every oneof has a comment.
    ///
    /// ## What it does
    /// Checks that every oneof has a leading comment that says something (a line that is not
    /// empty and not a `protoforge:ignore` / `buf:lint:ignore` directive). Off by default; part
    /// of the COMMENTS category.
    ///
    /// ## Why
    /// Comments become the documentation of generated code in every language and of API
    /// references. An undocumented oneof is a guess for every client team.
    ///
    /// ## Example
    /// ```proto
    /// message Payment {
    ///   oneof method {
    ///     string card = 1;
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Write a comment on the line(s) directly above the oneof.
    pub struct CommentOneof;
}

impl LintRule for CommentOneof {
    fn check_oneof(&self, cx: &mut Cx, element: &OneofDescriptor) {
        if element.is_synthetic() {
            // The oneof of a proto3 `optional` field is the compiler's, not the author's.
            return;
        }
        check_comment(
            cx,
            element.path(),
            &name_path(element.path()),
            "oneof",
            element.full_name(),
        );
    }
}
