//! Per-method metrics as a Prometheus scrape sees them: calls of every kind over gRPC and the
//! gateway, counted by code, messages each way, latency and calls in flight; `/metrics` served
//! to loopback clients. One test in its own process: the recorder is process-wide, so the
//! counts below are exactly what this test did.

mod common;

use common::{create_product, start, with_key};
use example_service::Catalog;
use example_service::shop::v1::catalog_service_forge::Client;
use example_service::shop::v1::*;

/// The value of the sample `name{labels}` in `text`, labels in the exporter's order.
fn sample(text: &str, name_and_labels: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name_and_labels)?.strip_prefix(' '))
        .map(|value| value.parse().unwrap())
}

const UNARY: &str =
    r#"grpc_service="shop.v1.CatalogService",grpc_method="GetProduct",grpc_type="unary""#;
const CREATE: &str =
    r#"grpc_service="shop.v1.CatalogService",grpc_method="CreateProduct",grpc_type="unary""#;
const BATCH: &str = r#"grpc_service="shop.v1.CatalogService",grpc_method="BatchCreateProducts",grpc_type="client_stream""#;
const WATCH: &str =
    r#"grpc_service="shop.v1.CatalogService",grpc_method="WatchPrices",grpc_type="bidi_stream""#;
const LIST: &str =
    r#"grpc_service="shop.v1.CatalogService",grpc_method="ListProducts",grpc_type="server_stream""#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_counts_every_call_kind_by_code_with_messages_and_latency() {
    let addr = start(Catalog::new()).await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();

    // Unary: two found, one not found, one refused (no key).
    let created = create_product(&mut grpc, "lamp").await;
    for id in [created.id.as_str(), created.id.as_str(), "p-404"] {
        let _ = grpc
            .get_product(GetProductRequest {
                id: id.into(),
                ..GetProductRequest::default()
            })
            .await;
    }
    let refused = grpc
        .create_product(CreateProductRequest::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::Unauthenticated);
    // Client streaming: three messages in.
    let batch: Vec<BatchCreateProductsRequest> = ["a", "b", "c"]
        .into_iter()
        .map(|name| BatchCreateProductsRequest {
            product: Some(Product {
                name: name.into(),
                ..Product::default()
            }),
        })
        .collect();
    grpc.batch_create_products(with_key(tokio_stream::iter(batch)))
        .await
        .unwrap();
    // Server streaming: four products out.
    let mut listed = grpc
        .list_products(ListProductsRequest::default())
        .await
        .unwrap()
        .into_inner();
    let mut out = 0;
    while listed.message().await.unwrap().is_some() {
        out += 1;
    }
    assert_eq!(out, 4);
    // Bidirectional: two in, two out.
    let changes: Vec<WatchPricesRequest> = [100, 200]
        .into_iter()
        .map(|price_cents| WatchPricesRequest {
            product_id: created.id.clone(),
            price_cents,
        })
        .collect();
    let mut watched = grpc
        .watch_prices(with_key(tokio_stream::iter(changes)))
        .await
        .unwrap()
        .into_inner();
    while watched.message().await.unwrap().is_some() {}
    // The gateway: one found, one not, counted by route as well as by method.
    let http = reqwest::Client::new();
    for id in [created.id.as_str(), "p-404"] {
        http.get(format!("http://{addr}/v1/products/{id}"))
            .send()
            .await
            .unwrap();
    }

    let scrape = http
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scrape.status(), 200);
    assert_eq!(
        scrape.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = scrape.text().await.unwrap();
    let value = |name: &str, labels: &str| {
        sample(&text, &format!("{name}{{{labels}}}"))
            .unwrap_or_else(|| panic!("no {name}{{{labels}}} in:\n{text}"))
    };
    // Three gRPC GetProducts and two through the gateway, by code.
    assert_eq!(value("grpc_server_started_total", UNARY), 5.0);
    assert_eq!(
        value(
            "grpc_server_handled_total",
            &format!(r#"{UNARY},grpc_code="OK""#)
        ),
        3.0
    );
    assert_eq!(
        value(
            "grpc_server_handled_total",
            &format!(r#"{UNARY},grpc_code="NotFound""#)
        ),
        2.0
    );
    assert_eq!(
        value(
            "grpc_server_handled_total",
            &format!(r#"{CREATE},grpc_code="Unauthenticated""#)
        ),
        1.0
    );
    assert_eq!(value("grpc_server_msg_received_total", UNARY), 5.0);
    assert_eq!(value("grpc_server_msg_sent_total", UNARY), 3.0);
    assert_eq!(value("grpc_server_msg_received_total", BATCH), 3.0);
    assert_eq!(value("grpc_server_msg_sent_total", BATCH), 1.0);
    assert_eq!(value("grpc_server_msg_sent_total", LIST), 4.0);
    assert_eq!(value("grpc_server_msg_received_total", WATCH), 2.0);
    assert_eq!(value("grpc_server_msg_sent_total", WATCH), 2.0);
    // Latency as a histogram: every GetProduct in the +Inf bucket and the count.
    assert_eq!(
        value(
            "grpc_server_handling_seconds_bucket",
            &format!(r#"{UNARY},le="+Inf""#)
        ),
        5.0
    );
    assert_eq!(value("grpc_server_handling_seconds_count", UNARY), 5.0);
    assert!(value("grpc_server_handling_seconds_sum", UNARY) > 0.0);
    // Nothing left in flight.
    for labels in [UNARY, CREATE, BATCH, LIST, WATCH] {
        assert_eq!(value("grpc_server_in_flight", labels), 0.0, "{labels}");
    }
    assert_eq!(
        value(
            "http_server_requests_total",
            r#"route="/v1/products/{id}",http_method="GET",status="404""#
        ),
        1.0
    );
    assert_eq!(
        value(
            "http_server_request_duration_seconds_count",
            r#"route="/v1/products/{id}",http_method="GET""#
        ),
        2.0
    );
    assert!(text.contains(
        "# HELP grpc_server_handled_total RPCs completed on the server, by status code."
    ));
}
