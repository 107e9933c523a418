//! The whole stack in front of a handler: a tower layer of the application's, the request id,
//! the trace, metrics, auth, the example's interceptor (`api_version`) and the deadline. The
//! interceptor runs after auth and refuses before the handler; a bidirectional stream of
//! 100,000 messages crosses every layer complete and in order, both ways.

mod common;

use common::{create_product, with_key};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use example_service::Catalog;
use example_service::shop::v1::catalog_service_forge::Client;
use example_service::shop::v1::*;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Request};

/// The example server behind a tower layer that counts the requests it sees.
async fn start_layered() -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let server = example_service::server(
        Catalog::new(),
        example_service::authenticator(common::KEYS).unwrap(),
    )
    .layer(tower::util::MapRequestLayer::new(
        move |request: http::Request<axum::body::Body>| {
            counter.fetch_add(1, Ordering::SeqCst);
            request
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server.serve_with_listener(listener, std::future::pending()));
    (addr, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interceptor_runs_after_auth_and_before_the_handler() {
    let (addr, seen) = start_layered().await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
    let create = |version: Option<&str>, key: bool| {
        let message = CreateProductRequest {
            product: Some(Product {
                name: "lamp".into(),
                ..Product::default()
            }),
            ..CreateProductRequest::default()
        };
        let mut request = if key {
            with_key(message)
        } else {
            Request::new(message)
        };
        if let Some(version) = version {
            request
                .metadata_mut()
                .insert("x-api-version", version.parse().unwrap());
        }
        request
    };
    // Without credentials, auth answers first: the version is never looked at.
    let status = grpc
        .create_product(create(Some("2"), false))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    // Authenticated, an unknown version is refused before the handler: nothing is created.
    let status = grpc
        .create_product(create(Some("2"), true))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    assert!(status.message().contains("version 1"), "{status:?}");
    let listed = grpc
        .list_products(ListProductsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .message()
        .await
        .unwrap();
    assert!(listed.is_none(), "a refused call reached the handler");
    for version in [None, Some("1")] {
        grpc.create_product(create(version, true)).await.unwrap();
    }
    // The gateway's calls go through the interceptor too.
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/v1/products"))
        .header("x-api-key", "admin-key")
        .header("grpc-metadata-x-api-version", "3")
        .body(r#"{"name":"desk"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    // Every call passed the application's layer once, the gateway's included: two refused
    // creates, the listing, two creates and the gateway's create.
    assert_eq!(seen.load(Ordering::SeqCst), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bidi_stream_of_100_000_messages_crosses_every_layer_complete_and_in_order() {
    const MESSAGES: i64 = 100_000;
    let (addr, seen) = start_layered().await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
    let id = create_product(&mut grpc, "lamp").await.id;
    let (tx, rx) = tokio::sync::mpsc::channel(256);
    let producer = {
        let id = id.clone();
        tokio::spawn(async move {
            for price_cents in 0..MESSAGES {
                let change = WatchPricesRequest {
                    product_id: id.clone(),
                    price_cents,
                };
                tx.send(change).await.unwrap();
            }
        })
    };
    let started = std::time::Instant::now();
    let mut answers = grpc
        .watch_prices(with_key(ReceiverStream::new(rx)))
        .await
        .unwrap()
        .into_inner();
    let mut expected = 0;
    while let Some(answer) = answers.message().await.unwrap() {
        assert_eq!(
            (answer.product_id.as_str(), answer.price_cents),
            (id.as_str(), expected)
        );
        expected += 1;
    }
    producer.await.unwrap();
    assert_eq!(expected, MESSAGES);
    eprintln!("{MESSAGES} messages each way in {:.2?}", started.elapsed());
    // Two calls (the create and the stream) through the layer.
    assert_eq!(seen.load(Ordering::SeqCst), 2);
    // The stream's last price stuck.
    let product = grpc
        .get_product(GetProductRequest {
            id,
            ..GetProductRequest::default()
        })
        .await
        .unwrap()
        .into_inner()
        .product
        .unwrap();
    assert_eq!(product.price_cents, MESSAGES - 1);
}
