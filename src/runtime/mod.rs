//! What generated servers and clients call at run time (feature `runtime`): error mapping,
//! authentication, deadlines, the call context and the serve helper. Imports nothing build-time.

#![deny(missing_docs)]

mod auth;
mod call;
pub(crate) mod codec;
mod compression;
mod connect;
mod cors;
mod deadline;
mod error;
pub(crate) mod gateway;
mod hop;
mod metrics;
#[cfg(feature = "otlp")]
mod otlp;
mod reflection;
mod retry;
mod serve;
mod trace;

pub use auth::{
    AnyOf, ApiKeyAuthenticator, Authenticator, BearerAuthenticator, BoxFuture, KeyStore,
    NoAuthenticator, Principal,
};
pub use call::{
    Call, CallContext, Intercepted, Interceptor, Interceptors, MethodKind, MethodSpec,
    RequestStream, ResponseStream, StatusStream, client_result, stream, with_default_timeout,
};
pub use compression::Compression;
pub use cors::{Cors, InvalidCors};
pub use deadline::{effective_deadline, format_grpc_timeout, parse_grpc_timeout};
pub(crate) use error::error_chain;
pub use error::{IntoServiceError, ServiceError};
pub use gateway::{
    DEFAULT_MAX_BODY, Gateway, HttpRoute, OPENAPI_PATH, TIMEOUT_SECONDS_HEADER, http_status,
};
pub use metrics::{METRICS_PATH, MetricsEndpoint};
#[cfg(feature = "otlp")]
pub use otlp::Otlp;
pub use retry::{Retry, RetryPolicy, client_endpoint, retrying};
pub use serve::{DEFAULT_SHUTDOWN_GRACE, Server, shutdown_signal};
pub use trace::TraceContext;

/// Re-exported for generated code and for handlers.
pub use futures_core::Stream;
pub use tonic;
