//! Traces: a call continues the client's W3C `traceparent` (gRPC metadata or the gateway's HTTP
//! header), and its log lines (the call's own line, an internal error's cause) carry the trace
//! id. One test in its own process: it installs the global `tracing` subscriber.

mod common;

use common::{Captured, PARENT, TRACE, start, traced_get};
use example_service::shop::v1::GetProductRequest;
use example_service::shop::v1::catalog_service_forge::Client;
use example_service::{Catalog, Faults};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_continue_the_clients_trace_and_their_logs_carry_it() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let catalog = Catalog::new().with_faults(Faults {
        corrupt_reads: true,
        ..Faults::default()
    });
    let addr = start(catalog).await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
    let status = grpc
        .get_product(traced_get("p-1", "grpc-traced"))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::Internal);

    // Through the gateway, with the trace in an HTTP header.
    let other_trace = "0af7651916cd43dd8448eb211c80319c";
    reqwest::Client::new()
        .get(format!("http://{addr}/v1/products/p-2"))
        .header(
            "traceparent",
            format!("00-{other_trace}-b7ad6b7169203331-01"),
        )
        .header("x-request-id", "http-traced")
        .send()
        .await
        .unwrap();
    // And one without a trace: a new trace id of its own.
    let mut untraced = tonic::Request::new(GetProductRequest::default());
    untraced
        .metadata_mut()
        .insert("x-request-id", "untraced".parse().unwrap());
    let _ = grpc.get_product(untraced).await;

    // The call's line and the internal error's cause both carry the client's trace id and
    // the parent span.
    let traced = captured.lines_with("grpc-traced");
    let call_line = traced
        .iter()
        .find(|l| l.contains("grpc call"))
        .unwrap_or_else(|| panic!("no call line in {traced:#?}"));
    assert!(
        call_line.contains(&format!("trace_id={TRACE}")),
        "{call_line}"
    );
    assert!(
        call_line.contains(&format!("parent_span_id=\"{PARENT}\"")),
        "{call_line}"
    );
    assert!(call_line.contains("code=Internal"), "{call_line}");
    assert!(call_line.contains("peer=127.0.0.1:"), "{call_line}");
    let cause = traced
        .iter()
        .find(|l| l.contains("internal error"))
        .unwrap_or_else(|| panic!("no internal error line in {traced:#?}"));
    assert!(cause.contains(&format!("trace_id={TRACE}")), "{cause}");

    let http = captured.lines_with("http-traced");
    assert!(
        http.iter()
            .any(|l| l.contains("grpc call") && l.contains(&format!("trace_id={other_trace}"))),
        "{http:#?}"
    );
    let fresh = captured.lines_with("untraced");
    let fresh = fresh.iter().find(|l| l.contains("grpc call")).unwrap();
    assert!(
        !fresh.contains(TRACE) && !fresh.contains("parent_span_id"),
        "{fresh}"
    );
    assert!(fresh.contains("trace_id="), "{fresh}");
}
