//! Per-method metrics, recorded through the `metrics` facade under go-grpc-prometheus's names,
//! so existing dashboards read them: calls started and handled (by code), latency, calls in
//! flight and messages each way. With no recorder installed by the application, the server
//! installs a Prometheus one and serves it at `GET /metrics` ([`MetricsEndpoint`]).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use metrics::{Counter, Gauge};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tonic::Code;

use super::auth::Authenticator;
use super::call::{MethodKind, MethodSpec};

/// Where the server serves its metrics (`GET /metrics`, Prometheus text format).
#[derive(Clone, Default)]
pub enum MetricsEndpoint {
    /// Only to clients on the loopback interface (a sidecar or node agent scraping locally).
    #[default]
    Loopback,
    /// To anyone who can reach the port.
    Public,
    /// To callers the authenticator accepts (credentials in the scrape's headers).
    Authenticated(Arc<dyn Authenticator>),
    /// Not served (metrics are still recorded for whatever recorder is installed).
    Off,
}

impl std::fmt::Debug for MetricsEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MetricsEndpoint::Loopback => "Loopback",
            MetricsEndpoint::Public => "Public",
            MetricsEndpoint::Authenticated(_) => "Authenticated",
            MetricsEndpoint::Off => "Off",
        })
    }
}

/// The path the endpoint answers on.
pub const METRICS_PATH: &str = "/metrics";

/// Latency buckets, in seconds: 0.5 ms to 60 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    60.0,
];

/// The Prometheus recorder this process installed, or `None` when the application installed
/// its own recorder first (its exporter then has the metrics).
pub(crate) fn prometheus() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            describe();
            // Histograms are drained into their buckets here as well as on each scrape, so an
            // unscraped server does not grow.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let upkeep = handle.clone();
                runtime.spawn(async move {
                    let mut every = tokio::time::interval(Duration::from_secs(5));
                    loop {
                        every.tick().await;
                        upkeep.run_upkeep();
                    }
                });
            }
            Some(handle)
        })
        .as_ref()
}

fn describe() {
    metrics::describe_counter!("grpc_server_started_total", "RPCs started on the server.");
    metrics::describe_counter!(
        "grpc_server_handled_total",
        "RPCs completed on the server, by status code."
    );
    metrics::describe_histogram!(
        "grpc_server_handling_seconds",
        metrics::Unit::Seconds,
        "Time from the start of an RPC to its status."
    );
    metrics::describe_gauge!(
        "grpc_server_in_flight",
        "RPCs started and not yet completed."
    );
    metrics::describe_counter!(
        "grpc_server_msg_received_total",
        "Messages received on RPCs (one per unary request)."
    );
    metrics::describe_counter!(
        "grpc_server_msg_sent_total",
        "Messages sent on RPCs (one per unary response)."
    );
    metrics::describe_counter!(
        "http_server_requests_total",
        "HTTP/JSON gateway requests, by route and HTTP status."
    );
    metrics::describe_histogram!(
        "http_server_request_duration_seconds",
        metrics::Unit::Seconds,
        "HTTP/JSON gateway request latency, to the response head."
    );
}

/// go-grpc-prometheus's `grpc_type` label.
fn kind_label(kind: MethodKind) -> &'static str {
    match kind {
        MethodKind::Unary => "unary",
        MethodKind::ClientStreaming => "client_stream",
        MethodKind::ServerStreaming => "server_stream",
        MethodKind::Bidirectional => "bidi_stream",
    }
}

/// `Code::NotFound` as `NotFound`, the label go-grpc-prometheus writes.
fn code_label(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "Canceled",
        Code::Unknown => "Unknown",
        Code::InvalidArgument => "InvalidArgument",
        Code::DeadlineExceeded => "DeadlineExceeded",
        Code::NotFound => "NotFound",
        Code::AlreadyExists => "AlreadyExists",
        Code::PermissionDenied => "PermissionDenied",
        Code::ResourceExhausted => "ResourceExhausted",
        Code::FailedPrecondition => "FailedPrecondition",
        Code::Aborted => "Aborted",
        Code::OutOfRange => "OutOfRange",
        Code::Unimplemented => "Unimplemented",
        Code::Internal => "Internal",
        Code::Unavailable => "Unavailable",
        Code::DataLoss => "DataLoss",
        Code::Unauthenticated => "Unauthenticated",
    }
}

/// One call's instruments: fetched once at its start, so a stream's messages cost an atomic
/// add each and no allocation.
pub(crate) struct CallMetrics {
    spec: &'static MethodSpec,
    in_flight: Gauge,
}

macro_rules! call_labels {
    ($spec:expr) => {
        [
            ("grpc_service", $spec.service),
            ("grpc_method", $spec.method),
            ("grpc_type", kind_label($spec.kind)),
        ]
    };
}

impl CallMetrics {
    /// Counts the call as started and in flight.
    pub(crate) fn start(spec: &'static MethodSpec) -> CallMetrics {
        let labels = call_labels!(spec);
        metrics::counter!("grpc_server_started_total", &labels).increment(1);
        let in_flight = metrics::gauge!("grpc_server_in_flight", &labels);
        in_flight.increment(1.0);
        if matches!(spec.kind, MethodKind::Unary | MethodKind::ServerStreaming) {
            metrics::counter!("grpc_server_msg_received_total", &labels).increment(1);
        }
        CallMetrics { spec, in_flight }
    }

    /// The counter of messages received on this call's request stream.
    pub(crate) fn received(&self) -> Counter {
        metrics::counter!("grpc_server_msg_received_total", &call_labels!(self.spec))
    }

    /// The counter of messages sent on this call's response stream.
    pub(crate) fn sent(&self) -> Counter {
        metrics::counter!("grpc_server_msg_sent_total", &call_labels!(self.spec))
    }

    /// Counts the call as handled with `code` after `elapsed` (the call's log line calls it,
    /// once).
    pub(crate) fn finish(&self, code: Code, elapsed: Duration) {
        self.in_flight.decrement(1.0);
        let [service, method, kind] = call_labels!(self.spec);
        let labels = [service, method, kind, ("grpc_code", code_label(code))];
        metrics::counter!("grpc_server_handled_total", &labels).increment(1);
        metrics::histogram!("grpc_server_handling_seconds", &[service, method, kind])
            .record(elapsed.as_secs_f64());
        if code == Code::Ok
            && matches!(
                self.spec.kind,
                MethodKind::Unary | MethodKind::ClientStreaming
            )
        {
            metrics::counter!("grpc_server_msg_sent_total", &[service, method, kind]).increment(1);
        }
    }
}

/// Records one gateway request: its route template, HTTP method and status.
pub(crate) fn http_request(
    route: &'static str,
    method: &http::Method,
    status: u16,
    elapsed: Duration,
) {
    let method: &'static str = match *method {
        http::Method::GET => "GET",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::PATCH => "PATCH",
        http::Method::DELETE => "DELETE",
        http::Method::HEAD => "HEAD",
        http::Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let labels = [("route", route), ("http_method", method)];
    metrics::histogram!("http_server_request_duration_seconds", &labels)
        .record(elapsed.as_secs_f64());
    let status: metrics::SharedString = match status {
        200 => "200".into(),
        204 => "204".into(),
        400 => "400".into(),
        401 => "401".into(),
        403 => "403".into(),
        404 => "404".into(),
        409 => "409".into(),
        429 => "429".into(),
        500 => "500".into(),
        503 => "503".into(),
        504 => "504".into(),
        other => other.to_string().into(),
    };
    metrics::counter!(
        "http_server_requests_total",
        "route" => route,
        "http_method" => method,
        "status" => status
    )
    .increment(1);
}

/// Whether `endpoint` lets this scrape in: `Ok` or the HTTP status that refuses it.
pub(crate) async fn admit(
    endpoint: &MetricsEndpoint,
    peer: Option<SocketAddr>,
    headers: &http::HeaderMap,
) -> Result<(), (http::StatusCode, &'static str)> {
    match endpoint {
        MetricsEndpoint::Public => Ok(()),
        MetricsEndpoint::Off => Err((http::StatusCode::NOT_FOUND, "no metrics here\n")),
        MetricsEndpoint::Loopback => match peer {
            Some(peer) if peer.ip().is_loopback() => Ok(()),
            Some(_) => Err((
                http::StatusCode::FORBIDDEN,
                "metrics are served to loopback clients only\n",
            )),
            None => Err((
                http::StatusCode::FORBIDDEN,
                "metrics are served to loopback clients only, and this server does not know \
                 its peers (serve with Server::serve or into_make_service_with_connect_info)\n",
            )),
        },
        MetricsEndpoint::Authenticated(authenticator) => {
            let metadata = tonic::metadata::MetadataMap::from_headers(headers.clone());
            match authenticator.authenticate(&metadata).await {
                Ok(Some(_)) => Ok(()),
                _ => Err((http::StatusCode::UNAUTHORIZED, "metrics need credentials\n")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admitted(endpoint: &MetricsEndpoint, peer: Option<&str>, key: Option<&str>) -> u16 {
        let mut headers = http::HeaderMap::new();
        if let Some(key) = key {
            headers.insert("x-api-key", key.parse().unwrap());
        }
        let peer = peer.map(|p| p.parse().unwrap());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        match runtime.block_on(admit(endpoint, peer, &headers)) {
            Ok(()) => 200,
            Err((status, _)) => status.as_u16(),
        }
    }

    #[test]
    fn each_endpoint_policy_admits_whom_it_says() {
        let loopback = MetricsEndpoint::default();
        assert_eq!(admitted(&loopback, Some("127.0.0.1:9"), None), 200);
        assert_eq!(admitted(&loopback, Some("[::1]:9"), None), 200);
        assert_eq!(admitted(&loopback, Some("10.1.2.3:9"), None), 403);
        assert_eq!(admitted(&loopback, None, None), 403);
        assert_eq!(
            admitted(&MetricsEndpoint::Public, Some("10.1.2.3:9"), None),
            200
        );
        assert_eq!(
            admitted(&MetricsEndpoint::Off, Some("127.0.0.1:9"), None),
            404
        );
        let keys = crate::runtime::KeyStore::parse("scraper:s3cret:").unwrap();
        let authenticated = MetricsEndpoint::Authenticated(Arc::new(
            crate::runtime::ApiKeyAuthenticator::new(keys),
        ));
        assert_eq!(
            admitted(&authenticated, Some("10.1.2.3:9"), Some("s3cret")),
            200
        );
        assert_eq!(
            admitted(&authenticated, Some("127.0.0.1:9"), Some("wrong")),
            401
        );
        assert_eq!(admitted(&authenticated, Some("127.0.0.1:9"), None), 401);
    }
}
