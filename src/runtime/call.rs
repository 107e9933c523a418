//! One call through a generated adapter: request id, deadline, authentication, the handler under
//! the deadline, error mapping and the log line.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use tokio::time::{Instant, Sleep};
use tonic::metadata::{MetadataMap, MetadataValue};
use tonic::{Code, Status};

use super::auth::{Authenticator, Principal};
use super::deadline::{deadline_status, effective_deadline, parse_grpc_timeout};
use super::error::{IntoServiceError, ServiceError};
use super::metrics::CallMetrics;
use super::trace::TraceContext;

/// The four shapes of an RPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    /// One request, one response.
    Unary,
    /// One request, a stream of responses.
    ServerStreaming,
    /// A stream of requests, one response.
    ClientStreaming,
    /// Streams both ways.
    Bidirectional,
}

/// A method's policy as generated from its options: who may call it and how long it may run.
#[derive(Debug, Clone, Copy)]
pub struct MethodSpec {
    /// `shop.v1.CatalogService`
    pub service: &'static str,
    /// `GetProduct`
    pub method: &'static str,
    /// `/shop.v1.CatalogService/GetProduct`
    pub path: &'static str,
    /// Unary or which kind of streaming.
    pub kind: MethodKind,
    /// No credentials needed.
    pub public: bool,
    /// Scopes the caller must all have (protected methods only).
    pub scopes: &'static [&'static str],
    /// The server-side limit on the call's duration. Bidirectional streams have one only when the
    /// method itself declares it.
    pub timeout: Option<Duration>,
    /// Safe to repeat (`idempotency_level` NO_SIDE_EFFECTS or IDEMPOTENT, or a `retry` policy):
    /// generated clients retry unary and server-streaming calls of it when the server is
    /// UNAVAILABLE.
    pub retryable: bool,
}

impl MethodSpec {
    /// The deadline a generated client puts on a call when the caller set none: the declared
    /// timeout, else `default` (except for bidirectional streams, which are long-lived).
    pub fn client_timeout(&self, default: Option<Duration>) -> Option<Duration> {
        match (self.timeout, self.kind) {
            (Some(t), _) => Some(t),
            (None, MethodKind::Bidirectional) => None,
            (None, _) => default,
        }
    }
}

/// What a handler knows about the call besides its message.
pub struct CallContext {
    principal: Option<Principal>,
    deadline: Option<Instant>,
    request_id: String,
    metadata: MetadataMap,
    extensions: tonic::Extensions,
    method: &'static MethodSpec,
    trace: TraceContext,
}

impl CallContext {
    /// The authenticated caller; always `Some` for protected methods.
    pub fn principal(&self) -> Option<&Principal> {
        self.principal.as_ref()
    }

    /// When the call is abandoned (the earlier of the client's and the method's deadline).
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time left before the deadline.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// The client's `x-request-id`, or a fresh one.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The request's metadata (credentials included: do not log it).
    pub fn metadata(&self) -> &MetadataMap {
        &self.metadata
    }

    /// The policy of the method being called (its name, path, auth and timeout).
    pub fn method(&self) -> &'static MethodSpec {
        self.method
    }

    /// The call's W3C trace context: the client's trace continued (`traceparent`), or a new
    /// one. `trace().traceparent()` is the header for calls this one makes.
    pub fn trace(&self) -> &TraceContext {
        &self.trace
    }

    /// The request's extensions: what the server and the layers in front of the service
    /// inserted (the peer's address, TLS details, a tower layer's own values).
    pub fn extensions(&self) -> &tonic::Extensions {
        &self.extensions
    }

    /// The client's address, when the server knows it ([`Server::serve`] and the other serve
    /// helpers do; so does tonic's own server). Calls through the HTTP/JSON gateway and Connect
    /// carry their HTTP client's.
    ///
    /// [`Server::serve`]: super::Server::serve
    pub fn peer(&self) -> Option<std::net::SocketAddr> {
        peer_of(&self.extensions)
    }
}

/// The client's address, as axum's serve (with connect info) or tonic's server recorded it.
fn peer_of(extensions: &tonic::Extensions) -> Option<std::net::SocketAddr> {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0)
        .or_else(|| {
            extensions
                .get::<tonic::transport::server::TcpConnectInfo>()
                .and_then(|info| info.remote_addr())
        })
}

impl fmt::Debug for CallContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallContext")
            .field("method", &self.method.path)
            .field("principal", &self.principal)
            .field("deadline", &self.deadline)
            .field("request_id", &self.request_id)
            .field("peer", &self.peer())
            .finish_non_exhaustive()
    }
}

/// A stream a handler returns: messages or the error that ends it.
pub type ResponseStream<T, E> = Pin<Box<dyn Stream<Item = Result<T, E>> + Send + 'static>>;

/// What the adapter hands to tonic for a server-streaming method.
pub type StatusStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// Boxes a stream for a handler's return value.
pub fn stream<T, E, S>(stream: S) -> ResponseStream<T, E>
where
    S: Stream<Item = Result<T, E>> + Send + 'static,
{
    Box::pin(stream)
}

/// The messages of a client-streaming or bidirectional call.
pub struct RequestStream<T> {
    inner: Pin<Box<tonic::Streaming<T>>>,
    /// Counts the messages as they arrive (when made by [`Call::requests`]).
    received: Option<metrics::Counter>,
}

impl<T> RequestStream<T> {
    /// Wraps tonic's stream of request messages, uncounted ([`Call::requests`] counts them).
    pub fn new(inner: tonic::Streaming<T>) -> Self {
        RequestStream {
            inner: Box::pin(inner),
            received: None,
        }
    }

    /// The next message; `Ok(None)` when the client has finished sending.
    pub async fn message(&mut self) -> Result<Option<T>, ServiceError> {
        match self.inner.message().await {
            Ok(Some(m)) => {
                if let Some(received) = &self.received {
                    received.increment(1);
                }
                Ok(Some(m))
            }
            Ok(None) => Ok(None),
            Err(status) => Err(status.into_service_error()),
        }
    }
}

impl<T> Stream for RequestStream<T> {
    type Item = Result<T, ServiceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.inner.as_mut().poll_next(cx);
        if let (Poll::Ready(Some(Ok(_))), Some(received)) = (&polled, &self.received) {
            received.increment(1);
        }
        polled.map(|item| item.map(|r| r.map_err(IntoServiceError::into_service_error)))
    }
}

/// A check or enrichment every call of a service goes through: after the request id, the
/// trace, the deadline's parsing and authentication, before the handler (which runs under the
/// deadline). An error ends the call with its status; values put in `extensions_mut()` reach the
/// handler's [`CallContext::extensions`]. Closures of the right shape are interceptors:
///
/// ```
/// use protoforge::runtime::{Intercepted, ServiceError};
///
/// let pinned_version = |call: &mut Intercepted<'_>| {
///     match call.metadata().get("x-api-version").map(|v| v.to_str()) {
///         None | Some(Ok("1")) => Ok(()),
///         Some(_) => Err(ServiceError::failed_precondition("this server speaks API version 1")),
///     }
/// };
/// # let _: &dyn protoforge::runtime::Interceptor = &pinned_version;
/// ```
///
/// For work that awaits (a rate limiter, a remote policy check), or that must see the raw HTTP
/// request, add a tower layer with [`Server::layer`](super::Server::layer) instead.
pub trait Interceptor: Send + Sync + 'static {
    /// Lets the call through (`Ok`), or ends it with the error's status.
    fn intercept(&self, call: &mut Intercepted<'_>) -> Result<(), ServiceError>;
}

impl<F> Interceptor for F
where
    F: Fn(&mut Intercepted<'_>) -> Result<(), ServiceError> + Send + Sync + 'static,
{
    fn intercept(&self, call: &mut Intercepted<'_>) -> Result<(), ServiceError> {
        self(call)
    }
}

/// A service's interceptors, in the order they run (a generated adapter's
/// `with_interceptor` adds to them).
#[derive(Clone, Default)]
pub struct Interceptors(Arc<Vec<Arc<dyn Interceptor>>>);

impl Interceptors {
    /// Adds `interceptor` after those already there.
    pub fn push(&mut self, interceptor: impl Interceptor) {
        Arc::make_mut(&mut self.0).push(Arc::new(interceptor));
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Interceptors({})", self.0.len())
    }
}

/// What an interceptor sees of a call, authenticated and not yet handled.
pub struct Intercepted<'a> {
    method: &'static MethodSpec,
    metadata: &'a MetadataMap,
    extensions: &'a mut tonic::Extensions,
    principal: Option<&'a Principal>,
    request_id: &'a str,
    trace: &'a TraceContext,
}

impl Intercepted<'_> {
    /// The method called.
    pub fn method(&self) -> &'static MethodSpec {
        self.method
    }

    /// The request's metadata.
    pub fn metadata(&self) -> &MetadataMap {
        self.metadata
    }

    /// The request's extensions.
    pub fn extensions(&self) -> &tonic::Extensions {
        self.extensions
    }

    /// The request's extensions, to add what the handler should see.
    pub fn extensions_mut(&mut self) -> &mut tonic::Extensions {
        self.extensions
    }

    /// The authenticated caller (`None` on a public method called without credentials).
    pub fn principal(&self) -> Option<&Principal> {
        self.principal
    }

    /// The client's address, when the server knows it.
    pub fn peer(&self) -> Option<std::net::SocketAddr> {
        peer_of(self.extensions)
    }

    /// The call's request id.
    pub fn request_id(&self) -> &str {
        self.request_id
    }

    /// The call's trace context.
    pub fn trace(&self) -> &TraceContext {
        self.trace
    }
}

/// The call in progress, as the generated adapter drives it.
pub struct Call {
    log: Outcome,
    deadline: Option<Instant>,
}

/// Writes the call's log line once, when the outcome is known (or the client went away).
struct Outcome {
    spec: &'static MethodSpec,
    request_id: String,
    start: Instant,
    logged: bool,
    metrics: CallMetrics,
    /// The call's span: the handler runs in it, so its log lines carry the trace id.
    span: tracing::Span,
    trace_id: String,
}

impl Outcome {
    fn log(&mut self, code: Code) {
        if self.logged {
            return;
        }
        self.logged = true;
        let elapsed = self.start.elapsed();
        self.metrics.finish(code, elapsed);
        let latency_ms = elapsed.as_secs_f64() * 1000.0;
        self.span.record("code", tracing::field::debug(code));
        self.span.record("latency_ms", latency_ms);
        tracing::info!(
            parent: &self.span,
            method = self.spec.path,
            code = ?code,
            latency_ms,
            request_id = %self.request_id,
            trace_id = %self.trace_id,
            "grpc call"
        );
    }

    fn status(&mut self, error: ServiceError) -> Status {
        // An internal error's cause is logged here, in the call's span.
        let span = self.span.clone();
        let _entered = span.enter();
        let mut status = error.into_status(self.spec.path, &self.request_id);
        self.log(status.code());
        set_request_id(status.metadata_mut(), &self.request_id);
        status
    }
}

impl Drop for Outcome {
    fn drop(&mut self) {
        if !self.logged {
            self.log(Code::Cancelled);
        }
    }
}

fn set_request_id(metadata: &mut MetadataMap, id: &str) {
    if let Ok(value) = MetadataValue::try_from(id) {
        metadata.insert("x-request-id", value);
    }
}

/// A client's request id is kept when it is short and plain; anything else (control characters,
/// header injection attempts, kilobytes of text) is replaced by a fresh id.
fn request_id(metadata: &MetadataMap) -> String {
    plain_request_id(metadata.get("x-request-id").and_then(|v| v.to_str().ok()))
}

/// Settles an HTTP request's id before anything can refuse it: the client's `x-request-id` when
/// plain, else a fresh one, written back into `headers` (so the gRPC call logs the same) and
/// returned for the answer.
pub(crate) fn settle_request_id(headers: &mut http::HeaderMap) -> http::HeaderValue {
    let id = plain_request_id(headers.get("x-request-id").and_then(|v| v.to_str().ok()));
    // A plain id is a valid header value; a fresh one is a UUID.
    let id =
        http::HeaderValue::from_str(&id).unwrap_or_else(|_| http::HeaderValue::from_static("-"));
    headers.insert("x-request-id", id.clone());
    id
}

/// The client's request id when it is plain, else a fresh one.
pub(crate) fn plain_request_id(given: Option<&str>) -> String {
    given
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:/".contains(&b))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

impl Call {
    /// Starts a call: works out the request id, the trace and the deadline, authenticates the
    /// caller (unless the method is public) and checks its scopes. A refused call never reaches
    /// the handler.
    pub async fn begin<M>(
        spec: &'static MethodSpec,
        authenticator: &dyn Authenticator,
        request: tonic::Request<M>,
    ) -> Result<(CallContext, M, Call), Status> {
        Call::begin_intercepted(spec, authenticator, &Interceptors::default(), request).await
    }

    /// [`Call::begin`], then `interceptors` in their order once the caller is authenticated.
    pub async fn begin_intercepted<M>(
        spec: &'static MethodSpec,
        authenticator: &dyn Authenticator,
        interceptors: &Interceptors,
        request: tonic::Request<M>,
    ) -> Result<(CallContext, M, Call), Status> {
        let start = Instant::now();
        let (metadata, mut extensions, message) = request.into_parts();
        #[cfg_attr(not(feature = "otlp"), allow(unused_mut))]
        let mut trace = TraceContext::from_metadata(&metadata);
        let request_id = request_id(&metadata);
        let span = tracing::info_span!(
            "grpc",
            method = spec.path,
            request_id = %request_id,
            trace_id = tracing::field::Empty,
            span_id = tracing::field::Empty,
            parent_span_id = trace.parent_span_id(),
            peer = peer_of(&extensions).map(tracing::field::display),
            code = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        // Exported spans and log lines carry the same ids: OpenTelemetry's, when it records
        // the span.
        #[cfg(feature = "otlp")]
        if let Some((trace_id, span_id)) = super::otlp::link(&span, &trace) {
            trace.adopt(trace_id, span_id);
        }
        span.record("trace_id", tracing::field::display(trace.trace_id()));
        span.record("span_id", tracing::field::display(trace.span_id()));
        let mut log = Outcome {
            spec,
            request_id,
            start,
            logged: false,
            metrics: CallMetrics::start(spec),
            span,
            trace_id: trace.trace_id().to_owned(),
        };
        let client_timeout = match metadata.get("grpc-timeout") {
            None => None,
            Some(value) => match value.to_str().ok().and_then(parse_grpc_timeout) {
                Some(timeout) => Some(timeout),
                None => {
                    return Err(log.status(ServiceError::invalid_argument(
                        "malformed grpc-timeout header",
                    )));
                }
            },
        };
        let deadline = effective_deadline(start, client_timeout, spec.timeout);
        if deadline.is_some_and(|d| d <= start) {
            return Err(log.status(ServiceError::deadline_exceeded("deadline exceeded")));
        }
        let authenticated = within(deadline, authenticator.authenticate(&metadata)).await;
        let principal = match authenticated {
            None => return Err(log.status(ServiceError::deadline_exceeded("deadline exceeded"))),
            Some(result) => match (spec.public, result) {
                (true, Ok(principal)) => principal,
                (true, Err(_)) => None,
                (false, Err(error)) => return Err(log.status(error)),
                (false, Ok(None)) => {
                    return Err(log.status(ServiceError::unauthenticated(format!(
                        "`{}` needs credentials",
                        spec.path
                    ))));
                }
                (false, Ok(Some(principal))) => {
                    let missing: Vec<&str> = spec
                        .scopes
                        .iter()
                        .copied()
                        .filter(|s| !principal.has_scope(s))
                        .collect();
                    if !missing.is_empty() {
                        return Err(log.status(ServiceError::permission_denied(format!(
                            "`{}` needs the scope{} {}",
                            spec.path,
                            if missing.len() == 1 { "" } else { "s" },
                            missing
                                .iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))));
                    }
                    Some(principal)
                }
            },
        };
        if !interceptors.is_empty() {
            let span = log.span.clone();
            let _entered = span.enter();
            for interceptor in interceptors.0.iter() {
                let mut intercepted = Intercepted {
                    method: spec,
                    metadata: &metadata,
                    extensions: &mut extensions,
                    principal: principal.as_ref(),
                    request_id: &log.request_id,
                    trace: &trace,
                };
                if let Err(error) = interceptor.intercept(&mut intercepted) {
                    return Err(log.status(error));
                }
            }
        }
        let context = CallContext {
            principal,
            deadline,
            request_id: log.request_id.clone(),
            metadata,
            extensions,
            method: spec,
            trace,
        };
        Ok((context, message, Call { log, deadline }))
    }

    /// The request stream of a client-streaming or bidirectional call, its messages counted.
    pub fn requests<T>(&self, inner: tonic::Streaming<T>) -> RequestStream<T> {
        RequestStream {
            inner: Box::pin(inner),
            received: Some(self.log.metrics.received()),
        }
    }

    /// Awaits the handler under the deadline; a failure is logged and turned into its status.
    async fn run<T, E: IntoServiceError>(
        &mut self,
        handler: impl Future<Output = Result<T, E>>,
    ) -> Result<T, Status> {
        let handler = tracing::Instrument::instrument(handler, self.log.span.clone());
        match within(self.deadline, handler).await {
            None => Err(self
                .log
                .status(ServiceError::deadline_exceeded("deadline exceeded"))),
            Some(Err(error)) => Err(self.log.status(error.into_service_error())),
            Some(Ok(output)) => Ok(output),
        }
    }

    /// Runs a unary or client-streaming handler under the deadline.
    pub async fn unary<T, E>(
        mut self,
        handler: impl Future<Output = Result<T, E>>,
    ) -> Result<tonic::Response<T>, Status>
    where
        E: IntoServiceError,
    {
        let message = self.run(handler).await?;
        self.log.log(Code::Ok);
        let mut response = tonic::Response::new(message);
        set_request_id(response.metadata_mut(), &self.log.request_id);
        Ok(response)
    }

    /// Runs a server-streaming or bidirectional handler: its setup under the deadline, then
    /// every message; when the deadline passes the stream ends with DEADLINE_EXCEEDED.
    pub async fn streaming<T, E>(
        mut self,
        handler: impl Future<Output = Result<ResponseStream<T, E>, E>>,
    ) -> Result<tonic::Response<StatusStream<T>>, Status>
    where
        T: Send + 'static,
        E: IntoServiceError,
    {
        let stream = self.run(handler).await?;
        let body = Body {
            sent: self.log.metrics.sent(),
            span: self.log.span.clone(),
            inner: Some(stream),
            sleep: self.deadline.map(|d| Box::pin(tokio::time::sleep_until(d))),
            done: false,
            log: self.log,
        };
        let request_id = body.log.request_id.clone();
        let mut response = tonic::Response::new(Box::pin(body) as StatusStream<T>);
        set_request_id(response.metadata_mut(), &request_id);
        Ok(response)
    }
}

/// `Some(output)`, or `None` when the deadline passed first (the future is dropped).
async fn within<F: Future>(deadline: Option<Instant>, future: F) -> Option<F::Output> {
    match deadline {
        None => Some(future.await),
        Some(deadline) => tokio::time::timeout_at(deadline, future).await.ok(),
    }
}

/// A handler's response stream under the deadline, with errors mapped and the call logged.
struct Body<T, E> {
    /// `None` once the deadline passed: the handler's stream is dropped then.
    inner: Option<ResponseStream<T, E>>,
    sleep: Option<Pin<Box<Sleep>>>,
    done: bool,
    log: Outcome,
    /// Counts the messages sent.
    sent: metrics::Counter,
    /// The call's span, entered while the handler's stream is polled.
    span: tracing::Span,
}

impl<T, E: IntoServiceError> Stream for Body<T, E> {
    type Item = Result<T, Status>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the inner stream and the timer are boxed).
        let this = self.get_mut();
        let _entered = this.span.enter();
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        if this.done {
            return Poll::Ready(None);
        }
        if let Some(sleep) = this.sleep.as_mut()
            && sleep.as_mut().poll(cx).is_ready()
        {
            this.done = true;
            this.inner = None;
            this.log.log(Code::DeadlineExceeded);
            let mut status = deadline_status();
            set_request_id(status.metadata_mut(), &this.log.request_id);
            return Poll::Ready(Some(Err(status)));
        }
        match inner.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => {
                this.done = true;
                this.log.log(Code::Ok);
                Poll::Ready(None)
            }
            Poll::Ready(Some(Ok(message))) => {
                this.sent.increment(1);
                Poll::Ready(Some(Ok(message)))
            }
            Poll::Ready(Some(Err(error))) => {
                this.done = true;
                Poll::Ready(Some(Err(this.log.status(error.into_service_error()))))
            }
        }
    }
}

/// For generated clients: puts `timeout` on the request unless the caller set a deadline.
pub fn with_default_timeout<T>(
    mut request: tonic::Request<T>,
    timeout: Option<Duration>,
) -> tonic::Request<T> {
    if let Some(timeout) = timeout
        && !request.metadata().contains_key("grpc-timeout")
    {
        request.set_timeout(timeout);
    }
    request
}

/// For generated clients: tonic's client answers its own expired timer with CANCELLED (its
/// cause a `tonic::TimeoutExpired`), often before the server's DEADLINE_EXCEEDED arrives; both
/// mean the deadline passed, so both come back as DEADLINE_EXCEEDED. A connection that broke
/// under the call comes from tonic as UNKNOWN (its cause a `tonic::transport::Error`); it is
/// UNAVAILABLE, as gRPC has it (and so retried when the method is safe to repeat). Both are told
/// by the type of the cause, never by tonic's wording; the test
/// `tonic_reports_its_own_expired_timer_with_a_typed_cause` holds tonic to that.
pub fn client_result<T>(result: Result<T, Status>) -> Result<T, Status> {
    result.map_err(|status| {
        if status.code() == Code::Cancelled && caused_by::<tonic::TimeoutExpired>(&status).is_some()
        {
            deadline_status()
        } else if status.code() == Code::Unknown
            && let Some(transport) = caused_by::<tonic::transport::Error>(&status)
        {
            Status::unavailable(format!(
                "the connection failed: {}",
                super::error_chain(transport)
            ))
        } else {
            status
        }
    })
}

/// The first error of type `E` in the chain of causes under `status`.
fn caused_by<E: std::error::Error + 'static>(status: &Status) -> Option<&E> {
    let mut cause = std::error::Error::source(status);
    while let Some(error) = cause {
        if let Some(found) = error.downcast_ref::<E>() {
            return Some(found);
        }
        cause = error.source();
    }
    None
}

/// A public unary method, for tests.
#[cfg(test)]
pub(crate) const TEST_SPEC: MethodSpec = MethodSpec {
    service: "a.v1.S",
    method: "M",
    path: "/a.v1.S/M",
    kind: MethodKind::Unary,
    public: true,
    scopes: &[],
    timeout: None,
    retryable: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_kept_only_when_plain() {
        let mut metadata = MetadataMap::new();
        metadata.insert("x-request-id", "abc-123".parse().unwrap());
        assert_eq!(request_id(&metadata), "abc-123");
        for bad in ["a b", "a\tb", "x;rm -rf", &"a".repeat(129)] {
            let mut metadata = MetadataMap::new();
            metadata.insert("x-request-id", bad.parse().unwrap());
            let id = request_id(&metadata);
            assert_ne!(id, bad);
            assert_eq!(id.len(), 36);
        }
    }

    static PUBLIC: MethodSpec = TEST_SPEC;
    static PROTECTED: MethodSpec = MethodSpec {
        public: false,
        scopes: &["a.write"],
        ..PUBLIC
    };

    fn block<T>(f: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// tonic's client gives its own expired timer a typed cause (`client_result` relies on the
    /// type, not on the message), and `client_result` makes it DEADLINE_EXCEEDED.
    #[tokio::test]
    async fn tonic_reports_its_own_expired_timer_with_a_typed_cause() {
        // A server that takes the call and never answers.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app =
            axum::Router::new().route("/t.S/M", axum::routing::post(std::future::pending::<()>));
        tokio::spawn(async move { axum::serve(listener, app).await });
        let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect()
            .await
            .unwrap();
        let mut grpc = tonic::client::Grpc::new(channel);
        grpc.ready().await.unwrap();
        let mut request = tonic::Request::new(());
        request.set_timeout(Duration::from_millis(50));
        let path = http::uri::PathAndQuery::from_static("/t.S/M");
        let codec = tonic_prost::ProstCodec::<(), ()>::default();
        let status = grpc.unary(request, path, codec).await.unwrap_err();
        assert_eq!(status.code(), Code::Cancelled, "{status:?}");
        assert!(
            caused_by::<tonic::TimeoutExpired>(&status).is_some(),
            "{status:?}"
        );
        let mapped = client_result::<()>(Err(status)).unwrap_err();
        assert_eq!(mapped.code(), Code::DeadlineExceeded);
    }

    /// A user's own error type, mapped by implementing one trait.
    enum ShopError {
        Missing(String),
        Storage(std::io::Error),
    }

    impl IntoServiceError for ShopError {
        fn into_service_error(self) -> ServiceError {
            match self {
                ShopError::Missing(id) => ServiceError::not_found(format!("no product {id}")),
                ShopError::Storage(e) => ServiceError::internal(e),
            }
        }
    }

    async fn call(
        spec: &'static MethodSpec,
        metadata: &[(&'static str, &str)],
        result: Result<u32, ShopError>,
    ) -> (Result<tonic::Response<u32>, Status>, bool) {
        let mut request = tonic::Request::new(());
        for (k, v) in metadata {
            request.metadata_mut().insert(*k, v.parse().unwrap());
        }
        let reached = std::sync::atomic::AtomicBool::new(false);
        let auth = crate::runtime::ApiKeyAuthenticator::new(
            crate::runtime::KeyStore::parse("w:wk:a.write;r:rk:a.read").unwrap(),
        );
        let outcome = match Call::begin(spec, &auth, request).await {
            Err(status) => Err(status),
            Ok((_ctx, (), call)) => {
                call.unary(async {
                    reached.store(true, std::sync::atomic::Ordering::SeqCst);
                    result
                })
                .await
            }
        };
        (outcome, reached.into_inner())
    }

    #[test]
    fn the_context_carries_the_request_extensions_and_the_peer() {
        block(async {
            let peer: std::net::SocketAddr = "192.0.2.7:41000".parse().unwrap();
            let mut request = tonic::Request::new(());
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            // What a tower layer in front of the service inserted.
            request.extensions_mut().insert(42u32);
            let (ctx, (), _call) = Call::begin(&PUBLIC, &crate::runtime::NoAuthenticator, request)
                .await
                .unwrap();
            assert_eq!(ctx.peer(), Some(peer));
            assert_eq!(ctx.extensions().get::<u32>(), Some(&42));
            let (ctx, (), _call) = Call::begin(
                &PUBLIC,
                &crate::runtime::NoAuthenticator,
                tonic::Request::new(()),
            )
            .await
            .unwrap();
            assert_eq!(ctx.peer(), None);
        });
    }

    #[test]
    fn interceptors_run_in_order_after_auth_and_feed_the_context() {
        #[derive(Clone, Debug, PartialEq)]
        struct Seen(Vec<&'static str>);
        block(async {
            let auth = crate::runtime::ApiKeyAuthenticator::new(
                crate::runtime::KeyStore::parse("w:wk:a.write").unwrap(),
            );
            let mut interceptors = Interceptors::default();
            interceptors.push(|call: &mut Intercepted<'_>| {
                assert_eq!(call.principal().map(|p| p.id.as_str()), Some("w"));
                call.extensions_mut().insert(Seen(vec!["first"]));
                Ok(())
            });
            interceptors.push(|call: &mut Intercepted<'_>| {
                let mut seen = call.extensions().get::<Seen>().cloned().unwrap();
                seen.0.push("second");
                call.extensions_mut().insert(seen);
                if call.metadata().contains_key("x-refuse") {
                    return Err(ServiceError::failed_precondition("refused"));
                }
                Ok(())
            });
            assert_eq!(interceptors.len(), 2);
            let request = |key: Option<&str>, refuse: bool| {
                let mut request = tonic::Request::new(());
                if let Some(key) = key {
                    request
                        .metadata_mut()
                        .insert("x-api-key", key.parse().unwrap());
                }
                if refuse {
                    request
                        .metadata_mut()
                        .insert("x-refuse", "1".parse().unwrap());
                }
                request
            };
            let (ctx, (), _call) = Call::begin_intercepted(
                &PROTECTED,
                &auth,
                &interceptors,
                request(Some("wk"), false),
            )
            .await
            .unwrap();
            assert_eq!(
                ctx.extensions().get::<Seen>(),
                Some(&Seen(vec!["first", "second"]))
            );
            let refused = Call::begin_intercepted(
                &PROTECTED,
                &auth,
                &interceptors,
                request(Some("wk"), true),
            )
            .await
            .err()
            .unwrap();
            assert_eq!(refused.code(), Code::FailedPrecondition);
            // Auth refuses first: the interceptors (which assert a principal) never run.
            let unauthenticated =
                Call::begin_intercepted(&PROTECTED, &auth, &interceptors, request(None, true))
                    .await
                    .err()
                    .unwrap();
            assert_eq!(unauthenticated.code(), Code::Unauthenticated);
        });
    }

    #[test]
    fn own_error_types_map_through_one_trait() {
        block(async {
            let (r, _) = call(&PUBLIC, &[], Err(ShopError::Missing("p-1".into()))).await;
            let status = r.unwrap_err();
            assert_eq!(
                (status.code(), status.message()),
                (Code::NotFound, "no product p-1")
            );
            assert!(status.metadata().get("x-request-id").is_some());
            let io = std::io::Error::other("disk /dev/sda1 failed");
            let (r, _) = call(
                &PUBLIC,
                &[("x-request-id", "r-9")],
                Err(ShopError::Storage(io)),
            )
            .await;
            let status = r.unwrap_err();
            assert_eq!(status.message(), "internal error (request id r-9)");
            let (r, _) = call(&PUBLIC, &[], Ok(7)).await;
            assert_eq!(*r.unwrap().get_ref(), 7);
        });
    }

    #[test]
    fn refused_calls_never_reach_the_handler() {
        block(async {
            let cases: [(&[(&'static str, &str)], Code); 5] = [
                (&[], Code::Unauthenticated),
                (&[("x-api-key", "")], Code::Unauthenticated),
                (&[("x-api-key", "WK")], Code::Unauthenticated),
                (&[("x-api-key", "rk")], Code::PermissionDenied),
                (
                    &[("x-api-key", "wk"), ("grpc-timeout", "0n")],
                    Code::DeadlineExceeded,
                ),
            ];
            for (metadata, code) in cases {
                let (r, reached) = call(&PROTECTED, metadata, Ok(1)).await;
                assert_eq!(r.unwrap_err().code(), code, "{metadata:?}");
                assert!(!reached, "{metadata:?} reached the handler");
            }
            let (r, reached) = call(&PROTECTED, &[("x-api-key", "wk")], Ok(1)).await;
            assert!(r.is_ok() && reached);
            // A public method ignores bad credentials rather than failing on them.
            let (r, _) = call(&PUBLIC, &[("x-api-key", "nope")], Ok(1)).await;
            assert!(r.is_ok());
        });
    }

    #[test]
    fn malformed_and_huge_grpc_timeouts() {
        block(async {
            for bad in ["soon", "1x", "123456789S", "-1S"] {
                let (r, reached) = call(&PUBLIC, &[("grpc-timeout", bad)], Ok(1)).await;
                assert_eq!(r.unwrap_err().code(), Code::InvalidArgument, "{bad}");
                assert!(!reached);
            }
            let (r, _) = call(&PUBLIC, &[("grpc-timeout", "99999999H")], Ok(1)).await;
            assert!(r.is_ok(), "a deadline years away is no deadline");
        });
    }

    #[test]
    fn client_timeouts() {
        let spec = |kind, timeout| MethodSpec {
            service: "s",
            method: "m",
            path: "/s/m",
            kind,
            public: true,
            scopes: &[],
            timeout,
            retryable: false,
        };
        let s = Duration::from_secs;
        assert_eq!(
            spec(MethodKind::Unary, Some(s(2))).client_timeout(Some(s(30))),
            Some(s(2))
        );
        assert_eq!(
            spec(MethodKind::Unary, None).client_timeout(Some(s(30))),
            Some(s(30))
        );
        assert_eq!(
            spec(MethodKind::Bidirectional, None).client_timeout(Some(s(30))),
            None
        );
        let request = with_default_timeout(tonic::Request::new(()), Some(s(2)));
        assert_eq!(request.metadata().get("grpc-timeout").unwrap(), "2000000u");
    }
}
