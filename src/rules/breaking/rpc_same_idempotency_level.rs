use prost_reflect::MethodDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// RPCs keep their idempotency level.
    ///
    /// ## What it does
    /// Checks that an RPC's `idempotency_level` option does not change.
    ///
    /// ## Why
    /// Clients and proxies retry or cache calls based on it (gRPC-Web and Connect send NO_SIDE_EFFECTS
    /// calls as GET).
    ///
    /// ## Example
    /// ```proto
    /// option idempotency_level = NO_SIDE_EFFECTS; // was unset
    /// ```
    ///
    /// ## Fix
    /// Restore the previous idempotency level.
    pub struct RpcSameIdempotencyLevel;
}

impl BreakingRule for RpcSameIdempotencyLevel {
    fn check_method_pair(
        &self,
        cx: &mut BCx,
        previous: &MethodDescriptor,
        current: &MethodDescriptor,
    ) {
        let level = |m: &MethodDescriptor| {
            m.method_descriptor_proto()
                .options
                .as_ref()
                .map(|o| o.idempotency_level())
                .unwrap_or_default()
        };
        if level(previous) == level(current) {
            return;
        }
        // At the option where the current RPC sets one (as buf does), else at the RPC.
        use crate::source::locate::path::{METHOD_OPTIONS, METHOD_OPTIONS_IDEMPOTENCY_LEVEL};
        let set = current
            .method_descriptor_proto()
            .options
            .as_ref()
            .is_some_and(|o| o.idempotency_level.is_some());
        let at = if set {
            [
                current.path(),
                &[METHOD_OPTIONS, METHOD_OPTIONS_IDEMPOTENCY_LEVEL],
            ]
            .concat()
        } else {
            super::name_of(current.path())
        };
        cx.in_file(current.parent_file().name()).report(
            &at,
            format!(
                "RPC `{}` changed `idempotency_level` from {} to {}",
                current.full_name(),
                level(previous).as_str_name(),
                level(current).as_str_name()
            ),
            Some("restore the previous idempotency level".into()),
        );
    }
}
