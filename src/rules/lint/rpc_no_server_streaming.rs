use prost_reflect::MethodDescriptor;

use super::name_path;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// No RPC is server streaming.
    ///
    /// ## What it does
    /// Checks that no RPC is server streaming. Off by default; part of the UNARY_RPC category.
    ///
    /// ## Why
    /// Some environments (gRPC-Web in browsers, many proxies and HTTP/JSON gateways) cannot carry
    /// server-streaming calls. Teams that target them forbid such RPCs up front.
    ///
    /// ## Example
    /// ```proto
    /// rpc Watch(WatchRequest) returns (stream Event);
    /// ```
    ///
    /// ## Fix
    /// Replace the stream with a unary RPC (with paging for large results).
    pub struct RpcNoServerStreaming;
}

impl LintRule for RpcNoServerStreaming {
    fn check_method(&self, cx: &mut Cx, method: &MethodDescriptor) {
        if !method.is_server_streaming() {
            return;
        }
        cx.report(
            &name_path(method.path()),
            format!("RPC `{}` is server streaming", method.full_name()),
            "make it unary, with paging for large results".to_owned(),
        );
    }
}
