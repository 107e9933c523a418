use prost_reflect::MethodDescriptor;

use super::name_path;
use crate::rules::naming::{is_pascal_case, to_pascal_case};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// RPC names are PascalCase.
    ///
    /// ## What it does
    /// Checks that RPC names are PascalCase: `GetOrder`, `ListOrders`.
    ///
    /// ## Why
    /// RPC names are part of the wire path (`/acme.shop.v1.OrderService/GetOrder`) and become
    /// method names in every language; they cannot be renamed later without breaking clients.
    ///
    /// ## Example
    /// ```proto
    /// rpc get_order(GetOrderRequest) returns (GetOrderResponse);
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);
    /// ```
    pub struct RpcPascalCase;
}

impl LintRule for RpcPascalCase {
    fn check_method(&self, cx: &mut Cx, method: &MethodDescriptor) {
        if is_pascal_case(method.name()) {
            return;
        }
        cx.report(
            &name_path(method.path()),
            format!("RPC `{}` is not PascalCase", method.full_name()),
            format!("rename it to `{}`", to_pascal_case(method.name())),
        );
    }
}
