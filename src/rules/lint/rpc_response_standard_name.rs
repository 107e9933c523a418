use prost_reflect::MethodDescriptor;

use crate::rules::naming::to_pascal_case;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Responses are named `<Method>Response` or `<Service><Method>Response`.
    ///
    /// ## What it does
    /// Checks that the response type of every RPC is named `<Method>Response` or
    /// `<Service><Method>Response` (`GetOrder` takes `GetOrderResponse`). Option
    /// `rpc_allow_google_protobuf_empty_responses` allows `google.protobuf.Empty`.
    ///
    /// ## Why
    /// A response message per RPC can grow new fields for that RPC alone. Shared or generic
    /// messages force every RPC that uses them to change together.
    ///
    /// ## Example
    /// ```proto
    /// rpc GetOrder(OrderQuery) returns (Order);
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);
    /// ```
    pub struct RpcResponseStandardName;
}

impl LintRule for RpcResponseStandardName {
    fn check_method(&self, cx: &mut Cx, method: &MethodDescriptor) {
        let ty = method.output();
        if cx.options().rpc_allow_google_protobuf_empty_responses
            && ty.full_name() == "google.protobuf.Empty"
        {
            return;
        }
        let one = format!("{}Response", to_pascal_case(method.name()));
        let two = format!("{}{one}", to_pascal_case(method.parent_service().name()));
        if ty.name() == one || ty.name() == two {
            return;
        }
        let mut at = method.path().to_vec();
        at.push(crate::source::locate::path::METHOD_OUTPUT);
        cx.report(
            &at,
            format!(
                "response type `{}` of RPC `{}` should be named `{one}` or `{two}`",
                ty.name(),
                method.full_name()
            ),
            format!("define `message {one}` for this RPC and use it"),
        );
    }
}
