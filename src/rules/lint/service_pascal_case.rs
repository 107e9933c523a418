use prost_reflect::ServiceDescriptor;

use super::name_path;
use crate::rules::naming::{is_pascal_case, to_pascal_case};
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Service names are PascalCase.
    ///
    /// ## What it does
    /// Checks that service names are PascalCase: `OrderService`.
    ///
    /// ## Why
    /// Service names become client and server type names in every language, and part of the
    /// gRPC path (`/acme.shop.v1.OrderService/GetOrder`).
    ///
    /// ## Example
    /// ```proto
    /// service order_service {}
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// service OrderService {}
    /// ```
    pub struct ServicePascalCase;
}

impl LintRule for ServicePascalCase {
    fn check_service(&self, cx: &mut Cx, service: &ServiceDescriptor) {
        if is_pascal_case(service.name()) {
            return;
        }
        cx.report(
            &name_path(service.path()),
            format!("service `{}` is not PascalCase", service.full_name()),
            format!("rename it to `{}`", to_pascal_case(service.name())),
        );
    }
}
