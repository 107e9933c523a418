//! The HTTP/JSON gateway's cost per call, against the same call over gRPC, for the same unary
//! `GetProduct` (public, so no auth work on either path):
//! - `in_process/*`: requests handed straight to the server's router, no sockets or clients, so
//!   the difference is the gateway's own work (routing, JSON, the message conversions), or
//!   tonic-web's (`grpc_web`), or the Connect translation's (`connect_proto`, `connect_json`);
//! - `loopback/*`: end to end over TCP with tonic's client and reqwest (HTTP/1.1).
//!
//! `cargo bench -p example-service --bench gateway`; with `PROTOFORGE_BENCH_METRICS=off` the
//! servers record no metrics (no recorder is installed), for the cost of metrics per call.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use example_service::Catalog;
use example_service::shop::v1::catalog_service_forge::Client;
use example_service::shop::v1::{CreateProductRequest, GetProductRequest, Product};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The example server, with metrics unless `PROTOFORGE_BENCH_METRICS=off`.
fn server() -> protoforge::runtime::Server {
    let auth = example_service::authenticator("admin:k:catalog.write").unwrap();
    let server = example_service::server(Catalog::new(), auth);
    if std::env::var("PROTOFORGE_BENCH_METRICS").is_ok_and(|v| v == "off") {
        server.metrics_endpoint(protoforge::runtime::MetricsEndpoint::Off)
    } else {
        server
    }
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (grpc, http, url) = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(server().serve_with_listener(listener, std::future::pending()));
        let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
        let mut request = tonic::Request::new(CreateProductRequest {
            product: Some(Product {
                name: "lamp".into(),
                price_cents: 1999,
                tags: vec!["garden".into(), "light".into()],
                ..Product::default()
            }),
            ..CreateProductRequest::default()
        });
        request
            .metadata_mut()
            .insert("x-api-key", "k".parse().unwrap());
        grpc.create_product(request).await.unwrap();
        let http = reqwest::Client::new();
        (grpc, http, format!("http://{addr}/v1/products/p-1"))
    });

    let router = runtime.block_on(async {
        let router = server().into_router().await.unwrap();
        // One product, created over HTTP.
        let create = http::Request::post("/v1/products")
            .header("x-api-key", "k")
            .body(axum::body::Body::from(
                r#"{"name":"lamp","priceCents":"1999","tags":["garden","light"]}"#,
            ))
            .unwrap();
        let response = router.clone().oneshot(create).await.unwrap();
        assert!(response.status().is_success());
        router
    });
    let frame = {
        let message = prost::Message::encode_to_vec(&GetProductRequest {
            id: "p-1".into(),
            ..GetProductRequest::default()
        });
        let mut frame = vec![0u8];
        frame.extend_from_slice(&(message.len() as u32).to_be_bytes());
        frame.extend_from_slice(&message);
        bytes_of(frame)
    };
    let mut group = c.benchmark_group("in_process");
    group.bench_function("grpc", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = http::Request::post("/shop.v1.CatalogService/GetProduct")
                    .header("content-type", "application/grpc")
                    .header("te", "trailers")
                    .body(axum::body::Body::from(frame.clone()))
                    .unwrap();
                let response = router.clone().oneshot(request).await.unwrap();
                let body = response.into_body().collect().await.unwrap();
                let trailers = body.trailers().cloned().unwrap_or_default();
                assert_eq!(
                    trailers.get("grpc-status").map(|v| v.as_bytes()),
                    Some(&b"0"[..])
                );
                black_box(body.to_bytes());
            })
        })
    });
    group.bench_function("grpc_web", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = http::Request::post("/shop.v1.CatalogService/GetProduct")
                    .header("content-type", "application/grpc-web+proto")
                    .header("x-grpc-web", "1")
                    .body(axum::body::Body::from(frame.clone()))
                    .unwrap();
                let response = router.clone().oneshot(request).await.unwrap();
                assert!(response.status().is_success());
                black_box(response.into_body().collect().await.unwrap().to_bytes());
            })
        })
    });
    let message = frame.slice(5..);
    group.bench_function("connect_proto", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = http::Request::post("/shop.v1.CatalogService/GetProduct")
                    .header("content-type", "application/proto")
                    .header("connect-protocol-version", "1")
                    .body(axum::body::Body::from(message.clone()))
                    .unwrap();
                let response = router.clone().oneshot(request).await.unwrap();
                assert!(response.status().is_success());
                black_box(response.into_body().collect().await.unwrap().to_bytes());
            })
        })
    });
    group.bench_function("connect_json", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = http::Request::post("/shop.v1.CatalogService/GetProduct")
                    .header("content-type", "application/json")
                    .header("connect-protocol-version", "1")
                    .body(axum::body::Body::from(r#"{"id":"p-1"}"#))
                    .unwrap();
                let response = router.clone().oneshot(request).await.unwrap();
                assert!(response.status().is_success());
                black_box(response.into_body().collect().await.unwrap().to_bytes());
            })
        })
    });
    group.bench_function("http_json", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = http::Request::get("/v1/products/p-1")
                    .body(axum::body::Body::empty())
                    .unwrap();
                let response = router.clone().oneshot(request).await.unwrap();
                assert!(response.status().is_success());
                black_box(response.into_body().collect().await.unwrap().to_bytes());
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group("loopback");
    group.bench_function("grpc", |b| {
        b.iter(|| {
            let mut grpc = grpc.clone();
            runtime.block_on(async move {
                let request = GetProductRequest {
                    id: "p-1".into(),
                    ..GetProductRequest::default()
                };
                black_box(grpc.get_product(request).await.unwrap());
            })
        })
    });
    group.bench_function("http_json", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = http.get(&url).send().await.unwrap();
                assert!(response.status().is_success());
                black_box(response.bytes().await.unwrap());
            })
        })
    });
    group.finish();
}

fn bytes_of(v: Vec<u8>) -> axum::body::Bytes {
    axum::body::Bytes::from(v)
}

criterion_group!(benches, bench);
criterion_main!(benches);
