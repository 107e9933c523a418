//! Rule options, with buf's names and defaults.

/// Options that change what some rules accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOptions {
    /// ENUM_ZERO_VALUE_SUFFIX: the suffix of every enum's zero value.
    pub enum_zero_value_suffix: String,
    /// RPC_REQUEST_RESPONSE_UNIQUE: allow one message as both request and response of an RPC.
    pub rpc_allow_same_request_response: bool,
    /// RPC_REQUEST_*: allow `google.protobuf.Empty` as a request (shared by several RPCs).
    pub rpc_allow_google_protobuf_empty_requests: bool,
    /// RPC_RESPONSE_*: allow `google.protobuf.Empty` as a response (shared by several RPCs).
    pub rpc_allow_google_protobuf_empty_responses: bool,
    /// SERVICE_SUFFIX: the suffix of every service name.
    pub service_suffix: String,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            enum_zero_value_suffix: "_UNSPECIFIED".to_owned(),
            rpc_allow_same_request_response: false,
            rpc_allow_google_protobuf_empty_requests: false,
            rpc_allow_google_protobuf_empty_responses: false,
            service_suffix: "Service".to_owned(),
        }
    }
}
