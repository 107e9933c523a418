use prost_reflect::{MethodDescriptor, ServiceDescriptor};

use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::method_options::{METHOD_OPTION, SERVICE_OPTION, read_declared};

declare_rule! {
    /// `protoforge.v1` method and service options hold valid timeouts and scopes.
    ///
    /// ## What it does
    /// Checks the `protoforge.v1.method` and `protoforge.v1.service` options that generated
    /// servers take their policy from: timeouts are durations (`2s`, `150ms`, `1m30s`), scopes are
    /// plain tokens (`catalog.write`), and no method is both `public` and scoped.
    ///
    /// ## Why
    /// A bad value would otherwise stop code generation in build.rs, far from the proto, or (for
    /// `public` next to `auth`) leave readers unsure whether the method is open. protoforge
    /// resolves that last case to protected, the safe reading, and says so here.
    ///
    /// ## Example
    /// ```proto
    /// rpc DeleteProduct(DeleteProductRequest) returns (DeleteProductResponse) {
    ///   option (protoforge.v1.method) = { timeout: "2 seconds" public: true auth: { scopes: ["catalog write"] } };
    /// }
    /// ```
    ///
    /// ## Fix
    /// Write the timeout like `2s`, use scopes without spaces, and keep either `public: true` or
    /// `auth`.
    pub struct MethodPolicyValid;
}

/// `options` (field 4 of MethodDescriptorProto, 3 of ServiceDescriptorProto), then the
/// extension's number.
fn option_path(element: &[i32], options_field: i32) -> Vec<i32> {
    let mut path = element.to_vec();
    path.extend([options_field, 51234]);
    path
}

impl LintRule for MethodPolicyValid {
    fn check_service(&self, cx: &mut Cx, service: &ServiceDescriptor) {
        if let Err(problem) = read_declared(&service.options(), SERVICE_OPTION) {
            cx.report(
                &option_path(service.path(), 3),
                format!(
                    "`({SERVICE_OPTION})` of `{}`: {problem}",
                    service.full_name()
                ),
                "fix the value; generated servers read their policy from it".to_owned(),
            );
        }
    }

    fn check_method(&self, cx: &mut Cx, method: &MethodDescriptor) {
        let path = option_path(method.path(), 4);
        match read_declared(&method.options(), METHOD_OPTION) {
            Err(problem) => cx.report(
                &path,
                format!("`({METHOD_OPTION})` of `{}`: {problem}", method.full_name()),
                "fix the value; generated servers read their policy from it".to_owned(),
            ),
            Ok(declared) if declared.public == Some(true) && declared.scopes.is_some() => cx
                .report(
                    &path,
                    format!(
                        "`{}` is declared both `public` and with `auth`; it is generated as protected",
                        method.full_name()
                    ),
                    "remove `public: true` to keep it protected, or `auth` to open it".to_owned(),
                ),
            Ok(_) => {}
        }
    }
}
