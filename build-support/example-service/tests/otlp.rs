//! Feature `otlp`: a call's span reaches an OpenTelemetry collector (one run by this test,
//! speaking OTLP's gRPC service) as a child of the client's `traceparent`, and the call's log
//! line carries the ids the collector received. One test in its own process: it installs the
//! global `tracing` subscriber.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Captured, PARENT, TRACE, traced_get};
use example_service::Catalog;
use example_service::shop::v1::catalog_service_forge::Client;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use protoforge::runtime::Otlp;
use tracing_subscriber::layer::SubscriberExt;

struct Collector(tokio::sync::mpsc::UnboundedSender<ExportTraceServiceRequest>);

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let _ = self.0.send(request.into_inner());
        Ok(tonic::Response::new(ExportTraceServiceResponse {
            partial_success: None,
        }))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calls_span_reaches_the_collector_under_the_clients_parent() {
    let (tx, mut exports) = tokio::sync::mpsc::unbounded_channel();
    let collector = protoforge::runtime::Server::new()
        .add_service(TraceServiceServer::new(Collector(tx)))
        .metrics_endpoint(protoforge::runtime::MetricsEndpoint::Off);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let collector_addr = listener.local_addr().unwrap();
    tokio::spawn(collector.serve_with_listener(listener, std::future::pending()));

    let otlp =
        Arc::new(Otlp::install(&format!("http://{collector_addr}"), "catalog-test").unwrap());
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::registry().with(otlp.layer()).with(
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(move || writer.clone()),
    );
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let addr = common::start(Catalog::new()).await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
    let status = grpc
        .get_product(traced_get("p-404", "otlp-traced"))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound);

    let flushing = otlp.clone();
    tokio::task::spawn_blocking(move || flushing.flush())
        .await
        .unwrap()
        .unwrap();
    let mut exported = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let span = loop {
        let request = tokio::time::timeout_at(deadline, exports.recv())
            .await
            .expect("the collector got no span in 10 s")
            .unwrap();
        let spans = request
            .resource_spans
            .into_iter()
            .flat_map(|r| r.scope_spans)
            .flat_map(|s| s.spans);
        exported.extend(spans);
        if let Some(span) = exported.iter().find(|s| s.name == "grpc") {
            break span.clone();
        }
    };
    assert_eq!(hex(&span.trace_id), TRACE, "the client's trace");
    assert_eq!(
        hex(&span.parent_span_id),
        PARENT,
        "the client's span as parent"
    );
    let attribute = |key: &str| {
        span.attributes
            .iter()
            .find(|a| a.key == key)
            .and_then(|a| a.value.as_ref())
            .map(|v| format!("{:?}", v.value))
            .unwrap_or_default()
    };
    assert!(attribute("method").contains("/shop.v1.CatalogService/GetProduct"));
    assert!(attribute("request_id").contains("otlp-traced"));
    assert!(
        attribute("code").contains("NotFound"),
        "{:?}",
        span.attributes
    );
    // The call's log line has the span id the collector got.
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    let line = logs
        .lines()
        .find(|l| l.contains("grpc call") && l.contains("otlp-traced"))
        .unwrap_or_else(|| panic!("no call line in {logs}"));
    assert!(
        line.contains(&format!("span_id={}", hex(&span.span_id))),
        "{line}"
    );
    assert!(line.contains(&format!("trace_id={TRACE}")), "{line}");
}
