use prost_reflect::MethodDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// RPCs keep their request type.
    ///
    /// ## What it does
    /// Checks that an RPC keeps its request message type.
    ///
    /// ## Why
    /// The request type is what both sides encode and decode; another message is another protocol.
    ///
    /// ## Example
    /// ```proto
    /// rpc GetOrder(OrderQuery) returns (Order); // was GetOrderRequest
    /// ```
    ///
    /// ## Fix
    /// Restore the request type.
    pub struct RpcSameRequestType;
}

impl BreakingRule for RpcSameRequestType {
    fn check_method_pair(
        &self,
        cx: &mut BCx,
        previous: &MethodDescriptor,
        current: &MethodDescriptor,
    ) {
        if previous.input().full_name() == current.input().full_name() {
            return;
        }
        cx.in_file(current.parent_file().name()).report(
            &super::sub(current.path(), &[crate::source::locate::path::METHOD_INPUT]),
            format!(
                "RPC `{}` changed its request type from `{}` to `{}`",
                current.full_name(),
                previous.input().full_name(),
                current.input().full_name()
            ),
            Some(format!("restore `{}`", previous.input().full_name())),
        );
    }
}
