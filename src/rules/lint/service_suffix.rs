use prost_reflect::ServiceDescriptor;

use super::name_path;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Service names end in `Service` (option `service_suffix`).
    ///
    /// ## What it does
    /// Checks that every service name ends in `Service` (option `service_suffix` changes it).
    ///
    /// ## Why
    /// Generated code puts the service next to its messages; the suffix keeps `Order` the message
    /// apart from `OrderService` the API, and makes services easy to find.
    ///
    /// ## Example
    /// ```proto
    /// service Orders {}
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// service OrderService {}
    /// ```
    pub struct ServiceSuffix;
}

impl LintRule for ServiceSuffix {
    fn check_service(&self, cx: &mut Cx, service: &ServiceDescriptor) {
        let suffix = cx.options().service_suffix.clone();
        if service.name().ends_with(&suffix) {
            return;
        }
        cx.report(
            &name_path(service.path()),
            format!(
                "service `{}` does not end in `{suffix}`",
                service.full_name()
            ),
            format!("rename it to `{}{suffix}`", service.name()),
        );
    }
}
