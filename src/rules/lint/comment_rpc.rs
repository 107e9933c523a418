use prost_reflect::MethodDescriptor;

use super::{check_comment, name_path};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Every RPC has a comment.
    ///
    /// ## What it does
    /// Checks that every RPC has a leading comment that says something (a line that is not
    /// empty and not a `protoforge:ignore` / `buf:lint:ignore` directive). Off by default; part
    /// of the COMMENTS category.
    ///
    /// ## Why
    /// Comments become the documentation of generated code in every language and of API
    /// references. An undocumented RPC is a guess for every client team.
    ///
    /// ## Example
    /// ```proto
    /// service OrderService {
    ///   rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);
    /// }
    /// ```
    ///
    /// ## Fix
    /// Write a comment on the line(s) directly above the RPC.
    pub struct CommentRpc;
}

impl LintRule for CommentRpc {
    fn check_method(&self, cx: &mut Cx, element: &MethodDescriptor) {
        check_comment(
            cx,
            element.path(),
            &name_path(element.path()),
            "RPC",
            element.full_name(),
        );
    }
}
