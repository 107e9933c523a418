use prost_reflect::MessageDescriptor;

use super::{check_comment, name_path};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Every message has a comment.
    ///
    /// ## What it does
    /// Checks that every message has a leading comment that says something (a line that is not
    /// empty and not a `protoforge:ignore` / `buf:lint:ignore` directive). Off by default; part
    /// of the COMMENTS category.
    ///
    /// ## Why
    /// Comments become the documentation of generated code in every language and of API
    /// references. An undocumented message is a guess for every client team.
    ///
    /// ## Example
    /// ```proto
    /// message Order {}
    /// ```
    ///
    /// ## Fix
    /// Write a comment on the line(s) directly above the message.
    pub struct CommentMessage;
}

impl LintRule for CommentMessage {
    fn check_message(&self, cx: &mut Cx, element: &MessageDescriptor) {
        check_comment(
            cx,
            element.path(),
            &name_path(element.path()),
            "message",
            element.full_name(),
        );
    }
}
