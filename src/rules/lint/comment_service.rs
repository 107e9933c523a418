use prost_reflect::ServiceDescriptor;

use super::{check_comment, name_path};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Every service has a comment.
    ///
    /// ## What it does
    /// Checks that every service has a leading comment that says something (a line that is not
    /// empty and not a `protoforge:ignore` / `buf:lint:ignore` directive). Off by default; part
    /// of the COMMENTS category.
    ///
    /// ## Why
    /// Comments become the documentation of generated code in every language and of API
    /// references. An undocumented service is a guess for every client team.
    ///
    /// ## Example
    /// ```proto
    /// service OrderService {}
    /// ```
    ///
    /// ## Fix
    /// Write a comment on the line(s) directly above the service.
    pub struct CommentService;
}

impl LintRule for CommentService {
    fn check_service(&self, cx: &mut Cx, element: &ServiceDescriptor) {
        check_comment(
            cx,
            element.path(),
            &name_path(element.path()),
            "service",
            element.full_name(),
        );
    }
}
