use prost_reflect::MethodDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// RPCs keep their client streaming.
    ///
    /// ## What it does
    /// Checks that an RPC does not change between unary and client streaming.
    ///
    /// ## Why
    /// Streaming is part of the call's protocol: existing clients and servers cannot talk across the
    /// change.
    ///
    /// ## Example
    /// ```proto
    /// rpc Watch(WatchRequest) returns (stream WatchResponse); // was unary
    /// ```
    ///
    /// ## Fix
    /// Restore it; add a new RPC for the streaming form.
    pub struct RpcSameClientStreaming;
}

impl BreakingRule for RpcSameClientStreaming {
    fn check_method_pair(
        &self,
        cx: &mut BCx,
        previous: &MethodDescriptor,
        current: &MethodDescriptor,
    ) {
        if previous.is_client_streaming() == current.is_client_streaming() {
            return;
        }
        let word = |s: bool| if s { "streaming" } else { "unary" };
        cx.in_file(current.parent_file().name()).report(
            &super::name_of(current.path()),
            format!(
                "RPC `{}` changed from client {} to client {}",
                current.full_name(),
                word(previous.is_client_streaming()),
                word(current.is_client_streaming())
            ),
            Some("restore it, and add a new RPC for the other form".into()),
        );
    }
}
