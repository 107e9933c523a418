use prost_reflect::ServiceDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// RPCs are not deleted.
    ///
    /// ## What it does
    /// Checks that no RPC is deleted from a service.
    ///
    /// ## Why
    /// Every client that calls it gets UNIMPLEMENTED.
    ///
    /// ## Example
    /// ```proto
    /// service OrderService {
    ///   // rpc GetOrder(...) deleted
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the RPC; deprecate it with `option deprecated = true;` instead.
    pub struct RpcNoDelete;
}

impl BreakingRule for RpcNoDelete {
    fn check_service_pair(
        &self,
        cx: &mut BCx,
        previous: &ServiceDescriptor,
        current: &ServiceDescriptor,
    ) {
        for method in previous.methods() {
            if current.methods().any(|m| m.name() == method.name()) {
                continue;
            }
            cx.in_file(current.parent_file().name()).report(
                &super::name_of(current.path()),
                format!(
                    "RPC `{}` of `{}` was deleted",
                    method.name(),
                    current.full_name()
                ),
                Some("restore it and mark it `option deprecated = true;`".into()),
            );
        }
    }
}
