use prost_reflect::MethodDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// RPCs keep their response type.
    ///
    /// ## What it does
    /// Checks that an RPC keeps its response message type.
    ///
    /// ## Why
    /// The response type is what both sides encode and decode; another message is another protocol.
    ///
    /// ## Example
    /// ```proto
    /// rpc GetOrder(OrderQuery) returns (Order); // was GetOrderRequest
    /// ```
    ///
    /// ## Fix
    /// Restore the response type.
    pub struct RpcSameResponseType;
}

impl BreakingRule for RpcSameResponseType {
    fn check_method_pair(
        &self,
        cx: &mut BCx,
        previous: &MethodDescriptor,
        current: &MethodDescriptor,
    ) {
        if previous.output().full_name() == current.output().full_name() {
            return;
        }
        cx.in_file(current.parent_file().name()).report(
            &super::sub(
                current.path(),
                &[crate::source::locate::path::METHOD_OUTPUT],
            ),
            format!(
                "RPC `{}` changed its response type from `{}` to `{}`",
                current.full_name(),
                previous.output().full_name(),
                current.output().full_name()
            ),
            Some(format!("restore `{}`", previous.output().full_name())),
        );
    }
}
