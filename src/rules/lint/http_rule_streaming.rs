use prost_reflect::MethodDescriptor;

use crate::http::rule::{HTTP_OPTION_NUMBER, bindings};
use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate;

declare_rule! {
    /// No client-streaming or bidirectional RPC carries a `google.api.http` rule (warning).
    ///
    /// ## What it does
    /// Warns when a client-streaming or bidirectional RPC carries a `google.api.http` rule. A
    /// warning by default.
    ///
    /// ## Why
    /// The HTTP/JSON gateway serves unary and server-streaming methods only (a request body is one
    /// JSON document); the rule on a client-streaming method is ignored, which a reader of the
    /// proto would not expect.
    ///
    /// ## Example
    /// ```proto
    /// rpc Upload(stream Chunk) returns (UploadResponse) {
    ///   option (google.api.http) = { post: "/v1/uploads" body: "*" };
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the rule, or add a unary method for HTTP callers.
    pub struct HttpRuleStreaming;
}

impl LintRule for HttpRuleStreaming {
    fn check_method(&self, cx: &mut Cx, method: &MethodDescriptor) {
        if !method.is_client_streaming() || bindings(method).is_empty() {
            return;
        }
        let mut path = method.path().to_vec();
        path.extend([locate::path::METHOD_OPTIONS, HTTP_OPTION_NUMBER]);
        cx.report(
            &path,
            format!(
                "`{}` is {} streaming; its `google.api.http` rule is not served",
                method.full_name(),
                if method.is_server_streaming() {
                    "bidirectionally"
                } else {
                    "client"
                }
            ),
            "remove the rule, or add a unary method for HTTP callers".to_owned(),
        );
    }
}
